//! Every fault the crawler must survive, each against a local site, on SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use redflag_store::testkit;

use crate::fixture::{Reply, Site, ad_page, adapter, crawl, listing, row};

#[tokio::test]
async fn robots_txt_is_obeyed_and_kept_as_evidence() {
    let site = Site::start(vec![
        (
            "/robots.txt",
            Reply::Raw {
                status: 200,
                headers: vec![("content-type", "text/plain".into())],
                body: b"User-agent: *\nDisallow: /ad/2\n\nUser-agent: OtherBot\nDisallow: /\n".to_vec(),
                etag: None,
            },
        ),
        ("/", Reply::Html(listing(&["/ad/1", "/ad/2", "/ad/3"]))),
        ("/ad/1", Reply::Html(ad_page("Dinner company", "Good conversation over dinner.", None))),
        ("/ad/2", Reply::Html(ad_page("Hidden", "Must not be fetched.", None))),
        ("/ad/3", Reply::Html(ad_page("Allowed", "Only another robot is kept out.", None))),
    ])
    .await;
    for store in testkit::all().await {
        let summary = crawl(&store, &adapter(&site, "")).await;
        assert_eq!(summary.outcomes.get("robots"), Some(&1), "{}: {:?}", store.label, summary.outcomes);
        let r = row(&store, &site, "/ad/2").await;
        assert_eq!((r.state.as_str(), r.outcome.as_deref()), ("skipped", Some("robots")));
        assert_eq!(r.detail.as_deref(), Some("disallowed by robots.txt"));
        assert_eq!(summary.ads_new, 2);
        let robots = store.pages_for_url(&site.url("/robots.txt")).await.unwrap();
        assert_eq!(robots.len(), 1, "{}: robots.txt is kept as evidence", store.label);
        assert!(robots[0].frontier_id.is_none());
        assert!(summary.problems.iter().any(|p| p.url.ends_with("/ad/2") && p.outcome.as_deref() == Some("robots")));
    }
    assert_eq!(site.hits("/ad/2"), 0, "disallowed pages are never requested");
    let ua = site.user_agents();
    assert!(ua.iter().all(|u| u.contains("Redflag/") && u.contains("+https://example.org/redflag-tests")), "{ua:?}");
}

#[tokio::test]
async fn crawl_delay_spaces_requests() {
    let site = Site::start(vec![
        (
            "/robots.txt",
            Reply::Raw {
                status: 200,
                headers: vec![],
                body: b"User-agent: *\nCrawl-delay: 0.5\n".to_vec(),
                etag: None,
            },
        ),
        ("/", Reply::Html(listing(&["/ad/1", "/ad/2"]))),
        ("/ad/1", Reply::Html(ad_page("One", "First ad text.", None))),
        ("/ad/2", Reply::Html(ad_page("Two", "Second ad text.", None))),
    ])
    .await;
    let store = testkit::sqlite().await;
    let t = Instant::now();
    let summary = crawl(&store, &adapter(&site, "concurrency = 8")).await;
    assert_eq!(summary.outcomes.get("ok"), Some(&3));
    // robots.txt, then "/", "/ad/1" and "/ad/2" at least 0.5 s apart each.
    assert!(t.elapsed() >= Duration::from_millis(1000), "{:?}", t.elapsed());
}

#[tokio::test]
async fn links_off_the_configured_hosts_and_other_schemes_are_recorded_not_followed() {
    let elsewhere = Site::start(vec![("/ad/9", Reply::Html(ad_page("Elsewhere", "Another site.", None)))]).await;
    let off = elsewhere.url("/ad/9");
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/1", &off, "/off", "ftp://127.0.0.1/ad/5", "mailto:x@example.org"]))),
        ("/ad/1", Reply::Html(ad_page("Local", "Stays on this host.", None))),
        ("/off", Reply::Redirect(302, off.clone())),
    ])
    .await;
    for store in testkit::all().await {
        let summary = crawl(&store, &adapter(&site, "")).await;
        let site_id = store.site_by_name("fixture").await.unwrap().unwrap().id;
        let skipped = store.frontier_url(site_id, &off).await.unwrap().expect("off-host link recorded");
        assert_eq!(
            (skipped.state.as_str(), skipped.outcome.as_deref()),
            ("skipped", Some("off_scope")),
            "{}",
            store.label
        );
        assert!(skipped.detail.unwrap().contains("outside the crawl's scope"));
        let redirected = row(&store, &site, "/off").await;
        assert_eq!(redirected.outcome.as_deref(), Some("off_scope"));
        assert!(redirected.detail.unwrap().contains("redirected off-scope"), "{}", store.label);
        assert_eq!(summary.ads_new, 1);
    }
    assert_eq!(elsewhere.total_hits(), 0, "the other host is never contacted");
}

