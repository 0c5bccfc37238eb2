//! `litigant devices`: the cameras and microphones present, what each can deliver, and the
//! pre-hearing check (camera, microphone, light, noise, disk, upload) with what to do about
//! each finding. Exit code 1 when a finding would stop a recording. With `--measure-upload` the
//! upload speed to the platform is measured with the logged-in session; otherwise it is reported
//! as not checked.

use std::time::Duration;

use clap::Args;
use litigant_hearing::{
    CheckSettings, DeviceKind, Input, Source, Verdict, check_environment, list_devices,
};

use litigant_court_client::SpeedProbe;

use crate::platform::{Context, Failure, PlatformArgs, data_folder};

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// The camera to check: `test`, `default`, or a name listed here.
    #[arg(long, default_value = "default")]
    source: String,
    /// The microphone to check: `test`, `default`, or a name. Default: `test` with
    /// `--source test`, else `default`.
    #[arg(long)]
    microphone: Option<String>,
    /// Minutes of recording the disk must hold.
    #[arg(long, default_value_t = 30)]
    minutes: u32,
    /// Measure the upload speed to the platform (needs `litigant login` first).
    #[arg(long)]
    measure_upload: bool,
    /// The data folder (where recordings are kept) and, for `--measure-upload`, the platform.
    #[command(flatten)]
    platform: PlatformArgs,
    /// Print JSON (`{"devices": [...], "check": {...}}`) instead of text.
    #[arg(long)]
    json: bool,
}

/// The camera and microphone that `--source` and `--microphone` name.
pub fn source_of(source: &str, microphone: Option<&str>) -> Source {
    let video = Input::parse(source);
    let audio = match (microphone, &video) {
        (Some(name), _) => Input::parse(name),
        (None, Input::Test) => Input::Test,
        (None, _) => Input::Default,
    };
    Source { video, audio }
}

pub async fn run(args: DevicesArgs) -> Result<(), Failure> {
    let upload_bytes_per_second = if args.measure_upload {
        let context = Context::open(&args.platform)?;
        context.resume().await?;
        let speed = context
            .client
            .measure_upload_speed(SpeedProbe::default())
            .await?;
        Some(speed.bytes_per_second)
    } else {
        None
    };
    let devices = list_devices()?;
    let mut settings = CheckSettings::new(
        data_folder(args.platform.data.as_deref())?,
        source_of(&args.source, args.microphone.as_deref()),
    );
    settings.minutes = args.minutes;
    settings.listen = Duration::from_secs(2);
    settings.upload_bytes_per_second = upload_bytes_per_second;
    let report = check_environment(&settings)?;
    if args.json {
        let json = serde_json::json!({ "devices": devices, "check": report });
        println!("{json:#}");
    } else {
        for kind in [DeviceKind::Camera, DeviceKind::Microphone] {
            let title = match kind {
                DeviceKind::Camera => "Cameras",
                DeviceKind::Microphone => "Microphones",
            };
            println!("{title}:");
            let mut any = false;
            for device in devices.iter().filter(|d| d.kind == kind) {
                any = true;
                let default = if device.default { " (default)" } else { "" };
                let system = device
                    .system_name
                    .as_deref()
                    .map(|s| format!(" [{s}]"))
                    .unwrap_or_default();
                println!("  {}{system}{default}", device.name);
                for capability in &device.capabilities {
                    println!("      {capability}");
                }
            }
            if !any {
                println!("  none");
            }
        }
        println!("Check:");
        for finding in &report.findings {
            let verdict = match finding.verdict {
                Verdict::Ok => "ok",
                Verdict::NotChecked => "not checked",
                Verdict::Warning => "warning",
                Verdict::Problem => "PROBLEM",
            };
            println!("  {verdict:<11} {}", finding.message);
            if let Some(fix) = &finding.fix {
                println!("              → {fix}");
            }
        }
    }
    if report.worst() == Verdict::Problem {
        return Err(Failure::new(
            "the check found a problem that would spoil the recording (see above)",
        ));
    }
    Ok(())
}
