//! Scanning paper through SANE with its `scanimage` program (package sane-utils): every SANE
//! backend works the same way, and a driver crash stays in its own process. Pages are written
//! as PNG files into a folder the caller owns, then converted like any other input, so a
//! failed conversion never loses a scan. A device named `escl:URL` is a network scanner spoken
//! to directly over eSCL (`escl/`), with the same options and the same kind of folder; such
//! scanners are also found by their network announcements ([`find_scanners`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::child::{self, ChildError};
use crate::decode::DecodeLimits;
use crate::error::PaperError;
use crate::escl::{EsclScanner, is_escl_device};

/// How to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// The SANE device name, as `scanimage -L` lists it (e.g. `test:0`), or an eSCL
    /// scanner's address after `escl:` (e.g. `escl:http://192.168.1.20:8080/eSCL`).
    pub device: String,
    /// Pages to scan; from a document feeder, scanning stops early when it runs out.
    pub pages: u32,
    pub resolution: u32,
    pub colour: bool,
    /// The scanner's source, e.g. `Flatbed` or `Automatic Document Feeder`; its default when
    /// `None`.
    pub source: Option<String>,
    /// Further backend options passed as they are (e.g. `--test-picture=Grid`).
    pub backend_args: Vec<String>,
    /// The folder SANE reads its configuration from instead of /etc/sane.d (`SANE_CONFIG_DIR`).
    pub config_dir: Option<PathBuf>,
    /// The scanning program: a name looked up on `PATH`, or a path.
    pub program: PathBuf,
    /// Longest a whole scan may take (for eSCL: each request).
    pub timeout: Duration,
    /// Limits each page an eSCL scanner sends is decoded within before it is kept.
    pub limits: DecodeLimits,
}

impl ScanOptions {
    /// One page at 300 dpi in gray from `device`.
    pub fn new(device: impl Into<String>) -> Self {
        Self {
            device: device.into(),
            pages: 1,
            resolution: 300,
            colour: false,
            source: None,
            backend_args: Vec::new(),
            config_dir: None,
            program: PathBuf::from("scanimage"),
            timeout: Duration::from_mins(10),
            limits: DecodeLimits::default(),
        }
    }
}

/// A scanner SANE can see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Scanner {
    pub device: String,
    pub description: String,
}

fn run(
    program: &Path,
    args: &[String],
    config_dir: Option<&Path>,
    timeout: Duration,
    device: &str,
) -> Result<String, PaperError> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = config_dir {
        command.env("SANE_CONFIG_DIR", dir);
    }
    let done = child::run(command, b"", timeout).map_err(|e| match e {
        ChildError::Start(e) => PaperError::ScannerProgramMissing {
            program: program.to_path_buf(),
            detail: e.to_string(),
        },
        ChildError::TimedOut(limit) => PaperError::ScanFailed {
            device: device.to_owned(),
            detail: format!("no answer within {} s", limit.as_secs()),
        },
        ChildError::Wait(e) => PaperError::ScanFailed {
            device: device.to_owned(),
            detail: e.to_string(),
        },
    })?;
    let stderr = String::from_utf8_lossy(&done.stderr);
    if !done.status.success() {
        return Err(classify(device, &stderr));
    }
    Ok(String::from_utf8_lossy(&done.stdout).into_owned())
}

/// Turns scanimage's complaint into an error a person can act on.
fn classify(device: &str, stderr: &str) -> PaperError {
    let device = device.to_owned();
    let message = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| l.starts_with("scanimage:"))
        .or_else(|| stderr.lines().map(str::trim).rfind(|l| !l.is_empty()))
        .unwrap_or("no message")
        .trim_start_matches("scanimage: ")
        .to_owned();
    if message.contains("Device busy") {
        PaperError::ScannerBusy { device }
    } else if message.starts_with("open of device") || message.contains("no SANE devices") {
        PaperError::ScannerNotFound { device }
    } else {
        PaperError::ScanFailed {
            device,
            detail: message,
        }
    }
}

/// The scanners SANE finds (`scanimage -f`), in its order.
pub fn list_scanners(
    program: &Path,
    config_dir: Option<&Path>,
) -> Result<Vec<Scanner>, PaperError> {
    let args = ["-f".to_owned(), "%d\t%v %m (%t)%n".to_owned()];
    let out = run(program, &args, config_dir, Duration::from_mins(1), "")?;
    Ok(out
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(device, description)| Scanner {
            device: device.to_owned(),
            description: description.to_owned(),
        })
        .collect())
}

