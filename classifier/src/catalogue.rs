//! The indicator catalogue and the localised messages, loaded from the crate's data files.
//!
//! `data/indicators.toml` defines every indicator (id, description, languages, evidence, how the weight
//! was set, phrase patterns, and the title and tip a job seeker sees); `data/messages.toml` holds verdict
//! names, headings and general tips. Both are compiled into the library and validated on load, so a
//! broken pattern fails the test suite rather than a user's check.

use redflag_core::{AdKind, Verdict};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};
use redflag_core::lang::SUPPORTED;

/// The catalogue shipped with the library.
pub const BUNDLED_INDICATORS: &str = include_str!("../data/indicators.toml");
/// The messages shipped with the library.
pub const BUNDLED_MESSAGES: &str = include_str!("../data/messages.toml");

/// A built-in detector for indicators that rest on entities or context rather than phrases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Messenger handles found by entity extraction.
    ChatHandle,
    /// No company name, website or registered company in the ad.
    EmployerUnidentified,
    /// Contacts written to dodge extraction (spelled-out digits, `[at]`, look-alike letters).
    ObscuredContact,
    /// A stated age from 18 to 22.
    #[serde(rename = "stated_age_under_23")]
    StatedAgeUnder23,
    /// A contact or text template shared by many ads (from linking).
    SharedContact,
    /// A contact shared by job ads and escort ads (from linking).
    JobEscortContact,
    /// A network of several ads advertising several names (from linking).
    NetworkNames,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    version: u32,
    indicator: Vec<Indicator>,
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, e.g. `job.fee_required`.
    pub id: String,
    /// The ad kind whose model uses it.
    pub kind: AdKind,
    /// Languages with phrase patterns, or `["*"]` when language-independent.
    pub languages: Vec<String>,
    /// Prior weight in log-odds.
    pub weight: f32,
    /// Whether a negation cue just before a match cancels it.
    #[serde(default)]
    pub negation: bool,
    /// The built-in detector, if any.
    #[serde(default)]
    pub detector: Option<Detector>,
    /// What it means, in plain English.
    pub description: String,
    /// The sources it rests on.
    pub evidence: String,
    /// How the weight was set.
    pub weight_basis: String,
    /// Short title per language.
    pub title: BTreeMap<String, String>,
    /// Safety tip per language.
    pub tip: BTreeMap<String, String>,
    /// Case-insensitive regular expressions per language (`any` = all languages).
    #[serde(default)]
    pub patterns: BTreeMap<String, Vec<String>>,
}

impl Indicator {
    /// Whether the indicator works the same in every language.
    pub fn language_independent(&self) -> bool {
        self.languages.iter().any(|l| l == "*")
    }

    /// The title in `lang`, English when there is none.
    pub fn title(&self, lang: &str) -> &str {
        localized(&self.title, lang)
    }

    /// The safety tip in `lang`, English when there is none.
    pub fn tip(&self, lang: &str) -> &str {
        localized(&self.tip, lang)
    }
}

fn localized<'a>(map: &'a BTreeMap<String, String>, lang: &str) -> &'a str {
    map.get(lang).or_else(|| map.get("en")).map(String::as_str).unwrap_or("")
}

