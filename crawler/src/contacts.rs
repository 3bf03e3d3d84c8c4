//! Contact links of an ad page: `tel:`, `sms:`, `mailto:`, `callto:`, `whatsapp:`, `viber:` links and
//! messenger web links (`wa.me`, `t.me`, `signal.me`, …), read from the page's markup so that a number
//! shown only as a "Call" or "Tap to call" button is found like one written out.
//!
//! Links inside the page's navigation, header and footer, and inside boxes of related or similar ads,
//! are not the ad's: they are left out. Each link becomes one line of text that entity extraction reads
//! (`tel: +44 20 7946 0123`, `jane@example.org`, `https://wa.me/4420…`), appended to the ad's contact
//! field; at most [`MAX_CONTACT_LINKS`] distinct ones per page.

use percent_encoding::percent_decode_str;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Contact links kept per page.
pub const MAX_CONTACT_LINKS: usize = 20;
/// Longest contact link text kept.
const MAX_LINK_BYTES: usize = 256;

static ANCHORS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href], area[href]").unwrap_or_else(|e| panic!("built-in selector: {e}")));

/// Hosts whose links carry a messenger contact (see `redflag_core::extract::link_url`).
const MESSENGER_HOSTS: &[&str] = &[
    "wa.me",
    "api.whatsapp.com",
    "t.me",
    "telegram.me",
    "telegram.dog",
    "signal.me",
    "line.me",
    "kik.me",
    "snapchat.com",
    "www.snapchat.com",
];

/// The page's contact links, each as one line of text for entity extraction, in page order.
pub fn contact_links(doc: &Html) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in doc.select(&ANCHORS) {
        if out.len() >= MAX_CONTACT_LINKS {
            break;
        }
        let Some(href) = a.value().attr("href") else { continue };
        let Some(text) = contact_text(href) else { continue };
        if outside_the_ad(a) || out.contains(&text) {
            continue;
        }
        out.push(text);
    }
    out
}

/// What a contact `href` says, as text; `None` for any other link.
pub fn contact_text(href: &str) -> Option<String> {
    let href = href.trim();
    let (scheme, rest) = href.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let decoded = |s: &str| percent_decode_str(s).decode_utf8_lossy().trim().to_string();
    let text = match scheme.as_str() {
        "tel" | "sms" | "callto" | "facetime" | "facetime-audio" => {
            // `tel:+1-702-555-0148;ext=2`, `sms:+17025550148?body=hi`, `callto://+44…`.
            let number = rest.trim_start_matches('/').split([';', '?', ',']).next().unwrap_or("");
            let number = decoded(number);
            (number.chars().filter(char::is_ascii_digit).count() >= 5).then(|| format!("tel: {number}"))?
        }
        "mailto" => {
            let addrs = decoded(rest.split('?').next().unwrap_or(""));
            (addrs.contains('@')).then(|| addrs.replace(',', " "))?
        }
        "whatsapp" | "viber" => {
            // `whatsapp://send?phone=4420…`, `viber://chat?number=%2B4420…`.
            let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
            let number = url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "phone" || k == "number")
                .map(|(_, v)| v.trim().to_string())?;
            let number = if number.starts_with('+') { number } else { format!("+{number}") };
            format!("{scheme}: {number}")
        }
        "http" | "https" => {
            let url = url::Url::parse(href).ok()?;
            let host = url.host_str()?.to_ascii_lowercase();
            if !MESSENGER_HOSTS.contains(&host.as_str())
                || url.path().trim_matches('/').is_empty() && url.query().is_none()
            {
                return None;
            }
            // `wa.me/?text=…` shares a page; it names no one.
            if host == "wa.me" && url.path().trim_matches('/').is_empty() {
                return None;
            }
            href.to_string()
        }
        _ => return None,
    };
    let text = redflag_core::text::collapse_whitespace(&text);
    Some(redflag_core::text::truncate_bytes(&text, MAX_LINK_BYTES).to_string())
}

/// Whether a link sits in the page's chrome or in a box of other ads rather than in the ad.
fn outside_the_ad(a: ElementRef<'_>) -> bool {
    a.ancestors().filter_map(ElementRef::wrap).any(|el| {
        let e = el.value();
        if matches!(e.name(), "nav" | "header" | "footer") {
            return true;
        }
        let marks = |s: &str| {
            let s = s.to_ascii_lowercase();
            ["related", "similar", "recommend", "more-ads", "other-ads", "site-footer", "site-header"]
                .iter()
                .any(|m| s.contains(m))
        };
        e.attr("class").is_some_and(marks) || e.attr("id").is_some_and(marks)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_hrefs_become_text() {
        let cases = [
            ("tel:+44-20-7946-0123", Some("tel: +44-20-7946-0123")),
            ("TEL:020%207946%200123", Some("tel: 020 7946 0123")),
            ("tel:+17025550148;ext=2", Some("tel: +17025550148")),
            ("sms:+33612345678?body=bonjour", Some("tel: +33612345678")),
            ("callto://+442079460123", Some("tel: +442079460123")),
            ("mailto:Jane.Doe@example.org?subject=Hi", Some("Jane.Doe@example.org")),
            ("mailto:", None),
            ("whatsapp://send?phone=442079460123", Some("whatsapp: +442079460123")),
            ("viber://chat?number=%2B442079460123", Some("viber: +442079460123")),
            ("https://wa.me/442079460123", Some("https://wa.me/442079460123")),
            ("https://wa.me/?text=look", None),
            ("https://t.me/jane_doe", Some("https://t.me/jane_doe")),
            ("https://example.org/contact", None),
            ("javascript:call()", None),
            ("tel:123", None),
        ];
        for (href, want) in cases {
            assert_eq!(contact_text(href).as_deref(), want, "{href}");
        }
    }

    #[test]
    fn links_in_the_chrome_or_related_ads_are_not_the_ads() {
        let doc = Html::parse_document(
            r#"<header><a href="tel:+18005550100">Site line</a></header>
               <article><h1>Ad</h1><p>Text</p><a class="btn" href="tel:+17025550148">Tap to call</a>
               <a href="mailto:jane@example.org">Write</a><a href="tel:+17025550148">Call again</a></article>
               <aside class="related-ads"><a href="tel:+17025550199">Call</a></aside>
               <footer><a href="mailto:support@board.example">Support</a></footer>"#,
        );
        assert_eq!(contact_links(&doc), ["tel: +17025550148", "jane@example.org"]);
    }
}
