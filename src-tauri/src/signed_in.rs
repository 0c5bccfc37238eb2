//! Who is signed in on this window, with the platform client for their session. The session's
//! refresh token goes to the system keychain, or, when the person chooses a session that keeps
//! nothing (a kiosk, or no usable keychain), to memory only. Several kept accounts can share a
//! computer; switching restores one from its refresh token in the keychain.

use std::collections::HashMap;
use std::sync::Arc;

use litigant_accounts::{
    AccountList, AccountsError, Keychain, MemoryStore, SecretStore, forget_account, keep_session,
    kept_refresh_token, refresh_token_key,
};
use litigant_court_api::identity::{
    Account, LoginRequest, ReverificationRequest, Session, SmsCodeRequest, SmsPurpose,
    VerificationStatus,
};
use litigant_court_client::{Client, SessionTokens};
use litigant_settings::{DemoCourtReport, Platform, PlatformUrl, UseMode};
use tokio::sync::Mutex;

use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::models::{
    AccountSummary, Assurance, CaseSummary, SavedAccountView, SmsCodeNotice, SmsPurposeChoice,
};
use crate::state::AppState;

/// The identifier the app's keychain entries are filed under.
pub(crate) const KEYCHAIN_SERVICE: &str = "org.litigant.desktop";

/// What the demo court's accounts are filed under. Its loopback port changes on every start, so
/// its address cannot name it; its data (and so its accounts) stay in the data folder.
const DEMO_PLATFORM: &str = "demo-court";

#[derive(Debug, Default)]
pub struct SignedIn {
    current: Mutex<Option<Signed>>,
    /// Held while a session is restored from the keychain. The platform replaces the refresh
    /// token on each use, so two restores of one account at once (the dashboard reading it
    /// while the person switches to it) would both send the same token and one be refused.
    restoring: Mutex<()>,
    /// Sessions of kept accounts other than the signed-in one, restored for the dashboard of
    /// every account and used again while they work, by (platform, account). Restoring renews
    /// the refresh token, so restoring on every refresh would rotate each account's token and
    /// write the keychain each time; a kept client renews only when its access token runs out.
    others: Mutex<HashMap<(String, String), Client>>,
}

#[derive(Debug)]
struct Signed {
    client: Client,
    summary: AccountSummary,
    /// Where re-verification codes go; kept in memory only, for this window's session. Unknown
    /// for a session restored from the keychain (the platform shows it only masked).
    mobile: Option<String>,
    /// Set for a session that keeps nothing: its secrets live here and die with it.
    memory: Option<Arc<MemoryStore>>,
}

/// A client for the chosen platform, and the name its accounts are filed under.
pub(crate) async fn platform_client(
    state: &AppState,
    demo_court: &DemoCourt,
) -> Result<(Client, String), CommandError> {
    let platform = state.with_data(|data| Ok(data.settings.settings().platform.clone()))?;
    let (url, key) = match platform {
        Platform::Remote { url } => {
            let key = url.as_str().to_owned();
            (url, key)
        }
        Platform::Demo => match demo_court.report().await {
            DemoCourtReport::Running { url, .. } => {
                (PlatformUrl::parse(&url)?, DEMO_PLATFORM.to_owned())
            }
            DemoCourtReport::Failed { cause } => {
                return Err(CommandError::demo_court_unavailable(&cause));
            }
        },
    };
    Ok((Client::new(url)?, key))
}

/// Runs a keychain call off the async threads: the keychain can be slow (a prompt to unlock).
async fn with_keychain<T: Send + 'static>(
    work: impl FnOnce(&Keychain) -> Result<T, AccountsError> + Send + 'static,
) -> Result<T, CommandError> {
    tokio::task::spawn_blocking(move || work(&Keychain::new(KEYCHAIN_SERVICE)))
        .await
        .map_err(|_| CommandError::state_poisoned())?
        .map_err(CommandError::from)
}

/// A client whose every new session (the platform replaces the refresh token on each refresh)
/// is written to the keychain, so the one kept there is always the one that still works.
fn keeping_client(client: Client, platform: String) -> Client {
    client.on_session(Arc::new(move |tokens: &SessionTokens| {
        let (platform, tokens) = (platform.clone(), tokens.clone());
        let keep = move || {
            if let Err(error) = keep_session(&Keychain::new(KEYCHAIN_SERVICE), &platform, &tokens) {
                tracing::warn!(
                    code = error.code(),
                    "a renewed session was not kept: {error}"
                );
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(keep)),
            Err(_) => keep(),
        }
    }))
}

