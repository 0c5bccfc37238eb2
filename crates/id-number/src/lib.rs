//! Checks the identity numbers a litigant registers with under the Online Litigation Rules:
//! resident identity cards (GB 11643), residence permits of Hong Kong, Macao and Taiwan
//! residents, unified social credit codes (GB 32100), Chinese and foreign passports, the two
//! mainland travel permits, and mainland mobile numbers.
//!
//! Pure: no I/O, no state, nothing but `serde` and `thiserror`, so the court simulator, the
//! accounts crate and the command line all give the same verdict. Only [`check`] and
//! [`identify`] read the clock, for "a birth date is not in the future"; the `_as_of` forms
//! take the date instead, for tests and the simulator's own clock.
//!
//! What must hold: a number is accepted only if every rule of its kind passes; an error says
//! which position is wrong and what belongs there; and neither an [`IdNumber`] nor an
//! [`IdNumberError`] prints a whole personal number (see [`mask`]).

mod date;
mod error;
mod input;
mod kind;
mod mobile;
mod number;
mod region;
mod resident;
mod travel;
mod uscc;

pub use date::{Date, DateProblem, EARLIEST_BIRTH_YEAR};
pub use error::{Expected, IdNumberError};
pub use kind::{IdKind, UnknownIdKind};
pub use mobile::{MobileNumber, check_mobile};
pub use number::{Authority, Details, EntityType, IdNumber, PassportCategory, Sex, mask};
pub use region::{NATIONAL, PROVINCES, Region, TAIWAN_PERMIT};
pub use resident::id_card_check_character;
pub use uscc::{uscc_check_character, uscc_entity_types};

/// Checks `input` as a number of `kind`, after trimming it, making full-width characters ASCII
/// and upper-casing it; a blank inside the number is refused.
pub fn check(kind: IdKind, input: &str) -> Result<IdNumber, IdNumberError> {
    check_as_of(kind, input, Date::today_in_china())
}

/// [`check`], with `today` as the latest possible birth date.
pub fn check_as_of(kind: IdKind, input: &str, today: Date) -> Result<IdNumber, IdNumberError> {
    let number = input::normalise(input, Some(kind))?;
    check_normalised(kind, number, today)
}

/// Works out which kind of number `input` is from its shape, then checks it as that kind, so
/// an error is as precise as with [`check`]. A foreign passport cannot be told from its shape
/// and is never guessed; check it with [`IdKind::ForeignPassport`].
pub fn identify(input: &str) -> Result<IdNumber, IdNumberError> {
    identify_as_of(input, Date::today_in_china())
}

/// [`identify`], with `today` as the latest possible birth date.
pub fn identify_as_of(input: &str, today: Date) -> Result<IdNumber, IdNumberError> {
    let number = input::normalise(input, None)?;
    let kind = likely_kind(&number).ok_or(IdNumberError::Unidentified {
        length: number.chars().count(),
    })?;
    check_normalised(kind, number, today)
}

fn check_normalised(kind: IdKind, number: String, today: Date) -> Result<IdNumber, IdNumberError> {
    match kind {
        IdKind::ResidentIdCard | IdKind::ResidencePermit => resident::check(kind, number, today),
        IdKind::UnifiedSocialCreditCode => uscc::check(number),
        IdKind::Passport => travel::check_passport(number),
        IdKind::ForeignPassport => travel::check_foreign_passport(number),
        IdKind::HkMacaoTravelPermit => travel::check_hk_macao_permit(number),
        IdKind::TaiwanTravelPermit => travel::check_taiwan_permit(number),
    }
}

/// The kind a number most resembles: close enough in length and first characters that checking
/// it as that kind explains what is wrong, if anything.
fn likely_kind(number: &str) -> Option<IdKind> {
    let bytes = number.as_bytes();
    let length = number.chars().count();
    let digits_until = |end: usize| bytes[..end.min(bytes.len())].iter().all(u8::is_ascii_digit);
    let first = *bytes.first()?;
    match length {
        15..=19 if digits_until(length - 1) && matches!(bytes[length - 1], b'0'..=b'9' | b'X') => {
            if matches!(&bytes[..2], b"81" | b"82" | b"83") && length == 18 {
                Some(IdKind::ResidencePermit)
            } else {
                Some(IdKind::ResidentIdCard)
            }
        }
        15..=19 => Some(IdKind::UnifiedSocialCreditCode),
        8 if digits_until(8) => Some(IdKind::TaiwanTravelPermit),
        _ if travel::is_old_taiwan_permit(number) => Some(IdKind::TaiwanTravelPermit),
        _ if bytes.starts_with(b"MA") && length <= 10 => Some(IdKind::Passport),
        9..=11 if matches!(first, b'H' | b'M') && bytes[1..].iter().all(u8::is_ascii_digit) => {
            Some(IdKind::HkMacaoTravelPermit)
        }
        7..=10 if matches!(first, b'E' | b'G' | b'D' | b'S' | b'P' | b'K') => {
            Some(IdKind::Passport)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
