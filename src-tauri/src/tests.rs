//! The command wiring, tested on Tauri's mock runtime: real commands, real state on a temporary
//! data folder, real IPC serialisation, no window.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tauri::http::HeaderMap;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindow, WebviewWindowBuilder};

use litigant_settings::{DataFolder, DataFolderSource, SETTINGS_FILE};
use tauri::Manager;

use crate::{AppState, DEMO_COURT_DIR, DemoCourt, on_run_event, specta_builder, wire};

// Accounts, identity and kiosk (issue 6).
mod accounts;

struct Shell {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    root: tempfile::TempDir,
}

/// The app as `run()` builds it (same plugins, commands and, with the real context, the real
/// capability files), on the mock runtime.
/// `root` holds the configuration folder (`config`) and the data folder (`data`).
fn shell_with(root: tempfile::TempDir, context: tauri::Context<MockRuntime>) -> Shell {
    let folder = DataFolder {
        path: root.path().join("data"),
        source: DataFolderSource::Default,
    };
    // The document camera is GStreamer's test pattern, as LITIGANT_CAMERA=test makes it.
    let app = wire(mock_builder())
        .manage(AppState::open(root.path().join("config"), Ok(folder)))
        .manage(crate::studio_inputs::DocumentCamera::new(Some(
            litigant_hearing::Input::Test,
        )))
        .build(context)
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .unwrap();
    Shell { app, window, root }
}

fn shell() -> Shell {
    shell_with(tempfile::tempdir().unwrap(), tauri::generate_context!())
}

/// An IPC call as the web view's `invoke()` sends it.
fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: HeaderMap::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

impl Shell {
    fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(&self.window, request(cmd, args))
            .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// What `run()` does in the background at start; the mock builder runs no setup.
    fn start_demo_court(&self) {
        let app = self.app.handle();
        tauri::async_runtime::block_on(app.state::<DemoCourt>().follow(&app.state::<AppState>()));
    }

    /// Asks `court_status` for the demo court's address and checks that a server answers there.
    fn demo_court_answers(&self) -> String {
        let url = connected_url(&self.ok("court_status", json!({})));
        let answer = http_get(&url, "/api/v1/policy").unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        url
    }

    fn saved(&self) -> Value {
        let bytes = std::fs::read(self.data_dir().join(SETTINGS_FILE)).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }
}

#[test]
fn a_fresh_data_folder_gives_chinese_the_demo_court_and_no_use_mode() {
    let shell = shell();
    let settings = shell.ok("settings_get", json!({}));
    assert_eq!(settings["language"], "zh-CN");
    assert_eq!(settings["useMode"], Value::Null);
    assert_eq!(settings["platform"], json!({"kind": "demo"}));
}

#[test]
fn an_update_is_saved_to_disk_and_returned() {
    let shell = shell();
    let settings = shell.ok(
        "settings_update",
        json!({"patch": {"language": "en", "elderMode": true, "useMode": "kiosk"}}),
    );
    assert_eq!(settings["language"], "en");
    assert_eq!(settings["elderMode"], true);
    let saved = shell.saved();
    assert_eq!(saved["language"], "en");
    assert_eq!(saved["useMode"], "kiosk");
    assert_eq!(saved["highContrast"], false);
}

#[test]
fn a_refused_platform_crosses_ipc_as_code_message_and_details() {
    let shell = shell();
    let error = shell
        .invoke(
            "platform_set",
            json!({"choice": {"kind": "remote", "url": "http://court.example.cn"}}),
        )
        .unwrap_err();
    assert_eq!(error["code"], "settings.platform_url_insecure");
    assert!(
        error["message"].as_str().unwrap().contains("https://"),
        "{error}"
    );
    assert_eq!(error["details"]["url"], "http://court.example.cn/");
    assert_eq!(
        shell.ok("settings_get", json!({}))["platform"],
        json!({"kind": "demo"})
    );
}

