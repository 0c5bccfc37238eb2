//! Asynchronous hearings (Art. 20-27): the party answers each step with a recording, then
//! submits everything before the deadline.

use axum::extract::{Path, State};
use chrono::Utc;
use litigant_court_api::hearings::{
    AsyncHearing, HearingStatus, StepRecording, StepRecordingRequest,
};
use litigant_court_api::policy::LitigationLink;
use litigant_court_api::{List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::cases::{add_docket, require_online, require_party, require_recent_assurance};
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::store::{from_json, to_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(case_hearings))
        .routes(routes!(get_hearing))
        .routes(routes!(record_step))
        .routes(routes!(submit_hearing))
}

pub fn load_hearing(db: &Connection, id: &str, account_id: &str) -> ApiResult<AsyncHearing> {
    let recordings = db
        .prepare("SELECT step_index, segments, manifest_document_id, recorded_at FROM recordings WHERE hearing_id = ?1 AND account_id = ?2 ORDER BY step_index")?
        .query_map(params![id, account_id], |r| {
            Ok(StepRecording { step_index: r.get(0)?, segment_document_ids: from_json(&r.get::<_, String>(1)?)?, manifest_document_id: r.get(2)?, recorded_at: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let submitted_at = db
        .query_row("SELECT submitted_at FROM hearing_submissions WHERE hearing_id = ?1 AND account_id = ?2", params![id, account_id], |r| r.get(0))
        .optional()?;
    db.query_row(
        "SELECT id, case_id, title, steps, opened_at, deadline FROM hearings WHERE id = ?1",
        [id],
        |r| {
            let deadline = r.get(5)?;
            let status = match submitted_at {
                Some(_) => HearingStatus::Submitted,
                None if deadline < Utc::now() => HearingStatus::Closed,
                None => HearingStatus::Open,
            };
            Ok(AsyncHearing {
                id: r.get(0)?,
                case_id: r.get(1)?,
                title: r.get(2)?,
                steps: from_json(&r.get::<_, String>(3)?)?,
                opened_at: r.get(4)?,
                deadline,
                status,
                recordings,
                submitted_at,
            })
        },
    )
    .optional()?
    .ok_or_else(|| SimError::problem(ProblemCode::NotFound, format!("There is no hearing {id}.")))
}

/// A hearing this account may act in now: a party, consented online, recently re-verified,
/// not submitted, before the deadline.
fn open_hearing_for(
    db: &Connection,
    id: &str,
    account_id: &str,
    max_age: u64,
) -> ApiResult<AsyncHearing> {
    let hearing = load_hearing(db, id, account_id)?;
    require_party(db, &hearing.case_id, account_id)?;
    require_online(db, &hearing.case_id, account_id, LitigationLink::Hearing)?;
    match hearing.status {
        HearingStatus::Submitted => Err(SimError::problem(
            ProblemCode::InvalidState,
            "This hearing was already submitted.",
        )),
        HearingStatus::Closed => Err(SimError::problem(
            ProblemCode::DeadlinePassed,
            "The hearing's deadline has passed.",
        )),
        HearingStatus::Open => {
            require_recent_assurance(db, account_id, max_age)?;
            Ok(hearing)
        }
    }
}

/// The case's asynchronous hearings, with this account's progress.
#[utoipa::path(get, path = "/cases/{caseId}/hearings", tag = "hearings", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<AsyncHearing>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn case_hearings(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<AsyncHearing>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let ids: Vec<String> = db
        .prepare("SELECT id FROM hearings WHERE case_id = ?1 ORDER BY opened_at")?
        .query_map([&case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let items = ids
        .iter()
        .map(|id| load_hearing(&db, id, &caller.account_id))
        .collect::<ApiResult<_>>()?;
    Ok(axum::Json(List { items }))
}

#[utoipa::path(get, path = "/hearings/{hearingId}", tag = "hearings", security(("party" = [])),
    params(("hearingId" = String, Path, description = "Hearing id")),
    responses((status = 200, body = AsyncHearing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn get_hearing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AsyncHearing>> {
    let db = state.store.db();
    let hearing = load_hearing(&db, &id, &caller.account_id)?;
    require_party(&db, &hearing.case_id, &caller.account_id)?;
    Ok(axum::Json(hearing))
}

/// Attach the recording of one step: its video segments and manifest, uploaded as documents.
/// A step may be recorded again until the hearing is submitted.
#[utoipa::path(put, path = "/hearings/{hearingId}/steps/{index}/recording", tag = "hearings", security(("party" = [])),
    params(("hearingId" = String, Path, description = "Hearing id"), ("index" = u32, Path, description = "Step index")),
    request_body = StepRecordingRequest,
    responses((status = 200, body = AsyncHearing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn record_step(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, index)): Path<(String, u32)>,
    JsonBody(request): JsonBody<StepRecordingRequest>,
) -> ApiResult<axum::Json<AsyncHearing>> {
    let mut db = state.store.db();
    let tx = db.transaction()?;
    let hearing = open_hearing_for(
        &tx,
        &id,
        &caller.account_id,
        state.config.policy.reverification_max_age_seconds,
    )?;
    if !hearing.steps.iter().any(|s| s.index == index) {
        return Err(SimError::problem(
            ProblemCode::NotFound,
            format!("The hearing has no step {index}."),
        ));
    }
    if let Some(previous) = index.checked_sub(1)
        && !hearing.recordings.iter().any(|r| r.step_index == previous)
    {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            format!("Steps are answered in order; record step {previous} first."),
        ));
    }
    if request.segment_document_ids.is_empty() {
        return Err(SimError::problem(
            ProblemCode::ValidationFailed,
            "Name at least one video segment.",
        ));
    }
    for document in request
        .segment_document_ids
        .iter()
        .chain([&request.manifest_document_id])
    {
        let own: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND owner = ?2)",
            params![document, caller.account_id],
            |r| r.get(0),
        )?;
        if !own {
            return Err(SimError::problem(
                ProblemCode::ValidationFailed,
                format!("Document {document} is not a finished upload of this account."),
            ));
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO recordings (hearing_id, account_id, step_index, segments, manifest_document_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, caller.account_id, index, to_json(&request.segment_document_ids), request.manifest_document_id, Utc::now()],
    )?;
    let hearing = load_hearing(&tx, &id, &caller.account_id)?;
    tx.commit()?;
    Ok(axum::Json(hearing))
}

/// Submit the hearing: every step recorded, before the deadline. The recordings join the case file.
#[utoipa::path(post, path = "/hearings/{hearingId}/submission", tag = "hearings", security(("party" = [])),
    params(("hearingId" = String, Path, description = "Hearing id")),
    responses((status = 200, body = AsyncHearing),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn submit_hearing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AsyncHearing>> {
    let mut db = state.store.db();
    let tx = db.transaction()?;
    let hearing = open_hearing_for(
        &tx,
        &id,
        &caller.account_id,
        state.config.policy.reverification_max_age_seconds,
    )?;
    let missing: Vec<String> = hearing
        .steps
        .iter()
        .filter(|s| !hearing.recordings.iter().any(|r| r.step_index == s.index))
        .map(|s| s.index.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            format!("Record every step first; missing: {}.", missing.join(", ")),
        ));
    }
    let now = Utc::now();
    tx.execute("INSERT INTO hearing_submissions (hearing_id, account_id, submitted_at) VALUES (?1, ?2, ?3)", params![id, caller.account_id, now])?;
    for recording in &hearing.recordings {
        for (document, kind) in recording
            .segment_document_ids
            .iter()
            .map(|d| (d, "hearing_video"))
            .chain([(&recording.manifest_document_id, "hearing_manifest")])
        {
            tx.execute(
                "INSERT OR IGNORE INTO case_documents (case_id, document_id, document_type, submitted_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hearing.case_id, document, kind, caller.account_id, now],
            )?;
        }
    }
    add_docket(
        &tx,
        &hearing.case_id,
        &format!(
            "A party submitted the asynchronous hearing \u{201c}{}\u{201d}",
            hearing.title
        ),
        None,
    )?;
    let hearing = load_hearing(&tx, &id, &caller.account_id)?;
    tx.commit()?;
    Ok(axum::Json(hearing))
}
