//! Known-ad memory: how closely an ad's wording matches the labelled ads a model was trained on.
//!
//! Fraud campaigns post one template many times with small edits (new title, new city, a reworded
//! paragraph). The hashed n-gram text model scores *words*; it does not know that an ad is an edited
//! copy of one particular known fraud, or of one particular known genuine employer's ad. The memory
//! does: it keeps every training ad as a TF-IDF vector of its words and word pairs (title, company profile,
//! description, requirements, benefits; contacts as the placeholders `xemailx`, `xphonex`, `xurlx`;
//! sub-linear term frequency `1 + ln tf`; smoothed inverse document frequency over the training ads;
//! words seen in fewer than two training ads dropped; unit length) and gives a new ad three values:
//! its highest cosine similarity to a known fraudulent ad ([`KNN_FRAUD`]), to a known legitimate ad
//! ([`KNN_LEGIT`]) and their difference ([`KNN_MARGIN`]). The combiner reads them like any other
//! numeric field (thermometer-coded), so it learns from data how much a close match to known fraud
//! is worth.
//!
//! In training, each ad's values are computed against the *other* training ads outside its group of
//! copies, which is what an unseen ad meets; a scored ad is compared with all of them. Only hashes
//! of words and their weights are stored, never the text.
//!
//! The search adds the query's weight times each held ad's weight, word by word: rare words through
//! their postings (the ads that contain them), common words (in at least an eighth of the ads)
//! through a dense row of every ad's weight, which is the same sum done by a vectorised loop.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use candle_core::{DType, Device, Tensor};

use crate::combiner::Meta;
use crate::data::JobRecord;
use crate::error::{Error, Result};
use crate::features;

/// Highest similarity to a known fraudulent training ad.
pub const KNN_FRAUD: &str = "knn_fraud";
/// Highest similarity to a known legitimate training ad.
pub const KNN_LEGIT: &str = "knn_legit";
/// [`KNN_FRAUD`] minus [`KNN_LEGIT`].
pub const KNN_MARGIN: &str = "knn_margin";

/// The memory's value names, in the order the combiner stores them.
pub const NAMES: [&str; 3] = [KNN_FRAUD, KNN_LEGIT, KNN_MARGIN];

/// The words of an ad as hashed term counts, sorted by hash.
pub(crate) type Terms = Vec<(u32, u32)>;

/// The hashed word counts of the text columns of a record.
pub(crate) fn record_terms(rec: &JobRecord) -> Terms {
    let mut hashes = Vec::new();
    for t in features::stacked_texts(rec) {
        features::word_hashes(t, &mut hashes);
    }
    terms_of(&hashes)
}

