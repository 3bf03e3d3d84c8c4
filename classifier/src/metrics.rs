//! Ranking and threshold metrics: ROC-AUC, average precision, precision and recall at a threshold,
//! precision at a given prevalence, and choosing an operating threshold.
//!
//! A score `s` counts as a positive prediction when `s >= threshold`. Tied scores are handled as one
//! block everywhere, so results do not depend on input order.

use serde::{Deserialize, Serialize};

/// The counts of a confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confusion {
    /// Positives scored at or above the threshold.
    pub tp: usize,
    /// Negatives scored at or above the threshold.
    pub fp: usize,
    /// Negatives below the threshold.
    pub tn: usize,
    /// Positives below the threshold.
    pub fn_: usize,
}

impl Confusion {
    /// Counts predictions at `threshold`.
    pub fn at(scores: &[f64], positive: &[bool], threshold: f64) -> Confusion {
        let mut c = Confusion::default();
        for (s, p) in scores.iter().zip(positive) {
            match (*s >= threshold, *p) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    /// Precision on the data as given (0 when nothing is predicted positive).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall, the true-positive rate (0 when there are no positives).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// The false-positive rate (0 when there are no negatives).
    pub fn fpr(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }

    /// F1 score (0 when precision and recall are both 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// Precision recomputed for a population where a share `prevalence` is positive.
    pub fn precision_at_prevalence(&self, prevalence: f64) -> f64 {
        precision_at_prevalence(self.recall(), self.fpr(), prevalence)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Precision when a share `prevalence` of ads is positive, from the true- and false-positive rates:
/// `π·TPR / (π·TPR + (1−π)·FPR)`; 0 when nothing would be flagged.
pub fn precision_at_prevalence(tpr: f64, fpr: f64, prevalence: f64) -> f64 {
    let num = prevalence * tpr;
    let den = num + (1.0 - prevalence) * fpr;
    if den <= 0.0 { 0.0 } else { num / den }
}

/// Area under the ROC curve: the probability that a random positive scores above a random negative,
/// ties counting one half. 0.5 when one class is missing.
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> f64 {
    let n_pos = positive.iter().filter(|p| **p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return 0.5;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the (average, 1-based) ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if positive[k] {
                rank_sum += avg_rank;
            }
        }
        i = j + 1;
    }
    let u = rank_sum - (n_pos * (n_pos + 1)) as f64 / 2.0;
    u / (n_pos as f64 * n_neg as f64)
}

/// The distinct thresholds from high to low with the cumulative (tp, fp) at each.
fn curve(scores: &[f64], positive: &[bool]) -> Vec<(f64, usize, usize)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut out = Vec::new();
    let (mut tp, mut fp) = (0, 0);
    let mut i = 0;
    while i < order.len() {
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            if positive[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        out.push((s, tp, fp));
    }
    out
}

/// Average precision (area under the precision–recall curve as a step function):
/// `Σ (R_k − R_{k−1}) · P_k` over distinct thresholds. 0 when there are no positives.
pub fn average_precision(scores: &[f64], positive: &[bool]) -> f64 {
    let n_pos = positive.iter().filter(|p| **p).count();
    if n_pos == 0 {
        return 0.0;
    }
    let mut ap = 0.0;
    let mut last_recall = 0.0;
    for (_, tp, fp) in curve(scores, positive) {
        let recall = tp as f64 / n_pos as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - last_recall) * precision;
        last_recall = recall;
    }
    ap
}

/// The lowest threshold (so the highest recall) at which precision at `prevalence` is at least
/// `min_precision`; `None` when no threshold reaches it.
pub fn threshold_for_precision_at_prevalence(
    scores: &[f64],
    positive: &[bool],
    prevalence: f64,
    min_precision: f64,
) -> Option<f64> {
    let n_pos = positive.iter().filter(|p| **p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut best = None;
    for (s, tp, fp) in curve(scores, positive) {
        let p = precision_at_prevalence(tp as f64 / n_pos as f64, fp as f64 / n_neg as f64, prevalence);
        if p >= min_precision {
            best = Some(s);
        }
    }
    best
}

/// The highest threshold at which recall is at least `min_recall`; `None` without positives.
pub fn threshold_for_recall(scores: &[f64], positive: &[bool], min_recall: f64) -> Option<f64> {
    let n_pos = positive.iter().filter(|p| **p).count();
    if n_pos == 0 {
        return None;
    }
    curve(scores, positive).into_iter().find(|(_, tp, _)| *tp as f64 / n_pos as f64 >= min_recall).map(|(s, _, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: [f64; 6] = [0.9, 0.8, 0.7, 0.6, 0.55, 0.1];
    const Y: [bool; 6] = [true, false, true, true, false, false];

    #[test]
    fn roc_auc_matches_a_hand_count() {
        // Positive/negative pairs ranked right: 0.9 beats 3 negatives, 0.7 and 0.6 beat 2 each = 7 of 9.
        assert!((roc_auc(&S, &Y) - 7.0 / 9.0).abs() < 1e-12);
        // Ties count one half.
        assert!((roc_auc(&[0.5, 0.5], &[true, false]) - 0.5).abs() < 1e-12);
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), 0.5);
    }

    #[test]
    fn average_precision_matches_a_hand_count() {
        // Positives at ranks 1, 3, 4: precisions 1, 2/3, 3/4, each for a third of the recall.
        let expected = (1.0 + 2.0 / 3.0 + 3.0 / 4.0) / 3.0;
        assert!((average_precision(&S, &Y) - expected).abs() < 1e-12);
    }

    #[test]
    fn confusion_and_rates_at_a_threshold() {
        let c = Confusion::at(&S, &Y, 0.6);
        assert_eq!(c, Confusion { tp: 3, fp: 1, tn: 2, fn_: 0 });
        assert!((c.precision() - 0.75).abs() < 1e-12);
        assert!((c.recall() - 1.0).abs() < 1e-12);
        assert!((c.f1() - 2.0 * 0.75 / 1.75).abs() < 1e-12);
        assert!((c.fpr() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn precision_at_prevalence_reweights_the_classes() {
        // TPR 0.9, FPR 0.01 at 4.84 %: 0.04356 / (0.04356 + 0.009516).
        let p = precision_at_prevalence(0.9, 0.01, 0.0484);
        assert!((p - 0.04356 / (0.04356 + 0.009516)).abs() < 1e-12);
        assert_eq!(precision_at_prevalence(0.0, 0.0, 0.0484), 0.0);
        // At a 50 % prevalence it is plain precision on balanced classes.
        assert!((precision_at_prevalence(0.8, 0.2, 0.5) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn thresholds_are_chosen_for_precision_and_recall() {
        // Thresholds 0.9: TPR 1/3 FPR 0 -> precision 1; 0.8: FPR 1/3 -> low at 5 %.
        assert_eq!(threshold_for_precision_at_prevalence(&S, &Y, 0.0484, 0.8), Some(0.9));
        // At a 50 % prevalence 0.6 (TPR 1, FPR 1/3) gives 0.75 (up to rounding).
        assert_eq!(threshold_for_precision_at_prevalence(&S, &Y, 0.5, 0.74), Some(0.6));
        assert_eq!(threshold_for_recall(&S, &Y, 0.6), Some(0.7));
        assert_eq!(threshold_for_recall(&S, &Y, 1.0), Some(0.6));
        assert_eq!(threshold_for_precision_at_prevalence(&S, &[true; 6], 0.05, 0.8), None);
    }
}
