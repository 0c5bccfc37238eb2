//! Attending an asynchronous hearing (Art. 20–23): the platform's steps answered in order, each
//! recorded into its own folder, and sent only once the party has confirmed it. A confirmed
//! step goes to the outbox and a background sender uploads it while the next step is recorded;
//! when its files have arrived with the manifest's hashes, the step's recording is filed with
//! the platform and the local copy removed (Art. 27). Submission waits for every step.
//!
//! What must hold: nothing leaves the machine before confirmation; steps reach the platform in
//! order (it refuses step n before step n−1); a restart finds confirmed steps that were not yet
//! filed (their folders keep `uploads.json`) and sends them first; the deadline is checked
//! before recording and before submitting, so a late party hears it from Litigant, plainly.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::{DateTime, Utc};
use litigant_court_api::hearings::{AsyncHearing, HearingStatus, HearingStep};
use litigant_court_client::{Client, ItemStatus, Outbox};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::error::{HearingError, Result};
use crate::handoff::{enqueue_recording, queued_recording, recording_request, remove_recording};
use crate::{RecordingSettings, Source, files};

/// What the background sender reports.
#[derive(Debug, Clone, PartialEq)]
pub enum StepUpload {
    /// Bytes of the step's files the platform has, of all its files' bytes.
    Sending { step: u32, sent: u64, total: u64 },
    /// The platform could not be reached; the step stays queued and is tried again.
    Waiting { step: u32, reason: String },
    /// The platform has the step's recording; the local copy is gone.
    Filed { step: u32 },
    /// The platform refused a file or the recording; the step must be recorded again.
    Refused { step: u32, reason: String },
}

type Report = Arc<dyn Fn(StepUpload) + Send + Sync>;

/// One party's attendance of one hearing, from this machine.
#[derive(Debug)]
pub struct Attendance {
    client: Client,
    hearing: AsyncHearing,
    folder: PathBuf,
    confirmed: Vec<u32>,
    steps: Option<mpsc::UnboundedSender<u32>>,
    sender: Sending,
    /// A submission was sent and its answer lost or refused: before sending another, ask the
    /// platform whether the last one arrived (a cut after the platform took it must not make
    /// the party submit twice, nor see "already submitted" as a failure).
    submission_tried: bool,
}

/// The background sender, and how it ended once it has: a finished task's handle cannot be
/// awaited a second time, so a submission tried again reads its outcome from here.
#[derive(Debug)]
enum Sending {
    Running(JoinHandle<Result<(), StepFailure>>),
    /// Every confirmed step is filed.
    Finished,
    /// A step could not be filed: the attendance can no longer be submitted.
    Failed {
        step: u32,
        reason: String,
    },
}

impl Attendance {
    /// Opens the hearing's folder `<data>/hearings/<id>` and starts the background sender,
    /// which first sends any step confirmed in an earlier run and not yet filed.
    pub fn open(
        client: Client,
        outbox: Outbox,
        hearing: AsyncHearing,
        data_folder: &Path,
        report: Report,
    ) -> Result<Self> {
        // The id comes from the platform and becomes a folder name: one plain component only.
        let mut parts = Path::new(&hearing.id).components();
        if !matches!(
            (parts.next(), parts.next()),
            (Some(std::path::Component::Normal(_)), None)
        ) {
            return Err(HearingError::Recording {
                message: format!("the platform sent an unusable hearing id {:?}", hearing.id),
            });
        }
        let folder = data_folder.join("hearings").join(&hearing.id);
        files::private_folder(&folder)?;
        let (steps, queue) = mpsc::unbounded_channel();
        let mut confirmed = Vec::new();
        for step in &hearing.steps {
            let step_folder = step_folder(&folder, step.index);
            let filed = hearing
                .recordings
                .iter()
                .any(|r| r.step_index == step.index);
            if !filed && queued_recording(&step_folder)?.is_some() {
                confirmed.push(step.index);
                let _ = steps.send(step.index);
            }
        }
        let sender = tokio::spawn(send_steps(
            client.clone(),
            outbox,
            hearing.id.clone(),
            folder.clone(),
            queue,
            report,
        ));
        Ok(Self {
            client,
            hearing,
            folder,
            confirmed,
            steps: Some(steps),
            sender: Sending::Running(sender),
            submission_tried: false,
        })
    }

