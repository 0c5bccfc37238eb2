//! Evidence exchange and cross-examination opinions (Art. 14, 16-19).

use std::path::PathBuf;

use tauri::State;

use crate::error::CommandError;
use crate::exchange;
use crate::kiosk_desk::KioskDesk;
use crate::models::{AspectView, ExchangeView};
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// The other side's evidence of the case (new items downloaded and recorded in the case file),
/// each item's deposit proof checked offline, and this party's drafts and opinions.
#[tauri::command]
#[specta::specta]
pub async fn exchange_view(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    case_id: String,
) -> Result<ExchangeView, CommandError> {
    let (data, demo) = data_and_demo(&state, &kiosk)?;
    let (client, account_id) = signed_in.session().await?;
    let context = exchange::ExchangeContext {
        client: &client,
        account_id: &account_id,
        data: &data,
        demo,
    };
    exchange::view(&context, &case_id).await
}

/// Keeps an opinion on `evidence_id` as a draft on this computer.
#[tauri::command]
#[specta::specta]
pub fn opinion_save(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    case_id: String,
    evidence_id: String,
    aspects: Vec<AspectView>,
) -> Result<(), CommandError> {
    let (data, _) = data_and_demo(&state, &kiosk)?;
    exchange::save_draft(&data, &case_id, &evidence_id, &aspects)
}

#[tauri::command]
#[specta::specta]
pub fn opinion_discard(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    case_id: String,
    evidence_id: String,
) -> Result<(), CommandError> {
    let (data, _) = data_and_demo(&state, &kiosk)?;
    exchange::discard_draft(&data, &case_id, &evidence_id)
}

/// Submits every draft of the case within its open window; returns how many were accepted.
#[tauri::command]
#[specta::specta]
pub async fn opinions_submit(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    case_id: String,
) -> Result<u32, CommandError> {
    let (data, _) = data_and_demo(&state, &kiosk)?;
    let client = signed_in.client().await?;
    exchange::submit_drafts(&client, &data, &case_id).await
}

/// Where the exchange keeps downloads and drafts (at a kiosk, the session's own folder, which
/// its end removes), and whether the platform is the app's demo court.
fn data_and_demo(state: &AppState, kiosk: &KioskDesk) -> Result<(PathBuf, bool), CommandError> {
    let demo = state.with_data(|data| {
        Ok(data.settings.settings().platform == litigant_settings::Platform::Demo)
    })?;
    Ok((kiosk.working_folder(state)?, demo))
}
