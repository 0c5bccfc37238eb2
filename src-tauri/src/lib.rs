//! Litigant's desktop shell. It wires the core crates to the window: commands, state, plugins.
//! Generic over [`tauri::Runtime`] so the wiring is tested on Tauri's mock runtime.

mod all_accounts;
mod cases;
mod commands;
mod consent;
mod demo_court;
mod error;
mod exchange;
mod filing;
mod hearing_room;
mod identity;
mod kiosk_desk;
mod models;
mod notices;
mod receipts;
mod service;
mod signed_in;
mod state;
mod studio;
mod studio_inputs;

use litigant_settings::DataFolder;
use tauri::{AppHandle, Manager, RunEvent, Runtime};
use tracing_subscriber::EnvFilter;

pub use demo_court::{DEMO_COURT_DIR, DemoCourt};
pub use error::CommandError;
pub use models::AppInfo;
pub use signed_in::SignedIn;
pub use state::AppState;

/// The typed command list; `ui/src/backend/bindings.ts` is generated from it.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::settings_get,
            commands::settings_update,
            commands::platform_set,
            commands::court_status,
            commands::data_folder_move,
            commands::sms_code_send,
            commands::account_login,
            commands::account_current,
            commands::account_logout,
            commands::cases_list,
            // Cases dashboard, notifications, consent and the service inbox.
            commands::cases_dashboard,
            commands::feed_watch::<tauri::Wry>,
            commands::consents_get,
            commands::consent_record,
            commands::offline_request,
            commands::service_inbox,
            commands::service_open,
            commands::service_confirm,
            commands::service_certificate,
            commands::service_save,
            // Re-verification and the hearing room.
            commands::account_assurance,
            commands::reverify_code_send,
            commands::reverify,
            commands::hearings_list,
            commands::hearing_devices,
            commands::hearing_check,
            commands::hearing_open,
            commands::hearing_room,
            commands::hearing_record_start,
            commands::hearing_record_stop,
            commands::hearing_live,
            commands::hearing_discard,
            commands::hearing_confirm,
            commands::hearing_submit,
            commands::hearing_close,
            // Evidence exchange and opinions.
            commands::exchange_view,
            commands::opinion_save,
            commands::opinion_discard,
            commands::opinions_submit,
            commands::service_sign,
            // Accounts, identity and kiosk (issue 6).
            commands::accounts_list,
            commands::account_switch,
            commands::account_remove,
            commands::account_resume,
            commands::id_number_check,
            commands::account_register,
            commands::face_verify,
            commands::face_capture,
            commands::reverification_needed,
            commands::kiosk_begin,
            commands::kiosk_clock,
            commands::kiosk_end,
            // Online filing (Art. 9, 11).
            commands::filing_policy,
            commands::filings_list,
            commands::filing_get,
            commands::filing_check,
            commands::filing_submit::<tauri::Wry>,
            commands::filing_resend,
            commands::filing_supplement::<tauri::Wry>,
            commands::filing_cancel,
            // The scan studio (issues 5 and 9).
            commands::studio_view,
            commands::studio_new,
            commands::studio_add,
            commands::studio_move,
            commands::studio_rotate,
            commands::studio_delete,
            commands::studio_recrop,
            commands::studio_source,
            commands::studio_build,
            commands::studio_scanners,
            commands::studio_scan,
            // The dashboard of every kept account (issue 9).
            commands::cases_dashboard_all,
            commands::studio_camera_available,
            commands::studio_camera_page,
        ])
        // Sent as Tauri events rather than returned, so named here to be in the bindings.
        .typ::<notices::FeedNotice>()
        .typ::<notices::FeedStatus>()
        .typ::<filing::FilingProgress>()
}

/// Adds Litigant's plugins, commands and the (stopped) demo court to a builder. `AppState` is
/// managed by the caller, so a test can point it at a temporary data folder.
pub fn wire<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(DemoCourt::default())
        .manage(SignedIn::default())
        .manage(notices::FeedWatch::default())
        .manage(hearing_room::HearingRoom::default())
        .manage(kiosk_desk::KioskDesk::default())
        .manage(studio::StudioDesk::default())
        .plugin(tauri_plugin_dialog::init())
        .on_page_load(|webview, _| kiosk_desk::KioskDesk::watch(webview))
        .register_asynchronous_uri_scheme_protocol("hearing", |context, request, responder| {
            hearing_room::serve_segment(&context, &request, responder);
        })
        .invoke_handler(specta_builder::<R>().invoke_handler())
}

/// Starts the desktop app.
pub fn run() {
    init_logging();
    let app = wire(tauri::Builder::default())
        .setup(|app| {
            let config_dir = app.path().app_config_dir()?;
            let folder = DataFolder::resolve(&config_dir, app.path().app_data_dir()?);
            if let Ok(folder) = &folder {
                tracing::info!(data_dir = %folder.path.display(), source = ?folder.source, "starting");
            }
            app.manage(AppState::open(config_dir, folder));
            app.manage(studio_inputs::DocumentCamera::from_env());
            start_demo_court_in_background(app.handle());
            open_main_window(app)?;
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|app, event| on_run_event(app, &event)),
        Err(error) => {
            tracing::error!("Litigant could not start: {error}");
            std::process::exit(1);
        }
    }
}

/// On exit the demo court is stopped, so its database is closed cleanly rather than cut off by
/// the process's end.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    if let RunEvent::Exit = event {
        tauri::async_runtime::block_on(app.state::<DemoCourt>().stop());
    }
}

/// The demo court opens its database and binds a port; the window does not wait for that, and
/// the interface asks `court_status`, which does.
fn start_demo_court_in_background<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        app.state::<DemoCourt>()
            .follow(&app.state::<AppState>())
            .await;
    });
}

/// The main window, as configured in tauri.conf.json (where `create` is false so that it is made
/// here). The web engine keeps caches, cookies and web storage in its data directory, which
/// defaults to the app-data folder: that would put files the engine holds open among the
/// person's data, and move them with it. The interface keeps no state in the web view, so its
/// data goes to the cache folder instead.
fn open_main_window<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(app.path().app_cache_dir()?.join("webview"))
        .build()?;
    Ok(())
}

/// Logs go to stderr, filtered by `LITIGANT_LOG` (e.g. `LITIGANT_LOG=debug`). What must hold:
/// nothing personal is logged; a crate that handles identity numbers masks them first.
fn init_logging() {
    let filter = EnvFilter::try_from_env("LITIGANT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests;
