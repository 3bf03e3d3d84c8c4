//! Site adapters: one TOML file per site says where to start, which links to follow, how to read an ad
//! page and how politely to crawl. No site needs code of its own.
//!
//! The format is documented, with a complete commented example, in `docs/site-adapters.md`. Every
//! mistake in a file is reported with the file, line, column and dotted key
//! ([`Error::Config`]), including mistakes only found after parsing (a CSS selector that does not
//! compile, a regex with a typo, a relative URL without a `base_url`).

use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use redflag_core::AdKind;
use regex::Regex;
use scraper::Selector;
use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::canon::{self, Scope};
use crate::error::{Error, Result};

/// A loaded, checked site adapter.
#[derive(Debug, Clone)]
pub struct SiteAdapter {
    /// Unique name: the site's name in the store.
    pub name: String,
    /// The kind of ads the site carries.
    pub kind: AdKind,
    /// Default region for phone numbers written without a country code (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Language hint (ISO 639-1) for sites whose ads are mostly in one language.
    pub language: Option<String>,
    /// The base the adapter's relative URLs resolve against, and what [`SiteAdapter::rebase`] replaces.
    pub base_url: Option<Url>,
    /// Where the crawl starts (listing pages), canonical.
    pub start_urls: Vec<Url>,
    /// Sitemaps to read ad and listing URLs from, canonical.
    pub sitemaps: Vec<Url>,
    /// Which links are listing pages.
    pub listing: LinkRule,
    /// Which links are ad pages, and how an ad is identified.
    pub ad: AdRule,
    /// How to read an ad page.
    pub fields: FieldRules,
    /// Politeness settings for this site.
    pub politeness: Politeness,
    /// When to fetch pages again.
    pub recrawl: Recrawl,
    /// Bounds that keep a hostile or broken site from trapping the crawler.
    pub limits: Limits,
    /// Query parameters to drop when canonicalising, besides the built-in tracking parameters.
    pub strip_params: Vec<String>,
    extra_hosts: Vec<String>,
    origin: String,
    source: String,
}

/// Links of one role (listing or ad): a link qualifies when it is inside an element matched by one of
/// `selectors` (or, with no selectors, anywhere on the page) and its path and query match one of
/// `patterns` (or, with no patterns, any path). A rule with neither matches nothing.
#[derive(Debug, Clone, Default)]
pub struct LinkRule {
    /// CSS selectors of links or of elements containing links.
    pub selectors: Vec<Selector>,
    /// Regexes over the URL's path and query (`/ads/12?x=1`).
    pub patterns: Vec<Regex>,
}

impl LinkRule {
    /// Whether the rule can match anything at all.
    pub fn is_empty(&self) -> bool {
        self.selectors.is_empty() && self.patterns.is_empty()
    }

    /// Whether a URL passes the rule's patterns (true when there are none).
    pub fn url_matches(&self, url: &Url) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| p.is_match(path_and_query(url)))
    }
}

/// The ad-page rule: which links are ads, and how to tell that two URLs are one ad.
#[derive(Debug, Clone, Default)]
pub struct AdRule {
    /// Which links are ad pages.
    pub links: LinkRule,
    /// A regex over the path and query whose capture group `id` (or first group) identifies the ad.
    pub key: Option<Regex>,
}

/// One way to read a field: a CSS selector, and optionally the attribute to read instead of the text.
#[derive(Debug, Clone)]
pub struct FieldSelector {
    /// The selector.
    pub selector: Selector,
    /// The attribute to read (`content`, `datetime`), or `None` for the element's text.
    pub attribute: Option<String>,
    /// The selector as written, for messages.
    pub source: String,
}

/// How to read each field of an ad page; each field lists selectors tried in order until one finds
/// non-empty text. The text of all elements the winning selector matches is joined with spaces.
#[derive(Debug, Clone, Default)]
pub struct FieldRules {
    /// The ad's headline (falls back to the page's `<title>`).
    pub title: Vec<FieldSelector>,
    /// The ad's text.
    pub body: Vec<FieldSelector>,
    /// City or area.
    pub city: Vec<FieldSelector>,
    /// Price or pay as written.
    pub price: Vec<FieldSelector>,
    /// Posting date as written.
    pub posted_at: Vec<FieldSelector>,
    /// A dedicated contact field.
    pub contact: Vec<FieldSelector>,
    /// Stated age.
    pub age: Vec<FieldSelector>,
    /// Advertiser or employer.
    pub company: Vec<FieldSelector>,
    /// The ad's pictures: `<img>` elements, or elements containing them. Without any, the pictures are
    /// the `<img>` elements inside the elements the `body` selectors match.
    pub images: Vec<FieldSelector>,
}

