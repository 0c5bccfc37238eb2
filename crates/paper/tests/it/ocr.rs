//! The invisible text layer and text-direction detection, with the real Tesseract 5 (`chi_sim`,
//! eng and osd packs from scripts/lib/setup.sh), read back with poppler and qpdf.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use litigant_paper::{ConversionReport, ConvertOptions, OcrOptions, convert};

use crate::support::{assert_valid_bundle, corpus, text};

fn with_ocr(ocr: OcrOptions) -> ConvertOptions {
    ConvertOptions {
        created: Some(std::time::UNIX_EPOCH),
        ocr: Some(ocr),
        orient: true,
        ..ConvertOptions::default()
    }
}

fn convert_with(inputs: &[PathBuf], out: &Path, options: &ConvertOptions) -> ConversionReport {
    convert(inputs, out, options, &mut |_| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("conversion failed: {e}"))
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let path = pdf.to_str().expect("utf-8 temp path");
    text("pdftotext", &["-f", &page, "-l", &page, path, "-"])
}

/// Chinese comes out of pdftotext with spaces between Tesseract's words; compare without them.
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn english_and_chinese_pages_get_a_searchable_embedded_text_layer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ocr.pdf");
    let inputs = [
        corpus().join("scan_linn_300dpi_2col.png"),
        corpus().join("zh_clean_book_table_render.png"),
    ];
    let report = convert_with(&inputs, &out, &with_ocr(OcrOptions::default()));
    assert!(report.ocr_problems.is_empty(), "{:?}", report.ocr_problems);
    assert_valid_bundle(&out, 2);

    let english = page_text(&out, 1);
    for word in ["LinnSequencer", "Recorder", "composition", "musician"] {
        assert!(english.contains(word), "'{word}' not in: {english}");
    }
    let chinese = squeezed(&page_text(&out, 2));
    for word in ["步兵班战斗编组表", "副班长", "射手"] {
        assert!(chinese.contains(word), "'{word}' not in: {chinese}");
    }
    for page in &report.pages {
        let text = page.text.expect("every page has a text layer");
        assert!(text.words > 20, "page {}: {} words", page.page, text.words);
        assert_eq!(page.orientation.map(|o| o.rotated), Some(0));
    }

    // One embedded font, with a Unicode map, shared by both pages.
    let fonts = text("pdffonts", &[out.to_str().expect("utf-8")]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{fonts}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!(cols[0], "GlyphLessFont", "{fonts}");
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        ["yes", "no", "yes"],
        "{fonts}"
    );

    // The text is invisible: the image alone decides what the page looks like, so a text
    // layer must not change the rendering.
    let plain = dir.path().join("plain.pdf");
    let options = ConvertOptions {
        created: Some(std::time::UNIX_EPOCH),
        ..ConvertOptions::default()
    };
    convert_with(&inputs[..1], &plain, &options);
    let a = crate::support::render(&out, 1, 40, false);
    let b = crate::support::render(&plain, 1, 40, false);
    assert_eq!((a.width, a.height), (b.width, b.height));
    assert!(a.data == b.data, "the text layer shows on the page");
}

#[test]
fn a_missing_tesseract_leaves_a_valid_pdf_without_text_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("no-ocr.pdf");
    let options = with_ocr(OcrOptions {
        program: "/nonexistent/bin/tesseract".into(),
        ..OcrOptions::default()
    });
    let report = convert_with(
        &[corpus().join("scan_linn_300dpi_2col.png")],
        &out,
        &options,
    );
    assert_valid_bundle(&out, 1);
    assert_eq!(report.ocr_problems.len(), 1, "{:?}", report.ocr_problems);
    let problem = &report.ocr_problems[0];
    assert_eq!(problem.code(), "paper.ocr.program_missing");
    assert!(
        problem.to_string().contains("/nonexistent/bin/tesseract"),
        "{problem}"
    );
    assert!(report.pages[0].text.is_none() && report.pages[0].orientation.is_none());
    assert!(squeezed(&page_text(&out, 1)).is_empty());
    let fonts = text("pdffonts", &[out.to_str().expect("utf-8")]);
    assert_eq!(fonts.lines().count(), 2, "no fonts expected: {fonts}");
}

