//! Incremental analysis at scale: `cargo run --release -p redflag-analyze --example bench_incremental --
//! [ADS] [--add N]` (defaults 1,000,000 and 10,000; `bench/incremental.sh` runs it).
//!
//! Fills a SQLite store in a temporary directory with `ADS` generated ads (one in four posted by a
//! network: a template text with a few words changed, most networks also sharing a phone number), analyses
//! it in full, then stores `N` more ads from the same population (many join existing networks) and times
//! their analysis. It then analyses the same `N` ads in an empty store. Prints linking throughput in the full
//! analysis, both times for the `N` ads, what each run linked and scored, and each phase's peak resident
//! memory. Deletes everything it wrote.
//!
//! `--base DIR` keeps the analysed store of `ADS` ads in `DIR` (made on the first run) and starts later runs
//! from a copy of it, so that changes to incremental analysis can be timed without refilling and
//! reanalysing a million ads each time; the full analysis is then not timed again. `RUST_LOG=debug` prints
//! the pipeline's own timings (`redflag_analyze`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redflag_analyze::{AnalyzeOptions, AnalyzeSummary, Progress, Stage, analyze};
use redflag_classifier::Classifier;
use redflag_core::AdKind;
use redflag_index::AdIndex;
use redflag_store::sites::NewSite;
use redflag_store::{Store, StoreOptions};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Ads stored per statement.
const ROWS_PER_INSERT: usize = 500;

/// Made-up lowercase words: texts share no phrase by chance and nothing reads as a name or a number.
fn vocabulary() -> Vec<String> {
    const SYLLABLES: [&str; 14] = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ri", "fa", "go", "be"];
    let mut out = Vec::new();
    for a in SYLLABLES {
        for b in SYLLABLES {
            for c in SYLLABLES {
                out.push(format!("{a}{b}{c}"));
            }
        }
    }
    out
}

/// A small deterministic generator (PCG-style LCG), seeded per ad so that ad `id` is always the same.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const NAMES: [&str; 8] = ["Lena", "Mara", "Sofi", "Nadia", "Yuna", "Clara", "Ines", "Vera"];
const CITIES: [&str; 8] = ["Leeds", "Bristol", "Cardiff", "Glasgow", "Belfast", "Norwich", "Exeter", "Dundee"];

/// The population: `networks` networks, each with a template and a phone.
struct Population {
    words: Vec<String>,
    networks: usize,
}

/// One generated ad.
struct Ad {
    id: i64,
    kind: AdKind,
    title: String,
    body: String,
    city: &'static str,
}

impl Population {
    fn new(ads: usize) -> Population {
        Population { words: vocabulary(), networks: (ads / 40).max(1) }
    }

    fn text(&self, rng: &mut Rng, n: usize) -> Vec<&str> {
        (0..n).map(|_| self.words[rng.below(self.words.len())].as_str()).collect()
    }

    /// A French mobile number, unique per `n`.
    fn phone(n: u64) -> String {
        let d = n % 100_000_000;
        format!("+33 6 {:02} {:02} {:02} {:02}", d / 1_000_000, d / 10_000 % 100, d / 100 % 100, d % 100)
    }

