//! A cross-lingual gloss: Spanish, French, Portuguese and Indonesian words and phrases rewritten as
//! the English words the job model's text weights were trained on, before hashing.
//!
//! The job model's hashed n-grams were learned from English ads (EMSCAD), so a translated ad sets
//! buckets the model never saw and its text score sits near the model's bias, whatever it says: an
//! English-only component pushing non-English ads toward the middle. The lexicon
//! (`classifier/data/gloss.toml`) was written from language knowledge for the English words and
//! phrases that weigh most in the trained `text` head (by weight times the number of training ads
//! that carry them), so that a translation sets the same buckets its English original would.
//! Words the lexicon lacks pass through unchanged, so an ad's length in words stays about the same.
//!
//! Matching is greedy, longest phrase first (up to [`MAX_PHRASE_WORDS`] words), on lowercase words,
//! with and without accents (a lexicon key written with accents also matches the word typed
//! without them). Every English word keeps the byte span of the foreign words it stands for, so
//! explanations quote the ad as written. English and unsupported languages are never rewritten.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::features;

/// The longest foreign phrase the lexicon may hold, in words.
pub const MAX_PHRASE_WORDS: usize = 5;

/// The bundled lexicon.
const GLOSS_TOML: &str = include_str!("../data/gloss.toml");

/// The languages the lexicon covers.
pub const LANGUAGES: [&str; 4] = ["es", "fr", "pt", "id"];

/// One language's lexicon: foreign phrase (lowercase words joined by one space) to English words.
#[derive(Debug, Default)]
struct Lexicon {
    exact: HashMap<String, Vec<u64>>,
    /// The same keys without accents; a key that folds onto another keeps the first.
    folded: HashMap<String, Vec<u64>>,
    /// The most words of any key.
    max_words: usize,
}

/// The parsed lexicon of every covered language.
#[derive(Debug, Default)]
pub struct Gloss {
    langs: HashMap<String, Lexicon>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    es: HashMap<String, String>,
    fr: HashMap<String, String>,
    pt: HashMap<String, String>,
    id: HashMap<String, String>,
}

static BUNDLED: LazyLock<Gloss> =
    LazyLock::new(|| Gloss::parse(GLOSS_TOML).expect("the bundled gloss parses (tested in gloss::tests)"));

/// The bundled gloss.
pub fn bundled() -> &'static Gloss {
    &BUNDLED
}

/// Lowercase, accents removed from the Latin letters of the covered languages.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'œ' => 'o',
            c => c,
        })
        .collect()
}

/// The lowercase words of a text as the tokeniser splits it, joined by one space.
fn key_of(text: &str) -> String {
    let mut words = Vec::new();
    features::for_each_word(text, |_, s, e| words.push(text[s..e].to_lowercase()));
    words.join(" ")
}

impl Gloss {
    /// Parses a lexicon file: one table per language code, `"foreign phrase" = "english words"`
    /// (an empty English side drops the foreign words).
    pub fn parse(text: &str) -> Result<Gloss> {
        let file: File = toml::from_str(text).map_err(|e| Error::Catalogue(format!("gloss: {e}")))?;
        let mut langs = HashMap::new();
        for (code, table) in [("es", file.es), ("fr", file.fr), ("pt", file.pt), ("id", file.id)] {
            let mut lex = Lexicon::default();
            let mut keys: Vec<(String, String)> = table.into_iter().collect();
            keys.sort();
            for (foreign, english) in keys {
                let key = key_of(&foreign);
                let n = key.split(' ').count();
                if key.is_empty() || n > MAX_PHRASE_WORDS {
                    return Err(Error::Catalogue(format!(
                        "gloss: {code}: \"{foreign}\" must have 1 to {MAX_PHRASE_WORDS} words"
                    )));
                }
                let mut hashes = Vec::new();
                features::word_hashes(&english, &mut hashes);
                lex.max_words = lex.max_words.max(n);
                lex.folded.entry(fold(&key)).or_insert_with(|| hashes.clone());
                lex.exact.insert(key, hashes);
            }
            langs.insert(code.to_string(), lex);
        }
        Ok(Gloss { langs })
    }

    /// Whether text in `lang` is rewritten.
    pub fn covers(&self, lang: &str) -> bool {
        self.langs.contains_key(lang)
    }

