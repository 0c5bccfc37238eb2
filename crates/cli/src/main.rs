//! `litigant`: Litigant's rules and tools at a terminal, for court staff, lawyers' scripts and
//! tests. This file holds only the command tree and the dispatch; each subcommand lives in its
//! own module and returns the process's exit code (0 success, 1 a finding such as an invalid
//! number, 2 a usage error, as clap does for bad arguments).
//!
//! To add a subcommand: a module with a clap `Args` or `Subcommand` type and a
//! `run(...) -> ExitCode`, one variant in [`Command`], one arm in `main`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "printing results and usage errors is what a command line is for"
)]

mod cases;
mod convert;
mod devices;
mod hash;
mod hearing;
mod id;
mod login;
mod outbox;
mod platform;
mod record;
mod serve_sim;
mod upload;
mod verify;
mod verify_proof;

// Evidence integrity (Art. 14-19, 33, 35): the catalogue, submission and receipt, opinions,
// signing keys and signatures.
mod catalogue;
mod evidence;
mod key;
mod opinion;
mod sign;
mod signatures;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "litigant",
    version,
    about = "Litigant's checks and tools at the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Identity numbers: ID cards, residence permits, credit codes, passports, travel permits.
    #[command(subcommand)]
    Id(id::IdCommand),
    /// Turn scans and photos of paper into one PDF/A-2b bundle, checking each page.
    Convert(convert::ConvertArgs),
    /// List the scanners SANE finds and the network (eSCL) scanners that announce themselves,
    /// with the device names `convert --scan` takes, or describe one eSCL scanner
    /// (`--escl URL`).
    Scanners(convert::ScannersArgs),
    /// Log in to a court platform with an SMS code; the session is kept in the system keychain.
    Login(login::LoginArgs),
    /// The logged-in account's cases.
    Cases(cases::CasesArgs),
    /// Send files to the platform through the outbox, resumably.
    Upload(upload::UploadArgs),
    /// What is waiting to be sent: list, send, retry, cancel.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Print each file's SHA-256 (as `sha256sum` does).
    Hash(hash::HashArgs),
    /// Run the court platform simulator.
    ServeSim(serve_sim::ServeSimArgs),
    /// Recheck a case's local electronic file: the hash chain and every recorded file.
    Verify(verify::VerifyArgs),
    /// Check a deposit proof offline against the file and a trusted key file.
    VerifyProof(verify_proof::VerifyProofArgs),
    /// Cameras and microphones, and the pre-hearing check of light, noise, disk and upload.
    Devices(devices::DevicesArgs),
    /// Record a hearing answer into hashed, crash-safe segments and a manifest.
    Record(record::RecordArgs),
    /// Asynchronous hearings: list a case's, attend one (record, confirm, send, submit).
    #[command(subcommand)]
    Hearing(hearing::HearingCommand),
    /// The evidence catalogue (证据目录) as PDF pages before the evidence PDFs, in one file.
    Catalogue(catalogue::CatalogueArgs),
    /// Submit catalogued evidence (with its deposit proof); receive the other side's and served documents.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// Cross-examination opinions: drafts kept here until submitted in the exchange window.
    #[command(subcommand)]
    Opinion(opinion::OpinionCommand),
    /// The account's signing key: made, kept in the keychain, registered with the platform.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Sign a transcript, mediation agreement or service receipt; or check another's signature.
    Sign(sign::SignArgs),
    /// Check every signature on a document with the signers' keys registered in the case.
    Signatures(signatures::SignaturesArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Id(command) => id::run(command),
        Command::Convert(args) => convert::run(&args),
        Command::Scanners(args) => convert::run_scanners(&args),
        Command::Login(args) => platform::block_on(login::run(args)),
        Command::Cases(args) => platform::block_on(cases::run(args)),
        Command::Upload(args) => platform::block_on(upload::run(args)),
        Command::Outbox(command) => platform::block_on(outbox::run(command)),
        Command::Hash(args) => platform::block_on(hash::run(args)),
        Command::ServeSim(args) => platform::block_on(serve_sim::run(args)),
        Command::Verify(args) => platform::finish(verify::run(&args)),
        Command::VerifyProof(args) => platform::finish(verify_proof::run(&args)),
        Command::Devices(args) => platform::block_on(devices::run(args)),
        Command::Record(args) => platform::finish(record::run(&args)),
        Command::Hearing(command) => platform::block_on(hearing::run(command)),
        Command::Catalogue(args) => platform::finish(catalogue::run(&args)),
        Command::Evidence(command) => platform::block_on(evidence::run(command)),
        Command::Opinion(command) => platform::block_on(opinion::run(command)),
        Command::Key(command) => platform::block_on(key::run(command)),
        Command::Sign(args) => platform::block_on(sign::run(args)),
        Command::Signatures(args) => platform::block_on(signatures::run(args)),
    }
}
