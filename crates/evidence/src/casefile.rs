//! The local electronic case file (Art. 35): per case, everything filed, served, signed and
//! received, with the platform's ids, SHA-256 hashes and times, in an append-only log where
//! each entry's hash covers the previous entry's hash. `verify` rechecks the chain and every
//! file still on disk against it.
//!
//! What it can and cannot show: an edited entry, a removed entry (a gap, or a shorter log
//! than the head records), a changed or missing file are all found. Someone who rewrites every
//! later entry and the head as well is not: the log is tamper-evident against accidents and
//! careless edits, and the platform's own record is the independent copy.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::error::EvidenceError;
use crate::hash::{sha256_file, sha256_hex};

/// The `prev_hash` of a case's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const SCHEMA: &str = r"
CREATE TABLE IF NOT EXISTS entries (
    case_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, server_id TEXT NOT NULL,
    path TEXT, sha256 TEXT NOT NULL, recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, entry_hash TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
-- The last entry of each case, written with it: a log cut short no longer reaches its head.
CREATE TABLE IF NOT EXISTS heads (
    case_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, entry_hash TEXT NOT NULL
);
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Sent to the court by this party.
    Filed,
    /// Served on this party by the court.
    Served,
    /// Signed by this party (a transcript, agreement, receipt).
    Signed,
    /// Received from another party (evidence, a proof, a signature).
    Received,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Filed => "filed",
            Self::Served => "served",
            Self::Signed => "signed",
            Self::Received => "received",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Filed, Self::Served, Self::Signed, Self::Received]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// What to record.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub kind: EntryKind,
    /// The platform's id of the document, filing or signature.
    pub server_id: String,
    /// The local copy, if there is one; its hash is taken now.
    pub path: Option<PathBuf>,
    /// The hash when there is no local copy (e.g. a document only on the platform).
    pub sha256: Option<String>,
}

/// A recorded entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub case_id: String,
    pub seq: u64,
    pub kind: EntryKind,
    pub server_id: String,
    pub path: Option<PathBuf>,
    pub sha256: String,
    /// As stored (RFC 3339), so the hash is recomputed over the same text.
    pub recorded_at: String,
    pub prev_hash: String,
    pub entry_hash: String,
}

impl Entry {
    /// The hash an entry's content gives: SHA-256 of a JSON array of every field but the hash
    /// itself (JSON, so no field's text can run into the next).
    pub fn content_hash(&self) -> String {
        let content = serde_json::json!([
            "litigant-case-file-v1",
            self.case_id,
            self.seq,
            self.kind.as_str(),
            self.server_id,
            self.path.as_ref().map(|p| p.to_string_lossy()),
            self.sha256,
            self.recorded_at,
            self.prev_hash,
        ]);
        sha256_hex(content.to_string().as_bytes())
    }
}

/// Something `verify` found wrong, with the entry it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseFileFinding {
    /// The entry's content no longer gives its recorded hash.
    EntryEdited {
        seq: u64,
    },
    /// The entry does not link to the entry before it.
    ChainBroken {
        seq: u64,
    },
    /// Entries are missing between two that remain.
    EntriesDeleted {
        first: u64,
        last: u64,
    },
    /// The log ends before the last entry the head records.
    TailDeleted {
        first: u64,
        last: u64,
    },
    /// The head records another last entry than the log has.
    HeadMismatch {
        seq: u64,
    },
    /// Entries without a head: the head was removed.
    HeadMissing,
    FileMissing {
        seq: u64,
        path: PathBuf,
    },
    FileChanged {
        seq: u64,
        path: PathBuf,
        recorded: String,
        current: String,
    },
    FileUnreadable {
        seq: u64,
        path: PathBuf,
        cause: String,
    },
    UnknownKind {
        seq: u64,
        kind: String,
    },
}

impl CaseFileFinding {
    pub fn code(&self) -> &'static str {
        match self {
            Self::EntryEdited { .. } => "evidence.case_file.entry_edited",
            Self::ChainBroken { .. } => "evidence.case_file.chain_broken",
            Self::EntriesDeleted { .. } => "evidence.case_file.entries_deleted",
            Self::TailDeleted { .. } => "evidence.case_file.tail_deleted",
            Self::HeadMismatch { .. } => "evidence.case_file.head_mismatch",
            Self::HeadMissing => "evidence.case_file.head_missing",
            Self::FileMissing { .. } => "evidence.case_file.file_missing",
            Self::FileChanged { .. } => "evidence.case_file.file_changed",
            Self::FileUnreadable { .. } => "evidence.case_file.file_unreadable",
            Self::UnknownKind { .. } => "evidence.case_file.unknown_kind",
        }
    }
}

