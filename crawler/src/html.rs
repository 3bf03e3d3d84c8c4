//! Reading fetched pages: charset detection and decoding, link discovery by the adapter's rules, ad field
//! extraction, the generic title/text extraction behind `redflag check`, and sitemaps.
//!
//! Everything here is CPU work on attacker-controlled bytes: it is bounded (links per page, text length)
//! and never panics on malformed HTML, which html5ever repairs the way browsers do. Callers run it off the
//! async executor.

use std::borrow::Cow;
use std::collections::HashSet;

use encoding_rs::Encoding;
use redflag_core::AdFields;
use redflag_core::text::{collapse_whitespace, truncate_bytes};
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use crate::adapter::{FieldSelector, LinkRule, SiteAdapter};
use crate::canon::{self, Scope, SkipReason};

/// Longest text kept for one field; an ad body longer than this is cut.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Longest title kept.
pub const MAX_TITLE_BYTES: usize = 1024;
/// Off-scope links recorded per page (the rest are only counted).
pub const MAX_OFFSCOPE_PER_PAGE: usize = 50;

/// What role a URL plays in a site, as the frontier records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A configured start URL (a listing page).
    Start,
    /// A sitemap or sitemap index.
    Sitemap,
    /// A page listing ads.
    Listing,
    /// An ad page.
    Ad,
}

impl Role {
    /// The name stored in the frontier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Start => "start",
            Role::Sitemap => "sitemap",
            Role::Listing => "listing",
            Role::Ad => "ad",
        }
    }

    /// Parses a stored name (unknown names read as listing pages).
    pub fn parse(s: &str) -> Role {
        match s {
            "start" => Role::Start,
            "sitemap" => Role::Sitemap,
            "ad" => Role::Ad,
            _ => Role::Listing,
        }
    }
}

/// The encoding named by a Content-Type header's `charset` parameter.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Encoding::for_label(v.trim().trim_matches(|c| c == '"' || c == '\'').as_bytes())
        } else {
            None
        }
    })
}

/// The encoding declared by a `<meta charset>` or `<meta http-equiv="content-type">` in the first 1024
/// bytes, as browsers pre-scan for it.
pub fn charset_from_meta(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut i = 0;
    while let Some(pos) = find(&lower[i..], b"<meta") {
        let start = i + pos;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest.iter().skip_while(|b| b.is_ascii_whitespace()).copied().collect::<Vec<u8>>();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let label: Vec<u8> = rest
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| !(b.is_ascii_whitespace() || matches!(**b, b'"' | b'\'' | b';' | b'/' | b'>')))
                    .copied()
                    .collect();
                if let Some(enc) = Encoding::for_label(&label) {
                    // A page cannot truthfully declare UTF-16 in ASCII bytes; browsers read it as UTF-8.
                    return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        i = end.max(start + 5);
        if i >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a page to UTF-8: a byte-order mark wins, then the Content-Type charset, then a `<meta>`
/// declaration, then UTF-8 if the bytes are valid UTF-8, else windows-1252 (what browsers assume).
/// Undecodable bytes become U+FFFD. Returns the text and the encoding used.
pub fn decode<'a>(body: &'a [u8], content_type: Option<&str>) -> (Cow<'a, str>, &'static Encoding) {
    let declared = content_type.and_then(charset_from_content_type).or_else(|| charset_from_meta(body));
    let enc = match declared {
        Some(e) => e,
        None if std::str::from_utf8(body).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, used, _had_errors) = enc.decode(body);
    (text, used)
}

/// Whether a response is an HTML page (by Content-Type, or by sniffing when there is none).
pub fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type.map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase()) {
        Some(m) if m == "text/html" || m == "application/xhtml+xml" => true,
        Some(m) if !m.is_empty() => false,
        _ => {
            let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
        }
    }
}

/// Whether a response is XML (a sitemap).
pub fn is_xml(content_type: Option<&str>, body: &[u8]) -> bool {
    let m = content_type.map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase()).unwrap_or_default();
    m.ends_with("/xml") || m.ends_with("+xml") || body.trim_ascii_start().starts_with(b"<?xml")
}

/// A link found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Canonical URL.
    pub url: Url,
    /// What the adapter says it is.
    pub role: Role,
}

/// A link that will not be followed, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The URL as resolved (or as written when it could not be resolved).
    pub url: String,
    /// Why.
    pub reason: SkipReason,
}

