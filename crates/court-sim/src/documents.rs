//! Finished documents: who may read them, their description and their bytes.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use litigant_court_api::documents::Document;
use litigant_court_api::{Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Uploader;
use crate::error::{ApiResult, SimError};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(document))
        .routes(routes!(document_content))
}

/// Whether the caller may read a document: its owner, the clerk, a party to a case whose file,
/// evidence or service holds it.
pub fn readable_document(db: &Connection, id: &str, uploader: &Uploader) -> ApiResult<Document> {
    let document = db
        .query_row(
            "SELECT id, filename, content_type, size, sha256, created_at, owner FROM documents WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    Document { id: r.get(0)?, filename: r.get(1)?, content_type: r.get(2)?, size: r.get(3)?, sha256: r.get(4)?, created_at: r.get(5)? },
                    r.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?;
    let not_found = || {
        SimError::problem(
            ProblemCode::NotFound,
            "No document with this id is open to this account.",
        )
    };
    let (document, owner) = document.ok_or_else(not_found)?;
    let allowed = match uploader {
        Uploader::Clerk => true,
        Uploader::Party(account) if *account == owner => true,
        Uploader::Party(account) => db.query_row(
            "SELECT EXISTS (SELECT 1 FROM case_parties p WHERE p.account_id = ?2 AND p.case_id IN ( \
                 SELECT case_id FROM case_documents WHERE document_id = ?1 \
                 UNION SELECT case_id FROM evidence WHERE document_id = ?1)) \
             OR EXISTS (SELECT 1 FROM service WHERE document_id = ?1 AND account_id = ?2)",
            params![id, account],
            |r| r.get::<_, bool>(0),
        )?,
    };
    if allowed {
        Ok(document)
    } else {
        Err(not_found())
    }
}

/// A document's description and platform-computed hash.
#[utoipa::path(get, path = "/documents/{id}", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = Document),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn document(
    State(state): State<AppState>,
    uploader: Uploader,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Document>> {
    let db = state.store.db();
    if let Ok(document) = readable_document(&db, &id, &uploader) {
        return Ok(axum::Json(document));
    }
    let pending: Option<u64> = db
        .query_row(
            "SELECT offset FROM uploads WHERE id = ?1 AND owner = ?2",
            params![id, uploader.owner()],
            |r| r.get(0),
        )
        .optional()?;
    match pending {
        Some(offset) => Err(SimError::problem(
            ProblemCode::UploadIncomplete,
            format!("The upload stands at byte {offset}; finish it first."),
        )),
        None => Err(SimError::problem(
            ProblemCode::NotFound,
            "No document with this id is open to this account.",
        )),
    }
}

/// A document's bytes, with `Repr-Digest: sha-256=:…:` so the reader can check them.
#[utoipa::path(get, path = "/documents/{id}/content", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, description = "The bytes", content_type = "application/octet-stream"),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn document_content(
    State(state): State<AppState>,
    uploader: Uploader,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let document = readable_document(&state.store.db(), &id, &uploader)?;
    let path = state.store.document_path(&id);
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|source| SimError::File {
            path: path.clone(),
            source,
        })?;
    let mut response =
        Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 1 << 16))
            .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(document.size));
    if let Ok(value) = HeaderValue::from_str(&document.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let digest = (0..document.sha256.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&document.sha256[i..i + 2], 16).ok())
        .collect::<Vec<u8>>();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "sha-256=:{}:",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )) {
        headers.insert("Repr-Digest", value);
    }
    Ok(response)
}
