//! Identity (Art. 7): SMS codes, registration with checked numbers, face, sessions,
//! re-verification, and the refusals each can give.

use reqwest::Method;
use serde_json::json;

use crate::support::{PLAINTIFF_MOBILE, Sim, assert_problem, id_card, png_header, send};

#[test]
fn registration_checks_the_number_and_changes_nothing_when_it_refuses() {
    let sim = Sim::start();
    let accounts = sim.count("accounts");
    let code = sim.sms_code("13700137000", "register");
    let register = |id_number: &str, code: &str| {
        send(sim.request(Method::POST, "/identity/registrations", None).json(&json!({
            "name": "赵六", "idType": "resident_id_card", "idNumber": id_number, "mobile": "13700137000", "smsCode": code
        })))
    };
    let good = id_card("11010119900307001");
    let mut wrong_check = good.clone();
    let last = wrong_check.pop().expect("a last character");
    wrong_check.push(if last == '0' { '1' } else { '0' });
    let problem = assert_problem(register(&wrong_check, &code), 422, "invalid_id_number");
    assert_eq!(problem["errors"][0]["pointer"], "/idNumber");
    assert!(
        !problem.to_string().contains(&wrong_check),
        "the problem must not echo the number"
    );
    assert_problem(
        register("11010119900230001X", &code),
        422,
        "invalid_id_number",
    );
    assert_problem(register(&good, "000000"), 422, "sms_code_invalid");
    assert_eq!(
        sim.count("accounts"),
        accounts,
        "refused registrations left no account"
    );

    let (status, session) = register(&good, &code);
    assert_eq!(status.as_u16(), 201, "{session}");
    assert_eq!(session["account"]["verification"], "pending_face");
    assert!(
        !session.to_string().contains(&good),
        "the number comes back masked"
    );
    assert_problem(register(&good, &code), 422, "sms_code_invalid");

    let token = session["accessToken"].as_str().expect("token");
    let face = |bytes: Vec<u8>| {
        send(
            sim.request(Method::PUT, "/me/face", Some(token))
                .header("content-type", "image/png")
                .body(bytes),
        )
    };
    assert_problem(face(b"not an image".to_vec()), 422, "face_image_invalid");
    assert_problem(face(png_header(64, 64)), 422, "face_image_invalid");
    let (status, verdict) = face(png_header(400, 400));
    assert_eq!(status.as_u16(), 200);
    assert_eq!(verdict["verification"], "verified");
    assert!(
        verdict["note"]
            .as_str()
            .is_some_and(|n| n.contains("no face comparison")),
        "the demo court says what it did not check"
    );

    let log = sim.log();
    assert!(
        log.contains("registered"),
        "the log is being written: {log}"
    );
    for personal in [good.as_str(), wrong_check.as_str(), "13700137000"] {
        assert!(
            !log.contains(personal),
            "the log holds a personal number in full"
        );
    }
    assert!(!log.contains(token), "the log holds a token");
}

#[test]
fn malformed_json_gets_a_problem_that_says_where() {
    let sim = Sim::start();
    for path in [
        "/identity/sms-codes",
        "/identity/registrations",
        "/auth/login",
        "/auth/refresh",
    ] {
        let body = assert_problem(
            send(
                sim.request(Method::POST, path, None)
                    .header("content-type", "application/json")
                    .body("{\"mobile\": 138"),
            ),
            400,
            "malformed_request",
        );
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("line 1")),
            "{body}"
        );
    }
    assert_problem(
        send(
            sim.request(Method::POST, "/identity/sms-codes", None)
                .json(&json!({"mobile": "12345", "purpose": "login"})),
        ),
        422,
        "validation_failed",
    );
}

#[test]
fn sessions_refresh_once_and_end_at_logout() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let (status, me) = send(sim.request(Method::GET, "/me", Some(&party.token)));
    assert_eq!(status.as_u16(), 200);
    assert_eq!(me["idNumberMasked"], "1101**********002X");

    let refresh = |token: &str| {
        send(
            sim.request(Method::POST, "/auth/refresh", None)
                .json(&json!({"refreshToken": token})),
        )
    };
    let (status, renewed) = refresh(&party.refresh);
    assert_eq!(status.as_u16(), 200, "{renewed}");
    assert_problem(refresh(&party.refresh), 401, "token_invalid");

    assert_problem(
        send(sim.request(Method::GET, "/me", None)),
        401,
        "unauthenticated",
    );
    assert_problem(
        send(sim.request(Method::GET, "/me", Some("made-up"))),
        401,
        "token_invalid",
    );
    assert_problem(
        send(sim.request(Method::GET, "/me", Some(&sim.clerk))),
        403,
        "forbidden",
    );

    let token = renewed["accessToken"].as_str().expect("token");
    let (status, _) = send(sim.request(Method::POST, "/auth/logout", Some(token)));
    assert_eq!(status.as_u16(), 204);
    assert_problem(
        send(sim.request(Method::GET, "/me", Some(token))),
        401,
        "token_invalid",
    );
}

#[test]
fn an_expired_access_token_is_named_as_expired() {
    let sim = Sim::start_with(&["--access-token-seconds", "1"]);
    let party = sim.login(PLAINTIFF_MOBILE);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_problem(
        send(sim.request(Method::GET, "/cases", Some(&party.token))),
        401,
        "token_expired",
    );
    let (status, _) = send(
        sim.request(Method::POST, "/auth/refresh", None)
            .json(&json!({"refreshToken": party.refresh})),
    );
    assert_eq!(status.as_u16(), 200, "the refresh token still works");
}

#[test]
fn reverification_needs_a_fresh_code_and_stamps_the_time() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    assert_problem(
        send(
            sim.request(Method::POST, "/me/reverification", Some(&party.token))
                .json(&json!({"smsCode": "123"})),
        ),
        422,
        "sms_code_invalid",
    );
    sim.reverify(&party, PLAINTIFF_MOBILE);
    let (_, me) = send(sim.request(Method::GET, "/me", Some(&party.token)));
    assert!(me["assuranceAt"].is_string(), "{me}");
}
