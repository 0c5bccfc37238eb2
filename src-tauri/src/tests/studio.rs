//! The scan studio on the mock runtime with real corpus pages: files are added (a damaged one
//! is refused alone), pages are moved, turned, cropped and deleted through the commands, and
//! the bundle is built where the window keeps its files (at a kiosk: the session's folder).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Shell, manifest_dir, shell};

fn corpus(name: &str) -> PathBuf {
    manifest_dir().join("../../shared/corpus").join(name)
}

const CLEAR_SCAN: &str = "scan_linn_300dpi_2col.png";
const PHONE_PHOTO: &str = "photo_page_sparse_wood.png";
const LOW_RES_PHOTO: &str = "photo_letter_signature_shadow.jpg";

fn files(view: &Value) -> Vec<&str> {
    view["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect()
}

fn page<'a>(view: &'a Value, file: &str) -> &'a Value {
    view["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == file)
        .unwrap_or_else(|| panic!("{file} is not in {view}"))
}

fn pdf_pages(path: &Path) -> String {
    let out = std::process::Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_owned()))
        .unwrap_or_default()
}

fn add(shell: &Shell, paths: &[PathBuf]) -> Value {
    shell.ok("studio_add", json!({"paths": paths}))
}

/// Crops the photo to its upper half, by four corners in source pixels, then goes back to the
/// detected outline.
fn crop_and_reset(shell: &Shell, view: &Value) -> Value {
    let photo = page(view, PHONE_PHOTO).clone();
    let source = shell.ok("studio_source", json!({"id": photo["id"]}));
    assert!(source["width"].as_u64().unwrap() <= 1000);
    assert_eq!(source["sourceWidth"], photo["sourceWidth"]);
    let (w, h) = (
        photo["sourceWidth"].as_f64().unwrap(),
        photo["sourceHeight"].as_f64().unwrap(),
    );
    let half =
        json!([{"x": 0, "y": 0}, {"x": w, "y": 0}, {"x": w, "y": h / 2.0}, {"x": 0, "y": h / 2.0}]);
    let view = shell.ok("studio_recrop", json!({"id": photo["id"], "corners": half}));
    let cropped = page(&view, PHONE_PHOTO);
    assert_eq!(cropped["cropChosen"], true);
    assert_eq!(cropped["corners"][2], json!({"x": w, "y": h / 2.0}));
    // Three corners are not a page; the page stays as it was.
    let refused = shell
        .invoke("studio_recrop", json!({"id": photo["id"], "corners": [{"x": 0, "y": 0}, {"x": 1, "y": 0}, {"x": 1, "y": 1}]}))
        .unwrap_err();
    assert_eq!(refused["code"], "studio.corners_count");
    // Back to the detected outline.
    let view = shell.ok("studio_recrop", json!({"id": photo["id"], "corners": null}));
    assert_eq!(page(&view, PHONE_PHOTO)["cropChosen"], false);

    view
}

