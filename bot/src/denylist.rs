//! The words the bot must never say, in every form.
//!
//! Decoy replies stay short and non-graphic: they never describe bodies or acts, never offer photos, and
//! never agree to anything. This list is the machine-checked part of that rule. It is enforced twice: a
//! persona file whose text contains a denied word is refused at load time, and the service checks every
//! message it is about to send in its own voice (persona replies, deterrence, help, opt-out notices)
//! and refuses to send one that contains a denied word ([`crate::Service`]).
//!
//! Entries are stems with the inflections of their language: a word of a text is denied when it is a
//! stem, optionally after one of the language's prefixes and followed by one of its suffixes, so
//! `massage` also catches `massages` and `massaging`, `pic` catches `pics`, `foto` catches `fotos` and
//! `fotito`, and `cium` catches `dicium` and `berciuman`. Words are compared after folding case and
//! accents ([`crate::phrases`]). It is deliberately broad: a false alarm only makes an operator reword
//! a line.

use std::sync::LazyLock;

use crate::phrases::Normalized;

/// The denied stems, by language.
pub const DENIED_STEMS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "naked",
            "nude",
            "nudity",
            "lingerie",
            "kiss",
            "bed",
            "bedroom",
            "body",
            "bodies",
            "touch",
            "intimate",
            "explicit",
            "sexy",
            "horny",
            "pic",
            "picture",
            "photo",
            "photograph",
            "selfie",
            "video",
            "vid",
            "undress",
            "strip",
            "topless",
            "massage",
            "sensual",
            "erotic",
            "cuddle",
            "shower",
            "bath",
            "bathe",
            "cam",
            "webcam",
        ],
    ),
    (
        "es",
        &[
            "desnud", "lenceria", "beso", "besa", "cama", "cuerpo", "intim", "caliente", "foto", "video", "masaje",
            "sensual", "erotic", "selfie", "ducha", "caricia",
        ],
    ),
    (
        "fr",
        &[
            "nue", "nu", "lingerie", "bisou", "embrass", "lit", "corps", "intime", "coquin", "photo", "video",
            "massage", "sensuel", "erotique", "selfie", "caresse", "douche",
        ],
    ),
    (
        "pt",
        &[
            "nua", "nu", "pelad", "lingerie", "beij", "cama", "corpo", "intim", "foto", "video", "massagem", "sensual",
            "erotic", "selfie", "caricia", "banho",
        ],
    ),
    (
        "id",
        &[
            "telanjang",
            "bugil",
            "cium",
            "ranjang",
            "kasur",
            "tubuh",
            "seksi",
            "foto",
            "pijat",
            "video",
            "selfie",
            "mandi",
            "sensual",
            "erotis",
        ],
    ),
];

/// Suffixes (inflections, diminutives) by language; the empty suffix is always allowed.
const SUFFIXES: &[(&str, &[&str])] = &[
    ("en", &["s", "es", "d", "ed", "ing", "er", "ers", "y", "ie", "ies", "ier", "iest", "ly"]),
    (
        "es",
        &[
            "s", "a", "o", "as", "os", "e", "es", "ar", "arse", "ame", "ando", "ado", "ada", "ados", "adas", "ito",
            "ita", "itos", "itas", "ico", "ica", "icos", "icas", "an", "en", "idad", "r", "rte", "rme", "rla", "rlo",
            "ndo",
        ],
    ),
    ("fr", &["s", "e", "es", "x", "er", "ez", "ons", "ent", "ee", "ees", "te", "tes", "ette", "ettes", "ment"]),
    (
        "pt",
        &[
            "s", "a", "o", "as", "os", "e", "ar", "ando", "ado", "ada", "inho", "inha", "inhos", "inhas", "zinho",
            "zinha", "ao", "oes", "am", "idade",
        ],
    ),
    ("id", &["nya", "kan", "an", "i", "mu", "ku", "lah", "in"]),
];

/// Prefixes by language (Indonesian verbs take them: `di-cium`, `ber-cium-an`).
const PREFIXES: &[(&str, &[&str])] = &[("id", &["di", "ber", "me", "men", "meng", "ter", "ke", "se", "nge"])];

/// Stems this short take only plural endings and no prefix, so `nu` does not catch `nuit` or `number`,
/// nor `lit` catch `lite`, while `pic` still catches `pics`.
const SHORT_STEM: usize = 3;
const SHORT_SUFFIXES: &[&str] = &["s", "es", "x"];

