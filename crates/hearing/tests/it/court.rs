//! A court-sim served in-process on loopback, and its seeded plaintiff logged in through the
//! SMS outbox, for the tests that send recordings to the platform.

use std::path::PathBuf;

use chrono::Utc;
use litigant_court_api::hearings::AsyncHearing;
use litigant_court_api::identity::{
    LoginRequest, ReverificationRequest, SmsCodeRequest, SmsPurpose,
};
use litigant_court_client::{Client, Outbox};
use litigant_court_sim::{CourtSim, SimConfig};
use serde_json::json;

/// Logs in as the simulator's seeded plaintiff, reading the SMS code from its outbox.
pub async fn login(client: &Client, base: &str, clerk: &str) {
    let mobile = "13800138000".to_owned();
    let sms_code = sms_code(client, base, clerk, SmsPurpose::Login).await;
    client
        .login(&LoginRequest { mobile, sms_code })
        .await
        .expect("logged in");
}

/// Asks the simulator to send the plaintiff a code for `purpose` and reads it from its outbox.
pub async fn sms_code(client: &Client, base: &str, clerk: &str, purpose: SmsPurpose) -> String {
    client
        .send_sms_code(&SmsCodeRequest {
            mobile: "13800138000".to_owned(),
            purpose,
        })
        .await
        .expect("a code is sent");
    let sms: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/api/v1/sim/sms-outbox"))
        .bearer_auth(clerk)
        .send()
        .await
        .expect("sms outbox")
        .json()
        .await
        .expect("JSON");
    // The outbox lists the newest code first.
    sms["items"][0]["code"].as_str().expect("a code").to_owned()
}

/// A court-sim on loopback and its seeded plaintiff, logged in and freshly re-verified.
pub struct Court {
    pub work: tempfile::TempDir,
    pub base: String,
    pub clerk: String,
    pub client: Client,
    pub outbox: Outbox,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
}

impl Court {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// A court whose settings `adjust` changes first (a shorter re-verification period...).
    pub async fn start_with(adjust: impl FnOnce(&mut SimConfig)) -> Self {
        let work = tempfile::tempdir().expect("temp dir");
        let mut config = SimConfig::new(work.path().join("court"));
        adjust(&mut config);
        let sim = CourtSim::bind(config, "127.0.0.1:0".parse().expect("address"))
            .await
            .expect("court-sim binds");
        let base = format!("http://{}", sim.local_addr().expect("address"));
        let clerk =
            std::fs::read_to_string(work.path().join("court/clerk-token")).expect("clerk token");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(sim.serve_until(async {
            let _ = stopped.await;
        }));
        let client = Client::connect(&base).expect("loopback");
        login(&client, &base, &clerk).await;
        std::fs::create_dir_all(work.path().join("data")).expect("a data folder");
        let outbox = Outbox::open(work.path().join("data/outbox.db")).expect("outbox");
        let court = Self {
            work,
            base,
            clerk,
            client,
            outbox,
            stop,
            server,
        };
        court.reverify().await;
        court
    }

    pub fn data(&self) -> PathBuf {
        self.work.path().join("data")
    }

    /// The clerk opens a hearing on the demo case with `steps` steps, due in `deadline_seconds`.
    pub async fn open_hearing(&self, steps: u32, deadline_seconds: i64) -> AsyncHearing {
        let steps: Vec<_> = (0..steps)
            .map(|index| json!({"index": index, "prompt": format!("Question {index}"), "maxSeconds": 60}))
            .collect();
        let response = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/clerk/cases/case_demo_loan/hearings",
                self.base
            ))
            .bearer_auth(&self.clerk)
            .json(&json!({
                "title": "Questions",
                "steps": steps,
                "deadline": Utc::now() + chrono::Duration::seconds(deadline_seconds),
            }))
            .send()
            .await
            .expect("the clerk's request");
        assert!(response.status().is_success(), "{}", response.status());
        let opened: serde_json::Value = response.json().await.expect("JSON");
        self.client
            .hearing(opened["id"].as_str().expect("an id"))
            .await
            .expect("the hearing")
    }

    /// Re-verifies the plaintiff with a fresh code from the outbox.
    pub async fn reverify(&self) {
        let code = sms_code(&self.client, &self.base, &self.clerk, SmsPurpose::Reverify).await;
        self.client
            .reverify(&ReverificationRequest { sms_code: code })
            .await
            .expect("re-verified");
    }

    /// The clerk's fault plan: `rules` as `PUT /clerk/faults` takes them (empty clears it).
    pub async fn set_faults(&self, rules: serde_json::Value) {
        let response = reqwest::Client::new()
            .put(format!("{}/api/v1/clerk/faults", self.base))
            .bearer_auth(&self.clerk)
            .json(&json!({"latencyMs": 0, "rules": rules}))
            .send()
            .await
            .expect("the clerk's request");
        assert!(response.status().is_success(), "{}", response.status());
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.expect("server stopped");
    }
}