/// Verdict names, headings and general tips per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    languages: Vec<String>,
    verdict: BTreeMap<String, BTreeMap<String, String>>,
    heading: BTreeMap<String, BTreeMap<String, String>>,
    tips: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Messages {
    /// The verdict's name in `lang`.
    pub fn verdict(&self, v: Verdict, lang: &str) -> &str {
        let key = match v {
            Verdict::LikelyLegitimate => "likely_legitimate",
            Verdict::Suspicious => "suspicious",
            Verdict::LikelyFraudulent => "likely_fraudulent",
        };
        self.verdict.get(key).map(|m| localized(m, lang)).unwrap_or(v.label())
    }

    /// A heading or sentence by key (`risk`, `red_flags`, `good_signs`, `tips`, `no_flags`,
    /// `unsupported_language`, `truncated`).
    pub fn heading(&self, key: &str, lang: &str) -> &str {
        self.heading.get(key).map(|m| localized(m, lang)).unwrap_or("")
    }

    /// The title and tip of an explanation that is not a catalogue indicator (the ids of
    /// [`crate::explain::IDS`]), in `lang`; `None` for other ids.
    pub fn explanation(&self, id: &str, lang: &str) -> Option<(&str, &str)> {
        if !crate::explain::IDS.contains(&id) {
            return None;
        }
        let key = id.replace('.', "_");
        Some((self.heading(&key, lang), self.heading(&format!("{key}_tip"), lang)))
    }

    /// General safety tips for an ad kind.
    pub fn tips(&self, kind: AdKind, lang: &str) -> &[String] {
        self.tips.get(kind.as_str()).and_then(|m| m.get(lang).or_else(|| m.get("en"))).map(Vec::as_slice).unwrap_or(&[])
    }

    fn validate(&self) -> Result<()> {
        for lang in &self.languages {
            for (group, entries) in [("verdict", &self.verdict), ("heading", &self.heading)] {
                for (key, m) in entries {
                    if !m.contains_key(lang) {
                        return Err(Error::Catalogue(format!("messages: {group}.{key} has no {lang:?} text")));
                    }
                }
            }
            for (kind, m) in &self.tips {
                if !m.contains_key(lang) {
                    return Err(Error::Catalogue(format!("messages: tips.{kind} has no {lang:?} text")));
                }
            }
        }
        for id in crate::explain::IDS {
            let key = id.replace('.', "_");
            for key in [key.clone(), format!("{key}_tip")] {
                if !self.heading.contains_key(&key) {
                    return Err(Error::Catalogue(format!("messages: heading.{key} is missing")));
                }
            }
        }
        for key in ["likely_legitimate", "suspicious", "likely_fraudulent"] {
            if !self.verdict.contains_key(key) {
                return Err(Error::Catalogue(format!("messages: verdict.{key} is missing")));
            }
        }
        Ok(())
    }
}

/// One compiled phrase pattern.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// Index of the indicator in [`Catalogue::indicators`].
    pub indicator: usize,
    /// The pattern with Unicode word boundaries, run only when the prefilter says it may match.
    pub regex: Regex,
}

/// The patterns of one ad kind with fast prefilters.
#[derive(Debug)]
pub(crate) struct KindMatcher {
    /// One prefilter per language (`None` = language-independent patterns): the patterns with their
    /// word boundaries removed, matched case-sensitively against the lowercased text. Unicode word
    /// boundaries and case folding force the regex engine off its fast path, and one set over every
    /// language's patterns grows too large for its cache; small per-language sets over lowercase text
    /// say in one quick pass which few patterns can match at all.
    pub prefilters: Vec<Prefilter>,
    /// The patterns of the kind.
    pub patterns: Vec<Pattern>,
}

/// The prefilter of one language.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// The language, `None` for language-independent patterns.
    pub lang: Option<String>,
    /// The loosened patterns.
    pub set: RegexSet,
    /// For each pattern of `set`, its index in [`KindMatcher::patterns`].
    pub patterns: Vec<usize>,
}

/// The loaded catalogue.
#[derive(Debug)]
pub struct Catalogue {
    /// Every indicator, in file order.
    pub indicators: Vec<Indicator>,
    /// The localised messages.
    pub messages: Messages,
    pub(crate) job: KindMatcher,
    pub(crate) escort: KindMatcher,
}

