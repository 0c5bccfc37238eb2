//! Every image of the corpus through the whole pipeline.

use std::path::{Path, PathBuf};

use litigant_paper::{ConversionReport, Geometry, ImageCoding, PageMode};

use crate::support::{assert_valid_bundle, convert_to, corpus, corpus_images, render, text};

fn convert_one(input: &Path, dir: &Path) -> (PathBuf, ConversionReport) {
    let name = input.file_name().expect("file name").to_string_lossy();
    let out = dir.join(format!("{name}.pdf"));
    let report = convert_to(&[input.to_path_buf()], &out)
        .unwrap_or_else(|e| panic!("{name} did not convert: {e}"));
    (out, report)
}

/// Each corpus image becomes a valid one-page PDF/A-2b whose page shows content, in the order
/// and with the findings the report says. Two conversions run at a time (the machine has two
/// cores); each is checked as soon as it is done.
#[test]
fn every_corpus_image_becomes_a_valid_bundle_with_its_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let images = corpus_images();
    let halves = images.split_at(images.len() / 2);
    std::thread::scope(|scope| {
        for half in [halves.0, halves.1] {
            let dir = dir.path();
            scope.spawn(move || {
                for input in half {
                    check_one(input, dir);
                }
            });
        }
    });
}

fn check_one(input: &Path, dir: &Path) {
    let name = input
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let (pdf, report) = convert_one(input, dir);
    assert_valid_bundle(&pdf, 1);
    assert_eq!(report.pages.len(), 1, "{name}");
    let page = &report.pages[0];
    assert_eq!(page.file, name);
    for warning in &report.warnings {
        assert_eq!(warning.page(), 1, "{name}: {warning}");
        assert!(warning.to_string().contains(&name), "{warning}");
    }
    // Every corpus page has content (text, lines, a drawing): none may come out blank, and
    // none may come out as a black sheet either.
    let rendered = render(&pdf, 1, 50, false);
    let ink = rendered.ink_share();
    assert!(ink > 0.002, "{name} came out blank: ink share {ink}");
    assert!(ink < 0.5, "{name} came out mostly black: ink share {ink}");
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.code() == "paper.quality.blank_page")
            || name == "photo_blank_legalpad.jpg",
        "{name} was called blank"
    );
}

/// Pages with red seals or red print stay in colour, and the red is still red in the PDF.
#[test]
fn red_seals_stay_red() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The seal on the VAT invoice is saturated red; the vehicle invoice's red print is faded
    // in the source itself (about 20 levels redder than gray), and must stay at least that.
    for (name, margin) in [
        ("zh_scan_vat_invoice_testsample_redseal.jpg", 50),
        ("zh_photo_invoice_vehicle_flat_redacted.jpg", 20),
    ] {
        let (pdf, report) = convert_one(&corpus().join(name), dir.path());
        let page = &report.pages[0];
        assert_eq!(page.decision.mode, PageMode::Colour, "{name}");
        assert!(page.decision.red_marks, "{name}: {:?}", page.decision);
        assert_eq!(page.coding, ImageCoding::JpegRgb);
        let rendered = render(&pdf, 1, 100, true);
        let red = rendered.red_pixels(margin);
        assert!(red > 200, "{name}: only {red} red pixels in the output");
    }
}

/// A low-resolution JPEG scan on white paper that fills its frame is stored as the file itself
/// (coding it again only loses detail); a photo of a sheet on a table is rendered.
#[test]
fn an_already_good_jpeg_scan_is_stored_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = corpus().join("zh_scan_vat_invoice_testsample_redseal.jpg");
    let (pdf, report) = convert_one(&input, dir.path());
    let page = &report.pages[0];
    assert!(page.untouched, "{page:?}");
    assert_eq!((page.width, page.height), (911, 534));
    let prefix = dir.path().join("image");
    let (pdf, prefix_arg) = (
        pdf.to_str().expect("utf-8"),
        prefix.to_str().expect("utf-8"),
    );
    text("pdfimages", &["-j", pdf, prefix_arg]);
    let stored = std::fs::read(dir.path().join("image-000.jpg")).expect("a JPEG was stored");
    let original = std::fs::read(&input).expect("corpus file");
    assert!(stored == original, "the stored JPEG is not the file");

    let (_, report) = convert_one(
        &corpus().join("photo_table_color_perspective.jpg"),
        dir.path(),
    );
    assert!(!report.pages[0].untouched, "a photo of a sheet is rendered");
}

/// A clean text scan is stored bilevel as lossless, symbol-coded JBIG2 at 300 dpi, and poppler
/// decodes it to a text-like page (tests/it/jbig2.rs checks it pixel for pixel against G4).
#[test]
fn a_text_scan_is_stored_as_jbig2_at_300_dpi() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (pdf, report) = convert_one(&corpus().join("scan_linn_300dpi_2col.png"), dir.path());
    let page = &report.pages[0];
    assert_eq!(page.decision.mode, PageMode::Bilevel);
    assert_eq!(page.coding, ImageCoding::Jbig2Text);
    assert!((page.dpi - 300.0).abs() < 1.0, "dpi {}", page.dpi);
    let list = text("pdfimages", &["-list", pdf.to_str().expect("utf-8")]);
    assert!(list.contains("jbig2"), "{list}");
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    // The Letter page keeps its own pixels on A4: only its blank side margins, which overhang
    // the sheet, are left out; the rest is stored bit for bit (the scan is bilevel already).
    assert_eq!(
        page.geometry,
        Geometry::FullFrame {
            deskew_degrees: 0.0,
            kept: Some([35, 0, 2480, 3300]),
        }
    );
    let prefix = dir.path().join("image");
    text(
        "pdfimages",
        &[
            "-png",
            pdf.to_str().expect("utf-8"),
            prefix.to_str().expect("utf-8"),
        ],
    );
    let stored = image::open(dir.path().join("image-000.png"))
        .expect("the page image")
        .into_luma8();
    let scan = image::open(corpus().join("scan_linn_300dpi_2col.png"))
        .expect("the scan")
        .into_luma8();
    assert_eq!(stored.dimensions(), (2480, 3300));
    let differing = stored
        .enumerate_pixels()
        .filter(|&(x, y, p)| (p.0[0] < 128) != (scan.get_pixel(x + 35, y).0[0] < 128))
        .count();
    assert_eq!(differing, 0, "pixels changed");
    let ink = render(&pdf, 1, 75, false).ink_share();
    assert!((0.02..0.3).contains(&ink), "ink share {ink}");
}