/// Term counts of a list of word hashes (as [`features::word_hashes`] gives them): each word and
/// each pair of consecutive words. (A memory of words alone, as written before pairs were added,
/// ignores the pairs: they are not in its vocabulary.)
pub(crate) fn terms_of(words: &[u64]) -> Terms {
    let mut hs: Vec<u32> = Vec::with_capacity(2 * words.len());
    hs.extend(words.iter().map(|&h| (h ^ (h >> 32)) as u32));
    // Word pairs: two ads on one topic share words; two copies of one template share phrasing.
    for w in words.windows(2) {
        let h = (w[0].rotate_left(17) ^ w[1]).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        hs.push((h ^ (h >> 32)) as u32);
    }
    hs.sort_unstable();
    let mut out = Terms::with_capacity(hs.len());
    for h in hs {
        match out.last_mut() {
            Some((last, c)) if *last == h => *c += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// A hasher for keys that are already hashes: one multiplication spreads them over all 64 bits.
#[derive(Default)]
pub(crate) struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type HashIndex<V> = HashMap<u32, V, BuildHasherDefault<PreHashed>>;

/// A vocabulary entry whose postings cover at least 1/`DENSE_SHARE` of the ads is kept as a dense
/// row: adding a dense row is a vectorised loop, several times faster per ad than scattered postings.
const DENSE_SHARE: usize = 8;

/// TF-IDF vectors of labelled ads with an inverted index for nearest-neighbour queries.
#[derive(Debug, Clone, PartialEq)]
pub struct AdMemory {
    /// Word hash → (vocabulary index, idf).
    vocab: HashIndex<(u32, f32)>,
    /// Per ad, the range of `terms`/`weights` that holds its vector.
    offsets: Vec<u32>,
    terms: Vec<u32>,
    weights: Vec<f32>,
    positive: Vec<bool>,
    /// Per vocabulary index, the range of `post_ads`/`post_weights`.
    post_offsets: Vec<u32>,
    post_ads: Vec<u32>,
    post_weights: Vec<f32>,
    /// Per vocabulary index, its row in `dense` (`u32::MAX`: kept as postings).
    dense_of: Vec<u32>,
    /// Rows of `len()` weights for the most common words.
    dense: Vec<f32>,
}

impl AdMemory {
    /// Builds the memory of `docs` (hashed word counts) labelled `positive`.
    pub(crate) fn build(docs: &[&Terms], positive: &[bool]) -> AdMemory {
        let n = docs.len();
        let mut df: HashIndex<u32> = HashIndex::default();
        for d in docs {
            for (t, _) in d.iter() {
                *df.entry(*t).or_default() += 1;
            }
        }
        let mut kept: Vec<(u32, u32)> = df.into_iter().filter(|(_, c)| *c >= 2).collect();
        kept.sort_unstable();
        let vocab: HashIndex<(u32, f32)> = kept
            .iter()
            .enumerate()
            .map(|(i, &(h, c))| (h, (i as u32, ((1.0 + n as f64) / (1.0 + f64::from(c))).ln() as f32 + 1.0)))
            .collect();
        let mut m = AdMemory {
            vocab,
            offsets: vec![0],
            terms: Vec::new(),
            weights: Vec::new(),
            positive: positive.to_vec(),
            post_offsets: Vec::new(),
            post_ads: Vec::new(),
            post_weights: Vec::new(),
            dense_of: Vec::new(),
            dense: Vec::new(),
        };
        for d in docs {
            let v = m.vector(d);
            for (t, w) in v {
                m.terms.push(t);
                m.weights.push(w);
            }
            m.offsets.push(m.terms.len() as u32);
        }
        m.index();
        m
    }

    /// The number of ads held.
    pub fn len(&self) -> usize {
        self.positive.len()
    }

    /// Whether no ad is held.
    pub fn is_empty(&self) -> bool {
        self.positive.is_empty()
    }

    fn index(&mut self) {
        let v = self.vocab.len();
        let mut counts = vec![0u32; v + 1];
        for &t in &self.terms {
            counts[t as usize + 1] += 1;
        }
        for i in 1..=v {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        self.post_ads = vec![0; self.terms.len()];
        self.post_weights = vec![0.0; self.terms.len()];
        for a in 0..self.len() {
            for k in self.offsets[a] as usize..self.offsets[a + 1] as usize {
                let t = self.terms[k] as usize;
                let at = fill[t] as usize;
                self.post_ads[at] = a as u32;
                self.post_weights[at] = self.weights[k];
                fill[t] += 1;
            }
        }
        self.post_offsets = counts;
        let n = self.len();
        self.dense_of = vec![u32::MAX; v];
        self.dense.clear();
        for t in 0..v {
            let (a, b) = (self.post_offsets[t] as usize, self.post_offsets[t + 1] as usize);
            if n > 0 && (b - a) * DENSE_SHARE >= n {
                self.dense_of[t] = (self.dense.len() / n) as u32;
                let at = self.dense.len();
                self.dense.resize(at + n, 0.0);
                for (ad, w) in self.post_ads[a..b].iter().zip(&self.post_weights[a..b]) {
                    self.dense[at + *ad as usize] = *w;
                }
            }
        }
    }

    /// The unit-length TF-IDF vector of an ad over the memory's vocabulary, as (index, weight).
    fn vector(&self, terms: &Terms) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|(h, c)| self.vocab.get(h).map(|&(i, idf)| (i, (1.0 + (*c as f32).ln()) * idf)))
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for x in &mut v {
                x.1 /= norm;
            }
        }
        v.sort_unstable_by_key(|x| x.0);
        v
    }

    /// The three memory values of an ad, skipping held ads for which `skip(index)` is true (in
    /// training: the ad's own group of copies).
    pub(crate) fn values(&self, terms: &Terms, skip: impl Fn(usize) -> bool) -> [f32; 3] {
        let q = self.vector(terms);
        let mut sim = vec![0f32; self.len()];
        let n = self.len();
        for (t, w) in q {
            let row = self.dense_of[t as usize] as usize;
            if row != u32::MAX as usize {
                for (s, mw) in sim.iter_mut().zip(&self.dense[row * n..(row + 1) * n]) {
                    *s += w * mw;
                }
                continue;
            }
            let (a, b) = (self.post_offsets[t as usize] as usize, self.post_offsets[t as usize + 1] as usize);
            for (ad, mw) in self.post_ads[a..b].iter().zip(&self.post_weights[a..b]) {
                sim[*ad as usize] += w * mw;
            }
        }
        let (mut fraud, mut legit) = (0f32, 0f32);
        for (i, s) in sim.into_iter().enumerate() {
            if skip(i) {
                continue;
            }
            if self.positive[i] {
                fraud = fraud.max(s);
            } else {
                legit = legit.max(s);
            }
        }
        [fraud, legit, fraud - legit]
    }

    /// Adds the memory values of `terms` to a combiner view.
    pub(crate) fn annotate(&self, terms: &Terms, meta: &mut Meta, skip: impl Fn(usize) -> bool) {
        for (name, v) in NAMES.into_iter().zip(self.values(terms, skip)) {
            meta.numeric.insert(name, v);
        }
    }

    /// The memory as named tensors (`<prefix>.memory_*`).
    pub(crate) fn to_tensors(&self, prefix: &str, out: &mut HashMap<String, Tensor>) -> Result<()> {
        let mut vocab: Vec<(u32, u32, f32)> = self.vocab.iter().map(|(h, (i, idf))| (*i, *h, *idf)).collect();
        vocab.sort_unstable_by_key(|x| x.0);
        let hashes: Vec<u32> = vocab.iter().map(|x| x.1).collect();
        let idf: Vec<f32> = vocab.iter().map(|x| x.2).collect();
        let labels: Vec<u8> = self.positive.iter().map(|&p| u8::from(p)).collect();
        let cpu = &Device::Cpu;
        out.insert(format!("{prefix}.memory_vocab"), Tensor::from_slice(&hashes, hashes.len(), cpu)?);
        out.insert(format!("{prefix}.memory_idf"), Tensor::from_slice(&idf, idf.len(), cpu)?);
        out.insert(format!("{prefix}.memory_offsets"), Tensor::from_slice(&self.offsets, self.offsets.len(), cpu)?);
        out.insert(format!("{prefix}.memory_terms"), Tensor::from_slice(&self.terms, self.terms.len(), cpu)?);
        // Half precision keeps the file small; similarities need about three digits.
        out.insert(
            format!("{prefix}.memory_weights"),
            Tensor::from_slice(&self.weights, self.weights.len(), cpu)?.to_dtype(DType::F16)?,
        );
        out.insert(format!("{prefix}.memory_labels"), Tensor::from_slice(&labels, labels.len(), cpu)?);
        Ok(())
    }

    /// Reads a memory written by [`AdMemory::to_tensors`]; `None` when the tensors are absent.
    pub(crate) fn from_tensors(
        prefix: &str,
        tensors: &mut HashMap<String, Tensor>,
        location: &str,
    ) -> Result<Option<AdMemory>> {
        let names = ["vocab", "idf", "offsets", "terms", "weights", "labels"];
        let mut got: Vec<Option<Tensor>> =
            names.iter().map(|n| tensors.remove(&format!("{prefix}.memory_{n}"))).collect();
        if got.iter().all(Option::is_none) {
            return Ok(None);
        }
        let bad = |m: String| Error::Model { location: location.to_string(), message: format!("{prefix}: {m}") };
        if let Some(i) = got.iter().position(Option::is_none) {
            return Err(bad(format!("tensor memory_{} is missing", names[i])));
        }
        let mut take = |i: usize| got[i].take().expect("checked above").flatten_all();
        let hashes = take(0)?.to_dtype(DType::U32)?.to_vec1::<u32>()?;
        let idf = take(1)?.to_dtype(DType::F32)?.to_vec1::<f32>()?;
        let offsets = take(2)?.to_dtype(DType::U32)?.to_vec1::<u32>()?;
        let terms = take(3)?.to_dtype(DType::U32)?.to_vec1::<u32>()?;
        let weights = take(4)?.to_dtype(DType::F32)?.to_vec1::<f32>()?;
        let labels = take(5)?.to_dtype(DType::U8)?.to_vec1::<u8>()?;
        if hashes.len() != idf.len()
            || offsets.len() != labels.len() + 1
            || terms.len() != weights.len()
            || offsets.first() != Some(&0)
            || offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().map(|&o| o as usize) != Some(terms.len())
            || terms.iter().any(|&t| t as usize >= hashes.len())
            || idf.iter().chain(&weights).any(|x| !x.is_finite())
        {
            return Err(bad("the memory tensors do not fit together".into()));
        }
        let mut m = AdMemory {
            vocab: hashes.into_iter().zip(idf).enumerate().map(|(i, (h, idf))| (h, (i as u32, idf))).collect(),
            offsets,
            terms,
            weights,
            positive: labels.into_iter().map(|l| l != 0).collect(),
            post_offsets: Vec::new(),
            post_ads: Vec::new(),
            post_weights: Vec::new(),
            dense_of: Vec::new(),
            dense: Vec::new(),
        };
        m.index();
        Ok(Some(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(title: &str, description: &str) -> JobRecord {
        JobRecord { title: title.into(), description: Some(description.into()), ..Default::default() }
    }

    fn memory() -> (AdMemory, Vec<Terms>) {
        let docs = [
            rec("Data entry clerk", "Work from home, weekly pay, no experience needed. Email xemailx to start today."),
            rec("Data entry assistant", "Work from home, weekly pay, no experience needed. Send your details today."),
            rec("Staff accountant", "Our audit team in Leeds needs a qualified accountant with five years experience."),
            rec("Senior accountant", "Our audit team in York needs a qualified accountant with five years experience."),
        ];
        let terms: Vec<Terms> = docs.iter().map(record_terms).collect();
        let refs: Vec<&Terms> = terms.iter().collect();
        (AdMemory::build(&refs, &[true, true, false, false]), terms)
    }

    #[test]
    fn an_edited_copy_is_close_to_its_template_and_far_from_the_others() {
        let (m, _) = memory();
        let q =
            record_terms(&rec("Home data entry", "Work from home with weekly pay; no experience needed. Apply today."));
        let [fraud, legit, margin] = m.values(&q, |_| false);
        assert!(fraud > 0.6, "fraud similarity {fraud}");
        assert!(legit < 0.25 && fraud > 3.0 * legit, "legit similarity {legit}");
        assert!((margin - (fraud - legit)).abs() < 1e-6);
        let q = record_terms(&rec(
            "Accountant",
            "A qualified accountant for our audit team in Bath, five years experience.",
        ));
        let [fraud, legit, _] = m.values(&q, |_| false);
        assert!(legit > 0.6 && fraud < 0.25 && legit > 3.0 * fraud, "{fraud} {legit}");
    }

    #[test]
    fn skipped_ads_do_not_count_and_unknown_words_give_zero() {
        let (m, terms) = memory();
        let [alone, _, _] = m.values(&terms[0], |_| false);
        assert!((alone - 1.0).abs() < 1e-5, "an ad matches itself: {alone}");
        let [other, legit, _] = m.values(&terms[0], |i| i == 0);
        assert!(other <= alone && other > 0.3, "the other copy still matches: {other}");
        let [none, same_legit, margin] = m.values(&terms[0], |i| i < 2);
        assert_eq!(none, 0.0, "with both fraud ads skipped nothing fraudulent is known");
        assert_eq!(same_legit, legit);
        assert_eq!(margin, -legit);
        let nothing = record_terms(&rec("zzzz", "qqqq wwww"));
        assert_eq!(m.values(&nothing, |_| false), [0.0, 0.0, 0.0]);
        assert_eq!(m.values(&Terms::new(), |_| false), [0.0, 0.0, 0.0]);
    }

    #[test]
    fn dense_rows_and_postings_give_the_same_similarities() {
        let (mut m, terms) = memory();
        assert!(m.dense_of.iter().any(|&r| r != u32::MAX), "the common words of four ads are dense");
        let dense: Vec<[f32; 3]> = terms.iter().map(|q| m.values(q, |_| false)).collect();
        m.dense_of.iter_mut().for_each(|r| *r = u32::MAX);
        for (q, d) in terms.iter().zip(&dense) {
            let s = m.values(q, |_| false);
            for (x, y) in s.iter().zip(d) {
                assert!((x - y).abs() < 1e-6, "{s:?} {d:?}");
            }
        }
    }

    #[test]
    fn the_scoring_pass_reads_the_same_words_as_training() {
        let mut r =
            rec("Data entry clerk", "Work from home, weekly pay. Email jobs@example.com or call +1 202 555 0147.");
        r.company_profile = Some("A small firm.".into());
        r.benefits = Some("Weekly pay, weekly bonus.".into());
        let mut words = Vec::new();
        let row = features::stacked_record_parts(crate::features::FeatureConfig::default(), &r, Some(&mut words));
        assert_eq!(row, features::stacked_record_row(crate::features::FeatureConfig::default(), &r));
        assert_eq!(terms_of(&words), record_terms(&r));
        assert!(record_terms(&r).iter().any(|&(_, c)| c == 3), "'weekly' is counted three times");
        assert!(record_terms(&r).iter().any(|&(_, c)| c == 2), "'weekly pay' is counted twice");
    }

    #[test]
    fn the_memory_survives_its_tensors() {
        let (m, terms) = memory();
        let mut t = HashMap::new();
        m.to_tensors("fields", &mut t).unwrap();
        let back = AdMemory::from_tensors("fields", &mut t, "test").unwrap().unwrap();
        assert!(t.is_empty(), "every memory tensor is consumed");
        for q in &terms {
            let (a, b) = (m.values(q, |_| false), back.values(q, |_| false));
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() < 2e-3, "{a:?} {b:?}");
            }
        }
        assert!(AdMemory::from_tensors("fields", &mut HashMap::new(), "test").unwrap().is_none());
        let mut broken = HashMap::new();
        m.to_tensors("fields", &mut broken).unwrap();
        broken.remove("fields.memory_idf");
        assert!(AdMemory::from_tensors("fields", &mut broken, "test").is_err());
    }
}
