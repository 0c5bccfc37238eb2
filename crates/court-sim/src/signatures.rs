//! Electronic signatures (Art. 33), verified against the account's registered Ed25519 key.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use chrono::Utc;
use ed25519_dalek::{Signature as Ed25519Signature, Verifier, VerifyingKey};
use litigant_court_api::List;
use litigant_court_api::signatures::{
    PartySigningKey, Signature, SignatureRequest, signed_message,
};
use litigant_court_api::{Problem, ProblemCode};
use rusqlite::params;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::auth::Uploader;
use crate::cases::require_party;
use crate::documents::readable_document;
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::store::{from_text, new_id, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign))
        .routes(routes!(document_signatures))
        .routes(routes!(case_signing_keys))
}

/// How far the signer's clock may be from the platform's.
const CLOCK_SKEW_SECONDS: i64 = 300;

/// Sign a document the account can read (a transcript, mediation agreement or service
/// receipt). The platform rebuilds the signed message and verifies it with the registered key.
#[utoipa::path(post, path = "/signatures", tag = "signatures", security(("party" = [])),
    request_body = SignatureRequest,
    responses((status = 201, body = Signature),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn sign(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<SignatureRequest>,
) -> ApiResult<(StatusCode, axum::Json<Signature>)> {
    let db = state.store.db();
    let document = readable_document(
        &db,
        &request.document_id,
        &Uploader::Party(caller.account_id.clone()),
    )?;
    let key: Option<String> = db.query_row(
        "SELECT signing_key FROM accounts WHERE id = ?1",
        [&caller.account_id],
        |r| r.get(0),
    )?;
    let key = key
        .and_then(|k| base64::engine::general_purpose::STANDARD.decode(k).ok())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::SigningKeyMissing,
                "Register a signing key first (PUT /me/signing-key).",
            )
        })?;
    let now = Utc::now();
    if (now - request.signed_at).num_seconds().abs() > CLOCK_SKEW_SECONDS {
        return Err(SimError::problem(
            ProblemCode::SignatureInvalid,
            "The signing time is more than five minutes from the platform's clock; check the computer's clock and sign again.",
        ));
    }
    let signature = base64::engine::general_purpose::STANDARD
        .decode(request.signature.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Ed25519Signature::from_bytes(&b))
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::SignatureInvalid,
                "The signature must be 64 bytes in standard base64.",
            )
        })?;
    let message = signed_message(
        &document.sha256,
        request.purpose,
        &caller.account_id,
        request.signed_at,
    );
    key.verify(message.as_bytes(), &signature).map_err(|_| {
        SimError::problem(ProblemCode::SignatureInvalid, "The signature does not verify with this account's key over this document, purpose and time.")
    })?;
    let record = Signature {
        id: new_id("sig"),
        document_id: document.id,
        document_sha256: document.sha256,
        account_id: caller.account_id,
        purpose: request.purpose,
        signed_at: request.signed_at,
        signature: request.signature.trim().to_owned(),
        verified_at: now,
    };
    db.execute(
        "INSERT INTO signatures (id, document_id, document_sha256, account_id, purpose, signed_at, signature, verified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![record.id, record.document_id, record.document_sha256, record.account_id, to_text(&record.purpose), record.signed_at, record.signature, record.verified_at],
    )?;
    Ok((StatusCode::CREATED, axum::Json(record)))
}

/// The signatures made on a document this account can read, for a party to check offline with
/// the signers' keys (`GET /cases/{caseId}/signing-keys`).
#[utoipa::path(get, path = "/documents/{documentId}/signatures", tag = "signatures", security(("party" = [])),
    params(("documentId" = String, Path, description = "Document id")),
    responses((status = 200, body = List<Signature>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn document_signatures(
    State(state): State<AppState>,
    caller: Caller,
    Path(document_id): Path<String>,
) -> ApiResult<axum::Json<List<Signature>>> {
    let db = state.store.db();
    readable_document(&db, &document_id, &Uploader::Party(caller.account_id))?;
    let items = db
        .prepare("SELECT id, document_id, document_sha256, account_id, purpose, signed_at, signature, verified_at FROM signatures WHERE document_id = ?1 ORDER BY signed_at, id")?
        .query_map([&document_id], |r| {
            Ok(Signature {
                id: r.get(0)?,
                document_id: r.get(1)?,
                document_sha256: r.get(2)?,
                account_id: r.get(3)?,
                purpose: from_text(&r.get::<_, String>(4)?)?,
                signed_at: r.get(5)?,
                signature: r.get(6)?,
                verified_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}

/// The registered signing keys of the case's parties, for checking their signatures.
#[utoipa::path(get, path = "/cases/{caseId}/signing-keys", tag = "signatures", security(("party" = [])),
    params(("caseId" = String, Path, description = "Case id")),
    responses((status = 200, body = List<PartySigningKey>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn case_signing_keys(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<String>,
) -> ApiResult<axum::Json<List<PartySigningKey>>> {
    let db = state.store.db();
    require_party(&db, &case_id, &caller.account_id)?;
    let items = db
        .prepare("SELECT a.id, p.name, a.signing_key FROM case_parties p JOIN accounts a ON a.id = p.account_id WHERE p.case_id = ?1 AND a.signing_key IS NOT NULL ORDER BY a.id")?
        .query_map([&case_id], |r| {
            Ok(PartySigningKey {
                account_id: r.get(0)?,
                name: r.get(1)?,
                public_key: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}
