//! Evaluation of a trained model on labelled data, and grouped cross-validation of the training
//! recipe (the figures in the model cards).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use crate::catalogue::Catalogue;
use crate::classifier::{AdInput, Classifier};
use crate::data::Grouping;
use crate::error::{Error, Result};
use crate::features::FeatureConfig;
use crate::metrics::{self, Confusion};
use crate::model::{HEAD_FIELDS, HEAD_TEXT};
use crate::train::{self, CvMetrics, EMSCAD_PREVALENCE, Hyper, Task};

/// Options for [`evaluate`].
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// What to evaluate.
    pub task: Task,
    /// Labelled data: EMSCAD-style CSV for `job-fraud`, JSON Lines for `escort`.
    pub data: PathBuf,
    /// A retrained model directory; `None` uses the bundled models.
    pub model_dir: Option<PathBuf>,
    /// Score job ads by title and body only, as crawled ads are (ignores the EMSCAD columns).
    pub text_only: bool,
    /// Where to write one `id,score` line per ad (header `job_id,score`).
    pub predictions: Option<PathBuf>,
    /// The real share of positives, for `precision_at_prevalence`.
    pub prevalence: f64,
}

impl EvalOptions {
    /// Default options for a task and data file.
    pub fn new(task: Task, data: impl Into<PathBuf>) -> Self {
        Self {
            task,
            data: data.into(),
            model_dir: None,
            text_only: false,
            predictions: None,
            prevalence: EMSCAD_PREVALENCE,
        }
    }
}

/// The figures `redflag eval` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Ads evaluated.
    pub n: usize,
    /// Positives among them.
    pub positives: usize,
    /// ROC-AUC of the scores.
    pub roc_auc: f64,
    /// Average precision of the scores.
    pub pr_auc: f64,
    /// The model's operating threshold (set in training, not tuned here).
    pub threshold: f64,
    /// Precision at the threshold on this data's own mix.
    pub precision: f64,
    /// Recall at the threshold.
    pub recall: f64,
    /// F1 at the threshold.
    pub f1: f64,
    /// Precision at the threshold recomputed for the real prevalence from TPR and FPR.
    pub precision_at_prevalence: f64,
    /// Scoring throughput: ads per second through `assess_batch`, features included.
    pub ads_per_sec: f64,
}

impl EvalReport {
    /// `key value` lines for a terminal.
    pub fn render_text(&self) -> String {
        format!(
            "n {}\npositives {}\nroc_auc {:.4}\npr_auc {:.4}\nthreshold {:.4}\nprecision {:.4}\nrecall {:.4}\nf1 {:.4}\nprecision_at_prevalence {:.4}\nads_per_sec {:.0}\n",
            self.n,
            self.positives,
            self.roc_auc,
            self.pr_auc,
            self.threshold,
            self.precision,
            self.recall,
            self.f1,
            self.precision_at_prevalence,
            self.ads_per_sec
        )
    }
}

/// Evaluates a model (bundled, or from `opts.model_dir`) on labelled data.
pub fn evaluate(opts: &EvalOptions) -> Result<EvalReport> {
    let c = match &opts.model_dir {
        Some(d) => Classifier::from_dir(d)?,
        None => Classifier::bundled()?,
    };
    evaluate_with(&c, opts)
}

/// Evaluates the given classifier on labelled data.
pub fn evaluate_with(c: &Classifier, opts: &EvalOptions) -> Result<EvalReport> {
    if !(opts.prevalence > 0.0 && opts.prevalence < 1.0) {
        return Err(Error::Options(format!("prevalence must be in (0, 1), got {}", opts.prevalence)));
    }
    let ex = train::load_examples(opts.task, std::slice::from_ref(&opts.data))?;
    let kind = opts.task.kind();
    let use_fields = opts.task == Task::JobFraud && !opts.text_only && c.model(kind).has_head(HEAD_FIELDS);
    let inputs: Vec<AdInput<'_>> = ex
        .iter()
        .map(|e| AdInput {
            kind: Some(kind),
            title: &e.title,
            body: if use_fields { &e.body } else { &e.text_body },
            job: if use_fields { e.job.as_ref() } else { None },
            ..Default::default()
        })
        .collect();
    let start = Instant::now();
    let assessed = c.assess_batch(&inputs);
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let scores: Vec<f64> = assessed.iter().map(|a| f64::from(a.probability)).collect();
    let positive: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let head = if use_fields { HEAD_FIELDS } else { HEAD_TEXT };
    let threshold = c.model(kind).config.heads.get(head).map(|h| h.threshold).unwrap_or(0.5);
    if let Some(path) = &opts.predictions {
        write_predictions(
            path,
            &ex.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            &assessed.iter().map(|a| a.probability).collect::<Vec<_>>(),
        )?;
    }
    let conf = Confusion::at(&scores, &positive, threshold);
    Ok(EvalReport {
        n: ex.len(),
        positives: positive.iter().filter(|p| **p).count(),
        roc_auc: metrics::roc_auc(&scores, &positive),
        pr_auc: metrics::average_precision(&scores, &positive),
        threshold,
        precision: conf.precision(),
        recall: conf.recall(),
        f1: conf.f1(),
        precision_at_prevalence: conf.precision_at_prevalence(opts.prevalence),
        ads_per_sec: ex.len() as f64 / secs,
    })
}

