//! eSCL network scanning against the loopback scanner in `escl_server`: real HTTP, real corpus
//! JPEGs, the pages decoded and converted into a bundle checked with qpdf and poppler.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use litigant_paper::{
    ESCL_SERVICE, EsclScanner, EsclSource, PaperError, ScanOptions, discover_escl, find_scanners,
    scan_pages,
};
use mdns_sd::{ServiceDaemon, ServiceInfo};

use crate::escl_server::{EsclServer, Faults};
use crate::support::{assert_valid_bundle, convert_to, corpus};

fn corpus_pages() -> Vec<PathBuf> {
    [
        "zh_scan_vat_invoice_testsample_redseal.jpg",
        "photo_letter_signature_shadow.jpg",
        "zh_photo_form_handwriting_perspective.jpg",
    ]
    .iter()
    .map(|name| corpus().join(name))
    .collect()
}

fn serve(faults: Faults) -> EsclServer {
    let pages = corpus_pages();
    let refs: Vec<&Path> = pages.iter().map(PathBuf::as_path).collect();
    EsclServer::start(&refs, faults)
}

fn scanner(server: &EsclServer) -> EsclScanner {
    EsclScanner::new(&server.url, Duration::from_mins(1))
        .expect("a loopback address")
        .with_busy_retries(3, Duration::from_millis(20))
}

fn feeder(url: &str, pages: u32) -> ScanOptions {
    ScanOptions {
        pages,
        colour: true,
        source: Some("Feeder".into()),
        ..ScanOptions::new(format!("escl:{url}"))
    }
}

