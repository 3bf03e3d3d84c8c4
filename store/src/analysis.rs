//! What analysis adds to an ad: extracted entities, scores with evidence, and network links.

use redflag_core::link::{GroupKind, Link, LinkReason};
use redflag_core::{AdFields, AdKind, Assessment, Entity, FiredIndicator};
use sqlx::Row;

use crate::ads::{fields_from_row, parse_kind};
use crate::{Conn, Result, Store, now_ms};

/// An ad version waiting for (or due for another) analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AdForAnalysis {
    /// Ad id.
    pub ad_id: i64,
    /// The version to analyse.
    pub version: i64,
    /// Ad kind.
    pub kind: AdKind,
    /// The site's default phone region.
    pub country: Option<String>,
    /// The ad's canonical URL.
    pub url: String,
    /// The version's fields.
    pub fields: AdFields,
}

/// A stored entity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EntityRow {
    /// Ad id.
    pub ad_id: i64,
    /// Kind name (`phone`, `email`, …).
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// As written.
    pub raw: String,
    /// Byte offsets in the ad's extraction text.
    pub start: i64,
    /// Byte offsets in the ad's extraction text.
    pub end: i64,
    /// Whether it was obfuscated.
    pub obfuscated: bool,
}

/// A stored score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// Ad id.
    pub ad_id: i64,
    /// The version scored.
    pub version: i64,
    /// The model name.
    pub model: String,
    /// Calibrated probability.
    pub probability: f64,
    /// Risk 0–100.
    pub risk: i64,
    /// Verdict name.
    pub verdict: String,
    /// Detected language.
    pub language: Option<String>,
    /// Whether the language-specific indicators covered it.
    pub language_supported: bool,
    /// The fired indicators with evidence.
    pub indicators: Vec<FiredIndicator>,
    /// When it was scored.
    pub scored_at: i64,
}

/// A stored network link.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LinkRow {
    /// One ad.
    pub ad_a: i64,
    /// The other ad.
    pub ad_b: i64,
    /// Why they are linked.
    pub reason: LinkReason,
    /// How strong the evidence is, 0–1.
    pub strength: f64,
}

impl LinkRow {
    /// The other ad of a link touching `ad`.
    pub fn other(&self, ad: i64) -> i64 {
        if self.ad_a == ad { self.ad_b } else { self.ad_a }
    }

    /// The link in the export format: the other ad, the kind of evidence, the contact, the strength.
    pub fn to_json(&self, ad: i64) -> serde_json::Value {
        let contact = match &self.reason {
            LinkReason::SharedContact { contact }
            | LinkReason::Relay { contact, .. }
            | LinkReason::JobEscort { contact } => contact.split_once(':').map(|(_, v)| v.to_string()),
            LinkReason::Template { .. } | LinkReason::Image { .. } => None,
        };
        serde_json::json!({
            "ad": self.other(ad),
            "reason": self.reason.evidence(),
            "contact": contact,
            "strength": (self.strength * 1000.0).round() / 1000.0,
        })
    }
}

/// A group of linked ads, for the network list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    /// The cluster id (its smallest ad id).
    pub id: i64,
    /// Ads in it.
    pub ads: i64,
    /// The highest risk among them.
    pub max_risk: Option<i64>,
    /// What the group is.
    pub kind: GroupKind,
}

