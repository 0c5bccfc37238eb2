//! `litigant convert`: exit status, report file, and errors with their codes.

use std::path::Path;
use std::process::Command;

pub fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

pub fn litigant() -> Command {
    Command::new(env!("CARGO_BIN_EXE_litigant"))
}

#[test]
fn convert_writes_the_bundle_and_a_report_with_warnings_per_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.pdf");
    let report = dir.path().join("report.json");
    let status = litigant()
        .arg("convert")
        .arg(corpus("zh_scan_vat_invoice_testsample_redseal.jpg"))
        .arg(corpus("scan_linn_300dpi_2col.png"))
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stderr = String::from_utf8_lossy(&status.stderr);
    // The invoice is a 911-pixel image: too coarse for A4, and the warning says so and how to fix.
    assert!(
        stderr.contains("warning [paper.quality.low_resolution]: page 1"),
        "{stderr}"
    );
    assert!(out.is_file());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let pages = json["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["decision"]["mode"], "colour");
    assert_eq!(pages[1]["coding"], "jbig2_text");
    assert!(pages[1]["timings"]["render_ms"].as_f64().is_some());

    // `--bilevel g4` keeps the same page in CCITT G4, for readers without JBIG2.
    let g4 = dir.path().join("g4.pdf");
    let status = litigant()
        .arg("convert")
        .arg(corpus("scan_linn_300dpi_2col.png"))
        .args(["--bilevel", "g4", "-o"])
        .arg(&g4)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("runs");
    assert!(status.status.success());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    assert_eq!(json["pages"][0]["coding"], "ccitt_g4");
}

#[test]
fn a_bad_input_fails_with_its_code_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").expect("write");
    let out = dir.path().join("out.pdf");
    let run = litigant()
        .args(["convert"])
        .arg(&empty)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error [paper.empty_file]"), "{stderr}");
    assert!(stderr.contains("empty.jpg"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn max_bytes_splits_between_inputs_and_says_which_input_is_too_large() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("bundle.pdf");
    // The French page alone makes a file of about 9 KB, the ledger (JBIG2) one of about 39 KB,
    // all three 49 KB: the two French pages share the first file and the ledger goes alone
    // into the second.
    let french = corpus("pdf_francais_gray_jpeg.pdf");
    let inputs = [
        french.clone(),
        french,
        corpus("zh_scan_accounting_ledger_form_blank.png"),
    ];
    let run = litigant()
        .arg("convert")
        .args(&inputs)
        .arg("-o")
        .arg(&out)
        .args(["--max-bytes", "42000"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (n, pages) in [(1, 2), (2, 1)] {
        let part = dir.path().join(format!("bundle-{n}.pdf"));
        let bytes = std::fs::metadata(&part).expect("part written").len();
        assert!(bytes <= 42_000, "{} is {bytes} bytes", part.display());
        assert!(
            stdout.contains(&format!("bundle-{n}.pdf: {pages} pages")),
            "{stdout}"
        );
    }
    assert!(stdout.contains("2 files, 3 pages"), "{stdout}");
    assert!(!out.exists() && !dir.path().join("bundle-3.pdf").exists());

    let run = litigant()
        .arg("convert")
        .args(&inputs)
        .arg("-o")
        .arg(dir.path().join("small.pdf"))
        .args(["--max-bytes", "5000"])
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error [paper.document_too_large]")
            && stderr.contains("pdf_francais_gray_jpeg.pdf alone makes a file of")
            && stderr.contains("bytes over the 5000-byte limit"),
        "{stderr}"
    );
    assert!(!dir.path().join("small-1.pdf").exists());
    assert!(
        std::fs::read_dir(dir.path()).expect("dir").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".part")),
        "partial files left behind"
    );
}

#[test]
fn convert_with_ocr_writes_a_searchable_pdf_and_reports_the_text_per_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ocr.pdf");
    let report = dir.path().join("report.json");
    let run = litigant()
        .arg("convert")
        .arg(corpus("zh_clean_book_table_render.png"))
        .args(["--ocr", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("步兵班战斗编组表"), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let page = &json["pages"][0];
    assert!(
        page["text"]["words"].as_u64().expect("words") > 20,
        "{page}"
    );
    assert_eq!(page["orientation"]["rotated"], 0, "{page}");
    assert_eq!(json["ocr_problems"].as_array().map(Vec::len), Some(0));
}

#[test]
fn convert_with_ocr_and_a_missing_language_warns_and_still_writes_the_pdf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ocr.pdf");
    let run = litigant()
        .arg("convert")
        .arg(corpus("zh_clean_book_table_render.png"))
        .args(["--ocr", "--ocr-languages", "eng+zz_missing", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning [paper.ocr.language_missing]") && stderr.contains("zz_missing"),
        "{stderr}"
    );
    assert!(out.is_file());
}

/// A SANE configuration folder whose only backend is `test` (sane-utils).
pub fn sane_test_config(dir: &Path) -> std::path::PathBuf {
    let config = dir.join("sane.d");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("dll.conf"), "test\n").expect("dll.conf");
    config
}

#[test]
fn convert_scans_pages_after_the_files_and_cleans_up_the_scans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = sane_test_config(dir.path());
    let listed = litigant()
        .arg("scanners")
        .env("SANE_CONFIG_DIR", &config)
        .output()
        .expect("runs");
    assert!(listed.status.success());
    assert!(String::from_utf8_lossy(&listed.stdout).contains("test:0\t"));

    let out = dir.path().join("scanned.pdf");
    let report = dir.path().join("report.json");
    let run = litigant()
        .arg("convert")
        .arg(corpus("scan_linn_300dpi_2col.png"))
        .args([
            "--scan",
            "test:1",
            "--pages",
            "2",
            "--scan-resolution",
            "100",
        ])
        .arg("--scan-arg=--test-picture=Grid")
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .env("SANE_CONFIG_DIR", &config)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let files: Vec<&str> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["file"].as_str().expect("file"))
        .collect();
    assert_eq!(
        files,
        [
            "scan_linn_300dpi_2col.png",
            "scan-0001.png",
            "scan-0002.png"
        ]
    );
    assert!(!dir.path().join("scanned.pdf.scans").exists());
}

#[test]
fn convert_from_a_scanner_that_is_not_there_fails_with_its_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = sane_test_config(dir.path());
    let out = dir.path().join("scanned.pdf");
    let run = litigant()
        .args(["convert", "--scan", "test:9", "-o"])
        .arg(&out)
        .env("SANE_CONFIG_DIR", &config)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("error [paper.scan.not_found]"), "{stderr}");
    assert!(!out.exists() && !dir.path().join("scanned.pdf.scans").exists());
}
