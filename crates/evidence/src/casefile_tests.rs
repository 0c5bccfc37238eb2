use super::*;

struct Fixture {
    dir: tempfile::TempDir,
    file: CaseFile,
}

/// A case with three entries: two local files and one hash of a document only on the platform.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut file = CaseFile::open(dir.path()).unwrap();
    for (i, name) in ["complaint.pdf", "evidence.pdf"].iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("document {i}")).unwrap();
        file.append(
            "case_1",
            NewEntry {
                kind: EntryKind::Filed,
                server_id: format!("doc_{i}"),
                path: Some(path),
                sha256: None,
            },
        )
        .unwrap();
    }
    file.append(
        "case_1",
        NewEntry {
            kind: EntryKind::Served,
            server_id: "doc_notice".into(),
            path: None,
            sha256: Some("AB".repeat(32)),
        },
    )
    .unwrap();
    Fixture { dir, file }
}

fn codes(report: &CaseFileReport) -> Vec<&'static str> {
    report.findings.iter().map(CaseFileFinding::code).collect()
}

fn sql(fixture: &Fixture, statement: &str) {
    fixture.file.connection.execute_batch(statement).unwrap();
}

#[test]
fn an_untouched_log_verifies_and_links_each_entry_to_the_last() {
    let fixture = fixture();
    let report = fixture.file.verify("case_1").unwrap();
    assert!(report.intact(), "{:?}", report.findings);
    assert_eq!((report.entries, report.files_checked), (3, 2));
    let entries = fixture.file.entries("case_1").unwrap();
    assert_eq!(entries[0].prev_hash, GENESIS);
    assert_eq!(entries[1].prev_hash, entries[0].entry_hash);
    assert_eq!(entries[2].sha256, "ab".repeat(32));
    assert_eq!(fixture.file.cases().unwrap(), ["case_1"]);
    // A case with no log is not "intact".
    assert!(!fixture.file.verify("case_other").unwrap().intact());
}

#[test]
fn an_edited_entry_is_named() {
    let fixture = fixture();
    sql(
        &fixture,
        "UPDATE entries SET server_id = 'doc_x' WHERE seq = 2",
    );
    let report = fixture.file.verify("case_1").unwrap();
    assert_eq!(codes(&report), ["evidence.case_file.entry_edited"]);
    assert_eq!(
        report.findings[0].to_string(),
        "entry 2 was edited: its content no longer matches its recorded hash"
    );
}

#[test]
fn an_edit_with_a_recomputed_hash_breaks_the_chain_at_the_next_entry() {
    let fixture = fixture();
    let mut edited = fixture.file.entries("case_1").unwrap().remove(0);
    edited.sha256 = "cd".repeat(32);
    edited.entry_hash = edited.content_hash();
    fixture
        .file
        .connection
        .execute(
            "UPDATE entries SET sha256 = ?1, entry_hash = ?2 WHERE seq = 1",
            params![edited.sha256, edited.entry_hash],
        )
        .unwrap();
    let report = fixture.file.verify("case_1").unwrap();
    // The file no longer matches the forged hash, and entry 2 no longer links to entry 1.
    assert_eq!(
        codes(&report),
        [
            "evidence.case_file.file_changed",
            "evidence.case_file.chain_broken"
        ]
    );
    assert_eq!(report.findings[1], CaseFileFinding::ChainBroken { seq: 2 });
}

#[test]
fn a_deleted_entry_is_found_in_the_middle_and_at_the_end() {
    let fixture = fixture();
    sql(&fixture, "DELETE FROM entries WHERE seq = 2");
    let report = fixture.file.verify("case_1").unwrap();
    assert_eq!(
        report.findings,
        [CaseFileFinding::EntriesDeleted { first: 2, last: 2 }]
    );
    assert_eq!(
        report.findings[0].to_string(),
        "entry 2 was deleted: the log jumps over them"
    );

    let fixture = self::fixture();
    sql(&fixture, "DELETE FROM entries WHERE seq >= 2");
    let report = fixture.file.verify("case_1").unwrap();
    assert_eq!(
        report.findings,
        [CaseFileFinding::TailDeleted { first: 2, last: 3 }]
    );

    let fixture = self::fixture();
    sql(&fixture, "DELETE FROM heads");
    assert_eq!(
        codes(&fixture.file.verify("case_1").unwrap()),
        ["evidence.case_file.head_missing"]
    );
}

#[test]
fn a_changed_or_missing_file_is_named_with_its_path() {
    let fixture = fixture();
    let complaint = fixture.dir.path().join("complaint.pdf");
    std::fs::write(&complaint, "document 0, altered").unwrap();
    std::fs::remove_file(fixture.dir.path().join("evidence.pdf")).unwrap();
    let report = fixture.file.verify("case_1").unwrap();
    assert_eq!(
        codes(&report),
        [
            "evidence.case_file.file_changed",
            "evidence.case_file.file_missing"
        ]
    );
    let changed = report.findings[0].to_string();
    assert!(
        changed.contains("complaint.pdf") && changed.contains(&sha256_hex(b"document 0")),
        "{changed}"
    );
}

#[test]
fn appends_continue_after_reopening() {
    let fixture = fixture();
    drop(fixture.file);
    let mut reopened = CaseFile::open(fixture.dir.path()).unwrap();
    let entry = reopened
        .append(
            "case_1",
            NewEntry {
                kind: EntryKind::Signed,
                server_id: "sig_1".into(),
                path: None,
                sha256: Some("01".repeat(32)),
            },
        )
        .unwrap();
    assert_eq!(entry.seq, 4);
    assert!(reopened.verify("case_1").unwrap().intact());
    let refused = reopened
        .append(
            "case_1",
            NewEntry {
                kind: EntryKind::Signed,
                server_id: "sig_2".into(),
                path: None,
                sha256: None,
            },
        )
        .unwrap_err();
    assert_eq!(refused.code(), "evidence.malformed");
}
