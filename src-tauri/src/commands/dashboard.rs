//! The dashboard of every kept account (issue 9).

use tauri::State;

use crate::all_accounts::{CombinedDashboard, combined_dashboard};
use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::kiosk_desk::KioskDesk;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// The cases of the signed-in account and of every other account kept for this platform, and
/// one list of their deadlines, overdue first; an account that cannot be restored says why.
#[tauri::command]
#[specta::specta]
pub async fn cases_dashboard_all(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
) -> Result<CombinedDashboard, CommandError> {
    let outbox = super::outbox_path(&state, &kiosk)?;
    combined_dashboard(&signed_in, &state, &demo_court, &outbox, chrono::Utc::now()).await
}
