//! Real-name identity (Art. 7) on the signed-in platform: the local check of an identity number
//! as it is typed, registration, the face photo, re-verification and whether a step needs one.

use std::path::Path;
use std::str::FromStr;

use litigant_accounts::{Assurance, assurance_for, needs_recent_assurance};
use litigant_court_api::identity::{IdType, Registration};
use litigant_id_number::{
    DateProblem, Details, EARLIEST_BIRTH_YEAR, Expected, IdKind, IdNumberError,
};

use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::models::{
    AccountSummary, AssuranceView, FaceResult, IdNumberCheck, LinkChoice, RegistrationForm,
};
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// A face photo larger than this is not a photo of a face.
const FACE_PHOTO_LIMIT: u64 = 10 * 1024 * 1024;

fn id_kind(kind: &str) -> Result<IdKind, CommandError> {
    IdKind::from_str(kind).map_err(|_| {
        CommandError::new(
            "registration.unknown_kind",
            format!("Unknown kind of document: {kind}"),
        )
        .with_detail("kind", kind)
    })
}

/// Checks a number locally, as it is typed: what is wrong and where, or what it tells.
pub fn check_id_number(kind: &str, number: &str) -> Result<IdNumberCheck, CommandError> {
    let checked = litigant_id_number::check(id_kind(kind)?, number)?;
    let (birth_date, region) = match checked.details() {
        Details::Person {
            birth_date, region, ..
        } => (Some(birth_date.to_string()), Some(*region)),
        _ => (None, None),
    };
    Ok(IdNumberCheck {
        kind: checked.kind().as_str().to_owned(),
        masked: checked.masked(),
        birth_date,
        region_zh: region.map(|r| r.name_zh.to_owned()),
        region_en: region.map(|r| r.name_en.to_owned()),
    })
}

/// Registers on the chosen platform after checking the number and the mobile number here, so
/// a typing mistake costs no SMS code.
pub async fn register(
    signed_in: &SignedIn,
    state: &AppState,
    demo_court: &DemoCourt,
    form: RegistrationForm,
) -> Result<AccountSummary, CommandError> {
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        return Err(CommandError::new(
            "registration.name_missing",
            "Enter your name as it is printed on the document.",
        ));
    }
    let number = litigant_id_number::check(id_kind(&form.id_kind)?, &form.id_number)?;
    let mobile = litigant_id_number::check_mobile(&form.mobile)?;
    let id_type: IdType = serde_json::from_value(number.kind().as_str().into())
        .map_err(|_| CommandError::state_poisoned())?;
    let registration = Registration {
        name,
        id_type,
        id_number: number.expose().to_owned(),
        mobile: mobile.expose().to_owned(),
        sms_code: form.sms_code.trim().to_owned(),
    };
    let mobile = Some(registration.mobile.clone());
    signed_in
        .begin(state, demo_court, form.keep, mobile, |client| async move {
            client.register(&registration).await
        })
        .await
}

/// The kind of image, from its first bytes; the platform takes JPEG and PNG.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

