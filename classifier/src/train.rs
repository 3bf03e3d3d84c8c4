//! Training: fits a model's heads with candle, calibrates them on out-of-fold predictions and writes
//! the model directory.
//!
//! The recipe, for each head:
//!
//! 1. Copies of one ad are grouped (see [`crate::data::Grouping`]) and every split is
//!    made over groups, stratified by label, so that no copy of a test ad is trained on.
//! 2. Grouped k-fold cross-validation gives an out-of-fold score for every training ad. In each fold a
//!    logistic layer over hashed text features and indicators is fitted with AdamW (no decoupled
//!    decay; an explicit L2 penalty instead) and stopped early on an inner grouped validation split;
//!    with `bags > 1` several such fits on different inner splits are averaged.
//!    Indicator weights are pulled towards their catalogue prior (a Gaussian prior), not towards 0, so
//!    that indicators rare in the training data keep their evidence-based weight.
//! 3. Platt scaling is fitted on the out-of-fold scores; the operating threshold is the lowest one
//!    whose out-of-fold precision at the target prevalence reaches `min_precision`, and the
//!    "suspicious" threshold the one keeping `suspicious_recall` of positives, but at least three times
//!    the target prior.
//! 4. The final head is fitted the same way on all data.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use redflag_core::AdKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use crate::catalogue::Catalogue;
use crate::classifier::{AdInput, analyse};
use crate::combiner::{self, CombinerConfig, Meta};
use crate::data::{self, Grouping, JobRecord};
use crate::error::{Error, Result};
use crate::features::{self, FeatureConfig};
use crate::memory::{self, AdMemory, Terms};
use crate::metrics::{self, Confusion};
use crate::model::{HEAD_FIELDS, HEAD_TEXT, HeadConfig, HeadParams, Model, ModelConfig};

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
    /// More labelled files of the same format (e.g. EMSCAD's legitimate-only supplementary file).
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
        }
    }
}

/// Cross-validated figures of one head, from out-of-fold scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvMetrics {
    /// Ads scored.
    pub n: usize,
    /// Positives among them.
    pub positives: usize,
    /// ROC-AUC.
    pub roc_auc: f64,
    /// Average precision.
    pub pr_auc: f64,
    /// The operating threshold (calibrated probability at the target prior).
    pub threshold: f64,
    /// Precision on the data's own mix at the threshold.
    pub precision: f64,
    /// Recall at the threshold.
    pub recall: f64,
    /// F1 at the threshold.
    pub f1: f64,
    /// Precision at the target prevalence at the threshold.
    pub precision_at_prevalence: f64,
    /// The same figures (threshold fixed) for each input file alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_file: Vec<FileMetrics>,
}

/// Out-of-fold figures for the ads of one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMetrics {
    /// The file name.
    pub file: String,
    /// Ads.
    pub n: usize,
    /// Positives.
    pub positives: usize,
    /// ROC-AUC (0.5 for a single-class file).
    pub roc_auc: f64,
    /// False-positive rate at the threshold.
    pub fpr: f64,
    /// Recall at the threshold.
    pub recall: f64,
}

/// What training did, per head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadReport {
    /// The head.
    pub head: String,
    /// Whether it reads text features.
    pub text_features: bool,
    /// Epochs of the final fit.
    pub epochs: usize,
    /// Platt slope.
    pub slope: f64,
    /// Platt intercept.
    pub intercept: f64,
    /// Operating threshold.
    pub threshold: f64,
    /// "Suspicious" threshold.
    pub suspicious_threshold: f64,
    /// Cross-validated figures.
    pub cv: CvMetrics,
}

/// The result of [`train`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainReport {
    /// The task.
    pub task: Task,
    /// Where the model was written.
    pub out: PathBuf,
    /// Training ads.
    pub n: usize,
    /// Positives among them.
    pub positives: usize,
    /// Near-duplicate groups.
    pub groups: usize,
    /// The prior of the training mix.
    pub train_prior: f64,
    /// The prior the shown probability assumes.
    pub target_prior: f64,
    /// Per-head results.
    pub heads: Vec<HeadReport>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl TrainReport {
    /// A short human-readable summary.
    pub fn render_text(&self) -> String {
        let mut s = format!(
            "trained {} on {} ads ({} positive, {} groups of copies) in {:.0} s -> {}\n",
            self.task,
            self.n,
            self.positives,
            self.groups,
            self.seconds,
            self.out.display()
        );
        for h in &self.heads {
            s.push_str(&format!(
                "  head {:6} cv roc_auc {:.4} pr_auc {:.4} | threshold {:.3}: precision {:.3} recall {:.3} f1 {:.3} precision@{:.2}% {:.3}\n",
                h.head,
                h.cv.roc_auc,
                h.cv.pr_auc,
                h.threshold,
                h.cv.precision,
                h.cv.recall,
                h.cv.f1,
                self.target_prior * 100.0,
                h.cv.precision_at_prevalence
            ));
        }
        s
    }
}

/// One labelled ad, whatever the file format.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub id: String,
    pub title: String,
    /// The whole ad text (for job records: company profile included), read by the `fields` head.
    pub body: String,
    /// The text the `text` head reads (for job records: the posting without the company profile).
    pub text_body: String,
    pub job: Option<JobRecord>,
    pub target: f32,
    pub positive: bool,
    pub file: usize,
}