pub(crate) fn kiosk_mode(state: &AppState) -> Result<bool, CommandError> {
    state.with_data(|data| Ok(data.settings.settings().use_mode == Some(UseMode::Kiosk)))
}

fn data_dir(state: &AppState) -> Result<std::path::PathBuf, CommandError> {
    state.with_data(|data| Ok(data.folder.path.clone()))
}

fn summary(account: &Account, platform: &str, kept: bool) -> AccountSummary {
    AccountSummary {
        account_id: account.id.clone(),
        name: account.name.clone(),
        id_number_masked: account.id_number_masked.clone(),
        platform: platform.to_owned(),
        kept,
        verified: account.verification == VerificationStatus::Verified,
    }
}

impl SignedIn {
    /// Asks the platform to send a code to `mobile` for `purpose`.
    pub async fn send_code(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        mobile: String,
        purpose: SmsPurposeChoice,
    ) -> Result<SmsCodeNotice, CommandError> {
        let (client, _) = platform_client(state, demo_court).await?;
        let sent = client
            .send_sms_code(&SmsCodeRequest {
                mobile,
                purpose: purpose.into(),
            })
            .await?;
        Ok(SmsCodeNotice {
            mobile_masked: sent.mobile_masked,
        })
    }

    /// Logs in with the SMS code. `keep` keeps the session in the system keychain (and the
    /// account in the list); without it, or in kiosk use, nothing is kept.
    pub async fn log_in(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        mobile: String,
        sms_code: String,
        keep: bool,
    ) -> Result<AccountSummary, CommandError> {
        let request = LoginRequest {
            mobile: mobile.clone(),
            sms_code,
        };
        self.begin(state, demo_court, keep, Some(mobile), |client| async move {
            client.login(&request).await
        })
        .await
    }

    /// Starts a session with `open` (a login or a registration) on a new client, and keeps it
    /// as asked.
    pub(crate) async fn begin<F, Fut>(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        keep: bool,
        mobile: Option<String>,
        open: F,
    ) -> Result<AccountSummary, CommandError>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = litigant_court_client::Result<Session>>,
    {
        let keep = keep && !kiosk_mode(state)?;
        let (client, platform) = platform_client(state, demo_court).await?;
        if keep {
            // Asked before the code is used: a keychain that cannot keep the session must not
            // cost the person their code.
            with_keychain(|keychain| keychain.get("probe")).await?;
        }
        let client = if keep {
            keeping_client(client, platform.clone())
        } else {
            client
        };
        let session = open(client.clone()).await?;
        let tokens = client.session().ok_or_else(CommandError::state_poisoned)?;
        let memory = if keep {
            let (kept_platform, kept_tokens) = (platform.clone(), tokens);
            with_keychain(move |keychain| keep_session(keychain, &kept_platform, &kept_tokens))
                .await?;
            AccountList::open(&data_dir(state)?)?.remember_login(&platform, &session.account)?;
            None
        } else {
            let memory = Arc::new(MemoryStore::default());
            keep_session(memory.as_ref() as &dyn SecretStore, &platform, &tokens)?;
            Some(memory)
        };
        let summary = summary(&session.account, &platform, memory.is_none());
        self.replace(Signed {
            client,
            summary: summary.clone(),
            mobile,
            memory,
        })
        .await;
        Ok(summary)
    }

    /// Puts `signed` in place of the current session. The one it replaces stays valid on the
    /// platform (its refresh token stays in the keychain, for switching back), unless it kept
    /// nothing: then its secrets are forgotten here.
    async fn replace(&self, signed: Signed) {
        let old = self.current.lock().await.replace(signed);
        if let Some(memory) = old.and_then(|old| old.memory) {
            memory.wipe();
        }
    }

