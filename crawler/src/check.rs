//! One polite fetch of a single ad page for `redflag check URL` and the dashboard's public check page:
//! the same timeouts, size cap, charset decoding and robots.txt rules as the crawler, a generic
//! title/text extraction (no adapter needed), and a guard against server-side request forgery.
//!
//! The public check page lets anyone make the server fetch a URL, so by default every address the host
//! name resolves to must be public: loopback, private, link-local, unique-local, carrier-grade NAT,
//! multicast and unspecified addresses are refused, at every redirect hop. The connection is pinned to
//! the address that was checked, so DNS cannot change its answer between the check and the request.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use texting_robots::Robot;
use url::Url;

use crate::adapter::Politeness;
use crate::error::{Error, Result};
use crate::fetch::{self, Fetcher, ROBOTS_AGENT, RawResponse, Validators};
use crate::guard::is_public;
use crate::hosts::ROBOTS_MAX_BYTES;
use crate::html;

/// Options for [`fetch_ad_text`].
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Where site owners can reach the operator; goes in the User-Agent.
    pub contact_url: String,
    /// Allow loopback and private addresses (the bundled demo serves on 127.0.0.1). Never set this for a
    /// service open to the public.
    pub allow_private: bool,
    /// Origins (`http://127.0.0.1:8080`) that may be on private addresses even when `allow_private` is
    /// off: the demo site, for a dashboard that serves only on loopback.
    pub private_origins: Vec<String>,
    /// Obey robots.txt.
    pub obey_robots: bool,
    /// Timeouts, size cap and redirect limit (the crawler's defaults unless changed).
    pub limits: Politeness,
}

impl FetchOptions {
    /// Defaults: robots obeyed, private addresses refused, the crawler's limits with shorter timeouts
    /// (someone is waiting for the answer) and bodies cut at [`CHECK_MAX_BYTES`].
    pub fn new(contact_url: impl Into<String>) -> FetchOptions {
        let limits = Politeness {
            connect_timeout: Duration::from_secs(5),
            first_byte_timeout: Duration::from_secs(15),
            total_timeout: Duration::from_secs(20),
            max_bytes: CHECK_MAX_BYTES,
            ..Politeness::default()
        };
        FetchOptions {
            contact_url: contact_url.into(),
            allow_private: false,
            private_origins: Vec::new(),
            obey_robots: true,
            limits,
        }
    }

    fn private_allowed(&self, url: &Url) -> bool {
        self.allow_private || self.private_origins.iter().any(|o| *o == url.origin().ascii_serialization())
    }
}

/// The body cap of a single-page fetch: an ad page is far smaller, and whoever asks for the fetch may be
/// anyone.
pub const CHECK_MAX_BYTES: usize = 1024 * 1024;

/// Whether a hop of a single-page fetch may use its port: 80 and 443, or the port the person typed in
/// the URL they asked for (on that same host). A redirect cannot steer the fetch to another service.
fn port_allowed(url: &Url, asked: &Url) -> bool {
    let port = url.port_or_known_default();
    matches!(port, Some(80 | 443)) || (asked.port().is_some() && port == asked.port() && url.host() == asked.host())
}

/// An ad page fetched and read without an adapter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FetchedAd {
    /// The URL asked for.
    pub url: String,
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: u16,
    /// The page's title (`og:title`, first `<h1>` or `<title>`).
    pub title: String,
    /// The page's main text.
    pub text: String,
    /// SHA-256 of the raw body.
    pub sha256: String,
    /// Fetch time, ms since the epoch.
    pub fetched_at: i64,
    /// Whether the body was cut at the size cap.
    pub truncated: bool,
}

