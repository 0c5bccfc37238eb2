//! Documents and their tus 1.0 uploads (core, creation, checksum, termination, expiration).
//!
//! What must hold: the database's `offset` is the number of bytes acknowledged, and the file
//! is never shorter. A chunk with a checksum is kept only whole and verified; a chunk without
//! one keeps what arrived before the connection broke (tus core). A finished upload becomes a
//! document with the same id, under the SHA-256 of every byte acknowledged: hashed as the bytes
//! arrive (in the same pass as each chunk's checksum), or, when that hash was lost with a
//! restart of the simulator, by reading the stored file again.

use std::collections::{HashMap, HashSet};
use std::io::SeekFrom;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use litigant_court_api::documents::{
    TUS_CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_VERSION, metadata,
};
use litigant_court_api::{Problem, ProblemCode};
use litigant_digest::Sha256;
use rusqlite::{Connection, OptionalExtension, params};
use tokio::io::AsyncSeekExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Uploader, hex};
use crate::error::{ApiResult, SimError};
use crate::state::AppState;
use crate::store::new_id;
use crate::tus::{
    ReceiveError, Received, acknowledge, content_type_from_name, http_date, parse_metadata,
    patch_headers, receive, require_tus, tus_headers,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_options, create_upload))
        .routes(routes!(upload_status, append_to_upload, terminate_upload))
}

/// Uploads being written by a request right now (a second writer gets a conflict), and the
/// whole-file hash of each unfinished upload over its acknowledged bytes.
#[derive(Debug, Clone, Default)]
pub struct Writers(Arc<Mutex<Uploading>>);

#[derive(Debug, Default)]
pub struct Uploading {
    writing: HashSet<String>,
    /// Kept in memory only: a hash is as long as its upload's acknowledged offset, or it is
    /// not used.
    hashes: HashMap<String, Sha256>,
}

pub struct WriterGuard {
    writers: Writers,
    id: String,
}

impl Writers {
    fn lock(&self) -> std::sync::MutexGuard<'_, Uploading> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn claim(&self, id: &str) -> Option<WriterGuard> {
        self.lock()
            .writing
            .insert(id.to_owned())
            .then(|| WriterGuard {
                writers: self.clone(),
                id: id.to_owned(),
            })
    }
}

impl WriterGuard {
    /// The upload's whole-file hash if it covers exactly the first `offset` bytes.
    fn take_hash(&self, offset: u64) -> Option<Sha256> {
        let kept = self.writers.lock().hashes.remove(&self.id);
        match kept {
            Some(hash) if hash.length() == offset => Some(hash),
            _ => (offset == 0).then(Sha256::new),
        }
    }

    fn keep_hash(&self, hash: Sha256) {
        self.writers.lock().hashes.insert(self.id.clone(), hash);
    }

    /// The upload finished or was terminated.
    fn forget_hash(&self) {
        self.writers.lock().hashes.remove(&self.id);
    }
}

impl Drop for WriterGuard {
    // Runs also when the request's future is dropped with its connection.
    fn drop(&mut self) {
        self.writers.lock().writing.remove(&self.id);
    }
}

#[derive(Debug)]
struct Upload {
    owner: String,
    length: u64,
    offset: u64,
    filename: String,
    content_type: String,
    declared_sha256: Option<String>,
    metadata: String,
    expires_at: DateTime<Utc>,
    /// Already a document: tus HEAD and a repeated last PATCH still answer, so a client whose
    /// last answer was lost learns the upload is complete.
    finished: bool,
}

fn load_upload(db: &Connection, id: &str, uploader: &Uploader) -> ApiResult<Upload> {
    let upload = db
        .query_row(
            "SELECT owner, length, offset, filename, content_type, declared_sha256, metadata, expires_at FROM uploads WHERE id = ?1",
            [id],
            |r| {
                Ok(Upload {
                    owner: r.get(0)?,
                    length: r.get(1)?,
                    offset: r.get(2)?,
                    filename: r.get(3)?,
                    content_type: r.get(4)?,
                    declared_sha256: r.get(5)?,
                    metadata: r.get(6)?,
                    expires_at: r.get(7)?,
                    finished: false,
                })
            },
        )
        .optional()?;
    let upload = match upload {
        Some(upload) => Some(upload),
        None => db
            .query_row(
                "SELECT owner, size, filename, content_type, sha256 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    let size: u64 = r.get(1)?;
                    Ok(Upload {
                        owner: r.get(0)?,
                        length: size,
                        offset: size,
                        filename: r.get(2)?,
                        content_type: r.get(3)?,
                        declared_sha256: r.get(4)?,
                        metadata: String::new(),
                        expires_at: Utc::now() + chrono::Duration::days(1),
                        finished: true,
                    })
                },
            )
            .optional()?,
    };
    match upload {
        Some(upload) if upload.owner == uploader.owner() => Ok(upload),
        _ => Err(SimError::problem(
            ProblemCode::NotFound,
            "There is no upload in progress with this id for this account; it may have finished, been terminated or expired.",
        )),
    }
}

