//! Text features: hashed word n-grams of each field, missing-field markers and flags.
//!
//! Every field is tokenised into lowercase words, word 1..n-grams are hashed with a per-field seed into
//! one fixed-size space (the hashing trick, so no vocabulary is stored), and the main text fields are
//! hashed a second time under a shared seed so that a phrase counts wherever it appears. Features are
//! binary and each ad's vector is scaled to unit length. Contacts and links are replaced by placeholder
//! words (`xemailx`, `xurlx`, `xphonex`) first, the same way the EMSCAD dataset masks them, so that a
//! model trained on masked text reads unmasked ads alike.
//!
//! Hashing is our own (FNV-1a plus a SplitMix64 finaliser) so that a model trained on one machine
//! reads identically on every other one and across Rust versions.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use crate::data::JobRecord;
use crate::gloss;

/// How text becomes features; stored with a model so that scoring repeats training exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureConfig {
    /// The hash space has `2^hash_bits` buckets.
    pub hash_bits: u32,
    /// Longest word n-gram.
    pub ngram_max: u32,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        Self { hash_bits: 18, ngram_max: 3 }
    }
}

impl FeatureConfig {
    /// The number of hash buckets.
    pub fn dim(&self) -> usize {
        1usize << self.hash_bits
    }
}

/// Contacts and links, replaced by placeholder words before tokenising.
static SPECIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?P<masked>#(?:url|email|phone)_[0-9a-f]+#)",
        r"|(?P<email>[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})",
        r"|(?P<url>(?:https?://|www\.)[^\s<>]+)",
        r"|(?P<phone>\+?[0-9][0-9 ().\-]{6,}[0-9])",
    ))
    .expect("static regex compiles")
});

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// SplitMix64's finaliser: spreads the bits of `x` so that nearby inputs land far apart.
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over bytes.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn seed(name: &str) -> u64 {
    mix(fnv1a(name.as_bytes()))
}

/// Appends the hashes of the lowercase words of `text` to `out`.
pub(crate) fn word_hashes(text: &str, out: &mut Vec<u64>) {
    for_each_word(text, |h, _, _| out.push(h));
}

/// Calls `f` with the hash and byte span of every word of `text`, in order: lowercase words, with
/// contacts and links as one placeholder word each (spanning the whole contact). The one tokeniser
/// of the text features, the known-ad memory and the explanations.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(u64, usize, usize)) {
    let mut last = 0;
    for m in SPECIAL.captures_iter(text) {
        let whole = m.get(0).expect("group 0 always matches");
        let placeholder = if m.name("masked").is_some() {
            let s = whole.as_str().to_ascii_lowercase();
            if s.starts_with("#url") {
                "xurlx"
            } else if s.starts_with("#email") {
                "xemailx"
            } else {
                "xphonex"
            }
        } else if m.name("email").is_some() {
            "xemailx"
        } else if m.name("url").is_some() {
            "xurlx"
        } else {
            // Number ranges and dates look like phones to the pattern; a phone has at least 8 digits.
            if !looks_like_phone(whole.as_str()) {
                continue;
            }
            "xphonex"
        };
        plain_words(&text[last..whole.start()], last, &mut f);
        f(fnv1a(placeholder.as_bytes()), whole.start(), whole.end());
        last = whole.end();
    }
    plain_words(&text[last..], last, &mut f);
}

/// A contact found in text, masked by the dataset (`#EMAIL_…#`) or written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// A link.
    Url,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
}

/// The contacts of a text, in order, recognised the same way as when it is tokenised.
pub fn contact_kinds(text: &str) -> impl Iterator<Item = Contact> + '_ {
    SPECIAL.captures_iter(text).filter_map(|m| {
        let whole = m.get(0).expect("group 0 always matches").as_str();
        if m.name("masked").is_some() {
            let s = whole.to_ascii_lowercase();
            Some(if s.starts_with("#url") {
                Contact::Url
            } else if s.starts_with("#email") {
                Contact::Email
            } else {
                Contact::Phone
            })
        } else if m.name("email").is_some() {
            Some(Contact::Email)
        } else if m.name("url").is_some() {
            Some(Contact::Url)
        } else if looks_like_phone(whole) {
            Some(Contact::Phone)
        } else {
            None
        }
    })
}

