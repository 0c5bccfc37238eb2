//! An sRGB ICC profile (version 2.1, matrix/TRC display profile), built here rather than copied
//! from elsewhere so that its licence is the project's. Its numbers come from IEC 61966-2-1:
//! the sRGB primaries adapted to the D50 connection space with the Bradford transform (the
//! values ICC's own sRGB profiles carry) and the sRGB transfer curve sampled at 1024 points.
//! PDF/A-2b needs it as the destination profile of the document's output intent.

/// D50, the profile connection space illuminant.
const D50: [f64; 3] = [0.9642, 1.0, 0.8249];
/// sRGB red, green and blue colorants in D50 XYZ.
const RED: [f64; 3] = [0.436_074_7, 0.222_504_5, 0.013_932_2];
const GREEN: [f64; 3] = [0.385_064_9, 0.716_878_6, 0.097_104_5];
const BLUE: [f64; 3] = [0.143_080_4, 0.060_616_9, 0.714_173_3];
const CURVE_POINTS: usize = 1024;

/// The sRGB electro-optical transfer function, 0–1 to 0–1.
fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.040_45 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn s15f16(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz_tag(xyz: [f64; 3]) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in xyz {
        t.extend_from_slice(&s15f16(v));
    }
    t
}

fn text_description(text: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend_from_slice(&(text.len() as u32 + 1).to_be_bytes());
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    // No Unicode description (language code, count) and no ScriptCode description
    // (code, count, 67 bytes of filler).
    t.extend_from_slice(&[0; 8]);
    t.extend_from_slice(&[0; 3]);
    t.extend_from_slice(&[0; 67]);
    t
}

fn text(text: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    t
}

fn curve() -> Vec<u8> {
    let mut t = b"curv\0\0\0\0".to_vec();
    t.extend_from_slice(&(CURVE_POINTS as u32).to_be_bytes());
    for i in 0..CURVE_POINTS {
        let v = srgb_to_linear(i as f64 / (CURVE_POINTS - 1) as f64);
        t.extend_from_slice(&((v * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

/// The profile's bytes.
pub fn srgb_profile() -> Vec<u8> {
    let trc = curve();
    // Tags in signature order; the three curves share one body.
    let bodies: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", text_description("sRGB IEC61966-2.1")),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz_tag(D50)),
        (b"rXYZ", xyz_tag(RED)),
        (b"gXYZ", xyz_tag(GREEN)),
        (b"bXYZ", xyz_tag(BLUE)),
        (b"rTRC", trc),
    ];
    let tag_count = bodies.len() + 2;
    let mut offset = 128 + 4 + 12 * tag_count;
    let mut table = Vec::new();
    let mut data = Vec::new();
    let mut trc_at = (0, 0);
    for (sig, body) in &bodies {
        table.push((**sig, offset, body.len()));
        if *sig == b"rTRC" {
            trc_at = (offset, body.len());
        }
        data.extend_from_slice(body);
        offset += body.len();
        while data.len() % 4 != 0 {
            data.push(0);
            offset += 1;
        }
    }
    table.push((*b"gTRC", trc_at.0, trc_at.1));
    table.push((*b"bTRC", trc_at.0, trc_at.1));
    let size = 128 + 4 + 12 * tag_count + data.len();

    let mut p = Vec::with_capacity(size);
    p.extend_from_slice(&(size as u32).to_be_bytes());
    p.extend_from_slice(&[0; 4]); // preferred CMM: none
    p.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1.0
    p.extend_from_slice(b"mntrRGB XYZ ");
    // Creation date: 2021-08-01 00:00:00, the day the Rules took effect; fixed so that the
    // profile, and hence every output, is reproducible.
    for v in [2021u16, 8, 1, 0, 0, 0] {
        p.extend_from_slice(&v.to_be_bytes());
    }
    p.extend_from_slice(b"acsp");
    p.extend_from_slice(&[0; 4]); // primary platform: none
    p.extend_from_slice(&[0; 4]); // flags
    p.extend_from_slice(&[0; 8]); // manufacturer, model
    p.extend_from_slice(&[0; 8]); // attributes
    p.extend_from_slice(&0u32.to_be_bytes()); // rendering intent: perceptual
    for v in D50 {
        p.extend_from_slice(&s15f16(v));
    }
    p.extend_from_slice(&[0; 4]); // creator
    p.extend_from_slice(&[0; 44]); // profile ID (v4 only) and reserved bytes
    debug_assert_eq!(p.len(), 128);
    p.extend_from_slice(&(tag_count as u32).to_be_bytes());
    for (sig, off, len) in table {
        p.extend_from_slice(&sig);
        p.extend_from_slice(&(off as u32).to_be_bytes());
        p.extend_from_slice(&(len as u32).to_be_bytes());
    }
    p.extend_from_slice(&data);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_a_v2_rgb_display_profile() {
        let p = srgb_profile();
        assert_eq!(
            u32::from_be_bytes(p[0..4].try_into().unwrap_or_default()) as usize,
            p.len()
        );
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(p[8], 2);
    }

    #[test]
    fn every_tag_lies_inside_the_profile_on_a_4_byte_boundary() {
        let p = srgb_profile();
        let count = u32::from_be_bytes(p[128..132].try_into().unwrap_or_default()) as usize;
        assert_eq!(count, 9);
        for i in 0..count {
            let e = &p[132 + 12 * i..144 + 12 * i];
            let off = u32::from_be_bytes(e[4..8].try_into().unwrap_or_default()) as usize;
            let len = u32::from_be_bytes(e[8..12].try_into().unwrap_or_default()) as usize;
            assert_eq!(off % 4, 0);
            assert!(off + len <= p.len());
        }
    }

    #[test]
    fn transfer_curve_is_srgb() {
        assert!((srgb_to_linear(0.5) - 0.214).abs() < 0.001);
        assert!(srgb_to_linear(0.0).abs() < 1e-12);
        assert!((srgb_to_linear(1.0) - 1.0).abs() < 1e-12);
    }
}
