//! Interoperability: the client uploads to the peer tus server from npm (`@tus/server` with
//! `@tus/file-store`), started by the test, and the stored file matches.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use litigant_court_client::{Client, FileTransfer, RetryPolicy};

use crate::support::{bytes, sha256_hex};

struct Peer(std::process::Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_uploads_to_the_npm_tus_server() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/tus-peer/server.mjs");
    assert!(
        root.join("node_modules/@tus/server").exists(),
        "npm packages are missing: run `npm ci` (scripts/test-all.sh does)"
    );
    let store = tempfile::tempdir().expect("a folder");
    let mut child = Command::new("node")
        .arg(&script)
        .arg(store.path())
        .current_dir(&root)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the peer prints its address");
    let _peer = Peer(child);
    let endpoint = line
        .trim()
        .strip_prefix("tus peer listening on ")
        .unwrap_or_else(|| panic!("unexpected: {line:?}"))
        .to_owned();

    let dir = tempfile::tempdir().expect("a folder");
    let content = bytes(6 << 20, 21);
    let path = dir.path().join("scan.pdf");
    std::fs::write(&path, &content).expect("written");
    // The client's platform is elsewhere: no token is sent to the peer.
    let client = Client::connect("http://127.0.0.1:9")
        .expect("a client")
        .with_retry(RetryPolicy::default());
    let url = client
        .create_upload(
            &endpoint,
            "scan.pdf",
            "application/pdf",
            content.len() as u64,
            Some(&sha256_hex(&content)),
        )
        .await
        .expect("created at the peer");
    assert!(url.starts_with(&endpoint), "{url}");
    let sent = client
        .send_file(
            FileTransfer {
                upload_url: &url,
                path: &path,
                offset: 0,
                total: content.len() as u64,
            },
            &mut |_| Ok(()),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .await
        .expect("sent to the peer");
    // The whole file's hash, computed in the same pass as the chunks' checksums.
    let sent = sent.as_ref().map(litigant_digest::hex);
    assert_eq!(sent, Some(sha256_hex(&content)));
    assert_eq!(
        client.upload_offset(&url).await.expect("HEAD"),
        content.len() as u64
    );
    let id = url.rsplit('/').next().expect("an id");
    let stored = std::fs::read(store.path().join(id)).expect("the peer stored the file");
    assert_eq!(sha256_hex(&stored), sha256_hex(&content));
}
