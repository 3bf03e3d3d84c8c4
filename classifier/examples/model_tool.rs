//! Developer tool for the classifier's models, for use before the `redflag` CLI wires them:
//!
//! ```text
//! cargo run --release -p redflag-classifier --example model_tool -- train job-fraud DATA.csv OUT_DIR [EXTRA.csv | SET.jsonl ...] [--head=NAME ...] [--version V]
//! cargo run --release -p redflag-classifier --example model_tool -- take-head MODEL_DIR --from DIR --head NAME [--version V]
//! cargo run --release -p redflag-classifier --example model_tool -- train escort DATA.jsonl OUT_DIR [EXTRA.jsonl ...] [--text|--no-text] [--target-prior P] [--version V]
//! cargo run --release -p redflag-classifier --example model_tool -- cv job-fraud DATA.csv [EXTRA.csv ...]
//! cargo run --release -p redflag-classifier --example model_tool -- eval job-fraud DATA.csv [--text-only | --pasted] [--model DIR] [--predictions FILE]
//! cargo run --release -p redflag-classifier --example model_tool -- cv-export job-fraud OUT.csv DATA.csv [EXTRA.csv ...] [--seed=N] [--heads=fields,text] [--grouping=templates]
//! cargo run --release -p redflag-classifier --example model_tool -- prior escort OUT_DIR
//! cargo run --release -p redflag-classifier --example model_tool -- blind-jobs data/blind/jobs-parallel.jsonl [--model DIR]
//! cargo run --release -p redflag-classifier --example model_tool -- blind-escort data/blind/escort.jsonl [--model DIR] [--catalogue FILE]
//! cargo run --release -p redflag-classifier --example model_tool -- escort-ads data/blind/escort.jsonl [--model DIR] [--catalogue FILE]
//! cargo run --release -p redflag-classifier --example model_tool -- escort-speed data/blind/escort.jsonl [--model DIR] [--catalogue FILE]
//! cargo run --release -p redflag-classifier --example model_tool -- residual-cv SET.jsonl... [--bits B] [--lambdas L,L,...] [--model DIR]
//! cargo run --release -p redflag-classifier --example model_tool -- residual-fit OUT_DIR SET.jsonl... --lambda L [--bits B] [--version V] [--model DIR]
//! cargo run --release -p redflag-classifier --example model_tool -- check FILE
//! cargo run --release -p redflag-classifier --example model_tool -- embed DATA.csv OUT.safetensors [--weights FILE] [--batch N]
//! ```
//!
//! Hyper-parameters can be overridden with `KEY=VALUE` arguments (e.g. `l2=1e-5 learning_rate=0.05`).

use redflag_classifier::blind;
use redflag_classifier::{AdView, CvOptions, EvalOptions, Hyper, Task, TrainOptions};
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn hyper_from(args: &mut Vec<String>) -> Result<Hyper, String> {
    let mut h = serde_json::to_value(Hyper::default()).map_err(|e| e.to_string())?;
    let mut rest = Vec::new();
    for a in args.drain(..) {
        match a.split_once('=') {
            Some((k, v)) if h.get(k).is_some() => {
                let v: serde_json::Value = serde_json::from_str(v).map_err(|e| format!("{k}: {e}"))?;
                h[k] = v;
            }
            _ => rest.push(a),
        }
    }
    *args = rest;
    serde_json::from_value(h).map_err(|e| e.to_string())
}

