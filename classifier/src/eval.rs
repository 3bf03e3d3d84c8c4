//! Evaluation of a trained model on labelled data, and grouped cross-validation of the training
//! recipe (the figures in the model cards).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use crate::catalogue::Catalogue;
use crate::classifier::{AdInput, Classifier};
use crate::data::{Grouping, JobRecord};
use crate::error::{Error, Result};
use crate::features::FeatureConfig;
use crate::metrics::{self, Confusion};
use crate::model::{HEAD_CRAWL, HEAD_FIELDS, HEAD_TEXT};
use crate::train::{self, CvMetrics, EMSCAD_PREVALENCE, Hyper, Task};
use redflag_core::AdFields;

/// Options for [`evaluate`].
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// What to evaluate.
    pub task: Task,
    /// Labelled data: EMSCAD-style CSV for `job-fraud`, JSON Lines for `escort`.
    pub data: PathBuf,
    /// A retrained model directory; `None` uses the bundled models.
    pub model_dir: Option<PathBuf>,
    /// How each job record is put to the classifier: as the record, as a crawl of its page would
    /// deliver it, or as pasted text.
    pub view: AdView,
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
            view: AdView::Record,
            predictions: None,
            prevalence: EMSCAD_PREVALENCE,
        }
    }
}

/// How a labelled job ad is put to the classifier in evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdView {
    /// The whole EMSCAD record (the `fields` head; only evaluation has such records).
    #[default]
    Record,
    /// As a crawl of the ad's page delivers it: title, the posting as body, and the company
    /// profile, location and salary as the site adapter's employer, city and pay fields (the `crawl`
    /// head, what crawled ads get).
    Crawled,
    /// As a job seeker pastes it into the check: title and all text as one body (the `text` head).
    Pasted,
}

