//! `redflag run`: continuous operation. Crawls the given sites on their adapters' recrawl schedules and
//! analyses new and changed ads as they arrive (extraction, linking, scoring, indexing, matching the
//! watches and raising alerts), then delivers the alerts by webhook and e-mail.
//!
//! Any number of `run` workers may share one PostgreSQL store: they share each site's frontier through
//! its leases, and the store's `analysis` lease (`redflag_store::leases`) lets one worker at a time
//! analyse, write the index and deliver alerts. Every step is idempotent (ads and versions are unique,
//! scores are per version, alerts per watch and version, matching is queued in the store), so a worker
//! killed at any moment and started again loses and duplicates nothing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use redflag_analyze::watch::AlertTargets;
use redflag_analyze::{AnalyzeOptions, NoProgress};
use redflag_crawler::{CrawlOptions, SiteAdapter};
use redflag_notify::{Notifier, NotifyConfig};
use redflag_store::{Channel, Store, leases};

use crate::app::Global;

/// Flags of `redflag run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A site-adapter file; repeat for several sites. Without any, the worker only analyses and
    /// delivers (for a store that other workers crawl into).
    #[arg(long = "site", value_name = "FILE.toml")]
    pub sites: Vec<PathBuf>,

    /// Crawl a copy of the site served elsewhere: the adapter's URLs move to this origin.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<reqwest::Url>,

    /// This worker's name, unique among workers sharing a store (default: host name and process id).
    /// Reusing a killed worker's name takes its leases back at once.
    #[arg(long, env = "REDFLAG_WORKER_ID", value_name = "NAME")]
    pub worker_id: Option<String>,

    /// Requests in flight at once across all hosts of a site.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,

    /// Seconds a lease (a frontier URL, or the analysis) stays with this worker if it stops renewing.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub lease_secs: u64,

    /// Where site owners can reach you; sent in the User-Agent (an adapter's own contact URL wins).
    #[arg(long, env = "REDFLAG_CONTACT_URL", value_name = "URL")]
    pub contact_url: Option<String>,

    /// Analyse new and changed ads at least this often (seconds) when there are any.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub analyze_every: u64,

    /// Analyse at once when this many ads wait, without waiting for `--analyze-every`.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub analyze_at: usize,

    /// Only crawl: leave analysis, the index and delivery to other workers.
    #[arg(long)]
    pub no_analyze: bool,

    /// Post every alert to this URL, signed with `--webhook-secret`.
    #[arg(long, env = "REDFLAG_WEBHOOK_URL", value_name = "URL")]
    pub webhook_url: Option<reqwest::Url>,

    /// The webhook's shared secret (HMAC-SHA256 key); prefer the environment variable.
    #[arg(long, env = "REDFLAG_WEBHOOK_SECRET", value_name = "SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,

    /// SMTP server for alert e-mails: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host`.
    #[arg(long, env = "REDFLAG_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender address of alert e-mails.
    #[arg(long, env = "REDFLAG_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,

    /// E-mail every alert to this address too (repeatable); a watch's own address gets its alerts.
    #[arg(long = "mail-to", value_name = "ADDRESS")]
    pub mail_to: Vec<String>,

    /// The dashboard's public address, for links in e-mails and webhook payloads.
    #[arg(long, env = "REDFLAG_DASHBOARD_URL", value_name = "URL")]
    pub dashboard_url: Option<String>,
}

/// Sets `stop` on the first SIGINT or SIGTERM; a second one ends the process at once.
fn stop_on_signal(stop: Arc<AtomicBool>) {
    tokio::spawn(async move {
        crate::app::shutdown_signal().await;
        eprintln!("redflag: stopping after the current step; leased URLs go back to the queue");
        stop.store(true, Ordering::Relaxed);
        crate::app::shutdown_signal().await;
        std::process::exit(130);
    });
}

