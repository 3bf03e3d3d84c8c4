//! `redflag export`: every ad with its entities, risk, indicators and evidence hash, one JSON object a line.
//!
//! The JSON Lines format is a stable contract (documented in the README): field names never change
//! meaning; new fields may be added.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::Global;

/// Export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
}

/// Flags of `redflag export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let store = g.open_store().await?;
    let mut out: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut after = 0;
    let mut n = 0u64;
    loop {
        let batch = store.export_batch(after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for r in &batch {
            serde_json::to_writer(&mut out, &r.to_json())?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    out.flush()?;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    store.audit(&actor, "export.jsonl", None, Some(&format!("{n} ads"))).await?;
    eprintln!("exported {n} ads");
    Ok(ExitCode::SUCCESS)
}
