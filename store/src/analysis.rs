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
    replace_entities_of(conn, &[(ad_id, version, entities)]).await
}

/// Entities inserted per statement (eight bound values each).
const ENTITIES_PER_STATEMENT: usize = 60;

/// [`replace_entities`] for many ads (`(ad id, version, entities)`), a few statements for all of them:
/// extraction of a million ads spent most of its time on one statement per entity.
pub async fn replace_entities_of(conn: &mut Conn, ads: &[(i64, i64, &[Entity])]) -> Result<()> {
    let ids: Vec<i64> = ads.iter().map(|(ad, _, _)| *ad).collect();
    for list in crate::relink::id_chunks(&ids) {
        sqlx::query(&format!("DELETE FROM entities WHERE ad_id IN ({list})")).execute(&mut *conn).await?;
    }
    let rows: Vec<(i64, i64, &Entity)> =
        ads.iter().flat_map(|(ad, version, es)| es.iter().map(move |e| (*ad, *version, e))).collect();
    for chunk in rows.chunks(ENTITIES_PER_STATEMENT) {
        let slots: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=8).map(|k| format!("${}", i * 8 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO entities (ad_id, version, kind, value, raw, start_pos, end_pos, obfuscated) VALUES {}",
            slots.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (ad, version, e) in chunk {
            q = q
                .bind(*ad)
                .bind(*version)
                .bind(e.kind.as_str())
                .bind(e.value.clone())
                .bind(e.raw.clone())
                .bind(e.start as i64)
                .bind(e.end as i64)
                .bind(i64::from(e.obfuscated));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores a score for an ad version and makes it the ad's current risk.
pub async fn save_score(conn: &mut Conn, ad_id: i64, version: i64, a: &Assessment) -> Result<()> {
    save_scores(conn, &[NewScore { ad_id, version, assessment: a, context_digest: None }]).await
}

/// One ad version's new score, for [`save_scores`].
#[derive(Debug, Clone, Copy)]
pub struct NewScore<'a> {
    /// The ad.
    pub ad_id: i64,
    /// The version scored.
    pub version: i64,
    /// The score.
    pub assessment: &'a Assessment,
    /// The digest of the network context it was scored with (`redflag_analyze`), stored in
    /// `ads.context_digest` when given.
    pub context_digest: Option<i64>,
}

/// Scores stored per statement (ten bound values each).
const SCORES_PER_STATEMENT: usize = 50;

/// Stores the scores `rows` (one per ad) and makes each its ad's current risk, a few statements for many
/// ads: analysis rescoring tens of thousands of ads spent most of its time on one statement per row.
pub async fn save_scores(conn: &mut Conn, rows: &[NewScore<'_>]) -> Result<()> {
    let scored_at = now_ms();
    for chunk in rows.chunks(SCORES_PER_STATEMENT) {
        let slots: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 10;
                let p: Vec<String> = (1..=10).map(|k| format!("${}", n + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO scores (ad_id, version, model, probability, risk, verdict, language, language_supported,
                 indicators, scored_at)
             VALUES {}
             ON CONFLICT (ad_id, version, model) DO UPDATE SET probability = excluded.probability,
                 risk = excluded.risk, verdict = excluded.verdict, language = excluded.language,
                 language_supported = excluded.language_supported, indicators = excluded.indicators,
                 scored_at = excluded.scored_at",
            slots.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            let a = r.assessment;
            let indicators = serde_json::to_string(&a.indicators).unwrap_or_else(|_| "[]".into());
            let verdict =
                serde_json::to_value(a.verdict).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            q = q
                .bind(r.ad_id)
                .bind(r.version)
                .bind(a.model.clone())
                .bind(f64::from(a.probability))
                .bind(i64::from(a.risk))
                .bind(verdict)
                .bind(a.language.clone())
                .bind(i64::from(a.language_supported))
                .bind(indicators)
                .bind(scored_at);
        }
        q.execute(&mut *conn).await?;
    }
    for chunk in rows.chunks(crate::relink::IDS_PER_QUERY) {
        // Integers only, written inline; `UPDATE … FROM (VALUES …)` as in `write_networks`.
        let values: Vec<String> = chunk
            .iter()
            .map(|r| {
                let digest = r.context_digest.map_or("CAST(NULL AS BIGINT)".to_string(), |d| d.to_string());
                format!("({}, {}, {}, {digest})", r.ad_id, r.assessment.risk, r.version)
            })
            .collect();
        let keep = if chunk.iter().all(|r| r.context_digest.is_some()) {
            "v.column4"
        } else {
            "COALESCE(v.column4, ads.context_digest)"
        };
        sqlx::query(&format!(
            "UPDATE ads SET risk = v.column2, analyzed_version = v.column3, context_digest = {keep}
             FROM (VALUES {}) AS v WHERE ads.id = v.column1",
            values.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
        // The lead queue's indicator filter reads these (0011): the ids each ad's latest score fired.
        let list = chunk.iter().map(|r| r.ad_id.to_string()).collect::<Vec<_>>().join(",");
        sqlx::query(&format!("DELETE FROM ad_indicators WHERE ad_id IN ({list})")).execute(&mut *conn).await?;
        let mut pairs: Vec<(i64, &str)> =
            chunk.iter().flat_map(|r| r.assessment.indicators.iter().map(move |i| (r.ad_id, i.id.as_str()))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        for part in pairs.chunks(crate::relink::BINDS_PER_QUERY / 2) {
            let slots: Vec<String> = (0..part.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
            let sql = format!("INSERT INTO ad_indicators (ad_id, indicator) VALUES {}", slots.join(", "));
            let mut q = sqlx::query(&sql);
            for (ad, id) in part {
                q = q.bind(*ad).bind(*id);
            }
            q.execute(&mut *conn).await?;
        }
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

/// Rows written per statement when networks are written back.
const NETWORK_ROWS_PER_STATEMENT: usize = 500;

/// Links inserted per statement (five bound values each).
const LINKS_PER_STATEMENT: usize = 100;

async fn write_networks(
    conn: &mut Conn,
    clusters: &[(i64, i64)],
    kinds: &std::collections::HashMap<i64, GroupKind>,
    links: &[Link],
) -> Result<()> {
    // Many rows a statement: at a million ads one statement per ad costs more than linking them.
    // Ids and the kinds' fixed names are written inline; `UPDATE … FROM (VALUES …)` works on both
    // backends, whose VALUES columns are both named column1, column2, ….
    for chunk in clusters.chunks(NETWORK_ROWS_PER_STATEMENT) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(ad, cluster)| match kinds.get(cluster) {
                Some(kind) => format!("({ad}, {cluster}, '{}')", kind.as_str()),
                None => format!("({ad}, {cluster}, NULL)"),
            })
            .collect();
        sqlx::query(&format!(
            "UPDATE ads SET cluster_id = v.column2, cluster_kind = v.column3
             FROM (VALUES {}) AS v WHERE ads.id = v.column1",
            values.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
    }
    for chunk in links.chunks(LINKS_PER_STATEMENT) {
        let slots: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 5;
                format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5)
            })
            .collect();
        let sql = format!("INSERT INTO links (ad_a, ad_b, reason, detail, strength) VALUES {}", slots.join(", "));
        let mut q = sqlx::query(&sql);
        for l in chunk {
            let (reason, detail) = match &l.reason {
                LinkReason::SharedContact { contact } => ("shared_contact", contact.clone()),
                LinkReason::Template { similarity } => ("template", format!("{similarity:.3}")),
                LinkReason::Relay { contact, advertisers } => ("relay", format!("{advertisers} {contact}")),
                LinkReason::Image { distance, advertisers } => ("image", format!("{distance} {advertisers}")),
                LinkReason::JobEscort { contact } => ("job_escort", contact.clone()),
            };
            q = q.bind(l.a).bind(l.b).bind(reason).bind(detail).bind(f64::from(l.strength));
        }
        q.execute(&mut *conn).await?;
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

/// `(ad_id, "kind:value")` of an entity row (`ad_id`, `kind`, `value`) when it is a contact.
fn contact_key(r: &sqlx::any::AnyRow) -> Result<Option<(i64, String)>> {
    let kind: String = r.try_get("kind")?;
    if !matches!(kind.as_str(), "phone" | "email" | "handle") {
        return Ok(None);
    }
    let value: String = r.try_get("value")?;
    Ok(Some((r.try_get("ad_id")?, format!("{kind}:{value}"))))
}

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

    /// How many ads need analysis (never analysed, or changed since), counted through their partial index
    /// without reading them.
    pub async fn count_stale(&self) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM ads WHERE analyzed_version < version")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
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
        let rows = sqlx::query(
            "SELECT DISTINCT ad_id, kind, value FROM entities WHERE kind IN ('phone', 'email', 'handle')
             ORDER BY ad_id, kind, value",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().filter_map(|r| contact_key(r).transpose()).collect()
    }

    /// [`Store::contact_keys`] of the ads `ids` only.
    ///
    /// The kinds are picked out here rather than in SQL: with `kind IN (…)` beside `ad_id IN (…)`,
    /// SQLite's planner walks the `(kind, value)` index — every contact of the store — for each list of
    /// ids instead of looking the ids up, which at a million ads took most of an incremental run.
    pub async fn contact_keys_of(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for list in crate::relink::id_chunks(ids) {
            let rows = sqlx::query(&format!("SELECT ad_id, kind, value FROM entities WHERE ad_id IN ({list})"))
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                out.extend(contact_key(r)?);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
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
