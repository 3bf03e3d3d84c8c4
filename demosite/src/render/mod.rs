//! HTML for every page: shared chrome (header, navigation, promotions, footer) and the page bodies.
//!
//! The chrome is deliberately noisy, like real boards: navigation, a city list, paid-placement banners,
//! an age notice, share buttons with off-site links, an analytics snippet. Some templates are sloppy on
//! purpose (unclosed `<p>`, `<td>` and `<li>`, unquoted attributes, upper-case tags, raw `&`), because
//! real ad pages are, and a crawler's parser and a site adapter must cope.

pub(crate) mod escort;
pub(crate) mod job;
pub(crate) mod misc;

use crate::geo::CITIES;
use crate::model::Ad;
use redflag_core::AdKind;
use std::fmt::Write as _;

/// The escort board's name.
pub(crate) const ESCORT_BOARD: &str = "Nightingale";
/// The job board's name.
pub(crate) const JOB_BOARD: &str = "WorkBridge";

/// Which part of the site a page belongs to; it decides the chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Home,
    Escorts,
    Jobs,
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes like an old template engine that forgot `&`: safe for the parser, sloppy for the validator.
pub(crate) fn esc_sloppy(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// How the `<head>` declares the encoding; real sites use both forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Meta,
    HttpEquiv,
}

/// What a page's `<head>` needs.
pub(crate) struct Head<'a> {
    pub(crate) title: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) canonical: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) prev: Option<&'a str>,
    pub(crate) next: Option<&'a str>,
    pub(crate) charset: Charset,
}

impl<'a> Head<'a> {
    /// A head with just a title and language.
    pub(crate) fn new(title: &'a str, lang: &'a str) -> Self {
        Head { title, lang, canonical: None, description: None, prev: None, next: None, charset: Charset::Meta }
    }
}

/// Opens a page: doctype, head, body, header and navigation for `section`.
pub(crate) fn open(out: &mut String, section: Section, head: &Head<'_>) {
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(out, "<html lang=\"{}\">\n<head>", head.lang);
    match head.charset {
        Charset::Meta => out.push_str("<meta charset=\"utf-8\">\n"),
        Charset::HttpEquiv => out.push_str("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"),
    }
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let site = match section {
        Section::Home => "Demo Classifieds",
        Section::Escorts => ESCORT_BOARD,
        Section::Jobs => JOB_BOARD,
    };
    let _ = writeln!(out, "<title>{} | {site}</title>", esc(head.title));
    if let Some(d) = head.description {
        let _ = writeln!(out, "<meta name=\"description\" content=\"{}\">", esc(d));
    }
    if let Some(c) = head.canonical {
        let _ = writeln!(out, "<link rel=\"canonical\" href=\"{}\">", esc(c));
    }
    if let Some(p) = head.prev {
        let _ = writeln!(out, "<link rel=\"prev\" href=\"{}\">", esc(p));
    }
    if let Some(n) = head.next {
        let _ = writeln!(out, "<link rel=\"next\" href=\"{}\">", esc(n));
    }
    out.push_str("<link rel=\"stylesheet\" href=\"/static/site.css\">\n");
    out.push_str(
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}\
         gtag('js',new Date());if(document.cookie.indexOf('seen=1')<0){document.cookie='seen=1'}</script>\n",
    );
    out.push_str("</head>\n");
    match section {
        Section::Home => out.push_str(
            "<body class=\"home\">\n<header class=\"site-header\"><div class=\"logo\"><a href=\"/\">Demo \
             Classifieds</a></div>\n<nav class=\"main-nav\"><a href=\"/escorts/\">Companions</a> | <a \
             href=\"/jobs/\">Jobs</a> | <a href=\"/about/\">About</a> | <a href=\"/post/\">Post an \
             ad</a></nav>\n</header>\n",
        ),
        Section::Escorts => {
            out.push_str("<body class=\"board board-escorts\">\n<header class=\"site-header\">\n");
            let _ = writeln!(
                out,
                "<div class=\"logo\"><a href=\"/escorts/\">{ESCORT_BOARD}</a> <small>companion &amp; \
                 massage classifieds</small></div>"
            );
            out.push_str("<nav class=\"main-nav\"><a href=\"/\">Home</a> | <a href=\"/escorts/\">All ads</a>");
            for (slug, name) in crate::model::ESCORT_CATEGORIES {
                let _ = write!(out, " | <a href=\"/escorts/{slug}/\">{}</a>", esc(name));
            }
            out.push_str(
                " | <a href=\"/escorts/search?q=&amp;sort=new\">Search</a> | <a href=\"/post/\">Post an \
                 ad</a></nav>\n<form class=\"search\" action=\"/escorts/search\" method=\"get\"><input \
                 name=\"q\" placeholder=\"Search ads\"><button>Search</button></form>\n</header>\n<div \
                 class=\"age-notice\">Adults only. By using this section you confirm you are 18 or older \
                 and that ads are placed by adults.</div>\n",
            );
        }
        Section::Jobs => {
            out.push_str("<body class=\"board board-jobs\">\n<header class=\"site-header\">\n");
            let _ = writeln!(
                out,
                "<div class=\"logo\"><a href=\"/jobs/\">{JOB_BOARD}</a> <small>jobs near you and \
                 abroad</small></div>"
            );
            out.push_str("<nav class=\"main-nav\"><a href=\"/\">Home</a> | <a href=\"/jobs/\">All jobs</a>");
            for (slug, name) in crate::bank::JOB_CATEGORIES {
                let _ = write!(out, " | <a href=\"/jobs/category/{slug}/\">{}</a>", esc(name));
            }
            out.push_str(" | <a href=\"/post/\">Post a job</a></nav>\n</header>\n");
        }
    }
    out.push_str(promo(section));
}

