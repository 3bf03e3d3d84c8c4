//! What moved a score beyond the catalogue's indicators: the text model's strongest phrases and the
//! known-ad memory, each as a [`FiredIndicator`] with its evidence, so that every verdict can be read
//! off the ad (a plain "Data Entry Clerk" ad that scores high shows the wording that raised it).
//!
//! A phrase's contribution is the sum of the weights of the hashed n-grams it sets (scaled as the head
//! scales its rows), counted once per bucket as the row counts it. Contributions of overlapping
//! n-grams are merged into one highlighted passage. The weight of each explanation is a what-if in
//! the shown log-odds: how much lower (or higher) the score would be without those phrases, or if the
//! ad resembled its nearest fraudulent training ad no more than its nearest legitimate one. For a
//! stacked head the what-if runs the combiner again, so the weight is what the phrases are worth after
//! the second stage, not before it. Of the phrases toward fraud and toward a legitimate ad, the side
//! that moved the score more is reported.

use redflag_core::{Evidence, FiredIndicator};

use crate::combiner::Meta;
use crate::features::{self, FeatureConfig, RowLayout};
use crate::memory::{KNN_FRAUD, KNN_LEGIT, KNN_MARGIN};
use crate::model::{Head, Model};
use crate::residual::Residual;

/// Wording that the text model weighs toward fraud.
pub const PHRASES_ID: &str = "model.phrases";
/// Wording that the text model weighs toward a legitimate ad.
pub const REASSURING_PHRASES_ID: &str = "model.reassuring_phrases";
/// The ad closely resembles an ad labelled fraudulent in the training data.
pub const KNOWN_FRAUD_ID: &str = "model.known_fraud";
/// The ad closely resembles an ad labelled legitimate in the training data.
pub const KNOWN_LEGITIMATE_ID: &str = "model.known_legitimate";

/// The ids of the explanations, which are not catalogue indicators.
pub const IDS: [&str; 4] = [PHRASES_ID, REASSURING_PHRASES_ID, KNOWN_FRAUD_ID, KNOWN_LEGITIMATE_ID];

/// How many passages an explanation quotes at most.
const MAX_PASSAGES: usize = 5;
/// How many of the strongest n-grams are merged into passages.
const TOP_NGRAMS: usize = 16;
/// Explanations that move the shown log-odds by less than this are left out.
const MIN_EFFECT: f32 = 0.25;
/// A resemblance is named only when the ad is at least this similar to its nearest training ad.
const MIN_SIMILARITY: f32 = 0.3;

/// One passage of the ad with its contribution to the head's raw text logit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Passage {
    pub start: usize,
    pub end: usize,
    pub contribution: f32,
    /// The passage's text (filled once passages are final).
    pub text: String,
}

/// The strongest passages of an ad for one head, toward fraud and toward legitimate.
#[derive(Debug, Clone, Default)]
pub(crate) struct Phrases {
    pub toward_fraud: Vec<Passage>,
    pub toward_legitimate: Vec<Passage>,
}

/// Finds the passages of the scoring text (`title`, a blank line, `body`) that contributed most to the
/// head's raw text logit. `row` is the ad's sorted row of buckets, as the head scored it.
/// `lang` is the language the row was glossed from ([`features::text_row_in`]), if any; `residual`
/// the language's residual with the ad's row of it, when one was added to the text logit (its
/// n-grams' contributions are credited to the words as written).
pub(crate) fn phrases(
    cfg: FeatureConfig,
    head: &Head,
    title: &str,
    body: &str,
    row: &[u32],
    lang: Option<&str>,
    residual: Option<(&Residual, &[u32])>,
) -> Phrases {
    let Some(w) = &head.text_weight_values else { return Phrases::default() };
    let layout = if head.cfg.combiner.is_some() { RowLayout::Shared } else { RowLayout::Fields };
    let scale = if head.cfg.unit_rows() { 1.0 / (row.len().max(1) as f32).sqrt() } else { 1.0 };
    // A bucket counts once in the row, so it is credited to the first n-gram that sets it.
    let mut seen = vec![false; row.len()];
    let mut first = |b: u32| match row.binary_search(&b) {
        Ok(i) if !seen[i] => {
            seen[i] = true;
            true
        }
        _ => false,
    };
    let mut grams: Vec<Passage> = Vec::new();
    for (field, text, offset) in [("title", title, 0), ("body", body, title.len() + 2)] {
        features::for_each_ngram_span(cfg, layout, field, text, lang, |s, e, buckets| {
            let c: f32 = buckets.iter().filter(|b| first(**b)).map(|b| w[*b as usize] * scale).sum();
            if c != 0.0 {
                grams.push(Passage { start: offset + s, end: offset + e, contribution: c, text: String::new() });
            }
        });
    }
    if let Some((r, rrow)) = residual {
        let mut rseen = vec![false; rrow.len()];
        for (field, text, offset) in [("title", title, 0), ("body", body, title.len() + 2)] {
            r.for_each_contribution(cfg, field, text, rrow, &mut rseen, |s, e, c| {
                grams.push(Passage { start: offset + s, end: offset + e, contribution: c, text: String::new() });
            });
        }
    }
    let body_at = title.len() + 2;
    let pick = |sign: f32| {
        let mut top: Vec<&Passage> = grams.iter().filter(|g| g.contribution * sign > 0.0).collect();
        top.sort_by(|a, b| (b.contribution * sign).total_cmp(&(a.contribution * sign)));
        top.truncate(TOP_NGRAMS);
        let mut passages = merge(top);
        for p in &mut passages {
            // An n-gram never spans the title and the body, so neither does a merged passage.
            let quoted = if p.start >= body_at {
                body.get(p.start - body_at..p.end - body_at)
            } else {
                title.get(p.start..p.end)
            };
            p.text = quoted.unwrap_or_default().to_string();
        }
        passages
    };
    Phrases { toward_fraud: pick(1.0), toward_legitimate: pick(-1.0) }
}