#[test]
fn pages_are_added_fixed_and_built_and_a_damaged_file_loses_nothing_else() {
    let shell = shell();
    let broken = shell.data_dir().join("broken.jpg");
    std::fs::create_dir_all(shell.data_dir()).unwrap();
    std::fs::write(&broken, [0xFF, 0xD8, 0xFF, 0xE0, 7, 1, 2, 3, 9, 9, 9]).unwrap();

    let report = add(
        &shell,
        &[
            corpus(CLEAR_SCAN),
            corpus(PHONE_PHOTO),
            broken,
            corpus(LOW_RES_PHOTO),
        ],
    );
    assert_eq!(report["pagesAdded"], 3, "{report}");
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{report}");
    assert_eq!(failures[0]["file"], "broken.jpg");
    let code = failures[0]["error"]["code"].as_str().unwrap();
    assert!(code.starts_with("paper."), "{code}");
    assert_eq!(failures[0]["error"]["details"]["file"], "broken.jpg");

    let view = shell.ok("studio_view", json!({}));
    assert_eq!(files(&view), [CLEAR_SCAN, PHONE_PHOTO, LOW_RES_PHOTO]);
    assert_eq!(view["adding"], Value::Null);
    for p in view["pages"].as_array().unwrap() {
        assert!(
            p["thumbnail"]
                .as_str()
                .unwrap()
                .starts_with("data:image/jpeg;base64,/9j/")
        );
        assert!(p["thumbnailWidth"].as_u64().unwrap() <= 320);
        assert_eq!(p["corners"].as_array().unwrap().len(), 4);
    }
    // The low-resolution photo carries its warning, with a fix, on its own page.
    let low = page(&view, LOW_RES_PHOTO);
    assert_eq!(low["number"], 3);
    let codes: Vec<&str> = low["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"paper.quality.low_resolution"), "{low}");
    assert!(!low["warnings"][0]["fix"].as_str().unwrap().is_empty());
    assert!(
        page(&view, CLEAR_SCAN)["warnings"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{view}"
    );

    // Move the low-resolution page first: its warning moves with it.
    let id = low["id"].clone();
    let view = shell.ok("studio_move", json!({"id": id, "to": 0}));
    assert_eq!(files(&view), [LOW_RES_PHOTO, CLEAR_SCAN, PHONE_PHOTO]);
    assert_eq!(page(&view, LOW_RES_PHOTO)["number"], 1);

    // A quarter turn swaps the thumbnail's sides.
    let scan = page(&view, CLEAR_SCAN).clone();
    let view = shell.ok(
        "studio_rotate",
        json!({"id": scan["id"], "quarterTurns": 1}),
    );
    let turned = page(&view, CLEAR_SCAN);
    assert_eq!(turned["turn"], 90);
    assert_eq!(turned["thumbnailWidth"], scan["thumbnailHeight"]);

    crop_and_reset(&shell, &view);

    let view = shell.ok("studio_delete", json!({"id": scan["id"]}));
    assert_eq!(files(&view), [LOW_RES_PHOTO, PHONE_PHOTO]);
    let gone = shell
        .invoke("studio_delete", json!({"id": scan["id"]}))
        .unwrap_err();
    assert_eq!(gone["code"], "paper.studio.page_unknown");

    // Built into the data folder, without a place chosen.
    let built = shell.ok("studio_build", json!({"path": null, "ocr": false}));
    let path = PathBuf::from(built["path"].as_str().unwrap());
    assert!(
        path.starts_with(shell.data_dir().join("bundles")),
        "{built}"
    );
    assert_eq!(built["pages"], 2);
    let bytes = std::fs::metadata(&path).unwrap().len();
    assert_eq!(built["bytes"].as_u64(), Some(bytes), "{built}");
    assert_eq!(pdf_pages(&path), "2");
    // And to a chosen place.
    let chosen = shell.data_dir().join("chosen").join("bundle.pdf");
    let built = shell.ok("studio_build", json!({"path": chosen, "ocr": false}));
    assert_eq!(built["path"], chosen.display().to_string());
    assert_eq!(built["pagesWithText"], 0);
    assert_eq!(pdf_pages(&chosen), "2");
    // With a text layer from Tesseract.
    let built = shell.ok("studio_build", json!({"path": chosen, "ocr": true}));
    assert_eq!(built["ocrProblems"], json!([]), "{built}");
    assert_eq!(built["pagesWithText"], 2, "{built}");
    assert_eq!(pdf_pages(&chosen), "2");

    // A new document starts empty, and an empty one cannot be built.
    let view = shell.ok("studio_new", json!({}));
    assert!(files(&view).is_empty());
    let empty = shell
        .invoke("studio_build", json!({"path": null, "ocr": false}))
        .unwrap_err();
    assert_eq!(empty["code"], "paper.studio.empty");
}

#[test]
fn at_a_kiosk_the_bundle_stays_in_the_session_and_goes_with_it() {
    let shell = shell();
    shell.ok("settings_update", json!({"patch": {"useMode": "kiosk"}}));
    add(&shell, &[corpus(CLEAR_SCAN)]);
    let nowhere = shell
        .invoke("studio_build", json!({"path": null, "ocr": false}))
        .unwrap_err();
    assert_eq!(nowhere["code"], "kiosk.no_session");

    shell.ok("kiosk_begin", json!({}));
    let elsewhere = shell
        .invoke(
            "studio_build",
            json!({"path": shell.data_dir().join("out.pdf"), "ocr": false}),
        )
        .unwrap_err();
    assert_eq!(elsewhere["code"], "studio.kiosk_keeps_in_session");
    let built = shell.ok("studio_build", json!({"path": null, "ocr": false}));
    let path = PathBuf::from(built["path"].as_str().unwrap());
    assert!(path.exists());
    assert!(
        !path.starts_with(shell.data_dir().join("bundles")),
        "{built}"
    );

    shell.ok("kiosk_end", json!({}));
    assert!(!path.exists(), "the session's end removes the bundle");
    let view = shell.ok("studio_view", json!({}));
    assert!(files(&view).is_empty(), "and the studio forgets its pages");
}

/// The document camera (GStreamer's test pattern on the mock shell) gives a page: the frame is
/// kept in the working folder as a PNG and shows as a page with its thumbnail, and the bundle
/// builds with it.
#[test]
fn the_document_camera_takes_a_page() {
    let shell = shell();
    assert_eq!(shell.ok("studio_camera_available", json!({})), true);
    let report = shell.ok("studio_camera_page", json!({}));
    assert_eq!(report["pagesAdded"], 1, "{report}");
    let view = &report["studio"];
    assert_eq!(files(view), ["frame-0001.png"]);
    let taken = page(view, "frame-0001.png");
    assert_eq!(
        (
            taken["sourceWidth"].as_u64(),
            taken["sourceHeight"].as_u64()
        ),
        (Some(1920), Some(1080))
    );
    assert!(
        taken["thumbnail"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,")
    );
    let kept = shell.data_dir().join("scans/camera/frame-0001.png");
    assert!(kept.is_file(), "{}", kept.display());
    // A second page numbers on; both go into the bundle.
    let report = shell.ok("studio_camera_page", json!({}));
    assert_eq!(
        files(&report["studio"]),
        ["frame-0001.png", "frame-0002.png"]
    );
    let built = shell.ok("studio_build", json!({"path": null, "ocr": false}));
    assert_eq!(built["pages"], 2);
    assert_eq!(pdf_pages(Path::new(built["path"].as_str().unwrap())), "2");
}

/// A scan from an eSCL address nobody answers at names the scanner; nothing is added.
#[test]
fn an_escl_scanner_address_is_taken_where_a_device_stands() {
    let shell = shell();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let device = format!("escl:http://127.0.0.1:{port}/eSCL");
    let refused = shell
        .invoke("studio_scan", json!({"device": device, "pages": 1}))
        .unwrap_err();
    assert_eq!(refused["code"], "paper.escl.unreachable", "{refused}");
    assert_eq!(
        refused["details"]["device"],
        format!("http://127.0.0.1:{port}/eSCL")
    );
    assert!(files(&shell.ok("studio_view", json!({}))).is_empty());
}
