//! Splitting a bundle at the court's size limit: only between input files, each part within
//! the limit and a valid PDF/A-2b of its own, and an input too large alone refused by name.

use std::sync::atomic::AtomicBool;

use litigant_paper::{ConvertOptions, convert};

use crate::support::{assert_valid_bundle, corpus, text};

fn options(max_bytes: u64) -> ConvertOptions {
    ConvertOptions {
        created: Some(std::time::UNIX_EPOCH),
        max_bytes: Some(max_bytes),
        ..ConvertOptions::default()
    }
}

#[test]
fn parts_stay_within_the_limit_and_split_only_between_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("evidence.pdf");
    // About 9 KB, 35–37 KB (the ledger in JBIG2, with or without symbol coding), 9 KB and 9 KB
    // alone, 40–42 KB for the first two: the first part cannot take the ledger, the second cannot
    // take the French page after it, the third takes the last two.
    let french = corpus().join("pdf_francais_gray_jpeg.pdf");
    let ledger = corpus().join("zh_scan_accounting_ledger_form_blank.png");
    let inputs = [french.clone(), ledger, french.clone(), french];
    let report = convert(
        &inputs,
        &out,
        &options(38_500),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("converts");
    let files: Vec<Vec<String>> = report.parts.iter().map(|p| p.files.clone()).collect();
    assert_eq!(report.parts.len(), 3, "{:#?}", report.parts);
    assert_eq!(files[0], ["pdf_francais_gray_jpeg.pdf"]);
    assert_eq!(files[1], ["zh_scan_accounting_ledger_form_blank.png"]);
    assert_eq!(
        files[2],
        ["pdf_francais_gray_jpeg.pdf", "pdf_francais_gray_jpeg.pdf"]
    );
    let mut first = 1;
    for (n, part) in report.parts.iter().enumerate() {
        assert_eq!(
            part.path,
            dir.path().join(format!("evidence-{}.pdf", n + 1))
        );
        let bytes = std::fs::metadata(&part.path).expect("written").len();
        assert_eq!(bytes, part.bytes);
        assert!(bytes <= 38_500, "part {} is {bytes} bytes", n + 1);
        assert_valid_bundle(&part.path, part.pages);
        assert_eq!(part.first_page, first);
        first += part.pages;
    }
    assert_eq!(
        report.bytes,
        report.parts.iter().map(|p| p.bytes).sum::<u64>()
    );
    assert!(!out.exists());
    // Page labels number documents across the whole bundle: the third part opens with the
    // third document.
    let labels = text(
        "qpdf",
        &[
            "--json",
            "--json-key=pagelabels",
            report.parts[2].path.to_str().expect("utf-8"),
        ],
    );
    assert!(
        labels.contains("\"u:3-\"") && labels.contains("\"u:4-\""),
        "{labels}"
    );
}

#[test]
fn an_input_too_large_alone_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("evidence.pdf");
    let earlier = dir.path().join("evidence-1.pdf");
    std::fs::write(&earlier, b"an earlier part").expect("write");
    let inputs = [
        corpus().join("pdf_francais_gray_jpeg.pdf"),
        corpus().join("zh_scan_accounting_ledger_form_blank.png"),
    ];
    let err = convert(
        &inputs,
        &out,
        &options(30_000),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect_err("the ledger alone is over 30 KB");
    assert_eq!(err.code(), "paper.document_too_large");
    let message = err.to_string();
    assert!(
        message.contains("zh_scan_accounting_ledger_form_blank.png alone makes a file of")
            && message.contains("over the 30000-byte limit"),
        "{message}"
    );
    // The first part was finished before the ledger came, but it never replaced anything.
    assert_eq!(std::fs::read(&earlier).expect("kept"), b"an earlier part");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["evidence-1.pdf"]);
}
