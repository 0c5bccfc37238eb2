//! The demo case set, seeded into a new data folder so the demo court is not empty: a party
//! with an open case (a served notice, an evidence exchange with the other side's evidence, an
//! asynchronous hearing; the defendant owes an identity verification a notice asked for) and a
//! filing waiting for corrections.
//!
//! Demo logins: mobile 13800138000 (王小明, plaintiff) and 13900139000 (李华, defendant); the
//! SMS code is read from the simulator's outbox like any other.

use chrono::{Duration, Utc};
use litigant_court_api::cases::{CaseStatus, ConsentMode, PartyRole};
use litigant_court_api::evidence::ExchangeMode;
use litigant_court_api::filings::{
    Deficiency, FilingDocument, FilingDraft, FilingParty, FilingStatus,
};
use litigant_court_api::hearings::HearingStep;
use litigant_court_api::identity::{IdType, VerificationStatus};
use litigant_court_api::policy::LitigationLink;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::auth::hex;
use crate::error::SimError;
use crate::store::{Store, to_json, to_text};

pub const DEMO_PLAINTIFF_MOBILE: &str = "13800138000";
pub const DEMO_DEFENDANT_MOBILE: &str = "13900139000";

/// Seeds once: does nothing when the database already has accounts.
pub fn seed_demo(store: &Store) -> Result<(), SimError> {
    let mut db = store.db();
    let accounts: u64 = db.query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))?;
    if accounts > 0 {
        return Ok(());
    }
    let tx = db.transaction()?;
    seed_accounts(&tx)?;
    seed_case(store, &tx)?;
    seed_filing(&tx)?;
    tx.commit()?;
    tracing::info!("seeded the demo case set");
    Ok(())
}

const PLAINTIFF: &str = "acc_demo_plaintiff";
const DEFENDANT: &str = "acc_demo_defendant";

fn seed_accounts(tx: &Connection) -> Result<(), SimError> {
    let now = Utc::now();
    let (plaintiff, defendant) = (PLAINTIFF, DEFENDANT);
    for (id, name, number, mobile) in [
        (
            plaintiff,
            "王小明",
            "11010519491231002X",
            DEMO_PLAINTIFF_MOBILE,
        ),
        (
            defendant,
            "李华",
            "440304198506120035",
            DEMO_DEFENDANT_MOBILE,
        ),
    ] {
        tx.execute(
            "INSERT INTO accounts (id, name, id_type, id_number, mobile, verification, verified_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, name, to_text(&IdType::ResidentIdCard), number, mobile, to_text(&VerificationStatus::Verified), now],
        )?;
    }
    Ok(())
}

/// A stored one-page PDF document.
fn document(
    store: &Store,
    tx: &Connection,
    id: &str,
    owner: &str,
    name: &str,
    text: &str,
) -> Result<(), SimError> {
    let bytes = one_page_pdf(text);
    let path = store.document_path(id);
    std::fs::write(&path, &bytes).map_err(|source| SimError::File { path, source })?;
    tx.execute(
        "INSERT INTO documents (id, owner, filename, content_type, size, sha256, created_at) VALUES (?1, ?2, ?3, 'application/pdf', ?4, ?5, ?6)",
        params![id, owner, name, bytes.len() as u64, hex(&Sha256::digest(&bytes)), Utc::now()],
    )?;
    crate::deposit::append(tx, id, &hex(&Sha256::digest(&bytes)))?;
    Ok(())
}

/// The open loan case: both parties online, evidence from each side, an open exchange, an
/// asynchronous hearing and a served notice.
fn seed_case(store: &Store, tx: &Connection) -> Result<(), SimError> {
    let now = Utc::now();
    let (plaintiff, defendant) = (PLAINTIFF, DEFENDANT);
    let case_id = "case_demo_loan";
    tx.execute(
        "INSERT INTO cases (id, case_number, title, case_type, status, opened_at) VALUES (?1, ?2, ?3, 'civil_first_instance', ?4, ?5)",
        params![case_id, "(2026)演0101民初1000号", "王小明诉李华民间借贷纠纷 (loan dispute)", to_text(&CaseStatus::Open), now - Duration::days(10)],
    )?;
    for (name, role, account) in [
        ("王小明", PartyRole::Plaintiff, plaintiff),
        ("李华", PartyRole::Defendant, defendant),
    ] {
        tx.execute(
            "INSERT INTO case_parties (case_id, name, role, account_id) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, name, to_text(&role), account],
        )?;
        for link in LitigationLink::ALL {
            tx.execute(
                "INSERT INTO consents (case_id, account_id, link, mode, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![case_id, account, to_text(&link), to_text(&ConsentMode::Online), now - Duration::days(10)],
            )?;
        }
    }
    document(
        store,
        tx,
        "doc_demo_complaint",
        plaintiff,
        "complaint.pdf",
        "Complaint: Wang Xiaoming v. Li Hua (loan of CNY 50,000)",
    )?;
    document(
        store,
        tx,
        "doc_demo_iou",
        plaintiff,
        "iou.pdf",
        "IOU signed by Li Hua, 2025-03-01, CNY 50,000",
    )?;
    document(
        store,
        tx,
        "doc_demo_transfer",
        defendant,
        "bank-transfer.pdf",
        "Bank transfer record: Li Hua repaid CNY 20,000",
    )?;
    document(
        store,
        tx,
        "doc_demo_notice",
        "court",
        "hearing-notice.pdf",
        "Demo court: notice of asynchronous hearing",
    )?;
    tx.execute(
        "INSERT INTO case_documents (case_id, document_id, document_type, submitted_by, added_at) VALUES (?1, 'doc_demo_complaint', 'complaint', ?2, ?3), (?1, 'doc_demo_notice', 'court_document', 'court', ?3)",
        params![case_id, plaintiff, now - Duration::days(9)],
    )?;
    seed_proceedings(tx, case_id)
}

