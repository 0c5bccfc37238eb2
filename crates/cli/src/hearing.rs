//! `litigant hearing list CASE` and `litigant hearing attend HEARING`: an asynchronous hearing
//! at a terminal, for support staff and headless checks. `attend` re-verifies the person when
//! the platform's assurance would not last (Art. 7(3)), then shows each step's prompt, records
//! the answer, asks to confirm or record again (`--yes` confirms), and sends each confirmed
//! step while the next one is recorded; it submits when every step is filed, waiting out a
//! platform that fails for a while and renewing a lapsed identity check on the way.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use clap::{Args, Subcommand};
use litigant_court_api::ProblemCode;
use litigant_court_api::hearings::{AsyncHearing, HearingStatus, HearingStep};
use litigant_court_api::identity::{ReverificationRequest, SmsCodeRequest, SmsPurpose};
use litigant_hearing::{Attendance, Recorder, RecordingSettings, StepUpload};

use crate::devices::source_of;
use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Subcommand)]
pub enum HearingCommand {
    /// The case's asynchronous hearings, with their steps and deadlines.
    List(ListArgs),
    /// Answer a hearing's steps in order: record, confirm, send; then submit.
    Attend(AttendArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    case: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AttendArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    hearing: String,
    /// The camera: `test`, `default`, or a name from `litigant devices`.
    #[arg(long, default_value = "default")]
    source: String,
    /// The microphone: `test`, `default`, or a name.
    #[arg(long)]
    microphone: Option<String>,
    /// Seconds to record each step (at most the step's own limit).
    #[arg(long)]
    seconds: u32,
    /// Confirm each recording without asking.
    #[arg(long)]
    yes: bool,
    /// The account's mobile number, for the SMS code of a re-verification.
    #[arg(long)]
    mobile: Option<String>,
}

/// A re-verification must outlast the hearing's answering by this much.
const ASSURANCE_MARGIN: Duration = Duration::from_mins(10);

pub async fn run(command: HearingCommand) -> Result<(), Failure> {
    match command {
        HearingCommand::List(args) => list(args).await,
        HearingCommand::Attend(args) => attend(args).await,
    }
}

async fn list(args: ListArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let hearings = context.client.hearings(&args.case).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hearings).map_err(Failure::new)?
        );
        return Ok(());
    }
    if hearings.is_empty() {
        println!("No asynchronous hearings.");
    }
    for hearing in &hearings {
        println!(
            "{}  {:?}  due {}  {}/{} steps filed  {}",
            hearing.id,
            hearing.status,
            hearing.deadline.format("%Y-%m-%d %H:%M UTC"),
            hearing.recordings.len(),
            hearing.steps.len(),
            hearing.title
        );
    }
    Ok(())
}

async fn attend(args: AttendArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let hearing = context.client.hearing(&args.hearing).await?;
    println!(
        "{}: {} steps, due {}",
        hearing.title,
        hearing.steps.len(),
        hearing.deadline.format("%Y-%m-%d %H:%M UTC")
    );
    match hearing.status {
        HearingStatus::Open => {}
        HearingStatus::Submitted => {
            return Err(Failure::new(
                "this hearing was already submitted; nothing to do",
            ));
        }
        HearingStatus::Closed => {
            return Err(Failure::new(
                "this hearing's deadline has passed; ask the court what to do now",
            ));
        }
    }
    reverify_if_needed(&context, args.mobile.as_deref()).await?;

    let mut attendance = Attendance::open(
        context.client.clone(),
        context.outbox.clone(),
        hearing,
        &context.data,
        Arc::new(upload_reporter()),
    )?;
    let source = source_of(&args.source, args.microphone.as_deref());
    while let Some(step) = attendance.next_step().cloned() {
        println!(
            "\nStep {} of {}:",
            step.index + 1,
            attendance.hearing().steps.len()
        );
        println!("  {}", step.prompt);
        let settings = attendance.recording_settings(step.index, source.clone())?;
        let seconds = args.seconds.min(step.max_seconds);
        let recorded = record(settings, seconds).await?;
        println!("  recorded {recorded:.1} s");
        if args.yes || confirmed(&step)? {
            attendance.confirm(step.index, &context.outbox)?;
            println!("  confirmed; sending while you go on");
        } else {
            attendance.discard(step.index)?;
        }
    }
    println!("\nWaiting for every step to reach the platform…");
    let submitted = submit(&context, &mut attendance, args.mobile.as_deref()).await?;
    println!(
        "Submitted {} at {}: {} steps.",
        submitted.id,
        submitted
            .submitted_at
            .map_or_else(|| "?".into(), |t| t.to_rfc3339()),
        submitted.recordings.len()
    );
    Ok(())
}

/// How long to wait before each new try of a submission the platform could not take for now.
/// About a minute in all: a short outage is waited out, a long one ends the command (the filed
/// steps stay on the platform and the submission can be made by attending again).
const SUBMIT_WAITS: [Duration; 5] = [
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
    Duration::from_secs(16),
    Duration::from_secs(30),
];

