//! Evidence and its exchange (Art. 14-19).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use litigant_court_api::evidence::{
    AspectOpinion, EvidenceItem, EvidenceSubmission, ExchangeWindow, Opinion, OpinionRequest,
    Stance,
};
use litigant_court_api::policy::LitigationLink;
use litigant_court_api::{FieldProblem, List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::cases::{add_docket, require_online, require_party, require_recent_assurance};
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::store::{from_json, from_text, new_id, to_json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_evidence, submit_evidence))
        .routes(routes!(exchanges))
        .routes(routes!(give_opinion))
        .routes(routes!(opinions))
}

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvidenceItem> {
    Ok(EvidenceItem {
        id: r.get(0)?,
        case_id: r.get(1)?,
        submitted_by: r.get(2)?,
        document_id: r.get(3)?,
        document_sha256: r.get(4)?,
        name: r.get(5)?,
        source: r.get(6)?,
        purpose: r.get(7)?,
        page_range: r.get(8)?,
        deposit_proof: r
            .get::<_, Option<String>>(9)?
            .map(|p| from_json(&p))
            .transpose()?,
        submitted_at: r.get(10)?,
    })
}

const ITEM_COLUMNS: &str = "id, case_id, submitted_by, document_id, document_sha256, name, source, purpose, page_range, deposit_proof, submitted_at";

