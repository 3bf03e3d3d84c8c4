//! End-to-end tests of `redflag crawl` and `redflag evidence verify`: real processes against the demo
//! site served on 127.0.0.1, on SQLite and on a shared PostgreSQL frontier.
//!
//! The PostgreSQL test uses the server named by `REDFLAG_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`; `off` skips it) and creates a throw-away database on
//! it with `psql`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redflag_core::AdKind;
use redflag_demosite::{DemoConfig, DemoServer, DemoSite, serve};
use redflag_store::{Store, StoreOptions};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_redflag");

pub(crate) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub(crate) async fn demo(escort_ads: usize, job_ads: usize) -> (Arc<DemoSite>, DemoServer) {
    let site = Arc::new(DemoSite::generate(&DemoConfig { escort_ads, job_ads, ..DemoConfig::default() }));
    let server = serve(Arc::clone(&site), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    (site, server)
}

pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("redflag_e2e_{tag}_{}_{}", std::process::id(), redflag_store::now_ms()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a `redflag` command to completion off the async runtime.
pub(crate) async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || Command::new(BIN).args(&args).output().unwrap()).await.unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "redflag failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread")]
async fn crawl_prints_its_outcomes_resumes_and_the_evidence_verifies() {
    let (site, server) = demo(40, 40).await;
    let data = temp_dir("sqlite");
    let base = server.base_url();
    let common = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = vec!["--data-dir".into(), data.display().to_string(), "crawl".into()];
        v.extend(
            ["--site", repo("config/sites/demo-jobs.toml").to_str().unwrap(), "--base-url", &base].map(String::from),
        );
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let dry = run(common(&["--dry-run"])).await;
    assert!(dry.status.success());
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("would fetch 1 URL(s)") && text.contains(&format!("{base}/jobs/")), "{text}");

    let first = json(&run(common(&["--json", "--max-pages", "5"])).await);
    assert_eq!((first[0]["status"].as_str(), first[0]["pages_fetched"].as_u64()), (Some("limit"), Some(5)), "{first}");
    let rest = json(&run(common(&["--json"])).await);
    let s = &rest[0];
    assert_eq!(s["status"], "finished", "{s}");
    let jobs = site.truth().iter().filter(|t| t.kind == AdKind::Job).count() as u64;
    assert_eq!(first[0]["ads_new"].as_u64().unwrap() + s["ads_new"].as_u64().unwrap(), jobs, "{s}");
    assert_eq!(s["frontier"]["by_state"]["queued"], serde_json::Value::Null, "{s}");
    assert!(
        s["problems"].as_array().unwrap().iter().any(|p| p["outcome"] == "http_error"),
        "removed ads are reported: {s}"
    );

    let human = run(common(&[])).await;
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("demo-jobs: finished") && text.contains("URLs that did not end ok"), "{text}");

    let verify = json(
        &run(vec![
            "--data-dir".into(),
            data.display().to_string(),
            "evidence".into(),
            "verify".into(),
            "--json".into(),
        ])
        .await,
    );
    assert!(verify["checked"].as_u64().unwrap() > jobs, "{verify}");
    assert_eq!(verify["mismatched"].as_array().unwrap().len(), 0);
    assert!(verify["pictures_checked"].as_u64().unwrap() > 0, "the ads' pictures are evidence too: {verify}");
    assert_eq!(verify["mismatched_pictures"].as_array().unwrap().len(), 0);
    server.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_adapter_is_reported_with_file_line_and_key() {
    let dir = temp_dir("badcfg");
    let file = dir.join("bad.toml");
    let text =
        std::fs::read_to_string(repo("config/sites/demo-jobs.toml")).unwrap().replace("h3.ld-title", "h3..ld-title");
    std::fs::write(&file, text).unwrap();
    let out = run(vec![
        "--data-dir".into(),
        dir.display().to_string(),
        "crawl".into(),
        "--site".into(),
        file.display().to_string(),
    ])
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:", file.display())) && err.contains(": fields.title[2]: invalid CSS selector"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The PostgreSQL server for tests, or `None` when switched off.
pub(crate) fn pg_server() -> Option<String> {
    match std::env::var("REDFLAG_TEST_PG") {
        Ok(v) if v == "off" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some("postgres://postgres@127.0.0.1:5432/postgres".to_string()),
    }
}

/// Runs one SQL statement and returns the lines it prints, unaligned and without headers.
pub(crate) fn psql(db: &str, sql: &str) -> Vec<String> {
    let out =
        Command::new("psql").args([db, "-v", "ON_ERROR_STOP=1", "-tAqc", sql]).output().expect("psql is installed");
    assert!(out.status.success(), "psql {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn worker(adapter: &Path, base: &str, db: &str, name: &str) -> Child {
    Command::new(BIN)
        .args(["--database-url", db, "-q", "crawl", "--json", "--lease-secs", "2", "--worker-id", name])
        .args(["--site", adapter.to_str().unwrap(), "--base-url", base])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_workers_share_a_postgres_frontier_and_a_killed_one_loses_nothing() {
    let Some(admin) = pg_server() else {
        eprintln!("REDFLAG_TEST_PG=off: skipping the multi-worker PostgreSQL test");
        return;
    };
    let db_name = format!("redflag_e2e_{}_{}", std::process::id(), redflag_store::now_ms() % 1_000_000_000);
    psql(&admin, &format!("CREATE DATABASE {db_name}"));
    let db = url_with_db(&admin, &db_name);
    // Migrate once up front so the workers start together.
    Store::open(&StoreOptions::url(&db)).await.unwrap().close().await;

    let (site, server) = demo(160, 0).await;
    let dir = temp_dir("pg");
    // The demo adapter, slowed down so that the crawl lasts long enough to kill a worker in the middle.
    let adapter = dir.join("demo-escorts-slow.toml");
    let text = std::fs::read_to_string(repo("config/sites/demo-escorts.toml"))
        .unwrap()
        .replace("concurrency = 8", "concurrency = 2")
        .replace("delay = 0", "delay = \"40ms\"");
    std::fs::write(&adapter, text).unwrap();
    let base = server.base_url();
    let mut workers: Vec<Child> = (1..=3).map(|i| worker(&adapter, &base, &db, &format!("w{i}"))).collect();

    // Kill worker 2 outright once the crawl is well under way and it holds leases.
    let store = Store::open(&StoreOptions::url(&db)).await.unwrap();
    let leased_by_w2 = "SELECT url FROM frontier WHERE state = 'leased' AND lease_owner = 'w2' ORDER BY url";
    let t = Instant::now();
    while store.page_count().await.unwrap() < 40 || psql(&db, leased_by_w2).is_empty() {
        assert!(t.elapsed() < Duration::from_secs(60), "the workers never got going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    workers[1].kill().unwrap();
    let killed = workers.remove(1).wait_with_output().unwrap();
    assert!(!killed.status.success(), "worker 2 was killed");
    // What the dead worker still held: the others must take all of it over once the leases expire.
    let orphaned = psql(&db, leased_by_w2);

    let mut summaries = Vec::new();
    for w in workers {
        let out = tokio::task::spawn_blocking(move || w.wait_with_output().unwrap()).await.unwrap();
        summaries.push(json(&out)[0].clone());
    }
    let site_id = store.site_by_name("demo-escorts").await.unwrap().unwrap().id;
    let escorts = site.truth().iter().filter(|t| t.kind == AdKind::Escort).count() as i64;
    assert_eq!(store.ad_count().await.unwrap(), escorts, "every ad stored, once");
    assert!(store.duplicate_pages(site_id).await.unwrap().is_empty(), "no page stored twice");
    let stats = store.frontier_stats(site_id).await.unwrap();
    assert_eq!(stats.pending(), 0, "nothing left behind: {stats:?}");
    let counts = store.frontier_fetch_counts(site_id).await.unwrap();
    assert!(counts.keys().all(|&n| n <= 1), "every URL fetched (and recorded) once: {counts:?}");
    // The killed worker held leases; they expired and were fetched by the others (an expired lease
    // counts as an attempt on the row).
    assert!(!orphaned.is_empty(), "worker 2 died holding leases");
    // Each row ends with what the site serves for it (the front page also links a removed ad, a 404).
    for url in &orphaned {
        let row = store.frontier_url(site_id, url).await.unwrap().expect("a frontier row");
        let served = reqwest::get(url).await.unwrap().status().as_u16();
        let expected = if served == 200 { "ok" } else { "http_error" };
        assert!(row.attempts > 0 && row.outcome.as_deref() == Some(expected), "{url} was taken over: {row:?}");
        assert!(served == 200 || row.http_status == Some(i64::from(served)), "{url} records HTTP {served}: {row:?}");
    }
    for s in &summaries {
        assert_eq!(s["status"], "finished", "{s}");
        assert_eq!(s["lost_leases"], 0, "live workers never did each other's work: {s}");
    }
    let fetched: u64 = summaries.iter().map(|s| s["pages_fetched"].as_u64().unwrap()).sum();
    assert!(fetched > 0 && summaries.iter().all(|s| s["pages_fetched"].as_u64().unwrap() > 0), "both survivors worked");
    let runs = store.crawl_runs(Some(site_id), 10).await.unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(
        runs.iter().filter(|r| r.worker == "w2" && r.finished_at.is_none()).count(),
        1,
        "the killed run never finished"
    );

    let verify = json(
        &run(vec!["--database-url".into(), db.clone(), "evidence".into(), "verify".into(), "--json".into()]).await,
    );
    assert_eq!(verify["mismatched"].as_array().unwrap().len(), 0);

    store.close().await;
    server.shutdown().await.unwrap();
    psql(&admin, &format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `admin` with its database replaced by `db`.
pub(crate) fn url_with_db(admin: &str, db: &str) -> String {
    let (head, _) = admin.rsplit_once('/').expect("a postgres:// URL");
    let query = admin.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{head}/{db}{query}")
}
