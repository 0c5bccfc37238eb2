//! Province-level codes of GB/T 2260 (the first two digits of an administrative division code),
//! the only part of a region code that is stable: county codes are renumbered every year, so a
//! county list would go stale and refuse real people, while a wrong province is a clear mistake.

use std::fmt;

use serde::Serialize;

/// A province-level region: a province, autonomous region, municipality or special
/// administrative region, or the whole country for a national registration authority.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Region {
    /// The two-digit code, `"11"` for Beijing.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({} {})", self.code, self.name_en)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_en)
    }
}

const fn region(code: &'static str, name_zh: &'static str, name_en: &'static str) -> Region {
    Region {
        code,
        name_zh,
        name_en,
    }
}

/// Every province-level code of GB/T 2260, in code order. 71 (Taiwan), 81 (Hong Kong) and 82
/// (Macao) are listed in the standard although the mainland issues no ordinary identity card
/// there; which kinds accept them is decided by each check, not here.
pub const PROVINCES: [Region; 34] = [
    region("11", "北京市", "Beijing"),
    region("12", "天津市", "Tianjin"),
    region("13", "河北省", "Hebei"),
    region("14", "山西省", "Shanxi"),
    region("15", "内蒙古自治区", "Inner Mongolia"),
    region("21", "辽宁省", "Liaoning"),
    region("22", "吉林省", "Jilin"),
    region("23", "黑龙江省", "Heilongjiang"),
    region("31", "上海市", "Shanghai"),
    region("32", "江苏省", "Jiangsu"),
    region("33", "浙江省", "Zhejiang"),
    region("34", "安徽省", "Anhui"),
    region("35", "福建省", "Fujian"),
    region("36", "江西省", "Jiangxi"),
    region("37", "山东省", "Shandong"),
    region("41", "河南省", "Henan"),
    region("42", "湖北省", "Hubei"),
    region("43", "湖南省", "Hunan"),
    region("44", "广东省", "Guangdong"),
    region("45", "广西壮族自治区", "Guangxi"),
    region("46", "海南省", "Hainan"),
    region("50", "重庆市", "Chongqing"),
    region("51", "四川省", "Sichuan"),
    region("52", "贵州省", "Guizhou"),
    region("53", "云南省", "Yunnan"),
    region("54", "西藏自治区", "Tibet"),
    region("61", "陕西省", "Shaanxi"),
    region("62", "甘肃省", "Gansu"),
    region("63", "青海省", "Qinghai"),
    region("64", "宁夏回族自治区", "Ningxia"),
    region("65", "新疆维吾尔自治区", "Xinjiang"),
    region("71", "台湾省", "Taiwan"),
    HONG_KONG,
    MACAO,
];

pub const HONG_KONG: Region = region("81", "香港特别行政区", "Hong Kong");
pub const MACAO: Region = region("82", "澳门特别行政区", "Macao");

/// The country as a whole: GB 32100 gives national registration authorities the division
/// code 100000.
pub const NATIONAL: Region = region("10", "全国", "national");

/// Taiwan as the issuing region of a residence permit, whose numbers begin 830000: a code that
/// is not in GB/T 2260 and belongs to these permits alone.
pub const TAIWAN_PERMIT: Region = region("83", "台湾地区", "Taiwan");

/// The province-level region whose code is the first two bytes of `digits`.
pub fn province(digits: &[u8]) -> Option<Region> {
    let code = digits.get(..2)?;
    PROVINCES
        .iter()
        .find(|region| region.code.as_bytes() == code)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_provinces_by_code() {
        assert_eq!(province(b"110101").map(|r| r.name_en), Some("Beijing"));
        assert_eq!(
            province(b"650000").map(|r| r.name_zh),
            Some("新疆维吾尔自治区")
        );
        assert_eq!(province(b"82").map(|r| r.name_en), Some("Macao"));
        for missing in [
            &b"10"[..],
            b"16",
            b"20",
            b"47",
            b"55",
            b"66",
            b"72",
            b"83",
            b"99",
            b"1",
        ] {
            assert_eq!(province(missing), None, "{missing:?}");
        }
    }

    #[test]
    fn codes_are_sorted_and_unique() {
        assert!(PROVINCES.windows(2).all(|pair| pair[0].code < pair[1].code));
    }
}
