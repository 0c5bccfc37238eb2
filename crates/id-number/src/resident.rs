//! GB 11643-1999 citizen identity numbers, shared by resident identity cards and by the
//! residence permits of Hong Kong, Macao and Taiwan residents (which use the same 18-character
//! layout with the prefixes 810000, 820000 and 830000):
//!
//! | positions | content |
//! | --- | --- |
//! | 1–6 | administrative division code (GB/T 2260); we check its province (1–2) |
//! | 7–14 | birth date `YYYYMMDD` |
//! | 15–17 | sequence number; the 17th is odd for men, even for women |
//! | 18 | ISO 7064 MOD 11-2 check character, `0`–`9` or `X` |
//!
//! Numbers issued before 1999 have 15 digits (the year as `YY`, no check character). They are
//! refused, with the 18-digit number that replaced them, because every card in use now carries
//! 18 characters and the court's records must match the card.

use crate::date::{self, Date};
use crate::error::{Expected, IdNumberError};
use crate::input::require_each;
use crate::kind::IdKind;
use crate::number::{Details, IdNumber, Sex};
use crate::region::{self, Region};

/// The weights of positions 1–17: 2^(18 − position) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

const PERMIT_HINT: &str = "numbers beginning 810000, 820000 and 830000 are residence permits \
                           for Hong Kong, Macao and Taiwan residents";
const PERMIT_FORM: &str = "a residence permit number begins 810000 (Hong Kong), 820000 (Macao) \
                           or 830000 (Taiwan)";

/// The check character of an 18-character number from its first 17 digits, or `None` unless
/// `first_17` is exactly 17 ASCII digits. The court simulator uses it to make test identities.
pub fn id_card_check_character(first_17: &str) -> Option<char> {
    let digits = first_17.as_bytes();
    (digits.len() == 17 && digits.iter().all(u8::is_ascii_digit)).then(|| check_character(digits))
}

fn check_character(digits: &[u8]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    match (12 - sum % 11) % 11 {
        10 => 'X',
        // Below 10, so a single digit.
        value => char::from_digit(value, 10).unwrap_or('?'),
    }
}

