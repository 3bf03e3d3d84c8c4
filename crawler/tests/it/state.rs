//! The frontier as durable state: recrawls with conditional GET and versions, resuming after a kill,
//! limits and dry runs.

use std::time::Duration;

use redflag_crawler::CrawlOptions;
use redflag_store::testkit;

use crate::fixture::{Reply, Site, ad_page, adapter, crawl, listing, options, row};

#[tokio::test]
async fn a_recrawl_asks_conditionally_and_versions_changed_ads() {
    for store in testkit::all().await {
        let site = Site::start(vec![
            ("/", Reply::tagged(&listing(&["/ad/1", "/ad/2", "/ad/3"]), "\"home-1\"")),
            ("/ad/1", Reply::tagged(&ad_page("Dinner dates", "Price $200 per evening.", None), "\"a1\"")),
            ("/ad/2", Reply::tagged(&ad_page("Massage", "Relaxing massage downtown.", None), "\"b1\"")),
            // No validators: an unchanged body is recognised by its hash.
            ("/ad/3", Reply::Html(ad_page("Companion", "Concerts and dinners.", None))),
        ])
        .await;
        let a = adapter(&site, "");
        let first = crawl(&store, &a).await;
        assert_eq!((first.ads_new, first.outcomes.get("ok")), (3, Some(&4)), "{}", store.label);

        site.set("/ad/1", Reply::tagged(&ad_page("Dinner dates", "Price $300 per evening.", None), "\"a2\""));
        let second = crawl(&store, &a).await;
        assert_eq!(second.outcomes.get("not_modified"), Some(&3), "{}: {:?}", store.label, second.outcomes);
        assert_eq!((second.ads_new, second.ads_changed, second.ads_unchanged), (0, 1, 2), "{}", store.label);
        let site_id = store.site_by_name("fixture").await.unwrap().unwrap().id;
        let ad1 = store.frontier_url(site_id, &site.url("/ad/1")).await.unwrap().unwrap();
        assert_eq!(ad1.outcome.as_deref(), Some("ok"));
        let id =
            store.leads(&Default::default()).await.unwrap().into_iter().find(|l| l.url.ends_with("/ad/1")).unwrap().id;
        let versions = store.ad_versions(id).await.unwrap();
        assert_eq!(versions.len(), 2, "{}: the price change is a new version", store.label);
        assert_eq!(versions[0].fields.body, "Price $300 per evening.");
        assert_eq!(versions[1].fields.body, "Price $200 per evening.");
        // Only the changed page was stored again (plus robots.txt, asked for once per crawl).
        assert_eq!(store.page_count().await.unwrap(), 4 + 1 + 1 + 1, "{}", store.label);
        assert_eq!(row(&store, &site, "/ad/3").await.detail.as_deref(), Some("same content as the last fetch"));
    }
}

#[tokio::test]
async fn a_killed_crawl_resumes_without_losing_or_duplicating_anything() {
    let ads: Vec<String> = (1..=60).map(|i| format!("/ad/{i}")).collect();
    let refs: Vec<&str> = ads.iter().map(String::as_str).collect();
    let mut routes = vec![("/", Reply::Html(listing(&refs[..30]))), ("/list2", Reply::Html(listing(&refs[30..])))];
    let pages: Vec<(String, Reply)> = ads
        .iter()
        .map(|p| {
            (
                p.clone(),
                Reply::Slow(
                    Duration::from_millis(50),
                    Box::new(Reply::Html(ad_page(p, &format!("Text of {p}."), None))),
                ),
            )
        })
        .collect();
    for (p, r) in &pages {
        routes.push((p.as_str(), r.clone()));
    }
    let site = Site::start(routes).await;
    site.set("/", Reply::Html(listing(&[&refs[..30], &["/list2"]].concat())));
    for store in testkit::all().await {
        let a = adapter(&site, "concurrency = 2");
        // Kill the crawl (drop every task without a chance to clean up) once some ads are stored.
        let opts = CrawlOptions { batch: 4, recrawl: false, ..options() };
        let run = redflag_crawler::crawl(&store, &a, &opts, |_| {});
        let killed = tokio::time::timeout(Duration::from_millis(700), run).await;
        assert!(killed.is_err(), "{}: the crawl should still be running when killed", store.label);
        let before = store.ad_count().await.unwrap();
        assert!(before > 0 && before < 60, "{}: killed mid-crawl with {before} ads", store.label);

        let summary = redflag_crawler::crawl(&store, &a, &opts, |_| {}).await.unwrap();
        assert_eq!(summary.status, "finished");
        assert_eq!(store.ad_count().await.unwrap(), 60, "{}: nothing lost", store.label);
        let site_id = store.site_by_name("fixture").await.unwrap().unwrap().id;
        assert!(store.duplicate_pages(site_id).await.unwrap().is_empty(), "{}: no page stored twice", store.label);
        let stats = store.frontier_stats(site_id).await.unwrap();
        assert_eq!((stats.pending(), stats.by_outcome.get("ok")), (0, Some(&62)), "{}: {stats:?}", store.label);
        let all = redflag_store::LeadFilter { limit: Some(1000), ..Default::default() };
        for lead in store.leads(&all).await.unwrap() {
            assert_eq!(
                store.ad_versions(lead.id).await.unwrap().len(),
                1,
                "{}: ad {} stored once",
                store.label,
                lead.url
            );
        }
        let runs = store.crawl_runs(Some(site_id), 5).await.unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].status, redflag_store::runs::RunStatus::Finished);
    }
}

