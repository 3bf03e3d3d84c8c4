//! End-to-end test of `redflag run`: two workers crawl and analyse into one PostgreSQL store while the
//! one doing the analysis is killed outright and started again; nothing is lost and nothing is doubled
//! (ads, versions, scores, alerts), and SIGTERM stops the workers cleanly.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redflag_store::{NewWatch, Role, Store, StoreOptions, WatchKind, leases};

use crate::crawl::{BIN, demo, repo, temp_dir};
use crate::crawl::{pg_server, psql, url_with_db};

fn worker(adapter: &Path, base: &str, db: &str, name: &str, data: &Path) -> Child {
    Command::new(BIN)
        .args(["--database-url", db, "--data-dir", data.to_str().unwrap(), "-q", "run"])
        .args(["--worker-id", name, "--lease-secs", "2", "--analyze-every", "1", "--analyze-at", "10"])
        .args(["--site", adapter.to_str().unwrap(), "--base-url", base])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn one(db: &str, sql: &str) -> i64 {
    psql(db, sql).first().and_then(|l| l.trim().parse().ok()).unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn run_workers_killed_mid_analysis_lose_and_duplicate_nothing() {
    let Some(admin) = pg_server() else {
        eprintln!("REDFLAG_TEST_PG=off: skipping the continuous-operation test");
        return;
    };
    let db_name = format!("redflag_e2e_run_{}_{}", std::process::id(), redflag_store::now_ms() % 1_000_000_000);
    psql(&admin, &format!("CREATE DATABASE {db_name}"));
    let db = url_with_db(&admin, &db_name);
    let store = Store::open(&StoreOptions::url(&db)).await.unwrap();
    let ana = store.upsert_user("ana", "correct horse 42", Role::Analyst, "admin").await.unwrap();
    // An empty saved search matches every ad: each stored version must raise exactly one alert.
    let everything = NewWatch {
        user_id: ana.id,
        kind: WatchKind::Search,
        target: String::new(),
        ad_kind: None,
        min_risk: None,
        label: "everything".into(),
        email: None,
    };
    store.create_watch(&everything, "ana").await.unwrap();

    let (site, server) = demo(120, 40).await;
    let dir = temp_dir("run");
    let adapter = dir.join("demo-escorts-slow.toml");
    let text = std::fs::read_to_string(repo("config/sites/demo-escorts.toml"))
        .unwrap()
        .replace("concurrency = 8", "concurrency = 2")
        .replace("delay = 0", "delay = \"50ms\"");
    std::fs::write(&adapter, text).unwrap();
    let base = server.base_url();
    let data = |n: &str| {
        let d = dir.join(n);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let mut workers = vec![
        ("w1", worker(&adapter, &base, &db, "w1", &data("w1"))),
        ("w2", worker(&adapter, &base, &db, "w2", &data("w2"))),
    ];

    // Kill the worker that analyses once it has raised some alerts, while the crawl goes on.
    let t = Instant::now();
    let holder = loop {
        assert!(t.elapsed() < Duration::from_secs(90), "the workers never got going");
        let alerts = store.all_alerts().await.unwrap().len();
        let holder = store.lease_holder(leases::ANALYSIS).await.unwrap();
        if alerts > 0
            && let Some(h) = holder
        {
            break h;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let i = workers.iter().position(|(n, _)| *n == holder).expect("a worker holds the analysis lease");
    let (name, mut killed) = workers.remove(i);
    killed.kill().unwrap();
    assert!(!killed.wait().unwrap().success(), "killed");
    // Started again under its name, it takes its frontier leases back at once.
    workers.push((name, worker(&adapter, &base, &db, name, &data(name))));

    let escorts = site.truth().iter().filter(|t| t.kind == redflag_core::AdKind::Escort).count() as i64;
    let t = Instant::now();
    loop {
        let ads = store.ad_count().await.unwrap();
        let stale = one(&db, "SELECT COUNT(*) FROM ads WHERE analyzed_version < version");
        let versions = one(&db, "SELECT COUNT(*) FROM ad_versions");
        let alerts = store.all_alerts().await.unwrap().len() as i64;
        if ads == escorts && stale == 0 && store.pending_count().await.unwrap() == 0 && alerts == versions {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "not caught up: {ads}/{escorts} ads, {stale} stale, {alerts} alerts for {versions} versions"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // SIGTERM: both stop cleanly.
    for (_, w) in &workers {
        assert!(Command::new("kill").args(["-TERM", &w.id().to_string()]).status().unwrap().success());
    }
    for (name, w) in workers {
        let out = tokio::task::spawn_blocking(move || w.wait_with_output().unwrap()).await.unwrap();
        assert!(out.status.success(), "{name} stopped cleanly: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(store.lease_holder(leases::ANALYSIS).await.unwrap(), None, "the lease was given back");

    let site_id = store.site_by_name("demo-escorts").await.unwrap().unwrap().id;
    assert_eq!(store.ad_count().await.unwrap(), escorts, "every ad stored, once");
    assert!(store.duplicate_pages(site_id).await.unwrap().is_empty(), "no page stored twice");
    assert_eq!(
        one(
            &db,
            "SELECT COUNT(*) FROM (SELECT ad_id, version FROM scores GROUP BY ad_id, version, model HAVING COUNT(*) > 1) d"
        ),
        0
    );
    assert_eq!(
        one(
            &db,
            "SELECT COUNT(*) FROM ads a WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.ad_id = a.id AND s.version = a.version)"
        ),
        0,
        "every ad scored at its version"
    );
    assert_eq!(
        one(
            &db,
            "SELECT COUNT(*) FROM ad_versions v WHERE (SELECT COUNT(*) FROM alerts al WHERE al.ad_id = v.ad_id AND al.version = v.version) <> 1"
        ),
        0,
        "one alert per version"
    );
    let audited = one(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'alert.create'");
    assert_eq!(audited, store.all_alerts().await.unwrap().len() as i64, "each alert audited once");

    store.close().await;
    server.shutdown().await.unwrap();
    psql(&admin, &format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"));
    let _ = std::fs::remove_dir_all(&dir);
}
