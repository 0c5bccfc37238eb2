//! Who is signed in on this window, with the platform client for their session. The session's
//! refresh token goes to the system keychain, or, when the person chooses a session that keeps
//! nothing (a kiosk, or no usable keychain), to memory only.

use std::sync::Arc;

use litigant_accounts::{
    AccountList, AccountsError, Keychain, MemoryStore, SecretStore, keep_session,
};
use litigant_court_api::identity::{
    LoginRequest, ReverificationRequest, SmsCodeRequest, SmsPurpose,
};
use litigant_court_client::Client;
use litigant_settings::{DemoCourtReport, Platform, PlatformUrl};
use tokio::sync::Mutex;

use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::models::{AccountSummary, Assurance, CaseSummary, SmsCodeNotice};
use crate::state::AppState;

/// The identifier the app's keychain entries are filed under.
const KEYCHAIN_SERVICE: &str = "org.litigant.desktop";

#[derive(Debug, Default)]
pub struct SignedIn {
    current: Mutex<Option<Signed>>,
}

#[derive(Debug)]
struct Signed {
    client: Client,
    summary: AccountSummary,
    /// Where re-verification codes go; kept in memory only, for this window's session.
    mobile: String,
    /// Set for a session that keeps nothing: its secrets live here and die with it.
    memory: Option<Arc<MemoryStore>>,
}

/// A client for the chosen platform: the demo court's loopback address, or the configured one.
async fn platform_client(state: &AppState, demo_court: &DemoCourt) -> Result<Client, CommandError> {
    let platform = state.with_data(|data| Ok(data.settings.settings().platform.clone()))?;
    let url = match platform {
        Platform::Remote { url } => url,
        Platform::Demo => match demo_court.report().await {
            DemoCourtReport::Running { url, .. } => PlatformUrl::parse(&url)?,
            DemoCourtReport::Failed { cause } => {
                return Err(CommandError::demo_court_unavailable(&cause));
            }
        },
    };
    Ok(Client::new(url)?)
}

impl SignedIn {
    /// Asks the platform to send a login code to `mobile`.
    pub async fn send_code(
        &self,
        state: &AppState,
        demo_court: &DemoCourt,
        mobile: String,
    ) -> Result<SmsCodeNotice, CommandError> {
        let client = platform_client(state, demo_court).await?;
        let sent = client
            .send_sms_code(&SmsCodeRequest {
                mobile,
                purpose: SmsPurpose::Login,
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
        let kiosk = state.with_data(|data| {
            Ok(data.settings.settings().use_mode == Some(litigant_settings::UseMode::Kiosk))
        })?;
        let keep = keep && !kiosk;
        let client = platform_client(state, demo_court).await?;
        let platform = client.platform().as_str().to_owned();
        if keep {
            // Asked before the code is used: a keychain that cannot keep the session must not
            // cost the person their code.
            tokio::task::spawn_blocking(|| Keychain::new(KEYCHAIN_SERVICE).get("probe"))
                .await
                .map_err(|_| CommandError::state_poisoned())??;
        }
        let session = client
            .login(&LoginRequest {
                mobile: mobile.clone(),
                sms_code,
            })
            .await?;
        let tokens = client.session().ok_or_else(CommandError::state_poisoned)?;
        let memory = if keep {
            // The keychain can be slow to answer (a prompt to unlock); off the async threads.
            let (keychain_platform, kept_tokens) = (platform.clone(), tokens.clone());
            tokio::task::spawn_blocking(move || {
                keep_session(
                    &Keychain::new(KEYCHAIN_SERVICE),
                    &keychain_platform,
                    &kept_tokens,
                )
            })
            .await
            .map_err(|_| CommandError::state_poisoned())??;
            let data_dir = state.with_data(|data| Ok(data.folder.path.clone()))?;
            let mut list = AccountList::open(&data_dir)?;
            list.remember_login(&platform, &session.account)?;
            None
        } else {
            let memory = Arc::new(MemoryStore::default());
            keep_session(memory.as_ref() as &dyn SecretStore, &platform, &tokens)?;
            Some(memory)
        };
        let summary = AccountSummary {
            account_id: session.account.id.clone(),
            name: session.account.name.clone(),
            id_number_masked: session.account.id_number_masked.clone(),
            platform,
            kept: memory.is_none(),
        };
        *self.current.lock().await = Some(Signed {
            client,
            summary: summary.clone(),
            mobile,
            memory,
        });
        Ok(summary)
    }

    pub async fn current(&self) -> Option<AccountSummary> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|signed| signed.summary.clone())
    }

    /// Ends the session on the platform (best effort) and forgets it here.
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
        }
        Ok(())
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

    /// The signed-in session's platform client.
    pub async fn client(&self) -> Result<Client, CommandError> {
        self.current
            .lock()
            .await
            .as_ref()
            .map(|s| s.client.clone())
            .ok_or_else(CommandError::not_signed_in)
    }

    /// Until when the platform's last identity check (Art. 7(3)) satisfies a hearing, evidence
    /// exchange or mediation; `None` when there is none that still does.
    pub async fn assurance(&self) -> Result<Assurance, CommandError> {
        let client = self.client().await?;
        let (account, policy) = (client.me().await?, client.policy().await?);
        let max_age = chrono::Duration::seconds(
            i64::try_from(policy.reverification_max_age_seconds).unwrap_or(i64::MAX),
        );
        let valid_until = account
            .assurance_at
            .map(|at| at + max_age)
            .filter(|until| *until > chrono::Utc::now());
        Ok(Assurance {
            valid_until: valid_until.map(|t| t.to_rfc3339()),
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
            .reverify(&ReverificationRequest { sms_code })
            .await?;
        Ok(Assurance {
            valid_until: Some(verified.valid_until.to_rfc3339()),
        })
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
