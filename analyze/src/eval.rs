//! Measuring extraction and linking against a site's ground truth: phone precision and recall, how many
//! ads that share a phone or a template end up in one group, and — the figure that matters most — of all
//! ad pairs put in one network, how many are truly linked.
//!
//! The ground truth is a JSON array (or JSON Lines) of ads, each with the `path` (path and query) of
//! its page and optionally `alt_paths`, `phones` (E.164), `emails`, `handles`, `network` (the id of the
//! network it belongs to, null when none) and `company` (the employer it names). The demo site's
//! `/ground-truth.json` has this shape; other sites' truth files can be mapped onto it.
//!
//! Pairs are counted over ads matched in the store by the path of any URL they were seen under. A pair
//! is *truly linked* when both ads name the same `network`. Grouped pairs are pairs in one group of kind
//! `network`; pairs of ads in one same-advertiser group are reported apart, as are grouped pairs whose
//! ads are not truly linked but name the same company.

use std::collections::{HashMap, HashSet};

use redflag_core::link::GroupKind;
use redflag_store::{ExportRow, Store};
use serde::{Deserialize, Serialize};

use crate::Result;

/// One ad of the ground truth.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TruthAd {
    /// Path and query of the ad's page.
    pub path: String,
    /// Other paths of the same ad.
    #[serde(default)]
    pub alt_paths: Vec<String>,
    /// Every phone number in the ad, E.164.
    #[serde(default)]
    pub phones: Vec<String>,
    /// Every e-mail address in the ad.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Every handle in the ad.
    #[serde(default)]
    pub handles: Vec<String>,
    /// The network the ad belongs to.
    #[serde(default)]
    pub network: Option<String>,
    /// The employer the ad names.
    #[serde(default)]
    pub company: Option<String>,
    /// The ad's own pictures: ads listing one id show copies of one picture (the site's own pictures,
    /// such as a placeholder, are not listed).
    #[serde(default)]
    pub images: Vec<String>,
}

/// Reads a ground-truth file: a JSON array, or one JSON object per line.
pub fn parse_truth(text: &str) -> std::result::Result<Vec<TruthAd>, serde_json::Error> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text);
    }
    text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str).collect()
}

/// What [`evaluate`] measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NetworkEval {
    /// Truth ads found in the store.
    pub ads_matched: usize,
    /// Truth ads not found in the store (not crawled).
    pub ads_missing: usize,
    /// Phone numbers found that the truth lists.
    pub phone_true_positives: usize,
    /// Phone numbers found that the truth does not list.
    pub phone_false_positives: usize,
    /// Phone numbers the truth lists that were not found.
    pub phone_false_negatives: usize,
    /// Phone precision.
    pub phone_precision: f64,
    /// Phone recall.
    pub phone_recall: f64,
    /// Phone F1.
    pub phone_f1: f64,
    /// Pairs of ads sharing a phone number in the truth.
    pub same_phone_pairs: usize,
    /// Of those, pairs in one group.
    pub same_phone_together: usize,
    /// Pairs of one truth network that share no contact (joined only by their text or their pictures).
    pub template_pairs: usize,
    /// Of those, pairs in one group.
    pub template_together: usize,
    /// Pairs of one truth network.
    pub network_pairs: usize,
    /// Of those, pairs in one group.
    pub network_together: usize,
    /// Pairs of ads put in one network (groups of kind `network`).
    pub grouped_pairs: usize,
    /// Of those, pairs truly linked.
    pub grouped_true: usize,
    /// Of the grouped pairs not truly linked, those whose ads name one company.
    pub grouped_same_company: usize,
    /// Pairs of ads put in one same-advertiser group.
    pub advertiser_pairs: usize,
    /// `grouped_true / grouped_pairs` (1 when nothing is grouped).
    pub pair_precision: f64,
    /// The same, leaving grouped pairs of one company aside.
    pub pair_precision_without_same_company: f64,
    /// Pairs of ads showing one picture in the truth.
    pub image_pairs: usize,
    /// Of those, pairs joined by image links (directly or through other ads showing the picture).
    pub image_pairs_linked: usize,
    /// Pairs joined by image links.
    pub image_linked_pairs: usize,
    /// Of those, pairs showing one picture in the truth.
    pub image_linked_true: usize,
    /// `image_linked_true / image_linked_pairs` (1 when nothing is image-linked).
    pub image_precision: f64,
    /// `image_pairs_linked / image_pairs` (1 when no ads share a picture).
    pub image_recall: f64,
}

