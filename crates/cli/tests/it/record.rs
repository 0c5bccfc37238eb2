//! `litigant record` as a person or a script runs it, and killed with SIGKILL mid-recording:
//! the recording is then recovered, losing at most the segment that was open.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use litigant_hearing::{Manifest, inspect, recover};

fn litigant() -> Command {
    Command::new(env!("CARGO_BIN_EXE_litigant"))
}

/// `litigant record --source test --out FOLDER ARGS...`, run to the end.
fn record(folder: &Path, args: &[&str]) -> Output {
    litigant()
        .args(["record", "--source", "test", "--out"])
        .arg(folder)
        .args(args)
        .output()
        .expect("litigant runs")
}

/// [`record`] that must succeed: its standard output and the finished manifest.
fn record_ok(folder: &Path, args: &[&str]) -> (String, Manifest) {
    let output = record(folder, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = Manifest::load(folder).expect("manifest");
    assert!(manifest.is_finished());
    (stdout, manifest)
}

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    format!(
        "{:x}",
        sha2::Sha256::digest(std::fs::read(path).expect("readable"))
    )
}

/// Every segment in the manifest is there, has its hash, and decodes to the end.
fn assert_whole(folder: &Path, manifest: &Manifest) {
    for segment in &manifest.segments {
        let path = folder.join(&segment.file);
        assert_eq!(sha256(&path), segment.sha256, "{}", segment.file);
        let decoded = inspect(&path).expect("inspects");
        assert!(decoded.has_media(), "{}: {decoded:?}", segment.file);
    }
}

#[test]
fn record_from_the_test_source_prints_segments_and_writes_the_manifest() {
    let out = tempfile::tempdir().expect("temp dir");
    let folder = out.path().join("answer");
    let (stdout, manifest) = record_ok(
        &folder,
        &["--seconds", "3", "--segment-seconds", "2", "--low"],
    );
    assert_eq!((manifest.video.width, manifest.video.height), (640, 360));
    assert_eq!(manifest.segments.len(), 2, "{stdout}");
    for segment in &manifest.segments {
        assert!(
            stdout.contains(&format!(
                "segment {} closed: {}",
                segment.index, segment.file
            )),
            "{stdout}"
        );
        assert!(stdout.contains(&segment.sha256), "{stdout}");
    }
    // Three seconds (and the few milliseconds the stop takes to travel): one whole segment and
    // one of about a second.
    assert!((3000..3500).contains(&manifest.duration_ms()), "{stdout}");
    assert!(stdout.contains("s in 2 segments; manifest"), "{stdout}");
    assert_whole(&folder, &manifest);

    // A finished recording is never recorded over.
    let again = record(&folder, &["--seconds", "1"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("finished recording"));
}

#[test]
fn kill_9_mid_recording_loses_at_most_the_open_segment_and_the_recording_continues() {
    let out = tempfile::tempdir().expect("temp dir");
    let folder = out.path().join("answer");
    let started = Instant::now();
    let mut child = litigant()
        .args([
            "record",
            "--source",
            "test",
            "--seconds",
            "600",
            "--segment-seconds",
            "2",
        ])
        .arg("--out")
        .arg(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("litigant starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut closed = 0;
    while closed < 2 {
        let line = lines.next().expect("a line before the end").expect("UTF-8");
        if line.starts_with("segment ") {
            closed += 1;
        }
    }
    // Kill it part-way into the third segment.
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().expect("SIGKILL sent");
    let elapsed = started.elapsed();
    child.wait().expect("reaped");

    let before = Manifest::load(&folder).expect("the manifest survived the kill");
    assert!(!before.is_finished());
    assert!(before.segments.len() >= 2, "{before:#?}");
    assert_whole(&folder, &before);

    let report = recover(&folder).expect("recovers");
    eprintln!(
        "killed after {elapsed:?}: {} segments listed, kept {:?}, dropped {:?}",
        before.segments.len(),
        report.kept,
        report.dropped
    );
    assert!(report.missing.is_empty());
    assert!(report.kept.len() + report.dropped.len() <= 1, "{report:#?}");
    // What was closed before the kill is untouched.
    assert_eq!(
        report.manifest.segments[..before.segments.len()],
        before.segments[..]
    );
    assert_whole(&folder, &report.manifest);
    // At most the open segment (2 s) and what the splitter held back for it is lost, beyond the
    // start-up of the process.
    let recorded = Duration::from_millis(report.manifest.duration_ms());
    assert!(
        recorded + Duration::from_secs(4) >= elapsed,
        "recorded {recorded:?} of {elapsed:?}"
    );
    assert_eq!(
        recover(&folder).expect("recovers again").kept.len(),
        0,
        "recovery is done once"
    );

    // Offered to continue: the numbers go on after the recovered segments.
    let (_, after) = record_ok(&folder, &["--seconds", "2", "--segment-seconds", "2"]);
    let indices: Vec<u32> = after.segments.iter().map(|s| s.index).collect();
    let expected: Vec<u32> = (0..u32::try_from(indices.len()).expect("few")).collect();
    assert_eq!(indices, expected);
    assert!(after.segments.len() > report.manifest.segments.len());
    assert_whole(&folder, &after);
}
