//! `court-sim --data DIR --listen 127.0.0.1:PORT`: runs the court platform simulator.
#![allow(
    clippy::print_stdout,
    reason = "stdout carries the listening address and --print-openapi's document"
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use litigant_court_sim::{CourtSim, SimConfig};

/// A court platform simulator implementing the Litigant platform API.
#[derive(Debug, Parser)]
#[command(name = "court-sim", version)]
struct Args {
    /// Folder for the database and files; created if missing.
    #[arg(long)]
    data: PathBuf,
    /// Address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, default_value = "127.0.0.1:8470")]
    listen: SocketAddr,
    /// Largest document accepted, in bytes (the policy's maxDocumentBytes).
    #[arg(long)]
    max_document_bytes: Option<u64>,
    /// Seconds an unfinished upload is kept (the policy's uploadExpirySeconds).
    #[arg(long)]
    upload_expiry_seconds: Option<u64>,
    /// Lifetime of access tokens, in seconds.
    #[arg(long)]
    access_token_seconds: Option<u64>,
    /// Do not seed the demo case set into a new data folder.
    #[arg(long)]
    no_seed: bool,
    /// Print the `OpenAPI` document (YAML) and exit.
    #[arg(long)]
    print_openapi: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COURT_SIM_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if args.print_openapi {
        return match litigant_court_sim::openapi().to_yaml() {
            Ok(yaml) => {
                print!("{yaml}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                tracing::error!(%error, "cannot write the OpenAPI document");
                ExitCode::FAILURE
            }
        };
    }
    let mut config = SimConfig::new(&args.data);
    config.seed_demo = !args.no_seed;
    if let Some(bytes) = args.max_document_bytes {
        config.policy.max_document_bytes = bytes;
    }
    if let Some(seconds) = args.upload_expiry_seconds {
        config.policy.upload_expiry_seconds = seconds;
    }
    if let Some(seconds) = args.access_token_seconds {
        config.access_token_ttl = std::time::Duration::from_secs(seconds);
    }
    let sim = match CourtSim::bind(config, args.listen).await {
        Ok(sim) => sim,
        Err(error) => {
            tracing::error!(%error, "court-sim cannot start");
            return ExitCode::FAILURE;
        }
    };
    match sim.local_addr() {
        // The first line on stdout is the address, so a parent process started with port 0
        // learns where to connect.
        Ok(address) => println!("court-sim listening on http://{address}"),
        Err(error) => {
            tracing::error!(%error, "court-sim cannot start");
            return ExitCode::FAILURE;
        }
    }
    tokio::select! {
        () = sim.serve() => ExitCode::SUCCESS,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
