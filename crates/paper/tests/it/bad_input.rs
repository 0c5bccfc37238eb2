//! Bad input gives an error that names the file, and loses nothing: whatever was at the output
//! path before is still there, and no partial file is left beside it.

use std::path::{Path, PathBuf};

use litigant_paper::PaperError;

use crate::support::{convert_to, corpus};

/// Converts `inputs` over an existing output and checks that it survives the failure.
pub fn fails_keeping_output(inputs: &[PathBuf], dir: &Path) -> PaperError {
    let out = dir.join("bundle.pdf");
    std::fs::write(&out, b"the previous bundle").expect("write");
    let err = convert_to(inputs, &out).expect_err("bad input must fail");
    assert_eq!(
        std::fs::read(&out).expect("still there"),
        b"the previous bundle"
    );
    assert!(
        !dir.join("bundle.pdf.part").exists(),
        "partial output left behind"
    );
    err
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write input");
    path
}

/// A PNG whose header declares `w × h` pixels, followed by a tiny compressed body.
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: [u8; 4], body: &[u8]) {
        out.extend_from_slice(
            &u32::try_from(body.len())
                .expect("small chunk")
                .to_be_bytes(),
        );
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(body);
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit gray
    chunk(&mut png, *b"IHDR", &ihdr);
    // A zlib stream of a few zero bytes: would inflate to gigabytes if it went on.
    chunk(
        &mut png,
        *b"IDAT",
        &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    );
    chunk(&mut png, *b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_fails_on_its_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bomb = write(dir.path(), "bomb.png", &png_declaring(100_000, 100_000));
    let err = fails_keeping_output(&[bomb], dir.path());
    assert_eq!(err.code(), "paper.decode_limit_exceeded", "{err}");
    assert!(err.to_string().contains("bomb.png"), "{err}");
}

#[test]
fn an_empty_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = write(dir.path(), "空白.jpg", b"");
    let err = fails_keeping_output(&[empty], dir.path());
    assert_eq!(err.code(), "paper.empty_file");
    assert!(err.to_string().contains("空白.jpg"), "{err}");
}

#[test]
fn a_truncated_jpeg_is_refused_not_padded_with_gray() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = std::fs::read(corpus().join("photo_letter_signature_shadow.jpg")).expect("read");
    let cut = write(dir.path(), "cut.jpg", &whole[..whole.len() / 2]);
    let err = fails_keeping_output(&[cut], dir.path());
    assert_eq!(err.code(), "paper.corrupt_input", "{err}");
    assert!(err.to_string().contains("cut.jpg") && err.to_string().contains("truncated"));
}

#[test]
fn a_corrupt_or_truncated_png_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = std::fs::read(corpus().join("photo_page_sparse_wood.png")).expect("read");
    let mut damaged = whole.clone();
    for b in &mut damaged[300..3000] {
        *b ^= 0x5A;
    }
    let damaged = write(dir.path(), "damaged.png", &damaged);
    let err = fails_keeping_output(&[damaged], dir.path());
    assert_eq!(err.code(), "paper.corrupt_input", "{err}");
    assert!(err.to_string().contains("damaged.png"));
    let cut = write(dir.path(), "cut.png", &whole[..whole.len() / 2]);
    let err = fails_keeping_output(&[cut], dir.path());
    assert_eq!(err.code(), "paper.corrupt_input", "{err}");
}

#[test]
fn a_bad_file_among_good_ones_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = corpus().join("zh_scan_customs_declaration_form_redacted.jpg");
    let text = write(dir.path(), "notes.txt", b"not an image");
    let err = fails_keeping_output(&[good, text], dir.path());
    assert_eq!(err.code(), "paper.unsupported_format");
    assert!(err.to_string().contains("notes.txt"));
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = fails_keeping_output(&[dir.path().join("gone.jpg")], dir.path());
    assert_eq!(err.code(), "paper.read_failed");
    assert!(err.to_string().contains("gone.jpg"));
}

/// A decode that runs past the time limit stops the conversion with the limit named, for an
/// image file (decoded in-process) and for a PDF page rendered by pdftoppm (killed). A zero
/// limit stands in for a decoder crawling through hostile data: no real decode is instant.
#[test]
fn a_decode_past_the_time_limit_is_stopped_and_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = litigant_paper::ConvertOptions {
        limits: litigant_paper::DecodeLimits {
            max_decode_time: std::time::Duration::ZERO,
            ..litigant_paper::DecodeLimits::default()
        },
        ..litigant_paper::ConvertOptions::default()
    };
    for input in [
        "photo_textpage_darkbg_tall.jpg",
        "pdf_4_orientations_jbig2.pdf",
    ] {
        let out = dir.path().join("slow.pdf");
        let err = litigant_paper::convert(
            &[corpus().join(input)],
            &out,
            &options,
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .expect_err("past the time limit");
        match &err {
            PaperError::DecodeLimitExceeded {
                limit, path, page, ..
            } => {
                assert_eq!(*limit, "decode time (ms)", "{input}");
                assert!(path.ends_with(input) && *page == 1, "{err}");
            }
            other => panic!("{input}: expected the time limit, got {other}"),
        }
        assert_eq!(err.code(), "paper.decode_limit_exceeded");
        assert!(!out.exists());
    }
}