impl Catalogue {
    /// The catalogue compiled into the library (parsed once per process).
    pub fn bundled() -> Result<Arc<Catalogue>> {
        static BUNDLED: OnceLock<std::result::Result<Arc<Catalogue>, String>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                Catalogue::parse(BUNDLED_INDICATORS, BUNDLED_MESSAGES).map(Arc::new).map_err(|e| e.to_string())
            })
            .clone()
            .map_err(Error::Catalogue)
    }

    /// Parses and validates a catalogue and message file.
    pub fn parse(indicators_toml: &str, messages_toml: &str) -> Result<Catalogue> {
        let raw: RawCatalogue =
            toml::from_str(indicators_toml).map_err(|e| Error::Catalogue(format!("indicators: {e}")))?;
        if raw.version != 1 {
            return Err(Error::Catalogue(format!("indicators: unsupported version {}", raw.version)));
        }
        let messages: Messages =
            toml::from_str(messages_toml).map_err(|e| Error::Catalogue(format!("messages: {e}")))?;
        messages.validate()?;
        let mut seen = HashSet::new();
        for ind in &raw.indicator {
            validate_indicator(ind)?;
            if !seen.insert(ind.id.clone()) {
                return Err(Error::Catalogue(format!("duplicate indicator id {}", ind.id)));
            }
        }
        let job = build_matcher(&raw.indicator, AdKind::Job)?;
        let escort = build_matcher(&raw.indicator, AdKind::Escort)?;
        Ok(Catalogue { indicators: raw.indicator, messages, job, escort })
    }

    /// The index of an indicator by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// The indicators of one kind, as `(index, indicator)`.
    pub fn of_kind(&self, kind: AdKind) -> impl Iterator<Item = (usize, &Indicator)> {
        self.indicators.iter().enumerate().filter(move |(_, i)| i.kind == kind)
    }

    pub(crate) fn matcher(&self, kind: AdKind) -> &KindMatcher {
        match kind {
            AdKind::Job => &self.job,
            AdKind::Escort => &self.escort,
        }
    }
}

fn validate_indicator(ind: &Indicator) -> Result<()> {
    let err = |m: String| Err(Error::Catalogue(format!("{}: {m}", ind.id)));
    if !ind.id.starts_with(&format!("{}.", ind.kind.as_str())) {
        return err(format!("id must start with \"{}.\"", ind.kind));
    }
    if !ind.weight.is_finite() {
        return err("weight is not a finite number".into());
    }
    for l in &ind.languages {
        if l != "*" && !SUPPORTED.contains(&l.as_str()) {
            return err(format!("unknown language {l:?}"));
        }
    }
    for l in ind.patterns.keys() {
        if l != "any" && !ind.languages.contains(l) {
            return err(format!("patterns for {l:?}, which is not in languages"));
        }
    }
    if ind.patterns.is_empty() && ind.detector.is_none() {
        return err("neither patterns nor a detector".into());
    }
    if !ind.language_independent() {
        for l in &ind.languages {
            if !ind.patterns.contains_key(l) {
                return err(format!("language {l:?} listed but has no patterns"));
            }
        }
    }
    for field in [&ind.title, &ind.tip] {
        if !field.contains_key("en") {
            return err("title and tip need English text".into());
        }
        for l in field.keys() {
            if !SUPPORTED.contains(&l.as_str()) {
                return err(format!("text for unknown language {l:?}"));
            }
        }
    }
    if ind.description.trim().is_empty() || ind.evidence.trim().is_empty() || ind.weight_basis.trim().is_empty() {
        return err("description, evidence and weight_basis must not be empty".into());
    }
    Ok(())
}

fn compile(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).case_insensitive(true).size_limit(1 << 24).dfa_size_limit(1 << 23).build()
}

/// Whether a pattern has an ASCII capital outside an escape (it would never match lowercased text).
fn has_capital(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c.is_ascii_uppercase() {
            return true;
        }
    }
    false
}

