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
        })
    }

    /// The folder for everything the session makes (outbox, converted PDFs, recordings).
    pub fn folder(&self) -> &Path {
        &self.folder
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
        Ok(KioskEnd {
            files_removed,
            bytes_removed,
            secrets_forgotten,
        })
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
