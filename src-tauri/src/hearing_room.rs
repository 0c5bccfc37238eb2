//! The hearing room: one asynchronous hearing at a time on this window. The rules are in
//! litigant-hearing (`Attendance`, `Recorder`, the check); this holds what the window needs
//! between calls: the open attendance, the recorder while it runs, the newest preview frame and
//! sound level for the interface to fetch, and each step's sending as the background sender
//! reports it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex, mpsc};

use base64::Engine;
use litigant_court_api::hearings::{AsyncHearing, HearingStatus};
use litigant_court_client::{Client, Outbox, SpeedProbe};
use litigant_hearing::{
    Attendance, CheckSettings, DeviceKind, HearingError, Input, MANIFEST_FILE, Manifest, Recorder,
    RecorderEvent, Source, StepUpload, Verdict, check_environment, list_devices, queued_recording,
    recover,
};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder, http};
use tokio::sync::Mutex;

use crate::error::CommandError;
use crate::models::{
    CheckFindingView, CheckReport, DeviceChoice, HearingSummary, LivePreview, RoomView, StepState,
    StepView,
};

#[derive(Debug, Default)]
pub struct HearingRoom {
    room: Mutex<Option<Room>>,
    /// Counts openings and closings: a submission that failed puts its room back only if the
    /// window neither left nor opened another meanwhile.
    opened: AtomicU64,
    live: Arc<StdMutex<LivePreview>>,
}

#[derive(Debug)]
struct Room {
    attendance: Attendance,
    outbox: Outbox,
    recording: Option<(u32, Recorder)>,
    /// Recorded here and not yet confirmed: step → milliseconds.
    recorded: BTreeMap<u32, u32>,
    /// Of those, the ones cut off by a crash and recovered up to their last whole segment: the
    /// party continues recording them, or records them again.
    interrupted: Vec<u32>,
    confirmed: Vec<u32>,
    sending: Arc<StdMutex<BTreeMap<u32, StepUpload>>>,
}

/// `test` (the test pattern and tone), `default`, or a camera's name; the microphone follows.
fn source_of(choice: &str) -> Source {
    match Input::parse(choice) {
        Input::Test => Source::test(),
        video => Source {
            video,
            audio: Input::Default,
        },
    }
}

fn blocking_failed(error: &tokio::task::JoinError) -> CommandError {
    CommandError::new(
        "hearing.internal",
        format!("the hearing task failed: {error}"),
    )
}

pub fn summary(hearing: &AsyncHearing) -> HearingSummary {
    HearingSummary {
        id: hearing.id.clone(),
        case_id: hearing.case_id.clone(),
        title: hearing.title.clone(),
        deadline: hearing.deadline.to_rfc3339(),
        status: status_text(hearing.status).into(),
        steps: u32::try_from(hearing.steps.len()).unwrap_or(u32::MAX),
        filed: u32::try_from(hearing.recordings.len()).unwrap_or(u32::MAX),
    }
}

fn status_text(status: HearingStatus) -> &'static str {
    match status {
        HearingStatus::Open => "open",
        HearingStatus::Submitted => "submitted",
        HearingStatus::Closed => "closed",
    }
}

/// Cameras to offer; the test pattern only where a demonstration makes sense (the demo court).
pub async fn devices(offer_test: bool) -> Result<Vec<DeviceChoice>, CommandError> {
    let found = tokio::task::spawn_blocking(list_devices)
        .await
        .map_err(|e| blocking_failed(&e))??;
    let mut choices: Vec<DeviceChoice> = found
        .into_iter()
        .filter(|d| d.kind == DeviceKind::Camera)
        .map(|d| DeviceChoice {
            value: d.name.clone(),
            label: d.name,
            test: false,
        })
        .collect();
    if offer_test {
        choices.push(DeviceChoice {
            value: "test".into(),
            label: "test".into(),
            test: true,
        });
    }
    Ok(choices)
}

