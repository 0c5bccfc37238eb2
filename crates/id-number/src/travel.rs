//! Passports and travel permits: numbers without a check character, so only their shape can be
//! checked. The shapes, from the issuing practice of China's exit and entry administration as
//! widely documented (no national standard publishes them):
//!
//! - Chinese passports: ordinary, `E` and 8 digits (2012–2017), `E`, a letter other than I
//!   and O and 7 digits (since April 2017), or `G` and 8 digits (before 2012); diplomatic,
//!   `DE` and 7 digits (older: `D` and 7); service, `SE` and 7 digits (older: `S` and 7 or 8);
//!   public affairs, `PE` and 7 digits (older: `P` and 7); Hong Kong SAR, `K` and 8 digits;
//!   Macao SAR, `MA` and 7 digits. The pre-2007 ordinary form, `14` or `15` and 7 digits, is
//!   not taken: every one of those passports expired long ago.
//! - Foreign passports: ICAO 9303 leaves the number to each state (9 characters fit the machine
//!   readable zone, longer ones overflow), so 5 to 15 letters and digits with at least one digit.
//! - Mainland travel permits for Hong Kong and Macao residents: `H` (Hong Kong) or `M` (Macao)
//!   and 8 digits, the holder's lifelong number. Cards print a 2-digit issue count after it and
//!   older booklets made it part of the number, so `H` or `M` and 10 digits is also taken: the
//!   count is kept in the details and the number normalised to its first 9 characters.
//! - Mainland travel permits for Taiwan residents: 8 digits, the lifelong number, since
//!   25 September 2008. The older form added a 2-digit issue count and, in brackets, the issuing
//!   office (`1234567801(B)`); it is refused with the advice to enter the first 8 digits, since
//!   all of those permits have expired and the court records the lifelong number.

use crate::error::{Expected, IdNumberError};
use crate::input::require_each;
use crate::kind::IdKind;
use crate::number::{Details, IdNumber, PassportCategory};
use crate::region;

/// One position of a number's shape.
#[derive(Clone, Copy)]
enum Slot {
    Literal(u8),
    Digit,
    /// A digit, or a capital letter other than I and O (the second character of new ordinary
    /// passports, which was a digit before April 2017).
    DigitOrLetter,
}

impl Slot {
    fn fits(self, c: u8) -> bool {
        match self {
            Self::Literal(literal) => c == literal,
            Self::Digit => c.is_ascii_digit(),
            Self::DigitOrLetter => {
                c.is_ascii_digit() || (c.is_ascii_uppercase() && c != b'I' && c != b'O')
            }
        }
    }

    fn expected(self) -> Expected {
        match self {
            Self::Literal(literal) => Expected::Exactly(char::from(literal)),
            Self::Digit => Expected::Digit,
            Self::DigitOrLetter => Expected::DigitOrLetterExceptIo,
        }
    }
}

struct Shape<T> {
    prefix: &'static [Slot],
    digits: usize,
    meaning: T,
}

const fn shape<T>(prefix: &'static [Slot], digits: usize, meaning: T) -> Shape<T> {
    Shape {
        prefix,
        digits,
        meaning,
    }
}

impl<T> Shape<T> {
    fn len(&self) -> usize {
        self.prefix.len() + self.digits
    }

    fn slot(&self, index: usize) -> Slot {
        self.prefix.get(index).copied().unwrap_or(Slot::Digit)
    }
}

use PassportCategory as P;
use Slot::{DigitOrLetter, Literal as L};

const PASSPORTS: [Shape<PassportCategory>; 11] = [
    shape(&[L(b'E'), DigitOrLetter], 7, P::Ordinary),
    shape(&[L(b'G')], 8, P::Ordinary),
    shape(&[L(b'D'), L(b'E')], 7, P::Diplomatic),
    shape(&[L(b'D')], 7, P::Diplomatic),
    shape(&[L(b'S'), L(b'E')], 7, P::Service),
    shape(&[L(b'S')], 8, P::Service),
    shape(&[L(b'S')], 7, P::Service),
    shape(&[L(b'P'), L(b'E')], 7, P::PublicAffairs),
    shape(&[L(b'P')], 7, P::PublicAffairs),
    shape(&[L(b'K')], 8, P::HongKongSar),
    shape(&[L(b'M'), L(b'A')], 7, P::MacaoSar),
];

const PASSPORT_FORMS: &str = "a Chinese passport number is E followed by 8 digits or by a letter \
                              and 7 digits (ordinary), G and 8 digits (older ordinary), DE, SE \
                              or PE and 7 digits (diplomatic, service, public affairs), K and 8 \
                              digits (Hong Kong SAR) or MA and 7 digits (Macao SAR)";

