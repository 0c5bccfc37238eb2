//! The demo court: a court-sim server run inside the app on loopback, with its data in
//! `<data folder>/demo-court`, while the chosen platform is the demo court. This module owns only
//! its lifecycle (start, stop, report); the server is `litigant-court-sim`.
//!
//! What must hold: the window never waits for it (it starts in the background and a status
//! request waits for the outcome instead); it is stopped, with its database closed, before the
//! data folder moves and when the app exits; a failure to start is reported with its cause, not
//! hidden.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use litigant_court_sim::{CourtSim, SimConfig};
use litigant_settings::{DemoCourtReport, Platform};
use tauri::async_runtime::JoinHandle;
use tokio::sync::{Mutex, oneshot, watch};

use crate::state::AppState;

/// The demo court's folder inside the data folder.
pub const DEMO_COURT_DIR: &str = "demo-court";

/// `None` while it starts.
type Status = Option<DemoCourtReport>;

/// A running (or starting, or failed) server: how to stop it and how it is doing.
#[derive(Debug)]
struct Run {
    dir: PathBuf,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    status: watch::Receiver<Status>,
}

/// Start and stop are serialised by one lock, so a stop always sees the run a start made.
#[derive(Debug, Default)]
pub struct DemoCourt {
    run: Mutex<Option<Run>>,
}

impl DemoCourt {
    /// Runs the demo court when the settings choose it and the data folder is usable; stops it
    /// otherwise. Reads the settings under the lock, so two calls cannot undo each other.
    pub async fn follow(&self, state: &AppState) {
        let mut run = self.run.lock().await;
        follow_locked(&mut run, state).await;
    }

    /// Stops the server and returns once its connections and database are closed.
    pub async fn stop(&self) {
        if let Some(run) = self.run.lock().await.take() {
            stop_run(run).await;
        }
    }

    /// Runs `work` with the demo court stopped and its database closed (a data folder move),
    /// then follows the settings again. Nothing can start it meanwhile.
    pub async fn while_stopped<T>(&self, state: &AppState, work: impl FnOnce() -> T) -> T {
        let mut run = self.run.lock().await;
        if let Some(old) = run.take() {
            stop_run(old).await;
        }
        let result = work();
        follow_locked(&mut run, state).await;
        result
    }

    /// How the demo court is doing, waiting while it starts.
    pub async fn report(&self) -> DemoCourtReport {
        let status = self.run.lock().await.as_ref().map(|r| r.status.clone());
        let Some(mut status) = status else {
            return DemoCourtReport::Failed {
                cause: "The demo court is not running.".into(),
            };
        };
        let settled = status
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|s| s.clone());
        // None: the task ended without settling (it panicked, or was stopped meanwhile).
        settled.unwrap_or_else(|| DemoCourtReport::Failed {
            cause: "The demo court stopped while it was starting.".into(),
        })
    }
}

async fn follow_locked(run: &mut Option<Run>, state: &AppState) {
    let wanted = state
        .with_data(|data| {
            Ok((data.settings.settings().platform == Platform::Demo)
                .then(|| data.folder.path.join(DEMO_COURT_DIR)))
        })
        .ok()
        .flatten();
    match wanted {
        Some(dir) => start_locked(run, &dir).await,
        None => {
            if let Some(old) = run.take() {
                stop_run(old).await;
            }
        }
    }
}

/// Starts the server for `dir` in the background, unless it already runs (or is starting)
/// there; a failed start is tried again.
async fn start_locked(run: &mut Option<Run>, dir: &Path) {
    let failed = |r: &Run| matches!(*r.status.borrow(), Some(DemoCourtReport::Failed { .. }));
    if run.as_ref().is_some_and(|r| r.dir == dir && !failed(r)) {
        return;
    }
    if let Some(old) = run.take() {
        stop_run(old).await;
    }
    let (stop, stopped) = oneshot::channel();
    let (report, status) = watch::channel(None);
    let task = tauri::async_runtime::spawn(serve(dir.to_owned(), report, stopped));
    *run = Some(Run {
        dir: dir.to_owned(),
        stop,
        task,
        status,
    });
}

async fn stop_run(run: Run) {
    // The task may have ended already (a failed start); then there is nobody to tell.
    let _ = run.stop.send(());
    if let Err(error) = run.task.await {
        tracing::warn!(%error, "the demo court's task ended badly");
    }
    tracing::info!(dir = %run.dir.display(), "demo court stopped");
}

/// The server's task: bind a free loopback port, report, serve until told to stop.
async fn serve(dir: PathBuf, report: watch::Sender<Status>, stopped: oneshot::Receiver<()>) {
    let config = SimConfig::new(&dir);
    let court_name = config.policy.court_name.clone();
    let bound = CourtSim::bind(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .and_then(|sim| Ok((sim.local_addr()?, sim)));
    match bound {
        Ok((address, sim)) => {
            let url = format!("http://{address}");
            tracing::info!(%url, dir = %dir.display(), "demo court listening");
            report.send_replace(Some(DemoCourtReport::Running { url, court_name }));
            sim.serve_until(async {
                // A dropped sender (the app is going away) stops it too.
                let _ = stopped.await;
            })
            .await;
        }
        Err(error) => {
            tracing::warn!(%error, dir = %dir.display(), "the demo court could not start");
            report.send_replace(Some(DemoCourtReport::Failed {
                cause: error.to_string(),
            }));
        }
    }
}
