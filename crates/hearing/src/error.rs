//! The one error type of the crate. Each variant carries what a person needs to fix the problem
//! (the file, the element, the device) and has a stable `hearing.*` code for the interface.

use std::path::PathBuf;

use litigant_court_api::ProblemCode;

pub type Result<T, E = HearingError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum HearingError {
    #[error("GStreamer could not start: {0}")]
    GStreamerInit(String),
    #[error(
        "the GStreamer element `{element}` is missing; install {package} (Debian: `apt install {package}`)"
    )]
    MissingElement {
        element: &'static str,
        package: &'static str,
    },
    #[error("no {kind} named \"{name}\" was found; `litigant devices` lists the ones present")]
    DeviceNotFound { kind: &'static str, name: String },
    #[error("the recording pipeline could not be built: {0}")]
    Pipeline(String),
    #[error("recording failed: {message}")]
    Recording { message: String },
    #[error("the recording did not finish within {seconds} s of being asked to stop")]
    StopTimedOut { seconds: u64 },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a readable recording manifest: {source}", path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{} holds no recording (no manifest.json)", path.display())]
    NotARecording { path: PathBuf },
    #[error(
        "{} was interrupted and has segments the manifest does not list; recover it before recording on",
        path.display()
    )]
    NeedsRecovery { path: PathBuf },
    #[error("{} is a finished recording; record into a new folder", path.display())]
    AlreadyFinished { path: PathBuf },
    #[error("{} is still being recorded (or was interrupted); finish it before sending", path.display())]
    NotFinished { path: PathBuf },
    #[error("{} has changed since it was recorded; record this step again", file.display())]
    SegmentChanged { file: PathBuf },
    #[error(transparent)]
    Outbox(#[from] litigant_court_client::ClientError),
    #[error("the platform did not accept {file}: {reason}")]
    UploadRefused { file: String, reason: String },
    #[error("step {step} is already confirmed and being sent; it cannot be recorded again")]
    StepConfirmed { step: u32 },
    #[error("step {step} has not been recorded and confirmed yet; every step is needed")]
    StepMissing { step: u32 },
    #[error("answer {} could not be filed with the court: {reason}", step + 1)]
    StepNotFiled { step: u32, reason: String },
    #[error("the hearing's deadline passed at {deadline}; ask the court what to do now")]
    DeadlinePassed {
        deadline: chrono::DateTime<chrono::Utc>,
    },
    #[error("{} could not be inspected: {message}", path.display())]
    Inspect { path: PathBuf, message: String },
}

impl HearingError {
    /// A stable code for the interface and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::GStreamerInit(_) => "hearing.gstreamer_init",
            Self::MissingElement { .. } => "hearing.missing_element",
            Self::DeviceNotFound { .. } => "hearing.device_not_found",
            Self::Pipeline(_) => "hearing.pipeline",
            Self::Recording { .. } => "hearing.recording",
            Self::StopTimedOut { .. } => "hearing.stop_timed_out",
            Self::Io { .. } => "hearing.io",
            Self::Manifest { .. } => "hearing.manifest",
            Self::NotARecording { .. } => "hearing.not_a_recording",
            Self::NeedsRecovery { .. } => "hearing.needs_recovery",
            Self::AlreadyFinished { .. } => "hearing.already_finished",
            Self::Inspect { .. } => "hearing.inspect",
            Self::NotFinished { .. } => "hearing.not_finished",
            Self::SegmentChanged { .. } => "hearing.segment_changed",
            Self::Outbox(_) => "hearing.outbox",
            Self::UploadRefused { .. } => "hearing.upload_refused",
            Self::StepConfirmed { .. } => "hearing.step_confirmed",
            Self::StepMissing { .. } => "hearing.step_missing",
            Self::StepNotFiled { .. } => "hearing.step_not_filed",
            Self::DeadlinePassed { .. } => "hearing.deadline_passed",
        }
    }

    /// Whether the person can make the same call succeed by trying again, without starting
    /// over: the platform was out of reach or failing for now, it wants a fresh identity check
    /// first, or a step is still to be recorded. A passed deadline, a step the background
    /// sender could not file, or any other refusal will not change by trying again.
    pub fn can_retry(&self) -> bool {
        match self {
            Self::Outbox(error) => {
                error.is_transient()
                    || self.problem_code() == Some(ProblemCode::ReverificationRequired)
            }
            Self::StepMissing { .. } => true,
            _ => false,
        }
    }

    /// The platform's problem code, when this is the platform's refusal.
    pub fn problem_code(&self) -> Option<ProblemCode> {
        match self {
            Self::Outbox(error) => error.problem_code(),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use litigant_court_api::{Problem, ProblemCode};
    use litigant_court_client::ClientError;

    use super::HearingError;

    fn refused(code: ProblemCode) -> HearingError {
        HearingError::Outbox(ClientError::Problem(Box::new(Problem::new(
            code, "refused",
        ))))
    }

    #[test]
    fn what_can_be_tried_again_and_what_cannot() {
        let unreachable = HearingError::Outbox(ClientError::Unreachable {
            url: "http://127.0.0.1:1/api/v1/hearings/h/submission".into(),
            attempts: 1,
            cause: "connection reset".into(),
        });
        let mut failing = Problem::new(ProblemCode::InjectedFault, "down");
        failing.status = 503;
        let failing = HearingError::Outbox(ClientError::Problem(Box::new(failing)));
        for retry in [
            unreachable,
            failing,
            refused(ProblemCode::TooManyRequests),
            refused(ProblemCode::ReverificationRequired),
            HearingError::StepMissing { step: 1 },
        ] {
            assert!(retry.can_retry(), "{retry}");
        }
        for last in [
            refused(ProblemCode::DeadlinePassed),
            refused(ProblemCode::InvalidState),
            refused(ProblemCode::Forbidden),
            HearingError::DeadlinePassed {
                deadline: chrono::Utc::now(),
            },
            HearingError::StepNotFiled {
                step: 0,
                reason: "the platform refused the recording".into(),
            },
        ] {
            assert!(!last.can_retry(), "{last}");
        }
    }
}
