//! `litigant login --mobile NUMBER [--sms-code CODE]`: logs in with an SMS code and keeps the
//! session's refresh token in the system keychain (never in a file).

use std::io::BufRead;

use clap::Args;
use litigant_accounts::keep_session;
use litigant_court_api::identity::{LoginRequest, SmsCodeRequest, SmsPurpose};
use litigant_court_client::SessionTokens;

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// The mobile number registered with the platform.
    #[arg(long)]
    mobile: String,
    /// The SMS code, when already received; otherwise one is requested and read from standard
    /// input.
    #[arg(long)]
    sms_code: Option<String>,
}

pub async fn run(args: LoginArgs) -> Result<(), Failure> {
    let mut context = Context::open_for_login(&args.platform)?;
    let code = if let Some(code) = args.sms_code {
        code
    } else {
        {
            let sent = context
                .client
                .send_sms_code(&SmsCodeRequest {
                    mobile: args.mobile.clone(),
                    purpose: SmsPurpose::Login,
                })
                .await?;
            eprintln!(
                "An SMS code was sent to {}. Type it and press Enter:",
                sent.mobile_masked
            );
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(Failure::new)?;
            line.trim().to_owned()
        }
    };
    let session = context
        .client
        .login(&LoginRequest {
            mobile: args.mobile,
            sms_code: code,
        })
        .await?;
    let platform = context.platform.as_str().to_owned();
    keep_session(
        context.keychain.as_ref(),
        &platform,
        &SessionTokens::from(&session),
    )?;
    context
        .accounts
        .remember_login(&platform, &session.account)?;
    println!(
        "Logged in to {platform} as {} ({}).",
        session.account.name, session.account.id_number_masked
    );
    Ok(())
}
