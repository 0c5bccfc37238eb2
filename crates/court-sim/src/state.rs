//! What every request handler shares.

use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::auth::token_hash;
use crate::config::SimConfig;
use crate::deposit::DepositLog;
use crate::faults::FaultState;
use crate::store::Store;
use crate::uploads::Writers;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub config: Arc<SimConfig>,
    pub faults: Arc<Mutex<FaultState>>,
    /// Uploads a request is writing right now.
    pub uploads: Writers,
    /// Woken whenever an event is recorded, so long polls answer at once.
    pub events: Arc<Notify>,
    /// The deposit log's signing key.
    pub deposit: Arc<DepositLog>,
    clerk_token_hash: Arc<str>,
}

impl AppState {
    pub fn new(store: Store, config: SimConfig, clerk_token: &str, deposit: DepositLog) -> Self {
        Self {
            store: Arc::new(store),
            config: Arc::new(config),
            faults: Arc::default(),
            uploads: Writers::default(),
            events: Arc::new(Notify::new()),
            deposit: Arc::new(deposit),
            clerk_token_hash: token_hash(clerk_token).into(),
        }
    }

    pub fn is_clerk_token(&self, token: &str) -> bool {
        // Comparing hashes keeps the comparison's timing independent of the secret's bytes.
        token_hash(token) == *self.clerk_token_hash
    }
}
