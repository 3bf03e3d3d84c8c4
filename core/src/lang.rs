//! Language identification for ads and messages: one detector for the whole product.
//!
//! [`identify`] gives the verdict that everything acts on ([`LanguageInfo`]): which language-specific
//! patterns and head the classifier uses, and the language of the check's messages and the bot's replies,
//! so that an ad is never scored in one language and answered in another. It counts function words of the
//! [`SUPPORTED`] languages first and asks [`detect`] when they do not settle it.
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

use serde::{Deserialize, Serialize};

use crate::text::{fold_into, truncate_bytes};

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

/// Function words frequent in each supported language (folded), plus a few words common in ads. A
/// word shared by two languages counts for both; the words only one of them uses decide. The one list
/// behind both the fallback vote of [`detect`] and the verdict of [`identify`].
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
            "that",
            "on",
            "have",
            "from",
            "or",
            "by",
            "who",
            "can",
            "all",
            "must",
            "experience",
            "how",
            "what",
            "old",
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
            "su",
            "sus",
            "como",
            "mas",
            "empresa",
            "buscamos",
            "experiencia",
            "somos",
            "usted",
            "tu",
            "hasta",
            "cuantos",
            "anos",
            "tienes",
            "quiero",
            "puedo",
            "tal",
            "estas",
            "eres",
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
            "aux",
            "votre",
            "qui",
            "par",
            "ce",
            "cette",
            "sont",
            "poste",
            "ca",
            "va",
            "quel",
            "age",
            "veux",
            "peux",
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
            "dos",
            "das",
            "nos",
            "seu",
            "sua",
            "mais",
            "ao",
            "sao",
            "vaga",
            "empresa",
            "experiencia",
            "tudo",
            "oi",
            "quanto",
            "quantos",
            "quer",
            "posso",
            "tem",
        ],
    ),
    (
        "id",
        &[
            "yang",
            "dan",
            "di",
            "ke",
            "untuk",
            "dengan",
            "ini",
            "itu",
            "ada",
            "saya",
            "aku",
            "kamu",
            "baru",
            "kota",
            "hubungi",
            "tidak",
            "bisa",
            "kerja",
            "gaji",
            "dari",
            "akan",
            "juga",
            "sudah",
            "bulan",
            "jam",
            "hari",
            "cewek",
            "cantik",
            "lowongan",
            "dicari",
            "segera",
            "per",
            "pijat",
            "santai",
            "malam",
            "atau",
            "kami",
            "anda",
            "dalam",
            "pada",
            "sebagai",
            "adalah",
            "oleh",
            "harus",
            "halo",
            "apa",
            "kabar",
            "berapa",
            "sekarang",
            "mau",
            "boleh",
            "gimana",
            "bagaimana",
            "kapan",
            "siapa",
            "tolong",
            "umur",
            "kak",
        ],
    ),
];

/// Counts of words, function-word hits per supported language (in [`FUNCTION_WORDS`] order) and
/// Latin and other letters in `text`.
#[derive(Debug, Default)]
struct WordCounts {
    words: usize,
    hits: [usize; 5],
    latin_letters: usize,
    other_letters: usize,
}

fn count_words(text: &str) -> WordCounts {
    let mut counts = WordCounts::default();
    let mut folded = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        counts.words += 1;
        for c in word.chars() {
            if is_latin(c) {
                counts.latin_letters += 1;
            } else if c.is_alphabetic() {
                counts.other_letters += 1;
            }
        }
        folded.clear();
        fold_into(word, &mut folded);
        for (i, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
            if list.contains(&folded.as_str()) {
                counts.hits[i] += 1;
            }
        }
    }
    counts
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// The supported language whose function words clearly dominate, with its lead over the runner-up.
fn vote(text: &str) -> Option<(&'static str, usize)> {
    let scores = count_words(text).hits;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(scores[i]));
    let (best, second) = (scores[order[0]], scores[order[1]]);
    (best >= 2 && best > second).then(|| (FUNCTION_WORDS[order[0]].0, best - second))
}

