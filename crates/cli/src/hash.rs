//! `litigant hash FILES...`: each file's SHA-256, in `sha256sum`'s format, computed the way the
//! outbox and the case file compute it, so what Litigant recorded can be checked by hand.

use std::path::PathBuf;

use clap::Args;

use crate::platform::Failure;

#[derive(Debug, Args)]
pub struct HashArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub async fn run(args: HashArgs) -> Result<(), Failure> {
    let mut failed = 0;
    for file in &args.files {
        match litigant_court_client::sha256_file(file).await {
            Ok(hash) => println!("{hash}  {}", file.display()),
            Err(error) => {
                eprintln!("error: {error}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "{failed} of {} files could not be read",
            args.files.len()
        )));
    }
    Ok(())
}