/// The pre-hearing check (Art. 24), with the upload speed measured against the platform.
pub async fn check(
    data_folder: PathBuf,
    source: &str,
    client: Option<Client>,
) -> Result<CheckReport, CommandError> {
    let upload = match client {
        Some(client) => Some(
            client
                .measure_upload_speed(SpeedProbe::default())
                .await?
                .bytes_per_second,
        ),
        None => None,
    };
    let mut settings = CheckSettings::new(data_folder, source_of(source));
    settings.upload_bytes_per_second = upload;
    let report = tokio::task::spawn_blocking(move || check_environment(&settings))
        .await
        .map_err(|e| blocking_failed(&e))??;
    let can_record = report.worst() != Verdict::Problem;
    Ok(CheckReport {
        findings: report
            .findings
            .into_iter()
            .map(|f| CheckFindingView {
                item: f.item.as_str().into(),
                verdict: match f.verdict {
                    Verdict::Ok => "ok",
                    Verdict::NotChecked => "not_checked",
                    Verdict::Warning => "warning",
                    Verdict::Problem => "problem",
                }
                .into(),
                key: f.key.into(),
                values: f
                    .values
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                has_fix: f.fix.is_some(),
            })
            .collect(),
        can_record,
    })
}

impl HearingRoom {
    /// Opens `hearing` for this window, closing any other; steps confirmed earlier and not yet
    /// filed start sending at once.
    pub async fn open(
        &self,
        client: Client,
        data_folder: PathBuf,
        hearing_id: &str,
    ) -> Result<RoomView, CommandError> {
        let hearing = client.hearing(hearing_id).await?;
        let outbox = Outbox::open(data_folder.join("outbox.db"))?;
        let sending: Arc<StdMutex<BTreeMap<u32, StepUpload>>> = Arc::default();
        let reports = sending.clone();
        let attendance = Attendance::open(
            client,
            outbox.clone(),
            hearing,
            &data_folder,
            Arc::new(move |report: StepUpload| {
                let step = match &report {
                    StepUpload::Sending { step, .. }
                    | StepUpload::Waiting { step, .. }
                    | StepUpload::Filed { step }
                    | StepUpload::Refused { step, .. } => *step,
                };
                if let Ok(mut sending) = reports.lock() {
                    sending.insert(step, report);
                }
            }),
        )?;
        let mut guard = self.room.lock().await;
        self.opened.fetch_add(1, Ordering::SeqCst);
        if let Some(old) = guard.take() {
            stop_recording(old.recording).await;
        }
        let (recorded, interrupted) = takes_left_here(&attendance).await?;
        let room = guard.insert(Room {
            attendance,
            outbox,
            recording: None,
            recorded,
            interrupted,
            confirmed: Vec::new(),
            sending,
        });
        Ok(view(room))
    }

    pub async fn view(&self) -> Result<RoomView, CommandError> {
        let guard = self.room.lock().await;
        guard.as_ref().map(view).ok_or_else(no_room)
    }

    /// Starts recording `step` from `source`; returns once picture and sound reach the files.
    /// `resume` continues an interrupted take in its folder; otherwise a new take replaces any
    /// unconfirmed one.
    pub async fn start(
        &self,
        step: u32,
        source: &str,
        resume: bool,
    ) -> Result<RoomView, CommandError> {
        let mut guard = self.room.lock().await;
        let room = guard.as_mut().ok_or_else(no_room)?;
        if room.recording.is_some() {
            return Err(CommandError::new(
                "hearing.already_recording",
                "A recording is running; stop it first.",
            ));
        }
        let resuming = resume && room.interrupted.contains(&step);
        if !resuming {
            room.attendance.discard(step)?;
        }
        room.interrupted.retain(|s| *s != step);
        room.recorded.remove(&step);
        let settings = room
            .attendance
            .recording_settings(step, source_of(source))?;
        let (events, received) = mpsc::sync_channel(16);
        let recorder =
            tokio::task::spawn_blocking(move || Recorder::start(&settings, Some(events)))
                .await
                .map_err(|e| blocking_failed(&e))??;
        *self
            .live
            .lock()
            .map_err(|_| CommandError::state_poisoned())? = LivePreview::default();
        forward_live(received, self.live.clone());
        room.recording = Some((step, recorder));
        Ok(view(room))
    }

