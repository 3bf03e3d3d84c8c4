//! Language parity of the pasted-text path: the same job ad written in English, Spanish, French,
//! Portuguese and Indonesian should rank and be judged alike. Measured on a development set of
//! `data/blind/` (`third/`: read while the gloss and the indicator patterns were written, so these
//! are floors that guard the work, not unbiased figures; see `models/job-fraud/MODEL_CARD.md`).

use redflag_classifier::blind::{JobPath, evaluate_parallel_jobs};
use redflag_classifier::features::{text_row, text_row_in};

use crate::classifier;

fn dev_set() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/blind/third/jobs-parallel.jsonl")
}

#[test]
fn translated_job_ads_rank_and_band_like_their_english_version() {
    let r = evaluate_parallel_jobs(classifier(), &dev_set(), JobPath::Check).unwrap();
    let en = &r.languages[0];
    assert_eq!(en.lang, "en");
    assert!(en.roc_auc >= 0.95, "English ROC-AUC {:.3}", en.roc_auc);
    for l in &r.languages[1..] {
        assert!(l.roc_auc >= ROC_AUC_FLOOR, "{}: ROC-AUC {:.3} below {ROC_AUC_FLOOR}", l.lang, l.roc_auc);
        assert!(
            l.same_band_as_english >= SAME_BAND_FLOOR,
            "{}: same band as English for {:.2} of ads, below {SAME_BAND_FLOOR}",
            l.lang,
            l.same_band_as_english
        );
        assert!(
            l.mean_risk_gap.abs() <= MAX_MEAN_GAP,
            "{}: mean risk {:+.1} points off English",
            l.lang,
            l.mean_risk_gap
        );
    }
}

/// Floors a little under what the shipped model reaches on the set (see the model card).
const ROC_AUC_FLOOR: f64 = 0.95;
const SAME_BAND_FLOOR: f64 = 0.70;
const MAX_MEAN_GAP: f64 = 8.0;

#[test]
fn the_gloss_gives_a_translation_the_buckets_of_its_english_original() {
    let cfg = classifier().model(redflag_core::AdKind::Job).config.features;
    let overlap = |a: &[u32], b: &[u32]| a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    let en = text_row(
        cfg,
        "Data entry clerk",
        "We are looking for a data entry clerk to work from home. No experience needed.",
    );
    let es_title = "Auxiliar de captura de datos";
    let es_body = "Buscamos un auxiliar de captura de datos para trabajar desde casa. No se necesita experiencia.";
    let plain = text_row(cfg, es_title, es_body);
    let glossed = text_row_in(cfg, es_title, es_body, Some("es"));
    assert!(
        overlap(&glossed, &en) >= 3 * overlap(&plain, &en).max(1),
        "glossed {} against plain {} shared buckets",
        overlap(&glossed, &en),
        overlap(&plain, &en)
    );
    // English and languages without a lexicon are hashed as written.
    assert_eq!(
        text_row_in(cfg, "Data entry", "Work from home", Some("en")),
        text_row(cfg, "Data entry", "Work from home")
    );
    assert_eq!(text_row_in(cfg, "Data entry", "Work from home", None), text_row(cfg, "Data entry", "Work from home"));
}

/// The blind set written before the last change to the job scorer and scored once after its retrain
/// (`data/blind/eighth/`): the card's figures, as floors a little under them. Never tune on this set;
/// write a fresh one after the next change.
#[test]
fn job_scorer_holds_on_the_eighth_blind_set() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/blind/eighth/jobs-parallel.jsonl");
    // (path, ROC-AUC floor per language, same-band floor)
    for (how, floor, band) in [(JobPath::Check, 0.93, 0.62), (JobPath::Crawl, 0.89, 0.62)] {
        let r = evaluate_parallel_jobs(classifier(), &path, how).unwrap();
        for l in &r.languages {
            assert!(l.roc_auc >= floor, "{how:?} {}: ROC-AUC {:.3} below {floor}", l.lang, l.roc_auc);
            assert!(l.same_band_as_english >= band, "{how:?} {}: same band {:.2}", l.lang, l.same_band_as_english);
        }
    }
}