fn read_photo(path: &Path) -> Result<(Vec<u8>, &'static str), CommandError> {
    let unreadable = |error: std::io::Error| {
        CommandError::new("face.file", format!("{}: {error}", path.display()))
            .with_detail("path", path.display().to_string())
            .with_detail("cause", error.to_string())
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > FACE_PHOTO_LIMIT {
        return Err(CommandError::new(
            "face.too_large",
            format!(
                "{} is larger than 10 MB; choose a photo of your face",
                path.display()
            ),
        )
        .with_detail("path", path.display().to_string()));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let content_type = image_type(&bytes).ok_or_else(|| {
        CommandError::new(
            "face.not_an_image",
            format!("{} is not a JPEG or PNG photo", path.display()),
        )
        .with_detail("path", path.display().to_string())
    })?;
    Ok((bytes, content_type))
}

/// Sends the face photo at `path` for the signed-in account's verification.
pub async fn verify_face(signed_in: &SignedIn, path: &Path) -> Result<FaceResult, CommandError> {
    signed_in.client().await?;
    let (bytes, content_type) = read_photo(path)?;
    send_face(signed_in, bytes, content_type).await
}

/// Which camera takes face photos: `LITIGANT_CAMERA` (a device name as `litigant devices`
/// lists it, or `test` for GStreamer's test pattern), else the system's default camera.
pub const CAMERA_ENV: &str = "LITIGANT_CAMERA";

/// How long the camera may take to give a picture.
const CAMERA_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Takes the face photo with the camera and sends it for verification.
pub async fn capture_face(signed_in: &SignedIn) -> Result<FaceResult, CommandError> {
    signed_in.client().await?;
    let camera = std::env::var(CAMERA_ENV).map_or(litigant_hearing::Input::Default, |name| {
        litigant_hearing::Input::parse(&name)
    });
    let jpeg =
        tokio::task::spawn_blocking(move || litigant_hearing::still_jpeg(&camera, CAMERA_WAIT))
            .await
            .map_err(|_| CommandError::state_poisoned())?
            .map_err(|error| {
                tracing::warn!(code = error.code(), "{error}");
                CommandError::new(error.code(), error.to_string())
                    .with_detail("cause", error.to_string())
            })?;
    send_face(signed_in, jpeg, "image/jpeg").await
}

async fn send_face(
    signed_in: &SignedIn,
    bytes: Vec<u8>,
    content_type: &'static str,
) -> Result<FaceResult, CommandError> {
    let client = signed_in.client().await?;
    let verdict = client.upload_face(bytes, content_type).await?;
    signed_in.refresh_summary(&client.me().await?).await;
    Ok(FaceResult {
        verified: verdict.verification
            == litigant_court_api::identity::VerificationStatus::Verified,
        verified_at: verdict.verified_at.map(|at| at.to_rfc3339()),
        note: verdict.note,
    })
}

/// Whether `link` may start now or needs a re-verification first (the rule is the accounts
/// crate's; the platform supplies the last assurance and how long one holds).
pub async fn assurance(
    signed_in: &SignedIn,
    link: LinkChoice,
) -> Result<AssuranceView, CommandError> {
    let client = signed_in.client().await?;
    let link = link.into();
    if !needs_recent_assurance(link) {
        return Ok(AssuranceView {
            required: false,
            needed: false,
            assurance_at: None,
            valid_until: None,
        });
    }
    let (account, policy) = tokio::try_join!(client.me(), client.policy())?;
    let max_age = chrono::Duration::seconds(
        i64::try_from(policy.reverification_max_age_seconds).unwrap_or(i64::MAX),
    );
    let answer = assurance_for(link, account.assurance_at, max_age, chrono::Utc::now());
    let valid_until = match answer {
        Assurance::Holds { valid_until } => Some(valid_until),
        Assurance::Needed { valid_until, .. } => valid_until,
        Assurance::NotRequired => None,
    };
    Ok(AssuranceView {
        required: true,
        needed: answer.needed(),
        assurance_at: account.assurance_at.map(|at| at.to_rfc3339()),
        valid_until: valid_until.map(|at| at.to_rfc3339()),
    })
}

/// What belongs at a position, in Chinese, for the zh-CN message (the crate's own is English).
fn expected_zh(expected: Expected) -> String {
    match expected {
        Expected::Digit => "数字".into(),
        Expected::DigitOrX => "数字或 X".into(),
        Expected::CodeCharacter => "数字或除 I、O、S、V、Z 以外的大写字母".into(),
        Expected::DigitOrLetterExceptIo => "数字或除 I、O 以外的字母".into(),
        Expected::LetterOrDigit => "字母或数字".into(),
        Expected::Exactly(c) => format!("“{c}”"),
    }
}

/// Why a birth date is impossible, in Chinese.
fn date_problem_zh(problem: DateProblem) -> String {
    match problem {
        DateProblem::MonthOutOfRange { month } => format!("没有 {month:02} 月"),
        DateProblem::DayOutOfRange { day, days_in_month } => {
            format!("这个月只有 {days_in_month} 天，没有 {day:02} 日")
        }
        DateProblem::BeforeEarliestYear { year } => {
            format!("{year} 年早于 {EARLIEST_BIRTH_YEAR} 年")
        }
        DateProblem::InTheFuture => "日期在将来".into(),
    }
}

impl From<IdNumberError> for CommandError {
    fn from(error: IdNumberError) -> Self {
        // The error never holds the whole number, so it may be logged.
        tracing::info!(code = error.code(), "{error}");
        let zh = match &error {
            IdNumberError::UnexpectedCharacter { expected, .. } => {
                Some(("expectedZh", expected_zh(*expected)))
            }
            IdNumberError::BirthDateInvalid { problem, .. } => {
                Some(("causeZh", date_problem_zh(*problem)))
            }
            _ => None,
        };
        let command = error.details().into_iter().fold(
            Self::new(error.code(), error.to_string()),
            |command, (key, value)| command.with_detail(key, value),
        );
        match zh {
            Some((key, zh)) => command.with_detail(key, zh),
            None => command,
        }
    }
}
