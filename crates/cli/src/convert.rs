//! `litigant convert INPUTS... -o OUT.pdf [--report REPORT.json] [--max-bytes N] [--ocr]
//! [--orient] [--scan DEVICE --pages N]`: pages in the order given (scanned pages last),
//! warnings to standard error, a progress bar when standard error is a terminal; and
//! `litigant scanners [--escl URL]`, the scanners SANE finds and the eSCL network scanners
//! that announce themselves, or what one eSCL network scanner can do.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use litigant_paper::{
    BilevelCoding, ConvertOptions, DISCOVERY_WAIT, EsclScanner, OcrOptions, PageMode, PaperError,
    PaperSize, Progress, ScanOptions, convert, find_scanners, scan_pages,
};

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Image files (JPEG, PNG, TIFF, WebP, HEIC) or PDFs, in the order their pages should appear.
    /// A PDF page that is one scanned image is taken as it is; any other page is rendered at
    /// 300 dpi (needs poppler's pdftoppm). Encrypted PDFs and PDFs with JavaScript or
    /// embedded files are refused.
    #[arg(required_unless_present = "scan")]
    inputs: Vec<PathBuf>,
    /// The PDF to write; it appears only when complete.
    #[arg(short, long)]
    output: PathBuf,
    /// Also write what was decided and found for each page, as JSON.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Sheet size of the output pages.
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    paper: Paper,
    /// Store every page in this mode instead of choosing per page.
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// How bilevel pages are coded: the smaller of lossless JBIG2 and CCITT G4, or G4 only
    /// for PDF readers without JBIG2 (older than PDF 1.4).
    #[arg(long, value_enum, default_value_t = Bilevel::Smallest)]
    bilevel: Bilevel,
    /// Title recorded in the PDF.
    #[arg(long)]
    title: Option<String>,
    /// The court's size limit for one file, in bytes: write OUT-1.pdf, OUT-2.pdf, … each
    /// within it, splitting only between input files.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_bytes: Option<u64>,
    /// Add an invisible, searchable text layer recognised by Tesseract (needs tesseract-ocr
    /// and its language packs). Implies --orient. When OCR cannot run, the PDF is written
    /// without text and a warning says why.
    #[arg(long)]
    ocr: bool,
    /// Tesseract language packs for --ocr, joined by '+'.
    #[arg(long, default_value = "chi_sim+eng", value_name = "LANGS")]
    ocr_languages: String,
    /// Turn pages whose text runs sideways or upside down upright (Tesseract's orientation
    /// detection).
    #[arg(long)]
    orient: bool,
    /// Also scan pages from this SANE device (as `litigant scanners` lists it) with
    /// scanimage (sane-utils), or from a driverless eSCL network scanner named
    /// `escl:http://HOST:PORT/eSCL`; they follow the input files. The scans are kept in
    /// OUT.scans/ when the conversion fails.
    #[arg(long, value_name = "DEVICE")]
    scan: Option<String>,
    /// Pages to scan; a document feeder may stop earlier when it runs out of paper.
    #[arg(long, default_value_t = 1, requires = "scan")]
    pages: u32,
    /// Scan resolution in dpi.
    #[arg(long, default_value_t = 300, requires = "scan")]
    scan_resolution: u32,
    /// Scan in colour (for red seals and colour marks) instead of gray.
    #[arg(long, requires = "scan")]
    scan_colour: bool,
    /// The scanner's paper source, e.g. "Automatic Document Feeder" (eSCL: Platen or Feeder;
    /// the feeder when it holds paper, else the flatbed).
    #[arg(long, requires = "scan")]
    scan_source: Option<String>,
    /// A backend option for scanimage, as it is (repeatable), e.g. --scan-arg=--test-picture=Grid.
    #[arg(long, requires = "scan", allow_hyphen_values = true)]
    scan_arg: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ScannersArgs {
    /// Describe this eSCL network scanner instead, e.g. `http://192.168.1.20:8080/eSCL` or
    /// `escl://192.168.1.20:8080/eSCL`: its sources, resolutions, colour modes, formats and
    /// state.
    #[arg(long, value_name = "URL")]
    escl: Option<String>,
}

/// `litigant scanners --escl URL`: what the scanner says about itself.
fn describe_escl(address: &str) -> Result<(), PaperError> {
    let scanner = EsclScanner::new(address, std::time::Duration::from_secs(30))?;
    let caps = scanner.capabilities()?;
    let status = scanner.status()?;
    println!("{}", caps.make_and_model);
    println!("device\tescl:{}", scanner.url());
    if let Some(serial) = &caps.serial_number {
        println!("serial\t{serial}");
    }
    let adf = status
        .adf_state
        .map(|a| format!(", feeder {a}"))
        .unwrap_or_default();
    println!("state\t{}{adf}", status.state);
    for input in &caps.inputs {
        let dpi: Vec<String> = input.resolutions.iter().map(u32::to_string).collect();
        println!(
            "{}\t{} dpi; {}; {}",
            input.source.as_str(),
            dpi.join(", "),
            input.colour_modes.join(", "),
            input.formats.join(", ")
        );
    }
    Ok(())
}