/// The classifier an escort subcommand scores with: `--model DIR` for a retrained escort model, and
/// `--catalogue FILE` for another indicator catalogue (then the escort model is DIR's, or the
/// catalogue's prior weights), so that a catalogue change can be compared with the one before it.
fn escort_classifier(args: &[String]) -> Result<redflag_classifier::Classifier, Box<dyn std::error::Error>> {
    use redflag_classifier::{Catalogue, Classifier, Model};
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let Some(file) = opt("--catalogue") else {
        return Ok(match opt("--model") {
            Some(dir) => Classifier::from_dir(std::path::Path::new(dir))?,
            None => Classifier::bundled()?,
        });
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let messages = std::fs::read_to_string(root.join("data/messages.toml"))?;
    let cat = std::sync::Arc::new(Catalogue::parse(&std::fs::read_to_string(file)?, &messages)?);
    let job = Model::load(&root.join("../models/job-fraud"), &cat)?;
    let escort = match opt("--model") {
        Some(dir) => Model::load(std::path::Path::new(dir), &cat)?,
        None => redflag_classifier::train::prior_model(&cat, Task::Escort)?,
    };
    Ok(Classifier::from_models(cat, job, escort)?)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let hyper = hyper_from(&mut args)?;
    let cmd = args.first().cloned().unwrap_or_default();
    let command_line = format!("model_tool {}", args.join(" "));
    match cmd.as_str() {
        "train" => {
            let task: Task = args.get(1).ok_or("task")?.parse()?;
            let mut o = TrainOptions::new(task, args.get(2).ok_or("data")?, args.get(3).ok_or("out")?);
            let mut i = 4;
            while i < args.len() {
                match args[i].as_str() {
                    "--text" => o.text_features = Some(true),
                    "--no-text" => o.text_features = Some(false),
                    "--target-prior" => {
                        i += 1;
                        o.target_prior = Some(args.get(i).ok_or("--target-prior P")?.parse()?);
                    }
                    "--version" => {
                        i += 1;
                        o.version = args.get(i).ok_or("--version V")?.clone();
                    }
                    h if h.starts_with("--head=") => o.heads.push(h["--head=".len()..].to_string()),
                    extra => o.extra_data.push(PathBuf::from(extra)),
                }
                i += 1;
            }
            o.hyper = hyper;
            o.command = Some(command_line);
            let r = redflag_classifier::train(&o)?;
            print!("{}", r.render_text());
            println!("{}", serde_json::to_string_pretty(&r)?);
        }
        "cv" => {
            let task: Task = args.get(1).ok_or("task")?.parse()?;
            let mut o = CvOptions::new(task, args.get(2).ok_or("data")?);
            let mut extra = Vec::new();
            for a in &args[3..] {
                if let Some(h) = a.strip_prefix("--head=") {
                    o.heads.push(h.to_string());
                } else if let Some(g) = a.strip_prefix("--grouping=") {
                    o.grouping = g.parse()?;
                } else if let Some(s) = a.strip_prefix("--seeds=") {
                    o.seeds = s.split(',').map(|x| x.parse()).collect::<Result<_, _>>()?;
                } else if a == "--no-nested" {
                    o.nested = false;
                } else {
                    extra.push(PathBuf::from(a));
                }
            }
            o.extra_data = extra;
            o.hyper = hyper;
            let r = redflag_classifier::cross_validate(&o)?;
            print!("{}", r.render_text());
        }
        "eval" => {
            let task: Task = args.get(1).ok_or("task")?.parse()?;
            let mut o = EvalOptions::new(task, args.get(2).ok_or("data")?);
            let mut i = 3;
            while i < args.len() {
                match args[i].as_str() {
                    "--text-only" | "--crawled" => o.view = AdView::Crawled,
                    "--pasted" => o.view = AdView::Pasted,
                    "--model" => {
                        i += 1;
                        o.model_dir = Some(args.get(i).ok_or("--model DIR")?.into());
                    }
                    "--predictions" => {
                        i += 1;
                        o.predictions = Some(args.get(i).ok_or("--predictions FILE")?.into());
                    }
                    other => return Err(format!("unknown argument {other}").into()),
                }
                i += 1;
            }
            print!("{}", redflag_classifier::evaluate(&o)?.render_text());
        }
        "blind-jobs" | "blind-escort" => {
            // Figures on a blind set of data/blind/ (as `redflag eval --blind`).
            let file = PathBuf::from(args.get(1).ok_or("file")?);
            let c = match args.iter().position(|a| a == "--model") {
                Some(i) => redflag_classifier::Classifier::from_dir(std::path::Path::new(
                    args.get(i + 1).ok_or("--model DIR")?,
                ))?,
                None => redflag_classifier::Classifier::bundled()?,
            };
            let c = if cmd == "blind-escort" { escort_classifier(&args)? } else { c };
            if cmd == "blind-jobs" {
                for how in [blind::JobPath::Check, blind::JobPath::Crawl] {
                    print!("{}", blind::evaluate_parallel_jobs(&c, &file, how)?.render_text());
                }
            } else {
                print!("{}", blind::evaluate_escort(&c, &file)?.render_text());
            }
        }
        "cv-export" => {
            // One grouped CV run's folds and out-of-fold scores, plus the bundled model's throughput, so
            // that bench/classifier_vs_sklearn.sh can compare another model on the same split.
            let task: Task = args.get(1).ok_or("task")?.parse()?;
            let out = PathBuf::from(args.get(2).ok_or("out")?);
            let mut o = CvOptions::new(task, args.get(3).ok_or("data")?);
            for a in &args[4..] {
                if let Some(s) = a.strip_prefix("--seed=") {
                    o.seeds = vec![s.parse()?];
                } else if let Some(h) = a.strip_prefix("--heads=") {
                    o.heads = h.split(',').map(str::to_string).collect();
                } else if let Some(g) = a.strip_prefix("--grouping=") {
                    o.grouping = g.parse()?;
                } else {
                    o.extra_data.push(PathBuf::from(a));
                }
            }
            o.hyper = hyper;
            let p = redflag_classifier::out_of_fold_predictions(&o)?;
            let heads: Vec<&String> = p.scores.keys().collect();
            let mut csv =
                format!("file,id,label,fold,{}\n", heads.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(","));
            for i in 0..p.ids.len() {
                csv.push_str(&format!("{},{},{},{}", p.files[i], p.ids[i], u8::from(p.positive[i]), p.fold[i]));
                for h in &heads {
                    csv.push_str(&format!(",{}", p.scores[*h][i]));
                }
                csv.push('\n');
            }
            std::fs::write(&out, csv)?;
            let c = redflag_classifier::Classifier::bundled()?;
            let mut e = EvalOptions::new(task, o.data.clone());
            let fields = redflag_classifier::evaluate_with(&c, &e)?;
            e.view = AdView::Crawled;
            let crawl = redflag_classifier::evaluate_with(&c, &e)?;
            e.view = AdView::Pasted;
            let text = redflag_classifier::evaluate_with(&c, &e)?;
            println!(
                "{}",
                serde_json::json!({
                    "thresholds": p.thresholds,
                    "ads_per_sec": {"fields": fields.ads_per_sec, "crawl": crawl.ads_per_sec, "text": text.ads_per_sec},
                })
            );
        }
        "groups" => {
            // Near-duplicate groups and the grouped folds of some seeds, for experiments elsewhere on the
            // very same splits: `groups OUT.csv SEEDS DATA.csv [EXTRA.csv ...]` (SEEDS comma-separated).
            let out = PathBuf::from(args.get(1).ok_or("out")?);
            let seeds: Vec<u64> =
                args.get(2).ok_or("seeds")?.split(',').map(|x| x.parse()).collect::<Result<_, _>>()?;
            let mut rows = Vec::new();
            for path in &args[3..] {
                let name = std::path::Path::new(path).file_name().map(|f| f.to_string_lossy().into_owned());
                for r in redflag_classifier::data::read_emscad_csv(std::path::Path::new(path), true)? {
                    rows.push((name.clone().unwrap_or_default(), r));
                }
            }
            let recs: Vec<_> = rows.iter().map(|(_, r)| r.clone()).collect();
            let groups = redflag_classifier::data::job_groups(&recs, Default::default());
            let templates = redflag_classifier::data::job_groups(&recs, redflag_classifier::data::Grouping::Templates);
            let positive: Vec<bool> = recs.iter().map(|r| r.fraudulent == Some(true)).collect();
            let folds: Vec<Vec<usize>> =
                seeds.iter().map(|&s| redflag_classifier::train::grouped_folds(&groups, &positive, 5, s)).collect();
            let mut csv = format!(
                "file,id,label,group,template,{}\n",
                seeds.iter().map(|s| format!("fold_{s}")).collect::<Vec<_>>().join(",")
            );
            for (i, (file, r)) in rows.iter().enumerate() {
                csv.push_str(&format!("{file},{},{},{},{}", r.job_id, u8::from(positive[i]), groups[i], templates[i]));
                for f in &folds {
                    csv.push_str(&format!(",{}", f[i]));
                }
                csv.push('\n');
            }
            std::fs::write(&out, csv)?;
        }
        "escort-ads" | "escort-speed" => {
            // One JSON line per ad of an escort set: its labels, its score and the indicators that fired
            // with their matched text, for reading the errors behind the set's figures.
            let file = PathBuf::from(args.get(1).ok_or("file")?);
            let c = escort_classifier(&args)?;
            let text = std::fs::read_to_string(&file)?;
            let ads: Vec<serde_json::Value> =
                text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str).collect::<Result<_, _>>()?;
            let str_of = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
            let fields: Vec<redflag_core::AdFields> = ads
                .iter()
                .map(|a| redflag_core::AdFields {
                    title: str_of(a, "title"),
                    body: str_of(a, "body"),
                    city: Some(str_of(a, "city")).filter(|c| !c.trim().is_empty()),
                    ..Default::default()
                })
                .collect();
            let inputs: Vec<redflag_classifier::AdInput<'_>> = fields
                .iter()
                .map(|f| redflag_classifier::AdInput::from_fields(f).with_kind(redflag_core::AdKind::Escort))
                .collect();
            if cmd == "escort-speed" {
                // The set's ads repeated to 20,000, scored as the throughput benchmark does.
                let many: Vec<redflag_classifier::AdInput<'_>> = inputs.iter().cycle().take(20_000).cloned().collect();
                let start = std::time::Instant::now();
                let n = c.assess_batch(&many).len();
                println!(
                    "{n} escort ads in {:.2} s: {:.0} ads/s",
                    start.elapsed().as_secs_f64(),
                    n as f64 / start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            for (a, r) in ads.iter().zip(c.assess_batch(&inputs)) {
                let fired: serde_json::Map<String, serde_json::Value> = r
                    .indicators
                    .iter()
                    .map(|f| (f.id.clone(), f.evidence.iter().map(|e| e.text.clone()).collect::<Vec<_>>().into()))
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({
                        "id": a["id"], "lang": a["lang"], "label": a["label"], "lookalike": a["lookalike"],
                        "indicators": a["indicators"], "evidence": a["evidence"], "score": r.probability,
                        "fired": fired, "title": a["title"], "body": a["body"],
                    })
                );
            }
        }
        "take-head" => {
            // A head retrained alone (`train … --head=NAME`) put into a model directory:
            // take-head OUT --from DIR --head NAME [--model DIR] [--version V].
            use redflag_classifier::{Catalogue, Model};
            let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models");
            let out = PathBuf::from(args.get(1).ok_or("out")?);
            let from = PathBuf::from(opt("--from").ok_or("--from DIR")?);
            let head = opt("--head").ok_or("--head NAME")?;
            let cat = Catalogue::bundled()?;
            let mut model = Model::load(&opt("--model").map_or_else(|| root.join("job-fraud"), PathBuf::from), &cat)?;
            let other = Model::load(&from, &cat)?;
            let provenance = other.config.training.clone();
            model.take_head(head, other, &cat)?;
            if let Some(v) = opt("--version") {
                model.config.version = v.clone();
            }
            // The head's figures are the retrained head's; residuals fitted to the head it replaces
            // went with it.
            model.config.training["cross_validation"][head.as_str()] =
                provenance["cross_validation"][head.as_str()].clone();
            if let Some(t) = model.config.training.as_object_mut() {
                t.remove("residuals");
            }
            model.config.training["retrained_heads"][head.as_str()] = provenance;
            model.save(&out, &cat)?;
            println!("wrote {}", out.display());
        }
        "residual-cv" | "residual-fit" => {
            // Per-language residuals of the job `text` head, fitted on parallel job sets (see
            // `redflag_classifier::parity`): leave-one-set-out figures, or a model directory with them.
            use redflag_classifier::model::HEAD_TEXT;
            use redflag_classifier::{Catalogue, Classifier, Model, parity, residual};
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models");
            let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
            let bits: u32 = opt("--bits").map_or(Ok(residual::DEFAULT_BITS), |b| b.parse())?;
            let model_dir = opt("--model").map_or_else(|| root.join("job-fraud"), PathBuf::from);
            let sets: Vec<PathBuf> = args.iter().filter(|a| a.ends_with(".jsonl")).map(PathBuf::from).collect();
            let cat = Catalogue::bundled()?;
            let mut job = Model::load(&model_dir, &cat)?;
            job.set_residuals(HEAD_TEXT, Default::default())?;
            let escort = Model::load(&root.join("escort"), &cat)?;
            let c = Classifier::from_models(cat.clone(), job, escort)?;
            if cmd == "residual-cv" {
                let lambdas: Vec<f64> = opt("--lambdas")
                    .map_or("0.03,0.1,0.3,1,3", String::as_str)
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
                print!("{}", parity::cross_validate(&c, &sets, bits, &lambdas)?);
            } else {
                let out = PathBuf::from(args.get(1).ok_or("out")?);
                let lambda: f64 = opt("--lambda").ok_or("--lambda L")?.parse()?;
                let fitted = parity::fit_residuals(&c, &sets, bits, lambda)?;
                let mut job = Model::load(&model_dir, &cat)?;
                job.set_residuals(HEAD_TEXT, fitted)?;
                if let Some(v) = opt("--version") {
                    job.config.version = v.clone();
                }
                job.config.training["residuals"] = serde_json::json!({
                    "sets": sets.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                    "bits": bits,
                    "lambda": lambda,
                    "command": command_line,
                });
                job.save(&out, &cat)?;
                println!("wrote {}", out.display());
            }
        }
        "prior" => {
            let task: Task = args.get(1).ok_or("task")?.parse()?;
            redflag_classifier::train::write_prior_model(task, std::path::Path::new(args.get(2).ok_or("out")?))?;
        }
        "embed" => {
            // Embeddings of a labelled CSV's job ads with the multilingual encoder, for training heads on
            // them (see `encoder::cache`).
            use redflag_classifier::encoder::{Encoder, WEIGHTS_FILE, cache::EmbeddingCache};
            let data = PathBuf::from(args.get(1).ok_or("data")?);
            let out = PathBuf::from(args.get(2).ok_or("out")?);
            let mut weights = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/encoder").join(WEIGHTS_FILE);
            let mut batch = 8;
            let mut i = 3;
            while i < args.len() {
                match args[i].as_str() {
                    "--weights" => weights = args.get(i + 1).ok_or("--weights FILE")?.into(),
                    "--batch" => batch = args.get(i + 1).ok_or("--batch N")?.parse()?,
                    other => return Err(format!("unknown argument {other}").into()),
                }
                i += 2;
            }
            let encoder = Encoder::load(&weights)?;
            let records = redflag_classifier::data::read_emscad_csv(&data, true)?;
            let start = std::time::Instant::now();
            let total = records.len();
            let cache = EmbeddingCache::embed_jobs(&encoder, &records, &data.display().to_string(), batch, |done| {
                if done % 200 < batch || done == total {
                    eprintln!("{done}/{total} ads, {:.1} ads/s", done as f64 / start.elapsed().as_secs_f64());
                }
            })?;
            cache.write(&out)?;
            println!("{}: {} ads × {} dimensions", out.display(), cache.ids.len(), cache.dim);
        }
        "check" => {
            let c = redflag_classifier::Classifier::bundled()?;
            let bytes = std::fs::read(args.get(1).ok_or("file")?)?;
            let r = redflag_classifier::check_bytes(&c, &bytes, None)?;
            print!("{}", r.render_text(&c));
        }
        _ => return Err("usage: model_tool (train|cv|eval|prior|check|embed) ...".into()),
    }
    Ok(())
}
