//! One HTTP request with the crawler's limits: connect, first-byte and total timeouts, a body size cap,
//! no automatic redirects (callers follow them hop by hop so that every hop is checked against scope,
//! robots.txt and the redirect limit), and a classification of failures into retryable and final.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::time::Instant;
use url::Url;

use crate::adapter::Politeness;
use crate::error::{Error, Result};
use crate::guard::{self, AddressRefused, PublicOnlyResolver};

/// The product token site owners match in robots.txt (`User-agent: Redflag`).
pub const ROBOTS_AGENT: &str = "Redflag";

/// Builds the User-Agent: the product token and version plus a contact URL, so site owners can see who
/// crawls them and reach the operator.
pub fn user_agent(contact_url: &str) -> String {
    format!("Mozilla/5.0 (compatible; {ROBOTS_AGENT}/{}; +{contact_url})", env!("CARGO_PKG_VERSION"))
}

/// A response as received: status, headers, final body bytes (after content decoding, at most the cap).
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The URL requested.
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// Response headers in order, values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// The body, cut at the size cap.
    pub body: Vec<u8>,
    /// Whether the body was cut.
    pub truncated: bool,
    /// When the response finished, ms since the epoch.
    pub fetched_at: i64,
}

impl RawResponse {
    /// A header's value (first one, case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether this is a redirect with a Location header.
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308) && self.header("location").is_some()
    }

    /// How long the server asks us to wait (Retry-After seconds or date), if it says.
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(self.header("retry-after")?)
    }
}

/// Parses a Retry-After value: delay seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Why a request produced no usable response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchFailure {
    /// Lowercase reason for people ("timed out after 30s waiting for response headers").
    pub reason: String,
    /// Whether trying again later might work (timeouts, connection failures).
    pub retryable: bool,
}

/// Which conditional-request validators to send.
#[derive(Debug, Clone, Default)]
pub struct Validators<'a> {
    /// `If-None-Match`.
    pub etag: Option<&'a str>,
    /// `If-Modified-Since`.
    pub last_modified: Option<&'a str>,
}

/// An HTTP client with the crawl's limits built in. Unless the politeness settings allow private
/// addresses, it connects only to public ones (see [`crate::guard`]), through no proxy.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    first_byte_timeout: Duration,
    total_timeout: Duration,
    max_bytes: usize,
    allow_private: bool,
}