    /// Ad number `id`: one in four belongs to a network (its template with four words changed; two
    /// networks in three also share their phone), the rest are texts of their own.
    fn ad(&self, id: i64) -> Ad {
        let mut rng = Rng::new(id as u64);
        let kind = if id % 3 == 0 { AdKind::Job } else { AdKind::Escort };
        let name = NAMES[rng.below(NAMES.len())];
        let city = CITIES[rng.below(CITIES.len())];
        let (words, phone) = if rng.below(4) == 0 {
            let g = rng.below(self.networks) as u64;
            let mut template = Rng::new(0x7E3A_u64 ^ (g << 20));
            let mut words = self.text(&mut template, 60);
            for _ in 0..4 {
                let k = rng.below(words.len());
                words[k] = self.words[rng.below(self.words.len())].as_str();
            }
            let phone = if g.is_multiple_of(3) { Self::phone(id as u64) } else { Self::phone(50_000_000 + g) };
            (words, phone)
        } else {
            let n = 40 + rng.below(20);
            (self.text(&mut rng, n), Self::phone(id as u64))
        };
        let body = format!("{}. Ask for {name} in {city}, call {phone}.", words.join(" "));
        Ad { id, kind, title: format!("{name} in {city}"), body, city }
    }
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Stores ads `ids` (new, never analysed) on the two sites.
async fn fill(
    store: &Store,
    pop: &Population,
    ids: std::ops::Range<i64>,
    sites: [i64; 2],
    now: i64,
) -> Result<(), BoxError> {
    let ids: Vec<i64> = ids.collect();
    for chunk in ids.chunks(ROWS_PER_INSERT * 20) {
        let mut tx = store.begin().await?;
        for part in chunk.chunks(ROWS_PER_INSERT) {
            let mut a = String::from(
                "INSERT INTO ads (id, site_id, ad_key, kind, url, version, content_hash, first_seen, last_seen) VALUES ",
            );
            let mut v = String::from(
                "INSERT INTO ad_versions (ad_id, version, fetched_at, content_hash, title, body, city) VALUES ",
            );
            for (i, &id) in part.iter().enumerate() {
                let ad = pop.ad(id);
                let sep = if i > 0 { "," } else { "" };
                let site = sites[usize::from(ad.kind == AdKind::Job)];
                let hash = format!("{:016x}", (ad.id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let url = lit(&format!("https://board.example/ad/{}", ad.id));
                let _ =
                    write!(a, "{sep}({id}, {site}, 'k{id}', '{}', {url}, 1, '{hash}', {now}, {now})", ad.kind.as_str());
                let _ = write!(
                    v,
                    "{sep}({id}, 1, {now}, '{hash}', {}, {}, {})",
                    lit(&ad.title),
                    lit(&ad.body),
                    lit(ad.city)
                );
            }
            sqlx::query(&a).execute(&mut *tx).await?;
            sqlx::query(&v).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Records when each stage started and finished.
#[derive(Default)]
struct Stages(Mutex<Vec<(Stage, Instant, Option<Instant>)>>);

impl Stages {
    fn seconds(&self, stage: Stage) -> f64 {
        let v = self.0.lock().unwrap_or_else(|p| p.into_inner());
        v.iter()
            .filter(|(s, _, _)| *s == stage)
            .map(|(_, a, b)| b.map_or(Duration::ZERO, |b| b - *a).as_secs_f64())
            .sum()
    }
}

impl Progress for Stages {
    fn start(&self, stage: Stage, _: u64) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push((stage, Instant::now(), None));
    }
    fn advance(&self, _: u64) {}
    fn finish(&self) {
        if let Some(last) = self.0.lock().unwrap_or_else(|p| p.into_inner()).last_mut() {
            last.2 = Some(Instant::now());
        }
    }
}

/// Peak resident memory since the last [`reset_peak`], in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Starts a new peak-memory measurement (Linux: writing 5 to `clear_refs` resets the peak).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn open(dir: &Path) -> Result<(Store, Arc<AdIndex>, [i64; 2]), BoxError> {
    let store = Store::open(&StoreOptions::data_dir(dir)).await?;
    let index = Arc::new(AdIndex::open(&dir.join("index"))?);
    let mut sites = [0; 2];
    for (i, (name, kind)) in
        [("escorts.example", AdKind::Escort), ("jobs.example", AdKind::Job)].into_iter().enumerate()
    {
        sites[i] = store.upsert_site(&NewSite { name, kind, country: Some("GB"), language: None, config: "" }).await?;
    }
    Ok((store, index, sites))
}

async fn timed(
    store: &Store,
    classifier: &Arc<Classifier>,
    index: &Arc<AdIndex>,
) -> Result<(AnalyzeSummary, Stages, f64), BoxError> {
    let stages = Stages::default();
    reset_peak();
    let s = analyze(store, classifier.clone(), index.clone(), &AnalyzeOptions::default(), &stages).await?;
    Ok((s, stages, peak_mib()))
}

fn report(what: &str, s: &AnalyzeSummary, stages: &Stages, peak: f64) {
    println!(
        "{what}: {:.1} s (extract {:.1}, link {:.1}, score {:.1}, index {:.1}); {} extracted, {} linked, {} scored, \
         {} indexed; {} networks; peak RSS {peak:.0} MiB",
        s.seconds,
        stages.seconds(Stage::Extract),
        stages.seconds(Stage::Link),
        stages.seconds(Stage::Score),
        stages.seconds(Stage::Index),
        s.extracted,
        s.linked,
        s.scored,
        s.indexed,
        s.networks,
    );
}

/// Copies the directory `from` to `to` (files and subdirectories).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1);
    let (mut ads, mut add, mut base) = (1_000_000usize, 10_000usize, None::<PathBuf>);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--add" => add = args.next().and_then(|n| n.parse().ok()).ok_or("--add needs a number")?,
            "--base" => base = Some(args.next().ok_or("--base needs a directory")?.into()),
            n => ads = n.parse().map_err(|_| format!("not a number of ads: {n}"))?,
        }
    }
    let root = std::env::temp_dir().join(format!("redflag-bench-incremental-{}", std::process::id()));
    let _scratch = Scratch(root.clone());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("== {ads} ads, then {add} more; {cores} cores; {}", root.display());
    let classifier = Arc::new(Classifier::bundled()?);
    let pop = Population::new(ads);
    let now = 1_765_000_000_000;

    let big = root.join("big");
    let kept = base.as_ref().map(|b| b.join(format!("{ads}"))).filter(|b| b.join("done").exists());
    if let Some(kept) = &kept {
        copy_dir(kept, &big)?;
        println!("copied the analysed store of {ads} ads from {}", kept.display());
    }
    let (mut store, mut index, mut sites) = open(&big).await?;
    if kept.is_none() {
        let started = Instant::now();
        fill(&store, &pop, 1..ads as i64 + 1, sites, now).await?;
        println!("stored {ads} ads in {:.1} s", started.elapsed().as_secs_f64());
        let (s, stages, peak) = timed(&store, &classifier, &index).await?;
        report(&format!("full analysis of {ads} ads"), &s, &stages, peak);
        println!(
            "linking throughput: {:.0} ads/s (link stage of the full analysis)",
            ads as f64 / stages.seconds(Stage::Link)
        );
        if let Some(base) = &base {
            store.close().await;
            drop(index);
            let to = base.join(format!("{ads}"));
            copy_dir(&big, &to)?;
            std::fs::write(to.join("done"), b"")?;
            println!("kept the analysed store in {}", to.display());
            (store, index, sites) = open(&big).await?;
        }
    }

    let new = ads as i64 + 1..(ads + add) as i64 + 1;
    fill(&store, &pop, new.clone(), sites, now + 1).await?;
    let (big, stages, peak) = timed(&store, &classifier, &index).await?;
    report(&format!("{add} new ads into {ads}"), &big, &stages, peak);
    let recent = store.recent_keyed_ads().await?;
    let started = Instant::now();
    store.merge_recent_keys().await?;
    println!(
        "merging the template keys of {recent} recent ads into the store's: {:.1} s (an incremental run does \
         it once they are for an eighth of the store's ads: every {} runs like this one)",
        started.elapsed().as_secs_f64(),
        (ads / 8).div_ceil(add.max(1))
    );
    drop((store, index));

    let (store, index, sites) = open(&root.join("empty")).await?;
    fill(&store, &pop, new, sites, now + 1).await?;
    let (empty, stages, peak) = timed(&store, &classifier, &index).await?;
    report(&format!("{add} new ads into an empty store"), &empty, &stages, peak);
    println!("ratio: {:.2} (into {ads} / into empty)", big.seconds / empty.seconds);
    Ok(())
}