fn write_predictions(path: &std::path::Path, ids: &[&str], scores: &[f32]) -> Result<()> {
    let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(f);
    let mut out = || -> std::io::Result<()> {
        writeln!(w, "job_id,score")?;
        for (id, s) in ids.iter().zip(scores) {
            let id =
                if id.contains([',', '"', '\n']) { format!("\"{}\"", id.replace('"', "\"\"")) } else { id.to_string() };
            writeln!(w, "{id},{s}")?;
        }
        w.flush()
    };
    out().map_err(|e| Error::io(path, e))
}

/// Options for [`cross_validate`].
#[derive(Debug, Clone)]
pub struct CvOptions {
    /// What to cross-validate.
    pub task: Task,
    /// The main labelled file.
    pub data: PathBuf,
    /// More labelled files scored and trained on alongside.
    pub extra_data: Vec<PathBuf>,
    /// Folds.
    pub folds: usize,
    /// One cross-validation per seed (different splits).
    pub seeds: Vec<u64>,
    /// Hyper-parameters.
    pub hyper: Hyper,
    /// Prevalence for precision at prevalence and threshold choice.
    pub prevalence: f64,
    /// The precision at prevalence the threshold must reach.
    pub min_precision: f64,
    /// Heads to evaluate (`fields`, `text`); empty = all the task trains.
    pub heads: Vec<String>,
    /// How copies of one ad are kept on one side of every split.
    pub grouping: Grouping,
}

impl CvOptions {
    /// Default options: 5 folds, three seeds.
    pub fn new(task: Task, data: impl Into<PathBuf>) -> Self {
        Self {
            task,
            data: data.into(),
            extra_data: Vec::new(),
            folds: 5,
            seeds: vec![20240, 1, 2],
            hyper: Hyper::default(),
            prevalence: EMSCAD_PREVALENCE,
            min_precision: 0.80,
            heads: Vec::new(),
            grouping: Grouping::default(),
        }
    }
}

/// Grouped cross-validation results: per head, one entry per seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CvReport {
    /// The task.
    pub task: Task,
    /// Folds.
    pub folds: usize,
    /// How copies of one ad were grouped.
    pub grouping: Grouping,
    /// Groups in the data.
    pub groups: usize,
    /// Per head, the metrics of each seed's cross-validation.
    pub heads: BTreeMap<String, Vec<CvMetrics>>,
}

impl CvReport {
    /// One line per head and seed.
    pub fn render_text(&self) -> String {
        let mut s = format!(
            "grouped {}-fold cross-validation of {} ({} groups of {})\n",
            self.folds,
            self.task,
            self.groups,
            self.grouping.as_str()
        );
        for (head, runs) in &self.heads {
            for (i, m) in runs.iter().enumerate() {
                s.push_str(&format!(
                    "{head:6} run {i}: n {} pos {} roc_auc {:.4} pr_auc {:.4} threshold {:.3} precision {:.3} recall {:.3} f1 {:.3} precision_at_prevalence {:.3}\n",
                    m.n, m.positives, m.roc_auc, m.pr_auc, m.threshold, m.precision, m.recall, m.f1, m.precision_at_prevalence
                ));
                for f in &m.by_file {
                    s.push_str(&format!(
                        "         {}: n {} pos {} roc_auc {:.4} fpr {:.4} recall {:.3}\n",
                        f.file, f.n, f.positives, f.roc_auc, f.fpr, f.recall
                    ));
                }
            }
        }
        s
    }
}

/// Out-of-fold predictions of one cross-validation run, so that other tools can be compared on the
/// very same split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OofPredictions {
    /// Each ad's id (`job_id`, or the JSON Lines `id`).
    pub ids: Vec<String>,
    /// Each ad's input file name.
    pub files: Vec<String>,
    /// Each ad's label.
    pub positive: Vec<bool>,
    /// Each ad's fold.
    pub fold: Vec<usize>,
    /// Per head, each ad's calibrated out-of-fold probability.
    pub scores: BTreeMap<String, Vec<f64>>,
    /// Per head, the operating threshold chosen on those scores.
    pub thresholds: BTreeMap<String, f64>,
}

