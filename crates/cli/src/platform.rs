//! What the platform commands share: the data folder (the app's, so the CLI and the app see
//! one outbox and one account list), the platform's address, the client, and the session
//! resumed from the keychain.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use litigant_accounts::{AccountList, Keychain, SecretStore, keep_session, kept_refresh_token};
use litigant_court_client::{Client, Outbox, SessionTokens};
use litigant_settings::{DataFolder, Platform, PlatformUrl, SettingsStore};

/// The app's identifier: its folders and its keychain entries are filed under it.
pub const APP_ID: &str = "org.litigant.desktop";

#[derive(Debug, Args)]
pub struct PlatformArgs {
    /// The court platform's address (HTTPS, or http:// on this computer). Default: the one
    /// chosen in the app's settings.
    #[arg(long, global = true)]
    pub platform: Option<String>,
    /// The data folder. Default: the environment's `LITIGANT_DATA_DIR`, else the app's.
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,
}

/// A failure to report: the message, and the exit code (1 a refusal or failure, 2 usage).
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn new(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            code: 1,
        }
    }

    pub fn usage(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            code: 2,
        }
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(error: E) -> Self {
        Self::new(error)
    }
}

/// The data folder: `given`, else the environment's `LITIGANT_DATA_DIR`, else the app's; created
/// if missing.
pub fn data_folder(given: Option<&std::path::Path>) -> Result<PathBuf, Failure> {
    let data = if let Some(data) = given {
        data.to_owned()
    } else {
        let config = dirs::config_dir().unwrap_or_default().join(APP_ID);
        let default = dirs::data_dir().unwrap_or_default().join(APP_ID);
        DataFolder::resolve(&config, default)?.path
    };
    std::fs::create_dir_all(&data).map_err(|e| Failure::new(format!("{}: {e}", data.display())))?;
    Ok(data)
}

pub struct Context {
    /// The data folder: the outbox, the account list and case files live here.
    pub data: PathBuf,
    pub platform: PlatformUrl,
    pub client: Client,
    pub outbox: Outbox,
    pub accounts: AccountList,
    pub keychain: Arc<Keychain>,
}

impl Context {
    /// Opens the data folder and the platform's client; every new session's refresh token is
    /// kept in the keychain as it comes.
    pub fn open(args: &PlatformArgs) -> Result<Self, Failure> {
        Self::open_with(args, true)
    }

    /// For `login`, which keeps the first session itself and reports if it cannot.
    pub fn open_for_login(args: &PlatformArgs) -> Result<Self, Failure> {
        Self::open_with(args, false)
    }

    fn open_with(args: &PlatformArgs, keep_sessions: bool) -> Result<Self, Failure> {
        let data = data_folder(args.data.as_deref())?;
        let platform = match &args.platform {
            Some(address) => PlatformUrl::parse(address).map_err(Failure::usage)?,
            None => match SettingsStore::open(&data)?.settings().platform.clone() {
                Platform::Remote { url } => url,
                Platform::Demo => {
                    return Err(Failure::usage(
                        "the app is set to its demo court, which runs inside the app; give --platform \
                         (for example the address `litigant serve-sim` prints)",
                    ));
                }
            },
        };
        let keychain = Arc::new(Keychain::new(APP_ID));
        let store = keychain.clone();
        let address = platform.as_str().to_owned();
        let mut client = Client::new(platform.clone())?;
        if keep_sessions {
            client = client.on_session(Arc::new(move |tokens: &SessionTokens| {
                // The platform has just replaced the refresh token: the keychain must have the new one.
                if let Err(error) = keep_session(store.as_ref(), &address, tokens) {
                    eprintln!(
                        "warning: the new session could not be kept in the keychain: {error}"
                    );
                }
            }));
        }
        let outbox = Outbox::open(data.join("outbox.db"))?;
        let accounts = AccountList::open(&data)?;
        Ok(Self {
            data,
            platform,
            client,
            outbox,
            accounts,
            keychain,
        })
    }

    /// Resumes the session of this platform's most recently used account.
    pub async fn resume(&self) -> Result<(), Failure> {
        let platform = self.platform.as_str();
        let account = self.accounts.latest(platform).ok_or_else(|| {
            Failure::new(format!(
                "no account is logged in to {platform}; run `litigant login` first"
            ))
        })?;
        let refresh = kept_refresh_token(
            self.keychain.as_ref() as &dyn SecretStore,
            platform,
            &account.account_id,
        )?
        .ok_or_else(|| {
            Failure::new(format!(
                "the keychain has no session for {}; run `litigant login` again",
                account.name
            ))
        })?;
        self.client
            .resume(&account.account_id, refresh)
            .await
            .map_err(|error| {
                Failure::new(format!(
                    "the session of {} could not be resumed ({error}); run `litigant login` again",
                    account.name
                ))
            })
    }
}

/// Runs an async command on a runtime of its own and turns its outcome into an exit code.
pub fn block_on(work: impl Future<Output = Result<(), Failure>>) -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    finish(runtime.block_on(work))
}

/// A command's outcome as an exit code, its failure told on standard error.
pub fn finish(outcome: Result<(), Failure>) -> std::process::ExitCode {
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            std::process::ExitCode::from(failure.code)
        }
    }
}