/// What a page yielded.
#[derive(Debug, Clone, Default)]
pub struct PageData {
    /// Links to follow, in page order, without duplicates.
    pub links: Vec<Link>,
    /// Links matched by a rule but out of scope (first [`MAX_OFFSCOPE_PER_PAGE`]).
    pub skipped: Vec<Skipped>,
    /// Links dropped because the page had more than the adapter's limit.
    pub links_dropped: usize,
    /// The page's `rel=canonical` URL, canonicalised.
    pub canonical: Option<Url>,
    /// The ad's fields, for ad pages that had a body.
    pub fields: Option<AdFields>,
    /// The ad's pictures, in page order, in scope, without duplicates, at most the adapter's
    /// `limits.max_images_per_ad` (ad pages only).
    pub images: Vec<Url>,
}

/// Reads one HTML page with the adapter's rules: links by role, and for ad pages the fields.
pub fn analyze(html: &str, page_url: &Url, role: Role, adapter: &SiteAdapter, scope: &Scope) -> PageData {
    let doc = Html::parse_document(html);
    let base = base_url(&doc, page_url);
    let strip = &adapter.strip_params;
    let mut out = PageData {
        canonical: first_attr(&doc, &sel::CANONICAL, "href").and_then(|h| canon::resolve(&base, &h, strip).ok()),
        ..PageData::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    let max_links = adapter.limits.max_links_per_page;
    for (rule, link_role) in [(&adapter.ad.links, Role::Ad), (&adapter.listing, Role::Listing)] {
        if rule.is_empty() {
            continue;
        }
        for href in rule_hrefs(&doc, rule) {
            let url = match canon::resolve(&base, &href, strip) {
                Ok(u) => u,
                Err(SkipReason::Invalid) => continue,
                // A mailto: or javascript: link is worth recording only when a selector picked it out;
                // path patterns could never have matched it.
                Err(reason) => {
                    if !rule.selectors.is_empty() {
                        push_skipped(&mut out.skipped, href, reason);
                    }
                    continue;
                }
            };
            if !rule.url_matches(&url) {
                continue;
            }
            if !scope.allows(&url) {
                let host = canon::authority(&url);
                push_skipped(&mut out.skipped, url.to_string(), SkipReason::OffHost(host));
                continue;
            }
            if !seen.insert(url.as_str().to_string()) {
                continue;
            }
            if out.links.len() >= max_links {
                out.links_dropped += 1;
                continue;
            }
            out.links.push(Link { url, role: link_role });
        }
    }
    if role == Role::Ad {
        out.fields = extract_fields(&doc, &adapter.fields);
        if out.fields.is_some() {
            out.images = image_urls(&doc, &base, adapter, scope);
        }
    }
    out
}

/// The pictures of an ad page: the `<img>` elements the adapter's `fields.images` selectors match (or
/// that are inside what they match), else those inside the elements of the first `fields.body`
/// selector that matches anything. One URL per picture: `srcset` picks one size (see [`pick_srcset`]),
/// else `src`, else a lazy-loading `data-src`. Off-scope and non-HTTP(S) pictures (`data:` URIs) are
/// left out: they are never fetched.
fn image_urls(doc: &Html, base: &Url, adapter: &SiteAdapter, scope: &Scope) -> Vec<Url> {
    let max = adapter.limits.max_images_per_ad;
    if max == 0 {
        return Vec::new();
    }
    fn collect<'a>(el: ElementRef<'a>, out: &mut Vec<ElementRef<'a>>) {
        if el.value().name() == "img" {
            out.push(el);
        } else {
            out.extend(el.select(&sel::IMG));
        }
    }
    let mut elements: Vec<ElementRef<'_>> = Vec::new();
    if adapter.fields.images.is_empty() {
        for f in &adapter.fields.body {
            let mut matched = false;
            for el in doc.select(&f.selector) {
                matched = true;
                collect(el, &mut elements);
            }
            if matched {
                break;
            }
        }
    } else {
        for f in &adapter.fields.images {
            for el in doc.select(&f.selector) {
                collect(el, &mut elements);
            }
        }
    }
    let mut out: Vec<Url> = Vec::new();
    for el in elements {
        let v = el.value();
        let chosen = v
            .attr("srcset")
            .and_then(pick_srcset)
            .or_else(|| v.attr("src").map(str::to_string))
            .or_else(|| v.attr("data-src").map(str::to_string));
        let Some(src) = chosen.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) else { continue };
        let Ok(url) = canon::resolve(base, &src, &adapter.strip_params) else { continue };
        if !scope.allows(&url) || out.contains(&url) {
            continue;
        }
        out.push(url);
        if out.len() >= max {
            break;
        }
    }
    out
}

