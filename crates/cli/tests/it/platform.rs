//! The platform commands as a script runs them: `serve-sim`, `login` (session in a real Secret
//! Service on a private D-Bus), `cases`, `upload`, and `outbox send` after the uploading process
//! was killed with SIGKILL, counting the bytes that crossed the wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A child process killed and reaped when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private session bus with gnome-keyring's Secret Service, unlocked, in a temporary home.
struct Keyring {
    env: Vec<(String, String)>,
    _bus: Killed,
    _daemon: Killed,
}

impl Keyring {
    fn start(root: &Path) -> Self {
        let (xdg, run) = (root.join("xdg"), root.join("run"));
        std::fs::create_dir_all(&xdg).expect("a data home");
        std::fs::create_dir_all(&run).expect("a runtime dir");
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .expect("0700");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts (apt: dbus-daemon)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        let env = vec![
            (
                "DBUS_SESSION_BUS_ADDRESS".to_owned(),
                address.trim().to_owned(),
            ),
            ("XDG_DATA_HOME".to_owned(), xdg.display().to_string()),
            ("XDG_RUNTIME_DIR".to_owned(), run.display().to_string()),
        ];
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(env.iter().cloned())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts (apt: gnome-keyring)");
        keyring
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"test-password")
            .expect("the password");
        let started = Instant::now();
        loop {
            let owned = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .envs(env.iter().cloned())
                .output()
                .expect("dbus-send runs");
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the Secret Service never came up"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            env,
            _bus: Killed(bus),
            _daemon: Killed(keyring),
        }
    }
}

