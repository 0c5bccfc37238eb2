//! Resumable uploads over tus 1.0 with a SHA-256 checksum on every chunk.
//!
//! What must hold: the only offset trusted is the platform's (the answer to a PATCH, or HEAD
//! after anything went wrong), so a chunk is sent again only when the platform did not keep
//! it, and a file is never sent from the start when the platform has part of it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use litigant_court_api::ProblemCode;
use litigant_court_api::documents::{TUS_VERSION, metadata};
use reqwest::Method;
use sha2::{Digest, Sha256};

use crate::client::{Call, Client};
use crate::error::{ClientError, Result};
use crate::readahead::ChunkReader;

/// How an upload is going, reported after every chunk the platform acknowledges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Bytes the platform has, in all.
    pub sent: u64,
    pub total: u64,
    /// Bytes per second since this run started.
    pub bytes_per_second: f64,
    /// Time left at that rate; `None` until there is a rate.
    pub eta: Option<Duration>,
}

/// Chunk size that adapts: doubled after a quick chunk, halved after a failure, so a fast line
/// is used fully and a poor one loses little per broken connection.
#[derive(Debug, Clone, Copy)]
pub struct Chunking {
    pub size: usize,
    pub min: usize,
    pub max: usize,
}

impl Default for Chunking {
    fn default() -> Self {
        Self {
            size: 4 << 20,
            min: 256 << 10,
            max: 32 << 20,
        }
    }
}

impl Chunking {
    fn succeeded(&mut self, took: Duration) {
        if took < Duration::from_secs(2) {
            self.size = (self.size * 2).min(self.max);
        } else if took > Duration::from_secs(10) {
            self.size = (self.size / 2).max(self.min);
        }
    }

    fn failed(&mut self) {
        self.size = (self.size / 2).max(self.min);
    }
}

/// Which bytes of which file go to which upload.
#[derive(Debug, Clone, Copy)]
pub struct FileTransfer<'a> {
    /// The upload's URL (from creation).
    pub upload_url: &'a str,
    pub path: &'a Path,
    /// Where the platform stands: the first byte to send.
    pub offset: u64,
    /// The file's size.
    pub total: u64,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Client {
    /// The platform's tus creation endpoint.
    pub fn tus_endpoint(&self) -> String {
        self.url("/uploads")
    }

    /// tus creation at `endpoint`: returns the upload's URL. On the court platform its last
    /// segment is the document's id ([`upload_document_id`]).
    pub async fn create_upload(
        &self,
        endpoint: &str,
        filename: &str,
        content_type: &str,
        length: u64,
        sha256_hex: Option<&str>,
    ) -> Result<String> {
        let mut metadata = format!(
            "{} {},{} {}",
            metadata::FILENAME,
            b64(filename.as_bytes()),
            metadata::CONTENT_TYPE,
            b64(content_type.as_bytes()),
        );
        // When the whole file's hash is known, the platform refuses a finished upload that does
        // not match it; otherwise the caller compares the platform's hash afterwards.
        if let Some(sha256) = sha256_hex {
            metadata = format!("{metadata},{} {}", metadata::SHA256, b64(sha256.as_bytes()));
        }
        // Not repeated: a lost answer would leave an orphan upload, which expires on its own;
        // the caller records the URL before any byte is sent.
        let call = Call::at_url(Method::POST, endpoint)
            .header("tus-resumable", TUS_VERSION)
            .header("upload-length", length.to_string())
            .header("upload-metadata", metadata)
            .once();
        let response = self.execute(&call).await?;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        // Location may be relative (court-sim) or absolute (other tus servers).
        response
            .url()
            .join(location)
            .ok()
            .filter(|_| !location.is_empty())
            .map(String::from)
            .ok_or_else(|| ClientError::UnexpectedAnswer {
                url: endpoint.to_owned(),
                status: 201,
                body_start: "no usable Location header".into(),
            })
    }

    /// tus HEAD: the bytes the platform has.
    pub async fn upload_offset(&self, upload_url: &str) -> Result<u64> {
        let call = Call::at_url(Method::HEAD, upload_url).header("tus-resumable", TUS_VERSION);
        let response = self.execute(&call).await?;
        offset_header(&response, upload_url)
    }

    /// tus PATCH of one chunk with its checksum; returns the new offset. Sent once: after a
    /// failure the caller asks the platform where the upload stands.
    pub async fn append(&self, upload_url: &str, offset: u64, chunk: Vec<u8>) -> Result<u64> {
        let digest = Sha256::digest(&chunk).into();
        self.append_prepared(upload_url, offset, chunk.into(), digest)
            .await
    }

    /// [`Self::append`] of a chunk whose SHA-256 is already known.
    async fn append_prepared(
        &self,
        upload_url: &str,
        offset: u64,
        chunk: bytes::Bytes,
        digest: [u8; 32],
    ) -> Result<u64> {
        let checksum = format!("sha256 {}", b64(&digest));
        let call = Call::at_url(Method::PATCH, upload_url)
            .header("tus-resumable", TUS_VERSION)
            .header("upload-offset", offset.to_string())
            .header("upload-checksum", checksum)
            .bytes(chunk, "application/offset+octet-stream")
            .once();
        let response = self.execute(&call).await?;
        offset_header(&response, upload_url)
    }

    /// tus termination.
    pub async fn terminate_upload(&self, upload_url: &str) -> Result<()> {
        self.execute(
            &Call::at_url(Method::DELETE, upload_url).header("tus-resumable", TUS_VERSION),
        )
        .await?;
        Ok(())
    }

    /// Sends `path` into the upload from `offset` to its end. `acknowledged` is called with each
    /// offset the platform confirms (the outbox records it); `progress` after each chunk.
    /// Transient failures (a cut connection, 5xx, 429, a chunk damaged on the way) are retried
    /// from the platform's offset, up to the retry policy's attempts in a row.
    ///
    /// Returns the SHA-256 of the whole file as read and sent, computed in the same pass as the
    /// chunks' checksums; `None` when there was nothing left to send.
    pub async fn send_file(
        &self,
        transfer: FileTransfer<'_>,
        acknowledged: &mut (dyn FnMut(u64) -> Result<()> + Send),
        progress: &mut (dyn FnMut(Progress) + Send),
        stop: &AtomicBool,
    ) -> Result<Option<[u8; 32]>> {
        let FileTransfer {
            upload_url,
            path,
            mut offset,
            total,
        } = transfer;
        let mut chunking = self.chunking();
        let size = Arc::new(AtomicUsize::new(chunking.size));
        // The whole file's hash up to the platform's offset, once a chunk has been acknowledged.
        let mut file_hash: Option<litigant_digest::Sha256> = None;
        let mut reader = ChunkReader::start(path, offset, total, size.clone(), None);
        let policy = self.retry_policy();
        let mut failures = 0;
        let (started, first_offset) = (Instant::now(), offset);
        while offset < total {
            if stop.load(Ordering::Relaxed) {
                return Err(ClientError::Cancelled {
                    path: path.to_owned(),
                });
            }
            let chunk = reader.next(path).await?;
            let end = chunk.offset + chunk.bytes.len() as u64;
            let hash_after = chunk.file_hash;
            let sent_at = Instant::now();
            let sent = chunk.bytes.clone();
            let appended = self
                .append_prepared(upload_url, chunk.offset, chunk.bytes, chunk.digest)
                .await;
            reader.recycle(sent);
            match appended {
                Ok(new_offset) => {
                    failures = 0;
                    chunking.succeeded(sent_at.elapsed());
                    size.store(chunking.size, Ordering::Relaxed);
                    offset = new_offset;
                    if offset == end {
                        file_hash = Some(hash_after);
                    } else {
                        // The platform kept a different amount: read again from where it stands.
                        reader = ChunkReader::start(
                            path,
                            offset,
                            total,
                            size.clone(),
                            file_hash.clone(),
                        );
                    }
                }
                Err(error) if resumable(&error) && failures + 1 < policy.attempts => {
                    tracing::info!(upload = %upload_url, offset, error = %error, "chunk failed; resuming from the platform's offset");
                    chunking.failed();
                    size.store(chunking.size, Ordering::Relaxed);
                    tokio::time::sleep(policy.delay(failures, None)).await;
                    failures += 1;
                    offset = self.upload_offset(upload_url).await?;
                    reader =
                        ChunkReader::start(path, offset, total, size.clone(), file_hash.clone());
                }
                Err(error) => return Err(error),
            }
            acknowledged(offset)?;
            let elapsed = started.elapsed().as_secs_f64();
            #[allow(
                clippy::cast_precision_loss,
                reason = "byte counts far below 2^52 are exact in f64"
            )]
            let rate = if elapsed > 0.0 {
                (offset - first_offset) as f64 / elapsed
            } else {
                0.0
            };
            #[allow(
                clippy::cast_precision_loss,
                reason = "byte counts far below 2^52 are exact in f64"
            )]
            let eta = (rate > 0.0).then(|| Duration::from_secs_f64((total - offset) as f64 / rate));
            progress(Progress {
                sent: offset,
                total,
                bytes_per_second: rate,
                eta,
            });
        }
        Ok(file_hash
            .filter(|hash| hash.length() == total)
            .map(litigant_digest::Sha256::finalize))
    }
}

