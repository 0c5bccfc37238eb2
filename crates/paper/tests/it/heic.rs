//! HEIC photos, as phones save them: decoded by libheif's `heif-convert`, colour kept, damaged
//! files refused by name, and an iPhone-style rotation (`irot`, with the same turn also in
//! Exif) applied once.

use std::path::Path;

use image::DynamicImage;

use crate::formats::{sample_page, write_jpeg_with_orientation};
use crate::support::{assert_valid_bundle, convert_to, corpus};

/// Encodes `source` (JPEG or PNG) as HEIC with libheif's `heif-enc`, as a phone saves photos.
fn heic_of(source: &Path, out: &Path) {
    let status = std::process::Command::new("heif-enc")
        .args(["-q", "80", "-o"])
        .arg(out)
        .arg(source)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run heif-enc ({e}); install libheif-examples (scripts/lib/setup.sh)")
        });
    assert!(
        status.status.success(),
        "heif-enc: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// An HEIC photo of a VAT invoice: decoded by libheif, the red seal stays colour.
#[test]
fn heic_photos_are_converted_and_keep_their_colour() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = corpus().join("zh_scan_vat_invoice_testsample_redseal.jpg");
    let heic = dir.path().join("invoice.heic");
    heic_of(&source, &heic);
    let out = dir.path().join("invoice.pdf");
    let report = convert_to(std::slice::from_ref(&heic), &out).expect("converts");
    assert_valid_bundle(&out, 1);
    let original = image::open(&source).expect("corpus decodes");
    let page = &report.pages[0];
    assert_eq!(
        (page.source_width, page.source_height),
        (original.width(), original.height())
    );
    // A photo records no scanning resolution, and the decoder's JPEG density is not one: the
    // page is placed as the same pixels without a recorded resolution (a PNG) are.
    let png = dir.path().join("invoice.png");
    original.save(&png).expect("png written");
    let plain = convert_to(&[png], &dir.path().join("plain.pdf")).expect("converts");
    assert!(
        (page.source_dpi - plain.pages[0].source_dpi).abs() < 0.5,
        "{} dpi, not {}",
        page.source_dpi,
        plain.pages[0].source_dpi
    );
    let rendered = crate::support::render(&out, 1, 100, true);
    assert!(rendered.ink_share() > 0.01, "the page came out blank");
    assert!(rendered.red_pixels(0) > 50, "the red seal lost its colour");
}

/// A cut-off HEIC file gets the damaged-file error naming it, and nothing is written.
#[test]
fn a_truncated_heic_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let heic = dir.path().join("whole.heic");
    heic_of(&corpus().join("scan_linn_300dpi_2col.png"), &heic);
    let bytes = std::fs::read(&heic).expect("read");
    let cut = dir.path().join("cut.heic");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let out = dir.path().join("cut.pdf");
    let error = convert_to(std::slice::from_ref(&cut), &out).expect_err("refused");
    assert_eq!(error.code(), "paper.corrupt_input", "{error}");
    assert!(error.to_string().contains("cut.heic"), "{error}");
    assert!(!out.exists(), "nothing is written for a refused input");
}

/// The boxes directly inside `bytes[from..to]`: (start, size, type).
fn boxes(bytes: &[u8], from: usize, to: usize) -> Vec<(usize, usize, [u8; 4])> {
    let mut found = Vec::new();
    let mut at = from;
    while at + 8 <= to {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
        assert!(size >= 8 && at + size <= to, "a box runs past its parent");
        found.push((at, size, bytes[at + 4..at + 8].try_into().expect("4 bytes")));
        at += size;
    }
    found
}

fn find(list: &[(usize, usize, [u8; 4])], name: [u8; 4]) -> (usize, usize) {
    let &(at, size, _) = list
        .iter()
        .find(|(_, _, t)| *t == name)
        .unwrap_or_else(|| panic!("no {} box", String::from_utf8_lossy(&name)));
    (at, size)
}

fn add_to_u32(bytes: &mut [u8], at: usize, by: usize) {
    let old = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let new = old + u32::try_from(by).expect("small");
    bytes[at..at + 4].copy_from_slice(&new.to_be_bytes());
}

fn add_to_uint(bytes: &mut [u8], at: usize, width: usize, by: usize) {
    let mut value = 0u64;
    for &b in &bytes[at..at + width] {
        value = value << 8 | u64::from(b);
    }
    let value = (value + by as u64).to_be_bytes();
    bytes[at..at + width].copy_from_slice(&value[8 - width..]);
}

