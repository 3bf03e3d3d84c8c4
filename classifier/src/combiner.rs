//! The combiner: the second stage of a stacked head.
//!
//! A stacked head scores an ad in two steps. The first is the hashed n-gram text model (see
//! [`crate::features`]), whose raw logit `z` says how much the wording resembles fraud. The second is
//! a logistic layer over a small, readable feature vector built from `z` and the ad's structured
//! fields:
//!
//! - numeric values — `z` itself, the length of every text field (log characters and log words) and
//!   the number of links, e-mail addresses and phone numbers — each **thermometer-encoded** against
//!   quantile edges learned from the training data (feature `k` of a value is 1 when the value is at
//!   least edge `k`), so that the layer can learn any monotone-or-not step function of each value
//!   while an L2 penalty on the steps keeps it smooth;
//! - one-hot **tokens** of the categorical columns (`country=US`, `has_company_logo=0`,
//!   `employment_type=__empty__`, `company_profile_empty=1`, ...), kept when they occur in at least a
//!   few training ads.
//!
//! The first stage is trained out-of-fold for the second (stacking), so that the combiner learns how
//! far to trust the text score on ads the text model has not seen. Everything the combiner uses is
//! stored with the model (`CombinerConfig` in `config.json`, the weights in `model.safetensors`), so
//! scoring repeats training exactly.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::data::JobRecord;
use crate::features;

/// The name of the first-stage score among the numeric features.
pub const TEXT_SCORE: &str = "text_score";

/// One thermometer-encoded value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumericSpec {
    /// The value's name (see [`record_meta`]).
    pub name: String,
    /// Ascending edges; the value sets one feature per edge it reaches.
    pub edges: Vec<f32>,
}

/// What the combiner reads, learned from training data and stored with the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombinerConfig {
    /// The numeric values, [`TEXT_SCORE`] first.
    pub numeric: Vec<NumericSpec>,
    /// The categorical tokens, one feature each, after the numeric ones.
    pub tokens: Vec<String>,
}

/// The structured part of an ad that the combiner reads (everything but the text score).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Values by name.
    pub numeric: BTreeMap<&'static str, f32>,
    /// Categorical tokens.
    pub tokens: Vec<String>,
}

const TEXT_FIELDS: [&str; 5] = ["title", "company_profile", "description", "requirements", "benefits"];

fn words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count()
}

/// How many of each contact placeholder (or real contact) a text holds.
fn contact_counts(text: &str) -> (f32, f32, f32) {
    let (mut urls, mut emails, mut phones) = (0f32, 0f32, 0f32);
    for kind in features::contact_kinds(text) {
        match kind {
            features::Contact::Url => urls += 1.0,
            features::Contact::Email => emails += 1.0,
            features::Contact::Phone => phones += 1.0,
        }
    }
    (urls, emails, phones)
}

fn token_value(v: &str) -> String {
    let v = v.trim();
    if v.is_empty() { "__empty__".to_string() } else { v.split_whitespace().collect::<Vec<_>>().join("_") }
}

