//! `redflag demo`: the whole pipeline on the bundled sample site — serve it, crawl it, analyse it, measure
//! the scores against the site's ground truth, and open the dashboard.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use redflag_core::AdKind;
use redflag_crawler::{CrawlOptions, CrawlSummary, SiteAdapter};
use redflag_demosite::{DemoConfig, DemoSite};
use serde::Serialize;

use crate::app::Global;
use crate::cmd::analyze::BarProgress;
use crate::progress;

/// The demo boards' adapters, embedded so `redflag demo` works from any directory.
const ADAPTERS: [(&str, &str); 2] = [
    ("config/sites/demo-escorts.toml", include_str!("../../config/sites/demo-escorts.toml")),
    ("config/sites/demo-jobs.toml", include_str!("../../config/sites/demo-jobs.toml")),
];

/// The demo's dashboard user; its password is new on every run.
const DEMO_USER: &str = "demo";

/// Flags of `redflag demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to serve the dashboard.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Crawl, score and index, print a summary and exit without serving the dashboard.
    #[arg(long)]
    pub no_serve: bool,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Seed of the sample site (the same seed always gives the same site).
    #[arg(long, default_value_t = DemoConfig::default().seed)]
    pub seed: u64,
    /// Escort ads on the sample site.
    #[arg(long, default_value_t = DemoConfig::default().escort_ads)]
    pub escort_ads: usize,
    /// Job ads on the sample site.
    #[arg(long, default_value_t = DemoConfig::default().job_ads)]
    pub job_ads: usize,
}

