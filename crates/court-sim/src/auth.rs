//! Bearer tokens: a party's short-lived access token, its refresh token, and the clerk's token.
//!
//! Tokens are random and only their SHA-256 is stored, so the database alone cannot be used to
//! act as anyone.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use chrono::{DateTime, Utc};
use litigant_court_api::ProblemCode;
use litigant_court_api::identity::Session;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::SimError;
use crate::identity::load_account;
use crate::state::AppState;

/// A request made with a party's valid access token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
}

/// A request made with the clerk's token.
#[derive(Debug, Clone, Copy)]
pub struct Clerk;

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn bearer(parts: &Parts) -> Result<&str, SimError> {
    let value = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
        SimError::problem(
            ProblemCode::Unauthenticated,
            "Send the access token as `Authorization: Bearer <token>`.",
        )
    })?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            SimError::problem(
                ProblemCode::Unauthenticated,
                "The Authorization header must be `Bearer <token>`.",
            )
        })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SimError> {
        let token = bearer(parts)?;
        if state.is_clerk_token(token) {
            return Err(SimError::problem(
                ProblemCode::Forbidden,
                "The clerk's token cannot act as a party.",
            ));
        }
        let row: Option<(String, DateTime<Utc>, bool)> = state
            .store
            .db()
            .query_row(
                "SELECT account_id, expires_at, revoked FROM tokens WHERE hash = ?1 AND kind = 'access'",
                [token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            None | Some((_, _, true)) => Err(SimError::problem(
                ProblemCode::TokenInvalid,
                "This access token is unknown or was revoked; log in again.",
            )),
            Some((_, expires_at, false)) if expires_at <= Utc::now() => Err(SimError::problem(
                ProblemCode::TokenExpired,
                "The access token has expired; get a new one with the refresh token.",
            )),
            Some((account_id, _, false)) => Ok(Self { account_id }),
        }
    }
}

impl FromRequestParts<AppState> for Clerk {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SimError> {
        if state.is_clerk_token(bearer(parts)?) {
            Ok(Self)
        } else {
            Err(SimError::problem(
                ProblemCode::Forbidden,
                "This needs the clerk's token.",
            ))
        }
    }
}

/// Either a party or the clerk: uploads and documents are open to both.
#[derive(Debug, Clone)]
pub enum Uploader {
    Party(String),
    Clerk,
}

impl Uploader {
    /// The owner recorded on uploads and documents: the account id, or `court`.
    pub fn owner(&self) -> &str {
        match self {
            Self::Party(id) => id,
            Self::Clerk => "court",
        }
    }
}

impl FromRequestParts<AppState> for Uploader {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SimError> {
        if state.is_clerk_token(bearer(parts)?) {
            return Ok(Self::Clerk);
        }
        Ok(Self::Party(
            Caller::from_request_parts(parts, state).await?.account_id,
        ))
    }
}

/// Makes a new session for an account: a fresh access and refresh token pair.
pub fn issue_session(state: &AppState, account_id: &str) -> Result<Session, SimError> {
    let now = Utc::now();
    let access_token = new_token();
    let refresh_token = new_token();
    let access_expires_at = now + state.config.access_token_ttl;
    let refresh_expires_at = now + state.config.refresh_token_ttl;
    let db = state.store.db();
    db.execute(
        "INSERT INTO tokens (hash, kind, account_id, expires_at) VALUES (?1, 'access', ?2, ?3), (?4, 'refresh', ?2, ?5)",
        params![token_hash(&access_token), account_id, access_expires_at, token_hash(&refresh_token), refresh_expires_at],
    )?;
    let account = load_account(&db, account_id)?;
    Ok(Session {
        account,
        access_token,
        access_expires_at,
        refresh_token,
        refresh_expires_at,
    })
}
