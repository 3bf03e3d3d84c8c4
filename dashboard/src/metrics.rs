//! `/metrics` in the OpenMetrics text format that Prometheus scrapes: HTTP requests and their latency by
//! route template, method and status, errors by stable error code, and gauges read from the store at
//! each scrape (ads, ads awaiting analysis, the frontier by state, crawl runs by status and when one
//! last finished, open leads).
//!
//! Routes are labelled by their template (`/ads/{id}`), never the path asked for, so the number of
//! series stays fixed whatever clients send; requests no route matched count under `unmatched`.
//! The page is served to an admin's API token, or to a client on the loopback interface (when
//! [`crate::DashboardConfig::metrics_from_loopback`] is on and no proxy forwarded the request).

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use redflag_store::Role;

use crate::AppState;
use crate::error::{ApiError, AppError};

/// The content type of the OpenMetrics text format.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Labels of a request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

/// Labels of a latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

/// Labels of an error counter: the route and the stable error code (`not_found`, `internal`, …).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    route: String,
    code: String,
}

/// One label, `state` or `status`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 5 ms to about 10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// The dashboard's metrics; cheap to share (each family is behind its own lock).
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    errors: Family<ErrorLabels, Counter>,
    ads: Gauge,
    stale: Gauge,
    frontier: Family<StateLabel, Gauge>,
    runs: Family<StateLabel, Gauge>,
    last_finish: Gauge<f64, AtomicU64>,
    open_leads: Family<StateLabel, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("redflag");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let errors = Family::<ErrorLabels, Counter>::default();
        let ads = Gauge::default();
        let stale = Gauge::default();
        let frontier = Family::<StateLabel, Gauge>::default();
        let runs = Family::<StateLabel, Gauge>::default();
        let last_finish = Gauge::<f64, AtomicU64>::default();
        let open_leads = Family::<StateLabel, Gauge>::default();
        registry.register("http_requests", "HTTP requests answered, by route template and status", requests.clone());
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request, by route template",
            prometheus_client::registry::Unit::Seconds,
            latency.clone(),
        );
        registry.register("http_errors", "Error responses, by route template and error code", errors.clone());
        registry.register("ads", "Ads in the store", ads.clone());
        registry.register("ads_awaiting_analysis", "Ads whose current version is not analysed yet", stale.clone());
        registry.register("frontier_urls", "Crawl frontier URLs, by state", frontier.clone());
        registry.register("crawl_runs", "Crawl runs, by status", runs.clone());
        registry.register_with_unit(
            "crawl_last_finished",
            "When the last crawl run finished, Unix time (0: none yet)",
            prometheus_client::registry::Unit::Seconds,
            last_finish.clone(),
        );
        registry.register("open_leads", "Scored ads whose triage is open, by state", open_leads.clone());
        Metrics { registry, requests, latency, errors, ads, stale, frontier, runs, last_finish, open_leads }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64, error_code: Option<&str>) {
        let labels = RequestLabels { method: method.into(), route: route.into(), status: status.to_string() };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&RouteLabels { method: method.into(), route: route.into() }).observe(seconds);
        if let Some(code) = error_code {
            self.errors.get_or_create(&ErrorLabels { route: route.into(), code: code.into() }).inc();
        }
    }

    /// Reads the store's counts into the gauges, then encodes everything.
    async fn render(&self, store: &redflag_store::Store) -> Result<String, AppError> {
        let s = store.stats().await?;
        self.ads.set(s.ads);
        self.stale.set(s.ads_awaiting_analysis);
        for (family, counts) in
            [(&self.frontier, &s.frontier), (&self.runs, &s.crawl_runs), (&self.open_leads, &s.open_leads)]
        {
            // States that emptied disappear rather than keep their last count.
            family.clear();
            for (state, n) in counts {
                family.get_or_create(&StateLabel { state: state.clone() }).set(*n);
            }
        }
        self.last_finish.set(s.last_crawl_finished_at.map_or(0.0, |ms| ms as f64 / 1000.0));
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).map_err(AppError::internal)?;
        Ok(out)
    }
}

/// Counts every request by the template of the route that answered it.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_string();
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_string();
    let resp = next.run(req).await;
    let code = resp.headers().get("x-error-code").and_then(|v| v.to_str().ok());
    state.metrics().observe(&method, &route, resp.status().as_u16(), start.elapsed().as_secs_f64(), code);
    resp
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let loopback = state.config().metrics_from_loopback
        && !req.headers().contains_key("x-forwarded-for")
        && !req.headers().contains_key("forwarded")
        && req.extensions().get::<ConnectInfo<SocketAddr>>().is_some_and(|c| c.0.ip().is_loopback());
    if !loopback {
        let Some(Some(secret)) = crate::auth::bearer(req.headers()) else {
            return Err(AppError::Unauthenticated { next: None }.into());
        };
        let who = state.store().token_user(secret).await?.ok_or(AppError::Unauthenticated { next: None })?;
        if !who.user.role.allows(Role::Admin) {
            return Err(AppError::Forbidden { needed: Role::Admin.as_str() }.into());
        }
    }
    let body = state.metrics().render(state.store()).await?;
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Ok(resp)
}
