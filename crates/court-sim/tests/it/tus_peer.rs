//! Interoperability: the peer tus client from `PyPI` (tuspy) uploads to court-sim.

use std::path::PathBuf;
use std::process::Command;

use reqwest::Method;

use crate::support::{PLAINTIFF_MOBILE, Sim, bytes, send, sha256_hex};

fn python() -> PathBuf {
    let python =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `bash -c 'source scripts/lib/setup.sh; ensure_python_packages'` (scripts/test-all.sh does)",
        python.display()
    );
    python
}

#[test]
fn tuspy_uploads_a_file_whose_stored_bytes_match() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = bytes(700_000, 11);
    let path = dir.path().join("evidence.pdf");
    std::fs::write(&path, &file).expect("written");
    let script = r#"
import sys
from tusclient import client
url, token, path = sys.argv[1], sys.argv[2], sys.argv[3]
tus = client.TusClient(url, headers={"Authorization": "Bearer " + token})
uploader = tus.uploader(file_path=path, chunk_size=256 * 1024,
                        metadata={"filename": "evidence.pdf", "contentType": "application/pdf"})
uploader.upload()
print(uploader.url)
"#;
    let output = Command::new(python())
        .args(["-c", script, &sim.url("/uploads"), &party.token])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "tuspy failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let location = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let id = location.rsplit('/').next().expect("an id").to_owned();
    let (status, document) =
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&party.token)));
    assert_eq!(status.as_u16(), 200, "{document}");
    assert_eq!(document["sha256"], sha256_hex(&file));
    let stored = std::fs::read(sim.data.join("documents").join(&id)).expect("the stored file");
    assert_eq!(stored, file);
}
