//! Real-name identity (Art. 7): SMS codes, registration, face verification, sessions,
//! re-verification and signing keys.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use chrono::{DateTime, Utc};
use litigant_court_api::identity::{
    Account, FaceVerification, LoginRequest, OutboxSms, RefreshRequest, Registration,
    Reverification, ReverificationRequest, Session, SigningKeyRegistration, SmsCodeRequest,
    SmsCodeSent, SmsPurpose, VerificationStatus,
};
use litigant_court_api::{FieldProblem, List, Problem, ProblemCode};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Clerk, issue_session, token_hash};
use crate::error::{ApiResult, SimError};
use crate::http::JsonBody;
use crate::numbers::{check_id_number, check_mobile, mask_middle};
use crate::state::AppState;
use crate::store::{from_text, new_id, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_sms_code))
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(upload_face))
        .routes(routes!(reverify))
        .routes(routes!(register_signing_key))
        .routes(routes!(sms_outbox))
}

pub fn load_account(db: &Connection, id: &str) -> Result<Account, SimError> {
    db.query_row(
        "SELECT id, name, id_type, id_number, mobile, verification, verified_at, assurance_at, \
         signing_key, created_at FROM accounts WHERE id = ?1",
        [id],
        |r| {
            let id_number: String = r.get(3)?;
            let mobile: String = r.get(4)?;
            Ok(Account {
                id: r.get(0)?,
                name: r.get(1)?,
                id_type: from_text(&r.get::<_, String>(2)?)?,
                id_number_masked: mask_middle(&id_number),
                mobile_masked: mask_middle(&mobile),
                verification: from_text(&r.get::<_, String>(5)?)?,
                verified_at: r.get(6)?,
                assurance_at: r.get(7)?,
                signing_public_key: r.get(8)?,
                created_at: r.get(9)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| SimError::problem(ProblemCode::NotFound, "No such account."))
}

/// Uses up an SMS code: right number, right purpose, not used, not expired.
fn consume_sms_code(
    db: &Connection,
    mobile: &str,
    purpose: SmsPurpose,
    code: &str,
) -> ApiResult<()> {
    let found: Option<(i64, DateTime<Utc>)> = db
        .query_row(
            "SELECT rowid, expires_at FROM sms_codes WHERE mobile = ?1 AND purpose = ?2 \
             AND code = ?3 AND used = 0 ORDER BY rowid DESC LIMIT 1",
            params![mobile, to_text(&purpose), code.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((rowid, expires_at)) = found else {
        return Err(SimError::problem(
            ProblemCode::SmsCodeInvalid,
            "The code is not the one sent to this number for this purpose, or it was used already.",
        ));
    };
    if expires_at <= Utc::now() {
        return Err(SimError::problem(
            ProblemCode::SmsCodeExpired,
            "The code has expired; ask for a new one.",
        ));
    }
    db.execute("UPDATE sms_codes SET used = 1 WHERE rowid = ?1", [rowid])?;
    Ok(())
}

fn mobile_or_problem(mobile: &str, pointer: &str) -> ApiResult<String> {
    check_mobile(mobile).map_err(|message| {
        Problem::new(
            ProblemCode::ValidationFailed,
            "The mobile number is not a mainland mobile number.",
        )
        .with_errors(vec![FieldProblem {
            pointer: pointer.to_owned(),
            message,
        }])
        .into()
    })
}

/// Send an SMS code. The simulator puts it in its outbox (`GET /sim/sms-outbox`) instead.
#[utoipa::path(post, path = "/identity/sms-codes", tag = "identity",
    request_body = SmsCodeRequest,
    responses((status = 202, body = SmsCodeSent),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn send_sms_code(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<SmsCodeRequest>,
) -> ApiResult<(StatusCode, axum::Json<SmsCodeSent>)> {
    let mobile = mobile_or_problem(&request.mobile, "/mobile")?;
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let now = Utc::now();
    let expires_at = now + state.config.sms_code_ttl;
    state.store.db().execute(
        "INSERT INTO sms_codes (mobile, purpose, code, sent_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![mobile, to_text(&request.purpose), code, now, expires_at],
    )?;
    tracing::info!(mobile = %mask_middle(&mobile), purpose = ?request.purpose, "SMS code put in the outbox");
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(SmsCodeSent {
            mobile_masked: mask_middle(&mobile),
            expires_at,
        }),
    ))
}

/// Register under a real name. The identity number is checked against its standard.
#[utoipa::path(post, path = "/identity/registrations", tag = "identity",
    request_body = Registration,
    responses((status = 201, body = Session),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn register(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<Registration>,
) -> ApiResult<(StatusCode, axum::Json<Session>)> {
    let name = request.name.trim();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldProblem {
            pointer: "/name".into(),
            message: "Give the name as on the identity document (1-100 characters).".into(),
        });
    }
    let mobile = match check_mobile(&request.mobile) {
        Ok(mobile) => Some(mobile),
        Err(message) => {
            errors.push(FieldProblem {
                pointer: "/mobile".into(),
                message,
            });
            None
        }
    };
    let (Some(mobile), true) = (mobile, errors.is_empty()) else {
        return Err(
            Problem::new(ProblemCode::ValidationFailed, "Some fields are not valid.")
                .with_errors(errors)
                .into(),
        );
    };
    let id_number = check_id_number(request.id_type, &request.id_number, "/idNumber")?;
    let account_id = new_id("acc");
    {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        consume_sms_code(&tx, &mobile, SmsPurpose::Register, &request.sms_code)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE id_number = ?1 OR mobile = ?2)",
            params![id_number, mobile],
            |r| r.get(0),
        )?;
        if taken {
            return Err(SimError::problem(
                ProblemCode::AccountExists,
                "An account with this identity number or mobile number exists; log in instead.",
            ));
        }
        tx.execute(
            "INSERT INTO accounts (id, name, id_type, id_number, mobile, verification, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                account_id,
                name,
                to_text(&request.id_type),
                id_number,
                mobile,
                to_text(&VerificationStatus::PendingFace),
                Utc::now()
            ],
        )?;
        tx.commit()?;
    }
    tracing::info!(account = %account_id, id_type = ?request.id_type, "registered");
    Ok((
        StatusCode::CREATED,
        axum::Json(issue_session(&state, &account_id)?),
    ))
}

