//! `litigant signatures FILE --document ID --case CASE`: every signature the platform holds on
//! a document, checked here against the local copy and the signers' keys registered in the
//! case (Art. 33). Those that hold are kept and recorded in the case file; exit 1 when any
//! does not.

use std::path::PathBuf;

use clap::Args;
use litigant_evidence::{CaseFile, check_signatures};

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Args)]
pub struct SignaturesArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// The local copy of the document.
    file: PathBuf,
    /// The document's id on the platform.
    #[arg(long)]
    document: String,
    /// The case whose parties' keys are used and whose file records the signatures.
    #[arg(long)]
    case: String,
}

pub async fn run(args: SignaturesArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let mut case_file = CaseFile::open(&context.data)?;
    let checked = check_signatures(
        &context.client,
        &mut case_file,
        &context.data,
        &args.case,
        &args.document,
        &args.file,
    )
    .await?;
    if checked.is_empty() {
        println!("{} has no signatures on the platform", args.document);
    }
    let mut failed = 0;
    for check in &checked {
        let signer = check
            .signer
            .as_deref()
            .unwrap_or(&check.signature.account_id);
        match &check.outcome {
            Ok(()) => println!(
                "ok   {signer} signed as {} at {}",
                check.signature.purpose.as_str(),
                check.signature.signed_at.to_rfc3339()
            ),
            Err(failure) => {
                failed += 1;
                println!("FAIL {signer}: {failure} [{}]", failure.code());
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "{failed} of {} signature(s) on {} do not hold",
            checked.len(),
            args.file.display()
        )));
    }
    Ok(())
}
