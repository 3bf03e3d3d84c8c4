//! A scriptable web site on 127.0.0.1 for crawler tests: each path answers with a [`Reply`], every
//! request is counted, and replies can be changed while the crawl runs.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use redflag_crawler::SiteAdapter;
use redflag_store::testkit::TestStore;

/// How a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with an HTML body (UTF-8).
    Html(String),
    /// Any status, headers and body; with an ETag, a matching `If-None-Match` gets 304.
    Raw { status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8>, etag: Option<String> },
    /// A redirect to a location.
    Redirect(u16, String),
    /// The n-th request gets the n-th reply; the last one repeats.
    Sequence(Vec<Reply>),
    /// Waits, then replies.
    Slow(Duration, Box<Reply>),
}

impl Reply {
    /// An HTML page with an ETag.
    pub fn tagged(html: &str, etag: &str) -> Reply {
        Reply::Raw {
            status: 200,
            headers: vec![("content-type", "text/html; charset=utf-8".into())],
            body: html.as_bytes().to_vec(),
            etag: Some(etag.to_string()),
        }
    }

    /// A status with a short body.
    pub fn status(status: u16) -> Reply {
        Reply::Raw {
            status,
            headers: vec![("content-type", "text/html".into())],
            body: b"<p>status</p>".to_vec(),
            etag: None,
        }
    }
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Reply>>,
    hits: Mutex<HashMap<String, usize>>,
    user_agents: Mutex<Vec<String>>,
    /// Requests being answered now, and the most ever answered at once.
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

/// Counts a request as in flight until dropped.
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn new(shared: &'a Shared) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.peak.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running fixture site.
pub struct Site {
    /// Where it listens.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Site {
    /// Starts a site with the given routes (`path` or `path?query` → reply). Unknown paths get 404;
    /// `/robots.txt` gets 404 unless routed.
    pub async fn start(routes: Vec<(&str, Reply)>) -> Site {
        let shared = Arc::new(Shared::default());
        {
            let mut r = shared.routes.lock().unwrap();
            for (p, reply) in routes {
                r.insert(p.to_string(), reply);
            }
        }
        let app = axum::Router::new().fallback(handle).with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Site { addr, shared, task }
    }

    /// The site's base URL with a trailing slash.
    pub fn base(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// An absolute URL on this site.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Replaces or adds a route.
    pub fn set(&self, path: &str, reply: Reply) {
        self.shared.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    /// Requests received for `path` (with its query, as requested).
    pub fn hits(&self, path: &str) -> usize {
        self.shared.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total_hits(&self) -> usize {
        self.shared.hits.lock().unwrap().values().sum()
    }

    /// The most requests the site was answering at one time.
    pub fn peak_concurrency(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// The User-Agent headers seen.
    pub fn user_agents(&self) -> Vec<String> {
        self.shared.user_agents.lock().unwrap().clone()
    }
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let _answering = InFlight::new(&shared);
    let key = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let n = {
        let mut hits = shared.hits.lock().unwrap();
        let n = hits.entry(key.clone()).or_default();
        *n += 1;
        *n
    };
    if let Some(ua) = req.headers().get("user-agent").and_then(|v| v.to_str().ok()) {
        shared.user_agents.lock().unwrap().push(ua.to_string());
    }
    let reply = {
        let routes = shared.routes.lock().unwrap();
        routes.get(&key).or_else(|| routes.get(req.uri().path())).cloned()
    };
    match reply {
        Some(r) => render(r, n, req.headers()).await,
        None => plain(404, "not found"),
    }
}

fn plain(status: u16, body: &str) -> Response {
    Response::builder().status(status).header("content-type", "text/plain").body(Body::from(body.to_string())).unwrap()
}

async fn render(mut reply: Reply, n: usize, req_headers: &HeaderMap) -> Response {
    loop {
        match reply {
            Reply::Sequence(list) => {
                let i = (n - 1).min(list.len() - 1);
                reply = list[i].clone();
            }
            Reply::Slow(d, inner) => {
                tokio::time::sleep(d).await;
                reply = *inner;
            }
            Reply::Html(html) => {
                return Response::builder()
                    .header("content-type", "text/html; charset=utf-8")
                    .body(Body::from(html))
                    .unwrap();
            }
            Reply::Redirect(status, to) => {
                return Response::builder().status(status).header("location", to).body(Body::empty()).unwrap();
            }
            Reply::Raw { status, headers, body, etag } => {
                if let Some(e) = &etag
                    && req_headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(e.as_str())
                {
                    return Response::builder().status(304).header("etag", e).body(Body::empty()).unwrap();
                }
                let mut resp = Response::new(Body::from(body));
                *resp.status_mut() = StatusCode::from_u16(status).unwrap();
                for (k, v) in headers {
                    resp.headers_mut().insert(HeaderName::from_static(k), HeaderValue::from_str(&v).unwrap());
                }
                if let Some(e) = etag {
                    resp.headers_mut().insert("etag", HeaderValue::from_str(&e).unwrap());
                }
                return resp;
            }
        }
    }
}

/// An ad page in the fixture format the test adapter reads (`h1` title, `.body` text).
pub fn ad_page(title: &str, body: &str, canonical: Option<&str>) -> String {
    let canon = canonical.map(|c| format!("<link rel=\"canonical\" href=\"{c}\">")).unwrap_or_default();
    format!(
        "<!doctype html><html><head><title>{title} | board</title>{canon}</head><body><h1>{title}</h1><div class=\"body\"><p>{body}</p></div></body></html>"
    )
}

/// A listing page linking the given hrefs.
pub fn listing(links: &[&str]) -> String {
    let items: String = links.iter().map(|l| format!("<li><a href=\"{l}\">{l}</a></li>")).collect();
    format!("<!doctype html><html><body><ul class=\"results\">{items}</ul></body></html>")
}

/// The test adapter: `/` starts, `/list…` are listings, `/ad/N…` are ads keyed by N, fast politeness,
/// private addresses allowed (the site is on 127.0.0.1) unless `extra` says otherwise.
/// `extra` is appended to the `[politeness]` table (e.g. `max_tries = 2`).
pub fn adapter(site: &Site, extra: &str) -> SiteAdapter {
    let text = format!(
        r#"
[site]
name = "fixture"
kind = "escort"
base_url = "{base}"
start_urls = ["/"]

[listing]
patterns = ['^/list']

[ad]
patterns = ['^/ad/(?P<id>\d+)', '^/(?:moved|r\d|loop|off)']

[fields]
title = "h1"
body = ".body"

[recrawl]
listing = "0s"
ad = "0s"

[politeness]
contact_url = "https://example.org/redflag-tests"
delay = 0
backoff = "20ms"
{defaults}
{extra}
"#,
        base = site.base(),
        // Keys given in `extra` must not be repeated: TOML forbids duplicate keys.
        defaults = [
            ("concurrency", "concurrency = 4"),
            ("max_tries", "max_tries = 3"),
            ("allow_private_addresses", "allow_private_addresses = true"),
        ]
        .iter()
        .filter(|(k, _)| !extra.contains(k))
        .map(|(_, v)| *v)
        .collect::<Vec<_>>()
        .join("\n"),
    );
    SiteAdapter::parse(&text, "fixture.toml").unwrap()
}

/// Crawl options for tests: a fixed worker name and quick progress.
pub fn options() -> redflag_crawler::CrawlOptions {
    redflag_crawler::CrawlOptions {
        worker_id: "test-worker".into(),
        concurrency: 8,
        batch: 16,
        progress_every: Duration::from_millis(50),
        ..redflag_crawler::CrawlOptions::default()
    }
}

/// Crawls the adapter into the store and returns the summary.
pub async fn crawl(store: &TestStore, a: &SiteAdapter) -> redflag_crawler::CrawlSummary {
    redflag_crawler::crawl(store, a, &options(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{}: crawl failed: {e}", store.label))
}

/// The frontier row of a URL on the fixture site.
pub async fn row(store: &TestStore, site: &Site, path: &str) -> redflag_store::UrlStatus {
    let site_id = store.site_by_name("fixture").await.unwrap().unwrap().id;
    store
        .frontier_url(site_id, &site.url(path))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{}: no frontier row for {path}", store.label))
}
