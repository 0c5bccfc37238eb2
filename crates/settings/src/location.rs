//! Where the data folder is, and moving it.
//!
//! The only file Litigant keeps outside the data folder is the pointer `data-folder.json` in the
//! platform's configuration folder, written once the person has moved the data folder.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Result, SettingsError};
use crate::store::{create_private_dir, write_atomically};

/// Overrides the data folder: for tests, for a portable install on a USB stick, and for a
/// kiosk whose data must live on a volume that is wiped.
pub const DATA_DIR_ENV: &str = "LITIGANT_DATA_DIR";

/// The pointer's name inside the configuration folder.
pub const POINTER_FILE: &str = "data-folder.json";

/// Why the data folder is where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DataFolderSource {
    /// `LITIGANT_DATA_DIR` names it; it cannot be moved from inside the app.
    Environment,
    /// The person moved it here.
    Chosen,
    /// The platform's folder for application data.
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFolder {
    pub path: PathBuf,
    pub source: DataFolderSource,
}

#[derive(Serialize, Deserialize)]
struct Pointer {
    path: PathBuf,
}

impl DataFolder {
    /// The data folder for this start: `LITIGANT_DATA_DIR` when set and not empty, else the
    /// folder the person chose (the pointer in `config_dir`), else `os_default`. An unreadable
    /// pointer is an error rather than a silent fall-back, which would show an empty app to
    /// someone whose cases are elsewhere.
    pub fn resolve(config_dir: &Path, os_default: PathBuf) -> Result<Self> {
        Self::resolve_with(std::env::var_os(DATA_DIR_ENV), config_dir, os_default)
    }

    fn resolve_with(
        env: Option<std::ffi::OsString>,
        config_dir: &Path,
        os_default: PathBuf,
    ) -> Result<Self> {
        if let Some(path) = env.filter(|v| !v.is_empty()) {
            return Ok(Self {
                path: PathBuf::from(path),
                source: DataFolderSource::Environment,
            });
        }
        let pointer = config_dir.join(POINTER_FILE);
        match fs::read(&pointer) {
            Ok(bytes) => {
                let Pointer { path } =
                    serde_json::from_slice(&bytes).map_err(|e| SettingsError::Read {
                        path: pointer.clone(),
                        source: io::Error::other(e),
                    })?;
                Ok(Self {
                    path,
                    source: DataFolderSource::Chosen,
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Self {
                path: os_default,
                source: DataFolderSource::Default,
            }),
            Err(source) => Err(SettingsError::Read {
                path: pointer,
                source,
            }),
        }
    }

    /// Moves everything in the data folder to `target` (a new or empty folder) and records it
    /// in `config_dir` for the next start. The copy is compared byte for byte before the
    /// pointer changes; until then any failure removes the partial copy and leaves everything
    /// as it was. The old folder is removed last; if that fails the data is already safe in
    /// the new place and the old path is returned so the person can delete it.
    pub fn move_to(&self, config_dir: &Path, target: &Path) -> Result<MovedDataFolder> {
        let refuse = |reason| SettingsError::DataFolderMove {
            target: target.to_owned(),
            reason,
        };
        if self.source == DataFolderSource::Environment {
            return Err(refuse(MoveRefusal::SetByEnvironment));
        }
        if !target.is_absolute() {
            return Err(refuse(MoveRefusal::NotAbsolute));
        }
        let from = fs::canonicalize(&self.path).map_err(|source| SettingsError::DataFolder {
            path: self.path.clone(),
            source,
        })?;
        let to = canonical_target(target)?;
        if to.starts_with(&from) || from.starts_with(&to) {
            return Err(refuse(MoveRefusal::Overlaps));
        }
        let created = !to.exists();
        if !created
            && fs::read_dir(&to)
                .map_err(|source| target_error(target, source))?
                .next()
                .is_some()
        {
            return Err(refuse(MoveRefusal::NotEmpty));
        }
        let copy = || -> io::Result<()> {
            create_private_dir(&to)?;
            copy_tree(&from, &to)?;
            verify_tree(&from, &to)
        };
        if let Err(source) = copy() {
            undo_copy(&to, created);
            return Err(target_error(target, source));
        }
        let pointer_path = config_dir.join(POINTER_FILE);
        let written = serde_json::to_vec_pretty(&Pointer { path: to.clone() })
            .map_err(io::Error::other)
            .and_then(|bytes| {
                create_private_dir(config_dir)?;
                write_atomically(&pointer_path, &bytes)
            });
        if let Err(source) = written {
            undo_copy(&to, created);
            return Err(SettingsError::Write {
                path: pointer_path,
                source,
            });
        }
        let left_behind = match fs::remove_dir_all(&from) {
            Ok(()) => None,
            Err(error) => {
                tracing::warn!(folder = %from.display(), %error, "old data folder not removed");
                Some(from)
            }
        };
        Ok(MovedDataFolder {
            path: to,
            left_behind,
        })
    }
}

/// Why a move was refused before anything was copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveRefusal {
    SetByEnvironment,
    NotAbsolute,
    Overlaps,
    NotEmpty,
}

/// Where the data now is, and the old folder if it could not be removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MovedDataFolder {
    pub path: PathBuf,
    pub left_behind: Option<PathBuf>,
}

