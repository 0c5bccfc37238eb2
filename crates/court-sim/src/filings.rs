//! Online filing (Art. 9): check a draft, submit it exactly once, follow its review, send
//! supplements, cancel.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use litigant_court_api::cases::PartyRole;
use litigant_court_api::filings::{
    Filing, FilingCheck, FilingDocument, FilingDraft, FilingStatus, Supplement, SupplementRequest,
};
use litigant_court_api::identity::VerificationStatus;
use litigant_court_api::policy::Policy;
use litigant_court_api::{
    FieldProblem, IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED, List, Problem, ProblemCode,
};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, hex};
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::numbers::{check_id_number, check_mobile, mask_middle};
use crate::state::AppState;
use crate::store::{from_json, from_text, new_id, to_json, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_filing))
        .routes(routes!(list_filings, submit_filing))
        .routes(routes!(get_filing))
        .routes(routes!(add_supplement))
        .routes(routes!(cancel_filing))
}

/// Checks documents named in a filing or supplement: each finished, the caller's own, of a
/// known type and an accepted media type. Returns their total size.
fn check_documents(
    db: &Connection,
    policy: &Policy,
    account_id: &str,
    documents: &[FilingDocument],
    pointer: &str,
    problems: &mut Vec<FieldProblem>,
) -> ApiResult<u64> {
    let mut total = 0;
    for (i, document) in documents.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        if !policy
            .document_types
            .iter()
            .any(|t| t.code == document.document_type)
        {
            problems.push(FieldProblem {
                pointer: format!("{at}/documentType"),
                message: format!(
                    "`{}` is not a document type of this court.",
                    document.document_type
                ),
            });
        }
        let found: Option<(u64, String)> = db
            .query_row(
                "SELECT size, content_type FROM documents WHERE id = ?1 AND owner = ?2",
                params![document.document_id, account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((size, content_type)) = found {
            total += size;
            if !policy.allowed_content_types.contains(&content_type) {
                problems.push(FieldProblem {
                    pointer: format!("{at}/documentId"),
                    message: format!("This court does not accept `{content_type}` documents."),
                });
            }
        } else {
            let pending: bool = db.query_row(
                "SELECT EXISTS (SELECT 1 FROM uploads WHERE id = ?1 AND owner = ?2)",
                params![document.document_id, account_id],
                |r| r.get(0),
            )?;
            let message = if pending {
                "This document's upload has not finished."
            } else {
                "No document with this id belongs to this account."
            };
            problems.push(FieldProblem {
                pointer: format!("{at}/documentId"),
                message: message.into(),
            });
        }
    }
    Ok(total)
}

/// Everything wrong with a draft, and its documents' total size.
fn review_draft(
    db: &Connection,
    policy: &Policy,
    account_id: &str,
    draft: &FilingDraft,
) -> ApiResult<(Vec<FieldProblem>, u64)> {
    let mut problems = Vec::new();
    let mut problem = |pointer: &str, message: &str| {
        problems.push(FieldProblem {
            pointer: pointer.into(),
            message: message.into(),
        });
    };
    if !policy.case_types.iter().any(|t| t.code == draft.case_type) {
        problem("/caseType", "Choose a case type from the court's policy.");
    }
    if draft.title.trim().is_empty() || draft.title.chars().count() > 200 {
        problem("/title", "Give the case a short title (1-200 characters).");
    }
    if !draft.parties.iter().any(|p| p.role == PartyRole::Plaintiff) {
        problem("/parties", "Name at least one plaintiff.");
    }
    if !draft.parties.iter().any(|p| p.role == PartyRole::Defendant) {
        problem("/parties", "Name at least one defendant.");
    }
    if draft.claims.is_empty() || draft.claims.iter().any(|c| c.trim().is_empty()) {
        problem("/claims", "State each claim; none may be empty.");
    }
    if draft.facts_and_reasons.trim().is_empty() {
        problem("/factsAndReasons", "State the facts and reasons.");
    }
    if !draft
        .documents
        .iter()
        .any(|d| d.document_type == "complaint")
    {
        problem(
            "/documents",
            "Attach the complaint (document type `complaint`).",
        );
    }
    for (i, party) in draft.parties.iter().enumerate() {
        if party.name.trim().is_empty() {
            problems.push(FieldProblem {
                pointer: format!("/parties/{i}/name"),
                message: "Give the party's name.".into(),
            });
        }
        match (party.id_type, &party.id_number) {
            (Some(id_type), Some(number)) => {
                if let Err(SimError::Problem(p)) =
                    check_id_number(id_type, number, &format!("/parties/{i}/idNumber"))
                {
                    problems.extend(p.errors);
                }
            }
            (None, Some(_)) => problems.push(FieldProblem {
                pointer: format!("/parties/{i}/idType"),
                message: "Say which kind of identity number this is.".into(),
            }),
            _ => {}
        }
        if let Some(mobile) = &party.mobile
            && let Err(message) = check_mobile(mobile)
        {
            problems.push(FieldProblem {
                pointer: format!("/parties/{i}/mobile"),
                message,
            });
        }
    }
    let total = check_documents(
        db,
        policy,
        account_id,
        &draft.documents,
        "/documents",
        &mut problems,
    )?;
    if total > policy.max_filing_bytes {
        problems.push(FieldProblem {
            pointer: "/documents".into(),
            message: format!(
                "The documents come to {total} bytes; this court accepts up to {} per filing.",
                policy.max_filing_bytes
            ),
        });
    }
    Ok((problems, total))
}

/// Party numbers are stored in full (the court needs them) and shown masked.
fn masked(mut filing: Filing) -> Filing {
    for party in &mut filing.draft.parties {
        party.id_number = party.id_number.as_deref().map(mask_middle);
        party.mobile = party.mobile.as_deref().map(mask_middle);
    }
    filing
}

pub fn load_filing(db: &Connection, id: &str) -> ApiResult<Option<Filing>> {
    let supplements: Vec<Supplement> = db
        .prepare("SELECT sequence, note, documents, submitted_at FROM supplements WHERE filing_id = ?1 ORDER BY sequence")?
        .query_map([id], |r| Ok(Supplement { sequence: r.get(0)?, note: r.get(1)?, documents: from_json(&r.get::<_, String>(2)?)?, submitted_at: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(db
        .query_row(
            "SELECT id, account_id, status, draft, submitted_at, updated_at, deficiencies, correction_due_at, decision_reason, case_id FROM filings WHERE id = ?1",
            [id],
            |r| {
                Ok(Filing {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    status: from_text(&r.get::<_, String>(2)?)?,
                    draft: from_json(&r.get::<_, String>(3)?)?,
                    submitted_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    deficiencies: from_json(&r.get::<_, String>(6)?)?,
                    correction_due_at: r.get(7)?,
                    decision_reason: r.get(8)?,
                    supplements,
                    case_id: r.get(9)?,
                })
            },
        )
        .optional()?)
}

fn own_filing(db: &Connection, id: &str, account_id: &str) -> ApiResult<Filing> {
    match load_filing(db, id)? {
        Some(filing) if filing.account_id == account_id => Ok(filing),
        Some(_) => Err(SimError::problem(
            ProblemCode::Forbidden,
            "This filing belongs to another account.",
        )),
        None => Err(SimError::problem(
            ProblemCode::NotFound,
            format!("There is no filing {id}."),
        )),
    }
}

/// Check a draft against the court's policy without submitting it.
#[utoipa::path(post, path = "/filings/check", tag = "filings", security(("party" = [])),
    request_body = FilingDraft,
    responses((status = 200, body = FilingCheck),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn check_filing(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(draft): JsonBody<FilingDraft>,
) -> ApiResult<axum::Json<FilingCheck>> {
    let (problems, total_bytes) = review_draft(
        &state.store.db(),
        &state.config.policy,
        &caller.account_id,
        &draft,
    )?;
    Ok(axum::Json(FilingCheck {
        acceptable: problems.is_empty(),
        problems,
        total_bytes,
    }))
}

/// The stored answer to an earlier submission with this key: replayed when the request is the
/// same, refused when the key is reused for a different one.
fn replay(
    db: &Connection,
    account_id: &str,
    key: &str,
    request_hash: &str,
) -> ApiResult<Option<Response>> {
    let earlier: Option<(String, u16, String)> = db
        .query_row(
            "SELECT request_hash, status, body FROM idempotency WHERE account_id = ?1 AND key = ?2",
            params![account_id, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((hash, status, body)) = earlier else {
        return Ok(None);
    };
    if hash != request_hash {
        return Err(SimError::problem(
            ProblemCode::IdempotencyKeyReused,
            "This Idempotency-Key was used for a different filing; use a new key for a new filing.",
        ));
    }
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    Ok(Some(response))
}

/// Submit a filing. Needs an `Idempotency-Key`: a retry with the same key and body gets the
/// first answer again (with `Idempotent-Replayed: true`) and never a second filing.
#[utoipa::path(post, path = "/filings", tag = "filings", security(("party" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per filing, reused on retries")),
    request_body = FilingDraft,
    responses((status = 201, body = Filing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn submit_filing(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(draft): JsonBody<FilingDraft>,
) -> ApiResult<Response> {
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::IdempotencyKeyRequired,
                "Send an Idempotency-Key header (for example a UUID) so a retry cannot file twice.",
            )
        })?
        .to_owned();
    let request_hash = hex(&Sha256::digest(to_json(&draft).as_bytes()));
    let policy = &state.config.policy;
    let mut db = state.store.db();
    let tx = db.transaction()?;
    if let Some(response) = replay(&tx, &caller.account_id, &key, &request_hash)? {
        return Ok(response);
    }
    let verification: String = tx.query_row(
        "SELECT verification FROM accounts WHERE id = ?1",
        [&caller.account_id],
        |r| r.get(0),
    )?;
    if from_text::<VerificationStatus>(&verification)? != VerificationStatus::Verified {
        return Err(SimError::problem(
            ProblemCode::Forbidden,
            "Finish real-name verification (the face photo) before filing (Art. 7).",
        ));
    }
    let (problems, total) = review_draft(&tx, policy, &caller.account_id, &draft)?;
    if total > policy.max_filing_bytes {
        return Err(Problem::new(
            ProblemCode::FilingTooLarge,
            format!(
                "The documents come to {total} bytes; this court accepts up to {} per filing.",
                policy.max_filing_bytes
            ),
        )
        .with_limit(policy.max_filing_bytes)
        .into());
    }
    if !problems.is_empty() {
        return Err(Problem::new(
            ProblemCode::ValidationFailed,
            "The filing has problems; fix them and submit again.",
        )
        .with_errors(problems)
        .into());
    }
    let mut draft = draft;
    for party in &mut draft.parties {
        if let (Some(id_type), Some(number)) = (party.id_type, &party.id_number) {
            party.id_number = Some(check_id_number(id_type, number, "")?);
        }
    }
    let now = Utc::now();
    let id = new_id("fil");
    tx.execute(
        "INSERT INTO filings (id, account_id, status, draft, submitted_at, updated_at, deficiencies) VALUES (?1, ?2, ?3, ?4, ?5, ?5, '[]')",
        params![id, caller.account_id, to_text(&FilingStatus::Received), to_json(&draft), now],
    )?;
    let filing = masked(
        load_filing(&tx, &id)?.ok_or_else(|| SimError::Damaged("a filing vanished".into()))?,
    );
    let body = to_json(&filing);
    tx.execute(
        "INSERT INTO idempotency (account_id, key, request_hash, status, body) VALUES (?1, ?2, ?3, 201, ?4)",
        params![caller.account_id, key, request_hash, body],
    )?;
    tx.commit()?;
    tracing::info!(filing = %id, account = %caller.account_id, "filing received");
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// This account's filings, newest first.
#[utoipa::path(get, path = "/filings", tag = "filings", security(("party" = [])),
    responses((status = 200, body = List<Filing>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn list_filings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<Filing>>> {
    let db = state.store.db();
    let ids: Vec<String> = db
        .prepare("SELECT id FROM filings WHERE account_id = ?1 ORDER BY submitted_at DESC, id")?
        .query_map([&caller.account_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.extend(load_filing(&db, &id)?.map(masked));
    }
    Ok(axum::Json(List { items }))
}

#[utoipa::path(get, path = "/filings/{filingId}", tag = "filings", security(("party" = [])),
    params(("filingId" = String, Path, description = "Filing id")),
    responses((status = 200, body = Filing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn get_filing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Filing>> {
    Ok(axum::Json(masked(own_filing(
        &state.store.db(),
        &id,
        &caller.account_id,
    )?)))
}

/// Answer a correction request before its due time; the filing goes back under review.
#[utoipa::path(post, path = "/filings/{filingId}/supplements", tag = "filings", security(("party" = [])),
    params(("filingId" = String, Path, description = "Filing id")),
    request_body = SupplementRequest,
    responses((status = 201, body = Filing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn add_supplement(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<SupplementRequest>,
) -> ApiResult<(StatusCode, axum::Json<Filing>)> {
    let mut db = state.store.db();
    let tx = db.transaction()?;
    let filing = own_filing(&tx, &id, &caller.account_id)?;
    if filing.status != FilingStatus::CorrectionRequested {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            format!(
                "The filing is `{}`; supplements answer a correction request.",
                to_text(&filing.status)
            ),
        ));
    }
    if filing.correction_due_at.is_some_and(|due| due < Utc::now()) {
        return Err(SimError::problem(
            ProblemCode::DeadlinePassed,
            "The time for corrections has passed; contact the court.",
        ));
    }
    let mut problems = Vec::new();
    if request.note.trim().is_empty() && request.documents.is_empty() {
        problems.push(FieldProblem {
            pointer: "/note".into(),
            message: "Say what was corrected, or attach documents.".into(),
        });
    }
    check_documents(
        &tx,
        &state.config.policy,
        &caller.account_id,
        &request.documents,
        "/documents",
        &mut problems,
    )?;
    if !problems.is_empty() {
        return Err(Problem::new(
            ProblemCode::ValidationFailed,
            "The supplement has problems.",
        )
        .with_errors(problems)
        .into());
    }
    let now = Utc::now();
    tx.execute("INSERT INTO supplements (filing_id, note, documents, submitted_at) VALUES (?1, ?2, ?3, ?4)", params![id, request.note.trim(), to_json(&request.documents), now])?;
    tx.execute(
        "UPDATE filings SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![to_text(&FilingStatus::UnderReview), now, id],
    )?;
    let filing =
        load_filing(&tx, &id)?.ok_or_else(|| SimError::Damaged("a filing vanished".into()))?;
    tx.commit()?;
    Ok((StatusCode::CREATED, axum::Json(masked(filing))))
}

/// Withdraw a filing that the court has not decided.
#[utoipa::path(post, path = "/filings/{filingId}/cancel", tag = "filings", security(("party" = [])),
    params(("filingId" = String, Path, description = "Filing id")),
    responses((status = 200, body = Filing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn cancel_filing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Filing>> {
    let db = state.store.db();
    let filing = own_filing(&db, &id, &caller.account_id)?;
    if filing.status.is_final() {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            format!("The filing is already `{}`.", to_text(&filing.status)),
        ));
    }
    db.execute(
        "UPDATE filings SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![to_text(&FilingStatus::Cancelled), Utc::now(), id],
    )?;
    Ok(axum::Json(masked(load_filing(&db, &id)?.ok_or_else(
        || SimError::Damaged("a filing vanished".into()),
    )?)))
}
