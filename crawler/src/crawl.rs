//! The crawl loop: lease URLs from the store's frontier, fetch them politely, read them off the async
//! executor, and write pages, ads, outcomes and new links back in batched transactions.
//!
//! Architecture Invariant: everything a fetch produces (the evidence page, the ad version, the frontier
//! row's outcome and the links found) is committed in one transaction, together with the check that this
//! worker still holds the row's lease. A worker killed at any moment therefore loses nothing (uncommitted
//! rows are still leased and come back when the lease expires) and duplicates nothing (a row is settled
//! once, an ad is one row per key).
//!
//! Data flow: the loop leases batches of rows into a local queue and runs up to `concurrency` fetch tasks.
//! A task checks scope, depth and robots.txt, waits for its host's turn, fetches (following redirects hop
//! by hop), hashes, compresses and parses the page on the blocking pool (bounded to the number of cores),
//! and sends the result to the writer task, which groups results into transactions.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redflag_core::{AdFields, AdKind};
use redflag_store::frontier::{self, Completion, FrontierItem, NewUrl, Outcome};
use redflag_store::pages::{self, NewPage};
use redflag_store::runs::{self, RunStatus};
use redflag_store::{Store, ads, now_ms};
use serde::Serialize;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use crate::adapter::SiteAdapter;
use crate::canon::{self, Scope};
use crate::error::{Error, Result};
use crate::fetch::{self, FetchFailure, Fetcher, RawResponse, Validators};
use crate::hosts::{Hosts, RobotsFetch, RobotsVerdict};
use crate::html::{self, Role};
use crate::images::{self, FetchedImage};

/// How to run a crawl.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// This worker's name, unique among workers sharing a frontier. A rerun with the same name takes back
    /// the leases a killed predecessor of that name held, at once.
    pub worker_id: String,
    /// Stop after this many fetches in this run (the rest stays queued for the next run).
    pub max_pages: Option<u64>,
    /// Do not fetch links deeper than this from a start URL (overrides the adapter's limit).
    pub max_depth: Option<u32>,
    /// Only list what would be fetched: no network, no writes.
    pub dry_run: bool,
    /// Queue settled URLs whose recrawl time has come.
    pub recrawl: bool,
    /// Keep running when the frontier is drained, waking for recrawls, until stopped.
    pub watch: bool,
    /// Requests in flight at once across all hosts (each host is further limited by its adapter).
    pub concurrency: usize,
    /// How long a lease lasts before other workers may take the row over; leases are renewed while the
    /// worker lives.
    pub lease: Duration,
    /// Fetched pages per write transaction.
    pub batch: usize,
    /// Where site owners can reach the operator; goes in the User-Agent. The adapter's
    /// `politeness.contact_url` wins over it. One of the two is required.
    pub contact_url: Option<String>,
    /// Set to true to stop the crawl cleanly (leases are given back).
    pub stop: Option<Arc<AtomicBool>>,
    /// How often progress is reported.
    pub progress_every: Duration,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            worker_id: default_worker_id(),
            max_pages: None,
            max_depth: None,
            dry_run: false,
            recrawl: true,
            watch: false,
            concurrency: 16,
            lease: Duration::from_secs(60),
            batch: 64,
            contact_url: None,
            stop: None,
            progress_every: Duration::from_millis(250),
        }
    }
}

/// A worker name unique to this process: the host name and process id.
pub fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_string());
    format!("{host}-{}", std::process::id())
}

/// A snapshot of a running crawl, handed to the progress callback.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CrawlProgress {
    /// The site.
    pub site: String,
    /// Responses received for frontier URLs (any status, not counting robots.txt).
    pub pages: u64,
    /// Ads seen for the first time.
    pub ads_new: u64,
    /// Known ads whose content changed.
    pub ads_changed: u64,
    /// URLs that ended failed (after retries), with an HTTP error or a bad redirect.
    pub errors: u64,
    /// URLs waiting: leased locally plus the site's queue at the last heartbeat.
    pub queued: u64,
    /// Requests in flight.
    pub in_flight: u64,
    /// Seconds since the crawl started.
    pub elapsed_secs: f64,
    /// Pages per second so far.
    pub pages_per_sec: f64,
    /// True on the last snapshot.
    pub done: bool,
}

/// What a crawl did, for people (`redflag crawl`) and scripts (`--json`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlSummary {
    /// The site.
    pub site: String,
    /// The worker.
    pub worker: String,
    /// The crawl run recorded in the store (none for a dry run).
    pub run_id: Option<i64>,
    /// `finished` (nothing left to fetch), `limit` (page limit reached), `stopped` or `dry_run`.
    pub status: String,
    /// Responses received for frontier URLs.
    pub pages_fetched: u64,
    /// Evidence pages stored (robots.txt files included).
    pub pages_stored: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// Ads seen for the first time.
    pub ads_new: u64,
    /// Known ads stored as a new version.
    pub ads_changed: u64,
    /// Known ads seen again unchanged (including 304 Not Modified and identical bodies).
    pub ads_unchanged: u64,
    /// Pictures of ad pages kept or confirmed unchanged (see `images.rs`).
    pub images: u64,
    /// Pictures of ad pages that could not be kept (refused, too large, failed); the reason is stored.
    pub image_errors: u64,
    /// This run's outcomes by kind (`ok`, `not_modified`, `robots`, `off_scope`, `too_large`, `failed`…).
    pub outcomes: BTreeMap<String, u64>,
    /// URLs that ended in failure this run.
    pub errors: u64,
    /// Attempts that will be retried later.
    pub retries: u64,
    /// Results dropped because this worker's lease had expired and another worker took the URL.
    pub lost_leases: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Frontier URLs fetched per second.
    pub pages_per_sec: f64,
    /// The site's whole frontier after the run, by state and outcome.
    pub frontier: redflag_store::FrontierStats,
    /// URLs that did not end `ok` (newest first, at most 50), with the reason.
    pub problems: Vec<redflag_store::UrlStatus>,
    /// For a dry run: the URLs that would be fetched next, in order.
    pub would_fetch: Vec<String>,
}

#[derive(Default)]
pub(crate) struct Counters {
    pages: AtomicU64,
    pub(crate) bytes: AtomicU64,
    stored: AtomicU64,
    ads_new: AtomicU64,
    ads_changed: AtomicU64,
    ads_unchanged: AtomicU64,
    errors: AtomicU64,
    retries: AtomicU64,
    lost: AtomicU64,
    images: AtomicU64,
    image_errors: AtomicU64,
    in_flight: AtomicU64,
    outcomes: Mutex<BTreeMap<String, u64>>,
}

