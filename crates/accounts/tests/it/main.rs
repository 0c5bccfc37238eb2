//! A kiosk session against a real court-sim on loopback: log in, keep the session, queue and
//! send a file, end; the data folder is exactly as before and no secret was ever on disk.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use litigant_accounts::{KioskSession, SecretStore, keep_session, kept_refresh_token};
use litigant_court_api::identity::{LoginRequest, SmsCodeRequest, SmsPurpose};
use litigant_court_client::{Client, ItemStatus, Outbox};
use litigant_court_sim::{CourtSim, SimConfig};

/// Every file under `folder` with its size and SHA-256.
fn snapshot(folder: &Path) -> BTreeMap<String, (u64, String)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable");
                let hash = <sha2::Sha256 as sha2::Digest>::digest(&bytes).iter().fold(
                    String::new(),
                    |mut out, b| {
                        use std::fmt::Write;
                        let _ = write!(out, "{b:02x}");
                        out
                    },
                );
                files.insert(
                    path.strip_prefix(folder)
                        .expect("inside")
                        .display()
                        .to_string(),
                    (bytes.len() as u64, hash),
                );
            }
        }
    }
    files
}

fn contains(folder: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if String::from_utf8_lossy(&std::fs::read(&path).expect("readable"))
                .contains(needle)
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// Logs the demo plaintiff in, reading the SMS code from the simulator's outbox.
async fn log_in(address: &str, clerk: &str) -> (Client, String) {
    let client = Client::connect(address).expect("a client");
    client
        .send_sms_code(&SmsCodeRequest {
            mobile: "13800138000".into(),
            purpose: SmsPurpose::Login,
        })
        .await
        .expect("a code");
    let outbox: serde_json::Value = reqwest::Client::new()
        .get(format!("{address}/api/v1/sim/sms-outbox"))
        .bearer_auth(clerk)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let code = outbox["items"][0]["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let logged_in = client
        .login(&LoginRequest {
            mobile: "13800138000".into(),
            sms_code: code,
        })
        .await
        .expect("logged in");
    (client, logged_in.refresh_token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_session_leaves_the_data_folder_as_it_was() {
    let court_dir = tempfile::tempdir().expect("a folder");
    let sim = CourtSim::bind(
        SimConfig::new(court_dir.path()),
        "127.0.0.1:0".parse().expect("an address"),
    )
    .await
    .expect("court-sim binds");
    let address = format!("http://{}", sim.local_addr().expect("an address"));
    tokio::spawn(sim.serve());
    let clerk =
        std::fs::read_to_string(court_dir.path().join("clerk-token")).expect("the clerk token");

    // The kiosk's data folder, with what earlier use left in it.
    let data = tempfile::tempdir().expect("a folder");
    std::fs::write(
        data.path().join("settings.json"),
        br#"{"language":"zh-CN","useMode":"kiosk"}"#,
    )
    .expect("written");
    let before = snapshot(data.path());

    let mut session = KioskSession::begin(
        data.path(),
        Duration::from_mins(5),
        Duration::from_mins(1),
        Instant::now(),
    )
    .expect("a session");
    let (client, refresh_at_login) = log_in(&address, &clerk).await;
    let tokens = client.session().expect("a session");
    keep_session(session.secrets(), &address, &tokens).expect("kept in memory");
    session.touch(Instant::now());

    let queue =
        Outbox::open(session.folder().join("outbox.db")).expect("an outbox in the session folder");
    let scan = session.folder().join("scan.pdf");
    std::fs::write(&scan, b"%PDF-1.7 a page the person brought").expect("written");
    let id = queue
        .enqueue_upload(&address, &scan, "application/pdf")
        .expect("queued");
    let sent = queue
        .drain(
            &client,
            1,
            Arc::new(|_, _| {}),
            Arc::new(AtomicBool::new(false)),
        )
        .await
        .expect("drained");
    assert_eq!(sent[0].status, ItemStatus::Done, "{:?}", sent[0]);
    assert_eq!(sent[0].id, id);

    // Secrets are in memory only: nothing under the data folder holds the tokens.
    for secret in [
        tokens.refresh.expose(),
        tokens.access.expose(),
        refresh_at_login.as_str(),
    ] {
        assert!(
            contains(data.path(), secret).is_empty(),
            "a token is on disk"
        );
    }
    assert!(
        kept_refresh_token(
            session.secrets() as &dyn SecretStore,
            &address,
            &tokens.account_id
        )
        .expect("readable")
        .is_some()
    );

    drop(queue);
    let ended = session.end().expect("ended");
    assert!(ended.files_removed >= 2, "{ended:?}");
    assert_eq!(ended.secrets_forgotten, 1);
    assert_eq!(
        snapshot(data.path()),
        before,
        "the data folder is exactly as before the session"
    );
}
