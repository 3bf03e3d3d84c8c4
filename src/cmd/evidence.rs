//! `redflag evidence`: work with stored evidence pages and ad pictures.

use std::io::Write as _;
use std::process::ExitCode;

use crate::app::Global;
use crate::progress;

/// Subcommands of `redflag evidence`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Re-hash every stored page and ad picture and report any whose bytes no longer match the recorded
    /// SHA-256.
    Verify {
        /// Print a JSON report.
        #[arg(long)]
        json: bool,
    },
}

/// Pages re-hashed per database round trip.
const BATCH: i64 = 200;

/// Runs the command. Exits 0 when every page and picture matches, 1 when any does not.
pub async fn run(g: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let Command::Verify { json } = c;
    let store = g.open_store().await?;
    let total = store.page_count().await? + store.image_count().await?;
    let bar = progress::bar(total.max(0) as u64, "verify");
    let mut checked = 0u64;
    let mut bad = Vec::new();
    let mut from = 0;
    loop {
        let (batch, next) = store.verify_pages(from, BATCH).await?;
        checked += batch.len() as u64;
        bar.inc(batch.len() as u64);
        bad.extend(batch.into_iter().filter(|p| !p.ok()));
        match next {
            Some(n) => from = n,
            None => break,
        }
    }
    let mut pictures = 0u64;
    let mut bad_pictures = Vec::new();
    let mut from = 0;
    loop {
        let (batch, next) = store.verify_images(from, BATCH).await?;
        pictures += batch.len() as u64;
        bar.inc(batch.len() as u64);
        bad_pictures.extend(batch.into_iter().filter(|p| !p.ok()));
        match next {
            Some(n) => from = n,
            None => break,
        }
    }
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if json {
        let report = serde_json::json!({
            "checked": checked,
            "mismatched": bad,
            "pictures_checked": pictures,
            "mismatched_pictures": bad_pictures,
        });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else if bad.is_empty() && bad_pictures.is_empty() {
        writeln!(
            out,
            "verified {checked} stored pages and {pictures} pictures: every body matches its recorded SHA-256"
        )?;
    } else {
        writeln!(
            out,
            "checked {checked} stored pages and {pictures} pictures: {} pages and {} pictures do NOT match their \
             recorded SHA-256",
            bad.len(),
            bad_pictures.len()
        )?;
        for (what, p) in bad.iter().map(|p| ("page", p)).chain(bad_pictures.iter().map(|p| ("picture", p))) {
            let actual = p.actual.as_deref().unwrap_or("(body unreadable)");
            writeln!(out, "  {what} {}  {}\n    recorded {}\n    actual   {actual}", p.id, p.url, p.recorded)?;
        }
    }
    Ok(if bad.is_empty() && bad_pictures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
