//! Accounts, registration, re-verification and the kiosk session, through the real commands
//! against the demo court on loopback. The keychain is not used here (the e2e tests start a
//! real Secret Service for that): these sessions keep nothing.

use serde_json::{Value, json};

use super::{Shell, connected_url, demo_court_sms_code, log_in_to_demo_court, shell};

/// A resident ID number with a correct check character, and the same with a wrong one.
fn id_numbers() -> (String, String) {
    let first = "44030619900101123";
    let check = litigant_id_number::id_card_check_character(first).unwrap();
    let wrong = if check == '0' { '1' } else { '0' };
    (format!("{first}{check}"), format!("{first}{wrong}"))
}

/// A 240×240 PNG: decodable and large enough for the demo court's face check.
fn face_photo(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("face.png");
    image::RgbImage::from_fn(240, 240, |x, y| {
        image::Rgb([
            u8::try_from(x % 256).unwrap(),
            u8::try_from(y % 256).unwrap(),
            128,
        ])
    })
    .save(&path)
    .unwrap();
    path
}

fn register(shell: &Shell, url: &str, mobile: &str, id_number: &str) -> Result<Value, Value> {
    shell.ok(
        "sms_code_send",
        json!({"mobile": mobile, "purpose": "register"}),
    );
    let code = demo_court_sms_code(shell, url);
    shell.invoke(
        "account_register",
        json!({"form": {"name": "李四", "idKind": "resident_id_card", "idNumber": id_number,
            "mobile": mobile, "smsCode": code, "keep": false}}),
    )
}

