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

mod convert;
mod id;

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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Id(command) => id::run(command),
        Command::Convert(args) => convert::run(&args),
    }
}
