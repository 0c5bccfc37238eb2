//! Input formats beyond the corpus's JPEG and PNG: multi-page TIFF, WebP, EXIF orientation
//! (HEIC in `heic.rs`).

use std::path::Path;

use image::{DynamicImage, ImageEncoder, RgbImage};

use crate::support::{assert_valid_bundle, convert_to, corpus};

/// A corpus page, shrunk so that the synthetic files stay small.
pub fn sample_page(name: &str, width: u32) -> RgbImage {
    let img = image::open(corpus().join(name)).expect("corpus image decodes");
    img.resize(width, width * 2, image::imageops::FilterType::Triangle)
        .to_rgb8()
}

#[test]
fn every_page_of_a_multi_page_tiff_is_converted_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("three.tif");
    let pages = [
        sample_page("scan_linn_300dpi_2col.png", 600),
        sample_page("zh_scan_academic_paper_page_2col.jpg", 500),
        sample_page("zh_scan_vat_invoice_testsample_redseal.jpg", 700),
    ];
    {
        let file = std::fs::File::create(&path).expect("create tiff");
        let mut tiff = tiff::encoder::TiffEncoder::new(file).expect("tiff encoder");
        for page in &pages {
            tiff.write_image::<tiff::encoder::colortype::RGB8>(
                page.width(),
                page.height(),
                page.as_raw(),
            )
            .expect("write page");
        }
    }
    let out = dir.path().join("three.pdf");
    let report = convert_to(&[path], &out).expect("converts");
    assert_valid_bundle(&out, 3);
    let widths: Vec<u32> = report.pages.iter().map(|p| p.source_width).collect();
    assert_eq!(
        widths,
        pages.iter().map(RgbImage::width).collect::<Vec<_>>()
    );
    let in_file: Vec<usize> = report.pages.iter().map(|p| p.page_in_file).collect();
    assert_eq!(in_file, [1, 2, 3]);
    assert_eq!(
        report.pages[2].decision.mode,
        litigant_paper::PageMode::Colour
    );
}

#[test]
fn webp_input_is_converted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("page.webp");
    let page = sample_page("zh_scan_customs_declaration_form_redacted.jpg", 800);
    let file = std::fs::File::create(&path).expect("create");
    image::codecs::webp::WebPEncoder::new_lossless(file)
        .write_image(
            page.as_raw(),
            page.width(),
            page.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode webp");
    let out = dir.path().join("page.pdf");
    let report = convert_to(&[path], &out).expect("converts");
    assert_valid_bundle(&out, 1);
    assert_eq!(report.pages[0].source_width, page.width());
}

/// A JPEG whose EXIF says "rotate 90° clockwise to view" is turned upright before anything
/// else: the landscape-stored pixels become a portrait page.
#[test]
fn exif_orientation_is_applied() {
    let dir = tempfile::tempdir().expect("temp dir");
    let upright = sample_page("scan_linn_300dpi_2col.png", 600);
    // Store the page turned 90° counter-clockwise, as a phone held sideways does.
    let stored = DynamicImage::ImageRgb8(upright.clone())
        .rotate270()
        .to_rgb8();
    let path = dir.path().join("sideways.jpg");
    write_jpeg_with_orientation(&stored, 6, &path);
    let out = dir.path().join("sideways.pdf");
    let report = convert_to(&[path], &out).expect("converts");
    let page = &report.pages[0];
    assert_eq!(
        (page.source_width, page.source_height),
        (upright.width(), upright.height())
    );
}

/// Encodes `img` as JPEG and inserts an APP1 EXIF segment with the given orientation.
pub fn write_jpeg_with_orientation(img: &RgbImage, orientation: u16, path: &Path) {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode jpeg");
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(
        &u16::try_from(2 + 6 + tiff.len())
            .expect("short segment")
            .to_be_bytes(),
    );
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    std::fs::write(path, out).expect("write jpeg");
}
