//! `litigant verify-proof FILE PROOF.json --key KEY.json`: checks a deposit proof offline
//! (Art. 16-19) against the file and a trusted key file (the platform's `GET
//! /deposit-log/key`, saved). Prints every check and what was not checked; exit 0 when every
//! check passed, 1 otherwise.

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use litigant_evidence::{Subject, TrustedKeys, read_proof, verify_proof};

use crate::platform::Failure;

#[derive(Debug, Args)]
pub struct VerifyProofArgs {
    /// The file the proof is about.
    file: PathBuf,
    /// The deposit proof (JSON, docs/deposit-proof.md).
    proof: PathBuf,
    /// The trusted anchor key file: one published key, or a JSON array of them.
    #[arg(long)]
    key: PathBuf,
}

pub fn run(args: &VerifyProofArgs) -> Result<(), Failure> {
    let read = |path: &PathBuf| {
        std::fs::read(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))
    };
    let file = read(&args.file)?;
    let proof = read_proof(&read(&args.proof)?)?;
    let trusted = TrustedKeys::load(&args.key)?;
    let verification = verify_proof(Subject::Bytes(&file), &proof, &trusted, Utc::now());
    print!("{verification}");
    if verification.passed() {
        Ok(())
    } else {
        let reasons: Vec<String> = verification
            .failures()
            .map(|f| format!("{f} [{}]", f.code()))
            .collect();
        Err(Failure::new(format!(
            "the proof does not hold for {}: {}",
            args.file.display(),
            reasons.join("; ")
        )))
    }
}