/// `(is Hong Kong, with issue count)`.
const HK_MACAO_PERMITS: [Shape<(bool, bool)>; 4] = [
    shape(&[L(b'H')], 8, (true, false)),
    shape(&[L(b'M')], 8, (false, false)),
    shape(&[L(b'H')], 10, (true, true)),
    shape(&[L(b'M')], 10, (false, true)),
];

const HK_MACAO_FORMS: &str = "a mainland travel permit for Hong Kong and Macao residents is H \
                              (Hong Kong) or M (Macao) followed by 8 digits";

/// Finds the shape `number` has, or says what is wrong with it measured against the shapes
/// that begin like it: the wrong length, or the first character that does not belong.
fn match_shape<'a, T>(
    kind: IdKind,
    shapes: &'a [Shape<T>],
    forms: &'static str,
    number: &str,
) -> Result<&'a Shape<T>, IdNumberError> {
    let chars: Vec<char> = number.chars().collect();
    let bytes = number.as_bytes();
    let begins_like: Vec<&Shape<T>> = shapes
        .iter()
        .filter(|shape| bytes.first().is_some_and(|&c| shape.slot(0).fits(c)))
        .collect();
    if begins_like.is_empty() {
        return Err(IdNumberError::UnrecognisedFormat {
            kind,
            expected: forms,
        });
    }
    let same_length: Vec<&Shape<T>> = begins_like
        .iter()
        .copied()
        .filter(|shape| shape.len() == chars.len())
        .collect();
    if same_length.is_empty() {
        let mut lengths: Vec<usize> = begins_like.iter().map(|shape| shape.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let lengths: Vec<String> = lengths.iter().map(usize::to_string).collect();
        return Err(IdNumberError::WrongLength {
            kind,
            expected: lengths.join(" or "),
            found: chars.len(),
        });
    }
    // The first position where each candidate fails; the one that fails latest explains best.
    let mut best: Option<(usize, &Shape<T>)> = None;
    for shape in same_length {
        let failure = chars
            .iter()
            .enumerate()
            .position(|(index, &c)| !u8::try_from(c).is_ok_and(|c| shape.slot(index).fits(c)));
        match failure {
            None => return Ok(shape),
            Some(index) if best.is_none_or(|(latest, _)| index > latest) => {
                best = Some((index, shape));
            }
            Some(_) => {}
        }
    }
    let (index, shape) = best.ok_or(IdNumberError::UnrecognisedFormat {
        kind,
        expected: forms,
    })?;
    Err(IdNumberError::UnexpectedCharacter {
        kind,
        position: index + 1,
        found: chars[index],
        expected: shape.slot(index).expected(),
    })
}

pub(crate) fn check_passport(number: String) -> Result<IdNumber, IdNumberError> {
    let shape = match_shape(IdKind::Passport, &PASSPORTS, PASSPORT_FORMS, &number)?;
    Ok(IdNumber::new(
        IdKind::Passport,
        number,
        Details::Passport {
            category: shape.meaning,
        },
    ))
}

pub(crate) fn check_foreign_passport(number: String) -> Result<IdNumber, IdNumberError> {
    let kind = IdKind::ForeignPassport;
    require_each(kind, &number, Expected::LetterOrDigit, |c| {
        c.is_ascii_alphanumeric()
    })?;
    if !(5..=15).contains(&number.len()) {
        return Err(IdNumberError::WrongLength {
            kind,
            expected: "5 to 15".to_owned(),
            found: number.len(),
        });
    }
    if !number.bytes().any(|c| c.is_ascii_digit()) {
        return Err(IdNumberError::UnrecognisedFormat {
            kind,
            expected: "a passport number has at least one digit",
        });
    }
    Ok(IdNumber::new(kind, number, Details::Nothing))
}

pub(crate) fn check_hk_macao_permit(mut number: String) -> Result<IdNumber, IdNumberError> {
    let kind = IdKind::HkMacaoTravelPermit;
    let shape = match_shape(kind, &HK_MACAO_PERMITS, HK_MACAO_FORMS, &number)?;
    let (hong_kong, with_count) = shape.meaning;
    let issue_count = if with_count {
        let count = number.split_off(9);
        count.parse().ok()
    } else {
        None
    };
    let region = if hong_kong {
        region::HONG_KONG
    } else {
        region::MACAO
    };
    Ok(IdNumber::new(
        kind,
        number,
        Details::HkMacaoTravelPermit {
            region,
            issue_count,
        },
    ))
}

pub(crate) fn check_taiwan_permit(number: String) -> Result<IdNumber, IdNumberError> {
    let kind = IdKind::TaiwanTravelPermit;
    if is_old_taiwan_permit(&number) {
        return Err(IdNumberError::LegacyTaiwanPermit);
    }
    require_each(kind, &number, Expected::Digit, |c| c.is_ascii_digit())?;
    if number.len() != 8 {
        return Err(IdNumberError::WrongLength {
            kind,
            expected: "8".to_owned(),
            found: number.len(),
        });
    }
    Ok(IdNumber::new(kind, number, Details::Nothing))
}