/// How well the scores separate the site's risky ads from its benign ones.
#[derive(Debug, Serialize)]
struct KindQuality {
    ads: usize,
    risky: usize,
    roc_auc: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Summary {
    site: String,
    truth_ads: usize,
    stored_ads: i64,
    indexed_ads: u64,
    crawls: Vec<CrawlSummary>,
    analysis: redflag_analyze::AnalyzeSummary,
    quality: HashMap<String, KindQuality>,
    /// Extraction and linking against the site's ground truth.
    networks: redflag_analyze::eval::NetworkEval,
    seconds: f64,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = g.open_store().await?;
    let index = Arc::new(g.open_index()?);
    let classifier = Arc::new(g.classifier()?);

    // A previous demo crawled the site on another port; start from a clean slate for the demo boards
    // (other sites in the same store are left alone).
    for (_, text) in ADAPTERS {
        let name = SiteAdapter::parse(text, "embedded")?.name;
        if let Some(site) = store.site_by_name(&name).await? {
            store.delete_site(site.id, "demo").await?;
        }
    }

    let cfg = DemoConfig { seed: a.seed, escort_ads: a.escort_ads, job_ads: a.job_ads, ..DemoConfig::default() };
    let site = Arc::new(tokio::task::spawn_blocking(move || DemoSite::generate(&cfg)).await?);
    let server = redflag_demosite::serve(site.clone(), SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .context("cannot start the sample site")?;
    let base = url::Url::parse(&server.base_url())?;
    eprintln!("sample site: {} ({} ads)", server.base_url(), site.truth().len());

    // Crawl both boards at once.
    let mut crawls = Vec::new();
    let multi = indicatif::MultiProgress::with_draw_target(progress::draw_target());
    let mut tasks = Vec::new();
    for (origin, text) in ADAPTERS {
        let mut adapter = SiteAdapter::parse(text, origin)?;
        adapter.rebase(&base)?;
        let bar = multi.add(progress::counter(&adapter.name));
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let opts = CrawlOptions { recrawl: false, ..CrawlOptions::default() };
            let b = bar.clone();
            let res = redflag_crawler::crawl(&store, &adapter, &opts, move |p| {
                b.set_position(p.pages);
                b.set_message(format!("{} ads, {} errors, {} queued", p.ads_new + p.ads_changed, p.errors, p.queued));
            })
            .await;
            bar.finish_and_clear();
            res
        }));
    }
    for t in tasks {
        let summary = t.await??;
        if !progress::interactive() || !a.json {
            eprintln!(
                "crawled {}: {} pages, {} new ads, {} pictures kept ({} not kept) in {:.1}s",
                summary.site,
                summary.pages_fetched,
                summary.ads_new,
                summary.images,
                summary.image_errors,
                summary.seconds
            );
        }
        crawls.push(summary);
    }

    // Extract, link, score, index. The index is derived data: rebuild it whole so no ad of an earlier
    // demo lingers in it.
    index.clear()?;
    index.commit()?;
    let opts = redflag_analyze::AnalyzeOptions { all: true, ..Default::default() };
    let analysis =
        redflag_analyze::analyze(&store, classifier.clone(), index.clone(), &opts, &BarProgress::new()).await?;

    let quality = measure(&store, &site).await?;
    let truth: Vec<redflag_analyze::eval::TruthAd> = site
        .truth()
        .iter()
        .map(|t| redflag_analyze::eval::TruthAd {
            path: t.path.clone(),
            alt_paths: t.alt_paths.clone(),
            phones: t.phones.clone(),
            emails: t.emails.clone(),
            handles: t.handles.clone(),
            network: t.network.clone(),
            company: t.company.clone(),
            images: t.images.clone(),
        })
        .collect();
    let networks = redflag_analyze::eval::evaluate(&store, &truth).await?;
    let summary = Summary {
        site: server.base_url(),
        truth_ads: site.truth().len(),
        stored_ads: store.ad_count().await?,
        indexed_ads: index.len(),
        crawls,
        analysis,
        quality,
        networks,
        seconds: started.elapsed().as_secs_f64(),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(&summary);
    }

    if a.no_serve {
        server.shutdown().await?;
        return Ok(ExitCode::SUCCESS);
    }

    let password = redflag_store::users::random_token()[..16].to_string();
    store.upsert_user(DEMO_USER, &password, redflag_store::Role::Admin, "demo").await?;
    // A password reset never re-enables a user; the last demo disabled this one when it ended.
    store.set_user_disabled(DEMO_USER, false, "demo").await?;
    let config = dashboard_config(a.addr, &server.base_url());
    if config.private_fetch_origins.is_empty() {
        eprintln!(
            "note: the dashboard listens on {}, beyond this machine, so its public check page will not fetch the \
             sample site (on a private address); paste an ad's text instead",
            a.addr
        );
    }
    let state = crate::app::dashboard_state(store.clone(), index.clone(), classifier, config);
    let listener = tokio::net::TcpListener::bind(a.addr).await.with_context(|| {
        format!("cannot serve the dashboard on {} (is another program using it? try --addr 127.0.0.1:0)", a.addr)
    })?;
    let addr = listener.local_addr()?;
    let link = state.login_link(DEMO_USER, &password).await.ok().flatten().unwrap_or_default();
    println!();
    println!("Dashboard:  http://{addr}/");
    println!("Login:      user {DEMO_USER}, password {password}");
    println!("            (or open http://{addr}{link} once, within ten minutes)");
    println!("Ad check:   http://{addr}/check");
    println!("Press Ctrl-C to stop.");
    let served = redflag_dashboard::serve(listener, state, crate::app::shutdown_signal()).await;
    // The printed password must not outlive the demo.
    store.set_user_disabled(DEMO_USER, true, "demo").await?;
    served?;
    server.shutdown().await?;
    Ok(ExitCode::SUCCESS)
}

/// The demo dashboard's settings: its public check page may fetch the sample site (which is on a
/// private address) only when the dashboard listens on loopback, so only this machine can use it, and
/// only the sample site's origin.
fn dashboard_config(addr: SocketAddr, site_base: &str) -> redflag_dashboard::DashboardConfig {
    let origins = match url::Url::parse(site_base) {
        Ok(u) if addr.ip().is_loopback() => vec![u.origin().ascii_serialization()],
        _ => Vec::new(),
    };
    redflag_dashboard::DashboardConfig { private_fetch_origins: origins, ..Default::default() }
}

