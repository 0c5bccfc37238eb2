//! `litigant outbox [list|send|retry ID|cancel ID]`: what is waiting to be sent, and control
//! over it. `send` goes on from where the platform stands, after a crash or a kill too.

use clap::Subcommand;

use crate::platform::{Context, Failure, PlatformArgs};
use crate::upload::{SendingArgs, print_item, send};

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Every item, with its state.
    List {
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Send everything queued.
    Send {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(flatten)]
        sending: SendingArgs,
    },
    /// Queue a failed or cancelled item again, and send.
    Retry {
        id: i64,
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(flatten)]
        sending: SendingArgs,
    },
    /// Stop an item and remove its partial upload from the platform.
    Cancel {
        id: i64,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

pub async fn run(command: OutboxCommand) -> Result<(), Failure> {
    match command {
        OutboxCommand::List { platform } => {
            let context = Context::open(&platform)?;
            let items = context.outbox.items()?;
            if items.is_empty() {
                println!("The outbox is empty.");
            }
            items.iter().for_each(print_item);
            Ok(())
        }
        OutboxCommand::Send { platform, sending } => {
            let context = Context::open(&platform)?;
            context.resume().await?;
            send(&context, &sending).await
        }
        OutboxCommand::Retry {
            id,
            platform,
            sending,
        } => {
            let context = Context::open(&platform)?;
            context.outbox.retry(id)?;
            context.resume().await?;
            send(&context, &sending).await
        }
        OutboxCommand::Cancel { id, platform } => {
            let context = Context::open(&platform)?;
            context.resume().await?;
            print_item(&context.outbox.cancel(&context.client, id).await?);
            Ok(())
        }
    }
}