impl AdView {
    /// The head that scores ads seen this way.
    pub fn head(self) -> &'static str {
        match self {
            AdView::Record => HEAD_FIELDS,
            AdView::Crawled => HEAD_CRAWL,
            AdView::Pasted => HEAD_TEXT,
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
    if opts.task == Task::JobFraud && train::is_parallel_set(&opts.data) {
        return Err(Error::Options(format!(
            "{} is a parallel job set: score it with `redflag eval --blind` (per language and path)",
            opts.data.display()
        )));
    }
    let ex = train::load_examples(opts.task, std::slice::from_ref(&opts.data))?;
    let kind = opts.task.kind();
    let view = if opts.task == Task::JobFraud { opts.view } else { AdView::Pasted };
    // Each ad is built exactly as its path in use builds it: a crawled ad from the fields a site
    // adapter would extract, a pasted ad from its title and whole text.
    let crawled: Vec<Option<AdFields>> = ex
        .iter()
        .map(|e| if view == AdView::Crawled { e.job.as_ref().map(JobRecord::crawled_fields) } else { None })
        .collect();
    let inputs: Vec<AdInput<'_>> = ex
        .iter()
        .zip(&crawled)
        .map(|(e, f)| match (view, f) {
            (AdView::Record, _) => {
                AdInput { kind: Some(kind), title: &e.title, body: &e.body, job: e.job.as_ref(), ..Default::default() }
            }
            (AdView::Crawled, Some(f)) => AdInput::from_fields(f).with_kind(kind),
            _ => AdInput::new(&e.title, &e.body).with_kind(kind),
        })
        .collect();
    let start = Instant::now();
    let assessed = c.assess_batch(&inputs);
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let scores: Vec<f64> = assessed.iter().map(|a| f64::from(a.probability)).collect();
    let positive: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let model = c.model(kind);
    let head = if model.has_head(view.head()) { view.head() } else { HEAD_TEXT };
    let threshold = model.config.heads.get(head).map(|h| h.threshold).unwrap_or(0.5);
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
    /// More labelled files scored and trained on alongside; for job fraud, `.jsonl` files are
    /// parallel job sets, trained on in every fit of their heads and never scored (see
    /// `train::Example::train_only`).
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
    /// Choose each outer fold's calibration and thresholds by an inner cross-validation of the
    /// other folds (nested; the default), rather than on the reported scores themselves.
    pub nested: bool,
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
            nested: true,
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
    /// Whether thresholds and calibration were chosen by nested cross-validation.
    #[serde(default)]
    pub nested: bool,
    /// Per head, the metrics of each seed's cross-validation.
    pub heads: BTreeMap<String, Vec<CvMetrics>>,
    /// With `nested`, per head and seed the figures of the same outer out-of-fold scores with the
    /// threshold chosen on them (what training reports): the gap to `heads` is the optimism of
    /// choosing a threshold on the scores it is judged on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub threshold_on_same_scores: BTreeMap<String, Vec<CvMetrics>>,
}

impl CvReport {
    /// One line per head and seed.
    pub fn render_text(&self) -> String {
        let mut s = format!(
            "grouped {}-fold cross-validation of {} ({} groups of {}; thresholds {})\n",
            self.folds,
            self.task,
            self.groups,
            self.grouping.as_str(),
            if self.nested { "by nested cross-validation" } else { "chosen on the reported scores" }
        );
        for (head, runs) in &self.heads {
            for (i, m) in runs.iter().enumerate() {
                s.push_str(&format!(
                    "{head:6} run {i}: n {} pos {} roc_auc {:.4} pr_auc {:.4} threshold {:.3} precision {:.3} recall {:.3} f1 {:.3} precision_at_prevalence {:.3}\n",
                    m.n, m.positives, m.roc_auc, m.pr_auc, m.threshold, m.precision, m.recall, m.f1, m.precision_at_prevalence
                ));
                if !m.fold_thresholds.is_empty() {
                    let t: Vec<String> = m.fold_thresholds.iter().map(|t| format!("{t:.3}")).collect();
                    s.push_str(&format!("         fold thresholds {}\n", t.join(" ")));
                }
                if let Some(same) = self.threshold_on_same_scores.get(head).and_then(|r| r.get(i)) {
                    s.push_str(&format!(
                        "         (threshold chosen on these scores: {:.3}, recall {:.3}, precision_at_prevalence {:.3})\n",
                        same.threshold, same.recall, same.precision_at_prevalence
                    ));
                }
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
    let all = train::load_examples(opts.task, &files)?;
    let groups = train::example_groups(opts.task, &all, opts.grouping);
    let ex = &all[..train::reported(&all)];
    let positive: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let fold = train::grouped_folds(&groups[..ex.len()], &positive, opts.folds, seed);
    let train_prior = ex.iter().map(|e| f64::from(e.target)).sum::<f64>() / ex.len() as f64;
    let kind = opts.task.kind();
    let feat = FeatureConfig { hash_bits: opts.hyper.hash_bits, ngram_max: opts.hyper.ngram_max };
    let prior: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let mut scores = BTreeMap::new();
    let mut thresholds = BTreeMap::new();
    for (head, text) in train::heads_for(opts.task, ex, None) {
        if !opts.heads.is_empty() && !opts.heads.iter().any(|h| h == head) {
            continue;
        }
        let d = train::design(&cat, kind, head, feat, text, opts.hyper.stacked, &all, &groups);
        let oof = train::out_of_fold(&d, text.then(|| feat.dim()), &prior, &opts.hyper, opts.folds, seed)?;
        let (cal, _) =
            train::calibrate_and_score(&oof, ex, &files, train_prior, opts.prevalence, opts.min_precision, 0.95);
        scores.insert(head.to_string(), oof.iter().map(|&z| cal.probability(z)).collect());
        thresholds.insert(head.to_string(), cal.threshold);
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

/// Grouped, stratified k-fold cross-validation of the training recipe. Every figure comes from
/// out-of-fold scores. With `opts.nested` (the default) the calibration and thresholds applied to
/// each outer fold are fitted, as training fits them, on an inner grouped cross-validation of the
/// other folds alone, so the reported precision and recall are those of a threshold chosen without
/// the ads they are measured on; otherwise the threshold is chosen on the reported scores themselves.
pub fn cross_validate(opts: &CvOptions) -> Result<CvReport> {
    if opts.folds < 2 || opts.seeds.is_empty() {
        return Err(Error::Options("cross-validation needs at least 2 folds and one seed".into()));
    }
    let cat = Catalogue::bundled()?;
    let files: Vec<PathBuf> = std::iter::once(opts.data.clone()).chain(opts.extra_data.iter().cloned()).collect();
    let all = train::load_examples(opts.task, &files)?;
    let groups = train::example_groups(opts.task, &all, opts.grouping);
    // Training-only examples (parallel job ads) join every fit of their one head and nothing else.
    let ex = &all[..train::reported(&all)];
    let n_groups = {
        let mut g = groups[..ex.len()].to_vec();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    let train_prior = ex.iter().map(|e| f64::from(e.target)).sum::<f64>() / ex.len() as f64;
    let kind = opts.task.kind();
    let feat = FeatureConfig { hash_bits: opts.hyper.hash_bits, ngram_max: opts.hyper.ngram_max };
    let prior: Vec<f32> = cat.of_kind(kind).map(|(_, i)| i.weight).collect();
    let mut heads = BTreeMap::new();
    let mut same_score = BTreeMap::new();
    for (head, text) in train::heads_for(opts.task, ex, None) {
        if !opts.heads.is_empty() && !opts.heads.iter().any(|h| h == head) {
            continue;
        }
        let d = train::design(&cat, kind, head, feat, text, opts.hyper.stacked, &all, &groups);
        let run = Run { d: &d, ex, files: &files, dim: text.then(|| feat.dim()), prior: &prior, opts, train_prior };
        let mut runs = Vec::new();
        let mut plain = Vec::new();
        for &seed in &opts.seeds {
            match run.seed(seed)? {
                (Some(nested), same) => {
                    runs.push(nested);
                    plain.push(same);
                }
                (None, same) => runs.push(same),
            }
        }
        heads.insert(head.to_string(), runs);
        if !plain.is_empty() {
            same_score.insert(head.to_string(), plain);
        }
    }
    Ok(CvReport {
        task: opts.task,
        folds: opts.folds,
        grouping: opts.grouping,
        groups: n_groups,
        nested: opts.nested,
        heads,
        threshold_on_same_scores: same_score,
    })
}

/// One head's cross-validation inputs.
struct Run<'a> {
    d: &'a train::Design,
    ex: &'a [train::Example],
    files: &'a [PathBuf],
    dim: Option<usize>,
    prior: &'a [f32],
    opts: &'a CvOptions,
    train_prior: f64,
}

impl Run<'_> {
    /// One seed's split: the nested figures (when asked for) and the figures with the threshold
    /// chosen on the out-of-fold scores themselves. Both come from the same outer fits.
    fn seed(&self, seed: u64) -> Result<(Option<CvMetrics>, CvMetrics)> {
        let (d, o) = (self.d, self.opts);
        let n = self.ex.len();
        let fold = train::grouped_folds(&d.groups[..n], &d.positive[..n], o.folds, seed);
        let mut oof = vec![(0f32, 0f32); n];
        let mut p = vec![0f64; n];
        let mut margin = vec![0f64; n];
        let mut thresholds = Vec::new();
        for f in 0..o.folds {
            let outer: Vec<usize> = (0..n).filter(|&i| fold[i] != f).collect();
            let test: Vec<usize> = (0..n).filter(|&i| fold[i] == f).collect();
            if test.is_empty() || outer.is_empty() {
                continue;
            }
            let fit_set: Vec<usize> = outer.iter().copied().chain(d.train_only()).collect();
            let fitted = train::fit_head(d, &fit_set, self.dim, self.prior, &o.hyper, seed.wrapping_add(f as u64 + 1))?;
            let z = fitted.logits(d, &test);
            for (&i, z) in test.iter().zip(&z) {
                oof[i] = *z;
            }
            if o.nested {
                // The calibration this fold's ads meet is fitted on the other folds alone, through an
                // inner cross-validation of them, exactly as training calibrates the shipped model.
                let inner_seed = seed ^ (0x00c0_ffee_u64.wrapping_mul(f as u64 + 1));
                let inner = train::out_of_fold_within(d, &outer, self.dim, self.prior, &o.hyper, o.folds, inner_seed)?;
                let y: Vec<f64> = outer.iter().map(|&i| f64::from(d.y[i])).collect();
                let pos: Vec<bool> = outer.iter().map(|&i| d.positive[i]).collect();
                let cal =
                    train::Calibration::fit(&inner, &y, &pos, self.train_prior, o.prevalence, o.min_precision, 0.95);
                for (&i, z) in test.iter().zip(&z) {
                    p[i] = cal.probability(*z);
                    margin[i] = p[i] - cal.threshold;
                }
                thresholds.push(cal.threshold);
            }
        }
        let (_, same) = train::calibrate_and_score(
            &oof,
            self.ex,
            self.files,
            self.train_prior,
            o.prevalence,
            o.min_precision,
            0.95,
        );
        let nested = o.nested.then(|| {
            let mean = thresholds.iter().sum::<f64>() / thresholds.len().max(1) as f64;
            let mut m = train::figures(&p, &margin, mean, self.ex, self.files, o.prevalence);
            m.fold_thresholds = thresholds;
            m
        });
        Ok((nested, same))
    }
}
