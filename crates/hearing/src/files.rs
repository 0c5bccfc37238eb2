//! The recording folder on disk: private to the user (0700 folder, 0600 files), SHA-256 of a
//! finished file, and atomic replacement of small files (write aside, sync, rename).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{HearingError, Result};

/// Creates `folder` (and its parents) so that only this user can enter it.
pub(crate) fn private_folder(folder: &Path) -> Result<()> {
    fs::create_dir_all(folder).map_err(|e| HearingError::io(folder, e))?;
    restrict(folder, 0o700)
}

/// Makes a file readable and writable by this user only.
pub(crate) fn private_file(path: &Path) -> Result<()> {
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| HearingError::io(path, e))
}

#[cfg(not(unix))]
#[allow(
    clippy::unnecessary_wraps,
    reason = "the user's profile folder is already private on Windows; same signature as on Unix"
)]
fn restrict(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

/// The file's SHA-256 as lower-case hex, and its length.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = fs::File::open(path).map_err(|e| HearingError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 16];
    let mut bytes = 0_u64;
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|e| HearingError::io(path, e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        bytes += read as u64;
    }
    Ok((format!("{:x}", hasher.finalize()), bytes))
}

/// Replaces `path` with `contents` so that a reader (or a crash) sees the old file or the new
/// one, never a mixture: written beside it, synced, then renamed over it.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let aside = path.with_extension("json.tmp");
    let mut file = fs::File::create(&aside).map_err(|e| HearingError::io(&aside, e))?;
    private_file(&aside)?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| HearingError::io(&aside, e))?;
    drop(file);
    fs::rename(&aside, path).map_err(|e| HearingError::io(path, e))?;
    if let Some(folder) = path.parent() {
        // The rename is durable only once the folder is synced (Unix; a no-op error elsewhere).
        if let Ok(dir) = fs::File::open(folder) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}
