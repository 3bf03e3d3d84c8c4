//! Entities in ad text: phone numbers, e-mail addresses, messenger handles, prices, ages and cities.
//!
//! Ad text is written to dodge exactly this kind of extraction, so each extractor decodes the usual
//! obfuscations (digits spelled out, look-alike letters, odd separators) and says when it had to.
//! The forms each extractor accepts are listed in its module: [`phone`], [`email`], [`handle`],
//! [`price`], [`age`], [`city`]; links (`wa.me/…`, `t.me/…`) are read by [`link_url`].
//!
//! # How a text is scanned
//!
//! Only the first [`MAX_SCAN_BYTES`] bytes are read, so one call costs at most a few milliseconds
//! whatever the input. The text is folded once ([`crate::text::Folded`]: lowercase, accents removed,
//! fullwidth and keycap digits made plain, invisible characters dropped) and every extractor matches the
//! folded copy; offsets are mapped back, so `&text[e.start..e.end] == e.raw` always holds. Extractors run
//! in a fixed order — links, e-mails, handles, phones, prices, ages, cities — and each skips text an
//! earlier one claimed, so a phone number is never also a price or an age, and the digits of a URL are
//! never a phone number.
//!
//! Extraction never fails and never panics: malformed text simply yields fewer entities.

use serde::{Deserialize, Serialize};

use crate::text::{Folded, truncate_bytes};

pub mod age;
pub mod city;
pub mod email;
pub mod handle;
pub mod link_url;
pub mod phone;
pub mod price;
pub(crate) mod words;

pub use city::city_country;
pub use price::parse_price_in;

/// How much of a text [`extract`] reads: the first 64 KiB (cut at a character boundary). Real ads are a
/// few kilobytes; the cap bounds the work an abusive page can cause.
pub const MAX_SCAN_BYTES: usize = 64 * 1024;

/// What an [`Entity`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A phone number; `value` is E.164 (`+17025550148`).
    Phone,
    /// An e-mail address; `value` is lowercase `local@domain`.
    Email,
    /// A messenger or social handle; `value` is `service:handle`, e.g. `telegram:jane_doe`.
    Handle,
    /// A price or pay figure; `value` is `AMOUNT CURRENCY[/UNIT]`, e.g. `200 USD/hour`.
    Price,
    /// A stated age in years; `value` is the number.
    Age,
    /// A city from the built-in gazetteer; `value` is its canonical name.
    City,
}

impl EntityKind {
    /// The lowercase name used in the store and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Phone => "phone",
            EntityKind::Email => "email",
            EntityKind::Handle => "handle",
            EntityKind::Price => "price",
            EntityKind::Age => "age",
            EntityKind::City => "city",
        }
    }
}

/// One entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// The normalised value (see [`EntityKind`] for each kind's form); equal values mean the same entity.
    pub value: String,
    /// The text as written.
    pub raw: String,
    /// Byte offset of the start of `raw` in the text given to [`extract`].
    pub start: usize,
    /// Byte offset one past the end of `raw`.
    pub end: usize,
    /// True when the text hid the entity (spelled-out digits, look-alike letters, `[at]`, …).
    pub obfuscated: bool,
}

/// A parsed price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// The amount in the currency's main unit.
    pub amount: f64,
    /// ISO 4217 code when the text named or implied a currency.
    pub currency: Option<String>,
    /// The period or unit the price is for: `hour`, `day`, `week`, `month`, `year`, `visit`.
    pub per: Option<String>,
    /// The top of a range (`$24 to $26/hr`: `amount` 24, `max` 26), in the same currency and period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Options for [`extract`].
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// ISO 3166-1 alpha-2 region used for phone numbers written without a country code (e.g. `US`).
    pub default_country: Option<String>,
}

/// Whether an e-mail domain is a free mail provider's (`gmail.com`, `yahoo.fr`, `outlook.com`, …), where
/// anyone can open an address.
pub fn is_mail_provider(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2 && labels[..labels.len() - 1].iter().any(|l| words::MAIL_PROVIDERS.contains(l))
}

/// Everything [`extract`] found, in order of position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// The entities, sorted by `start`.
    pub entities: Vec<Entity>,
}

impl Extracted {
    /// The entities of one kind, in order of position.
    pub fn of_kind(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }

