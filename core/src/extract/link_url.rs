//! Links in ad text, and the contacts that messenger links carry.
//!
//! Every URL is claimed first so that the numbers and names inside it (ad ids, tracking codes) are
//! never read as phones, prices or ages. A URL is `http://…`, `https://…`, `www.…`, or `domain.tld/…`
//! with a path; it ends at whitespace, quotes or angle brackets, and trailing punctuation is not part of
//! it. These links also yield entities (`obfuscated` is false: a link is meant to be followed):
//!
//! | link | entities |
//! |---|---|
//! | `wa.me/17025550148`, `api.whatsapp.com/send?phone=17025550148` | phone `+17025550148` (the digits) and handle `whatsapp:+17025550148` (the link) |
//! | `signal.me/#p/+17025550148` | phone and handle `signal:+…` |
//! | `t.me/jane_doe`, `telegram.me/jane_doe` (`t.me/+1702…` is a phone) | handle `telegram:jane_doe` |
//! | `instagram.com/jane.doe`, `instagr.am/jane.doe` | handle `instagram:jane.doe` |
//! | `snapchat.com/add/jane` | handle `snapchat:jane` |
//! | `kik.me/jane` | handle `kik:jane` |
//! | `line.me/ti/p/~jane`, `line.me/R/ti/p/@jane` | handle `line:jane` |
//! | `twitter.com/jane`, `x.com/jane` | handle `twitter:jane` |
//!
//! Link numbers are always international (WhatsApp's own format), whatever the default country.

use regex::Regex;
use std::sync::LazyLock;

use super::phone::resolve_international;
use super::{EntityKind, Found, Scan};

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?:https?://|www\.)[^\s<>"'`]+
        | (?-u:\b)(?:t\.me|telegram\.me|telegram\.dog|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com
            |instagram\.com|instagr\.am|snapchat\.com|kik\.me|line\.me|signal\.me|twitter\.com|x\.com)
            /[^\s<>"'`]*
        | (?-u:\b)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*
            \.(?:com|net|org|info|biz|io|co|me|xxx|ly|ws|cc|tv|us|uk|ca|es|mx|fr|br|pt|id|de|it|nl|ru)
            /[^\s<>"'`]*
        "#,
    )
    .expect("url pattern compiles")
});

static PHONE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:wa\.me|t\.me)/|(?:api\.|web\.)?whatsapp\.com/send/?\?(?:[^#]*&)?phone=|signal\.me/#p/)\+?([0-9]{7,15})(?:$|[^0-9])",
    )
    .expect("phone link pattern compiles")
});

static NAME_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
          (?P<tg>t\.me|telegram\.me|telegram\.dog)/(?P<tgn>[a-z0-9_]{3,32})
        | (?:instagram\.com|instagr\.am)/(?:stories/)?(?P<ign>[a-z0-9_.]{1,30})
        | snapchat\.com/add/(?P<scn>[a-z0-9_.\-]{2,32})
        | kik\.me/(?P<kikn>[a-z0-9_.]{2,32})
        | line\.me/(?:r/)?ti/p/[~@](?P<linen>[a-z0-9_.\-]{2,32})
        | (?:twitter\.com|x\.com)/(?P<twn>[a-z0-9_]{1,15})
        )(?:$|[/?\#])",
    )
    .expect("name link pattern compiles")
});

/// Path segments that are pages of the service, not user names.
const NOT_NAMES: &[&str] = &[
    "joinchat",
    "share",
    "addstickers",
    "addemoji",
    "proxy",
    "socks",
    "iv",
    "s",
    "c",
    "p",
    "reel",
    "reels",
    "explore",
    "accounts",
    "tv",
    "about",
    "legal",
    "home",
    "intent",
    "i",
    "search",
    "hashtag",
    "login",
    "signup",
    "settings",
];

/// Claims every URL and records the entities messenger links carry.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let mut urls = Vec::new();
    let mut found = Vec::new();
    for m in URL.find_iter(text) {
        let start = m.start();
        let raw = m.as_str();
        let end = start + raw.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"']).len();
        if end <= start {
            continue;
        }
        urls.push((start, end));
        let url = &text[start..end];
        let rest_at = start + url_rest_offset(url);
        read_link(&text[rest_at..end], rest_at, start, end, &mut found);
    }
    scan.taken.add_all(urls.iter().copied());
    scan.urls.add_all(urls);
    scan.found.extend(found);
}

/// The offset of the host in a URL (after the scheme and `www.`).
fn url_rest_offset(url: &str) -> usize {
    let mut off = 0;
    for prefix in ["https://", "http://"] {
        if url.starts_with(prefix) {
            off = prefix.len();
            break;
        }
    }
    if url[off..].starts_with("www.") {
        off += 4;
    }
    off
}

fn read_link(rest: &str, rest_at: usize, start: usize, end: usize, found: &mut Vec<Found>) {
    if let Some(c) = PHONE_LINK.captures(rest) {
        let Some(digits) = c.get(1) else { return };
        let Some(e164) = resolve_international(digits.as_str()) else { return };
        let service = if rest.starts_with("signal") {
            "signal"
        } else if rest.starts_with("t.me") {
            "telegram"
        } else {
            "whatsapp"
        };
        found.push(Found {
            kind: EntityKind::Handle,
            value: format!("{service}:{e164}"),
            start,
            end,
            obfuscated: false,
        });
        found.push(Found {
            kind: EntityKind::Phone,
            value: e164,
            start: rest_at + digits.start(),
            end: rest_at + digits.end(),
            obfuscated: false,
        });
        return;
    }
    let Some(c) = NAME_LINK.captures(rest) else { return };
    let pairs = [
        ("tgn", "telegram"),
        ("ign", "instagram"),
        ("scn", "snapchat"),
        ("kikn", "kik"),
        ("linen", "line"),
        ("twn", "twitter"),
    ];
    for (group, service) in pairs {
        if let Some(name) = c.name(group) {
            let name = name.as_str().trim_end_matches(['.', '-']);
            if name.is_empty() || NOT_NAMES.contains(&name) {
                return;
            }
            found.push(Found {
                kind: EntityKind::Handle,
                value: format!("{service}:{name}"),
                start,
                end,
                obfuscated: false,
            });
            return;
        }
    }
}