    /// Stops the running recording; the step is then recorded, waiting for confirmation.
    pub async fn stop(&self) -> Result<RoomView, CommandError> {
        let mut guard = self.room.lock().await;
        let room = guard.as_mut().ok_or_else(no_room)?;
        let (step, recorder) = room.recording.take().ok_or_else(|| {
            CommandError::new("hearing.not_recording", "Nothing is being recorded.")
        })?;
        let manifest = tokio::task::spawn_blocking(move || recorder.stop())
            .await
            .map_err(|e| blocking_failed(&e))??;
        room.recorded.insert(
            step,
            u32::try_from(manifest.duration_ms()).unwrap_or(u32::MAX),
        );
        Ok(view(room))
    }

    pub async fn discard(&self, step: u32) -> Result<RoomView, CommandError> {
        let mut guard = self.room.lock().await;
        let room = guard.as_mut().ok_or_else(no_room)?;
        room.attendance.discard(step)?;
        room.recorded.remove(&step);
        room.interrupted.retain(|s| *s != step);
        Ok(view(room))
    }

    /// The party confirms the step: from here it is sent, in the background.
    pub async fn confirm(&self, step: u32) -> Result<RoomView, CommandError> {
        let mut guard = self.room.lock().await;
        let room = guard.as_mut().ok_or_else(no_room)?;
        if !room.recorded.contains_key(&step) {
            return Err(not_recorded(step, "confirm"));
        }
        let outbox = room.outbox.clone();
        room.attendance.confirm(step, &outbox)?;
        room.recorded.remove(&step);
        room.confirmed.push(step);
        Ok(view(room))
    }

    /// Waits for every step to be filed and submits the hearing. The room closes when that
    /// works, and when trying again cannot (the deadline passed, a step could not be filed);
    /// otherwise it stays open for the party to fix the cause and submit again. The error says
    /// which in `details.room`: `open` or `closed`.
    pub async fn submit(&self) -> Result<HearingSummary, CommandError> {
        // Out of the lock while it waits for the uploads, so the window can still poll and leave.
        let (mut room, opened) = {
            let mut guard = self.room.lock().await;
            let room = guard.take().ok_or_else(no_room)?;
            (room, self.opened.load(Ordering::SeqCst))
        };
        stop_recording(room.recording.take()).await;
        match room.attendance.submit().await {
            Ok(submitted) => Ok(summary(&submitted)),
            Err(error) => {
                let kept = error.can_retry() && {
                    let mut guard = self.room.lock().await;
                    let untouched = guard.is_none() && self.opened.load(Ordering::SeqCst) == opened;
                    if untouched {
                        *guard = Some(room);
                    }
                    untouched
                };
                Err(CommandError::from(error)
                    .with_detail("room", if kept { "open" } else { "closed" }))
            }
        }
    }

    /// The bytes of segment `index` of `step`'s take, while it is recorded and not confirmed;
    /// only a file the step's manifest lists, by its plain name.
    pub async fn segment(&self, step: u32, index: usize) -> Result<Vec<u8>, CommandError> {
        let folder = {
            let guard = self.room.lock().await;
            let room = guard.as_ref().ok_or_else(no_room)?;
            if !room.recorded.contains_key(&step) {
                return Err(not_recorded(step, "play"));
            }
            room.attendance.step_folder(step)
        };
        let manifest = Manifest::load(&folder)?;
        let file = manifest
            .segments
            .get(index)
            .map(|segment| segment.file.clone())
            .filter(|name| {
                let mut parts = std::path::Path::new(name).components();
                matches!(
                    (parts.next(), parts.next()),
                    (Some(std::path::Component::Normal(_)), None)
                )
            })
            .ok_or_else(|| CommandError::new("hearing.no_segment", "No such recording."))?;
        let path = folder.join(file);
        tokio::fs::read(&path).await.map_err(|e| {
            CommandError::new("hearing.io", format!("{}: {e}", path.display()))
                .with_detail("path", path.display().to_string())
        })
    }

    pub fn live(&self) -> Result<LivePreview, CommandError> {
        self.live
            .lock()
            .map(|live| live.clone())
            .map_err(|_| CommandError::state_poisoned())
    }

