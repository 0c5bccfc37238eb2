//! Checks on personal numbers and photos that the platform makes server-side, and masking for
//! anything that leaves the database (answers, logs).

use litigant_court_api::identity::IdType;
use litigant_court_api::{FieldProblem, Problem, ProblemCode};

use litigant_id_number::IdKind;

use crate::error::SimError;

/// Checks an identity number against its standard (`litigant-id-number`, the same check the
/// client makes) and returns its normal form; a problem names the field and what is wrong,
/// never echoing the number.
pub fn check_id_number(id_type: IdType, number: &str, pointer: &str) -> Result<String, SimError> {
    let kind = match id_type {
        IdType::ResidentIdCard => IdKind::ResidentIdCard,
        IdType::ResidencePermit => IdKind::ResidencePermit,
        IdType::Passport => IdKind::Passport,
        IdType::ForeignPassport => IdKind::ForeignPassport,
        IdType::HkMacaoTravelPermit => IdKind::HkMacaoTravelPermit,
        IdType::TaiwanTravelPermit => IdKind::TaiwanTravelPermit,
        IdType::UnifiedSocialCreditCode => IdKind::UnifiedSocialCreditCode,
    };
    litigant_id_number::check(kind, number)
        .map(|checked| checked.expose().to_owned())
        .map_err(|error| {
            Problem::new(
                ProblemCode::InvalidIdNumber,
                format!("The {kind} number is not valid: {error}"),
            )
            .with_errors(vec![FieldProblem {
                pointer: pointer.to_owned(),
                message: error.to_string(),
            }])
            .into()
        })
}

/// A mainland mobile number in its 11-digit form, or what is wrong with it.
pub fn check_mobile(mobile: &str) -> Result<String, String> {
    litigant_id_number::check_mobile(mobile)
        .map(|checked| checked.expose().to_owned())
        .map_err(|error| error.to_string())
}

/// The masked form of a stored number (identity or mobile) for answers and logs.
pub fn mask_middle(value: &str) -> String {
    litigant_id_number::check_mobile(value)
        .map_or_else(|_| litigant_id_number::mask(value), |m| m.masked())
}

/// The pixel size of a PNG or baseline/progressive JPEG, read from its header; `None` when the
/// bytes are neither or the header is broken.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // The IHDR chunk must come first: length (4), "IHDR", width (4), height (4).
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return (width > 0 && height > 0).then_some((width, height));
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut at = 2;
        while at + 4 <= bytes.len() {
            if bytes[at] != 0xFF {
                return None;
            }
            let marker = bytes[at + 1];
            if marker == 0xFF {
                at += 1;
                continue;
            }
            let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
            // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                let height = u16::from_be_bytes([*bytes.get(at + 5)?, *bytes.get(at + 6)?]);
                let width = u16::from_be_bytes([*bytes.get(at + 7)?, *bytes.get(at + 8)?]);
                return (width > 0 && height > 0).then_some((u32::from(width), u32::from(height)));
            }
            if length < 2 {
                return None;
            }
            at += 2 + length;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask_middle("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_middle("13800138000"), "138****8000");
    }

    #[test]
    fn wrong_check_characters_become_problems_without_the_number() {
        let Err(SimError::Problem(problem)) =
            check_id_number(IdType::ResidentIdCard, "110105194912310021", "/idNumber")
        else {
            panic!("a wrong check character was accepted");
        };
        assert_eq!(problem.code, ProblemCode::InvalidIdNumber);
        assert_eq!(problem.errors[0].pointer, "/idNumber");
        assert!(!problem.to_string().contains("110105194912310021"));
        assert_eq!(
            check_id_number(IdType::ResidentIdCard, " 11010519491231002x ", "")
                .ok()
                .as_deref(),
            Some("11010519491231002X")
        );
    }

    #[test]
    fn reads_png_and_jpeg_sizes_and_refuses_garbage() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((640, 480)));
        // SOI, an APP0 segment of length 4, then SOF0 with height 300 and width 400.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0x2C, 0x01, 0x90,
        ];
        assert_eq!(image_size(&jpeg), Some((400, 300)));
        assert_eq!(image_size(b"GIF89a"), None);
        assert_eq!(image_size(&jpeg[..10]), None);
        assert_eq!(image_size(&png[..18]), None);
    }
}