/// Replaces an ad's entities with those of `version`.
pub async fn replace_entities(conn: &mut Conn, ad_id: i64, version: i64, entities: &[Entity]) -> Result<()> {
    sqlx::query("DELETE FROM entities WHERE ad_id = $1").bind(ad_id).execute(&mut *conn).await?;
    for e in entities {
        sqlx::query(
            "INSERT INTO entities (ad_id, version, kind, value, raw, start_pos, end_pos, obfuscated)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ad_id)
        .bind(version)
        .bind(e.kind.as_str())
        .bind(&e.value)
        .bind(&e.raw)
        .bind(e.start as i64)
        .bind(e.end as i64)
        .bind(i64::from(e.obfuscated))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Stores a score for an ad version and makes it the ad's current risk.
pub async fn save_score(conn: &mut Conn, ad_id: i64, version: i64, a: &Assessment) -> Result<()> {
    let indicators = serde_json::to_string(&a.indicators).unwrap_or_else(|_| "[]".into());
    let verdict = serde_json::to_value(a.verdict).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    sqlx::query(
        "INSERT INTO scores (ad_id, version, model, probability, risk, verdict, language, language_supported,
             indicators, scored_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (ad_id, version, model) DO UPDATE SET probability = excluded.probability,
             risk = excluded.risk, verdict = excluded.verdict, language = excluded.language,
             language_supported = excluded.language_supported, indicators = excluded.indicators,
             scored_at = excluded.scored_at",
    )
    .bind(ad_id)
    .bind(version)
    .bind(&a.model)
    .bind(f64::from(a.probability))
    .bind(i64::from(a.risk))
    .bind(verdict)
    .bind(&a.language)
    .bind(i64::from(a.language_supported))
    .bind(indicators)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE ads SET risk = $1, analyzed_version = $2 WHERE id = $3")
        .bind(i64::from(a.risk))
        .bind(version)
        .bind(ad_id)
        .execute(&mut *conn)
        .await?;
    // The lead queue's indicator filter reads these (0011): the ids this, the ad's latest, score fired.
    sqlx::query("DELETE FROM ad_indicators WHERE ad_id = $1").bind(ad_id).execute(&mut *conn).await?;
    let mut ids: Vec<&str> = a.indicators.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        let values: Vec<String> = (0..ids.len()).map(|i| format!("($1, ${})", i + 2)).collect();
        let sql = format!("INSERT INTO ad_indicators (ad_id, indicator) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql).bind(ad_id);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Replaces all network links, cluster ids and cluster kinds with a fresh linking result. `clusters` maps
/// ads to cluster ids; `kinds` names what each cluster of more than one ad is.
pub async fn replace_networks(
    conn: &mut Conn,
    clusters: &[(i64, i64)],
    kinds: &std::collections::HashMap<i64, GroupKind>,
    links: &[Link],
) -> Result<()> {
    sqlx::query("DELETE FROM links").execute(&mut *conn).await?;
    sqlx::query("UPDATE ads SET cluster_id = NULL, cluster_kind = NULL").execute(&mut *conn).await?;
    write_networks(conn, clusters, kinds, links).await
}

/// Replaces the network links, cluster ids and cluster kinds of the ads in `clusters` with a linking result
/// over just those ads, leaving every other ad's as they are. The ads must be closed under linking: every
/// ad of their old networks and every ad linked to one of them is among them (`redflag_analyze` relinks
/// such a part of the store), so no link or network crosses the boundary.
pub async fn replace_networks_of(
    conn: &mut Conn,
    clusters: &[(i64, i64)],
    kinds: &std::collections::HashMap<i64, GroupKind>,
    links: &[Link],
) -> Result<()> {
    let ids: Vec<i64> = clusters.iter().map(|(ad, _)| *ad).collect();
    for list in crate::relink::id_chunks(&ids) {
        sqlx::query(&format!("DELETE FROM links WHERE ad_a IN ({list}) OR ad_b IN ({list})"))
            .execute(&mut *conn)
            .await?;
        sqlx::query(&format!("UPDATE ads SET cluster_id = NULL, cluster_kind = NULL WHERE id IN ({list})"))
            .execute(&mut *conn)
            .await?;
    }
    write_networks(conn, clusters, kinds, links).await
}

async fn write_networks(
    conn: &mut Conn,
    clusters: &[(i64, i64)],
    kinds: &std::collections::HashMap<i64, GroupKind>,
    links: &[Link],
) -> Result<()> {
    for (ad, cluster) in clusters {
        sqlx::query("UPDATE ads SET cluster_id = $1, cluster_kind = $2 WHERE id = $3")
            .bind(*cluster)
            .bind(kinds.get(cluster).map(|k| k.as_str()))
            .bind(*ad)
            .execute(&mut *conn)
            .await?;
    }
    for l in links {
        let (reason, detail) = match &l.reason {
            LinkReason::SharedContact { contact } => ("shared_contact", contact.clone()),
            LinkReason::Template { similarity } => ("template", format!("{similarity:.3}")),
            LinkReason::Relay { contact, advertisers } => ("relay", format!("{advertisers} {contact}")),
            LinkReason::Image { distance, advertisers } => ("image", format!("{distance} {advertisers}")),
            LinkReason::JobEscort { contact } => ("job_escort", contact.clone()),
        };
        sqlx::query("INSERT INTO links (ad_a, ad_b, reason, detail, strength) VALUES ($1, $2, $3, $4, $5)")
            .bind(l.a)
            .bind(l.b)
            .bind(reason)
            .bind(detail)
            .bind(f64::from(l.strength))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn link_from_row(r: &sqlx::any::AnyRow) -> Result<LinkRow> {
    let reason: String = r.try_get("reason")?;
    let detail: String = r.try_get("detail")?;
    Ok(LinkRow {
        ad_a: r.try_get("ad_a")?,
        ad_b: r.try_get("ad_b")?,
        reason: match reason.as_str() {
            "template" => LinkReason::Template { similarity: detail.parse().unwrap_or(0.0) },
            "relay" => {
                let (n, contact) = detail.split_once(' ').unwrap_or(("0", detail.as_str()));
                LinkReason::Relay { contact: contact.to_string(), advertisers: n.parse().unwrap_or(0) }
            }
            "image" => {
                let (d, n) = detail.split_once(' ').unwrap_or((detail.as_str(), "1"));
                LinkReason::Image { distance: d.parse().unwrap_or(64), advertisers: n.parse().unwrap_or(1) }
            }
            "job_escort" => LinkReason::JobEscort { contact: detail },
            _ => LinkReason::SharedContact { contact: detail },
        },
        strength: r.try_get("strength")?,
    })
}

/// The columns of an [`AdForAnalysis`], for a `WHERE` clause to follow.
const FOR_ANALYSIS: &str = "SELECT a.id, a.version, a.kind, a.url, s.country, v.title, v.body, v.city, v.price,
        v.posted_at, v.contact, v.age, v.company
     FROM ads a JOIN sites s ON s.id = a.site_id
     JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version";

/// An [`AdForAnalysis`] from a row with the columns of [`FOR_ANALYSIS`].
pub(crate) fn for_analysis_from_row(r: &sqlx::any::AnyRow) -> Result<AdForAnalysis> {
    let kind: String = r.try_get("kind")?;
    Ok(AdForAnalysis {
        ad_id: r.try_get("id")?,
        version: r.try_get("version")?,
        kind: parse_kind(&kind)?,
        country: r.try_get("country")?,
        url: r.try_get("url")?,
        fields: fields_from_row(r)?,
    })
}

impl Store {
    /// `(ad id, version)` of every ad whose current version has no score yet: ids only, no text.
    pub async fn stale_versions(&self) -> Result<Vec<(i64, i64)>> {
        let rows =
            sqlx::query("SELECT id, version FROM ads WHERE analyzed_version < version").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("version")?))).collect()
    }

    /// Ad versions with id > `after_id` that need analysis (never analysed, or changed since), or all
    /// ads when `all` is set; at most `limit`, in id order.
    pub async fn ads_for_analysis(&self, after_id: i64, limit: i64, all: bool) -> Result<Vec<AdForAnalysis>> {
        let stale = if all { "" } else { "AND a.analyzed_version < a.version" };
        let sql = format!("{FOR_ANALYSIS} WHERE a.id > $1 {stale} ORDER BY a.id LIMIT $2");
        let rows = sqlx::query(&sql).bind(after_id).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(for_analysis_from_row).collect()
    }

    /// The current versions of the ads `ids`, in id order (ids not stored are left out).
    pub async fn ads_for_analysis_of(&self, ids: &[i64]) -> Result<Vec<AdForAnalysis>> {
        let mut out = Vec::with_capacity(ids.len());
        for list in crate::relink::id_chunks(ids) {
            let sql = format!("{FOR_ANALYSIS} WHERE a.id IN ({list}) ORDER BY a.id");
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                out.push(for_analysis_from_row(r)?);
            }
        }
        out.sort_by_key(|a| a.ad_id);
        Ok(out)
    }

    /// Every ad's contact entities (`phone`, `email`, `handle`) as `(ad_id, "kind:value")`, by ad id.
    pub async fn contact_keys(&self) -> Result<Vec<(i64, String)>> {
        self.contact_keys_where("").await
    }

    /// [`Store::contact_keys`] of the ads `ids` only.
    pub async fn contact_keys_of(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for list in crate::relink::id_chunks(ids) {
            out.extend(self.contact_keys_where(&format!("AND ad_id IN ({list})")).await?);
        }
        out.sort();
        Ok(out)
    }

    async fn contact_keys_where(&self, filter: &str) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT DISTINCT ad_id, kind, value FROM entities WHERE kind IN ('phone', 'email', 'handle') {filter}
             ORDER BY ad_id, kind, value"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let value: String = r.try_get("value")?;
                Ok((r.try_get("ad_id")?, format!("{kind}:{value}")))
            })
            .collect()
    }

    /// An ad's entities in position order.
    pub async fn entities(&self, ad_id: i64) -> Result<Vec<EntityRow>> {
        let rows = sqlx::query(
            "SELECT ad_id, kind, value, raw, start_pos, end_pos, obfuscated FROM entities
             WHERE ad_id = $1 ORDER BY start_pos, id",
        )
        .bind(ad_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EntityRow {
                    ad_id: r.try_get("ad_id")?,
                    kind: r.try_get("kind")?,
                    value: r.try_get("value")?,
                    raw: r.try_get("raw")?,
                    start: r.try_get("start_pos")?,
                    end: r.try_get("end_pos")?,
                    obfuscated: r.try_get::<i64, _>("obfuscated")? != 0,
                })
            })
            .collect()
    }

    /// Ids of the ads carrying an entity value, e.g. every ad with one phone number.
    pub async fn ads_with_entity(&self, kind: &str, value: &str) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT DISTINCT ad_id FROM entities WHERE kind = $1 AND value = $2 ORDER BY ad_id")
            .bind(kind)
            .bind(value)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("ad_id")?)).collect()
    }

    /// The latest score of an ad, if scored.
    pub async fn latest_score(&self, ad_id: i64) -> Result<Option<ScoreRow>> {
        let row = sqlx::query(
            "SELECT ad_id, version, model, probability, risk, verdict, language, language_supported,
                 indicators, scored_at
             FROM scores WHERE ad_id = $1 ORDER BY version DESC, scored_at DESC, id DESC LIMIT 1",
        )
        .bind(ad_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let indicators: String = r.try_get("indicators")?;
        Ok(Some(ScoreRow {
            ad_id: r.try_get("ad_id")?,
            version: r.try_get("version")?,
            model: r.try_get("model")?,
            probability: r.try_get("probability")?,
            risk: r.try_get("risk")?,
            verdict: r.try_get("verdict")?,
            language: r.try_get("language")?,
            language_supported: r.try_get::<i64, _>("language_supported")? != 0,
            indicators: serde_json::from_str(&indicators).map_err(|e| crate::Error::Corrupt {
                what: "score",
                id: ad_id.to_string(),
                reason: e.to_string(),
            })?,
            scored_at: r.try_get("scored_at")?,
        }))
    }

    /// Every ad's site and the fetch time of its current version, by ad id (for network features).
    pub async fn ad_sites_and_fetch_times(&self) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        self.sites_and_fetch_times_where("").await
    }

    /// [`Store::ad_sites_and_fetch_times`] of the ads `ids` only.
    pub async fn ad_sites_and_fetch_times_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        let mut out = std::collections::HashMap::new();
        for list in crate::relink::id_chunks(ids) {
            out.extend(self.sites_and_fetch_times_where(&format!("WHERE a.id IN ({list})")).await?);
        }
        Ok(out)
    }

    async fn sites_and_fetch_times_where(&self, filter: &str) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.site_id, v.fetched_at FROM ads a
             JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version {filter}"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, (r.try_get("site_id")?, r.try_get("fetched_at")?)))).collect()
    }

    /// The ads of a network with their current fields, at most `limit`, in id order.
    pub async fn cluster_ads(&self, cluster_id: i64, limit: i64) -> Result<Vec<crate::AdRow>> {
        let rows = sqlx::query(&format!("{} WHERE a.cluster_id = $1 ORDER BY a.id LIMIT $2", crate::ads::AD_SELECT))
            .bind(cluster_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(crate::ads::ad_from_row).collect()
    }

    /// The links touching an ad.
    pub async fn links_of(&self, ad_id: i64) -> Result<Vec<LinkRow>> {
        let rows = sqlx::query(
            "SELECT ad_a, ad_b, reason, detail, strength FROM links WHERE ad_a = $1 OR ad_b = $1 ORDER BY id",
        )
        .bind(ad_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(link_from_row).collect()
    }

    /// The links inside a network.
    pub async fn cluster_links(&self, cluster_id: i64) -> Result<Vec<LinkRow>> {
        let rows = sqlx::query(
            "SELECT l.ad_a, l.ad_b, l.reason, l.detail, l.strength FROM links l JOIN ads a ON a.id = l.ad_a
             WHERE a.cluster_id = $1 ORDER BY l.id",
        )
        .bind(cluster_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(link_from_row).collect()
    }

    /// Groups of more than one ad of one kind, largest first.
    pub async fn clusters(&self, kind: GroupKind, limit: i64) -> Result<Vec<ClusterRow>> {
        let rows = sqlx::query(
            "SELECT cluster_id, COUNT(*) AS n, MAX(risk) AS max_risk FROM ads
             WHERE cluster_id IS NOT NULL AND COALESCE(cluster_kind, 'network') = $1
             GROUP BY cluster_id HAVING COUNT(*) > 1 ORDER BY n DESC, max_risk DESC, cluster_id LIMIT $2",
        )
        .bind(kind.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClusterRow {
                    id: r.try_get("cluster_id")?,
                    ads: r.try_get("n")?,
                    max_risk: r.try_get("max_risk")?,
                    kind,
                })
            })
            .collect()
    }

    /// Every link, by ad, for the export: the links touching each of `ads`.
    pub async fn links_of_ads(&self, ads: &[i64]) -> Result<std::collections::HashMap<i64, Vec<LinkRow>>> {
        let mut out: std::collections::HashMap<i64, Vec<LinkRow>> = std::collections::HashMap::new();
        let Some(ids) = crate::ads::id_list(ads.iter().copied()) else { return Ok(out) };
        let rows = sqlx::query(&format!(
            "SELECT ad_a, ad_b, reason, detail, strength FROM links WHERE ad_a IN ({ids}) OR ad_b IN ({ids})
             ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let wanted: std::collections::HashSet<i64> = ads.iter().copied().collect();
        for r in &rows {
            let l = link_from_row(r)?;
            for ad in [l.ad_a, l.ad_b] {
                if wanted.contains(&ad) {
                    out.entry(ad).or_default().push(l.clone());
                }
            }
        }
        Ok(out)
    }
}
