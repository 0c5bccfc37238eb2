//! All the simulator's state: one `SQLite` database and a folder of files.
//!
//! What must hold: every change a client was told succeeded is committed before the answer
//! leaves, so a kill -9 or a restart loses nothing that was acknowledged. `SQLite` in WAL mode
//! with `synchronous=NORMAL` gives that against a process crash (not a power cut, which a
//! simulator need not survive).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::SimError;

/// Version 2 added the deposit log; a version 1 database gets it on open, its documents
/// entered in the order they were made.
const SCHEMA_VERSION: i32 = 2;

const SCHEMA: &str = r"
CREATE TABLE accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, id_type TEXT NOT NULL,
    id_number TEXT NOT NULL UNIQUE, mobile TEXT NOT NULL UNIQUE,
    verification TEXT NOT NULL, verified_at TEXT, assurance_at TEXT,
    signing_key TEXT, created_at TEXT NOT NULL
);
CREATE TABLE sms_codes (
    mobile TEXT NOT NULL, purpose TEXT NOT NULL, code TEXT NOT NULL,
    sent_at TEXT NOT NULL, expires_at TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, account_id TEXT NOT NULL,
    expires_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cases (
    id TEXT PRIMARY KEY, case_number TEXT NOT NULL, title TEXT NOT NULL,
    case_type TEXT NOT NULL, status TEXT NOT NULL, filing_id TEXT, opened_at TEXT NOT NULL
);
CREATE TABLE case_parties (
    case_id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, account_id TEXT
);
CREATE TABLE docket (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, at TEXT NOT NULL,
    description TEXT NOT NULL, document_id TEXT
);
CREATE TABLE case_documents (
    case_id TEXT NOT NULL, document_id TEXT NOT NULL, document_type TEXT NOT NULL,
    submitted_by TEXT NOT NULL, added_at TEXT NOT NULL, PRIMARY KEY (case_id, document_id)
);
CREATE TABLE consents (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, account_id TEXT NOT NULL,
    link TEXT NOT NULL, mode TEXT NOT NULL, reason TEXT, recorded_at TEXT NOT NULL
);
CREATE TABLE offline_transfers (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, account_id TEXT NOT NULL, links TEXT NOT NULL,
    reason TEXT NOT NULL, status TEXT NOT NULL, requested_at TEXT NOT NULL
);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, length INTEGER NOT NULL, offset INTEGER NOT NULL,
    filename TEXT NOT NULL, content_type TEXT NOT NULL, declared_sha256 TEXT,
    metadata TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, filename TEXT NOT NULL,
    content_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE filings (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, status TEXT NOT NULL, draft TEXT NOT NULL,
    submitted_at TEXT NOT NULL, updated_at TEXT NOT NULL, deficiencies TEXT NOT NULL,
    correction_due_at TEXT, decision_reason TEXT, case_id TEXT
);
CREATE TABLE supplements (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT, filing_id TEXT NOT NULL, note TEXT NOT NULL,
    documents TEXT NOT NULL, submitted_at TEXT NOT NULL
);
CREATE TABLE idempotency (
    account_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (account_id, key)
);
CREATE TABLE evidence (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, submitted_by TEXT NOT NULL,
    document_id TEXT NOT NULL, document_sha256 TEXT NOT NULL, name TEXT NOT NULL,
    source TEXT NOT NULL, purpose TEXT NOT NULL, page_range TEXT, deposit_proof TEXT,
    submitted_at TEXT NOT NULL
);
CREATE TABLE exchanges (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, mode TEXT NOT NULL,
    opens_at TEXT NOT NULL, closes_at TEXT NOT NULL
);
CREATE TABLE opinions (
    id TEXT PRIMARY KEY, evidence_id TEXT NOT NULL, account_id TEXT NOT NULL,
    window_id TEXT NOT NULL, authenticity TEXT NOT NULL, legality TEXT NOT NULL,
    relevance TEXT NOT NULL, submitted_at TEXT NOT NULL
);
CREATE TABLE hearings (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, title TEXT NOT NULL, steps TEXT NOT NULL,
    opened_at TEXT NOT NULL, deadline TEXT NOT NULL
);
CREATE TABLE recordings (
    hearing_id TEXT NOT NULL, account_id TEXT NOT NULL, step_index INTEGER NOT NULL,
    segments TEXT NOT NULL, manifest_document_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
    PRIMARY KEY (hearing_id, account_id, step_index)
);
CREATE TABLE hearing_submissions (
    hearing_id TEXT NOT NULL, account_id TEXT NOT NULL, submitted_at TEXT NOT NULL,
    PRIMARY KEY (hearing_id, account_id)
);
CREATE TABLE service (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, account_id TEXT NOT NULL, title TEXT NOT NULL,
    document_id TEXT NOT NULL, served_at TEXT NOT NULL, delivered_at TEXT NOT NULL,
    opened_at TEXT, receipt_confirmed_at TEXT
);
CREATE TABLE signatures (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, document_sha256 TEXT NOT NULL,
    account_id TEXT NOT NULL, purpose TEXT NOT NULL, signed_at TEXT NOT NULL,
    signature TEXT NOT NULL, verified_at TEXT NOT NULL
);
CREATE TABLE events (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, kind TEXT NOT NULL,
    at TEXT NOT NULL, case_id TEXT, subject_id TEXT NOT NULL, summary TEXT NOT NULL, due_at TEXT
);
CREATE INDEX events_by_account ON events (account_id, cursor);
";

/// The database and the folders of uploads in progress and finished documents.
#[derive(Debug)]
pub struct Store {
    connection: Mutex<Connection>,
    uploads: PathBuf,
    documents: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `data`, and brings uploads in progress back to
    /// what the database acknowledged.
    pub fn open(data: &Path) -> Result<Self, SimError> {
        let uploads = data.join("uploads");
        let documents = data.join("documents");
        for dir in [data, &uploads, &documents] {
            std::fs::create_dir_all(dir).map_err(|source| SimError::DataFolder {
                path: dir.to_owned(),
                source,
            })?;
        }
        let path = data.join("court.db");
        let open = || -> rusqlite::Result<Connection> {
            let connection = Connection::open(&path)?;
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            connection.pragma_update(None, "foreign_keys", "ON")?;
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            let version: i32 = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if version == 0 {
                let tx = connection.unchecked_transaction()?;
                tx.execute_batch(SCHEMA)?;
                tx.execute_batch(crate::deposit::SCHEMA)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
                tx.commit()?;
            } else if version == 1 {
                let tx = connection.unchecked_transaction()?;
                tx.execute_batch(crate::deposit::SCHEMA)?;
                let documents: Vec<(String, String)> = tx
                    .prepare("SELECT id, sha256 FROM documents ORDER BY created_at, id")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (id, sha256) in documents {
                    crate::deposit::append(&tx, &id, &sha256)?;
                }
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
                tx.commit()?;
            }
            connection.execute_batch(crate::identity_checks::SCHEMA)?;
            Ok(connection)
        };
        let connection = open().map_err(|source| SimError::DatabaseOpen {
            path: path.clone(),
            source,
        })?;
        let version: i32 = connection
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|source| SimError::DatabaseOpen {
                path: path.clone(),
                source,
            })?;
        if version != SCHEMA_VERSION {
            return Err(SimError::Damaged(format!(
                "{} has schema version {version}; this court-sim knows version {SCHEMA_VERSION}",
                path.display()
            )));
        }
        let store = Self {
            connection: Mutex::new(connection),
            uploads,
            documents,
        };
        store.recover_uploads()?;
        Ok(store)
    }

    /// The database, for one short piece of work. Handlers never hold it across an await.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn upload_path(&self, id: &str) -> PathBuf {
        self.uploads.join(format!("{id}.part"))
    }

    pub fn document_path(&self, id: &str) -> PathBuf {
        self.documents.join(id)
    }

    /// After a crash an upload's file may hold bytes past the acknowledged offset (a chunk that
    /// was being written, whose checksum was never checked). Those bytes are cut off so the
    /// file and the database agree and the client resumes from the acknowledged offset.
    fn recover_uploads(&self) -> Result<(), SimError> {
        let pending: Vec<(String, u64)> = {
            let db = self.db();
            let mut statement = db.prepare("SELECT id, offset FROM uploads")?;
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (id, offset) in pending {
            let path = self.upload_path(&id);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|source| SimError::File {
                    path: path.clone(),
                    source,
                })?;
            let length = file
                .metadata()
                .map_err(|source| SimError::File {
                    path: path.clone(),
                    source,
                })?
                .len();
            if length > offset {
                tracing::info!(upload = %id, kept = offset, dropped = length - offset, "cut an interrupted chunk");
                file.set_len(offset).map_err(|source| SimError::File {
                    path: path.clone(),
                    source,
                })?;
            } else if length < offset {
                return Err(SimError::Damaged(format!(
                    "upload {id} was acknowledged to byte {offset} but its file has {length}"
                )));
            }
        }
        // A document whose commit landed but whose rename did not: finish the rename.
        let finished: Vec<String> = {
            let db = self.db();
            let mut statement = db.prepare("SELECT id FROM documents")?;
            statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for id in finished {
            let (part, document) = (self.upload_path(&id), self.document_path(&id));
            if !document.exists() && part.exists() {
                std::fs::rename(&part, &document).map_err(|source| SimError::File {
                    path: document,
                    source,
                })?;
            }
        }
        Ok(())
    }
}

/// An enum's wire name (its serde string), for a TEXT column.
pub fn to_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The enum behind a TEXT column written by [`to_text`].
pub fn from_text<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A JSON column's value.
pub fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub fn from_json<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A new identifier: the type prefix and 16 random hex digits.
pub fn new_id(prefix: &str) -> String {
    let n: u64 = rand::random();
    format!("{prefix}_{n:016x}")
}
