//! Calibration on out-of-fold scores (Platt scaling, prior shift, verdict thresholds) and the
//! figures of calibrated scores.

use std::path::PathBuf;

use super::design::Example;
use super::report::{CvMetrics, FileMetrics};
use crate::metrics::{self, Confusion};

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

/// What is fitted on out-of-fold scores: Platt scaling of the non-indicator part of the logit, the
/// shift from the training mix to the target prior, and the two verdict thresholds on the resulting
/// probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Calibration {
    pub slope: f64,
    pub intercept: f64,
    /// `logit(target prior) − logit(training prior)`.
    pub shift: f64,
    pub threshold: f64,
    pub suspicious: f64,
}

impl Calibration {
    /// Fits the calibration on out-of-fold logits `oof` of examples with targets `y` and labels `pos`.
    pub(crate) fn fit(
        oof: &[(f32, f32)],
        y: &[f64],
        pos: &[bool],
        train_prior: f64,
        target_prior: f64,
        min_precision: f64,
        suspicious_recall: f64,
    ) -> Calibration {
        let z: Vec<f64> = oof.iter().map(|v| f64::from(v.0)).collect();
        let off: Vec<f64> = oof.iter().map(|v| f64::from(v.1)).collect();
        let (slope, intercept) = platt(&z, &off, y);
        let mut cal = Calibration {
            slope,
            intercept,
            shift: logit(target_prior) - logit(train_prior),
            threshold: 0.5,
            suspicious: 0.5,
        };
        let p: Vec<f64> = oof.iter().map(|&v| cal.probability(v)).collect();
        cal.threshold =
            metrics::threshold_for_precision_at_prevalence(&p, pos, target_prior, min_precision).unwrap_or(0.5);
        // "Suspicious" keeps most positives but never starts below three times the base rate, so that an
        // ordinary ad is not called suspicious for being a little above average.
        cal.suspicious = metrics::threshold_for_recall(&p, pos, suspicious_recall)
            .unwrap_or(cal.threshold)
            .max(3.0 * target_prior)
            .min(cal.threshold);
        cal
    }

    /// The calibrated probability of a raw logit (text or combiner part, indicator part).
    pub(crate) fn probability(&self, z: (f32, f32)) -> f64 {
        let v = self.slope * f64::from(z.0) + self.intercept + f64::from(z.1) + self.shift;
        1.0 / (1.0 + (-v).exp())
    }
}

/// Figures of calibrated probabilities `p`, each ad decided against its own threshold (`margin` =
/// probability − threshold, so that in nested cross-validation every ad meets the threshold chosen
/// without it); `threshold` is the one reported.
pub(crate) fn figures(
    p: &[f64],
    margin: &[f64],
    threshold: f64,
    ex: &[Example],
    files: &[PathBuf],
    target_prior: f64,
) -> CvMetrics {
    let pos: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let conf = Confusion::at(margin, &pos, 0.0);
    let by_file = if files.len() > 1 {
        files
            .iter()
            .enumerate()
            .filter(|(fi, _)| ex.iter().any(|e| e.file == *fi))
            .map(|(fi, path)| {
                let idx: Vec<usize> = (0..ex.len()).filter(|&i| ex[i].file == fi).collect();
                let ps: Vec<f64> = idx.iter().map(|&i| p[i]).collect();
                let ms: Vec<f64> = idx.iter().map(|&i| margin[i]).collect();
                let ys: Vec<bool> = idx.iter().map(|&i| pos[i]).collect();
                let c = Confusion::at(&ms, &ys, 0.0);
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
    CvMetrics {
        n: ex.len(),
        positives: pos.iter().filter(|x| **x).count(),
        roc_auc: metrics::roc_auc(p, &pos),
        pr_auc: metrics::average_precision(p, &pos),
        threshold,
        precision: conf.precision(),
        recall: conf.recall(),
        f1: conf.f1(),
        precision_at_prevalence: conf.precision_at_prevalence(target_prior),
        fold_thresholds: Vec::new(),
        by_file,
    }
}

/// Calibrates out-of-fold logits and picks thresholds on them, and scores the same logits with
/// that calibration (what training reports; cross-validation reports the nested figures instead).
pub(crate) fn calibrate_and_score(
    oof: &[(f32, f32)],
    ex: &[Example],
    files: &[PathBuf],
    train_prior: f64,
    target_prior: f64,
    min_precision: f64,
    suspicious_recall: f64,
) -> (Calibration, CvMetrics) {
    let y: Vec<f64> = ex.iter().map(|e| f64::from(e.target)).collect();
    let pos: Vec<bool> = ex.iter().map(|e| e.positive).collect();
    let cal = Calibration::fit(oof, &y, &pos, train_prior, target_prior, min_precision, suspicious_recall);
    let p: Vec<f64> = oof.iter().map(|&v| cal.probability(v)).collect();
    let margin: Vec<f64> = p.iter().map(|p| p - cal.threshold).collect();
    let m = figures(&p, &margin, cal.threshold, ex, files, target_prior);
    (cal, m)
}
