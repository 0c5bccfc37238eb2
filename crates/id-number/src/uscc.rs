//! GB 32100-2015 unified social credit codes (统一社会信用代码):
//!
//! | positions | content |
//! | --- | --- |
//! | 1 | registration authority |
//! | 2 | entity type, from the list of that authority |
//! | 3–8 | administrative division of the registration authority (GB/T 2260, or 100000 for a national one); we check its province (3–4) |
//! | 9–17 | organisation code (GB 11714) |
//! | 18 | check character, ISO 7064-style MOD 31 |
//!
//! All 18 come from a 31-character alphabet without I, O, S, V and Z (positions 3–8 digits only).
//!
//! The table of authorities and their entity types is the one published with the code system
//! (the standard itself gives only 1, 5 and 9 as examples); it is reproduced alike by many
//! independent sources, for example the npm package `uscc-utils` and the article "统一社会信用代码
//! 解析登记管理部门和机构类别" (osuse.cn/post/10002590.html), and agrees with GB 32100's examples.
//! A code outside it is refused: a court must not register a party under a code no authority
//! can have issued.
//!
//! The organisation code's own GB 11714 check character (position 17) is not enforced, and
//! python-stdnum does not enforce it either: the code's own check character at position 18
//! already catches any single mistyped character or swap, so a second, older check could only
//! add a way to refuse a code that its authority did issue.

use crate::error::{Expected, IdNumberError};
use crate::kind::IdKind;
use crate::number::{Authority, Details, EntityType, IdNumber};
use crate::region::{self, Region};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of positions 1–17: 3^(position − 1) mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

struct AuthorityEntry {
    authority: Authority,
    entity_types: &'static [EntityType],
    /// The codes of `entity_types`, as a person reads them in a message.
    allowed: &'static str,
}

const fn authority(code: char, name_zh: &'static str, name_en: &'static str) -> Authority {
    Authority {
        code,
        name_zh,
        name_en,
    }
}

const fn entity(code: char, name_zh: &'static str, name_en: &'static str) -> EntityType {
    EntityType {
        code,
        name_zh,
        name_en,
    }
}

const OTHER: EntityType = entity('9', "其他", "other");

const AUTHORITIES: [AuthorityEntry; 12] = [
    AuthorityEntry {
        authority: authority('1', "机构编制", "public sector establishment"),
        entity_types: &[
            entity('1', "机关", "government body"),
            entity('2', "事业单位", "public institution"),
            entity(
                '3',
                "中央编办直接管理机构编制的群众团体",
                "mass organisation under the central establishment office",
            ),
            OTHER,
        ],
        allowed: "1, 2, 3 and 9",
    },
    AuthorityEntry {
        authority: authority('2', "外交", "foreign affairs"),
        entity_types: &[
            entity(
                '1',
                "外国常驻新闻机构",
                "resident office of a foreign news agency",
            ),
            OTHER,
        ],
        allowed: "1 and 9",
    },
    AuthorityEntry {
        authority: authority('3', "司法行政", "justice administration"),
        entity_types: &[
            entity('1', "律师执业机构", "law firm"),
            entity('2', "公证处", "notary office"),
            entity('3', "基层法律服务所", "grassroots legal service office"),
            entity('4', "司法鉴定机构", "forensic appraisal institution"),
            entity('5', "仲裁委员会", "arbitration commission"),
            OTHER,
        ],
        allowed: "1, 2, 3, 4, 5 and 9",
    },
    AuthorityEntry {
        authority: authority('4', "文化", "culture"),
        entity_types: &[
            entity('1', "外国在华文化中心", "foreign cultural centre in China"),
            OTHER,
        ],
        allowed: "1 and 9",
    },
    AuthorityEntry {
        authority: authority('5', "民政", "civil affairs"),
        entity_types: &[
            entity('1', "社会团体", "social organisation"),
            entity('2', "民办非企业单位", "private non-enterprise unit"),
            entity('3', "基金会", "foundation"),
            OTHER,
        ],
        allowed: "1, 2, 3 and 9",
    },
    AuthorityEntry {
        authority: authority('6', "旅游", "tourism"),
        entity_types: &[
            entity(
                '1',
                "外国旅游部门常驻代表机构",
                "resident office of a foreign tourism authority",
            ),
            entity(
                '2',
                "港澳台地区旅游部门常驻内地（大陆）代表机构",
                "resident office of a Hong Kong, Macao or Taiwan tourism authority",
            ),
            OTHER,
        ],
        allowed: "1, 2 and 9",
    },
    AuthorityEntry {
        authority: authority('7', "宗教", "religious affairs"),
        entity_types: &[
            entity('1', "宗教活动场所", "place of religious activity"),
            entity('2', "宗教院校", "religious school"),
            OTHER,
        ],
        allowed: "1, 2 and 9",
    },
    AuthorityEntry {
        authority: authority('8', "工会", "trade unions"),
        entity_types: &[entity('1', "基层工会", "grassroots trade union"), OTHER],
        allowed: "1 and 9",
    },
    AuthorityEntry {
        authority: authority('9', "工商", "industry and commerce"),
        entity_types: &[
            entity('1', "企业", "enterprise"),
            entity('2', "个体工商户", "individual business"),
            entity('3', "农民专业合作社", "farmers' cooperative"),
        ],
        allowed: "1, 2 and 3",
    },
    AuthorityEntry {
        authority: authority(
            'A',
            "中央军委改革和编制办公室",
            "Central Military Commission reform and establishment office",
        ),
        entity_types: &[
            entity('1', "军队事业单位", "military public institution"),
            OTHER,
        ],
        allowed: "1 and 9",
    },
    AuthorityEntry {
        authority: authority('N', "农业", "agriculture"),
        entity_types: &[
            entity(
                '1',
                "组级集体经济组织",
                "group-level collective economic organisation",
            ),
            entity(
                '2',
                "村级集体经济组织",
                "village-level collective economic organisation",
            ),
            entity(
                '3',
                "乡镇级集体经济组织",
                "township-level collective economic organisation",
            ),
            OTHER,
        ],
        allowed: "1, 2, 3 and 9",
    },
    AuthorityEntry {
        authority: authority('Y', "其他", "other"),
        entity_types: &[entity('1', "其他", "other")],
        allowed: "1",
    },
];

