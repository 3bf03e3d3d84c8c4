//! The dashboard at a million ads (bench/dashboard.sh): fills a store with generated ads (SQLite under
//! /tmp, or a throw-away PostgreSQL database) and their search index, serves the dashboard from its own
//! process on 127.0.0.1 and times its pages over HTTP, one request at a time: the lead queue (plain and
//! filtered), ad pages, search (the page, and the index's own search and facet times), and the API's lead
//! list with a bearer token. Prints p50/p95/p99 per request type, generation time, index and store sizes
//! and the dashboard process's peak RSS, then deletes everything it made.
//!
//!   bench_million [--ads N] [--requests N] [--pg postgres://…] [--seed N] [--keep]
//!   bench_million serve DATABASE_URL INDEX_DIR      (the dashboard process; prints its address)

mod data;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redflag_dashboard::{AppState, DashboardConfig};
use redflag_index::{AdIndex, SearchQuery};
use redflag_store::{Role, Store, StoreOptions};
use sqlx::Connection as _;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The bench user's password (the store refuses short and common ones).
const PASSWORD: &str = "million-ads-correct-horse-battery";

/// The goals of issue 16 (ms): search in the index at p95, the lead-queue page at p99.
const SEARCH_P95_GOAL: f64 = 10.0;
const LEADS_P99_GOAL: f64 = 50.0;

struct Args {
    ads: usize,
    requests: usize,
    pg: Option<String>,
    seed: u64,
    /// Leave the generated store and index in place (for looking at query plans) instead of deleting them.
    keep: bool,
}

fn usage() -> ! {
    eprintln!("usage: bench_million [--ads N] [--requests N] [--pg postgres://…] [--seed N] [--keep]");
    std::process::exit(2)
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Args {
    let mut a = Args { ads: 1_000_000, requests: 200, pg: None, seed: 20261207, keep: false };
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| usage());
        match k.as_str() {
            "--ads" => a.ads = v().parse().unwrap_or_else(|_| usage()),
            "--requests" => a.requests = v().parse().unwrap_or_else(|_| usage()),
            "--pg" => a.pg = Some(v()),
            "--seed" => a.seed = v().parse().unwrap_or_else(|_| usage()),
            "--keep" => a.keep = true,
            _ => usage(),
        }
    }
    a
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1).peekable();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    if args.peek().map(String::as_str) == Some("serve") {
        let (Some(_), Some(url), Some(dir)) = (args.next(), args.next(), args.next()) else { usage() };
        return rt.block_on(serve(url, PathBuf::from(dir)));
    }
    let a = parse_args(args);
    rt.block_on(run(a))
}

/// The dashboard process: the store, the index and the bundled classifier, served on 127.0.0.1.
async fn serve(url: String, dir: PathBuf) -> Result<(), BoxError> {
    let store = Store::open(&StoreOptions::url(url)).await?;
    let index = Arc::new(AdIndex::open(&dir)?);
    let classifier = Arc::new(redflag_classifier::Classifier::bundled()?);
    // The API's per-token limit would answer a benchmark's sequential requests 429.
    let config = DashboardConfig { api_requests_per_minute: 1_000_000, ..DashboardConfig::default() };
    let state = AppState::new(store, index, classifier, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening {}", listener.local_addr()?);
    // Stops when the benchmark closes our stdin.
    let shutdown = async {
        let _ = tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin(), &mut std::io::sink())).await;
    };
    redflag_dashboard::serve(listener, state, shutdown).await?;
    Ok(())
}

/// Everything the run made, removed on drop-out as well as at the end.
struct Scratch {
    dir: PathBuf,
    pg: Option<(String, String)>,
}

impl Scratch {
    async fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin_url, name)) = &self.pg {
            match sqlx::AnyConnection::connect(admin_url).await {
                Ok(mut c) => {
                    if let Err(e) =
                        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c).await
                    {
                        eprintln!("cannot drop database {name}: {e}");
                    }
                }
                Err(e) => eprintln!("cannot drop database {name}: {e}"),
            }
        }
    }
}

