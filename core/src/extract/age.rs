//! Stated ages.
//!
//! `value` is the age in years (`22`); the span covers the number and its marker. Accepted forms:
//!
//! - number then marker: `22 years old`, `22 year old`, `22-year-old`, `22 yrs old`, `22yo`, `22 y.o.`,
//!   `22 y/o`, `22yrs`, `22 años` (es), `22 ans` (fr), `22 anos` (pt), `22 tahun` / `22 thn` (id);
//! - marker then number: `age 22`, `aged 22`, `age: 22`, `edad: 22`, `âge : 22`, `idade 22`,
//!   `umur 22`, `usia 22`.
//!
//! Only 14–99 are ages, and never digits that are part of a phone number or price. Without `old`,
//! a count of years is often something else, so these are skipped: ranges (`18-35 años`, `edad 18 a
//! 35` — a job requirement, not a stated age), experience and durations (`15 years of experience`,
//! `20 años de experiencia`, `hace 20 años`, `depuis 15 ans`, `selama 20 tahun`, `30 anos atrás`).
//! `22 anos de idade` and `22 años de edad` are ages.

use regex::Regex;
use std::sync::LazyLock;

use super::{EntityKind, Found, Scan, Spans};

static NUMBER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?-u:\b)(?P<n>\d{2})\ ?(?:-\ ?)?
        (?P<m>years?[\ \-]old|yrs?[\ \-]?old|y\.\ ?o\.?|y/o|yo|yrs?|anos|ans|tahun|thn)
        (?:$|[^a-z0-9])",
    )
    .expect("age pattern compiles")
});

static MARKER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:age|aged|edad|idade|umur|usia)\ {0,2}[:=\-]?\ {0,2}(?P<n>\d{2})(?-u:\b)")
        .expect("age pattern compiles")
});

static RANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d\ *(?:-|~|to|a|hasta|ate|jusqu'a|hingga|sampai|s/d)\ *$").expect("range pattern compiles")
});

static RANGE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\ *(?:-|~|to|a|hasta|ate|jusqu'a|hingga|sampai|s/d)\ *\d").expect("range pattern compiles")
});

static AGE_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\ *(?:de|d')\ *(?:idade|edad|age)").expect("age pattern compiles"));

static NOT_AGE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\ *(?:of|in|de|d'|experience|exp|experiencia|pengalaman|ago|lalu|atras|kerja|working|work|service|servicio)(?-u:\b)",
    )
    .expect("age pattern compiles")
});

const NOT_AGE_BEFORE: &[&str] = &[
    "hace", "depuis", "ha", "durante", "pendant", "selama", "sejak", "for", "over", "since", "desde", "lebih", "dari",
    "plus",
];

/// Records every stated age outside claimed text.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let mut found: Vec<Found> = Vec::new();
    for c in MARKER_FIRST.captures_iter(text) {
        let (Some(all), Some(n)) = (c.get(0), c.name("n")) else { continue };
        if RANGE_AFTER.is_match(&text[n.end()..]) {
            continue;
        }
        push(&scan.taken, &mut found, n.as_str(), all.start(), all.end());
    }
    // `edad: 22 años` matches both patterns: the second keeps out of the first's spans.
    let mut first = Spans::default();
    first.add_all(found.iter().map(|f| (f.start, f.end)));
    for c in NUMBER_FIRST.captures_iter(text) {
        let (Some(n), Some(m)) = (c.name("n"), c.name("m")) else { continue };
        let before = &text[..n.start()];
        let after = &text[m.end()..];
        let mut k = before.len().saturating_sub(16);
        while !before.is_char_boundary(k) {
            k += 1;
        }
        if RANGE_BEFORE.is_match(&before[k..]) {
            continue;
        }
        if !m.as_str().ends_with("old") && !AGE_OF.is_match(after) {
            let prev_word = before.split(|ch: char| !ch.is_alphanumeric()).rfind(|w| !w.is_empty()).unwrap_or("");
            if NOT_AGE_AFTER.is_match(after) || NOT_AGE_BEFORE.contains(&prev_word) {
                continue;
            }
        }
        if !first.overlaps(n.start(), m.end()) {
            push(&scan.taken, &mut found, n.as_str(), n.start(), m.end());
        }
    }
    scan.push_all(found);
}

fn push(taken: &Spans, found: &mut Vec<Found>, n: &str, start: usize, end: usize) {
    let Ok(age) = n.parse::<u8>() else { return };
    if !(14..=99).contains(&age) || taken.overlaps(start, end) {
        return;
    }
    found.push(Found { kind: EntityKind::Age, value: age.to_string(), start, end, obfuscated: false });
}
