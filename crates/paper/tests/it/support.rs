//! Shared fixtures: where the corpus is, running a conversion, and reading the output back
//! through qpdf and poppler. A missing tool fails the test with the package to install: these
//! tests never skip themselves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use litigant_paper::{ConversionReport, ConvertOptions, PaperError, convert};

/// The corpus of real scans and photos, kept outside the repository (`../shared/corpus`).
pub fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the paper corpus is missing: expected it at {}",
        dir.display()
    );
    dir
}

/// Every image file of the corpus, sorted by name.
pub fn corpus_images() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus is readable")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("jpg" | "jpeg" | "png" | "tif" | "tiff" | "webp")
            )
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the whole corpus, found {}",
        files.len()
    );
    files
}

/// Converts `inputs` into `out` with default options and a fixed date.
pub fn convert_to(inputs: &[PathBuf], out: &Path) -> Result<ConversionReport, PaperError> {
    let options = ConvertOptions {
        created: Some(std::time::UNIX_EPOCH + std::time::Duration::from_hours(452_160)),
        title: Some("证据材料".into()),
        ..ConvertOptions::default()
    };
    convert(inputs, out, &options, &mut |_| {}, &AtomicBool::new(false))
}

/// Runs a tool and returns its standard output; panics with the package to install when the
/// tool is missing, and with its output when it fails.
pub fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}); install qpdf and poppler-utils (scripts/lib/setup.sh)")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

pub fn text(tool: &str, args: &[&str]) -> String {
    String::from_utf8_lossy(&run(tool, args)).into_owned()
}

/// Asserts what a PDF/A-2b bundle of `pages` pages must show to qpdf and poppler.
pub fn assert_valid_bundle(pdf: &Path, pages: usize) {
    let path = pdf.to_str().expect("utf-8 temp path");
    let check = text("qpdf", &["--check", path]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let info = text("pdfinfo", &[path]);
    assert!(
        info.contains(&format!("Pages:           {pages}\n")),
        "{info}"
    );
    assert!(info.contains("Encrypted:       no"), "{info}");
    assert!(info.contains("JavaScript:      no"), "{info}");
    let meta = text("pdfinfo", &["-meta", path]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    let raw = std::fs::read(pdf).expect("output exists");
    let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"/S /GTS_PDFA1"), "no PDF/A output intent");
    assert!(contains(b"/DestOutputProfile"), "no ICC profile");
    assert!(contains(b"/ID [<"), "no file identifier");
}

/// A page rendered by poppler: `channels` is 1 (gray) or 3 (RGB).
pub struct Rendered {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub data: Vec<u8>,
}

impl Rendered {
    /// Share of pixels darker than mid-gray.
    pub fn ink_share(&self) -> f64 {
        let dark = self
            .data
            .chunks_exact(self.channels)
            .filter(|p| p.iter().map(|&v| usize::from(v)).sum::<usize>() < 128 * self.channels)
            .count();
        let share = |n: usize| f64::from(u32::try_from(n).expect("page fits in u32 pixels"));
        share(dark) / share(self.width * self.height)
    }

    /// Pixels whose red exceeds both green and blue by at least `margin`.
    pub fn red_pixels(&self, margin: i32) -> usize {
        assert_eq!(self.channels, 3);
        self.data
            .chunks_exact(3)
            .filter(|p| {
                let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
                r > 120 && r - g.max(b) >= margin
            })
            .count()
    }
}

/// Renders page `page` (1-based) of a PDF with pdftoppm at `dpi`.
pub fn render(pdf: &Path, page: usize, dpi: u32, colour: bool) -> Rendered {
    let page = page.to_string();
    let dpi = dpi.to_string();
    let mut args = vec!["-r", &dpi, "-f", &page, "-l", &page, "-singlefile"];
    if !colour {
        args.push("-gray");
    }
    let path = pdf.to_str().expect("utf-8 temp path");
    args.push(path);
    let pnm = run("pdftoppm", &args);
    parse_pnm(&pnm)
}

/// Parses binary PGM (P5) or PPM (P6) with maxval 255.
fn parse_pnm(bytes: &[u8]) -> Rendered {
    let channels = match &bytes[..2] {
        b"P5" => 1,
        b"P6" => 3,
        other => panic!("not a PNM: {other:?}"),
    };
    let mut fields = Vec::new();
    let mut at = 2;
    while fields.len() < 3 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let field: usize = std::str::from_utf8(&bytes[start..at])
            .expect("ascii")
            .parse()
            .expect("number");
        fields.push(field);
    }
    at += 1;
    let (width, height) = (fields[0], fields[1]);
    assert_eq!(fields[2], 255);
    let data = bytes[at..at + width * height * channels].to_vec();
    Rendered {
        width,
        height,
        channels,
        data,
    }
}
