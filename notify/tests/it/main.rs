//! Delivery against local fakes on 127.0.0.1: an axum webhook receiver that checks the signature the way
//! a customer would (its own HMAC-SHA256, a freshness window), and a minimal SMTP server that records
//! what it is sent.

mod smtp;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use redflag_core::{AdFields, AdKind};
use redflag_notify::{Notifier, NotifyConfig};
use redflag_store::ads::{self, NewAdVersion};
use redflag_store::alerts::{self, NewAlert};
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};
use redflag_store::{Channel, DeliveryState, NewWatch, Role, WatchKind};
use sha2::Sha256;

const SECRET: &str = "webhook secret for tests";

/// What the receiver saw: (signature valid, body).
#[derive(Default)]
struct Received {
    requests: Vec<(bool, serde_json::Value)>,
    /// Answer 500 to this many requests first.
    fail_first: usize,
}

async fn receive(State(seen): State<Arc<Mutex<Received>>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let ts = h("x-redflag-timestamp");
    let sig = h("x-redflag-signature");
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}.").as_bytes());
    mac.update(&body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let now = redflag_store::now_ms() / 1000;
    let fresh = ts.parse::<i64>().is_ok_and(|t| (now - t).abs() <= 300);
    let valid = fresh && sig == expected && redflag_notify::verify(SECRET, &ts, &body, &sig, now, 300);
    let mut seen = seen.lock().unwrap();
    seen.requests.push((valid, serde_json::from_slice(&body).unwrap_or_default()));
    if seen.fail_first > 0 {
        seen.fail_first -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    if valid { StatusCode::NO_CONTENT } else { StatusCode::UNAUTHORIZED }
}

async fn receiver(fail_first: usize) -> (String, Arc<Mutex<Received>>) {
    let seen = Arc::new(Mutex::new(Received { fail_first, ..Default::default() }));
    let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(Arc::clone(&seen));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), seen)
}

/// A store with one alert queued for delivery to `targets`; returns the alert id.
async fn alert_with(s: &TestStore, targets: &[(Channel, &str)]) -> i64 {
    let site = s
        .upsert_site(&NewSite { name: "board", kind: AdKind::Job, country: None, language: None, config: "" })
        .await
        .unwrap();
    let user = s.upsert_user("ana", "correct horse 42", Role::Analyst, "admin").await.unwrap();
    let watch = NewWatch {
        user_id: user.id,
        kind: WatchKind::Contact,
        target: "phone:+15550100".into(),
        ad_kind: None,
        min_risk: None,
        label: "the recruiter's phone".into(),
        email: None,
    };
    let wid = s.create_watch(&watch, "ana").await.unwrap();
    let fields = AdFields {
        title: "Cleaners <b>wanted</b>\r\nBcc: victim@example.org".into(),
        body: "call 555 0100".into(),
        ..Default::default()
    };
    let mut tx = s.begin().await.unwrap();
    let (ad, version, _) = ads::upsert_version(
        &mut tx,
        &NewAdVersion {
            site_id: site,
            ad_key: "a",
            kind: AdKind::Job,
            url: "http://board.example/a",
            canonical_url: None,
            fields: &fields,
            page_id: None,
            fetched_at: 1,
        },
    )
    .await
    .unwrap();
    let evidence = serde_json::json!({ "kind": "contact", "contact": "phone:+15550100", "as_written": "555 0100" });
    let new = NewAlert {
        watch_id: wid,
        user_id: user.id,
        ad_id: ad,
        version,
        url: "http://board.example/a",
        title: &fields.title,
        evidence: &evidence,
    };
    let id = alerts::insert_alert(&mut tx, &new).await.unwrap().unwrap();
    for (c, t) in targets {
        alerts::queue_delivery(&mut tx, id, *c, t).await.unwrap();
    }
    tx.commit().await.unwrap();
    id
}

