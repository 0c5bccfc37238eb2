//! Starting the real `court-sim` binary on loopback, and talking to it as a party or clerk.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A running simulator with its own data folder; killed when dropped.
pub struct Sim {
    child: Child,
    pub base: String,
    pub data: PathBuf,
    args: Vec<String>,
    pub clerk: String,
    pub http: Client,
    _dir: tempfile::TempDir,
}

fn spawn(data: &Path, args: &[String]) -> (Child, String) {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path(data))
        .expect("the log file opens");
    let mut child = Command::new(env!("CARGO_BIN_EXE_court-sim"))
        .arg("--data")
        .arg(data)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env("COURT_SIM_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("court-sim starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut line)
        .expect("court-sim prints its address");
    let address = line
        .trim()
        .strip_prefix("court-sim listening on ")
        .unwrap_or_else(|| panic!("unexpected first line from court-sim: {line:?}"))
        .to_owned();
    (child, address)
}

/// Where a simulator's log goes: beside its data folder, kept across restarts.
fn log_path(data: &Path) -> PathBuf {
    data.with_extension("log")
}

impl Sim {
    pub fn log(&self) -> String {
        std::fs::read_to_string(log_path(&self.data)).unwrap_or_default()
    }

    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("court");
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        let (child, base) = spawn(&data, &args);
        let clerk =
            std::fs::read_to_string(data.join("clerk-token")).expect("the clerk token file");
        Self {
            child,
            base,
            data,
            args,
            clerk,
            http: Client::new(),
            _dir: dir,
        }
    }

    /// kill -9: no chance to tidy up.
    pub fn kill(&mut self) {
        self.child.kill().expect("court-sim can be killed");
        self.child.wait().expect("court-sim is reaped");
    }

    /// Starts again on the same data folder (on a new port).
    pub fn restart(&mut self) {
        let (child, base) = spawn(&self.data, &self.args);
        self.child = child;
        self.base = base;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.http.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub fn clerk_post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        send(
            self.request(Method::POST, path, Some(&self.clerk))
                .json(body),
        )
    }

    /// Reads the simulator's database directly, to check what a refused request left behind.
    pub fn count(&self, table: &str) -> i64 {
        let db = rusqlite::Connection::open_with_flags(
            self.data.join("court.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("the database opens");
        db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("the table exists")
    }

    /// The last SMS code the simulator "sent" to a number.
    pub fn sms_code(&self, mobile: &str, purpose: &str) -> String {
        let (status, body) = send(
            self.request(Method::POST, "/identity/sms-codes", None)
                .json(&json!({"mobile": mobile, "purpose": purpose})),
        );
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let (_, outbox) = send(self.request(Method::GET, "/sim/sms-outbox", Some(&self.clerk)));
        outbox["items"]
            .as_array()
            .and_then(|items| {
                items
                    .iter()
                    .find(|m| m["mobile"] == mobile && m["purpose"] == purpose)
            })
            .and_then(|m| m["code"].as_str())
            .expect("the code is in the outbox")
            .to_owned()
    }

    pub fn login(&self, mobile: &str) -> Party {
        let code = self.sms_code(mobile, "login");
        let (status, session) = send(
            self.request(Method::POST, "/auth/login", None)
                .json(&json!({"mobile": mobile, "smsCode": code})),
        );
        assert_eq!(status, StatusCode::OK, "{session}");
        Party::from_session(&session)
    }

    pub fn reverify(&self, party: &Party, mobile: &str) {
        let code = self.sms_code(mobile, "reverify");
        let (status, body) = send(
            self.request(Method::POST, "/me/reverification", Some(&party.token))
                .json(&json!({"smsCode": code})),
        );
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// A whole upload in one PATCH with a checksum; returns the document id.
    pub fn upload(&self, token: &str, filename: &str, content_type: &str, bytes: &[u8]) -> String {
        let id = self.create_upload(token, filename, content_type, bytes.len() as u64, None);
        let response = self.patch(token, &id, 0, bytes, Some(&sha256_b64(bytes)));
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "{}",
            response.text().unwrap_or_default()
        );
        id
    }

    pub fn create_upload(
        &self,
        token: &str,
        filename: &str,
        content_type: &str,
        length: u64,
        sha256_hex: Option<&str>,
    ) -> String {
        let mut metadata = format!(
            "filename {},contentType {}",
            b64(filename.as_bytes()),
            b64(content_type.as_bytes())
        );
        if let Some(hash) = sha256_hex {
            metadata = format!("{metadata},sha256 {}", b64(hash.as_bytes()));
        }
        let response = self
            .request(Method::POST, "/uploads", Some(token))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", length.to_string())
            .header("Upload-Metadata", metadata)
            .send()
            .expect("the request is sent");
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().unwrap_or_default()
        );
        let location = response.headers()["location"]
            .to_str()
            .expect("a text Location")
            .to_owned();
        location.rsplit('/').next().expect("an id").to_owned()
    }

    /// A PATCH of `bytes` at `offset`, not yet sent.
    pub fn patch_request(
        &self,
        token: &str,
        id: &str,
        offset: u64,
        bytes: &[u8],
    ) -> RequestBuilder {
        self.request(Method::PATCH, &format!("/uploads/{id}"), Some(token))
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .body(bytes.to_vec())
    }

    pub fn patch(
        &self,
        token: &str,
        id: &str,
        offset: u64,
        bytes: &[u8],
        checksum_b64: Option<&str>,
    ) -> Response {
        let mut request = self.patch_request(token, id, offset, bytes);
        if let Some(checksum) = checksum_b64 {
            request = request.header("Upload-Checksum", format!("sha256 {checksum}"));
        }
        request.send().expect("the request is sent")
    }

    pub fn offset(&self, token: &str, id: &str) -> u64 {
        let response = self
            .request(Method::HEAD, &format!("/uploads/{id}"), Some(token))
            .header("Tus-Resumable", "1.0.0")
            .send()
            .expect("the request is sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.headers()["upload-offset"]
            .to_str()
            .expect("text")
            .parse()
            .expect("a number")
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A logged-in party.
#[derive(Debug, Clone)]
pub struct Party {
    pub token: String,
    pub refresh: String,
    pub account_id: String,
}

impl Party {
    pub fn from_session(session: &Value) -> Self {
        Self {
            token: session["accessToken"]
                .as_str()
                .expect("an access token")
                .to_owned(),
            refresh: session["refreshToken"]
                .as_str()
                .expect("a refresh token")
                .to_owned(),
            account_id: session["account"]["id"]
                .as_str()
                .expect("an account id")
                .to_owned(),
        }
    }
}

/// Sends and reads a JSON (or problem+json, or empty) answer.
pub fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().expect("the request is sent");
    let status = response.status();
    let text = response.text().expect("the body is read");
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        },
    )
}

