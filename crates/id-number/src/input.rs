//! What every check does to a number before reading it: a person copies numbers from scanned
//! forms, chat messages and Chinese input methods, so surrounding blanks, full-width characters
//! and lower case are expected and forgiven; blanks inside the number are not, because they
//! usually mean two numbers were pasted together or a character is missing.

use crate::error::{Expected, IdNumberError};
use crate::kind::IdKind;

/// Trims, turns full-width ASCII (`１１０`, `Ｘ`, the ideographic space) into ASCII and lower
/// case into upper case, and refuses an empty input or a blank inside the number.
pub(crate) fn normalise(input: &str, kind: Option<IdKind>) -> Result<String, IdNumberError> {
    let text: String = input.chars().map(to_half_width).collect();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(IdNumberError::Empty { kind });
    }
    if let Some(index) = trimmed.chars().position(char::is_whitespace) {
        return Err(IdNumberError::InnerWhitespace {
            position: index + 1,
        });
    }
    Ok(trimmed.to_ascii_uppercase())
}

/// Refuses `number` at its first character that is not `expected`.
pub(crate) fn require_each(
    kind: IdKind,
    number: &str,
    expected: Expected,
    fits: impl Fn(char) -> bool,
) -> Result<(), IdNumberError> {
    match number.chars().enumerate().find(|&(_, c)| !fits(c)) {
        Some((index, found)) => Err(IdNumberError::UnexpectedCharacter {
            kind,
            position: index + 1,
            found,
            expected,
        }),
        None => Ok(()),
    }
}

/// The full-width forms block (U+FF01–U+FF5E) mirrors printable ASCII at a fixed offset.
pub(crate) fn to_half_width(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_widens_and_upper_cases() {
        assert_eq!(normalise("  １１０ｘ\u{3000}", None).unwrap(), "110X");
        assert_eq!(normalise("\te12345678\n", None).unwrap(), "E12345678");
    }

    #[test]
    fn refuses_empty_and_inner_blanks() {
        assert_eq!(
            normalise("  \u{3000} ", Some(IdKind::Passport)),
            Err(IdNumberError::Empty {
                kind: Some(IdKind::Passport)
            })
        );
        assert_eq!(
            normalise(" 1101 01", None),
            Err(IdNumberError::InnerWhitespace { position: 5 })
        );
        assert_eq!(
            normalise("12\u{3000}3", None),
            Err(IdNumberError::InnerWhitespace { position: 3 })
        );
    }
}