/// Merges overlapping or touching n-grams into passages, strongest passage first.
fn merge(mut grams: Vec<&Passage>) -> Vec<Passage> {
    grams.sort_by_key(|g| (g.start, g.end));
    let mut out: Vec<Passage> = Vec::new();
    for g in grams {
        match out.last_mut() {
            Some(last) if g.start <= last.end + 1 => {
                last.end = last.end.max(g.end);
                last.contribution += g.contribution;
            }
            _ => out.push(g.clone()),
        }
    }
    out.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    out.truncate(MAX_PASSAGES);
    out
}

/// The explanations of one scored ad: `raw_text` is the head's text logit before any combiner, `meta`
/// the combiner's view of the ad (stacked heads).
pub(crate) fn explain(
    model: &Model,
    head: &Head,
    phrases: &Phrases,
    raw_text: f32,
    meta: Option<&Meta>,
) -> Vec<FiredIndicator> {
    let empty = Meta::default();
    let meta = meta.unwrap_or(&empty);
    let shown = |raw: f32, m: &Meta| head.slope * model.combine_one(head, raw, m);
    let now = shown(raw_text, meta);
    let mut out = Vec::new();
    // Both sides are weighed, and the side that moved the score more is shown: a legitimate ad's
    // explanation is the wording that reassured the model, not the few words that worried it.
    let mut sides = Vec::new();
    for (passages, id, description) in [
        (
            &phrases.toward_fraud,
            PHRASES_ID,
            "Wording that the text model, trained on labelled job ads, counts toward fraud",
        ),
        (
            &phrases.toward_legitimate,
            REASSURING_PHRASES_ID,
            "Wording that the text model, trained on labelled job ads, counts toward a legitimate ad",
        ),
    ] {
        if passages.is_empty() {
            continue;
        }
        let total: f32 = passages.iter().map(|p| p.contribution).sum();
        let effect = now - shown(raw_text - total, meta);
        if effect.abs() < MIN_EFFECT || effect.signum() != total.signum() {
            continue;
        }
        let evidence = passages
            .iter()
            .filter(|p| !p.text.is_empty())
            .map(|p| Evidence { start: p.start, end: p.end, text: p.text.clone() })
            .collect();
        sides.push(FiredIndicator {
            id: id.into(),
            description: description.into(),
            weight: effect,
            evidence,
            note: None,
        });
    }
    if let Some(side) = sides.into_iter().max_by(|a, b| a.weight.abs().total_cmp(&b.weight.abs())) {
        out.push(side);
    }
    if let (Some(&fraud), Some(&legit)) = (meta.numeric.get(KNN_FRAUD), meta.numeric.get(KNN_LEGIT)) {
        // What if the nearest fraudulent and the nearest legitimate training ad were equally close?
        let mut level = meta.clone();
        let mid = fraud.min(legit);
        level.numeric.insert(KNN_FRAUD, mid);
        level.numeric.insert(KNN_LEGIT, mid);
        level.numeric.insert(KNN_MARGIN, 0.0);
        let effect = now - shown(raw_text, &level);
        let (id, description, near) = if fraud >= legit {
            (KNOWN_FRAUD_ID, "Closely resembles an ad labelled fraudulent in the training data", fraud)
        } else {
            (KNOWN_LEGITIMATE_ID, "Closely resembles an ad labelled legitimate in the training data", legit)
        };
        let agrees = (id == KNOWN_FRAUD_ID) == (effect > 0.0);
        if near >= MIN_SIMILARITY && effect.abs() >= MIN_EFFECT && agrees {
            out.push(FiredIndicator {
                id: id.into(),
                description: description.into(),
                weight: effect,
                evidence: Vec::new(),
                note: Some(format!(
                    "text similarity {fraud:.2} to the nearest fraudulent training ad, {legit:.2} to the nearest legitimate one"
                )),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(start: usize, end: usize, contribution: f32) -> Passage {
        Passage { start, end, contribution, text: String::new() }
    }

    #[test]
    fn overlapping_ngrams_merge_into_one_passage() {
        let grams = [p(0, 3, 0.5), p(4, 7, 0.25), p(0, 7, 1.0), p(20, 25, 0.1)];
        let merged = merge(grams.iter().collect());
        assert_eq!(merged, vec![p(0, 7, 1.75), p(20, 25, 0.1)]);
    }
}
