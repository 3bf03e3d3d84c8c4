//! Messenger and social-network handles.
//!
//! `value` is `service:handle`, lowercase, without `@`. Services: `telegram`, `whatsapp`, `instagram`,
//! `snapchat`, `wechat`, `line`, `kik`, `signal`, `twitter`. Accepted forms:
//!
//! - a service name, a connector (`:`, `=`, `-`, `->`, ` is `, ` es `) or an `@`, then a name:
//!   `Telegram: @jane_doe`, `tg @jane_doe`, `IG - jane.doe`, `snap: jane22`, `kik = jane`,
//!   `WeChat ID: jane_w`, `Line ID: jane`. Service names include common short forms: `tg`, `insta`,
//!   `ig`, `snap`, `sc`, `wx`. Without a connector or `@`, `snap jane` is prose and is skipped.
//! - an `@name` with a service named on the same line up to 32 bytes before it or 24 bytes after it:
//!   `find me @jane_doe on telegram`, `@jane (tg)`.
//! - a phone number with WhatsApp, Signal or Telegram named on the same line up to 40 bytes before it
//!   (or 24 after it): `WhatsApp +1 702 555 0148` gives the phone `+17025550148` and the handle
//!   `whatsapp:+17025550148` over the same span. A span holds one handle, so in
//!   `WhatsApp/Telegram: 702…` the name nearest the number (`telegram`) wins. `wa.me/…` links are read in [`super::link_url`].
//! - a bare `@name` with no service nearby becomes `unknown:name`, but only when it looks like a handle
//!   (it has a digit, `_` or `.`) or a contact word (`contact`, `text`, `add`, `follow`, `dm`, …) is within
//!   40 bytes. Plain words after `@` (`@home`, `@night`) are how ads say "at", and are skipped.
//!
//! Names are 2–32 characters of letters, digits, `_`, `.` and `-`, and must contain a letter (numbers go
//! to the phone extractor). The name is what follows the marker; trailing `.` and `-` are dropped.
//! `obfuscated` is never set for handles: writing a handle is not hiding it.

use regex::Regex;
use std::sync::LazyLock;

use super::words::{Service, ServiceMention, char_range, phone_context_positions, service_mentions, service_named};
use super::{EntityKind, Found, Scan, Spans};

static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?-u:\b)(?P<svc>telegram|telegrama|tg|tlgrm|instagram|insta|ig|snapchat|snap|sc|wechat|we\ chat
            |weixin|wx|line|kik|twitter)
        (?:[\ ]{0,2}(?:id|user(?:name)?|handle|name|usuario))?
        (?-u:\b)
        (?P<conn>[\ ]{0,2}(?:[:=]|-+>?|=>)[\ ]{0,2}|[\ ]{1,2}(?:is|es)[\ ]{1,2}|[\ ]{0,2})
        (?P<at>@)?
        (?P<name>[a-z0-9_][a-z0-9_.\-]{1,31})",
    )
    .expect("handle pattern compiles")
});

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^a-z0-9_.@/])@(?P<name>[a-z0-9_](?:[a-z0-9_.]{0,30}[a-z0-9_])?)")
        .expect("mention pattern compiles")
});

/// Words that make a bare `@name` a contact rather than the word "at".
const HANDLE_CONTEXT: &[&str] = &["add", "follow", "dm", "message", "msg", "pm", "find", "sigueme", "segue", "suivez"];

/// Names that follow a service name in prose, not handles.
const NOT_NAMES: &[&str] = &[
    "me",
    "only",
    "and",
    "or",
    "available",
    "disponible",
    "dispo",
    "ok",
    "yes",
    "no",
    "si",
    "sim",
    "ada",
    "the",
    "for",
    "to",
    "and",
    "id",
    "user",
    "username",
];