    /// The words of `text` as `(hash, start, end)`, glossed into English when `lang` is covered
    /// (each English word spans the foreign words it replaces), else as the tokeniser gives them.
    pub(crate) fn words(&self, lang: Option<&str>, text: &str, out: &mut Vec<(u64, usize, usize)>) {
        let Some(lex) = lang.and_then(|l| self.langs.get(l)) else {
            features::for_each_word(text, |h, s, e| out.push((h, s, e)));
            return;
        };
        let mut src: Vec<(u64, usize, usize)> = Vec::new();
        features::for_each_word(text, |h, s, e| src.push((h, s, e)));
        let lower: Vec<String> = src.iter().map(|&(_, s, e)| text[s..e].to_lowercase()).collect();
        let folded: Vec<String> = lower.iter().map(|w| fold(w)).collect();
        let (mut exact, mut loose) = (String::new(), String::new());
        let mut i = 0;
        while i < src.len() {
            // The longest phrase starting here, an exact spelling before an unaccented one.
            let mut matched = None;
            exact.clear();
            loose.clear();
            for n in 1..=lex.max_words.min(src.len() - i) {
                if n > 1 {
                    exact.push(' ');
                    loose.push(' ');
                }
                exact.push_str(&lower[i + n - 1]);
                loose.push_str(&folded[i + n - 1]);
                if let Some(h) = lex.exact.get(&exact).or_else(|| lex.folded.get(&loose)) {
                    matched = Some((n, h));
                }
            }
            match matched {
                Some((n, english)) => {
                    let (start, end) = (src[i].1, src[i + n - 1].2);
                    out.extend(english.iter().map(|&h| (h, start, end)));
                    i += n;
                }
                None => {
                    out.push(src[i]);
                    i += 1;
                }
            }
        }
        articles(out);
    }
}

/// English writes "an" before a vowel sound; a gloss of "un"/"une"/"um" gives "a" everywhere. The
/// spelling of the next word is a good enough guess for the words the lexicon writes.
fn articles(words: &mut [(u64, usize, usize)]) {
    static A: LazyLock<u64> = LazyLock::new(|| features::fnv1a(b"a"));
    static AN: LazyLock<u64> = LazyLock::new(|| features::fnv1a(b"an"));
    static VOWEL_WORDS: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut v = Vec::new();
        features::word_hashes(VOWEL_INITIAL, &mut v);
        v.sort_unstable();
        v
    });
    for i in 1..words.len() {
        if words[i - 1].0 == *A && VOWEL_WORDS.binary_search(&words[i].0).is_ok() {
            words[i - 1].0 = *AN;
        }
    }
}

/// The English words of the lexicon that begin with a vowel sound and may follow "a".
const VOWEL_INITIAL: &str = "administrative agency analyst assistant account application interview \
    experience employee engineer english excellent exciting extra easy entry hour hourly important \
    immediate independent individual industry international intern internship office online \
    opportunity organization excellent offer ideal initial urgent unique";

#[cfg(test)]
mod tests {
    use super::*;

    fn english(lang: &str, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        bundled().words(Some(lang), text, &mut out);
        out.into_iter().map(|w| w.0).collect()
    }

    fn plain(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        features::word_hashes(text, &mut v);
        v
    }

    #[test]
    fn the_bundled_lexicon_parses_and_covers_four_languages() {
        let g = Gloss::parse(GLOSS_TOML).unwrap();
        for l in LANGUAGES {
            assert!(g.covers(l), "{l}");
            assert!(g.langs[l].exact.len() > 200, "{l} has {} entries", g.langs[l].exact.len());
        }
        assert!(!g.covers("en"));
    }

    #[test]
    fn phrases_match_longest_first_with_or_without_accents() {
        assert_eq!(english("es", "Trabajo desde casa"), plain("work from home"));
        assert_eq!(english("es", "sin experiencia"), english("es", "Sin Experiéncia"));
        assert_eq!(english("fr", "notre équipe"), plain("our team"));
        assert_eq!(english("fr", "notre equipe"), plain("our team"));
        assert_eq!(english("id", "tim kami"), plain("our team"));
    }

    #[test]
    fn unknown_words_pass_through_and_spans_point_at_the_source() {
        let text = "Únete a nuestro equipo en Zaragoza";
        let mut out = Vec::new();
        bundled().words(Some("es"), text, &mut out);
        let last = out.last().unwrap();
        assert_eq!(&text[last.1..last.2], "Zaragoza");
        assert_eq!(last.0, plain("zaragoza")[0]);
        assert!(out.iter().all(|w| w.2 <= text.len() && w.1 < w.2));
        let mut none = Vec::new();
        bundled().words(None, text, &mut none);
        assert_eq!(none.iter().map(|w| w.0).collect::<Vec<_>>(), plain(text));
    }

    #[test]
    fn a_becomes_an_before_a_vowel() {
        assert_eq!(english("es", "una oficina"), plain("an office"));
    }
}
