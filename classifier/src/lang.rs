//! Which language an ad is in, and so which phrase patterns and safety tips apply.
//!
//! `redflag_core::lang::detect` is asked first. When it has no confident answer (short text, or a build
//! without a detector) a small function-word count over the five supported languages decides, and text
//! with many words but almost none of those function words, or mostly in a non-Latin script, counts as an
//! unsupported language.

use serde::{Deserialize, Serialize};

/// The languages with phrase patterns and localised tips (ISO 639-1).
pub const SUPPORTED: &[&str] = &["en", "es", "fr", "pt", "id"];

/// What language detection concluded for one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code (or 639-3 where no 639-1 code exists) when detection was confident.
    pub code: Option<String>,
    /// Whether the language-specific indicators cover this text. Undetermined text (too short to
    /// tell) counts as supported: every supported language's patterns are then tried.
    pub supported: bool,
}

impl LanguageInfo {
    /// The language patterns to run: the detected language plus English (ads in every market mix in
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

    /// The language to show messages in: the detected one when supported, else English.
    pub fn message_language(&self) -> &str {
        match &self.code {
            Some(c) if SUPPORTED.contains(&c.as_str()) => c,
            _ => "en",
        }
    }
}

/// Function words that are frequent in each supported language and rare in the others.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the",
            "and",
            "of",
            "to",
            "for",
            "with",
            "is",
            "are",
            "you",
            "your",
            "we",
            "our",
            "will",
            "be",
            "this",
            "that",
            "on",
            "have",
            "from",
            "an",
            "or",
            "by",
            "it",
            "who",
            "can",
            "all",
            "must",
            "job",
            "work",
            "experience",
        ],
    ),
    (
        "es",
        &[
            "el",
            "los",
            "las",
            "del",
            "y",
            "que",
            "para",
            "con",
            "por",
            "una",
            "es",
            "su",
            "sus",
            "al",
            "como",
            "más",
            "trabajo",
            "empresa",
            "buscamos",
            "ofrecemos",
            "experiencia",
            "sueldo",
            "somos",
            "usted",
            "tu",
            "muy",
            "hasta",
            "sin",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "du", "et", "un", "une", "pour", "avec", "est", "sur", "dans", "au", "aux", "nous",
            "vous", "votre", "qui", "par", "pas", "ce", "cette", "sont", "ou", "poste", "emploi", "salaire", "travail",
        ],
    ),
    (
        "pt",
        &[
            "o",
            "os",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "em",
            "um",
            "uma",
            "com",
            "no",
            "na",
            "nos",
            "é",
            "seu",
            "sua",
            "você",
            "mais",
            "ao",
            "são",
            "não",
            "vaga",
            "empresa",
            "trabalho",
            "salário",
            "experiência",
            "para",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "atau", "ada", "kami", "anda", "akan",
            "dalam", "tidak", "bisa", "juga", "pada", "sebagai", "adalah", "oleh", "sudah", "harus", "kerja", "gaji",
            "lowongan", "kamu",
        ],
    ),
];

/// How much text language detection looks at; the start of an ad is enough, and detection time grows
/// with the sample.
const SAMPLE_BYTES: usize = 2 * 1024;
/// How much of the sample the statistical detector reads.
const DETECTOR_BYTES: usize = 1024;

/// Detects the language of `text`.
pub fn detect(text: &str) -> LanguageInfo {
    let sample = redflag_core::text::truncate_bytes(text, SAMPLE_BYTES);
    let (words, ratio, strong) = function_words(sample);
    if strong {
        // Plenty of one supported language's function words and few of the others': no need for the
        // slower statistical detector.
        return words;
    }
    if let Some(d) = redflag_core::lang::detect(redflag_core::text::truncate_bytes(sample, DETECTOR_BYTES))
        && d.reliable
    {
        // Short ads in a supported language are sometimes taken for a close relative (Galician for
        // Portuguese, Catalan for Spanish); plenty of the language's own function words overrule that.
        if !d.supported()
            && let Some(code) = &words.code
            && ratio >= 0.15
        {
            // (checked after the statistical detector, which names unsupported languages)
            return LanguageInfo { code: Some(code.clone()), supported: true };
        }
        return LanguageInfo { code: Some(d.code.to_string()), supported: d.supported() };
    }
    words
}

