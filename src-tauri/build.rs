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
    "reverification_needed",
    "kiosk_begin",
    "kiosk_clock",
    "kiosk_end",
    // Cases dashboard, notifications, consent and the service inbox.
    "cases_dashboard",
    "feed_watch",
    "consents_get",
    "consent_record",
    "offline_request",
    "service_inbox",
    "service_open",
    "service_confirm",
    "service_certificate",
    "service_save",
    "account_assurance",
    "reverify_code_send",
    "reverify",
    "hearings_list",
    "hearing_devices",
    "hearing_check",
    "hearing_open",
    "hearing_room",
    "hearing_record_start",
    "hearing_record_stop",
    "hearing_live",
    "hearing_discard",
    "hearing_confirm",
    "hearing_submit",
    "hearing_close",
    "exchange_view",
    "opinion_save",
    "opinion_discard",
    "opinions_submit",
    "service_sign",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