/// Records handles written next to a service name, and `@name` mentions.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let mut found = Vec::new();
    for c in EXPLICIT.captures_iter(text) {
        let (Some(svc), Some(conn), Some(name)) = (c.name("svc"), c.name("conn"), c.name("name")) else {
            continue;
        };
        let has_at = c.name("at").is_some();
        if !has_at && conn.as_str().trim().is_empty() {
            continue;
        }
        let Some(service) = service_named(svc.as_str()) else { continue };
        let Some(name_str) = clean_name(name.as_str()) else { continue };
        if !service.has_user_names() || NOT_NAMES.contains(&name_str) {
            continue;
        }
        let (start, end) = (svc.start(), name.start() + name_str.len());
        if scan.taken.overlaps(start, end) {
            continue;
        }
        found.push(handle(service.name(), name_str, start, end));
    }
    scan.push_all(found);

    let text = scan.folded.as_str();
    let mentions = service_mentions(text, &scan.urls);
    let mut context: Option<Vec<usize>> = None;
    let mut found = Vec::new();
    for c in MENTION.captures_iter(text) {
        let Some(name) = c.name("name") else { continue };
        let at = name.start() - 1;
        let Some(name_str) = clean_name(name.as_str()) else { continue };
        let end = name.start() + name_str.len();
        if scan.taken.overlaps(at, end) {
            continue;
        }
        let service = nearby_service(text, &mentions, &scan.taken, at, end).filter(|s| s.has_user_names());
        let service = match service {
            Some(s) => s.name(),
            None => {
                let handle_like = name_str.contains(|c: char| c.is_ascii_digit() || c == '_' || c == '.');
                let positions = context.get_or_insert_with(|| contact_positions(text));
                let lo = positions.partition_point(|&p| p + 40 < at);
                let has_context = positions.get(lo).is_some_and(|&p| p <= end + 40);
                if !handle_like && !has_context {
                    continue;
                }
                "unknown"
            }
        };
        found.push(handle(service, name_str, at, end));
    }
    scan.push_all(found);
}

/// Records a handle for every phone number that a phone-based messenger is named next to.
pub(crate) fn scan_phone_handles(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let mentions = service_mentions(text, &scan.urls);
    if mentions.is_empty() {
        return;
    }
    let mut phones: Vec<(usize, usize, String)> =
        scan.found.iter().filter(|f| f.kind == EntityKind::Phone).map(|f| (f.start, f.end, f.value.clone())).collect();
    phones.sort();
    let mut found = Vec::new();
    for (i, (start, end, value)) in phones.iter().enumerate() {
        let prev_end = if i > 0 { phones[i - 1].1 } else { 0 };
        let next_start = phones.get(i + 1).map_or(text.len(), |p| p.0);
        // The phone-based service named nearest before the number on its line ("WhatsApp: …"), else
        // right after it ("… (WhatsApp)"). One span holds one handle, so the nearest name wins.
        let lo = mentions.partition_point(|m| m.end <= start.saturating_sub(40).max(prev_end));
        let before = mentions[lo..]
            .iter()
            .take_while(|m| m.end <= *start)
            .filter(|m| m.service.uses_phone_numbers() && same_line(text, m.end, *start))
            .last();
        let after = || {
            let i = mentions.partition_point(|m| m.start < *end);
            mentions.get(i).filter(|m| {
                m.start <= end + 24
                    && m.start < next_start
                    && m.service.uses_phone_numbers()
                    && same_line(text, *end, m.start)
            })
        };
        let services: Vec<Service> = before.or_else(after).map(|m| m.service).into_iter().collect();
        for s in services {
            found.push(handle(s.name(), value, *start, *end));
        }
    }
    scan.found.extend(found);
}

fn handle(service: &str, name: &str, start: usize, end: usize) -> Found {
    Found { kind: EntityKind::Handle, value: format!("{service}:{name}"), start, end, obfuscated: false }
}

/// Trims the name and checks it is a plausible handle.
fn clean_name(name: &str) -> Option<&str> {
    let name = name.trim_end_matches(['.', '-']);
    let ok = name.len() >= 2 && name.len() <= 32 && name.bytes().any(|b| b.is_ascii_lowercase());
    ok.then_some(name)
}

fn same_line(text: &str, from: usize, to: usize) -> bool {
    let (from, to) = char_range(text, from, to);
    !text[from..to].contains('\n')
}

/// The service named on the same line up to 32 bytes before `start` or 24 bytes after `end`, with no
/// other entity in between (in `telegram: @a, @b`, the name belongs to `@a` only).
fn nearby_service(text: &str, mentions: &[ServiceMention], taken: &Spans, start: usize, end: usize) -> Option<Service> {
    let i = mentions.partition_point(|m| m.end <= start);
    let prev = i
        .checked_sub(1)
        .map(|j| mentions[j])
        .filter(|m| m.end + 32 >= start && same_line(text, m.end, start) && !taken.overlaps(m.end, start));
    if let Some(m) = prev {
        return Some(m.service);
    }
    let next = mentions.get(i).filter(|m| {
        m.start >= end && m.start <= end + 24 && same_line(text, end, m.start) && !taken.overlaps(end, m.start)
    });
    next.map(|m| m.service)
}

/// Positions of words that make a bare `@name` a contact.
fn contact_positions(text: &str) -> Vec<usize> {
    let mut out = phone_context_positions(text);
    for w in HANDLE_CONTEXT {
        let mut from = 0;
        while let Some(i) = text[from..].find(w) {
            let s = from + i;
            if crate::text::is_whole_word(text, s, s + w.len()) {
                out.push(s);
            }
            from = s + w.len();
        }
    }
    out.sort_unstable();
    out
}
