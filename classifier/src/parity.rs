//! Fitting the job `text` head's per-language residuals ([`crate::residual`]) on parallel job sets
//! (`data/blind/*/jobs-parallel.jsonl`, every ad in five languages), and estimating what they do to
//! ads they were not fitted on by leaving one set out at a time.
//!
//! Every version of every ad is scored as pasted into the check, without residuals. For a translation
//! the target is its English version's shown log-odds minus its own, divided by the head's Platt
//! slope (the residual is added to the text logit, before calibration): the residual learns what
//! moves a translation away from its original, whether the text part or indicators that fire in one
//! version and not the other.

use redflag_core::assess::risk_from_probability;
use redflag_core::{AdKind, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::blind::{self, LANGUAGES};
use crate::classifier::{AdInput, Classifier};
use crate::error::{Error, Result};
use crate::metrics;
use crate::model::{HEAD_TEXT, Model};
use crate::residual::{self, Residual};

/// One ad of a parallel set, scored without residuals.
struct Scored {
    /// Which set (file) it came from.
    set: usize,
    scam: bool,
    /// Per language (in [`LANGUAGES`] order): the shown log-odds and the residual's row (empty for
    /// English, which gets no residual).
    versions: Vec<(f64, Vec<u32>)>,
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-7, 1.0 - 1e-7);
    (p / (1.0 - p)).ln()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Scores every version of every ad of `paths` with `c`, whose job `text` head must have no
/// residuals (they are what is being fitted).
fn score_sets(c: &Classifier, paths: &[PathBuf], bits: u32) -> Result<Vec<Scored>> {
    let model = c.model(AdKind::Job);
    if !model.head(HEAD_TEXT).residuals.is_empty() {
        return Err(Error::Options(
            "residuals are fitted on scores without residuals: load the job model without them".into(),
        ));
    }
    let cfg = model.config.features;
    let mut out = Vec::new();
    for (set, path) in paths.iter().enumerate() {
        let ads = blind::read_parallel_jobs(path)?;
        let mut versions: Vec<Vec<(f64, Vec<u32>)>> = vec![Vec::new(); ads.len()];
        for lang in LANGUAGES {
            let owned: Vec<(String, String)> = ads.iter().map(|a| blind::pasted(&a.texts[lang])).collect();
            let inputs: Vec<AdInput<'_>> =
                owned.iter().map(|(t, b)| AdInput::new(t, b).with_kind(AdKind::Job)).collect();
            for ((v, a), (t, b)) in versions.iter_mut().zip(c.assess_batch(&inputs)).zip(&owned) {
                // English versions are the targets; only translations get a residual row.
                let row = if lang == "en" { Vec::new() } else { residual::row(cfg, bits, t, b) };
                v.push((logit(f64::from(a.probability)), row));
            }
        }
        out.extend(ads.iter().zip(versions).map(|(a, versions)| Scored { set, scam: a.label == "scam", versions }));
    }
    Ok(out)
}

/// Fits one residual per language other than English on `ads`.
fn fit_on(model: &Model, ads: &[&Scored], bits: u32, lambda: f64) -> Result<BTreeMap<String, Residual>> {
    let slope = f64::from(model.head(HEAD_TEXT).slope);
    let mut out = BTreeMap::new();
    for (li, lang) in LANGUAGES.iter().enumerate().skip(1) {
        let rows: Vec<Vec<u32>> = ads.iter().map(|a| a.versions[li].1.clone()).collect();
        let targets: Vec<f64> = ads.iter().map(|a| (a.versions[0].0 - a.versions[li].0) / slope).collect();
        out.insert(lang.to_string(), residual::fit(bits, &rows, &targets, lambda)?);
    }
    Ok(out)
}

/// Fits the residuals of every language other than English on the parallel sets `paths`, with `c`
/// scoring without residuals.
pub fn fit_residuals(c: &Classifier, paths: &[PathBuf], bits: u32, lambda: f64) -> Result<BTreeMap<String, Residual>> {
    let scored = score_sets(c, paths, bits)?;
    let all: Vec<&Scored> = scored.iter().collect();
    fit_on(c.model(AdKind::Job), &all, bits, lambda)
}

/// Leave-one-set-out estimates of what residuals fitted with each penalty in `lambdas` do on sets
/// they were not fitted on, beside no residual at all: per language the ROC-AUC, the share of ads in
/// their English version's verdict band and the mean absolute risk gap to English. Returns the
/// rendered table.
pub fn cross_validate(c: &Classifier, paths: &[PathBuf], bits: u32, lambdas: &[f64]) -> Result<String> {
    if paths.len() < 2 {
        return Err(Error::Options("leaving one set out needs at least two sets".into()));
    }
    let scored = score_sets(c, paths, bits)?;
    let model = c.model(AdKind::Job);
    let head = model.head(HEAD_TEXT);
    let slope = f64::from(head.slope);
    let band = |p: f64| match Model::verdict(head, p as f32) {
        Verdict::LikelyLegitimate => 0,
        Verdict::Suspicious => 1,
        Verdict::LikelyFraudulent => 2,
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} ads in {} sets; residual tables of {bits} bits", scored.len(), paths.len());
    let mut settings: Vec<Option<f64>> = vec![None];
    settings.extend(lambdas.iter().copied().map(Some));
    for setting in settings {
        // Per ad and language, the shown log-odds with the residual of a fit that left its set out.
        let mut shown: Vec<Vec<f64>> = scored.iter().map(|a| a.versions.iter().map(|v| v.0).collect()).collect();
        if let Some(lambda) = setting {
            for held in 0..paths.len() {
                let train: Vec<&Scored> = scored.iter().filter(|a| a.set != held).collect();
                let fitted = fit_on(model, &train, bits, lambda)?;
                for (a, s) in scored.iter().zip(shown.iter_mut()).filter(|(a, _)| a.set == held) {
                    for (li, lang) in LANGUAGES.iter().enumerate().skip(1) {
                        s[li] += slope * f64::from(fitted[*lang].value(&a.versions[li].1));
                    }
                }
            }
        }
        let name = setting.map_or_else(|| "none".to_string(), |l| format!("lambda {l}"));
        let _ = write!(out, "{name:>14}:");
        let positive: Vec<bool> = scored.iter().map(|a| a.scam).collect();
        for (li, lang) in LANGUAGES.iter().enumerate() {
            let p: Vec<f64> = shown.iter().map(|s| sigmoid(s[li])).collect();
            let en: Vec<f64> = shown.iter().map(|s| sigmoid(s[0])).collect();
            let auc = metrics::roc_auc(&p, &positive);
            let n = p.len() as f64;
            let same = p.iter().zip(&en).filter(|(x, e)| band(**x) == band(**e)).count() as f64 / n;
            let gap = p
                .iter()
                .zip(&en)
                .map(|(x, e)| {
                    (f64::from(risk_from_probability(*x as f32)) - f64::from(risk_from_probability(*e as f32))).abs()
                })
                .sum::<f64>()
                / n;
            let _ = write!(out, "  {lang} auc {auc:.3} band {same:.2} gap {gap:4.1}");
        }
        out.push('\n');
    }
    Ok(out)
}
