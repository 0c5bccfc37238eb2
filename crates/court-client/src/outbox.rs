//! The outbox: every upload and filing is recorded in `SQLite` before its first byte is sent, and
//! every acknowledged offset as it comes, so after a crash, a kill -9 or a reboot the work goes
//! on from where the platform stands. Finished items keep their server ids and hashes: they are
//! the start of the local case file.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::UNIX_EPOCH;

use chrono::{DateTime, Utc};
use litigant_court_api::filings::FilingDraft;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{ClientError, Result};
use crate::upload::{FileTransfer, Progress, sha256_file, upload_document_id};

const SCHEMA: &str = r"
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    platform TEXT NOT NULL,
    label TEXT NOT NULL,
    path TEXT,
    content_type TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    modified INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT,
    upload_url TEXT,
    offset INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    body TEXT,
    status TEXT NOT NULL,
    server_id TEXT,
    server_sha256 TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (account_id TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deadlines (
    subject_id TEXT NOT NULL, account_id TEXT NOT NULL, kind TEXT NOT NULL, case_id TEXT,
    summary TEXT NOT NULL, due_at TEXT NOT NULL, PRIMARY KEY (subject_id, account_id, kind)
);
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Upload,
    Filing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Waiting to be sent, or to be sent again (the platform was unreachable).
    Queued,
    /// Finished; `server_id` holds the document or filing id.
    Done,
    /// Refused for a reason that trying again will not fix; `last_error` says which.
    Failed,
    /// Stopped by the person.
    Cancelled,
}

/// One piece of work in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub id: i64,
    pub kind: ItemKind,
    pub platform: String,
    /// The file name, or the filing's title.
    pub label: String,
    pub path: Option<PathBuf>,
    pub size: u64,
    pub sha256: Option<String>,
    /// The tus upload's URL, once created.
    pub upload_url: Option<String>,
    /// Bytes the platform has acknowledged.
    pub offset: u64,
    pub status: ItemStatus,
    pub server_id: Option<String>,
    pub server_sha256: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The outbox database. Cheap to clone; clones share one connection.
#[derive(Debug, Clone)]
pub struct Outbox {
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
}

