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
    /// Obey robots.txt.
    pub obey_robots: bool,
    /// Timeouts, size cap and redirect limit (the crawler's defaults unless changed).
    pub limits: Politeness,
}

impl FetchOptions {
    /// Defaults: robots obeyed, private addresses refused, the crawler's limits with shorter timeouts
    /// (someone is waiting for the answer).
    pub fn new(contact_url: impl Into<String>) -> FetchOptions {
        let limits = Politeness {
            connect_timeout: Duration::from_secs(5),
            first_byte_timeout: Duration::from_secs(15),
            total_timeout: Duration::from_secs(20),
            ..Politeness::default()
        };
        FetchOptions { contact_url: contact_url.into(), allow_private: false, obey_robots: true, limits }
    }
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
        let addr = resolve_checked(&current, opts.allow_private).await?;
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

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x64 && s[1] == 0xff9b))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for (ip, public) in [
            ("8.8.8.8", true),
            ("127.0.0.1", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("192.168.1.1", false),
            ("169.254.169.254", false),
            ("100.64.0.1", false),
            ("0.0.0.0", false),
            ("::1", false),
            ("fd00::1", false),
            ("fe80::1", false),
            ("::ffff:127.0.0.1", false),
            ("2606:4700::1111", true),
        ] {
            assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
        }
    }
}
