//! `litigant verify CASE` over a real case file, and `litigant verify-proof` over a proof that
//! a running `litigant serve-sim` issued, each as a script runs them: exit codes and reasons.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use litigant_evidence::{CaseFile, EntryKind, NewEntry};

use crate::platform::{Killed, text};

fn litigant(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_litigant"))
        .args(args)
        .env("LITIGANT_DATA_DIR", data)
        .output()
        .expect("litigant runs")
}

#[test]
fn verify_passes_an_intact_case_file_and_names_each_change() {
    let dir = tempfile::tempdir().expect("a folder");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("the data folder");
    let complaint = dir.path().join("complaint.pdf");
    let receipt = dir.path().join("receipt.pdf");
    std::fs::write(&complaint, b"%PDF-1.7 complaint").expect("written");
    std::fs::write(&receipt, b"%PDF-1.7 receipt").expect("written");
    {
        let mut file = CaseFile::open(&data).expect("the case file");
        for (kind, id, path) in [
            (EntryKind::Filed, "doc_1", &complaint),
            (EntryKind::Served, "doc_2", &receipt),
        ] {
            file.append(
                "case_1",
                NewEntry {
                    kind,
                    server_id: id.into(),
                    path: Some(path.clone()),
                    sha256: None,
                },
            )
            .expect("appended");
        }
    }

    let intact = litigant(&["verify", "case_1"], &data);
    assert_eq!(intact.status.code(), Some(0), "{}", text(&intact));
    assert!(
        text(&intact).contains("2 entries, 2 files rehashed"),
        "{}",
        text(&intact)
    );

    let unknown = litigant(&["verify", "case_none"], &data);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown).contains("no entries for case_none"),
        "{}",
        text(&unknown)
    );

    std::fs::write(&receipt, b"%PDF-1.7 receipt, altered").expect("written");
    let changed = litigant(&["verify", "case_1", "--data"], &data);
    // `--data` needs its value: a usage error.
    assert_eq!(changed.status.code(), Some(2));
    let changed = litigant(
        &["verify", "case_1", "--data", &data.display().to_string()],
        Path::new("/nonexistent"),
    );
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed));
    assert!(
        text(&changed).contains("entry 2: the file")
            && text(&changed).contains("receipt.pdf was changed")
            && text(&changed).contains("evidence.case_file.file_changed"),
        "{}",
        text(&changed)
    );
    std::fs::write(&receipt, b"%PDF-1.7 receipt").expect("restored");

    let db = rusqlite::Connection::open(data.join("case-file.db")).expect("the database");
    db.execute("UPDATE entries SET kind = 'signed' WHERE seq = 1", [])
        .expect("edited");
    let edited = litigant(&["verify", "case_1"], &data);
    assert_eq!(edited.status.code(), Some(1));
    assert!(
        text(&edited).contains("entry 1 was edited"),
        "{}",
        text(&edited)
    );
    db.execute("DELETE FROM entries WHERE seq = 1", [])
        .expect("deleted");
    let deleted = litigant(&["verify", "case_1"], &data);
    assert_eq!(deleted.status.code(), Some(1));
    assert!(
        text(&deleted).contains("entry 1 was deleted"),
        "{}",
        text(&deleted)
    );
}

fn get(base: &str, path: &str, token: &str) -> Vec<u8> {
    let response = reqwest::blocking::Client::new()
        .get(format!("{base}/api/v1{path}"))
        .bearer_auth(token)
        .send()
        .expect("the request is sent");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.bytes().expect("the body").to_vec()
}

#[test]
fn verify_proof_checks_a_proof_from_serve_sim_offline() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut child = Command::new(env!("CARGO_BIN_EXE_litigant"))
        .args(["serve-sim", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("court"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("litigant serve-sim starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let sim = Killed(child);
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the address");
    let base = line
        .trim()
        .strip_prefix("court-sim listening on ")
        .expect("an address line")
        .to_owned();
    let clerk = std::fs::read_to_string(dir.path().join("court/clerk-token")).expect("the token");

    let (file, proof, key) = (
        dir.path().join("iou.pdf"),
        dir.path().join("iou.proof.json"),
        dir.path().join("court-key.json"),
    );
    std::fs::write(&file, get(&base, "/documents/doc_demo_iou/content", &clerk)).expect("written");
    std::fs::write(
        &proof,
        get(&base, "/documents/doc_demo_iou/deposit-proof", &clerk),
    )
    .expect("written");
    std::fs::write(&key, get(&base, "/deposit-log/key", &clerk)).expect("written");
    // Offline from here: the court is gone.
    drop(sim);

    let args = |file: &Path| {
        vec![
            "verify-proof".to_owned(),
            file.display().to_string(),
            proof.display().to_string(),
            "--key".to_owned(),
            key.display().to_string(),
        ]
    };
    let run = |args: Vec<String>| {
        Command::new(env!("CARGO_BIN_EXE_litigant"))
            .args(args)
            .output()
            .expect("litigant runs")
    };
    let sound = run(args(&file));
    assert_eq!(sound.status.code(), Some(0), "{}", text(&sound));
    assert!(
        text(&sound).contains("not an external blockchain"),
        "{}",
        text(&sound)
    );

    let tampered = dir.path().join("iou-altered.pdf");
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.push(b'\n');
    std::fs::write(&tampered, bytes).expect("written");
    let refused = run(args(&tampered));
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("evidence.proof.hash_mismatch"),
        "{}",
        text(&refused)
    );

    // A key file whose key is not the one that signed: the anchor is unknown.
    let mut other: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&key).expect("read")).expect("JSON");
    let stranger = litigant_evidence::AccountKey::generate();
    other["keyId"] = litigant_evidence::key_id(&stranger.public_key()).into();
    let public = stranger.public_key_base64();
    other["publicKey"] = public.into();
    std::fs::write(&key, other.to_string()).expect("written");
    let unknown = run(args(&file));
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    assert!(
        text(&unknown).contains("evidence.proof.unknown_key"),
        "{}",
        text(&unknown)
    );
}
