//! `redflag reindex`: rebuild the search index from the store (after an upgrade, or on a new machine that
//! shares a PostgreSQL store).

use std::process::ExitCode;
use std::sync::Arc;

use crate::app::Global;
use crate::cmd::analyze::BarProgress;

/// Flags of `redflag reindex`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub async fn run(g: &Global, _a: Args) -> anyhow::Result<ExitCode> {
    let store = g.open_store().await?;
    let index = Arc::new(g.open_index()?);
    let n = redflag_analyze::reindex(&store, index, &BarProgress::new()).await?;
    println!("indexed {n} ads");
    Ok(ExitCode::SUCCESS)
}
