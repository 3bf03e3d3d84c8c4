//! URL canonicalisation and crawl scope.
//!
//! Two spellings of one page must give one frontier row, so every URL is put in a canonical form before
//! it is queued: fragment dropped, tracking and session parameters removed, the remaining query
//! parameters sorted, empty queries removed, default ports dropped and the scheme and host lowercased
//! (the last two by the `url` crate). Only `http` and `https` URLs are ever fetched.

use url::Url;

/// Query parameters that never change what a page shows: analytics tags and session ids.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "rb_clickid",
    "s_cid",
    "phpsessid",
    "jsessionid",
    "sid",
    "sessionid",
    "session_id",
    "cfid",
    "cftoken",
    "aspsessionid",
];

/// The longest URL the crawler keeps; longer links are a trap or garbage.
pub const MAX_URL_LEN: usize = 2048;

/// Whether a query parameter name is a tracking or session parameter.
fn is_tracking(name: &str, extra: &[String]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_")
        || TRACKING_PARAMS.contains(&lower.as_str())
        || extra.iter().any(|e| e.eq_ignore_ascii_case(&lower))
}

/// Puts an absolute URL in canonical form; `strip` names extra parameters to drop (from the adapter).
/// Returns `None` for URLs that are not HTTP(S), have no host, or are longer than [`MAX_URL_LEN`].
pub fn canonicalize(url: &Url, strip: &[String]) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    let mut u = url.clone();
    u.set_fragment(None);
    let _ = u.set_username("");
    let _ = u.set_password(None);
    if let Some(query) = u.query() {
        // Work on the raw `key=value` pieces so values keep their exact encoding.
        let mut pieces: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| {
                let key = p.split('=').next().unwrap_or("");
                let key = url::form_urlencoded::parse(key.as_bytes()).next().map(|(k, _)| k).unwrap_or_default();
                !is_tracking(&key, strip)
            })
            .collect();
        // A stable sort keeps repeated keys (`a=2&a=1`) in their order, which can matter to the site.
        pieces.sort_by_key(|p| p.split('=').next().unwrap_or(""));
        let joined = pieces.join("&");
        u.set_query(if joined.is_empty() { None } else { Some(&joined) });
    }
    if u.as_str().len() > MAX_URL_LEN {
        return None;
    }
    Some(u)
}

/// Resolves `href` (as found in a page) against `base` and canonicalises it.
pub fn resolve(base: &Url, href: &str, strip: &[String]) -> Result<Url, SkipReason> {
    let href = href.trim();
    if href.len() > MAX_URL_LEN {
        return Err(SkipReason::TooLong);
    }
    let joined = base.join(href).map_err(|_| SkipReason::Invalid)?;
    if !matches!(joined.scheme(), "http" | "https") {
        return Err(SkipReason::Scheme(joined.scheme().to_string()));
    }
    canonicalize(&joined, strip).ok_or(SkipReason::TooLong)
}

/// Why a link was not queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Not a URL at all.
    Invalid,
    /// Longer than [`MAX_URL_LEN`].
    TooLong,
    /// A scheme other than http(s): `mailto:`, `javascript:`, `tel:`, `ftp:` …
    Scheme(String),
    /// A host outside the crawl's scope.
    OffHost(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Invalid => f.write_str("not a valid URL"),
            SkipReason::TooLong => write!(f, "URL longer than {MAX_URL_LEN} bytes"),
            SkipReason::Scheme(s) => write!(f, "not an HTTP URL (scheme {s})"),
            SkipReason::OffHost(h) => write!(f, "host {h} is outside the crawl's scope"),
        }
    }
}

/// The `host:port` a URL talks to, with the scheme's default port made explicit.
pub fn authority(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

/// The hosts a crawl may fetch from.
///
/// An entry `host:port` matches exactly; an entry without a port matches the host on ports 80 and 443;
/// an entry `*.example.org` matches any subdomain of `example.org` (not `example.org` itself) on those
/// ports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    entries: Vec<String>,
}

