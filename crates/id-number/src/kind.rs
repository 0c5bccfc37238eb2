use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kinds of number a party registers with. The `snake_case` names are what the court API
/// carries, so they never change once released; add kinds, do not rename them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证, GB 11643-1999.
    ResidentIdCard,
    /// 港澳台居民居住证: an identity-card-shaped number beginning 810000, 820000 or 830000.
    ResidencePermit,
    /// 统一社会信用代码, GB 32100-2015: the number of a company or other organisation.
    UnifiedSocialCreditCode,
    /// A passport of the People's Republic of China, including the Hong Kong and Macao SAR ones.
    Passport,
    /// Any other country's passport, checked only for a plausible shape: no single format
    /// exists, and a court must not turn a foreign party away on a guess.
    ForeignPassport,
    /// 港澳居民来往内地通行证 (the "home return permit").
    HkMacaoTravelPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanTravelPermit,
}

impl IdKind {
    pub const ALL: [Self; 7] = [
        Self::ResidentIdCard,
        Self::ResidencePermit,
        Self::UnifiedSocialCreditCode,
        Self::Passport,
        Self::ForeignPassport,
        Self::HkMacaoTravelPermit,
        Self::TaiwanTravelPermit,
    ];

    /// The name on the wire (and on the command line).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ResidentIdCard => "resident_id_card",
            Self::ResidencePermit => "residence_permit",
            Self::UnifiedSocialCreditCode => "unified_social_credit_code",
            Self::Passport => "passport",
            Self::ForeignPassport => "foreign_passport",
            Self::HkMacaoTravelPermit => "hk_macao_travel_permit",
            Self::TaiwanTravelPermit => "taiwan_travel_permit",
        }
    }

    /// The document's name as Chinese forms print it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ResidentIdCard => "居民身份证",
            Self::ResidencePermit => "港澳台居民居住证",
            Self::UnifiedSocialCreditCode => "统一社会信用代码",
            Self::Passport => "中华人民共和国护照",
            Self::ForeignPassport => "外国护照",
            Self::HkMacaoTravelPermit => "港澳居民来往内地通行证",
            Self::TaiwanTravelPermit => "台湾居民来往大陆通行证",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ResidentIdCard => "resident ID card",
            Self::ResidencePermit => "residence permit for Hong Kong, Macao and Taiwan residents",
            Self::UnifiedSocialCreditCode => "unified social credit code",
            Self::Passport => "Chinese passport",
            Self::ForeignPassport => "foreign passport",
            Self::HkMacaoTravelPermit => "mainland travel permit for Hong Kong and Macao residents",
            Self::TaiwanTravelPermit => "mainland travel permit for Taiwan residents",
        })
    }
}

/// The wire name is not one of [`IdKind::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownIdKind;

impl fmt::Display for UnknownIdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a kind of number; expected one of ")?;
        let names: Vec<&str> = IdKind::ALL.iter().map(|kind| kind.as_str()).collect();
        f.write_str(&names.join(", "))
    }
}

impl std::error::Error for UnknownIdKind {}

impl FromStr for IdKind {
    type Err = UnknownIdKind;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let name = name.trim().replace('-', "_").to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or(UnknownIdKind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_serde_names_and_parse_back() {
        for kind in IdKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<IdKind>(&json).unwrap(), kind);
            assert_eq!(kind.as_str().parse::<IdKind>(), Ok(kind));
        }
        assert_eq!("Resident-ID-Card".parse(), Ok(IdKind::ResidentIdCard));
        assert_eq!("id".parse::<IdKind>(), Err(UnknownIdKind));
    }
}
