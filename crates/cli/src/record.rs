//! `litigant record --source test|default|DEVICE --seconds N --out DIR`: records a hearing
//! answer as the app does (hashed WebM segments and a manifest), printing each segment as it
//! closes. `--recover` first repairs a recording that was interrupted in DIR and then records on.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use clap::Args;
use litigant_hearing::{
    Manifest, Recorder, RecorderEvent, RecordingSettings, Segment, VideoSettings, recover,
};

use crate::devices::source_of;
use crate::platform::Failure;

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The camera: `test` (a test pattern), `default`, or a name from `litigant devices`.
    #[arg(long, default_value = "default")]
    source: String,
    /// The microphone: `test`, `default`, or a name. Default: `test` with `--source test`,
    /// else `default`.
    #[arg(long)]
    microphone: Option<String>,
    /// How long to record, in seconds.
    #[arg(long)]
    seconds: u64,
    /// The recording's folder (created private to you).
    #[arg(long)]
    out: PathBuf,
    /// Longest segment, in seconds: a crash loses at most about this much.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=600))]
    segment_seconds: u32,
    /// Record 640×360 instead of 1280×720, for machines that cannot keep up.
    #[arg(long)]
    low: bool,
    /// Repair an interrupted recording in the folder first, then record on.
    #[arg(long)]
    recover: bool,
}

pub fn run(args: &RecordArgs) -> Result<(), Failure> {
    if args.recover {
        let report = recover(&args.out)?;
        for segment in &report.kept {
            println!(
                "recovered {} ({} ms, {} bytes)",
                segment.file, segment.duration_ms, segment.bytes
            );
        }
        for dropped in &report.dropped {
            println!("dropped {}: {}", dropped.file, dropped.reason);
        }
        for missing in &report.missing {
            println!("missing {missing}");
        }
    }
    let mut settings = RecordingSettings::new(
        &args.out,
        source_of(&args.source, args.microphone.as_deref()),
    );
    settings.segment_seconds = args.segment_seconds;
    if args.low {
        settings.video = VideoSettings::LOW;
    }
    let (sender, events) = mpsc::sync_channel(64);
    let recorder = Recorder::start(&settings, Some(sender)).map_err(|error| {
        Failure::new(match error {
            litigant_hearing::HearingError::NeedsRecovery { .. } => {
                format!("{error} (add --recover)")
            }
            other => other.to_string(),
        })
    })?;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut printed = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match events.recv_timeout(left) {
            Ok(RecorderEvent::SegmentClosed(segment)) => print_segment(&segment, &mut printed),
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some(error) = recorder.failure() {
            return Err(error.into());
        }
    }
    let manifest = recorder.stop()?;
    for segment in &manifest.segments {
        print_segment(segment, &mut printed);
    }
    println!(
        "recorded {:.1} s in {} segments; manifest {}",
        Duration::from_millis(manifest.duration_ms()).as_secs_f64(),
        manifest.segments.len(),
        Manifest::path(&args.out).display()
    );
    Ok(())
}

/// Prints a closed segment once, and flushes: a script (or a test) reads these as they come.
fn print_segment(segment: &Segment, printed: &mut Vec<u32>) {
    if printed.contains(&segment.index) {
        return;
    }
    printed.push(segment.index);
    println!(
        "segment {} closed: {} {} ms {} bytes sha256 {}",
        segment.index, segment.file, segment.duration_ms, segment.bytes, segment.sha256
    );
    let _ = std::io::stdout().flush();
}
