//! What training and cross-validation report: per-head figures from out-of-fold scores.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::options::Task;

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
    /// In nested cross-validation, the threshold chosen for each outer fold without its ads (then
    /// `threshold` is their mean); empty when the threshold was chosen on the reported scores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fold_thresholds: Vec<f64>,
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