/// The `Upload-Offset` of a tus answer.
fn offset_header(response: &reqwest::Response, upload_url: &str) -> Result<u64> {
    response
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ClientError::UnexpectedAnswer {
            url: upload_url.to_owned(),
            status: response.status().as_u16(),
            body_start: "no Upload-Offset header".into(),
        })
}

/// The document id of a finished upload on the court platform: its URL's last segment.
pub fn upload_document_id(upload_url: &str) -> &str {
    upload_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(upload_url)
}

/// Failures after which the upload can go on from the platform's offset.
fn resumable(error: &ClientError) -> bool {
    error.is_transient()
        || matches!(
            error.problem_code(),
            Some(
                ProblemCode::ChecksumMismatch
                    | ProblemCode::OffsetMismatch
                    | ProblemCode::InvalidState
            )
        )
}

/// SHA-256 of a file, lowercase hex, read in large blocks off the async threads.
pub async fn sha256_file(path: &Path) -> Result<String> {
    let owned = path.to_owned();
    tokio::task::spawn_blocking(move || {
        std::fs::File::open(&owned)
            .and_then(crate::readahead::hash_reader)
            .map(|hash| litigant_digest::hex(&hash.finalize()))
            .map_err(|source| ClientError::File {
                path: owned.clone(),
                source,
            })
    })
    .await
    .map_err(|e| ClientError::File {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_when_quick_and_shrink_on_failure_within_bounds() {
        let mut chunking = Chunking {
            size: 1 << 20,
            min: 1 << 18,
            max: 1 << 22,
        };
        for _ in 0..10 {
            chunking.succeeded(Duration::from_millis(100));
        }
        assert_eq!(chunking.size, 1 << 22);
        for _ in 0..10 {
            chunking.failed();
        }
        assert_eq!(chunking.size, 1 << 18);
        chunking.succeeded(Duration::from_secs(5));
        assert_eq!(chunking.size, 1 << 18, "a steady chunk keeps its size");
    }
}
