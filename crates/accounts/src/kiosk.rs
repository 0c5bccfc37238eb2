//! A kiosk session (Art. 38: courts' self-service machines): secrets only in memory, files only
//! in the session's own folder, a visible timer and an idle timeout with a warning, and an end
//! that leaves the data folder as it was before the session began.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::AccountsError;
use crate::store::MemoryStore;

/// Where a kiosk session stands on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskClock {
    /// In use; the session ends after `idle_left` without activity.
    Active {
        elapsed: Duration,
        idle_left: Duration,
    },
    /// Idle long enough that the person must be warned: it ends in `ends_in` unless they act.
    Warning {
        elapsed: Duration,
        ends_in: Duration,
    },
    /// Idle past the timeout: end it now.
    Expired,
}

/// What ending a session removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskEnd {
    pub files_removed: usize,
    pub bytes_removed: u64,
    pub secrets_forgotten: usize,
}

/// One person's session at a kiosk.
#[derive(Debug)]
pub struct KioskSession {
    folder: PathBuf,
    secrets: MemoryStore,
    started: Instant,
    last_activity: Instant,
    idle_timeout: Duration,
    warning: Duration,
    /// Files outside the session's folder that the session may change (the settings: a person
    /// switches the language or large text), with what they held before; put back at the end.
    preserved: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl KioskSession {
    /// Begins a session whose files go in `<data>/kiosk-session` (created private, and emptied
    /// first if a crashed session left one). `warning` is how long before the idle timeout the
    /// person is warned.
    pub fn begin(
        data: &Path,
        idle_timeout: Duration,
        warning: Duration,
        now: Instant,
    ) -> Result<Self, AccountsError> {
        let folder = data.join("kiosk-session");
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(|source| AccountsError::File {
                path: folder.clone(),
                source,
            })?;
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&folder)
            .map_err(|source| AccountsError::File {
                path: folder.clone(),
                source,
            })?;
        Ok(Self {
            folder,
            secrets: MemoryStore::default(),
            started: now,
            last_activity: now,
            idle_timeout,
            warning: warning.min(idle_timeout),
            preserved: Vec::new(),
        })
    }

    /// The folder for everything the session makes (outbox, converted PDFs, recordings).
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Remembers what `path` holds now (or that it does not exist), so that [`Self::end`] puts
    /// it back: for files outside the session's folder that the session may change.
    pub fn preserve(&mut self, path: &Path) -> Result<(), AccountsError> {
        let before = match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(AccountsError::File {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        self.preserved.push((path.to_owned(), before));
        Ok(())
    }

    /// The session's secrets: in memory only.
    pub fn secrets(&self) -> &MemoryStore {
        &self.secrets
    }

    /// The person did something: the idle timer starts again.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    pub fn clock(&self, now: Instant) -> KioskClock {
        let elapsed = now.saturating_duration_since(self.started);
        let idle = now.saturating_duration_since(self.last_activity);
        let Some(idle_left) = self
            .idle_timeout
            .checked_sub(idle)
            .filter(|left| !left.is_zero())
        else {
            return KioskClock::Expired;
        };
        if idle_left <= self.warning {
            KioskClock::Warning {
                elapsed,
                ends_in: idle_left,
            }
        } else {
            KioskClock::Active { elapsed, idle_left }
        }
    }

    /// Ends the session: forgets every secret and removes every file it made.
    pub fn end(self) -> Result<KioskEnd, AccountsError> {
        let secrets_forgotten = self.secrets.len();
        self.secrets.wipe();
        let (files_removed, bytes_removed) = measure(&self.folder)?;
        std::fs::remove_dir_all(&self.folder).map_err(|source| AccountsError::File {
            path: self.folder.clone(),
            source,
        })?;
        for (path, before) in &self.preserved {
            restore(path, before.as_deref())?;
        }
        Ok(KioskEnd {
            files_removed,
            bytes_removed,
            secrets_forgotten,
        })
    }
}

/// Puts `before` back at `path` (through a temporary file and a rename, so a crash leaves the
/// old or the new), or removes `path` if it did not exist; nothing is written if it is unchanged.
fn restore(path: &Path, before: Option<&[u8]>) -> Result<(), AccountsError> {
    let file_error = |source| AccountsError::File {
        path: path.to_owned(),
        source,
    };
    let now = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(file_error(source)),
    };
    match before {
        _ if now.as_deref() == before => Ok(()),
        None => std::fs::remove_file(path).map_err(file_error),
        Some(bytes) => {
            let temporary = path.with_extension("kiosk-restore");
            std::fs::write(&temporary, bytes).map_err(file_error)?;
            std::fs::rename(&temporary, path).map_err(file_error)
        }
    }
}

fn measure(folder: &Path) -> Result<(usize, u64), AccountsError> {
    let mut files = 0;
    let mut bytes = 0;
    let entries = std::fs::read_dir(folder).map_err(|source| AccountsError::File {
        path: folder.to_owned(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| AccountsError::File {
            path: folder.to_owned(),
            source,
        })?;
        let metadata = entry.metadata().map_err(|source| AccountsError::File {
            path: entry.path(),
            source,
        })?;
        if metadata.is_dir() {
            let (f, b) = measure(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += metadata.len();
        }
    }
    Ok((files, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_puts_preserved_files_back_and_removes_the_session_folder() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join("settings.json");
        let created = dir.path().join("created-later.json");
        std::fs::write(&settings, b"{\"language\":\"zh-CN\"}").unwrap();
        let t0 = Instant::now();
        let mut session = KioskSession::begin(
            dir.path(),
            Duration::from_mins(5),
            Duration::from_mins(1),
            t0,
        )
        .unwrap();
        session.preserve(&settings).unwrap();
        session.preserve(&created).unwrap();
        std::fs::write(&settings, b"{\"language\":\"en\"}").unwrap();
        std::fs::write(&created, b"{}").unwrap();
        std::fs::write(session.folder().join("scan.pdf"), b"%PDF").unwrap();
        let ended = session.end().unwrap();
        assert_eq!((ended.files_removed, ended.bytes_removed), (1, 4));
        assert_eq!(
            std::fs::read(&settings).unwrap(),
            b"{\"language\":\"zh-CN\"}"
        );
        assert!(!created.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["settings.json"]);
    }

    #[test]
    fn the_clock_warns_before_the_idle_timeout_and_activity_resets_it() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Instant::now();
        let mut session = KioskSession::begin(
            dir.path(),
            Duration::from_mins(5),
            Duration::from_mins(1),
            t0,
        )
        .unwrap();
        assert_eq!(
            session.clock(t0 + Duration::from_secs(100)),
            KioskClock::Active {
                elapsed: Duration::from_secs(100),
                idle_left: Duration::from_secs(200)
            }
        );
        assert_eq!(
            session.clock(t0 + Duration::from_secs(250)),
            KioskClock::Warning {
                elapsed: Duration::from_secs(250),
                ends_in: Duration::from_secs(50)
            }
        );
        session.touch(t0 + Duration::from_secs(250));
        assert!(matches!(
            session.clock(t0 + Duration::from_secs(400)),
            KioskClock::Active { .. }
        ));
        assert_eq!(
            session.clock(t0 + Duration::from_secs(551)),
            KioskClock::Expired
        );
    }
}
