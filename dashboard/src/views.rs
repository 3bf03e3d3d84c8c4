//! Shared pieces of the HTML pages: the layout, badges, times, links, pagination and marked text.
//!
//! Everything here renders through maud, which escapes every spliced value; nothing in this crate
//! wraps ad data, URLs, names or snippets in `PreEscaped`.

use maud::{DOCTYPE, Markup, html};
use redflag_store::{LeadTotal, Role, TriageState};

use crate::auth::CurrentUser;
use crate::highlight::{Segment, Span, segments};
use crate::security::safe_href;

/// Which section of the dashboard a page belongs to, to mark it in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The lead queue and ad pages.
    Leads,
    /// Search.
    Search,
    /// Networks.
    Networks,
    /// Crawl status.
    Crawl,
    /// Case files.
    Cases,
    /// Deletion on request.
    Delete,
    /// The audit log.
    Audit,
    /// User management.
    Users,
    /// The alert inbox.
    Alerts,
    /// Watches.
    Watches,
    /// The deterrence bot's counters (NGO staff and admins).
    Ngo,
    /// Trends.
    Trends,
    /// The user's own account (API tokens).
    Account,
}

fn head(title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        meta name="referrer" content="no-referrer";
        meta name="robots" content="noindex, nofollow";
        title { (title) " · Redflag" }
        link rel="stylesheet" href=(concat!("/static/app.css?v=", env!("CARGO_PKG_VERSION")));
        script src=(concat!("/static/app.js?v=", env!("CARGO_PKG_VERSION"))) defer {}
    }
}

/// A page without navigation (login, errors).
pub fn bare_page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body { (content) }
        }
    }
}

/// A dashboard page for a logged-in user.
pub fn page(title: &str, user: &CurrentUser, nav: Nav, query: &str, content: Markup) -> Markup {
    let item = |n: Nav, href: &str, label: &str, key: &str| {
        html! {
            a href=(href) accesskey=(key) aria-current=[(nav == n).then_some("page")] { (label) }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    @if user.user.role.is_investigator() {
                        nav aria-label="Sections" {
                            a.brand href="/" { "Redflag" }
                            (item(Nav::Leads, "/leads", "Leads", "l"))
                            (item(Nav::Networks, "/networks", "Networks", "n"))
                            (item(Nav::Cases, "/cases", "Cases", "o"))
                            (item(Nav::Trends, "/trends", "Trends", "r"))
                            (item(Nav::Crawl, "/crawl", "Crawl", "c"))
                            @if user.can(Role::Analyst) {
                                a href="/alerts" accesskey="i" aria-current=[(nav == Nav::Alerts).then_some("page")] {
                                    "Alerts"
                                    @if user.unread_alerts > 0 { " " span.badge.unread title="unread alerts" { (user.unread_alerts) } }
                                }
                                (item(Nav::Watches, "/watches", "Watches", "w"))
                            }
                            @if user.can(Role::Admin) {
                                (item(Nav::Ngo, "/ngo", "Bot", "b"))
                                (item(Nav::Audit, "/audit", "Audit", "a"))
                                (item(Nav::Users, "/users", "Users", "u"))
                                (item(Nav::Delete, "/admin/delete", "Delete", "d"))
                            }
                        }
                        form.search action="/search" method="get" role="search" {
                            label.sr for="q" { "Search ads" }
                            input #q type="search" name="q" value=(query) placeholder="Search text, phone, e-mail, handle  ( / )" autocomplete="off";
                        }
                    } @else {
                        nav aria-label="Sections" {
                            a.brand href="/ngo" { "Redflag" }
                            (item(Nav::Ngo, "/ngo", "Deterrence bot", "b"))
                        }
                    }
                    div.who {
                        span { (user.user.username) " " span.muted { "(" (user.user.role.as_str()) ")" } }
                        @if user.user.role.is_investigator() {
                            " " (item(Nav::Account, "/account/tokens", "Tokens", "t"))
                        }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(user.csrf);
                            button.link type="submit" { "Log out" }
                        }
                    }
                }
                main #main { (content) }
                footer.keys {
                    "Keys: " kbd { "/" } " search · " kbd { "j" } " " kbd { "k" } " move · " kbd { "Enter" } " open · "
                    kbd { "[" } " " kbd { "]" } " previous/next page"
                }
            }
        }
    }
}

/// An indicator's human name (its English title in the indicator catalogue), or its id when the
/// catalogue does not know it (an indicator of an older model).
pub fn indicator_name(id: &str) -> String {
    match redflag_classifier::Catalogue::bundled() {
        Ok(c) => c.index_of(id).map(|i| c.indicators[i].title("en").to_string()).unwrap_or_else(|| id.to_string()),
        Err(_) => id.to_string(),
    }
}

