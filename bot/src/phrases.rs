//! Whole-word phrase matching on normalised text, shared by the intent rules and the deny-list.
//!
//! Text is folded with `redflag_core::text::Folded` (lowercase, accents removed, look-alike characters
//! made plain) and then reduced to words separated by single spaces: apostrophes vanish (`what's` →
//! `whats`) and every other non-alphanumeric character separates words. Phrases go through the same
//! steps, so `"¿Cuánto   cobras?"` matches the phrase `cuanto cobras`. Matches are mapped back to byte
//! ranges of the text as written, so evidence can quote it.

use redflag_core::text::Folded;

/// A text reduced to folded words, remembering where each byte came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    folded: Folded,
    text: String,
    /// For each byte of `text`, the byte of the folded text it came from.
    map: Vec<usize>,
}

impl Normalized {
    /// Normalises `original`.
    pub fn new(original: &str) -> Normalized {
        let folded = Folded::new(original);
        let mut text = String::with_capacity(folded.len());
        let mut map = Vec::with_capacity(folded.len());
        let mut pending_space: Option<usize> = None;
        for (i, c) in folded.as_str().char_indices() {
            if c.is_alphanumeric() {
                if let Some(at) = pending_space.take()
                    && !text.is_empty()
                {
                    text.push(' ');
                    map.push(at);
                }
                text.push(c);
                map.extend(std::iter::repeat_n(i, c.len_utf8()));
            } else if c == '\'' || c == '\u{2019}' {
                // Apostrophes join: "what's" and "whats" are the same word.
            } else if pending_space.is_none() {
                pending_space = Some(i);
            }
        }
        Normalized { folded, text, map }
    }

    /// The normalised text: folded words separated by single spaces.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the normalised text to a byte range of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.map.is_empty() || end <= start {
            return (0, 0);
        }
        let s = self.map[start.min(self.map.len() - 1)];
        let last = self.map[(end - 1).min(self.map.len() - 1)];
        // `last` is the first folded byte of the last character; cover the whole character.
        let e = self.folded.as_str()[last..].chars().next().map_or(last, |c| last + c.len_utf8());
        self.folded.original_span(s, e)
    }
}

/// Normalises a phrase the way [`Normalized`] normalises text.
pub fn normalize_phrase(phrase: &str) -> String {
    Normalized::new(phrase).text
}

/// A list of phrases, each with a payload, matched as whole words.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    phrases: Vec<(String, T)>,
}

impl<T: Copy> PhraseSet<T> {
    /// A set of phrases; empty phrases (after normalisation) are dropped.
    pub fn new<'a>(items: impl IntoIterator<Item = (&'a str, T)>) -> PhraseSet<T> {
        let phrases = items.into_iter().map(|(p, t)| (normalize_phrase(p), t)).filter(|(p, _)| !p.is_empty()).collect();
        PhraseSet { phrases }
    }

    /// Every whole-word occurrence of every phrase in `text`, as (start, end, payload) in the
    /// normalised text, ordered by position.
    pub fn find_all(&self, text: &Normalized) -> Vec<(usize, usize, T)> {
        let hay = text.as_str();
        let bytes = hay.as_bytes();
        let mut out = Vec::new();
        for (phrase, payload) in &self.phrases {
            for (start, m) in hay.match_indices(phrase.as_str()) {
                let end = start + m.len();
                let before_ok = start == 0 || bytes[start - 1] == b' ';
                let after_ok = end == hay.len() || bytes[end] == b' ';
                if before_ok && after_ok {
                    out.push((start, end, *payload));
                }
            }
        }
        out.sort_by_key(|&(s, e, _)| (s, e));
        out
    }

    /// Whether any phrase occurs in `text`.
    pub fn first(&self, text: &Normalized) -> Option<(usize, usize, T)> {
        self.find_all(text).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_across_case_accents_and_punctuation() {
        let set = PhraseSet::new([("cuanto cobras", 1), ("what's your rate", 2), ("hour", 3)]);
        let text = "¿Cuánto   COBRAS?  Whats your rate… per hours";
        let n = Normalized::new(text);
        let found = set.find_all(&n);
        let quoted: Vec<(&str, i32)> = found
            .iter()
            .map(|&(s, e, p)| {
                let (a, b) = n.original_span(s, e);
                (&text[a..b], p)
            })
            .collect();
        assert_eq!(quoted, [("Cuánto   COBRAS", 1), ("Whats your rate", 2)], "\"hours\" is not the word \"hour\"");
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_words() {
        assert_eq!(Normalized::new("").as_str(), "");
        assert_eq!(Normalized::new("?!… ").as_str(), "");
        assert_eq!(Normalized::new("  hi,there ").as_str(), "hi there");
        assert!(PhraseSet::new([("hi", ())]).first(&Normalized::new("?!")).is_none());
    }
}