fn text<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse<T: for<'de> Deserialize<'de>>(value: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn modified(path: &Path) -> Result<(u64, i64)> {
    let metadata = std::fs::metadata(path).map_err(|source| ClientError::File {
        path: path.to_owned(),
        source,
    })?;
    let nanos = metadata
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    Ok((metadata.len(), nanos))
}

const COLUMNS: &str = "id, kind, platform, label, path, size, sha256, upload_url, offset, status, server_id, server_sha256, attempts, last_error, created_at, updated_at";

fn item_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: row.get(0)?,
        kind: parse(&row.get::<_, String>(1)?)?,
        platform: row.get(2)?,
        label: row.get(3)?,
        path: row.get::<_, Option<String>>(4)?.map(PathBuf::from),
        size: row.get(5)?,
        sha256: row.get(6)?,
        upload_url: row.get(7)?,
        offset: row.get(8)?,
        status: parse(&row.get::<_, String>(9)?)?,
        server_id: row.get(10)?,
        server_sha256: row.get(11)?,
        attempts: row.get(12)?,
        last_error: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

impl Outbox {
    /// Opens (creating) the outbox database at `path`.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let outbox_error = |source| ClientError::Outbox {
            path: path.clone(),
            source,
        };
        let connection = Connection::open(&path).map_err(outbox_error)?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(outbox_error)?;
        // FULL: what is recorded before anything is sent (an item, its upload's URL, a filing's
        // idempotency key) must survive a power cut too, or a restarted client could send it
        // again. Progress offsets are the exception: see `record_offset`.
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(outbox_error)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(outbox_error)?;
        connection.execute_batch(SCHEMA).map_err(outbox_error)?;
        Ok(Self {
            path,
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn error(&self, source: rusqlite::Error) -> ClientError {
        ClientError::Outbox {
            path: self.path.clone(),
            source,
        }
    }

    /// Queues a file: records it (path, size, modification time), so nothing is sent that was
    /// not recorded first. Its SHA-256 is computed while it is sent, and kept.
    pub fn enqueue_upload(&self, platform: &str, path: &Path, content_type: &str) -> Result<i64> {
        let path = std::path::absolute(path).map_err(|source| ClientError::File {
            path: path.to_owned(),
            source,
        })?;
        let (size, modified) = modified(&path)?;
        let label = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let now = Utc::now();
        let db = self.db();
        db.execute(
            "INSERT INTO items (kind, platform, label, path, content_type, size, modified, status, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![text(&ItemKind::Upload), platform, label, path.to_string_lossy(), content_type, size, modified, text(&ItemStatus::Queued), now],
        )
        .map_err(|e| self.error(e))?;
        Ok(db.last_insert_rowid())
    }

    /// Queues a filing with a fresh idempotency key, kept with it: however often it is sent,
    /// the platform makes one filing.
    pub fn enqueue_filing(&self, platform: &str, draft: &FilingDraft) -> Result<i64> {
        let key: [u8; 16] = rand::random();
        let key = key.iter().fold(String::new(), |mut out, b| {
            use std::fmt::Write;
            let _ = write!(out, "{b:02x}");
            out
        });
        let now = Utc::now();
        let db = self.db();
        db.execute(
            "INSERT INTO items (kind, platform, label, idempotency_key, body, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![text(&ItemKind::Filing), platform, draft.title, key, serde_json::to_string(draft).unwrap_or_default(), text(&ItemStatus::Queued), now],
        )
        .map_err(|e| self.error(e))?;
        Ok(db.last_insert_rowid())
    }

    pub fn items(&self) -> Result<Vec<OutboxItem>> {
        let db = self.db();
        let mut statement = db
            .prepare(&format!("SELECT {COLUMNS} FROM items ORDER BY id"))
            .map_err(|e| self.error(e))?;
        statement
            .query_map([], item_from_row)
            .and_then(Iterator::collect)
            .map_err(|e| self.error(e))
    }

    pub fn item(&self, id: i64) -> Result<OutboxItem> {
        self.db()
            .query_row(
                &format!("SELECT {COLUMNS} FROM items WHERE id = ?1"),
                [id],
                item_from_row,
            )
            .optional()
            .map_err(|e| self.error(e))?
            .ok_or(ClientError::NoSuchItem { id })
    }

    /// Items still to send, for one platform.
    pub fn queued(&self, platform: &str) -> Result<Vec<i64>> {
        let db = self.db();
        let mut statement = db
            .prepare("SELECT id FROM items WHERE status = 'queued' AND platform = ?1 ORDER BY id")
            .map_err(|e| self.error(e))?;
        statement
            .query_map([platform], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.error(e))
    }

    fn exec(&self, sql: &str, values: impl rusqlite::Params) -> Result<()> {
        self.db().execute(sql, values).map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Records how far an upload has got, without waiting for the disk. A resumed upload goes
    /// by the platform's own offset (HEAD), so a record lost to a power cut costs nothing; a
    /// sync after every chunk kept the line idle meanwhile, for many milliseconds a chunk on a
    /// slow disk. In WAL mode the next FULL commit syncs this one along with it.
    fn record_offset(&self, id: i64, offset: u64) -> Result<()> {
        let db = self.db();
        let sync = |db: &Connection, level: &str| db.pragma_update(None, "synchronous", level);
        sync(&db, "NORMAL").map_err(|e| self.error(e))?;
        let updated = db.execute(
            "UPDATE items SET offset = ?1, updated_at = ?2 WHERE id = ?3",
            params![offset, Utc::now(), id],
        );
        sync(&db, "FULL").map_err(|e| self.error(e))?;
        updated.map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Stops an item; a started upload is also removed from the platform (best effort: it
    /// expires there anyway).
    pub async fn cancel(&self, client: &Client, id: i64) -> Result<OutboxItem> {
        let item = self.item(id)?;
        if item.status == ItemStatus::Done {
            return Ok(item);
        }
        self.exec(
            "UPDATE items SET status = 'cancelled', updated_at = ?1 WHERE id = ?2",
            params![Utc::now(), id],
        )?;
        if let Some(upload_url) = &item.upload_url
            && let Err(error) = client.terminate_upload(upload_url).await
        {
            tracing::info!(item = id, %error, "could not remove the cancelled upload from the platform");
        }
        self.item(id)
    }

    /// Puts a failed or cancelled item back in the queue.
    pub fn retry(&self, id: i64) -> Result<OutboxItem> {
        let item = self.item(id)?;
        if matches!(item.status, ItemStatus::Failed | ItemStatus::Cancelled) {
            // A cancelled upload was removed on the platform: start it afresh.
            let reset = if item.status == ItemStatus::Cancelled {
                ", upload_url = NULL, offset = 0"
            } else {
                ""
            };
            self.exec(&format!("UPDATE items SET status = 'queued', last_error = NULL{reset}, updated_at = ?1 WHERE id = ?2"), params![Utc::now(), id])?;
        }
        self.item(id)
    }

    /// Sends one item to the end, recording each step. A transient failure (the platform
    /// unreachable) leaves it queued with the error noted; a refusal marks it failed.
    pub async fn send(
        &self,
        client: &Client,
        id: i64,
        progress: &mut (dyn FnMut(Progress) + Send),
        stop: &AtomicBool,
    ) -> Result<OutboxItem> {
        let item = self.item(id)?;
        if item.status != ItemStatus::Queued {
            return Ok(item);
        }
        self.exec(
            "UPDATE items SET attempts = attempts + 1, updated_at = ?1 WHERE id = ?2",
            params![Utc::now(), id],
        )?;
        let outcome = match item.kind {
            ItemKind::Upload => self.send_upload(client, &item, progress, stop).await,
            ItemKind::Filing => self.send_filing(client, &item).await,
        };
        match outcome {
            Ok(()) => {}
            Err(error @ ClientError::Cancelled { .. }) => {
                self.exec(
                    "UPDATE items SET last_error = ?1, updated_at = ?2 WHERE id = ?3",
                    params![error.to_string(), Utc::now(), id],
                )?;
                return Err(error);
            }
            Err(error) => {
                let status = if error.is_transient() {
                    ItemStatus::Queued
                } else {
                    ItemStatus::Failed
                };
                self.exec(
                    "UPDATE items SET status = ?1, last_error = ?2, updated_at = ?3 WHERE id = ?4",
                    params![text(&status), error.to_string(), Utc::now(), id],
                )?;
                return Err(error);
            }
        }
        self.item(id)
    }

    /// Where the item's upload stands on the platform: created now (and recorded before any
    /// byte is sent, so after a crash it goes on rather than starting again), or asked with HEAD.
    async fn upload_position(
        &self,
        client: &Client,
        item: &OutboxItem,
        content_type: &str,
    ) -> Result<(String, u64)> {
        let position = if let Some(upload_url) = &item.upload_url {
            (upload_url.clone(), client.upload_offset(upload_url).await?)
        } else {
            let upload_url = client
                .create_upload(
                    &client.tus_endpoint(),
                    &item.label,
                    content_type,
                    item.size,
                    item.sha256.as_deref(),
                )
                .await?;
            // Recorded before the first byte: after a crash the upload goes on, not again.
            self.exec(
                "UPDATE items SET upload_url = ?1, updated_at = ?2 WHERE id = ?3",
                params![upload_url, Utc::now(), item.id],
            )?;
            (upload_url, 0)
        };
        Ok(position)
    }

    async fn send_upload(
        &self,
        client: &Client,
        item: &OutboxItem,
        progress: &mut (dyn FnMut(Progress) + Send),
        stop: &AtomicBool,
    ) -> Result<()> {
        let path = item.path.clone().unwrap_or_default();
        let (content_type, modified_then): (String, i64) = self
            .db()
            .query_row(
                "SELECT content_type, modified FROM items WHERE id = ?1",
                [item.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.error(e))?;
        let unchanged = || -> Result<()> {
            let (size, modified_now) = modified(&path)?;
            if size == item.size && modified_now == modified_then {
                return Ok(());
            }
            Err(ClientError::FileChanged {
                path: path.clone(),
                was: format!("{} bytes", item.size),
                now: format!("{size} bytes, modified since"),
            })
        };
        unchanged()?;
        let (upload_url, offset) = self.upload_position(client, item, &content_type).await?;
        let outbox = self.clone();
        let id = item.id;
        let mut acknowledged = move |offset: u64| outbox.record_offset(id, offset);
        acknowledged(offset)?;
        let sent = client
            .send_file(
                FileTransfer {
                    upload_url: &upload_url,
                    path: &path,
                    offset,
                    total: item.size,
                },
                &mut acknowledged,
                progress,
                stop,
            )
            .await?;
        // The whole file's hash comes from the bytes as they were read and sent (with the
        // chunks' checksums, in one pass). When nothing was left to send it is the one kept
        // from an earlier attempt, or the file is hashed now.
        let sha256 = match (sent, &item.sha256) {
            (Some(digest), _) => litigant_digest::hex(&digest),
            (None, Some(kept)) => kept.clone(),
            (None, None) => sha256_file(&path).await?,
        };
        unchanged()?;
        self.exec(
            "UPDATE items SET sha256 = ?1 WHERE id = ?2",
            params![sha256, item.id],
        )?;
        let document = client.document(upload_document_id(&upload_url)).await?;
        if document.sha256 != sha256 {
            return Err(ClientError::HashMismatch {
                path,
                local: sha256,
                server: document.sha256,
            });
        }
        self.exec(
            "UPDATE items SET status = 'done', server_id = ?1, server_sha256 = ?2, last_error = NULL, updated_at = ?3 WHERE id = ?4",
            params![document.id, document.sha256, Utc::now(), item.id],
        )
    }

    async fn send_filing(&self, client: &Client, item: &OutboxItem) -> Result<()> {
        let (key, body): (String, String) = self
            .db()
            .query_row(
                "SELECT idempotency_key, body FROM items WHERE id = ?1",
                [item.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.error(e))?;
        let draft: FilingDraft = serde_json::from_str(&body)
            .map_err(|e| self.error(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        let filing = client.submit_filing(&draft, &key).await?;
        self.exec("UPDATE items SET status = 'done', server_id = ?1, last_error = NULL, updated_at = ?2 WHERE id = ?3", params![filing.id, Utc::now(), item.id])
    }

    /// Sends every queued item of the client's platform, at most `parallel` at once. Returns
    /// each item as it ended; items the platform could not be reached for stay queued.
    pub async fn drain(
        &self,
        client: &Client,
        parallel: usize,
        progress: Arc<dyn Fn(i64, Progress) + Send + Sync>,
        stop: Arc<AtomicBool>,
    ) -> Result<Vec<OutboxItem>> {
        let ids = self.queued(client.platform().as_str())?;
        let permits = Arc::new(tokio::sync::Semaphore::new(parallel.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for id in ids {
            let (outbox, client, permits, progress, stop) = (
                self.clone(),
                client.clone(),
                permits.clone(),
                progress.clone(),
                stop.clone(),
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let mut report = |p: Progress| progress(id, p);
                let _ = outbox.send(&client, id, &mut report, &stop).await;
                outbox.item(id)
            });
        }
        let mut ended = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(item) => ended.push(item?),
                Err(error) => tracing::error!(%error, "an outbox task panicked"),
            }
        }
        ended.sort_by_key(|item| item.id);
        Ok(ended)
    }
}