/// Number ranges and dates match the phone pattern too; a phone has at least 8 digits and is not a
/// pair of years ("2014 - 2015").
fn looks_like_phone(s: &str) -> bool {
    if s.bytes().filter(u8::is_ascii_digit).count() < 8 {
        return false;
    }
    let groups: Vec<&str> = s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    !(groups.len() == 2 && groups.iter().all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"))))
}

fn plain_words(text: &str, base: usize, f: &mut impl FnMut(u64, usize, usize)) {
    let mut h = FNV_OFFSET;
    let mut start = None;
    let mut buf = [0u8; 4];
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            if c.is_ascii() {
                h ^= u64::from(c.to_ascii_lowercase() as u8);
                h = h.wrapping_mul(FNV_PRIME);
            } else {
                for lc in c.to_lowercase() {
                    for b in lc.encode_utf8(&mut buf).as_bytes() {
                        h ^= u64::from(*b);
                        h = h.wrapping_mul(FNV_PRIME);
                    }
                }
            }
        } else if let Some(st) = start.take() {
            f(h, base + st, base + i);
            h = FNV_OFFSET;
        }
    }
    if let Some(st) = start {
        f(h, base + st, base + text.len());
    }
}

/// Collects the buckets of one ad.
pub(crate) struct RowBuilder {
    cfg: FeatureConfig,
    mask: u64,
    buckets: Vec<u32>,
    words: Vec<u64>,
}

/// The seed of the shared ("any field") n-grams.
const SHARED: &str = "any";

impl RowBuilder {
    pub(crate) fn new(cfg: FeatureConfig) -> Self {
        Self { cfg, mask: (cfg.dim() as u64) - 1, buckets: Vec::with_capacity(2048), words: Vec::with_capacity(1024) }
    }

    fn push(&mut self, h: u64) {
        self.buckets.push((mix(h) & self.mask) as u32);
    }

    /// Adds a text field: its n-grams under the field's seed, and also under the shared seed when
    /// `shared`; a marker when the field is empty.
    pub(crate) fn text_field(&mut self, field: &str, text: &str, shared: bool) {
        self.words.clear();
        let mut words = std::mem::take(&mut self.words);
        word_hashes(text, &mut words);
        self.field_words(field, words, shared);
    }

    /// [`RowBuilder::text_field`] for a text in `lang`, glossed into English first when the gloss
    /// covers the language (see [`crate::gloss`]).
    pub(crate) fn glossed_text_field(&mut self, field: &str, text: &str, lang: &str) {
        let mut spans = Vec::new();
        gloss::bundled().words(Some(lang), text, &mut spans);
        self.words.clear();
        let mut words = std::mem::take(&mut self.words);
        words.extend(spans.iter().map(|w| w.0));
        self.field_words(field, words, true);
    }

    fn field_words(&mut self, field: &str, words: Vec<u64>, shared: bool) {
        let fseed = seed(field);
        if words.is_empty() {
            self.push(fseed ^ seed("__missing__"));
            self.words = words;
            return;
        }
        let sseed = seed(SHARED);
        for_each_ngram(&words, self.cfg.ngram_max, |g| {
            self.push(g ^ fseed);
            if shared {
                self.push(g ^ sseed);
            }
        });
        self.words = words;
    }

    /// Adds the n-grams of a text under the shared seed only: a phrase counts the same in any field,
    /// and an empty text adds nothing.
    pub(crate) fn shared_text(&mut self, text: &str) {
        self.words.clear();
        let mut words = std::mem::take(&mut self.words);
        word_hashes(text, &mut words);
        let sseed = seed(SHARED);
        for_each_ngram(&words, self.cfg.ngram_max, |g| self.push(g ^ sseed));
        self.words = words;
    }

    /// Adds a yes/no flag; `None` (unknown) adds nothing.
    pub(crate) fn flag(&mut self, name: &str, value: Option<bool>) {
        if let Some(v) = value {
            self.push(seed(name) ^ if v { 0x5151 } else { 0xa0a0 });
        }
    }

    /// The sorted, de-duplicated buckets.
    pub(crate) fn finish(mut self) -> Vec<u32> {
        self.buckets.sort_unstable();
        self.buckets.dedup();
        self.buckets
    }
}