/// Sleeps up to `d`, waking early when `stop` is set.
async fn nap(stop: &AtomicBool, d: Duration) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100).min(until - Instant::now())).await;
    }
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    if a.webhook_url.is_some() && a.webhook_secret.as_deref().is_none_or(str::is_empty) {
        anyhow::bail!("--webhook-url needs --webhook-secret (or REDFLAG_WEBHOOK_SECRET)");
    }
    if !a.mail_to.is_empty() && a.smtp_url.is_none() {
        anyhow::bail!("--mail-to needs --smtp-url (or REDFLAG_SMTP_URL)");
    }
    let mut adapters = Vec::new();
    for path in &a.sites {
        let mut adapter = SiteAdapter::load(path)?;
        if let Some(base) = &a.base_url {
            adapter.rebase(base).with_context(|| format!("rebasing {} onto {base}", path.display()))?;
        }
        adapters.push(adapter);
    }
    let notifier = Notifier::new(NotifyConfig {
        webhook_secret: a.webhook_secret.clone(),
        smtp_url: a.smtp_url.clone(),
        mail_from: a.mail_from.clone(),
        dashboard_url: a.dashboard_url.clone(),
        ..NotifyConfig::default()
    })?;
    let mut every_alert: Vec<(Channel, String)> = Vec::new();
    if let Some(url) = &a.webhook_url {
        every_alert.push((Channel::Webhook, url.to_string()));
    }
    every_alert.extend(a.mail_to.iter().map(|m| (Channel::Email, m.clone())));

    let store = g.open_store().await?;
    let worker = a.worker_id.clone().unwrap_or_else(redflag_crawler::default_worker_id);
    let stop = Arc::new(AtomicBool::new(false));
    stop_on_signal(Arc::clone(&stop));
    let lease = Duration::from_secs(a.lease_secs.max(2));

    let mut tasks = tokio::task::JoinSet::new();
    let opts = CrawlOptions {
        worker_id: worker.clone(),
        recrawl: true,
        watch: true,
        concurrency: a.concurrency,
        lease,
        contact_url: a.contact_url.clone(),
        stop: Some(Arc::clone(&stop)),
        ..CrawlOptions::default()
    };
    for adapter in adapters {
        let (store, opts, stop) = (store.clone(), opts.clone(), Arc::clone(&stop));
        tasks.spawn(async move { crawl_forever(&store, &adapter, &opts, &stop).await });
    }
    if !a.no_analyze {
        let analysis = Analysis {
            store: store.clone(),
            worker: worker.clone(),
            lease,
            every: Duration::from_secs(a.analyze_every.max(1)),
            at: a.analyze_at.max(1),
            targets: AlertTargets { every_alert },
            notifier,
            quiet: g.quiet,
        };
        let (g, stop) = (g.clone(), Arc::clone(&stop));
        tasks.spawn(async move {
            if let Err(e) = analysis.run(&g, &stop).await {
                eprintln!("redflag: analysis stopped: {e:#}");
                stop.store(true, Ordering::Relaxed);
            }
        });
    }
    if tasks.is_empty() {
        anyhow::bail!("nothing to do: give --site, or drop --no-analyze");
    }
    while let Some(joined) = tasks.join_next().await {
        joined.context("a worker task failed")?;
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Crawls one site until stopped; a crawl that fails is started again after a pause.
async fn crawl_forever(store: &Store, adapter: &SiteAdapter, opts: &CrawlOptions, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match redflag_crawler::crawl(store, adapter, opts, |_| {}).await {
            Ok(s) => tracing::info!(site = %adapter.name, pages = s.pages_fetched, status = %s.status, "crawl ended"),
            Err(e) => eprintln!("redflag: crawl of {} failed, retrying in 10 s: {e}", adapter.name),
        }
        nap(stop, Duration::from_secs(10)).await;
    }
}

struct Analysis {
    store: Store,
    worker: String,
    lease: Duration,
    every: Duration,
    at: usize,
    targets: AlertTargets,
    notifier: Notifier,
    quiet: bool,
}

impl Analysis {
    async fn run(self, g: &Global, stop: &AtomicBool) -> anyhow::Result<()> {
        let ttl = i64::try_from(self.lease.as_millis()).unwrap_or(60_000);
        let held = Arc::new(AtomicBool::new(false));
        // Renew the lease in the background, so a long analysis does not outlive it.
        let renew = {
            let (store, worker, held) = (self.store.clone(), self.worker.clone(), Arc::clone(&held));
            tokio::spawn(async move {
                loop {
                    let ok = store.try_lease(leases::ANALYSIS, &worker, ttl).await.unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "cannot renew the analysis lease");
                        false
                    });
                    held.store(ok, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis((ttl / 3).max(500) as u64)).await;
                }
            })
        };
        // The index and the classifier are opened by the first worker that gets the lease, and only by it.
        let mut tools = None;
        let mut last = Instant::now() - self.every;
        let result = async {
            while !stop.load(Ordering::Relaxed) {
                nap(stop, Duration::from_millis(500)).await;
                if stop.load(Ordering::Relaxed) || !held.load(Ordering::Relaxed) {
                    continue;
                }
                let waiting = self.store.ads_for_analysis(0, self.at as i64, false).await?.len();
                let pending = self.store.pending_count().await?;
                if (waiting > 0 && (waiting >= self.at || last.elapsed() >= self.every)) || pending > 0 {
                    last = Instant::now();
                    if tools.is_none() {
                        let index = Arc::new(g.open_index()?);
                        crate::app::refill_new_index(&self.store, &index).await?;
                        tools = Some((index, Arc::new(g.classifier()?)));
                    }
                    let Some((index, classifier)) = &tools else { unreachable!() };
                    let opts = AnalyzeOptions { alerts: self.targets.clone(), ..AnalyzeOptions::default() };
                    match redflag_analyze::analyze(&self.store, classifier.clone(), index.clone(), &opts, &NoProgress)
                        .await
                    {
                        Ok(s) if !self.quiet => eprintln!(
                            "analysed {} new or changed ads; scored {} ({} at risk 50+); {} alerts in {:.1}s",
                            s.extracted, s.scored, s.high_risk, s.alerts, s.seconds
                        ),
                        Ok(_) => {}
                        Err(e) => eprintln!("redflag: analysis failed, retrying: {e}"),
                    }
                }
                match self.notifier.deliver_due(&self.store).await {
                    Ok(s) if s.sent + s.failed > 0 && !self.quiet => {
                        eprintln!("alerts delivered: {}, given up: {}", s.sent, s.failed)
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("redflag: alert delivery failed, retrying: {e}"),
                }
            }
            anyhow::Ok(())
        }
        .await;
        renew.abort();
        let _ = self.store.release_lease(leases::ANALYSIS, &self.worker).await;
        result
    }
}
