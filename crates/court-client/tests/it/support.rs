//! A court-sim served in-process on loopback (a real server over TCP), which a test can stop
//! and start again on the same port, and a clerk to drive it.

use std::net::SocketAddr;
use std::time::Duration;

use litigant_court_client::{Client, RetryPolicy};
use litigant_court_sim::{CourtSim, SimConfig};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct Court {
    pub dir: tempfile::TempDir,
    pub address: SocketAddr,
    pub clerk: String,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
    configure: fn(&mut SimConfig),
}

impl Court {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(configure: fn(&mut SimConfig)) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut court = Self {
            dir,
            address: "127.0.0.1:0".parse().expect("an address"),
            clerk: String::new(),
            running: None,
            configure,
        };
        court.start_again().await;
        court.clerk = std::fs::read_to_string(court.dir.path().join("court/clerk-token"))
            .expect("the clerk token");
        court
    }

    /// Starts the server on its port (the same one after a stop).
    pub async fn start_again(&mut self) {
        let mut config = SimConfig::new(self.dir.path().join("court"));
        (self.configure)(&mut config);
        let sim = CourtSim::bind(config, self.address)
            .await
            .expect("court-sim binds");
        self.address = sim.local_addr().expect("an address");
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(sim.serve_until(async {
            let _ = stopped.await;
        }));
        self.running = Some((stop, task));
    }

    /// Stops the server and closes its connections: the platform is unreachable.
    pub async fn stop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client with quick retries, so fault tests take seconds.
    pub fn client(&self) -> Client {
        Client::connect(&self.base())
            .expect("a loopback address is accepted")
            .with_retry(RetryPolicy {
                attempts: 8,
                base: Duration::from_millis(20),
                max: Duration::from_millis(300),
            })
    }

    pub async fn clerk(&self, method: reqwest::Method, path: &str, body: &Value) -> Value {
        let response = reqwest::Client::new()
            .request(method, format!("{}/api/v1{path}", self.base()))
            .bearer_auth(&self.clerk)
            .json(body)
            .send()
            .await
            .expect("the clerk's request is sent");
        assert!(
            response.status().is_success(),
            "clerk {path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(Value::Null)
    }

    pub async fn faults(&self, plan: Value) {
        self.clerk(reqwest::Method::PUT, "/clerk/faults", &plan)
            .await;
    }

    /// Has the platform send a code for `purpose` to `mobile`, and reads it from the outbox.
    pub async fn sms_code(
        &self,
        client: &Client,
        mobile: &str,
        purpose: litigant_court_api::identity::SmsPurpose,
    ) -> String {
        use litigant_court_api::identity::SmsCodeRequest;
        client
            .send_sms_code(&SmsCodeRequest {
                mobile: mobile.into(),
                purpose,
            })
            .await
            .expect("a code is sent");
        let outbox = self
            .clerk(reqwest::Method::GET, "/sim/sms-outbox", &json!(null))
            .await;
        outbox["items"][0]["code"]
            .as_str()
            .expect("a code")
            .to_owned()
    }

    /// Logs `client` in as the seeded party with this mobile number.
    pub async fn login(&self, client: &Client, mobile: &str) {
        use litigant_court_api::identity::{LoginRequest, SmsPurpose};
        let code = self.sms_code(client, mobile, SmsPurpose::Login).await;
        client
            .login(&LoginRequest {
                mobile: mobile.into(),
                sms_code: code,
            })
            .await
            .expect("logged in");
    }

    /// How many rows a table of the simulator's database has.
    pub fn count(&self, table: &str) -> i64 {
        let db = rusqlite::Connection::open_with_flags(
            self.dir.path().join("court/court.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("the database");
        db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("a count")
    }
}

pub const PLAINTIFF: &str = "13800138000";
pub const DEFENDANT: &str = "13900139000";

/// Deterministic bytes that are not all the same.
pub fn bytes(len: usize, seed: u8) -> Vec<u8> {
    let mut state = u64::from(seed) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
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
