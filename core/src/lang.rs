//! Language detection for ad text.
//!
//! [`detect`] runs `whatlang` on the text with URLs, e-mail addresses, `@handles` and digits removed
//! (they carry no language and skew trigram statistics). Ads are short, and on a sentence or two
//! trigram statistics often mistake Spanish for Portuguese or Indonesian for Tagalog; so when
//! `whatlang` is not confident, a vote of common function words (`the`, `que`, `je`, `não`, `yang`, …)
//! among the [`SUPPORTED`] languages decides, if it has a clear winner. Such answers are marked not
//! `reliable`.

use regex::Regex;
use std::sync::LazyLock;
use whatlang::{Detector, Lang};

use crate::text::{fold, truncate_bytes};

/// The languages whose language-specific indicators and safety tips Redflag ships (ISO 639-1).
pub const SUPPORTED: &[&str] = &["en", "es", "fr", "pt", "id"];

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detected {
    /// ISO 639-1 code where one exists (`en`), else ISO 639-3 (`tgl`).
    pub code: &'static str,
    /// Detector confidence in `[0, 1]`.
    pub confidence: f64,
    /// Whether the detector considers the answer reliable.
    pub reliable: bool,
}

impl Detected {
    /// Whether Redflag's language-specific parts cover this language.
    pub fn supported(&self) -> bool {
        SUPPORTED.contains(&self.code)
    }
}

/// How much text is looked at: the start of an ad says which language it is in.
const MAX_DETECT_BYTES: usize = 16 * 1024;

static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|www\.)\S+|\S+@\S+|@\w+|\b[a-z0-9.-]+\.(?:com|net|org|me)/\S*|[0-9]+")
        .expect("noise pattern compiles")
});

/// Latin and Esperanto are never the language of an ad, but short Romance-language texts often look
/// like them to trigram statistics.
static DETECTOR: LazyLock<Detector> = LazyLock::new(|| Detector::with_denylist(vec![Lang::Lat, Lang::Epo]));

/// Detects the language of `text`; `None` when the text is too short or has no letters.
pub fn detect(text: &str) -> Option<Detected> {
    let text = truncate_bytes(text, MAX_DETECT_BYTES);
    let cleaned = NOISE.replace_all(text, " ");
    if !cleaned.chars().any(char::is_alphabetic) {
        return None;
    }
    let info = DETECTOR.detect(&cleaned);
    if let Some(info) = &info
        && info.is_reliable()
    {
        return Some(Detected { code: iso639_1(info.lang()), confidence: info.confidence(), reliable: true });
    }
    if let Some((code, margin)) = vote(&cleaned) {
        let confidence = match &info {
            Some(i) if iso639_1(i.lang()) == code => i.confidence(),
            _ => (0.4 + 0.1 * margin as f64).min(0.8),
        };
        return Some(Detected { code, confidence, reliable: false });
    }
    info.map(|i| Detected { code: iso639_1(i.lang()), confidence: i.confidence(), reliable: false })
}

/// Function words typical of each supported language (folded), plus a few words common in ads. Words
/// shared by two languages count for both; the words only one of them uses decide.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the",
            "and",
            "you",
            "your",
            "im",
            "am",
            "is",
            "are",
            "for",
            "with",
            "to",
            "me",
            "my",
            "new",
            "call",
            "text",
            "only",
            "of",
            "this",
            "will",
            "be",
            "we",
            "our",
            "hi",
            "hello",
            "available",
            "town",
            "now",
            "in",
            "it",
            "at",
            "here",
            "looking",
            "work",
            "job",
            "pay",
            "no",
            "free",
            "per",
            "hour",
            "week",
            "an",
        ],
    ),
    (
        "es",
        &[
            "el",
            "los",
            "las",
            "que",
            "y",
            "una",
            "para",
            "con",
            "por",
            "soy",
            "estoy",
            "mi",
            "nueva",
            "hola",
            "llamame",
            "aqui",
            "muy",
            "del",
            "al",
            "sin",
            "es",
            "trabajo",
            "chica",
            "ciudad",
            "tengo",
            "horas",
            "pago",
            "solo",
            "mes",
            "bien",
            "en",
            "la",
            "de",
            "un",
            "hora",
            "sueldo",
            "empleo",
            "ofrecemos",
            "masaje",
            "masajes",
            "relajante",
            "relajantes",
            "cena",
            "discreta",
            "atiendo",
        ],
    ),
    (
        "fr",
        &[
            "le",
            "les",
            "des",
            "et",
            "une",
            "pour",
            "avec",
            "je",
            "suis",
            "nouvelle",
            "bonjour",
            "moi",
            "ma",
            "mon",
            "est",
            "sur",
            "dans",
            "pas",
            "du",
            "au",
            "appelle",
            "appelez",
            "travail",
            "ville",
            "tres",
            "salut",
            "heure",
            "mois",
            "ou",
            "vous",
            "tu",
            "en",
            "la",
            "de",
            "un",
            "emploi",
            "salaire",
            "nous",
            "diner",
            "relaxant",
            "discrete",
            "rencontre",
        ],
    ),
    (
        "pt",
        &[
            "o",
            "os",
            "as",
            "que",
            "e",
            "um",
            "uma",
            "para",
            "com",
            "por",
            "sou",
            "estou",
            "nova",
            "ola",
            "voce",
            "nao",
            "do",
            "da",
            "no",
            "na",
            "meu",
            "minha",
            "aqui",
            "trabalho",
            "cidade",
            "mes",
            "muito",
            "liga",
            "ligue",
            "bem",
            "de",
            "em",
            "hora",
            "salario",
            "emprego",
            "oferecemos",
            "massagem",
            "relaxante",
            "jantar",
            "atendo",
            "chama",
            "discreto",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "ke", "untuk", "dengan", "ini", "itu", "ada", "saya", "aku", "kamu", "baru", "kota",
            "hubungi", "tidak", "bisa", "kerja", "gaji", "dari", "akan", "juga", "sudah", "bulan", "jam", "hari",
            "cewek", "cantik", "lowongan", "dicari", "segera", "per", "pijat", "santai", "malam",
        ],
    ),
];

/// The supported language whose function words clearly dominate, with its lead over the runner-up.
fn vote(text: &str) -> Option<(&'static str, usize)> {
    let folded = fold(text);
    let mut scores = [0usize; 5];
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
            if words.contains(&word) {
                scores[i] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(scores[i]));
    let (best, second) = (scores[order[0]], scores[order[1]]);
    (best >= 2 && best > second).then(|| (FUNCTION_WORDS[order[0]].0, best - second))
}

/// The ISO 639-1 code of a `whatlang` language (every language it knows has one).
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_two_letters() {
        for &lang in Lang::all() {
            assert_eq!(iso639_1(lang).len(), 2, "{lang:?}");
        }
    }

    #[test]
    fn text_without_letters_has_no_language() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("702 555 0148 $200 https://x.com/a"), None);
    }
}