async fn run(a: Args) -> Result<(), BoxError> {
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(format!("redflag-bench-million-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let index_dir = dir.join("index");
    let mut scratch = Scratch { dir: dir.clone(), pg: None };
    let url = match &a.pg {
        None => format!("sqlite://{}", dir.join("redflag.db").display()),
        Some(admin) => {
            let name = format!("redflag_bench_million_{}", std::process::id());
            let mut c = sqlx::AnyConnection::connect(admin).await?;
            sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&mut c).await?;
            scratch.pg = Some((admin.clone(), name.clone()));
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
            format!("{base}/{name}")
        }
    };
    let result = bench(&a, &url, &index_dir).await;
    if a.keep {
        println!("== kept: {url} and {}", index_dir.display());
    } else {
        scratch.remove().await;
    }
    result
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A field of /proc/PID/status in kB (VmRSS, VmHWM).
fn proc_kb(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()
}

async fn bench(a: &Args, url: &str, index_dir: &Path) -> Result<(), BoxError> {
    let backend = if a.pg.is_some() { "PostgreSQL" } else { "SQLite" };
    println!("== {} ads, {backend}, seed {}", a.ads, a.seed);
    let store = Store::open(&StoreOptions::url(url)).await?;
    let now = redflag_store::now_ms();

    // --- generation ---
    let t0 = Instant::now();
    let sites = data::sites();
    let cities = data::cities();
    let phrases = data::Phrases::bundled();
    let nets = data::Networks::new(a.ads, a.seed);
    sqlx::raw_sql(&data::site_sql(&sites, now)).execute(store.pool()).await?;
    let index = Arc::new(AdIndex::open(index_dir)?);
    let (mut store_time, mut index_wait) = (Duration::ZERO, Duration::ZERO);
    let mut next = 1i64;
    while next <= a.ads as i64 {
        let end = (next + data::TX_ADS as i64 - 1).min(a.ads as i64);
        let ads: Vec<data::Ad> = (next..=end).map(|id| data::ad(id, a.seed, now, &cities, &phrases, &nets)).collect();
        let docs: Vec<_> = ads.iter().map(|ad| ad.doc(&sites)).collect();
        let ix = index.clone();
        let indexing = tokio::task::spawn_blocking(move || ix.upsert(&docs));
        let t = Instant::now();
        let mut tx = store.pool().begin().await?;
        for sql in data::batch_sql(&ads, &sites) {
            sqlx::raw_sql(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        store_time += t.elapsed();
        let t = Instant::now();
        indexing.await??;
        index_wait += t.elapsed();
        next = end + 1;
        if (end as usize) % 200_000 < data::TX_ADS {
            println!("   {end} ads, {:.0} s", t0.elapsed().as_secs_f64());
        }
    }
    let t = Instant::now();
    let phone_of = |id: i64| format!("+4470{:08}", id % 100_000_000);
    let mut tx = store.pool().begin().await?;
    for sql in data::link_sql(&nets.links, phone_of) {
        sqlx::raw_sql(&sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    store_time += t.elapsed();
    let t = Instant::now();
    index.commit()?;
    let index_commit = t.elapsed();
    drop(index);
    let t = Instant::now();
    if a.pg.is_some() {
        // Explicit ids leave the sequences behind; autovacuum would analyse the new tables soon after.
        sqlx::raw_sql(
            "SELECT setval(pg_get_serial_sequence('ads', 'id'), (SELECT MAX(id) FROM ads));
             SELECT setval(pg_get_serial_sequence('sites', 'id'), (SELECT MAX(id) FROM sites))",
        )
        .execute(store.pool())
        .await?;
        // VACUUM refuses to run in the implicit transaction of a multi-statement query.
        sqlx::raw_sql("VACUUM ANALYZE").execute(store.pool()).await?;
    }
    let settle = t.elapsed();
    let generation = t0.elapsed();
    println!(
        "   generated in {:.1} s (store inserts {:.1} s, waiting for the index {:.1} s, index commit {:.1} s{})",
        generation.as_secs_f64(),
        store_time.as_secs_f64(),
        index_wait.as_secs_f64(),
        index_commit.as_secs_f64(),
        if a.pg.is_some() { format!(", VACUUM ANALYZE {:.1} s", settle.as_secs_f64()) } else { String::new() }
    );
    let triaged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM triage").fetch_one(store.pool()).await?;
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM links").fetch_one(store.pool()).await?;
    let networked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ads WHERE cluster_id IS NOT NULL").fetch_one(store.pool()).await?;
    println!(
        "   {} sites, {} cities, {triaged} triage rows, {networked} ads in networks ({links} links)",
        data::SITES,
        data::CITIES
    );

    // --- sizes ---
    let index_size = dir_size(index_dir);
    let store_size = match a.pg {
        None => {
            let db = url.trim_start_matches("sqlite://");
            ["", "-wal", "-shm"]
                .iter()
                .map(|s| std::fs::metadata(format!("{db}{s}")).map(|m| m.len()).unwrap_or(0))
                .sum()
        }
        Some(_) => {
            let n: i64 =
                sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(store.pool()).await?;
            n as u64
        }
    };
    println!("   index on disk {}, store {}", mib(index_size), mib(store_size));

    // --- credentials ---
    store.upsert_user("bench", PASSWORD, Role::Admin, "bench").await?;
    let session = store.login("bench", PASSWORD, 3_600_000).await?.ok_or("bench login refused")?;
    let token = store.create_api_token("bench", "bench", None, "bench").await?.secret;
    store.pool().close().await;

    // --- the dashboard process ---
    let t = Instant::now();
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args(["serve", url, &index_dir.display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let Some(addr) = line.trim().strip_prefix("listening ").map(str::to_string) else {
        stop(child);
        return Err(format!("the dashboard process did not start: {line:?}").into());
    };
    println!("   dashboard pid {pid} on {addr}, ready in {:.2} s", t.elapsed().as_secs_f64());
    let result = measure(a, &addr, pid, &session.token, &token, index_dir, &cities).await;
    stop(child);
    result
}

fn stop(mut child: Child) {
    drop(child.stdin.take());
    for _ in 0..100 {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

struct Stats {
    name: String,
    ms: Vec<f64>,
    bytes: usize,
}

impl Stats {
    fn pct(&self, q: f64) -> f64 {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
        v[i]
    }

    fn print(&self) {
        println!(
            "   {:<52} p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} KiB)",
            self.name,
            self.pct(0.50),
            self.pct(0.95),
            self.pct(0.99),
            self.pct(1.0),
            self.bytes / 1024
        );
    }
}

/// Times `n` GETs of the paths `path(i)` (after a few unmeasured ones), one at a time.
async fn time_http(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    n: usize,
    auth: (&str, String),
    path: impl Fn(usize) -> String,
) -> Result<Stats, BoxError> {
    let mut out = Stats { name: name.to_string(), ms: Vec::with_capacity(n), bytes: 0 };
    for i in 0..n + 5 {
        let p = path(i);
        let t = Instant::now();
        let resp = client.get(format!("{base}{p}")).header(auth.0, &auth.1).send().await?;
        let status = resp.status();
        let body = resp.bytes().await?;
        let took = t.elapsed();
        if !status.is_success() {
            return Err(format!("GET {p}: {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)])).into());
        }
        if i >= 5 {
            out.ms.push(ms(took));
            out.bytes = out.bytes.max(body.len());
        }
    }
    Ok(out)
}

const SEARCHES: [&str; 8] =
    ["passport", "dinner companion", "registration fee", "driver", "visa housing", "warehouse", "hotel", "manager"];

async fn measure(
    a: &Args,
    addr: &str,
    pid: u32,
    session: &str,
    token: &str,
    index_dir: &Path,
    cities: &[String],
) -> Result<(), BoxError> {
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?;
    let n = a.requests;
    let cookie = ("cookie", format!("{}={session}", redflag_dashboard::auth::session_cookie_name(false)));
    let bearer = ("authorization", format!("Bearer {token}"));
    let rss_start = proc_kb(pid, "VmRSS").unwrap_or(0);
    let load_before = loadavg();
    let mut rng = StdRng::seed_from_u64(a.seed);
    let ids: Vec<i64> = (0..n + 5).map(|_| rng.random_range(1..=a.ads as i64)).collect();
    let search_text = |i: usize| {
        if i % 4 == 3 { cities[i % cities.len()].clone() } else { SEARCHES[i % SEARCHES.len()].to_string() }
    };
    let mut all = Vec::new();
    all.push(time_http(&client, &base, "GET /leads", n, cookie.clone(), |_| "/leads".into()).await?);
    all.push(
        time_http(&client, &base, "GET /leads?kind=escort&min_risk=70&triage=new", n, cookie.clone(), |_| {
            "/leads?kind=escort&min_risk=70&triage=new".into()
        })
        .await?,
    );
    // Every indicator of concern in turn, among the unassigned leads.
    let indicators = data::Phrases::bundled().ids();
    all.push(
        time_http(&client, &base, "GET /leads?indicator=…&assignee=-", n, cookie.clone(), |i| {
            format!("/leads?indicator={}&assignee=-", indicators[i % indicators.len()])
        })
        .await?,
    );
    all.push(
        time_http(&client, &base, "GET /ads/{id} (random ids)", n, cookie.clone(), |i| format!("/ads/{}", ids[i]))
            .await?,
    );
    all.push(
        time_http(&client, &base, "GET /search?q=… (with facets)", n, cookie.clone(), |i| {
            format!("/search?q={}", search_text(i).replace(' ', "+"))
        })
        .await?,
    );
    all.push(
        time_http(&client, &base, "GET /api/leads (bearer token)", n, bearer.clone(), |_| "/api/leads".into()).await?,
    );
    let load_after = loadavg();
    let hwm = proc_kb(pid, "VmHWM").unwrap_or(0);
    let rss_end = proc_kb(pid, "VmRSS").unwrap_or(0);

    // The index's own times, in this process, as the search page asks (its page size, 50 hits).
    let index = AdIndex::open(index_dir)?;
    let mut search = Stats { name: "AdIndex::search (50 hits)".into(), ms: Vec::new(), bytes: 0 };
    let mut facets = Stats { name: "AdIndex::facets (12 values per facet)".into(), ms: Vec::new(), bytes: 0 };
    let mut matched = 0usize;
    for i in 0..n + 5 {
        let q = SearchQuery { text: search_text(i), limit: 50, ..SearchQuery::default() };
        let t = Instant::now();
        let r = index.search(&q)?;
        let s = t.elapsed();
        let t = Instant::now();
        let f = index.facets(&q, 12)?;
        let fa = t.elapsed();
        std::hint::black_box(f);
        if i >= 5 {
            matched += r.total;
            search.ms.push(ms(s));
            facets.ms.push(ms(fa));
        }
    }
    all.push(search);
    all.push(facets);

    println!("== latency, {n} requests each, one at a time (load average {load_before} before, {load_after} after)");
    for s in &all {
        s.print();
    }
    println!("   (searches matched {} ads on average)", matched / n.max(1));
    println!(
        "== dashboard process: RSS {} after start, {} at the end, peak {}",
        mib(rss_start * 1024),
        mib(rss_end * 1024),
        mib(hwm * 1024)
    );
    let leads_p99 = all[..3].iter().map(|s| s.pct(0.99)).fold(0.0, f64::max);
    let search_p95 = all.iter().find(|s| s.name.starts_with("AdIndex::search")).map_or(f64::NAN, |s| s.pct(0.95));
    println!(
        "== goals: index search p95 {search_p95:.2} ms (< {SEARCH_P95_GOAL} ms: {}), lead-queue page p99 {leads_p99:.2} ms (< {LEADS_P99_GOAL} ms: {})",
        if search_p95 < SEARCH_P95_GOAL { "met" } else { "NOT met" },
        if leads_p99 < LEADS_P99_GOAL { "met" } else { "NOT met" }
    );
    Ok(())
}
