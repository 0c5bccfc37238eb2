//! `litigant evidence submit|receive`: the evidence of a case (Art. 14-19).
//!
//! `submit` writes the catalogue before the evidence PDFs (as `litigant catalogue`), sends the
//! combined PDF through the outbox, submits each item with the pages the catalogue printed,
//! records each in the case file, and saves the platform's deposit proof beside the PDF
//! (`OUT.proof.json`), checked offline before submitting when a trusted key file is given, and
//! attached to each item. `receive` downloads the other side's evidence (checking the proofs
//! that came with it, given `--key`) and the documents served on this account (confirming
//! receipt), each checked against the platform's hash and recorded.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};
use litigant_court_client::ItemStatus;
use litigant_evidence::{
    CaseFile, EntryKind, NewEntry, Subject, TrustedKeys, receive_evidence, receive_served,
    submit_catalogued_evidence, verify_proof,
};

use crate::catalogue::CatalogueArgs;
use crate::platform::{Context, Failure, PlatformArgs};
use crate::upload::SendingArgs;

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Catalogue, send and submit evidence; save and check its deposit proof.
    Submit(SubmitArgs),
    /// Download the other side's evidence and documents served on you, into the case file.
    Receive(ReceiveArgs),
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// The case's id on the platform.
    #[arg(long)]
    case: String,
    #[command(flatten)]
    catalogue: CatalogueArgs,
    /// The court's deposit-log key, saved (`GET /deposit-log/key`): the proof is checked
    /// against it. Without it the proof is saved unchecked.
    #[arg(long)]
    key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReceiveArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    #[arg(long)]
    case: String,
    /// The court's deposit-log key, saved: deposit proofs that come with the other side's
    /// evidence are checked against it.
    #[arg(long)]
    key: Option<PathBuf>,
}

pub async fn run(command: EvidenceCommand) -> Result<(), Failure> {
    match command {
        EvidenceCommand::Submit(args) => submit(args).await,
        EvidenceCommand::Receive(args) => receive(args).await,
    }
}

async fn submit(args: SubmitArgs) -> Result<(), Failure> {
    let trusted = args.key.as_deref().map(TrustedKeys::load).transpose()?;
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let (catalogue, report) = crate::catalogue::write(&args.catalogue)?;
    let output = &args.catalogue.output;
    crate::catalogue::print(&report, output);

    let id = context
        .outbox
        .enqueue_upload(context.platform.as_str(), output, "application/pdf")?;
    crate::upload::send(
        &context,
        &SendingArgs {
            parallel: 1,
            chunk_size: None,
        },
    )
    .await?;
    let item = context.outbox.item(id)?;
    let (ItemStatus::Done, Some(document_id)) = (item.status, item.server_id) else {
        return Err(Failure::new(format!("{} was not sent", output.display())));
    };

    // The proof first: it is checked before anything is submitted, and goes with each item
    // so the other parties can check it too.
    let proof = context.client.deposit_proof(&document_id).await?;
    let mut proof_path = output.clone().into_os_string();
    proof_path.push(".proof.json");
    let proof_path = PathBuf::from(proof_path);
    let json = serde_json::to_vec_pretty(&proof).map_err(Failure::new)?;
    std::fs::write(&proof_path, json)
        .map_err(|e| Failure::new(format!("{}: {e}", proof_path.display())))?;
    if let Some(trusted) = &trusted {
        let bytes = std::fs::read(output)
            .map_err(|e| Failure::new(format!("{}: {e}", output.display())))?;
        let verification = verify_proof(Subject::Bytes(&bytes), &proof, trusted, Utc::now());
        print!("{verification}");
        if !verification.passed() {
            return Err(Failure::new(format!(
                "the platform's deposit proof for {} does not hold; nothing was submitted",
                output.display()
            )));
        }
    } else {
        println!("the proof was not checked: give --key with the court's saved deposit-log key");
    }

    let mut case_file = CaseFile::open(&context.data)?;
    let items = submit_catalogued_evidence(
        &context.client,
        &mut case_file,
        &args.case,
        &document_id,
        output,
        (&catalogue, &report),
        Some(&proof),
    )
    .await?;
    for item in &items {
        println!(
            "submitted {} {}  pages {}",
            item.id,
            item.name,
            item.page_range.as_deref().unwrap_or("")
        );
    }
    // The proof is part of what the court gave this party about the filing: recorded too.
    let entry = case_file.append(
        &args.case,
        NewEntry {
            kind: EntryKind::Received,
            server_id: document_id,
            path: Some(proof_path.clone()),
            sha256: None,
        },
    )?;
    println!(
        "deposit proof saved as {} (case file entry {})",
        proof_path.display(),
        entry.seq
    );
    Ok(())
}

async fn receive(args: ReceiveArgs) -> Result<(), Failure> {
    let trusted = args.key.as_deref().map(TrustedKeys::load).transpose()?;
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let me = context.client.me().await?;
    let mut case_file = CaseFile::open(&context.data)?;
    let evidence = receive_evidence(
        &context.client,
        &mut case_file,
        &context.data,
        (&args.case, &me.id),
        trusted.as_ref(),
    )
    .await?;
    let served = receive_served(&context.client, &mut case_file, &context.data, &args.case).await?;
    for (kind, list) in [("evidence", &evidence), ("served", &served)] {
        for document in list {
            println!(
                "{kind} {} {}  {}  sha256 {}  (case file entry {})",
                document.server_id,
                document.title,
                document.path.display(),
                document.sha256,
                document.case_file_seq
            );
        }
    }
    let mut broken = 0;
    for document in &evidence {
        match &document.proof {
            Some(Ok(verification)) => {
                println!("deposit proof of {}:", document.server_id);
                print!("{verification}");
                broken += usize::from(!verification.passed());
            }
            Some(Err(cause)) => {
                println!("FAIL deposit proof of {}: {cause}", document.server_id);
                broken += 1;
            }
            None => {}
        }
    }
    if evidence.is_empty() && served.is_empty() {
        println!("nothing new in {}", args.case);
    }
    if broken > 0 {
        return Err(Failure::new(format!(
            "{broken} deposit proof(s) of the other side's evidence do not hold; the files are kept and recorded"
        )));
    }
    Ok(())
}
