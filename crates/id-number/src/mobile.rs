//! Mainland China mobile numbers: 11 digits beginning 13–19, the form SMS codes and court
//! notices are sent to. People type them with +86 or 0086 in front and with spaces or hyphens
//! between groups (`+86 138-1234-5678`); all of that is accepted and dropped.

use std::fmt;

use crate::error::IdNumberError;
use crate::input::to_half_width;
use crate::number::mask_keeping;

/// A checked mainland mobile number, kept as its 11 digits. Shown masked as `138****5678`, the
/// form Chinese services print, so it can be logged; [`MobileNumber::expose`] gives it whole.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MobileNumber {
    digits: String,
}

impl MobileNumber {
    /// The 11 digits, for sending a message; never for logs.
    pub fn expose(&self) -> &str {
        &self.digits
    }

    /// The international form, `+8613812345678`.
    pub fn e164(&self) -> String {
        format!("+86{}", self.digits)
    }

    /// The first three and last four digits, the rest hidden.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.digits.chars().collect();
        mask_keeping(&chars, 3, 4)
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MobileNumber({})", self.masked())
    }
}

/// Checks a mainland mobile number as a person types it.
pub fn check_mobile(input: &str) -> Result<MobileNumber, IdNumberError> {
    let text: String = input.chars().map(to_half_width).collect();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(IdNumberError::Empty { kind: None });
    }
    // Positions count in what the person typed (trimmed), separators included.
    let mut kept: Vec<(usize, char)> = trimmed
        .chars()
        .enumerate()
        .filter(|&(_, c)| c != ' ' && c != '-')
        .map(|(index, c)| (index + 1, c))
        .collect();
    let leading: String = kept.iter().take(4).map(|&(_, c)| c).collect();
    if leading.starts_with('+') || leading.starts_with("00") {
        let code_len = if leading.starts_with('+') { 3 } else { 4 };
        if !leading.starts_with("+86") && !leading.starts_with("0086") {
            return Err(IdNumberError::MobileCountryCode);
        }
        kept.drain(..code_len);
    } else if kept.len() == 13 && leading.starts_with("861") {
        // 86 typed without + or 00: no mainland mobile number begins 86, so it can only be the
        // country code.
        kept.drain(..2);
    }
    if let Some(&(position, found)) = kept.iter().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IdNumberError::MobileCharacter { position, found });
    }
    let digits: String = kept.into_iter().map(|(_, c)| c).collect();
    if digits.len() != 11 {
        return Err(IdNumberError::MobileLength {
            found: digits.len(),
        });
    }
    let bytes = digits.as_bytes();
    if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
        return Err(IdNumberError::MobilePrefix {
            prefix: digits[..2].to_owned(),
        });
    }
    Ok(MobileNumber { digits })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_ways_of_typing_a_number() {
        for input in [
            "13812345678",
            " 138 1234 5678 ",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "0086-138-1234-5678",
            "86 13812345678",
            "１３８１２３４５６７８",
        ] {
            let number = check_mobile(input).unwrap();
            assert_eq!(number.expose(), "13812345678", "{input}");
            assert_eq!(number.e164(), "+8613812345678");
            assert_eq!(number.to_string(), "138****5678");
            assert_eq!(format!("{number:?}"), "MobileNumber(138****5678)");
        }
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(
            check_mobile("1381234567"),
            Err(IdNumberError::MobileLength { found: 10 })
        );
        assert_eq!(
            check_mobile("12812345678"),
            Err(IdNumberError::MobilePrefix {
                prefix: "12".to_owned()
            })
        );
        assert_eq!(
            check_mobile("+852 9123 4567"),
            Err(IdNumberError::MobileCountryCode)
        );
        assert_eq!(
            check_mobile("138.1234.5678"),
            Err(IdNumberError::MobileCharacter {
                position: 4,
                found: '.'
            })
        );
        assert_eq!(check_mobile("  "), Err(IdNumberError::Empty { kind: None }));
        assert_eq!(
            check_mobile("+8613812345678+"),
            Err(IdNumberError::MobileCharacter {
                position: 15,
                found: '+'
            })
        );
    }
}
