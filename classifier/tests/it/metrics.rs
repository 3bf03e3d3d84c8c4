//! The public metric functions against hand-computed values.

use redflag_classifier::metrics::{
    Confusion, average_precision, precision_at_prevalence, roc_auc, threshold_for_precision_at_prevalence,
};

#[test]
fn perfect_random_and_inverted_rankings() {
    let y = [true, true, false, false];
    assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &y), 1.0);
    assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &y), 0.0);
    assert_eq!(roc_auc(&[0.5; 4], &y), 0.5);
    assert_eq!(average_precision(&[0.9, 0.8, 0.2, 0.1], &y), 1.0);
    // Inverted: positives at ranks 3 and 4 -> (1/3 + 2/4) / 2.
    assert!((average_precision(&[0.1, 0.2, 0.8, 0.9], &y) - (1.0 / 3.0 + 0.5) / 2.0).abs() < 1e-12);
}

#[test]
fn precision_at_the_real_fraud_rate() {
    // 90 % recall with 1 % false positives at 4.84 % prevalence: 0.04356 / (0.04356 + 0.009516) ≈ 0.8207.
    let p = precision_at_prevalence(0.9, 0.01, 0.0484);
    assert!((p - 0.820_706).abs() < 1e-5, "{p}");
    let c = Confusion { tp: 90, fn_: 10, fp: 1, tn: 99 };
    assert!((c.precision_at_prevalence(0.0484) - p).abs() < 1e-12);
    assert!((c.precision() - 90.0 / 91.0).abs() < 1e-12);
}

#[test]
fn the_operating_threshold_keeps_the_most_recall() {
    let s = [0.95, 0.9, 0.85, 0.8, 0.3, 0.2, 0.1];
    let y = [true, true, false, true, false, true, false];
    // At 0.9: TPR 0.5, FPR 0 -> 1.0; at 0.85 an FP (FPR 1/3) sinks it at 5 % prevalence.
    assert_eq!(threshold_for_precision_at_prevalence(&s, &y, 0.05, 0.8), Some(0.9));
}