fn range(first: u64, last: u64) -> String {
    if first == last {
        format!("entry {first} was")
    } else {
        format!("entries {first}-{last} were")
    }
}

impl fmt::Display for CaseFileFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EntryEdited { seq } => write!(
                f,
                "entry {seq} was edited: its content no longer matches its recorded hash"
            ),
            Self::ChainBroken { seq } => write!(
                f,
                "entry {seq} does not follow the entry before it: an entry was replaced or inserted"
            ),
            Self::EntriesDeleted { first, last } => {
                write!(
                    f,
                    "{} deleted: the log jumps over them",
                    range(*first, *last)
                )
            }
            Self::TailDeleted { first, last } => write!(
                f,
                "{} deleted from the end: the log's head records entry {last}",
                range(*first, *last)
            ),
            Self::HeadMismatch { seq } => write!(
                f,
                "the log's head records another entry {seq} than the log holds: the last entry was replaced"
            ),
            Self::HeadMissing => f.write_str(
                "the log's head record was deleted, so a cut-off end cannot be ruled out",
            ),
            Self::FileMissing { seq, path } => {
                write!(f, "entry {seq}: the file {} is missing", path.display())
            }
            Self::FileChanged {
                seq,
                path,
                recorded,
                current,
            } => write!(
                f,
                "entry {seq}: the file {} was changed: its SHA-256 is {current}, the log recorded {recorded}",
                path.display()
            ),
            Self::FileUnreadable { seq, path, cause } => write!(
                f,
                "entry {seq}: the file {} cannot be read: {cause}",
                path.display()
            ),
            Self::UnknownKind { seq, kind } => {
                write!(f, "entry {seq} has an unknown kind {kind:?}")
            }
        }
    }
}

/// What `verify` found for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFileReport {
    pub case_id: String,
    /// Entries read.
    pub entries: usize,
    /// Files rehashed.
    pub files_checked: usize,
    pub findings: Vec<CaseFileFinding>,
}

impl CaseFileReport {
    /// Entries exist and nothing was found wrong.
    pub fn intact(&self) -> bool {
        self.entries > 0 && self.findings.is_empty()
    }
}

/// The case file database, `<data>/case-file.db`.
#[derive(Debug)]
pub struct CaseFile {
    connection: Connection,
}

impl CaseFile {
    pub fn open(data: &Path) -> Result<Self, EvidenceError> {
        let path = data.join("case-file.db");
        let open = || -> rusqlite::Result<Connection> {
            let connection = Connection::open(&path)?;
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            connection.execute_batch(SCHEMA)?;
            Ok(connection)
        };
        let connection =
            open().map_err(|source| EvidenceError::CaseFileDatabase { path, source })?;
        Ok(Self { connection })
    }

    /// Records an entry at the end of the case's log.
    pub fn append(&mut self, case_id: &str, new: NewEntry) -> Result<Entry, EvidenceError> {
        let sha256 = match (&new.path, new.sha256) {
            (Some(path), _) => sha256_file(path)?,
            (None, Some(sha256)) => sha256.to_ascii_lowercase(),
            (None, None) => {
                return Err(EvidenceError::malformed(
                    "the case file entry",
                    "it needs a file or a hash",
                ));
            }
        };
        // IMMEDIATE: the app and the command line may append at once; one waits for the other
        // rather than both reading the same head.
        let tx = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let head: Option<(u64, String)> = tx
            .query_row(
                "SELECT seq, entry_hash FROM heads WHERE case_id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, prev_hash) = head.map_or((1, GENESIS.to_owned()), |(seq, hash)| (seq + 1, hash));
        let mut entry = Entry {
            case_id: case_id.to_owned(),
            seq,
            kind: new.kind,
            server_id: new.server_id,
            path: new.path,
            sha256,
            recorded_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            prev_hash,
            entry_hash: String::new(),
        };
        entry.entry_hash = entry.content_hash();
        tx.execute(
            "INSERT INTO entries (case_id, seq, kind, server_id, path, sha256, recorded_at, prev_hash, entry_hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                entry.case_id,
                entry.seq,
                entry.kind.as_str(),
                entry.server_id,
                entry.path.as_ref().map(|p| p.to_string_lossy()),
                entry.sha256,
                entry.recorded_at,
                entry.prev_hash,
                entry.entry_hash
            ],
        )?;
        tx.execute(
            "INSERT INTO heads (case_id, seq, entry_hash) VALUES (?1, ?2, ?3) \
             ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, entry_hash = excluded.entry_hash",
            params![case_id, entry.seq, entry.entry_hash],
        )?;
        tx.commit()?;
        Ok(entry)
    }