/// English doubles a final consonant (`strip` → `stripped`) and drops a final `e` (`massage` →
/// `massaging`) before these endings.
const DOUBLED: &[&str] = &["ed", "ing", "er", "ers", "y"];

struct Entry {
    stem: &'static str,
    suffixes: &'static [&'static str],
    prefixes: &'static [&'static str],
    english: bool,
    /// Spanish and Portuguese drop a final vowel before a diminutive (`foto` → `fotito`, `beijo` →
    /// `beijinho`).
    vowel_drop: bool,
}

static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let of = |table: &'static [(&str, &'static [&'static str])], lang: &str| -> &'static [&'static str] {
        table.iter().find(|(l, _)| *l == lang).map_or(&[], |(_, v)| v)
    };
    DENIED_STEMS
        .iter()
        .flat_map(|(lang, stems)| {
            stems.iter().map(move |stem| {
                let short = stem.len() <= SHORT_STEM;
                Entry {
                    stem,
                    suffixes: if short { SHORT_SUFFIXES } else { of(SUFFIXES, lang) },
                    prefixes: if short { &[] } else { of(PREFIXES, lang) },
                    english: *lang == "en",
                    vowel_drop: !short && matches!(*lang, "es" | "pt") && stem.ends_with(['a', 'e', 'o']),
                }
            })
        })
        .collect()
});

impl Entry {
    fn matches(&self, word: &str) -> bool {
        std::iter::once("").chain(self.prefixes.iter().copied()).any(|p| {
            let Some(w) = word.strip_prefix(p) else { return false };
            if let Some(rest) = w.strip_prefix(self.stem)
                && (rest.is_empty() || self.suffixes.contains(&rest) || self.doubled(rest))
            {
                return true;
            }
            if self.vowel_drop
                && w.strip_prefix(&self.stem[..self.stem.len() - 1])
                    .is_some_and(|rest| self.suffixes.contains(&rest) && rest.starts_with(['i', 'a', 'o']))
            {
                return true;
            }
            // massage → massaging
            self.english
                && self.stem.len() > SHORT_STEM
                && self.stem.ends_with('e')
                && w.strip_prefix(&self.stem[..self.stem.len() - 1]).is_some_and(|rest| rest == "ing")
        })
    }

    /// `rest` is the stem's last letter doubled before an English ending (strip → stripping).
    fn doubled(&self, rest: &str) -> bool {
        self.english
            && self
                .stem
                .chars()
                .last()
                .is_some_and(|last| rest.strip_prefix(last).is_some_and(|r| DOUBLED.contains(&r)))
    }
}

/// The stem of the first denied word in `text`, if any.
pub fn denied_word(text: &str) -> Option<&'static str> {
    let n = Normalized::new(text);
    n.as_str().split(' ').find_map(|word| ENTRIES.iter().find(|e| e.matches(word)).map(|e| e.stem))
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

    #[test]
    fn catches_stems_and_inflections() {
        for (text, stem) in [
            ("two massages", "massage"),
            ("massaging", "massage"),
            ("send pics", "pic"),
            ("a selfie", "selfie"),
            ("selfies later", "selfie"),
            ("kissed", "kiss"),
            ("kissing", "kiss"),
            ("undressed", "undress"),
            ("fotos", "foto"),
            ("una fotito", "foto"),
            ("desnuda", "desnud"),
            ("besitos", "beso"),
            ("besarte", "besa"),
            ("stripping", "strip"),
            ("beds", "bed"),
            ("des bisous", "bisou"),
            ("fotinha", "foto"),
            ("peladinha", "pelad"),
            ("beijinho", "beij"),
            ("dicium", "cium"),
            ("berciuman", "cium"),
            ("fotonya", "foto"),
            ("Ｐｈｏｔｏｓ", "photo"),
            ("massaged", "massage"),
            ("photographer", "photograph"),
        ] {
            assert_eq!(denied_word(text), Some(stem), "{text}");
        }
    }

    #[test]
    fn ordinary_words_with_a_stem_inside_are_allowed() {
        for text in [
            "number",
            "tonight",
            "la nuit",
            "a literal reading",
            "best wishes",
            "besi",
            "picnic",
            "camera shy",
            "bedtime",
            "everybody",
            "touchdown",
            "beside",
            "campaign",
            "camping",
            "stripe",
            "lite",
            "cama",
        ] {
            let got = denied_word(text);
            // "cama" is denied (Spanish/Portuguese for bed); the rest are not.
            if text == "cama" {
                assert_eq!(got, Some("cama"));
            } else {
                assert_eq!(got, None, "{text}");
            }
        }
    }
}