/// What language identification concluded for one text: the one verdict that chooses the classifier's
/// phrase patterns and head, the language of the job-ad check's messages and the bot's replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code (or 639-3 where no 639-1 code exists) when identification was confident.
    pub code: Option<String>,
    /// Whether the language-specific parts cover this text. Undetermined text (too short to tell)
    /// counts as supported: every supported language's patterns are then tried.
    pub supported: bool,
}

impl LanguageInfo {
    /// The language patterns to run: the identified language plus English (ads in every market mix in
    /// English phrases), all supported languages when undetermined, none when unsupported.
    pub fn active_languages(&self) -> Vec<&'static str> {
        match (&self.code, self.supported) {
            (_, false) => Vec::new(),
            (None, true) => SUPPORTED.to_vec(),
            (Some(code), true) => {
                let mut out = vec!["en"];
                if let Some(c) = SUPPORTED.iter().find(|c| **c == code.as_str())
                    && *c != "en"
                {
                    out.push(c);
                }
                out
            }
        }
    }

    /// The language to show messages in: the identified one when supported, else English.
    pub fn message_language(&self) -> &'static str {
        match &self.code {
            Some(c) => SUPPORTED.iter().copied().find(|s| *s == c.as_str()).unwrap_or("en"),
            None => "en",
        }
    }
}

/// How much text identification looks at; the start of an ad is enough, and time grows with the sample.
const SAMPLE_BYTES: usize = 2 * 1024;
/// How much of the sample the statistical detector reads.
const DETECTOR_BYTES: usize = 1024;

/// Identifies the language of an ad or a message among the [`SUPPORTED`] ones.
///
/// Plenty of one supported language's function words (and few of the others') decide at once. Otherwise
/// [`detect`] is asked; a reliable answer stands, except that a short ad taken for a close relative of a
/// supported language (Galician for Portuguese, Catalan for Spanish) goes to the supported language when
/// its function words are plentiful. Without a reliable answer the function-word count decides; text with
/// many words but almost none of those function words, or mostly in a non-Latin script, is unsupported,
/// and text too short to tell is undetermined.
pub fn identify(text: &str) -> LanguageInfo {
    let sample = truncate_bytes(text, SAMPLE_BYTES);
    let (words, ratio, strong) = function_word_verdict(sample);
    if strong {
        return words;
    }
    if let Some(d) = detect(truncate_bytes(sample, DETECTOR_BYTES))
        && d.reliable
    {
        if !d.supported()
            && let Some(code) = &words.code
            && ratio >= 0.15
        {
            return LanguageInfo { code: Some(code.clone()), supported: true };
        }
        return LanguageInfo { code: Some(d.code.to_string()), supported: d.supported() };
    }
    words
}

/// The function-word verdict alone (the fallback of [`identify`]).
pub fn identify_by_function_words(text: &str) -> LanguageInfo {
    function_word_verdict(text).0
}

/// The function-word verdict, the share of words that are function words of the winning language,
/// and whether the verdict is strong enough to stand alone.
fn function_word_verdict(text: &str) -> (LanguageInfo, f64, bool) {
    let c = count_words(text);
    let letters = c.latin_letters + c.other_letters;
    if letters >= 20 && c.other_letters * 2 > letters {
        // Mostly Cyrillic, Arabic, CJK, ...: none of the supported languages.
        return (LanguageInfo { code: None, supported: false }, 0.0, false);
    }
    let (best, best_hits) = c.hits.iter().enumerate().max_by_key(|(i, h)| (**h, usize::MAX - i)).unwrap_or((0, &0));
    let second = c.hits.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, h)| *h).max().unwrap_or(0);
    let ratio = *best_hits as f64 / c.words.max(1) as f64;
    if *best_hits >= 2 && ratio >= 0.08 && (*best_hits as f64) >= second as f64 * 1.25 {
        let strong = *best_hits >= 8 && ratio >= 0.2 && *best_hits >= second * 2;
        return (LanguageInfo { code: Some(FUNCTION_WORDS[best].0.to_string()), supported: true }, ratio, strong);
    }
    if c.words >= 12 && ratio < 0.04 {
        return (LanguageInfo { code: None, supported: false }, ratio, false);
    }
    (LanguageInfo { code: None, supported: true }, ratio, false)
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
