//! Matching new and changed ads against the investigators' watches, and raising alerts.
//!
//! Extraction queues every new or changed ad version (`alert_pending`, in the same transaction as its
//! entities); [`match_pending`] takes them off the queue in the transaction that writes their alerts.
//! An alert is unique per watch and ad version, so a run interrupted at any point and run again raises
//! each alert exactly once.
//!
//! Saved searches run against a small in-memory index of just the queued versions, with the same query
//! language and highlighting as the dashboard's search; contacts are compared with the extracted
//! entities (`kind:value`, the normalised form); a network matches when the ad is in it after linking.

use std::collections::HashSet;

use redflag_core::{AdKind, Assessment, EntityKind, Verdict};
use redflag_index::{AdIndex, SearchQuery};
use redflag_store::alerts::{self, Channel, NewAlert};
use redflag_store::{PendingAd, Store, Watch, WatchKind, watches};

use crate::{Result, blocking, doc_from_parts, extract_ad};

/// Ad versions matched per transaction.
const BATCH: i64 = 200;

/// Deliveries queued for every alert, whoever's watch raised it (the installation's webhook and
/// e-mail recipients); a watch's own e-mail address is added to these.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertTargets {
    /// `(channel, target)` pairs.
    pub every_alert: Vec<(Channel, String)>,
}

/// What matching did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MatchSummary {
    /// Ad versions matched against the watches.
    pub checked: u64,
    /// Alerts raised (duplicates of earlier alerts are not counted).
    pub alerts: u64,
}

/// One match: the watch, the ad version, and what matched.
#[derive(Debug, Clone)]
struct Hit {
    watch: usize,
    pending: usize,
    evidence: serde_json::Value,
}

/// Matches every queued ad version against the active watches and writes the alerts.
pub async fn match_pending(store: &Store, targets: &AlertTargets) -> Result<MatchSummary> {
    let mut summary = MatchSummary::default();
    let watches = store.active_watches().await?;
    if watches.is_empty() {
        summary.checked = store.clear_all_pending().await?;
        return Ok(summary);
    }
    loop {
        let queued = store.pending_ads(BATCH).await?;
        if queued.is_empty() {
            break;
        }
        // One version per ad per round: the in-memory index holds one document per ad.
        let mut seen = HashSet::new();
        let round: Vec<PendingAd> = queued.into_iter().filter(|p| seen.insert(p.ad.ad_id)).collect();
        let mut indicators = Vec::with_capacity(round.len());
        for p in &round {
            let score = store.latest_score(p.ad.ad_id).await?;
            indicators.push(score.map(|s| s.indicators).unwrap_or_default());
        }
        let (w, r) = (watches.clone(), round.clone());
        let hits = blocking(move || find_hits(&w, &r, indicators)).await??;
        let mut tx = store.begin().await?;
        for h in &hits {
            let (w, p) = (&watches[h.watch], &round[h.pending]);
            let alert = NewAlert {
                watch_id: w.id,
                user_id: w.user_id,
                ad_id: p.ad.ad_id,
                version: p.ad.version,
                url: &p.ad.url,
                title: &p.ad.fields.title,
                evidence: &h.evidence,
            };
            if let Some(id) = alerts::insert_alert(&mut tx, &alert).await? {
                summary.alerts += 1;
                for (channel, target) in &targets.every_alert {
                    alerts::queue_delivery(&mut tx, id, *channel, target).await?;
                }
                if let Some(email) = &w.email {
                    alerts::queue_delivery(&mut tx, id, Channel::Email, email).await?;
                }
            }
        }
        for p in &round {
            watches::clear_pending(&mut tx, p.ad.ad_id, p.ad.version).await?;
        }
        tx.commit().await.map_err(redflag_store::Error::from)?;
        summary.checked += round.len() as u64;
    }
    Ok(summary)
}

fn find_hits(
    watches: &[Watch],
    round: &[PendingAd],
    indicators: Vec<Vec<redflag_core::FiredIndicator>>,
) -> Result<Vec<Hit>> {
    let mut hits = Vec::new();
    let extracted: Vec<_> = redflag_core::par::map(round, |p| extract_ad(&p.ad));
    if watches.iter().any(|w| w.kind == WatchKind::Search) {
        let index = AdIndex::in_memory()?;
        let docs: Vec<_> = round
            .iter()
            .zip(&extracted)
            .zip(indicators)
            .map(|((p, ex), inds)| {
                let a = Assessment {
                    kind: p.ad.kind,
                    probability: 0.0,
                    risk: p.risk.unwrap_or(0).clamp(0, 100) as u8,
                    verdict: Verdict::LikelyLegitimate,
                    language: None,
                    language_supported: true,
                    indicators: inds,
                    model: String::new(),
                };
                doc_from_parts(p.ad.ad_id, p.ad.kind, &p.ad.fields, &a, ex, p.cluster_id)
            })
            .collect();
        index.upsert(&docs)?;
        index.commit()?;
        for (wi, w) in watches.iter().enumerate().filter(|(_, w)| w.kind == WatchKind::Search) {
            let q = SearchQuery {
                text: w.target.clone(),
                kind: w.ad_kind,
                min_risk: w.min_risk.map(|r| r.clamp(0, 100) as u8),
                limit: 1000,
                ..SearchQuery::default()
            };
            for hit in index.search(&q)?.hits {
                let Some(pi) = round.iter().position(|p| p.ad.ad_id == hit.ad_id) else { continue };
                let evidence = serde_json::json!({
                    "kind": "search",
                    "query": w.target,
                    "ad_kind": w.ad_kind.map(AdKind::as_str),
                    "min_risk": w.min_risk,
                    "excerpt": hit.snippet.text,
                    "highlights": hit.snippet.highlights,
                });
                hits.push(Hit { watch: wi, pending: pi, evidence });
            }
        }
    }
    for (wi, w) in watches.iter().enumerate() {
        match w.kind {
            WatchKind::Search => {}
            WatchKind::Contact => {
                for (pi, ex) in extracted.iter().enumerate() {
                    let found = ex.entities.iter().find(|e| {
                        matches!(e.kind, EntityKind::Phone | EntityKind::Email | EntityKind::Handle)
                            && contact_key(e.kind.as_str(), &e.value) == w.target
                    });
                    if let Some(e) = found {
                        let evidence = serde_json::json!({
                            "kind": "contact",
                            "contact": w.target,
                            "as_written": e.raw,
                            "start": e.start,
                            "end": e.end,
                            "obfuscated": e.obfuscated,
                        });
                        hits.push(Hit { watch: wi, pending: pi, evidence });
                    }
                }
            }
            WatchKind::Network => {
                let Ok(network) = w.target.parse::<i64>() else { continue };
                for (pi, p) in round.iter().enumerate() {
                    if p.cluster_id == Some(network) {
                        let evidence = serde_json::json!({ "kind": "network", "network": network });
                        hits.push(Hit { watch: wi, pending: pi, evidence });
                    }
                }
            }
        }
    }
    Ok(hits)
}

/// The key a contact watch stores: `kind:value` with the value as extraction normalises it.
pub fn contact_key(kind: &str, value: &str) -> String {
    format!("{kind}:{value}")
}
