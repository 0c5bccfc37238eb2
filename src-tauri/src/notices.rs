//! Notifications from the platform's event feed: a background task per signed-in account
//! long-polls the feed through court-client's consumer (which keeps the cursor and the
//! deadlines in the outbox database, so nothing is shown twice across restarts) and emits each
//! event to the window as [`FEED_EVENT`]; the interface reads them out in a live region.
//!
//! What must hold: one task at a time; it ends when its account is no longer the one signed in
//! (a logout clears the client's session, so the next poll fails with "not logged in"); a
//! platform that cannot be reached is reported as [`FEED_STATUS`] and tried again with a
//! growing pause, never given up on while the account stays signed in.

use std::path::PathBuf;
use std::time::Duration;

use litigant_court_api::events::{Event, EventKind};
use litigant_court_client::{Client, ClientError, Outbox};
use serde::Serialize;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::Mutex;

use crate::error::CommandError;

/// The Tauri event carrying one [`FeedNotice`].
pub const FEED_EVENT: &str = "feed-event";
/// The Tauri event carrying a [`FeedStatus`] when the feed loses or regains the platform.
pub const FEED_STATUS: &str = "feed-status";

/// How long one poll waits on the platform for an event.
const POLL_SECONDS: u64 = 25;
/// The longest pause between tries while the platform cannot be reached.
const MAX_PAUSE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FeedNotice {
    pub account_id: String,
    /// `filing_reviewed`, `correction_requested`, `document_served`, `hearing_opened`,
    /// `exchange_opened` or `deadline_near`.
    pub kind: String,
    pub case_id: Option<String>,
    pub subject_id: String,
    pub summary: String,
    pub at: String,
    pub due_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FeedStatus {
    pub account_id: String,
    pub connected: bool,
    /// The error code when not connected.
    pub code: Option<String>,
}

impl FeedNotice {
    fn new(account_id: &str, event: Event) -> Self {
        Self {
            account_id: account_id.to_owned(),
            kind: kind_name(event.kind).to_owned(),
            case_id: event.case_id,
            subject_id: event.subject_id,
            summary: event.summary,
            at: event.at.to_rfc3339(),
            due_at: event.due_at.map(|d| d.to_rfc3339()),
        }
    }
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::FilingReviewed => "filing_reviewed",
        EventKind::CorrectionRequested => "correction_requested",
        EventKind::DocumentServed => "document_served",
        EventKind::HearingOpened => "hearing_opened",
        EventKind::ExchangeOpened => "exchange_opened",
        EventKind::DeadlineNear => "deadline_near",
    }
}

#[derive(Debug, Default)]
pub struct FeedWatch {
    running: Mutex<Option<(String, JoinHandle<()>)>>,
}

impl FeedWatch {
    /// Watches `account_id`'s feed, unless that is already being done; a watch of another
    /// account is stopped first.
    pub async fn watch<R: Runtime>(
        &self,
        app: AppHandle<R>,
        client: Client,
        account_id: String,
        outbox_path: PathBuf,
    ) -> Result<(), CommandError> {
        let mut running = self.running.lock().await;
        if let Some((watched, task)) = running.as_ref()
            && *watched == account_id
            && !task.inner().is_finished()
        {
            return Ok(());
        }
        if let Some((_, task)) = running.take() {
            task.abort();
        }
        // Opened here, so a broken outbox database is this command's error, not a silent task.
        let outbox = Outbox::open(outbox_path)?;
        let task = tauri::async_runtime::spawn(follow(app, client, account_id.clone(), outbox));
        *running = Some((account_id, task));
        Ok(())
    }

    pub async fn stop(&self) {
        if let Some((_, task)) = self.running.lock().await.take() {
            task.abort();
        }
    }
}

async fn follow<R: Runtime>(app: AppHandle<R>, client: Client, account_id: String, outbox: Outbox) {
    let mut pause = Duration::from_secs(1);
    let mut connected = true;
    loop {
        match outbox.poll_events(&client, POLL_SECONDS).await {
            Ok(events) => {
                if !connected {
                    connected = true;
                    emit_status(&app, &account_id, None);
                }
                pause = Duration::from_secs(1);
                for event in events {
                    if let Err(error) = app.emit(FEED_EVENT, FeedNotice::new(&account_id, event)) {
                        tracing::warn!(%error, "a feed event could not reach the window");
                    }
                }
            }
            Err(ClientError::NotLoggedIn) => {
                tracing::info!("the feed stops: its account logged out");
                return;
            }
            Err(error) => {
                tracing::info!(code = error.code(), "the feed could not reach the platform");
                if connected {
                    connected = false;
                    emit_status(&app, &account_id, Some(error.code()));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
            }
        }
    }
}

fn emit_status<R: Runtime>(app: &AppHandle<R>, account_id: &str, code: Option<&str>) {
    let status = FeedStatus {
        account_id: account_id.to_owned(),
        connected: code.is_none(),
        code: code.map(str::to_owned),
    };
    if let Err(error) = app.emit(FEED_STATUS, status) {
        tracing::warn!(%error, "the feed status could not reach the window");
    }
}
