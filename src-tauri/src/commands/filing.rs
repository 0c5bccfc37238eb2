//! The filing commands (Art. 9, 11): policy, check, submit through the outbox, the account's
//! filings with their review, supplements and cancelling. Each is one call into
//! [`crate::filing`].
#![allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands each command its State and arguments by value"
)]

use litigant_court_client::Outbox;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::error::CommandError;
use crate::filing::{
    self, CheckView, FilingForm, FilingPolicyView, FilingProgress, FilingView, MaterialForm,
    SubmitOutcome, SupplementOutcome,
};
use crate::kiosk_desk::KioskDesk;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// The event each step of a submission or supplement is sent as.
pub const FILING_PROGRESS: &str = "filing-progress";

fn reporter<R: Runtime>(app: AppHandle<R>) -> impl FnMut(FilingProgress) + Send {
    move |progress| {
        if let Err(error) = app.emit(FILING_PROGRESS, progress) {
            tracing::debug!(%error, "the window did not take a filing progress event");
        }
    }
}

/// What the court accepts: document types, media types, size limits.
#[tauri::command]
#[specta::specta]
pub async fn filing_policy(
    signed_in: State<'_, SignedIn>,
) -> Result<FilingPolicyView, CommandError> {
    let policy = signed_in.client().await?.policy().await?;
    Ok(FilingPolicyView::from(&policy))
}

/// The signed-in account's filings with their review status, newest first.
#[tauri::command]
#[specta::specta]
pub async fn filings_list(signed_in: State<'_, SignedIn>) -> Result<Vec<FilingView>, CommandError> {
    filing::list(&signed_in.client().await?).await
}

/// One filing: its review result, the corrections asked for and when they are due.
#[tauri::command]
#[specta::specta]
pub async fn filing_get(
    signed_in: State<'_, SignedIn>,
    filing_id: String,
) -> Result<FilingView, CommandError> {
    let found = signed_in.client().await?.filing(&filing_id).await?;
    Ok(FilingView::of(found, chrono::Utc::now()))
}

/// Every problem with a draft, each on its field, without sending anything.
#[tauri::command]
#[specta::specta]
pub async fn filing_check(
    signed_in: State<'_, SignedIn>,
    form: FilingForm,
) -> Result<CheckView, CommandError> {
    filing::check(&signed_in.client().await?, &form).await
}

/// Checks, uploads the materials and submits the filing, all recorded in the outbox first;
/// each step arrives as `filing-progress`.
#[tauri::command]
#[specta::specta]
pub async fn filing_submit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    form: FilingForm,
) -> Result<SubmitOutcome, CommandError> {
    let client = signed_in.client().await?;
    let working = kiosk.working_folder(&state)?;
    let outbox = Outbox::open(super::outbox_path(&state, &kiosk)?)?;
    filing::submit(&client, &outbox, &working, &form, &mut reporter(app)).await
}

/// Sends again a filing that could not reach the court (`outboxItem` of that error), with the
/// key it was queued under.
#[tauri::command]
#[specta::specta]
pub async fn filing_resend(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    outbox_item: u32,
) -> Result<FilingView, CommandError> {
    let client = signed_in.client().await?;
    let outbox = Outbox::open(super::outbox_path(&state, &kiosk)?)?;
    filing::send_filing(&client, &outbox, i64::from(outbox_item)).await
}

/// Adds what the court asked for to a filing waiting for corrections.
#[tauri::command]
#[specta::specta]
pub async fn filing_supplement<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    filing_id: String,
    note: String,
    materials: Vec<MaterialForm>,
) -> Result<SupplementOutcome, CommandError> {
    let client = signed_in.client().await?;
    let outbox = Outbox::open(super::outbox_path(&state, &kiosk)?)?;
    filing::supplement(
        &client,
        &outbox,
        &filing_id,
        &note,
        &materials,
        &mut reporter(app),
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn filing_cancel(
    signed_in: State<'_, SignedIn>,
    filing_id: String,
) -> Result<FilingView, CommandError> {
    let cancelled = signed_in.client().await?.cancel_filing(&filing_id).await?;
    Ok(FilingView::of(cancelled, chrono::Utc::now()))
}
