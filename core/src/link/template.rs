//! Text templates: an ad's words with its varying slots masked, the shingles of what is left, how much
//! each shingle says (text many unrelated posters share says little), and the similarity of two ads.
//!
//! A template is the ad text folded (lowercase, no accents) with its slots masked: contacts (`@`, URLs,
//! e-mail addresses), numbers (digits and spelled-out digits, a run of them as one token), gazetteer
//! cities and capitalised words inside a sentence (names). Its word 5-shingles are hashed to `u32`.
//!
//! # Weights
//!
//! A shingle found in at most [`RARE_DF`] ads of the corpus weighs 1; one found in `df` more ads weighs
//! `sqrt(RARE_DF / df)`, so a standard sentence that 100 employers use weighs 0.28 and site boilerplate on
//! every ad almost nothing, while a network's own text (found in its few dozen ads) keeps most of its
//! weight. Similarity is the weighted Jaccard index of two ads' shingle sets: the weight of what they share
//! over the weight of what either has.

use crate::extract::city::city_spans;
use crate::extract::words::digit_word;
use crate::text::{Folded, truncate_bytes};

/// Texts with fewer words than this (after masking) have no template.
pub const MIN_TEMPLATE_WORDS: usize = 8;

/// A shingle found in at most this many ads weighs 1 (see the module documentation).
pub const RARE_DF: u32 = 8;

/// Words per shingle.
pub(crate) const SHINGLE: usize = 5;
/// Only the start of a long text is compared: templates show in the first paragraphs.
const MAX_TEMPLATE_BYTES: usize = 16 * 1024;

/// What a word of an ad's text is in its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// A phone number, e-mail address, URL or handle.
    Contact,
    /// A number, digits or spelled out (a price, an age, a date).
    Number,
    /// A city from the gazetteer.
    City,
    /// A capitalised word inside a sentence: a name.
    Name,
}

/// One word of a text as a template sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateWord {
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The slot it fills, or `None` for a fixed word of the template.
    pub slot: Option<Slot>,
    /// The hash that stands for it in shingles (equal for every word of one slot kind).
    hash: u64,
}

/// The words of `text` (its first 16 KiB) with their slots, in order. A run of numbers or of cities
/// counts as one word (`702 555 0148` and `7025550148` look alike).
pub fn template_words(text: &str) -> Vec<TemplateWord> {
    let text = truncate_bytes(text, MAX_TEMPLATE_BYTES);
    let folded = Folded::new(text);
    let f = folded.as_str();
    let cities = city_spans(f);
    let mut city_at = 0;
    let mut sentence_start = true;
    let mut out: Vec<TemplateWord> = Vec::new();
    for (start, raw) in split_whitespace_indices(f) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let ends_sentence = raw.ends_with(['.', '!', '?', ':', ';']);
        let at_start = sentence_start;
        sentence_start = ends_sentence;
        if word.is_empty() {
            continue;
        }
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let wstart = start + lead;
        let wend = wstart + word.len();
        while city_at < cities.len() && cities[city_at].1 <= wstart {
            city_at += 1;
        }
        let slot = if raw.contains('@') || raw.contains("://") || raw.starts_with("www.") || raw.contains(".com") {
            Some(Slot::Contact)
        } else if word.contains(|c: char| c.is_ascii_digit()) || digit_word(word).is_some() {
            Some(Slot::Number)
        } else if cities.get(city_at).is_some_and(|c| c.0 <= wstart) {
            Some(Slot::City)
        } else if !at_start && is_capitalised(text, &folded, wstart) {
            Some(Slot::Name)
        } else {
            None
        };
        let (ostart, oend) = folded.original_span(wstart, wend);
        if let (Some(Slot::Number | Slot::City), Some(last)) = (slot, out.last_mut())
            && last.slot == slot
        {
            last.end = oend;
            continue;
        }
        let hash = match slot {
            Some(s) => 0xC0 + s as u64,
            None => word_hash(word),
        };
        out.push(TemplateWord { start: ostart, end: oend, slot, hash });
    }
    out
}

