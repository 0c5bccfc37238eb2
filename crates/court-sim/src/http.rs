//! The HTTP side: reading JSON bodies into problems a person understands, and serving
//! connections so that an injected fault can really cut one.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use litigant_court_api::{Problem, ProblemCode};
use serde::de::DeserializeOwned;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// A JSON request body; anything unreadable becomes a `malformed_request` problem that says
/// where and why (serde's line, column and expectation).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => {
                let problem = Problem::new(ProblemCode::MalformedRequest, rejection.body_text());
                Err(crate::error::problem_response(&problem))
            }
        }
    }
}

/// Set on every request: notifying it drops the request's TCP connection without an answer.
#[derive(Debug, Clone)]
pub struct ConnectionCut(pub Arc<Notify>);

/// Serves `router` on `listener` until `shutdown` completes (or the future is dropped). Each
/// connection is served by hyper directly, beside a [`ConnectionCut`] that can end it
/// mid-request: that is how the fault plan's `cut_connection` makes a real broken connection
/// rather than an error status.
///
/// Connections are tasks of a `JoinSet` owned here, so on shutdown every one of them has ended,
/// and dropped its handle on the state, before this returns: an embedder that moves the data
/// folder next finds no open database behind it.
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            // Finished connections are reaped as they end, so the set does not grow.
            Some(_) = connections.join_next() => continue,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Running out of file descriptors is the usual cause; back off and go on.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        connections.spawn(async move {
            let cut = Arc::new(Notify::new());
            let handle = ConnectionCut(cut.clone());
            let service = tower::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(handle.clone());
                let router = router.clone();
                async move {
                    let response = router
                        .oneshot(request.map(axum::body::Body::new))
                        .await
                        .unwrap_or_else(|never: Infallible| match never {});
                    Ok::<_, Infallible>(response.into_response())
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::select! {
                result = connection => {
                    if let Err(error) = result {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                }
                () = cut.notified() => tracing::info!("connection cut by the fault plan"),
            }
        });
    }
    drop(listener);
    connections.shutdown().await;
}