/// Politeness and fault-tolerance settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Politeness {
    /// Obey robots.txt (on unless the file says otherwise; turning it off is logged loudly).
    pub obey_robots: bool,
    /// A URL where site owners learn who runs the crawler and how to reach them; it goes in the
    /// User-Agent. Overrides the crawl options' contact URL.
    pub contact_url: Option<String>,
    /// Requests in flight at once to one host.
    pub concurrency: usize,
    /// Minimum time between the starts of two requests to one host (robots.txt `Crawl-delay` may raise it).
    pub delay: Duration,
    /// Tries per URL before it is given up on (first try included).
    pub max_tries: u32,
    /// Wait before the first retry; doubled for each further one, with random jitter.
    pub backoff: Duration,
    /// Cap on a server's `Retry-After` and on the backoff.
    pub max_backoff: Duration,
    /// Redirects followed per URL.
    pub max_redirects: usize,
    /// Response bodies are cut at this many bytes (the page is kept, marked truncated).
    pub max_bytes: usize,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time from sending the request to the response headers.
    pub first_byte_timeout: Duration,
    /// Time for the whole response, body included.
    pub total_timeout: Duration,
    /// Let the crawler connect to loopback, private, link-local and other non-public addresses. Off by
    /// default: every fetch, redirect and robots.txt request then goes only to public addresses, so a
    /// hostile site cannot point the crawler at the cloud metadata service or the intranet. Turn it on
    /// only for a site on your own network (the bundled demo site on 127.0.0.1 does).
    pub allow_private_addresses: bool,
}

impl Default for Politeness {
    fn default() -> Self {
        Politeness {
            obey_robots: true,
            contact_url: None,
            concurrency: 2,
            delay: Duration::from_secs(1),
            max_tries: 4,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(3600),
            max_redirects: 5,
            max_bytes: 5 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(60),
            allow_private_addresses: false,
        }
    }
}

/// When settled URLs are fetched again (with a conditional GET).
#[derive(Debug, Clone, PartialEq)]
pub struct Recrawl {
    /// Listing pages, start pages and sitemaps (new ads appear there).
    pub listing: Option<Duration>,
    /// Ad pages (edits, price changes, reposts).
    pub ad: Option<Duration>,
    /// URLs that failed after all tries.
    pub failed: Option<Duration>,
}

impl Default for Recrawl {
    fn default() -> Self {
        Recrawl {
            listing: Some(Duration::from_secs(6 * 3600)),
            ad: Some(Duration::from_secs(7 * 24 * 3600)),
            failed: Some(Duration::from_secs(24 * 3600)),
        }
    }
}

/// Bounds on what one site can make the crawler do.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Links deeper than this from a start URL are not fetched.
    pub max_depth: u32,
    /// Links taken from one page (the rest are ignored).
    pub max_links_per_page: usize,
    /// URLs the crawl will queue for this site in one run.
    pub max_new_urls: usize,
    /// A path with one segment repeated more than this many times is a trap (`/a/b/a/b/a/b/…`).
    pub max_repeated_segments: usize,
    /// Pictures fetched per ad page (0 fetches none).
    pub max_images_per_ad: usize,
    /// A picture larger than this many bytes is refused (not kept).
    pub max_image_bytes: usize,
    /// A picture with more pixels than this is refused before it is decoded.
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 50,
            max_links_per_page: 2000,
            max_new_urls: 1_000_000,
            max_repeated_segments: 3,
            max_images_per_ad: 8,
            max_image_bytes: 5 * 1024 * 1024,
            max_image_pixels: 40_000_000,
        }
    }
}

/// The path and query of a URL, which link patterns and ad keys are matched against.
pub fn path_and_query(url: &Url) -> &str {
    let s = url.as_str();
    let start = s.find("://").map(|i| i + 3).and_then(|i| s[i..].find('/').map(|j| i + j)).unwrap_or(s.len());
    let end = s.find('#').unwrap_or(s.len());
    &s[start..end.max(start)]
}

