//! The tus 1.0 protocol's side of uploads: its headers, metadata and checksums, and reading a
//! PATCH body onto disk. The handlers in `uploads` decide what the bytes mean.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use litigant_court_api::ProblemCode;
use litigant_court_api::documents::TUS_VERSION;
use litigant_digest::{Sha256, update_both};
use tokio::io::AsyncWriteExt;

use crate::error::{ApiResult, SimError};

pub(crate) fn tus_headers(headers: &mut HeaderMap) {
    headers.insert("Tus-Resumable", HeaderValue::from_static(TUS_VERSION));
}

pub(crate) fn require_tus(headers: &HeaderMap) -> ApiResult<()> {
    match headers.get("Tus-Resumable").and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        other => Err(SimError::problem(
            ProblemCode::TusVersionUnsupported,
            format!(
                "This server speaks tus {TUS_VERSION}; the request said {}.",
                other.unwrap_or("nothing (no Tus-Resumable header)")
            ),
        )),
    }
}

pub(crate) fn http_date(at: DateTime<Utc>) -> HeaderValue {
    HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or(HeaderValue::from_static(""))
}

/// Parses tus `Upload-Metadata`: comma-separated `key base64value` pairs.
pub(crate) fn parse_metadata(raw: &str) -> ApiResult<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (key, value) = item.split_once(' ').unwrap_or((item, ""));
        let value = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                SimError::problem(
                    ProblemCode::MalformedRequest,
                    format!("Upload-Metadata value for `{key}` is not base64 of UTF-8 text."),
                )
            })?;
        pairs.push((key.to_owned(), value));
    }
    Ok(pairs)
}

pub(crate) fn content_type_from_name(filename: &str) -> Option<&'static str> {
    let extension = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        "json" => "application/json",
        _ => return None,
    })
}

/// A PATCH's `Upload-Offset` and optional checksum, after checking its content type.
pub(crate) fn patch_headers(headers: &HeaderMap) -> ApiResult<(u64, Option<[u8; 32]>)> {
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return Err(SimError::problem(
            ProblemCode::ContentTypeNotAllowed,
            "A PATCH must have Content-Type: application/offset+octet-stream.",
        ));
    }
    let offset: u64 = headers
        .get("Upload-Offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::MalformedRequest,
                "Upload-Offset must be a number of bytes.",
            )
        })?;
    let checksum = parse_checksum(headers)?;
    Ok((offset, checksum))
}

pub(crate) fn parse_checksum(headers: &HeaderMap) -> ApiResult<Option<[u8; 32]>> {
    let Some(value) = headers.get("Upload-Checksum") else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or("");
    let (algorithm, digest) = value.split_once(' ').unwrap_or((value, ""));
    if !algorithm.eq_ignore_ascii_case("sha256") {
        return Err(SimError::problem(
            ProblemCode::MalformedRequest,
            format!("Checksum algorithm `{algorithm}` is not supported; use sha256."),
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(digest.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(Some)
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::MalformedRequest,
                "Upload-Checksum must be `sha256 <base64 of 32 bytes>`.",
            )
        })
}

/// What one PATCH body delivered.
pub(crate) struct Received {
    pub(crate) written: u64,
    pub(crate) interrupted: bool,
    /// The chunk's SHA-256, computed only when the request carries a checksum to check.
    pub(crate) digest: Option<[u8; 32]>,
    /// The whole file's hash handed in, carried on over every byte written.
    pub(crate) file_hash: Option<Sha256>,
}

pub(crate) enum ReceiveError {
    File(std::io::Error),
    Problem(SimError),
}

/// Writes the body at `offset`, hashing as it goes (the chunk's checksum and the whole file's
/// hash in one pass); stops at a broken connection. A body that would pass `length` is refused
/// and what it wrote is cut off.
pub(crate) async fn receive(
    file: &mut tokio::fs::File,
    body: Body,
    offset: u64,
    length: u64,
    checksummed: bool,
    mut file_hash: Option<Sha256>,
) -> Result<Received, ReceiveError> {
    // hyper hands the body over in frames of a few KiB; each file write is a trip to a blocking
    // thread, so frames are gathered into large blocks first.
    const BLOCK: usize = 1 << 20;
    let mut hasher = checksummed.then(Sha256::new);
    let mut block = Vec::with_capacity(BLOCK);
    let mut written = 0u64;
    let mut interrupted = false;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            interrupted = true;
            break;
        };
        if offset + written + (block.len() + chunk.len()) as u64 > length {
            file.set_len(offset).await.map_err(ReceiveError::File)?;
            return Err(ReceiveError::Problem(SimError::problem(
                ProblemCode::MalformedRequest,
                format!("The body goes past the declared Upload-Length of {length} bytes."),
            )));
        }
        match (&mut file_hash, &mut hasher) {
            (Some(file_hash), Some(hasher)) => update_both(file_hash, hasher, &chunk),
            (Some(file_hash), None) => file_hash.update(&chunk),
            (None, Some(hasher)) => hasher.update(&chunk),
            (None, None) => {}
        }
        block.extend_from_slice(&chunk);
        if block.len() >= BLOCK {
            file.write_all(&block).await.map_err(ReceiveError::File)?;
            written += block.len() as u64;
            block.clear();
        }
    }
    file.write_all(&block).await.map_err(ReceiveError::File)?;
    written += block.len() as u64;
    Ok(Received {
        written,
        interrupted,
        digest: hasher.map(Sha256::finalize),
        file_hash,
    })
}

/// The answer to a PATCH: where the upload stands now.
pub(crate) fn acknowledge(offset: u64, expires: Option<DateTime<Utc>>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let out = response.headers_mut();
    tus_headers(out);
    out.insert("Upload-Offset", HeaderValue::from(offset));
    if let Some(expires) = expires {
        out.insert("Upload-Expires", http_date(expires));
    }
    response
}
