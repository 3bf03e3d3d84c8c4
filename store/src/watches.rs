//! Watches: an investigator's saved searches and watched contacts and networks, and the queue of ad
//! versions still to be matched against them (filled by extraction, emptied when their alerts are
//! written). Creating, pausing, resuming and deleting a watch is audited.

use redflag_core::AdKind;
use sqlx::Row;

use crate::ads::parse_kind;
use crate::{AdForAnalysis, Conn, Error, Result, Store, audit, now_ms};

/// What a watch looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchKind {
    /// An index query with optional kind and risk filters.
    Search,
    /// A contact (`phone:+44…`, `email:…`, `handle:…`) as entity extraction writes it.
    Contact,
    /// A network (the cluster id of its ads).
    Network,
}

impl WatchKind {
    /// Every kind.
    pub const ALL: [WatchKind; 3] = [WatchKind::Search, WatchKind::Contact, WatchKind::Network];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchKind::Search => "search",
            WatchKind::Contact => "contact",
            WatchKind::Network => "network",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<WatchKind> {
        WatchKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A watch to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWatch {
    /// Whose.
    pub user_id: i64,
    /// What it looks for.
    pub kind: WatchKind,
    /// The query, the contact key (`kind:value`) or the network id.
    pub target: String,
    /// Search filter: only this kind of ad.
    pub ad_kind: Option<AdKind>,
    /// Search filter: only ads at least this risky.
    pub min_risk: Option<i64>,
    /// What the owner calls it.
    pub label: String,
    /// Where to e-mail its alerts, besides the installation-wide recipients.
    pub email: Option<String>,
}

/// A stored watch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Watch {
    /// Id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// What it looks for.
    pub kind: WatchKind,
    /// The query, contact key or network id.
    pub target: String,
    /// Search filter on the ad kind.
    pub ad_kind: Option<AdKind>,
    /// Search filter on risk.
    pub min_risk: Option<i64>,
    /// Label.
    pub label: String,
    /// E-mail recipient of its alerts.
    pub email: Option<String>,
    /// Paused watches raise no alerts.
    pub paused: bool,
    /// When created, ms since the epoch.
    pub created_at: i64,
}

/// An ad version waiting to be matched, as it was when extracted.
#[derive(Debug, Clone)]
pub struct PendingAd {
    /// The ad at that version (`ad.version` is the pending version).
    pub ad: AdForAnalysis,
    /// The ad's network now.
    pub cluster_id: Option<i64>,
    /// The ad's risk now.
    pub risk: Option<i64>,
}

fn watch_from_row(r: &sqlx::any::AnyRow) -> Result<Watch> {
    let kind: String = r.try_get("kind")?;
    let id: i64 = r.try_get("id")?;
    let ad_kind: Option<String> = r.try_get("ad_kind")?;
    Ok(Watch {
        id,
        user_id: r.try_get("user_id")?,
        kind: WatchKind::parse(&kind).ok_or_else(|| Error::Corrupt {
            what: "watch",
            id: id.to_string(),
            reason: format!("unknown kind {kind:?}"),
        })?,
        target: r.try_get("target")?,
        ad_kind: ad_kind.as_deref().map(parse_kind).transpose()?,
        min_risk: r.try_get("min_risk")?,
        label: r.try_get("label")?,
        email: r.try_get("email")?,
        paused: r.try_get::<i64, _>("paused")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

const WATCH_COLUMNS: &str = "id, user_id, kind, target, ad_kind, min_risk, label, email, paused, created_at";

/// Creates a watch and audits it as `actor`; returns its id.
pub async fn create_watch(conn: &mut Conn, w: &NewWatch, actor: &str) -> Result<i64> {
    let target = w.target.trim();
    if target.is_empty() && w.kind != WatchKind::Search {
        return Err(Error::Invalid { what: "watch", reason: "nothing to watch".into() });
    }
    if w.label.trim().is_empty() {
        return Err(Error::Invalid { what: "watch", reason: "empty label".into() });
    }
    let row = sqlx::query(
        "INSERT INTO watches (user_id, kind, target, ad_kind, min_risk, label, email, paused, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) RETURNING id",
    )
    .bind(w.user_id)
    .bind(w.kind.as_str())
    .bind(target)
    .bind(w.ad_kind.map(|k| k.as_str()))
    .bind(w.min_risk)
    .bind(w.label.trim())
    .bind(w.email.as_deref())
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({ "kind": w.kind.as_str(), "target": target, "email": w.email }).to_string();
    audit::record(conn, actor, "watch.create", Some(&format!("watch:{id}")), Some(&detail)).await?;
    Ok(id)
}

/// Queues an extracted ad version for matching against the watches, if it is new or changed (not yet
/// scored at that version): re-analysing old ads after a model update raises no alerts.
pub async fn mark_pending(conn: &mut Conn, ad_id: i64, version: i64) -> Result<()> {
    mark_pending_all(conn, &[(ad_id, version)]).await
}

/// [`mark_pending`] for many ad versions `(ad id, version)` at once.
pub async fn mark_pending_all(conn: &mut Conn, versions: &[(i64, i64)]) -> Result<()> {
    for chunk in versions.chunks(crate::relink::IDS_PER_QUERY) {
        // Integers only, written inline; VALUES columns are column1, column2 on both backends.
        let values: Vec<String> = chunk.iter().map(|(ad, v)| format!("({ad}, {v})")).collect();
        sqlx::query(&format!(
            "INSERT INTO alert_pending (ad_id, version)
             SELECT a.id, a.version FROM ads a JOIN (VALUES {}) AS p ON a.id = p.column1 AND a.version = p.column2
             WHERE a.analyzed_version < a.version ON CONFLICT (ad_id, version) DO NOTHING",
            values.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Takes an ad version off the matching queue.
pub async fn clear_pending(conn: &mut Conn, ad_id: i64, version: i64) -> Result<()> {
    sqlx::query("DELETE FROM alert_pending WHERE ad_id = $1 AND version = $2")
        .bind(ad_id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Empties the matching queue at once, returning how many versions were on it: what matching does
    /// when no watch is active (each version is checked against nothing and taken off), without reading
    /// the versions — after a full analysis of a million ads that reading took minutes.
    pub async fn clear_all_pending(&self) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM alert_pending").execute(&self.pool).await?.rows_affected())
    }

    /// Creates a watch (see [`create_watch`]).
    pub async fn create_watch(&self, w: &NewWatch, actor: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = create_watch(&mut tx, w, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A user's watches, newest first.
    pub async fn watches_of(&self, user_id: i64) -> Result<Vec<Watch>> {
        let rows = sqlx::query(&format!("SELECT {WATCH_COLUMNS} FROM watches WHERE user_id = $1 ORDER BY id DESC"))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(watch_from_row).collect()
    }

    /// Every watch that is not paused, of users who are not disabled.
    pub async fn active_watches(&self) -> Result<Vec<Watch>> {
        let rows = sqlx::query(&format!(
            "SELECT {WATCH_COLUMNS} FROM watches WHERE paused = 0
             AND user_id IN (SELECT id FROM users WHERE disabled = 0) ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(watch_from_row).collect()
    }

    /// Pauses or resumes one of `user_id`'s watches, audited as `actor`.
    pub async fn set_watch_paused(&self, user_id: i64, id: i64, paused: bool, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE watches SET paused = $1 WHERE id = $2 AND user_id = $3")
            .bind(i64::from(paused))
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("watch", id));
        }
        let action = if paused { "watch.pause" } else { "watch.resume" };
        audit::record(&mut tx, actor, action, Some(&format!("watch:{id}")), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes one of `user_id`'s watches with its alerts, audited as `actor`.
    pub async fn delete_watch(&self, user_id: i64, id: i64, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM alert_deliveries WHERE alert_id IN
             (SELECT id FROM alerts WHERE watch_id = $1 AND user_id = $2)",
        )
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM alerts WHERE watch_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM watches WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("watch", id));
        }
        audit::record(&mut tx, actor, "watch.delete", Some(&format!("watch:{id}")), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many ad versions wait to be matched.
    pub async fn pending_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM alert_pending").fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// Up to `limit` ad versions waiting to be matched, each with the text it had at that version.
    pub async fn pending_ads(&self, limit: i64) -> Result<Vec<PendingAd>> {
        let rows = sqlx::query(
            "SELECT a.id, p.version, a.kind, a.url, a.cluster_id, a.risk, s.country, v.title, v.body, v.city,
                 v.price, v.posted_at, v.contact, v.age, v.company
             FROM alert_pending p JOIN ads a ON a.id = p.ad_id JOIN sites s ON s.id = a.site_id
             JOIN ad_versions v ON v.ad_id = p.ad_id AND v.version = p.version
             ORDER BY p.ad_id, p.version LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingAd {
                    ad: crate::analysis::for_analysis_from_row(r)?,
                    cluster_id: r.try_get("cluster_id")?,
                    risk: r.try_get("risk")?,
                })
            })
            .collect()
    }
}
