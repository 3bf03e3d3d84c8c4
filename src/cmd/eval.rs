//! `redflag eval`: evaluate a model on labelled ads, or cross-validate the training recipe.

use std::path::PathBuf;
use std::process::ExitCode;

use redflag_classifier::blind::{self, JobPath};
use redflag_classifier::{AdView, CvOptions, EvalOptions, Grouping, Task};

use crate::app::Global;
use crate::cmd::train::TaskArg;

/// Flags of `redflag eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which model.
    #[arg(long, value_enum)]
    pub task: TaskArg,
    /// Labelled data (EMSCAD-style CSV for job-fraud, JSON Lines for escort; with --blind, a blind
    /// set of `data/blind/`).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// The data is a blind set of `data/blind/` (`jobs-parallel.jsonl` for job-fraud, `escort.jsonl`
    /// for escort): print per-language ROC-AUC, the risk gap to English, verdict-band parity and
    /// per-indicator precision and recall. Job ads are scored as pasted into the check, or as
    /// crawled with --text-only.
    #[arg(long, conflicts_with = "cross_validate")]
    pub blind: bool,
    /// A model directory written by `redflag train` (default: the bundled model).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Score job ads as a crawl of their pages delivers them (title, posting as body, and the
    /// employer, city and pay fields a site adapter extracts): the figure crawled ads get. With
    /// --cross-validate, cross-validates the crawled-ad head only.
    #[arg(long, conflicts_with = "pasted")]
    pub text_only: bool,
    /// Score job ads as pasted into the check (title and all text as one body). With
    /// --cross-validate, cross-validates the pasted-text head only.
    #[arg(long)]
    pub pasted: bool,
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
    /// text), `templates` (also near-duplicates, MinHash Jaccard >= 0.7) or `employers` (also every ad
    /// of one employer, by its company profile).
    #[arg(long, default_value = "duplicates")]
    pub grouping: Grouping,
    /// With --cross-validate, choose the threshold on the reported out-of-fold scores themselves
    /// instead of by nested cross-validation (faster; the precision it reports is optimistic).
    #[arg(long)]
    pub no_nested: bool,
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
        opts.nested = !a.no_nested;
        if a.text_only {
            opts.heads.push(AdView::Crawled.head().to_string());
        }
        if a.pasted {
            opts.heads.push(AdView::Pasted.head().to_string());
        }
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
    if a.blind {
        let c = match &a.model {
            Some(d) => redflag_classifier::Classifier::from_dir(d)?,
            None => redflag_classifier::Classifier::bundled()?,
        };
        let task: Task = a.task.into();
        let data = a.data.clone();
        let text = tokio::task::spawn_blocking(move || -> anyhow::Result<(String, serde_json::Value)> {
            Ok(match task {
                Task::JobFraud => {
                    let how = if a.text_only { JobPath::Crawl } else { JobPath::Check };
                    let r = blind::evaluate_parallel_jobs(&c, &data, how)?;
                    (r.render_text(), serde_json::to_value(&r)?)
                }
                Task::Escort => {
                    let r = blind::evaluate_escort(&c, &data)?;
                    (r.render_text(), serde_json::to_value(&r)?)
                }
            })
        })
        .await??;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&text.1)?);
        } else {
            print!("{}", text.0);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut opts = EvalOptions::new(a.task.into(), &a.data);
    opts.model_dir = a.model;
    opts.view = match (a.text_only, a.pasted) {
        (true, _) => AdView::Crawled,
        (_, true) => AdView::Pasted,
        _ => AdView::Record,
    };
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