/// Checks an already normalised number as `kind`, which is a resident ID card or a residence
/// permit.
pub(crate) fn check(kind: IdKind, number: String, today: Date) -> Result<IdNumber, IdNumberError> {
    let chars: Vec<char> = number.chars().collect();
    match chars.len() {
        18 => {}
        15 if kind == IdKind::ResidentIdCard => return check_fifteen_digit(&number, today),
        found => {
            return Err(IdNumberError::WrongLength {
                kind,
                expected: "18".to_owned(),
                found,
            });
        }
    }
    for (index, &c) in chars.iter().enumerate() {
        let (fits, expected) = if index < 17 {
            (c.is_ascii_digit(), Expected::Digit)
        } else {
            (c.is_ascii_digit() || c == 'X', Expected::DigitOrX)
        };
        if !fits {
            return Err(IdNumberError::UnexpectedCharacter {
                kind,
                position: index + 1,
                found: c,
                expected,
            });
        }
    }
    let digits = number.as_bytes();
    let region = region_for(kind, digits)?;
    let birth_date = date::birth_date(&digits[6..14], today).map_err(|problem| {
        IdNumberError::BirthDateInvalid {
            kind,
            first: 7,
            last: 14,
            problem,
        }
    })?;
    let expected = check_character(&digits[..17]);
    let found = char::from(digits[17]);
    if found != expected {
        return Err(IdNumberError::CheckCharacterMismatch {
            kind,
            position: 18,
            expected,
            found,
        });
    }
    let sex = if (digits[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok(IdNumber::new(
        kind,
        number,
        Details::Person {
            birth_date,
            sex,
            region,
        },
    ))
}

/// An identity card takes any province of GB/T 2260 but the three prefixes of residence permits,
/// which take exactly 810000, 820000 or 830000.
fn region_for(kind: IdKind, digits: &[u8]) -> Result<Region, IdNumberError> {
    let permit_region = match &digits[..2] {
        b"81" | b"82" => region::province(digits),
        b"83" => Some(region::TAIWAN_PERMIT),
        _ => None,
    };
    match (kind, permit_region) {
        (IdKind::ResidencePermit, Some(region)) => {
            if let Some(index) = (2..6).find(|&index| digits[index] != b'0') {
                return Err(IdNumberError::UnexpectedCharacter {
                    kind,
                    position: index + 1,
                    found: char::from(digits[index]),
                    expected: Expected::Exactly('0'),
                });
            }
            Ok(region)
        }
        (IdKind::ResidencePermit, None) => match region::province(digits) {
            Some(_) => Err(IdNumberError::WrongKind {
                given: kind,
                likely: IdKind::ResidentIdCard,
                hint: PERMIT_FORM,
            }),
            None => Err(IdNumberError::UnrecognisedFormat {
                kind,
                expected: PERMIT_FORM,
            }),
        },
        (_, Some(_)) => Err(IdNumberError::WrongKind {
            given: kind,
            likely: IdKind::ResidencePermit,
            hint: PERMIT_HINT,
        }),
        (_, None) => region::province(digits).ok_or_else(|| IdNumberError::UnknownRegion {
            kind,
            position: 1,
            code: String::from_utf8_lossy(&digits[..2]).into_owned(),
        }),
    }
}

/// A pre-1999 number: 6 region digits, `YYMMDD`, 3 sequence digits. Its 18-digit successor
/// inserts `19` before the year and appends the check character. (Someone born before 1900
/// would need `18`; the birth-year rule refuses such numbers anyway.)
fn check_fifteen_digit(number: &str, today: Date) -> Result<IdNumber, IdNumberError> {
    let kind = IdKind::ResidentIdCard;
    require_each(kind, number, Expected::Digit, |c| c.is_ascii_digit())?;
    let mut upgraded = format!("{}19{}", &number[..6], &number[6..]);
    upgraded.push(check_character(upgraded.as_bytes()));
    match check(kind, upgraded, today) {
        Ok(number) => Err(IdNumberError::LegacyFifteenDigit {
            upgraded: Box::new(number),
        }),
        // The date is the only part whose position moves: 7–14 in the new form, 7–12 here.
        Err(IdNumberError::BirthDateInvalid { problem, .. }) => {
            Err(IdNumberError::BirthDateInvalid {
                kind,
                first: 7,
                last: 12,
                problem,
            })
        }
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::DateProblem;

    fn today() -> Date {
        Date::new(2026, 5, 1).unwrap()
    }

    fn id_card(number: &str) -> Result<IdNumber, IdNumberError> {
        check(IdKind::ResidentIdCard, number.to_owned(), today())
    }

    fn permit(number: &str) -> Result<IdNumber, IdNumberError> {
        check(IdKind::ResidencePermit, number.to_owned(), today())
    }

    #[test]
    fn computes_the_mod_11_2_check_character() {
        // The example of GB 11643-1999 and the one python-stdnum documents.
        assert_eq!(id_card_check_character("11010519491231002"), Some('X'));
        assert_eq!(id_card_check_character("36042619910101007"), Some('1'));
        assert_eq!(id_card_check_character("1101051949123100"), None);
        assert_eq!(id_card_check_character("1101051949123100A"), None);
    }

    #[test]
    fn reads_birth_date_sex_and_region() {
        let number = id_card("11010519491231002X").unwrap();
        assert_eq!(number.expose(), "11010519491231002X");
        let Details::Person {
            birth_date,
            sex,
            region,
        } = number.details()
        else {
            panic!("{:?}", number.details());
        };
        assert_eq!(birth_date.to_string(), "1949-12-31");
        assert_eq!(*sex, Sex::Female);
        assert_eq!((region.name_zh, region.name_en), ("北京市", "Beijing"));
        let man = id_card("360426199101010071").unwrap();
        assert!(matches!(
            man.details(),
            Details::Person { sex: Sex::Male, .. }
        ));
    }

    #[test]
    fn says_which_character_is_wrong() {
        assert_eq!(
            id_card("11010519491231002Y"),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::ResidentIdCard,
                position: 18,
                found: 'Y',
                expected: Expected::DigitOrX,
            })
        );
        assert_eq!(
            id_card("1101051949X231002X"),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::ResidentIdCard,
                position: 11,
                found: 'X',
                expected: Expected::Digit,
            })
        );
        assert_eq!(
            id_card("110105194912310021"),
            Err(IdNumberError::CheckCharacterMismatch {
                kind: IdKind::ResidentIdCard,
                position: 18,
                expected: 'X',
                found: '1',
            })
        );
        assert_eq!(
            id_card("1101051949123100"),
            Err(IdNumberError::WrongLength {
                kind: IdKind::ResidentIdCard,
                expected: "18".to_owned(),
                found: 16,
            })
        );
    }

    #[test]
    fn refuses_impossible_birth_dates() {
        let date_error = |number: &str| match id_card(number) {
            Err(IdNumberError::BirthDateInvalid {
                first: 7,
                last: 14,
                problem,
                ..
            }) => problem,
            other => panic!("{other:?}"),
        };
        let with_check =
            |first_17: &str| format!("{first_17}{}", id_card_check_character(first_17).unwrap());
        assert_eq!(
            date_error(&with_check("11010519990230002")),
            DateProblem::DayOutOfRange {
                day: 30,
                days_in_month: 28
            }
        );
        assert_eq!(
            date_error(&with_check("11010518991231002")),
            DateProblem::BeforeEarliestYear { year: 1899 }
        );
        assert_eq!(
            date_error(&with_check("11010520260502002")),
            DateProblem::InTheFuture
        );
        assert!(id_card(&with_check("11010520260501002")).is_ok());
    }

    #[test]
    fn knows_provinces_and_sends_permits_to_their_kind() {
        let first_17 = "99010519491231002";
        let number = format!("{first_17}{}", id_card_check_character(first_17).unwrap());
        assert_eq!(
            id_card(&number),
            Err(IdNumberError::UnknownRegion {
                kind: IdKind::ResidentIdCard,
                position: 1,
                code: "99".to_owned(),
            })
        );
        for (first_17, name) in [
            ("81000019900101001", "Hong Kong"),
            ("82000019900101001", "Macao"),
            ("83000019900101001", "Taiwan"),
        ] {
            let number = format!("{first_17}{}", id_card_check_character(first_17).unwrap());
            let checked = permit(&number).unwrap();
            assert!(
                matches!(checked.details(), Details::Person { region, .. } if region.name_en == name)
            );
            assert!(matches!(
                id_card(&number),
                Err(IdNumberError::WrongKind {
                    likely: IdKind::ResidencePermit,
                    ..
                })
            ));
        }
        assert!(matches!(
            permit("11010519491231002X"),
            Err(IdNumberError::WrongKind {
                likely: IdKind::ResidentIdCard,
                ..
            })
        ));
        assert!(matches!(
            permit("99010519491231002X"),
            Err(IdNumberError::UnrecognisedFormat { .. })
        ));
        assert_eq!(
            permit("810100199001010011"),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::ResidencePermit,
                position: 4,
                found: '1',
                expected: Expected::Exactly('0'),
            })
        );
    }

    #[test]
    fn explains_fifteen_digit_numbers_with_their_successor() {
        let Err(IdNumberError::LegacyFifteenDigit { upgraded }) = id_card("110105491231002") else {
            panic!("not recognised as a 15-digit number");
        };
        assert_eq!(upgraded.expose(), "11010519491231002X");
        let message = IdNumberError::LegacyFifteenDigit { upgraded }.to_string();
        assert!(message.contains("1101**********002X"), "{message}");
        assert!(!message.contains("11010519491231002X"), "{message}");
        assert!(matches!(
            id_card("110105491331002"),
            Err(IdNumberError::BirthDateInvalid {
                first: 7,
                last: 12,
                ..
            })
        ));
        assert!(matches!(
            permit("810000900101001"),
            Err(IdNumberError::WrongLength { found: 15, .. })
        ));
    }
}
