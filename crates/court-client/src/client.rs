//! The HTTP core: one `execute` that every call goes through, so retries, token refresh and
//! problem documents are handled the same way everywhere.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use litigant_court_api::identity::Session;
use litigant_court_api::{API_PREFIX, Problem, ProblemCode};
use litigant_settings::PlatformUrl;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ClientError, Result};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::upload::Chunking;

/// The tokens of a logged-in account.
#[derive(Debug, Clone)]
pub struct SessionTokens {
    pub account_id: String,
    pub access: Secret,
    pub access_expires_at: DateTime<Utc>,
    pub refresh: Secret,
    pub refresh_expires_at: DateTime<Utc>,
}

impl From<&Session> for SessionTokens {
    fn from(session: &Session) -> Self {
        Self {
            account_id: session.account.id.clone(),
            access: Secret::new(session.access_token.clone()),
            access_expires_at: session.access_expires_at,
            refresh: Secret::new(session.refresh_token.clone()),
            refresh_expires_at: session.refresh_expires_at,
        }
    }
}

/// Told of every new session (login, registration, refresh), so whoever keeps credentials (the
/// keychain) can store the new refresh token: the old one no longer works.
pub type SessionListener = Arc<dyn Fn(&SessionTokens) + Send + Sync>;

/// Whether a call may be sent again after a failure whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Safe to repeat: reads, PUTs, tus requests, and POSTs carrying an `Idempotency-Key`.
    Safe,
    /// Must not be repeated blindly (it could act twice): sent once.
    Never,
}

/// One request to make.
#[derive(Debug)]
pub(crate) struct Call {
    pub method: Method,
    pub path: String,
    /// Shared bytes: a retry sends the same buffer again without copying a large chunk.
    pub body: Option<(bytes::Bytes, &'static str)>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub auth: bool,
    pub retry: Retry,
    /// `path` is a whole URL (a tus upload's Location), not a path under the API.
    pub absolute: bool,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            headers: Vec::new(),
            auth: true,
            retry: Retry::Safe,
            absolute: false,
        }
    }

    pub fn json<B: Serialize>(mut self, body: &B) -> Self {
        self.body = Some((
            serde_json::to_vec(body).unwrap_or_default().into(),
            "application/json",
        ));
        self
    }

    pub fn bytes(mut self, bytes: impl Into<bytes::Bytes>, content_type: &'static str) -> Self {
        self.body = Some((bytes.into(), content_type));
        self
    }

    pub fn header(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        if let Ok(value) = HeaderValue::from_str(value.as_ref()) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }

    /// A call to a whole URL. The access token goes with it only when the URL is on this
    /// client's platform.
    pub fn at_url(method: Method, url: impl Into<String>) -> Self {
        Self {
            absolute: true,
            ..Self::new(method, url)
        }
    }

    pub fn anonymous(mut self) -> Self {
        self.auth = false;
        self
    }

    pub fn once(mut self) -> Self {
        self.retry = Retry::Never;
        self
    }
}

