//! What a hostile site cannot make the crawler do: reach non-public addresses (every fetch, redirect
//! and robots.txt request is checked), leave the site's scope through a robots.txt redirect, or flood
//! the frontier through a sitemap. On SQLite and PostgreSQL.

use redflag_store::testkit;
use url::Url;

use crate::fixture::{Reply, Site, ad_page, adapter, crawl, listing, row};

fn text(body: &str) -> Reply {
    Reply::Raw {
        status: 200,
        headers: vec![("content-type", "text/plain".into())],
        body: body.as_bytes().to_vec(),
        etag: None,
    }
}

#[tokio::test]
async fn without_the_opt_in_no_request_goes_to_a_private_address() {
    let site = Site::start(vec![
        ("/robots.txt", text("User-agent: *\nAllow: /\n")),
        ("/", Reply::Html(listing(&["/ad/1"]))),
        ("/ad/1", Reply::Html(ad_page("Secret", "Intranet page.", None))),
    ])
    .await;
    for store in testkit::all().await {
        // By IP literal (checked before the request) and by host name (checked on the resolved address).
        let by_ip = adapter(&site, "allow_private_addresses = false\nmax_tries = 1");
        let mut by_name = by_ip.clone();
        by_name.name = "fixture-by-name".into();
        by_name.rebase(&format!("http://localhost:{}/", site.addr.port()).parse().unwrap()).unwrap();
        for a in [by_ip, by_name] {
            let summary = crawl(&store, &a).await;
            assert_eq!(summary.pages_stored, 0, "{}: {:?}", store.label, summary.outcomes);
            assert_eq!(summary.ads_new, 0);
            let site_id = store.site_by_name(&a.name).await.unwrap().unwrap().id;
            let r = store.frontier_url(site_id, a.start_urls[0].as_str()).await.unwrap().unwrap();
            assert_eq!(r.outcome.as_deref(), Some("failed"), "{}: {r:?}", store.label);
            assert!(r.detail.as_deref().unwrap().contains("non-public address"), "{}: {r:?}", store.label);
        }
    }
    assert_eq!(site.total_hits(), 0, "not one request reached the private address");
}

#[tokio::test]
async fn robots_txt_redirects_stay_within_the_sites_scope() {
    // Another host (a different port is a different origin) that would forbid everything.
    let elsewhere = Site::start(vec![("/robots.txt", text("User-agent: *\nDisallow: /\n"))]).await;
    let site = Site::start(vec![
        ("/robots.txt", Reply::Redirect(302, elsewhere.url("/robots.txt"))),
        ("/", Reply::Html(listing(&["/ad/1"]))),
        ("/ad/1", Reply::Html(ad_page("Dinner company", "Good conversation over dinner.", None))),
    ])
    .await;
    for store in testkit::all().await {
        let summary = crawl(&store, &adapter(&site, "")).await;
        assert_eq!(summary.ads_new, 1, "{}: {:?}", store.label, summary.outcomes);
        assert_eq!(row(&store, &site, "/").await.outcome.as_deref(), Some("ok"));
    }
    assert_eq!(elsewhere.total_hits(), 0, "the out-of-scope robots.txt was never requested");
}

#[tokio::test]
async fn a_hostile_sitemap_goes_through_the_link_caps() {
    let site = Site::start(vec![("/robots.txt", text("User-agent: *\nAllow: /\n"))]).await;
    let mut locs: Vec<String> = (1..=40).map(|n| site.url(&format!("/ad/{n}"))).collect();
    // Far longer than any URL kept, on the site itself and off it (PostgreSQL's unique index on the
    // frontier's URL cannot hold values over about 2.7 KB).
    locs.push(site.url(&format!("/ad/9999?q={}", "a".repeat(6000))));
    locs.push(format!("http://elsewhere.example/{}", "b".repeat(6000)));
    locs.extend((0..200).map(|n| format!("http://elsewhere.example/{n}")));
    let xml: String = locs.iter().map(|l| format!("<url><loc>{l}</loc></url>")).collect();
    site.set(
        "/sitemap.xml",
        Reply::Raw {
            status: 200,
            headers: vec![("content-type", "application/xml".into())],
            body: format!("<?xml version=\"1.0\"?><urlset>{xml}</urlset>").into_bytes(),
            etag: None,
        },
    );
    for n in 1..=40 {
        site.set(&format!("/ad/{n}"), Reply::Html(ad_page(&format!("Ad {n}"), "Some ad text here.", None)));
    }
    for store in testkit::all().await {
        let mut a = adapter(&site, "");
        a.sitemaps = vec![Url::parse(&site.url("/sitemap.xml")).unwrap()];
        a.start_urls.clear();
        a.limits.max_links_per_page = 10;
        // Twice: the second run re-leases the sitemap (recrawl 0s) and must not fail either.
        for run in 0..2 {
            redflag_crawler::crawl(&store, &a, &crate::fixture::options(), |_| {})
                .await
                .unwrap_or_else(|e| panic!("{}: a hostile sitemap aborted the crawl: {e}", store.label));
            if run == 0 {
                let sitemap = row(&store, &site, "/sitemap.xml").await;
                assert!(sitemap.detail.as_deref().unwrap_or("").contains("beyond the per-page limit"), "{sitemap:?}");
            }
        }
        let urls: Vec<String> = sqlx::query_scalar("SELECT url FROM frontier").fetch_all(store.pool()).await.unwrap();
        assert!(urls.iter().all(|u| u.len() <= 2048), "{}: a URL over the cut was stored", store.label);
        let ads = urls.iter().filter(|u| u.contains("/ad/") && !u.contains("/ad/9999")).count();
        assert_eq!(ads, 10, "{}: the per-page cap holds for sitemaps: {urls:?}", store.label);
        let long: Vec<&String> = urls.iter().filter(|u| u.contains("/ad/9999")).collect();
        assert!(long.len() == 1 && long[0].len() == 2048, "{}: the too-long URL is recorded, cut", store.label);
        let offsite = urls.iter().filter(|u| u.contains("elsewhere.example")).count();
        assert!(offsite <= redflag_crawler::MAX_OFFSCOPE_PER_PAGE, "{}: {offsite} off-scope rows", store.label);
    }
}
