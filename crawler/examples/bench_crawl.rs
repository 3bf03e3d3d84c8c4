//! Crawls a site once into a fresh SQLite store and prints one JSON line of figures (used by
//! `bench/crawl_vs_scrapy.sh`; it runs the same library code as `redflag crawl`, without building the
//! whole `redflag` binary in release mode).
//!
//! `bench_crawl ADAPTER.toml BASE_URL DATA_DIR CONCURRENCY`

use std::process::ExitCode;
use std::time::Instant;

use redflag_crawler::{CrawlOptions, SiteAdapter};
use redflag_store::{Store, StoreOptions};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [adapter, base, dir, concurrency] = args.as_slice() else {
        eprintln!("usage: bench_crawl ADAPTER.toml BASE_URL DATA_DIR CONCURRENCY");
        return ExitCode::from(2);
    };
    let result = async {
        let mut a = SiteAdapter::load(adapter)?;
        a.rebase(&base.parse().map_err(|e| redflag_crawler::Error::Options(format!("bad base URL: {e}")))?)?;
        let store = Store::open(&StoreOptions::data_dir(dir)).await?;
        let opts = CrawlOptions {
            worker_id: "bench".into(),
            concurrency: concurrency.parse().unwrap_or(16),
            ..CrawlOptions::default()
        };
        let t = Instant::now();
        let s = redflag_crawler::crawl(&store, &a, &opts, |_| {}).await?;
        let wall = t.elapsed().as_secs_f64();
        store.close().await;
        Ok::<_, redflag_crawler::Error>((s, wall))
    }
    .await;
    match result {
        Ok((s, wall)) => {
            let line = serde_json::json!({
                "pages": s.pages_fetched,
                "pages_stored": s.pages_stored,
                "ads": s.ads_new + s.ads_changed + s.ads_unchanged,
                "errors": s.errors,
                "seconds": s.seconds,
                "wall_seconds": wall,
                "pages_per_sec": s.pages_per_sec,
                "peak_rss_kib": peak_rss_kib(),
                "outcomes": s.outcomes,
            });
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_crawl: {e}");
            ExitCode::FAILURE
        }
    }
}
