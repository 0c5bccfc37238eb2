use std::fmt;

use serde::Serialize;

use crate::date::DateProblem;
use crate::kind::IdKind;
use crate::number::{Authority, IdNumber};

/// Everything that can be wrong with a number a person typed, each variant saying where (a
/// 1-based character position in the trimmed input), what was found and what belongs there.
///
/// What must hold: no variant carries the whole number, so an error can be logged or shown
/// anywhere; the one that suggests a replacement number holds it as an [`IdNumber`], which
/// prints masked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("Nothing was entered; type the number as it is printed on the document")]
    Empty { kind: Option<IdKind> },
    #[error(
        "There is a space at position {position}; type the number without spaces, one number at \
         a time"
    )]
    InnerWhitespace { position: usize },
    #[error("A {kind} number has {expected} characters, but {found} were entered")]
    WrongLength {
        kind: IdKind,
        expected: String,
        found: usize,
    },
    #[error("Position {position} is “{found}”, but a {kind} number has {expected} there")]
    UnexpectedCharacter {
        kind: IdKind,
        position: usize,
        found: char,
        expected: Expected,
    },
    #[error(
        "The check character at position {position} is “{found}”, but the characters before it \
         give “{expected}”: one of them is probably mistyped, or two are swapped"
    )]
    CheckCharacterMismatch {
        kind: IdKind,
        position: usize,
        expected: char,
        found: char,
    },
    #[error("The birth date at positions {first}–{last} is impossible: {problem}")]
    BirthDateInvalid {
        kind: IdKind,
        first: usize,
        last: usize,
        problem: DateProblem,
    },
    #[error(
        "Positions {position}–{} are “{code}”, which is not the code of a province-level region \
         of China", position + 1
    )]
    UnknownRegion {
        kind: IdKind,
        position: usize,
        code: String,
    },
    #[error("This is the number of a {likely}, not of a {given}: {hint}")]
    WrongKind {
        given: IdKind,
        likely: IdKind,
        hint: &'static str,
    },
    #[error(
        "This is a 15-digit identity card number from before 1999; the 18-digit number on \
         current cards is {upgraded}"
    )]
    LegacyFifteenDigit { upgraded: Box<IdNumber> },
    #[error(
        "This is a Taiwan residents' permit number in the form used before 25 September 2008; \
         its first 8 digits are the holder's lifelong number: enter only those"
    )]
    LegacyTaiwanPermit,
    #[error(
        "Position 1 is “{found}”, which is not a registration authority code (1 to 9, A, N or Y)"
    )]
    UnknownAuthority { found: char },
    #[error(
        "Position 2 is “{found}”, but the {} authority (code {}) registers only entity types \
         {allowed}", authority.name_en, authority.code
    )]
    EntityTypeNotAllowed {
        authority: Authority,
        found: char,
        allowed: &'static str,
    },
    #[error("This is not a {kind} number: {expected}")]
    UnrecognisedFormat {
        kind: IdKind,
        expected: &'static str,
    },
    #[error(
        "Litigant cannot tell what kind of number this is ({length} characters); choose the kind \
         of document it comes from"
    )]
    Unidentified { length: usize },
    #[error("A mainland mobile number has 11 digits, but {found} were entered")]
    MobileLength { found: usize },
    #[error(
        "Position {position} is “{found}”; a mobile number has only digits, with spaces or \
         hyphens between groups and +86 in front if you like"
    )]
    MobileCharacter { position: usize, found: char },
    #[error("Mainland mobile numbers begin 13 to 19, but this one begins {prefix}")]
    MobilePrefix { prefix: String },
    #[error(
        "Only mainland China mobile numbers (+86) are accepted, and this one has another country \
         code"
    )]
    MobileCountryCode,
}

/// What belongs at a position where something else was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    Digit,
    DigitOrX,
    /// One of the 31 characters of GB 32100: digits and capitals other than I, O, S, V, Z.
    CodeCharacter,
    /// The second character of an ordinary passport issued since April 2017.
    DigitOrLetterExceptIo,
    LetterOrDigit,
    Exactly(char),
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Digit => f.write_str("a digit"),
            Self::DigitOrX => f.write_str("a digit or X"),
            Self::CodeCharacter => {
                f.write_str("a digit or a capital letter other than I, O, S, V and Z")
            }
            Self::DigitOrLetterExceptIo => f.write_str("a digit or a letter other than I and O"),
            Self::LetterOrDigit => f.write_str("a letter or a digit"),
            Self::Exactly(c) => write!(f, "“{c}”"),
        }
    }
}

