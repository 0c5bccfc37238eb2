//! The clerk's endpoints: review filings, serve documents, open hearings and exchanges, set
//! the fault plan. Tests and demos drive scenarios through them.

use std::io::Write;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use litigant_court_api::cases::{CaseStatus, ConsentMode, PartyRole};
use litigant_court_api::clerk::{
    FaultPlan, OpenExchangeRequest, OpenHearingRequest, ReviewDecision, ReviewRequest, ServeRequest,
};
use litigant_court_api::events::EventKind;
use litigant_court_api::evidence::ExchangeWindow;
use litigant_court_api::filings::{Filing, FilingStatus};
use litigant_court_api::hearings::AsyncHearing;
use litigant_court_api::identity::VerificationStatus;
use litigant_court_api::policy::LitigationLink;
use litigant_court_api::service::ServedDocument;
use litigant_court_api::{List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Clerk;
use crate::cases::{add_docket, current_consent, load_case, party_accounts};
use crate::config::SimConfig;
use crate::error::{ApiResult, SimError};
use crate::events::{NewEvent, record};
use crate::filings::load_filing;
use crate::hearings::load_hearing;
use crate::http::JsonBody;
use crate::service::own_served;
use crate::state::AppState;
use crate::store::{new_id, to_json, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(filings_to_review))
        .routes(routes!(review_filing))
        .routes(routes!(serve_document))
        .routes(routes!(open_hearing))
        .routes(routes!(open_exchange))
        .routes(routes!(fault_plan, set_fault_plan))
}

/// The clerk's token: from the configuration, else kept in `<data>/clerk-token` (made once).
pub fn clerk_token(config: &SimConfig) -> Result<String, SimError> {
    if let Some(token) = &config.clerk_token {
        return Ok(token.clone());
    }
    let path = config.data.join("clerk-token");
    match std::fs::read_to_string(&path) {
        Ok(token) if !token.trim().is_empty() => return Ok(token.trim().to_owned()),
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(SimError::File { path, source }),
    }
    let bytes: [u8; 24] = rand::random();
    let token = format!("clerk_{}", crate::auth::hex(&bytes));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(|source| SimError::File {
        path: path.clone(),
        source,
    })?;
    file.write_all(token.as_bytes())
        .map_err(|source| SimError::File { path, source })?;
    Ok(token)
}

