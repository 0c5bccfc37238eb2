//! Litigant's desktop shell. It wires the core crates to the window: commands, state, plugins.
//! Generic over [`tauri::Runtime`] so the wiring is tested on Tauri's mock runtime.

mod commands;
mod error;
mod models;
mod state;

use litigant_settings::DataFolder;
use tauri::{Manager, Runtime};
use tracing_subscriber::EnvFilter;

pub use error::CommandError;
pub use models::AppInfo;
pub use state::AppState;

/// The typed command list; `ui/src/backend/bindings.ts` is generated from it.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new().commands(tauri_specta::collect_commands![
        commands::app_info,
        commands::settings_get,
        commands::settings_update,
        commands::platform_set,
        commands::court_status,
        commands::data_folder_move,
    ])
}

/// Adds Litigant's plugins and commands to a builder. State is managed by the caller, so a
/// test can point it at a temporary data folder.
pub fn wire<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(specta_builder::<R>().invoke_handler())
}

/// Starts the desktop app.
pub fn run() {
    init_logging();
    let result = wire(tauri::Builder::default())
        .setup(|app| {
            let config_dir = app.path().app_config_dir()?;
            let folder = DataFolder::resolve(&config_dir, app.path().app_data_dir()?);
            if let Ok(folder) = &folder {
                tracing::info!(data_dir = %folder.path.display(), source = ?folder.source, "starting");
            }
            app.manage(AppState::open(config_dir, folder));
            open_main_window(app)?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!("Litigant could not start: {error}");
        std::process::exit(1);
    }
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