impl NetworkEval {
    /// The figures as lines for a terminal.
    pub fn report(&self) -> String {
        let frac = |a: usize, b: usize| if b == 0 { "n/a".to_string() } else { format!("{:.3}", a as f64 / b as f64) };
        format!(
            "ads matched {} (missing {})\n\
             phones: precision {:.3}, recall {:.3}, F1 {:.3} ({} found right, {} wrong, {} missed)\n\
             ads sharing a phone that are in one group: {} ({} of {} pairs)\n\
             ads of one network sharing no contact (a text template or a photo) in one group: {} ({} of {} pairs)\n\
             ads of one network in one group: {} ({} of {} pairs)\n\
             pair precision (of all pairs put in one network, pairs truly linked): {:.3} ({} of {}; {:.3} leaving {} same-company pairs aside)\n\
             same-advertiser groups: {} pairs, listed apart\n\
             image links: precision {:.3} ({} of {} linked pairs show one picture), recall {:.3} ({} of {} pairs showing one picture linked)",
            self.ads_matched,
            self.ads_missing,
            self.phone_precision,
            self.phone_recall,
            self.phone_f1,
            self.phone_true_positives,
            self.phone_false_positives,
            self.phone_false_negatives,
            frac(self.same_phone_together, self.same_phone_pairs),
            self.same_phone_together,
            self.same_phone_pairs,
            frac(self.template_together, self.template_pairs),
            self.template_together,
            self.template_pairs,
            frac(self.network_together, self.network_pairs),
            self.network_together,
            self.network_pairs,
            self.pair_precision,
            self.grouped_true,
            self.grouped_pairs,
            self.pair_precision_without_same_company,
            self.grouped_same_company,
            self.advertiser_pairs,
            self.image_precision,
            self.image_linked_true,
            self.image_linked_pairs,
            self.image_recall,
            self.image_pairs_linked,
            self.image_pairs,
        )
    }
}

/// Compares the store's ads, entities and groups with the ground truth.
pub async fn evaluate(store: &Store, truth: &[TruthAd]) -> Result<NetworkEval> {
    let mut rows: Vec<ExportRow> = Vec::new();
    let mut after = 0;
    loop {
        let batch = store.export_batch(after, 1000).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        rows.extend(batch);
    }
    Ok(compare(&rows, truth))
}

/// The path and query of a URL (or the text itself when it is already a path).
fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