/// Fetches one page (following up to the redirect limit) and extracts its title and text.
pub async fn fetch_ad_text(url: &str, opts: &FetchOptions) -> Result<FetchedAd> {
    let original = Url::parse(url.trim())
        .map_err(|e| Error::Refused { url: url.to_string(), reason: format!("not a URL: {e}") })?;
    let ua = fetch::user_agent(&opts.contact_url);
    let mut current = original.clone();
    let mut seen = vec![current.clone()];
    loop {
        if !matches!(current.scheme(), "http" | "https") {
            return Err(Error::Refused {
                url: current.to_string(),
                reason: format!("scheme {} is not http(s)", current.scheme()),
            });
        }
        if !port_allowed(&current, &original) {
            return Err(Error::Refused {
                url: current.to_string(),
                reason: format!("port {} is not 80 or 443", current.port_or_known_default().unwrap_or(0)),
            });
        }
        let addr = resolve_checked(&current, opts.private_allowed(&current)).await?;
        let fetcher = pinned_fetcher(&current, addr, &opts.limits, &ua)?;
        if opts.obey_robots && !robots_allows(&fetcher, &current).await {
            return Err(Error::Refused {
                url: current.to_string(),
                reason: "disallowed by the site's robots.txt".into(),
            });
        }
        let resp = fetcher
            .get(&current, &Validators::default())
            .await
            .map_err(|f| Error::Fetch { url: current.to_string(), reason: f.reason })?;
        if resp.is_redirect() {
            let next = resp.header("location").and_then(|l| current.join(l).ok()).ok_or_else(|| Error::Fetch {
                url: current.to_string(),
                reason: "redirect without a usable location".into(),
            })?;
            if seen.contains(&next) {
                return Err(Error::Fetch { url: original.to_string(), reason: format!("redirect loop at {next}") });
            }
            if seen.len() > opts.limits.max_redirects {
                return Err(Error::Fetch {
                    url: original.to_string(),
                    reason: format!("more than {} redirects", opts.limits.max_redirects),
                });
            }
            seen.push(next.clone());
            current = next;
            continue;
        }
        if !(200..300).contains(&resp.status) {
            return Err(Error::Fetch { url: current.to_string(), reason: fetch::status_text(resp.status) });
        }
        return tokio::task::spawn_blocking(move || read_page(original, resp))
            .await
            .map_err(|e| Error::Task(e.to_string()));
    }
}

fn read_page(original: Url, resp: RawResponse) -> FetchedAd {
    let ct = resp.header("content-type").map(str::to_string);
    let sha256 = redflag_store::pages::sha256_hex(&resp.body);
    let (title, text) = if html::is_html(ct.as_deref(), &resp.body) {
        let (decoded, _) = html::decode(&resp.body, ct.as_deref());
        html::generic_text(&decoded)
    } else {
        let (decoded, _) = html::decode(&resp.body, ct.as_deref());
        (String::new(), redflag_core::text::collapse_whitespace(&decoded))
    };
    FetchedAd {
        url: original.to_string(),
        final_url: resp.url.to_string(),
        status: resp.status,
        title,
        text,
        sha256,
        fetched_at: resp.fetched_at,
        truncated: resp.truncated,
    }
}

/// A fetcher whose connections to `url`'s host go to `addr` only.
fn pinned_fetcher(url: &Url, addr: SocketAddr, p: &Politeness, ua: &str) -> Result<Fetcher> {
    // The address was checked by `resolve_checked` and the client connects to it alone.
    let p = &Politeness { allow_private_addresses: true, ..p.clone() };
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
    let client = reqwest::Client::builder()
        .user_agent(ua)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(p.connect_timeout)
        .resolve(&host, addr)
        .no_proxy()
        .build()
        .map_err(|e| Error::Client(e.to_string()))?;
    Ok(Fetcher::with_client(client, p))
}

/// Resolves the URL's host and returns an address to connect to, refusing non-public ones unless allowed.
async fn resolve_checked(url: &Url, allow_private: bool) -> Result<SocketAddr> {
    let host = url.host_str().ok_or_else(|| Error::Refused { url: url.to_string(), reason: "no host".into() })?;
    let port = url.port_or_known_default().unwrap_or(80);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::time::timeout(Duration::from_secs(5), tokio::net::lookup_host((bare, port)))
            .await
            .map_err(|_| Error::Fetch { url: url.to_string(), reason: "timed out resolving the host name".into() })?
            .map_err(|e| Error::Fetch { url: url.to_string(), reason: format!("cannot resolve host: {e}") })?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(Error::Fetch { url: url.to_string(), reason: "the host name has no address".into() });
    }
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(Error::Refused {
            url: url.to_string(),
            reason: format!("{host} resolves to the non-public address {}", bad.ip()),
        });
    }
    Ok(addrs[0])
}

async fn robots_allows(fetcher: &Fetcher, url: &Url) -> bool {
    let Ok(robots_url) = url.join("/robots.txt") else { return true };
    match fetcher.get_capped(&robots_url, &Validators::default(), ROBOTS_MAX_BYTES).await {
        Ok(r) if (200..300).contains(&r.status) => {
            Robot::new(ROBOTS_AGENT, &r.body).map_or(true, |robot| robot.allowed(url.as_str()))
        }
        // No file, or one we cannot reach: a person asked for this one page, so it is fetched.
        _ => true,
    }
}
