//! The fuzz targets' entry point (`count_pages`, see crates/paper/fuzz) replayed on stable:
//! every corpus file whole, then damaged in fixed, reproducible ways (cut short, bytes flipped,
//! the header overwritten, a block repeated). Whatever the bytes, the answer must be a page
//! count or a `PaperError` — a panic fails the test, and so would a hang (the decode time limit
//! ends it) — and every whole corpus file must still decode.

use std::path::{Path, PathBuf};

use litigant_paper::{DecodeLimits, count_pages};

use crate::support::{corpus, corpus_images};

fn corpus_pdfs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus is readable")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// A small fixed-seed generator, so a failure names a mutation that can be rerun.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % below.max(1)
    }
}

/// The damaged copies of `bytes`: each with a name saying what was done to it.
fn mutants(bytes: &[u8], seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut random = Lcg(seed);
    let len = bytes.len();
    let mut out = vec![
        ("cut at half".to_owned(), bytes[..len / 2].to_vec()),
        ("cut at 64 bytes".to_owned(), bytes[..len.min(64)].to_vec()),
        (
            "cut before the last byte".to_owned(),
            bytes[..len.saturating_sub(1)].to_vec(),
        ),
    ];
    for round in 0..3 {
        let mut flipped = bytes.to_vec();
        for _ in 0..16 {
            let at = random.next(len);
            flipped[at] ^= 1 << random.next(8);
        }
        out.push((format!("16 bits flipped, round {round}"), flipped));
    }
    let mut header = bytes.to_vec();
    for byte in header.iter_mut().skip(8).take(56) {
        *byte = 0xff;
    }
    out.push(("header bytes 8..64 set to 0xff".to_owned(), header));
    let (from, size) = (random.next(len), 4096.min(len));
    let mut repeated = bytes[..from].to_vec();
    repeated.extend_from_slice(&bytes[from..(from + size).min(len)]);
    repeated.extend_from_slice(&bytes[from..]);
    out.push((format!("{size} bytes repeated at {from}"), repeated));
    out
}

/// Decodes each file's mutants with `limits`; `whole` also checks the undamaged file still
/// decodes with them.
fn replay(files: &[PathBuf], limits: &DecodeLimits, whole: bool) -> (usize, usize) {
    let (mut refused, mut decoded) = (0, 0);
    for (n, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file).expect("a corpus file");
        if whole {
            let pages = count_pages(file, bytes.clone(), limits);
            assert!(
                pages.as_ref().is_ok_and(|pages| *pages > 0),
                "{} no longer decodes: {pages:?}",
                file.display()
            );
        }
        for (what, mutant) in mutants(&bytes, n as u64 + 1) {
            match count_pages(Path::new("mutant"), mutant, limits) {
                Ok(_) => decoded += 1,
                Err(error) => {
                    // A refusal must say something a person can act on.
                    assert!(!error.to_string().is_empty(), "{}: {what}", file.display());
                    refused += 1;
                }
            }
        }
    }
    (decoded, refused)
}

#[test]
fn damaged_images_are_decoded_or_refused_never_a_panic() {
    let (decoded, refused) = replay(&corpus_images(), &DecodeLimits::default(), true);
    // Most damage is refused; some (a flipped bit in pixel data) still decodes, as it should.
    assert!(
        refused > 0 && decoded + refused >= 8 * 20,
        "{decoded} decoded, {refused} refused"
    );
}

#[test]
fn damaged_pdfs_are_decoded_or_refused_never_a_panic() {
    let files = corpus_pdfs();
    assert!(files.len() >= 5, "expected the corpus's PDFs");
    // The undamaged PDFs are converted whole by the pdf_import tests. Here the parser and the
    // import checks are the point, so a damaged PDF renders at most one page, briefly: a
    // longer one is refused at its page count, after lopdf has read all of it.
    let limits = DecodeLimits {
        max_pages: 1,
        max_decode_time: std::time::Duration::from_secs(5),
        ..DecodeLimits::default()
    };
    let (decoded, refused) = replay(&files, &limits, false);
    assert!(refused > 0, "{decoded} decoded, {refused} refused");
}
