//! Negation before a matched phrase: "I don't need help", "no necesito ayuda", "je n'ai pas besoin
//! d'aide".
//!
//! The help rules ([`crate::help`]) and the minor cues ([`crate::intent::Signal::Minor`]) are phrases;
//! a negation word of the phrase's language in the two words right before it, within the same clause,
//! cancels the match ("no" only right before it, since "no, I need help" is not a negation). The
//! clause ends at punctuation, so "No, please help me" is not negated while "no necesito ayuda" is. Phrases that carry their own negation ("not by choice", "no quiero estar
//! aquí", "je ne peux pas partir") are written whole in the rule lists and match as they are; what
//! precedes them is checked the same way. "can't" and its translations are deliberately not negation
//! words here: "I can't leave" and "I can't call the police" are requests for help.

use crate::phrases::Normalized;

/// Negation words by language, written normalised (lowercase, no accents, apostrophes removed).
pub const NEGATIONS: &[(&str, &[&str])] = &[
    ("en", &["not", "dont", "doesnt", "didnt", "never", "no", "nobody", "without", "aint", "isnt", "wasnt"]),
    ("es", &["no", "nunca", "jamas", "tampoco", "ni", "sin"]),
    ("fr", &["pas", "jamais", "plus", "sans", "ni"]),
    ("pt", &["nao", "nunca", "jamais", "nem", "sem"]),
    ("id", &["tidak", "tak", "bukan", "nggak", "gak", "ga", "enggak", "ndak", "jangan", "tanpa", "belum"]),
];

/// How many words before a phrase are looked at.
const WINDOW: usize = 2;

/// Characters that end a clause.
fn ends_clause(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '¿' | '¡' | '\n' | '(' | ')' | '…' | '-' | '"')
}

/// Whether the phrase that starts at byte `start` of `text` is negated by a negation word of `lang`
/// (any supported language when `lang` has no list).
pub fn negated(text: &str, start: usize, lang: &str) -> bool {
    let before = text.get(..start).unwrap_or_default();
    let clause = before.rfind(ends_clause).map_or(before, |i| &before[i..]);
    // Only the last few words matter: keep the normalisation short on long messages.
    let tail_start = clause.char_indices().rev().filter(|(_, c)| c.is_whitespace()).nth(WINDOW + 1).map_or(0, |p| p.0);
    let n = Normalized::new(&clause[tail_start..]);
    let cues: Vec<&str> = match NEGATIONS.iter().find(|(l, _)| *l == lang) {
        Some((_, words)) => words.to_vec(),
        None => NEGATIONS.iter().flat_map(|(_, w)| w.iter().copied()).collect(),
    };
    n.as_str().split(' ').rev().take(WINDOW).enumerate().any(|(i, w)| cues.contains(&w) && (w != "no" || i == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, phrase: &str, lang: &str) -> bool {
        negated(text, text.find(phrase).expect("phrase in text"), lang)
    }

    #[test]
    fn negation_words_right_before_the_phrase_cancel_it() {
        assert!(at("I don't need help", "need help", "en"));
        assert!(at("i really dont really need help", "need help", "en"), "two words back");
        assert!(at("no necesito ayuda", "necesito ayuda", "es"));
        assert!(at("je n'ai pas besoin d'aide", "besoin", "fr"));
        assert!(at("Eu não preciso de ajuda", "preciso", "pt"));
        assert!(at("saya tidak butuh bantuan", "butuh", "id"));
    }

    #[test]
    fn clauses_and_distance_keep_the_phrase() {
        assert!(!at("No, please help me", "please help me", "en"));
        assert!(!at("I need help", "need help", "en"));
        assert!(!at("I don't know what to do, I need help", "need help", "en"));
        assert!(!at("not sure who to ask but i need help", "need help", "en"), "three words back");
        assert!(!at("no i need help", "need help", "en"), "`no` counts only right before");
        assert!(at("no minors please", "minors", "en"));
    }
}
