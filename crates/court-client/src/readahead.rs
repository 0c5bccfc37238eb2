//! Reading the next chunk, and computing its checksum, while the current one is on the wire:
//! on a fast line the client's hashing would otherwise sit between every two chunks. The same
//! pass carries the whole file's SHA-256 along (`litigant_digest::update_both`), so the file is
//! read and hashed once for both.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use litigant_digest::{Sha256, update_both};
use tokio::sync::mpsc;

use crate::error::{ClientError, Result};

/// A chunk ready to send: where it goes, its bytes and their SHA-256.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub offset: u64,
    pub bytes: Bytes,
    pub digest: [u8; 32],
    /// The whole file's hash over every byte up to the end of this chunk.
    pub file_hash: Sha256,
}

/// Reads `path` from an offset in chunks on a blocking thread, one chunk ahead of the sender.
/// Dropping it stops the thread after the chunk it is reading.
#[derive(Debug)]
pub(crate) struct ChunkReader {
    chunks: mpsc::Receiver<Result<Prepared>>,
    /// Buffers of chunks that have been sent, back to the reader for the next chunks: a fresh
    /// buffer of many megabytes is faulted in and zeroed page by page by the kernel, which
    /// cost about a fifth of an upload's client time.
    spare: std::sync::mpsc::Sender<Vec<u8>>,
}

impl ChunkReader {
    /// Starts reading at `offset`; each chunk is as long as `size` says when it is read, so the
    /// sender can change the size on the way. `file_hash` is the whole file's hash up to
    /// `offset` when the sender has it (from an earlier chunk); without it the bytes before
    /// `offset` are read and hashed first.
    pub fn start(
        path: &Path,
        offset: u64,
        total: u64,
        size: Arc<AtomicUsize>,
        file_hash: Option<Sha256>,
    ) -> Self {
        // One prepared chunk waits while one is sent: memory stays at about three chunks.
        let (sender, chunks) = mpsc::channel(1);
        let (spare, spares) = std::sync::mpsc::channel();
        let path = path.to_owned();
        let file_hash = file_hash.filter(|hash| hash.length() == offset);
        tokio::task::spawn_blocking(move || {
            read_ahead(&path, offset, total, &size, file_hash, &spares, &sender);
        });
        Self { chunks, spare }
    }

    /// Hands a sent chunk's buffer back for reuse, when nothing else holds it any more.
    pub fn recycle(&self, bytes: Bytes) {
        if let Ok(buffer) = bytes.try_into_mut() {
            let _ = self.spare.send(buffer.into());
        }
    }

    pub async fn next(&mut self, path: &Path) -> Result<Prepared> {
        self.chunks.recv().await.unwrap_or_else(|| {
            Err(ClientError::File {
                path: path.to_owned(),
                source: std::io::Error::other("the file reader stopped"),
            })
        })
    }
}

fn read_ahead(
    path: &PathBuf,
    mut offset: u64,
    total: u64,
    size: &AtomicUsize,
    file_hash: Option<Sha256>,
    spares: &std::sync::mpsc::Receiver<Vec<u8>>,
    sender: &mpsc::Sender<Result<Prepared>>,
) {
    let file_error = |source| ClientError::File {
        path: path.clone(),
        source,
    };
    let opened = std::fs::File::open(path).and_then(|mut file| {
        let file_hash = match file_hash {
            Some(hash) => hash,
            None => hash_prefix(&mut file, offset)?,
        };
        file.seek(SeekFrom::Start(offset))?;
        Ok((file, file_hash))
    });
    let (mut file, mut file_hash) = match opened {
        Ok(opened) => opened,
        Err(source) => {
            let _ = sender.blocking_send(Err(file_error(source)));
            return;
        }
    };
    while offset < total {
        let length = usize::try_from(total - offset)
            .unwrap_or(usize::MAX)
            .min(size.load(Ordering::Relaxed));
        // Read into spare capacity: zero-filling the buffer first would cost a pass of its own.
        let mut buffer = spares.try_recv().unwrap_or_default();
        buffer.clear();
        buffer.reserve_exact(length);
        match (&mut file).take(length as u64).read_to_end(&mut buffer) {
            Ok(n) if n == length => {}
            Ok(n) => {
                let short = std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("the file ended {} bytes early", length - n),
                );
                let _ = sender.blocking_send(Err(file_error(short)));
                return;
            }
            Err(source) => {
                let _ = sender.blocking_send(Err(file_error(source)));
                return;
            }
        }
        let mut chunk_hash = Sha256::new();
        update_both(&mut file_hash, &mut chunk_hash, &buffer);
        let prepared = Prepared {
            offset,
            bytes: Bytes::from(buffer),
            digest: chunk_hash.finalize(),
            file_hash: file_hash.clone(),
        };
        if sender.blocking_send(Ok(prepared)).is_err() {
            return; // The sender moved on (a resume from another offset, or a stop).
        }
        offset += length as u64;
    }
}

/// The hash of the first `length` bytes of `file`, read from its start.
fn hash_prefix(file: &mut std::fs::File, length: u64) -> std::io::Result<Sha256> {
    let hash = hash_reader((&mut *file).take(length))?;
    if hash.length() < length {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("the file is shorter than the {length} bytes already sent"),
        ));
    }
    Ok(hash)
}

/// The hash of everything `reader` gives, read in large blocks.
pub(crate) fn hash_reader(mut reader: impl Read) -> std::io::Result<Sha256> {
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok(hash);
        }
        hash.update(&buffer[..n]);
    }
}