/// The distinct shingle hashes of a text's template, sorted; empty when the text is too short to have
/// a template.
pub fn shingles(text: &str) -> Vec<u32> {
    let words = template_words(text);
    if words.len() < MIN_TEMPLATE_WORDS {
        return Vec::new();
    }
    let mut out: Vec<u32> = words
        .windows(SHINGLE)
        .map(|w| {
            let h = w.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, t| mix(h.rotate_left(23) ^ t.hash));
            (h >> 32) as u32
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The weight of a shingle found in `df` ads (see the module documentation).
pub fn weight(df: u32) -> f32 {
    if df <= RARE_DF { 1.0 } else { (RARE_DF as f32 / df as f32).sqrt() }
}

/// A shingle set with the weight of each shingle, sorted by hash.
#[derive(Debug, Clone, Default)]
pub(crate) struct Weighted {
    pub hashes: Vec<u32>,
    pub weights: Vec<f32>,
    pub total: f32,
}

impl Weighted {
    pub fn new(hashes: Vec<u32>, weight_of: impl Fn(u32) -> f32) -> Weighted {
        let weights: Vec<f32> = hashes.iter().map(|&h| weight_of(h)).collect();
        let total = weights.iter().sum();
        Weighted { hashes, weights, total }
    }
}

/// The least a shared shingle counts towards the shared mass: a long text copied whole links however
/// common it is, while a short one made of common phrases does not.
pub const MASS_FLOOR: f32 = 0.25;

/// Weighted Jaccard similarity of two sets, and the mass they share (their shared weight, each shingle
/// counting at least [`MASS_FLOOR`]).
pub(crate) fn similarity(a: &Weighted, b: &Weighted) -> (f32, f32) {
    let (mut i, mut j, mut shared, mut mass) = (0, 0, 0.0f32, 0.0f32);
    while i < a.hashes.len() && j < b.hashes.len() {
        match a.hashes[i].cmp(&b.hashes[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                // The same shingle has the same weight on both sides.
                shared += a.weights[i];
                mass += a.weights[i].max(MASS_FLOOR);
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.total + b.total - shared;
    if union <= 0.0 { (0.0, 0.0) } else { ((shared / union).clamp(0.0, 1.0), mass) }
}

/// SplitMix64's finaliser: a fast, well-spread 64-bit mix.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whitespace-separated words with their byte offsets.
fn split_whitespace_indices(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let tail = &s[rest..];
        let skip = tail.len() - tail.trim_start().len();
        let start = rest + skip;
        if start >= s.len() {
            return None;
        }
        let len = s[start..].find(char::is_whitespace).unwrap_or(s.len() - start);
        rest = start + len;
        Some((start, &s[start..start + len]))
    })
}

/// Whether the original word at folded offset `at` is written `Capitalised` (not ALL CAPS).
fn is_capitalised(text: &str, folded: &Folded, at: usize) -> bool {
    let (s, _) = folded.original_span(at, at + 1);
    let mut chars = text[s..].chars().take_while(|c| c.is_alphabetic());
    let Some(first) = chars.next() else { return false };
    first.is_uppercase() && chars.any(|c| c.is_lowercase())
}

fn word_hash(word: &str) -> u64 {
    // FNV-1a, then mixed: stable across runs and platforms, unlike `DefaultHasher`.
    let h = word.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3));
    mix(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(text: &str) -> Vec<u64> {
        template_words(text).iter().map(|w| w.hash).collect()
    }

    #[test]
    fn templates_mask_numbers_names_and_cities() {
        let a = hashes("New girl in town. Ask for Jessica in Las Vegas, call 702 555 0148");
        let b = hashes("New girl in town. Ask for Maria in Miami, call seven 0 two five");
        assert_eq!(a, b);
    }

    #[test]
    fn slots_point_at_the_original_words() {
        let text = "Nouvelle à Paris. Demandez Élodie au 06 12 34 56 78 ou écrivez à elo@mail.example";
        let words = template_words(text);
        let slots: Vec<(&str, Slot)> = words.iter().filter_map(|w| Some((&text[w.start..w.end], w.slot?))).collect();
        assert_eq!(
            slots,
            vec![
                ("Paris", Slot::City),
                ("Élodie", Slot::Name),
                ("06 12 34 56 78", Slot::Number),
                ("elo@mail.example", Slot::Contact)
            ]
        );
    }

    #[test]
    fn common_shingles_weigh_less_and_similarity_follows_weight() {
        assert_eq!(weight(1), 1.0);
        assert_eq!(weight(RARE_DF), 1.0);
        assert!((weight(RARE_DF * 4) - 0.5).abs() < 1e-6);
        let a = Weighted::new(vec![1, 2, 3, 4], |h| if h <= 2 { 0.1 } else { 1.0 });
        let b = Weighted::new(vec![1, 2, 5, 6], |h| if h <= 2 { 0.1 } else { 1.0 });
        let (sim, mass) = similarity(&a, &b);
        assert!((mass - 2.0 * MASS_FLOOR).abs() < 1e-6);
        assert!((sim - 0.2 / 4.2).abs() < 1e-6, "{sim}");
        assert_eq!(similarity(&a, &a).0, 1.0);
    }
}