fn config(smtp: Option<String>, max_attempts: u32) -> NotifyConfig {
    NotifyConfig {
        webhook_secret: Some(SECRET.into()),
        smtp_url: smtp,
        mail_from: Some("alerts@redflag.example".into()),
        dashboard_url: Some("https://redflag.example".into()),
        max_attempts,
        first_retry: Duration::ZERO,
        timeout: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_webhook_is_signed_retried_with_backoff_and_delivered_once() {
    for s in testkit::all().await {
        let (url, seen) = receiver(2).await;
        let id = alert_with(&s, &[(Channel::Webhook, &url)]).await;
        let n = Notifier::new(config(None, 5)).unwrap();
        for _ in 0..5 {
            n.deliver_due(&s).await.unwrap();
        }
        let d = &s.deliveries_of(id).await.unwrap()[0];
        assert_eq!((d.state, d.attempts), (DeliveryState::Sent, 3), "{}: two failures, then sent: {d:?}", s.label);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.requests.len(), 3, "no request after it was sent");
        assert!(seen.requests.iter().all(|(valid, _)| *valid), "every request carried a valid, fresh signature");
        let body = &seen.requests[2].1;
        assert_eq!(body["alert"]["id"], id);
        assert_eq!(body["alert"]["evidence"]["contact"], "phone:+15550100");
        assert_eq!(body["alert"]["ad"]["url"], "http://board.example/a");
        assert_eq!(body["alert"]["dashboard"], format!("https://redflag.example/ads/{}", body["alert"]["ad"]["id"]));
    }
}

#[tokio::test]
async fn a_webhook_that_keeps_failing_is_given_up_recorded_and_audited() {
    for s in testkit::all().await {
        let (url, _) = receiver(usize::MAX).await;
        let id = alert_with(&s, &[(Channel::Webhook, &url)]).await;
        let n = Notifier::new(config(None, 3)).unwrap();
        let mut failed = 0;
        for _ in 0..5 {
            failed += n.deliver_due(&s).await.unwrap().failed;
        }
        assert_eq!(failed, 1);
        let d = &s.deliveries_of(id).await.unwrap()[0];
        assert_eq!((d.state, d.attempts), (DeliveryState::Failed, 3), "{}", s.label);
        assert!(d.last_error.as_deref().unwrap_or("").contains("500"), "{d:?}");
        let log = s.audit_log(10, 0).await.unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "alert.delivery_failed"
                    && e.target.as_deref() == Some(&format!("delivery:{}", d.id)))
        );
    }
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_receiver() {
    let s = testkit::sqlite().await;
    let (url, seen) = receiver(0).await;
    let id = alert_with(&s, &[(Channel::Webhook, &url)]).await;
    let n = Notifier::new(NotifyConfig {
        webhook_secret: Some("not the secret".into()),
        max_attempts: 1,
        ..config(None, 1)
    })
    .unwrap();
    n.deliver_due(&s).await.unwrap();
    assert!(!seen.lock().unwrap().requests[0].0, "the receiver saw a bad signature");
    let d = &s.deliveries_of(id).await.unwrap()[0];
    assert_eq!(d.state, DeliveryState::Failed);
    assert!(d.last_error.as_deref().unwrap().contains("401"), "{d:?}");
}

#[tokio::test]
async fn an_alert_email_reaches_the_smtp_server_with_the_ad_and_no_injected_header() {
    let s = testkit::sqlite().await;
    let server = smtp::FakeSmtp::start().await;
    let id = alert_with(&s, &[(Channel::Email, "ana@ngo.example")]).await;
    let n = Notifier::new(config(Some(server.url()), 3)).unwrap();
    let summary = n.deliver_due(&s).await.unwrap();
    assert_eq!(summary.sent, 1, "{summary:?}: {:?}", s.deliveries_of(id).await.unwrap());
    let mails = server.messages();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.from, "alerts@redflag.example");
    assert_eq!(m.to, ["ana@ngo.example"]);
    let data = &m.data;
    assert!(data.contains("the recruiter's phone"), "{data}");
    assert!(data.contains("http://board.example/a") && data.contains("https://redflag.example/ads/"), "{data}");
    // The title's line break did not start a header of its own.
    assert!(!data.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "{data}");
    assert_eq!(s.deliveries_of(id).await.unwrap()[0].state, DeliveryState::Sent);
}