    /// The distinct normalised values of one kind, in order of first appearance.
    pub fn values(&self, kind: EntityKind) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in self.of_kind(kind) {
            if !out.contains(&e.value) {
                out.push(e.value.clone());
            }
        }
        out
    }

    /// Whether any phone, e-mail or handle was obfuscated.
    pub fn has_obfuscated_contact(&self) -> bool {
        self.entities
            .iter()
            .any(|e| e.obfuscated && matches!(e.kind, EntityKind::Phone | EntityKind::Email | EntityKind::Handle))
    }
}

/// Finds every entity in `text` (its first [`MAX_SCAN_BYTES`] bytes), sorted by position.
///
/// Two entities of different kinds may share a span: a WhatsApp number is both a `phone` and a
/// `whatsapp:` handle. Entities of the same kind never share a span.
pub fn extract(text: &str, opts: &ExtractOptions) -> Extracted {
    let text = truncate_bytes(text, MAX_SCAN_BYTES);
    let mut scan = Scan::new(text, opts);
    link_url::scan(&mut scan);
    email::scan(&mut scan);
    handle::scan(&mut scan);
    phone::scan(&mut scan);
    handle::scan_phone_handles(&mut scan);
    price::scan(&mut scan);
    age::scan(&mut scan);
    city::scan(&mut scan);
    scan.finish()
}

/// Parses a price as written (`"$200/hr"`, `"2.500 € al mes"`, `"Rp 5 juta per bulan"`).
///
/// A bare `$` is read as US dollars; use [`parse_price_in`] to read it in a country's currency. A
/// number with no currency (`"200/hr"`) parses with `currency: None`.
pub fn parse_price(text: &str) -> Option<Price> {
    parse_price_in(text, None)
}

/// An entity found in the folded text, before its span is mapped back.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub kind: EntityKind,
    pub value: String,
    pub start: usize,
    pub end: usize,
    pub obfuscated: bool,
}

/// Sorted, merged byte ranges of the folded text that an extractor has claimed.
#[derive(Debug, Default)]
pub(crate) struct Spans {
    ranges: Vec<(usize, usize)>,
}

impl Spans {
    /// Whether `start..end` overlaps any claimed range.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        let i = self.ranges.partition_point(|&(_, e)| e <= start);
        i < self.ranges.len() && self.ranges[i].0 < end.max(start + 1)
    }

    /// The end of the claimed range containing `pos`, if any.
    pub fn claimed_until(&self, pos: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|&(_, e)| e <= pos);
        self.ranges.get(i).filter(|r| r.0 <= pos).map(|r| r.1)
    }

    /// The start of the first claimed range beginning at or after `pos`.
    pub fn next_start(&self, pos: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|&(s, _)| s < pos);
        self.ranges.get(i).map(|r| r.0)
    }

    /// Claims all of `new` at once (sorting and merging once per batch keeps this linear-ish).
    pub fn add_all(&mut self, new: impl IntoIterator<Item = (usize, usize)>) {
        self.ranges.extend(new.into_iter().filter(|&(s, e)| s < e));
        self.ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.ranges.len());
        for &(s, e) in &self.ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.ranges = merged;
    }
}

/// The state of one [`extract`] call, shared by the extractors.
pub(crate) struct Scan<'a> {
    pub original: &'a str,
    pub folded: Folded,
    /// `ExtractOptions::default_country`, uppercased.
    pub country: Option<String>,
    pub found: Vec<Found>,
    /// Ranges no later extractor may use.
    pub taken: Spans,
    /// The URLs among them.
    pub urls: Spans,
}

impl<'a> Scan<'a> {
    fn new(original: &'a str, opts: &ExtractOptions) -> Scan<'a> {
        let country = opts
            .default_country
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        Scan {
            original,
            folded: Folded::new(original),
            country,
            found: Vec::new(),
            taken: Spans::default(),
            urls: Spans::default(),
        }
    }

    /// Records entities and claims their spans.
    pub fn push_all(&mut self, found: Vec<Found>) {
        self.taken.add_all(found.iter().map(|f| (f.start, f.end)));
        self.found.extend(found);
    }

    fn finish(self) -> Extracted {
        let mut entities: Vec<Entity> = self
            .found
            .into_iter()
            .filter(|f| f.start < f.end)
            .map(|f| {
                let (start, end) = self.folded.original_span(f.start, f.end);
                Entity {
                    kind: f.kind,
                    value: f.value,
                    raw: self.original[start..end].to_string(),
                    start,
                    end,
                    obfuscated: f.obfuscated,
                }
            })
            .collect();
        entities.sort_by_key(|e| (e.start, e.end, e.kind));
        entities.dedup_by(|b, a| a.kind == b.kind && a.start == b.start && a.end == b.end);
        Extracted { entities }
    }
}
