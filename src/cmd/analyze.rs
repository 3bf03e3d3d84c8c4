//! `redflag analyze`: extract entities, link networks, score and index ads that are new or changed.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use indicatif::ProgressBar;
use redflag_analyze::{AnalyzeOptions, Progress, Stage};

use crate::app::Global;
use crate::progress;

/// Flags of `redflag analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Re-extract, relink, rescore and reindex every ad, not only new and changed ones and the part of
    /// the store they affect (after a model or linking update; also recounts the stored template keys).
    #[arg(long)]
    pub all: bool,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// After analysing, measure extraction and linking against this ground-truth file (a JSON array or
    /// JSON Lines of `{path, phones, network, company, …}`, as the demo site's `/ground-truth.json`):
    /// phone precision and recall, same-phone and template recall, and pair precision.
    #[arg(long, value_name = "FILE")]
    pub truth: Option<std::path::PathBuf>,
}

/// Draws one bar per analysis stage on standard error (nothing when it is not a terminal).
pub struct BarProgress {
    bar: Mutex<Option<ProgressBar>>,
}

impl BarProgress {
    /// A progress reporter with no stage started.
    pub fn new() -> Self {
        Self { bar: Mutex::new(None) }
    }
}

impl Progress for BarProgress {
    fn start(&self, stage: Stage, total: u64) {
        let pb = progress::bar(total, stage.label());
        *self.bar.lock().unwrap_or_else(|p| p.into_inner()) = Some(pb);
    }

    fn advance(&self, n: u64) {
        if let Some(pb) = &*self.bar.lock().unwrap_or_else(|p| p.into_inner()) {
            pb.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(pb) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).take() {
            pb.finish_and_clear();
        }
    }
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let truth = match &a.truth {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            Some(
                redflag_analyze::eval::parse_truth(&text)
                    .with_context(|| format!("{}: not a truth file", p.display()))?,
            )
        }
        None => None,
    };
    let store = g.open_store().await?;
    let index = Arc::new(g.open_index()?);
    crate::app::refill_new_index(&store, &index).await?;
    let classifier = Arc::new(g.classifier()?);
    let opts = AnalyzeOptions { all: a.all, ..Default::default() };
    let s = redflag_analyze::analyze(&store, classifier, index, &opts, &BarProgress::new()).await?;
    let measured = match &truth {
        Some(t) => Some(redflag_analyze::eval::evaluate(&store, t).await?),
        None => None,
    };
    if a.json {
        match &measured {
            Some(m) => println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "summary": s, "truth": m }))?),
            None => println!("{}", serde_json::to_string_pretty(&s)?),
        }
        return Ok(ExitCode::SUCCESS);
    } else if s.extracted == 0 && s.scored == 0 {
        println!("nothing new to analyse");
    } else {
        println!(
            "analysed {} new or changed ads ({} entities); relinked {} ads, where {} networks join {} ads ({} same-advertiser groups apart); {} contacts in both job and escort ads; scored {} ads ({} at risk 50+); indexed {} in {:.1}s",
            s.extracted,
            s.entities,
            s.linked,
            s.networks,
            s.networked_ads,
            s.advertiser_groups,
            s.job_escort_contacts,
            s.scored,
            s.high_risk,
            s.indexed,
            s.seconds
        );
    }
    if let Some(m) = &measured {
        println!("{}", m.report());
    }
    Ok(ExitCode::SUCCESS)
}
