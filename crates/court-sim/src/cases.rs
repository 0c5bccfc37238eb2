//! Cases, the docket and the electronic file (Art. 35), consent per litigation link (Art. 4-5)
//! and requests to continue offline; and the checks other resources make against a case.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use litigant_court_api::cases::{
    Case, CaseDocument, CaseParty, ConsentMode, ConsentRecord, ConsentRequest, Consents,
    DocketEntry, OfflineTransfer, OfflineTransferRequest, OfflineTransferStatus,
};
use litigant_court_api::documents::Document;
use litigant_court_api::policy::LitigationLink;
use litigant_court_api::{FieldProblem, List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::store::{from_text, new_id, to_json, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases))
        .routes(routes!(get_case))
        .routes(routes!(docket))
        .routes(routes!(case_documents))
        .routes(routes!(consents, record_consent))
        .routes(routes!(request_offline))
}

/// The case must exist (404) and the account must be one of its parties (403).
pub fn require_party(db: &Connection, case_id: &str, account_id: &str) -> ApiResult<()> {
    let exists: bool = db.query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
        [case_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(SimError::problem(
            ProblemCode::NotFound,
            format!("There is no case {case_id}."),
        ));
    }
    let party: bool = db.query_row(
        "SELECT EXISTS (SELECT 1 FROM case_parties WHERE case_id = ?1 AND account_id = ?2)",
        params![case_id, account_id],
        |r| r.get(0),
    )?;
    if party {
        Ok(())
    } else {
        Err(SimError::problem(
            ProblemCode::Forbidden,
            "This account is not a party to this case.",
        ))
    }
}

