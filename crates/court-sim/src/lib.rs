//! court-sim: a real court platform server implementing the Litigant platform API
//! (`litigant-court-api`), for tests, the desktop app's demo court and integrators.
//!
//! axum on tokio, all state in `SQLite` (bundled) and files under one data folder, so it survives
//! a restart or a kill -9 with nothing acknowledged lost. Clerk endpoints drive scenarios and a
//! fault plan injects latency, 5xx, 429 and cut connections. The `OpenAPI` document is generated
//! from the same router that serves requests, so the two cannot drift apart.

mod auth;
mod cases;
mod clerk;
pub mod config;
mod deposit;
mod documents;
mod error;
mod events;
mod evidence;
mod faults;
mod filings;
mod hearings;
mod http;
mod identity;
mod identity_checks;
mod numbers;
mod seed;
mod service;
mod signatures;
mod state;
mod store;
mod tus;
mod upkeep;
mod uploads;

use std::net::SocketAddr;

use axum::extract::State;
use litigant_court_api::policy::Policy;
use litigant_court_api::{API_PREFIX, Problem, ProblemCode};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use config::SimConfig;
pub use error::SimError;

use state::AppState;

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(policy))
        .merge(identity::router())
        .merge(identity_checks::router())
        .merge(uploads::router())
        .merge(documents::router())
        .merge(deposit::router())
        .merge(cases::router())
        .merge(filings::router())
        .merge(evidence::router())
        .merge(hearings::router())
        .merge(service::router())
        .merge(signatures::router())
        .merge(events::router())
        .merge(clerk::router())
}

/// What the court accepts online.
#[utoipa::path(get, path = "/policy", tag = "policy", responses((status = 200, body = Policy)))]
async fn policy(State(state): State<AppState>) -> axum::Json<Policy> {
    axum::Json(state.config.policy.clone())
}

/// The `OpenAPI` 3.1 document of the platform API, generated from the router that serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = OpenApiRouter::<AppState>::new()
        .nest(API_PREFIX, api())
        .into_openapi();
    "Litigant court platform API".clone_into(&mut document.info.title);
    "1.0.0".clone_into(&mut document.info.version);
    document.info.description = Some(
        "The platform API Litigant speaks: court policy, real-name identity, consent per litigation \
         link, filings and their review, documents by tus 1.0 resumable upload, cases and the \
         electronic file, evidence exchange with deposit proofs from the court's Merkle log, \
         asynchronous hearings, electronic service, signatures and an event feed. Every error is an RFC 9457 problem document with a `code`. Paths \
         under /clerk and /sim are the simulator's own, for driving scenarios."
            .to_owned(),
    );
    document.info.license = Some(utoipa::openapi::License::new("Apache-2.0"));
    let components = document.components.get_or_insert_with(Default::default);
    for (name, description) in [
        ("party", "A party's access token"),
        ("clerk", "The clerk's token (simulator)"),
    ] {
        components.add_security_scheme(
            name,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(description))
                    .build(),
            ),
        );
    }
    document
}

/// A simulator bound to its address, ready to serve.
#[derive(Debug)]
pub struct CourtSim {
    listener: tokio::net::TcpListener,
    state: AppState,
}

impl CourtSim {
    /// Opens the data folder (creating and seeding it if new) and binds `address`.
    pub async fn bind(config: SimConfig, address: SocketAddr) -> Result<Self, SimError> {
        let store = store::Store::open(&config.data)?;
        let clerk_token = clerk::clerk_token(&config)?;
        let deposit = deposit::DepositLog::open(&config.data, &config.policy.court_name)?;
        if config.seed_demo {
            seed::seed_demo(&store)?;
        }
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| SimError::Listen {
                address: address.to_string(),
                source,
            })?;
        Ok(Self {
            listener,
            state: AppState::new(store, config, &clerk_token, deposit),
        })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, SimError> {
        self.listener
            .local_addr()
            .map_err(|source| SimError::Listen {
                address: "bound socket".into(),
                source,
            })
    }

    /// Serves until the future is dropped.
    pub async fn serve(self) {
        self.serve_until(std::future::pending()).await;
    }

    /// Serves until `shutdown` completes, then ends every connection and the upkeep task and
    /// returns once they are gone, so the database is closed when this returns. An embedder
    /// (the desktop app's demo court) relies on that before it moves the data folder.
    pub async fn serve_until(self, shutdown: impl Future<Output = ()>) {
        let (api_router, _) = OpenApiRouter::new()
            .nest(API_PREFIX, api())
            .split_for_parts();
        let state = self.state;
        let mut upkeep = tokio::task::JoinSet::new();
        upkeep.spawn(upkeep::every_minute(state.clone()));
        let router = api_router
            .fallback(not_found)
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                faults::inject,
            ))
            .with_state(state);
        http::serve(self.listener, router, shutdown).await;
        upkeep.shutdown().await;
    }
}

async fn not_found(uri: axum::http::Uri) -> SimError {
    Problem::new(
        ProblemCode::NotFound,
        format!("There is no {uri} in this API; see docs/platform-api.yaml."),
    )
    .into()
}