/// The combiner's view of an EMSCAD-style job record. Columns the file does not have (`None`) add no
/// token, so an ad from a file with fewer columns is scored by what is known.
pub fn record_meta(rec: &JobRecord) -> Meta {
    let mut m = Meta::default();
    let texts: [(&'static str, Option<&String>); 5] = [
        ("title", Some(&rec.title)),
        ("company_profile", rec.company_profile.as_ref()),
        ("description", rec.description.as_ref()),
        ("requirements", rec.requirements.as_ref()),
        ("benefits", rec.benefits.as_ref()),
    ];
    let (mut urls, mut emails, mut phones) = (0f32, 0f32, 0f32);
    for (i, (name, value)) in texts.into_iter().enumerate() {
        // Records are read with their markup already stripped (see `data::read_emscad_csv`).
        let Some(clean) = value else { continue };
        let (u, e, p) = contact_counts(clean);
        urls += u;
        emails += e;
        phones += p;
        let chars = clean.trim().chars().count();
        m.numeric.insert(CHARS[i], (chars as f32).ln_1p());
        m.numeric.insert(WORDS[i], (words(clean) as f32).ln_1p());
        if name != "title" {
            m.tokens.push(format!("{name}_empty={}", u8::from(chars == 0)));
        }
    }
    m.numeric.insert("urls", urls);
    m.numeric.insert("emails", emails);
    m.numeric.insert("phones", phones);
    if let Some(loc) = &rec.location {
        let parts: Vec<&str> = loc.split(',').map(str::trim).collect();
        m.tokens.push(format!("country={}", token_value(parts[0])));
        if parts.len() > 1 {
            m.tokens.push(format!("state={}_{}", token_value(parts[0]), token_value(parts[1])));
        }
        if parts.len() > 2 {
            m.tokens.push(format!("city={}", token_value(&parts[2].to_lowercase())));
        }
    }
    for (name, value) in [
        ("department", &rec.department),
        ("salary_range", &rec.salary_range),
        ("employment_type", &rec.employment_type),
        ("required_experience", &rec.required_experience),
        ("required_education", &rec.required_education),
        ("industry", &rec.industry),
        ("function", &rec.function),
    ] {
        if let Some(v) = value {
            m.tokens.push(format!("{name}={}", token_value(v)));
        }
    }
    if let Some(s) = &rec.salary_range {
        m.tokens.push(format!("salary_present={}", u8::from(!s.trim().is_empty())));
    }
    for (name, value) in [
        ("telecommuting", rec.telecommuting),
        ("has_company_logo", rec.has_company_logo),
        ("has_questions", rec.has_questions),
    ] {
        if let Some(v) = value {
            m.tokens.push(format!("{name}={}", u8::from(v)));
        }
    }
    m
}

const CHARS: [&str; 5] =
    ["title_chars", "company_profile_chars", "description_chars", "requirements_chars", "benefits_chars"];
const WORDS: [&str; 5] =
    ["title_words", "company_profile_words", "description_words", "requirements_words", "benefits_words"];

/// The numeric value names, in the order a combiner stores them after [`TEXT_SCORE`].
pub fn numeric_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for i in 0..TEXT_FIELDS.len() {
        v.push(CHARS[i]);
        v.push(WORDS[i]);
    }
    v.extend(["urls", "emails", "phones"]);
    // Present only when the head has a known-ad memory (see `crate::memory`).
    v.extend(crate::memory::NAMES);
    v
}

/// Quantile edges of `values` for `bins` bins (at most `bins - 1` distinct edges).
fn quantile_edges(values: &mut [f32], bins: usize) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let n = values.len();
    let mut edges: Vec<f32> = Vec::new();
    if n == 0 {
        return edges;
    }
    for k in 1..bins {
        let e = values[(k * n / bins).min(n - 1)];
        // An edge at the minimum would be set for every value and say nothing.
        if e > values[0] && edges.last().is_none_or(|l| e > *l) {
            edges.push(e);
        }
    }
    edges
}

impl CombinerConfig {
    /// Learns edges and the token vocabulary from training ads: `scores[i]` is ad i's out-of-fold text
    /// score.
    pub fn learn(scores: &[f32], metas: &[&Meta], bins: usize, min_count: usize) -> CombinerConfig {
        let mut numeric = Vec::new();
        numeric.push(NumericSpec { name: TEXT_SCORE.into(), edges: quantile_edges(&mut scores.to_vec(), bins) });
        for name in numeric_names() {
            let mut vals: Vec<f32> = metas.iter().filter_map(|m| m.numeric.get(name).copied()).collect();
            numeric.push(NumericSpec { name: name.into(), edges: quantile_edges(&mut vals, bins) });
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in metas {
            for t in &m.tokens {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        let tokens = counts.into_iter().filter(|(_, c)| *c >= min_count).map(|(t, _)| t.to_string()).collect();
        CombinerConfig { numeric, tokens }
    }

    /// The length of the feature vector.
    pub fn dim(&self) -> usize {
        self.numeric.iter().map(|n| n.edges.len()).sum::<usize>() + self.tokens.len()
    }

    /// A name for every feature, for explanations and the model card: `text_score>=1.25`,
    /// `has_company_logo=0`.
    pub fn feature_names(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.dim());
        for n in &self.numeric {
            for e in &n.edges {
                out.push(format!("{}>={e:.3}", n.name));
            }
        }
        out.extend(self.tokens.iter().cloned());
        out
    }

    /// An encoder that maps tokens to positions quickly.
    pub fn encoder(&self) -> Encoder<'_> {
        let offset = self.numeric.iter().map(|n| n.edges.len()).sum::<usize>();
        let index = self.tokens.iter().enumerate().map(|(i, t)| (t.as_str(), offset + i)).collect();
        Encoder { cfg: self, index }
    }
}

/// Encodes ads for one combiner.
pub struct Encoder<'a> {
    cfg: &'a CombinerConfig,
    index: HashMap<&'a str, usize>,
}

