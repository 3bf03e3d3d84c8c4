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
//!
//! A job model has three heads, each trained on the ads as its users have them: `fields` (stacked)
//! on the whole EMSCAD record, `crawl` (stacked) on what a crawl of the page delivers (title,
//! posting, employer, city, pay), and `text` (plain hashed n-grams) on title and posting, for pasted
//! text. Parallel job sets (`.jsonl` extra data) add training-only examples to the `crawl` and
//! `text` heads (see `design`). Cross-validation (`crate::eval::cross_validate`) chooses each outer
//! fold's calibration and thresholds by an inner cross-validation of the other folds (nested).
//!
//! Modules by concern: `options` (task, hyper-parameters), `design` (examples and what each head
//! reads of them), `folds` (grouped folds, out-of-fold scores), `fit` (the fitters), `calibrate`
//! (Platt scaling, thresholds, figures) and `report`.

mod calibrate;
mod design;
mod fit;
mod folds;
mod options;
mod report;

pub use calibrate::platt;
pub(crate) use calibrate::{Calibration, calibrate_and_score, figures, logit};
pub(crate) use design::{Design, Example, design, example_groups, is_parallel_set, load_examples, reported};
pub(crate) use fit::{HeadFit, fit_head};
pub use folds::grouped_folds;
pub(crate) use folds::{out_of_fold, out_of_fold_within};
pub use options::{EMSCAD_PREVALENCE, ESCORT_BASE_RATE, Hyper, Task, TrainOptions};
pub use report::{CvMetrics, FileMetrics, HeadReport, TrainReport};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::features::FeatureConfig;
use crate::model::{HEAD_CRAWL, HEAD_FIELDS, HEAD_TEXT, HeadConfig, HeadParams, Model, ModelConfig};

/// The heads a task trains, with whether each reads text features.
pub(crate) fn heads_for(task: Task, ex: &[Example], text_features: Option<bool>) -> Vec<(&'static str, bool)> {
    match task {
        Task::JobFraud => vec![(HEAD_FIELDS, true), (HEAD_CRAWL, true), (HEAD_TEXT, true)],
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
    let known: Vec<&str> = heads_for(opts.task, &[], None).into_iter().map(|(h, _)| h).collect();
    if let Some(h) = opts.heads.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(Error::Options(format!("{} has no head {h:?} (its heads: {})", opts.task, known.join(", "))));
    }
    // Every model has a `text` head (it scores what no other head is for), so a head trained alone
    // is trained beside it.
    if !opts.heads.is_empty() && !opts.heads.iter().any(|h| h == HEAD_TEXT) {
        return Err(Error::Options(format!(
            "a model needs a \"{HEAD_TEXT}\" head: train {} together with it",
            opts.heads.join(", ")
        )));
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
    let main = reported(&ex);
    let positives = ex[..main].iter().filter(|e| e.positive).count();
    if positives == 0 || positives == main {
        return Err(Error::Dataset {
            path: opts.data.clone(),
            message: format!("training needs both classes; found {positives} positive of {main}"),
        });
    }
    let groups = example_groups(opts.task, &ex, opts.grouping);
    // Groups of the reported examples (training-only ones are never split off for a figure).
    let n_groups = {
        let mut g = groups[..main].to_vec();
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
    let train_prior = ex[..main].iter().map(|e| f64::from(e.target)).sum::<f64>() / main as f64;
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
    let trained = |h: &str| opts.heads.is_empty() || opts.heads.iter().any(|x| x == h);
    for (head, text) in heads_for(opts.task, &ex, opts.text_features) {
        if !trained(head) {
            continue;
        }
        let d = design(&cat, kind, head, feat, text, opts.hyper.stacked, &ex, &groups);
        let dim = text.then(|| feat.dim());
        let oof = out_of_fold(&d, dim, &prior, &opts.hyper, opts.folds, opts.seed)?;
        let (cal, cv) = calibrate_and_score(
            &oof,
            &ex[..main],
            &files,
            train_prior,
            target_prior,
            opts.min_precision,
            opts.suspicious_recall,
        );
        let all: Vec<usize> = (0..d.rows.len()).collect();
        let fitted = fit_head(&d, &all, dim, &prior, &opts.hyper, opts.seed)?;
        let final_epochs = fitted.epochs();
        let (hp, combiner) = match fitted {
            HeadFit::Plain(f) => (
                HeadParams {
                    text_weight: f.w,
                    indicator_weight: f.v,
                    bias: f.b,
                    slope: cal.slope as f32,
                    intercept: cal.intercept as f32,
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
                    slope: cal.slope as f32,
                    intercept: cal.intercept as f32,
                    combiner_weight: Some(s.w),
                    combiner_bias: s.b,
                    memory: s.memory.map(|m| *m),
                },
                Some(s.combiner),
            ),
        };
        head_cfgs.insert(
            head.to_string(),
            HeadConfig {
                text_features: text,
                threshold: cal.threshold,
                suspicious_threshold: cal.suspicious,
                combiner,
                residual_bits: None,
            },
        );
        params.insert(head.to_string(), hp);
        reports.push(HeadReport {
            head: head.to_string(),
            text_features: text,
            epochs: final_epochs,
            slope: cal.slope,
            intercept: cal.intercept,
            threshold: cal.threshold,
            suspicious_threshold: cal.suspicious,
            cv,
        });
    }
    let training = serde_json::json!({
        "data": files.iter().enumerate().map(|(fi, p)| serde_json::json!({
            "file": p.file_name().map(|f| f.to_string_lossy().into_owned()),
            "rows": ex.iter().filter(|e| e.file == fi).count(),
            "training_only": ex.iter().any(|e| e.file == fi && e.train_only()),
            // For a training-only file, the examples each trained head learned from (examples, not
            // ads: a parallel ad is five pasted examples and one crawled one).
            "trains": ex.iter().filter(|e| e.file == fi).filter_map(|e| e.only_head).filter(|h| trained(h)).fold(
                BTreeMap::<&str, usize>::new(),
                |mut m, h| {
                    *m.entry(h).or_default() += 1;
                    m
                },
            ),
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
        n: main,
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
        HeadConfig {
            text_features: false,
            threshold: 0.5,
            suspicious_threshold: 0.25,
            combiner: None,
            residual_bits: None,
        },
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
    use super::folds::Rng;
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