#[test]
fn a_missing_language_pack_is_named_and_the_pdf_is_still_made() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("no-lang.pdf");
    let options = with_ocr(OcrOptions {
        languages: "eng+zz_missing".into(),
        ..OcrOptions::default()
    });
    let report = convert_with(
        &[corpus().join("zh_clean_book_table_render.png")],
        &out,
        &options,
    );
    assert_valid_bundle(&out, 1);
    let codes: Vec<&str> = report
        .ocr_problems
        .iter()
        .map(litigant_paper::OcrProblem::code)
        .collect();
    assert_eq!(codes, ["paper.ocr.language_missing"]);
    assert!(report.ocr_problems[0].to_string().contains("zz_missing"));
    assert!(squeezed(&page_text(&out, 1)).is_empty());
}

#[test]
fn pages_turned_by_a_quarter_half_or_three_quarters_come_out_upright() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The top of the Linn page (title and first paragraphs) keeps the test quick.
    let page = image::open(corpus().join("scan_linn_300dpi_2col.png")).expect("decodes");
    let top = page.crop_imm(0, 0, page.width(), 1400);
    let mut inputs = Vec::new();
    for (turn, image) in [
        (90, top.rotate90()),
        (180, top.rotate180()),
        (270, top.rotate270()),
    ] {
        let path = dir.path().join(format!("linn-{turn}.png"));
        image.save(&path).expect("write turned page");
        inputs.push(path);
    }
    let out = dir.path().join("turned.pdf");
    let report = convert_with(&inputs, &out, &with_ocr(OcrOptions::default()));
    assert_valid_bundle(&out, 3);
    assert!(report.ocr_problems.is_empty(), "{:?}", report.ocr_problems);
    for (i, turn) in [90u16, 180, 270].into_iter().enumerate() {
        let page = &report.pages[i];
        let orientation = page.orientation.expect("direction was checked");
        assert_eq!(
            orientation.rotated,
            (360 - turn) % 360,
            "page turned by {turn}"
        );
        let found = page_text(&out, i + 1);
        assert!(found.contains("LinnSequencer"), "turned by {turn}: {found}");
        // Upright text is wider than tall here, like the crop before it was turned.
        let rendered = crate::support::render(&out, i + 1, 20, false);
        assert!(rendered.width > rendered.height, "turned by {turn}");
    }
}

/// Split bundles: every part carries its own copy of the font, and its pages their text.
#[test]
fn each_part_of_a_split_bundle_has_its_text_and_font() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = corpus().join("zh_clean_book_table_render.png");
    let single = dir.path().join("single.pdf");
    let one = convert_with(
        std::slice::from_ref(&page),
        &single,
        &with_ocr(OcrOptions::default()),
    );
    let options = ConvertOptions {
        max_bytes: Some(one.bytes + 2048),
        ..with_ocr(OcrOptions::default())
    };
    let out = dir.path().join("split.pdf");
    let report = convert_with(&[page.clone(), page], &out, &options);
    assert_eq!(report.parts.len(), 2, "{:?}", report.parts);
    for part in &report.parts {
        assert_valid_bundle(&part.path, 1);
        assert!(part.bytes <= one.bytes + 2048);
        assert!(squeezed(&page_text(&part.path, 1)).contains("步兵班战斗编组表"));
        let fonts = text("pdffonts", &[part.path.to_str().expect("utf-8")]);
        assert!(fonts.contains("GlyphLessFont"), "{fonts}");
    }
}

/// A page whose OCR does not finish in time is written without text, and the report names it.
#[test]
fn a_page_whose_ocr_runs_out_of_time_is_written_without_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("slow-ocr.pdf");
    let options = ConvertOptions {
        orient: false,
        ..with_ocr(OcrOptions {
            page_timeout: std::time::Duration::ZERO,
            ..OcrOptions::default()
        })
    };
    let report = convert_with(
        &[corpus().join("zh_clean_book_table_render.png")],
        &out,
        &options,
    );
    assert_valid_bundle(&out, 1);
    assert_eq!(report.ocr_problems.len(), 1, "{:?}", report.ocr_problems);
    let problem = &report.ocr_problems[0];
    assert_eq!(problem.code(), "paper.ocr.page_failed");
    let message = problem.to_string();
    assert!(
        message.contains("page 1 (zh_clean_book_table_render.png)") && message.contains("gave up"),
        "{message}"
    );
    assert!(report.pages[0].text.is_none());
    assert!(squeezed(&page_text(&out, 1)).is_empty());
}
