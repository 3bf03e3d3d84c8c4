//! `redflag train`: train a model on labelled ads and write it (safetensors + JSON) to a directory.

use std::path::PathBuf;
use std::process::ExitCode;

use redflag_classifier::{Grouping, Task, TrainOptions};

use crate::app::Global;

/// The models `train` and `eval` know.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TaskArg {
    /// Recruitment fraud in job ads; data is EMSCAD-style CSV.
    JobFraud,
    /// Sex-trafficking indicators in escort ads; data is JSON Lines `{"text": …, "label": 0|1 or 0–6}`.
    Escort,
}

impl From<TaskArg> for Task {
    fn from(t: TaskArg) -> Task {
        match t {
            TaskArg::JobFraud => Task::JobFraud,
            TaskArg::Escort => Task::Escort,
        }
    }
}

/// Flags of `redflag train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to train.
    #[arg(long, value_enum)]
    pub task: TaskArg,
    /// Labelled data.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// More labelled files of the same format (repeatable), e.g. extra legitimate ads. For job fraud a
    /// `.jsonl` file is a parallel job set (the format of `data/blind/*/jobs-parallel.jsonl`): its ads,
    /// in every language as pasted, train the pasted-text head, and their English versions as crawled
    /// the crawled-ad head; they never count in the reported figures.
    #[arg(long, value_name = "FILE")]
    pub extra_data: Vec<PathBuf>,
    /// Directory to write the model to (e.g. models/job-fraud).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Cross-validation folds used to calibrate and pick the threshold.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Seed for the splits.
    #[arg(long, default_value_t = 20240)]
    pub seed: u64,
    /// What counts as one group that a split keeps together: `duplicates` (same normalised posting
    /// text), `templates` (also near-duplicates, MinHash Jaccard >= 0.7) or `employers` (also every ad
    /// of one employer, by its company profile).
    #[arg(long, default_value = "duplicates")]
    pub grouping: Grouping,
    /// The share of positive ads in the real world, which the shown probability assumes.
    #[arg(long)]
    pub prior: Option<f64>,
    /// Escort only: fit the indicator weights alone, without a hashed-text layer (by default the
    /// layer is added from 500 labelled ads on).
    #[arg(long)]
    pub no_text: bool,
    /// Print the training report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub async fn run(_g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let mut opts = TrainOptions::new(a.task.into(), &a.data, &a.out);
    opts.extra_data = a.extra_data;
    opts.folds = a.folds;
    opts.seed = a.seed;
    opts.grouping = a.grouping;
    opts.target_prior = a.prior;
    if a.no_text {
        opts.text_features = Some(false);
    }
    opts.command = Some(std::env::args().collect::<Vec<_>>().join(" "));
    let report = tokio::task::spawn_blocking(move || redflag_classifier::train(&opts)).await??;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.render_text());
    }
    Ok(ExitCode::SUCCESS)
}