#[tokio::test]
async fn a_server_error_is_retried_until_the_page_comes() {
    for store in testkit::all().await {
        let site = Site::start(vec![
            ("/", Reply::Html(listing(&["/ad/1", "/ad/2"]))),
            (
                "/ad/1",
                Reply::Sequence(vec![Reply::status(500), Reply::Html(ad_page("Back", "Works the second time.", None))]),
            ),
            (
                "/ad/2",
                Reply::Sequence(vec![
                    Reply::Raw { status: 429, headers: vec![("retry-after", "1".into())], body: vec![], etag: None },
                    Reply::Html(ad_page("Later", "Rate limited first.", None)),
                ]),
            ),
        ])
        .await;
        let t = Instant::now();
        let summary = crawl(&store, &adapter(&site, "")).await;
        assert_eq!(summary.outcomes.get("ok"), Some(&3), "{}: {summary:?}", store.label);
        assert_eq!((summary.retries, summary.errors, summary.ads_new), (2, 0, 2), "{}", store.label);
        assert!(t.elapsed() >= Duration::from_millis(900), "Retry-After: 1 is honoured ({:?})", t.elapsed());
        assert_eq!((site.hits("/ad/1"), site.hits("/ad/2")), (2, 2), "{}: two tries per page", store.label);
    }
}

#[tokio::test]
async fn a_page_slower_than_the_timeout_fails_after_its_tries_with_the_reason() {
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/1", "/ad/2"]))),
        ("/ad/1", Reply::Slow(Duration::from_secs(5), Box::new(Reply::Html(ad_page("Slow", "Five seconds.", None))))),
        ("/ad/2", Reply::Html(ad_page("Fast", "Right away.", None))),
    ])
    .await;
    let store = testkit::sqlite().await;
    let t = Instant::now();
    let summary =
        crawl(&store, &adapter(&site, "max_tries = 2\n[politeness.timeouts]\nfirst_byte = \"500ms\"\ntotal = \"1s\""))
            .await;
    assert!(t.elapsed() < Duration::from_secs(4), "the crawl does not wait for the slow page: {:?}", t.elapsed());
    let slow = row(&store, &site, "/ad/1").await;
    assert_eq!((slow.state.as_str(), slow.outcome.as_deref()), ("failed", Some("failed")));
    let detail = slow.detail.unwrap();
    assert!(detail.starts_with("failed after 2 tries: timed out after 500ms waiting for response headers"), "{detail}");
    assert_eq!((summary.errors, summary.ads_new), (1, 1));
    assert_eq!(site.hits("/ad/1"), 2);
}

#[tokio::test]
async fn an_oversized_page_is_cut_at_the_cap_and_recorded_as_too_large() {
    let big = vec![b'a'; 6 * 1024 * 1024];
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/1"]))),
        (
            "/ad/1",
            Reply::Raw { status: 200, headers: vec![("content-type", "text/html".into())], body: big, etag: None },
        ),
    ])
    .await;
    for store in testkit::all().await {
        let summary = crawl(&store, &adapter(&site, "")).await;
        let r = row(&store, &site, "/ad/1").await;
        assert_eq!((r.state.as_str(), r.outcome.as_deref()), ("done", Some("too_large")), "{}", store.label);
        assert!(r.detail.unwrap().contains("larger than 5242880 bytes"));
        let pages = store.pages_for_url(&site.url("/ad/1")).await.unwrap();
        assert_eq!((pages[0].size, pages[0].truncated, pages[0].body.len()), (5 * 1024 * 1024, true, 5 * 1024 * 1024));
        assert_eq!(summary.ads_new, 0, "a cut page is not read as an ad");
        assert!(summary.problems.iter().any(|p| p.outcome.as_deref() == Some("too_large")));
    }
}

