//! `litigant convert`: exit status, report file, and errors with their codes.

use std::path::Path;
use std::process::Command;

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

fn litigant() -> Command {
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
    assert_eq!(pages[1]["coding"], "ccitt_g4");
    assert!(pages[1]["timings"]["render_ms"].as_f64().is_some());
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
