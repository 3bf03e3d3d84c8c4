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

/// A parallel job set (`data/blind/*/jobs-parallel.jsonl` format) of `n` ads, every other one a scam.
fn write_parallel_set(path: &std::path::Path, n: usize) {
    let texts = |scam: bool, i: usize| {
        let t = |title: &str, body: &str| serde_json::json!({"title": title, "company": "", "location": "", "salary": "", "body": body});
        if scam {
            serde_json::json!({
                "en": t("Online assistant", &format!("Pay the registration fee of 50 dollars before you start. Reply on Telegram {i}.")),
                "es": t("Asistente en línea", &format!("Pague la cuota de inscripción de 50 dólares antes de empezar. Responda por Telegram {i}.")),
                "fr": t("Assistant en ligne", &format!("Payez les frais d'inscription de 50 dollars avant de commencer. Répondez sur Telegram {i}.")),
                "pt": t("Assistente online", &format!("Pague a taxa de inscrição de 50 dólares antes de começar. Responda pelo Telegram {i}.")),
                "id": t("Asisten online", &format!("Bayar biaya pendaftaran 50 dolar sebelum mulai. Balas lewat Telegram {i}.")),
            })
        } else {
            serde_json::json!({
                "en": t("Library assistant", &format!("Shelve books and help readers at the city library, branch {i}. Apply on the council's careers page.")),
                "es": t("Auxiliar de biblioteca", &format!("Ordene libros y ayude a los lectores en la biblioteca municipal, sucursal {i}. Postule en la página de empleo del ayuntamiento.")),
                "fr": t("Aide-bibliothécaire", &format!("Rangez les livres et aidez les lecteurs à la bibliothèque municipale, annexe {i}. Postulez sur la page carrières de la mairie.")),
                "pt": t("Auxiliar de biblioteca", &format!("Organize livros e ajude os leitores na biblioteca municipal, unidade {i}. Candidate-se na página de vagas da prefeitura.")),
                "id": t("Asisten perpustakaan", &format!("Menata buku dan membantu pembaca di perpustakaan kota, cabang {i}. Lamar lewat halaman karier pemerintah kota.")),
            })
        }
    };
    let lines: Vec<String> = (0..n)
        .map(|i| {
            let scam = i % 2 == 0;
            serde_json::json!({"id": format!("P{i}"), "label": if scam { "scam" } else { "legitimate" }, "texts": texts(scam, i)})
                .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
}

/// An EMSCAD-style CSV of `n` (at most 40) English job ads, every other one fraudulent, each worded
/// apart so that no two are copies of one ad.
fn write_emscad_set(path: &std::path::Path, n: usize) {
    let roles = [
        "typist",
        "packer",
        "tester",
        "assembler",
        "reviewer",
        "mailer",
        "clicker",
        "labeller",
        "sorter",
        "rater",
        "nurse",
        "porter",
        "chef",
        "welder",
        "teacher",
        "cashier",
        "driver",
        "gardener",
        "plumber",
        "librarian",
    ];
    let extras = [
        "today",
        "this week",
        "right now",
        "before Friday",
        "immediately",
        "tonight",
        "by Monday",
        "quickly",
        "at once",
        "this month",
        "on weekdays",
        "in shifts",
        "full time",
        "part time",
        "at the depot",
        "near the park",
        "at our store",
        "in the clinic",
        "at the school",
        "downtown",
    ];
    let mut csv = String::from("job_id,title,description,fraudulent\n");
    for i in 0..n {
        let (role, extra) = (roles[i / 2 % 10 + if i % 2 == 0 { 0 } else { 10 }], extras[i % 20]);
        let (body, label) = if i % 2 == 0 {
            (
                format!(
                    "Work from home as a {role} {extra}. Pay the starter kit fee first and message us on WhatsApp."
                ),
                1,
            )
        } else {
            (format!("Our {role} team hires {extra}. Apply through our careers page with your references."), 0)
        };
        csv.push_str(&format!("{i},{role},\"{body}\",{label}\n"));
    }
    std::fs::write(path, csv).unwrap();
}

#[test]
fn parallel_sets_train_the_text_and_crawl_heads_which_move_into_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let parallel = dir.path().join("jobs-parallel.jsonl");
    write_parallel_set(&parallel, 8);
    let emscad = dir.path().join("emscad.csv");
    write_emscad_set(&emscad, 40);

    // The text head alone, on EMSCAD rows and a parallel set: the parallel ads train it but are
    // neither scored nor reported (the figures stay those of the EMSCAD rows).
    let text_only = dir.path().join("text-only");
    let mut o = TrainOptions::new(Task::JobFraud, &emscad, &text_only);
    o.folds = 2;
    o.hyper = small_hyper();
    o.heads = vec!["text".into()];
    o.extra_data = vec![parallel.clone()];
    let r = train(&o).unwrap();
    assert_eq!((r.n, r.positives), (40, 20));
    assert_eq!(r.heads.iter().map(|h| h.head.as_str()).collect::<Vec<_>>(), ["text"]);
    let cat = redflag_classifier::Catalogue::bundled().unwrap();
    let m = Model::load(&text_only, &cat).unwrap();
    assert!(m.has_head("text") && !m.has_head("crawl") && !m.has_head("fields"));
    let data = &m.config.training["data"];
    assert_eq!(data[1]["rows"], 48, "8 ads in 5 languages as pasted, and in English as crawled: {data}");
    assert_eq!(data[1]["trains"], serde_json::json!({"text": 40}), "only the head trained counts");
    assert_eq!(data[1]["training_only"], true);
    assert_eq!(data[0]["training_only"], false);

    // The same recipe without the parallel set, every head.
    let full = dir.path().join("full");
    let mut o = TrainOptions::new(Task::JobFraud, &emscad, &full);
    o.folds = 2;
    o.hyper = small_hyper();
    train(&o).unwrap();
    let before = Classifier::from_dir(&full).unwrap();

    // Moving the retrained text head into the full model: its other heads stay, and the text head
    // scores as it did in its own model; it now tells a Spanish scam of the parallel set from a
    // Spanish legitimate ad better than the head that learnt from EMSCAD's rows alone.
    let mut merged = Model::load(&full, &cat).unwrap();
    merged.take_head("text", Model::load(&text_only, &cat).unwrap(), &cat).unwrap();
    assert!(merged.has_head("crawl") && merged.has_head("fields"));
    let merged_dir = dir.path().join("merged");
    merged.save(&merged_dir, &cat).unwrap();
    let after = Classifier::from_dir(&merged_dir).unwrap();
    let alone = Classifier::from_dir(&text_only).unwrap();
    let scam = AdInput::new(
        "Asistente en línea",
        "Pague la cuota de inscripción de 50 dólares antes de empezar. Responda por Telegram 2.",
    )
    .with_kind(AdKind::Job);
    let legit = AdInput::new(
        "Auxiliar de biblioteca",
        "Ordene libros y ayude a los lectores en la biblioteca municipal, sucursal 3. Postule en la página de empleo del ayuntamiento.",
    )
    .with_kind(AdKind::Job);
    assert!((after.assess(&scam).probability - alone.assess(&scam).probability).abs() < 1e-6);
    let gap = |c: &Classifier| c.assess(&scam).probability - c.assess(&legit).probability;
    assert!(
        gap(&after) > 0.0 && gap(&after) > gap(&before),
        "scam minus legitimate: {} after, {} before",
        gap(&after),
        gap(&before)
    );

    // The crawl head learns from the parallel set's English ads as crawled (employer, city and pay
    // as adapter fields): moved into the model, it scores a crawled English ad as in its own model,
    // and separates the set's kind of scam from its kind of legitimate ad better than before.
    let crawl_too = dir.path().join("crawl-too");
    let mut o = TrainOptions::new(Task::JobFraud, &emscad, &crawl_too);
    o.folds = 2;
    o.hyper = small_hyper();
    o.heads = vec!["crawl".into(), "text".into()];
    o.extra_data = vec![parallel.clone()];
    train(&o).unwrap();
    let crawl_model = Model::load(&crawl_too, &cat).unwrap();
    assert_eq!(crawl_model.config.training["data"][1]["trains"], serde_json::json!({"text": 40, "crawl": 8}));
    merged.take_head("crawl", crawl_model, &cat).unwrap();
    let merged_dir = dir.path().join("merged-crawl");
    merged.save(&merged_dir, &cat).unwrap();
    let after = Classifier::from_dir(&merged_dir).unwrap();
    let alone = Classifier::from_dir(&crawl_too).unwrap();
    let crawled = |title: &str, body: &str| redflag_core::AdFields {
        title: title.into(),
        body: body.into(),
        city: Some("Leeds".into()),
        ..Default::default()
    };
    let scam =
        crawled("Online assistant", "Pay the registration fee of 50 dollars before you start. Reply on Telegram 2.");
    let legit = crawled(
        "Library assistant",
        "Shelve books and help readers at the city library, branch 3. Apply on the council's careers page.",
    );
    // A crawled English ad goes to the `crawl` head.
    let score = |c: &Classifier, f: &redflag_core::AdFields| {
        c.assess(&AdInput::from_fields(f).with_kind(AdKind::Job)).probability
    };
    assert!((score(&after, &scam) - score(&alone, &scam)).abs() < 1e-6);
    let gap = |c: &Classifier| score(c, &scam) - score(c, &legit);
    assert!(
        gap(&after) > 0.0 && gap(&after) > gap(&before),
        "crawled, scam minus legitimate: {} after, {} before",
        gap(&after),
        gap(&before)
    );

    // A head of a model that reads other features cannot be moved.
    let other = dir.path().join("other");
    let mut o = TrainOptions::new(Task::JobFraud, &emscad, &other);
    o.folds = 2;
    o.hyper = Hyper { hash_bits: 11, ..small_hyper() };
    o.heads = vec!["text".into()];
    train(&o).unwrap();
    let err = merged.take_head("text", Model::load(&other, &cat).unwrap(), &cat).unwrap_err();
    assert!(matches!(err, Error::Model { .. }), "{err}");

    // Heads a task does not have, or a model without its `text` head, are refused before any work.
    for heads in [vec!["crawl"], vec!["text", "body"]] {
        let mut o = TrainOptions::new(Task::JobFraud, &emscad, dir.path().join("refused"));
        o.heads = heads.into_iter().map(String::from).collect();
        let err = train(&o).unwrap_err();
        assert!(matches!(err, Error::Options(_)), "{err}");
        assert!(!dir.path().join("refused").exists());
    }
    // A parallel set is scored per language and path (`eval --blind`), not as one labelled file.
    let err = evaluate(&EvalOptions::new(Task::JobFraud, &parallel)).unwrap_err();
    assert!(matches!(err, Error::Options(_)), "{err}");
}