impl Fetcher {
    /// A client identifying itself with `user_agent`, holding up to `idle_per_host` idle connections per
    /// host for reuse.
    pub fn new(p: &Politeness, user_agent: &str, idle_per_host: usize) -> Result<Fetcher> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static(
                "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            ),
        );
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(p.connect_timeout)
            .pool_max_idle_per_host(idle_per_host.max(1))
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true);
        if !p.allow_private_addresses {
            // A proxy would resolve names itself, past the guard.
            builder = builder.dns_resolver(std::sync::Arc::new(PublicOnlyResolver)).no_proxy();
        }
        let client = builder.build().map_err(|e| Error::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            first_byte_timeout: p.first_byte_timeout,
            total_timeout: p.total_timeout,
            max_bytes: p.max_bytes,
            allow_private: p.allow_private_addresses,
        })
    }

    /// A fetcher sharing `client` (for callers that build their own, e.g. with pinned DNS). The caller
    /// is responsible for where the client connects; IP-literal hosts are still checked unless `p`
    /// allows private addresses.
    pub fn with_client(client: reqwest::Client, p: &Politeness) -> Fetcher {
        Fetcher {
            client,
            first_byte_timeout: p.first_byte_timeout,
            total_timeout: p.total_timeout,
            max_bytes: p.max_bytes,
            allow_private: p.allow_private_addresses,
        }
    }

    /// The body size cap in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// One GET of `url`, not following redirects.
    pub async fn get(&self, url: &Url, v: &Validators<'_>) -> std::result::Result<RawResponse, FetchFailure> {
        self.get_capped(url, v, self.max_bytes).await
    }

    /// One GET with a different size cap (robots.txt files are read up to 512 KiB).
    pub async fn get_capped(
        &self,
        url: &Url,
        v: &Validators<'_>,
        max_bytes: usize,
    ) -> std::result::Result<RawResponse, FetchFailure> {
        if !self.allow_private
            && let Some(host) = url.host()
        {
            let ip = match host {
                url::Host::Ipv4(ip) => Some(std::net::IpAddr::V4(ip)),
                url::Host::Ipv6(ip) => Some(std::net::IpAddr::V6(ip)),
                url::Host::Domain(_) => None,
            };
            if let Some(ip) = ip
                && let Err(refused) = guard::check_ip(&host.to_string(), ip)
            {
                return Err(FetchFailure { reason: format!("refused: {refused}"), retryable: false });
            }
        }
        let start = Instant::now();
        let deadline = start + self.total_timeout;
        let mut req = self.client.get(url.clone());
        if let Some(e) = v.etag {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        if let Some(lm) = v.last_modified {
            req = req.header(header::IF_MODIFIED_SINCE, lm);
        }
        let head_wait = self.first_byte_timeout.min(self.total_timeout);
        let mut resp = match tokio::time::timeout(head_wait, req.send()).await {
            Err(_) => {
                let what = if head_wait == self.total_timeout { "the whole response" } else { "response headers" };
                return Err(FetchFailure {
                    reason: format!("timed out after {} waiting for {what}", secs(head_wait)),
                    retryable: true,
                });
            }
            Ok(Err(e)) => return Err(classify(&e)),
            Ok(Ok(r)) => r,
        };
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let announced = resp.content_length().unwrap_or(0) as usize;
        let mut body = Vec::with_capacity(announced.min(max_bytes).min(1 << 20));
        let mut truncated = false;
        // Bodies of redirects and errors are read too (they are small) so the connection can be reused.
        loop {
            match tokio::time::timeout_at(deadline, resp.chunk()).await {
                Err(_) => {
                    return Err(FetchFailure {
                        reason: format!(
                            "timed out after {} reading the body ({} bytes received)",
                            secs(self.total_timeout),
                            body.len()
                        ),
                        retryable: true,
                    });
                }
                Ok(Err(e)) => return Err(classify(&e)),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    let room = max_bytes - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        Ok(RawResponse { url: url.clone(), status, headers, body, truncated, fetched_at: redflag_store::now_ms() })
    }
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Turns a client error into a reason people can read, and whether to retry.
fn classify(e: &reqwest::Error) -> FetchFailure {
    use std::error::Error as _;
    let mut root = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        if let Some(refused) = s.downcast_ref::<AddressRefused>() {
            return FetchFailure { reason: format!("refused: {refused}"), retryable: false };
        }
        root = s.to_string();
        src = s.source();
    }
    if root.contains("resolves to the non-public address") {
        return FetchFailure { reason: format!("refused: {root}"), retryable: false };
    }
    let reason = if e.is_timeout() {
        "timed out connecting".to_string()
    } else if e.is_connect() {
        format!("cannot connect: {root}")
    } else if e.is_body() || e.is_decode() {
        format!("broken response body: {root}")
    } else {
        format!("request failed: {root}")
    };
    FetchFailure { reason: reason.to_lowercase(), retryable: !e.is_builder() }
}

/// The status line text for an HTTP status, lowercase ("404 not found").
pub fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    format!("HTTP {status} {reason}").trim().to_string()
}

/// Whether a status is worth retrying later: overload, rate limits, timeouts and server errors.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 425 | 429 | 500..=599)
}

/// The wait before retry number `attempt` (1 for the first retry): `base · 2^(attempt−1)`, times a random
/// factor in [0.5, 1.5) so that workers retrying together spread out, capped at `max`.
pub fn backoff(base: Duration, attempt: u32, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    let jitter = 0.5 + rand::random::<f64>();
    exp.mul_f64(jitter).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO), "a past date means now");
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_stays_capped() {
        let base = Duration::from_secs(1);
        let max = Duration::from_secs(60);
        for attempt in 1..=10 {
            let d = backoff(base, attempt, max);
            let nominal = Duration::from_secs(1 << (attempt - 1)).min(max);
            assert!(d <= max, "{attempt}: {d:?}");
            assert!(
                d >= nominal.mul_f64(0.5).min(max) && d < nominal.mul_f64(1.5).max(max.min(nominal.mul_f64(1.5))),
                "{attempt}: {d:?}"
            );
        }
        assert_eq!(status_text(503), "HTTP 503 Service Unavailable");
        assert!(retryable_status(429) && retryable_status(502) && !retryable_status(404));
    }
}
