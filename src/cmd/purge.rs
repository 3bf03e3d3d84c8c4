//! `redflag purge`: the retention limit. Ads no crawl has seen for a given time are deleted with their
//! versions, evidence pages, entities, scores, links and triage — except ads an investigator escalated,
//! which are kept as case material until they are dismissed or the store is cleared, and ads of a case on
//! legal hold.

use std::process::ExitCode;
use std::sync::Arc;

use crate::app::Global;
use crate::cmd::analyze::BarProgress;

/// Flags of `redflag purge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Delete ads not seen for this many days.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub not_seen_for: u32,
    /// Really delete (without it, nothing is changed and the command says so).
    #[arg(long)]
    pub yes: bool,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    if !a.yes {
        anyhow::bail!("purge deletes evidence for good; add --yes to confirm");
    }
    let store = g.open_store().await?;
    let before = redflag_store::now_ms() - i64::from(a.not_seen_for) * redflag_core::time::DAY_MS;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let (ads, pages) = store.purge_older_than(before, &actor).await?;
    println!("deleted {ads} ads and {pages} pages not seen since {}", redflag_core::time::rfc3339(before));
    if ads > 0 {
        let index = Arc::new(g.open_index()?);
        let n = redflag_analyze::reindex(&store, index, &BarProgress::new()).await?;
        println!("search index rebuilt with {n} ads");
    }
    Ok(ExitCode::SUCCESS)
}