pub(crate) fn add(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

fn get(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

pub(crate) struct Ctx {
    pub(crate) store: Store,
    pub(crate) adapter: SiteAdapter,
    pub(crate) scope: Scope,
    pub(crate) site_id: i64,
    max_depth: u32,
    pub(crate) fetcher: Fetcher,
    pub(crate) hosts: Hosts,
    pub(crate) counters: Arc<Counters>,
    seen: Mutex<HashSet<u64>>,
    hasher: std::collections::hash_map::RandomState,
    new_urls: AtomicUsize,
    pub(crate) cpu: Semaphore,
    writer: mpsc::Sender<Op>,
    ctrl: mpsc::Sender<Ctrl>,
}

/// Requests to the writer that jump the queue of results.
enum Ctrl {
    /// Commit every result already sent, then lease up to `limit` rows.
    Lease { limit: i64, lease_ms: i64, reply: oneshot::Sender<Result<Vec<FrontierItem>>> },
    /// Commit every result already sent, acknowledge and stop.
    Close(oneshot::Sender<()>),
}

enum Op {
    /// A response with a body to keep.
    Stored(Box<Stored>),
    /// Nothing changed since the last fetch (304, or the same bytes).
    Unchanged { id: i64, url: String, status: i64, detail: String, recrawl_at: Option<i64>, fetched_at: i64 },
    /// Settled without a stored page.
    Settle { id: i64, outcome: Outcome, detail: String, http_status: Option<i64>, recrawl_at: Option<i64> },
    /// Try again later.
    Retry { id: i64, not_before: i64, detail: String },
    /// A robots.txt file.
    Evidence(Box<NewPage>),
}

struct Stored {
    id: i64,
    depth: i64,
    url: String,
    outcome: Outcome,
    detail: Option<String>,
    page: NewPage,
    etag: Option<String>,
    last_modified: Option<String>,
    recrawl_at: Option<i64>,
    /// The ad's key, its fields and the page's same-site canonical URL.
    ad: Option<(String, AdFields, Option<String>)>,
    links: Vec<(String, Role)>,
    skipped: Vec<(String, Outcome, String)>,
    /// The ad's pictures to fetch, then fetched (see `images.rs`).
    image_urls: Vec<Url>,
    images: Vec<FetchedImage>,
}

/// Crawls one site into the store until its frontier is drained (or a limit is reached, or it is
/// stopped), calling `progress` with a snapshot every `progress_every` and once at the end.
pub async fn crawl<P>(store: &Store, adapter: &SiteAdapter, opts: &CrawlOptions, progress: P) -> Result<CrawlSummary>
where
    P: Fn(&CrawlProgress) + Send + Sync,
{
    if opts.concurrency == 0 || opts.batch == 0 {
        return Err(Error::Options("concurrency and batch must be at least 1".into()));
    }
    if opts.worker_id.trim().is_empty() {
        return Err(Error::Options("worker id must not be empty".into()));
    }
    let contact = adapter.politeness.contact_url.clone().or_else(|| opts.contact_url.clone()).ok_or_else(|| {
        Error::Options(format!(
            "no contact URL for site {}: set politeness.contact_url in {} or pass one (redflag crawl --contact-url)",
            adapter.name,
            adapter.origin()
        ))
    })?;
    if opts.dry_run {
        return dry_run(store, adapter, opts).await;
    }
    if !adapter.politeness.obey_robots {
        tracing::warn!(site = %adapter.name, "robots.txt is NOT obeyed for this site (politeness.obey_robots = false)");
    }
    let started = Instant::now();
    let site_id = store
        .upsert_site(&redflag_store::NewSite {
            name: &adapter.name,
            kind: adapter.kind,
            country: adapter.country.as_deref(),
            language: adapter.language.as_deref(),
            config: adapter.source(),
        })
        .await?;
    let worker = opts.worker_id.clone();
    let run_id = {
        let mut c = store.conn().await?;
        // Leases held under this name belong to a dead predecessor: take them back now.
        frontier::release(&mut c, site_id, &worker).await?;
        frontier::requeue_limited(&mut c, site_id).await?;
        if opts.recrawl {
            frontier::requeue_due(&mut c, site_id).await?;
        }
        let mut seeds: Vec<NewUrl<'_>> = Vec::new();
        for u in &adapter.start_urls {
            seeds.push(NewUrl { url: u.as_str(), role: Role::Start.as_str(), depth: 0, parent_id: None });
        }
        for u in &adapter.sitemaps {
            seeds.push(NewUrl { url: u.as_str(), role: Role::Sitemap.as_str(), depth: 0, parent_id: None });
        }
        frontier::enqueue(&mut c, site_id, &seeds).await?;
        runs::start(&mut c, site_id, &worker).await?
    };
    let user_agent = fetch::user_agent(&contact);
    let p = &adapter.politeness;
    let fetcher = Fetcher::new(p, &user_agent, p.concurrency)?;
    let (tx, rx) = mpsc::channel::<Op>(opts.batch * 4);
    let (ctrl_tx, ctrl_rx) = mpsc::channel::<Ctrl>(4);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let counters = Arc::new(Counters::default());
    let ctx = Arc::new(Ctx {
        store: store.clone(),
        scope: adapter.scope(),
        adapter: adapter.clone(),
        site_id,
        max_depth: opts.max_depth.unwrap_or(adapter.limits.max_depth),
        fetcher,
        hosts: Hosts::new(p.concurrency, p.delay),
        counters: Arc::clone(&counters),
        seen: Mutex::new(HashSet::new()),
        hasher: Default::default(),
        new_urls: AtomicUsize::new(0),
        cpu: Semaphore::new(cores),
        writer: tx,
        ctrl: ctrl_tx,
    });
    let mut writer = AbortOnDrop(tokio::spawn(writer_task(
        store.clone(),
        site_id,
        adapter.kind,
        worker.clone(),
        rx,
        ctrl_rx,
        opts.batch,
        Arc::clone(&counters),
    )));

    let result = drive(store, &ctx, opts, started, &progress, run_id).await;

    // Shut down: commit what is pending, stop the writer, give back whatever this worker still holds.
    let closed = close(&ctx.ctrl).await;
    drop(ctx);
    let written = match (&mut writer.0).await {
        Ok(r) => r,
        Err(e) => Err(Error::Task(format!("the store writer failed: {e}"))),
    };
    let mut c = store.conn().await?;
    frontier::release(&mut c, site_id, &worker).await?;
    let failure = match (result, written, closed) {
        (Ok(status), Ok(()), Ok(())) => Ok(status),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e),
    };
    match failure {
        Ok(status) => {
            let mut summary = summarize(store, adapter, &worker, site_id, &counters, started, &status).await?;
            summary.run_id = Some(run_id);
            let run_status = if status == "stopped" { RunStatus::Stopped } else { RunStatus::Finished };
            let json = serde_json::to_value(&summary).unwrap_or_default();
            runs::finish(&mut c, run_id, run_status, &json, None).await?;
            progress(&CrawlProgress {
                site: adapter.name.clone(),
                pages: summary.pages_fetched,
                ads_new: summary.ads_new,
                ads_changed: summary.ads_changed,
                errors: summary.errors,
                queued: summary.frontier.pending() as u64,
                in_flight: 0,
                elapsed_secs: summary.seconds,
                pages_per_sec: summary.pages_per_sec,
                done: true,
            });
            Ok(summary)
        }
        Err(e) => {
            let msg = e.to_string();
            runs::finish(&mut c, run_id, RunStatus::Failed, &serde_json::json!({}), Some(&msg)).await?;
            Err(e)
        }
    }
}

/// Aborts the writer if the crawl future is dropped (a caller's timeout or abort): its uncommitted
/// transaction then rolls back exactly as if the process had been killed.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn close(tx: &mpsc::Sender<Ctrl>) -> Result<()> {
    let (ack, done) = oneshot::channel();
    tx.send(Ctrl::Close(ack)).await.map_err(|_| Error::Task("the store writer stopped".into()))?;
    done.await.map_err(|_| Error::Task("the store writer stopped".into()))
}