/// Gives the primary image of an HEIF file written by heif-enc an essential `irot` property
/// (ISO/IEC 23008-12 6.5.10: `angle` × 90° anti-clockwise), as an iPhone writes for a photo
/// taken upright: the property goes at the end of `ipco`, its index into the primary item's
/// `ipma` entry, and every box around them and every `iloc` file offset after them grows.
/// Only what heif-enc writes is handled (`ipma` version 0 with 7-bit indices).
fn with_rotation(heif: &[u8], angle: u8) -> Vec<u8> {
    let mut d = heif.to_vec();
    let top = boxes(&d, 0, d.len());
    let (meta, meta_size) = find(&top, *b"meta");
    let inner = boxes(&d, meta + 12, meta + meta_size);
    let (iprp, iprp_size) = find(&inner, *b"iprp");
    let (pitm, _) = find(&inner, *b"pitm");
    let (iloc, _) = find(&inner, *b"iloc");
    let props = boxes(&d, iprp + 8, iprp + iprp_size);
    let (ipco, ipco_size) = find(&props, *b"ipco");
    let (ipma, _) = find(&props, *b"ipma");
    assert!(ipma > ipco && iloc < iprp, "laid out as heif-enc writes");
    assert_eq!(
        &d[ipma + 8..ipma + 12],
        &[0, 0, 0, 0],
        "ipma version 0, small indices"
    );
    let index = u8::try_from(boxes(&d, ipco + 8, ipco + ipco_size).len() + 1).expect("few");
    let primary = u16::from_be_bytes([d[pitm + 12], d[pitm + 13]]);

    // The association first (it lies after ipco, so ipco's growth does not move it yet).
    let count = u32::from_be_bytes(d[ipma + 12..ipma + 16].try_into().expect("4 bytes"));
    let mut at = ipma + 16;
    let mut slot = None;
    for _ in 0..count {
        let item = u16::from_be_bytes([d[at], d[at + 1]]);
        let n = usize::from(d[at + 2]);
        if item == primary {
            d[at + 2] += 1;
            slot = Some(at + 3 + n);
        }
        at += 3 + n;
    }
    d.insert(slot.expect("the primary item has properties"), 0x80 | index);
    add_to_u32(&mut d, ipma, 1);
    let irot = [0, 0, 0, 9, b'i', b'r', b'o', b't', angle & 3];
    d.splice(ipco + ipco_size..ipco + ipco_size, irot);
    add_to_u32(&mut d, ipco, irot.len());
    let grown = irot.len() + 1;
    add_to_u32(&mut d, iprp, grown);
    add_to_u32(&mut d, meta, grown);

    // iloc (before iprp, so unmoved): absolute offsets into mdat, which moved by `grown`.
    let version = d[iloc + 8];
    let sizes = d[iloc + 12];
    let (offset_size, length_size) = (usize::from(sizes >> 4), usize::from(sizes & 15));
    let base_size = usize::from(d[iloc + 13] >> 4);
    let index_size = if version > 0 {
        usize::from(d[iloc + 13] & 15)
    } else {
        0
    };
    assert!(version < 2, "heif-enc writes iloc version 0 or 1");
    let items = u16::from_be_bytes([d[iloc + 14], d[iloc + 15]]);
    let mut at = iloc + 16;
    for _ in 0..items {
        at += 2 + if version == 1 { 2 } else { 0 } + 2; // item, construction method, data ref
        if base_size > 0 {
            add_to_uint(&mut d, at, base_size, grown);
        }
        at += base_size;
        let extents = u16::from_be_bytes([d[at], d[at + 1]]);
        at += 2;
        for _ in 0..extents {
            at += index_size;
            if base_size == 0 && offset_size > 0 {
                add_to_uint(&mut d, at, offset_size, grown);
            }
            at += offset_size + length_size;
        }
    }
    d
}

/// An iPhone stores a photo taken upright as the sensor saw it (sideways) with `irot` saying
/// how to turn it, and the same turn in its Exif orientation. libheif turns it by `irot` and
/// (1.15) keeps the Exif tag in the JPEG it writes: the page must come out upright, turned
/// once, not twice.
#[test]
fn an_iphone_style_rotated_heic_is_turned_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let upright = sample_page("scan_linn_300dpi_2col.png", 600);
    let stored = DynamicImage::ImageRgb8(upright.clone())
        .rotate270()
        .to_rgb8();
    let sideways = dir.path().join("sideways.jpg");
    write_jpeg_with_orientation(&stored, 6, &sideways);
    let plain = dir.path().join("plain.heic");
    heic_of(&sideways, &plain);
    let turned = dir.path().join("IMG_0001.heic");
    std::fs::write(
        &turned,
        with_rotation(&std::fs::read(&plain).expect("read"), 3),
    )
    .expect("write");
    let out = dir.path().join("photo.pdf");
    let report = convert_to(std::slice::from_ref(&turned), &out).expect("converts");
    assert_valid_bundle(&out, 1);
    let page = &report.pages[0];
    assert_eq!(
        (page.source_width, page.source_height),
        (upright.width(), upright.height()),
        "turned once, upright"
    );
}
