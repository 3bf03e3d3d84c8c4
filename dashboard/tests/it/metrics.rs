//! `/metrics`: who may read it, and a scrape parsed line by line as Prometheus would.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use redflag_dashboard::DashboardConfig;

use crate::api::{api, token_for};
use crate::fixture::{fixture_with, fixtures_with};
use crate::{Resp, get, send};

/// `GET /metrics` from `peer`, with extra headers.
async fn scrape_from(app: &axum::Router, peer: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = Request::get("/metrics");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::empty()).unwrap();
    req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    send(app, req).await
}

/// One sample: metric name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parses the OpenMetrics text format: `# TYPE`/`# HELP`/`# UNIT` lines, samples
/// `name{label="value",…} number`, and the closing `# EOF`. Panics on any line that is neither.
fn parse(text: &str) -> (BTreeMap<String, String>, Vec<Sample>) {
    let mut types = BTreeMap::new();
    let mut samples = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "ends with # EOF");
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    };
    for line in &lines[..lines.len() - 1] {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name) = (parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(matches!(kind, "TYPE" | "HELP" | "UNIT") && name_ok(name), "bad comment line {line:?}");
            if kind == "TYPE" {
                types.insert(name.to_string(), parts.next().unwrap_or("").to_string());
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("bad sample {line:?}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels in {line:?}"));
                let mut labels = BTreeMap::new();
                for pair in body.split("\",").filter(|p| !p.is_empty()) {
                    let (k, v) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label in {line:?}"));
                    assert!(name_ok(k), "bad label name in {line:?}");
                    labels.insert(k.to_string(), v.trim_end_matches('"').to_string());
                }
                (name, labels)
            }
        };
        assert!(name_ok(name), "bad metric name in {line:?}");
        let family = types
            .keys()
            .filter(|f| name == f.as_str() || name.strip_prefix(f.as_str()).is_some_and(|s| s.starts_with('_')))
            .max_by_key(|f| f.len());
        assert!(family.is_some(), "sample {name} has no # TYPE");
        samples.push((name.to_string(), labels, value));
    }
    (types, samples)
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.2)
}

#[tokio::test]
async fn metrics_need_an_admin_token_or_a_loopback_client() {
    let fx = fixture_with(DashboardConfig::default()).await;
    let ada = token_for(&fx, "ada").await;
    let ana = token_for(&fx, "ana").await;
    assert_eq!(get(&fx.app, "/metrics", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(scrape_from(&fx.app, "203.0.113.9:5000", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api(&fx, "GET", "/metrics", Some(&ana), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(api(&fx, "GET", "/metrics", Some(&ada), None).await.status, StatusCode::OK);
    assert_eq!(scrape_from(&fx.app, "127.0.0.1:5000", &[]).await.status, StatusCode::OK);
    assert_eq!(scrape_from(&fx.app, "[::1]:5000", &[]).await.status, StatusCode::OK);
    // A request a proxy on the same machine passed on is not a local one.
    let proxied = scrape_from(&fx.app, "127.0.0.1:5000", &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(proxied.status, StatusCode::UNAUTHORIZED);
    // A session cookie is not enough: scrapers use tokens.
    let ada_session = crate::login(&fx.app, "ada", crate::fixture::PASSWORD).await;
    assert_eq!(get(&fx.app, "/metrics", Some(&ada_session)).await.status, StatusCode::UNAUTHORIZED);

    let closed = fixture_with(DashboardConfig { metrics_from_loopback: false, ..Default::default() }).await;
    assert_eq!(scrape_from(&closed.app, "127.0.0.1:5000", &[]).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_scrape_parses_and_counts_requests_by_route_template() {
    for fx in fixtures_with(DashboardConfig::default()).await {
        let label = fx.db.label;
        let ana = token_for(&fx, "ana").await;
        for id in [fx.ids.dinner, fx.ids.office, 999_999] {
            api(&fx, "GET", &format!("/api/ads/{id}"), Some(&ana), None).await;
        }
        api(&fx, "GET", "/api/leads", None, None).await;
        get(&fx.app, "/no/such/page/123", None).await;

        let r = scrape_from(&fx.app, "127.0.0.1:9", &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").starts_with("application/openmetrics-text"), "{}", r.header("content-type"));
        let (types, samples) = parse(&r.body);
        let expect_types = [
            ("redflag_http_requests", "counter"),
            ("redflag_http_request_duration_seconds", "histogram"),
            ("redflag_http_errors", "counter"),
            ("redflag_ads", "gauge"),
            ("redflag_ads_awaiting_analysis", "gauge"),
            ("redflag_frontier_urls", "gauge"),
            ("redflag_crawl_runs", "gauge"),
            ("redflag_crawl_last_finished_seconds", "gauge"),
            ("redflag_open_leads", "gauge"),
        ];
        for (name, kind) in expect_types {
            assert_eq!(types.get(name).map(String::as_str), Some(kind), "{label}: {name}");
        }

        // Requests are counted under their route template, never the path asked for.
        let ok = [("method", "GET"), ("route", "/api/ads/{id}"), ("status", "200")];
        assert_eq!(value(&samples, "redflag_http_requests_total", &ok), Some(2.0), "{label}");
        let missing = [("route", "/api/ads/{id}"), ("status", "404")];
        assert_eq!(value(&samples, "redflag_http_requests_total", &missing), Some(1.0));
        let routes: BTreeSet<&str> =
            samples.iter().filter(|s| s.0 == "redflag_http_requests_total").map(|s| s.1["route"].as_str()).collect();
        assert!(
            routes.contains("unmatched") && !routes.iter().any(|r| r.contains("999999") || r.contains("123")),
            "{routes:?}"
        );
        assert_eq!(
            value(&samples, "redflag_http_errors_total", &[("route", "/api/ads/{id}"), ("code", "not_found")]),
            Some(1.0)
        );
        assert_eq!(
            value(&samples, "redflag_http_errors_total", &[("route", "/api/leads"), ("code", "unauthenticated")]),
            Some(1.0)
        );
        let lat = [("method", "GET"), ("route", "/api/ads/{id}")];
        assert_eq!(value(&samples, "redflag_http_request_duration_seconds_count", &lat), Some(3.0));
        let inf = [("method", "GET"), ("route", "/api/ads/{id}"), ("le", "+Inf")];
        assert_eq!(value(&samples, "redflag_http_request_duration_seconds_bucket", &inf), Some(3.0));

        // Gauges read from the store.
        assert_eq!(value(&samples, "redflag_ads", &[]), Some(5.0), "{label}");
        let stale = fx.db.ads_for_analysis(0, 1000, false).await.unwrap().len() as f64;
        assert_eq!(value(&samples, "redflag_ads_awaiting_analysis", &[]), Some(stale));
        let frontier: f64 = samples.iter().filter(|s| s.0 == "redflag_frontier_urls").map(|s| s.2).sum();
        assert_eq!(frontier, 3.0, "{label}: every frontier URL is counted under its state");
        assert_eq!(value(&samples, "redflag_frontier_urls", &[("state", "done")]), Some(1.0), "{label}: {}", r.body);
        assert_eq!(value(&samples, "redflag_crawl_runs", &[("state", "finished")]), Some(1.0));
        assert!(value(&samples, "redflag_crawl_last_finished_seconds", &[]).unwrap() > 1.6e9);
        assert_eq!(value(&samples, "redflag_open_leads", &[("state", "new")]), Some(5.0));
        assert_eq!(value(&samples, "redflag_open_leads", &[("state", "reviewing")]), Some(0.0));
    }
}
