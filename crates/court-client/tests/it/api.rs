//! Typed calls, the HTTPS rule, problems as typed errors, token refresh.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use litigant_court_api::ProblemCode;
use litigant_court_api::identity::{LoginRequest, SmsCodeRequest, SmsPurpose};
use litigant_court_client::{Client, ClientError, SessionTokens, SpeedProbe};
use serde_json::json;

use crate::support::{Court, DEFENDANT, PLAINTIFF};

#[test]
fn plain_http_is_refused_for_any_host_but_loopback() {
    for address in [
        "http://court.example.cn",
        "http://10.0.0.8:8080",
        "ftp://court.example.cn",
    ] {
        let error = Client::connect(address).expect_err(address);
        assert_eq!(error.code(), "court_client.invalid_address");
        assert!(
            error.to_string().contains("court.example.cn")
                || error.to_string().contains("10.0.0.8")
                || error.to_string().contains("ftp"),
            "{error}"
        );
    }
    for address in [
        "https://court.example.cn",
        "http://127.0.0.1:9",
        "http://localhost:9",
        "court.example.cn",
    ] {
        assert!(Client::connect(address).is_ok(), "{address}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_calls_and_typed_refusals() {
    let court = Court::start().await;
    let client = court.client();
    let policy = client.policy().await.expect("the policy");
    assert!(policy.demo);
    assert_eq!(
        client.cases().await.expect_err("not logged in").code(),
        "court_client.not_logged_in"
    );

    client
        .send_sms_code(&SmsCodeRequest {
            mobile: PLAINTIFF.into(),
            purpose: SmsPurpose::Login,
        })
        .await
        .expect("sent");
    let refused = client
        .login(&LoginRequest {
            mobile: PLAINTIFF.into(),
            sms_code: "000000".into(),
        })
        .await
        .expect_err("a wrong code");
    assert_eq!(refused.problem_code(), Some(ProblemCode::SmsCodeInvalid));
    assert_eq!(refused.code(), "platform.sms_code_invalid");
    assert!(!refused.is_transient());

    court.login(&client, PLAINTIFF).await;
    let cases = client.cases().await.expect("cases");
    assert_eq!(cases[0].id, "case_demo_loan");
    let documents = client
        .case_documents("case_demo_loan")
        .await
        .expect("the case file");
    assert!(!documents.is_empty());
    let content = client
        .document_content(&documents[0].document.id)
        .await
        .expect("the bytes, digest checked");
    assert!(content.starts_with(b"%PDF-"));
    let forbidden = client.case("case_nope").await.expect_err("no such case");
    assert_eq!(forbidden.problem_code(), Some(ProblemCode::NotFound));
    let inbox = client.inbox().await.expect("the inbox");
    assert_eq!(inbox[0].title, "开庭通知书 (notice of hearing)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_refreshed_once_and_the_new_refresh_token_is_handed_on() {
    let court = Court::start_with(|config| config.access_token_ttl = Duration::from_secs(1)).await;
    let seen: Arc<Mutex<Vec<SessionTokens>>> = Arc::default();
    let recorder = seen.clone();
    let client = court
        .client()
        .on_session(Arc::new(move |tokens: &SessionTokens| {
            recorder.lock().expect("lock").push(tokens.clone());
        }));
    court.login(&client, PLAINTIFF).await;
    let first = client.session().expect("a session");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        client.cases().await.expect("refreshed and retried").len(),
        1
    );
    let second = client.session().expect("a session");
    assert_ne!(
        first.refresh, second.refresh,
        "the refresh token was replaced"
    );
    assert_eq!(
        seen.lock().expect("lock").len(),
        2,
        "login and refresh were both handed on"
    );
    assert!(
        !format!("{second:?}").contains(second.refresh.expose()),
        "tokens never print"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_refusals_are_retried_and_permanent_ones_are_not() {
    let court = Court::start().await;
    let client = court.client();
    court.faults(serde_json::json!({"rules": [
        {"pathPrefix": "/api/v1/policy", "fault": {"kind": "server_error", "status": 503}, "every": 1, "times": 2},
        {"pathPrefix": "/api/v1/cases", "fault": {"kind": "too_many_requests", "retryAfterSeconds": 1}, "every": 1, "times": 1}
    ]})).await;
    client.policy().await.expect("two 503s, then the policy");
    court.login(&client, PLAINTIFF).await;
    let started = std::time::Instant::now();
    client.cases().await.expect("a 429, then the cases");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );

    court.faults(serde_json::json!({"rules": [{"pathPrefix": "/api/v1/me", "fault": {"kind": "server_error", "status": 500}, "every": 1}]})).await;
    let error = client.me().await.expect_err("500 every time");
    assert!(error.is_transient());
    assert!(
        matches!(error, ClientError::Problem(ref p) if p.status == 500),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_speed_probe_measures_and_leaves_nothing_behind() {
    let court = Court::start().await;
    let client = court.client();
    let refused = client
        .measure_upload_speed(SpeedProbe::default())
        .await
        .expect_err("a probe needs a session");
    assert_eq!(refused.code(), "court_client.not_logged_in");

    court.login(&client, PLAINTIFF).await;
    let (uploads, documents) = (court.count("uploads"), court.count("documents"));
    let probe = SpeedProbe {
        max_bytes: 3 << 20,
        max_time: Duration::from_mins(1),
        chunk_bytes: 256 << 10,
    };
    let speed = client.measure_upload_speed(probe).await.expect("measured");
    assert_eq!(speed.bytes, 3 << 20, "loopback sends the whole probe");
    assert!(speed.bytes_per_second > 0);
    // Terminated, and never completed into a document.
    assert_eq!(court.count("uploads"), uploads);
    assert_eq!(court.count("documents"), documents);

    court.faults(json!({"rules": [
        {"method": "PATCH", "pathPrefix": "/api/v1/uploads/", "fault": {"kind": "cut_connection", "afterBytes": 100_000}, "every": 1}
    ]})).await;
    let cut = client
        .measure_upload_speed(probe)
        .await
        .expect_err("no chunk gets through");
    assert!(cut.is_transient(), "{cut}");
    assert_eq!(
        court.count("uploads"),
        uploads,
        "the failed probe is removed too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_checks_a_notice_set_are_listed_until_a_re_verification_settles_them() {
    use litigant_court_api::identity::{IdentityCheckStatus, ReverificationRequest};
    let court = Court::start().await;
    let client = court.client();
    assert_eq!(
        client
            .identity_checks()
            .await
            .expect_err("not logged in")
            .code(),
        "court_client.not_logged_in"
    );
    court.login(&client, DEFENDANT).await;
    let owed = client.identity_checks().await.expect("the checks");
    assert_eq!(owed.len(), 1);
    assert_eq!(owed[0].notice_id, "srv_demo_summons");
    assert_eq!(owed[0].status, IdentityCheckStatus::Due);
    assert_eq!(
        owed[0].due_at - owed[0].noticed_at,
        chrono::Duration::days(3)
    );

    let code = court
        .sms_code(&client, DEFENDANT, SmsPurpose::Reverify)
        .await;
    client
        .reverify(&ReverificationRequest { sms_code: code })
        .await
        .expect("re-verified");
    let settled = client.identity_checks().await.expect("the checks");
    assert_eq!(settled[0].status, IdentityCheckStatus::Done);
    assert!(settled[0].done_at.is_some());
}
