//! The shipped demo adapters against the bundled demo site: every ad found once, alternative URLs
//! collapsed, fields read from all page templates.

use std::collections::HashMap;
use std::sync::Arc;

use redflag_core::AdKind;
use redflag_core::text::collapse_whitespace;
use redflag_crawler::SiteAdapter;
use redflag_demosite::{DemoConfig, DemoSite, serve};
use redflag_store::testkit;

use crate::fixture::options;

fn shipped(name: &str) -> SiteAdapter {
    let path = format!("{}/../config/sites/{name}", env!("CARGO_MANIFEST_DIR"));
    SiteAdapter::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn every_shipped_adapter_loads() {
    let dir = format!("{}/../config/sites", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            SiteAdapter::load(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n >= 2, "the two demo adapters are shipped");
}

#[tokio::test]
async fn the_demo_adapters_find_every_ad_once() {
    let site = Arc::new(DemoSite::generate(&DemoConfig { escort_ads: 60, job_ads: 60, ..DemoConfig::default() }));
    let server = serve(Arc::clone(&site), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base: url::Url = server.base_url().parse().unwrap();
    for store in testkit::all().await {
        for (file, kind) in [("demo-escorts.toml", AdKind::Escort), ("demo-jobs.toml", AdKind::Job)] {
            let mut a = shipped(file);
            a.rebase(&base).unwrap();
            let summary = redflag_crawler::crawl(&store, &a, &options(), |_| {}).await.unwrap();
            let truth: Vec<_> = site.truth().iter().filter(|t| t.kind == kind).collect();
            assert_eq!(summary.ads_new as usize, truth.len(), "{} {file}: {summary:#?}", store.label);
            assert_eq!(summary.ads_changed, 0);
            let site_id = store.site_by_name(&a.name).await.unwrap().unwrap().id;
            let filter = redflag_store::LeadFilter { site_id: Some(site_id), limit: Some(1000), ..Default::default() };
            let leads = store.leads(&filter).await.unwrap();
            assert_eq!(leads.len(), truth.len(), "{} {file}", store.label);
            let by_url: HashMap<String, i64> = leads
                .iter()
                .map(|l| (redflag_crawler::path_and_query(&l.url.parse().unwrap()).to_string(), l.id))
                .collect();
            for t in &truth {
                let id = *by_url
                    .get(&t.path)
                    .or_else(|| t.alt_paths.iter().find_map(|p| by_url.get(p)))
                    .unwrap_or_else(|| panic!("{} {file}: ad {} not stored under a known path", store.label, t.path));
                let ad = store.ad(id).await.unwrap();
                // Fields are whitespace-collapsed (a no-break space reads as a space).
                let norm = |s: &str| collapse_whitespace(s);
                assert_eq!(ad.fields.title, norm(&t.title), "{} {}", store.label, t.path);
                assert_eq!(ad.fields.city.as_deref(), Some(norm(&t.city).as_str()), "{} {}", store.label, t.path);
                assert_eq!(ad.fields.price.as_deref(), Some(norm(&t.price).as_str()), "{} {}", store.label, t.path);
                assert!(!ad.fields.body.is_empty());
                let urls = store.ad_urls(id).await.unwrap();
                // The tracking-parameter alternative canonicalises to the ad's own path; a city path is
                // a second URL of the same ad.
                let city_alts = t.alt_paths.iter().filter(|p| !p.contains('?')).count();
                assert_eq!(urls.len(), 1 + city_alts, "{} {}: {urls:?}", store.label, t.path);
            }
            assert!(store.duplicate_pages(site_id).await.unwrap().is_empty());
            let stats = store.frontier_stats(site_id).await.unwrap();
            assert_eq!(stats.pending(), 0);
            assert!(stats.by_outcome.get("http_error").copied().unwrap_or(0) >= 1, "removed ads answer 404: {stats:?}");
        }
    }
    server.shutdown().await.unwrap();
}
