//! E-mail addresses, written plainly or spelled out to dodge scrapers.
//!
//! `value` is `local@domain`, lowercase. Accepted forms (any case, spaces optional inside brackets):
//!
//! - plain: `jane.doe@mail.example.com`;
//! - bracketed: `jane [at] gmail [dot] com`, `jane(at)gmail(dot)com`, `jane{at}gmail{.}com`,
//!   `jane <at> gmail <dot> com`, `jane [@] gmail.com`, with `arroba` (es/pt), `arobase` (fr) for `at`
//!   and `punto` (es), `ponto` (pt), `point` (fr), `titik` (id) for `dot`;
//! - spaced: `jane @ gmail . com`;
//! - bare words: `jane at gmail dot com` — only when an e-mail context word (`email`, `mail`, `correo`,
//!   `courriel`, `contact`, `kirim`, …) is within about 60 bytes before or 20 after, or the domain is a
//!   well-known mail provider (`gmail`, `hotmail`, `yahoo`, `outlook`, …).
//!
//! Every form but the plain one sets `obfuscated`. Spelled-out forms (brackets, spaces, bare words) also
//! need a common top-level domain (`com`, `net`, `es`, `br`, `id`, …), which keeps prose such as
//! `meet at the bar dot com` out. Accented letters are folded (`josé@…` becomes `jose@…`).

use regex::Regex;
use std::sync::LazyLock;

/// Whether an e-mail address belongs to the site an ad was found on: its domain is the site's host, its
/// registrable domain (`board.example` for `www.board.example`, `board.co.uk` for `jobs.board.co.uk`) or a
/// subdomain of it (`reply.board.example`). Such addresses are the site's relay, reply and support
/// addresses, not the ad's contact.
pub fn on_site_domain(email: &str, site_host: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else { return false };
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let host = site_host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() || !host.contains('.') {
        return false;
    }
    let site = registrable_domain(&host);
    domain == host || domain == site || domain.ends_with(&format!(".{site}"))
}

/// The registrable domain of a host: its last two labels, or three when the second-to-last is a common
/// second-level label under a country code (`co.uk`, `com.au`, `gouv.fr`).
pub fn registrable_domain(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n <= 2 {
        return labels.join(".");
    }
    let second = labels[n - 2];
    let keep = if labels[n - 1].len() == 2
        && matches!(
            second,
            "co" | "com" | "org" | "net" | "ac" | "gov" | "gouv" | "edu" | "ltd" | "plc" | "or" | "ne" | "go"
        ) {
        3
    } else {
        2
    };
    labels[n - keep.min(n)..].join(".")
}

use super::words::{COMMON_TLDS, MAIL_PROVIDERS, has_email_context};
use super::{EntityKind, Found, Scan};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:^|[^a-z0-9._%+\-])
        (?P<local>[a-z0-9](?:[a-z0-9._%+\-]{0,62}[a-z0-9_])?)
        (?P<at>
            @
          | [\ ]{0,3}@[\ ]{0,3}
          | [\ ]{0,3}[\[(\{<][\ ]{0,2}(?:at|@|arroba|arobase)[\ ]{0,2}[\])\}>][\ ]{0,3}
          | [\ ]{1,3}(?:at|arroba|arobase)[\ ]{1,3}
        )
        (?P<domain>
            [a-z0-9][a-z0-9\-]{0,62}
            (?:
                (?:
                    \.
                  | [\ ]{0,3}[\[(\{<][\ ]{0,2}(?:dot|punto|ponto|point|titik|\.)[\ ]{0,2}[\])\}>][\ ]{0,3}
                  | [\ ]{1,3}(?:dot|punto|ponto|point|titik)[\ ]{1,3}
                  | [\ ]{1,3}\.[\ ]{1,3}
                )
                [a-z0-9][a-z0-9\-]{0,62}
            ){1,4}
        )
        (?-u:\b)",
    )
    .expect("e-mail pattern compiles")
});

static DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
          [\ ]*[\[(\{<][\ ]*(?:dot|punto|ponto|point|titik|\.)[\ ]*[\])\}>][\ ]*
        | [\ ]+(?:dot|punto|ponto|point|titik)[\ ]+
        | [\ ]*\.[\ ]*",
    )
    .expect("dot pattern compiles")
});

/// Records every e-mail address outside claimed text.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let mut found = Vec::new();
    for c in EMAIL.captures_iter(text) {
        let (Some(local), Some(at), Some(domain)) = (c.name("local"), c.name("at"), c.name("domain")) else {
            continue;
        };
        let start = local.start();
        if scan.taken.overlaps(start, domain.end()) {
            continue;
        }
        let dom = domain.as_str();
        // Labels with their ends inside the domain, so a trailing non-domain word can be cut off.
        let mut labels: Vec<(&str, usize)> = Vec::new();
        let mut from = 0;
        for d in DOT.find_iter(dom) {
            labels.push((&dom[from..d.start()], d.start()));
            from = d.end();
        }
        labels.push((&dom[from..], dom.len()));
        let plain_at = at.as_str() == "@";
        let plain_domain = !dom.contains([' ', '[', '(', '{', '<']);
        let spelled = !plain_at || !plain_domain;
        let is_tld = |l: &str| l.len() >= 2 && l.bytes().all(|b| b.is_ascii_lowercase());
        let keep = if spelled {
            // Spelled-out addresses must end in a common top-level domain; `jane at gmail dot com. meet`
            // keeps `gmail.com`.
            (2..=labels.len()).rev().find(|&k| COMMON_TLDS.contains(&labels[k - 1].0))
        } else {
            is_tld(labels[labels.len() - 1].0).then_some(labels.len())
        };
        let Some(keep) = keep else { continue };
        let end = domain.start() + labels[keep - 1].1;
        let labels: Vec<&str> = labels[..keep].iter().map(|l| l.0).collect();
        let kept = &text[domain.start()..end];
        let bare_at = matches!(at.as_str().trim(), "at" | "arroba" | "arobase");
        let bare_dot = kept.split(' ').any(|w| matches!(w, "dot" | "punto" | "ponto" | "point" | "titik"))
            && !kept.contains(['[', '(', '{', '<']);
        if bare_at || bare_dot {
            let provider = labels.first().is_some_and(|l| MAIL_PROVIDERS.contains(l));
            if !provider && !has_email_context(text, start.saturating_sub(60), end + 20) {
                continue;
            }
        }
        let value = format!("{}@{}", local.as_str(), labels.join("."));
        if value.len() > 254 {
            continue;
        }
        let obfuscated = !plain_at || kept.contains([' ', '[', '(', '{', '<']);
        found.push(Found { kind: EntityKind::Email, value, start, end, obfuscated });
    }
    scan.push_all(found);
}
