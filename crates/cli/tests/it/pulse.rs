//! Recording real captured sound: a PulseAudio server of the test's own (in a temporary runtime
//! folder) with a null sink that a tone is played into; `litigant` records its monitor.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use litigant_hearing::{Manifest, inspect};

/// A private PulseAudio server with a null sink named `null`; stopped when dropped.
struct Pulse {
    runtime: tempfile::TempDir,
    player: Option<Child>,
    /// The player's output, read up to "PLAYING" and kept open: closing it would kill the player
    /// with SIGPIPE at its next line.
    player_output: Option<std::io::Lines<BufReader<std::process::ChildStdout>>>,
}

impl Pulse {
    fn start() -> Self {
        let runtime = tempfile::tempdir().expect("temp dir");
        let status = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=yes",
                "--exit-idle-time=-1",
                "--disallow-exit",
            ])
            .arg("--load=module-null-sink sink_name=null")
            .arg("--load=module-native-protocol-unix")
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env("HOME", runtime.path())
            .stderr(Stdio::null())
            .status()
            .expect("pulseaudio runs (apt install pulseaudio)");
        // --daemonize returns once the server accepts clients.
        assert!(status.success(), "pulseaudio started");
        Self {
            runtime,
            player: None,
            player_output: None,
        }
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .env("HOME", self.runtime.path());
        command
    }

    /// Plays a 440 Hz tone into the null sink (which also makes the sink run with a short
    /// latency; idle, it hands its monitor's sound over in two-second blocks).
    fn play_tone(&mut self) {
        let mut player = self
            .command("gst-launch-1.0")
            .args([
                "audiotestsrc",
                "freq=440",
                "volume=0.3",
                "!",
                "pulsesink",
                "device=null",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gst-launch-1.0 starts");
        let mut lines = BufReader::new(player.stdout.take().expect("piped")).lines();
        for line in lines.by_ref() {
            if line.expect("UTF-8").contains("PLAYING") {
                break;
            }
        }
        self.player = Some(player);
        self.player_output = Some(lines);
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        if let Some(mut player) = self.player.take() {
            let _ = player.kill();
            let _ = player.wait();
        }
        let _ = self.command("pulseaudio").arg("--kill").status();
    }
}

fn litigant(pulse: &Pulse, args: &[&str], out: &Path) -> std::process::Output {
    pulse
        .command(env!("CARGO_BIN_EXE_litigant"))
        .args(args)
        .arg(out)
        .output()
        .expect("litigant runs")
}

#[test]
fn sound_from_a_pulseaudio_null_sink_is_listed_checked_and_recorded() {
    let mut pulse = Pulse::start();
    pulse.play_tone();
    let work = tempfile::tempdir().expect("temp dir");

    let listed = litigant(
        &pulse,
        &[
            "devices",
            "--source",
            "test",
            "--microphone",
            "null.monitor",
            "--json",
            "--data",
        ],
        work.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    let microphones = json["devices"].as_array().expect("devices");
    assert!(
        microphones
            .iter()
            .any(|d| d["name"] == "Monitor of Null Output" && d["systemName"] == "null.monitor"),
        "{json:#}"
    );
    // A 440 Hz tone at 0.3 of full scale is no quiet room: about -13 dB.
    let noise = json["check"]["noiseDb"].as_f64().expect("heard");
    assert!((-20.0..-8.0).contains(&noise), "{noise}");
    assert_eq!(listed.status.code(), Some(1), "a loud room is a problem");

    let folder = work.path().join("answer");
    let recorded = litigant(
        &pulse,
        &[
            "record",
            "--source",
            "test",
            "--microphone",
            "null.monitor",
            "--seconds",
            "4",
            "--segment-seconds",
            "2",
            "--low",
            "--out",
        ],
        &folder,
    );
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    let manifest = Manifest::load(&folder).expect("manifest");
    assert_eq!(manifest.audio.device, "Monitor of Null Output");
    assert!(manifest.duration_ms() >= 3500, "{manifest:#?}");
    for segment in &manifest.segments {
        let decoded = inspect(&folder.join(&segment.file)).expect("inspects");
        assert_eq!(decoded.error, None);
        assert!(
            decoded.audio_ms.abs_diff(decoded.video_ms) <= 150,
            "{decoded:?}"
        );
    }
}