/// Log in with the mobile number and an SMS code.
#[utoipa::path(post, path = "/auth/login", tag = "identity",
    request_body = LoginRequest,
    responses((status = 200, body = Session),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn login(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> ApiResult<axum::Json<Session>> {
    let mobile = mobile_or_problem(&request.mobile, "/mobile")?;
    let account_id = {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        consume_sms_code(&tx, &mobile, SmsPurpose::Login, &request.sms_code)?;
        let id: Option<String> = tx
            .query_row(
                "SELECT id FROM accounts WHERE mobile = ?1",
                [&mobile],
                |r| r.get(0),
            )
            .optional()?;
        tx.commit()?;
        id.ok_or_else(|| {
            SimError::problem(
                ProblemCode::NotFound,
                "No account uses this mobile number; register first.",
            )
        })?
    };
    Ok(axum::Json(issue_session(&state, &account_id)?))
}

/// Swap a refresh token for a new session; the old refresh token stops working.
#[utoipa::path(post, path = "/auth/refresh", tag = "identity",
    request_body = RefreshRequest,
    responses((status = 200, body = Session),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn refresh(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<RefreshRequest>,
) -> ApiResult<axum::Json<Session>> {
    let hash = token_hash(&request.refresh_token);
    let account_id = {
        let db = state.store.db();
        let row: Option<(String, DateTime<Utc>, bool)> = db
            .query_row(
                "SELECT account_id, expires_at, revoked FROM tokens WHERE hash = ?1 AND kind = 'refresh'",
                [&hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (account_id, expires_at, revoked) = row.ok_or_else(|| {
            SimError::problem(
                ProblemCode::TokenInvalid,
                "This refresh token is unknown; log in again.",
            )
        })?;
        if revoked || expires_at <= Utc::now() {
            return Err(SimError::problem(
                ProblemCode::TokenInvalid,
                "This refresh token was used, revoked or has expired; log in again.",
            ));
        }
        db.execute("UPDATE tokens SET revoked = 1 WHERE hash = ?1", [&hash])?;
        account_id
    };
    Ok(axum::Json(issue_session(&state, &account_id)?))
}

/// End every session of the account.
#[utoipa::path(post, path = "/auth/logout", tag = "identity", security(("party" = [])),
    responses((status = 204),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.store.db().execute(
        "UPDATE tokens SET revoked = 1 WHERE account_id = ?1",
        [&caller.account_id],
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in account.
#[utoipa::path(get, path = "/me", tag = "identity", security(("party" = [])),
    responses((status = 200, body = Account),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Account>> {
    Ok(axum::Json(load_account(
        &state.store.db(),
        &caller.account_id,
    )?))
}

/// Upload a face photo (JPEG or PNG, at least 200×200, at most 10 MiB) for verification.
///
/// The simulator cannot compare faces: it verifies any decodable photo of a usable size, and
/// says so in `note`. A real platform compares it with the identity record.
#[utoipa::path(put, path = "/me/face", tag = "identity", security(("party" = [])),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 200, body = FaceVerification),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn upload_face(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<axum::Json<FaceVerification>> {
    const MAX_FACE_BYTES: usize = 10 * 1024 * 1024;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if body.len() > MAX_FACE_BYTES {
        return Err(Problem::new(
            ProblemCode::FaceImageInvalid,
            "The photo is larger than 10 MiB.",
        )
        .with_limit(MAX_FACE_BYTES as u64)
        .into());
    }
    let (width, height) = crate::numbers::image_size(&body).ok_or_else(|| {
        SimError::problem(
            ProblemCode::FaceImageInvalid,
            format!("The photo ({content_type}) is not a readable JPEG or PNG image."),
        )
    })?;
    if width < 200 || height < 200 {
        return Err(SimError::problem(
            ProblemCode::FaceImageInvalid,
            format!(
                "The photo is {width}×{height} pixels; it needs at least 200×200 so the face can be seen."
            ),
        ));
    }
    let now = Utc::now();
    {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE accounts SET verification = ?1, verified_at = ?2, assurance_at = ?2 WHERE id = ?3",
            params![
                to_text(&VerificationStatus::Verified),
                now,
                caller.account_id
            ],
        )?;
        crate::identity_checks::settle(&tx, &caller.account_id, now)?;
        tx.commit()?;
    }
    Ok(axum::Json(FaceVerification {
        verification: VerificationStatus::Verified,
        verified_at: Some(now),
        note: format!(
            "Demo court: a {width}×{height} photo was received; no face comparison was made."
        ),
    }))
}

/// Re-verify identity (Art. 7(3)) with an SMS code; stamps the account's assurance time.
#[utoipa::path(post, path = "/me/reverification", tag = "identity", security(("party" = [])),
    request_body = ReverificationRequest,
    responses((status = 200, body = Reverification),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn reverify(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<ReverificationRequest>,
) -> ApiResult<axum::Json<Reverification>> {
    let now = Utc::now();
    {
        let mut db = state.store.db();
        let tx = db.transaction()?;
        let (mobile, verification): (String, String) = tx.query_row(
            "SELECT mobile, verification FROM accounts WHERE id = ?1",
            [&caller.account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if from_text::<VerificationStatus>(&verification)? != VerificationStatus::Verified {
            return Err(SimError::problem(
                ProblemCode::InvalidState,
                "Finish real-name verification (the face photo) first.",
            ));
        }
        consume_sms_code(&tx, &mobile, SmsPurpose::Reverify, &request.sms_code)?;
        tx.execute(
            "UPDATE accounts SET assurance_at = ?1 WHERE id = ?2",
            params![now, caller.account_id],
        )?;
        crate::identity_checks::settle(&tx, &caller.account_id, now)?;
        tx.commit()?;
    }
    let max_age =
        i64::try_from(state.config.policy.reverification_max_age_seconds).unwrap_or(i64::MAX);
    Ok(axum::Json(Reverification {
        assurance_at: now,
        valid_until: now + chrono::Duration::seconds(max_age),
    }))
}

/// Register the account's Ed25519 public key for electronic signatures (replaces an old one).
#[utoipa::path(put, path = "/me/signing-key", tag = "identity", security(("party" = [])),
    request_body = SigningKeyRegistration,
    responses((status = 200, body = Account),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn register_signing_key(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<SigningKeyRegistration>,
) -> ApiResult<axum::Json<Account>> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(request.public_key.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
        .ok_or_else(|| {
            Problem::new(
                ProblemCode::ValidationFailed,
                "The public key is not an Ed25519 key.",
            )
            .with_errors(vec![FieldProblem {
                pointer: "/publicKey".into(),
                message: "Give the 32-byte Ed25519 public key in standard base64.".into(),
            }])
        })?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(key.as_bytes());
    let db = state.store.db();
    db.execute(
        "UPDATE accounts SET signing_key = ?1 WHERE id = ?2",
        params![encoded, caller.account_id],
    )?;
    Ok(axum::Json(load_account(&db, &caller.account_id)?))
}

/// Simulator only: the SMS codes it would have sent, newest first (clerk token).
#[utoipa::path(get, path = "/sim/sms-outbox", tag = "simulator", security(("clerk" = [])),
    responses((status = 200, body = List<OutboxSms>),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn sms_outbox(
    State(state): State<AppState>,
    _clerk: Clerk,
) -> ApiResult<axum::Json<List<OutboxSms>>> {
    let db = state.store.db();
    let mut statement = db.prepare(
        "SELECT mobile, purpose, code, sent_at FROM sms_codes ORDER BY rowid DESC LIMIT 200",
    )?;
    let items = statement
        .query_map([], |r| {
            Ok(OutboxSms {
                mobile: r.get(0)?,
                purpose: from_text(&r.get::<_, String>(1)?)?,
                code: r.get(2)?,
                sent_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(axum::Json(List { items }))
}