/// Every scanner within reach: what SANE sees, then the eSCL network scanners that answer within
/// `wait` (searched for meanwhile).
#[derive(Debug, Default)]
pub struct FoundScanners {
    pub scanners: Vec<Scanner>,
    /// Why one of the two could not be searched, when the other still found scanners (for
    /// example no `scanimage` on a machine without SANE): worth a note, not a failure.
    pub unsearched: Vec<PaperError>,
}

/// Searches SANE (through `program`, as [`list_scanners`]) and the network (as
/// [`crate::discover_escl`]) at the same time. It fails only when neither found a scanner and
/// one of them could not search; then with SANE's error when both could not, as the one a
/// person is likelier to fix.
pub fn find_scanners(
    program: &Path,
    config_dir: Option<&Path>,
    wait: Duration,
) -> Result<FoundScanners, PaperError> {
    let (sane, network) = std::thread::scope(|scope| {
        let network = scope.spawn(|| crate::escl::discover_escl(wait));
        let sane = list_scanners(program, config_dir);
        let network = network.join().unwrap_or_else(|_| {
            Err(PaperError::EsclDiscovery {
                detail: "the search stopped unexpectedly".to_owned(),
            })
        });
        (sane, network)
    });
    let mut found = FoundScanners::default();
    let mut failures = Vec::new();
    for result in [sane, network] {
        match result {
            Ok(list) => found.scanners.extend(list),
            Err(e) => failures.push(e),
        }
    }
    if found.scanners.is_empty() && !failures.is_empty() {
        return Err(failures.swap_remove(0));
    }
    found.unsearched = failures;
    Ok(found)
}

/// Scans up to `options.pages` pages into `dir` as `scan-0001.png`, … (an eSCL scanner's
/// as `escl-0001.jpg`, …: see [`EsclScanner::scan`]) and returns their paths in order. `dir` must exist; it holds the scans until the caller removes them.
pub fn scan_pages(options: &ScanOptions, dir: &Path) -> Result<Vec<PathBuf>, PaperError> {
    if is_escl_device(&options.device) {
        let scanner = EsclScanner::new(&options.device, options.timeout)?;
        return scanner.scan(options, dir, &std::sync::atomic::AtomicBool::new(false));
    }
    let pattern = dir.join("scan-%04d.png");
    let mut args = vec![
        "-d".to_owned(),
        options.device.clone(),
        "--format=png".to_owned(),
        format!("--resolution={}", options.resolution),
        format!("--mode={}", if options.colour { "Color" } else { "Gray" }),
        format!("--batch={}", pattern.display()),
        format!("--batch-count={}", options.pages.max(1)),
    ];
    if let Some(source) = &options.source {
        args.push(format!("--source={source}"));
    }
    args.extend(options.backend_args.iter().cloned());
    run(
        &options.program,
        &args,
        options.config_dir.as_deref(),
        options.timeout,
        &options.device,
    )?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| PaperError::Read {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let named = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("scan-"));
            named && p.extension().is_some_and(|e| e == "png")
        })
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(PaperError::ScanFailed {
            device: options.device.clone(),
            detail: "the scanner gave no pages (is paper in the feeder?)".to_owned(),
        });
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanimage_complaints_become_errors_a_person_can_act_on() {
        let busy = classify(
            "test:0",
            "scanimage: open of device test:0 failed: Device busy\n",
        );
        assert!(matches!(busy, PaperError::ScannerBusy { .. }), "{busy}");
        let gone = classify(
            "epson:usb",
            "scanimage: open of device epson:usb failed: Invalid argument\n",
        );
        assert!(matches!(gone, PaperError::ScannerNotFound { .. }), "{gone}");
        let jam = classify(
            "test:0",
            "Scanning page 1\nscanimage: sane_start: Document feeder jammed\n",
        );
        match jam {
            PaperError::ScanFailed { detail, .. } => {
                assert_eq!(detail, "sane_start: Document feeder jammed");
            }
            other => panic!("{other}"),
        }
    }
}
