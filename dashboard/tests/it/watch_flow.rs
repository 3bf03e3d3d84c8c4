//! The whole alert workflow in a real browser (WebDriver): an analyst logs in through the form, opens a
//! lead, triages it and watches its phone number; the site then posts a new ad with that number, a
//! crawl and an analysis run, and the alert is in the analyst's inbox with the unread count in the
//! navigation. The analyst then opens a case, ticks both ads in the queue, adds them to it and sets
//! their state in bulk, and downloads the case archive, which `redflag_case::verify_file` passes and a
//! copy with one byte changed fails.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::Html;
use redflag_analyze::{AnalyzeOptions, NoProgress};
use redflag_crawler::{CrawlOptions, SiteAdapter};
use redflag_dashboard::{AppState, DashboardConfig};
use redflag_index::AdIndex;
use redflag_store::Role;
use redflag_store::testkit;

use crate::browser::Browser;
use crate::fixture::PASSWORD;

type Ads = Arc<Mutex<BTreeMap<u32, (String, String)>>>;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

async fn listing(State(ads): State<Ads>) -> Html<String> {
    let ads = ads.lock().unwrap();
    let links: String = ads.keys().map(|id| format!("<li><a href=\"/ad/{id}\">ad {id}</a></li>")).collect();
    Html(format!("<!doctype html><html><body><ul>{links}</ul></body></html>"))
}

async fn ad(State(ads): State<Ads>, Path(id): Path<u32>) -> Result<Html<String>, axum::http::StatusCode> {
    let ads = ads.lock().unwrap();
    let (title, body) = ads.get(&id).ok_or(axum::http::StatusCode::NOT_FOUND)?;
    Ok(Html(format!(
        "<!doctype html><html><body><h1 class=\"title\">{}</h1><div class=\"body\">{}</div></body></html>",
        escape(title),
        escape(body)
    )))
}