/// Photos of a sheet on a table are cropped to the sheet; wide pages turn the sheet landscape.
#[test]
fn photos_are_cropped_to_the_sheet_and_wide_pages_are_landscape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, report) = convert_one(&corpus().join("photo_textpage_darkbg_tall.jpg"), dir.path());
    let Geometry::Sheet { corners } = report.pages[0].geometry else {
        panic!("the sheet was not found: {:?}", report.pages[0].geometry);
    };
    // The dark table shows around the sheet: every corner lies inside the frame.
    let (w, h) = (report.pages[0].source_width, report.pages[0].source_height);
    for [x, y] in corners {
        assert!(x > 10.0 && y > 10.0 && x < f64::from(w) - 10.0 && y < f64::from(h) - 10.0);
    }
    let (pdf, _) = convert_one(&corpus().join("photo_diagram_landscape.jpg"), dir.path());
    let info = text("pdfinfo", &[pdf.to_str().expect("utf-8")]);
    assert!(info.contains("841.89 x 595.276"), "{info}");
}

/// Several inputs make one bundle: pages in the order given, one bookmark per input, page
/// labels numbered per document.
#[test]
fn inputs_become_one_bundle_with_bookmarks_and_labels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs: Vec<PathBuf> = [
        "zh_scan_customs_declaration_form_redacted.jpg",
        "photo_notes_A1_colorpen.jpg",
        "zh_clean_book_table_render.png",
    ]
    .iter()
    .map(|n| corpus().join(n))
    .collect();
    let out = dir.path().join("bundle.pdf");
    let report = convert_to(&inputs, &out).expect("converts");
    assert_valid_bundle(&out, 3);
    let files: Vec<&str> = report.pages.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "zh_scan_customs_declaration_form_redacted.jpg",
            "photo_notes_A1_colorpen.jpg",
            "zh_clean_book_table_render.png"
        ]
    );
    let json = text(
        "qpdf",
        &[
            "--json",
            "--json-key=outlines",
            "--json-key=pagelabels",
            out.to_str().expect("utf-8"),
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf json");
    let titles: Vec<&str> = json["outlines"]
        .as_array()
        .expect("outlines")
        .iter()
        .map(|o| o["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, files);
    let prefixes: Vec<&str> = json["pagelabels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l["label"]["/P"].as_str().expect("prefix"))
        .collect();
    assert_eq!(prefixes, ["u:1-", "u:2-", "u:3-"]);
    let info = text("pdfinfo", &[out.to_str().expect("utf-8")]);
    assert!(info.contains("Title:           证据材料"), "{info}");
}

/// The same page twice is reported as a likely duplicate, naming both pages.
#[test]
fn a_repeated_page_is_reported_as_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = corpus().join("zh_scan_academic_paper_page_2col.jpg");
    let other = corpus().join("scan_linn_300dpi_2col.png");
    let out = dir.path().join("dup.pdf");
    let report = convert_to(&[page.clone(), other, page], &out).expect("converts");
    let duplicates: Vec<(usize, usize)> = report
        .warnings
        .iter()
        .filter_map(|w| match w {
            litigant_paper::QualityWarning::LikelyDuplicate { page, of_page, .. } => {
                Some((*page, *of_page))
            }
            _ => None,
        })
        .collect();
    assert_eq!(duplicates, [(3, 1)]);
}

/// Progress arrives per input and per page; cancelling after the first page stops the
/// conversion with nothing written.
#[test]
fn progress_is_reported_and_cancelling_writes_nothing() {
    use std::sync::atomic::{AtomicBool, Ordering};

    use litigant_paper::{ConvertOptions, Progress, convert};

    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = vec![
        corpus().join("zh_scan_customs_declaration_form_redacted.jpg"),
        corpus().join("zh_clean_book_table_render.png"),
    ];
    let out = dir.path().join("cancelled.pdf");
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let result = convert(
        &inputs,
        &out,
        &ConvertOptions::default(),
        &mut |p| {
            if matches!(p, Progress::PageDone { .. }) {
                cancel.store(true, Ordering::Relaxed);
            }
            seen.push(p);
        },
        &cancel,
    );
    let err = result.expect_err("cancelled");
    assert_eq!(err.code(), "paper.cancelled");
    assert_eq!(
        seen,
        [
            Progress::Decoding {
                input: 1,
                inputs: 2
            },
            Progress::PageDone {
                page: 1,
                input: 1,
                inputs: 2
            }
        ]
    );
    assert!(!out.exists());
    assert!(
        std::fs::read_dir(dir.path()).expect("dir").next().is_none(),
        "files left behind"
    );
}