/// A plain HTTP/1.1 GET, so the test sees what any client would from the demo court's address.
fn http_get(url: &str, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let address = url
        .strip_prefix("http://")
        .expect("a plain loopback address");
    let mut stream = std::net::TcpStream::connect(address)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

fn connected_url(status: &Value) -> String {
    assert_eq!(status["state"], "connected", "{status}");
    status["url"].as_str().expect("a url").to_owned()
}

#[test]
fn the_demo_court_runs_in_the_data_folder_and_answers_at_the_reported_loopback_address() {
    let shell = shell();
    shell.start_demo_court();
    let status = shell.ok("court_status", json!({}));
    assert_eq!(status["demo"], true);
    assert_eq!(status["courtName"], "演示法院 (Demo court)");
    assert_eq!(status["platform"], json!({"kind": "demo"}));
    let url = connected_url(&status);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(
        shell
            .data_dir()
            .join(DEMO_COURT_DIR)
            .join("court.db")
            .exists()
    );
    let answer = http_get(&url, "/api/v1/policy").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""demo":true"#), "{answer}");
}

#[test]
fn on_exit_the_demo_court_stops_and_closes_its_database() {
    let shell = shell();
    shell.start_demo_court();
    let url = shell.demo_court_answers();
    // SQLite in WAL mode keeps `court.db-wal` while a connection is open and removes it when
    // the last one closes cleanly.
    let wal = shell.data_dir().join(DEMO_COURT_DIR).join("court.db-wal");
    assert!(wal.exists());
    on_run_event(shell.app.handle(), &tauri::RunEvent::Exit);
    assert!(!wal.exists(), "the database was closed before exit went on");
    assert!(http_get(&url, "/api/v1/policy").is_err());
}

#[test]
fn court_status_follows_the_chosen_platform_and_only_the_demo_court_runs_it() {
    let shell = shell();
    shell.start_demo_court();
    let demo_url = shell.demo_court_answers();
    shell.ok(
        "platform_set",
        json!({"choice": {"kind": "remote", "url": "court.example.cn"}}),
    );
    let status = shell.ok("court_status", json!({}));
    assert_eq!(status["state"], "notConnected");
    assert_eq!(status["reason"], "platformClientNotBuiltIn");
    assert_eq!(status["cause"], Value::Null);
    assert_eq!(
        status["platform"],
        json!({"kind": "remote", "url": "https://court.example.cn"})
    );
    assert!(
        http_get(&demo_url, "/api/v1/policy").is_err(),
        "switching to a remote platform stops the demo court"
    );
    shell.ok("platform_set", json!({"choice": {"kind": "demo"}}));
    shell.demo_court_answers();
}

#[test]
fn a_demo_court_that_cannot_start_is_reported_with_its_cause() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("data")).unwrap();
    let blocker = root.path().join("data").join(DEMO_COURT_DIR);
    std::fs::write(&blocker, b"a file where the demo court's folder should be").unwrap();
    let shell = shell_with(root, tauri::generate_context!());
    shell.start_demo_court();
    let status = shell.ok("court_status", json!({}));
    assert_eq!(status["state"], "notConnected", "{status}");
    assert_eq!(status["reason"], "demoCourtFailed");
    let cause = status["cause"].as_str().expect("a cause");
    assert!(cause.contains(&blocker.display().to_string()), "{cause}");
    // The rest of the app still works.
    assert_eq!(shell.ok("settings_get", json!({}))["language"], "zh-CN");
    // Once the file is out of the way, choosing the demo court again tries again.
    std::fs::remove_file(&blocker).unwrap();
    shell.ok("platform_set", json!({"choice": {"kind": "demo"}}));
    shell.demo_court_answers();
}

#[test]
fn app_info_names_the_data_folder_and_a_damaged_settings_file() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("data")).unwrap();
    std::fs::write(root.path().join("data").join(SETTINGS_FILE), b"{not json").unwrap();
    let shell = shell_with(root, tauri::generate_context!());
    let info = shell.ok("app_info", json!({}));
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["dataDir"], shell.data_dir().display().to_string());
    assert_eq!(info["dataDirSource"], "default");
    let kept = info["keptDamagedSettings"]
        .as_str()
        .expect("damaged file reported");
    assert_eq!(std::fs::read(kept).unwrap(), b"{not json");
}

#[test]
fn malformed_arguments_are_refused_without_touching_settings() {
    let shell = shell();
    let error = shell
        .invoke("settings_update", json!({"patch": {"language": "fr"}}))
        .unwrap_err();
    assert!(
        error.as_str().unwrap_or_default().contains("patch"),
        "{error}"
    );
    assert!(!shell.data_dir().join(SETTINGS_FILE).exists());
}