/// Removes an expired upload and says so.
fn expired(state: &AppState, id: &str) -> SimError {
    let _ = state
        .store
        .db()
        .execute("DELETE FROM uploads WHERE id = ?1", [id]);
    let _ = std::fs::remove_file(state.store.upload_path(id));
    SimError::problem(
        ProblemCode::UploadExpired,
        "The upload expired and was removed; start it again.",
    )
}

/// tus discovery: version, extensions, size limit and checksum algorithms.
#[utoipa::path(options, path = "/uploads", tag = "documents",
    responses((status = 204, description = "tus capabilities in the headers")))]
async fn upload_options(State(state): State<AppState>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    tus_headers(headers);
    headers.insert("Tus-Version", HeaderValue::from_static(TUS_VERSION));
    headers.insert("Tus-Extension", HeaderValue::from_static(TUS_EXTENSIONS));
    headers.insert(
        "Tus-Max-Size",
        HeaderValue::from(state.config.policy.max_document_bytes),
    );
    headers.insert(
        "Tus-Checksum-Algorithm",
        HeaderValue::from_static(TUS_CHECKSUM_ALGORITHMS),
    );
    response
}

/// tus creation: declare the length and metadata (`filename`, `contentType`, optionally the
/// whole file's `sha256`); the answer's `Location` is where to PATCH.
#[utoipa::path(post, path = "/uploads", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("Upload-Length" = u64, Header, description = "Total bytes"),
        ("Upload-Metadata" = Option<String>, Header, description = "tus metadata"),
        ("Tus-Resumable" = String, Header, description = "1.0.0")),
    responses((status = 201, description = "Created; see Location"),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn create_upload(
    State(state): State<AppState>,
    uploader: Uploader,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    if headers.contains_key("Upload-Defer-Length") {
        return Err(SimError::problem(
            ProblemCode::MalformedRequest,
            "Deferred length is not supported; send Upload-Length.",
        ));
    }
    let length: u64 = headers
        .get("Upload-Length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::MalformedRequest,
                "Upload-Length must be the file's size in bytes.",
            )
        })?;
    let policy = &state.config.policy;
    if length > policy.max_document_bytes {
        return Err(Problem::new(
            ProblemCode::DocumentTooLarge,
            format!("The file is {length} bytes; this court accepts documents up to {} bytes. Split it into smaller documents.", policy.max_document_bytes),
        )
        .with_limit(policy.max_document_bytes)
        .into());
    }
    let raw_metadata = headers
        .get("Upload-Metadata")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let pairs = parse_metadata(&raw_metadata)?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let filename = get(metadata::FILENAME).unwrap_or_else(|| "document".to_owned());
    let content_type = get(metadata::CONTENT_TYPE)
        .or_else(|| get("filetype"))
        .or_else(|| content_type_from_name(&filename).map(str::to_owned))
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::MalformedRequest,
                "Say the file's type in Upload-Metadata `contentType` (e.g. application/pdf).",
            )
        })?;
    if !policy.allowed_content_types.contains(&content_type) {
        return Err(SimError::problem(
            ProblemCode::ContentTypeNotAllowed,
            format!(
                "This court does not accept `{content_type}`; it accepts {}.",
                policy.allowed_content_types.join(", ")
            ),
        ));
    }
    let declared_sha256 = get(metadata::SHA256).map(|v| v.to_ascii_lowercase());
    if declared_sha256
        .as_ref()
        .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(SimError::problem(
            ProblemCode::MalformedRequest,
            "Upload-Metadata `sha256` must be 64 hex digits.",
        ));
    }
    let id = new_id("doc");
    let now = Utc::now();
    let expires_at = now
        + chrono::Duration::seconds(
            i64::try_from(policy.upload_expiry_seconds).unwrap_or(i64::MAX),
        );
    let path = state.store.upload_path(&id);
    tokio::fs::File::create(&path)
        .await
        .map_err(|source| SimError::File {
            path: path.clone(),
            source,
        })?;
    state.store.db().execute(
        "INSERT INTO uploads (id, owner, length, offset, filename, content_type, declared_sha256, metadata, created_at, expires_at) \
         VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, uploader.owner(), length, filename, content_type, declared_sha256, raw_metadata, now, expires_at],
    )?;
    let mut response = StatusCode::CREATED.into_response();
    let headers = response.headers_mut();
    tus_headers(headers);
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&format!("/api/v1/uploads/{id}"))
            .map_err(|_| SimError::Damaged("upload id".into()))?,
    );
    headers.insert("Upload-Expires", http_date(expires_at));
    Ok(response)
}

