//! Grouping ads into networks: ads that share a contact, or reuse one text template, belong together.
//!
//! # Shared contacts
//!
//! Ads carrying the same contact key are joined. A key shared by `k` ads yields `k - 1` star links from
//! the ad with the smallest id, never all pairs, so links stay linear in the input.
//!
//! # Reused templates
//!
//! Networks post one text many times with the name, number and city changed. Each ad's text is reduced
//! to a template: folded (lowercase, no accents), contacts (`@`, URLs, e-mail addresses), numbers
//! (digits and spelled-out digits, a run of them as one token), gazetteer cities and capitalised words
//! inside a sentence (names) are masked. Texts of fewer than [`MIN_TEMPLATE_WORDS`] words have no
//! template. The template's word 5-shingles are summarised by a 128-value MinHash (fixed seeds, so
//! results are reproducible), ads with identical signatures are grouped directly, and the rest are
//! paired by LSH banding (the band width follows `template_similarity`) and confirmed when the estimated
//! Jaccard similarity reaches `template_similarity`. Inside one LSH bucket each ad is compared with at
//! most [`MAX_BUCKET_REPRESENTATIVES`] earlier ads from distinct template groups, so a bucket of 10,000
//! copies costs 10,000 comparisons, not 50 million. Template groups are the connected components of
//! the confirmed pairs; one link is kept per join.
//!
//! # Cost
//!
//! Linear in the total text and contact size, plus the LSH bucket work: 100,000 ads link in a few
//! seconds on one core. Output is deterministic: same input, same clusters, links and order.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::extract::city::city_spans;
use crate::extract::words::digit_word;
use crate::text::{Folded, fold, truncate_bytes};

/// What [`link`] needs to know about one ad.
#[derive(Debug, Clone)]
pub struct LinkInput<'a> {
    /// The ad's id in the store.
    pub ad_id: i64,
    /// Contact keys, `kind:value` (e.g. `phone:+17025550148`, `email:a@b.c`, `handle:telegram:x`).
    pub contacts: Vec<String>,
    /// The ad's scoring text, compared for reused templates.
    pub text: &'a str,
    /// The ad's city, counted to show how far a contact travels.
    pub city: Option<&'a str>,
}

/// Why two ads are linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkReason {
    /// Both ads carry this contact key.
    SharedContact {
        /// The contact key.
        contact: String,
    },
    /// The ads' texts are near-duplicates once contacts, numbers and names are masked.
    Template {
        /// Estimated Jaccard similarity of their word shingles.
        similarity: f32,
    },
}

/// An edge between two ads (`a < b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The lower ad id.
    pub a: i64,
    /// The higher ad id.
    pub b: i64,
    /// Why they are linked.
    pub reason: LinkReason,
}

/// What linking says about one ad, as context for scoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkContext {
    /// The most ads any one of this ad's contacts appears in (this ad included).
    pub ads_sharing_contact: usize,
    /// The most distinct cities any one of this ad's contacts appears in.
    pub cities_sharing_contact: usize,
    /// How many ads share this ad's text template (this ad included; 1 when none).
    pub template_group_size: usize,
    /// How many ads are in this ad's network (this ad included).
    pub cluster_size: usize,
}

/// Tuning for [`link`].
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Minimum estimated Jaccard similarity for two texts to count as one template.
    pub template_similarity: f32,
}

impl Default for LinkOptions {
    fn default() -> Self {
        Self { template_similarity: 0.5 }
    }
}

/// The networks found among a set of ads.
#[derive(Debug, Clone, Default)]
pub struct Networks {
    /// Each ad's cluster id: the smallest ad id in its network (an ad alone is its own cluster).
    pub cluster_of: HashMap<i64, i64>,
    /// The edges that joined ads, enough to explain every cluster.
    pub links: Vec<Link>,
    /// Per-ad context for scoring.
    pub context: HashMap<i64, NetworkContext>,
}

/// Texts with fewer words than this (after masking) have no template.
pub const MIN_TEMPLATE_WORDS: usize = 8;

/// Comparisons per ad in one LSH bucket (see the module documentation).
pub const MAX_BUCKET_REPRESENTATIVES: usize = 32;