/// 8 + 2 digits, optionally followed by the issuing office in brackets: `1234567801(B)`.
pub(crate) fn is_old_taiwan_permit(number: &str) -> bool {
    let (digits, office) = number.split_at(number.find('(').unwrap_or(number.len()));
    let office_fits = office.is_empty()
        || (office.len() == 3
            && office.ends_with(')')
            && office.as_bytes()[1].is_ascii_alphanumeric());
    digits.len() == 10 && digits.bytes().all(|c| c.is_ascii_digit()) && office_fits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(number: &str) -> Result<PassportCategory, IdNumberError> {
        check_passport(number.to_owned()).map(|checked| match checked.details() {
            Details::Passport { category } => *category,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn knows_chinese_passport_shapes() {
        for (number, expected) in [
            ("E12345678", P::Ordinary),
            ("EF1260892", P::Ordinary),
            ("G12345678", P::Ordinary),
            ("DE1234567", P::Diplomatic),
            ("D1234567", P::Diplomatic),
            ("SE1234567", P::Service),
            ("S12345678", P::Service),
            ("S1234567", P::Service),
            ("PE1234567", P::PublicAffairs),
            ("P1234567", P::PublicAffairs),
            ("K12345678", P::HongKongSar),
            ("MA1234567", P::MacaoSar),
        ] {
            assert_eq!(category(number), Ok(expected), "{number}");
        }
    }

    #[test]
    fn says_what_is_wrong_with_a_passport_number() {
        assert_eq!(
            category("EI1260892"),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::Passport,
                position: 2,
                found: 'I',
                expected: Expected::DigitOrLetterExceptIo,
            })
        );
        assert_eq!(
            category("E1234567A"),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::Passport,
                position: 9,
                found: 'A',
                expected: Expected::Digit,
            })
        );
        assert_eq!(
            category("E1234567"),
            Err(IdNumberError::WrongLength {
                kind: IdKind::Passport,
                expected: "9".to_owned(),
                found: 8,
            })
        );
        assert!(matches!(
            category("S123456"),
            Err(IdNumberError::WrongLength { expected, .. }) if expected == "8 or 9"
        ));
        assert!(matches!(
            category("141234567"),
            Err(IdNumberError::UnrecognisedFormat { .. })
        ));
    }

    #[test]
    fn foreign_passports_need_only_a_plausible_shape() {
        for number in ["C01X00T47", "123456789", "M12345678", "AB1234567890"] {
            assert!(
                check_foreign_passport(number.to_owned()).is_ok(),
                "{number}"
            );
        }
        assert!(matches!(
            check_foreign_passport("AB12".to_owned()),
            Err(IdNumberError::WrongLength { found: 4, .. })
        ));
        assert!(matches!(
            check_foreign_passport("ABCDEFG".to_owned()),
            Err(IdNumberError::UnrecognisedFormat { .. })
        ));
        assert!(matches!(
            check_foreign_passport("AB-123456".to_owned()),
            Err(IdNumberError::UnexpectedCharacter {
                position: 3,
                found: '-',
                ..
            })
        ));
    }

    #[test]
    fn hong_kong_and_macao_permits_keep_the_lifelong_number() {
        let permit = check_hk_macao_permit("H1234567803".to_owned()).unwrap();
        assert_eq!(permit.expose(), "H12345678");
        assert!(matches!(
            permit.details(),
            Details::HkMacaoTravelPermit { region, issue_count: Some(3) } if region.name_en == "Hong Kong"
        ));
        let permit = check_hk_macao_permit("M12345678".to_owned()).unwrap();
        assert!(matches!(
            permit.details(),
            Details::HkMacaoTravelPermit { region, issue_count: None } if region.name_en == "Macao"
        ));
        assert!(matches!(
            check_hk_macao_permit("H123456789".to_owned()),
            Err(IdNumberError::WrongLength { expected, found: 10, .. }) if expected == "9 or 11"
        ));
        assert!(matches!(
            check_hk_macao_permit("X12345678".to_owned()),
            Err(IdNumberError::UnrecognisedFormat { .. })
        ));
    }

    #[test]
    fn taiwan_permits_are_eight_digits() {
        assert!(check_taiwan_permit("01234567".to_owned()).is_ok());
        for old in ["1234567801", "1234567801(B)", "1234567801(3)"] {
            assert_eq!(
                check_taiwan_permit(old.to_owned()),
                Err(IdNumberError::LegacyTaiwanPermit),
                "{old}"
            );
        }
        assert!(matches!(
            check_taiwan_permit("1234567".to_owned()),
            Err(IdNumberError::WrongLength { found: 7, .. })
        ));
        assert!(matches!(
            check_taiwan_permit("1234567A".to_owned()),
            Err(IdNumberError::UnexpectedCharacter { position: 8, .. })
        ));
    }
}
