//! `litigant verify CASE`: rechecks the local electronic case file (Art. 35) of a case: each
//! entry's hash, the chain from entry to entry, the log's head, and every recorded file's
//! current SHA-256. Exit 0 when all holds, 1 with each finding.

use std::path::PathBuf;

use clap::Args;
use litigant_evidence::CaseFile;

use crate::platform::{Failure, data_folder};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The case's id on the platform (e.g. `case_demo_loan`).
    case: String,
    /// The data folder. Default: the environment's `LITIGANT_DATA_DIR`, else the app's.
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(args: &VerifyArgs) -> Result<(), Failure> {
    let data = data_folder(args.data.as_deref())?;
    let file = CaseFile::open(&data)?;
    let report = file.verify(&args.case)?;
    if report.entries == 0 && report.findings.is_empty() {
        return Err(Failure::new(format!(
            "the case file in {} has no entries for {}",
            data.display(),
            args.case
        )));
    }
    println!(
        "{}: {} entries, {} files rehashed",
        report.case_id, report.entries, report.files_checked
    );
    for finding in &report.findings {
        println!("FAIL {finding} [{}]", finding.code());
    }
    println!(
        "not checked: a rewrite of every later entry and of the head; compare with the platform's record for that"
    );
    if report.intact() {
        println!(
            "ok: every entry is as recorded, linked to the one before, and every file matches its hash"
        );
        Ok(())
    } else {
        Err(Failure::new(format!(
            "the case file of {} does not hold: {} finding(s)",
            report.case_id,
            report.findings.len()
        )))
    }
}