/// Submits, and tries again where that can work (as the desktop's hearing room does): the
/// platform out of reach or failing is waited for, a lapsed identity check is renewed. Any
/// other refusal (the deadline passed, a step not filed) ends the command with its reason.
async fn submit(
    context: &Context,
    attendance: &mut Attendance,
    mobile: Option<&str>,
) -> Result<AsyncHearing, Failure> {
    let mut waits = SUBMIT_WAITS.iter();
    let mut reverified = false;
    loop {
        let error = match attendance.submit().await {
            Ok(submitted) => return Ok(submitted),
            Err(error) if error.can_retry() => error,
            Err(error) => return Err(error.into()),
        };
        if error.problem_code() == Some(ProblemCode::ReverificationRequired) && !reverified {
            eprintln!("The platform wants a fresh identity check before the submission.");
            reverify(context, mobile).await?;
            reverified = true;
            continue;
        }
        let Some(wait) = waits.next() else {
            return Err(Failure::new(format!(
                "the hearing was not submitted: {error}. Every filed step stays with the court; \
                 run `litigant hearing attend` again to submit"
            )));
        };
        eprintln!(
            "Not submitted yet ({error}); trying again in {} s…",
            wait.as_secs()
        );
        tokio::time::sleep(*wait).await;
    }
}

/// Re-verifies with an SMS code when the platform's assurance is missing or would run out
/// before the margin.
async fn reverify_if_needed(context: &Context, mobile: Option<&str>) -> Result<(), Failure> {
    let (me, policy) = (context.client.me().await?, context.client.policy().await?);
    let max_age = chrono::Duration::seconds(
        i64::try_from(policy.reverification_max_age_seconds).unwrap_or(i64::MAX),
    );
    let margin = chrono::Duration::from_std(ASSURANCE_MARGIN).unwrap_or_default();
    if me
        .assurance_at
        .is_some_and(|at| at + max_age > Utc::now() + margin)
    {
        return Ok(());
    }
    reverify(context, mobile).await
}

/// Re-verifies now with an SMS code typed on standard input.
async fn reverify(context: &Context, mobile: Option<&str>) -> Result<(), Failure> {
    let mobile = mobile.ok_or_else(|| {
        Failure::usage("the hearing needs a fresh identity check: give --mobile for its SMS code")
    })?;
    let sent = context
        .client
        .send_sms_code(&SmsCodeRequest {
            mobile: mobile.to_owned(),
            purpose: SmsPurpose::Reverify,
        })
        .await?;
    eprintln!(
        "The hearing needs a fresh identity check. An SMS code was sent to {}. Type it and press Enter:",
        sent.mobile_masked
    );
    let code = read_line()?;
    let verified = context
        .client
        .reverify(&ReverificationRequest { sms_code: code })
        .await?;
    println!(
        "Identity checked; valid until {}.",
        verified.valid_until.format("%H:%M UTC")
    );
    Ok(())
}

fn read_line() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(Failure::new)?;
    Ok(line.trim().to_owned())
}

fn confirmed(step: &HearingStep) -> Result<bool, Failure> {
    eprintln!(
        "  Send this answer to step {}? Type c to confirm, r to record again:",
        step.index + 1
    );
    loop {
        match read_line()?.as_str() {
            "c" | "C" => return Ok(true),
            "r" | "R" => return Ok(false),
            "" => return Err(Failure::new("no answer; nothing was sent")),
            _ => eprintln!("  Type c or r:"),
        }
    }
}

/// Records `seconds` on a blocking thread (the recorder blocks for seconds when stopping).
async fn record(settings: RecordingSettings, seconds: u32) -> Result<f64, Failure> {
    tokio::task::spawn_blocking(move || {
        let recorder = Recorder::start(&settings, None)?;
        std::thread::sleep(Duration::from_secs(u64::from(seconds)));
        if let Some(error) = recorder.failure() {
            return Err(error.into());
        }
        let manifest = recorder.stop()?;
        #[allow(
            clippy::cast_precision_loss,
            reason = "a recording's milliseconds are far below 2^52"
        )]
        Ok(manifest.duration_ms() as f64 / 1000.0)
    })
    .await
    .map_err(Failure::new)?
}

/// Prints each step's sending in quarters, and every wait, filing and refusal.
fn upload_reporter() -> impl Fn(StepUpload) + Send + Sync {
    let quarters = Mutex::new(HashMap::<u32, u64>::new());
    move |report| match report {
        StepUpload::Sending { step, sent, total } => {
            let quarter = (sent * 4).checked_div(total).unwrap_or(4);
            let mut seen = quarters
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if seen.insert(step, quarter) != Some(quarter) {
                eprintln!("  [step {}: {} of {} bytes sent]", step + 1, sent, total);
            }
        }
        StepUpload::Waiting { step, reason } => {
            eprintln!("  [step {}: waiting for the platform: {reason}]", step + 1);
        }
        StepUpload::Filed { step } => eprintln!("  [step {}: filed with the court]", step + 1),
        StepUpload::Refused { step, reason } => {
            eprintln!("  [step {}: refused: {reason}]", step + 1);
        }
    }
}
