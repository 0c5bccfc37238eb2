//! Reading the next chunk, and computing its checksum, while the current one is on the wire:
//! on a fast line the client's hashing would otherwise sit between every two chunks.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::error::{ClientError, Result};

/// A chunk ready to send: where it goes, its bytes and their SHA-256.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub offset: u64,
    pub bytes: Bytes,
    pub digest: [u8; 32],
}

/// Reads `path` from an offset in chunks on a blocking thread, one chunk ahead of the sender.
/// Dropping it stops the thread after the chunk it is reading.
#[derive(Debug)]
pub(crate) struct ChunkReader {
    chunks: mpsc::Receiver<Result<Prepared>>,
}

impl ChunkReader {
    /// Starts reading at `offset`; each chunk is as long as `size` says when it is read, so the
    /// sender can change the size on the way.
    pub fn start(path: &Path, offset: u64, total: u64, size: Arc<AtomicUsize>) -> Self {
        // One prepared chunk waits while one is sent: memory stays at about three chunks.
        let (sender, chunks) = mpsc::channel(1);
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || read_ahead(&path, offset, total, &size, &sender));
        Self { chunks }
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
    sender: &mpsc::Sender<Result<Prepared>>,
) {
    let file_error = |source| ClientError::File {
        path: path.clone(),
        source,
    };
    let mut file = match std::fs::File::open(path)
        .and_then(|mut f| f.seek(SeekFrom::Start(offset)).map(|_| f))
    {
        Ok(file) => file,
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
        let mut buffer = Vec::with_capacity(length);
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
        let digest = Sha256::digest(&buffer).into();
        let prepared = Prepared {
            offset,
            bytes: Bytes::from(buffer),
            digest,
        };
        if sender.blocking_send(Ok(prepared)).is_err() {
            return; // The sender moved on (a resume from another offset, or a stop).
        }
        offset += length as u64;
    }
}