impl Encoder<'_> {
    /// Appends the feature vector of an ad with text score `score` to `out` (`dim()` values, 0 or 1).
    /// A value the ad does not have (a column its file lacks) sets none of its features.
    pub fn encode_into(&self, score: f32, meta: &Meta, out: &mut Vec<f32>) {
        let start = out.len();
        out.resize(start + self.cfg.dim(), 0.0);
        let mut pos = start;
        for spec in &self.cfg.numeric {
            let v = if spec.name == TEXT_SCORE { Some(score) } else { meta.numeric.get(spec.name.as_str()).copied() };
            if let Some(v) = v.filter(|v| v.is_finite()) {
                for (k, e) in spec.edges.iter().enumerate() {
                    if v >= *e {
                        out[pos + k] = 1.0;
                    } else {
                        break;
                    }
                }
            }
            pos += spec.edges.len();
        }
        for t in &meta.tokens {
            if let Some(&i) = self.index.get(t.as_str()) {
                out[start + i] = 1.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec() -> JobRecord {
        JobRecord {
            title: "Data entry clerk".into(),
            location: Some("US, TX, Houston".into()),
            company_profile: Some(String::new()),
            description: Some("Work from home. Email #EMAIL_ab12# or call #PHONE_cd34#.".into()),
            salary_range: Some("30000-40000".into()),
            has_company_logo: Some(false),
            ..Default::default()
        }
    }

    #[test]
    fn a_record_becomes_values_and_tokens() {
        let m = record_meta(&rec());
        assert!(m.tokens.contains(&"country=US".to_string()));
        assert!(m.tokens.contains(&"state=US_TX".to_string()));
        assert!(m.tokens.contains(&"city=houston".to_string()));
        assert!(m.tokens.contains(&"company_profile_empty=1".to_string()));
        assert!(m.tokens.contains(&"description_empty=0".to_string()));
        assert!(m.tokens.contains(&"has_company_logo=0".to_string()));
        assert!(m.tokens.contains(&"salary_present=1".to_string()));
        // Columns the file lacks add nothing.
        assert!(!m.tokens.iter().any(|t| t.starts_with("telecommuting=") || t.starts_with("benefits_empty")));
        assert_eq!(m.numeric["emails"], 1.0);
        assert_eq!(m.numeric["phones"], 1.0);
        assert_eq!(m.numeric["company_profile_chars"], 0.0);
        assert!(!m.numeric.contains_key("benefits_chars"));
    }

    #[test]
    fn values_are_thermometer_encoded_and_tokens_one_hot() {
        let a = record_meta(&rec());
        let mut b = a.clone();
        b.tokens.push("rare=1".into());
        let cfg = CombinerConfig::learn(&[-2.0, -1.0, 0.0, 1.0, 2.0], &[&a, &a, &a, &b], 4, 2);
        assert!(!cfg.tokens.contains(&"rare=1".to_string()), "tokens below the minimum count are dropped");
        let score = &cfg.numeric[0];
        assert_eq!(score.name, TEXT_SCORE);
        assert_eq!(score.edges, vec![-1.0, 0.0, 1.0]);
        let enc = cfg.encoder();
        let mut v = Vec::new();
        enc.encode_into(0.5, &a, &mut v);
        assert_eq!(v.len(), cfg.dim());
        assert_eq!(&v[..3], &[1.0, 1.0, 0.0], "0.5 reaches the edges -1 and 0");
        let names = cfg.feature_names();
        assert_eq!(names.len(), cfg.dim());
        let logo = names.iter().position(|n| n == "has_company_logo=0").unwrap();
        assert_eq!(v[logo], 1.0);
        let mut w = Vec::new();
        enc.encode_into(f32::NAN, &Meta::default(), &mut w);
        assert!(w.iter().all(|x| *x == 0.0), "nothing known sets nothing");
    }
}
