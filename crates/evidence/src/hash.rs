//! SHA-256 of files and bytes, lowercase hex, the form the platform and the case file use.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::EvidenceError;

pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Reads the file in blocks, so a large recording does not have to fit in memory.
pub fn sha256_file(path: &Path) -> Result<String, EvidenceError> {
    let error = |source| EvidenceError::File {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(error)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0_u8; 1 << 20];
    loop {
        let read = file.read(&mut block).map_err(error)?;
        if read == 0 {
            break;
        }
        hasher.update(&block[..read]);
    }
    Ok(to_hex(&hasher.finalize()))
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// 32 bytes from 64 lowercase or uppercase hex digits; `None` for anything else.
pub(crate) fn from_hex32(text: &str) -> Option<[u8; 32]> {
    // `from_str_radix` alone would take a sign ("+f"), so every digit is checked first.
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0_u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_the_known_vector_and_round_trip() {
        let abc = sha256_hex(b"abc");
        assert_eq!(
            abc,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(to_hex(&from_hex32(&abc).unwrap()), abc);
        assert!(from_hex32("ba78").is_none());
        assert!(from_hex32(&"zz".repeat(32)).is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256_file(&path).unwrap(), abc);
    }
}
