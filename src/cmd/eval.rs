//! `redflag eval`: evaluate a model on labelled ads, or cross-validate the training recipe.

use std::path::PathBuf;
use std::process::ExitCode;

use redflag_classifier::{CvOptions, EvalOptions, Grouping};

use crate::app::Global;
use crate::cmd::train::TaskArg;

/// Flags of `redflag eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which model.
    #[arg(long, value_enum)]
    pub task: TaskArg,
    /// Labelled data (EMSCAD-style CSV for job-fraud, JSON Lines for escort).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// A model directory written by `redflag train` (default: the bundled model).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Score job ads by title and body only, as crawled ads are.
    #[arg(long)]
    pub text_only: bool,
    /// Also write one `job_id,score` line per ad to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// The real share of positives, for precision_at_prevalence.
    #[arg(long)]
    pub prevalence: Option<f64>,
    /// Instead of scoring with a trained model, run grouped k-fold cross-validation of the training
    /// recipe on the data (every figure from out-of-fold scores).
    #[arg(long)]
    pub cross_validate: bool,
    /// More labelled files for cross-validation (repeatable).
    #[arg(long, value_name = "FILE")]
    pub extra_data: Vec<PathBuf>,
    /// Folds for cross-validation.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Seeds of the cross-validation splits, comma-separated (one report line per seed).
    #[arg(long, value_delimiter = ',', default_value = "20240,1,2")]
    pub seeds: Vec<u64>,
    /// What counts as one group that a split keeps together: `duplicates` (same normalised posting
    /// text) or `templates` (also near-duplicates, MinHash Jaccard >= 0.7).
    #[arg(long, default_value = "duplicates")]
    pub grouping: Grouping,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub async fn run(_g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    if a.cross_validate {
        let mut opts = CvOptions::new(a.task.into(), &a.data);
        opts.extra_data = a.extra_data;
        opts.folds = a.folds;
        opts.seeds = a.seeds;
        opts.grouping = a.grouping;
        if let Some(p) = a.prevalence {
            opts.prevalence = p;
        }
        let report = tokio::task::spawn_blocking(move || redflag_classifier::cross_validate(&opts)).await??;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", report.render_text());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut opts = EvalOptions::new(a.task.into(), &a.data);
    opts.model_dir = a.model;
    opts.text_only = a.text_only;
    opts.predictions = a.predictions;
    if let Some(p) = a.prevalence {
        opts.prevalence = p;
    }
    let report = tokio::task::spawn_blocking(move || redflag_classifier::evaluate(&opts)).await??;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.render_text());
    }
    Ok(ExitCode::SUCCESS)
}