/// [`evaluate`] on rows already read.
pub fn compare(rows: &[ExportRow], truth: &[TruthAd]) -> NetworkEval {
    let mut by_path: HashMap<String, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        for u in r.urls.iter().chain(std::iter::once(&r.url)) {
            by_path.insert(path_of(u), i);
        }
    }
    let mut ev = NetworkEval::default();
    // (truth ad, row) pairs.
    let mut matched: Vec<(&TruthAd, &ExportRow)> = Vec::new();
    let mut seen_rows: HashSet<usize> = HashSet::new();
    for t in truth {
        let found = std::iter::once(&t.path).chain(&t.alt_paths).find_map(|p| by_path.get(&path_of(p)));
        match found {
            Some(&i) if seen_rows.insert(i) => matched.push((t, &rows[i])),
            Some(_) => {}
            None => ev.ads_missing += 1,
        }
    }
    ev.ads_matched = matched.len();
    for (t, r) in &matched {
        let want: HashSet<&str> = t.phones.iter().map(String::as_str).collect();
        let got: HashSet<&str> = r.phones.iter().map(String::as_str).collect();
        ev.phone_true_positives += want.intersection(&got).count();
        ev.phone_false_positives += got.difference(&want).count();
        ev.phone_false_negatives += want.difference(&got).count();
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    ev.phone_precision = ratio(ev.phone_true_positives, ev.phone_true_positives + ev.phone_false_positives);
    ev.phone_recall = ratio(ev.phone_true_positives, ev.phone_true_positives + ev.phone_false_negatives);
    ev.phone_f1 = if ev.phone_precision + ev.phone_recall == 0.0 {
        0.0
    } else {
        2.0 * ev.phone_precision * ev.phone_recall / (ev.phone_precision + ev.phone_recall)
    };

    let contacts = |t: &TruthAd| -> HashSet<String> {
        t.phones
            .iter()
            .map(|p| format!("phone:{p}"))
            .chain(t.emails.iter().map(|e| format!("email:{}", e.to_lowercase())))
            .chain(t.handles.iter().map(|h| format!("handle:{}", h.to_lowercase())))
            .collect()
    };
    let sets: Vec<HashSet<String>> = matched.iter().map(|(t, _)| contacts(t)).collect();
    let same_group = |a: &ExportRow, b: &ExportRow| a.cluster.is_some() && a.cluster == b.cluster;
    // Components of the image links alone: a picture's ads are star-linked, so two of them are joined
    // through the ad at the centre.
    let mut image_root: HashMap<i64, i64> = HashMap::new();
    fn root(m: &mut HashMap<i64, i64>, x: i64) -> i64 {
        let mut r = x;
        while let Some(&p) = m.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        m.insert(x, r);
        r
    }
    for (_, r) in &matched {
        for l in &r.links {
            if matches!(l.reason, redflag_core::link::LinkReason::Image { .. }) {
                let (a, b) = (root(&mut image_root, l.ad_a), root(&mut image_root, l.ad_b));
                if a != b {
                    image_root.insert(a.max(b), a.min(b));
                }
            }
        }
    }
    for i in 0..matched.len() {
        for j in i + 1..matched.len() {
            let ((ti, ri), (tj, rj)) = (matched[i], matched[j]);
            let together = same_group(ri, rj);
            if ti.phones.iter().any(|p| tj.phones.contains(p)) {
                ev.same_phone_pairs += 1;
                ev.same_phone_together += usize::from(together);
            }
            let same_picture = ti.images.iter().any(|p| tj.images.contains(p));
            let image_linked = image_root.contains_key(&ri.id)
                && image_root.contains_key(&rj.id)
                && root(&mut image_root, ri.id) == root(&mut image_root, rj.id);
            if same_picture {
                ev.image_pairs += 1;
                ev.image_pairs_linked += usize::from(image_linked);
            }
            if image_linked {
                ev.image_linked_pairs += 1;
                ev.image_linked_true += usize::from(same_picture);
            }
            let linked = ti.network.is_some() && ti.network == tj.network;
            if linked {
                ev.network_pairs += 1;
                ev.network_together += usize::from(together);
                if sets[i].is_disjoint(&sets[j]) {
                    ev.template_pairs += 1;
                    ev.template_together += usize::from(together);
                }
            }
            if !together {
                continue;
            }
            if ri.cluster_kind == Some(GroupKind::SameAdvertiser) {
                ev.advertiser_pairs += 1;
                continue;
            }
            ev.grouped_pairs += 1;
            if linked {
                ev.grouped_true += 1;
            } else if ti.company.is_some() && normalise(&ti.company) == normalise(&tj.company) {
                ev.grouped_same_company += 1;
            }
        }
    }
    ev.pair_precision = ratio(ev.grouped_true, ev.grouped_pairs);
    ev.image_precision = ratio(ev.image_linked_true, ev.image_linked_pairs);
    ev.image_recall = ratio(ev.image_pairs_linked, ev.image_pairs);
    ev.pair_precision_without_same_company = ratio(ev.grouped_true, ev.grouped_pairs - ev.grouped_same_company);
    ev
}

