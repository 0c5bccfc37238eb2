//! HEIC/HEIF photos, what phones save by default. libheif's `heif-convert` decodes them in a
//! child process: the HEVC decoder is C code facing a file from anyone, and a crash or a hang
//! on a hostile file stays in that process, which is killed at the time limit. It writes a
//! JPEG (quality 95, upright: libheif applies the file's rotation and mirroring), which then
//! takes the JPEG path with its limits, less its Exif (see [`without_exif`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::child::{self, ChildError};
use crate::decode::{DecodeLimits, check_dimensions, corrupt};
use crate::error::PaperError;

/// The program, and the Debian package that has it.
pub const PROGRAM: &str = "heif-convert";
pub const PACKAGE: &str = "libheif-examples";

/// Brands of an ISO base media file that carry HEIF images (ISO/IEC 23008-12). AVIF's brands
/// are not here: Debian's libheif is not built to decode them.
const BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
];

/// Whether `bytes` start an HEIF file: an `ftyp` box whose major brand is one of [`BRANDS`].
pub fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// The largest width and height an `ispe` (image spatial extents) property declares, read
/// before anything is decoded, so that a file declaring a gigapixel image fails on its header.
/// A grid image declares its tiles' sizes and the whole, and the whole is the largest.
fn declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    // The properties sit in the `meta` box at the front; its size bounds the search.
    let head = &bytes[..bytes.len().min(1 << 20)];
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(head.get(at..at + 4)?.try_into().ok()?))
    };
    head.windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"ispe")
        // 'ispe', version and flags (4 bytes), width, height.
        .filter_map(|(at, _)| Some((be32(at + 8)?, be32(at + 12)?)))
        .max_by_key(|&(w, h)| u64::from(w) * u64::from(h))
}

