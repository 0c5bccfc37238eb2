//! Electronic service (Art. 29-32): the inbox, opening, receipt confirmation, certificate.

use axum::extract::{Path, State};
use chrono::Utc;
use litigant_court_api::documents::Document;
use litigant_court_api::service::{ServedDocument, ServiceCertificate};
use litigant_court_api::{List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::cases::add_docket;
use crate::error::{ApiResult, SimError};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inbox))
        .routes(routes!(open_served))
        .routes(routes!(confirm_receipt))
        .routes(routes!(certificate))
}

const COLUMNS: &str = "s.id, s.case_id, s.title, s.served_at, s.delivered_at, s.opened_at, s.receipt_confirmed_at, \
    d.id, d.filename, d.content_type, d.size, d.sha256, d.created_at";

fn served_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ServedDocument> {
    Ok(ServedDocument {
        id: r.get(0)?,
        case_id: r.get(1)?,
        title: r.get(2)?,
        served_at: r.get(3)?,
        delivered_at: r.get(4)?,
        opened_at: r.get(5)?,
        receipt_confirmed_at: r.get(6)?,
        document: Document {
            id: r.get(7)?,
            filename: r.get(8)?,
            content_type: r.get(9)?,
            size: r.get(10)?,
            sha256: r.get(11)?,
            created_at: r.get(12)?,
        },
    })
}

pub fn own_served(db: &Connection, id: &str, account_id: &str) -> ApiResult<ServedDocument> {
    db.query_row(
        &format!("SELECT {COLUMNS} FROM service s JOIN documents d ON d.id = s.document_id WHERE s.id = ?1 AND s.account_id = ?2"),
        params![id, account_id],
        served_from_row,
    )
    .optional()?
    .ok_or_else(|| SimError::problem(ProblemCode::NotFound, format!("Nothing with id {id} was served to this account.")))
}

/// Documents served to this account, newest first.
#[utoipa::path(get, path = "/service", tag = "service", security(("party" = [])),
    responses((status = 200, body = List<ServedDocument>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn inbox(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<ServedDocument>>> {
    let db = state.store.db();
    let items = db
        .prepare(&format!("SELECT {COLUMNS} FROM service s JOIN documents d ON d.id = s.document_id WHERE s.account_id = ?1 ORDER BY s.served_at DESC, s.id"))?
        .query_map([&caller.account_id], served_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

/// Record that the party opened a served document (the first time counts).
#[utoipa::path(post, path = "/service/{serviceId}/opened", tag = "service", security(("party" = [])),
    params(("serviceId" = String, Path, description = "Service id")),
    responses((status = 200, body = ServedDocument),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn open_served(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ServedDocument>> {
    let db = state.store.db();
    let served = own_served(&db, &id, &caller.account_id)?;
    if served.opened_at.is_none() {
        db.execute(
            "UPDATE service SET opened_at = ?1 WHERE id = ?2",
            params![Utc::now(), id],
        )?;
        add_docket(
            &db,
            &served.case_id,
            &format!(
                "A party opened the served document \u{201c}{}\u{201d}",
                served.title
            ),
            None,
        )?;
    }
    Ok(axum::Json(own_served(&db, &id, &caller.account_id)?))
}

/// Confirm receipt of a served document (the first time counts; it also marks it opened).
#[utoipa::path(post, path = "/service/{serviceId}/receipt", tag = "service", security(("party" = [])),
    params(("serviceId" = String, Path, description = "Service id")),
    responses((status = 200, body = ServedDocument),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn confirm_receipt(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ServedDocument>> {
    let db = state.store.db();
    let served = own_served(&db, &id, &caller.account_id)?;
    if served.receipt_confirmed_at.is_none() {
        let now = Utc::now();
        db.execute("UPDATE service SET receipt_confirmed_at = ?1, opened_at = COALESCE(opened_at, ?1) WHERE id = ?2", params![now, id])?;
        add_docket(
            &db,
            &served.case_id,
            &format!(
                "A party confirmed receipt of \u{201c}{}\u{201d}",
                served.title
            ),
            None,
        )?;
    }
    Ok(axum::Json(own_served(&db, &id, &caller.account_id)?))
}

/// The court's certificate of service (送达回证) for a served document.
#[utoipa::path(get, path = "/service/{serviceId}/certificate", tag = "service", security(("party" = [])),
    params(("serviceId" = String, Path, description = "Service id")),
    responses((status = 200, body = ServiceCertificate),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn certificate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ServiceCertificate>> {
    let db = state.store.db();
    let served = own_served(&db, &id, &caller.account_id)?;
    let name: String = db.query_row(
        "SELECT name FROM accounts WHERE id = ?1",
        [&caller.account_id],
        |r| r.get(0),
    )?;
    Ok(axum::Json(ServiceCertificate {
        service_id: served.id,
        case_id: served.case_id,
        served_to_account_id: caller.account_id,
        served_to_name: name,
        title: served.title,
        document_sha256: served.document.sha256,
        served_at: served.served_at,
        delivered_at: served.delivered_at,
        opened_at: served.opened_at,
        receipt_confirmed_at: served.receipt_confirmed_at,
        court_name: state.config.policy.court_name.clone(),
    }))
}
