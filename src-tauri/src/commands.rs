//! The commands the interface may call. Each turns its arguments into one call into a core
//! crate and its error into a [`CommandError`]; nothing else belongs here.
#![allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands each command its State and arguments by value"
)]

mod receipts;
pub use receipts::*;
// The dashboard of every kept account (issue 9).
mod dashboard;
pub use dashboard::*;

use std::path::PathBuf;

use litigant_settings::{
    CourtConnection, MovedDataFolder, PlatformChoice, Settings, SettingsPatch,
};
use tauri::State;

use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::identity;
// Accounts, identity and kiosk (issue 6).
use crate::hearing_room::HearingRoom;
use crate::kiosk_desk::KioskDesk;
use crate::models::{AccountSummary, AppInfo, CaseSummary, SmsCodeNotice};
use crate::models::{
    AssuranceView, FaceResult, IdNumberCheck, KioskClockView, KioskEndView, LinkChoice,
    RegistrationForm, SavedAccountView, SmsPurposeChoice,
};
use crate::signed_in::SignedIn;
use crate::state::AppState;
use crate::{cases, consent, notices, service};

// Online filing (Art. 9, 11).
mod filing;
pub use filing::*;
// The scan studio (issues 5 and 9).
mod studio;
pub use studio::*;
// Re-verification and the hearing room (Art. 7(3), 20-27).
mod hearing;
pub use hearing::*;
// Evidence exchange and cross-examination opinions (Art. 14, 16-19).
mod evidence_exchange;
pub use evidence_exchange::*;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    state.with_data(|data| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            os: std::env::consts::OS.into(),
            data_dir: data.folder.path.display().to_string(),
            data_dir_source: data.folder.source,
            kept_damaged_settings: data
                .settings
                .kept_damaged_file()
                .map(|p| p.display().to_string()),
        })
    })
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    state.with_data(|data| Ok(data.settings.settings().clone()))
}