/// A TCP proxy that counts the bytes a client sends to the server.
struct CountingProxy {
    address: String,
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl CountingProxy {
    fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let address = format!("http://{}", listener.local_addr().expect("an address"));
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let (sent, stop) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (counter, stopped) = (sent.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let (mut from_client, mut to_server) = (
                    client.try_clone().expect("clone"),
                    server.try_clone().expect("clone"),
                );
                let counter = counter.clone();
                std::thread::spawn(move || {
                    let mut buffer = vec![0u8; 1 << 16];
                    while let Ok(n) = from_client.read(&mut buffer) {
                        if n == 0 || to_server.write_all(&buffer[..n]).is_err() {
                            break;
                        }
                        counter.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    let _ = to_server.shutdown(std::net::Shutdown::Write);
                });
                let (mut from_server, mut to_client) = (server, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                    let _ = to_client.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        Self {
            address,
            sent,
            stop,
        }
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.address.trim_start_matches("http://"));
    }
}

pub struct Setup {
    pub root: tempfile::TempDir,
    keyring: Keyring,
    pub sim: String,
    clerk: String,
    _sim: Killed,
    _sim_stdout: BufReader<std::process::ChildStdout>,
}

impl Setup {
    pub fn start() -> Self {
        let root = tempfile::tempdir().expect("a folder");
        let keyring = Keyring::start(root.path());
        let mut sim = Command::new(env!("CARGO_BIN_EXE_litigant"))
            .args(["serve-sim", "--listen", "127.0.0.1:0", "--data"])
            .arg(root.path().join("court"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("litigant serve-sim starts");
        let mut line = String::new();
        // The reader stays open as long as the simulator runs: a closed pipe would fail its
        // later output.
        let mut stdout = BufReader::new(sim.stdout.take().expect("stdout"));
        stdout.read_line(&mut line).expect("the address");
        let address = line
            .trim()
            .strip_prefix("court-sim listening on ")
            .expect("an address line")
            .to_owned();
        let clerk = std::fs::read_to_string(root.path().join("court/clerk-token"))
            .expect("the clerk token");
        Self {
            root,
            keyring,
            sim: address,
            clerk,
            _sim: Killed(sim),
            _sim_stdout: stdout,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_litigant"));
        command
            .args(args)
            .envs(self.keyring.env.iter().cloned())
            .env("LITIGANT_DATA_DIR", self.data());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .expect("litigant runs")
    }

    pub fn clerk(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> serde_json::Value {
        reqwest::blocking::Client::new()
            .request(method, format!("{}/api/v1{path}", self.sim))
            .bearer_auth(&self.clerk)
            .json(body)
            .send()
            .unwrap_or_else(|e| panic!("the clerk's request to {path}: {e:?}"))
            .json()
            .unwrap_or(serde_json::Value::Null)
    }

    /// The newest SMS code sent for `purpose`, waiting until the platform has sent one.
    pub fn sms_code(&self, purpose: &str) -> String {
        let started = Instant::now();
        loop {
            let outbox = self.clerk(
                reqwest::Method::GET,
                "/sim/sms-outbox",
                &serde_json::Value::Null,
            );
            if let Some(code) = outbox["items"]
                .as_array()
                .and_then(|items| items.iter().find(|m| m["purpose"] == purpose))
                .and_then(|m| m["code"].as_str())
            {
                return code.to_owned();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no SMS code was sent for {purpose}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn login(&self, platform: &str) {
        let sent = self
            .command(&["login", "--platform", platform, "--mobile", "13800138000"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("login starts");
        let mut sent = sent;
        // The code is read from standard input once the platform has sent it.
        let code = self.sms_code("login");
        sent.stdin
            .take()
            .expect("stdin")
            .write_all(format!("{code}\n").as_bytes())
            .expect("the code typed");
        let output = sent.wait_with_output().expect("login ends");
        assert!(
            output.status.success(),
            "login failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("1101**********002X"));
    }
}

/// What a run printed, both streams, for assertion messages.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn login_keeps_the_session_in_the_keychain_not_on_disk() {
    let setup = Setup::start();
    setup.login(&setup.sim);
    let cases = setup.run(&["cases", "--platform", &setup.sim]);
    assert!(cases.status.success(), "{}", text(&cases));
    assert!(String::from_utf8_lossy(&cases.stdout).contains("case_demo_loan"));
    // A second command resumes from the keychain again (the refresh token was rotated).
    assert!(
        setup
            .run(&["cases", "--platform", &setup.sim])
            .status
            .success()
    );

    // Nothing in the data folder holds a token or the full ID number.
    for entry in std::fs::read_dir(setup.data()).expect("the data folder") {
        let bytes = std::fs::read(entry.expect("an entry").path()).unwrap_or_default();
        let content = String::from_utf8_lossy(&bytes);
        assert!(
            !content.contains("11010519491231002X"),
            "a full ID number on disk"
        );
    }
    let accounts =
        std::fs::read_to_string(setup.data().join("accounts.json")).expect("the account list");
    assert!(!accounts.to_lowercase().contains("token"));

    let other = setup.run(&["cases", "--platform", "http://127.0.0.1:9"]);
    assert_eq!(other.status.code(), Some(1));
    assert!(text(&other).contains("litigant login"), "{}", text(&other));
    let insecure = setup.run(&["cases", "--platform", "http://court.example.cn"]);
    assert_eq!(insecure.status.code(), Some(2), "{}", text(&insecure));
}

#[test]
fn after_kill_9_mid_upload_outbox_send_finishes_resending_at_most_one_chunk() {
    let setup = Setup::start();
    let proxy = CountingProxy::start(&setup.sim);
    setup.login(&proxy.address);
    let size: usize = 24 << 20;
    let chunk: usize = 1 << 20;
    let content: Vec<u8> = (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    let file = setup.root.path().join("bundle.pdf");
    std::fs::write(&file, &content).expect("written");
    // Slow the platform down so the kill lands mid-upload.
    setup.clerk(
        reqwest::Method::PUT,
        "/clerk/faults",
        &serde_json::json!({"latencyMs": 60, "rules": []}),
    );

    let before = proxy.sent.load(Ordering::Relaxed);
    let mut upload = Killed(
        setup
            .command(&[
                "upload",
                "--platform",
                &proxy.address,
                "--chunk-size",
                &chunk.to_string(),
            ])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("upload starts"),
    );
    let outbox = setup.data().join("outbox.db");
    let started = Instant::now();
    let acknowledged = loop {
        let offset: u64 = rusqlite_offset(&outbox);
        if offset >= 8 << 20 {
            break offset;
        }
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "the upload never got going"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    upload.0.kill().expect("SIGKILL");
    let _ = upload.0.wait();
    assert!(acknowledged < size as u64, "killed before the end");

    setup.clerk(
        reqwest::Method::PUT,
        "/clerk/faults",
        &serde_json::json!({"latencyMs": 0, "rules": []}),
    );
    let resumed = setup.run(&[
        "outbox",
        "send",
        "--platform",
        &proxy.address,
        "--chunk-size",
        &chunk.to_string(),
    ]);
    assert!(resumed.status.success(), "{}", text(&resumed));
    let printed = String::from_utf8_lossy(&resumed.stdout).into_owned();
    let local = <sha2::Sha256 as sha2::Digest>::digest(&content)
        .iter()
        .fold(String::new(), |mut out, b| {
            use std::fmt::Write;
            let _ = write!(out, "{b:02x}");
            out
        });
    assert!(printed.contains(&format!("sha256 {local}")), "{printed}");

    // Every byte of the file crossed the wire once, plus at most the chunk in flight at the
    // kill; requests' headers and JSON are a few hundred bytes each.
    let sent = proxy.sent.load(Ordering::Relaxed) - before;
    let overhead = 64 * 1024;
    eprintln!(
        "killed at {acknowledged} acknowledged bytes; {sent} bytes sent in all for a {size}-byte file ({} over)",
        sent.saturating_sub(size as u64)
    );
    assert!(sent >= size as u64, "fewer bytes than the file: {sent}");
    assert!(
        sent <= (size + chunk + overhead) as u64,
        "{sent} bytes sent for a {size}-byte file: more than one chunk again"
    );
}

/// The offset the outbox has recorded as acknowledged (0 before it exists).
fn rusqlite_offset(outbox: &Path) -> u64 {
    let Ok(db) =
        rusqlite::Connection::open_with_flags(outbox, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    db.query_row("SELECT COALESCE(MAX(offset), 0) FROM items", [], |r| {
        r.get(0)
    })
    .unwrap_or(0)
}

#[test]
fn hash_agrees_with_sha256sum() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, b"%PDF-1.7 some bytes").expect("written");
    let ours = Command::new(env!("CARGO_BIN_EXE_litigant"))
        .arg("hash")
        .arg(&file)
        .output()
        .expect("runs");
    let theirs = Command::new("sha256sum")
        .arg(&file)
        .output()
        .expect("sha256sum runs");
    assert!(ours.status.success());
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout)
    );
    let missing = Command::new(env!("CARGO_BIN_EXE_litigant"))
        .args(["hash", "/nonexistent/file.pdf"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.pdf"));
}

#[test]
fn without_a_keychain_login_says_so_and_offers_a_way_forward() {
    let setup = Setup::start();
    reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/identity/sms-codes", setup.sim))
        .json(&serde_json::json!({"mobile": "13800138000", "purpose": "login"}))
        .send()
        .expect("a code is sent");
    let outbox = setup.clerk(
        reqwest::Method::GET,
        "/sim/sms-outbox",
        &serde_json::Value::Null,
    );
    let code = outbox["items"][0]["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let output = setup
        .command(&[
            "login",
            "--platform",
            &setup.sim,
            "--mobile",
            "13800138000",
            "--sms-code",
            &code,
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(Stdio::null())
        .output()
        .expect("litigant runs");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = text(&output);
    assert!(
        said.contains("keychain cannot be used") && said.contains("kiosk"),
        "{said}"
    );
    assert!(
        !setup.data().join("accounts.json").exists(),
        "no account is remembered without its session"
    );
}

#[test]
fn files_uploaded_for_a_case_are_recorded_in_its_case_file_and_verified() {
    let setup = Setup::start();
    setup.login(&setup.sim);
    let file = setup.root.path().join("evidence.pdf");
    std::fs::write(&file, b"%PDF-1.7 the delivery receipt").expect("written");
    let upload = setup
        .command(&[
            "upload",
            "--platform",
            &setup.sim,
            "--case",
            "case_demo_loan",
        ])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(upload.status.success(), "{}", text(&upload));
    assert!(
        text(&upload).contains("recorded #1 in the case file of case_demo_loan as entry 1"),
        "{}",
        text(&upload)
    );

    let verified = setup.run(&["verify", "case_demo_loan"]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("1 entries, 1 files rehashed"),
        "{}",
        text(&verified)
    );

    std::fs::write(&file, b"%PDF-1.7 a different receipt").expect("overwritten");
    let tampered = setup.run(&["verify", "case_demo_loan"]);
    assert_eq!(tampered.status.code(), Some(1), "{}", text(&tampered));
    assert!(
        String::from_utf8_lossy(&tampered.stdout).contains("FAIL"),
        "{}",
        text(&tampered)
    );
}
