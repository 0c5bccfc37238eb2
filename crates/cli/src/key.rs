//! `litigant key register`: the account's Ed25519 signing key (Art. 33). Made once, its private
//! half kept in the system keychain, its public half registered with the platform, which then
//! verifies this account's signatures with it.

use clap::{Args, Subcommand};
use litigant_evidence::{AccountKey, EvidenceError};

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make the key if there is none, and register its public half with the platform.
    Register(RegisterArgs),
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    platform: PlatformArgs,
}

/// The logged-in account's id on this platform.
pub fn account_id(context: &Context) -> Result<String, Failure> {
    context
        .accounts
        .latest(context.platform.as_str())
        .map(|a| a.account_id.clone())
        .ok_or_else(|| Failure::new("no account is logged in; run `litigant login` first"))
}

pub async fn run(command: KeyCommand) -> Result<(), Failure> {
    let KeyCommand::Register(args) = command;
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let account = account_id(&context)?;
    let platform = context.platform.as_str();
    let key = match AccountKey::kept(context.keychain.as_ref(), platform, &account) {
        Ok(key) => key,
        Err(EvidenceError::NoSigningKey { .. }) => {
            let key = AccountKey::generate();
            key.keep(context.keychain.as_ref(), platform, &account)?;
            key
        }
        Err(error) => return Err(error.into()),
    };
    context
        .client
        .register_signing_key(&key.registration())
        .await?;
    println!(
        "signing key registered for {account}: public key {}",
        key.public_key_base64()
    );
    Ok(())
}
