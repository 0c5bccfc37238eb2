//! `litigant upload FILES...`: queues files in the outbox and sends them, resumably, with a
//! progress bar per file on a terminal.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use litigant_court_client::{Chunking, ItemStatus, OutboxItem, Progress};
use litigant_evidence::{CaseFile, EntryKind, NewEntry};

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Args)]
pub struct UploadArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// The files to send: PDF, JPEG, PNG, WEBM, MP4 or JSON.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    sending: SendingArgs,
    /// Record each file sent in this case's local electronic file (checked by `litigant verify`).
    #[arg(long)]
    case: Option<String>,
}

/// How the outbox sends.
#[derive(Debug, Args)]
pub struct SendingArgs {
    /// Files sent at the same time.
    #[arg(long, default_value_t = 2)]
    pub parallel: usize,
    /// A fixed chunk size in bytes instead of one that adapts to the line.
    #[arg(long)]
    pub chunk_size: Option<usize>,
}

fn content_type(path: &Path) -> Result<&'static str, Failure> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Ok(match extension.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        "json" => "application/json",
        _ => {
            return Err(Failure::usage(format!(
                "{}: only PDF, JPEG, PNG, WEBM, MP4 and JSON files can be sent",
                path.display()
            )));
        }
    })
}

pub async fn run(args: UploadArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    let types = args
        .files
        .iter()
        .map(|f| content_type(f))
        .collect::<Result<Vec<_>, _>>()?;
    // Logged in before anything is queued, so a missing login does not leave work behind.
    context.resume().await?;
    let mut queued = Vec::new();
    for (file, content_type) in args.files.iter().zip(types) {
        let id = context
            .outbox
            .enqueue_upload(context.platform.as_str(), file, content_type)?;
        eprintln!("queued #{id} {}", file.display());
        queued.push(id);
    }
    let sent = send(&context, &args.sending).await;
    if let Some(case) = &args.case {
        record_in_case_file(&context, case, &queued)?;
    }
    sent
}

/// Appends each finished upload to the case's local electronic file (Art. 35), with the server's
/// id; the file is hashed again as it is recorded and must still be what the platform stored.
fn record_in_case_file(context: &Context, case: &str, ids: &[i64]) -> Result<(), Failure> {
    let mut case_file = CaseFile::open(&context.data)?;
    for id in ids {
        let item = context.outbox.item(*id)?;
        let (ItemStatus::Done, Some(server_id)) = (item.status, item.server_id.clone()) else {
            continue;
        };
        let entry = case_file.append(
            case,
            NewEntry {
                kind: EntryKind::Filed,
                server_id,
                path: item.path.clone(),
                sha256: None,
            },
        )?;
        if item.server_sha256.as_deref() != Some(entry.sha256.as_str()) {
            return Err(Failure::new(format!(
                "{} changed after it was sent: the platform stored SHA-256 {}, the file now has {}",
                item.label,
                item.server_sha256.as_deref().unwrap_or("?"),
                entry.sha256
            )));
        }
        eprintln!(
            "recorded #{id} in the case file of {case} as entry {}",
            entry.seq
        );
    }
    Ok(())
}

/// Sends everything queued for the platform and prints how each item ended. Fails (exit 1)
/// when anything is not done.
pub async fn send(context: &Context, sending: &SendingArgs) -> Result<(), Failure> {
    let client = match sending.chunk_size {
        Some(size) => context.client.clone().with_chunking(Chunking {
            size,
            min: size,
            max: size,
        }),
        None => context.client.clone(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let on_interrupt = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "stopping after the current chunk; `litigant outbox send` goes on from there"
            );
            on_interrupt.store(true, Ordering::Relaxed);
        }
    });
    let bars = std::io::stderr().is_terminal().then(MultiProgress::new);
    let shown: Arc<Mutex<HashMap<i64, ProgressBar>>> = Arc::default();
    let style = ProgressStyle::with_template(
        "#{prefix} {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let progress = Arc::new(move |id: i64, p: Progress| {
        let Some(bars) = &bars else { return };
        let mut shown = shown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bar = shown.entry(id).or_insert_with(|| {
            let bar = bars.add(ProgressBar::new(p.total));
            bar.set_style(style.clone());
            bar.set_prefix(id.to_string());
            bar
        });
        bar.set_position(p.sent);
    });
    let ended = context
        .outbox
        .drain(&client, sending.parallel, progress, stop)
        .await?;
    let mut unfinished = 0;
    for item in &ended {
        print_item(item);
        unfinished += usize::from(item.status != ItemStatus::Done);
    }
    if unfinished > 0 {
        return Err(Failure::new(format!(
            "{unfinished} of {} not sent; see `litigant outbox`",
            ended.len()
        )));
    }
    Ok(())
}

pub fn print_item(item: &OutboxItem) {
    let outcome = match item.status {
        ItemStatus::Done => format!(
            "done {} sha256 {}",
            item.server_id.as_deref().unwrap_or("?"),
            item.server_sha256.as_deref().unwrap_or("")
        ),
        ItemStatus::Queued => format!(
            "queued at {}/{} bytes: {}",
            item.offset,
            item.size,
            item.last_error.as_deref().unwrap_or("waiting")
        ),
        ItemStatus::Failed => format!("failed: {}", item.last_error.as_deref().unwrap_or("?")),
        ItemStatus::Cancelled => "cancelled".to_owned(),
    };
    println!("#{} {}  {outcome}", item.id, item.label);
}