#[test]
fn moving_the_data_folder_takes_the_settings_along_and_reopens_them_there() {
    let shell = shell();
    shell.start_demo_court();
    let old_url = shell.demo_court_answers();
    shell.ok("settings_update", json!({"patch": {"elderMode": true}}));
    let target = shell.root.path().join("elsewhere/litigant");
    let moved = shell.ok("data_folder_move", json!({"target": target}));
    // The demo court moved with its database and answers from the new place.
    let url = shell.demo_court_answers();
    assert!(target.join(DEMO_COURT_DIR).join("court.db").exists());
    if url != old_url {
        assert!(http_get(&old_url, "/api/v1/policy").is_err());
    }
    assert_eq!(moved["path"], target.display().to_string());
    assert_eq!(moved["leftBehind"], Value::Null);
    assert!(!shell.data_dir().exists());
    assert_eq!(
        shell.ok("app_info", json!({}))["dataDir"],
        target.display().to_string()
    );
    assert_eq!(shell.ok("app_info", json!({}))["dataDirSource"], "chosen");
    // Later changes are written in the new place.
    shell.ok("settings_update", json!({"patch": {"highContrast": true}}));
    let saved: Value =
        serde_json::from_slice(&std::fs::read(target.join(SETTINGS_FILE)).unwrap()).unwrap();
    assert_eq!(
        (saved["elderMode"].clone(), saved["highContrast"].clone()),
        (json!(true), json!(true))
    );
    let pointer = shell
        .root
        .path()
        .join("config")
        .join(litigant_settings::POINTER_FILE);
    assert!(pointer.exists());
}

#[test]
fn a_refused_move_says_why_and_keeps_the_data_where_it_was() {
    let shell = shell();
    shell.start_demo_court();
    shell.ok("settings_update", json!({"patch": {"elderMode": true}}));
    let busy = shell.root.path().join("photos");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("cat.jpg"), b"x").unwrap();
    let error = shell
        .invoke("data_folder_move", json!({"target": busy}))
        .unwrap_err();
    assert_eq!(error["code"], "settings.data_folder_not_empty");
    assert_eq!(error["details"]["path"], busy.display().to_string());
    assert_eq!(shell.ok("settings_get", json!({}))["elderMode"], true);
    assert!(shell.data_dir().join(SETTINGS_FILE).exists());
    // The demo court, stopped for the attempt, runs again where it was.
    shell.demo_court_answers();
}

#[test]
fn an_unusable_data_folder_still_opens_and_every_command_says_why() {
    let root = tempfile::tempdir().unwrap();
    let not_a_folder = root.path().join("data");
    std::fs::write(&not_a_folder, b"a file where the data folder should be").unwrap();
    let shell = shell_with(root, tauri::generate_context!());
    for command in ["app_info", "settings_get", "court_status"] {
        let error = shell.invoke(command, json!({})).unwrap_err();
        assert_eq!(error["code"], "settings.data_folder_is_a_file", "{command}");
        assert_eq!(error["details"]["path"], not_a_folder.display().to_string());
    }
    let error = shell
        .invoke("settings_update", json!({"patch": {"elderMode": true}}))
        .unwrap_err();
    assert_eq!(error["code"], "settings.data_folder_is_a_file");
    assert_eq!(
        std::fs::read(&not_a_folder).unwrap(),
        b"a file where the data folder should be"
    );
}

