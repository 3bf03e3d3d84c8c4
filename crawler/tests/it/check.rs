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