/// tus HEAD: where the upload stands.
#[utoipa::path(head, path = "/uploads/{id}", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "Upload-Offset and Upload-Length in the headers"),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn upload_status(
    State(state): State<AppState>,
    uploader: Uploader,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    let upload = load_upload(&state.store.db(), &id, &uploader)?;
    if upload.expires_at <= Utc::now() {
        return Err(expired(&state, &id));
    }
    let mut response = StatusCode::OK.into_response();
    let out = response.headers_mut();
    tus_headers(out);
    out.insert("Upload-Offset", HeaderValue::from(upload.offset));
    out.insert("Upload-Length", HeaderValue::from(upload.length));
    if !upload.finished {
        out.insert("Upload-Expires", http_date(upload.expires_at));
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&upload.metadata) {
        out.insert("Upload-Metadata", value);
    }
    Ok(response)
}

/// tus PATCH: append bytes at `Upload-Offset`, optionally with `Upload-Checksum: sha256 …`.
#[utoipa::path(patch, path = "/uploads/{id}", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Upload id"),
        ("Upload-Offset" = u64, Header, description = "Where these bytes go"),
        ("Upload-Checksum" = Option<String>, Header, description = "sha256 <base64>")),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "Stored; the new Upload-Offset is in the headers"),
        (status = 460, description = "Checksum mismatch; the chunk was discarded", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn append_to_upload(
    State(state): State<AppState>,
    uploader: Uploader,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    let (offset, checksum) = patch_headers(&headers)?;
    let Some(writing) = state.uploads.claim(&id) else {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            "Another request is writing to this upload; wait for it, then ask where it stands with HEAD.",
        ));
    };
    let upload = load_upload(&state.store.db(), &id, &uploader)?;
    if upload.expires_at <= Utc::now() {
        return Err(expired(&state, &id));
    }
    if upload.finished && offset == upload.length {
        return Ok(acknowledge(upload.length, None));
    }
    if offset != upload.offset {
        return Err(SimError::problem(
            ProblemCode::OffsetMismatch,
            format!(
                "The upload stands at byte {}, not {offset}; resume from there.",
                upload.offset
            ),
        ));
    }
    let path = state.store.upload_path(&id);
    let file_error = |source| SimError::File {
        path: path.clone(),
        source,
    };
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .await
        .map_err(file_error)?;
    // Bytes past the acknowledged offset belong to an interrupted chunk: drop them.
    file.set_len(offset).await.map_err(file_error)?;
    file.seek(SeekFrom::Start(offset))
        .await
        .map_err(file_error)?;

    let file_hash = writing.take_hash(offset);
    let hash_before = file_hash.clone();
    let Received {
        written,
        interrupted,
        digest,
        file_hash,
    } = receive(
        &mut file,
        body,
        offset,
        upload.length,
        checksum.is_some(),
        file_hash,
    )
    .await
    .map_err(|e| match e {
        ReceiveError::File(source) => file_error(source),
        ReceiveError::Problem(problem) => problem,
    })?;
    let keep = match (interrupted, checksum) {
        (true, Some(_)) => 0,
        (false, Some(expected)) if digest != Some(expected) => {
            file.set_len(offset).await.map_err(file_error)?;
            return Err(SimError::problem(
                ProblemCode::ChecksumMismatch,
                "The chunk's bytes do not match its Upload-Checksum; it was discarded. Send it again.",
            ));
        }
        _ => written,
    };
    file.set_len(offset + keep).await.map_err(file_error)?;
    // The hash must cover exactly the bytes kept: all of them, or none of this chunk's.
    let file_hash = if keep == written {
        file_hash
    } else {
        hash_before
    };
    // Written, not synced: like the database (WAL, synchronous=NORMAL), the simulator survives a
    // killed process, whose writes the kernel keeps, not a power cut. A sync per chunk would make
    // every chunk wait for the disk.
    drop(file);
    let new_offset = offset + keep;
    state.store.db().execute(
        "UPDATE uploads SET offset = ?1 WHERE id = ?2",
        params![new_offset, id],
    )?;
    if interrupted {
        tracing::info!(upload = %id, kept = keep, "upload chunk interrupted");
        return Err(SimError::problem(
            ProblemCode::MalformedRequest,
            "The request body ended early.",
        ));
    }
    if new_offset == upload.length {
        writing.forget_hash();
        finish(&state, &id, &upload, file_hash).await?;
    } else if let Some(hash) = file_hash {
        writing.keep_hash(hash);
    }
    let expires = (new_offset < upload.length).then_some(upload.expires_at);
    Ok(acknowledge(new_offset, expires))
}