/// Loads labelled examples for a task from the main file and extra files.
pub(crate) fn load_examples(task: Task, files: &[PathBuf]) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for (fi, path) in files.iter().enumerate() {
        match task {
            Task::JobFraud => {
                for r in data::read_emscad_csv(path, true)? {
                    let positive = r.fraudulent == Some(true);
                    out.push(Example {
                        id: r.job_id.clone(),
                        title: r.title.clone(),
                        body: r.body(),
                        text_body: r.posting(),
                        target: if positive { 1.0 } else { 0.0 },
                        positive,
                        job: Some(r),
                        file: fi,
                    });
                }
            }
            Task::Escort => {
                for e in data::read_jsonl(path)? {
                    out.push(Example {
                        id: e.id,
                        title: e.title,
                        text_body: e.body.clone(),
                        body: e.body,
                        job: None,
                        target: e.target,
                        positive: e.positive,
                        file: fi,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Near-duplicate groups of examples.
pub(crate) fn example_groups(task: Task, ex: &[Example], grouping: Grouping) -> Vec<usize> {
    match task {
        Task::JobFraud => {
            let recs: Vec<JobRecord> = ex.iter().map(|e| e.job.clone().unwrap_or_default()).collect();
            data::job_groups(&recs, grouping)
        }
        Task::Escort => {
            let texts: Vec<String> = ex.iter().map(|e| format!("{} {}", e.title, e.body)).collect();
            data::text_groups(&texts, grouping)
        }
    }
}

/// Features, indicators and labels of a set of examples for one head.
pub(crate) struct Design {
    /// Hashed text features; for a stacked head, those of its first stage.
    pub rows: Vec<Vec<u32>>,
    /// For a stacked head, what its combiner reads of each example (else empty).
    pub metas: Vec<Meta>,
    /// For a stacked head, each example's hashed word counts for the known-ad memory (else empty).
    pub terms: Vec<Terms>,
    /// Row-major `[n, k]`.
    pub ind: Vec<f32>,
    pub k: usize,
    pub y: Vec<f32>,
    pub positive: Vec<bool>,
}

pub(crate) fn design(
    cat: &Catalogue,
    kind: AdKind,
    head: &str,
    feat: FeatureConfig,
    text: bool,
    stacked: bool,
    ex: &[Example],
) -> Design {
    let stacked = stacked && head == HEAD_FIELDS && text && ex.iter().all(|e| e.job.is_some());
    let kind_ind: Vec<usize> = cat.of_kind(kind).map(|(i, _)| i).collect();
    let k = kind_ind.len();
    // Per example: text-feature row, indicator values, known-ad memory words.
    type Parts = (Vec<u32>, Vec<f32>, Terms);
    let one = |e: &Example| -> Parts {
        let body = if head == HEAD_FIELDS { &e.body } else { &e.text_body };
        let input = AdInput {
            kind: Some(kind),
            title: &e.title,
            body,
            job: if head == HEAD_FIELDS { e.job.as_ref() } else { None },
            ..Default::default()
        };
        let a = analyse(cat, &input, kind);
        let ind: Vec<f32> =
            kind_ind.iter().map(|ci| if a.hits.iter().any(|h| h.indicator == *ci) { 1.0 } else { 0.0 }).collect();
        let mut terms = Terms::new();
        let row = if !text {
            Vec::new()
        } else if stacked {
            // One pass gives the text model's row and the known-ad memory's words.
            let mut words = Vec::new();
            let row = features::stacked_record_parts(feat, e.job.as_ref().expect("checked above"), Some(&mut words));
            terms = memory::terms_of(&words);
            row
        } else if head == HEAD_FIELDS {
            features::record_row(feat, e.job.as_ref().expect("fields head needs job records"))
        } else {
            features::text_row(feat, &e.title, body)
        };
        (row, ind, terms)
    };
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let chunk = ex.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Parts>> = std::thread::scope(|s| {
        let hs: Vec<_> = ex.chunks(chunk).map(|c| s.spawn(move || c.iter().map(one).collect::<Vec<_>>())).collect();
        hs.into_iter().map(|h| h.join().expect("feature extraction does not panic")).collect()
    });
    let mut rows = Vec::with_capacity(ex.len());
    let mut ind = Vec::with_capacity(ex.len() * k);
    let mut terms = Vec::with_capacity(if stacked { ex.len() } else { 0 });
    for (r, i, t) in parts.into_iter().flatten() {
        rows.push(r);
        ind.extend(i);
        if stacked {
            terms.push(t);
        }
    }
    let metas = if stacked {
        ex.iter().map(|e| combiner::record_meta(e.job.as_ref().expect("checked above"))).collect()
    } else {
        Vec::new()
    };
    Design {
        rows,
        metas,
        terms,
        ind,
        k,
        y: ex.iter().map(|e| e.target).collect(),
        positive: ex.iter().map(|e| e.positive).collect(),
    }
}

/// A small deterministic generator (SplitMix64) for shuffling splits.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        features::mix(self.0)
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Assigns each example to one of `k` folds so that every group stays in one fold and each fold gets
/// about the same number of positives and negatives.
pub fn grouped_folds(groups: &[usize], positive: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut members: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (g, p) in groups.iter().zip(positive) {
        let e = members.entry(*g).or_default();
        if *p {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut list: Vec<(usize, usize, usize)> = members.into_iter().map(|(g, (p, n))| (g, p, n)).collect();
    Rng::new(seed).shuffle(&mut list);
    // Largest groups first, so that the greedy balance has room to even out.
    list.sort_by_key(|(_, p, n)| std::cmp::Reverse(p + n));
    let total_p = positive.iter().filter(|p| **p).count().max(1) as f64;
    let total_n = (positive.len() - positive.iter().filter(|p| **p).count()).max(1) as f64;
    let mut load = vec![(0usize, 0usize); k];
    let mut fold_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (g, p, n) in list {
        let best = (0..k)
            .min_by(|&a, &b| {
                let cost = |f: usize| (load[f].0 + p) as f64 / total_p + (load[f].1 + n) as f64 / total_n;
                cost(a).total_cmp(&cost(b)).then(a.cmp(&b))
            })
            .expect("k >= 1");
        load[best].0 += p;
        load[best].1 += n;
        fold_of.insert(g, best);
    }
    groups.iter().map(|g| fold_of[g]).collect()
}

/// The parameters of a fitted head before calibration.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub w: Option<Vec<f32>>,
    pub v: Vec<f32>,
    pub b: f32,
    pub epochs: usize,
}

impl Design {
    /// Whether rows are scaled to unit length (plain heads) or each bucket counts 1 (stacked heads,
    /// whose naive-Bayes scale does the weighting).
    fn unit_rows(&self) -> bool {
        self.metas.is_empty()
    }
}

impl Fitted {
    /// The text part (bias and hashed features) and the indicator part of example i's raw logit.
    pub(crate) fn logit_parts(&self, d: &Design, i: usize) -> (f32, f32) {
        let mut z = self.b;
        if let Some(w) = &self.w {
            let row = &d.rows[i];
            let s: f32 = row.iter().map(|b| w[*b as usize]).sum();
            z += if d.unit_rows() { s / (row.len().max(1) as f32).sqrt() } else { s };
        }
        (z, d.ind[i * d.k..(i + 1) * d.k].iter().zip(&self.v).map(|(x, v)| x * v).sum::<f32>())
    }

    pub(crate) fn logit(&self, d: &Design, i: usize) -> f32 {
        let (t, ind) = self.logit_parts(d, i);
        t + ind
    }
}

fn log_loss(fit: &Fitted, d: &Design, subset: &[usize]) -> f64 {
    let mut s = 0.0;
    for &i in subset {
        let z = f64::from(fit.logit(d, i));
        let y = f64::from(d.y[i]);
        s += z.max(0.0) - y * z + (-z.abs()).exp().ln_1p();
    }
    s / subset.len().max(1) as f64
}

/// Fits a head on `train`. With `val`, stops early on its log-loss and returns the best epoch's
/// parameters; without, runs `max_epochs`.
pub(crate) fn fit(
    d: &Design,
    train: &[usize],
    val: Option<&[usize]>,
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    max_epochs: usize,
) -> Result<Fitted> {
    let dev = Device::Cpu;
    let n = train.len();
    if n == 0 {
        return Err(Error::Options("no training examples".into()));
    }
    let k = d.k;
    let mean_y = train.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n as f64;
    let b0 = (mean_y.clamp(1e-3, 1.0 - 1e-3) / (1.0 - mean_y.clamp(1e-3, 1.0 - 1e-3))).ln() as f32;
    let y = Tensor::from_vec(train.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let xi = Tensor::from_vec(
        train.iter().flat_map(|&i| d.ind[i * k..(i + 1) * k].iter().copied()).collect::<Vec<f32>>(),
        (n, k),
        &dev,
    )?;
    let prior_t = Tensor::from_slice(prior, (k, 1), &dev)?;
    let v = Var::from_tensor(&prior_t)?;
    let b = Var::from_slice(&[b0], 1, &dev)?;
    let mut vars = vec![v.clone(), b.clone()];
    let text = match text_dim {
        Some(dim) => {
            let mut idx = Vec::new();
            let mut row = Vec::new();
            let mut val = Vec::new();
            for (r, &i) in train.iter().enumerate() {
                let scale = 1.0 / (d.rows[i].len().max(1) as f32).sqrt();
                for bkt in &d.rows[i] {
                    idx.push(*bkt);
                    row.push(r as u32);
                    val.push(scale);
                }
            }
            let nnz = idx.len();
            let w = Var::zeros(dim, DType::F32, &dev)?;
            vars.push(w.clone());
            Some((
                w,
                Tensor::from_vec(idx, nnz, &dev)?,
                Tensor::from_vec(row, nnz, &dev)?,
                Tensor::from_vec(val, nnz, &dev)?,
            ))
        }
        None => None,
    };
    let mut opt = AdamW::new(vars, ParamsAdamW { lr: hyper.learning_rate, weight_decay: 0.0, ..Default::default() })?;
    let ind_penalty = 1.0 / (2.0 * hyper.indicator_sd.max(1e-3).powi(2) * n as f64);
    let snapshot = |epochs: usize| -> Result<Fitted> {
        Ok(Fitted {
            w: match &text {
                Some((w, ..)) => Some(w.as_tensor().to_vec1::<f32>()?),
                None => None,
            },
            v: v.as_tensor().flatten_all()?.to_vec1::<f32>()?,
            b: b.as_tensor().to_vec1::<f32>()?[0],
            epochs,
        })
    };
    let mut best: Option<(f64, Fitted)> = None;
    let mut since_best = 0usize;
    let check_every = 5usize;
    for epoch in 1..=max_epochs {
        let mut z = xi.matmul(v.as_tensor())?.reshape(n)?;
        let mut penalty = ((v.as_tensor() - &prior_t)?.sqr()?.sum_all()? * ind_penalty)?;
        if let Some((w, idx, row, val)) = &text {
            let contrib = w.as_tensor().index_select(idx, 0)?.mul(val)?;
            z = z.add(&Tensor::zeros(n, DType::F32, &dev)?.index_add(row, &contrib, 0)?)?;
            penalty = penalty.add(&(w.as_tensor().sqr()?.sum_all()? * (0.5 * hyper.l2))?)?;
        }
        let z = z.broadcast_add(b.as_tensor())?;
        let softplus = z.relu()?.add(&((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
        let loss = softplus.sub(&y.mul(&z)?)?.mean_all()?.add(&penalty)?;
        opt.backward_step(&loss)?;
        if let Some(val) = val
            && (epoch % check_every == 0 || epoch == max_epochs)
        {
            let cur = snapshot(epoch)?;
            let l = log_loss(&cur, d, val);
            if best.as_ref().is_none_or(|(bl, _)| l < *bl - 1e-6) {
                best = Some((l, cur));
                since_best = 0;
            } else {
                since_best += check_every;
                if since_best >= hyper.patience {
                    break;
                }
            }
        }
    }
    match best {
        Some((_, f)) => Ok(f),
        None => snapshot(max_epochs),
    }
}

/// Fits a head on `subset`: `hyper.bags` models, each early-stopped on a different grouped share of
/// `subset`, averaged. With `validation_share` 0 one model is trained for `max_epochs`.
pub(crate) fn fit_averaged(
    d: &Design,
    subset: &[usize],
    groups: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<Fitted> {
    if hyper.validation_share <= 0.0 {
        return fit(d, subset, None, text_dim, prior, hyper, hyper.max_epochs);
    }
    let k = (1.0 / hyper.validation_share.clamp(0.05, 0.5)).round().max(2.0) as usize;
    let g: Vec<usize> = subset.iter().map(|&i| groups[i]).collect();
    let p: Vec<bool> = subset.iter().map(|&i| d.positive[i]).collect();
    let inner = grouped_folds(&g, &p, k, seed);
    let bags = hyper.bags.clamp(1, k);
    let mut sum: Option<Fitted> = None;
    let mut epochs = 0;
    for bag in 0..bags {
        let tr: Vec<usize> = subset.iter().zip(&inner).filter(|(_, f)| **f != bag).map(|(i, _)| *i).collect();
        let va: Vec<usize> = subset.iter().zip(&inner).filter(|(_, f)| **f == bag).map(|(i, _)| *i).collect();
        let f = if tr.is_empty() || va.is_empty() {
            fit(d, subset, None, text_dim, prior, hyper, hyper.max_epochs)?
        } else {
            fit(d, &tr, Some(&va), text_dim, prior, hyper, hyper.max_epochs)?
        };
        epochs += f.epochs;
        sum = Some(match sum {
            None => f,
            Some(mut s) => {
                if let (Some(a), Some(b)) = (&mut s.w, &f.w) {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                }
                s.v.iter_mut().zip(&f.v).for_each(|(x, y)| *x += y);
                s.b += f.b;
                s
            }
        });
    }
    let mut s = sum.expect("at least one bag");
    let inv = 1.0 / bags as f32;
    if let Some(w) = &mut s.w {
        w.iter_mut().for_each(|x| *x *= inv);
    }
    s.v.iter_mut().for_each(|x| *x *= inv);
    s.b *= inv;
    s.epochs = epochs / bags;
    Ok(s)
}

/// Naive-Bayes log-count ratios of the hashed buckets over `subset`: `ln(p_j / |p|) − ln(q_j / |q|)`
/// where `p_j` (`q_j`) counts the positive (negative) examples whose row holds bucket j, plus `alpha`.
/// Scaling features by them lets a logistic layer start from what each n-gram says on its own
/// (Wang & Manning's NB-SVM), which is what small text sets reward.
pub(crate) fn nb_ratios(d: &Design, subset: &[usize], dim: usize, alpha: f64) -> Vec<f32> {
    let mut p = vec![0f64; dim];
    let mut q = vec![0f64; dim];
    for &i in subset {
        let counts = if d.positive[i] { &mut p } else { &mut q };
        for b in &d.rows[i] {
            counts[*b as usize] += 1.0;
        }
    }
    let alpha = alpha.max(1e-6);
    // Smoothing spreads over the buckets the training rows use, not the whole hash space: that is
    // the vocabulary a counted model would have, and it keeps the ratios independent of `hash_bits`.
    let seen = p.iter().zip(&q).filter(|(p, q)| **p + **q > 0.0).count();
    let sp: f64 = p.iter().sum::<f64>() + alpha * seen as f64;
    let sq: f64 = q.iter().sum::<f64>() + alpha * seen as f64;
    p.iter().zip(&q).map(|(p, q)| (((p + alpha) / sp).ln() - ((q + alpha) / sq).ln()) as f32).collect()
}

/// A stacked head: the first-stage text model, and the combiner over its score and the structured
/// fields.
#[derive(Debug, Clone)]
pub(crate) struct StackedFit {
    /// The text model (naive-Bayes scale folded into its weights; indicator weights unused).
    pub stage1: Fitted,
    /// What the combiner reads.
    pub combiner: CombinerConfig,
    /// Combiner weights, one per feature of `combiner`.
    pub w: Vec<f32>,
    /// Combiner bias.
    pub b: f32,
    /// Indicator weights.
    pub v: Vec<f32>,
    /// The known-ad memory of the training ads, if the head keeps one.
    pub memory: Option<Box<AdMemory>>,
}

impl StackedFit {
    /// The raw logits of examples `idx`, as (combiner part, indicator part).
    fn logits(&self, d: &Design, idx: &[usize]) -> Vec<(f32, f32)> {
        let enc = self.combiner.encoder();
        let mut phi = Vec::with_capacity(self.w.len());
        idx.iter()
            .map(|&i| {
                phi.clear();
                let z = self.stage1.logit_parts(d, i).0;
                match &self.memory {
                    Some(m) => {
                        let mut meta = d.metas[i].clone();
                        m.annotate(&d.terms[i], &mut meta, |_| false);
                        enc.encode_into(z, &meta, &mut phi);
                    }
                    None => enc.encode_into(z, &d.metas[i], &mut phi),
                }
                let z = self.b + phi.iter().zip(&self.w).map(|(x, w)| x * w).sum::<f32>();
                (z, d.ind[i * d.k..(i + 1) * d.k].iter().zip(&self.v).map(|(x, v)| x * v).sum::<f32>())
            })
            .collect()
    }
}

/// A fitted head of either shape.
#[derive(Debug, Clone)]
pub(crate) enum HeadFit {
    /// One logistic layer over text features and indicators.
    Plain(Fitted),
    /// A text model and a combiner.
    Stacked(StackedFit),
}

impl HeadFit {
    /// The raw logits of examples `idx`, as (text or combiner part, indicator part).
    pub(crate) fn logits(&self, d: &Design, idx: &[usize]) -> Vec<(f32, f32)> {
        match self {
            HeadFit::Plain(f) => idx.iter().map(|&i| f.logit_parts(d, i)).collect(),
            HeadFit::Stacked(s) => s.logits(d, idx),
        }
    }

    fn epochs(&self) -> usize {
        match self {
            HeadFit::Plain(f) => f.epochs,
            HeadFit::Stacked(s) => s.stage1.epochs,
        }
    }
}

/// The gradient of `var` in `grads`, flattened.
fn gradient(grads: &candle_core::backprop::GradStore, var: &Var) -> Result<Vec<f32>> {
    let g = grads.get(var.as_tensor()).ok_or_else(|| Error::Options("no gradient".into()))?;
    Ok(g.flatten_all()?.to_vec1::<f32>()?)
}

/// The mean logistic loss of logits `z` against labels `y`.
fn mean_log_loss(z: &Tensor, y: &Tensor) -> Result<Tensor> {
    let softplus = z.relu()?.add(&((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
    Ok(softplus.sub(&y.mul(z)?)?.mean_all()?)
}

/// Fits a stacked first stage on `subset`: naive-Bayes scaling from `subset`, then an L2-regularised
/// logistic layer over the scaled n-grams, minimised with L-BFGS (candle computes loss and gradient).
fn fit_stage1(d: &Design, subset: &[usize], dim: usize, hyper: &Hyper) -> Result<Fitted> {
    let dev = Device::Cpu;
    let n = subset.len();
    if n == 0 {
        return Err(Error::Options("no training examples".into()));
    }
    let r = nb_ratios(d, subset, dim, hyper.nb_alpha);
    let (mut idx, mut row, mut val) = (Vec::new(), Vec::new(), Vec::new());
    for (j, &i) in subset.iter().enumerate() {
        for b in &d.rows[i] {
            idx.push(*b);
            row.push(j as u32);
            val.push(r[*b as usize]);
        }
    }
    let nnz = idx.len();
    let idx = Tensor::from_vec(idx, nnz, &dev)?;
    let row = Tensor::from_vec(row, nnz, &dev)?;
    let val = Tensor::from_vec(val, nnz, &dev)?;
    let y = Tensor::from_vec(subset.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let mean_y = subset.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n as f64;
    let mut x0 = vec![0f32; dim + 1];
    x0[dim] = logit(mean_y.clamp(1e-3, 1.0 - 1e-3)) as f32;
    let l2 = hyper.stage1_l2;
    let (x, iters) = crate::optim::lbfgs(x0, hyper.stage1_epochs.max(1), 1e-7, |x| {
        let w = Var::from_slice(&x[..dim], dim, &dev)?;
        let b = Var::from_slice(&x[dim..], 1, &dev)?;
        let contrib = w.as_tensor().index_select(&idx, 0)?.mul(&val)?;
        let z = Tensor::zeros(n, DType::F32, &dev)?.index_add(&row, &contrib, 0)?.broadcast_add(b.as_tensor())?;
        let loss = mean_log_loss(&z, &y)?.add(&(w.as_tensor().sqr()?.sum_all()? * (0.5 * l2))?)?;
        let grads = loss.backward()?;
        let mut g = gradient(&grads, &w)?;
        g.extend(gradient(&grads, &b)?);
        Ok((f64::from(loss.to_scalar::<f32>()?), g))
    })?;
    let w: Vec<f32> = x[..dim].iter().zip(&r).map(|(w, r)| w * r).collect();
    Ok(Fitted { w: Some(w), v: vec![0.0; d.k], b: x[dim], epochs: iters })
}

/// Fits the combiner: a logistic layer over dense features `phi` (`[n, m]`, row-major) and the
/// indicators of `subset`, with an L2 penalty on the feature weights and the indicator weights
/// pulled towards their prior, minimised with L-BFGS. Returns (weights, bias, indicator weights).
fn fit_dense(
    d: &Design,
    subset: &[usize],
    phi: Vec<f32>,
    m: usize,
    prior: &[f32],
    hyper: &Hyper,
) -> Result<(Vec<f32>, f32, Vec<f32>)> {
    let dev = Device::Cpu;
    let n = subset.len();
    let k = d.k;
    let x = Tensor::from_vec(phi, (n, m), &dev)?;
    let xi = Tensor::from_vec(
        subset.iter().flat_map(|&i| d.ind[i * k..(i + 1) * k].iter().copied()).collect::<Vec<f32>>(),
        (n, k),
        &dev,
    )?;
    let y = Tensor::from_vec(subset.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let mean_y = subset.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n.max(1) as f64;
    let prior_t = Tensor::from_slice(prior, (k, 1), &dev)?;
    let ind_penalty = 1.0 / (2.0 * hyper.indicator_sd.max(1e-3).powi(2) * n.max(1) as f64);
    let mut x0 = vec![0f32; m];
    x0.extend_from_slice(prior);
    x0.push(logit(mean_y.clamp(1e-3, 1.0 - 1e-3)) as f32);
    let (p, _) = crate::optim::lbfgs(x0, hyper.combiner_epochs.max(1), 1e-9, |p| {
        let w = Var::from_slice(&p[..m], (m, 1), &dev)?;
        let v = Var::from_slice(&p[m..m + k], (k, 1), &dev)?;
        let b = Var::from_slice(&p[m + k..], 1, &dev)?;
        let z = x.matmul(w.as_tensor())?.add(&xi.matmul(v.as_tensor())?)?.reshape(n)?.broadcast_add(b.as_tensor())?;
        let penalty = (w.as_tensor().sqr()?.sum_all()? * (0.5 * hyper.combiner_l2))?
            .add(&((v.as_tensor() - &prior_t)?.sqr()?.sum_all()? * ind_penalty)?)?;
        let loss = mean_log_loss(&z, &y)?.add(&penalty)?;
        let grads = loss.backward()?;
        let mut g = Vec::with_capacity(p.len());
        for var in [&w, &v, &b] {
            g.extend(gradient(&grads, var)?);
        }
        Ok((f64::from(loss.to_scalar::<f32>()?), g))
    })?;
    Ok((p[..m].to_vec(), p[m + k], p[m..m + k].to_vec()))
}

/// Fits a stacked head on `subset`: an inner grouped cross-validation gives every example of
/// `subset` an out-of-fold text score, on which the combiner learns its edges, tokens and weights;
/// the text model used for scoring is then fitted on all of `subset`.
pub(crate) fn fit_stacked(
    d: &Design,
    subset: &[usize],
    groups: &[usize],
    dim: usize,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<StackedFit> {
    let k = hyper.inner_folds.max(2);
    let g: Vec<usize> = subset.iter().map(|&i| groups[i]).collect();
    let p: Vec<bool> = subset.iter().map(|&i| d.positive[i]).collect();
    let mut z = vec![0f32; subset.len()];
    let repeats = hyper.inner_repeats.max(1);
    for rep in 0..repeats {
        let inner = grouped_folds(&g, &p, k, (seed ^ 0x5eed).wrapping_add(rep as u64 * 0x9e37_79b9));
        for f in 0..k {
            let tr: Vec<usize> = subset.iter().zip(&inner).filter(|(_, x)| **x != f).map(|(i, _)| *i).collect();
            if tr.is_empty() {
                continue;
            }
            let fitted = fit_stage1(d, &tr, dim, hyper)?;
            for (j, &i) in subset.iter().enumerate() {
                if inner[j] == f {
                    z[j] += fitted.logit_parts(d, i).0 / repeats as f32;
                }
            }
        }
    }
    let stage1 = fit_stage1(d, subset, dim, hyper)?;
    let mut metas: Vec<Meta> = subset.iter().map(|&i| d.metas[i].clone()).collect();
    // Each training ad meets the memory as an unseen ad would: without its own group of copies.
    let memory = hyper.memory.then(|| {
        let docs: Vec<&Terms> = subset.iter().map(|&i| &d.terms[i]).collect();
        let mem = AdMemory::build(&docs, &p);
        for (j, meta) in metas.iter_mut().enumerate() {
            mem.annotate(docs[j], meta, |a| g[a] == g[j]);
        }
        Box::new(mem)
    });
    let refs: Vec<&Meta> = metas.iter().collect();
    let combiner = CombinerConfig::learn(&z, &refs, hyper.combiner_bins.max(2), hyper.combiner_min_count.max(1));
    let m = combiner.dim();
    let enc = combiner.encoder();
    let mut phi = Vec::with_capacity(subset.len() * m);
    for (j, meta) in metas.iter().enumerate() {
        enc.encode_into(z[j], meta, &mut phi);
    }
    let (w, b, v) = fit_dense(d, subset, phi, m, prior, hyper)?;
    Ok(StackedFit { stage1, combiner, w, b, v, memory })
}

/// Fits a head of the shape its design asks for.
pub(crate) fn fit_head(
    d: &Design,
    subset: &[usize],
    groups: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<HeadFit> {
    match text_dim {
        Some(dim) if !d.metas.is_empty() => {
            Ok(HeadFit::Stacked(fit_stacked(d, subset, groups, dim, prior, hyper, seed)?))
        }
        _ => Ok(HeadFit::Plain(fit_averaged(d, subset, groups, text_dim, prior, hyper, seed)?)),
    }
}

/// What [`out_of_fold`] returns.
pub(crate) struct OutOfFold {
    /// Each example's raw logit from the fold that held it out, as (text part, indicator part).
    pub logits: Vec<(f32, f32)>,
}

/// Out-of-fold raw logits for every example.
pub(crate) fn out_of_fold(
    d: &Design,
    groups: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    folds: usize,
    seed: u64,
) -> Result<OutOfFold> {
    let n = d.rows.len();
    let fold = grouped_folds(groups, &d.positive, folds, seed);
    let mut oof = vec![(0f32, 0f32); n];
    for f in 0..folds {
        let train: Vec<usize> = (0..n).filter(|&i| fold[i] != f).collect();
        let test: Vec<usize> = (0..n).filter(|&i| fold[i] == f).collect();
        if test.is_empty() || train.is_empty() {
            continue;
        }
        let fitted = fit_head(d, &train, groups, text_dim, prior, hyper, seed.wrapping_add(f as u64 + 1))?;
        for (&i, z) in test.iter().zip(fitted.logits(d, &test)) {
            oof[i] = z;
        }
    }
    Ok(OutOfFold { logits: oof })
}

/// Fits `p = σ(a·z + c + offset)` by Newton's method on the log-loss (with a tiny ridge for
/// stability). The offset carries the indicator part of the logit, whose weights are already on the
/// log-odds scale of their evidence and are not rescaled.
pub fn platt(z: &[f64], offset: &[f64], y: &[f64]) -> (f64, f64) {
    let (mut a, mut c) = (1.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gc, mut haa, mut hac, mut hcc) = (1e-6 * (a - 1.0), 1e-6 * c, 1e-6, 0.0, 1e-6);
        for ((zi, oi), yi) in z.iter().zip(offset).zip(y) {
            let p = 1.0 / (1.0 + (-(a * zi + c + oi)).exp());
            let r = p - yi;
            let w = (p * (1.0 - p)).max(1e-12);
            ga += r * zi;
            gc += r;
            haa += w * zi * zi;
            hac += w * zi;
            hcc += w;
        }
        let det = haa * hcc - hac * hac;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hcc * ga - hac * gc) / det;
        let dc = (haa * gc - hac * ga) / det;
        a -= da;
        c -= dc;
        if da.abs() < 1e-10 && dc.abs() < 1e-10 {
            break;
        }
    }
    (a, c)
}

pub(crate) fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

/// Calibrates out-of-fold logits and picks thresholds; returns (slope, intercept, threshold,
/// suspicious threshold, metrics).
#[allow(clippy::too_many_arguments)]
pub(crate) fn calibrate_and_score(
    oof: &[(f32, f32)],
    ex: &[Example],
    files: &[PathBuf],
    train_prior: f64,
    target_prior: f64,
    min_precision: f64,
    suspicious_recall: f64,
) -> (f64, f64, f64, f64, CvMetrics) {
    let z: Vec<f64> = oof.iter().map(|v| f64::from(v.0)).collect();
    let off: Vec<f64> = oof.iter().map(|v| f64::from(v.1)).collect();
    let y: Vec<f64> = ex.iter().map(|e| f64::from(e.target)).collect();
    let pos: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let (a, c) = platt(&z, &off, &y);
    let shift = logit(target_prior) - logit(train_prior);
    let p: Vec<f64> = z.iter().zip(&off).map(|(zi, oi)| 1.0 / (1.0 + (-(a * zi + c + oi + shift)).exp())).collect();
    let threshold =
        metrics::threshold_for_precision_at_prevalence(&p, &pos, target_prior, min_precision).unwrap_or(0.5);
    // "Suspicious" keeps most positives but never starts below three times the base rate, so that an
    // ordinary ad is not called suspicious for being a little above average.
    let suspicious = metrics::threshold_for_recall(&p, &pos, suspicious_recall)
        .unwrap_or(threshold)
        .max(3.0 * target_prior)
        .min(threshold);
    let conf = Confusion::at(&p, &pos, threshold);
    let by_file = if files.len() > 1 {
        files
            .iter()
            .enumerate()
            .map(|(fi, path)| {
                let idx: Vec<usize> = (0..ex.len()).filter(|&i| ex[i].file == fi).collect();
                let ps: Vec<f64> = idx.iter().map(|&i| p[i]).collect();
                let ys: Vec<bool> = idx.iter().map(|&i| pos[i]).collect();
                let c = Confusion::at(&ps, &ys, threshold);
                FileMetrics {
                    file: path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                    n: idx.len(),
                    positives: ys.iter().filter(|x| **x).count(),
                    roc_auc: metrics::roc_auc(&ps, &ys),
                    fpr: c.fpr(),
                    recall: c.recall(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let m = CvMetrics {
        n: ex.len(),
        positives: pos.iter().filter(|x| **x).count(),
        roc_auc: metrics::roc_auc(&p, &pos),
        pr_auc: metrics::average_precision(&p, &pos),
        threshold,
        precision: conf.precision(),
        recall: conf.recall(),
        f1: conf.f1(),
        precision_at_prevalence: conf.precision_at_prevalence(target_prior),
        by_file,
    };
    (a, c, threshold, suspicious, m)
}

/// The heads a task trains, with whether each reads text features.
fn heads_for(task: Task, ex: &[Example], text_features: Option<bool>) -> Vec<(&'static str, bool)> {
    match task {
        Task::JobFraud => vec![(HEAD_FIELDS, true), (HEAD_TEXT, true)],
        Task::Escort => vec![(HEAD_TEXT, text_features.unwrap_or(ex.len() >= 500))],
    }
}

fn validate(opts: &TrainOptions) -> Result<()> {
    if opts.folds < 2 {
        return Err(Error::Options(format!("folds must be at least 2, got {}", opts.folds)));
    }
    if !(0.0..=1.0).contains(&opts.min_precision) || !(0.0..=1.0).contains(&opts.suspicious_recall) {
        return Err(Error::Options("min_precision and suspicious_recall must be in [0, 1]".into()));
    }
    if let Some(p) = opts.target_prior
        && !(p > 0.0 && p < 1.0)
    {
        return Err(Error::Options(format!("target prior must be in (0, 1), got {p}")));
    }
    if opts.hyper.hash_bits == 0 || opts.hyper.hash_bits > 24 {
        return Err(Error::Options(format!("hash_bits must be in 1..=24, got {}", opts.hyper.hash_bits)));
    }
    Ok(())
}

/// Trains a model and writes it to `opts.out`.
pub fn train(opts: &TrainOptions) -> Result<TrainReport> {
    validate(opts)?;
    let start = Instant::now();
    let cat = Catalogue::bundled()?;
    let files: Vec<PathBuf> = std::iter::once(opts.data.clone()).chain(opts.extra_data.iter().cloned()).collect();
    let ex = load_examples(opts.task, &files)?;
    let positives = ex.iter().filter(|e| e.positive).count();
    if positives == 0 || positives == ex.len() {
        return Err(Error::Dataset {
            path: opts.data.clone(),
            message: format!("training needs both classes; found {positives} positive of {}", ex.len()),
        });
    }
    let groups = example_groups(opts.task, &ex, opts.grouping);
    let n_groups = {
        let mut g = groups.clone();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    if n_groups < opts.folds {
        return Err(Error::Dataset {
            path: opts.data.clone(),
            message: format!("{n_groups} distinct ads are too few for {} folds", opts.folds),
        });
    }
    let train_prior = ex.iter().map(|e| f64::from(e.target)).sum::<f64>() / ex.len() as f64;
    let target_prior = opts.target_prior.unwrap_or(match opts.task {
        Task::JobFraud => EMSCAD_PREVALENCE,
        Task::Escort => train_prior,
    });
    let kind = opts.task.kind();
    let feat = FeatureConfig { hash_bits: opts.hyper.hash_bits, ngram_max: opts.hyper.ngram_max };
    let prior: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let mut head_cfgs = BTreeMap::new();
    let mut params = BTreeMap::new();
    let mut reports = Vec::new();
    for (head, text) in heads_for(opts.task, &ex, opts.text_features) {
        let d = design(&cat, kind, head, feat, text, opts.hyper.stacked, &ex);
        let dim = text.then(|| feat.dim());
        let oof = out_of_fold(&d, &groups, dim, &prior, &opts.hyper, opts.folds, opts.seed)?.logits;
        let (a, c, threshold, suspicious, cv) = calibrate_and_score(
            &oof,
            &ex,
            &files,
            train_prior,
            target_prior,
            opts.min_precision,
            opts.suspicious_recall,
        );
        let all: Vec<usize> = (0..ex.len()).collect();
        let fitted = fit_head(&d, &all, &groups, dim, &prior, &opts.hyper, opts.seed)?;
        let final_epochs = fitted.epochs();
        let (hp, combiner) = match fitted {
            HeadFit::Plain(f) => (
                HeadParams {
                    text_weight: f.w,
                    indicator_weight: f.v,
                    bias: f.b,
                    slope: a as f32,
                    intercept: c as f32,
                    combiner_weight: None,
                    combiner_bias: 0.0,
                    memory: None,
                },
                None,
            ),
            HeadFit::Stacked(s) => (
                HeadParams {
                    text_weight: s.stage1.w,
                    indicator_weight: s.v,
                    bias: s.stage1.b,
                    slope: a as f32,
                    intercept: c as f32,
                    combiner_weight: Some(s.w),
                    combiner_bias: s.b,
                    memory: s.memory.map(|m| *m),
                },
                Some(s.combiner),
            ),
        };
        head_cfgs.insert(
            head.to_string(),
            HeadConfig { text_features: text, threshold, suspicious_threshold: suspicious, combiner },
        );
        params.insert(head.to_string(), hp);
        reports.push(HeadReport {
            head: head.to_string(),
            text_features: text,
            epochs: final_epochs,
            slope: a,
            intercept: c,
            threshold,
            suspicious_threshold: suspicious,
            cv,
        });
    }
    let training = serde_json::json!({
        "data": files.iter().enumerate().map(|(fi, p)| serde_json::json!({
            "file": p.file_name().map(|f| f.to_string_lossy().into_owned()),
            "rows": ex.iter().filter(|e| e.file == fi).count(),
            "positives": ex.iter().filter(|e| e.file == fi && e.positive).count(),
        })).collect::<Vec<_>>(),
        "grouping": opts.grouping,
        "near_duplicate_groups": n_groups,
        "folds": opts.folds,
        "seed": opts.seed,
        "hyper": opts.hyper,
        "min_precision": opts.min_precision,
        "suspicious_recall": opts.suspicious_recall,
        "cross_validation": reports.iter().map(|r| (r.head.clone(), serde_json::to_value(&r.cv).expect("metrics serialise"))).collect::<BTreeMap<_, _>>(),
        "command": opts.command,
    });
    let config = ModelConfig {
        format: crate::model::FORMAT,
        name: opts.task.as_str().to_string(),
        version: opts.version.clone(),
        kind,
        features: feat,
        indicator_ids: cat.of_kind(kind).map(|(_, i)| i.id.clone()).collect(),
        train_prior,
        target_prior,
        heads: head_cfgs,
        training,
    };
    let model = Model::from_params(config, &params, &cat)?;
    model.save(&opts.out, &cat)?;
    Ok(TrainReport {
        task: opts.task,
        out: opts.out.clone(),
        n: ex.len(),
        positives,
        groups: n_groups,
        train_prior,
        target_prior,
        heads: reports,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// A model that scores by the catalogue's prior indicator weights alone: the shipped escort model
/// (no public labelled data exists), or a starting point for a kind without training data.
pub fn prior_model(cat: &Arc<Catalogue>, task: Task) -> Result<Model> {
    let kind = task.kind();
    let base = match task {
        Task::Escort => ESCORT_BASE_RATE,
        Task::JobFraud => EMSCAD_PREVALENCE,
    };
    let ids: Vec<String> = cat.of_kind(kind).map(|(_, i)| i.id.clone()).collect();
    let weights: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let mut heads = BTreeMap::new();
    heads.insert(
        HEAD_TEXT.to_string(),
        HeadConfig { text_features: false, threshold: 0.5, suspicious_threshold: 0.25, combiner: None },
    );
    let mut params = BTreeMap::new();
    params.insert(
        HEAD_TEXT.to_string(),
        HeadParams {
            text_weight: None,
            indicator_weight: weights,
            bias: logit(base) as f32,
            slope: 1.0,
            intercept: 0.0,
            combiner_weight: None,
            combiner_bias: 0.0,
            memory: None,
        },
    );
    let config = ModelConfig {
        format: crate::model::FORMAT,
        name: task.as_str().to_string(),
        version: "prior-1".into(),
        kind,
        features: FeatureConfig::default(),
        indicator_ids: ids,
        train_prior: base,
        target_prior: base,
        heads,
        training: serde_json::json!({
            "method": "evidence-weighted indicators: catalogue prior weights, no training data",
            "base_rate": base,
        }),
    };
    Model::from_params(config, &params, cat)
}

/// Writes [`prior_model`] to a directory.
pub fn write_prior_model(task: Task, out: &Path) -> Result<()> {
    let cat = Catalogue::bundled()?;
    prior_model(&cat, task)?.save(out, &cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_keep_groups_together_and_balance_labels() {
        let groups = vec![0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
        let positive = vec![true, true, false, true, false, true, false, true, false, true, false, false];
        let f = grouped_folds(&groups, &positive, 3, 7);
        assert_eq!(f[0], f[1]);
        assert_eq!(f[10], f[11]);
        for k in 0..3 {
            let pos = (0..12).filter(|&i| f[i] == k && positive[i]).count();
            assert!((1..=3).contains(&pos), "fold {k} has {pos} positives");
        }
        assert_eq!(f, grouped_folds(&groups, &positive, 3, 7), "deterministic");
    }

    #[test]
    fn platt_recovers_a_known_scaling() {
        // Labels drawn deterministically from p = σ(2z − 1).
        let mut z = Vec::new();
        let mut y = Vec::new();
        let mut rng = Rng::new(1);
        for i in 0..4000 {
            let zi = (i as f64 / 4000.0) * 6.0 - 3.0;
            let p = 1.0 / (1.0 + (-(2.0 * zi - 1.0)).exp());
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            z.push(zi);
            y.push(if u < p { 1.0 } else { 0.0 });
        }
        let (a, c) = platt(&z, &vec![0.0; z.len()], &y);
        assert!((a - 2.0).abs() < 0.25, "slope {a}");
        assert!((c + 1.0).abs() < 0.25, "intercept {c}");
    }

    #[test]
    fn task_names_parse() {
        assert_eq!("job-fraud".parse::<Task>().unwrap(), Task::JobFraud);
        assert_eq!("escort".parse::<Task>().unwrap(), Task::Escort);
        assert!("cars".parse::<Task>().is_err());
    }
}
