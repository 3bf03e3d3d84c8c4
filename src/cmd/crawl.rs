//! `redflag crawl`: crawl sites described by site-adapter files into the store.
//!
//! Several `--site` files are crawled at the same time; several `redflag crawl` processes (on one machine
//! or many, with `--database-url` pointing at one PostgreSQL server) share each site's frontier.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use redflag_crawler::{CrawlOptions, CrawlProgress, CrawlSummary, SiteAdapter};

use crate::app::Global;
use crate::progress;

/// Flags of `redflag crawl`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A site-adapter file; repeat to crawl several sites at once.
    #[arg(long = "site", value_name = "FILE.toml", required = true)]
    pub sites: Vec<PathBuf>,

    /// Crawl a copy of the site served elsewhere: the adapter's URLs move to this origin.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<reqwest::Url>,

    /// Fetch at most this many pages per site in this run; the rest stays queued for the next run.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,

    /// Do not follow links deeper than this from a start URL.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,

    /// Print what would be fetched, without fetching or writing anything.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,

    /// This worker's name, unique among workers sharing a frontier (default: host name and process id).
    /// Reusing a killed worker's name takes its leases back at once.
    #[arg(long, env = "REDFLAG_WORKER_ID", value_name = "NAME")]
    pub worker_id: Option<String>,

    /// Requests in flight at once across all hosts of a site (each host is further limited by the
    /// adapter's `politeness.concurrency`).
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,

    /// Seconds a leased URL stays with this worker if it stops renewing (after a crash).
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub lease_secs: u64,

    /// Do not refetch pages whose recrawl time has come.
    #[arg(long)]
    pub no_recrawl: bool,

    /// Keep running when the frontier is drained, refetching pages when their recrawl time comes.
    #[arg(long)]
    pub watch: bool,

    /// Where site owners can reach you; sent in the User-Agent (an adapter's own contact URL wins).
    #[arg(long, env = "REDFLAG_CONTACT_URL", value_name = "URL")]
    pub contact_url: Option<String>,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let mut adapters = Vec::new();
    for path in &a.sites {
        let mut adapter = SiteAdapter::load(path)?;
        if let Some(base) = &a.base_url {
            adapter.rebase(base).with_context(|| format!("rebasing {} onto {base}", path.display()))?;
        }
        adapters.push(adapter);
    }
    let store = g.open_store().await?;
    let stop = Arc::new(AtomicBool::new(false));
    if !a.dry_run {
        let stop = Arc::clone(&stop);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!(
                    "redflag: stopping; in-flight pages go back to the queue (press Ctrl-C again to quit at once)"
                );
                stop.store(true, Ordering::Relaxed);
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
    }
    let opts = CrawlOptions {
        worker_id: a.worker_id.clone().unwrap_or_else(redflag_crawler::default_worker_id),
        max_pages: a.max_pages,
        max_depth: a.max_depth,
        dry_run: a.dry_run,
        recrawl: !a.no_recrawl,
        watch: a.watch,
        concurrency: a.concurrency,
        lease: Duration::from_secs(a.lease_secs.max(1)),
        contact_url: a.contact_url.clone(),
        stop: Some(Arc::clone(&stop)),
        ..CrawlOptions::default()
    };
    let quiet = g.quiet;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, adapter) in adapters.into_iter().enumerate() {
        let (store, opts) = (store.clone(), opts.clone());
        tasks.spawn(async move {
            let report = Reporter::new(&adapter.name, quiet || opts.dry_run);
            let result = redflag_crawler::crawl(&store, &adapter, &opts, |p| report.update(p)).await;
            report.finish();
            (i, adapter.name.clone(), result)
        });
    }
    let mut results: Vec<(usize, String, Result<CrawlSummary, redflag_crawler::Error>)> = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined.context("a crawl task failed")?);
    }
    results.sort_by_key(|r| r.0);
    let mut failed = false;
    let mut summaries = Vec::new();
    for (_, name, r) in results {
        match r {
            Ok(s) => summaries.push(s),
            Err(e) => {
                eprintln!("redflag: crawl of {name} failed: {e}");
                failed = true;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &summaries)?;
        writeln!(out)?;
    } else {
        for s in &summaries {
            print_summary(&mut out, s)?;
        }
        if summaries.iter().any(|s| s.ads_new + s.ads_changed > 0) {
            writeln!(out, "next: `redflag analyze` scores and indexes the new and changed ads")?;
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Shows a crawl's progress: a live line on a terminal, a plain log line every few seconds otherwise.
struct Reporter {
    site: String,
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    last_line: std::sync::Mutex<Instant>,
}

impl Reporter {
    fn new(site: &str, quiet: bool) -> Reporter {
        let bar = (progress::interactive() && !quiet).then(|| progress::counter(site));
        Reporter { site: site.to_string(), bar, quiet, last_line: std::sync::Mutex::new(Instant::now()) }
    }

    fn update(&self, p: &CrawlProgress) {
        let line = format!(
            "{} pages, {} new ads, {} changed, {} errors, {:.1} pages/s, {} queued",
            p.pages, p.ads_new, p.ads_changed, p.errors, p.pages_per_sec, p.queued
        );
        if let Some(bar) = &self.bar {
            bar.set_position(p.pages);
            bar.set_message(line);
        } else if !self.quiet && !p.done {
            let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= Duration::from_secs(5) {
                *last = Instant::now();
                eprintln!("crawl {}: {line}", self.site);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn print_summary(out: &mut impl std::io::Write, s: &CrawlSummary) -> std::io::Result<()> {
    if s.status == "dry_run" {
        writeln!(out, "{}: would fetch {} URL(s) (dry run, nothing fetched):", s.site, s.would_fetch.len())?;
        for u in &s.would_fetch {
            writeln!(out, "  {u}")?;
        }
        return Ok(());
    }
    let status = match s.status.as_str() {
        "finished" => "finished",
        "limit" => "stopped at the page limit",
        "stopped" => "stopped on request",
        other => other,
    };
    writeln!(
        out,
        "{}: {status} in {:.1} s: {} pages ({:.1} pages/s), {} new ads, {} changed, {} unchanged, {} errors, {} retries",
        s.site,
        s.seconds,
        s.pages_fetched,
        s.pages_per_sec,
        s.ads_new,
        s.ads_changed,
        s.ads_unchanged,
        s.errors,
        s.retries
    )?;
    let join = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    if !s.outcomes.is_empty() {
        writeln!(out, "  outcomes this run: {}", join(&s.outcomes))?;
    }
    if s.images + s.image_errors > 0 {
        writeln!(
            out,
            "  ad pictures: {} kept or unchanged, {} not kept (the reason is on the ad page)",
            s.images, s.image_errors
        )?;
    }
    let frontier: std::collections::BTreeMap<String, u64> =
        s.frontier.by_state.iter().map(|(k, v)| (k.clone(), *v as u64)).collect();
    writeln!(out, "  frontier: {}", join(&frontier))?;
    if s.lost_leases > 0 {
        writeln!(out, "  {} result(s) dropped: another worker had taken the URL over", s.lost_leases)?;
    }
    if !s.problems.is_empty() {
        writeln!(out, "  URLs that did not end ok (newest first):")?;
        for p in s.problems.iter().take(20) {
            let what = p.outcome.as_deref().unwrap_or(&p.state);
            writeln!(out, "    {what:<12} {}  {}", p.url, p.detail.as_deref().unwrap_or(""))?;
        }
        if s.problems.len() > 20 {
            writeln!(out, "    … {} more (see --json or the dashboard's crawl status)", s.problems.len() - 20)?;
        }
    }
    Ok(())
}