/// Submit evidence items, each a finished document of this account with its purpose of proof.
#[utoipa::path(post, path = "/cases/{caseId}/evidence", tag = "evidence", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    request_body = EvidenceSubmission,
    responses((status = 201, body = List<EvidenceItem>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn submit_evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
    JsonBody(request): JsonBody<EvidenceSubmission>,
) -> ApiResult<(StatusCode, axum::Json<List<EvidenceItem>>)> {
    let mut db = state.store.db();
    let tx = db.transaction()?;
    require_party(&tx, &case_id, &caller.account_id)?;
    let mut problems = Vec::new();
    if request.items.is_empty() {
        problems.push(FieldProblem {
            pointer: "/items".into(),
            message: "Give at least one item.".into(),
        });
    }
    let mut hashes = Vec::new();
    for (i, item) in request.items.iter().enumerate() {
        for (field, value) in [
            ("name", &item.name),
            ("source", &item.source),
            ("purpose", &item.purpose),
        ] {
            if value.trim().is_empty() {
                problems.push(FieldProblem {
                    pointer: format!("/items/{i}/{field}"),
                    message: format!("The item's {field} is required."),
                });
            }
        }
        if item.deposit_proof.as_ref().is_some_and(|p| !p.is_object()) {
            problems.push(FieldProblem {
                pointer: format!("/items/{i}/depositProof"),
                message: "A deposit proof is a JSON object.".into(),
            });
        }
        let sha: Option<String> = tx
            .query_row(
                "SELECT sha256 FROM documents WHERE id = ?1 AND owner = ?2",
                params![item.document_id, caller.account_id],
                |r| r.get(0),
            )
            .optional()?;
        match sha {
            Some(sha) => hashes.push(sha),
            None => problems.push(FieldProblem {
                pointer: format!("/items/{i}/documentId"),
                message: "No finished document with this id belongs to this account.".into(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(
            Problem::new(ProblemCode::ValidationFailed, "The evidence has problems.")
                .with_errors(problems)
                .into(),
        );
    }
    let now = Utc::now();
    let mut ids = Vec::new();
    for (item, sha) in request.items.iter().zip(hashes) {
        let id = new_id("evi");
        tx.execute(
            &format!("INSERT INTO evidence ({ITEM_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            params![id, case_id, caller.account_id, item.document_id, sha, item.name.trim(), item.source.trim(), item.purpose.trim(), item.page_range, item.deposit_proof.as_ref().map(to_json), now],
        )?;
        add_docket(
            &tx,
            &case_id,
            &format!("Evidence submitted: {}", item.name.trim()),
            Some(&item.document_id),
        )?;
        ids.push(id);
    }
    let items = ids
        .iter()
        .map(|id| {
            tx.query_row(
                &format!("SELECT {ITEM_COLUMNS} FROM evidence WHERE id = ?1"),
                [id],
                item_from_row,
            )
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.commit()?;
    Ok((StatusCode::CREATED, axum::Json(List { items })))
}

/// Whether the other side's evidence is visible: once an exchange window has opened.
fn exchange_opened(db: &Connection, case_id: &str) -> ApiResult<bool> {
    Ok(db.query_row(
        "SELECT EXISTS (SELECT 1 FROM exchanges WHERE case_id = ?1 AND opens_at <= ?2)",
        params![case_id, Utc::now()],
        |r| r.get(0),
    )?)
}

/// The case's evidence: this account's own, and the other parties' once an exchange has opened.
#[utoipa::path(get, path = "/cases/{caseId}/evidence", tag = "evidence", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<EvidenceItem>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn list_evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<EvidenceItem>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let everyone = exchange_opened(&db, &case_id)?;
    let items = db
        .prepare(&format!("SELECT {ITEM_COLUMNS} FROM evidence WHERE case_id = ?1 AND (?3 OR submitted_by = ?2) ORDER BY submitted_at, id"))?
        .query_map(params![case_id, caller.account_id, everyone], item_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

fn load_windows(db: &Connection, case_id: &str) -> ApiResult<Vec<ExchangeWindow>> {
    Ok(db
        .prepare("SELECT id, case_id, mode, opens_at, closes_at FROM exchanges WHERE case_id = ?1 ORDER BY opens_at")?
        .query_map([case_id], |r| Ok(ExchangeWindow { id: r.get(0)?, case_id: r.get(1)?, mode: from_text(&r.get::<_, String>(2)?)?, opens_at: r.get(3)?, closes_at: r.get(4)? }))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The case's evidence exchange windows.
#[utoipa::path(get, path = "/cases/{caseId}/exchanges", tag = "evidence", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<ExchangeWindow>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn exchanges(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<ExchangeWindow>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    Ok(axum::Json(List {
        items: load_windows(&db, &case_id)?,
    }))
}

fn check_aspect(aspect: &AspectOpinion, field: &str, problems: &mut Vec<FieldProblem>) {
    if aspect.stance == Stance::Dispute
        && aspect.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        problems.push(FieldProblem {
            pointer: format!("/{field}/reason"),
            message: format!("Say why the {field} is disputed."),
        });
    }
}

/// Give a cross-examination opinion on another party's item, within an open window. Needs
/// online consent for evidence exchange and a recent re-verification.
#[utoipa::path(put, path = "/evidence/{evidenceId}/opinion", tag = "evidence", security(("party" = [])),
    params(("evidenceId" = String, Path, description = "Evidence item id")),
    request_body = OpinionRequest,
    responses((status = 200, body = Opinion),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn give_opinion(
    State(state): State<AppState>,
    caller: Caller,
    Path(evidence_id): Path<String>,
    JsonBody(request): JsonBody<OpinionRequest>,
) -> ApiResult<axum::Json<Opinion>> {
    let mut problems = Vec::new();
    check_aspect(&request.authenticity, "authenticity", &mut problems);
    check_aspect(&request.legality, "legality", &mut problems);
    check_aspect(&request.relevance, "relevance", &mut problems);
    if !problems.is_empty() {
        return Err(
            Problem::new(ProblemCode::ValidationFailed, "The opinion is incomplete.")
                .with_errors(problems)
                .into(),
        );
    }
    let mut db = state.store.db();
    let tx = db.transaction()?;
    let item: Option<(String, String)> = tx
        .query_row(
            "SELECT case_id, submitted_by FROM evidence WHERE id = ?1",
            [&evidence_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (case_id, submitted_by) = item.ok_or_else(|| {
        SimError::problem(
            ProblemCode::NotFound,
            format!("There is no evidence item {evidence_id}."),
        )
    })?;
    require_party(&tx, &case_id, &caller.account_id)?;
    if submitted_by == caller.account_id {
        return Err(SimError::problem(
            ProblemCode::InvalidState,
            "Opinions are given on the other side's evidence, not your own.",
        ));
    }
    require_online(
        &tx,
        &case_id,
        &caller.account_id,
        LitigationLink::EvidenceExchange,
    )?;
    require_recent_assurance(
        &tx,
        &caller.account_id,
        state.config.policy.reverification_max_age_seconds,
    )?;
    let now = Utc::now();
    let window = load_windows(&tx, &case_id)?
        .into_iter()
        .find(|w| w.opens_at <= now && now <= w.closes_at);
    let Some(window) = window else {
        return Err(SimError::problem(
            ProblemCode::DeadlinePassed,
            "No evidence exchange window is open in this case now.",
        ));
    };
    let id = tx
        .query_row(
            "SELECT id FROM opinions WHERE evidence_id = ?1 AND account_id = ?2",
            params![evidence_id, caller.account_id],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .unwrap_or_else(|| new_id("opn"));
    tx.execute(
        "INSERT OR REPLACE INTO opinions (id, evidence_id, account_id, window_id, authenticity, legality, relevance, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, evidence_id, caller.account_id, window.id, to_json(&request.authenticity), to_json(&request.legality), to_json(&request.relevance), now],
    )?;
    add_docket(&tx, &case_id, "A cross-examination opinion was given", None)?;
    tx.commit()?;
    Ok(axum::Json(Opinion {
        id,
        evidence_id,
        account_id: caller.account_id,
        window_id: window.id,
        authenticity: request.authenticity,
        legality: request.legality,
        relevance: request.relevance,
        submitted_at: now,
    }))
}

/// Opinions given on an item (by any party to its case).
#[utoipa::path(get, path = "/evidence/{evidenceId}/opinions", tag = "evidence", security(("party" = [])),
    params(("evidenceId" = String, Path, description = "Evidence item id")),
    responses((status = 200, body = List<Opinion>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn opinions(
    State(state): State<AppState>,
    caller: Caller,
    Path(evidence_id): Path<String>,
) -> ApiResult<axum::Json<List<Opinion>>> {
    let db = state.store.db();
    let case_id: Option<String> = db
        .query_row(
            "SELECT case_id FROM evidence WHERE id = ?1",
            [&evidence_id],
            |r| r.get(0),
        )
        .optional()?;
    let case_id = case_id.ok_or_else(|| {
        SimError::problem(
            ProblemCode::NotFound,
            format!("There is no evidence item {evidence_id}."),
        )
    })?;
    require_party(&db, &case_id, &caller.account_id)?;
    let items = db
        .prepare("SELECT id, evidence_id, account_id, window_id, authenticity, legality, relevance, submitted_at FROM opinions WHERE evidence_id = ?1 ORDER BY submitted_at")?
        .query_map([&evidence_id], |r| {
            Ok(Opinion {
                id: r.get(0)?,
                evidence_id: r.get(1)?,
                account_id: r.get(2)?,
                window_id: r.get(3)?,
                authenticity: from_json(&r.get::<_, String>(4)?)?,
                legality: from_json(&r.get::<_, String>(5)?)?,
                relevance: from_json(&r.get::<_, String>(6)?)?,
                submitted_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dispute_needs_a_reason() {
        let mut problems = Vec::new();
        check_aspect(
            &AspectOpinion {
                stance: Stance::Dispute,
                reason: Some("  ".into()),
            },
            "legality",
            &mut problems,
        );
        check_aspect(
            &AspectOpinion {
                stance: Stance::Admit,
                reason: None,
            },
            "relevance",
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pointer, "/legality/reason");
    }
}