/// The one candidate of a `srcset` to fetch: the widest at most 1024 pixels wide (`w` descriptors) or
/// the densest at most 2× (`x` descriptors), else the smallest there is.
pub fn pick_srcset(srcset: &str) -> Option<String> {
    let mut cands: Vec<(String, f32)> = Vec::new();
    for part in srcset.split(',') {
        let mut it = part.split_whitespace();
        let Some(url) = it.next() else { continue };
        let size = match it.next() {
            Some(d) if d.ends_with('w') => d[..d.len() - 1].parse::<f32>().ok().map(|w| w / 512.0),
            Some(d) if d.ends_with('x') => d[..d.len() - 1].parse::<f32>().ok(),
            Some(_) => None,
            None => Some(1.0),
        };
        if let Some(size) = size.filter(|s| s.is_finite() && *s > 0.0) {
            cands.push((url.to_string(), size));
        }
    }
    let fitting = cands.iter().filter(|(_, s)| *s <= 2.0).max_by(|a, b| a.1.total_cmp(&b.1));
    let smallest = || cands.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    fitting.or_else(smallest).map(|(u, _)| u.clone())
}

fn push_skipped(list: &mut Vec<Skipped>, url: String, reason: SkipReason) {
    if list.len() < MAX_OFFSCOPE_PER_PAGE && !list.iter().any(|s| s.url == url) {
        let url = truncate_bytes(&url, canon::MAX_URL_LEN).to_string();
        list.push(Skipped { url, reason });
    }
}

