//! `litigant serve-sim --data DIR [--listen ADDR]`: runs the court platform simulator, for
//! demos, support staff and integrators without a real platform.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use litigant_court_sim::{CourtSim, SimConfig};

use crate::platform::Failure;

#[derive(Debug, Args)]
pub struct ServeSimArgs {
    /// Folder for the simulator's database and files; created and seeded if new.
    #[arg(long)]
    data: PathBuf,
    /// Where to listen; port 0 picks a free one (printed on start).
    #[arg(long, default_value = "127.0.0.1:8470")]
    listen: SocketAddr,
}

pub async fn run(args: ServeSimArgs) -> Result<(), Failure> {
    let sim = CourtSim::bind(SimConfig::new(&args.data), args.listen).await?;
    // One write: a parent that reads only the first line gets both before it stops reading.
    println!(
        "court-sim listening on http://{}\nclerk token in {}",
        sim.local_addr()?,
        args.data.join("clerk-token").display()
    );
    tokio::select! {
        () = sim.serve() => Ok(()),
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