/// The party's latest choice for a link, if any.
pub fn current_consent(
    db: &Connection,
    case_id: &str,
    account_id: &str,
    link: LitigationLink,
) -> ApiResult<Option<ConsentMode>> {
    let mode: Option<String> = db
        .query_row(
            "SELECT mode FROM consents WHERE case_id = ?1 AND account_id = ?2 AND link = ?3 ORDER BY sequence DESC LIMIT 1",
            params![case_id, account_id, to_text(&link)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(mode.map(|m| from_text(&m)).transpose()?)
}

/// A link takes place online for a party only with that party's consent (Art. 4).
pub fn require_online(
    db: &Connection,
    case_id: &str,
    account_id: &str,
    link: LitigationLink,
) -> ApiResult<()> {
    match current_consent(db, case_id, account_id, link)? {
        Some(ConsentMode::Online) => Ok(()),
        Some(ConsentMode::Offline) => Err(SimError::problem(
            ProblemCode::LinkOffline,
            format!(
                "This party chose to take `{}` offline in this case; change the consent first.",
                link.as_str()
            ),
        )),
        None => Err(SimError::problem(
            ProblemCode::LinkOffline,
            format!(
                "This party has not agreed to take `{}` online in this case; record consent first.",
                link.as_str()
            ),
        )),
    }
}

/// Mediation, evidence exchange and hearings need a recent re-verification (Art. 7(3)).
pub fn require_recent_assurance(
    db: &Connection,
    account_id: &str,
    max_age_seconds: u64,
) -> ApiResult<()> {
    let assurance: Option<DateTime<Utc>> = db.query_row(
        "SELECT assurance_at FROM accounts WHERE id = ?1",
        [account_id],
        |r| r.get(0),
    )?;
    let max_age = chrono::Duration::seconds(i64::try_from(max_age_seconds).unwrap_or(i64::MAX));
    match assurance {
        Some(at) if Utc::now() - at <= max_age => Ok(()),
        _ => Err(SimError::problem(
            ProblemCode::ReverificationRequired,
            format!(
                "Verify your identity again (POST /me/reverification); it must be less than {} minutes old for this step.",
                max_age_seconds / 60
            ),
        )),
    }
}

pub fn add_docket(
    db: &Connection,
    case_id: &str,
    description: &str,
    document_id: Option<&str>,
) -> ApiResult<()> {
    db.execute(
        "INSERT INTO docket (case_id, at, description, document_id) VALUES (?1, ?2, ?3, ?4)",
        params![case_id, Utc::now(), description, document_id],
    )?;
    Ok(())
}

pub fn party_accounts(db: &Connection, case_id: &str) -> ApiResult<Vec<String>> {
    let mut statement = db.prepare("SELECT DISTINCT account_id FROM case_parties WHERE case_id = ?1 AND account_id IS NOT NULL")?;
    Ok(statement
        .query_map([case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn load_case(db: &Connection, case_id: &str) -> ApiResult<Case> {
    let mut statement = db.prepare(
        "SELECT name, role, account_id FROM case_parties WHERE case_id = ?1 ORDER BY rowid",
    )?;
    let parties = statement
        .query_map([case_id], |r| {
            Ok(CaseParty {
                name: r.get(0)?,
                role: from_text(&r.get::<_, String>(1)?)?,
                account_id: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    db.query_row(
        "SELECT id, case_number, title, case_type, status, filing_id, opened_at FROM cases WHERE id = ?1",
        [case_id],
        |r| {
            Ok(Case {
                id: r.get(0)?,
                case_number: r.get(1)?,
                title: r.get(2)?,
                case_type: r.get(3)?,
                status: from_text(&r.get::<_, String>(4)?)?,
                parties,
                filing_id: r.get(5)?,
                opened_at: r.get(6)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| SimError::problem(ProblemCode::NotFound, format!("There is no case {case_id}.")))
}

/// The cases this account is a party to, newest first.
#[utoipa::path(get, path = "/cases", tag = "cases", security(("party" = [])),
    responses((status = 200, body = List<Case>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<Case>>> {
    let db = state.store.db();
    let ids: Vec<String> = db
        .prepare("SELECT id FROM cases WHERE id IN (SELECT case_id FROM case_parties WHERE account_id = ?1) ORDER BY opened_at DESC, id")?
        .query_map([&caller.account_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let items = ids
        .iter()
        .map(|id| load_case(&db, id))
        .collect::<ApiResult<_>>()?;
    Ok(axum::Json(List { items }))
}

#[utoipa::path(get, path = "/cases/{caseId}", tag = "cases", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = Case),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn get_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<Case>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    Ok(axum::Json(load_case(&db, &case_id)?))
}

/// What happened in the case, oldest first.
#[utoipa::path(get, path = "/cases/{caseId}/docket", tag = "cases", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<DocketEntry>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn docket(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<DocketEntry>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let items = db
        .prepare("SELECT sequence, at, description, document_id FROM docket WHERE case_id = ?1 ORDER BY sequence")?
        .query_map([&case_id], |r| Ok(DocketEntry { sequence: r.get(0)?, at: r.get(1)?, description: r.get(2)?, document_id: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

/// The electronic case file (Art. 35): every document in the case, with its hash.
#[utoipa::path(get, path = "/cases/{caseId}/documents", tag = "cases", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<CaseDocument>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn case_documents(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<CaseDocument>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let items = db
        .prepare(
            "SELECT d.id, d.filename, d.content_type, d.size, d.sha256, d.created_at, c.document_type, c.submitted_by, c.added_at \
             FROM case_documents c JOIN documents d ON d.id = c.document_id WHERE c.case_id = ?1 ORDER BY c.added_at, d.id",
        )?
        .query_map([&case_id], |r| {
            Ok(CaseDocument {
                document: Document { id: r.get(0)?, filename: r.get(1)?, content_type: r.get(2)?, size: r.get(3)?, sha256: r.get(4)?, created_at: r.get(5)? },
                document_type: r.get(6)?,
                submitted_by: r.get(7)?,
                added_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

fn consent_records(
    db: &Connection,
    case_id: &str,
    account_id: &str,
) -> ApiResult<Vec<ConsentRecord>> {
    Ok(db
        .prepare("SELECT sequence, account_id, link, mode, reason, recorded_at FROM consents WHERE case_id = ?1 AND account_id = ?2 ORDER BY sequence")?
        .query_map(params![case_id, account_id], |r| {
            Ok(ConsentRecord {
                sequence: r.get(0)?,
                account_id: r.get(1)?,
                link: from_text(&r.get::<_, String>(2)?)?,
                mode: from_text(&r.get::<_, String>(3)?)?,
                reason: r.get(4)?,
                recorded_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn consents_of(db: &Connection, case_id: &str, account_id: &str) -> ApiResult<Consents> {
    let history = consent_records(db, case_id, account_id)?;
    let current = LitigationLink::ALL
        .iter()
        .filter_map(|link| history.iter().rev().find(|r| r.link == *link).cloned())
        .collect();
    Ok(Consents { current, history })
}

/// This account's consent per link in the case: the current choice and the whole history.
#[utoipa::path(get, path = "/cases/{caseId}/consents", tag = "consent", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = Consents),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn consents(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<Consents>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    Ok(axum::Json(consents_of(&db, &case_id, &caller.account_id)?))
}

/// Record a choice for one link (append-only: earlier records stay).
#[utoipa::path(post, path = "/cases/{caseId}/consents", tag = "consent", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = ConsentRequest,
    responses((status = 201, body = Consents),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn record_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<ConsentRequest>,
) -> ApiResult<(StatusCode, axum::Json<Consents>)> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if request.mode == ConsentMode::Online
        && !state.config.policy.online_links.contains(&request.link)
    {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            format!(
                "This court does not hold `{}` online.",
                request.link.as_str()
            ),
        ));
    }
    db.execute(
        "INSERT INTO consents (case_id, account_id, link, mode, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case_id, caller.account_id, to_text(&request.link), to_text(&request.mode), reason, Utc::now()],
    )?;
    Ok((
        StatusCode::CREATED,
        axum::Json(consents_of(&db, &case_id, &caller.account_id)?),
    ))
}

/// Ask the court to continue some links offline, with reasons (Art. 5).
#[utoipa::path(post, path = "/cases/{caseId}/offline-transfers", tag = "consent", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = OfflineTransferRequest,
    responses((status = 201, body = OfflineTransfer),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn request_offline(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<OfflineTransferRequest>,
) -> ApiResult<(StatusCode, axum::Json<OfflineTransfer>)> {
    let mut errors = Vec::new();
    if request.links.is_empty() {
        errors.push(FieldProblem {
            pointer: "/links".into(),
            message: "Name at least one link to take offline.".into(),
        });
    }
    if request.reason.trim().is_empty() {
        errors.push(FieldProblem {
            pointer: "/reason".into(),
            message: "Say why the party cannot continue online.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(
            Problem::new(ProblemCode::ValidationFailed, "The request is incomplete.")
                .with_errors(errors)
                .into(),
        );
    }
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let transfer = OfflineTransfer {
        id: new_id("off"),
        case_id,
        account_id: caller.account_id,
        links: request.links,
        reason: request.reason.trim().to_owned(),
        status: OfflineTransferStatus::Pending,
        requested_at: Utc::now(),
    };
    db.execute(
        "INSERT INTO offline_transfers (id, case_id, account_id, links, reason, status, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![transfer.id, transfer.case_id, transfer.account_id, to_json(&transfer.links), transfer.reason, to_text(&transfer.status), transfer.requested_at],
    )?;
    add_docket(
        &db,
        &transfer.case_id,
        "A party asked to continue some links offline",
        None,
    )?;
    Ok((StatusCode::CREATED, axum::Json(transfer)))
}
