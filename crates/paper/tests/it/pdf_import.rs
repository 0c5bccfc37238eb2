//! PDF input: scanned pages taken at their own resolution, other pages rendered by poppler,
//! and PDFs a court bundle must not take in refused with an error that says why.

use std::path::{Path, PathBuf};

use litigant_paper::{ConversionReport, PageOrigin};

use crate::bad_input::fails_keeping_output;
use crate::support::{assert_valid_bundle, convert_to, corpus, render, run};

fn convert_pdf(name: &str, dir: &Path) -> (PathBuf, ConversionReport) {
    let out = dir.join(format!("{name}.out.pdf"));
    let report = convert_to(&[corpus().join(name)], &out)
        .unwrap_or_else(|e| panic!("{name} did not convert: {e}"));
    (out, report)
}

/// The share of ink on the output page is close to that of the input page: the image was
/// neither inverted nor lost on the way.
fn assert_same_ink(input: &Path, output: &Path, page: usize) {
    let before = render(input, page, 50, false).ink_share();
    let after = render(output, page, 50, false).ink_share();
    assert!(
        after > before * 0.5 && after < before * 1.6 + 0.005,
        "{} page {page}: ink share {before} in the input, {after} in the output",
        input.display()
    );
}

#[test]
fn scanned_pdf_pages_are_taken_at_their_own_resolution() {
    let dir = tempfile::tempdir().expect("temp dir");
    // (file, width, height): a colour JPEG with an ICC profile, a gray JPEG, CCITT G4.
    for (name, w, h) in [
        ("pdf_book_page_150dpi_jpeg.pdf", 800, 981),
        ("pdf_francais_gray_jpeg.pdf", 900, 900),
        ("pdf_ccitt_g4_letter.pdf", 2550, 3300),
    ] {
        let (out, report) = convert_pdf(name, dir.path());
        assert_valid_bundle(&out, 1);
        let page = &report.pages[0];
        assert_eq!(page.origin, PageOrigin::PdfImage, "{name}");
        assert_eq!((page.source_width, page.source_height), (w, h), "{name}");
        assert_eq!((page.file.as_str(), page.page_in_file), (name, 1));
        assert_same_ink(&corpus().join(name), &out, 1);
    }
}

#[test]
fn pages_that_are_not_one_plain_image_are_rendered_at_300_dpi() {
    let dir = tempfile::tempdir().expect("temp dir");
    // JBIG2, which this import does not decode itself.
    let name = "pdf_jbig2_letter.pdf";
    let (out, report) = convert_pdf(name, dir.path());
    assert_valid_bundle(&out, 1);
    let page = &report.pages[0];
    assert_eq!(page.origin, PageOrigin::PdfRendered);
    // A Letter page at 300 dpi.
    assert_eq!((page.source_width, page.source_height), (2550, 3300));
    assert_same_ink(&corpus().join(name), &out, 1);
}

#[test]
fn a_mixed_pdf_keeps_its_pages_in_order_each_taken_the_right_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "pdf_multipage_mixed6.pdf";
    let (out, report) = convert_pdf(name, dir.path());
    assert_valid_bundle(&out, 6);
    let origins: Vec<PageOrigin> = report.pages.iter().map(|p| p.origin).collect();
    let (image, rendered) = (PageOrigin::PdfImage, PageOrigin::PdfRendered);
    // 1: a colour JPEG clipped to its own rectangle; 2: 9000² RGB; 3: Flate with a PNG
    // predictor; 4: Flate over DCT under an OCR text layer; 5: gray; 6: an image with a
    // soft mask.
    assert_eq!(
        origins,
        [image, image, image, rendered, image, rendered],
        "{:#?}",
        report.pages
    );
    assert_eq!(
        (report.pages[1].source_width, report.pages[2].source_width),
        (9000, 958)
    );
    let numbers: Vec<usize> = report.pages.iter().map(|p| p.page_in_file).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    for page in [1, 3, 5] {
        assert_same_ink(&corpus().join(name), &out, page);
    }
}

/// A small clean PDF to spoil in each test below.
fn clean_pdf() -> PathBuf {
    corpus().join("pdf_francais_gray_jpeg.pdf")
}

fn bad_pdf_error(dir: &Path, input: &Path) -> (String, String) {
    let err = fails_keeping_output(&[input.to_path_buf()], dir);
    let message = err.to_string();
    let name = input.file_name().expect("name").to_string_lossy();
    assert!(message.contains(name.as_ref()), "{message}");
    (err.code().to_owned(), message)
}

#[test]
fn encrypted_pdfs_are_refused_with_or_without_a_user_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = clean_pdf();
    let clean = clean.to_str().expect("utf-8");
    for (name, user) in [("locked.pdf", "secret"), ("restricted.pdf", "")] {
        let path = dir.path().join(name);
        let path_str = path.to_str().expect("utf-8");
        run(
            "qpdf",
            &["--encrypt", user, "owner", "256", "--", clean, path_str],
        );
        let (code, message) = bad_pdf_error(dir.path(), &path);
        assert_eq!(code, "paper.pdf_encrypted", "{message}");
        assert!(message.contains("is encrypted"), "{message}");
    }
}

#[test]
fn pdfs_with_javascript_or_embedded_files_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    // JavaScript run when the file opens.
    let mut doc = lopdf::Document::load(clean_pdf()).expect("the corpus PDF loads");
    let mut action = lopdf::Dictionary::new();
    action.set("S", lopdf::Object::Name(b"JavaScript".to_vec()));
    action.set("JS", lopdf::Object::string_literal("app.alert('hi')"));
    let action = doc.add_object(action);
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        .expect("a catalog");
    doc.get_dictionary_mut(root)
        .expect("catalog")
        .set("OpenAction", action);
    let script = dir.path().join("script.pdf");
    doc.save(&script).expect("save");
    let (code, message) = bad_pdf_error(dir.path(), &script);
    assert_eq!(code, "paper.pdf_active_content", "{message}");
    assert!(message.contains("JavaScript"), "{message}");

    let attached = dir.path().join("attached.pdf");
    let groundtruth = corpus().join("scan_linn_groundtruth.txt");
    run(
        "qpdf",
        &[
            clean_pdf().to_str().expect("utf-8"),
            "--add-attachment",
            groundtruth.to_str().expect("utf-8"),
            "--",
            attached.to_str().expect("utf-8"),
        ],
    );
    let (code, message) = bad_pdf_error(dir.path(), &attached);
    assert_eq!(code, "paper.pdf_active_content", "{message}");
    assert!(message.contains("embedded files"), "{message}");
}

#[test]
fn truncated_and_garbage_pdfs_are_refused_as_broken() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = std::fs::read(clean_pdf()).expect("corpus");
    let truncated = dir.path().join("truncated.pdf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let (code, message) = bad_pdf_error(dir.path(), &truncated);
    assert_eq!(code, "paper.pdf_broken", "{message}");
    assert!(message.contains("truncated"), "{message}");

    let garbage = dir.path().join("garbage.pdf");
    let mut junk = b"%PDF-1.7\n".to_vec();
    // Deterministic noise: a linear congruential sequence.
    let mut x: u32 = 12345;
    junk.extend((0..4000).map(|_| {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        x.to_be_bytes()[1]
    }));
    std::fs::write(&garbage, &junk).expect("write");
    let (code, message) = bad_pdf_error(dir.path(), &garbage);
    assert_eq!(code, "paper.pdf_broken", "{message}");
}
