//! Training configuration: the task, the hyper-parameters and the options of one training run.

use redflag_core::AdKind;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::data::Grouping;
use crate::error::{Error, Result};

/// The real share of fraudulent ads in the full EMSCAD dataset (866 of 17,880).
pub const EMSCAD_PREVALENCE: f64 = 0.0484;

/// The base rate assumed by the shipped escort model, for which no labelled data exists.
pub const ESCORT_BASE_RATE: f64 = 0.10;

/// What to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Job ads, EMSCAD-style CSV.
    JobFraud,
    /// Escort ads, JSON Lines `{text, label}`.
    Escort,
}

impl Task {
    /// The task's name on the command line and in model files.
    pub fn as_str(self) -> &'static str {
        match self {
            Task::JobFraud => "job-fraud",
            Task::Escort => "escort",
        }
    }

    /// The ad kind the task's model scores.
    pub fn kind(self) -> AdKind {
        match self {
            Task::JobFraud => AdKind::Job,
            Task::Escort => AdKind::Escort,
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Task {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "job-fraud" | "job" => Ok(Task::JobFraud),
            "escort" => Ok(Task::Escort),
            other => Err(Error::Options(format!("unknown task {other:?} (expected \"job-fraud\" or \"escort\")"))),
        }
    }
}

/// Training hyper-parameters. The defaults are the ones the shipped model was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hyper {
    /// Hash space size, `2^hash_bits`.
    pub hash_bits: u32,
    /// Longest word n-gram.
    pub ngram_max: u32,
    /// L2 penalty on text weights, per mean example loss.
    pub l2: f64,
    /// Standard deviation of the Gaussian prior of indicator weights around their catalogue weight.
    pub indicator_sd: f64,
    /// AdamW learning rate.
    pub learning_rate: f64,
    /// Most full-batch epochs.
    pub max_epochs: usize,
    /// Early stopping: epochs without improvement of the validation loss before stopping.
    pub patience: usize,
    /// Share of groups held out for early stopping; 0 trains every fold for `max_epochs`.
    pub validation_share: f64,
    /// Models averaged per fit, each early-stopped on a different held-out share of the groups.
    /// Averaging the weights of logistic layers is again one logistic layer, so scoring costs the
    /// same for any number.
    pub bags: usize,
    /// Whether the `fields` head is stacked: a naive-Bayes-weighted text model whose out-of-fold
    /// score feeds a combiner over the structured columns (see [`crate::combiner`]).
    pub stacked: bool,
    /// Stacked first stage: L2 penalty on text weights.
    pub stage1_l2: f64,
    /// Stacked first stage: most L-BFGS iterations.
    pub stage1_epochs: usize,
    /// Stacked first stage: add-α smoothing of the naive-Bayes counts.
    pub nb_alpha: f64,
    /// Folds of the inner cross-validation that gives the combiner its out-of-fold text scores.
    pub inner_folds: usize,
    /// Repeats of the inner cross-validation, each on another split; the combiner reads the mean
    /// out-of-fold text score, which varies less with the split than one repeat's.
    #[serde(default = "one")]
    pub inner_repeats: usize,
    /// Combiner: quantile bins per numeric value.
    pub combiner_bins: usize,
    /// Combiner: the fewest training ads a token must occur in.
    pub combiner_min_count: usize,
    /// Combiner: L2 penalty per mean example loss.
    pub combiner_l2: f64,
    /// Combiner: most L-BFGS iterations.
    pub combiner_epochs: usize,
    /// Stacked head: keep a known-ad memory of the training ads and give the combiner each ad's
    /// similarity to its nearest known fraudulent and legitimate ad (see [`crate::memory`]).
    #[serde(default)]
    pub memory: bool,
}

fn one() -> usize {
    1
}

impl Default for Hyper {
    fn default() -> Self {
        Self {
            hash_bits: 18,
            ngram_max: 3,
            l2: 1e-5,
            indicator_sd: 0.75,
            learning_rate: 0.05,
            max_epochs: 300,
            patience: 40,
            validation_share: 0.15,
            bags: 3,
            stacked: true,
            stage1_l2: 7e-4,
            stage1_epochs: 200,
            nb_alpha: 1.0,
            inner_folds: 5,
            inner_repeats: 3,
            combiner_bins: 32,
            combiner_min_count: 3,
            combiner_l2: 2.5e-3,
            combiner_epochs: 500,
            memory: true,
        }
    }
}

/// Options for [`train`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// What to train.
    pub task: Task,
    /// The labelled data: EMSCAD-style CSV for `job-fraud`, JSON Lines for `escort`.
    pub data: PathBuf,
    /// More labelled files of the same format (e.g. EMSCAD's legitimate-only supplementary file); for
    /// job fraud, `.jsonl` files are parallel job sets: training-only examples of the `text` head (every
    /// version as pasted) and of the `crawl` head (the English version as crawled; see
    /// `Example::train_only`).
    pub extra_data: Vec<PathBuf>,
    /// The model directory to write.
    pub out: PathBuf,
    /// Cross-validation folds (at least 2).
    pub folds: usize,
    /// Seed for splits.
    pub seed: u64,
    /// How copies of one ad are kept on one side of every split.
    pub grouping: Grouping,
    /// Hyper-parameters.
    pub hyper: Hyper,
    /// The prior the shown probability assumes; default: 4.84 % for job fraud, the training mix for
    /// escort data.
    pub target_prior: Option<f64>,
    /// The precision at the target prior the operating threshold must reach on out-of-fold scores.
    pub min_precision: f64,
    /// The share of positives the "suspicious" threshold keeps.
    pub suspicious_recall: f64,
    /// Whether the escort model reads hashed text besides indicators; default: when there are at
    /// least 500 labelled ads. (The job model always does.)
    pub text_features: Option<bool>,
    /// The version label written into the model.
    pub version: String,
    /// The command line to record in the model's provenance.
    pub command: Option<String>,
    /// Train only these heads (empty: every head of the task); `text` must be among them, since
    /// every model has one (`Model::take_head` moves a head into another model).
    pub heads: Vec<String>,
}

impl TrainOptions {
    /// Default options for a task, data file and output directory.
    pub fn new(task: Task, data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            task,
            data: data.into(),
            extra_data: Vec::new(),
            out: out.into(),
            folds: 5,
            seed: 20240,
            grouping: Grouping::default(),
            hyper: Hyper::default(),
            target_prior: None,
            min_precision: 0.80,
            suspicious_recall: 0.95,
            text_features: None,
            version: "1".into(),
            command: None,
            heads: Vec::new(),
        }
    }
}
