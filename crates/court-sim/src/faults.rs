//! Fault injection: latency, 5xx, 429 and cut connections, off until the clerk sets a plan.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use litigant_court_api::clerk::{Fault, FaultPlan};
use litigant_court_api::{Problem, ProblemCode};

use crate::error::problem_response;
use crate::http::ConnectionCut;
use crate::state::AppState;

/// The plan and how many requests each rule has seen and hit.
#[derive(Debug, Default)]
pub struct FaultState {
    pub plan: FaultPlan,
    seen: Vec<u32>,
    applied: Vec<u32>,
}

impl FaultState {
    pub fn set(&mut self, plan: FaultPlan) {
        self.seen = vec![0; plan.rules.len()];
        self.applied = vec![0; plan.rules.len()];
        self.plan = plan;
    }

    /// The fault to apply to this request, counting it against its rule.
    fn pick(&mut self, method: &str, path: &str) -> Option<Fault> {
        let index = self.plan.rules.iter().position(|rule| {
            path.starts_with(&rule.path_prefix)
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let rule = &self.plan.rules[index];
        if rule.times.is_some_and(|times| self.applied[index] >= times) {
            return None;
        }
        self.seen[index] += 1;
        if !self.seen[index].is_multiple_of(rule.every.max(1)) {
            return None;
        }
        self.applied[index] += 1;
        Some(rule.fault)
    }
}

/// Middleware applying the fault plan to every request but the clerk's own.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/v1/clerk/") {
        return next.run(request).await;
    }
    let (latency, fault) = {
        let mut faults = state
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let latency = faults.plan.latency_ms;
        (latency, faults.pick(request.method().as_str(), &path))
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    match fault {
        None => next.run(request).await,
        Some(Fault::ServerError { status }) => {
            tracing::info!(%path, status, "injected a server error");
            let mut problem = Problem::new(
                ProblemCode::InjectedFault,
                "The fault plan injected this error.",
            );
            problem.status = status;
            problem_response(&problem)
        }
        Some(Fault::TooManyRequests {
            retry_after_seconds,
        }) => {
            tracing::info!(%path, retry_after_seconds, "injected a 429");
            problem_response(
                &Problem::new(
                    ProblemCode::TooManyRequests,
                    "Slow down: the fault plan is limiting requests.",
                )
                .with_retry_after(retry_after_seconds),
            )
        }
        Some(Fault::CutConnection { after_bytes }) => {
            tracing::info!(%path, after_bytes, "cutting the connection");
            let cut = request.extensions().get::<ConnectionCut>().cloned();
            let (parts, body) = request.into_parts();
            let truncated = truncate(body, after_bytes);
            // The handler sees the body end in an error after `after_bytes`, as it would if the
            // client's connection broke, and keeps what it keeps. Its answer is never sent.
            let _ = next.run(Request::from_parts(parts, truncated)).await;
            if let Some(ConnectionCut(notify)) = cut {
                notify.notify_one();
            }
            // Wait for the connection task to drop this request with the connection.
            std::future::pending().await
        }
    }
}

/// The first `limit` bytes of `body`, then an error, as a broken connection would give.
fn truncate(body: Body, limit: u64) -> Body {
    let stream = futures_util::stream::unfold(
        (body.into_data_stream(), limit, false),
        |(mut data, left, done)| async move {
            if done {
                return None;
            }
            if left == 0 {
                let cut = std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection cut by the fault plan",
                );
                return Some((Err(cut), (data, 0, true)));
            }
            match data.next().await {
                Some(Ok(mut bytes)) => {
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(bytes.len());
                    bytes.truncate(take);
                    Some((Ok(bytes), (data, left - take as u64, false)))
                }
                Some(Err(error)) => Some((Err(std::io::Error::other(error)), (data, 0, true))),
                None => None,
            }
        },
    );
    Body::from_stream(stream)
}