    pub fn hearing(&self) -> &AsyncHearing {
        &self.hearing
    }

    /// Where `step`'s recording is kept until the platform has it; read only to play a take
    /// back in this app (never exported, Art. 27).
    pub fn step_folder(&self, step: u32) -> PathBuf {
        step_folder(&self.folder, step)
    }

    /// The first step neither filed with the platform nor confirmed here.
    pub fn next_step(&self) -> Option<&HearingStep> {
        self.hearing.steps.iter().find(|step| {
            !self.confirmed.contains(&step.index)
                && !self
                    .hearing
                    .recordings
                    .iter()
                    .any(|r| r.step_index == step.index)
        })
    }

    /// Where `step` is recorded, and with what; refused after the deadline, and for a step
    /// already confirmed.
    pub fn recording_settings(&self, step: u32, source: Source) -> Result<RecordingSettings> {
        self.before_deadline(Utc::now())?;
        if self.confirmed.contains(&step) {
            return Err(HearingError::StepConfirmed { step });
        }
        Ok(RecordingSettings::new(
            step_folder(&self.folder, step),
            source,
        ))
    }

    /// Throws away the step's unconfirmed recording, to record it again.
    pub fn discard(&self, step: u32) -> Result<()> {
        if self.confirmed.contains(&step) {
            return Err(HearingError::StepConfirmed { step });
        }
        let folder = step_folder(&self.folder, step);
        match std::fs::remove_dir_all(&folder) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(HearingError::io(folder, e)),
            _ => Ok(()),
        }
    }

    /// The party confirms the step's recording: it is queued and the sender starts on it.
    pub fn confirm(&mut self, step: u32, outbox: &Outbox) -> Result<()> {
        self.before_deadline(Utc::now())?;
        let folder = step_folder(&self.folder, step);
        enqueue_recording(outbox, self.client.platform().as_str(), &folder)?;
        if !self.confirmed.contains(&step) {
            self.confirmed.push(step);
            if let Some(steps) = &self.steps {
                let _ = steps.send(step);
            }
        }
        Ok(())
    }

    /// Waits until every confirmed step is filed, then submits the hearing. Every step must
    /// have been confirmed (the platform refuses a partial submission).
    ///
    /// A failure leaves the attendance as it was: when [`HearingError::can_retry`] says so
    /// (the platform out of reach or failing for now, re-verification lapsed, a step still to
    /// record), the party fixes that and submits again; a submission whose answer was lost is
    /// not sent twice.
    pub async fn submit(&mut self) -> Result<AsyncHearing> {
        if let Some(step) = self.next_step() {
            return Err(HearingError::StepMissing { step: step.index });
        }
        // Closing the channel lets the sender end after the last confirmed step.
        self.steps = None;
        self.sent().await?;
        self.before_deadline(Utc::now())?;
        if self.submission_tried {
            let hearing = self.client.hearing(&self.hearing.id).await?;
            if hearing.status == HearingStatus::Submitted {
                self.hearing = hearing.clone();
                return Ok(hearing);
            }
        }
        self.submission_tried = true;
        let submitted = self.client.submit_hearing(&self.hearing.id).await?;
        self.hearing = submitted.clone();
        Ok(submitted)
    }

    /// Waits for the sender to end, once; its outcome is kept for a later submission.
    async fn sent(&mut self) -> Result<()> {
        if let Sending::Running(sender) = &mut self.sender {
            self.sender = match sender.await {
                Ok(Ok(())) => Sending::Finished,
                Ok(Err(StepFailure { step, error })) => Sending::Failed {
                    step,
                    reason: error.to_string(),
                },
                Err(stopped) => Sending::Failed {
                    step: self.confirmed.last().copied().unwrap_or_default(),
                    reason: format!("the sender stopped: {stopped}"),
                },
            };
        }
        match &self.sender {
            Sending::Failed { step, reason } => Err(HearingError::StepNotFiled {
                step: *step,
                reason: reason.clone(),
            }),
            _ => Ok(()),
        }
    }

    fn before_deadline(&self, now: DateTime<Utc>) -> Result<()> {
        if now >= self.hearing.deadline {
            return Err(HearingError::DeadlinePassed {
                deadline: self.hearing.deadline,
            });
        }
        Ok(())
    }
}