#[tokio::test]
async fn page_and_depth_limits_leave_the_rest_for_later() {
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/1", "/list1"]))),
        ("/list1", Reply::Html(listing(&["/ad/2", "/list2"]))),
        ("/list2", Reply::Html(listing(&["/ad/3"]))),
        ("/ad/1", Reply::Html(ad_page("One", "First.", None))),
        ("/ad/2", Reply::Html(ad_page("Two", "Second.", None))),
        ("/ad/3", Reply::Html(ad_page("Three", "Third.", None))),
    ])
    .await;
    for store in testkit::all().await {
        let a = adapter(&site, "");
        let shallow = CrawlOptions { max_depth: Some(1), ..options() };
        let s = redflag_crawler::crawl(&store, &a, &shallow, |_| {}).await.unwrap();
        assert_eq!((s.ads_new, s.outcomes.get("limit")), (1, Some(&2)), "{}: {:?}", store.label, s.outcomes);
        let two = CrawlOptions { max_pages: Some(2), ..options() };
        let s = redflag_crawler::crawl(&store, &a, &two, |_| {}).await.unwrap();
        assert_eq!((s.status.as_str(), s.pages_fetched), ("limit", 2), "{}", store.label);
        let s = redflag_crawler::crawl(&store, &a, &options(), |_| {}).await.unwrap();
        assert_eq!(s.status, "finished");
        assert_eq!(store.ad_count().await.unwrap(), 3, "{}", store.label);
    }
}

#[tokio::test]
async fn a_dry_run_fetches_and_writes_nothing() {
    let site = Site::start(vec![("/", Reply::Html(listing(&["/ad/1"])))]).await;
    let store = testkit::sqlite().await;
    let opts = CrawlOptions { dry_run: true, ..options() };
    let s = redflag_crawler::crawl(&store, &adapter(&site, ""), &opts, |_| {}).await.unwrap();
    assert_eq!(s.status, "dry_run");
    assert_eq!(s.would_fetch, vec![site.url("/")]);
    assert_eq!(site.total_hits(), 0);
    assert!(store.sites().await.unwrap().is_empty());
}

#[tokio::test]
async fn progress_is_reported_and_the_run_recorded() {
    let site =
        Site::start(vec![("/", Reply::Html(listing(&["/ad/1"]))), ("/ad/1", Reply::Html(ad_page("A", "B.", None)))])
            .await;
    let store = testkit::sqlite().await;
    let snaps = std::sync::Mutex::new(Vec::new());
    let s = redflag_crawler::crawl(&store, &adapter(&site, ""), &options(), |p| snaps.lock().unwrap().push(p.clone()))
        .await
        .unwrap();
    let snaps = snaps.into_inner().unwrap();
    let last = snaps.last().unwrap();
    assert!(last.done && last.pages == 2 && last.ads_new == 1, "{last:?}");
    let run = store.crawl_run(s.run_id.unwrap()).await.unwrap();
    assert_eq!(run.status, redflag_store::runs::RunStatus::Finished);
    assert_eq!(run.stats["ads_new"].as_u64(), Some(1));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["outcomes"]["ok"], 2);
}
