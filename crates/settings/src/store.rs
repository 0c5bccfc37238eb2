use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Result, SettingsError};
use crate::model::{Settings, SettingsPatch};
use crate::platform::PlatformChoice;

/// The settings file's name inside the data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The settings as saved in the data folder. Changes are written before they are taken into
/// memory, so what the interface shows is always what is on disk.
#[derive(Debug)]
pub struct SettingsStore {
    path: PathBuf,
    current: Settings,
    kept_damaged_file: Option<PathBuf>,
}

impl SettingsStore {
    /// Opens (creating if needed) the data folder and reads the settings in it. A file that
    /// cannot be parsed is renamed aside, never overwritten, and defaults are used; the caller
    /// can tell the person where it was kept through [`Self::kept_damaged_file`].
    pub fn open(data_dir: &Path) -> Result<Self> {
        if data_dir.is_file() {
            return Err(SettingsError::DataFolderIsAFile {
                path: data_dir.to_owned(),
            });
        }
        create_private_dir(data_dir).map_err(|source| SettingsError::DataFolder {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(SETTINGS_FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Self {
                    path,
                    current: Settings::default(),
                    kept_damaged_file: None,
                });
            }
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        match serde_json::from_slice::<Settings>(&bytes) {
            Ok(current) => Ok(Self {
                path,
                current,
                kept_damaged_file: None,
            }),
            Err(parse_error) => {
                let aside = aside_name(&path);
                fs::rename(&path, &aside).map_err(|source| SettingsError::Write {
                    path: aside.clone(),
                    source,
                })?;
                tracing::warn!(
                    file = %aside.display(),
                    error = %parse_error,
                    "settings file was damaged; kept it aside and started from defaults"
                );
                Ok(Self {
                    path,
                    current: Settings::default(),
                    kept_damaged_file: Some(aside),
                })
            }
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.current
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where a damaged settings file was moved when this store was opened, if it was.
    pub fn kept_damaged_file(&self) -> Option<&Path> {
        self.kept_damaged_file.as_deref()
    }

    pub fn update(&mut self, patch: SettingsPatch) -> Result<&Settings> {
        let mut next = self.current.clone();
        next.apply(patch);
        self.commit(next)
    }

    pub fn set_platform(&mut self, choice: PlatformChoice) -> Result<&Settings> {
        let mut next = self.current.clone();
        next.platform = choice.check()?;
        self.commit(next)
    }

    fn commit(&mut self, next: Settings) -> Result<&Settings> {
        if next != self.current {
            let mut bytes = serde_json::to_vec_pretty(&next).expect("settings always serialize");
            bytes.push(b'\n');
            write_atomically(&self.path, &bytes).map_err(|source| SettingsError::Write {
                path: self.path.clone(),
                source,
            })?;
            self.current = next;
        }
        Ok(&self.current)
    }
}

/// The data folder holds personal data: on Unix only the owner may enter it, also when the
/// folder existed before (made by the person, or by an older version).
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

fn aside_name(path: &Path) -> PathBuf {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = OsString::from(path.file_name().unwrap_or_default());
    name.push(format!(".damaged-{stamp}"));
    let mut aside = path.with_file_name(&name);
    let mut n = 1;
    while aside.exists() {
        aside = path.with_file_name(format!("{}-{n}", name.to_string_lossy()));
        n += 1;
    }
    aside
}

/// Write to a sibling temporary file, flush it to disk, then rename over the target: a crash
/// at any point leaves either the old file or the new one, never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp_name = OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        #[cfg(unix)]
        fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Language, UseMode};
    use crate::platform::Platform;

    #[test]
    fn defaults_when_nothing_saved_and_nothing_written_until_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::open(dir.path()).unwrap();
        assert_eq!(store.settings(), &Settings::default());
        assert_eq!(store.settings().language, Language::ZhCn);
        assert_eq!(store.settings().platform, Platform::Demo);
        assert!(!store.path().exists());
    }

    #[test]
    fn changes_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SettingsStore::open(dir.path()).unwrap();
        store
            .update(SettingsPatch {
                language: Some(Language::En),
                use_mode: Some(UseMode::Kiosk),
                elder_mode: Some(true),
                high_contrast: None,
            })
            .unwrap();
        store
            .set_platform(PlatformChoice::Remote {
                url: "court.example.cn".into(),
            })
            .unwrap();
        let reopened = SettingsStore::open(dir.path()).unwrap();
        assert_eq!(reopened.settings(), store.settings());
        assert_eq!(reopened.settings().use_mode, Some(UseMode::Kiosk));
        assert!(reopened.settings().elder_mode && !reopened.settings().high_contrast);
    }

    #[test]
    fn a_refused_platform_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SettingsStore::open(dir.path()).unwrap();
        store
            .update(SettingsPatch {
                elder_mode: Some(true),
                ..Default::default()
            })
            .unwrap();
        let before = fs::read(store.path()).unwrap();
        let err = store
            .set_platform(PlatformChoice::Remote {
                url: "http://court.example.cn".into(),
            })
            .unwrap_err();
        assert_eq!(err.code(), "settings.platform_url_insecure");
        assert_eq!(store.settings().platform, Platform::Demo);
        assert_eq!(fs::read(store.path()).unwrap(), before);
    }

    #[test]
    fn a_damaged_file_is_kept_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let damaged = b"{\"language\": \"en\", \"elderMo";
        fs::write(dir.path().join(SETTINGS_FILE), damaged).unwrap();
        let store = SettingsStore::open(dir.path()).unwrap();
        assert_eq!(store.settings(), &Settings::default());
        let kept = store.kept_damaged_file().expect("damaged file kept");
        assert_eq!(fs::read(kept).unwrap(), damaged);
        assert!(!dir.path().join(SETTINGS_FILE).exists());
    }

    #[test]
    fn a_file_from_an_older_version_with_fields_missing_loads() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"language":"en","futureField":3}"#,
        )
        .unwrap();
        let store = SettingsStore::open(dir.path()).unwrap();
        assert_eq!(store.settings().language, Language::En);
        assert!(store.kept_damaged_file().is_none());
    }

    #[test]
    fn an_unusable_data_folder_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        fs::write(&file, b"x").unwrap();
        let err = SettingsStore::open(&file).unwrap_err();
        assert_eq!(err.code(), "settings.data_folder_is_a_file");
        assert!(err.to_string().contains("not-a-folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_open_data_folder_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir(&data).unwrap();
        fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
        SettingsStore::open(&data).unwrap();
        assert_eq!(
            fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_private_and_no_temporary_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut store = SettingsStore::open(&data).unwrap();
        store
            .update(SettingsPatch {
                high_contrast: Some(true),
                ..Default::default()
            })
            .unwrap();
        let mode = fs::metadata(&data).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let names: Vec<_> = fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![OsString::from(SETTINGS_FILE)]);
    }
}