/// The risk figure as a coloured badge.
pub fn risk_badge(risk: Option<i64>) -> Markup {
    match risk {
        Some(r) => {
            let level = redflag_index::RiskBand::of(r.clamp(0, 100) as u8).as_str();
            html! { span class={"risk " (level)} title={"risk " (r) " of 100 (" (level) ")"} { (r) } }
        }
        None => html! { span.risk.none title="not scored yet" { "–" } },
    }
}

/// A triage state as a badge.
pub fn triage_badge(t: TriageState) -> Markup {
    html! { span class={"triage t-" (t.as_str())} { (t.as_str()) } }
}

/// An instant (ms since the epoch) as RFC 3339 in a `<time>` element.
pub fn time(ms: i64) -> Markup {
    let s = redflag_core::time::rfc3339(ms);
    html! { time datetime=(s) { (s.replace('T', " ").trim_end_matches('Z')) " UTC" } }
}

/// A link to an ad's URL when it is a web URL; any other scheme is shown as inert text.
pub fn ext_link(raw: &str) -> Markup {
    match safe_href(raw) {
        Some(href) => html! { a.ext href=(href) rel="noopener noreferrer nofollow" target="_blank" { (raw) } },
        None => html! { span.url-text title="not a web address; not linked" { (raw) } },
    }
}

/// Text with byte ranges wrapped in `<mark>` (search snippets).
pub fn marked(text: &str, ranges: &[(usize, usize)]) -> Markup {
    let spans: Vec<Span> = ranges.iter().map(|&(start, end)| Span { start, end, tag: 0 }).collect();
    let segs = segments(text, &spans);
    html! {
        @for Segment { text, tags } in &segs {
            @if tags.is_empty() { (text) } @else { mark { (text) } }
        }
    }
}

/// A URL query string from pairs, skipping empty values.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            ser.append_pair(k, &v);
        }
    }
    ser.finish()
}

/// "Showing a–b of n" with previous/next links; `params` are the other query pairs to keep.
pub fn pager(path: &str, params: &[(&str, String)], page: i64, page_size: i64, total: i64) -> Markup {
    pager_of(path, params, page, page_size, LeadTotal { count: total, more: false })
}

/// A pager over a total that may be a lower bound ("of more than 10,000").
pub fn pager_of(path: &str, params: &[(&str, String)], page: i64, page_size: i64, total: LeadTotal) -> Markup {
    let LeadTotal { count: total, more } = total;
    let pages = ((total + page_size - 1) / page_size).max(1);
    let first = if total == 0 { 0 } else { (page - 1) * page_size + 1 };
    let last = (page * page_size).min(total);
    let link = |p: i64| {
        let mut pairs: Vec<(&str, String)> = params.to_vec();
        if p > 1 {
            pairs.push(("page", p.to_string()));
        }
        let q = query_string(pairs);
        if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
    };
    html! {
        nav.pager aria-label="Pages" {
            span.muted {
                "Showing " (first) "–" (last) " of "
                @if more { "more than " (thousands(total)) } @else { (total) }
            }
            @if page > 1 { a rel="prev" data-key="[" href=(link(page - 1)) { "← Previous" } }
            @if page < pages || more { a rel="next" data-key="]" href=(link(page + 1)) { "Next →" } }
        }
    }
}

/// A count with thousands separators (10,000).
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// An indicator id as a small badge.
pub fn indicator_badge(id: &str) -> Markup {
    html! { span.ind title=(id) { (indicator_name(id)) } }
}

/// A page number from a query value: 1 when missing or bad.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 1 && *p <= 1_000_000).unwrap_or(1)
}

/// Human-readable byte size.
pub fn bytes(n: i64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_render_as_text() {
        let out = marked("<script>alert(1)</script> fee", &[(26, 29)]).into_string();
        assert_eq!(out, "&lt;script&gt;alert(1)&lt;/script&gt; <mark>fee</mark>");
        let link = ext_link("javascript:alert(1)").into_string();
        assert!(!link.contains("href"), "{link}");
        let link = ext_link("https://a.example/\"><b>").into_string();
        assert!(link.contains("rel=\"noopener noreferrer nofollow\"") && !link.contains("<b>"), "{link}");
    }

    #[test]
    fn pager_keeps_filters_and_counts() {
        let p = pager("/leads", &[("kind", "job".into()), ("site", String::new())], 2, 50, 120).into_string();
        assert!(p.contains("51–100 of 120"), "{p}");
        assert!(p.contains("href=\"/leads?kind=job\"") && p.contains("href=\"/leads?kind=job&amp;page=3\""), "{p}");
        let more = pager_of("/leads", &[], 2, 50, LeadTotal { count: 10_000, more: true }).into_string();
        assert!(more.contains("51–100 of more than 10,000") && more.contains("page=3"), "{more}");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(page_number(Some("x")), 1);
        assert_eq!(page_number(Some("-3")), 1);
        assert_eq!(page_number(Some("4")), 4);
    }
}
