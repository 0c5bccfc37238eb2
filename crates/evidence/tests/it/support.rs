//! A court-sim served in-process on loopback, a logged-in client, and an uploaded document.

use litigant_court_client::{Client, upload_document_id};
use litigant_court_sim::{CourtSim, SimConfig};
use serde_json::Value;

pub const PLAINTIFF: &str = "13800138000";
pub const DEFENDANT: &str = "13900139000";

pub struct Court {
    pub dir: tempfile::TempDir,
    pub base: String,
    clerk: String,
}

impl Court {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sim = CourtSim::bind(
            SimConfig::new(dir.path().join("court")),
            "127.0.0.1:0".parse().expect("an address"),
        )
        .await
        .expect("court-sim binds");
        let base = format!("http://{}", sim.local_addr().expect("an address"));
        tokio::spawn(sim.serve());
        let clerk =
            std::fs::read_to_string(dir.path().join("court/clerk-token")).expect("the clerk token");
        Self { dir, base, clerk }
    }

    /// The newest SMS code sent for `purpose` (`login`, `reverify`).
    pub async fn sms_code(&self, purpose: &str) -> String {
        let outbox: Value = reqwest::Client::new()
            .get(format!("{}/api/v1/sim/sms-outbox", self.base))
            .bearer_auth(&self.clerk)
            .send()
            .await
            .expect("the SMS outbox")
            .json()
            .await
            .expect("JSON");
        outbox["items"]
            .as_array()
            .and_then(|items| items.iter().find(|m| m["purpose"] == purpose))
            .and_then(|m| m["code"].as_str())
            .expect("a code")
            .to_owned()
    }

    /// A client logged in as the seeded plaintiff.
    pub async fn plaintiff(&self) -> Client {
        self.login(PLAINTIFF).await
    }

    /// A client logged in with a seeded mobile number.
    pub async fn login(&self, mobile: &str) -> Client {
        use litigant_court_api::identity::{LoginRequest, SmsCodeRequest, SmsPurpose};
        let client = Client::connect(&self.base).expect("a loopback address");
        client
            .send_sms_code(&SmsCodeRequest {
                mobile: mobile.into(),
                purpose: SmsPurpose::Login,
            })
            .await
            .expect("a code is sent");
        let code = self.sms_code("login").await;
        client
            .login(&LoginRequest {
                mobile: mobile.into(),
                sms_code: code,
            })
            .await
            .expect("logged in");
        client
    }
}

/// Uploads `bytes` in one tus request and returns the document's id.
pub async fn upload(client: &Client, name: &str, bytes: &[u8]) -> String {
    let url = client
        .create_upload(
            &client.tus_endpoint(),
            name,
            "application/pdf",
            bytes.len() as u64,
            None,
        )
        .await
        .expect("an upload is created");
    client
        .append(&url, 0, bytes.to_vec())
        .await
        .expect("the bytes are sent");
    upload_document_id(&url).to_owned()
}