/// Scans up to `pages` pages from the feeder of a scanner with `faults` into a new folder.
fn scan_feeder(
    faults: Faults,
    pages: u32,
) -> (
    EsclServer,
    tempfile::TempDir,
    Result<Vec<PathBuf>, PaperError>,
) {
    let server = serve(faults);
    let dir = tempfile::tempdir().expect("temp dir");
    let result = scanner(&server).scan(
        &feeder(&server.url, pages),
        dir.path(),
        &AtomicBool::new(false),
    );
    (server, dir, result)
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

#[test]
fn the_scanner_describes_itself() {
    let server = serve(Faults::default());
    let scanner = scanner(&server);
    let caps = scanner.capabilities().expect("capabilities");
    assert_eq!(caps.make_and_model, "Litigant Test Scanner & Feeder");
    let platen = caps.input(EsclSource::Platen).expect("a flatbed");
    assert_eq!(platen.resolutions, [150, 300]);
    assert_eq!(platen.colour_modes, ["Grayscale8", "RGB24"]);
    assert!(caps.input(EsclSource::Feeder).is_some());
    let status = scanner.status().expect("status");
    assert_eq!(
        (status.state.as_str(), status.adf_state.as_deref()),
        ("Idle", Some("ScannerAdfLoaded"))
    );
}

/// The loopback scanner announced over multicast DNS as a network scanner announces itself, by
/// a responder in this process that answers until dropped.
fn announce(server: &EsclServer) -> ServiceDaemon {
    let port = server.port;
    let responder = ServiceDaemon::new().expect("an mDNS responder");
    let uuid = format!("6c1f0a52-0000-4000-8000-{port:012}");
    let properties = [
        ("rs", "/eSCL"),
        ("ty", "Litigant Test Scanner"),
        ("UUID", uuid.as_str()),
    ];
    let info = ServiceInfo::new(
        ESCL_SERVICE,
        &format!("Litigant test {port}"),
        "litigant-escl-test.local.",
        "127.0.0.1",
        port,
        &properties[..],
    )
    .expect("a service");
    responder.register(info).expect("announced");
    responder
}

/// Discovery must find the announced scanner among whatever else the network holds and give
/// an address that works.
#[test]
fn a_scanner_announced_on_the_network_is_found_and_answers() {
    let server = serve(Faults::default());
    let responder = announce(&server);
    let found = discover_escl(Duration::from_secs(3)).expect("discovery");
    let device = format!("escl:{}", server.url);
    let ours = found
        .iter()
        .find(|s| s.device == device)
        .unwrap_or_else(|| panic!("{device} not among {found:?}"));
    assert_eq!(ours.description, "Litigant Test Scanner");
    let caps = EsclScanner::new(&ours.device, Duration::from_mins(1))
        .expect("the discovered address")
        .capabilities()
        .expect("capabilities");
    assert_eq!(caps.make_and_model, "Litigant Test Scanner & Feeder");
    let _ = responder.shutdown();
}

/// On a machine without SANE the network scanners are still offered, with SANE's failure as a
/// note.
#[test]
fn without_sane_the_network_scanners_are_still_found() {
    let server = serve(Faults::default());
    let missing = Path::new("/nonexistent/scanimage");
    let responder = announce(&server);
    let found = find_scanners(missing, None, Duration::from_secs(3)).expect("network scanners");
    let device = format!("escl:{}", server.url);
    assert!(
        found.scanners.iter().any(|s| s.device == device),
        "{device} not among {:?}",
        found.scanners
    );
    assert!(
        matches!(found.unsearched.as_slice(), [PaperError::ScannerProgramMissing { program, .. }] if program == missing),
        "{:?}",
        found.unsearched
    );
    let _ = responder.shutdown();
}

#[test]
fn a_feeder_of_three_pages_becomes_a_bundle() {
    let (server, dir, result) = scan_feeder(Faults::default(), 10);
    let pages = result.expect("scans");
    assert_eq!(
        names(&pages),
        ["escl-0001.jpg", "escl-0002.jpg", "escl-0003.jpg"]
    );
    // The scanner's bytes are kept as they came.
    for (kept, original) in pages.iter().zip(corpus_pages()) {
        assert_eq!(std::fs::read(kept).ok(), std::fs::read(original).ok());
    }
    server.seen(|seen| {
        assert_eq!(seen.settings.len(), 1);
        let settings = &seen.settings[0];
        assert!(
            settings.contains("<scan:ColorMode>RGB24</scan:ColorMode>"),
            "{settings}"
        );
        assert!(
            settings.contains("<scan:XResolution>300</scan:XResolution>"),
            "{settings}"
        );
        assert!(settings.contains("image/jpeg"), "{settings}");
        // The feeder ran out by itself: nothing to delete.
        assert!(seen.deleted.is_empty(), "{:?}", seen.deleted);
    });
    let out = dir.path().join("feeder.pdf");
    let report = convert_to(&pages, &out).expect("converts");
    assert_valid_bundle(&out, 3);
    assert_eq!(report.pages.len(), 3);
}

#[test]
fn a_device_named_escl_scans_the_flatbed_through_scan_pages() {
    let server = serve(Faults::default());
    let dir = tempfile::tempdir().expect("temp dir");
    let options = ScanOptions {
        pages: 5,
        source: Some("Flatbed".into()),
        ..ScanOptions::new(format!("escl:{}", server.url))
    };
    let pages = scan_pages(&options, dir.path()).expect("scans");
    // A flatbed job is one page.
    assert_eq!(names(&pages), ["escl-0001.jpg"]);
    server.seen(|seen| {
        assert!(seen.settings[0].contains("<pwg:InputSource>Platen</pwg:InputSource>"));
        assert!(
            seen.settings[0].contains("Grayscale8"),
            "gray unless colour is asked"
        );
    });
}

#[test]
fn fewer_pages_than_the_feeder_holds_end_the_job_on_the_scanner() {
    let server = serve(Faults::default());
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = scanner(&server)
        .scan(&feeder(&server.url, 2), dir.path(), &AtomicBool::new(false))
        .expect("scans");
    assert_eq!(pages.len(), 2);
    server.seen(|seen| assert_eq!(seen.deleted, ["job-1"]));
}

#[test]
fn a_busy_scanner_is_asked_again() {
    let (server, _dir, result) = scan_feeder(
        Faults {
            busy: 1,
            ..Faults::default()
        },
        10,
    );
    let pages = result.expect("scans after the busy answer");
    assert_eq!(pages.len(), 3);
    server.seen(|seen| assert_eq!(seen.job_requests, 2));
}

#[test]
fn a_page_still_being_scanned_is_waited_for_longer_than_a_busy_job() {
    // Three tries for a job, but a page may take more while the scanner works on it.
    let (_server, _dir, result) = scan_feeder(
        Faults {
            page_busy: 5,
            ..Faults::default()
        },
        10,
    );
    assert_eq!(result.expect("scans once the page is ready").len(), 3);
}

#[test]
fn a_scanner_busy_through_every_try_is_named() {
    let server = serve(Faults {
        busy: 100,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let err = scanner(&server)
        .scan(&feeder(&server.url, 1), dir.path(), &AtomicBool::new(false))
        .expect_err("busy");
    assert!(
        matches!(err, PaperError::EsclBusy { tries: 3, .. }),
        "{err}"
    );
    assert_eq!(err.code(), "paper.escl.busy");
    assert!(err.to_string().contains(&server.url), "{err}");
    server.seen(|seen| assert_eq!(seen.job_requests, 3));
}

#[test]
fn an_empty_feeder_says_so() {
    let server = serve(Faults {
        feeder_empty: true,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let err = scan_pages(&feeder(&server.url, 3), dir.path()).expect_err("no paper");
    match &err {
        PaperError::EsclFeederEmpty { state, .. } => assert_eq!(state, "ScannerAdfEmpty"),
        other => panic!("{other}"),
    }
    assert_eq!(err.code(), "paper.escl.feeder_empty");
    assert!(
        err.to_string().contains("put the pages in the feeder"),
        "{err}"
    );
    assert!(files_in(dir.path()).is_empty());
}

/// Scans the feeder with `faults`, expecting page 2 to fail with `cause` in its detail and
/// page 1 to be kept; returns the error and the folder.
fn page_two_fails(faults: Faults, cause: &str) -> (EsclServer, PaperError, tempfile::TempDir) {
    let server = serve(faults);
    let dir = tempfile::tempdir().expect("temp dir");
    let err = scanner(&server)
        .scan(
            &feeder(&server.url, 10),
            dir.path(),
            &AtomicBool::new(false),
        )
        .expect_err("page 2 fails");
    match &err {
        PaperError::EsclPage {
            page, kept, detail, ..
        } => {
            assert_eq!((*page, *kept), (2, 1));
            assert!(detail.contains(cause), "{detail}");
        }
        other => panic!("{other}"),
    }
    assert_eq!(err.code(), "paper.escl.page_failed");
    assert!(err.to_string().contains("page 2"), "{err}");
    assert_eq!(files_in(dir.path()), ["escl-0001.jpg"]);
    (server, err, dir)
}

#[test]
fn a_truncated_page_is_named_and_the_pages_before_it_are_kept() {
    let faults = Faults {
        truncated_page: Some(2),
        ..Faults::default()
    };
    let (server, _, _dir) = page_two_fails(faults, "truncated");
    // The job was stopped on the scanner.
    server.seen(|seen| assert_eq!(seen.deleted, ["job-1"]));
}

#[test]
fn a_connection_dropped_mid_page_is_named_and_the_pages_before_it_are_kept() {
    let faults = Faults {
        dropped_page: Some(2),
        ..Faults::default()
    };
    let (_server, _, dir) = page_two_fails(faults, "connection broke");
    // What was kept still converts.
    let out = dir.path().join("kept.pdf");
    convert_to(&[dir.path().join("escl-0001.jpg")], &out).expect("converts");
    assert_valid_bundle(&out, 1);
}

#[test]
fn cancelling_stops_between_pages_and_deletes_the_job() {
    let cancel = Arc::new(AtomicBool::new(false));
    let server = serve(Faults {
        cancel_after: Some((1, Arc::clone(&cancel))),
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let err = scanner(&server)
        .scan(&feeder(&server.url, 10), dir.path(), &cancel)
        .expect_err("cancelled");
    assert!(
        matches!(err, PaperError::ScanCancelled { pages: 1, .. }),
        "{err}"
    );
    assert_eq!(files_in(dir.path()), ["escl-0001.jpg"]);
    server.seen(|seen| {
        assert_eq!(seen.deleted, ["job-1"]);
        assert_eq!(seen.pages_sent, 1);
    });
}

#[test]
fn a_scanner_that_is_not_there_is_named() {
    // A port that was free a moment ago and has nobody listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/eSCL");
    let scanner = EsclScanner::new(&url, Duration::from_secs(30)).expect("address");
    let err = scanner.capabilities().expect_err("nobody there");
    assert!(matches!(err, PaperError::EsclUnreachable { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
    // An address that is not a scanner's is refused before anything is sent.
    let err = EsclScanner::new("ftp://127.0.0.1/eSCL", Duration::from_secs(1)).expect_err("ftp");
    assert_eq!(err.code(), "paper.escl.address");
}