/// Asserts a problem document with this status and code, and returns it.
#[track_caller]
pub fn assert_problem((status, body): (StatusCode, Value), want_status: u16, code: &str) -> Value {
    assert_eq!(status.as_u16(), want_status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("urn:litigant:problem:{code}"));
    assert!(
        body["detail"].as_str().is_some_and(|d| d.len() > 10),
        "a problem explains itself: {body}"
    );
    body
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut out, b| {
            use std::fmt::Write;
            let _ = write!(out, "{b:02x}");
            out
        })
}

pub fn sha256_b64(bytes: &[u8]) -> String {
    use sha2::Digest;
    b64(&sha2::Sha256::digest(bytes))
}

/// The start of a PNG file: enough for the platform to read its size.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    png
}

/// Deterministic bytes that are not all the same.
pub fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i: usize| {
            let [low, high, ..] = i.to_le_bytes();
            low.wrapping_mul(31).wrapping_add(seed) ^ high
        })
        .collect()
}

/// A valid ID card number for tests: `base17` plus its check character.
pub fn id_card(base17: &str) -> String {
    format!(
        "{base17}{}",
        litigant_id_number::id_card_check_character(base17).expect("17 digits")
    )
}

/// Demo mobile numbers seeded into every new simulator.
pub const PLAINTIFF_MOBILE: &str = "13800138000";
pub const DEFENDANT_MOBILE: &str = "13900139000";