impl IdNumberError {
    /// A stable code the interface uses to pick a translated message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "id_number.empty",
            Self::InnerWhitespace { .. } => "id_number.inner_whitespace",
            Self::WrongLength { .. } => "id_number.wrong_length",
            Self::UnexpectedCharacter { .. } => "id_number.unexpected_character",
            Self::CheckCharacterMismatch { .. } => "id_number.check_character_mismatch",
            Self::BirthDateInvalid { .. } => "id_number.birth_date_invalid",
            Self::UnknownRegion { .. } => "id_number.unknown_region",
            Self::WrongKind { .. } => "id_number.wrong_kind",
            Self::LegacyFifteenDigit { .. } => "id_number.legacy_fifteen_digit",
            Self::LegacyTaiwanPermit => "id_number.legacy_taiwan_permit",
            Self::UnknownAuthority { .. } => "id_number.unknown_authority",
            Self::EntityTypeNotAllowed { .. } => "id_number.entity_type_not_allowed",
            Self::UnrecognisedFormat { .. } => "id_number.unrecognised_format",
            Self::Unidentified { .. } => "id_number.unidentified",
            Self::MobileLength { .. } => "id_number.mobile_length",
            Self::MobileCharacter { .. } => "id_number.mobile_character",
            Self::MobilePrefix { .. } => "id_number.mobile_prefix",
            Self::MobileCountryCode => "id_number.mobile_country_code",
        }
    }

    /// The values a translated message may quote, by name. Like the message, they never hold
    /// the whole number.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let kind = |kind: &IdKind| ("kind", kind.as_str().to_owned());
        match self {
            Self::Empty { kind: None } | Self::LegacyTaiwanPermit | Self::MobileCountryCode => {
                Vec::new()
            }
            Self::Empty { kind: Some(k) } => vec![kind(k)],
            Self::InnerWhitespace { position } => vec![("position", position.to_string())],
            Self::WrongLength {
                kind: k,
                expected,
                found,
            } => vec![
                kind(k),
                ("expected", expected.clone()),
                ("found", found.to_string()),
            ],
            Self::UnexpectedCharacter {
                kind: k,
                position,
                found,
                expected,
            } => vec![
                kind(k),
                ("position", position.to_string()),
                ("found", found.to_string()),
                ("expected", expected.to_string()),
            ],
            Self::CheckCharacterMismatch {
                kind: k,
                position,
                expected,
                found,
            } => vec![
                kind(k),
                ("position", position.to_string()),
                ("found", found.to_string()),
                ("expected", expected.to_string()),
            ],
            Self::BirthDateInvalid {
                kind: k,
                first,
                last,
                problem,
            } => vec![
                kind(k),
                ("first", first.to_string()),
                ("last", last.to_string()),
                ("cause", problem.to_string()),
            ],
            Self::UnknownRegion {
                kind: k,
                position,
                code,
            } => vec![
                kind(k),
                ("position", position.to_string()),
                ("found", code.clone()),
            ],
            Self::WrongKind { given, likely, .. } => vec![
                ("kind", given.as_str().to_owned()),
                ("likely", likely.as_str().to_owned()),
            ],
            Self::LegacyFifteenDigit { upgraded } => vec![("suggestion", upgraded.masked())],
            Self::UnknownAuthority { found } => vec![("found", found.to_string())],
            Self::EntityTypeNotAllowed {
                authority,
                found,
                allowed,
            } => vec![
                ("authority", authority.code.to_string()),
                ("found", found.to_string()),
                ("allowed", (*allowed).to_owned()),
            ],
            Self::UnrecognisedFormat { kind: k, expected } => {
                vec![kind(k), ("expected", (*expected).to_owned())]
            }
            Self::Unidentified { length } => vec![("length", length.to_string())],
            Self::MobileLength { found } => vec![("found", found.to_string())],
            Self::MobileCharacter { position, found } => vec![
                ("position", position.to_string()),
                ("found", found.to_string()),
            ],
            Self::MobilePrefix { prefix } => vec![("found", prefix.clone())],
        }
    }
}
