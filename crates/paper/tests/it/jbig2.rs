//! Lossless JBIG2 for bilevel pages, checked by decoders that are not ours: jbig2dec (the
//! embedded stream alone) and poppler (the image in the PDF, and the rendered page), against
//! the same page stored as CCITT G4, which poppler decodes to the raster the coders were given.
//! Text pages come out symbol coded (dictionary, refined text region), a page of handwriting
//! as one generic region; both must be the G4 page's pixels exactly.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use litigant_paper::{BilevelCoding, ConvertOptions, ImageCoding, PageReport, convert};

use crate::support::{assert_valid_bundle, corpus, run};

fn convert_with(input: &Path, out: &Path, coding: BilevelCoding) -> PageReport {
    let options = ConvertOptions {
        created: Some(std::time::UNIX_EPOCH),
        bilevel_coding: coding,
        ..ConvertOptions::default()
    };
    let report = convert(
        &[input.to_path_buf()],
        out,
        &options,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("converts");
    assert_valid_bundle(out, 1);
    report.pages.into_iter().next().expect("one page")
}

/// The raw (still coded) stream of the page's only image.
fn image_stream(pdf: &Path) -> Vec<u8> {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the bundle");
    let mut images = doc.objects.values().filter_map(|o| match o {
        lopdf::Object::Stream(s)
            if s.dict.get(b"Subtype").ok() == Some(&lopdf::Object::Name(b"Image".to_vec())) =>
        {
            Some(s)
        }
        _ => None,
    });
    let image = images.next().expect("an image");
    assert!(images.next().is_none(), "one image a page");
    image.content.clone()
}

/// The page image as poppler's pdfimages decodes it, as PBM bytes.
fn poppler_image(pdf: &Path, dir: &Path, name: &str) -> Vec<u8> {
    let prefix = dir.join(name);
    run(
        "pdfimages",
        &[
            pdf.to_str().expect("utf-8"),
            prefix.to_str().expect("utf-8"),
        ],
    );
    let file = PathBuf::from(format!("{}-000.pbm", prefix.display()));
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The embedded JBIG2 stream decoded by jbig2dec, as PBM bytes.
fn jbig2dec_image(stream: &[u8], dir: &Path) -> Vec<u8> {
    let input = dir.join("page.jb2");
    let output = dir.join("page-jbig2dec.pbm");
    std::fs::write(&input, stream).expect("write stream");
    let args = [
        "-e",
        "-t",
        "pbm",
        "-o",
        output.to_str().expect("utf-8"),
        input.to_str().expect("utf-8"),
    ];
    let status = std::process::Command::new("jbig2dec")
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run jbig2dec ({e}); install jbig2dec"));
    assert!(status.success(), "jbig2dec rejected the stream");
    std::fs::read(&output).expect("jbig2dec wrote the page")
}

/// A PBM's pixels with each row's padding bits cleared: pdfimages pads G4 rows with 1 bits and
/// JBIG2 rows with 0 bits, which only matters where the width is not a multiple of 8.
fn pixels(pbm: &[u8], width: u32, height: u32) -> Vec<u8> {
    let stride = (width as usize).div_ceil(8);
    let data = &pbm[pbm.len() - stride * height as usize..];
    let mask = if width.is_multiple_of(8) {
        0xFF
    } else {
        0xFFu8 << (8 - width % 8)
    };
    let mut out = data.to_vec();
    for row in out.chunks_mut(stride) {
        row[stride - 1] &= mask;
    }
    out
}

fn check_page(name: &str, coding: ImageCoding) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = corpus().join(name);
    let (jbig2_pdf, g4_pdf) = (dir.path().join("jbig2.pdf"), dir.path().join("g4.pdf"));
    let jbig2 = convert_with(&input, &jbig2_pdf, BilevelCoding::Smallest);
    let g4 = convert_with(&input, &g4_pdf, BilevelCoding::CcittG4);
    assert_eq!(jbig2.coding, coding, "{name}");
    assert_eq!(g4.coding, ImageCoding::CcittG4, "{name}");
    assert!(
        jbig2.bytes < g4.bytes,
        "{name}: {} ≥ {}",
        jbig2.bytes,
        g4.bytes
    );

    // Pixel for pixel: the G4 page (what the encoders were given) = poppler's JBIG2 decode
    // = jbig2dec's decode of the embedded stream alone.
    let truth = poppler_image(&g4_pdf, dir.path(), "g4");
    let expected_header = format!("P4\n{} {}\n", jbig2.width, jbig2.height);
    assert!(truth.starts_with(expected_header.as_bytes()), "{name}");
    let (w, h) = (jbig2.width, jbig2.height);
    let truth = pixels(&truth, w, h);
    let poppler = poppler_image(&jbig2_pdf, dir.path(), "jbig2");
    assert!(poppler.starts_with(expected_header.as_bytes()), "{name}");
    assert!(
        truth == pixels(&poppler, w, h),
        "{name}: poppler decodes the JBIG2 image differently from the G4 one"
    );
    let jbig2dec = jbig2dec_image(&image_stream(&jbig2_pdf), dir.path());
    assert!(jbig2dec.starts_with(expected_header.as_bytes()), "{name}");
    assert!(
        truth == pixels(&jbig2dec, w, h),
        "{name}: jbig2dec decodes the JBIG2 stream differently from the G4 image"
    );

    // And the page looks the same: black stays black (no inverted /Decode), same placement.
    let render = |pdf: &Path| {
        run(
            "pdftoppm",
            &[
                "-mono",
                "-r",
                "100",
                "-singlefile",
                pdf.to_str().expect("utf-8"),
            ],
        )
    };
    assert!(
        render(&jbig2_pdf) == render(&g4_pdf),
        "{name}: the JBIG2 page renders differently"
    );
}

#[test]
fn a_letter_scan_is_symbol_coded_jbig2_that_jbig2dec_and_poppler_decode_exactly() {
    check_page("scan_linn_300dpi_2col.png", ImageCoding::Jbig2Text);
}

#[test]
fn a_photographed_text_page_is_symbol_coded_jbig2_that_jbig2dec_and_poppler_decode_exactly() {
    check_page("photo_textpage_darkbg_tall.jpg", ImageCoding::Jbig2Text);
}

#[test]
fn a_chinese_journal_page_is_symbol_coded_jbig2_that_jbig2dec_and_poppler_decode_exactly() {
    check_page(
        "zh_scan_academic_paper_page_2col.jpg",
        ImageCoding::Jbig2Text,
    );
}

/// A form 2 478 pixels wide (not a multiple of 8), with table rules for the generic region.
#[test]
fn a_customs_form_of_odd_width_is_symbol_coded_jbig2_that_jbig2dec_and_poppler_decode_exactly() {
    check_page(
        "zh_scan_customs_declaration_form_redacted.jpg",
        ImageCoding::Jbig2Text,
    );
}

/// Handwriting repeats too little for a dictionary to pay: the generic region stays smaller.
#[test]
fn a_handwritten_page_stays_a_generic_region_that_jbig2dec_and_poppler_decode_exactly() {
    check_page(
        "photo_dense_cheatsheet_lowcontrast.jpg",
        ImageCoding::Jbig2Generic,
    );
}