/// Decodes an HEIF file to JPEG bytes with `heif-convert`.
pub fn to_jpeg(path: &Path, bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, PaperError> {
    if let Some(size) = declared_size(bytes) {
        check_dimensions(path, 1, size, limits)?;
    }
    // heif-convert reads and writes files, not pipes.
    let folder = tempfile::tempdir().map_err(|source| PaperError::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let (input, output) = (folder.path().join("in.heic"), folder.path().join("out.jpg"));
    std::fs::write(&input, bytes).map_err(|source| PaperError::Write {
        path: input.clone(),
        source,
    })?;
    let mut command = Command::new(PROGRAM);
    command
        .args(["--quiet", "-q", "95"])
        .arg(&input)
        .arg(&output);
    let finished = child::run(command, &[], limits.max_decode_time).map_err(|e| match e {
        ChildError::Start(source) if source.kind() == std::io::ErrorKind::NotFound => {
            PaperError::HeifDecoderMissing {
                path: path.to_path_buf(),
                program: PathBuf::from(PROGRAM),
                package: PACKAGE,
            }
        }
        ChildError::TimedOut(limit) => corrupt(
            path,
            1,
            &format_args!("decoding took longer than {} s", limit.as_secs()),
        ),
        ChildError::Start(source) | ChildError::Wait(source) => corrupt(path, 1, &source),
    })?;
    if !finished.status.success() {
        let said = String::from_utf8_lossy(&finished.stderr);
        let said = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(corrupt(
            path,
            1,
            &format_args!("the HEIF decoder failed ({}): {said}", finished.status),
        ));
    }
    // A file holding several images (a burst) comes out as out-1.jpg, out-2.jpg…; the first is
    // the primary image, the one a phone shows.
    let written = [output.clone(), folder.path().join("out-1.jpg")]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| corrupt(path, 1, &"the HEIF decoder wrote no image"))?;
    let jpeg = std::fs::read(&written).map_err(|source| PaperError::Read {
        path: written,
        source,
    })?;
    Ok(without_exif(jpeg))
}

/// The JPEG without its Exif segments. HEIF's own `irot`/`imir` say how a picture is turned, and
/// libheif has applied them; the Exif orientation is informative only (ISO/IEC 23008-12), but
/// libheif 1.15 copies it unchanged, so an iPhone photo (turned by `irot`, with the same turn in
/// its Exif) would be turned a second time on the JPEG path. A bundle leaves Exif out anyway.
/// Bytes that do not parse as JPEG headers are returned as they are, for the decoder to name.
fn without_exif(jpeg: Vec<u8>) -> Vec<u8> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return jpeg;
    }
    let mut kept = Vec::with_capacity(jpeg.len());
    kept.extend_from_slice(&jpeg[..2]);
    let mut at = 2;
    while let Some(&[0xFF, marker, high, low]) = jpeg.get(at..at + 4) {
        if marker == 0xDA {
            break; // the first scan: the picture follows.
        }
        let end = at + 2 + usize::from(u16::from_be_bytes([high, low]));
        let Some(segment) = jpeg.get(at..end) else {
            return jpeg;
        };
        if !(marker == 0xE1 && segment.get(4..10) == Some(b"Exif\0\0")) {
            kept.extend_from_slice(segment);
        }
        at = end;
    }
    kept.extend_from_slice(&jpeg[at..]);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(brand: [u8; 4]) -> Vec<u8> {
        let mut bytes = vec![0, 0, 0, 24];
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(&brand);
        bytes.extend_from_slice(&[0; 12]);
        bytes
    }

    #[test]
    fn exif_is_left_out_and_everything_else_kept() {
        let jfif = [0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
        let exif = [0xFF, 0xE1, 0, 10, b'E', b'x', b'i', b'f', 0, 0, 0x4D, 0x4D];
        let xmp = [0xFF, 0xE1, 0, 6, b'h', b't', b't', b'p'];
        let scan = [0xFF, 0xDA, 0, 2, 0xFF, 0xE1, 0xFF, 0xD9];
        let whole: Vec<u8> = [&[0xFF, 0xD8][..], &jfif, &exif, &xmp, &scan].concat();
        let expected: Vec<u8> = [&[0xFF, 0xD8][..], &jfif, &xmp, &scan].concat();
        assert_eq!(without_exif(whole), expected);
        // A damaged header is left for the decoder to name.
        let cut = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 200, b'E'];
        assert_eq!(without_exif(cut.clone()), cut);
        assert_eq!(without_exif(b"not a jpeg".to_vec()), b"not a jpeg");
    }

    #[test]
    fn heif_is_told_by_its_brand() {
        assert!(is_heif(&ftyp(*b"heic")));
        assert!(is_heif(&ftyp(*b"mif1")));
        // An MP4 video and AVIF share the box structure, not the brand.
        assert!(!is_heif(&ftyp(*b"isom")));
        assert!(!is_heif(&ftyp(*b"avif")));
        assert!(!is_heif(b"ftyp"));
    }

    #[test]
    fn the_largest_declared_extent_is_the_image() {
        let mut bytes = ftyp(*b"heic");
        for (w, h) in [(512u32, 512u32), (4032, 3024), (256, 256)] {
            bytes.extend_from_slice(&[0, 0, 0, 20]);
            bytes.extend_from_slice(b"ispe");
            bytes.extend_from_slice(&[0; 4]);
            bytes.extend_from_slice(&w.to_be_bytes());
            bytes.extend_from_slice(&h.to_be_bytes());
        }
        assert_eq!(declared_size(&bytes), Some((4032, 3024)));
        assert_eq!(declared_size(&ftyp(*b"heic")), None);
    }

    #[test]
    fn a_declared_bomb_fails_before_decoding() {
        let mut bytes = ftyp(*b"heic");
        bytes.extend_from_slice(&[0, 0, 0, 20]);
        bytes.extend_from_slice(b"ispe");
        bytes.extend_from_slice(&[0; 4]);
        bytes.extend_from_slice(&100_000u32.to_be_bytes());
        bytes.extend_from_slice(&100_000u32.to_be_bytes());
        let error =
            to_jpeg(Path::new("bomb.heic"), &bytes, &DecodeLimits::default()).expect_err("refused");
        assert_eq!(error.code(), "paper.decode_limit_exceeded", "{error}");
    }
}
