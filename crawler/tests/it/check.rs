//! `fetch_ad_text`: one polite fetch with a generic extraction, and a guard against request forgery.

use redflag_crawler::{Error, FetchOptions, fetch_ad_text};

use crate::fixture::{Reply, Site};

fn options(allow_private: bool) -> FetchOptions {
    FetchOptions { allow_private, ..FetchOptions::new("https://example.org/redflag-tests") }
}

#[tokio::test]
async fn a_page_is_fetched_through_redirects_and_read_without_an_adapter() {
    let page = "<html><head><title>Board | Warehouse job</title></head><body><nav>Home Jobs</nav>\
                <article><h1>Warehouse job abroad</h1><p>Good pay, visa arranged, pay the agency fee first.</p></article>\
                <footer>Contact us</footer></body></html>";
    let site = Site::start(vec![("/go", Reply::Redirect(302, "/ad".into())), ("/ad", Reply::Html(page.into()))]).await;
    let got = fetch_ad_text(&site.url("/go"), &options(true)).await.unwrap();
    assert_eq!(got.final_url, site.url("/ad"));
    assert_eq!(got.title, "Warehouse job abroad");
    assert_eq!(got.text, "Warehouse job abroad Good pay, visa arranged, pay the agency fee first.");
    assert_eq!(got.sha256.len(), 64);
    assert!(site.user_agents().iter().all(|u| u.contains("Redflag/")));
}

#[tokio::test]
async fn private_addresses_robots_and_bad_urls_are_refused() {
    let site = Site::start(vec![
        ("/ad", Reply::Html("<p>x</p>".into())),
        (
            "/robots.txt",
            Reply::Raw {
                status: 200,
                headers: vec![],
                body: b"User-agent: *\nDisallow: /private\n".to_vec(),
                etag: None,
            },
        ),
        ("/private", Reply::Html("<p>secret</p>".into())),
        ("/gone", Reply::status(404)),
    ])
    .await;
    let refused = fetch_ad_text(&site.url("/ad"), &options(false)).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Refused { reason, .. } if reason.contains("non-public address 127.0.0.1")),
        "{refused}"
    );
    assert_eq!(site.hits("/ad"), 0, "nothing is sent to a refused address");
    for (url, want) in [
        (site.url("/private"), "robots.txt"),
        ("file:///etc/passwd".to_string(), "not http"),
        ("not a url".to_string(), "not a URL"),
        (site.url("/gone"), "HTTP 404 Not Found"),
    ] {
        let e = fetch_ad_text(&url, &options(true)).await.unwrap_err().to_string();
        assert!(e.contains(want), "{url}: {e}");
    }
    assert_eq!(site.hits("/private"), 0);
}

#[tokio::test]
async fn redirects_cannot_move_the_fetch_to_another_port() {
    let other = Site::start(vec![("/admin", Reply::Html("<h1>Internal service</h1>".into()))]).await;
    let site = Site::start(vec![
        ("/go", Reply::Redirect(302, other.url("/admin"))),
        ("/here", Reply::Redirect(302, "/ad".into())),
        ("/ad", Reply::Html("<h1>Job</h1><p>Text of the ad.</p>".into())),
    ])
    .await;
    // The port the person typed is allowed, also after a redirect on that host.
    assert_eq!(fetch_ad_text(&site.url("/here"), &options(true)).await.unwrap().title, "Job");
    let e = fetch_ad_text(&site.url("/go"), &options(true)).await.unwrap_err();
    assert!(matches!(&e, Error::Refused { reason, .. } if reason.contains("not 80 or 443")), "{e}");
    assert_eq!(other.total_hits(), 0, "the other port was never contacted");
}

#[tokio::test]
async fn private_origins_open_only_that_origin() {
    let demo = Site::start(vec![("/ad", Reply::Html("<h1>Demo ad</h1><p>Text.</p>".into()))]).await;
    let other = Site::start(vec![("/ad", Reply::Html("<h1>Other</h1>".into()))]).await;
    let mut opts = options(false);
    opts.private_origins = vec![format!("http://{}", demo.addr)];
    assert_eq!(fetch_ad_text(&demo.url("/ad"), &opts).await.unwrap().title, "Demo ad");
    let e = fetch_ad_text(&other.url("/ad"), &opts).await.unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "{e}");
    assert_eq!(other.total_hits(), 0);
}

#[tokio::test]
async fn bodies_are_cut_near_one_mebibyte() {
    let huge = format!("<h1>Big</h1><p>{}</p>", "word ".repeat(1_000_000));
    let site = Site::start(vec![("/ad", Reply::Html(huge))]).await;
    assert_eq!(options(true).limits.max_bytes, 1024 * 1024);
    let got = fetch_ad_text(&site.url("/ad"), &options(true)).await.unwrap();
    assert!(got.truncated);
    assert!(got.text.len() <= 1024 * 1024);
}