const SHINGLE: usize = 5;
const HASHES: usize = 128;
/// Only the start of a long text is compared: templates show in the first paragraphs.
const MAX_TEMPLATE_BYTES: usize = 16 * 1024;

/// Links ads into networks by shared contacts and reused text templates.
///
/// Ads are identified by `ad_id`; inputs repeating an id are merged (their contacts pooled, the first
/// text used). Contact keys are compared exactly after trimming; empty keys are ignored. Cities are
/// compared case- and accent-insensitively.
///
/// For an ad without contacts, `ads_sharing_contact` is 1 and `cities_sharing_contact` is 1 if it has a
/// city, else 0.
pub fn link(inputs: &[LinkInput<'_>], opts: &LinkOptions) -> Networks {
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    for input in inputs {
        let idx = *by_id.entry(input.ad_id).or_insert_with(|| {
            nodes.push(Node { id: input.ad_id, text: input.text, city: None, contacts: Vec::new() });
            nodes.len() - 1
        });
        let node = &mut nodes[idx];
        if node.city.is_none() {
            node.city = input.city.map(normalize_city).filter(|c| !c.is_empty());
        }
        node.contacts.extend(input.contacts.iter().map(|c| c.trim()).filter(|c| !c.is_empty()));
    }
    // Work in ad-id order so every tie (star centres, representatives) resolves the same way each run.
    nodes.sort_by_key(|n| n.id);
    for n in &mut nodes {
        n.contacts.sort_unstable();
        n.contacts.dedup();
    }
    let n = nodes.len();
    let mut net = UnionFind::new(n);
    let mut links = Vec::new();

    // Shared contacts.
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        for &c in &node.contacts {
            members.entry(c).or_default().push(i);
        }
    }
    let mut contacts: Vec<(&str, Vec<usize>)> = members.into_iter().collect();
    contacts.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut sharing = vec![1usize; n];
    let mut cities = vec![0usize; n];
    for (i, node) in nodes.iter().enumerate() {
        cities[i] = usize::from(node.city.is_some());
    }
    for (contact, ads) in &contacts {
        let mut distinct: Vec<&str> = ads.iter().filter_map(|&i| nodes[i].city.as_deref()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        for &i in ads {
            sharing[i] = sharing[i].max(ads.len());
        }
        for &i in ads {
            cities[i] = cities[i].max(distinct.len());
        }
        let Some((&centre, rest)) = ads.split_first() else { continue };
        for &other in rest {
            net.union(centre, other);
            links.push(Link {
                a: nodes[centre].id,
                b: nodes[other].id,
                reason: LinkReason::SharedContact { contact: (*contact).to_string() },
            });
        }
    }

    // Reused templates.
    let mut templates = UnionFind::new(n);
    let sigs = Signatures::compute(&nodes);
    let threshold = opts.template_similarity.clamp(0.0, 1.0);
    let mut join = |a: usize, b: usize, similarity: f32, templates: &mut UnionFind, net: &mut UnionFind| {
        if templates.union(a, b) {
            net.union(a, b);
            let (a, b) = (nodes[a.min(b)].id, nodes[a.max(b)].id);
            links.push(Link { a, b, reason: LinkReason::Template { similarity } });
        }
    };
    // Identical signatures: one group each, star-linked from the smallest id.
    let mut reps: Vec<usize> = Vec::new();
    let mut first_with: HashMap<&[u32], usize> = HashMap::new();
    for i in 0..n {
        let Some(sig) = sigs.get(i) else { continue };
        match first_with.get(sig) {
            Some(&rep) => join(rep, i, 1.0, &mut templates, &mut net),
            None => {
                first_with.insert(sig, i);
                reps.push(i);
            }
        }
    }
    drop(first_with);
    // Near-identical ones: LSH over the representatives, one band at a time to bound memory.
    let rows = rows_per_band(threshold);
    let bands = HASHES / rows;
    for band in 0..bands {
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
        for &i in &reps {
            if let Some(sig) = sigs.get(i) {
                buckets.entry(band_key(band, &sig[band * rows..(band + 1) * rows])).or_default().push(i);
            }
        }
        let mut keys: Vec<u64> = buckets.keys().copied().filter(|k| buckets[k].len() > 1).collect();
        keys.sort_unstable();
        for key in keys {
            let bucket = &buckets[&key];
            let mut seen: Vec<usize> = Vec::new();
            for &x in bucket {
                let mut joined_any = false;
                for &r in &seen {
                    if templates.find(r) == templates.find(x) {
                        joined_any = true;
                        continue;
                    }
                    let (Some(sx), Some(sr)) = (sigs.get(x), sigs.get(r)) else { continue };
                    let similarity = estimated_jaccard(sx, sr);
                    if similarity >= threshold {
                        join(r, x, similarity, &mut templates, &mut net);
                        joined_any = true;
                    }
                }
                if !joined_any && seen.len() < MAX_BUCKET_REPRESENTATIVES {
                    seen.push(x);
                }
            }
        }
    }

    // Clusters and context.
    let mut cluster_min: HashMap<usize, i64> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let root = net.find(i);
        let e = cluster_min.entry(root).or_insert(node.id);
        *e = (*e).min(node.id);
    }
    let mut out = Networks::default();
    for (i, node) in nodes.iter().enumerate() {
        let root = net.find(i);
        out.cluster_of.insert(node.id, cluster_min[&root]);
        let t = templates.find(i);
        out.context.insert(
            node.id,
            NetworkContext {
                ads_sharing_contact: sharing[i],
                cities_sharing_contact: cities[i],
                template_group_size: templates.size(t),
                cluster_size: net.size(root),
            },
        );
    }
    links.sort_by(|x, y| (x.a, x.b, reason_order(&x.reason)).cmp(&(y.a, y.b, reason_order(&y.reason))));
    out.links = links;
    out
}