/// Runs one cross-validation (the first seed of `opts`) and returns every ad's fold and out-of-fold
/// probability.
pub fn out_of_fold_predictions(opts: &CvOptions) -> Result<OofPredictions> {
    let seed = *opts.seeds.first().ok_or_else(|| Error::Options("no seed".into()))?;
    let cat = Catalogue::bundled()?;
    let files: Vec<PathBuf> = std::iter::once(opts.data.clone()).chain(opts.extra_data.iter().cloned()).collect();
    let ex = train::load_examples(opts.task, &files)?;
    let groups = train::example_groups(opts.task, &ex, opts.grouping);
    let positive: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let fold = train::grouped_folds(&groups, &positive, opts.folds, seed);
    let train_prior = ex.iter().map(|e| f64::from(e.target)).sum::<f64>() / ex.len() as f64;
    let kind = opts.task.kind();
    let feat = FeatureConfig { hash_bits: opts.hyper.hash_bits, ngram_max: opts.hyper.ngram_max };
    let prior: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let mut scores = BTreeMap::new();
    let mut thresholds = BTreeMap::new();
    for (head, text) in heads_of(opts.task, ex.len()) {
        if !opts.heads.is_empty() && !opts.heads.iter().any(|h| h == head) {
            continue;
        }
        let d = train::design(&cat, kind, head, feat, text, opts.hyper.stacked, &ex);
        let oof =
            train::out_of_fold(&d, &groups, text.then(|| feat.dim()), &prior, &opts.hyper, opts.folds, seed)?.logits;
        let (a, c, threshold, _, _) =
            train::calibrate_and_score(&oof, &ex, &files, train_prior, opts.prevalence, opts.min_precision, 0.95);
        let shift = train::logit(opts.prevalence) - train::logit(train_prior);
        let p = oof
            .iter()
            .map(|(z, ind)| 1.0 / (1.0 + (-(a * f64::from(*z) + c + f64::from(*ind) + shift)).exp()))
            .collect();
        scores.insert(head.to_string(), p);
        thresholds.insert(head.to_string(), threshold);
    }
    Ok(OofPredictions {
        ids: ex.iter().map(|e| e.id.clone()).collect(),
        files: ex
            .iter()
            .map(|e| files[e.file].file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default())
            .collect(),
        positive,
        fold,
        scores,
        thresholds,
    })
}

fn heads_of(task: Task, n: usize) -> Vec<(&'static str, bool)> {
    match task {
        Task::JobFraud => vec![(HEAD_FIELDS, true), (HEAD_TEXT, true)],
        Task::Escort => vec![(HEAD_TEXT, n >= 500)],
    }
}

/// Grouped, stratified k-fold cross-validation of the training recipe. Every figure comes from
/// out-of-fold scores; the threshold is chosen on those same scores, as training does.
pub fn cross_validate(opts: &CvOptions) -> Result<CvReport> {
    if opts.folds < 2 || opts.seeds.is_empty() {
        return Err(Error::Options("cross-validation needs at least 2 folds and one seed".into()));
    }
    let cat = Catalogue::bundled()?;
    let files: Vec<PathBuf> = std::iter::once(opts.data.clone()).chain(opts.extra_data.iter().cloned()).collect();
    let ex = train::load_examples(opts.task, &files)?;
    let groups = train::example_groups(opts.task, &ex, opts.grouping);
    let n_groups = {
        let mut g = groups.clone();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    let train_prior = ex.iter().map(|e| f64::from(e.target)).sum::<f64>() / ex.len() as f64;
    let kind = opts.task.kind();
    let feat = FeatureConfig { hash_bits: opts.hyper.hash_bits, ngram_max: opts.hyper.ngram_max };
    let prior: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let all_heads = heads_of(opts.task, ex.len());
    let mut heads = BTreeMap::new();
    for (head, text) in all_heads {
        if !opts.heads.is_empty() && !opts.heads.iter().any(|h| h == head) {
            continue;
        }
        let d = train::design(&cat, kind, head, feat, text, opts.hyper.stacked, &ex);
        let dim = text.then(|| feat.dim());
        let mut runs = Vec::new();
        for &seed in &opts.seeds {
            let oof = train::out_of_fold(&d, &groups, dim, &prior, &opts.hyper, opts.folds, seed)?.logits;
            let (_, _, _, _, m) =
                train::calibrate_and_score(&oof, &ex, &files, train_prior, opts.prevalence, opts.min_precision, 0.95);
            runs.push(m);
        }
        heads.insert(head.to_string(), runs);
    }
    Ok(CvReport { task: opts.task, folds: opts.folds, grouping: opts.grouping, groups: n_groups, heads })
}