fn target_error(target: &Path, source: io::Error) -> SettingsError {
    SettingsError::DataFolder {
        path: target.to_owned(),
        source,
    }
}

/// The target with its existing ancestors resolved, so `..` and symlinks cannot hide that it
/// lies inside the data folder.
fn canonical_target(target: &Path) -> Result<PathBuf> {
    let mut existing = target;
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().ok_or_else(|| {
            target_error(
                target,
                io::Error::new(io::ErrorKind::InvalidInput, "no folder name"),
            )
        })?);
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut path = fs::canonicalize(existing).map_err(|source| target_error(target, source))?;
    path.extend(rest.into_iter().rev());
    Ok(path)
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            create_private_dir(&dest)?;
            copy_tree(&entry.path(), &dest)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest)?;
            fs::File::open(&dest)?.sync_all()?;
        } else {
            // Litigant writes no links or devices; one there was put by someone else.
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("{} is not a plain file or folder", entry.path().display()),
            ));
        }
    }
    Ok(())
}

fn verify_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            verify_tree(&entry.path(), &dest)?;
        } else if !same_bytes(&entry.path(), &dest)? {
            return Err(io::Error::other(format!(
                "{} differs after copying",
                dest.display()
            )));
        }
    }
    Ok(())
}

fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut buf_a, mut buf_b) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = a.read(&mut buf_a)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut buf_b[..n])?;
        if buf_a[..n] != buf_b[..n] {
            return Ok(false);
        }
    }
}