/// A client of one court platform. Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    platform: PlatformUrl,
    api: String,
    session: Arc<Mutex<Option<SessionTokens>>>,
    retry: RetryPolicy,
    listener: Option<SessionListener>,
    chunking: Chunking,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("platform", &self.platform.as_str())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the platform at `platform`, which is HTTPS or loopback by construction.
    pub fn new(platform: PlatformUrl) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Long enough for a long poll (30 s) and a large chunk on a slow line; a stalled
            // connection is given up on and retried.
            .read_timeout(Duration::from_secs(90))
            .user_agent(concat!("Litigant/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::InvalidAddress {
                input: platform.as_str().to_owned(),
                reason: e.to_string(),
            })?;
        let api = format!("{}{API_PREFIX}", platform.as_str());
        Ok(Self {
            http,
            platform,
            api,
            session: Arc::default(),
            retry: RetryPolicy::default(),
            listener: None,
            chunking: Chunking::default(),
        })
    }

    /// Parses an address as a person types it, refusing plain HTTP to anything but loopback.
    pub fn connect(address: &str) -> Result<Self> {
        let platform = PlatformUrl::parse(address).map_err(|e| ClientError::InvalidAddress {
            input: address.to_owned(),
            reason: e.to_string(),
        })?;
        Self::new(platform)
    }

    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Chunk sizes for uploads (the default adapts between 256 KiB and 32 MiB).
    #[must_use]
    pub fn with_chunking(mut self, chunking: Chunking) -> Self {
        self.chunking = chunking;
        self
    }

    pub fn chunking(&self) -> Chunking {
        self.chunking
    }

    #[must_use]
    pub fn on_session(mut self, listener: SessionListener) -> Self {
        self.listener = Some(listener);
        self
    }

    pub fn platform(&self) -> &PlatformUrl {
        &self.platform
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The session in use, if any.
    pub fn session(&self) -> Option<SessionTokens> {
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Uses these tokens (for example, a refresh token kept in the keychain).
    pub fn set_session(&self, tokens: SessionTokens) {
        if let Some(listener) = &self.listener {
            listener(&tokens);
        }
        *self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(tokens);
    }

    /// Starts a session from a kept refresh token (the keychain's): asks the platform for a new
    /// access token, which also replaces the refresh token (the listener is told).
    pub async fn resume(&self, account_id: &str, refresh: Secret) -> Result<()> {
        let never = DateTime::<Utc>::UNIX_EPOCH;
        *self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(SessionTokens {
            account_id: account_id.to_owned(),
            access: Secret::new(""),
            access_expires_at: never,
            refresh,
            refresh_expires_at: never,
        });
        self.refresh().await
    }

    pub fn clear_session(&self) {
        *self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    fn access_token(&self) -> Result<Secret> {
        self.session()
            .map(|s| s.access)
            .ok_or(ClientError::NotLoggedIn)
    }

    /// Gets a new access token with the refresh token; the platform replaces the refresh token.
    pub async fn refresh(&self) -> Result<()> {
        let refresh = self.session().ok_or(ClientError::NotLoggedIn)?.refresh;
        let body = serde_json::json!({ "refreshToken": refresh.expose() });
        let session: Session = self
            .read(
                Call::new(Method::POST, "/auth/refresh")
                    .json(&body)
                    .anonymous()
                    .once(),
            )
            .await?;
        self.set_session(SessionTokens::from(&session));
        Ok(())
    }

    /// Sends a call: retries what may be retried (connection errors, 5xx, 429 with its
    /// `Retry-After`) with backoff, refreshes an expired access token once, and turns a refusal
    /// into its problem document.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Response> {
        let url = if call.absolute {
            call.path.clone()
        } else {
            self.url(&call.path)
        };
        // Credentials never go to another host, whatever a Location header says.
        let authorised = call.auth && url.starts_with(&format!("{}/", self.platform.as_str()));
        let mut attempt = 0;
        let mut refreshed = false;
        loop {
            let mut request = self.http.request(call.method.clone(), &url);
            for (name, value) in &call.headers {
                request = request.header(name, value);
            }
            if authorised {
                request = request.bearer_auth(self.access_token()?.expose());
            }
            if let Some((bytes, content_type)) = &call.body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, *content_type)
                    .body(bytes.clone());
            }
            let may_retry = call.retry == Retry::Safe && attempt + 1 < self.retry.attempts;
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) if may_retry => {
                    tracing::debug!(%url, attempt, error = %chain(&error), "retrying after a connection error");
                    tokio::time::sleep(self.retry.delay(attempt, None)).await;
                    attempt += 1;
                    continue;
                }
                Err(error) => {
                    return Err(ClientError::Unreachable {
                        url,
                        attempts: attempt + 1,
                        cause: chain(&error),
                    });
                }
            };
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let retry_after = retry_after(response.headers());
            let refusal = refusal(&url, response).await;
            let expired =
                matches!(&refusal, ClientError::Problem(p) if p.code == ProblemCode::TokenExpired);
            if expired && authorised && !refreshed {
                Box::pin(self.refresh()).await?;
                refreshed = true;
                continue;
            }
            let transient = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if transient && may_retry {
                tracing::debug!(%url, attempt, %status, "retrying after a transient refusal");
                tokio::time::sleep(self.retry.delay(attempt, retry_after)).await;
                attempt += 1;
                continue;
            }
            return Err(refusal);
        }
    }

    /// Sends a call and reads its JSON answer.
    pub(crate) async fn read<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let response = self.execute(&call).await?;
        let url = response.url().to_string();
        let status = response.status().as_u16();
        let bytes = body(response).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::UnexpectedAnswer {
            url,
            status,
            body_start: format!(
                "{e}: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            ),
        })
    }
}

/// The whole body of an answer; a connection that breaks while it comes is "unreachable".
pub(crate) async fn body(response: Response) -> Result<bytes::Bytes> {
    let url = response.url().to_string();
    response
        .bytes()
        .await
        .map_err(|e| ClientError::Unreachable {
            url,
            attempts: 1,
            cause: chain(&e),
        })
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
        .map(Duration::from_secs)
}

/// The problem document of a refusal, or what came instead.
async fn refusal(url: &str, response: Response) -> ClientError {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => ClientError::Problem(Box::new(problem)),
        // A HEAD answer has no body: its status is all there is to go on.
        Err(_) if text.is_empty() && matches!(status, 404 | 410) => {
            let (code, detail) = if status == 404 {
                (
                    ProblemCode::NotFound,
                    "The platform has no such upload for this account.",
                )
            } else {
                (
                    ProblemCode::UploadExpired,
                    "The upload expired on the platform; start it again.",
                )
            };
            ClientError::Problem(Box::new(Problem::new(code, detail).at(url)))
        }
        Err(_) => ClientError::UnexpectedAnswer {
            url: url.to_owned(),
            status,
            body_start: text.chars().take(200).collect(),
        },
    }
}

/// An error with its causes, for messages: reqwest's own text alone says little.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