#[tokio::test]
async fn redirect_chains_are_followed_and_loops_and_long_chains_stopped() {
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/r1", "/loop", "/r5"]))),
        ("/r1", Reply::Redirect(301, "/r2".into())),
        ("/r2", Reply::Redirect(302, "/r3".into())),
        ("/r3", Reply::Redirect(307, "/ad/7".into())),
        ("/ad/7", Reply::Html(ad_page("Arrived", "After three hops.", None))),
        ("/loop", Reply::Redirect(302, "/loop2".into())),
        ("/loop2", Reply::Redirect(302, "/loop".into())),
        ("/r5", Reply::Redirect(302, "/r6".into())),
        ("/r6", Reply::Redirect(302, "/r7".into())),
        ("/r7", Reply::Redirect(302, "/r8".into())),
        ("/r8", Reply::Redirect(302, "/r9".into())),
    ])
    .await;
    let stores = testkit::all().await;
    for store in &stores {
        let summary = crawl(store, &adapter(&site, "max_redirects = 3")).await;
        let chain = row(store, &site, "/r1").await;
        assert_eq!(chain.outcome.as_deref(), Some("ok"), "{}", store.label);
        let page = &store.pages_for_url(&site.url("/r1")).await.unwrap()[0];
        assert_eq!(page.final_url, site.url("/ad/7"));
        let lp = row(store, &site, "/loop").await;
        assert_eq!((lp.state.as_str(), lp.outcome.as_deref()), ("failed", Some("redirect")));
        assert!(lp.detail.as_deref().unwrap().starts_with("redirect loop"), "{lp:?}");
        assert_eq!(summary.pages_fetched, 4, "{}: a redirect chain is one page", store.label);
        let long = row(store, &site, "/r5").await;
        assert!(long.detail.as_deref().unwrap().starts_with("more than 3 redirects"), "{long:?}");
        assert_eq!(summary.ads_new, 1);
    }
    assert_eq!(site.hits("/loop"), stores.len(), "one request per backend: the loop is seen, not walked");
}

#[tokio::test]
async fn a_windows_1252_page_declared_only_in_the_header_is_decoded() {
    let mut body: Vec<u8> =
        b"<html><head><title>x</title></head><body><h1>Caf\xe9 cr\xe8me \x96 d\xeener</h1>".to_vec();
    body.extend_from_slice(b"<div class=\"body\">Se\xf1ora Mar\xeda, \x80 200</div></body></html>");
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/5"]))),
        (
            "/ad/5",
            Reply::Raw {
                status: 200,
                headers: vec![("content-type", "text/html; charset=windows-1252".into())],
                body: body.clone(),
                etag: None,
            },
        ),
    ])
    .await;
    for store in testkit::all().await {
        crawl(&store, &adapter(&site, "")).await;
        let ad = store.ad(1).await.unwrap();
        assert_eq!(ad.fields.title, "Café crème – dîner", "{}", store.label);
        assert_eq!(ad.fields.body, "Señora María, € 200");
        let page = &store.pages_for_url(&site.url("/ad/5")).await.unwrap()[0];
        assert_eq!(page.body, body, "evidence keeps the raw bytes");
    }
}

#[tokio::test]
async fn one_ad_under_two_urls_is_one_ad_with_both_urls() {
    let site = Site::start(vec![
        ("/", Reply::Html(listing(&["/ad/3", "/ad/3?sort=new&utm_source=mail#photos", "/list?b=2&a=1"]))),
        ("/list", Reply::Html(listing(&["/ad/3?utm_medium=x", "/ad/3?sort=new"]))),
        ("/ad/3", Reply::Html(ad_page("Travel companion", "Weekend trips.", Some("/ad/3")))),
    ])
    .await;
    for store in testkit::all().await {
        let summary = crawl(&store, &adapter(&site, "")).await;
        assert_eq!(store.ad_count().await.unwrap(), 1, "{}", store.label);
        let urls = store.ad_urls(1).await.unwrap();
        let mut urls: Vec<&str> =
            urls.iter().map(|u| u.trim_start_matches(&site.base()[..site.base().len() - 1])).collect();
        urls.sort();
        assert_eq!(urls, ["/ad/3", "/ad/3?sort=new"], "{}: tracking parameters and fragments are dropped", store.label);
        assert_eq!((summary.ads_new, summary.ads_unchanged), (1, 1));
        row(&store, &site, "/list?a=1&b=2").await;
    }
    assert_eq!(site.hits("/ad/3?utm_medium=x") + site.hits("/ad/3?sort=new&utm_source=mail"), 0);
}