/// The case's evidence from both sides, an open exchange, the hearing, the served notice and
/// the docket.
fn seed_proceedings(tx: &Connection, case_id: &str) -> Result<(), SimError> {
    let now = Utc::now();
    let (plaintiff, defendant) = (PLAINTIFF, DEFENDANT);
    for (id, owner, document_id, name, purpose) in [
        (
            "evi_demo_iou",
            plaintiff,
            "doc_demo_iou",
            "借条 (IOU)",
            "Proves the loan of CNY 50,000",
        ),
        (
            "evi_demo_transfer",
            defendant,
            "doc_demo_transfer",
            "银行转账记录 (bank transfer)",
            "Proves CNY 20,000 was repaid",
        ),
    ] {
        let sha: String = tx.query_row(
            "SELECT sha256 FROM documents WHERE id = ?1",
            [document_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO evidence (id, case_id, submitted_by, document_id, document_sha256, name, source, purpose, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'original', ?7, ?8)",
            params![id, case_id, owner, document_id, sha, name, purpose, now - Duration::days(5)],
        )?;
    }
    tx.execute(
        "INSERT INTO exchanges (id, case_id, mode, opens_at, closes_at) VALUES ('exw_demo', ?1, ?2, ?3, ?4)",
        params![case_id, to_text(&ExchangeMode::Asynchronous), now - Duration::days(1), now + Duration::days(6)],
    )?;
    let steps = [
        HearingStep {
            index: 0,
            prompt: "请陈述您的诉讼请求及事实理由。State your claims, facts and reasons.".into(),
            max_seconds: 300,
        },
        HearingStep {
            index: 1,
            prompt: "请就对方提交的证据发表质证意见。Comment on the other side's evidence.".into(),
            max_seconds: 300,
        },
        HearingStep {
            index: 2,
            prompt: "请作最后陈述。Make your final statement.".into(),
            max_seconds: 120,
        },
    ];
    tx.execute(
        "INSERT INTO hearings (id, case_id, title, steps, opened_at, deadline) VALUES ('hrg_demo', ?1, '第一次庭审 (first hearing)', ?2, ?3, ?4)",
        params![case_id, to_json(&steps), now - Duration::days(1), now + Duration::days(3)],
    )?;
    tx.execute(
        "INSERT INTO service (id, case_id, account_id, title, document_id, served_at, delivered_at) VALUES ('srv_demo_notice', ?1, ?2, '开庭通知书 (notice of hearing)', 'doc_demo_notice', ?3, ?3)",
        params![case_id, plaintiff, now - Duration::days(1)],
    )?;
    // The defendant was served the notice to respond yesterday and owes the identity
    // verification it asks for within three days (Art. 7), so the demo shows that deadline.
    tx.execute(
        "INSERT INTO service (id, case_id, account_id, title, document_id, served_at, delivered_at) VALUES ('srv_demo_summons', ?1, ?2, '应诉通知书 (notice to respond)', 'doc_demo_notice', ?3, ?3)",
        params![case_id, defendant, now - Duration::days(1)],
    )?;
    crate::identity_checks::require(
        tx,
        defendant,
        case_id,
        "srv_demo_summons",
        now - Duration::days(1),
    )?;
    for (at, text) in [
        (10, "Case opened"),
        (9, "The court served the notice of hearing"),
        (5, "Evidence submitted by both parties"),
    ] {
        tx.execute(
            "INSERT INTO docket (case_id, at, description) VALUES (?1, ?2, ?3)",
            params![case_id, now - Duration::days(at), text],
        )?;
    }
    Ok(())
}

/// A filing of the plaintiff's that waits for corrections.
fn seed_filing(tx: &Connection) -> Result<(), SimError> {
    let now = Utc::now();
    let plaintiff = PLAINTIFF;
    let draft = FilingDraft {
        case_type: "civil_first_instance".into(),
        title: "王小明诉某公司买卖合同纠纷 (sales contract dispute)".into(),
        parties: vec![
            FilingParty {
                role: PartyRole::Plaintiff,
                name: "王小明".into(),
                id_type: Some(IdType::ResidentIdCard),
                id_number: Some("11010519491231002X".into()),
                address: None,
                mobile: None,
            },
            FilingParty {
                role: PartyRole::Defendant,
                name: "某某贸易有限公司".into(),
                id_type: None,
                id_number: None,
                address: Some("北京市朝阳区".into()),
                mobile: None,
            },
        ],
        claims: vec!["Pay CNY 12,000 for goods delivered".into()],
        facts_and_reasons: "Goods were delivered on 2026-05-01 and never paid for.".into(),
        documents: vec![FilingDocument {
            document_id: "doc_demo_complaint".into(),
            document_type: "complaint".into(),
        }],
    };
    let deficiencies = vec![Deficiency {
        description: "Attach the delivery receipt as evidence.".into(),
        document_id: None,
    }];
    tx.execute(
        "INSERT INTO filings (id, account_id, status, draft, submitted_at, updated_at, deficiencies, correction_due_at) VALUES ('fil_demo_sales', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![plaintiff, to_text(&FilingStatus::CorrectionRequested), to_json(&draft), now - Duration::days(2), now - Duration::days(1), to_json(&deficiencies), now + Duration::days(5)],
    )?;
    Ok(())
}

/// A valid one-page PDF showing `text` (ASCII) in Helvetica, for demo documents.
pub fn one_page_pdf(text: &str) -> Vec<u8> {
    let escaped: String = text
        .chars()
        .filter(char::is_ascii)
        .flat_map(|c| match c {
            '(' | ')' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let content = format!("BT /F1 14 Tf 56 760 Td ({escaped}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
