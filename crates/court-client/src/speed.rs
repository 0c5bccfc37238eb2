//! Measuring the upload speed to the platform before a hearing (Art. 24: the environment must
//! let the recording reach the court in time). The probe travels the path a recording takes: a
//! tus upload of the recording's type, sent in checksummed chunks. It declares one byte more
//! than it will send, so it never completes into a document, and it is terminated afterwards.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::client::Client;
use crate::error::Result;

/// How much to send, at most, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeedProbe {
    pub max_bytes: u64,
    pub max_time: Duration,
    pub chunk_bytes: usize,
}

impl Default for SpeedProbe {
    /// 8 MiB or 5 seconds, whichever comes first, in 512 KiB chunks: long enough to get past
    /// TCP's slow start on a real link, short enough to run before every hearing.
    fn default() -> Self {
        Self {
            max_bytes: 8 << 20,
            max_time: Duration::from_secs(5),
            chunk_bytes: 512 << 10,
        }
    }
}

/// What a probe measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadSpeed {
    /// Bytes the platform acknowledged.
    pub bytes: u64,
    /// From the first chunk sent to the last acknowledged.
    pub elapsed_ms: u64,
    pub bytes_per_second: u64,
}

impl Client {
    /// Sends up to `probe.max_bytes` of filler to the platform and reports the rate it was
    /// acknowledged at. The probe upload is terminated whether or not the measurement succeeds.
    pub async fn measure_upload_speed(&self, probe: SpeedProbe) -> Result<UploadSpeed> {
        let endpoint = self.tus_endpoint();
        let upload_url = self
            .create_upload(
                &endpoint,
                "upload-speed-check.webm",
                "video/webm",
                probe.max_bytes + 1,
                None,
            )
            .await?;
        let measured = self.send_filler(&upload_url, probe).await;
        // The probe is worthless once measured; a failure to remove it only leaves an upload
        // that expires on the platform, so the measurement (or its error) is what counts.
        let _ = self.terminate_upload(&upload_url).await;
        measured
    }

    async fn send_filler(&self, upload_url: &str, probe: SpeedProbe) -> Result<UploadSpeed> {
        // Incompressible filler, so no link-level compression flatters the figure.
        let filler: Vec<u8> = (0..probe.chunk_bytes).map(|_| rand::random()).collect();
        let started = Instant::now();
        let mut offset = 0_u64;
        while offset < probe.max_bytes && started.elapsed() < probe.max_time {
            let room = usize::try_from(probe.max_bytes - offset).unwrap_or(usize::MAX);
            let chunk = filler[..filler.len().min(room)].to_vec();
            offset = self.append(upload_url, offset, chunk).await?;
        }
        let elapsed = started.elapsed().max(Duration::from_millis(1));
        Ok(UploadSpeed {
            bytes: offset,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            bytes_per_second: rate(offset, elapsed),
        })
    }
}

fn rate(bytes: u64, elapsed: Duration) -> u64 {
    let per_second = u128::from(bytes) * 1000 / elapsed.as_millis().max(1);
    u64::try_from(per_second).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_bytes_per_second_and_never_divides_by_zero() {
        assert_eq!(rate(1_000_000, Duration::from_millis(500)), 2_000_000);
        assert_eq!(rate(10, Duration::ZERO), 10_000);
    }
}
