//! Checks that do not trust the crate: `gst-discoverer-1.0` (from gstreamer1.0-plugins-base-apps)
//! reads each file on its own, and hashes are recomputed here with sha2.

use std::path::Path;
use std::process::Command;

/// What gst-discoverer-1.0 says about a file: its duration in milliseconds and its streams.
#[derive(Debug)]
pub struct Discovered {
    pub duration_ms: u64,
    pub text: String,
}

pub fn discover(path: &Path) -> Discovered {
    let output = Command::new("gst-discoverer-1.0")
        .arg(path)
        .output()
        .expect("gst-discoverer-1.0 runs (apt install gstreamer1.0-plugins-base-apps)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{}: {text}", path.display());
    let duration = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Duration: "))
        .unwrap_or_else(|| panic!("no duration in {text}"));
    Discovered {
        duration_ms: parse_duration(duration),
        text,
    }
}

/// `0:00:05.000000000` → 5000.
fn parse_duration(text: &str) -> u64 {
    let mut parts = text.split(':');
    let hours: u64 = parts.next().and_then(|p| p.parse().ok()).expect("hours");
    let minutes: u64 = parts.next().and_then(|p| p.parse().ok()).expect("minutes");
    let seconds: f64 = parts.next().and_then(|p| p.parse().ok()).expect("seconds");
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "seconds of a test segment"
    )]
    let millis = (seconds * 1000.0).round() as u64;
    (hours * 60 + minutes) * 60_000 + millis
}

pub fn sha256(path: &Path) -> String {
    use sha2::Digest;
    format!(
        "{:x}",
        sha2::Sha256::digest(std::fs::read(path).expect("readable"))
    )
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn discoverer_durations_parse() {
    assert_eq!(parse_duration("0:00:05.000000000"), 5000);
    assert_eq!(parse_duration("1:02:03.500000000"), 3_723_500);
}
