//! Facets: how many of the ads a query matches fall in each kind, site, city, indicator, language, risk
//! band and day, counted by tantivy's aggregations over fast fields in one pass over the matches (no
//! document is loaded). Each value is also a filter of [`SearchQuery`], so a facet link narrows the
//! search to it.

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, BucketEntries, BucketResult};
use tantivy::aggregation::{AggregationCollector, AggregationLimitsGuard, Key};

use crate::{AdIndex, Error, Result, SearchQuery};

pub(crate) use redflag_core::time::DAY_MS;

/// The bands the dashboard colours risk by: low below 40, medium 40–69, high 70 and above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskBand {
    /// 70–100.
    High,
    /// 40–69.
    Medium,
    /// 0–39.
    Low,
}

impl RiskBand {
    /// Every band, riskiest first.
    pub const ALL: [RiskBand; 3] = [RiskBand::High, RiskBand::Medium, RiskBand::Low];

    /// The band of a risk figure.
    pub fn of(risk: u8) -> RiskBand {
        match risk {
            70.. => RiskBand::High,
            40..=69 => RiskBand::Medium,
            _ => RiskBand::Low,
        }
    }

    /// The lowest and highest risk in the band.
    pub fn range(self) -> (u8, u8) {
        match self {
            RiskBand::High => (70, 100),
            RiskBand::Medium => (40, 69),
            RiskBand::Low => (0, 39),
        }
    }

    /// The name used in URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskBand::High => "high",
            RiskBand::Medium => "medium",
            RiskBand::Low => "low",
        }
    }

    /// Parses [`RiskBand::as_str`].
    pub fn parse(s: &str) -> Option<RiskBand> {
        RiskBand::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One facet value and how many matching ads have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetCount {
    /// The value (a kind, site name, lowercased city, indicator id, language code or risk band).
    pub value: String,
    /// Matching ads with it.
    pub count: u64,
}

/// The facets of a query's matches. Lists are most frequent first, at most the requested number of
/// values each; an ad with several indicators counts once under each.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    /// By ad kind.
    pub kind: Vec<FacetCount>,
    /// By site name.
    pub site: Vec<FacetCount>,
    /// By city, lowercased.
    pub city: Vec<FacetCount>,
    /// By indicator id.
    pub indicator: Vec<FacetCount>,
    /// By detected language.
    pub language: Vec<FacetCount>,
    /// By risk band, riskiest first (bands without ads left out).
    pub band: Vec<FacetCount>,
    /// By day last seen: (UTC midnight in ms, ads), oldest first, days without ads left out.
    pub day: Vec<(i64, u64)>,
}