/// The check character of a code from its first 17 characters, or `None` unless `first_17` is
/// 17 characters of the code alphabet. The court simulator uses it to make test parties.
pub fn uscc_check_character(first_17: &str) -> Option<char> {
    let values: Option<Vec<u32>> = first_17.bytes().map(value_of).collect();
    let values = values.filter(|values| values.len() == 17)?;
    Some(check_character(&values))
}

/// Every authority and entity type pair of the table, in table order: what a form offers, and
/// what the court simulator draws test parties from.
pub fn uscc_entity_types() -> impl Iterator<Item = (Authority, EntityType)> {
    AUTHORITIES.iter().flat_map(|entry| {
        entry
            .entity_types
            .iter()
            .map(|&entity_type| (entry.authority, entity_type))
    })
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|index| u32::try_from(index).ok())
}

fn check_character(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let index = (31 - sum % 31) % 31;
    // Below 31, so inside the alphabet.
    char::from(ALPHABET[index as usize])
}

pub(crate) fn check(number: String) -> Result<IdNumber, IdNumberError> {
    let kind = IdKind::UnifiedSocialCreditCode;
    let chars: Vec<char> = number.chars().collect();
    if chars.len() != 18 {
        return Err(IdNumberError::WrongLength {
            kind,
            expected: "18".to_owned(),
            found: chars.len(),
        });
    }
    let mut values = Vec::with_capacity(18);
    for (index, &c) in chars.iter().enumerate() {
        let value = u8::try_from(c).ok().and_then(value_of);
        let (value, expected) = if (2..8).contains(&index) {
            (value.filter(|&v| v < 10), Expected::Digit)
        } else {
            (value, Expected::CodeCharacter)
        };
        let Some(value) = value else {
            return Err(IdNumberError::UnexpectedCharacter {
                kind,
                position: index + 1,
                found: c,
                expected,
            });
        };
        values.push(value);
    }
    let entry = AUTHORITIES
        .iter()
        .find(|entry| entry.authority.code == chars[0])
        .ok_or(IdNumberError::UnknownAuthority { found: chars[0] })?;
    let entity_type = entry
        .entity_types
        .iter()
        .find(|entity_type| entity_type.code == chars[1])
        .copied()
        .ok_or(IdNumberError::EntityTypeNotAllowed {
            authority: entry.authority,
            found: chars[1],
            allowed: entry.allowed,
        })?;
    let region = registration_region(&number.as_bytes()[2..8])?;
    let expected = check_character(&values[..17]);
    if chars[17] != expected {
        return Err(IdNumberError::CheckCharacterMismatch {
            kind,
            position: 18,
            expected,
            found: chars[17],
        });
    }
    Ok(IdNumber::new(
        kind,
        number,
        Details::Organisation {
            authority: entry.authority,
            entity_type,
            region,
        },
    ))
}

