//! The kiosk session of this window (Art. 38): begun from the start screen, timed, warned about
//! before its idle timeout, and ended by the person, or by the interface when the clock says it
//! expired. Ending it logs out, wipes its files and, in the command, the web view's storage.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use litigant_accounts::{KioskClock, KioskSession};
use litigant_settings::{SETTINGS_FILE, SettingsStore};
use tauri::{Manager, Runtime, Webview};

use crate::error::CommandError;
use crate::models::{KioskClockView, KioskEndView, KioskState};
use crate::signed_in::{SignedIn, kiosk_mode};
use crate::state::AppState;

/// Seconds without activity before a kiosk session ends; tests set it short.
pub const IDLE_TIMEOUT_ENV: &str = "LITIGANT_KIOSK_IDLE_SECONDS";
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_mins(5);
/// The warning comes this long before the end, or after two thirds of a short timeout.
const LONGEST_WARNING: Duration = Duration::from_mins(1);

/// Clears a web view's storage (cookies, caches, local storage, `IndexedDB`).
type StorageWiper = Box<dyn Fn() -> Result<(), String> + Send + Sync>;

pub struct KioskDesk {
    session: Mutex<Option<KioskSession>>,
    idle_timeout: Duration,
    /// The main web view's, once it has loaded a page (none without a web engine, as in tests).
    wiper: Mutex<Option<StorageWiper>>,
}

impl std::fmt::Debug for KioskDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskDesk")
            .field("session", &self.session)
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl Default for KioskDesk {
    fn default() -> Self {
        let idle_timeout = std::env::var(IDLE_TIMEOUT_ENV)
            .ok()
            .and_then(|seconds| seconds.trim().parse::<u64>().ok())
            .filter(|seconds| *seconds > 0)
            .map_or(DEFAULT_IDLE_TIMEOUT, Duration::from_secs);
        Self {
            session: Mutex::new(None),
            idle_timeout,
            wiper: Mutex::new(None),
        }
    }
}

fn seconds(duration: Duration) -> u32 {
    u32::try_from(duration.as_secs()).unwrap_or(u32::MAX)
}

fn view(clock: KioskClock) -> KioskClockView {
    let (state, elapsed, left) = match clock {
        KioskClock::Active { elapsed, idle_left } => (KioskState::Active, elapsed, idle_left),
        KioskClock::Warning { elapsed, ends_in } => (KioskState::Warning, elapsed, ends_in),
        KioskClock::Expired => (KioskState::Expired, Duration::ZERO, Duration::ZERO),
    };
    KioskClockView {
        state,
        elapsed_seconds: seconds(elapsed),
        left_seconds: seconds(left),
    }
}

const NO_SESSION: KioskClockView = KioskClockView {
    state: KioskState::None,
    elapsed_seconds: 0,
    left_seconds: 0,
};

impl KioskDesk {
    /// Remembers how to clear the main web view's storage, so ending a session can.
    pub fn watch<R: Runtime>(webview: &Webview<R>) {
        if webview.label() != "main" {
            return;
        }
        let target = webview.clone();
        let wiper: StorageWiper =
            Box::new(move || target.clear_all_browsing_data().map_err(|e| e.to_string()));
        if let Ok(mut slot) = webview.state::<Self>().wiper.lock() {
            *slot = Some(wiper);
        }
    }

    fn wipe_web_storage(&self) -> Result<(), CommandError> {
        let wiper = self
            .wiper
            .lock()
            .map_err(|_| CommandError::state_poisoned())?;
        match wiper.as_ref() {
            Some(wipe) => wipe().map_err(|cause| {
                CommandError::new(
                    "kiosk.webview_storage",
                    format!("The web view's storage could not be cleared: {cause}"),
                )
                .with_detail("cause", cause)
            }),
            None => Ok(()),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<KioskSession>>, CommandError> {
        self.session
            .lock()
            .map_err(|_| CommandError::state_poisoned())
    }

    /// Where the window's working files go (the outbox, hearing recordings): the session's
    /// folder at a kiosk, so its end removes them; the data folder otherwise. At a kiosk with
    /// no session running there is nowhere: the person starts one first.
    pub fn working_folder(&self, state: &AppState) -> Result<PathBuf, CommandError> {
        if let Some(session) = self.lock()?.as_ref() {
            return Ok(session.folder().to_owned());
        }
        if kiosk_mode(state)? {
            return Err(CommandError::new(
                "kiosk.no_session",
                "Start a session first (the button at the top): at a kiosk, everything is kept only for a session.",
            ));
        }
        state.with_data(|data| Ok(data.folder.path.clone()))
    }

    /// Begins a session (only in kiosk use); one already running is kept.
    pub fn begin(&self, state: &AppState) -> Result<KioskClockView, CommandError> {
        if !kiosk_mode(state)? {
            return Err(CommandError::new(
                "kiosk.not_kiosk",
                "Kiosk sessions are for a court's self-service machine; choose kiosk use in the settings first.",
            ));
        }
        let now = Instant::now();
        let mut session = self.lock()?;
        if session.is_none() {
            let data = state.with_data(|data| Ok(data.folder.path.clone()))?;
            let warning = LONGEST_WARNING.min(self.idle_timeout / 3);
            let mut begun = KioskSession::begin(&data, self.idle_timeout, warning, now)?;
            // The person may switch the language or large text; the next person gets the
            // kiosk as it was.
            begun.preserve(&data.join(SETTINGS_FILE))?;
            *session = Some(begun);
        }
        Ok(session.as_ref().map_or(NO_SESSION, |s| view(s.clock(now))))
    }

    /// The clock; `activity` says the person just did something, which restarts the idle timer
    /// (unless the session already expired: then it must end).
    pub fn clock(&self, activity: bool) -> Result<KioskClockView, CommandError> {
        let now = Instant::now();
        let mut session = self.lock()?;
        let Some(session) = session.as_mut() else {
            return Ok(NO_SESSION);
        };
        if activity && session.clock(now) != KioskClock::Expired {
            session.touch(now);
        }
        Ok(view(session.clock(now)))
    }

    /// Ends the session: logs out (its secrets were in memory), removes every file it made and
    /// puts the settings back as they were before it.
    pub async fn end(
        &self,
        state: &AppState,
        signed_in: &SignedIn,
    ) -> Result<KioskEndView, CommandError> {
        signed_in.log_out().await?;
        let Some(session) = self.lock()?.take() else {
            return Ok(KioskEndView {
                files_removed: 0,
                bytes_removed: 0.0,
                secrets_forgotten: 0,
            });
        };
        let ended = session.end()?;
        state.with_data(|data| {
            data.settings = SettingsStore::open(&data.folder.path)?;
            Ok(())
        })?;
        self.wipe_web_storage()?;
        #[allow(
            clippy::cast_precision_loss,
            reason = "a count of bytes shown to a person; f64 is exact below 2^53"
        )]
        let bytes_removed = ended.bytes_removed as f64;
        Ok(KioskEndView {
            files_removed: u32::try_from(ended.files_removed).unwrap_or(u32::MAX),
            bytes_removed,
            secrets_forgotten: u32::try_from(ended.secrets_forgotten).unwrap_or(u32::MAX),
        })
    }
}
