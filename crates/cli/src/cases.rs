//! `litigant cases`: the logged-in account's cases.

use clap::Args;

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Args)]
pub struct CasesArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: CasesArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let cases = context.client.cases().await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&cases).map_err(Failure::new)?
        );
        return Ok(());
    }
    if cases.is_empty() {
        println!("No cases.");
    }
    for case in cases {
        println!(
            "{}  {}  {:?}  {}",
            case.id, case.case_number, case.status, case.title
        );
    }
    Ok(())
}
