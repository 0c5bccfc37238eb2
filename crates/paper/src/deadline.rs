//! Decoding within the time limit (`DecodeLimits::max_decode_time`). The decoders cannot be
//! interrupted, so decoding runs on a thread of its own and the caller stops waiting at the
//! limit.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::decode::{DecodeLimits, SourcePage, corrupt, decode_now};
use crate::error::PaperError;

/// Decodes on a thread of its own and stops waiting at the time limit. The decoders cannot be
/// interrupted, so a decoder past the limit is left to finish on its own and its result is
/// dropped; the pixel limits, checked before it allocates, bound what it can still use.
pub fn decode_within(
    path: &Path,
    bytes: Vec<u8>,
    limits: &DecodeLimits,
) -> Result<Vec<SourcePage>, PaperError> {
    let started = Instant::now();
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let (owned_path, owned_limits) = (path.to_path_buf(), *limits);
    std::thread::Builder::new()
        .name("paper-decode".into())
        .spawn(move || {
            // The receiver is gone only when the wait timed out; the result is not wanted.
            let _ = sender.send(decode_now(&owned_path, &bytes, &owned_limits));
        })
        .map_err(|e| corrupt(path, 1, &format!("cannot start a decoder thread: {e}")))?;
    match receiver.recv_timeout(limits.max_decode_time) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            Err(decode_time_exceeded(path, 1, started.elapsed(), limits))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(corrupt(path, 1, &"the decoder failed on this data"))
        }
    }
}

/// The error for a page whose decoding or rendering ran past the time limit.
pub(crate) fn decode_time_exceeded(
    path: &Path,
    page: usize,
    took: Duration,
    limits: &DecodeLimits,
) -> PaperError {
    PaperError::DecodeLimitExceeded {
        path: path.to_path_buf(),
        page,
        limit: "decode time (ms)",
        actual: took.as_millis().try_into().unwrap_or(u64::MAX),
        max: limits
            .max_decode_time
            .as_millis()
            .try_into()
            .unwrap_or(u64::MAX),
    }
}