fn promo(section: Section) -> &'static str {
    match section {
        Section::Home => "",
        Section::Escorts => {
            "<div class=\"promo\" data-slot=\"top\">Bump your ad to the TOP for just $4.99 &mdash; 10x \
             more views! <a href=\"/post/\">Learn more</a></div>\n"
        }
        Section::Jobs => {
            "<div class=\"promo\" data-slot=\"top\">Hiring? Feature your vacancy for 7 days. <a \
             href=\"/post/\">Advertise with us</a></div>\n"
        }
    }
}

/// The city list shown beside listings: every city that has ads on the board, linking its listing.
pub(crate) fn city_sidebar(out: &mut String, kind: AdKind, cities_with_ads: &[&str]) {
    out.push_str("<aside class=\"cities\"><h3>Cities</h3>\n<ul>\n");
    for city in CITIES.iter().filter(|c| cities_with_ads.contains(&c.slug)) {
        let href = match kind {
            AdKind::Escort => format!("/escorts/city/{}/", city.slug),
            AdKind::Job => format!("/jobs/in/{}/", city.slug),
        };
        let _ = writeln!(out, "<li><a href=\"{href}\">{}</a></li>", esc(city.name));
    }
    out.push_str("</ul>\n</aside>\n");
}

/// Closes a page with the footer.
pub(crate) fn close(out: &mut String, section: Section) {
    let name = match section {
        Section::Home => "Demo Classifieds",
        Section::Escorts => ESCORT_BOARD,
        Section::Jobs => JOB_BOARD,
    };
    out.push_str(
        "<footer class=\"site-footer\">\n<p><a href=\"/about/\">About</a> &middot; <a \
         href=\"/terms/\">Terms &amp; Conditions</a> &middot; <a href=\"/privacy/\">Privacy</a> &middot; \
         <a href=\"/admin/\">Staff login</a></p>\n<p class=\"synthetic\">Every ad on this site is \
         synthetic, generated to test Redflag. Names, phone numbers, companies and addresses are \
         fictitious.</p>\n",
    );
    let _ = writeln!(out, "<p>&copy; 2025 {name}</p>\n</footer>\n</body>\n</html>");
}

/// Related ads: up to four other ads from the same city, linked the way listings link them.
pub(crate) fn related(out: &mut String, ad: &Ad, board: &[Ad]) {
    let others: Vec<&Ad> = board.iter().filter(|o| o.city.slug == ad.city.slug && o.id != ad.id).take(4).collect();
    if others.is_empty() {
        return;
    }
    let _ = writeln!(out, "<aside class=\"related\"><h3>More in {}</h3>\n<ul>", esc(ad.city.name));
    for o in others {
        let _ = writeln!(out, "<li><a href=\"{}\">{}</a></li>", esc(&o.link()), esc(&o.title));
    }
    out.push_str("</ul>\n</aside>\n");
}

/// Share buttons with off-site links, which a crawler must not follow.
pub(crate) fn share(out: &mut String, path: &str) {
    let _ = writeln!(
        out,
        "<div class=\"share\"><a rel=\"nofollow\" href=\"https://www.facebook.com/sharer/sharer.php?u={p}\">Share</a> \
         <a rel=\"nofollow\" href=\"https://twitter.com/intent/tweet?url={p}\">Tweet</a> <a \
         href=\"#report\" class=\"report\">Report this ad</a></div>",
        p = esc(path)
    );
}

/// A page-number navigation block; `url(n)` gives the URL of page `n`.
pub(crate) fn pager(out: &mut String, current: usize, pages: usize, class: &str, url: &dyn Fn(usize) -> String) {
    if pages <= 1 {
        return;
    }
    let _ = write!(out, "<div class=\"{class}\">");
    if current > 1 {
        let _ = write!(out, "<a class=\"prev\" rel=\"prev\" href=\"{}\">&laquo; Prev</a> ", esc(&url(current - 1)));
    }
    let mut last_shown = 0;
    for n in 1..=pages {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == pages || near {
            if last_shown + 1 < n {
                out.push_str("<span class=\"gap\">&hellip;</span> ");
            }
            if n == current {
                let _ = write!(out, "<b class=\"current\">{n}</b> ");
            } else {
                let _ = write!(out, "<a href=\"{}\">{n}</a> ", esc(&url(n)));
            }
            last_shown = n;
        }
    }
    if current < pages {
        let _ = write!(out, "<a class=\"next\" rel=\"next\" href=\"{}\">Next &raquo;</a>", esc(&url(current + 1)));
    }
    out.push_str("</div>\n");
}

/// The first ~140 characters of an ad's text, cut at a word boundary, for listings.
pub(crate) fn snippet(ad: &Ad) -> String {
    let text = ad.paragraphs.join(" ");
    if text.chars().count() <= 140 {
        return text;
    }
    let cut: String = text.chars().take(140).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(esc("a<b & \"c\" 'd'"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;");
        assert_eq!(esc_sloppy("Dinner & <drinks>"), "Dinner & &lt;drinks&gt;");
    }

    #[test]
    fn pager_links_neighbours_and_ends() {
        let mut s = String::new();
        pager(&mut s, 5, 12, "pager", &|n| format!("/x/?page={n}"));
        for n in [1, 3, 4, 6, 7, 12] {
            assert!(s.contains(&format!("href=\"/x/?page={n}\"")), "{n}: {s}");
        }
        assert!(s.contains("<b class=\"current\">5</b>"));
        assert!(!s.contains("?page=9\""));
        let mut one = String::new();
        pager(&mut one, 1, 1, "pager", &|n| n.to_string());
        assert!(one.is_empty());
    }
}
