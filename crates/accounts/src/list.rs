//! The account list: `accounts.json` in the data folder, with no secret and no full number.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AccountsError;

/// An account known on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccount {
    pub platform: String,
    pub account_id: String,
    pub name: String,
    /// As the platform returns it: masked.
    pub id_number_masked: String,
    pub last_used: DateTime<Utc>,
}

/// The list, read from and written to one file (atomically: a crash leaves the old or the new).
#[derive(Debug)]
pub struct AccountList {
    path: PathBuf,
    accounts: Vec<SavedAccount>,
}

impl AccountList {
    /// Opens `<data>/accounts.json`; a damaged file is kept aside and the list starts empty.
    pub fn open(data: &Path) -> Result<Self, AccountsError> {
        let path = data.join("accounts.json");
        let accounts = match std::fs::read(&path) {
            Ok(bytes) => {
                if let Ok(accounts) = serde_json::from_slice(&bytes) {
                    accounts
                } else {
                    let kept_as = path.with_extension(format!(
                        "json.damaged-{}",
                        Utc::now().format("%Y%m%dT%H%M%S")
                    ));
                    std::fs::rename(&path, &kept_as).map_err(|source| AccountsError::File {
                        path: path.clone(),
                        source,
                    })?;
                    return Err(AccountsError::Damaged { path, kept_as });
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(AccountsError::File { path, source }),
        };
        Ok(Self { path, accounts })
    }

    pub fn accounts(&self) -> &[SavedAccount] {
        &self.accounts
    }

    /// The most recently used account of a platform.
    pub fn latest(&self, platform: &str) -> Option<&SavedAccount> {
        self.accounts
            .iter()
            .filter(|a| a.platform == platform)
            .max_by_key(|a| a.last_used)
    }

    /// Adds or refreshes an account and saves the list.
    pub fn remember(&mut self, account: SavedAccount) -> Result<(), AccountsError> {
        self.accounts
            .retain(|a| !(a.platform == account.platform && a.account_id == account.account_id));
        self.accounts.push(account);
        self.save()
    }

    /// Remembers an account the platform just logged in, as used now.
    pub fn remember_login(
        &mut self,
        platform: &str,
        account: &litigant_court_api::identity::Account,
    ) -> Result<(), AccountsError> {
        self.remember(SavedAccount {
            platform: platform.to_owned(),
            account_id: account.id.clone(),
            name: account.name.clone(),
            id_number_masked: account.id_number_masked.clone(),
            last_used: Utc::now(),
        })
    }

    pub fn forget(&mut self, platform: &str, account_id: &str) -> Result<(), AccountsError> {
        self.accounts
            .retain(|a| !(a.platform == platform && a.account_id == account_id));
        self.save()
    }

    fn save(&self) -> Result<(), AccountsError> {
        let file_error = |source| AccountsError::File {
            path: self.path.clone(),
            source,
        };
        let temporary = self.path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(&self.accounts)
            .map_err(|e| file_error(std::io::Error::other(e)))?;
        std::fs::write(&temporary, bytes).map_err(file_error)?;
        std::fs::File::open(&temporary)
            .and_then(|f| f.sync_all())
            .map_err(file_error)?;
        std::fs::rename(&temporary, &self.path).map_err(file_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, minutes: i64) -> SavedAccount {
        SavedAccount {
            platform: "https://court.example.cn".into(),
            account_id: id.into(),
            name: "王小明".into(),
            id_number_masked: "1101**********002X".into(),
            last_used: DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap(),
        }
    }

    #[test]
    fn remembers_the_latest_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = AccountList::open(dir.path()).unwrap();
        list.remember(account("acc_1", 1)).unwrap();
        list.remember(account("acc_2", 5)).unwrap();
        list.remember(account("acc_1", 9)).unwrap();
        let reopened = AccountList::open(dir.path()).unwrap();
        assert_eq!(reopened.accounts().len(), 2);
        assert_eq!(
            reopened
                .latest("https://court.example.cn")
                .unwrap()
                .account_id,
            "acc_1"
        );
        assert!(reopened.latest("https://other.example.cn").is_none());
    }

    #[test]
    fn a_damaged_list_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("accounts.json"), b"{not json").unwrap();
        let Err(AccountsError::Damaged { kept_as, .. }) = AccountList::open(dir.path()) else {
            panic!("not refused")
        };
        assert_eq!(std::fs::read(kept_as).unwrap(), b"{not json");
        assert!(AccountList::open(dir.path()).unwrap().accounts().is_empty());
    }
}