/// The `href`s a rule looks at: links inside elements its selectors match, or every link on the page.
fn rule_hrefs(doc: &Html, rule: &LinkRule) -> Vec<String> {
    let mut out = Vec::new();
    if rule.selectors.is_empty() {
        for el in doc.select(&sel::LINKS) {
            if let Some(h) = el.value().attr("href") {
                out.push(h.to_string());
            }
        }
        return out;
    }
    for s in &rule.selectors {
        for el in doc.select(s) {
            match el.value().attr("href") {
                Some(h) => out.push(h.to_string()),
                None => {
                    for inner in el.select(&sel::LINKS) {
                        if let Some(h) = inner.value().attr("href") {
                            out.push(h.to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

fn base_url(doc: &Html, page_url: &Url) -> Url {
    first_attr(doc, &sel::BASE, "href")
        .and_then(|h| page_url.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

fn first_attr(doc: &Html, s: &Selector, attr: &str) -> Option<String> {
    doc.select(s).find_map(|e| e.value().attr(attr).map(str::to_string))
}

/// Extracts the adapter's fields; `None` when the page has no ad body (a removed ad, an error page).
pub fn extract_fields(doc: &Html, rules: &crate::adapter::FieldRules) -> Option<AdFields> {
    let body = field(doc, &rules.body, MAX_FIELD_BYTES)?;
    let title = field(doc, &rules.title, MAX_TITLE_BYTES)
        .or_else(|| {
            doc.select(&sel::TITLE).next().map(|t| cap(element_text(t), MAX_TITLE_BYTES)).filter(|t| !t.is_empty())
        })
        .unwrap_or_default();
    let short = |r: &[FieldSelector]| field(doc, r, 1024);
    // Contact links (`tel:`, `mailto:`, `wa.me/…`) join the contact field, so a number shown only as a
    // "Call" button is found like one written out.
    let links = crate::contacts::contact_links(doc);
    let contact = match (short(&rules.contact), links.is_empty()) {
        (c, true) => c,
        (Some(c), false) => Some(format!("{c}\n{}", links.join("\n"))),
        (None, false) => Some(links.join("\n")),
    };
    Some(AdFields {
        title,
        body,
        city: short(&rules.city),
        price: short(&rules.price),
        posted_at: short(&rules.posted_at),
        contact,
        age: short(&rules.age),
        company: short(&rules.company),
    })
}

/// The first selector that yields non-empty text, its matches' text joined with spaces.
fn field(doc: &Html, selectors: &[FieldSelector], max: usize) -> Option<String> {
    for fs in selectors {
        let mut parts = Vec::new();
        let mut len = 0;
        for el in doc.select(&fs.selector) {
            let text = match &fs.attribute {
                Some(a) => el.value().attr(a).map(collapse_whitespace).unwrap_or_default(),
                None => element_text(el),
            };
            if !text.is_empty() {
                len += text.len() + 1;
                parts.push(text);
                if len > max {
                    break;
                }
            }
        }
        if !parts.is_empty() {
            return Some(cap(parts.join(" "), max));
        }
    }
    None
}

fn cap(s: String, max: usize) -> String {
    if s.len() <= max { s } else { truncate_bytes(&s, max).to_string() }
}

/// Elements whose text is never content.
fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template" | "svg" | "head" | "iframe" | "object")
}

/// Elements that break words apart (block-level elements, line breaks, table cells).
fn breaks_words(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "blockquote"
            | "pre"
            | "hr"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "option"
            | "label"
            | "button"
            | "img"
    )
}

/// An element's visible text, whitespace collapsed, with words on either side of block elements kept
/// apart and scripts and styles left out.
pub fn element_text(el: ElementRef<'_>) -> String {
    element_text_except(el, &[])
}

fn element_text_except(el: ElementRef<'_>, also_hidden: &[&str]) -> String {
    use ego_tree::iter::Edge;
    let mut raw = String::new();
    let mut hidden = 0usize;
    for edge in el.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if hidden > 0 || is_hidden(name) || also_hidden.contains(&name) {
                        hidden += 1;
                    } else if breaks_words(name) {
                        raw.push(' ');
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    raw.push_str(t);
                    if raw.len() > 4 * MAX_FIELD_BYTES {
                        break;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if breaks_words(e.name()) {
                        raw.push(' ');
                    }
                }
            }
        }
    }
    collapse_whitespace(&raw)
}

/// A page's title and main text found without an adapter: the `og:title`, first `<h1>` or `<title>`,
/// and the text of the first `<article>`, `<main>` or description block, else of `<body>` without
/// navigation, headers, footers and forms.
pub fn generic_text(html: &str) -> (String, String) {
    let doc = Html::parse_document(html);
    let title = first_attr(&doc, &sel::OG_TITLE, "content")
        .map(|t| collapse_whitespace(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| doc.select(&sel::H1).next().map(element_text).filter(|t| !t.is_empty()))
        .or_else(|| doc.select(&sel::TITLE).next().map(element_text))
        .unwrap_or_default();
    let main = doc.select(&sel::MAIN).map(element_text).find(|t| t.len() >= 40);
    let text = main.unwrap_or_else(|| match doc.select(&sel::BODY).next() {
        Some(b) => element_text_except(b, &["nav", "header", "footer", "form", "aside", "menu"]),
        None => element_text(doc.root_element()),
    });
    (cap(title, MAX_TITLE_BYTES), cap(text, MAX_FIELD_BYTES))
}

/// What a sitemap lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    /// Whether it is a sitemap index (its URLs are further sitemaps).
    pub is_index: bool,
    /// The `<loc>` URLs, as written (entities decoded).
    pub locs: Vec<String>,
}

/// Most URLs one sitemap may list (the protocol's limit).
pub const MAX_SITEMAP_URLS: usize = 50_000;

/// Reads the `<loc>` entries of a sitemap or sitemap index, tolerating sloppy XML.
pub fn parse_sitemap(xml: &str) -> Sitemap {
    let mut out = Sitemap { is_index: xml.contains("<sitemapindex"), locs: Vec::new() };
    let mut rest = xml;
    while let Some(i) = rest.find("<loc>") {
        rest = &rest[i + 5..];
        let Some(j) = rest.find("</loc>") else { break };
        let mut v = rest[..j].trim();
        if let Some(inner) = v.strip_prefix("<![CDATA[").and_then(|x| x.strip_suffix("]]>")) {
            v = inner.trim();
        }
        out.locs.push(
            v.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'"),
        );
        rest = &rest[j + 6..];
        if out.locs.len() >= MAX_SITEMAP_URLS {
            break;
        }
    }
    out
}

/// Selectors used on every page, compiled once.
mod sel {
    use std::sync::LazyLock;

    use scraper::Selector;

    fn s(css: &str) -> Selector {
        // These are constant, valid selectors; a failure here is a programming error caught by tests.
        Selector::parse(css).unwrap_or_else(|e| panic!("built-in selector {css:?}: {e}"))
    }

    pub static LINKS: LazyLock<Selector> = LazyLock::new(|| s("a[href], area[href]"));
    pub static IMG: LazyLock<Selector> = LazyLock::new(|| s("img"));
    pub static CANONICAL: LazyLock<Selector> = LazyLock::new(|| s("link[rel~=canonical][href]"));
    pub static BASE: LazyLock<Selector> = LazyLock::new(|| s("base[href]"));
    pub static TITLE: LazyLock<Selector> = LazyLock::new(|| s("title"));
    pub static H1: LazyLock<Selector> = LazyLock::new(|| s("h1"));
    pub static OG_TITLE: LazyLock<Selector> = LazyLock::new(|| s("meta[property='og:title'][content]"));
    pub static BODY: LazyLock<Selector> = LazyLock::new(|| s("body"));
    pub static MAIN: LazyLock<Selector> =
        LazyLock::new(|| s("article, main, [itemprop=description], [role=main], #content, .content"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_links_join_the_contact_field() {
        let adapter = SiteAdapter::parse(
            "[site]\nname = \"t\"\nkind = \"job\"\nstart_urls = [\"https://b.example/\"]\n\n[ad]\npatterns = [\"^/ad/\"]\n\n[fields]\nbody = \"div.body\"\ncontact = \"div.contact\"\n",
            "t.toml",
        )
        .unwrap();
        let doc = Html::parse_document(
            r#"<article><div class="body">Warehouse work, apply now.</div>
               <div class="contact"><a href="tel:+442079460123">Tap to call</a> <a href="sms:07700900123">Text</a></div></article>
               <footer><a href="mailto:help@board.example">Help</a></footer>"#,
        );
        let fields = extract_fields(&doc, &adapter.fields).unwrap();
        assert_eq!(fields.contact.as_deref(), Some("Tap to call Text\ntel: +442079460123\ntel: 07700900123"));
        // Without a contact rule the links still arrive.
        let doc = Html::parse_document(r#"<div class="body">Call me <a href="tel:7025550148">now</a></div>"#);
        assert_eq!(extract_fields(&doc, &adapter.fields).unwrap().contact.as_deref(), Some("tel: 7025550148"));
    }

    #[test]
    fn charsets_come_from_bom_header_meta_or_sniffing() {
        let cases: &[(&[u8], Option<&str>, &str)] = &[
            (b"caf\xe9", Some("text/html; charset=windows-1252"), "café"),
            (b"caf\xe9", Some("text/html; charset=\"ISO-8859-1\""), "café"),
            (b"<meta charset=\"windows-1252\">caf\xe9", Some("text/html"), "café"),
            (b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">\xc1", None, "а"),
            ("café".as_bytes(), None, "café"),
            (b"caf\xe9", None, "café"),
            (b"\xef\xbb\xbfcaf\xc3\xa9", Some("text/html; charset=windows-1252"), "café"),
        ];
        for (body, ct, want) in cases {
            let (text, _) = decode(body, *ct);
            assert!(text.ends_with(want), "{ct:?}: {text:?}");
        }
    }

    #[test]
    fn text_keeps_words_apart_and_scripts_out() {
        let doc = Html::parse_document(
            "<div id=x><p>Dinner</p><p>dates<br>only</p><script>var x=1</script><b>to</b>night <style>p{}</style></div>",
        );
        let el = doc.select(&Selector::parse("#x").unwrap()).next().unwrap();
        assert_eq!(element_text(el), "Dinner dates only tonight");
    }

    #[test]
    fn malformed_html_still_yields_text() {
        let (title, text) = generic_text("<html><title>Job <b>offer</title><body><p>Work abroad <div>now<p>apply");
        assert_eq!(title, "Job <b>offer");
        assert_eq!(text, "Work abroad now apply");
    }

    #[test]
    fn sitemaps_list_their_locations() {
        let xml = "<?xml version=\"1.0\"?><urlset><url><loc> http://a/1?x=1&amp;y=2 </loc></url>\
                   <url><loc><![CDATA[http://a/2]]></loc></url><url><loc>http://a/3";
        let s = parse_sitemap(xml);
        assert!(!s.is_index);
        assert_eq!(s.locs, ["http://a/1?x=1&y=2", "http://a/2"]);
        assert!(parse_sitemap("<sitemapindex><sitemap><loc>http://a/s.xml</loc></sitemap></sitemapindex>").is_index);
    }
}