/// `litigant scanners`: one line per device SANE finds, then per network scanner that
/// announces itself.
pub fn run_scanners(args: &ScannersArgs) -> ExitCode {
    if let Some(address) = &args.escl {
        return match describe_escl(address) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error [{}]: {e}", e.code());
                ExitCode::FAILURE
            }
        };
    }
    match find_scanners(std::path::Path::new("scanimage"), None, DISCOVERY_WAIT) {
        Ok(found) if found.scanners.is_empty() => {
            eprintln!(
                "no scanners found, connected or on this network; check that the scanner is on \
                 and connected, or give a network scanner's address with --escl URL"
            );
            ExitCode::FAILURE
        }
        Ok(found) => {
            for s in found.scanners {
                println!("{}\t{}", s.device, s.description);
            }
            for e in found.unsearched {
                eprintln!("note [{}]: {e}", e.code());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}

/// Scans into `OUT.scans/` and returns the page files; `None` after reporting an error.
fn scan_into(args: &ConvertArgs, device: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let mut name = args.output.file_name().unwrap_or_default().to_os_string();
    name.push(".scans");
    let dir = args.output.with_file_name(name);
    if let Err(e) = std::fs::create_dir(&dir) {
        eprintln!(
            "error [cli.scan_dir_failed]: cannot create {} for the scans ({e}); \
             move or remove it and scan again",
            dir.display()
        );
        return None;
    }
    let options = ScanOptions {
        pages: args.pages,
        resolution: args.scan_resolution,
        colour: args.scan_colour,
        source: args.scan_source.clone(),
        backend_args: args.scan_arg.clone(),
        ..ScanOptions::new(device)
    };
    match scan_pages(&options, &dir) {
        Ok(pages) => {
            eprintln!("scanned {} pages from {device}", pages.len());
            Some((dir, pages))
        }
        Err(e) => {
            // Pages an eSCL scanner sent before a failure are kept (the error names the
            // folder); otherwise nothing was converted yet and the folder holds nothing.
            let kept = matches!(
                e,
                PaperError::EsclPage { kept, .. } | PaperError::ScanCancelled { pages: kept, .. }
                    if kept > 0
            );
            if !kept {
                let _ = std::fs::remove_dir_all(&dir);
            }
            eprintln!("error [{}]: {e}", e.code());
            None
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Paper {
    A4,
    Letter,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Mode {
    Bilevel,
    Gray,
    Colour,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Bilevel {
    Smallest,
    G4,
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    let mut inputs = args.inputs.clone();
    let mut scans = None;
    if let Some(device) = &args.scan {
        let Some((dir, pages)) = scan_into(args, device) else {
            return ExitCode::FAILURE;
        };
        inputs.extend(pages);
        scans = Some(dir);
    }
    let code = convert_inputs(args, &inputs);
    if let Some(dir) = scans {
        if code == ExitCode::SUCCESS {
            // The scans are in the bundle now.
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            eprintln!("the scanned pages are kept in {}", dir.display());
        }
    }
    code
}

fn convert_inputs(args: &ConvertArgs, inputs: &[PathBuf]) -> ExitCode {
    let options = ConvertOptions {
        paper: match args.paper {
            Paper::A4 => PaperSize::A4,
            Paper::Letter => PaperSize::Letter,
        },
        forced_mode: args.mode.map(|m| match m {
            Mode::Bilevel => PageMode::Bilevel,
            Mode::Gray => PageMode::Gray,
            Mode::Colour => PageMode::Colour,
        }),
        bilevel_coding: match args.bilevel {
            Bilevel::Smallest => BilevelCoding::Smallest,
            Bilevel::G4 => BilevelCoding::CcittG4,
        },
        title: args.title.clone(),
        max_bytes: args.max_bytes,
        ocr: args.ocr.then(|| OcrOptions {
            languages: args.ocr_languages.clone(),
            ..OcrOptions::default()
        }),
        orient: args.orient || args.ocr,
        ..ConvertOptions::default()
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} files, {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    // Nothing cancels a command-line run but the terminal's own interrupt.
    let cancel = AtomicBool::new(false);
    let mut on_progress = |p: Progress| {
        if let Some(bar) = &bar {
            match p {
                Progress::Decoding { input, .. } => {
                    bar.set_position(input as u64 - 1);
                }
                Progress::PageDone { page, input, .. } => {
                    bar.set_position(input as u64);
                    bar.set_message(format!("{page} pages"));
                }
            }
        }
    };
    let result = convert(inputs, &args.output, &options, &mut on_progress, &cancel);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            return ExitCode::FAILURE;
        }
    };
    for w in &report.warnings {
        eprintln!("warning [{}]: {w}", w.code());
    }
    for p in &report.ocr_problems {
        eprintln!("warning [{}]: {p}", p.code());
    }
    for part in &report.parts {
        println!(
            "{}: {} pages, {} bytes",
            part.path.display(),
            part.pages,
            part.bytes
        );
    }
    if report.parts.len() > 1 {
        println!(
            "{} files, {} pages, {} bytes",
            report.parts.len(),
            report.pages.len(),
            report.bytes
        );
    }
    println!("{:.0} ms", report.total_ms);
    if let Some(path) = &args.report {
        let written = serde_json::to_vec_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(path, json));
        if let Err(e) = written {
            eprintln!(
                "error [cli.report_write_failed]: cannot write {}: {e}",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
