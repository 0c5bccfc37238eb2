//! `litigant hearing list CASE` and `litigant hearing attend HEARING`: an asynchronous hearing
//! at a terminal, for support staff and headless checks. `attend` re-verifies the person when
//! the platform's assurance would not last (Art. 7(3)), then shows each step's prompt, records
//! the answer, asks to confirm or record again (`--yes` confirms), and sends each confirmed
//! step while the next one is recorded; it submits when every step is filed.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use clap::{Args, Subcommand};
use litigant_court_api::hearings::{HearingStatus, HearingStep};
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
    let submitted = attendance.submit().await?;
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
