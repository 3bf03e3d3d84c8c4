//! Serving the site over HTTP with axum: a router for embedding and a ready-made server.

use crate::site::DemoSite;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

impl DemoSite {
    /// An axum router that serves every page of the site; unknown paths get the 404 page, methods
    /// other than GET and HEAD get 405.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(handle).with_state(self)
    }
}

async fn handle(State(site): State<Arc<DemoSite>>, method: Method, headers: HeaderMap, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let origin = origin_of(&headers);
    if let Some(pic) = site.picture(path_and_query) {
        let etag = HeaderValue::from_str(&pic.etag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == pic.etag.as_bytes()) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        return ([(header::CONTENT_TYPE, HeaderValue::from_static(pic.content_type)), (header::ETAG, etag)], pic.body)
            .into_response();
    }
    match site.page(path_and_query) {
        Some(page) => {
            let body = page.body_for_origin(&origin).into_owned();
            ([(header::CONTENT_TYPE, HeaderValue::from_static(page.content_type))], body).into_response()
        }
        None => {
            let page = site.not_found_page();
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, HeaderValue::from_static(page.content_type))],
                page.body.clone(),
            )
                .into_response()
        }
    }
}

/// `http://` plus the request's `Host`, when it looks like a host; the placeholder otherwise, so a
/// hostile `Host` header can never inject markup into the sitemaps.
fn origin_of(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plausible = !host.is_empty()
        && host.len() <= 255
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if plausible { format!("http://{host}") } else { crate::ORIGIN_PLACEHOLDER.to_string() }
}

/// A running demo server; it shuts down gracefully on [`DemoServer::shutdown`] or when dropped.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// Binds `addr` (use port 0 for a free port) and serves `site` on a background task of the current
/// tokio runtime.
pub async fn serve(site: Arc<DemoSite>, addr: SocketAddr) -> io::Result<DemoServer> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("cannot bind demo site to {addr}: {e}")))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = site.router();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // A send or a dropped sender both mean stop.
                let _ = stopped.await;
            })
            .await
    });
    Ok(DemoServer { addr, stop: Some(stop), task: Some(task) })
}

impl DemoServer {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits (at most five seconds) for open ones to finish.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else { return Ok(()) };
        match tokio::time::timeout(Duration::from_secs(5), &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(format!("demo server task failed: {join}"))),
            Err(_) => {
                // Clients holding connections open do not keep the server alive forever.
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_comes_from_a_plausible_host_only() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(origin_of(&h), "http://127.0.0.1:8080");
        h.insert(header::HOST, HeaderValue::from_static("evil\"><script>"));
        assert_eq!(origin_of(&h), crate::ORIGIN_PLACEHOLDER);
        assert_eq!(origin_of(&HeaderMap::new()), crate::ORIGIN_PLACEHOLDER);
    }
}