#[test]
fn a_window_without_a_capability_can_call_nothing() {
    let shell = shell();
    let other = WebviewWindowBuilder::new(&shell.app, "other", WebviewUrl::default())
        .build()
        .unwrap();
    let refused = get_ipc_response(&other, request("settings_get", json!({}))).unwrap_err();
    assert!(refused.to_string().contains("not allowed"), "{refused}");
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The quoted names in build.rs's COMMANDS.
fn commands_in_build_rs() -> Vec<String> {
    let text = std::fs::read_to_string(manifest_dir().join("build.rs")).unwrap();
    let list = text
        .split_once("COMMANDS: &[&str] = &[")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .expect("build.rs declares COMMANDS");
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_has_a_permission_and_the_main_window_is_granted_exactly_those() {
    let mut in_build = commands_in_build_rs();
    in_build.sort();
    let bindings = std::fs::read_to_string(bindings_path()).unwrap();
    for command in &in_build {
        assert!(
            bindings.contains(&format!("TAURI_INVOKE(\"{command}\"")),
            "{command} not bound"
        );
    }
    let capability: Value = serde_json::from_slice(
        &std::fs::read(manifest_dir().join("capabilities/main.json")).unwrap(),
    )
    .unwrap();
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    granted.sort();
    assert_eq!(granted, in_build);
    assert_eq!(capability["windows"], json!(["main"]));
}

fn bindings_path() -> PathBuf {
    manifest_dir().join("../ui/src/backend/bindings.ts")
}

const BINDINGS_HEADER: &str = "// Generated from the Rust commands by tauri-specta: do not edit.\n\
// Regenerate with: LITIGANT_UPDATE_BINDINGS=1 cargo test -p litigant-desktop bindings";

/// The committed bindings must be what the commands generate; set `LITIGANT_UPDATE_BINDINGS=1` to
/// rewrite them.
#[test]
fn typescript_bindings_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let fresh_path = dir.path().join("bindings.ts");
    specta_builder::<MockRuntime>()
        .export(
            specta_typescript::Typescript::default().header(BINDINGS_HEADER),
            &fresh_path,
        )
        .unwrap();
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();
    let committed_path = bindings_path();
    if std::env::var_os("LITIGANT_UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: run LITIGANT_UPDATE_BINDINGS=1 cargo test -p litigant-desktop bindings",
        Path::new("ui/src/backend/bindings.ts").display()
    );
}

/// The latest SMS code the demo court "sent", read from its outbox with the clerk's token.
fn demo_court_sms_code(shell: &Shell, url: &str) -> String {
    use std::io::{Read, Write};
    let clerk =
        std::fs::read_to_string(shell.data_dir().join(DEMO_COURT_DIR).join("clerk-token")).unwrap();
    let address = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/v1/sim/sms-outbox HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {clerk}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let outbox: Value = serde_json::from_str(body).unwrap();
    outbox["items"][0]["code"].as_str().unwrap().to_owned()
}

/// Starts the demo court and logs `mobile` in with a session that keeps nothing.
fn log_in_to_demo_court(shell: &Shell, mobile: &str) {
    shell.start_demo_court();
    let url = connected_url(&shell.ok("court_status", json!({})));
    shell.ok(
        "sms_code_send",
        json!({"mobile": mobile, "purpose": "login"}),
    );
    let code = demo_court_sms_code(shell, &url);
    shell.ok(
        "account_login",
        json!({"mobile": mobile, "smsCode": code, "keep": false}),
    );
}

#[test]
fn log_in_to_the_demo_court_see_the_cases_and_log_out() {
    let shell = shell();
    shell.start_demo_court();
    let url = connected_url(&shell.ok("court_status", json!({})));
    assert_eq!(shell.ok("account_current", json!({})), Value::Null);
    let refused = shell.invoke("cases_list", json!({})).unwrap_err();
    assert_eq!(refused["code"], "account.not_signed_in");

    let notice = shell.ok(
        "sms_code_send",
        json!({"mobile": "13800138000", "purpose": "login"}),
    );
    assert_eq!(notice["mobileMasked"], "138****8000");
    let wrong = shell
        .invoke(
            "account_login",
            json!({"mobile": "13800138000", "smsCode": "000000", "keep": false}),
        )
        .unwrap_err();
    assert_eq!(wrong["code"], "platform.sms_code_invalid", "{wrong}");

    let code = demo_court_sms_code(&shell, &url);
    let account = shell.ok(
        "account_login",
        json!({"mobile": "13800138000", "smsCode": code, "keep": false}),
    );
    assert_eq!(account["name"], "王小明");
    assert_eq!(account["idNumberMasked"], "1101**********002X");
    assert_eq!(account["kept"], false);
    assert_eq!(
        shell.ok("account_current", json!({}))["accountId"],
        account["accountId"]
    );
    let cases = shell.ok("cases_list", json!({}));
    assert_eq!(cases[0]["caseNumber"], "(2026)演0101民初1000号");
    assert!(
        !shell.data_dir().join("accounts.json").exists(),
        "a session that keeps nothing is not listed"
    );

    shell.ok("account_logout", json!({}));
    assert_eq!(shell.ok("account_current", json!({})), Value::Null);
}

mod cases;
mod exchange;
mod filing;
mod hearing_room;
mod receipts;
mod studio;