#[test]
fn an_id_number_is_checked_as_it_is_typed_with_where_it_is_wrong() {
    let shell = shell();
    let (right, wrong) = id_numbers();
    let checked = shell.ok(
        "id_number_check",
        json!({"kind": "resident_id_card", "number": right}),
    );
    assert_eq!(checked["birthDate"], "1990-01-01");
    assert_eq!(checked["regionZh"], "广东省");
    assert!(!checked.to_string().contains(&right), "{checked}");
    let refused = shell
        .invoke(
            "id_number_check",
            json!({"kind": "resident_id_card", "number": wrong}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "id_number.check_character_mismatch");
    assert_eq!(refused["details"]["position"], "18");
    let letter = shell
        .invoke(
            "id_number_check",
            json!({"kind": "resident_id_card", "number": "11010519491231A021"}),
        )
        .unwrap_err();
    assert_eq!(letter["details"]["expectedZh"], "数字", "{letter}");
    let unknown = shell
        .invoke(
            "id_number_check",
            json!({"kind": "library_card", "number": "1"}),
        )
        .unwrap_err();
    assert_eq!(unknown["code"], "registration.unknown_kind");
}

#[test]
fn register_verify_the_face_and_re_verify_before_a_hearing() {
    let shell = shell();
    shell.start_demo_court();
    let url = connected_url(&shell.ok("court_status", json!({})));
    let (right, wrong) = id_numbers();

    // Refused here, before an SMS code is spent.
    let refused = register(&shell, &url, "13700137000", &wrong).unwrap_err();
    assert_eq!(refused["code"], "id_number.check_character_mismatch");
    let account = register(&shell, &url, "13700137000", &right).unwrap();
    assert_eq!(account["name"], "李四");
    assert_eq!(account["verified"], false);
    assert_eq!(account["kept"], false);
    assert!(!account.to_string().contains(&right));

    let not_a_photo = shell.root.path().join("notes.txt");
    std::fs::write(&not_a_photo, "not a photo").unwrap();
    let refused = shell
        .invoke("face_verify", json!({"path": not_a_photo}))
        .unwrap_err();
    assert_eq!(refused["code"], "face.not_an_image");
    let verdict = shell.ok(
        "face_verify",
        json!({"path": face_photo(shell.root.path())}),
    );
    assert_eq!(verdict["verified"], true, "{verdict}");
    assert_eq!(shell.ok("account_current", json!({}))["verified"], true);

    let filing = shell.ok("reverification_needed", json!({"link": "filing"}));
    assert_eq!(filing["required"], false);
    // The face check stamped an assurance just now: a hearing may start.
    let hearing = shell.ok("reverification_needed", json!({"link": "hearing"}));
    assert_eq!(hearing["needed"], false, "{hearing}");

    shell.ok(
        "sms_code_send",
        json!({"mobile": "13700137000", "purpose": "reverify"}),
    );
    let wrong_code = shell
        .invoke("reverify", json!({"smsCode": "000000"}))
        .unwrap_err();
    assert_eq!(
        wrong_code["code"], "platform.sms_code_invalid",
        "{wrong_code}"
    );
    let code = demo_court_sms_code(&shell, &url);
    let done = shell.ok("reverify", json!({"smsCode": code}));
    assert!(done["validUntil"].is_string(), "{done}");
    shell.ok("account_logout", json!({}));
    assert!(!shell.data_dir().join("accounts.json").exists());
}

#[test]
fn a_kiosk_session_runs_only_in_kiosk_use_and_its_end_removes_its_folder() {
    let shell = shell();
    let refused = shell.invoke("kiosk_begin", json!({})).unwrap_err();
    assert_eq!(refused["code"], "kiosk.not_kiosk");
    shell.ok("settings_update", json!({"patch": {"useMode": "kiosk"}}));
    assert_eq!(
        shell.ok("kiosk_clock", json!({"activity": false}))["state"],
        "none"
    );
    let clock = shell.ok("kiosk_begin", json!({}));
    assert_eq!(clock["state"], "active", "{clock}");
    let folder = shell.data_dir().join("kiosk-session");
    std::fs::write(folder.join("converted.pdf"), b"%PDF-1.7").unwrap();
    assert_eq!(
        shell.ok("kiosk_clock", json!({"activity": true}))["state"],
        "active"
    );
    let switch = shell
        .invoke("account_switch", json!({"accountId": "acc_1"}))
        .unwrap_err();
    assert_eq!(switch["code"], "accounts.kiosk_keeps_nothing");
    shell.ok("settings_update", json!({"patch": {"language": "en"}}));
    let ended = shell.ok("kiosk_end", json!({}));
    assert_eq!(
        shell.ok("settings_get", json!({}))["language"],
        "zh-CN",
        "the next person gets the kiosk as it was"
    );
    assert_eq!(ended["filesRemoved"], 1);
    assert_eq!(ended["bytesRemoved"], 8.0);
    assert!(!folder.exists());
    assert_eq!(
        shell.ok("kiosk_clock", json!({"activity": false}))["state"],
        "none"
    );
}

#[test]
fn no_accounts_are_listed_before_any_is_kept() {
    let shell = shell();
    assert_eq!(shell.ok("accounts_list", json!({})), json!([]));
}

#[test]
fn a_face_photo_needs_a_login_first() {
    let shell = shell();
    for (cmd, args) in [
        ("face_capture", json!({})),
        ("face_verify", json!({"path": "/nonexistent.png"})),
    ] {
        let refused = shell.invoke(cmd, args).unwrap_err();
        assert_eq!(refused["code"], "account.not_signed_in", "{cmd}");
    }
}

#[test]
fn at_a_kiosk_the_outbox_lives_in_the_session_and_goes_with_it() {
    let shell = shell();
    shell.ok("settings_update", json!({"patch": {"useMode": "kiosk"}}));
    log_in_to_demo_court(&shell, "13800138000");
    let refused = shell.invoke("cases_dashboard", json!({})).unwrap_err();
    assert_eq!(refused["code"], "kiosk.no_session");
    shell.ok("kiosk_begin", json!({}));
    shell.ok("cases_dashboard", json!({}));
    let session = shell.data_dir().join("kiosk-session");
    assert!(session.join(crate::cases::OUTBOX_FILE).exists());
    assert!(!shell.data_dir().join(crate::cases::OUTBOX_FILE).exists());
    shell.ok("kiosk_end", json!({}));
    assert!(!session.exists());
    assert_eq!(shell.ok("account_current", json!({})), Value::Null);
}