/// The features of an ad known only by title and body (crawled ads, pasted text).
pub fn text_row(cfg: FeatureConfig, title: &str, body: &str) -> Vec<u32> {
    let mut b = RowBuilder::new(cfg);
    b.text_field("title", title, true);
    b.text_field("body", body, true);
    b.finish()
}

/// [`text_row`] of an ad written in `lang`: Spanish, French, Portuguese and Indonesian text is
/// glossed into the English words the weights were trained on (see [`crate::gloss`]); any other
/// language (and `None`) is hashed as written.
pub fn text_row_in(cfg: FeatureConfig, title: &str, body: &str, lang: Option<&str>) -> Vec<u32> {
    let Some(lang) = lang.filter(|l| gloss::bundled().covers(l)) else { return text_row(cfg, title, body) };
    let mut b = RowBuilder::new(cfg);
    b.glossed_text_field("title", title, lang);
    b.glossed_text_field("body", body, lang);
    b.finish()
}

/// The first-stage features of a stacked job head: the text of a record (title, company profile,
/// description, requirements, benefits), as a crawled page would read; the structured columns go
/// to the combiner instead (see [`crate::combiner`]).
pub fn stacked_record_row(cfg: FeatureConfig, rec: &JobRecord) -> Vec<u32> {
    stacked_record_parts(cfg, rec, None)
}

/// [`stacked_record_row`], also appending every word hash of the record's text to `words` when
/// given (the known-ad memory reads the same words; one pass serves both).
pub(crate) fn stacked_record_parts(cfg: FeatureConfig, rec: &JobRecord, mut words: Option<&mut Vec<u64>>) -> Vec<u32> {
    let mut b = RowBuilder::new(cfg);
    for text in stacked_texts(rec) {
        b.shared_text(text);
        if let Some(w) = words.as_deref_mut() {
            w.extend_from_slice(&b.words);
        }
    }
    b.finish()
}

/// The text columns a stacked head reads, in order: title, company profile, description,
/// requirements, benefits (absent ones skipped).
pub(crate) fn stacked_texts(rec: &JobRecord) -> impl Iterator<Item = &String> {
    [
        Some(&rec.title),
        rec.company_profile.as_ref(),
        rec.description.as_ref(),
        rec.requirements.as_ref(),
        rec.benefits.as_ref(),
    ]
    .into_iter()
    .flatten()
}

/// The features of a job ad with the structured fields of the EMSCAD dataset.
pub fn record_row(cfg: FeatureConfig, rec: &JobRecord) -> Vec<u32> {
    let mut b = RowBuilder::new(cfg);
    b.text_field("title", &rec.title, true);
    for (name, value, shared) in [
        ("location", &rec.location, false),
        ("department", &rec.department, false),
        ("salary_range", &rec.salary_range, false),
        ("company_profile", &rec.company_profile, true),
        ("description", &rec.description, true),
        ("requirements", &rec.requirements, true),
        ("benefits", &rec.benefits, true),
        ("employment_type", &rec.employment_type, false),
        ("required_experience", &rec.required_experience, false),
        ("required_education", &rec.required_education, false),
        ("industry", &rec.industry, false),
        ("function", &rec.function, false),
    ] {
        // `None` means the column is absent from the file: nothing is known, so nothing is added.
        if let Some(v) = value {
            b.text_field(name, v, shared);
        }
    }
    b.flag("telecommuting", rec.telecommuting);
    b.flag("has_company_logo", rec.has_company_logo);
    b.flag("has_questions", rec.has_questions);
    b.finish()
}

/// How a head hashes an ad's title and body into its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowLayout {
    /// [`text_row`]: each field under its own seed and under the shared one.
    Fields,
    /// [`stacked_record_row`]: every text under the shared seed only.
    Shared,
}

