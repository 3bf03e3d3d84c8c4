//! Language parity of the pasted-text path: the same job ad written in English, Spanish, French,
//! Portuguese and Indonesian should rank and be judged alike. Measured on a development set of
//! `data/blind/` (`third/`: read while the gloss and the indicator patterns were written, and part of
//! the `text` head's training data, so these are floors that guard the work, not unbiased figures;
//! see `models/job-fraud/MODEL_CARD.md`).

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

/// The blind set sealed before the `text` and `crawl` heads were trained on the ten development sets
/// and scored once after they were (`data/blind/eleventh/`): the card's figures (ROC-AUC 0.981-0.999
/// on both paths, the same band as English for 0.93-0.96 of ads), as floors a little under them.
/// Never tune on this set; report the next change to the job scorer on the sealed
/// `data/blind/twelfth/`.
#[test]
fn job_scorer_holds_on_the_eleventh_blind_set() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/blind/eleventh/jobs-parallel.jsonl");
    // (path, ROC-AUC floor in English, in the other languages, same-band floor).
    for (how, en_floor, floor, band) in [(JobPath::Check, 0.97, 0.97, 0.90), (JobPath::Crawl, 0.98, 0.97, 0.90)] {
        let r = evaluate_parallel_jobs(classifier(), &path, how).unwrap();
        for l in &r.languages {
            let floor = if l.lang == "en" { en_floor } else { floor };
            assert!(l.roc_auc >= floor, "{how:?} {}: ROC-AUC {:.3} below {floor}", l.lang, l.roc_auc);
            assert!(l.same_band_as_english >= band, "{how:?} {}: same band {:.2}", l.lang, l.same_band_as_english);
        }
    }
}

/// The job model as shipped, without per-language residuals (what they are fitted against; the
/// shipped model has none since its `text` head learnt the five languages itself).
fn job_model_without_residuals() -> redflag_classifier::Model {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/job-fraud");
    let cat = redflag_classifier::Catalogue::bundled().unwrap();
    let mut m = redflag_classifier::Model::load(&dir, &cat).unwrap();
    m.set_residuals(redflag_classifier::model::HEAD_TEXT, Default::default()).unwrap();
    assert_eq!(m.config.heads["text"].residual_bits, None);
    m
}

#[test]
fn residuals_fitted_on_parallel_ads_move_translations_only_and_survive_a_round_trip() {
    use redflag_classifier::model::HEAD_TEXT;
    use redflag_classifier::{AdInput, Catalogue, Classifier, Model, parity};
    use redflag_core::AdKind;
    let cat = Catalogue::bundled().unwrap();
    let escort_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/escort");
    let plain =
        Classifier::from_models(cat.clone(), job_model_without_residuals(), Model::load(&escort_dir, &cat).unwrap())
            .unwrap();
    let sets = [dev_set()];
    let fitted = parity::fit_residuals(&plain, &sets, 12, 0.1).unwrap();
    assert_eq!(fitted.keys().map(String::as_str).collect::<Vec<_>>(), ["es", "fr", "id", "pt"]);
    let mut job = job_model_without_residuals();
    job.set_residuals(HEAD_TEXT, fitted).unwrap();
    let dir = tempfile::tempdir().unwrap();
    job.save(dir.path(), &cat).unwrap();
    let with = Classifier::from_models(
        cat.clone(),
        Model::load(dir.path(), &cat).unwrap(),
        Model::load(&escort_dir, &cat).unwrap(),
    )
    .unwrap();
    assert_eq!(with.model(AdKind::Job).config.heads["text"].residual_bits, Some(12));

    let en = AdInput::new(
        "Data entry clerk",
        "Work from home. Pay a registration fee of $50 before you start. Contact us on WhatsApp.",
    )
    .with_kind(AdKind::Job);
    let es = AdInput::new(
        "Auxiliar de captura de datos",
        "Trabaje desde casa. Pague una cuota de inscripción de 50 dólares antes de empezar. Contáctenos por WhatsApp.",
    )
    .with_kind(AdKind::Job);
    // English is scored as before; the Spanish version moves, and is scored the same after the round trip.
    assert_eq!(with.assess(&en).probability, plain.assess(&en).probability);
    let (before, after) = (plain.assess(&es).probability, with.assess(&es).probability);
    assert_ne!(before, after);
    let again = Classifier::from_models(
        cat.clone(),
        Model::load(dir.path(), &cat).unwrap(),
        Model::load(&escort_dir, &cat).unwrap(),
    )
    .unwrap();
    assert_eq!(again.assess(&es).probability, after);

    // On the set they were fitted on, the residuals bring translations into their English band.
    let r0 = evaluate_parallel_jobs(&plain, &dev_set(), JobPath::Check).unwrap();
    let r1 = evaluate_parallel_jobs(&with, &dev_set(), JobPath::Check).unwrap();
    for (a, b) in r0.languages[1..].iter().zip(&r1.languages[1..]) {
        assert!(
            b.same_band_as_english >= 0.9 && b.mean_abs_risk_gap < a.mean_abs_risk_gap,
            "{}: same band {:.2} -> {:.2}, gap {:.1} -> {:.1}",
            a.lang,
            a.same_band_as_english,
            b.same_band_as_english,
            a.mean_abs_risk_gap,
            b.mean_abs_risk_gap
        );
    }

    // A residual of another size, or for a language without a gloss, is refused.
    let mut job = job_model_without_residuals();
    let bad: std::collections::BTreeMap<String, redflag_classifier::residual::Residual> =
        [("de".to_string(), redflag_classifier::residual::Residual::from_table(4, vec![0.0; 17]).unwrap())].into();
    assert!(job.set_residuals(HEAD_TEXT, bad).is_err());
}