struct Node<'a> {
    id: i64,
    text: &'a str,
    city: Option<String>,
    contacts: Vec<&'a str>,
}

fn normalize_city(city: &str) -> String {
    fold(city).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn reason_order(r: &LinkReason) -> (u8, &str) {
    match r {
        LinkReason::SharedContact { contact } => (0, contact.as_str()),
        LinkReason::Template { .. } => (1, ""),
    }
}

/// Union-find with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were already one.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
        true
    }

    /// The size of the set whose root is `root`.
    fn size(&self, root: usize) -> usize {
        self.size[root]
    }
}

/// MinHash signatures of every ad's template, `HASHES` values each, in one flat buffer.
struct Signatures {
    values: Vec<u32>,
    /// For each ad, its signature's index in `values`, if it has a template.
    slot: Vec<Option<usize>>,
}

impl Signatures {
    fn compute(nodes: &[Node<'_>]) -> Signatures {
        let coeffs = coefficients();
        let mut values = Vec::new();
        let mut slot = Vec::with_capacity(nodes.len());
        let mut tokens = Vec::new();
        let mut mins = [u64::MAX; HASHES];
        for node in nodes {
            template_tokens(node.text, &mut tokens);
            if tokens.len() < MIN_TEMPLATE_WORDS {
                slot.push(None);
                continue;
            }
            mins.fill(u64::MAX);
            for w in tokens.windows(SHINGLE) {
                let h = w.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &t| mix(h.rotate_left(23) ^ t));
                for (m, &(a, b)) in mins.iter_mut().zip(coeffs.iter()) {
                    let v = h.wrapping_mul(a).wrapping_add(b);
                    if v < *m {
                        *m = v;
                    }
                }
            }
            slot.push(Some(values.len() / HASHES));
            values.extend(mins.iter().map(|&m| (m >> 32) as u32));
        }
        Signatures { values, slot }
    }

    fn get(&self, i: usize) -> Option<&[u32]> {
        let s = self.slot.get(i).copied().flatten()?;
        self.values.get(s * HASHES..(s + 1) * HASHES)
    }
}

/// Per-hash multipliers (odd) and offsets, from a fixed seed so signatures are reproducible.
fn coefficients() -> [(u64, u64); HASHES] {
    let mut state = 0x5EED_0F7E_3A1A_7E11_u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(state)
    };
    let mut out = [(0u64, 0u64); HASHES];
    for c in &mut out {
        *c = (next() | 1, next());
    }
    out
}