/// Scores against the sample site's ground truth: ROC-AUC of risk for risky versus benign ads, per kind.
async fn measure(store: &redflag_store::Store, site: &DemoSite) -> anyhow::Result<HashMap<String, KindQuality>> {
    let mut truth: HashMap<&str, bool> = HashMap::new();
    for t in site.truth() {
        truth.insert(t.path.as_str(), t.risky);
        for p in &t.alt_paths {
            truth.insert(p.as_str(), t.risky);
        }
    }
    let mut by_kind: HashMap<AdKind, Vec<(f64, bool)>> = HashMap::new();
    let mut after = 0;
    loop {
        let batch = store.export_batch(after, 1000).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for row in batch {
            let path =
                url::Url::parse(&row.url).map(|u| redflag_crawler::path_and_query(&u).to_string()).unwrap_or_default();
            if let Some(risky) = truth.get(path.as_str()) {
                by_kind.entry(row.kind).or_default().push((row.risk.unwrap_or(0) as f64, *risky));
            }
        }
    }
    Ok(by_kind
        .into_iter()
        .map(|(kind, scored)| {
            let risky = scored.iter().filter(|(_, r)| *r).count();
            let q = KindQuality { ads: scored.len(), risky, roc_auc: auc(&scored) };
            (kind.as_str().to_string(), q)
        })
        .collect())
}

fn print_summary(s: &Summary) {
    let a = &s.analysis;
    println!();
    println!(
        "Crawled {} ads of the sample site's {} into the store; {} searchable.",
        s.stored_ads, s.truth_ads, s.indexed_ads
    );
    println!(
        "Found {} entities, {} networks joining {} ads; {} ads scored, {} at risk 50 or more.",
        a.entities, a.networks, a.networked_ads, a.scored, a.high_risk
    );
    let mut kinds: Vec<_> = s.quality.iter().collect();
    kinds.sort_by_key(|(k, _)| k.as_str());
    for (kind, q) in kinds {
        let auc = q.roc_auc.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into());
        println!(
            "{kind:>7} ads: {} ({} risky in the ground truth), smoke test: ROC-AUC of risk against the truth {auc}",
            q.ads, q.risky
        );
    }
    println!(
        "(The sample site is synthetic and shares its phrasing with the patterns; accuracy on real ads is in models/*/MODEL_CARD.md.)"
    );
    println!("Extraction and networks against the sample site's ground truth:");
    for line in s.networks.report().lines() {
        println!("  {line}");
    }
    println!("Done in {:.1}s.", s.seconds);
}

fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let (scores, labels): (Vec<f64>, Vec<bool>) = scored.iter().copied().unzip();
    let both = labels.iter().any(|l| *l) && labels.iter().any(|l| !*l);
    both.then(|| redflag_classifier::metrics::roc_auc(&scores, &labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_fetches_only_on_loopback_and_only_for_the_sample_site() {
        let local = dashboard_config("127.0.0.1:8080".parse().unwrap(), "http://127.0.0.1:41234/");
        assert_eq!(local.private_fetch_origins, ["http://127.0.0.1:41234"]);
        assert!(!local.allow_private_fetch, "no other private address");
        let v6 = dashboard_config("[::1]:8080".parse().unwrap(), "http://127.0.0.1:41234/");
        assert_eq!(v6.private_fetch_origins.len(), 1);
        for open in ["0.0.0.0:8080", "192.168.1.5:8080", "[::]:8080"] {
            let c = dashboard_config(open.parse().unwrap(), "http://127.0.0.1:41234/");
            assert!(c.private_fetch_origins.is_empty() && !c.allow_private_fetch, "{open}");
        }
    }
}
