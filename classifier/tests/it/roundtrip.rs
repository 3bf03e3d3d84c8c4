//! Train → save → load → evaluate on tiny hand-made fixtures, and data errors that name the line.

use redflag_classifier::{
    AdInput, AdView, Classifier, Error, EvalOptions, Hyper, Model, Task, TrainOptions, evaluate, evaluate_with, train,
};
use redflag_core::AdKind;

use crate::fixture;

fn small_hyper() -> Hyper {
    Hyper { hash_bits: 12, max_epochs: 40, patience: 10, bags: 2, validation_share: 0.3, ..Hyper::default() }
}

#[test]
fn job_model_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("job-fraud");
    let mut o = TrainOptions::new(Task::JobFraud, fixture("jobs_tiny.csv"), &out);
    o.folds = 2;
    o.hyper = small_hyper();
    let report = train(&o).unwrap();
    assert_eq!((report.n, report.positives), (12, 6));
    assert_eq!(report.heads.iter().map(|h| h.head.as_str()).collect::<Vec<_>>(), ["fields", "crawl", "text"]);
    assert!((report.target_prior - 0.0484).abs() < 1e-12);
    assert!(out.join("model.safetensors").is_file() && out.join("config.json").is_file());
    // The record and crawled-ad heads are stacked and keep a known-ad memory (named tensors in the
    // safetensors header); the pasted-text head is a plain n-gram model.
    let weights = std::fs::read(out.join("model.safetensors")).unwrap();
    let header = String::from_utf8_lossy(&weights[..weights.len().min(32 * 1024)]).into_owned();
    assert!(!header.contains("text.memory_") && !header.contains("text.combiner_"));
    for head in ["fields", "crawl"] {
        for t in ["memory_vocab", "memory_terms", "memory_weights", "memory_labels", "combiner_weight"] {
            assert!(header.contains(&format!("{head}.{t}")), "{head}.{t} missing from the weights");
        }
    }

    // Loading it back gives the saved parameters; saving again gives identical files.
    let c = Classifier::from_dir(&out).unwrap();
    assert_eq!(c.model(AdKind::Job).config.features.hash_bits, 12);
    let again = dir.path().join("again");
    let m = Model::load(&out, c.catalogue()).unwrap();
    m.save(&again, c.catalogue()).unwrap();
    assert_eq!(std::fs::read(out.join("config.json")).unwrap(), std::fs::read(again.join("config.json")).unwrap());
    assert_eq!(
        std::fs::read(out.join("model.safetensors")).unwrap(),
        std::fs::read(again.join("model.safetensors")).unwrap()
    );

    // The retrained model separates its own training data and writes one prediction per ad.
    let preds = dir.path().join("preds.csv");
    let mut e = EvalOptions::new(Task::JobFraud, fixture("jobs_tiny.csv"));
    e.model_dir = Some(out.clone());
    e.predictions = Some(preds.clone());
    let r = evaluate(&e).unwrap();
    assert_eq!((r.n, r.positives), (12, 6));
    assert!(r.roc_auc >= 0.9, "training-set roc_auc {}", r.roc_auc);
    assert!(r.ads_per_sec > 0.0);
    let lines: Vec<String> = std::fs::read_to_string(&preds).unwrap().lines().map(String::from).collect();
    assert_eq!(lines.len(), 13);
    assert_eq!(lines[0], "job_id,score");
    assert!(lines[1].starts_with("1,"));
    let json = serde_json::to_value(&r).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "n",
        "positives",
        "roc_auc",
        "pr_auc",
        "threshold",
        "precision",
        "recall",
        "f1",
        "precision_at_prevalence",
        "ads_per_sec",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);

    // Crawled-ad and pasted-text evaluation use the crawl and text heads.
    for view in [AdView::Crawled, AdView::Pasted] {
        e.view = view;
        e.predictions = None;
        let t = evaluate_with(&c, &e).unwrap();
        assert_eq!(t.n, 12);
    }
}

#[test]
fn escort_model_retrains_on_binary_and_ordinal_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("escort");
    let mut o = TrainOptions::new(Task::Escort, fixture("escort_tiny.jsonl"), &out);
    o.folds = 2;
    o.hyper = small_hyper();
    let r = train(&o).unwrap();
    assert_eq!((r.n, r.positives), (8, 4));
    assert!(!r.heads[0].text_features, "few examples: indicators only");
    let c = Classifier::from_dir(&out).unwrap();
    let m = c.model(AdKind::Escort);
    assert_eq!(m.config.name, "escort");
    let a = c.assess(&AdInput::new("Companion", "Young Asian girl, my girls, 100% real.").with_kind(AdKind::Escort));
    let b =
        c.assess(&AdInput::new("Companion", "Independent, new in town for a limited time.").with_kind(AdKind::Escort));
    assert!(a.probability > b.probability);

    let ordinal = dir.path().join("ordinal.jsonl");
    let lines: Vec<String> = (0..12)
        .map(|i| {
            let (text, label) = if i % 2 == 0 {
                (format!("Young Asian girl {i}, call my manager, 100% real"), 4 + i % 3)
            } else {
                (format!("Independent companion {i}, new in town, dinner dates"), i % 3)
            };
            serde_json::json!({"text": text, "label": label}).to_string()
        })
        .collect();
    std::fs::write(&ordinal, lines.join("\n")).unwrap();
    let mut o = TrainOptions::new(Task::Escort, &ordinal, dir.path().join("ordinal"));
    o.folds = 2;
    o.hyper = small_hyper();
    let r = train(&o).unwrap();
    assert_eq!(r.positives, 6, "ordinal labels 4–6 count as positive");
    assert!(r.train_prior > 0.0 && r.train_prior < 1.0);
}

#[test]
fn data_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\", \"label\": 9}\n").unwrap();
    let err = train(&TrainOptions::new(Task::Escort, &bad, dir.path().join("x"))).unwrap_err();
    assert!(matches!(err, Error::Data { line: 2, .. }), "{err}");
    assert!(err.to_string().contains("bad.jsonl:2"));

    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "job_id,title,description,fraudulent\n1,a,b,0\n2,c,d,maybe\n").unwrap();
    let err = train(&TrainOptions::new(Task::JobFraud, &csv, dir.path().join("y"))).unwrap_err();
    assert!(matches!(err, Error::Data { line: 3, .. }), "{err}");

    std::fs::write(&csv, "job_id,title,fraudulent\n1,a,0\n").unwrap();
    let err = evaluate(&EvalOptions::new(Task::JobFraud, &csv)).unwrap_err();
    assert!(err.to_string().contains("description"), "{err}");

    let err = Classifier::from_dir(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Model { .. }), "{err}");
}