/// Calls `f(start, end, buckets)` for every word n-gram of `text` (the field `field` of a row built as
/// `layout` says, glossed from `lang` as [`text_row_in`] does): its byte span in `text` and the
/// buckets it sets, exactly as the row builders hash it.
pub(crate) fn for_each_ngram_span(
    cfg: FeatureConfig,
    layout: RowLayout,
    field: &str,
    text: &str,
    lang: Option<&str>,
    mut f: impl FnMut(usize, usize, &[u32]),
) {
    let mask = (cfg.dim() as u64) - 1;
    let (fseed, sseed) = (seed(field), seed(SHARED));
    let mut words = Vec::new();
    gloss::bundled().words(lang, text, &mut words);
    let nmax = cfg.ngram_max.max(1) as usize;
    let mut buckets = [0u32; 2];
    for i in 0..words.len() {
        let mut g = 0u64;
        for n in 0..nmax {
            let Some(&(w, _, end)) = words.get(i + n) else { break };
            g = mix(g.rotate_left(23) ^ w ^ (n as u64 + 1));
            let used = match layout {
                RowLayout::Fields => {
                    buckets = [(mix(g ^ fseed) & mask) as u32, (mix(g ^ sseed) & mask) as u32];
                    2
                }
                RowLayout::Shared => {
                    buckets[0] = (mix(g ^ sseed) & mask) as u32;
                    1
                }
            };
            f(words[i].1, end, &buckets[..used]);
        }
    }
}

/// Calls `f` with the hash of every word n-gram of `words`, 1 to `ngram_max` words long, in order of
/// start position and then length (unseeded: callers mix in the field's seed).
fn for_each_ngram(words: &[u64], ngram_max: u32, mut f: impl FnMut(u64)) {
    let nmax = ngram_max.max(1) as usize;
    for i in 0..words.len() {
        let mut g = 0u64;
        for n in 0..nmax {
            let Some(w) = words.get(i + n) else { break };
            g = mix(g.rotate_left(23) ^ *w ^ (n as u64 + 1));
            f(g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<u64> {
        let mut v = Vec::new();
        word_hashes(s, &mut v);
        v
    }

    #[test]
    fn ngram_spans_hash_as_the_rows_do() {
        let cfg = FeatureConfig::default();
        let (title, body) = ("Data entry clerk", "Pay the training fee of $50 by e-mail jo@gmail.com today.");
        let mut got = Vec::new();
        for (field, text) in [("title", title), ("body", body)] {
            for_each_ngram_span(cfg, RowLayout::Fields, field, text, None, |s, e, b| {
                assert!(s < e && e <= text.len());
                got.extend_from_slice(b);
            });
        }
        got.sort_unstable();
        got.dedup();
        assert_eq!(got, text_row(cfg, title, body));
        let mut spans = Vec::new();
        for_each_ngram_span(cfg, RowLayout::Shared, "body", body, None, |s, e, _| spans.push(&body[s..e]));
        assert!(spans.contains(&"training fee"));
        assert!(spans.contains(&"jo@gmail.com"), "a contact is one word spanning the whole contact");
    }

    #[test]
    fn words_are_case_insensitive_and_split_on_punctuation() {
        assert_eq!(words("Data ENTRY, clerk."), words("data entry clerk"));
        assert_eq!(words("ÉTÉ"), words("été"));
        assert_eq!(words("").len(), 0);
    }

    #[test]
    fn contacts_become_the_dataset_placeholders() {
        assert_eq!(words("mail jo@gmail.com now"), words("mail #EMAIL_0a1b2c# now"));
        assert_eq!(words("see https://x.example/a?b"), words("see #URL_ff00#"));
        assert_eq!(words("call +1 702 555 0148"), words("call #PHONE_abc#"));
        // A number range is not a phone.
        assert_eq!(words("2014 - 2015").len(), 2);
    }

    #[test]
    fn rows_are_sorted_unique_and_field_specific() {
        let cfg = FeatureConfig { hash_bits: 12, ngram_max: 2 };
        let a = text_row(cfg, "Driver", "Driver wanted");
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert!(a.iter().all(|b| (*b as usize) < cfg.dim()));
        let b = text_row(cfg, "Driver wanted", "Driver");
        assert_ne!(a, b, "the same words in other fields give other features");
        assert_eq!(a, text_row(cfg, "Driver", "Driver wanted"), "hashing is deterministic");
    }

    #[test]
    fn hashing_is_stable_across_builds() {
        // A model trained elsewhere must read the same buckets: pin one value.
        assert_eq!(fnv1a(b"redflag"), 0x54bc_0664_107c_3c46);
    }
}