/// The city as the facet and the filter compare it: trimmed, lowercased, inner spaces collapsed.
pub(crate) fn city_key(city: &str) -> String {
    city.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn terms(field: &str, size: usize) -> serde_json::Value {
    serde_json::json!({ "terms": { "field": field, "size": size, "min_doc_count": 1 } })
}

fn key_string(k: &Key) -> String {
    match k {
        Key::Str(s) => s.clone(),
        Key::I64(v) => v.to_string(),
        Key::U64(v) => v.to_string(),
        Key::F64(v) => format!("{v}"),
    }
}

fn term_counts(r: Option<&AggregationResult>) -> Vec<FacetCount> {
    let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) = r else { return Vec::new() };
    let mut out: Vec<FacetCount> =
        buckets.iter().map(|b| FacetCount { value: key_string(&b.key), count: b.doc_count }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

impl AdIndex {
    /// Counts the ads `q` matches by each facet, keeping the `top` most frequent values of each
    /// (`q`'s sort, limit and offset are ignored).
    pub fn facets(&self, q: &SearchQuery, top: usize) -> Result<Facets> {
        let top = top.clamp(1, 1000);
        let request = serde_json::json!({
            "kind": terms("kind", 4),
            "site": terms("site", top),
            "city": terms("city_key", top),
            "indicator": terms("indicator", top),
            "language": terms("language", top),
            "band": { "range": { "field": "risk", "ranges": [
                { "key": "low", "to": 40.0 },
                { "key": "medium", "from": 40.0, "to": 70.0 },
                { "key": "high", "from": 70.0 }
            ] } },
            "day": { "histogram": { "field": "last_seen", "interval": DAY_MS as f64, "min_doc_count": 1 } },
        });
        let aggs: Aggregations = serde_json::from_value(request)
            .map_err(|e| Error::Tantivy(tantivy::TantivyError::InvalidArgument(e.to_string())))?;
        let collector = AggregationCollector::from_aggs(aggs, AggregationLimitsGuard::default());
        let (query, _) = self.build_query(q);
        let results = self.reader.searcher().search(&*query, &collector)?;
        let r = &results.0;
        let mut band = Vec::new();
        if let Some(AggregationResult::BucketResult(BucketResult::Range { buckets })) = r.get("band") {
            let entries: Vec<_> = match buckets {
                BucketEntries::Vec(v) => v.iter().collect(),
                BucketEntries::HashMap(m) => m.values().collect(),
            };
            for b in RiskBand::ALL {
                let n = entries.iter().filter(|e| key_string(&e.key) == b.as_str()).map(|e| e.doc_count).sum::<u64>();
                if n > 0 {
                    band.push(FacetCount { value: b.as_str().to_string(), count: n });
                }
            }
        }
        let day = histogram_days(r.get("day"));
        Ok(Facets {
            kind: term_counts(r.get("kind")),
            site: term_counts(r.get("site")),
            city: term_counts(r.get("city")),
            indicator: term_counts(r.get("indicator")),
            language: term_counts(r.get("language")),
            band,
            day,
        })
    }
}

/// How often one indicator fired, per day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndicatorTrend {
    /// The indicator's id.
    pub indicator: String,
    /// Ads with it in the whole period.
    pub total: u64,
    /// (UTC midnight in ms, ads last seen that day with it), oldest first, days without any left out.
    pub days: Vec<(i64, u64)>,
}

fn histogram_days(r: Option<&AggregationResult>) -> Vec<(i64, u64)> {
    let Some(AggregationResult::BucketResult(BucketResult::Histogram { buckets })) = r else { return Vec::new() };
    let entries: Vec<_> = match buckets {
        BucketEntries::Vec(v) => v.iter().collect(),
        BucketEntries::HashMap(m) => m.values().collect(),
    };
    let mut out: Vec<(i64, u64)> = entries
        .into_iter()
        .filter(|e| e.doc_count > 0)
        .filter_map(|e| {
            let start = match e.key {
                Key::F64(v) => v as i64,
                Key::I64(v) => v,
                Key::U64(v) => v as i64,
                Key::Str(_) => return None,
            };
            Some((start.div_euclid(DAY_MS) * DAY_MS, e.doc_count))
        })
        .collect();
    out.sort_unstable();
    out
}

impl AdIndex {
    /// The `top` indicators of the ads `q` matches that were last seen since `since_ms`, each with its
    /// ads per day (one aggregation: the indicator terms, each with a day histogram).
    pub fn indicator_trends(&self, q: &SearchQuery, since_ms: i64, top: usize) -> Result<Vec<IndicatorTrend>> {
        let request = serde_json::json!({
            "indicator": {
                "terms": { "field": "indicator", "size": top.clamp(1, 100), "min_doc_count": 1 },
                "aggs": { "day": { "histogram": { "field": "last_seen", "interval": DAY_MS as f64, "min_doc_count": 1 } } }
            }
        });
        let aggs: Aggregations = serde_json::from_value(request)
            .map_err(|e| Error::Tantivy(tantivy::TantivyError::InvalidArgument(e.to_string())))?;
        let collector = AggregationCollector::from_aggs(aggs, AggregationLimitsGuard::default());
        let (query, _) = self.build_query(q);
        let since = tantivy::query::RangeQuery::new(
            std::ops::Bound::Included(tantivy::Term::from_field_i64(self.f.last_seen, since_ms)),
            std::ops::Bound::Unbounded,
        );
        let both = tantivy::query::BooleanQuery::new(vec![
            (tantivy::query::Occur::Must, query),
            (tantivy::query::Occur::Must, Box::new(since)),
        ]);
        let results = self.reader.searcher().search(&both, &collector)?;
        let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) = results.0.get("indicator")
        else {
            return Ok(Vec::new());
        };
        let mut out: Vec<IndicatorTrend> = buckets
            .iter()
            .map(|b| IndicatorTrend {
                indicator: key_string(&b.key),
                total: b.doc_count,
                days: histogram_days(b.sub_aggregation.0.get("day")),
            })
            .collect();
        out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.indicator.cmp(&b.indicator)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_risk_once() {
        for r in 0..=100u8 {
            let b = RiskBand::of(r);
            let (lo, hi) = b.range();
            assert!((lo..=hi).contains(&r), "{r} in {b:?}");
            assert_eq!(RiskBand::ALL.iter().filter(|x| (x.range().0..=x.range().1).contains(&r)).count(), 1);
        }
        assert_eq!(RiskBand::parse("medium"), Some(RiskBand::Medium));
        assert_eq!(RiskBand::parse("x"), None);
    }

    #[test]
    fn city_keys_ignore_case_and_spacing() {
        assert_eq!(city_key("  São  Paulo "), "são paulo");
        assert_eq!(city_key("LISBON"), "lisbon");
    }
}