    /// Closes the room (the window leaves it); a running recording is stopped and kept
    /// unconfirmed, and steps already confirmed go on sending only when the room is opened again.
    pub async fn close(&self) {
        let mut guard = self.room.lock().await;
        self.opened.fetch_add(1, Ordering::SeqCst);
        if let Some(room) = guard.take() {
            stop_recording(room.recording).await;
        }
    }
}

async fn stop_recording(recording: Option<(u32, Recorder)>) {
    if let Some((_, recorder)) = recording {
        let _ = tokio::task::spawn_blocking(move || recorder.stop()).await;
    }
}

/// The `hearing:` scheme: `hearing://localhost/<step>/<segment>` is one WebM segment of a
/// recorded, unconfirmed step of the open room, for the window to play back. Nothing else is
/// served, and nothing is ever offered for saving (Art. 27).
pub fn serve_segment<R: Runtime>(
    context: &UriSchemeContext<'_, R>,
    request: &http::Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    let mut parts = request.uri().path().trim_matches('/').split('/');
    let wanted = match (parts.next(), parts.next(), parts.next()) {
        (Some(step), Some(segment), None) => {
            step.parse::<u32>().ok().zip(segment.parse::<usize>().ok())
        }
        _ => None,
    };
    // The window's own pages only (Linux and Windows spell the app's origin differently); the
    // window fetches the bytes because WebKitGTK's player cannot read a custom scheme itself.
    let origin = request
        .headers()
        .get(http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| matches!(*o, "tauri://localhost" | "http://tauri.localhost"))
        .map(str::to_owned);
    tauri::async_runtime::spawn(async move {
        let answer = match wanted {
            Some((step, segment)) => app.state::<HearingRoom>().segment(step, segment).await,
            None => Err(CommandError::new(
                "hearing.no_segment",
                "No such recording.",
            )),
        };
        let mut builder = http::Response::builder();
        if let Some(origin) = origin {
            builder = builder.header(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        let response = match answer {
            Ok(bytes) => builder
                .header(http::header::CONTENT_TYPE, "video/webm")
                .header(http::header::CACHE_CONTROL, "no-store")
                .body(bytes),
            Err(error) => {
                tracing::debug!(code = %error.code, "no segment to play back");
                builder.status(http::StatusCode::NOT_FOUND).body(Vec::new())
            }
        };
        if let Ok(response) = response {
            responder.respond(response);
        }
    });
}

/// `step` has no take here, waiting for confirmation, to `act` on.
fn not_recorded(step: u32, act: &str) -> CommandError {
    CommandError::new(
        "hearing.step_not_recorded",
        format!("Step {} has no recording to {act}.", step + 1),
    )
    .with_detail("step", (step + 1).to_string())
}

/// The takes an earlier run left in the hearing's folder, neither confirmed nor filed: a
/// finished one waits for confirmation as it was; one cut off by a crash (kill -9, a power
/// cut) is recovered — the segments that decode kept, a broken last one dropped — and offered
/// to be continued. Returns each take's length, and which were interrupted.
async fn takes_left_here(
    attendance: &Attendance,
) -> Result<(BTreeMap<u32, u32>, Vec<u32>), CommandError> {
    let filed: Vec<u32> = attendance
        .hearing()
        .recordings
        .iter()
        .map(|r| r.step_index)
        .collect();
    let folders: Vec<(u32, PathBuf)> = attendance
        .hearing()
        .steps
        .iter()
        .filter(|step| !filed.contains(&step.index))
        .map(|step| (step.index, attendance.step_folder(step.index)))
        .collect();
    tokio::task::spawn_blocking(move || {
        let (mut recorded, mut interrupted) = (BTreeMap::new(), Vec::new());
        for (step, folder) in folders {
            if queued_recording(&folder)?.is_some() || !folder.join(MANIFEST_FILE).exists() {
                continue;
            }
            let mut manifest = Manifest::load(&folder)?;
            if !manifest.is_finished() {
                let report = recover(&folder)?;
                tracing::info!(
                    step,
                    kept = report.kept.len(),
                    dropped = report.dropped.len(),
                    "recovered an interrupted recording"
                );
                manifest = Manifest::load(&folder)?;
                interrupted.push(step);
            }
            recorded.insert(
                step,
                u32::try_from(manifest.duration_ms()).unwrap_or(u32::MAX),
            );
        }
        Ok::<_, HearingError>((recorded, interrupted))
    })
    .await
    .map_err(|e| blocking_failed(&e))?
    .map_err(CommandError::from)
}

fn no_room() -> CommandError {
    CommandError::new("hearing.no_room", "Open the hearing first.")
}

/// Keeps the newest preview frame (as base64 RGB) and sound level for the interface, until the
/// recorder stops and drops its end of the channel.
fn forward_live(received: mpsc::Receiver<RecorderEvent>, live: Arc<StdMutex<LivePreview>>) {
    std::thread::spawn(move || {
        while let Ok(event) = received.recv() {
            let Ok(mut live) = live.lock() else { return };
            match event {
                RecorderEvent::Preview(frame) => {
                    live.width = frame.width;
                    live.height = frame.height;
                    live.rgb_base64 = base64::engine::general_purpose::STANDARD.encode(&frame.rgb);
                    live.frames += 1;
                }
                RecorderEvent::Level(level) => live.level_db = Some(level.rms_db),
                RecorderEvent::SegmentClosed(_) => live.segments += 1,
            }
        }
    });
}

fn view(room: &Room) -> RoomView {
    let hearing = room.attendance.hearing();
    let sending = room.sending.lock().map(|s| s.clone()).unwrap_or_default();
    let steps = hearing
        .steps
        .iter()
        .map(|step| {
            let mut view = StepView {
                index: step.index,
                prompt: step.prompt.clone(),
                max_seconds: step.max_seconds,
                state: StepState::Todo,
                recorded_ms: room.recorded.get(&step.index).copied(),
                sent: 0,
                total: 0,
                problem: None,
            };
            let filed_before = hearing
                .recordings
                .iter()
                .any(|r| r.step_index == step.index);
            view.state = match sending.get(&step.index) {
                Some(StepUpload::Filed { .. }) => StepState::Filed,
                Some(StepUpload::Sending { sent, total, .. }) => {
                    (view.sent, view.total) = (*sent, *total);
                    StepState::Sending
                }
                Some(StepUpload::Waiting { reason, .. }) => {
                    view.problem = Some(reason.clone());
                    StepState::Waiting
                }
                Some(StepUpload::Refused { reason, .. }) => {
                    view.problem = Some(reason.clone());
                    StepState::Refused
                }
                None if filed_before => StepState::Filed,
                None if room.confirmed.contains(&step.index) => StepState::Confirmed,
                None if room
                    .recording
                    .as_ref()
                    .is_some_and(|(s, _)| *s == step.index) =>
                {
                    StepState::Recording
                }
                None if room.interrupted.contains(&step.index) => StepState::Interrupted,
                None if view.recorded_ms.is_some() => StepState::Recorded,
                None => StepState::Todo,
            };
            view
        })
        .collect();
    RoomView {
        hearing: summary(hearing),
        steps,
        next_step: room.attendance.next_step().map(|s| s.index),
        recording: room.recording.as_ref().map(|(step, _)| *step),
    }
}

impl From<HearingError> for CommandError {
    fn from(error: HearingError) -> Self {
        // The platform's own refusal or the network: the interface has words for those codes.
        let error = match error {
            HearingError::Outbox(client) => return client.into(),
            other => other,
        };
        tracing::warn!(code = error.code(), "{error}");
        let command = Self::new(error.code(), error.to_string());
        match &error {
            HearingError::StepConfirmed { step } | HearingError::StepMissing { step } => {
                command.with_detail("step", (step + 1).to_string())
            }
            HearingError::StepNotFiled { step, reason } => command
                .with_detail("step", (step + 1).to_string())
                .with_detail("reason", reason.clone()),
            HearingError::DeadlinePassed { deadline } => {
                command.with_detail("deadline", deadline.to_rfc3339())
            }
            HearingError::DeviceNotFound { name, .. } => command.with_detail("name", name.clone()),
            HearingError::MissingElement { package, .. } => {
                command.with_detail("package", *package)
            }
            _ => command,
        }
    }
}