impl SiteAdapter {
    /// Reads and checks an adapter file.
    pub fn load(path: impl AsRef<Path>) -> Result<SiteAdapter> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|source| Error::ReadConfig { path: path.to_path_buf(), source })?;
        SiteAdapter::parse(&text, &path.display().to_string())
    }

    /// Parses and checks adapter text; `origin` (usually the file name) is used in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<SiteAdapter> {
        let raw: RawAdapter = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            config_error(text, origin, span.clone(), &key_at(text, span.start), e.message())
        })?;
        Build { text, origin }.adapter(raw)
    }

    /// Where the adapter came from (its file name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The adapter text as loaded, kept with the site in the store for provenance.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The hosts the crawl may fetch from: those of the start URLs and sitemaps, plus `site.hosts`.
    pub fn scope(&self) -> Scope {
        let from_urls = self.start_urls.iter().chain(&self.sitemaps).map(canon::authority);
        Scope::new(from_urls.chain(self.extra_hosts.iter().cloned()))
    }

    /// Points the adapter at another copy of the site (the demo site on a random port, a mirror, a
    /// staging server): every start URL, sitemap and `hosts` entry on the old base's origin moves to
    /// `new_base`'s origin, and URLs under the old base's path move under the new base's path. Link
    /// patterns match paths, so they need no change when only the origin moves.
    pub fn rebase(&mut self, new_base: &Url) -> Result<()> {
        if !matches!(new_base.scheme(), "http" | "https") || new_base.host_str().is_none() {
            return Err(Error::Options(format!("base URL {new_base} is not an http(s) URL with a host")));
        }
        let mut new_base = new_base.clone();
        if !new_base.path().ends_with('/') {
            let p = format!("{}/", new_base.path());
            new_base.set_path(&p);
        }
        let old_base = match &self.base_url {
            Some(b) => b.clone(),
            None => match self.start_urls.first().or(self.sitemaps.first()) {
                Some(u) => u.join("/").map_err(|e| Error::Options(e.to_string()))?,
                None => return Err(Error::Options(format!("adapter {} has no URL to rebase", self.name))),
            },
        };
        let move_url = |u: &Url| -> Url {
            if u.origin() != old_base.origin() {
                return u.clone();
            }
            let rest = path_and_query(u).strip_prefix(old_base.path()).map(str::to_string);
            let moved = match rest {
                Some(rest) => new_base.join(&rest).ok(),
                None => {
                    let mut m = u.clone();
                    let ok = m.set_scheme(new_base.scheme()).is_ok()
                        && m.set_host(new_base.host_str()).is_ok()
                        && m.set_port(new_base.port()).is_ok();
                    ok.then_some(m)
                }
            };
            moved.and_then(|m| canon::canonicalize(&m, &self.strip_params)).unwrap_or_else(|| u.clone())
        };
        self.start_urls = self.start_urls.iter().map(move_url).collect();
        self.sitemaps = self.sitemaps.iter().map(move_url).collect();
        let old_auth = canon::authority(&old_base);
        let old_host = old_base.host_str().unwrap_or("").to_string();
        let new_auth = canon::authority(&new_base);
        for h in &mut self.extra_hosts {
            if *h == old_auth || *h == old_host {
                *h = new_auth.clone();
            }
        }
        self.base_url = Some(new_base);
        Ok(())
    }

    /// The ad identity for a page fetched from `url` whose `rel=canonical` link (if any, already
    /// canonicalised) is `canonical`: the adapter's key regex on the canonical link or the URL, else the
    /// same-host canonical link, else the URL itself.
    pub fn ad_key(&self, url: &Url, canonical: Option<&Url>) -> String {
        let same_host = canonical.filter(|c| c.host_str() == url.host_str());
        if let Some(re) = &self.ad.key {
            for candidate in same_host.into_iter().chain(std::iter::once(url)) {
                if let Some(caps) = re.captures(path_and_query(candidate))
                    && let Some(m) = caps.name("id").or_else(|| caps.get(1)).or_else(|| caps.get(0))
                {
                    return format!("key:{}", m.as_str());
                }
            }
        }
        // Keys are origin-free so that rebasing (the demo on another port) keeps ads identical.
        match same_host {
            Some(c) => format!("url:{}", path_and_query(c)),
            None => format!("url:{}", path_and_query(url)),
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The file format as serde sees it.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdapter {
    site: RawSite,
    #[serde(default)]
    listing: RawLinks,
    #[serde(default)]
    ad: RawAd,
    #[serde(default)]
    fields: RawFields,
    #[serde(default)]
    politeness: RawPoliteness,
    #[serde(default)]
    recrawl: RawRecrawl,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    name: Spanned<String>,
    kind: AdKind,
    country: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    #[serde(default)]
    start_urls: Vec<Spanned<String>>,
    #[serde(default)]
    sitemaps: Vec<Spanned<String>>,
    #[serde(default)]
    hosts: Vec<Spanned<String>>,
    #[serde(default)]
    strip_params: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLinks {
    #[serde(default)]
    selectors: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAd {
    #[serde(default)]
    selectors: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    key: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFields {
    #[serde(default)]
    title: OneOrMany,
    #[serde(default)]
    body: OneOrMany,
    #[serde(default)]
    city: OneOrMany,
    #[serde(default)]
    price: OneOrMany,
    #[serde(default)]
    posted_at: OneOrMany,
    #[serde(default)]
    contact: OneOrMany,
    #[serde(default)]
    age: OneOrMany,
    #[serde(default)]
    company: OneOrMany,
    #[serde(default)]
    images: OneOrMany,
}

/// A field may be given as one selector or a list of fallbacks. (Items of a list share the list's
/// position in error messages: spans do not survive serde's untagged enums.)
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for StringOrList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StringOrList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a selector or a list of selectors")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<StringOrList, E> {
                Ok(StringOrList::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<StringOrList, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<String>()? {
                    out.push(x);
                }
                Ok(StringOrList::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

type OneOrMany = Option<Spanned<StringOrList>>;

fn items(v: OneOrMany) -> Vec<Spanned<String>> {
    match v {
        None => Vec::new(),
        Some(s) => {
            let span = s.span();
            match s.into_inner() {
                StringOrList::One(x) => vec![Spanned::new(span, x)],
                StringOrList::Many(list) => list.into_iter().map(|x| Spanned::new(span.clone(), x)).collect(),
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPoliteness {
    obey_robots: Option<bool>,
    contact_url: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    delay: Option<Spanned<HumanDuration>>,
    max_tries: Option<Spanned<i64>>,
    backoff: Option<Spanned<HumanDuration>>,
    max_backoff: Option<Spanned<HumanDuration>>,
    max_redirects: Option<Spanned<i64>>,
    max_bytes: Option<Spanned<HumanSize>>,
    allow_private_addresses: Option<bool>,
    #[serde(default)]
    timeouts: RawTimeouts,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTimeouts {
    connect: Option<Spanned<HumanDuration>>,
    first_byte: Option<Spanned<HumanDuration>>,
    total: Option<Spanned<HumanDuration>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRecrawl {
    listing: Option<MaybeNever>,
    ad: Option<MaybeNever>,
    failed: Option<MaybeNever>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_depth: Option<Spanned<i64>>,
    max_links_per_page: Option<Spanned<i64>>,
    max_new_urls: Option<Spanned<i64>>,
    max_repeated_segments: Option<Spanned<i64>>,
    max_images_per_ad: Option<Spanned<i64>>,
    max_image_bytes: Option<Spanned<i64>>,
    max_image_pixels: Option<Spanned<i64>>,
}

/// A duration written as seconds (`1.5`) or with a unit (`"500ms"`, `"10s"`, `"5m"`, `"6h"`, `"7d"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HumanDuration(pub Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        let secs = match Raw::deserialize(d)? {
            Raw::Int(i) => i as f64,
            Raw::Float(f) => f,
            Raw::Text(t) => parse_duration(&t).map_err(serde::de::Error::custom)?.as_secs_f64(),
        };
        if !secs.is_finite() || !(0.0..=365.0 * 86400.0).contains(&secs) {
            return Err(serde::de::Error::custom("duration must be between 0 and 365 days"));
        }
        Ok(HumanDuration(Duration::from_secs_f64(secs)))
    }
}

/// Parses `"500ms"`, `"10s"`, `"5m"`, `"6h"`, `"7d"` or a bare number of seconds.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 =
        num.parse().map_err(|_| format!("invalid duration {s:?} (use e.g. \"500ms\", \"10s\", \"6h\", \"7d\")"))?;
    let mult = match unit.trim() {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        other => return Err(format!("unknown duration unit {other:?} in {s:?} (use ms, s, m, h or d)")),
    };
    let secs = n * mult;
    if !secs.is_finite() || !(0.0..=365.0 * 86400.0).contains(&secs) {
        return Err(format!("duration {s:?} must be between 0 and 365 days"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A recrawl interval, or `"never"`.
#[derive(Debug, Clone, Copy)]
struct MaybeNever(Option<Duration>);

impl<'de> Deserialize<'de> for MaybeNever {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Num(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(t) if t.trim().eq_ignore_ascii_case("never") => Ok(MaybeNever(None)),
            Raw::Text(t) => parse_duration(&t).map(|d| MaybeNever(Some(d))).map_err(serde::de::Error::custom),
            Raw::Num(n) if n.is_finite() && n >= 0.0 => Ok(MaybeNever(Some(Duration::from_secs_f64(n)))),
            Raw::Num(_) => Err(serde::de::Error::custom("interval must be a non-negative number of seconds")),
        }
    }
}

/// A size in bytes, written as a number or with a unit (`"512KiB"`, `"5MiB"`, `"10MB"`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct HumanSize(u64);

impl<'de> Deserialize<'de> for HumanSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) if i > 0 => Ok(HumanSize(i as u64)),
            Raw::Int(_) => Err(serde::de::Error::custom("size must be positive")),
            Raw::Text(t) => {
                let t = t.trim();
                let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
                let (num, unit) = t.split_at(split);
                let n: u64 = num.parse().map_err(|_| serde::de::Error::custom(format!("invalid size {t:?}")))?;
                let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
                    "" | "b" => 1,
                    "kb" => 1000,
                    "kib" => 1024,
                    "mb" => 1_000_000,
                    "mib" => 1024 * 1024,
                    "gb" => 1_000_000_000,
                    "gib" => 1024 * 1024 * 1024,
                    other => {
                        return Err(serde::de::Error::custom(format!(
                            "unknown size unit {other:?} (use KiB, MiB, KB, MB)"
                        )));
                    }
                };
                n.checked_mul(mult)
                    .filter(|v| *v > 0)
                    .map(HumanSize)
                    .ok_or_else(|| serde::de::Error::custom("size out of range"))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Checking and compiling.

struct Build<'a> {
    text: &'a str,
    origin: &'a str,
}

impl Build<'_> {
    fn err(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> Error {
        config_error(self.text, self.origin, span, key, &message.into())
    }

    fn adapter(&self, raw: RawAdapter) -> Result<SiteAdapter> {
        let s = raw.site;
        let name = s.name.get_ref().trim().to_string();
        if name.is_empty() || name.len() > 100 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(self.err(s.name.span(), "site.name", "must be 1–100 letters, digits, '-', '_' or '.'"));
        }
        let country = match s.country {
            Some(c) => {
                let v = c.get_ref().trim().to_ascii_uppercase();
                if v.len() != 2 || !v.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(self.err(c.span(), "site.country", "must be an ISO 3166-1 alpha-2 code like \"US\""));
                }
                Some(v)
            }
            None => None,
        };
        let language = match s.language {
            Some(l) => {
                let v = l.get_ref().trim().to_ascii_lowercase();
                if !(2..=3).contains(&v.len()) || !v.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(self.err(l.span(), "site.language", "must be an ISO 639-1 code like \"en\""));
                }
                Some(v)
            }
            None => None,
        };
        let strip_params: Vec<String> = s.strip_params.iter().map(|p| p.trim().to_ascii_lowercase()).collect();
        let base_url = match &s.base_url {
            Some(b) => {
                let mut u = Url::parse(b.get_ref().trim())
                    .map_err(|e| self.err(b.span(), "site.base_url", format!("not a URL: {e}")))?;
                if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
                    return Err(self.err(b.span(), "site.base_url", "must be an http(s) URL with a host"));
                }
                if !u.path().ends_with('/') {
                    let p = format!("{}/", u.path());
                    u.set_path(&p);
                }
                Some(u)
            }
            None => None,
        };
        let urls = |list: &[Spanned<String>], key: &str| -> Result<Vec<Url>> {
            let mut out = Vec::new();
            for (i, item) in list.iter().enumerate() {
                let key = format!("{key}[{i}]");
                let raw = item.get_ref().trim();
                let abs = match (Url::parse(raw), &base_url) {
                    (Ok(u), _) => u,
                    (Err(url::ParseError::RelativeUrlWithoutBase), Some(b)) => {
                        b.join(raw).map_err(|e| self.err(item.span(), &key, format!("not a URL: {e}")))?
                    }
                    (Err(url::ParseError::RelativeUrlWithoutBase), None) => {
                        return Err(self.err(item.span(), &key, "relative URL needs site.base_url"));
                    }
                    (Err(e), _) => return Err(self.err(item.span(), &key, format!("not a URL: {e}"))),
                };
                let canon = canon::canonicalize(&abs, &strip_params)
                    .ok_or_else(|| self.err(item.span(), &key, "must be an http(s) URL with a host"))?;
                out.push(canon);
            }
            Ok(out)
        };
        let start_urls = urls(&s.start_urls, "site.start_urls")?;
        let sitemaps = urls(&s.sitemaps, "site.sitemaps")?;
        if start_urls.is_empty() && sitemaps.is_empty() {
            return Err(self.err(s.name.span(), "site.start_urls", "an adapter needs start_urls, sitemaps or both"));
        }
        let mut extra_hosts = Vec::new();
        for (i, h) in s.hosts.iter().enumerate() {
            let v = h.get_ref().trim().to_ascii_lowercase();
            let ok = !v.is_empty() && !v.contains('/') && !v.contains("://") && !v.contains(char::is_whitespace);
            if !ok {
                return Err(self.err(
                    h.span(),
                    &format!("site.hosts[{i}]"),
                    "must be a host name, optionally with :port",
                ));
            }
            extra_hosts.push(v);
        }

        let listing = self.links(raw.listing.selectors, raw.listing.patterns, "listing")?;
        let ad_links = self.links(raw.ad.selectors, raw.ad.patterns, "ad")?;
        if ad_links.is_empty() && sitemaps.is_empty() {
            return Err(self.err(
                s.name.span(),
                "ad",
                "no way to find ad pages: give ad.selectors, ad.patterns or a sitemap",
            ));
        }
        // Without an explicit key rule, an ad pattern with a capture group named `id` serves as one.
        let key = match raw.ad.key {
            Some(k) => Some(self.regex(&k, "ad.key")?),
            None => ad_links.patterns.iter().find(|p| p.capture_names().any(|n| n == Some("id"))).cloned(),
        };
        let f = raw.fields;
        let fields = FieldRules {
            title: self.fields(f.title, "fields.title")?,
            body: self.fields(f.body, "fields.body")?,
            city: self.fields(f.city, "fields.city")?,
            price: self.fields(f.price, "fields.price")?,
            posted_at: self.fields(f.posted_at, "fields.posted_at")?,
            contact: self.fields(f.contact, "fields.contact")?,
            age: self.fields(f.age, "fields.age")?,
            company: self.fields(f.company, "fields.company")?,
            images: self.fields(f.images, "fields.images")?,
        };
        if fields.body.is_empty() {
            return Err(self.err(s.name.span(), "fields.body", "an adapter must say where an ad's text is"));
        }
        Ok(SiteAdapter {
            name,
            kind: s.kind,
            country,
            language,
            base_url,
            start_urls,
            sitemaps,
            listing,
            ad: AdRule { links: ad_links, key },
            fields,
            politeness: self.politeness(raw.politeness)?,
            recrawl: self.recrawl(raw.recrawl),
            limits: self.limits(raw.limits)?,
            strip_params,
            extra_hosts,
            origin: self.origin.to_string(),
            source: self.text.to_string(),
        })
    }

    fn regex(&self, s: &Spanned<String>, key: &str) -> Result<Regex> {
        regex::RegexBuilder::new(s.get_ref())
            .size_limit(1 << 20)
            .build()
            .map_err(|e| self.err(s.span(), key, format!("invalid regex: {}", first_line(&e.to_string()))))
    }

    fn selector(&self, s: &Spanned<String>, key: &str) -> Result<Selector> {
        Selector::parse(s.get_ref()).map_err(|e| self.err(s.span(), key, format!("invalid CSS selector: {e}")))
    }

    fn links(
        &self,
        selectors: Vec<Spanned<String>>,
        patterns: Vec<Spanned<String>>,
        section: &str,
    ) -> Result<LinkRule> {
        let mut rule = LinkRule::default();
        for (i, s) in selectors.iter().enumerate() {
            rule.selectors.push(self.selector(s, &format!("{section}.selectors[{i}]"))?);
        }
        for (i, p) in patterns.iter().enumerate() {
            rule.patterns.push(self.regex(p, &format!("{section}.patterns[{i}]"))?);
        }
        Ok(rule)
    }

    fn fields(&self, list: OneOrMany, key: &str) -> Result<Vec<FieldSelector>> {
        let list = items(list);
        let mut out = Vec::new();
        for (i, item) in list.iter().enumerate() {
            let key = format!("{key}[{i}]");
            let (sel, attr) = split_attribute(item.get_ref());
            if sel.trim().is_empty() {
                return Err(self.err(item.span(), &key, "empty selector"));
            }
            let selector =
                Selector::parse(sel).map_err(|e| self.err(item.span(), &key, format!("invalid CSS selector: {e}")))?;
            out.push(FieldSelector { selector, attribute: attr.map(str::to_string), source: item.get_ref().clone() });
        }
        Ok(out)
    }

    fn int(&self, v: &Option<Spanned<i64>>, key: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>> {
        match v {
            Some(n) if range.contains(n.get_ref()) => Ok(Some(*n.get_ref())),
            Some(n) => Err(self.err(n.span(), key, format!("must be between {} and {}", range.start(), range.end()))),
            None => Ok(None),
        }
    }

    fn politeness(&self, p: RawPoliteness) -> Result<Politeness> {
        let d = Politeness::default();
        let dur = |v: &Option<Spanned<HumanDuration>>, default: Duration| {
            v.as_ref().map(|s| s.get_ref().0).unwrap_or(default)
        };
        let contact_url = match &p.contact_url {
            Some(c) => {
                let u = Url::parse(c.get_ref().trim())
                    .map_err(|e| self.err(c.span(), "politeness.contact_url", format!("not a URL: {e}")))?;
                if !matches!(u.scheme(), "http" | "https" | "mailto") {
                    return Err(self.err(c.span(), "politeness.contact_url", "must be an http(s) or mailto: URL"));
                }
                Some(u.to_string())
            }
            None => None,
        };
        let timeouts = &p.timeouts;
        for (v, key) in [
            (&timeouts.connect, "politeness.timeouts.connect"),
            (&timeouts.first_byte, "politeness.timeouts.first_byte"),
            (&timeouts.total, "politeness.timeouts.total"),
        ] {
            if let Some(t) = v
                && t.get_ref().0.is_zero()
            {
                return Err(self.err(t.span(), key, "a timeout must be greater than zero"));
            }
        }
        let max_bytes = match &p.max_bytes {
            Some(b) if b.get_ref().0 > 1 << 30 => {
                return Err(self.err(b.span(), "politeness.max_bytes", "must be at most 1 GiB"));
            }
            Some(b) => b.get_ref().0 as usize,
            None => d.max_bytes,
        };
        Ok(Politeness {
            obey_robots: p.obey_robots.unwrap_or(true),
            contact_url,
            concurrency: self
                .int(&p.concurrency, "politeness.concurrency", 1..=256)?
                .map_or(d.concurrency, |v| v as usize),
            delay: dur(&p.delay, d.delay),
            max_tries: self.int(&p.max_tries, "politeness.max_tries", 1..=20)?.map_or(d.max_tries, |v| v as u32),
            backoff: dur(&p.backoff, d.backoff),
            max_backoff: dur(&p.max_backoff, d.max_backoff),
            max_redirects: self
                .int(&p.max_redirects, "politeness.max_redirects", 0..=20)?
                .map_or(d.max_redirects, |v| v as usize),
            max_bytes,
            connect_timeout: dur(&timeouts.connect, d.connect_timeout),
            first_byte_timeout: dur(&timeouts.first_byte, d.first_byte_timeout),
            total_timeout: dur(&timeouts.total, d.total_timeout),
            allow_private_addresses: p.allow_private_addresses.unwrap_or(false),
        })
    }

    fn recrawl(&self, r: RawRecrawl) -> Recrawl {
        let d = Recrawl::default();
        Recrawl {
            listing: r.listing.map_or(d.listing, |m| m.0),
            ad: r.ad.map_or(d.ad, |m| m.0),
            failed: r.failed.map_or(d.failed, |m| m.0),
        }
    }

    fn limits(&self, l: RawLimits) -> Result<Limits> {
        let d = Limits::default();
        Ok(Limits {
            max_depth: self.int(&l.max_depth, "limits.max_depth", 0..=1000)?.map_or(d.max_depth, |v| v as u32),
            max_links_per_page: self
                .int(&l.max_links_per_page, "limits.max_links_per_page", 1..=100_000)?
                .map_or(d.max_links_per_page, |v| v as usize),
            max_new_urls: self
                .int(&l.max_new_urls, "limits.max_new_urls", 1..=100_000_000)?
                .map_or(d.max_new_urls, |v| v as usize),
            max_repeated_segments: self
                .int(&l.max_repeated_segments, "limits.max_repeated_segments", 1..=100)?
                .map_or(d.max_repeated_segments, |v| v as usize),
            max_images_per_ad: self
                .int(&l.max_images_per_ad, "limits.max_images_per_ad", 0..=100)?
                .map_or(d.max_images_per_ad, |v| v as usize),
            max_image_bytes: self
                .int(&l.max_image_bytes, "limits.max_image_bytes", 1024..=100_000_000)?
                .map_or(d.max_image_bytes, |v| v as usize),
            max_image_pixels: self
                .int(&l.max_image_pixels, "limits.max_image_pixels", 1..=1_000_000_000)?
                .map_or(d.max_image_pixels, |v| v as u64),
        })
    }
}

/// Splits `selector@attribute` into its parts. The `@` counts only when what follows is a plain
/// attribute name, so selectors like `a[href^="mailto:x@y"]` stay whole.
pub fn split_attribute(s: &str) -> (&str, Option<&str>) {
    if let Some((sel, attr)) = s.rsplit_once('@') {
        let attr = attr.trim();
        let valid = !attr.is_empty()
            && attr.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && attr.chars().all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
        if valid {
            return (sel.trim(), Some(attr));
        }
    }
    (s.trim(), None)
}

fn first_line(s: &str) -> String {
    s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(s).trim().to_string()
}

/// Builds a config error with the 1-based line and column of `span.start`.
fn config_error(text: &str, origin: &str, span: Range<usize>, key: &str, message: &str) -> Error {
    let at = span.start.min(text.len());
    let before = &text[..floor_char_boundary(text, at)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let message = message.trim().trim_end_matches('.');
    let mut msg = String::with_capacity(message.len());
    let mut chars = message.chars();
    if let Some(c) = chars.next() {
        msg.extend(c.to_lowercase());
        msg.push_str(chars.as_str());
    }
    Error::Config {
        origin: origin.to_string(),
        line,
        column,
        key: if key.is_empty() { "(top level)".to_string() } else { key.to_string() },
        message: msg.replace('\n', "; "),
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The dotted key a byte offset of a TOML text falls under: the nearest `[table]` header above it and
/// the `key =` on its line (or the nearest line above with one, for values spanning lines).
fn key_at(text: &str, offset: usize) -> String {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let mut table = String::new();
    let mut key: Option<String> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        if start > offset {
            break;
        }
        let t = line.trim();
        if t.starts_with('[') {
            let name = t.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            table = name.to_string();
            key = None;
            if pos > offset {
                break;
            }
            continue;
        }
        if let Some((k, _)) = t.split_once('=') {
            let k = k.trim();
            if !k.is_empty()
                && !k.starts_with('#')
                && k.chars().all(|c| c.is_ascii_alphanumeric() || "_-.\"' ".contains(c))
            {
                key = Some(k.trim_matches(|c| c == '"' || c == '\'').to_string());
            }
        }
    }
    match (table.is_empty(), key) {
        (true, Some(k)) => k,
        (false, Some(k)) => format!("{table}.{k}"),
        (_, None) => table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[site]
name = "board"
kind = "job"
base_url = "http://jobs.example/"
start_urls = ["/latest"]

[ad]
patterns = ['^/job/(?P<id>\d+)']

[fields]
body = ".description"
"#;

    #[test]
    fn a_minimal_adapter_gets_polite_defaults() {
        let a = SiteAdapter::parse(MINIMAL, "board.toml").unwrap();
        assert_eq!(a.start_urls[0].as_str(), "http://jobs.example/latest");
        assert!(a.politeness.obey_robots);
        assert_eq!(a.politeness.max_bytes, 5 * 1024 * 1024);
        assert_eq!(a.politeness.delay, Duration::from_secs(1));
        assert_eq!(a.scope().entries(), ["jobs.example:80"]);
    }

    fn config_err(text: &str) -> (usize, String, String) {
        match SiteAdapter::parse(text, "x.toml").unwrap_err() {
            Error::Config { line, key, message, origin, .. } => {
                assert_eq!(origin, "x.toml");
                (line, key, message)
            }
            e => panic!("not a config error: {e}"),
        }
    }

    #[test]
    fn mistakes_name_the_line_and_key() {
        let cases: &[(&str, &str, usize, &str, &str)] = &[
            ("body = \".description\"", "body = \"p:::bad\"", 12, "fields.body[0]", "invalid css selector"),
            ("patterns = ['^/job/(?P<id>\\d+)']", "patterns = ['^/job/(']", 9, "ad.patterns[0]", "invalid regex"),
            ("kind = \"job\"", "kind = \"casino\"", 4, "site.kind", "unknown variant"),
            ("[fields]", "[fields]\ncolour = \"h1\"", 12, "fields.colour", "unknown field"),
            ("start_urls = [\"/latest\"]", "start_urls = [\"/latest\"]\ndelay = 3", 7, "site.delay", "unknown field"),
            ("[ad]", "[politeness]\nconcurrency = 0\n[ad]", 9, "politeness.concurrency", "between 1 and 256"),
            ("[ad]", "[politeness]\ndelay = \"3 weeks\"\n[ad]", 9, "politeness.delay", "unknown duration unit"),
            ("base_url = \"http://jobs.example/\"\n", "", 5, "site.start_urls[0]", "relative url needs site.base_url"),
        ];
        for (from, to, line, key, msg) in cases {
            let text = MINIMAL.replace(from, to);
            let (l, k, m) = config_err(&text);
            assert_eq!((l, k.as_str()), (*line, *key), "{to}: {m}");
            assert!(m.to_lowercase().contains(msg), "{to}: {m}");
        }
    }

    #[test]
    fn attributes_split_off_only_when_they_are_names() {
        assert_eq!(
            split_attribute("meta[property='og:title']@content"),
            ("meta[property='og:title']", Some("content"))
        );
        assert_eq!(split_attribute("time @ datetime"), ("time", Some("datetime")));
        assert_eq!(split_attribute("a[href^=\"mailto:x@y\"]"), ("a[href^=\"mailto:x@y\"]", None));
        assert_eq!(split_attribute("h1"), ("h1", None));
    }

    #[test]
    fn rebase_moves_urls_and_hosts_to_the_new_origin() {
        let text = MINIMAL.replace(
            "start_urls = [\"/latest\"]",
            "start_urls = [\"/latest\", \"http://other.example/x\"]\nhosts = [\"jobs.example\"]",
        );
        let mut a = SiteAdapter::parse(&text, "x.toml").unwrap();
        a.rebase(&Url::parse("http://127.0.0.1:4567").unwrap()).unwrap();
        assert_eq!(a.start_urls[0].as_str(), "http://127.0.0.1:4567/latest");
        assert_eq!(a.start_urls[1].as_str(), "http://other.example/x", "other origins stay");
        assert!(a.scope().allows(&Url::parse("http://127.0.0.1:4567/job/1").unwrap()));
        assert!(!a.scope().allows(&Url::parse("http://jobs.example/job/1").unwrap()));
        assert!(a.rebase(&Url::parse("ftp://x/").unwrap()).is_err());
    }

    #[test]
    fn ad_keys_prefer_the_id_rule_then_the_canonical_link() {
        let a = SiteAdapter::parse(MINIMAL, "x.toml").unwrap();
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(a.ad_key(&u("http://jobs.example/job/42?ref=x"), None), "key:42");
        assert_eq!(a.ad_key(&u("http://jobs.example/j?id=9"), Some(&u("http://jobs.example/job/9"))), "key:9");
        let plain = SiteAdapter::parse(&MINIMAL.replace("(?P<id>\\d+)", "\\d+"), "x.toml").unwrap();
        let plain = SiteAdapter { ad: AdRule { key: None, ..plain.ad.clone() }, ..plain };
        assert_eq!(plain.ad_key(&u("http://jobs.example/a/1"), Some(&u("http://jobs.example/job/1"))), "url:/job/1");
        assert_eq!(plain.ad_key(&u("http://jobs.example/a/1"), Some(&u("http://evil.example/job/1"))), "url:/a/1");
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("6h").unwrap(), Duration::from_secs(21600));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("1000d").is_err());
    }
}
