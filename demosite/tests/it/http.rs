//! The site served over HTTP on 127.0.0.1 by `serve`.

use redflag_demosite::{DemoConfig, DemoSite, TruthAd, serve};
use std::sync::Arc;
use std::time::Duration;

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()).map(str::to_string).collect()
}

#[tokio::test]
async fn serves_pages_sitemaps_truth_and_404_then_shuts_down() {
    let site = Arc::new(DemoSite::generate(&DemoConfig { escort_ads: 120, job_ads: 120, ..DemoConfig::default() }));
    let server = serve(site.clone(), "127.0.0.1:0".parse().unwrap()).await.expect("binds");
    let base = server.base_url();
    assert_eq!(base, format!("http://127.0.0.1:{}", server.addr().port()));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let get = |path: &str| client.get(format!("{base}{path}")).send();

    let home = get("/").await.unwrap();
    assert_eq!(home.status(), 200);
    assert_eq!(home.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(home.text().await.unwrap(), site.page("/").unwrap().body);

    // Absolute URLs carry the origin the request came to.
    let robots = get("/robots.txt").await.unwrap().text().await.unwrap();
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")), "{robots}");
    let index = get("/sitemap.xml").await.unwrap().text().await.unwrap();
    let mut urls = 0;
    for child in locs(&index) {
        assert!(child.starts_with(&base), "{child}");
        let xml = client.get(&child).send().await.unwrap().text().await.unwrap();
        for loc in locs(&xml) {
            let resp = client.get(&loc).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{loc}");
            urls += 1;
        }
    }
    assert_eq!(urls, site.truth().len());

    let json = get("/ground-truth.json").await.unwrap().text().await.unwrap();
    let truth: Vec<TruthAd> = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(truth, site.truth());

    let ad = &truth[0];
    let tracked = get(&format!("{}?utm_source=newsletter&ref=r1", ad.path)).await.unwrap();
    assert_eq!(tracked.status(), 200);
    assert_eq!(tracked.text().await.unwrap(), site.page(&ad.path).unwrap().body);

    let missing = get("/escorts/ad/1-gone.html").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(missing.text().await.unwrap().contains("Page not found"));

    let post = client.post(format!("{base}/admin/login")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    let head = client.head(format!("{base}/jobs/")).send().await.unwrap();
    assert_eq!(head.status(), 200);

    // Graceful shutdown finishes even though the client still holds pooled connections.
    tokio::time::timeout(Duration::from_secs(10), server.shutdown()).await.expect("shuts down").expect("cleanly");
    assert!(client.get(format!("{base}/")).send().await.is_err(), "still serving after shutdown");
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let site = Arc::new(DemoSite::generate(&DemoConfig { escort_ads: 5, job_ads: 5, ..DemoConfig::default() }));
    let server = serve(site, "127.0.0.1:0".parse().unwrap()).await.expect("binds");
    let base = server.base_url();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).pool_max_idle_per_host(0).build().unwrap();
    assert_eq!(client.get(format!("{base}/robots.txt")).send().await.unwrap().status(), 200);
    drop(server);
    let mut stopped = false;
    for _ in 0..50 {
        if client.get(format!("{base}/robots.txt")).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stopped, "server still answers after drop");
}

#[tokio::test]
async fn binding_a_busy_port_is_an_error_naming_the_address() {
    let site = Arc::new(DemoSite::generate(&DemoConfig { escort_ads: 1, job_ads: 1, ..DemoConfig::default() }));
    let first = serve(site.clone(), "127.0.0.1:0".parse().unwrap()).await.expect("binds");
    let err = serve(site, first.addr()).await.expect_err("port is taken");
    assert!(err.to_string().contains(&first.addr().to_string()), "{err}");
    first.shutdown().await.unwrap();
}