/// A tiny job board whose ads the test changes.
async fn small_site(ads: Ads) -> String {
    let app = axum::Router::new()
        .route("/", axum::routing::get(listing))
        .route("/ad/{id}", axum::routing::get(ad))
        .with_state(ads);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn adapter(base: &str) -> SiteAdapter {
    let text = format!(
        r#"
[site]
name = "smallboard"
kind = "job"
country = "GB"
base_url = "{base}/"
start_urls = ["/"]

[listing]
patterns = ['^/$']

[ad]
patterns = ['^/ad/\d+$']
key = '^/ad/(\d+)'

[fields]
title = ["h1.title"]
body = ["div.body"]

[politeness]
contact_url = "https://example.org/redflag-tests"
concurrency = 2
delay = 0
allow_private_addresses = true

[recrawl]
listing = "1s"
ad = "1s"
"#
    );
    SiteAdapter::parse(&text, "smallboard.toml").unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_analyst_works_a_lead_watches_its_phone_sees_the_alert_and_hands_over_a_verified_case() {
    let db = testkit::sqlite().await;
    db.upsert_user("ana", PASSWORD, Role::Analyst, "admin").await.unwrap();
    let ads: Ads = Arc::new(Mutex::new(BTreeMap::new()));
    ads.lock().unwrap().insert(
        1,
        ("Cleaners for hotels abroad".into(), "Pay the visa fee before you travel. Call 07700 900123 now.".into()),
    );
    let site = small_site(Arc::clone(&ads)).await;
    let adapter = adapter(&site);
    let index = Arc::new(AdIndex::in_memory().unwrap());
    let classifier = Arc::new(redflag_classifier::Classifier::bundled().unwrap());
    let crawl_and_analyze = || {
        let (db, adapter, index, classifier) = (db.store.clone(), adapter.clone(), index.clone(), classifier.clone());
        async move {
            let opts = CrawlOptions { worker_id: "t".into(), recrawl: true, ..CrawlOptions::default() };
            redflag_crawler::crawl(&db, &adapter, &opts, |_| {}).await.unwrap();
            redflag_analyze::analyze(&db, classifier, index, &AnalyzeOptions::default(), &NoProgress).await.unwrap()
        }
    };
    crawl_and_analyze().await;

    let state = AppState::new(db.store.clone(), index.clone(), classifier.clone(), DashboardConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(redflag_dashboard::serve(listener, state, std::future::pending()));

    let Some(b) = Browser::start(&base).await else { return };
    b.login("ana", PASSWORD).await;
    b.goto("/leads").await;
    b.click_link("Cleaners for hotels abroad").await;
    b.wait_for_text("h1", "Cleaners for hotels abroad").await;
    // Triage it.
    b.select("#t-state", "reviewing").await;
    b.fill("#t-note", "recruiter asks for a visa fee").await;
    b.click("#triage button[type=submit]").await;
    b.wait_for_text("main", "Triage saved.").await;
    // Watch its phone number.
    b.click("#watch button[data-watch=contact]").await;
    let watches = b.wait_for_text("table.watches", "+447700900123").await;
    assert!(watches.contains("active"), "{watches}");
    assert_eq!(b.path().await, "/watches?saved=1");

    // The site posts a new ad with the same number, written differently.
    ads.lock().unwrap().insert(3, ("Hotel staff wanted".into(), "Work abroad, text 07700-900-123 for details.".into()));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let summary = crawl_and_analyze().await;
    assert_eq!(summary.alerts, 1, "{summary:?}");

    b.goto("/leads").await;
    let nav = b.text("header.top nav").await;
    assert!(nav.contains("Alerts 1"), "the navigation counts the unread alert: {nav}");
    b.click("header.top a[href='/alerts']").await;
    let inbox = b.wait_for_text("ol.alerts", "Hotel staff wanted").await;
    assert!(inbox.contains("phone:+447700900123") && inbox.contains("07700-900-123"), "the evidence: {inbox}");
    b.click("ol.alerts button[type=submit]").await;
    b.wait_for_text("main", "No alerts.").await;
    let nav = b.text("header.top nav").await;
    assert!(!nav.contains("Alerts 1"), "{nav}");

    // Build a case from the queue: open it, tick both ads, add them, set their state in bulk.
    b.goto("/cases").await;
    b.fill("#c-name", "Visa-fee recruiters").await;
    b.click("form[method=post][action='/cases'] button[type=submit]").await;
    b.wait_for_text("main h1", "Visa-fee recruiters").await;
    let case_path = b.path().await;
    let case_id = case_path.trim_start_matches("/cases/").to_string();
    let leads = db.leads(&redflag_store::LeadFilter::default()).await.unwrap();
    assert_eq!(leads.len(), 2, "the first ad and the new one");
    b.goto("/leads").await;
    for l in &leads {
        b.click(&format!("input[name=ad][value='{}']", l.id)).await;
    }
    b.select("#q-case", &case_id).await;
    b.click("button[formaction='/cases/ads']").await;
    b.goto(&case_path).await;
    let members = b.wait_for_text("main", "Hotel staff wanted").await;
    assert!(members.contains("Cleaners for hotels abroad"), "{members}");
    b.goto("/leads").await;
    for l in &leads {
        b.click(&format!("input[name=ad][value='{}']", l.id)).await;
    }
    b.select("#b-state", "escalated").await;
    b.click("button[formaction='/leads/triage']").await;
    b.wait_for_text("main", "2 ads updated.").await;
    for l in &leads {
        assert_eq!(db.triage(l.id).await.unwrap().unwrap().state, redflag_store::TriageState::Escalated);
    }

    // Download the case archive as a browser does; it verifies, and a tampered copy does not.
    b.goto(&case_path).await;
    b.click_link("Download the case archive (ZIP)").await;
    let archive = b.wait_for_download(".zip").await;
    let report = redflag_case::verify_file(&archive).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.evidence_checked >= 2, "the evidence pages are in it: {report:?}");
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    let tampered = archive.with_extension("tampered.zip");
    std::fs::write(&tampered, &bytes).unwrap();
    assert!(!redflag_case::verify_file(&tampered).is_ok_and(|r| r.ok()), "a changed byte is caught");
    b.close().await;
}
