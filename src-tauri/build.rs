/// Every command gets its own `allow-*` permission, so a window can call only the commands its
/// capability file lists. Keep in step with `specta_builder` in src/lib.rs; a test checks it.
const COMMANDS: &[&str] = &[
    "app_info",
    "settings_get",
    "settings_update",
    "platform_set",
    "court_status",
    "data_folder_move",
    "sms_code_send",
    "account_login",
    "account_current",
    "account_logout",
    "cases_list",
    // Accounts, identity and kiosk (issue 6).
    "accounts_list",
    "account_switch",
    "account_remove",
    "account_resume",
    "id_number_check",
    "account_register",
    "face_verify",
    "face_capture",
    "account_reverify",
    "reverification_needed",
    "kiosk_begin",
    "kiosk_clock",
    "kiosk_end",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
