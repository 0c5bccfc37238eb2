//! Scanning through SANE's `test` backend (sane-utils), configured in a private folder so the
//! machine's scanners play no part.

use std::path::{Path, PathBuf};

use litigant_paper::{PaperError, ScanOptions, list_scanners, scan_pages};

use crate::support::{assert_valid_bundle, convert_to, render};

/// A SANE configuration folder whose only backend is `test`.
fn sane_config(dir: &Path) -> PathBuf {
    let config = dir.join("sane.d");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("dll.conf"), "test\n").expect("dll.conf");
    config
}

fn test_scanner(config: &Path, device: &str) -> ScanOptions {
    ScanOptions {
        pages: 2,
        resolution: 150,
        backend_args: vec!["--test-picture=Grid".into()],
        config_dir: Some(config.to_path_buf()),
        ..ScanOptions::new(device)
    }
}

#[test]
fn the_test_scanner_is_listed_and_its_pages_become_a_bundle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = sane_config(dir.path());
    let scanners = list_scanners(Path::new("scanimage"), Some(&config)).expect("scanimage runs");
    assert!(
        scanners.iter().any(|s| s.device == "test:0"),
        "{scanners:?}"
    );

    let pages_dir = dir.path().join("scans");
    std::fs::create_dir(&pages_dir).expect("scan dir");
    let pages = scan_pages(&test_scanner(&config, "test:0"), &pages_dir).expect("scans");
    let names: Vec<_> = pages
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["scan-0001.png", "scan-0002.png"]);

    let out = dir.path().join("scanned.pdf");
    let report = convert_to(&pages, &out).expect("converts");
    assert_valid_bundle(&out, 2);
    // The grid is black lines on white: neither blank nor black.
    let ink = render(&out, 1, 50, false).ink_share();
    assert!(ink > 0.01 && ink < 0.6, "ink share {ink}");
    assert_eq!(report.pages.len(), 2);
}

#[test]
fn a_scanner_that_is_not_there_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = sane_config(dir.path());
    let err = scan_pages(&test_scanner(&config, "test:9"), dir.path()).expect_err("no device");
    assert!(matches!(err, PaperError::ScannerNotFound { .. }), "{err}");
    assert_eq!(err.code(), "paper.scan.not_found");
    assert!(err.to_string().contains("test:9"), "{err}");
}

#[test]
fn a_missing_scanimage_names_the_package() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = ScanOptions {
        program: "/nonexistent/scanimage".into(),
        ..ScanOptions::new("test:0")
    };
    let err = scan_pages(&options, dir.path()).expect_err("no program");
    assert_eq!(err.code(), "paper.scan.program_missing");
    assert!(err.to_string().contains("sane-utils"), "{err}");
}
