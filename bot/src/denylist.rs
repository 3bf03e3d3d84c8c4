//! The words the bot must never say.
//!
//! Decoy replies stay short and non-graphic: they never describe bodies or acts, never offer photos, and
//! never agree to anything. This list is the machine-checked part of that rule: a persona file whose
//! text contains one of these words (in any supported language, as a whole word, ignoring case and
//! accents) is refused at load time, and the tests check every reply the engine produces against it.
//! It is deliberately broad: a false alarm only makes an operator reword a line.

use std::sync::LazyLock;

use crate::phrases::{Normalized, PhraseSet};

/// The deny-list, by language. Whole words, compared after folding.
pub const DENIED_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "naked", "nude", "nudes", "lingerie", "kiss", "kisses", "kissing", "bed", "bedroom", "body", "bodies",
            "touch", "touching", "intimate", "explicit", "sexy", "horny", "pics", "photo", "photos", "video", "videos",
            "undress", "massage",
        ],
    ),
    (
        "es",
        &[
            "desnuda", "desnudo", "lenceria", "beso", "besos", "cama", "cuerpo", "intimo", "intima", "caliente",
            "fotos", "foto", "video", "masaje",
        ],
    ),
    ("fr", &["nue", "lingerie", "bisou", "bisous", "lit", "corps", "intime", "coquine", "photos", "video", "massage"]),
    ("pt", &["nua", "pelada", "lingerie", "beijo", "beijos", "cama", "corpo", "intimo", "intima", "fotos", "massagem"]),
    ("id", &["telanjang", "bugil", "cium", "ciuman", "ranjang", "kasur", "tubuh", "seksi", "foto", "pijat"]),
];

static DENIED: LazyLock<PhraseSet<&'static str>> =
    LazyLock::new(|| PhraseSet::new(DENIED_WORDS.iter().flat_map(|(_, words)| words.iter().map(|w| (*w, *w)))));

/// The first denied word in `text`, if any.
pub fn denied_word(text: &str) -> Option<&'static str> {
    DENIED.first(&Normalized::new(text)).map(|(_, _, w)| w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_denied_words_whatever_the_case_or_accents() {
        assert_eq!(denied_word("Send me a PHOTO"), Some("photo"));
        assert_eq!(denied_word("una lencería bonita"), Some("lenceria"));
        assert_eq!(denied_word("Hi, yes I'm available this week. Where are you staying?"), None);
        assert_eq!(denied_word("somebody"), None, "whole words only");
    }
}