fn registration_region(division: &[u8]) -> Result<Region, IdNumberError> {
    if &division[..2] == b"10" {
        return Ok(region::NATIONAL);
    }
    region::province(division).ok_or_else(|| IdNumberError::UnknownRegion {
        kind: IdKind::UnifiedSocialCreditCode,
        position: 3,
        code: String::from_utf8_lossy(&division[..2]).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_check(first_17: &str) -> String {
        format!("{first_17}{}", uscc_check_character(first_17).unwrap())
    }

    #[test]
    fn computes_the_mod_31_check_character() {
        // python-stdnum's documented example, and another widely published one.
        assert_eq!(uscc_check_character("91110000600037341"), Some('L'));
        assert_eq!(uscc_check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(uscc_check_character("9111000060003734"), None);
        assert_eq!(uscc_check_character("9111000060003734I"), None);
    }

    #[test]
    fn reads_authority_entity_type_and_region() {
        let code = check("91350100M000100Y43".to_owned()).unwrap();
        let Details::Organisation {
            authority,
            entity_type,
            region,
        } = code.details()
        else {
            panic!("{:?}", code.details());
        };
        assert_eq!((authority.code, authority.name_zh), ('9', "工商"));
        assert_eq!((entity_type.code, entity_type.name_en), ('1', "enterprise"));
        assert_eq!(region.name_en, "Fujian");
        let national = check(with_check("Y1100000MA0000001")).unwrap();
        assert!(matches!(
            national.details(),
            Details::Organisation { region, .. } if region.name_en == "national"
        ));
    }

    #[test]
    fn refuses_characters_outside_the_alphabet() {
        assert_eq!(
            check("91110000600037341I".to_owned()),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::UnifiedSocialCreditCode,
                position: 18,
                found: 'I',
                expected: Expected::CodeCharacter,
            })
        );
        assert_eq!(
            check("9111A000600037341L".to_owned()),
            Err(IdNumberError::UnexpectedCharacter {
                kind: IdKind::UnifiedSocialCreditCode,
                position: 5,
                found: 'A',
                expected: Expected::Digit,
            })
        );
    }

    #[test]
    fn checks_authority_entity_type_and_region() {
        assert_eq!(
            check(with_check("B1110000600037341")),
            Err(IdNumberError::UnknownAuthority { found: 'B' })
        );
        let error = check(with_check("94110000600037341")).unwrap_err();
        assert_eq!(error.code(), "id_number.entity_type_not_allowed");
        assert_eq!(
            error.to_string(),
            "Position 2 is “4”, but the industry and commerce authority (code 9) registers only \
             entity types 1, 2 and 3"
        );
        assert!(matches!(
            check(with_check("Y2110000600037341")),
            Err(IdNumberError::EntityTypeNotAllowed { found: '2', .. })
        ));
        assert_eq!(
            check(with_check("91990000600037341")),
            Err(IdNumberError::UnknownRegion {
                kind: IdKind::UnifiedSocialCreditCode,
                position: 3,
                code: "99".to_owned(),
            })
        );
        for first_17 in [
            "12100000400000001",
            "31110000MD0000001",
            "N2330100MF0000001",
        ] {
            assert!(check(with_check(first_17)).is_ok(), "{first_17}");
        }
    }

    #[test]
    fn lists_the_table_in_order() {
        let pairs: Vec<String> = uscc_entity_types()
            .map(|(authority, entity_type)| format!("{}{}", authority.code, entity_type.code))
            .collect();
        assert_eq!(pairs.len(), 36);
        assert_eq!(pairs.first().map(String::as_str), Some("11"));
        assert_eq!(pairs.last().map(String::as_str), Some("Y1"));
        for entry in &AUTHORITIES {
            let codes: Vec<String> = entry
                .entity_types
                .iter()
                .map(|entity_type| entity_type.code.to_string())
                .collect();
            let listed = match codes.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            assert_eq!(entry.allowed, listed, "authority {}", entry.authority.code);
        }
    }

    #[test]
    fn catches_a_wrong_check_character() {
        assert_eq!(
            check("91110000600037341M".to_owned()),
            Err(IdNumberError::CheckCharacterMismatch {
                kind: IdKind::UnifiedSocialCreditCode,
                position: 18,
                expected: 'L',
                found: 'M',
            })
        );
    }
}