    pub async fn current(&self) -> Option<AccountSummary> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|signed| signed.summary.clone())
    }

    /// The signed-in session's client.
    pub async fn client(&self) -> Result<Client, CommandError> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|s| s.client.clone())
            .ok_or_else(CommandError::not_signed_in)
    }

    /// The signed-in session with where its secrets are kept, for signing.
    pub async fn signing_session(&self) -> Result<crate::receipts::SigningSession, CommandError> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|s| crate::receipts::SigningSession {
                client: s.client.clone(),
                account_id: s.summary.account_id.clone(),
                platform: s.summary.platform.clone(),
                memory: s.memory.clone(),
            })
            .ok_or_else(CommandError::not_signed_in)
    }

    /// The signed-in account's id and a client on its session, for the case, consent and
    /// service commands (which live in modules of their own).
    pub async fn session(&self) -> Result<(Client, String), CommandError> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|s| (s.client.clone(), s.summary.account_id.clone()))
            .ok_or_else(CommandError::not_signed_in)
    }

    /// Until when the platform's last identity check (Art. 7(3)) satisfies a hearing, evidence
    /// exchange or mediation; `None` when there is none that still does.
    pub async fn assurance(&self) -> Result<Assurance, CommandError> {
        // The hearing is the strictest step that needs one; litigant-accounts decides.
        let view = crate::identity::assurance(self, crate::models::LinkChoice::Hearing).await?;
        Ok(Assurance {
            valid_until: view.valid_until.filter(|_| !view.needed),
        })
    }

    /// Sends a re-verification code to the signed-in account's mobile.
    pub async fn send_reverify_code(&self) -> Result<SmsCodeNotice, CommandError> {
        let (client, mobile) = self
            .current
            .lock()
            .await
            .as_ref()
            .map(|s| (s.client.clone(), s.mobile.clone()))
            .ok_or_else(CommandError::not_signed_in)?;
        let mobile = mobile.ok_or_else(CommandError::mobile_unknown)?;
        let sent = client
            .send_sms_code(&SmsCodeRequest {
                mobile,
                purpose: SmsPurpose::Reverify,
            })
            .await?;
        Ok(SmsCodeNotice {
            mobile_masked: sent.mobile_masked,
        })
    }

    pub async fn reverify(&self, sms_code: String) -> Result<Assurance, CommandError> {
        let verified = self
            .client()
            .await?
            .reverify(&ReverificationRequest {
                sms_code: sms_code.trim().to_owned(),
            })
            .await?;
        Ok(Assurance {
            valid_until: Some(verified.valid_until.to_rfc3339()),
        })
    }

    /// Updates what is shown of the signed-in account (after a face check).
    pub(crate) async fn refresh_summary(&self, account: &Account) {
        if let Some(signed) = self.current.lock().await.as_mut() {
            let kept = signed.summary.kept;
            signed.summary = summary(account, &signed.summary.platform, kept);
        }
    }

    /// The accounts kept on this computer, the most recently used first.
    pub async fn accounts(&self, state: &AppState) -> Result<Vec<SavedAccountView>, CommandError> {
        let current = self.current().await;
        let list = AccountList::open(&data_dir(state)?)?;
        let mut accounts: Vec<_> = list
            .accounts()
            .iter()
            .map(|saved| SavedAccountView {
                current: current.as_ref().is_some_and(|c| {
                    c.account_id == saved.account_id && c.platform == saved.platform
                }),
                platform: saved.platform.clone(),
                account_id: saved.account_id.clone(),
                name: saved.name.clone(),
                id_number_masked: saved.id_number_masked.clone(),
                last_used: saved.last_used.to_rfc3339(),
            })
            .collect();
        accounts.sort_by(|a, b| b.last_used.cmp(&a.last_used));
        Ok(accounts)
    }

    /// A session for a kept account of the chosen platform, from its refresh token in the
    /// keychain, without making it the signed-in one (switching makes it so; the dashboard of
    /// every account reads through [`Self::other_session`]). The renewed refresh token is kept
    /// at once: the platform has just retired the
    /// old one. Returns the client, the account and the name its platform is filed under.
    pub(crate) async fn restore(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        account_id: &str,
    ) -> Result<(Client, Account, String), CommandError> {
        let _one_at_a_time = self.restoring.lock().await;
        self.restore_locked(state, demo_court, account_id).await
    }

    /// [`Self::restore`], with `restoring` held by the caller. A session of the account kept
    /// for the dashboard is dropped first: its refresh token is about to be retired.
    async fn restore_locked(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        account_id: &str,
    ) -> Result<(Client, Account, String), CommandError> {
        if kiosk_mode(state)? {
            return Err(CommandError::kiosk_keeps_nothing());
        }
        let (client, platform) = platform_client(state, demo_court).await?;
        self.others
            .lock()
            .await
            .remove(&(platform.clone(), account_id.to_owned()));
        let (key_platform, key_account) = (platform.clone(), account_id.to_owned());
        let refresh = with_keychain(move |keychain| {
            kept_refresh_token(keychain, &key_platform, &key_account)
        })
        .await?
        .ok_or_else(|| CommandError::session_not_kept(account_id))?;
        let client = keeping_client(client, platform.clone());
        client.resume(account_id, refresh).await?;
        let tokens = client.session().ok_or_else(CommandError::state_poisoned)?;
        let kept_platform = platform.clone();
        with_keychain(move |keychain| keep_session(keychain, &kept_platform, &tokens)).await?;
        let account = client.me().await?;
        Ok((client, account, platform))
    }

    /// A session of another kept account for reading its cases: the one kept from an earlier
    /// call while it works, else one restored from the keychain (and kept).
    pub(crate) async fn other_session(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        platform: &str,
        account_id: &str,
    ) -> Result<Client, CommandError> {
        let _one_at_a_time = self.restoring.lock().await;
        let key = (platform.to_owned(), account_id.to_owned());
        if let Some(client) = self.others.lock().await.get(&key) {
            return Ok(client.clone());
        }
        let (client, _, platform) = self.restore_locked(state, demo_court, account_id).await?;
        self.others
            .lock()
            .await
            .insert((platform, account_id.to_owned()), client.clone());
        Ok(client)
    }

    /// Drops the kept session of another account, after it failed: the next read restores it
    /// afresh, or says why it cannot be.
    pub(crate) async fn drop_other_session(&self, platform: &str, account_id: &str) {
        self.others
            .lock()
            .await
            .remove(&(platform.to_owned(), account_id.to_owned()));
    }

    /// Signs in as a kept account of the chosen platform, from its refresh token in the
    /// keychain. The session it replaces stays kept.
    pub async fn switch(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        account_id: String,
    ) -> Result<AccountSummary, CommandError> {
        let (client, account, platform) = self.restore(state, demo_court, &account_id).await?;
        AccountList::open(&data_dir(state)?)?.remember_login(&platform, &account)?;
        let summary = summary(&account, &platform, true);
        self.replace(Signed {
            client,
            summary: summary.clone(),
            mobile: None,
            memory: None,
        })
        .await;
        Ok(summary)
    }

    /// After a restart: signs in again as the account last used on the chosen platform, if it
    /// is kept. Nothing at a kiosk.
    pub async fn resume_latest(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
    ) -> Result<Option<AccountSummary>, CommandError> {
        if let Some(current) = self.current().await {
            return Ok(Some(current));
        }
        if kiosk_mode(state)? {
            return Ok(None);
        }
        let (_, platform) = platform_client(state, demo_court).await?;
        let latest = AccountList::open(&data_dir(state)?)?
            .latest(&platform)
            .map(|saved| saved.account_id.clone());
        let Some(account_id) = latest else {
            return Ok(None);
        };
        match self.switch(state, demo_court, account_id).await {
            Ok(summary) => Ok(Some(summary)),
            // Logged out earlier: listed, but nothing to resume from.
            Err(error) if error.code == "accounts.session_not_kept" => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Removes a kept account from this computer: its keychain entry and its line in the list.
    /// The signed-in account is logged out first.
    pub async fn remove(
        &self,
        state: &AppState,
        platform: String,
        account_id: String,
    ) -> Result<(), CommandError> {
        let is_current = self
            .current()
            .await
            .is_some_and(|c| c.account_id == account_id && c.platform == platform);
        if is_current {
            self.log_out().await?;
        }
        self.drop_other_session(&platform, &account_id).await;
        let folder = data_dir(state)?;
        with_keychain(move |keychain| {
            let mut list = AccountList::open(&folder)?;
            forget_account(keychain, &mut list, &platform, &account_id)
        })
        .await
    }

    /// Ends the session on the platform (best effort) and forgets it here, including its
    /// refresh token in the keychain: the platform no longer accepts it.
    pub async fn log_out(&self) -> Result<(), CommandError> {
        let Some(signed) = self.current.lock().await.take() else {
            return Ok(());
        };
        if let Err(error) = signed.client.logout().await {
            tracing::info!(
                code = error.code(),
                "the platform did not confirm the logout"
            );
        }
        if let Some(memory) = signed.memory {
            memory.wipe();
        } else {
            let key = refresh_token_key(&signed.summary.platform, &signed.summary.account_id);
            with_keychain(move |keychain| keychain.delete(&key)).await?;
        }
        Ok(())
    }

    pub async fn cases(&self) -> Result<Vec<CaseSummary>, CommandError> {
        let client = self.client().await?;
        Ok(client
            .cases()
            .await?
            .into_iter()
            .map(|case| CaseSummary {
                id: case.id,
                case_number: case.case_number,
                title: case.title,
                open: case.status == litigant_court_api::cases::CaseStatus::Open,
            })
            .collect())
    }
}

impl From<AccountsError> for CommandError {
    fn from(error: AccountsError) -> Self {
        tracing::warn!(code = error.code(), "{error}");
        error.details().into_iter().fold(
            Self::new(error.code(), error.to_string()),
            |command, (key, value)| command.with_detail(key, value),
        )
    }
}