/// SplitMix64's finaliser: a fast, well-spread 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn band_key(band: usize, rows: &[u32]) -> u64 {
    rows.iter().fold(mix(band as u64 + 1), |h, &r| mix(h ^ u64::from(r)))
}

/// Rows per LSH band: the S-curve's midpoint `(1/b)^(1/r)` sits a little below the threshold, so
/// pairs at the threshold are found with high probability and much less similar pairs rarely collide.
fn rows_per_band(threshold: f32) -> usize {
    match threshold {
        t if t < 0.35 => 2,
        t if t < 0.7 => 4,
        t if t < 0.85 => 8,
        _ => 16,
    }
}

fn estimated_jaccard(a: &[u32], b: &[u32]) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len().max(1) as f32
}

const MASK_CONTACT: u64 = 0xC0;
const MASK_NUMBER: u64 = 0xC1;
const MASK_CITY: u64 = 0xC2;
const MASK_NAME: u64 = 0xC3;

/// The hashed words of a text's template (see the module documentation), into `out`.
fn template_tokens(text: &str, out: &mut Vec<u64>) {
    out.clear();
    let text = truncate_bytes(text, MAX_TEMPLATE_BYTES);
    let folded = Folded::new(text);
    let f = folded.as_str();
    let cities = city_spans(f);
    let mut city_at = 0;
    let mut sentence_start = true;
    for (start, raw) in split_whitespace_indices(f) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let ends_sentence = raw.ends_with(['.', '!', '?', ':', ';']);
        let at_start = sentence_start;
        sentence_start = ends_sentence;
        if word.is_empty() {
            continue;
        }
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let wstart = start + lead;
        while city_at < cities.len() && cities[city_at].1 <= wstart {
            city_at += 1;
        }
        let token = if raw.contains('@') || raw.contains("://") || raw.starts_with("www.") || raw.contains(".com") {
            MASK_CONTACT
        } else if word.contains(|c: char| c.is_ascii_digit()) || digit_word(word).is_some() {
            MASK_NUMBER
        } else if cities.get(city_at).is_some_and(|c| c.0 <= wstart) {
            MASK_CITY
        } else if !at_start && is_capitalised(text, &folded, wstart) {
            MASK_NAME
        } else {
            word_hash(word)
        };
        // A run of masked numbers or cities is one token: `702 555 0148` and `7025550148` look alike.
        if matches!(token, MASK_NUMBER | MASK_CITY) && out.last() == Some(&token) {
            continue;
        }
        out.push(token);
    }
}

/// Whitespace-separated words with their byte offsets.
fn split_whitespace_indices(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let tail = &s[rest..];
        let skip = tail.len() - tail.trim_start().len();
        let start = rest + skip;
        if start >= s.len() {
            return None;
        }
        let len = s[start..].find(char::is_whitespace).unwrap_or(s.len() - start);
        rest = start + len;
        Some((start, &s[start..start + len]))
    })
}

/// Whether the original word at folded offset `at` is written `Capitalised` (not ALL CAPS).
fn is_capitalised(text: &str, folded: &Folded, at: usize) -> bool {
    let (s, _) = folded.original_span(at, at + 1);
    let mut chars = text[s..].chars().take_while(|c| c.is_alphabetic());
    let Some(first) = chars.next() else { return false };
    first.is_uppercase() && chars.any(|c| c.is_lowercase())
}

fn word_hash(word: &str) -> u64 {
    // FNV-1a, then mixed: stable across runs and platforms, unlike `DefaultHasher`.
    let h = word.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3));
    mix(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_mask_numbers_names_and_cities() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        template_tokens("New girl in town. Ask for Jessica in Las Vegas, call 702 555 0148", &mut a);
        template_tokens("New girl in town. Ask for Maria in Miami, call seven 0 two five", &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn band_width_follows_threshold() {
        for t in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let r = rows_per_band(t);
            assert_eq!(HASHES % r, 0);
            let midpoint = (1.0 / (HASHES / r) as f32).powf(1.0 / r as f32);
            assert!(midpoint <= t.max(0.2) + 0.05, "threshold {t}: midpoint {midpoint}");
        }
    }
}