impl Scope {
    /// A scope of the given entries (lowercased).
    pub fn new(entries: impl IntoIterator<Item = String>) -> Scope {
        let mut entries: Vec<String> = entries.into_iter().map(|e| e.trim().to_ascii_lowercase()).collect();
        entries.sort();
        entries.dedup();
        Scope { entries }
    }

    /// The entries, for messages and docs.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Whether a URL is in scope (HTTP(S) and on an allowed host).
    pub fn allows(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        let Some(host) = url.host_str() else { return false };
        let port = url.port_or_known_default().unwrap_or(0);
        self.entries.iter().any(|e| entry_matches(e, host, port))
    }
}

fn entry_matches(entry: &str, host: &str, port: u16) -> bool {
    // IPv6 entries are written in brackets, like in URLs: `[::1]:8080`.
    let (h, p) = match entry.rsplit_once(':') {
        Some((h, p))
            if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && (!h.contains(':') || h.ends_with(']')) =>
        {
            (h, p.parse::<u16>().ok())
        }
        _ => (entry, None),
    };
    let port_ok = match p {
        Some(p) => p == port,
        None => port == 80 || port == 443,
    };
    if !port_ok {
        return false;
    }
    match h.strip_prefix("*.") {
        Some(domain) => {
            host.len() > domain.len() + 1 && host.ends_with(domain) && host[..host.len() - domain.len()].ends_with('.')
        }
        None => h == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Option<String> {
        canonicalize(&Url::parse(s).unwrap(), &["sort".to_string()]).map(|u| u.to_string())
    }

    #[test]
    fn spellings_of_one_page_canonicalise_alike() {
        let cases = [
            ("HTTP://Example.ORG:80/a/../b?z=1&a=2#top", Some("http://example.org/b?a=2&z=1")),
            ("https://example.org/ad/1?utm_source=x&fbclid=y", Some("https://example.org/ad/1")),
            ("https://example.org/ad/1?PHPSESSID=abc&id=4&sort=new", Some("https://example.org/ad/1?id=4")),
            ("https://example.org/ad/1?", Some("https://example.org/ad/1")),
            ("https://user:pw@example.org/x", Some("https://example.org/x")),
            ("https://example.org/s?q=a+b&q=c", Some("https://example.org/s?q=a+b&q=c")),
            ("mailto:someone@example.org", None),
            ("ftp://example.org/file", None),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn links_resolve_relative_to_the_page_and_refuse_other_schemes() {
        let base = Url::parse("http://example.org/list/?page=2").unwrap();
        assert_eq!(resolve(&base, "../ad/7#photos", &[]).unwrap().as_str(), "http://example.org/ad/7");
        assert_eq!(resolve(&base, "javascript:void(0)", &[]), Err(SkipReason::Scheme("javascript".into())));
        assert_eq!(resolve(&base, "tel:+15550100", &[]), Err(SkipReason::Scheme("tel".into())));
        let long = format!("/x?{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(resolve(&base, &long, &[]), Err(SkipReason::TooLong));
    }

    #[test]
    fn scope_matches_hosts_ports_and_subdomains() {
        let scope = Scope::new(["127.0.0.1:8080".to_string(), "example.org".into(), "*.board.test".into()]);
        let check = |u: &str| scope.allows(&Url::parse(u).unwrap());
        assert!(check("http://127.0.0.1:8080/a"));
        assert!(!check("http://127.0.0.1:8081/a"), "another port is another site");
        assert!(check("https://example.org/x"));
        assert!(!check("http://example.org:8443/x"));
        assert!(!check("http://evil-example.org/"));
        assert!(check("http://www.board.test/"));
        assert!(!check("http://board.test/"));
        assert!(!check("http://xboard.test/"));
        assert!(!check("ftp://example.org/"));
    }
}
