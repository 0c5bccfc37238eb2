//! The catalogue with any readable PDF as evidence, a TrueType font, and each bad input refused
//! with an error that names it, leaving nothing behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use litigant_evidence::{
    Catalogue, CatalogueItem, CatalogueOptions, EvidenceError, Language, write_catalogue,
};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (apt: poppler-utils, qpdf): {e}"));
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn item(name: &str, file: usize, pages: Option<&str>) -> CatalogueItem {
    CatalogueItem {
        name: name.into(),
        source: "original".into(),
        purpose: "Proves the loan was made and not repaid".into(),
        file: Some(file),
        pages: pages.map(Into::into),
    }
}

fn catalogue(items: Vec<CatalogueItem>) -> Catalogue {
    Catalogue {
        case_number: Some("(2026) Demo 1000".into()),
        submitted_by: None,
        items,
    }
}

#[test]
fn an_english_catalogue_in_a_truetype_font_before_pdfs_from_elsewhere() {
    let dir = tempfile::tempdir().expect("a folder");
    let output = dir.path().join("bundle.pdf");
    let evidence = [
        corpus("pdf_jbig2_letter.pdf"),
        corpus("pdf_multipage_mixed6.pdf"),
    ];
    let report = write_catalogue(
        &catalogue(vec![
            item("Letter", 1, None),
            item("Statements", 2, Some("2-5")),
        ]),
        &evidence,
        &CatalogueOptions {
            language: Language::En,
            font: Some(DEJAVU.into()),
        },
        &output,
    )
    .expect("written");
    assert_eq!(
        (report.catalogue_pages, report.evidence_pages),
        (1, 7),
        "{report:?}"
    );
    assert_eq!(report.items[1].page_range(), "3-6");
    let path = output.to_str().expect("a UTF-8 path");
    assert!(tool("qpdf", &["--check", path]).contains("No syntax or stream encoding errors"));
    assert!(tool("pdfinfo", &[path]).contains("Pages:           8"));
    let fonts = tool("pdffonts", &[path]);
    assert!(
        fonts.contains("CID TrueType") && fonts.contains("DejaVuSans"),
        "{fonts}"
    );
    let text = tool("pdftotext", &["-l", "1", path, "-"]);
    for expected in [
        "Evidence Catalogue",
        "Purpose of proof",
        "Statements",
        "3-6",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The corpus PDFs declare no output intent, so the bundle claims no PDF/A conformance.
    assert!(!tool("pdfinfo", &["-meta", path]).contains("pdfaid"));
}

#[test]
fn bad_input_is_refused_with_its_cause_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a folder");
    let output = dir.path().join("bundle.pdf");
    let letter = corpus("pdf_jbig2_letter.pdf");
    let write = |catalogue: &Catalogue, evidence: &[PathBuf], font: Option<&str>| {
        write_catalogue(
            catalogue,
            evidence,
            &CatalogueOptions {
                language: Language::ZhCn,
                font: font.map(PathBuf::from),
            },
            &output,
        )
        .expect_err("refused")
    };
    let one = catalogue(vec![item("借条", 1, None)]);

    let beyond = write(
        &catalogue(vec![item("借条", 1, Some("1-2"))]),
        std::slice::from_ref(&letter),
        None,
    );
    assert!(
        matches!(
            &beyond,
            EvidenceError::PageRange {
                item: 1,
                pages: 1,
                ..
            }
        ),
        "{beyond}"
    );
    assert!(
        beyond
            .to_string()
            .contains("pdf_jbig2_letter.pdf, which has 1 page(s)")
    );

    let missing = dir.path().join("no-such-font.ttc");
    let no_font = write(&one, std::slice::from_ref(&letter), missing.to_str());
    assert_eq!(no_font.code(), "evidence.font_missing");
    assert!(
        no_font.to_string().contains("no-such-font.ttc"),
        "{no_font}"
    );

    // A font without Chinese names the first character it lacks.
    let lacks = write(&one, std::slice::from_ref(&letter), Some(DEJAVU));
    assert!(
        matches!(
            lacks,
            EvidenceError::FontLacksCharacter {
                character: '证',
                ..
            }
        ),
        "{lacks}"
    );

    let corrupt = dir.path().join("corrupt.pdf");
    let mut bytes = std::fs::read(&letter).expect("the letter");
    bytes.truncate(bytes.len() / 3);
    std::fs::write(&corrupt, bytes).expect("written");
    let unreadable = write(&one, std::slice::from_ref(&corrupt), None);
    assert_eq!(unreadable.code(), "evidence.pdf_input", "{unreadable}");
    assert!(unreadable.to_string().contains("corrupt.pdf"));

    let photo = write(&one, &[corpus("photo_letter_signature_shadow.jpg")], None);
    assert_eq!(photo.code(), "evidence.pdf_input", "{photo}");

    let json = Catalogue::from_json(br#"{"items": [{"name": "x", "source": "y"}]}"#).unwrap_err();
    assert!(json.to_string().contains("purpose"), "{json}");

    assert!(!output.exists(), "nothing was written");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("the folder").count(),
        1
    );
}

#[test]
fn a_long_catalogue_runs_over_pages_with_its_header_and_labels_follow() {
    let dir = tempfile::tempdir().expect("a folder");
    let output = dir.path().join("bundle.pdf");
    let items = (1..=45)
        .map(|n| CatalogueItem {
            name: format!("微信聊天记录第{n}组"),
            source: "手机截屏".into(),
            purpose: "证明被告多次承认借款并承诺于年底前归还全部本金及利息".into(),
            file: Some(1),
            pages: Some(format!("{}", (n - 1) % 6 + 1)),
        })
        .collect();
    let report = write_catalogue(
        &catalogue(items),
        &[corpus("pdf_multipage_mixed6.pdf")],
        &CatalogueOptions::default(),
        &output,
    )
    .expect("written");
    assert!(report.catalogue_pages >= 2, "{report:?}");
    let path = output.to_str().expect("a UTF-8 path");
    let structure = tool(
        "qpdf",
        &[
            "--json",
            "--json-key=pagelabels",
            "--json-key=outlines",
            path,
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&structure).expect("qpdf's JSON");
    assert_eq!(json["pagelabels"][1]["index"], report.catalogue_pages);
    assert_eq!(json["outlines"].as_array().map(Vec::len), Some(46));
    let last = report.catalogue_pages.to_string();
    let second = tool("pdftotext", &["-f", "2", "-l", &last, path, "-"]);
    assert!(second.contains("证据名称"), "the header repeats: {second}");
    assert!(second.contains("微信聊天记录第45组"), "{second}");
}