/// SHA-256 of a whole file, read in large blocks off the async threads.
pub async fn sha256_file(path: std::path::PathBuf) -> Result<String, SimError> {
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut file = std::fs::File::open(&path).map_err(|source| SimError::File {
            path: path.clone(),
            source,
        })?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buffer).map_err(|source| SimError::File {
                path: path.clone(),
                source,
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        Ok(hex(&hasher.finalize()))
    })
    .await
    .map_err(|e| SimError::Damaged(format!("hashing task failed: {e}")))?
}

/// The last byte arrived: take the file's hash (the running one, or by reading the stored
/// file), check it against the declared hash, and turn the upload into a document. The
/// database changes first; the file is renamed after, and `Store::open` finishes a rename a
/// crash interrupted.
async fn finish(
    state: &AppState,
    id: &str,
    upload: &Upload,
    file_hash: Option<Sha256>,
) -> ApiResult<()> {
    let part = state.store.upload_path(id);
    let sha256 = match file_hash.filter(|hash| hash.length() == upload.length) {
        Some(hash) => hex(&hash.finalize()),
        None => sha256_file(part.clone()).await?,
    };
    if let Some(declared) = &upload.declared_sha256
        && *declared != sha256
    {
        state
            .store
            .db()
            .execute("DELETE FROM uploads WHERE id = ?1", [id])?;
        let _ = tokio::fs::remove_file(&part).await;
        return Err(SimError::problem(
            ProblemCode::DocumentHashMismatch,
            format!(
                "The stored file's SHA-256 is {sha256}, not the {declared} declared; the upload was removed. Upload the file again."
            ),
        ));
    }
    {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        tx.execute(
            "INSERT INTO documents (id, owner, filename, content_type, size, sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, upload.owner, upload.filename, upload.content_type, upload.length, sha256, Utc::now()],
        )?;
        tx.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
        crate::deposit::append(&tx, id, &sha256)?;
        tx.commit()?;
    }
    let document = state.store.document_path(id);
    tokio::fs::rename(&part, &document)
        .await
        .map_err(|source| SimError::File {
            path: document,
            source,
        })?;
    tracing::info!(document = %id, bytes = upload.length, "upload finished");
    Ok(())
}

/// tus termination: drop an unfinished upload and its bytes.
#[utoipa::path(delete, path = "/uploads/{id}", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 204, description = "Removed"),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn terminate_upload(
    State(state): State<AppState>,
    uploader: Uploader,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    let Some(writing) = state.uploads.claim(&id) else {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            "A request is writing to this upload; try again when it ends.",
        ));
    };
    if load_upload(&state.store.db(), &id, &uploader)?.finished {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            "This upload is finished and is now a document; a document cannot be terminated.",
        ));
    }
    state
        .store
        .db()
        .execute("DELETE FROM uploads WHERE id = ?1", [&id])?;
    writing.forget_hash();
    let _ = tokio::fs::remove_file(state.store.upload_path(&id)).await;
    let mut response = StatusCode::NO_CONTENT.into_response();
    tus_headers(response.headers_mut());
    Ok(response)
}