/// The scheduling loop; returns the end status.
///
/// The loop never waits on the database while there is work to start: leases are asked of the writer
/// task (which commits what it holds first, so new links are leasable, and which on SQLite is the only
/// writer, so nothing waits for a lock) and arrive while fetches go on; heartbeats run in their own task.
async fn drive<P>(
    store: &Store,
    ctx: &Arc<Ctx>,
    opts: &CrawlOptions,
    started: Instant,
    progress: &P,
    run_id: i64,
) -> Result<String>
where
    P: Fn(&CrawlProgress) + Send + Sync,
{
    let lease_ms = opts.lease.as_millis().max(1000) as i64;
    let lease_batch = (opts.concurrency * 4).clamp(8, 512);
    let low_water = opts.concurrency * 2;
    let mut local: VecDeque<FrontierItem> = VecDeque::new();
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut started_fetches: u64 = 0;
    let mut next_lease = Instant::now();
    let mut pending: Option<(oneshot::Receiver<Result<Vec<FrontierItem>>>, bool)> = None;
    let mut lease_failures = 0u32;
    let local_len = Arc::new(AtomicU64::new(0));
    let queued_in_db = Arc::new(AtomicU64::new(0));
    let snapshot = {
        let (local_len, queued_in_db) = (Arc::clone(&local_len), Arc::clone(&queued_in_db));
        let ctx = Arc::clone(ctx);
        move || {
            let c = &ctx.counters;
            let secs = started.elapsed().as_secs_f64();
            let pages = get(&c.pages);
            CrawlProgress {
                site: ctx.adapter.name.clone(),
                pages,
                ads_new: get(&c.ads_new),
                ads_changed: get(&c.ads_changed),
                errors: get(&c.errors),
                queued: get(&local_len) + get(&queued_in_db),
                in_flight: get(&c.in_flight),
                elapsed_secs: secs,
                pages_per_sec: if secs > 0.0 { pages as f64 / secs } else { 0.0 },
                done: false,
            }
        }
    };
    let _heartbeat = AbortOnDrop(tokio::spawn(heartbeat_task(
        store.clone(),
        ctx.site_id,
        opts.worker_id.clone(),
        run_id,
        lease_ms,
        (opts.lease / 3).clamp(Duration::from_millis(500), Duration::from_secs(10)),
        Arc::clone(&queued_in_db),
        snapshot.clone(),
    )));
    let mut ticker = tokio::time::interval(opts.progress_every.max(Duration::from_millis(20)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let stopped = || opts.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed));
    let status = loop {
        if stopped() {
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
            break "stopped";
        }
        while tasks.len() < opts.concurrency && opts.max_pages.is_none_or(|m| started_fetches < m) {
            let Some(item) = local.pop_front() else { break };
            started_fetches += 1;
            let ctx = Arc::clone(ctx);
            tasks.spawn(async move {
                add(&ctx.counters.in_flight, 1);
                let op = item_op(&ctx, item).await;
                ctx.counters.in_flight.fetch_sub(1, Ordering::Relaxed);
                let _ = ctx.writer.send(op).await;
            });
        }
        local_len.store(local.len() as u64, Ordering::Relaxed);
        let limit_reached = opts.max_pages.is_some_and(|m| started_fetches >= m);
        if limit_reached && tasks.is_empty() {
            break "limit";
        }
        if pending.is_none() && !limit_reached && local.len() < low_water && Instant::now() >= next_lease {
            let (reply, rx) = oneshot::channel();
            let msg = Ctrl::Lease { limit: lease_batch as i64, lease_ms, reply };
            ctx.ctrl.send(msg).await.map_err(|_| Error::Task("the store writer stopped".into()))?;
            // Whether every result so far was sent before this request: then an empty answer means
            // there is nothing to fetch right now.
            pending = Some((rx, local.is_empty() && tasks.is_empty()));
        }
        tokio::select! {
            answer = async { pending.as_mut().map(|p| &mut p.0).expect("guarded").await }, if pending.is_some() => {
                let (_, was_idle) = pending.take().expect("guarded");
                let got = match answer.map_err(|_| Error::Task("the store writer stopped".into()))? {
                    Ok(got) => {
                        lease_failures = 0;
                        got
                    }
                    // Concurrent workers on PostgreSQL can deadlock while reclaiming expired leases;
                    // the database aborts one statement, which is simply tried again.
                    Err(e) if lease_failures < 10 => {
                        lease_failures += 1;
                        tracing::warn!(site = %ctx.adapter.name, error = %e, "leasing URLs failed; retrying");
                        next_lease = Instant::now() + Duration::from_millis(100 << lease_failures.min(5));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                if !got.is_empty() {
                    local.extend(got);
                } else if !was_idle {
                    next_lease = Instant::now() + Duration::from_millis(if tasks.is_empty() { 0 } else { 20 });
                } else {
                    let mut c = store.conn().await?;
                    let wake = frontier::next_wake(&mut c, ctx.site_id).await?;
                    let wait = match wake {
                        Some(t) => Duration::from_millis((t - now_ms()).clamp(10, 1000) as u64),
                        None if opts.watch => {
                            if frontier::requeue_due(&mut c, ctx.site_id).await? > 0 {
                                continue;
                            }
                            Duration::from_secs(5)
                        }
                        None => break "finished",
                    };
                    next_lease = Instant::now() + wait;
                }
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                if let Err(e) = joined
                    && e.is_panic()
                {
                    tracing::error!(site = %ctx.adapter.name, "a fetch task panicked: {e}");
                }
            }
            _ = ticker.tick() => progress(&snapshot()),
            _ = tokio::time::sleep_until(next_lease), if pending.is_none() && local.len() < low_water && !limit_reached => {}
        }
    };
    Ok(status.to_string())
}

/// Renews this worker's leases and records the run's progress every `every`, apart from the crawl loop
/// so that it never holds the loop up. A failure is logged and tried again next time.
#[allow(clippy::too_many_arguments)]
async fn heartbeat_task(
    store: Store,
    site_id: i64,
    worker: String,
    run_id: i64,
    lease_ms: i64,
    every: Duration,
    queued_in_db: Arc<AtomicU64>,
    snapshot: impl Fn() -> CrawlProgress + Send + 'static,
) {
    let mut tick = tokio::time::interval_at(Instant::now() + every, every);
    loop {
        tick.tick().await;
        let beat = async {
            let mut c = store.conn().await?;
            frontier::renew(&mut c, &worker, lease_ms).await?;
            let stats = frontier::stats(&mut c, site_id).await?;
            queued_in_db.store(stats.by_state.get("queued").copied().unwrap_or(0) as u64, Ordering::Relaxed);
            runs::heartbeat(&mut c, run_id, &serde_json::to_value(snapshot()).unwrap_or_default()).await?;
            Ok::<_, Error>(())
        };
        if let Err(e) = beat.await {
            tracing::warn!(error = %e, "crawl heartbeat failed");
        }
    }
}

/// Fetches one frontier URL and decides what to write.
async fn item_op(ctx: &Arc<Ctx>, item: FrontierItem) -> Op {
    let p = &ctx.adapter.politeness;
    let settle =
        |outcome, detail: String| Op::Settle { id: item.id, outcome, detail, http_status: None, recrawl_at: None };
    let Ok(url) = Url::parse(&item.url) else {
        return settle(Outcome::OffScope, "not a valid URL".into());
    };
    if !ctx.scope.allows(&url) {
        return settle(Outcome::OffScope, canon::SkipReason::OffHost(canon::authority(&url)).to_string());
    }
    if item.depth > i64::from(ctx.max_depth) {
        return settle(Outcome::Limit, format!("depth {} is beyond the limit of {}", item.depth, ctx.max_depth));
    }
    if item.attempts >= i64::from(p.max_tries) {
        let last = item.detail.clone().unwrap_or_else(|| "unknown error".into());
        return Op::Settle {
            id: item.id,
            outcome: Outcome::Failed,
            detail: format!("failed after {} tries: {last}", item.attempts),
            http_status: None,
            recrawl_at: recrawl_at(ctx, Outcome::Failed, &item.role),
        };
    }
    let mut current = url.clone();
    let mut chain: Vec<Url> = vec![url.clone()];
    loop {
        let host = ctx.hosts.get(&current);
        if p.obey_robots {
            let mut fetched = None;
            let verdict =
                host.robots_verdict(&current, &ctx.fetcher, &ctx.scope, p.max_redirects, |f| fetched = Some(f)).await;
            if let Some(f) = fetched {
                keep_robots(ctx, f).await;
            }
            match verdict {
                RobotsVerdict::Allowed => {}
                RobotsVerdict::Disallowed => {
                    let detail = if chain.len() > 1 {
                        format!("redirected to {current}, which robots.txt disallows")
                    } else {
                        "disallowed by robots.txt".to_string()
                    };
                    return settle(Outcome::Robots, detail);
                }
                RobotsVerdict::Unreachable(reason) => return retry_or_fail(ctx, &item, reason, None, None),
            }
        }
        let validators = if chain.len() == 1 {
            Validators { etag: item.etag.as_deref(), last_modified: item.last_modified.as_deref() }
        } else {
            Validators::default()
        };
        let resp = {
            let _permit = host.acquire().await;
            ctx.fetcher.get(&current, &validators).await
        };
        let resp = match resp {
            Ok(r) => r,
            Err(FetchFailure { reason, retryable: true }) => return retry_or_fail(ctx, &item, reason, None, None),
            Err(FetchFailure { reason, retryable: false }) => {
                return Op::Settle {
                    id: item.id,
                    outcome: Outcome::Failed,
                    detail: reason,
                    http_status: None,
                    recrawl_at: recrawl_at(ctx, Outcome::Failed, &item.role),
                };
            }
        };
        add(&ctx.counters.bytes, resp.body.len() as u64);
        if resp.is_redirect() {
            let location = resp.header("location").unwrap_or_default();
            let next = match canon::resolve(&current, location, &ctx.adapter.strip_params) {
                Ok(n) => n,
                Err(reason) => {
                    return settled_response(
                        ctx,
                        &item,
                        Outcome::OffScope,
                        format!("redirected to {location:?}: {reason}"),
                        resp.status,
                    );
                }
            };
            if chain.contains(&next) {
                chain.push(next);
                let path: Vec<&str> = chain.iter().map(Url::as_str).collect();
                return settled_response(
                    ctx,
                    &item,
                    Outcome::Redirect,
                    format!("redirect loop: {}", path.join(" → ")),
                    resp.status,
                );
            }
            if chain.len() > p.max_redirects {
                return settled_response(
                    ctx,
                    &item,
                    Outcome::Redirect,
                    format!("more than {} redirects (last to {next})", p.max_redirects),
                    resp.status,
                );
            }
            if !ctx.scope.allows(&next) {
                return settled_response(
                    ctx,
                    &item,
                    Outcome::OffScope,
                    format!("redirected off-scope to {next}"),
                    resp.status,
                );
            }
            chain.push(next.clone());
            current = next;
            continue;
        }
        add(&ctx.counters.pages, 1);
        let status = resp.status;
        if status == 304 {
            return Op::Unchanged {
                id: item.id,
                url: item.url.clone(),
                status: 304,
                detail: "not modified since the last fetch".into(),
                recrawl_at: recrawl_at(ctx, Outcome::NotModified, &item.role),
                fetched_at: resp.fetched_at,
            };
        }
        if fetch::retryable_status(status) {
            let wait = resp.retry_after();
            return retry_or_fail(ctx, &item, fetch::status_text(status), wait, Some(i64::from(status)));
        }
        if !(200..300).contains(&status) {
            return settled_response(ctx, &item, Outcome::HttpError, fetch::status_text(status), status);
        }
        // Parsing, hashing and compressing are CPU work: a typical page (under 32 KiB, about 0.2 ms of work
        // measured on the benchmark machine) is handled in place, which saves two thread hand-offs; bigger
        // ones go to the blocking pool, at most one per core, so no task blocks the executor for long.
        let mut op = if resp.body.len() <= INLINE_PROCESS_BYTES {
            process(ctx, item, resp, current)
        } else {
            let _cpu = ctx.cpu.acquire().await;
            let item_id = item.id;
            let shared = Arc::clone(ctx);
            match tokio::task::spawn_blocking(move || process(&shared, item, resp, current)).await {
                Ok(op) => op,
                Err(e) => Op::Retry {
                    id: item_id,
                    not_before: now_ms() + 1000,
                    detail: format!("page processing failed: {e}"),
                },
            }
        };
        // The ad's pictures are fetched with it, so its version and the pictures it showed are written
        // together; a picture that fails is recorded as failed and never holds the ad back. They are
        // fetched at once, each through its host's slots and spacing, and kept in the page's order.
        if let Op::Stored(s) = &mut op
            && s.ad.is_some()
        {
            let urls = std::mem::take(&mut s.image_urls);
            s.images = futures_util::future::join_all(urls.iter().map(|url| images::fetch(ctx, url))).await;
        }
        return op;
    }
}

/// Bodies up to this size are processed on the async task itself (see [`item_op`]).
const INLINE_PROCESS_BYTES: usize = 32 * 1024;

/// Hashes, compresses and reads a 2xx response (blocking work).
fn process(ctx: &Ctx, item: FrontierItem, resp: RawResponse, final_url: Url) -> Op {
    let role = Role::parse(&item.role);
    let recrawl = recrawl_at(ctx, Outcome::Ok, &item.role);
    // On a recrawl, the same bytes as last time mean nothing changed even without validators.
    let same = item.page_id.is_some()
        && !resp.truncated
        && item.sha256.as_deref().is_some_and(|last| last == pages::sha256_hex(&resp.body));
    if same {
        return Op::Unchanged {
            id: item.id,
            url: item.url,
            status: i64::from(resp.status),
            detail: "same content as the last fetch".into(),
            recrawl_at: recrawl,
            fetched_at: resp.fetched_at,
        };
    }
    let content_type = resp.header("content-type").map(str::to_string);
    let etag = resp.header("etag").map(str::to_string);
    let last_modified = resp.header("last-modified").map(str::to_string);
    let mut stored = Stored {
        id: item.id,
        depth: item.depth,
        url: item.url.clone(),
        outcome: Outcome::Ok,
        detail: None,
        page: NewPage::prepare(
            ctx.site_id,
            item.url,
            final_url.to_string(),
            i64::from(resp.status),
            resp.fetched_at,
            resp.headers,
            resp.truncated,
            &resp.body,
        ),
        etag,
        last_modified,
        recrawl_at: recrawl,
        ad: None,
        links: Vec::new(),
        skipped: Vec::new(),
        image_urls: Vec::new(),
        images: Vec::new(),
    };
    stored.page.frontier_id = Some(item.id);
    let ct = content_type.as_deref();
    if resp.truncated {
        stored.outcome = Outcome::TooLarge;
        stored.detail = Some(format!(
            "response larger than {} bytes: the first {} bytes were kept and not parsed",
            ctx.fetcher.max_bytes(),
            resp.body.len()
        ));
    } else if role == Role::Sitemap && html::is_xml(ct, &resp.body) {
        let (text, _) = html::decode(&resp.body, ct);
        let map = html::parse_sitemap(&text);
        // The same caps as links on a page: the per-page limit, and skipped URLs cut to the longest URL
        // kept and capped in number (a hostile sitemap is as untrusted as a hostile page).
        let max_links = ctx.adapter.limits.max_links_per_page;
        let mut dropped = 0usize;
        let mut queued: HashSet<String> = HashSet::new();
        let skip = |list: &mut Vec<(String, Outcome, String)>, url: &str, reason: String| {
            if list.len() < html::MAX_OFFSCOPE_PER_PAGE {
                let url = redflag_core::text::truncate_bytes(url, canon::MAX_URL_LEN).to_string();
                if !list.iter().any(|(u, _, _)| *u == url) {
                    list.push((url, Outcome::OffScope, reason));
                }
            }
        };
        for loc in map.locs {
            let url = match canon::resolve(&final_url, &loc, &ctx.adapter.strip_params) {
                Ok(u) => u,
                Err(canon::SkipReason::Invalid) => continue,
                Err(reason) => {
                    skip(&mut stored.skipped, &loc, reason.to_string());
                    continue;
                }
            };
            if !ctx.scope.allows(&url) {
                let reason = canon::SkipReason::OffHost(canon::authority(&url)).to_string();
                skip(&mut stored.skipped, url.as_str(), reason);
                continue;
            }
            let role = if map.is_index { Some(Role::Sitemap) } else { sitemap_role(&ctx.adapter, &url) };
            if let Some(role) = role {
                let url = url.to_string();
                if !queued.insert(url.clone()) {
                    continue;
                }
                if stored.links.len() >= max_links {
                    dropped += 1;
                    continue;
                }
                stored.links.push((url, role));
            }
        }
        if dropped > 0 {
            stored.detail = Some(format!("{dropped} URLs beyond the per-page limit were ignored"));
        }
    } else if html::is_html(ct, &resp.body) {
        let (text, _) = html::decode(&resp.body, ct);
        let data = html::analyze(&text, &final_url, role, &ctx.adapter, &ctx.scope);
        if data.links_dropped > 0 {
            stored.detail = Some(format!("{} links beyond the per-page limit were ignored", data.links_dropped));
        }
        stored.links = data.links.into_iter().map(|l| (l.url.to_string(), l.role)).collect();
        stored.skipped = data.skipped.into_iter().map(|s| (s.url, Outcome::OffScope, s.reason.to_string())).collect();
        if role == Role::Ad {
            match data.fields {
                Some(fields) => {
                    let key = ctx.adapter.ad_key(&final_url, data.canonical.as_ref());
                    let canonical = data.canonical.as_ref().filter(|c| ctx.scope.allows(c)).map(|c| c.to_string());
                    stored.ad = Some((key, fields, canonical));
                    stored.image_urls = data.images;
                }
                None => stored.detail = Some("no ad text found with the adapter's fields.body selectors".into()),
            }
        }
    } else {
        stored.outcome = Outcome::Unsupported;
        stored.detail = Some(format!("not HTML ({})", ct.unwrap_or("no content type")));
    }
    filter_new_links(ctx, &mut stored);
    Op::Stored(Box::new(stored))
}

/// How a sitemap URL is classified: by the ad patterns, then the listing patterns. With no ad rule at all,
/// every sitemap URL is an ad page.
fn sitemap_role(a: &SiteAdapter, url: &Url) -> Option<Role> {
    let ad = &a.ad.links;
    if (!ad.patterns.is_empty() && ad.url_matches(url)) || ad.is_empty() {
        return Some(Role::Ad);
    }
    if !a.listing.patterns.is_empty() && a.listing.url_matches(url) {
        return Some(Role::Listing);
    }
    None
}

/// Drops links this worker already queued, spider traps, and links beyond the run's budget of new URLs.
fn filter_new_links(ctx: &Ctx, stored: &mut Stored) {
    let limits = &ctx.adapter.limits;
    let mut traps = Vec::new();
    let mut seen = ctx.seen.lock().unwrap_or_else(|p| p.into_inner());
    stored.links.retain(|(url, _)| {
        if !seen.insert(ctx.hasher.hash_one(url)) {
            return false;
        }
        if is_trap(url, limits.max_repeated_segments) {
            traps.push(url.clone());
            return false;
        }
        ctx.new_urls.fetch_add(1, Ordering::Relaxed) < limits.max_new_urls
    });
    drop(seen);
    for t in traps {
        stored.skipped.push((t, Outcome::Limit, "looks like a crawler trap (a path segment repeats)".into()));
    }
}

/// Whether a URL's path repeats one segment more than `max` times (`/a/b/a/b/a/b/a/b`), the mark of
/// relative links that grow a path forever.
fn is_trap(url: &str, max: usize) -> bool {
    let path = url.split("://").nth(1).and_then(|r| r.find('/').map(|i| &r[i..])).unwrap_or("");
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() <= max {
        return false;
    }
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    segs.iter().any(|s| {
        let n = counts.entry(s).or_default();
        *n += 1;
        *n > max
    })
}

/// Sends a fetched robots.txt to the writer as evidence of the rules this crawl obeyed.
pub(crate) async fn keep_robots(ctx: &Ctx, f: RobotsFetch) {
    let Some(resp) = f.response else { return };
    let page = NewPage::prepare(
        ctx.site_id,
        f.url.to_string(),
        resp.url.to_string(),
        i64::from(resp.status),
        resp.fetched_at,
        resp.headers,
        resp.truncated,
        &resp.body,
    );
    let _ = ctx.writer.send(Op::Evidence(Box::new(page))).await;
}

fn recrawl_at(ctx: &Ctx, outcome: Outcome, role: &str) -> Option<i64> {
    let r = &ctx.adapter.recrawl;
    let every = match outcome.final_state() {
        redflag_store::UrlState::Failed => r.failed,
        redflag_store::UrlState::Skipped => None,
        _ if Role::parse(role) == Role::Ad => r.ad,
        _ => r.listing,
    }?;
    Some(now_ms() + every.as_millis() as i64)
}

/// Settles a URL whose last response ends it (a redirect going wrong, an HTTP error). A response that
/// ends a redirect chain counts as a fetched page here; other responses were counted when they came.
fn settled_response(ctx: &Ctx, item: &FrontierItem, outcome: Outcome, detail: String, status: u16) -> Op {
    if outcome != Outcome::HttpError {
        add(&ctx.counters.pages, 1);
    }
    Op::Settle {
        id: item.id,
        outcome,
        detail,
        http_status: Some(i64::from(status)),
        recrawl_at: recrawl_at(ctx, outcome, &item.role),
    }
}

fn retry_or_fail(ctx: &Ctx, item: &FrontierItem, reason: String, wait: Option<Duration>, status: Option<i64>) -> Op {
    let p = &ctx.adapter.politeness;
    let tries = item.attempts + 1;
    if tries >= i64::from(p.max_tries) {
        let outcome = if status.is_some() { Outcome::HttpError } else { Outcome::Failed };
        return Op::Settle {
            id: item.id,
            outcome,
            detail: format!("failed after {tries} tries: {reason}"),
            http_status: status,
            recrawl_at: recrawl_at(ctx, outcome, &item.role),
        };
    }
    let wait = match wait {
        Some(w) => w.min(p.max_backoff),
        None => fetch::backoff(p.backoff, tries as u32, p.max_backoff),
    };
    Op::Retry { id: item.id, not_before: now_ms() + wait.as_millis() as i64, detail: reason }
}

/// Collects results into transactions of up to `batch` pages (or whatever arrived within 20 ms), and
/// serves leases: a lease first commits every result already sent, so the links they found can be leased.
#[allow(clippy::too_many_arguments)]
async fn writer_task(
    store: Store,
    site_id: i64,
    kind: AdKind,
    worker: String,
    mut rx: mpsc::Receiver<Op>,
    mut ctrl: mpsc::Receiver<Ctrl>,
    batch: usize,
    counters: Arc<Counters>,
) -> Result<()> {
    enum Event {
        Ctrl(Option<Ctrl>),
        Op(Option<Op>),
        Due,
    }
    let mut ops: Vec<Op> = Vec::with_capacity(batch);
    let mut deadline = Instant::now();
    let mut results_open = true;
    loop {
        let event = tokio::select! {
            biased;
            c = ctrl.recv() => Event::Ctrl(c),
            o = rx.recv(), if results_open => Event::Op(o),
            _ = tokio::time::sleep_until(deadline), if !ops.is_empty() => Event::Due,
        };
        match event {
            Event::Op(Some(op)) => {
                if ops.is_empty() {
                    deadline = Instant::now() + Duration::from_millis(20);
                }
                ops.push(op);
                if ops.len() < batch {
                    continue;
                }
            }
            Event::Op(None) => results_open = false,
            Event::Due => {}
            Event::Ctrl(c) => {
                // Everything sent before this request is already in the channel: take it all.
                while let Ok(op) = rx.try_recv() {
                    ops.push(op);
                }
                if !ops.is_empty() {
                    write_batch(&store, site_id, kind, &worker, &ops, &counters).await?;
                    ops.clear();
                }
                match c {
                    Some(Ctrl::Lease { limit, lease_ms, reply }) => {
                        let leased = async {
                            let mut c = store.conn().await?;
                            Ok(frontier::lease(&mut c, store.backend(), site_id, &worker, limit, lease_ms).await?)
                        }
                        .await;
                        let _ = reply.send(leased);
                        continue;
                    }
                    Some(Ctrl::Close(ack)) => {
                        let _ = ack.send(());
                        return Ok(());
                    }
                    None => return Ok(()),
                }
            }
        }
        if !ops.is_empty() {
            write_batch(&store, site_id, kind, &worker, &ops, &counters).await?;
            ops.clear();
        }
    }
}

/// Counts from one committed batch.
#[derive(Default)]
struct Delta {
    stored: u64,
    ads_new: u64,
    ads_changed: u64,
    ads_unchanged: u64,
    errors: u64,
    retries: u64,
    lost: u64,
    images: u64,
    image_errors: u64,
    outcomes: BTreeMap<&'static str, u64>,
}

async fn write_batch(
    store: &Store,
    site_id: i64,
    kind: AdKind,
    worker: &str,
    ops: &[Op],
    counters: &Counters,
) -> Result<()> {
    let mut attempt = 0u32;
    loop {
        match try_write(store, site_id, kind, worker, ops).await {
            Ok(d) => {
                let c = counters;
                add(&c.stored, d.stored);
                add(&c.ads_new, d.ads_new);
                add(&c.ads_changed, d.ads_changed);
                add(&c.ads_unchanged, d.ads_unchanged);
                add(&c.errors, d.errors);
                add(&c.retries, d.retries);
                add(&c.lost, d.lost);
                add(&c.images, d.images);
                add(&c.image_errors, d.image_errors);
                let mut o = c.outcomes.lock().unwrap_or_else(|p| p.into_inner());
                for (k, v) in d.outcomes {
                    *o.entry(k.to_string()).or_default() += v;
                }
                return Ok(());
            }
            // Concurrent workers on PostgreSQL can deadlock or conflict; the transaction rolled back, so
            // the whole batch is simply written again.
            Err(e) if attempt < 4 => {
                attempt += 1;
                tracing::warn!(error = %e, attempt, "writing a batch failed; retrying");
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

async fn try_write(store: &Store, site_id: i64, kind: AdKind, worker: &str, ops: &[Op]) -> Result<Delta> {
    let mut d = Delta::default();
    let mut tx = store.begin().await?;
    let mut ad_rows: Vec<(ads::NewAdVersion<'_>, &[FetchedImage])> = Vec::new();
    let mut touches: Vec<(&str, i64)> = Vec::new();
    let mut links: Vec<NewUrl<'_>> = Vec::new();
    let mut skipped: BTreeMap<(&'static str, &str), Vec<NewUrl<'_>>> = BTreeMap::new();
    let count = |d: &mut Delta, outcome: Outcome| {
        *d.outcomes.entry(outcome.as_str()).or_default() += 1;
        if matches!(outcome, Outcome::Failed | Outcome::HttpError | Outcome::Redirect) {
            d.errors += 1;
        }
    };
    // Phase 1: this worker's own frontier rows and the pages. Nobody else writes these rows while the
    // lease holds, so this phase cannot deadlock with other workers. Pages go in first (the rows point at
    // them); a page whose row turns out to be lost is deleted again.
    let stored: Vec<&Stored> =
        ops.iter().filter_map(|op| if let Op::Stored(s) = op { Some(&**s) } else { None }).collect();
    let mut new_pages: Vec<&NewPage> = stored.iter().map(|s| &s.page).collect();
    for op in ops {
        if let Op::Evidence(page) = op {
            new_pages.push(page);
        }
    }
    let page_ids = pages::insert_many(&mut tx, &new_pages).await?;
    d.stored += (new_pages.len() - stored.len()) as u64;
    let mut completions: Vec<(i64, Completion<'_>)> = Vec::with_capacity(ops.len());
    for (s, page_id) in stored.iter().zip(&page_ids) {
        completions.push((
            s.id,
            Completion {
                outcome: s.outcome,
                detail: s.detail.as_deref(),
                http_status: Some(s.page.status),
                page_id: Some(*page_id),
                etag: s.etag.as_deref(),
                last_modified: s.last_modified.as_deref(),
                sha256: Some(s.page.sha256()),
                recrawl_at: s.recrawl_at,
            },
        ));
    }
    let mut unchanged: Vec<(&str, i64)> = Vec::new();
    for op in ops {
        let (id, c) = match op {
            Op::Unchanged { id, url, status, detail, recrawl_at, fetched_at } => {
                unchanged.push((url, *fetched_at));
                let c = Completion {
                    outcome: Outcome::NotModified,
                    detail: Some(detail),
                    http_status: Some(*status),
                    page_id: None,
                    etag: None,
                    last_modified: None,
                    sha256: None,
                    recrawl_at: *recrawl_at,
                };
                (*id, c)
            }
            Op::Settle { id, outcome, detail, http_status, recrawl_at } => {
                let c = Completion {
                    outcome: *outcome,
                    detail: Some(detail),
                    http_status: *http_status,
                    page_id: None,
                    etag: None,
                    last_modified: None,
                    sha256: None,
                    recrawl_at: *recrawl_at,
                };
                (*id, c)
            }
            Op::Retry { id, not_before, detail } => {
                if frontier::retry(&mut tx, *id, worker, *not_before, detail).await? {
                    d.retries += 1;
                } else {
                    d.lost += 1;
                }
                continue;
            }
            Op::Stored(_) | Op::Evidence(_) => continue,
        };
        completions.push((id, c));
    }
    let held = frontier::complete_many(&mut tx, worker, &completions).await?;
    let mut unchanged = unchanged.into_iter();
    for (i, ((_, c), ok)) in completions.iter().zip(&held).enumerate() {
        let touch = if c.outcome == Outcome::NotModified && i >= stored.len() { unchanged.next() } else { None };
        if !ok {
            d.lost += 1;
            if i < stored.len() {
                pages::delete_uncommitted(&mut tx, page_ids[i]).await?;
            }
            continue;
        }
        count(&mut d, c.outcome);
        if let Some(t) = touch {
            touches.push(t);
        }
        let Some(s) = stored.get(i) else { continue };
        d.stored += 1;
        if let Some((key, fields, canonical)) = &s.ad {
            ad_rows.push((
                ads::NewAdVersion {
                    site_id,
                    ad_key: key,
                    kind,
                    url: &s.url,
                    canonical_url: canonical.as_deref(),
                    fields,
                    page_id: Some(page_ids[i]),
                    fetched_at: s.page.fetched_at,
                },
                s.images.as_slice(),
            ));
        }
        for (url, role) in &s.links {
            links.push(NewUrl { url, role: role.as_str(), depth: s.depth + 1, parent_id: Some(s.id) });
        }
        for (url, outcome, detail) in &s.skipped {
            skipped.entry((outcome.as_str(), detail.as_str())).or_default().push(NewUrl {
                url,
                role: "link",
                depth: s.depth + 1,
                parent_id: Some(s.id),
            });
        }
    }
    // Phase 2: ads, in key order so that concurrent workers lock them in the same order.
    ad_rows.sort_by(|a, b| a.0.ad_key.cmp(b.0.ad_key));
    for (v, pictures) in &ad_rows {
        let (ad_id, version, change) = ads::upsert_version(&mut tx, v).await?;
        let shown = images::store(&mut tx, site_id, (ad_id, version, change), v, pictures).await?;
        match shown.change {
            ads::VersionChange::New => d.ads_new += 1,
            ads::VersionChange::Changed => d.ads_changed += 1,
            ads::VersionChange::Unchanged => d.ads_unchanged += 1,
        }
        d.images += shown.kept;
        d.image_errors += shown.failed;
    }
    touches.sort();
    for (url, at) in touches {
        if frontier::touch_ad(&mut tx, site_id, url, at).await? {
            d.ads_unchanged += 1;
        }
    }
    // Phase 3: new frontier rows, in URL order for the same reason.
    links.sort_by(|a, b| a.url.cmp(b.url));
    links.dedup_by(|a, b| a.url == b.url);
    frontier::enqueue(&mut tx, site_id, &links).await?;
    for ((outcome, detail), mut urls) in skipped {
        urls.sort_by(|a, b| a.url.cmp(b.url));
        urls.dedup_by(|a, b| a.url == b.url);
        let outcome = match outcome {
            "limit" => Outcome::Limit,
            _ => Outcome::OffScope,
        };
        frontier::record_skipped(&mut tx, site_id, &urls, outcome, detail).await?;
    }
    tx.commit().await.map_err(redflag_store::Error::from)?;
    Ok(d)
}

async fn summarize(
    store: &Store,
    adapter: &SiteAdapter,
    worker: &str,
    site_id: i64,
    c: &Counters,
    started: Instant,
    status: &str,
) -> Result<CrawlSummary> {
    let seconds = started.elapsed().as_secs_f64();
    let pages = get(&c.pages);
    let outcomes = c.outcomes.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(CrawlSummary {
        site: adapter.name.clone(),
        worker: worker.to_string(),
        run_id: None,
        status: status.to_string(),
        pages_fetched: pages,
        pages_stored: get(&c.stored),
        bytes: get(&c.bytes),
        ads_new: get(&c.ads_new),
        ads_changed: get(&c.ads_changed),
        ads_unchanged: get(&c.ads_unchanged),
        images: get(&c.images),
        image_errors: get(&c.image_errors),
        outcomes,
        errors: get(&c.errors),
        retries: get(&c.retries),
        lost_leases: get(&c.lost),
        seconds,
        pages_per_sec: if seconds > 0.0 { pages as f64 / seconds } else { 0.0 },
        frontier: store.frontier_stats(site_id).await?,
        problems: store.frontier_problems(site_id, 50).await?,
        would_fetch: Vec::new(),
    })
}

/// Lists what a crawl would fetch next without touching the network or writing anything: the start URLs
/// and sitemaps, then the site's queued URLs in the order they would be leased.
async fn dry_run(store: &Store, adapter: &SiteAdapter, opts: &CrawlOptions) -> Result<CrawlSummary> {
    let limit = opts.max_pages.unwrap_or(100).clamp(1, 100_000) as usize;
    let mut would: Vec<String> = Vec::new();
    let mut frontier_stats = redflag_store::FrontierStats::default();
    let site = store.site_by_name(&adapter.name).await?;
    let known: HashSet<String> = match &site {
        Some(s) => {
            let mut c = store.conn().await?;
            frontier_stats = frontier::stats(&mut c, s.id).await?;
            let queued = frontier::peek(&mut c, s.id, limit as i64).await?;
            let mut known = HashSet::new();
            for u in adapter.start_urls.iter().chain(&adapter.sitemaps) {
                // A start URL already in the frontier is listed where the queue has it, if at all.
                if frontier::find(&mut c, s.id, u.as_str()).await?.is_some() {
                    known.insert(u.to_string());
                }
            }
            would.extend(queued.into_iter().map(|i| i.url));
            known
        }
        None => HashSet::new(),
    };
    let mut seeds: Vec<String> =
        adapter.start_urls.iter().chain(&adapter.sitemaps).map(Url::to_string).filter(|u| !known.contains(u)).collect();
    seeds.append(&mut would);
    seeds.truncate(limit);
    Ok(CrawlSummary {
        site: adapter.name.clone(),
        worker: opts.worker_id.clone(),
        status: "dry_run".into(),
        frontier: frontier_stats,
        would_fetch: seeds,
        ..CrawlSummary::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traps_are_paths_that_repeat_a_segment() {
        assert!(is_trap("http://a/x/y/x/y/x/y/x/y", 3));
        assert!(!is_trap("http://a/x/y/x/y/x/y", 3));
        assert!(!is_trap("http://a/escorts/page/2?x=x/x/x/x", 3));
    }
}