/// Filings waiting for the court: received, under review, or corrected.
#[utoipa::path(get, path = "/clerk/filings", tag = "clerk", security(("clerk" = [])),
    responses((status = 200, body = List<Filing>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn filings_to_review(
    State(state): State<AppState>,
    _clerk: Clerk,
) -> ApiResult<axum::Json<List<Filing>>> {
    let db = state.store.db();
    let ids: Vec<String> = db
        .prepare("SELECT id FROM filings WHERE status IN ('received', 'under_review', 'correction_requested') ORDER BY submitted_at")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = Vec::new();
    for id in ids {
        items.extend(load_filing(&db, &id)?);
    }
    Ok(axum::Json(List { items }))
}

/// Opens the case for an accepted filing: the filer, and any party whose identity number has
/// an account, become parties with access; the filed documents form the case file.
fn open_case(db: &Connection, filing: &Filing) -> ApiResult<String> {
    let now = Utc::now();
    let case_id = new_id("case");
    let count: u64 = db.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?;
    let case_number = format!("({})演0101民初{}号", now.format("%Y"), 1001 + count);
    db.execute(
        "INSERT INTO cases (id, case_number, title, case_type, status, filing_id, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![case_id, case_number, filing.draft.title, filing.draft.case_type, to_text(&CaseStatus::Open), filing.id, now],
    )?;
    let filer_name: String = db.query_row(
        "SELECT name FROM accounts WHERE id = ?1",
        [&filing.account_id],
        |r| r.get(0),
    )?;
    let mut filer_placed = false;
    for party in &filing.draft.parties {
        let mut account: Option<String> = match &party.id_number {
            Some(number) => db
                .query_row(
                    "SELECT id FROM accounts WHERE id_number = ?1",
                    [number],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        if !filer_placed
            && party.role == PartyRole::Plaintiff
            && (account.as_deref() == Some(&filing.account_id) || party.name == filer_name)
        {
            account = Some(filing.account_id.clone());
        }
        filer_placed |= account.as_deref() == Some(&filing.account_id);
        db.execute(
            "INSERT INTO case_parties (case_id, name, role, account_id) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, party.name, to_text(&party.role), account],
        )?;
    }
    if !filer_placed {
        // The filer is an agent (a lawyer) for the plaintiff.
        db.execute(
            "INSERT INTO case_parties (case_id, name, role, account_id) VALUES (?1, ?2, ?3, ?4)",
            params![
                case_id,
                filer_name,
                to_text(&PartyRole::Agent),
                filing.account_id
            ],
        )?;
    }
    let documents = filing
        .draft
        .documents
        .iter()
        .chain(filing.supplements.iter().flat_map(|s| s.documents.iter()));
    for document in documents {
        db.execute(
            "INSERT OR IGNORE INTO case_documents (case_id, document_id, document_type, submitted_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![case_id, document.document_id, document.document_type, filing.account_id, now],
        )?;
    }
    db.execute(
        "INSERT INTO consents (case_id, account_id, link, mode, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
        params![case_id, filing.account_id, to_text(&LitigationLink::Filing), to_text(&ConsentMode::Online), now],
    )?;
    add_docket(
        db,
        &case_id,
        &format!("Case opened from online filing {}", filing.id),
        None,
    )?;
    Ok(case_id)
}

/// Where a review decision takes a filing, and what the party is told.
fn next_status(
    from: FilingStatus,
    request: &ReviewRequest,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<(FilingStatus, &'static str, Option<DateTime<Utc>>)> {
    let reviewable = matches!(from, FilingStatus::Received | FilingStatus::UnderReview);
    let next = match request.decision {
        ReviewDecision::BeginReview if from == FilingStatus::Received => (
            FilingStatus::UnderReview,
            "The court is reviewing your filing.",
            None,
        ),
        ReviewDecision::Accept if reviewable => (
            FilingStatus::Accepted,
            "Your filing was accepted and a case was opened.",
            None,
        ),
        ReviewDecision::PartiallyAccept if reviewable && reason.is_some() => (
            FilingStatus::PartiallyAccepted,
            "Your filing was partly accepted; see the reasons.",
            None,
        ),
        ReviewDecision::RequestCorrections if reviewable => {
            let due = request.due_at.filter(|d| *d > now).ok_or_else(|| {
                SimError::problem(
                    ProblemCode::ValidationFailed,
                    "Give a future dueAt for the corrections.",
                )
            })?;
            if request.deficiencies.is_empty() {
                return Err(SimError::problem(
                    ProblemCode::ValidationFailed,
                    "List what must be corrected.",
                ));
            }
            (
                FilingStatus::CorrectionRequested,
                "The court asks for corrections to your filing.",
                Some(due),
            )
        }
        ReviewDecision::Reject if reviewable && reason.is_some() => (
            FilingStatus::Rejected,
            "Your filing was not accepted; see the reasons.",
            None,
        ),
        ReviewDecision::PartiallyAccept | ReviewDecision::Reject if reviewable => {
            return Err(SimError::problem(
                ProblemCode::ValidationFailed,
                "Give the reasons for this decision.",
            ));
        }
        decision => {
            return Err(SimError::problem(
                ProblemCode::InvalidState,
                format!(
                    "A filing that is `{}` cannot take `{}`.",
                    to_text(&from),
                    to_text(&decision)
                ),
            ));
        }
    };
    Ok(next)
}

/// Decide on a filing: begin review, accept (opening a case), partially accept, ask for
/// corrections (with a due time), or reject (with reasons).
#[utoipa::path(post, path = "/clerk/filings/{filingId}/review", tag = "clerk", security(("clerk" = [])),
    params(("filingId" = String, Path, description = "Filing id")),
    request_body = ReviewRequest,
    responses((status = 200, body = Filing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn review_filing(
    State(state): State<AppState>,
    _clerk: Clerk,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ReviewRequest>,
) -> ApiResult<axum::Json<Filing>> {
    let filing = {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        let filing = load_filing(&tx, &id)?.ok_or_else(|| {
            SimError::problem(ProblemCode::NotFound, format!("There is no filing {id}."))
        })?;
        let from = filing.status;
        let now = Utc::now();
        let reason = request
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let (status, summary, due) = next_status(from, &request, reason, now)?;
        let case_id = if matches!(
            status,
            FilingStatus::Accepted | FilingStatus::PartiallyAccepted
        ) {
            Some(open_case(&tx, &filing)?)
        } else {
            None
        };
        let deficiencies = if status == FilingStatus::CorrectionRequested {
            to_json(&request.deficiencies)
        } else {
            "[]".to_owned()
        };
        tx.execute(
            "UPDATE filings SET status = ?1, updated_at = ?2, deficiencies = ?3, correction_due_at = ?4, decision_reason = COALESCE(?5, decision_reason), case_id = COALESCE(?6, case_id) WHERE id = ?7",
            params![to_text(&status), now, deficiencies, due, reason, case_id, id],
        )?;
        let kind = if status == FilingStatus::CorrectionRequested {
            EventKind::CorrectionRequested
        } else {
            EventKind::FilingReviewed
        };
        record(
            &tx,
            std::slice::from_ref(&filing.account_id),
            &NewEvent {
                kind,
                case_id: case_id.as_deref(),
                subject_id: &id,
                summary,
                due_at: due,
            },
        )?;
        let filing =
            load_filing(&tx, &id)?.ok_or_else(|| SimError::Damaged("a filing vanished".into()))?;
        tx.commit()?;
        filing
    };
    state.events.notify_waiters();
    Ok(axum::Json(filing))
}

fn require_case(db: &Connection, case_id: &str) -> ApiResult<()> {
    load_case(db, case_id).map(|_| ())
}

/// Serve a document the clerk uploaded to parties of the case who agreed to electronic
/// service; service takes effect when it reaches their inbox (Art. 31).
#[utoipa::path(post, path = "/clerk/cases/{caseId}/service", tag = "clerk", security(("clerk" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = ServeRequest,
    responses((status = 201, body = List<ServedDocument>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn serve_document(
    State(state): State<AppState>,
    _clerk: Clerk,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<ServeRequest>,
) -> ApiResult<(StatusCode, axum::Json<List<ServedDocument>>)> {
    let ids = {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        require_case(&tx, &case_id)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)",
            [&request.document_id],
            |r| r.get(0),
        )?;
        if !exists || request.title.trim().is_empty() {
            return Err(SimError::problem(
                ProblemCode::ValidationFailed,
                "Give a title and a finished document to serve.",
            ));
        }
        let parties = party_accounts(&tx, &case_id)?;
        let targets = if request.account_ids.is_empty() {
            parties.clone()
        } else {
            request.account_ids.clone()
        };
        for account in &targets {
            if !parties.contains(account) {
                return Err(SimError::problem(
                    ProblemCode::ValidationFailed,
                    format!("Account {account} is not a party to this case."),
                ));
            }
            if current_consent(&tx, &case_id, account, LitigationLink::Service)?
                != Some(ConsentMode::Online)
            {
                return Err(SimError::problem(
                    ProblemCode::LinkOffline,
                    format!(
                        "Account {account} has not agreed to electronic service in this case (Art. 29); serve it offline."
                    ),
                ));
            }
        }
        let now = Utc::now();
        let mut ids = Vec::new();
        for account in &targets {
            let id = new_id("srv");
            tx.execute(
                "INSERT INTO service (id, case_id, account_id, title, document_id, served_at, delivered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![id, case_id, account, request.title.trim(), request.document_id, now],
            )?;
            record(
                &tx,
                std::slice::from_ref(account),
                &NewEvent {
                    kind: EventKind::DocumentServed,
                    case_id: Some(&case_id),
                    subject_id: &id,
                    summary: &format!("The court served \u{201c}{}\u{201d}.", request.title.trim()),
                    due_at: None,
                },
            )?;
            // A party who has not verified yet must, within the notice's period (Art. 7).
            let verification: String = tx.query_row(
                "SELECT verification FROM accounts WHERE id = ?1",
                [account],
                |r| r.get(0),
            )?;
            if verification != to_text(&VerificationStatus::Verified) {
                crate::identity_checks::require(&tx, account, &case_id, &id, now)?;
            }
            ids.push((id, account.clone()));
        }
        tx.execute(
            "INSERT OR IGNORE INTO case_documents (case_id, document_id, document_type, submitted_by, added_at) VALUES (?1, ?2, 'court_document', 'court', ?3)",
            params![case_id, request.document_id, now],
        )?;
        add_docket(
            &tx,
            &case_id,
            &format!("The court served \u{201c}{}\u{201d}", request.title.trim()),
            Some(&request.document_id),
        )?;
        tx.commit()?;
        ids
    };
    state.events.notify_waiters();
    let db = state.store.db();
    let items = ids
        .iter()
        .map(|(id, account)| own_served(&db, id, account))
        .collect::<ApiResult<_>>()?;
    Ok((StatusCode::CREATED, axum::Json(List { items })))
}

/// Open an asynchronous hearing with ordered steps and a deadline.
#[utoipa::path(post, path = "/clerk/cases/{caseId}/hearings", tag = "clerk", security(("clerk" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = OpenHearingRequest,
    responses((status = 201, body = AsyncHearing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn open_hearing(
    State(state): State<AppState>,
    _clerk: Clerk,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<OpenHearingRequest>,
) -> ApiResult<(StatusCode, axum::Json<AsyncHearing>)> {
    let in_order =
        request.steps.iter().enumerate().all(|(i, s)| {
            s.index as usize == i && s.max_seconds > 0 && !s.prompt.trim().is_empty()
        });
    if request.steps.is_empty()
        || !in_order
        || request.deadline <= Utc::now()
        || request.title.trim().is_empty()
    {
        return Err(SimError::problem(
            ProblemCode::ValidationFailed,
            "Give a title, steps numbered 0, 1, 2 ... each with a prompt and a positive maxSeconds, and a future deadline.",
        ));
    }
    let id = new_id("hrg");
    let hearing = {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        require_case(&tx, &case_id)?;
        tx.execute(
            "INSERT INTO hearings (id, case_id, title, steps, opened_at, deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, case_id, request.title.trim(), to_json(&request.steps), Utc::now(), request.deadline],
        )?;
        let parties = party_accounts(&tx, &case_id)?;
        record(
            &tx,
            &parties,
            &NewEvent {
                kind: EventKind::HearingOpened,
                case_id: Some(&case_id),
                subject_id: &id,
                summary: &format!(
                    "An asynchronous hearing is open: \u{201c}{}\u{201d}.",
                    request.title.trim()
                ),
                due_at: Some(request.deadline),
            },
        )?;
        add_docket(
            &tx,
            &case_id,
            &format!(
                "Asynchronous hearing opened: \u{201c}{}\u{201d}",
                request.title.trim()
            ),
            None,
        )?;
        let hearing = load_hearing(&tx, &id, "court")?;
        tx.commit()?;
        hearing
    };
    state.events.notify_waiters();
    Ok((StatusCode::CREATED, axum::Json(hearing)))
}

/// Open an evidence exchange window, from now until `closesAt`.
#[utoipa::path(post, path = "/clerk/cases/{caseId}/exchanges", tag = "clerk", security(("clerk" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = OpenExchangeRequest,
    responses((status = 201, body = ExchangeWindow),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn open_exchange(
    State(state): State<AppState>,
    _clerk: Clerk,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<OpenExchangeRequest>,
) -> ApiResult<(StatusCode, axum::Json<ExchangeWindow>)> {
    let now = Utc::now();
    if request.closes_at <= now {
        return Err(SimError::problem(
            ProblemCode::ValidationFailed,
            "closesAt must be in the future.",
        ));
    }
    let window = ExchangeWindow {
        id: new_id("exw"),
        case_id: case_id.clone(),
        mode: request.mode,
        opens_at: now,
        closes_at: request.closes_at,
    };
    {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        require_case(&tx, &case_id)?;
        tx.execute("INSERT INTO exchanges (id, case_id, mode, opens_at, closes_at) VALUES (?1, ?2, ?3, ?4, ?5)", params![window.id, case_id, to_text(&window.mode), now, window.closes_at])?;
        let parties = party_accounts(&tx, &case_id)?;
        record(
            &tx,
            &parties,
            &NewEvent {
                kind: EventKind::ExchangeOpened,
                case_id: Some(&case_id),
                subject_id: &window.id,
                summary: "An evidence exchange is open.",
                due_at: Some(window.closes_at),
            },
        )?;
        add_docket(&tx, &case_id, "Evidence exchange opened", None)?;
        tx.commit()?;
    }
    state.events.notify_waiters();
    Ok((StatusCode::CREATED, axum::Json(window)))
}

/// The fault plan in force.
#[utoipa::path(get, path = "/clerk/faults", tag = "clerk", security(("clerk" = [])),
    responses((status = 200, body = FaultPlan),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn fault_plan(State(state): State<AppState>, _clerk: Clerk) -> axum::Json<FaultPlan> {
    axum::Json(
        state
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .plan
            .clone(),
    )
}

/// Replace the fault plan; an empty plan turns fault injection off.
#[utoipa::path(put, path = "/clerk/faults", tag = "clerk", security(("clerk" = [])),
    request_body = FaultPlan,
    responses((status = 200, body = FaultPlan),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn set_fault_plan(
    State(state): State<AppState>,
    _clerk: Clerk,
    JsonBody(plan): JsonBody<FaultPlan>,
) -> ApiResult<axum::Json<FaultPlan>> {
    if plan
        .rules
        .iter()
        .any(|r| r.every == 0 || r.path_prefix.is_empty())
    {
        return Err(SimError::problem(
            ProblemCode::ValidationFailed,
            "Each rule needs a pathPrefix and every >= 1.",
        ));
    }
    tracing::info!(
        rules = plan.rules.len(),
        latency_ms = plan.latency_ms,
        "fault plan set"
    );
    state
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .set(plan.clone());
    Ok(axum::Json(plan))
}
