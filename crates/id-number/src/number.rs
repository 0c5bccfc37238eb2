//! A checked number and what it says about its holder. Personal numbers end up in logs, crash
//! reports and screenshots, so the type that holds one prints it masked everywhere and gives
//! the full value only through [`IdNumber::expose`], which a reviewer can search for.

use std::fmt;

use serde::Serialize;

use crate::date::Date;
use crate::kind::IdKind;
use crate::region::Region;

/// A number that passed every check for its kind, in its normalised form (upper case, ASCII,
/// no blanks; an identity card's check character `x` as `X`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    kind: IdKind,
    normalised: String,
    details: Details,
}

/// What a valid number says about its holder.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Details {
    /// Resident ID cards and residence permits.
    Person {
        birth_date: Date,
        sex: Sex,
        /// For an ID card the province where the number was issued (usually, not always, where
        /// the holder was born); for a residence permit Hong Kong, Macao or Taiwan.
        region: Region,
    },
    /// Unified social credit codes.
    Organisation {
        authority: Authority,
        entity_type: EntityType,
        /// The province of the registration authority, or the whole country.
        region: Region,
    },
    Passport {
        category: PassportCategory,
    },
    HkMacaoTravelPermit {
        /// Hong Kong for an `H` number, Macao for an `M` number.
        region: Region,
        /// How many times the permit has been issued, when the two digits after the eight-digit
        /// lifelong number were typed; the normalised number leaves them out.
        issue_count: Option<u8>,
    },
    /// The number's shape says nothing more (foreign passports, Taiwan residents' permits).
    Nothing,
}

/// From the 17th character of a GB 11643 number: odd for men, even for women.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Male => "male",
            Self::Female => "female",
        })
    }
}

/// The registration authority of a unified social credit code (its first character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Authority {
    pub code: char,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

/// The kind of entity an authority registered (the code's second character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct EntityType {
    pub code: char,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

/// Which passport of the People's Republic of China a number belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassportCategory {
    /// 普通护照: `E` + 8 digits, `E` + letter + 7 digits, or the older `G` + 8 digits.
    Ordinary,
    /// 外交护照: `DE` + 7 digits, or the older `D` + 7 digits.
    Diplomatic,
    /// 公务护照: `SE` + 7 digits, or the older `S` + 7 or 8 digits.
    Service,
    /// 公务普通护照: `PE` + 7 digits, or the older `P` + 7 digits.
    PublicAffairs,
    /// 香港特别行政区护照: `K` + 8 digits.
    HongKongSar,
    /// 澳门特别行政区护照: `MA` + 7 digits.
    MacaoSar,
}

impl fmt::Display for PassportCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ordinary => "ordinary",
            Self::Diplomatic => "diplomatic",
            Self::Service => "service",
            Self::PublicAffairs => "public affairs",
            Self::HongKongSar => "Hong Kong SAR",
            Self::MacaoSar => "Macao SAR",
        })
    }
}

impl IdNumber {
    pub(crate) fn new(kind: IdKind, normalised: String, details: Details) -> Self {
        Self {
            kind,
            normalised,
            details,
        }
    }

    pub fn kind(&self) -> IdKind {
        self.kind
    }

    pub fn details(&self) -> &Details {
        &self.details
    }

    /// The full number, for sending to the court or storing in the person's own records; never
    /// for logs or messages (use `Display`, which masks it).
    pub fn expose(&self) -> &str {
        &self.normalised
    }

    /// The number with its middle hidden, as `Display` and `Debug` show it.
    pub fn masked(&self) -> String {
        mask(&self.normalised)
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Shows the kind and the masked number only: the details hold the birth date, and a birth
/// date next to the first and last four characters leaves so few candidates for the hidden
/// ones that the number could be rebuilt.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdNumber")
            .field("kind", &self.kind)
            .field("number", &self.masked())
            .finish_non_exhaustive()
    }
}

/// Hides the middle of a number of any kind, by its length, so the same rule serves numbers that
/// failed their check:
///
/// - 15 characters or more (ID cards, permits, credit codes, 15-digit legacy numbers): the first
///   four and the last four stay (`1101**********002X`); hidden are the county and the birth
///   date, or most of an organisation code.
/// - 9 to 14 characters (passports, Hong Kong and Macao permits): the first two and last two.
/// - 6 to 8 characters (Taiwan permits, short foreign passports): the first one and last two.
/// - shorter: every character is hidden, since showing any would show most of it.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let (head, tail) = match chars.len() {
        15.. => (4, 4),
        9..=14 => (2, 2),
        6..=8 => (1, 2),
        _ => (0, 0),
    };
    mask_keeping(&chars, head, tail)
}

pub(crate) fn mask_keeping(chars: &[char], head: usize, tail: usize) -> String {
    let hidden_end = chars.len().saturating_sub(tail).max(head);
    chars
        .iter()
        .enumerate()
        .map(|(index, &c)| {
            if index < head || index >= hidden_end {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_by_length() {
        assert_eq!(mask("11010119491231002X"), "1101**********002X");
        assert_eq!(mask("110101491231002"), "1101*******1002");
        assert_eq!(mask("EF1260892"), "EF*****92");
        assert_eq!(mask("H1234567801"), "H1*******01");
        assert_eq!(mask("12345678"), "1*****78");
        assert_eq!(mask("AB123"), "*****");
        assert_eq!(mask(""), "");
    }
}