/// The fallback detector: counts function words of the supported languages.
pub fn detect_by_function_words(text: &str) -> LanguageInfo {
    function_words(text).0
}

/// The function-word verdict, the share of words that are function words of the winning language,
/// and whether the verdict is strong enough to stand alone.
fn function_words(text: &str) -> (LanguageInfo, f64, bool) {
    let mut words = 0usize;
    let mut hits = [0usize; 5];
    let mut latin_letters = 0usize;
    let mut other_letters = 0usize;
    let mut lower = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        words += 1;
        for c in word.chars() {
            if is_latin(c) {
                latin_letters += 1;
            } else if c.is_alphabetic() {
                other_letters += 1;
            }
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        for (i, (_, list)) in STOPWORDS.iter().enumerate() {
            if list.contains(&lower.as_str()) {
                hits[i] += 1;
            }
        }
    }
    let letters = latin_letters + other_letters;
    if letters >= 20 && other_letters * 2 > letters {
        // Mostly Cyrillic, Arabic, CJK, ...: none of the supported languages.
        return (LanguageInfo { code: None, supported: false }, 0.0, false);
    }
    let (best, best_hits) = hits.iter().enumerate().max_by_key(|(i, h)| (**h, usize::MAX - i)).unwrap_or((0, &0));
    let second = hits.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, h)| *h).max().unwrap_or(0);
    let ratio = *best_hits as f64 / words.max(1) as f64;
    if *best_hits >= 2 && ratio >= 0.08 && (*best_hits as f64) >= second as f64 * 1.25 {
        let strong = *best_hits >= 8 && ratio >= 0.2 && *best_hits >= second * 2;
        return (LanguageInfo { code: Some(STOPWORDS[best].0.to_string()), supported: true }, ratio, strong);
    }
    if words >= 12 && ratio < 0.04 {
        return (LanguageInfo { code: None, supported: false }, ratio, false);
    }
    (LanguageInfo { code: None, supported: true }, ratio, false)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, code: Option<&str>, supported: bool) {
        let got = detect_by_function_words(text);
        assert_eq!(got.code.as_deref(), code, "{text}");
        assert_eq!(got.supported, supported, "{text}");
    }

    #[test]
    fn function_words_name_the_supported_languages() {
        check("We are looking for a driver with experience and a clean licence for our team.", Some("en"), true);
        check("Buscamos camarera con experiencia para trabajo en un hotel de la costa, sueldo fijo.", Some("es"), true);
        check("Nous recherchons une serveuse pour un poste dans notre restaurant, salaire fixe.", Some("fr"), true);
        check("Vaga para garçonete com experiência, salário fixo e carteira assinada em um hotel.", Some("pt"), true);
        check("Dibutuhkan pelayan restoran yang jujur dan rajin untuk bekerja di Jakarta, gaji UMR.", Some("id"), true);
    }

    #[test]
    fn other_languages_and_scripts_are_unsupported() {
        check(
            "Wir suchen ab sofort eine freundliche Kellnerin mit Erfahrung für unser Restaurant in München. Gute Bezahlung.",
            None,
            false,
        );
        check("Требуется официантка в ресторан, опыт работы приветствуется, хорошая зарплата.", None, false);
    }

    #[test]
    fn short_text_is_undetermined_and_tries_every_language() {
        let got = detect_by_function_words("Urgent hostess");
        assert_eq!(got, LanguageInfo { code: None, supported: true });
        assert_eq!(got.active_languages(), SUPPORTED.to_vec());
    }

    #[test]
    fn active_languages_add_english_to_the_detected_one() {
        let es = LanguageInfo { code: Some("es".into()), supported: true };
        assert_eq!(es.active_languages(), vec!["en", "es"]);
        let de = LanguageInfo { code: Some("de".into()), supported: false };
        assert!(de.active_languages().is_empty());
        assert_eq!(de.message_language(), "en");
    }
}
