//! Scoring throughput of `Classifier::assess_batch` on about 20,000 ads.
//!
//! ```text
//! cargo bench -p redflag-classifier --bench throughput
//! ```
//!
//! The ads are the EMSCAD job ads read from `../shared/data/emscad/train.csv` (or the file named by
//! `REDFLAG_EMSCAD_CSV`), repeated to 20,000, scored as crawled ads (title, posting and the site
//! adapter's employer, city and pay fields, entities extracted beforehand as the crawl pipeline
//! passes them: the `crawl` head), as text pasted into the check (`text` head) and as structured
//! records (`fields` head), plus 20,000 synthetic escort ads (entity extraction inside).
//! `REDFLAG_BENCH_MODEL_DIR=DIR` times a retrained model instead of the bundled one.

use redflag_classifier::data::read_emscad_csv;
use redflag_classifier::{AdInput, Classifier, JobRecord};
use redflag_core::extract::{ExtractOptions, extract};
use redflag_core::{AdFields, AdKind};
use std::path::PathBuf;
use std::time::Instant;

const N: usize = 20_000;

fn job_records() -> Vec<JobRecord> {
    let path = std::env::var_os("REDFLAG_EMSCAD_CSV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/emscad/train.csv"));
    match read_emscad_csv(&path, false) {
        Ok(r) => {
            eprintln!("job ads from {}", path.display());
            r
        }
        Err(e) => {
            eprintln!("{e}; using synthetic job ads");
            (0..200)
                .map(|i| JobRecord {
                    job_id: i.to_string(),
                    title: format!("Warehouse operative {i}"),
                    description: Some(format!(
                        "We are hiring warehouse staff for our site number {i}. Pick and pack orders, load trucks and \
                         keep the floor safe. Full training given. Apply through our careers page. {}",
                        if i % 3 == 0 { "Pay a registration fee of $50 and contact us on WhatsApp." } else { "" }
                    )),
                    ..Default::default()
                })
                .collect()
        }
    }
}

fn run(label: &str, c: &Classifier, inputs: &[AdInput<'_>]) {
    // One warm-up pass over a slice, then the timed pass over everything.
    let _ = c.assess_batch(&inputs[..inputs.len().min(500)]);
    let start = Instant::now();
    let out = c.assess_batch(inputs);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(out.len(), inputs.len());
    let flagged = out.iter().filter(|a| a.risk >= 50).count();
    println!(
        "{label:<44} {:>6} ads in {secs:>6.2} s = {:>8.0} ads/s ({} threads; {flagged} at risk >= 50)",
        inputs.len(),
        inputs.len() as f64 / secs,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
}

fn main() {
    // REDFLAG_BENCH_MODEL_DIR scores with a retrained model (a model directory, or one holding
    // `job-fraud/` and `escort/`), so that two models can be timed side by side in one build.
    let c = match std::env::var_os("REDFLAG_BENCH_MODEL_DIR") {
        Some(dir) => Classifier::from_dir(std::path::Path::new(&dir)).expect("the model directory loads"),
        None => Classifier::bundled().expect("bundled models load"),
    };
    let recs = job_records();
    let recs: Vec<&JobRecord> = recs.iter().cycle().take(N).collect();
    let bodies: Vec<String> = recs.iter().map(|r| r.posting()).collect();
    let full_bodies: Vec<String> = recs.iter().map(|r| r.body()).collect();
    let mean_len = bodies.iter().map(|b| b.len()).sum::<usize>() / bodies.len().max(1);
    println!("job ads: mean posting length {mean_len} bytes");

    // Crawled ads: what a site adapter extracts (title, posting, employer, city, pay), with entities
    // extracted beforehand as the analysis pipeline passes them (`crawl` head).
    let crawled: Vec<AdFields> = recs.iter().map(|r| r.crawled_fields()).collect();
    let texts: Vec<String> = crawled.iter().map(|f| f.scoring_text()).collect();
    let extracted: Vec<_> = texts.iter().map(|t| extract(t, &ExtractOptions::default())).collect();
    let crawl: Vec<AdInput<'_>> = crawled
        .iter()
        .zip(&extracted)
        .map(|(f, e)| AdInput::from_fields(f).with_kind(AdKind::Job).with_extracted(e))
        .collect();
    run("job ads as crawled (crawl head)", &c, &crawl);

    // Pasted into the check: title and all the text (`text` head).
    let text: Vec<AdInput<'_>> =
        recs.iter().zip(&full_bodies).map(|(r, b)| AdInput::new(&r.title, b).with_kind(AdKind::Job)).collect();
    run("job ads as pasted text (text head)", &c, &text);

    let fields: Vec<AdInput<'_>> = recs
        .iter()
        .zip(&full_bodies)
        .map(|(r, b)| AdInput { kind: Some(AdKind::Job), title: &r.title, body: b, job: Some(r), ..Default::default() })
        .collect();
    run("job ads, EMSCAD records (fields head)", &c, &fields);

    let escort_bodies: Vec<String> = (0..N)
        .map(|i| {
            let extra = match i % 4 {
                0 => "Young Asian girl, 100% real pics, text seven 0 two 555 01 four 8.",
                1 => "New in town for a limited time, independent.",
                2 => "Call my manager to book one of my girls, available 24/7.",
                _ => "Relaxing massage by appointment.",
            };
            format!("Friendly companion for dinner dates and social events in city {i}. {extra} Rates by the hour.")
        })
        .collect();
    let escort: Vec<AdInput<'_>> =
        escort_bodies.iter().map(|b| AdInput::new("Dinner companion", b).with_kind(AdKind::Escort)).collect();
    run("escort ads (synthetic), indicator model", &c, &escort);
}