/// Removes what a failed move copied: the whole folder if the move created it, else only its
/// contents (it was empty before).
fn undo_copy(to: &Path, created: bool) {
    let result = if created {
        fs::remove_dir_all(to)
    } else {
        fs::read_dir(to).and_then(|entries| {
            entries.flatten().try_for_each(|e| {
                if e.file_type()?.is_dir() {
                    fs::remove_dir_all(e.path())
                } else {
                    fs::remove_file(e.path())
                }
            })
        })
    };
    if let Err(error) = result {
        tracing::warn!(folder = %to.display(), %error, "partial copy not removed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SettingsPatch, SettingsStore};

    struct Machine {
        _root: tempfile::TempDir,
        config: PathBuf,
        default: PathBuf,
        elsewhere: PathBuf,
    }

    /// A data folder at the default place with settings and a nested case file in it.
    fn machine() -> Machine {
        let root = tempfile::tempdir().unwrap();
        let m = Machine {
            config: root.path().join("config"),
            default: root.path().join("data"),
            elsewhere: root.path().join("encrypted-drive/litigant"),
            _root: root,
        };
        let mut store = SettingsStore::open(&m.default).unwrap();
        store
            .update(SettingsPatch {
                elder_mode: Some(true),
                ..Default::default()
            })
            .unwrap();
        fs::create_dir_all(m.default.join("cases/2026-01")).unwrap();
        fs::write(
            m.default.join("cases/2026-01/evidence.pdf"),
            vec![7u8; 200_000],
        )
        .unwrap();
        m
    }

    fn current(m: &Machine) -> DataFolder {
        DataFolder::resolve_with(None, &m.config, m.default.clone()).unwrap()
    }

    #[test]
    fn resolves_environment_then_chosen_then_default() {
        let m = machine();
        assert_eq!(
            current(&m),
            DataFolder {
                path: m.default.clone(),
                source: DataFolderSource::Default
            }
        );
        let env = DataFolder::resolve_with(Some("/kiosk".into()), &m.config, m.default.clone());
        assert_eq!(env.unwrap().source, DataFolderSource::Environment);
        let empty_env = DataFolder::resolve_with(Some("".into()), &m.config, m.default.clone());
        assert_eq!(empty_env.unwrap().source, DataFolderSource::Default);
    }

    #[test]
    fn a_move_carries_everything_and_the_next_start_finds_it() {
        let m = machine();
        let moved = current(&m).move_to(&m.config, &m.elsewhere).unwrap();
        assert_eq!(moved.left_behind, None);
        assert!(!m.default.exists());
        let now = current(&m);
        assert_eq!(now.source, DataFolderSource::Chosen);
        assert_eq!(now.path, moved.path);
        assert!(
            SettingsStore::open(&now.path)
                .unwrap()
                .settings()
                .elder_mode
        );
        assert_eq!(
            fs::read(now.path.join("cases/2026-01/evidence.pdf")).unwrap(),
            vec![7u8; 200_000]
        );
    }

    #[test]
    fn an_empty_existing_folder_is_a_fine_target() {
        let m = machine();
        fs::create_dir_all(&m.elsewhere).unwrap();
        current(&m).move_to(&m.config, &m.elsewhere).unwrap();
        assert!(m.elsewhere.join(crate::SETTINGS_FILE).exists());
    }

    fn refused(m: &Machine, folder: &DataFolder, target: &Path) -> MoveRefusal {
        match folder.move_to(&m.config, target).unwrap_err() {
            SettingsError::DataFolderMove { reason, .. } => reason,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn refusals_change_nothing() {
        let m = machine();
        let folder = current(&m);
        fs::create_dir_all(&m.elsewhere).unwrap();
        fs::write(m.elsewhere.join("holiday.jpg"), b"x").unwrap();
        assert_eq!(refused(&m, &folder, &m.elsewhere), MoveRefusal::NotEmpty);
        assert_eq!(
            refused(&m, &folder, &m.default.join("inner")),
            MoveRefusal::Overlaps
        );
        assert_eq!(
            refused(&m, &folder, &m.default.join("cases/../x")),
            MoveRefusal::Overlaps
        );
        assert_eq!(
            refused(&m, &folder, m.default.parent().unwrap()),
            MoveRefusal::Overlaps
        );
        assert_eq!(
            refused(&m, &folder, Path::new("relative/place")),
            MoveRefusal::NotAbsolute
        );
        let by_env = DataFolder {
            source: DataFolderSource::Environment,
            ..folder.clone()
        };
        assert_eq!(
            refused(&m, &by_env, &m.elsewhere.join("new")),
            MoveRefusal::SetByEnvironment
        );
        assert!(!m.config.join(POINTER_FILE).exists());
        assert!(m.default.join("cases/2026-01/evidence.pdf").exists());
    }

    #[test]
    fn a_target_that_cannot_be_created_is_named_and_nothing_moves() {
        let m = machine();
        let blocker = m.default.parent().unwrap().join("a-file");
        fs::write(&blocker, b"x").unwrap();
        let err = current(&m)
            .move_to(&m.config, &blocker.join("litigant"))
            .unwrap_err();
        assert_eq!(err.code(), "settings.data_folder");
        assert!(err.to_string().contains("a-file"), "{err}");
        assert_eq!(current(&m).source, DataFolderSource::Default);
        assert!(m.default.join(crate::SETTINGS_FILE).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_data_folder_stops_the_move_and_the_partial_copy_is_removed() {
        let m = machine();
        std::os::unix::fs::symlink("/etc/passwd", m.default.join("cases/link")).unwrap();
        let err = current(&m).move_to(&m.config, &m.elsewhere).unwrap_err();
        assert!(err.to_string().contains("not a plain file"), "{err}");
        assert!(!m.elsewhere.exists());
        assert!(!m.config.join(POINTER_FILE).exists());
        assert!(m.default.join("cases/2026-01/evidence.pdf").exists());
    }

    #[test]
    fn a_damaged_pointer_is_an_error_not_an_empty_app() {
        let m = machine();
        fs::create_dir_all(&m.config).unwrap();
        fs::write(m.config.join(POINTER_FILE), b"{\"pa").unwrap();
        let err = DataFolder::resolve_with(None, &m.config, m.default.clone()).unwrap_err();
        assert_eq!(err.code(), "settings.read");
    }
}