    /// The cases that have a log.
    pub fn cases(&self) -> Result<Vec<String>, EvidenceError> {
        let mut statement = self
            .connection
            .prepare("SELECT case_id FROM entries UNION SELECT case_id FROM heads ORDER BY 1")?;
        Ok(statement
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The case's entries in order, and the kinds no entry kind matches.
    fn rows(&self, case_id: &str) -> Result<Vec<(Option<Entry>, u64, String)>, EvidenceError> {
        let mut statement = self.connection.prepare(
            "SELECT seq, kind, server_id, path, sha256, recorded_at, prev_hash, entry_hash \
             FROM entries WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = statement
            .query_map([case_id], |r| {
                let seq: u64 = r.get(0)?;
                let kind: String = r.get(1)?;
                let entry = EntryKind::parse(&kind).map(|kind| -> rusqlite::Result<Entry> {
                    Ok(Entry {
                        case_id: case_id.to_owned(),
                        seq,
                        kind,
                        server_id: r.get(2)?,
                        path: r.get::<_, Option<String>>(3)?.map(PathBuf::from),
                        sha256: r.get(4)?,
                        recorded_at: r.get(5)?,
                        prev_hash: r.get(6)?,
                        entry_hash: r.get(7)?,
                    })
                });
                Ok((entry.transpose()?, seq, kind))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn entries(&self, case_id: &str) -> Result<Vec<Entry>, EvidenceError> {
        Ok(self
            .rows(case_id)?
            .into_iter()
            .filter_map(|(entry, _, _)| entry)
            .collect())
    }

    /// Rechecks the case's chain, its head and every recorded file.
    pub fn verify(&self, case_id: &str) -> Result<CaseFileReport, EvidenceError> {
        let rows = self.rows(case_id)?;
        let mut report = CaseFileReport {
            case_id: case_id.to_owned(),
            entries: rows.len(),
            files_checked: 0,
            findings: Vec::new(),
        };
        let (mut expected, mut prev) = (1_u64, GENESIS.to_owned());
        let mut last: Option<(u64, String)> = None;
        for (entry, seq, kind) in rows {
            let contiguous = seq == expected;
            if !contiguous {
                report.findings.push(CaseFileFinding::EntriesDeleted {
                    first: expected,
                    last: seq - 1,
                });
            }
            let Some(entry) = entry else {
                report
                    .findings
                    .push(CaseFileFinding::UnknownKind { seq, kind });
                (expected, prev) = (seq + 1, String::new());
                continue;
            };
            if entry.content_hash() != entry.entry_hash {
                report.findings.push(CaseFileFinding::EntryEdited { seq });
            } else if contiguous && entry.prev_hash != prev {
                report.findings.push(CaseFileFinding::ChainBroken { seq });
            }
            if let Some(path) = &entry.path {
                report.files_checked += 1;
                check_file(&entry, path, &mut report.findings);
            }
            // Link to the hash as stored: an edited entry is reported once, not again for its
            // successor.
            prev.clone_from(&entry.entry_hash);
            expected = seq + 1;
            last = Some((seq, entry.entry_hash));
        }
        let head: Option<(u64, String)> = self
            .connection
            .query_row(
                "SELECT seq, entry_hash FROM heads WHERE case_id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let last_seq = last.as_ref().map_or(0, |(seq, _)| *seq);
        match head {
            None if last.is_some() => report.findings.push(CaseFileFinding::HeadMissing),
            Some((seq, _)) if seq > last_seq => {
                report.findings.push(CaseFileFinding::TailDeleted {
                    first: last_seq + 1,
                    last: seq,
                });
            }
            Some((seq, hash))
                if last
                    .is_some_and(|(last_seq, last_hash)| last_seq != seq || last_hash != hash) =>
            {
                report.findings.push(CaseFileFinding::HeadMismatch { seq });
            }
            None | Some(_) => {}
        }
        Ok(report)
    }
}

fn check_file(entry: &Entry, path: &Path, findings: &mut Vec<CaseFileFinding>) {
    let seq = entry.seq;
    match sha256_file(path) {
        Ok(current) if current == entry.sha256 => {}
        Ok(current) => findings.push(CaseFileFinding::FileChanged {
            seq,
            path: path.to_owned(),
            recorded: entry.sha256.clone(),
            current,
        }),
        Err(EvidenceError::File { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            findings.push(CaseFileFinding::FileMissing {
                seq,
                path: path.to_owned(),
            });
        }
        Err(error) => findings.push(CaseFileFinding::FileUnreadable {
            seq,
            path: path.to_owned(),
            cause: error.to_string(),
        }),
    }
}

#[cfg(test)]
#[path = "casefile_tests.rs"]
mod tests;
