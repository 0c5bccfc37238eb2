//! The simulator's one error enum, and how any error leaves as a problem document.

use std::path::PathBuf;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use litigant_court_api::{PROBLEM_JSON, Problem, ProblemCode};

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot use the data folder {path}: {source}")]
    DataFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database {path} cannot be opened or migrated: {source}")]
    DatabaseOpen {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("stored data is damaged: {0}")]
    Damaged(String),
    /// A problem to send back to the client as it is.
    #[error("{0}")]
    Problem(Box<Problem>),
}

impl SimError {
    pub fn problem(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self::Problem(Box::new(Problem::new(code, detail)))
    }
}

impl From<Problem> for SimError {
    fn from(problem: Problem) -> Self {
        Self::Problem(Box::new(problem))
    }
}

pub type ApiResult<T> = Result<T, SimError>;

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let problem = match self {
            Self::Problem(problem) => *problem,
            other => {
                // Internal failures are logged here, once, with their cause; the client gets a
                // generic problem that says the request may be retried.
                tracing::error!(error = %other, "request failed inside the simulator");
                Problem::new(
                    ProblemCode::Internal,
                    "The platform failed; try again later.",
                )
            }
        };
        problem_response(&problem)
    }
}

pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    if let Some(seconds) = problem.retry_after_seconds {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    // tus clients need to see the protocol version on every answer, errors included.
    headers.insert(
        "Tus-Resumable",
        HeaderValue::from_static(litigant_court_api::documents::TUS_VERSION),
    );
    response
}
