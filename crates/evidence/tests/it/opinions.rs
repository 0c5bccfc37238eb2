//! Opinions drafted here and submitted to the court: outside the exchange window, without
//! consent to online exchange, or without a recent re-verification, each refusal is plain and
//! keeps the drafts; once accepted, the opinion is in the case file and the draft is gone.

use chrono::{Duration, Utc};
use litigant_court_api::cases::{ConsentMode, ConsentRequest};
use litigant_court_api::evidence::{AspectOpinion, OpinionRequest, Stance};
use litigant_court_api::identity::{ReverificationRequest, SmsCodeRequest, SmsPurpose};
use litigant_court_api::policy::LitigationLink;
use litigant_evidence::{CaseFile, EntryKind, EvidenceError, OpinionDrafts};

use crate::support::{Court, PLAINTIFF};

const CASE: &str = "case_demo_loan";

fn opinion() -> OpinionRequest {
    let admit = AspectOpinion {
        stance: Stance::Admit,
        reason: None,
    };
    OpinionRequest {
        authenticity: admit.clone(),
        legality: admit,
        relevance: AspectOpinion {
            stance: Stance::Dispute,
            reason: Some("这笔转账与本案借款无关".into()),
        },
    }
}

/// Moves the seeded window's end, as the court would by closing or extending the exchange.
fn set_window_end(court: &Court, closes_at: chrono::DateTime<Utc>) {
    let db = rusqlite::Connection::open(court.dir.path().join("court/court.db"))
        .expect("the court's database");
    db.busy_timeout(std::time::Duration::from_secs(5))
        .expect("a timeout");
    let changed = db
        .execute(
            "UPDATE exchanges SET closes_at = ?1 WHERE case_id = ?2",
            rusqlite::params![closes_at, CASE],
        )
        .expect("updated");
    assert_eq!(changed, 1);
}

fn consent(mode: ConsentMode) -> ConsentRequest {
    ConsentRequest {
        link: LitigationLink::EvidenceExchange,
        mode,
        reason: Some("没有摄像头 (no camera)".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_keep_the_drafts_and_an_accepted_opinion_is_recorded() {
    let court = Court::start().await;
    let client = court.plaintiff().await;
    let data = tempfile::tempdir().expect("a data folder");
    let drafts = OpinionDrafts::open(data.path(), CASE).expect("drafts");
    let mut case_file = CaseFile::open(data.path()).expect("the case file");
    drafts.save("evi_demo_transfer", opinion()).expect("saved");

    set_window_end(&court, Utc::now() - Duration::hours(1));
    let closed = drafts.submit(&client, &mut case_file).await.unwrap_err();
    assert!(matches!(closed, EvidenceError::Opinion { .. }), "{closed}");
    assert!(
        closed.to_string().contains("no evidence exchange window"),
        "{closed}"
    );
    set_window_end(&court, Utc::now() + Duration::days(3));

    client
        .record_consent(CASE, &consent(ConsentMode::Offline))
        .await
        .expect("recorded");
    let offline = drafts.submit(&client, &mut case_file).await.unwrap_err();
    assert!(offline.to_string().contains("offline"), "{offline}");
    client
        .record_consent(CASE, &consent(ConsentMode::Online))
        .await
        .expect("recorded");

    let unverified = drafts.submit(&client, &mut case_file).await.unwrap_err();
    assert_eq!(
        unverified.code(),
        "platform.reverification_required",
        "{unverified}"
    );
    assert_eq!(
        drafts.list().expect("drafts").len(),
        1,
        "every refusal kept the draft"
    );
    assert!(case_file.entries(CASE).expect("entries").is_empty());

    client
        .send_sms_code(&SmsCodeRequest {
            mobile: PLAINTIFF.into(),
            purpose: SmsPurpose::Reverify,
        })
        .await
        .expect("a code");
    client
        .reverify(&ReverificationRequest {
            sms_code: court.sms_code("reverify").await,
        })
        .await
        .expect("re-verified");
    let submitted = drafts
        .submit(&client, &mut case_file)
        .await
        .expect("submitted");
    assert_eq!(submitted.len(), 1);
    assert!(drafts.list().expect("drafts").is_empty());
    let on_platform = client
        .opinions("evi_demo_transfer")
        .await
        .expect("opinions");
    assert_eq!(
        on_platform[0].relevance.reason.as_deref(),
        Some("这笔转账与本案借款无关")
    );
    let entries = case_file.entries(CASE).expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, EntryKind::Filed);
    assert_eq!(entries[0].server_id, submitted[0].opinion.id);
    assert!(case_file.verify(CASE).expect("verified").intact());

    let again = drafts.submit(&client, &mut case_file).await.unwrap_err();
    assert!(again.to_string().contains("no opinion drafts"), "{again}");
}
