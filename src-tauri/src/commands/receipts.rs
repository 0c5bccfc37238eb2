//! Signing a served document's receipt (Art. 33).

use tauri::State;

use crate::error::CommandError;
use crate::kiosk_desk::KioskDesk;
use crate::models::ReceiptSignature;
use crate::receipts;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// Signs the receipt of a served document with the account's key (made and registered with the
/// platform the first time); the platform verifies it and the case file records it.
#[tauri::command]
#[specta::specta]
pub async fn service_sign(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    service_id: String,
) -> Result<ReceiptSignature, CommandError> {
    let folder = kiosk.working_folder(&state)?;
    let session = signed_in.signing_session().await?;
    receipts::sign_receipt(&session, &folder, &service_id).await
}