fn normalise(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|c| redflag_core::text::fold(c).split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_core::{AdFields, AdKind};

    fn row(id: i64, phones: &[&str], cluster: i64, kind: Option<GroupKind>) -> ExportRow {
        ExportRow {
            id,
            url: format!("https://board.example/ad/{id}"),
            site: "board".into(),
            kind: AdKind::Job,
            fields: AdFields::default(),
            phones: phones.iter().map(|p| p.to_string()).collect(),
            emails: Vec::new(),
            handles: Vec::new(),
            risk: None,
            indicators: Vec::new(),
            model: None,
            cluster: Some(cluster),
            cluster_kind: kind,
            links: Vec::new(),
            age: None,
            country: None,
            language: None,
            fetched_at: 0,
            sha256: None,
            urls: vec![format!("https://board.example/ad/{id}?ref=list")],
            version: 1,
            images: Vec::new(),
        }
    }

    fn truth(id: i64, phones: &[&str], network: Option<&str>, company: Option<&str>) -> TruthAd {
        TruthAd {
            path: format!("/ad/{id}"),
            phones: phones.iter().map(|p| p.to_string()).collect(),
            network: network.map(String::from),
            company: company.map(String::from),
            ..TruthAd::default()
        }
    }

    #[test]
    fn pairs_phones_and_same_company_are_counted_apart() {
        let net = Some(GroupKind::Network);
        let rows = [
            // A true network of three, one member found without its phone.
            row(1, &["+1"], 1, net),
            row(2, &["+1"], 1, net),
            row(3, &[], 1, net),
            // Two ads of one employer grouped as a network, and one unrelated ad dragged in.
            row(4, &["+2"], 4, net),
            row(5, &["+2", "+9"], 4, net),
            row(6, &[], 4, net),
            // A same-advertiser group: listed apart.
            row(7, &[], 7, Some(GroupKind::SameAdvertiser)),
            row(8, &[], 7, Some(GroupKind::SameAdvertiser)),
        ];
        let t = [
            truth(1, &["+1"], Some("N1"), None),
            truth(2, &["+1"], Some("N1"), None),
            truth(3, &["+3"], Some("N1"), None),
            truth(4, &["+2"], None, Some("Acme")),
            truth(5, &["+2"], None, Some("ACME")),
            truth(6, &[], None, None),
            truth(7, &[], None, Some("Bo")),
            truth(8, &[], None, Some("Bo")),
            truth(99, &[], None, None),
        ];
        let ev = compare(&rows, &t);
        assert_eq!((ev.ads_matched, ev.ads_missing), (8, 1));
        assert_eq!((ev.phone_true_positives, ev.phone_false_positives, ev.phone_false_negatives), (4, 1, 1));
        assert_eq!((ev.same_phone_pairs, ev.same_phone_together), (2, 2));
        assert_eq!((ev.network_pairs, ev.network_together, ev.template_pairs), (3, 3, 2));
        assert_eq!((ev.grouped_pairs, ev.grouped_true, ev.grouped_same_company, ev.advertiser_pairs), (6, 3, 1, 1));
        assert!((ev.pair_precision - 0.5).abs() < 1e-9);
        assert!((ev.pair_precision_without_same_company - 0.6).abs() < 1e-9);
    }

    #[test]
    fn truth_files_are_arrays_or_lines() {
        let a = parse_truth(r#"[{"path": "/a", "phones": ["+1"]}]"#).unwrap();
        let b = parse_truth("{\"path\": \"/a\", \"phones\": [\"+1\"]}\n\n").unwrap();
        assert_eq!((a[0].path.as_str(), b[0].phones.len()), ("/a", 1));
        assert!(parse_truth("[{]").is_err());
    }
}