#[tauri::command]
#[specta::specta]
pub fn settings_update(
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<Settings, CommandError> {
    state.with_data(|data| Ok(data.settings.update(patch)?.clone()))
}

/// Saves the platform; the demo court runs only while it is the chosen one.
#[tauri::command]
#[specta::specta]
pub async fn platform_set(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    choice: PlatformChoice,
) -> Result<Settings, CommandError> {
    let settings = state.with_data(|data| Ok(data.settings.set_platform(choice)?.clone()))?;
    demo_court.follow(&state).await;
    Ok(settings)
}

/// Waits while the demo court starts, so the answer is connected or why not.
#[tauri::command]
#[specta::specta]
pub async fn court_status(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
) -> Result<CourtConnection, CommandError> {
    let platform = state.with_data(|data| Ok(data.settings.settings().platform.clone()))?;
    Ok(CourtConnection::for_platform(
        &platform,
        &demo_court.report().await,
    ))
}

/// Moves the data folder to `target`, a folder the person picked (new or empty). The demo
/// court's database is inside it, so the court is stopped first and started again afterwards,
/// in the new place or, if the move failed, the old one.
#[tauri::command]
#[specta::specta]
pub async fn data_folder_move(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    feed: State<'_, notices::FeedWatch>,
    target: PathBuf,
) -> Result<MovedDataFolder, CommandError> {
    // The feed keeps its cursor in the data folder's outbox; it lets go of the file before the
    // folder moves, and the interface starts it again afterwards.
    feed.stop().await;
    demo_court
        .while_stopped(&state, || state.move_data_folder(&target))
        .await
}

/// Sends a code by SMS to `mobile` for `purpose` (the demo court puts it in its outbox).
#[tauri::command]
#[specta::specta]
pub async fn sms_code_send(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    mobile: String,
    purpose: SmsPurposeChoice,
) -> Result<SmsCodeNotice, CommandError> {
    signed_in
        .send_code(&state, &demo_court, mobile, purpose)
        .await
}

/// Logs in with the code; `keep` keeps the session in the system keychain.
#[tauri::command]
#[specta::specta]
pub async fn account_login(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    mobile: String,
    sms_code: String,
    keep: bool,
) -> Result<AccountSummary, CommandError> {
    signed_in
        .log_in(&state, &demo_court, mobile, sms_code, keep)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn account_current(
    signed_in: State<'_, SignedIn>,
) -> Result<Option<AccountSummary>, CommandError> {
    Ok(signed_in.current().await)
}

#[tauri::command]
#[specta::specta]
pub async fn account_logout(
    signed_in: State<'_, SignedIn>,
    feed: State<'_, notices::FeedWatch>,
) -> Result<(), CommandError> {
    // The feed stops first: its next poll would otherwise run on a session being ended.
    feed.stop().await;
    signed_in.log_out().await
}

/// The signed-in account's cases.
#[tauri::command]
#[specta::specta]
pub async fn cases_list(signed_in: State<'_, SignedIn>) -> Result<Vec<CaseSummary>, CommandError> {
    signed_in.cases().await
}

// ---- Accounts, identity and kiosk (issue 6) ------------------------------------------------

/// The accounts kept on this computer (no secrets), the most recently used first.
#[tauri::command]
#[specta::specta]
pub async fn accounts_list(
    state: State<'_, AppState>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<SavedAccountView>, CommandError> {
    signed_in.accounts(&state).await
}

/// Signs in as another kept account of the chosen platform, from the keychain.
#[tauri::command]
#[specta::specta]
pub async fn account_switch(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    account_id: String,
) -> Result<AccountSummary, CommandError> {
    signed_in.switch(&state, &demo_court, account_id).await
}

/// Removes a kept account: its keychain entry and its line in the list.
#[tauri::command]
#[specta::specta]
pub async fn account_remove(
    state: State<'_, AppState>,
    signed_in: State<'_, SignedIn>,
    platform: String,
    account_id: String,
) -> Result<(), CommandError> {
    signed_in.remove(&state, platform, account_id).await
}

/// At start: signs in again as the account last used on the chosen platform, if it is kept.
#[tauri::command]
#[specta::specta]
pub async fn account_resume(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
) -> Result<Option<AccountSummary>, CommandError> {
    signed_in.resume_latest(&state, &demo_court).await
}

/// Checks an identity number as it is typed (`kind` as litigant-id-number names it).
#[tauri::command]
#[specta::specta]
pub fn id_number_check(kind: String, number: String) -> Result<IdNumberCheck, CommandError> {
    identity::check_id_number(&kind, &number)
}

/// Registers on the chosen platform and signs the new account in.
#[tauri::command]
#[specta::specta]
pub async fn account_register(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    form: RegistrationForm,
) -> Result<AccountSummary, CommandError> {
    identity::register(&signed_in, &state, &demo_court, form).await
}

/// Sends the face photo at `path` (JPEG or PNG) for real-name verification.
#[tauri::command]
#[specta::specta]
pub async fn face_verify(
    signed_in: State<'_, SignedIn>,
    path: PathBuf,
) -> Result<FaceResult, CommandError> {
    identity::verify_face(&signed_in, &path).await
}

/// Takes the face photo with the camera and sends it for real-name verification.
#[tauri::command]
#[specta::specta]
pub async fn face_capture(signed_in: State<'_, SignedIn>) -> Result<FaceResult, CommandError> {
    identity::capture_face(&signed_in).await
}

/// Whether a step of `link` may start now or needs a re-verification first.
#[tauri::command]
#[specta::specta]
pub async fn reverification_needed(
    signed_in: State<'_, SignedIn>,
    link: LinkChoice,
) -> Result<AssuranceView, CommandError> {
    identity::assurance(&signed_in, link).await
}

/// Begins a kiosk session (kiosk use only).
#[tauri::command]
#[specta::specta]
pub fn kiosk_begin(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
) -> Result<KioskClockView, CommandError> {
    kiosk.begin(&state)
}

/// The kiosk session's clock; `activity` restarts its idle timer.
#[tauri::command]
#[specta::specta]
pub fn kiosk_clock(
    kiosk: State<'_, KioskDesk>,
    activity: bool,
) -> Result<KioskClockView, CommandError> {
    kiosk.clock(activity)
}

/// Ends the kiosk session: logs out, removes its files, puts the settings back and clears the
/// web view's storage.
#[tauri::command]
#[specta::specta]
pub async fn kiosk_end(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    feed: State<'_, notices::FeedWatch>,
    room: State<'_, HearingRoom>,
    studio: State<'_, crate::studio::StudioDesk>,
) -> Result<KioskEndView, CommandError> {
    // Nothing may keep writing into the session's folder once it is removed.
    feed.stop().await;
    room.close().await;
    // The studio's pages are read from files in that folder.
    studio.close()?;
    kiosk.end(&state, &signed_in).await
}

// --- Cases dashboard, notifications, consent and the service inbox (issue 9) ---

/// The outbox database, where the feed keeps its cursor and deadlines (at a kiosk, in the
/// session's folder, which its end removes).
fn outbox_path(state: &AppState, kiosk: &KioskDesk) -> Result<PathBuf, CommandError> {
    Ok(kiosk.working_folder(state)?.join(cases::OUTBOX_FILE))
}

/// The signed-in account's cases and one list of deadlines across them, soonest first.
#[tauri::command]
#[specta::specta]
pub async fn cases_dashboard(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
) -> Result<cases::Dashboard, CommandError> {
    let (client, account_id) = signed_in.session().await?;
    let outbox = litigant_court_client::Outbox::open(outbox_path(&state, &kiosk)?)?;
    cases::dashboard(&client, &outbox, &account_id, chrono::Utc::now()).await
}

/// Starts following the signed-in account's event feed; each event arrives as `feed-event`.
#[tauri::command]
#[specta::specta]
pub async fn feed_watch<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    feed: State<'_, notices::FeedWatch>,
) -> Result<(), CommandError> {
    let (client, account_id) = signed_in.session().await?;
    feed.watch(app, client, account_id, outbox_path(&state, &kiosk)?)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn consents_get(
    signed_in: State<'_, SignedIn>,
    case_id: String,
) -> Result<consent::CaseConsents, CommandError> {
    consent::consents(&signed_in.session().await?.0, &case_id).await
}

/// Records online or offline for one litigation link of a case.
#[tauri::command]
#[specta::specta]
pub async fn consent_record(
    signed_in: State<'_, SignedIn>,
    case_id: String,
    link: litigant_court_api::policy::LitigationLink,
    mode: litigant_court_api::cases::ConsentMode,
    reason: Option<String>,
) -> Result<consent::CaseConsents, CommandError> {
    let client = signed_in.session().await?.0;
    consent::record(&client, &case_id, link, mode, reason).await
}

/// Asks the court to continue some links offline, with the reasons.
#[tauri::command]
#[specta::specta]
pub async fn offline_request(
    signed_in: State<'_, SignedIn>,
    case_id: String,
    links: Vec<litigant_court_api::policy::LitigationLink>,
    reason: String,
) -> Result<consent::OfflineRequest, CommandError> {
    let client = signed_in.session().await?.0;
    consent::request_offline(&client, &case_id, links, &reason).await
}

#[tauri::command]
#[specta::specta]
pub async fn service_inbox(
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<service::ServedItem>, CommandError> {
    service::inbox(&signed_in.session().await?.0).await
}

/// Opens a served document: the platform records the reading (the first time only).
#[tauri::command]
#[specta::specta]
pub async fn service_open(
    signed_in: State<'_, SignedIn>,
    service_id: String,
) -> Result<service::ServedItem, CommandError> {
    service::open(&signed_in.session().await?.0, &service_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn service_confirm(
    signed_in: State<'_, SignedIn>,
    service_id: String,
) -> Result<service::ServedItem, CommandError> {
    service::confirm(&signed_in.session().await?.0, &service_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn service_certificate(
    signed_in: State<'_, SignedIn>,
    service_id: String,
) -> Result<service::Certificate, CommandError> {
    service::certificate(&signed_in.session().await?.0, &service_id).await
}

/// Saves a copy of a served document at `target` (a new file), hash-checked.
#[tauri::command]
#[specta::specta]
pub async fn service_save(
    signed_in: State<'_, SignedIn>,
    service_id: String,
    target: PathBuf,
) -> Result<service::SavedCopy, CommandError> {
    service::save_copy(&signed_in.session().await?.0, &service_id, target).await
}
