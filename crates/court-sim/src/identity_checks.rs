//! Identity checks a notice sets (Art. 7 with the notice's period): a party the court serves a
//! notice must complete real-name verification within three days. Serving a party whose
//! account is not verified creates one; the clerk can ask any served party for one (then a
//! re-verification settles it). Verifying, by face photo or re-verification, settles every
//! check the account owes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use litigant_court_api::identity::{
    IDENTITY_CHECK_DAYS, IdentityCheck, IdentityCheckRequest, IdentityCheckStatus,
};
use litigant_court_api::{List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Clerk};
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::store::{from_text, new_id, to_text};

/// Additive, so it is created where missing on every open and needs no schema version: a
/// database from before it simply has no checks yet.
pub const SCHEMA: &str = r"
CREATE TABLE IF NOT EXISTS identity_checks (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, case_id TEXT NOT NULL,
    notice_id TEXT NOT NULL, status TEXT NOT NULL, noticed_at TEXT NOT NULL,
    due_at TEXT NOT NULL, done_at TEXT, UNIQUE (account_id, notice_id)
);
";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(own_checks))
        .routes(routes!(request_check))
}

const COLUMNS: &str = "id, case_id, notice_id, status, noticed_at, due_at, done_at";

fn check_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IdentityCheck> {
    Ok(IdentityCheck {
        id: r.get(0)?,
        case_id: r.get(1)?,
        notice_id: r.get(2)?,
        status: from_text(&r.get::<_, String>(3)?)?,
        noticed_at: r.get(4)?,
        due_at: r.get(5)?,
        done_at: r.get(6)?,
    })
}

/// Records that `account_id` owes a verification because of `notice_id`, served at
/// `noticed_at`; one check per notice, so serving again changes nothing. Returns its id.
pub fn require(
    db: &Connection,
    account_id: &str,
    case_id: &str,
    notice_id: &str,
    noticed_at: DateTime<Utc>,
) -> ApiResult<String> {
    let existing: Option<String> = db
        .query_row(
            "SELECT id FROM identity_checks WHERE account_id = ?1 AND notice_id = ?2",
            params![account_id, notice_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = new_id("idc");
    db.execute(
        "INSERT INTO identity_checks (id, account_id, case_id, notice_id, status, noticed_at, due_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            account_id,
            case_id,
            notice_id,
            to_text(&IdentityCheckStatus::Due),
            noticed_at,
            noticed_at + Duration::days(IDENTITY_CHECK_DAYS)
        ],
    )?;
    Ok(id)
}

/// The account verified at `now`: every check it owes is done.
pub fn settle(db: &Connection, account_id: &str, now: DateTime<Utc>) -> ApiResult<()> {
    db.execute(
        "UPDATE identity_checks SET status = ?1, done_at = ?2 WHERE account_id = ?3 AND status = ?4",
        params![
            to_text(&IdentityCheckStatus::Done),
            now,
            account_id,
            to_text(&IdentityCheckStatus::Due)
        ],
    )?;
    Ok(())
}

fn load(db: &Connection, id: &str) -> ApiResult<IdentityCheck> {
    db.query_row(
        &format!("SELECT {COLUMNS} FROM identity_checks WHERE id = ?1"),
        [id],
        check_from_row,
    )
    .optional()?
    .ok_or_else(|| SimError::problem(ProblemCode::NotFound, "No such identity check."))
}

/// The identity checks notices set for this account, the soonest due first (done ones too).
#[utoipa::path(get, path = "/me/identity-checks", tag = "identity", security(("party" = [])),
    responses((status = 200, body = List<IdentityCheck>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn own_checks(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<IdentityCheck>>> {
    let db = state.store.db();
    let items = db
        .prepare(&format!(
            "SELECT {COLUMNS} FROM identity_checks WHERE account_id = ?1 ORDER BY due_at, id"
        ))?
        .query_map([&caller.account_id], check_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

/// Ask the party a notice was served on to verify their identity within three days of it.
#[utoipa::path(post, path = "/clerk/cases/{caseId}/identity-checks", tag = "clerk", security(("clerk" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = IdentityCheckRequest,
    responses((status = 201, body = IdentityCheck),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn request_check(
    State(state): State<AppState>,
    _clerk: Clerk,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<IdentityCheckRequest>,
) -> ApiResult<(StatusCode, axum::Json<IdentityCheck>)> {
    let db = state.store.db();
    let served: Option<(String, DateTime<Utc>)> = db
        .query_row(
            "SELECT account_id, delivered_at FROM service WHERE id = ?1 AND case_id = ?2",
            params![request.notice_id, case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (account_id, delivered_at) = served.ok_or_else(|| {
        SimError::problem(
            ProblemCode::NotFound,
            format!(
                "Nothing with id {} was served in case {case_id}; serve the notice first.",
                request.notice_id
            ),
        )
    })?;
    let id = require(&db, &account_id, &case_id, &request.notice_id, delivered_at)?;
    Ok((StatusCode::CREATED, axum::Json(load(&db, &id)?)))
}