fn step_folder(hearing_folder: &Path, step: u32) -> PathBuf {
    hearing_folder.join(format!("step-{step}"))
}

/// Longest wait between two tries while the platform is unreachable.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// The background sender: steps in the order confirmed, each sent to the end and filed.
async fn send_steps(
    client: Client,
    outbox: Outbox,
    hearing_id: String,
    folder: PathBuf,
    mut queue: mpsc::UnboundedReceiver<u32>,
    report: Report,
) -> Result<(), StepFailure> {
    while let Some(step) = queue.recv().await {
        let step_folder = step_folder(&folder, step);
        let outcome = send_step(&client, &outbox, &hearing_id, step, &step_folder, &report).await;
        if let Err(error) = outcome {
            report(StepUpload::Refused {
                step,
                reason: error.to_string(),
            });
            return Err(StepFailure { step, error });
        }
    }
    Ok(())
}

/// Why the sender ended early: the step it could not file.
#[derive(Debug)]
struct StepFailure {
    step: u32,
    error: HearingError,
}

async fn send_step(
    client: &Client,
    outbox: &Outbox,
    hearing_id: &str,
    step: u32,
    folder: &Path,
    report: &Report,
) -> Result<()> {
    let queued = queued_recording(folder)?.ok_or_else(|| HearingError::NotARecording {
        path: folder.to_owned(),
    })?;
    let items: Vec<i64> = queued
        .segment_items
        .iter()
        .copied()
        .chain([queued.manifest_item])
        .collect();
    let total: u64 = items
        .iter()
        .map(|id| outbox.item(*id).map(|item| item.size))
        .sum::<std::result::Result<_, _>>()?;
    // Not stopped from here: ending the process leaves the outbox to resume on the next open.
    let never_stopped = AtomicBool::new(false);
    let mut wait = Duration::from_millis(500);
    let request = loop {
        let mut done_before = 0;
        for id in &items {
            let item = outbox.item(*id)?;
            if item.status == ItemStatus::Queued {
                let base = done_before;
                let mut progress = |p: litigant_court_client::Progress| {
                    report(StepUpload::Sending {
                        step,
                        sent: base + p.sent,
                        total,
                    });
                };
                if let Err(error) = outbox
                    .send(client, *id, &mut progress, &never_stopped)
                    .await
                {
                    // The platform out of reach: the outbox keeps the item queued, and the step
                    // waits and is tried again below. Only a refusal ends the sending.
                    if !error.is_transient() {
                        return Err(error.into());
                    }
                    break;
                }
            }
            done_before += outbox.item(*id)?.offset.min(item.size);
        }
        if let Some(request) = recording_request(outbox, folder, &queued)? {
            break request;
        }
        let reason = items
            .iter()
            .find_map(|id| outbox.item(*id).ok().and_then(|item| item.last_error))
            .unwrap_or_else(|| "the platform could not be reached".into());
        report(StepUpload::Waiting { step, reason });
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(MAX_WAIT);
    };
    // A step the platform refuses (out of order, deadline passed) is not retried blindly.
    client.record_step(hearing_id, step, &request).await?;
    // Filed: the platform has it, so the local copy goes (Art. 27).
    remove_recording(folder)?;
    report(StepUpload::Filed { step });
    Ok(())
}