fn build_matcher(indicators: &[Indicator], kind: AdKind) -> Result<KindMatcher> {
    let mut patterns = Vec::new();
    let mut by_lang: BTreeMap<Option<String>, (Vec<String>, Vec<usize>)> = BTreeMap::new();
    for (i, ind) in indicators.iter().enumerate().filter(|(_, ind)| ind.kind == kind) {
        for (lang, list) in &ind.patterns {
            for p in list {
                let bad = |e: String| Error::Catalogue(format!("{} ({lang}): bad pattern {p:?}: {e}", ind.id));
                if has_capital(p) {
                    return Err(bad("write patterns in lowercase (they match lowercased text)".into()));
                }
                let regex = compile(p).map_err(|e| bad(e.to_string()))?;
                let loose = p.replace(r"\b", "");
                compile(&loose).map_err(|e| bad(e.to_string()))?;
                let lang = if lang == "any" { None } else { Some(lang.clone()) };
                let entry = by_lang.entry(lang).or_default();
                entry.0.push(loose);
                entry.1.push(patterns.len());
                patterns.push(Pattern { indicator: i, regex });
            }
        }
    }
    let mut prefilters = Vec::new();
    for (lang, (loose, idx)) in by_lang {
        let set = RegexSetBuilder::new(&loose)
            .size_limit(1 << 26)
            .dfa_size_limit(1 << 25)
            .build()
            .map_err(|e| Error::Catalogue(format!("{kind} patterns ({lang:?}): {e}")))?;
        prefilters.push(Prefilter { lang, set, patterns: idx });
    }
    Ok(KindMatcher { prefilters, patterns })
}

/// `text` with every character lowercased whose lowercase form has the same length in UTF-8, so
/// that byte offsets in the result are offsets in `text`.
pub(crate) fn lowercase_same_offsets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(lc), None) if lc.len_utf8() == c.len_utf8() => out.push(lc),
                _ => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalogue_loads_and_covers_both_kinds() {
        let cat = Catalogue::bundled().unwrap();
        assert!(cat.of_kind(AdKind::Job).count() >= 11);
        assert!(cat.of_kind(AdKind::Escort).count() >= 7);
        assert!(cat.index_of("job.fee_required").is_some());
        assert!(!cat.job.patterns.is_empty() && !cat.escort.patterns.is_empty());
        assert!(cat.job.prefilters.iter().any(|p| p.lang.is_none()));
    }

    #[test]
    fn every_indicator_is_localised_in_every_supported_language() {
        let cat = Catalogue::bundled().unwrap();
        for ind in &cat.indicators {
            for l in SUPPORTED {
                assert!(ind.title.contains_key(*l), "{} title {l}", ind.id);
                assert!(ind.tip.contains_key(*l), "{} tip {l}", ind.id);
            }
        }
    }

    #[test]
    fn bad_catalogues_are_rejected_with_the_indicator_named() {
        let bad = BUNDLED_INDICATORS.replacen(r"'\b(?:visa|processing", r"'\b(?:visa|(processing", 1);
        let err = Catalogue::parse(&bad, BUNDLED_MESSAGES).unwrap_err().to_string();
        assert!(err.contains("job.fee_required"), "{err}");
        let dup = format!(
            "{BUNDLED_INDICATORS}\n[[indicator]]\nid = \"job.urgency\"\nkind = \"job\"\nlanguages = [\"*\"]\nweight = 1.0\ndetector = \"chat_handle\"\ndescription = \"x\"\nevidence = \"x\"\nweight_basis = \"x\"\ntitle = {{ en = \"x\" }}\ntip = {{ en = \"x\" }}\n"
        );
        assert!(Catalogue::parse(&dup, BUNDLED_MESSAGES).unwrap_err().to_string().contains("duplicate"));
    }

    #[test]
    fn lowercasing_keeps_offsets() {
        let s = "ÉTÉ İstanbul ẞ Ω K";
        let l = lowercase_same_offsets(s);
        assert_eq!(l.len(), s.len());
        assert!(l.starts_with("été"));
        assert!(has_capital("Visa") && !has_capital(r"\bvisa\s\d"));
    }

    #[test]
    fn messages_fall_back_to_english() {
        let cat = Catalogue::bundled().unwrap();
        assert_eq!(cat.messages.verdict(Verdict::Suspicious, "de"), "suspicious");
        assert_eq!(cat.messages.verdict(Verdict::Suspicious, "es"), "sospechoso");
        assert!(!cat.messages.tips(AdKind::Job, "id").is_empty());
    }
}
