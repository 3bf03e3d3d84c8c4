//! The complete example in `docs/site-adapters.md` is loaded and crawled, so the documentation cannot
//! drift from the code.

use std::time::Duration;

use redflag_crawler::SiteAdapter;
use redflag_store::testkit;

use crate::fixture::{Reply, Site, options};

const DOC: &str = include_str!("../../../docs/site-adapters.md");

/// The first ```toml block of the document.
fn example() -> &'static str {
    let start = DOC.find("```toml\n").expect("docs/site-adapters.md has a toml example") + 8;
    let len = DOC[start..].find("```").expect("the example is closed");
    &DOC[start..start + len]
}

fn job_page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

#[tokio::test]
async fn the_documented_example_adapter_loads_and_crawls() {
    let mut a = SiteAdapter::parse(example(), "docs/site-adapters.md").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (a.name.as_str(), a.country.as_deref(), a.language.as_deref()),
        ("example-jobs", Some("GB"), Some("en"))
    );
    assert_eq!(a.politeness.delay, Duration::from_secs(1));
    assert_eq!(a.politeness.max_bytes, 5 * 1024 * 1024);
    assert!(!a.politeness.allow_private_addresses, "the documented default is public addresses only");
    a.politeness.allow_private_addresses = true; // the test site is on 127.0.0.1

    let listing1 = job_page(
        "<title>Jobs</title>",
        r#"<ul class="categories"><li><a href="/jobs/category/warehouse">Warehouse</a></li></ul>
           <article class="job-card"><a href="/job/101-forklift-driver?sort=new&utm_source=x">Forklift driver</a></article>
           <a href="/job/999-not-in-a-card">ignored: outside the selected elements</a>
           <nav class="pagination"><a href="/jobs?page=2">2</a></nav>"#,
    );
    let listing2 = job_page("", r#"<article class="job-card"><a href="/job/103-picker">Picker</a></article>"#);
    let category =
        job_page("", r#"<aside class="similar"><a href="/job/101-forklift-driver">Forklift driver</a></aside>"#);
    let ad101 = job_page(
        "<title>Forklift driver | Example Jobs</title>",
        r#"<h1 class="job-title">Forklift driver</h1><span class="location">Leeds</span>
           <span class="salary">£12.50 an hour</span><time class="posted" datetime="2025-05-01">1 May</time>
           <div class="description"><p>Night shifts in a warehouse.</p><p>Accommodation provided.</p></div>
           <p class="apply-contact">Call 07700 900123</p><div class="employer"><a href="/e/1">Northern Logistics</a></div>"#,
    );
    let ad102 = job_page(
        r#"<meta property="og:title" content="Office cleaner">"#,
        r#"<div class="description">Early mornings, city centre.</div><dl><dd class="pay">£11 an hour</dd></dl>
           <time class="posted">yesterday</time><div class="employer">Bright Cleaning Ltd</div>"#,
    );
    let ad103 =
        job_page("", r#"<h1 class="job-title">Picker</h1><div class="description"><p>Seasonal work.</p></div>"#);
    let site = Site::start(vec![
        (
            "/robots.txt",
            Reply::Raw { status: 200, headers: vec![], body: b"User-agent: *\nAllow: /\n".to_vec(), etag: None },
        ),
        ("/jobs", Reply::Html(listing1)),
        ("/jobs?page=2", Reply::Html(listing2)),
        ("/jobs/category/warehouse", Reply::Html(category)),
        ("/job/101-forklift-driver", Reply::Html(ad101)),
        ("/job/101-forklift-driver?sort=new", Reply::Html(String::from("<p>never requested: sort is stripped</p>"))),
        ("/job/102-office-cleaner", Reply::Html(ad102)),
        ("/job/103-picker", Reply::Html(ad103)),
    ])
    .await;
    let sitemap = format!(
        "<?xml version=\"1.0\"?><urlset><url><loc>{}</loc></url><url><loc>{}</loc></url></urlset>",
        site.url("/job/102-office-cleaner"),
        site.url("/about")
    );
    site.set(
        "/sitemap-jobs.xml",
        Reply::Raw {
            status: 200,
            headers: vec![("content-type", "application/xml".into())],
            body: sitemap.into_bytes(),
            etag: None,
        },
    );

    a.rebase(&site.base().parse().unwrap()).unwrap();
    // The documented politeness is for real sites; this one is local.
    a.politeness.delay = Duration::ZERO;
    for store in testkit::all().await {
        let summary = redflag_crawler::crawl(&store, &a, &options(), |_| {}).await.unwrap();
        assert_eq!((summary.ads_new, summary.errors), (3, 0), "{}: {summary:#?}", store.label);
        let leads = store.leads(&Default::default()).await.unwrap();
        let ad = |path: &str| leads.iter().find(|l| l.url == site.url(path)).map(|l| l.id).unwrap();
        let f = store.ad(ad("/job/101-forklift-driver")).await.unwrap().fields;
        assert_eq!(f.title, "Forklift driver");
        assert_eq!(f.body, "Night shifts in a warehouse. Accommodation provided.");
        assert_eq!(
            (f.city.as_deref(), f.price.as_deref(), f.posted_at.as_deref(), f.contact.as_deref(), f.company.as_deref()),
            (
                Some("Leeds"),
                Some("£12.50 an hour"),
                Some("2025-05-01"),
                Some("Call 07700 900123"),
                Some("Northern Logistics")
            )
        );
        let f = store.ad(ad("/job/102-office-cleaner")).await.unwrap().fields;
        assert_eq!(
            (f.title.as_str(), f.body.as_str()),
            ("Office cleaner", "Early mornings, city centre."),
            "{}",
            store.label
        );
        assert_eq!(
            (f.price.as_deref(), f.posted_at.as_deref(), f.company.as_deref()),
            (Some("£11 an hour"), Some("yesterday"), Some("Bright Cleaning Ltd"))
        );
        assert_eq!(store.ad(ad("/job/103-picker")).await.unwrap().fields.city, None);
    }
    assert_eq!(site.hits("/job/999-not-in-a-card"), 0);
    assert_eq!(site.hits("/about"), 0, "a sitemap URL matching no pattern is not fetched");
    assert_eq!(site.hits("/job/101-forklift-driver?sort=new"), 0);
}
