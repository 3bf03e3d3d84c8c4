//! Alerts: one per watch and ad version that matched it, with the evidence of the match, read or unread
//! in its owner's inbox; and their deliveries (webhook, e-mail), each retried with backoff until sent or
//! given up, every attempt's error recorded.

use sqlx::Row;

use crate::{Conn, Error, Result, Store, audit, now_ms};

/// An alert to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert<'a> {
    /// The watch that matched.
    pub watch_id: i64,
    /// Its owner.
    pub user_id: i64,
    /// The ad.
    pub ad_id: i64,
    /// The version that matched.
    pub version: i64,
    /// The ad's URL.
    pub url: &'a str,
    /// The ad's title at that version.
    pub title: &'a str,
    /// What matched, as JSON.
    pub evidence: &'a serde_json::Value,
}

/// A stored alert, with its watch's label.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AlertRow {
    /// Id.
    pub id: i64,
    /// The watch.
    pub watch_id: i64,
    /// The watch's label.
    pub watch_label: String,
    /// Owner.
    pub user_id: i64,
    /// The ad.
    pub ad_id: i64,
    /// The version that matched.
    pub version: i64,
    /// The ad's URL.
    pub url: String,
    /// The ad's title at that version.
    pub title: String,
    /// What matched.
    pub evidence: serde_json::Value,
    /// When raised, ms since the epoch.
    pub created_at: i64,
    /// When read, if it was.
    pub read_at: Option<i64>,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Not sent yet; tried again at `next_at`.
    Pending,
    /// Sent.
    Sent,
    /// Given up after the last attempt.
    Failed,
}

impl DeliveryState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<DeliveryState> {
        [DeliveryState::Pending, DeliveryState::Sent, DeliveryState::Failed].into_iter().find(|d| d.as_str() == s)
    }
}

/// How an alert is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A signed JSON POST.
    Webhook,
    /// An e-mail.
    Email,
}

impl Channel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }

    fn parse(s: &str) -> Option<Channel> {
        [Channel::Webhook, Channel::Email].into_iter().find(|c| c.as_str() == s)
    }
}

/// One delivery of an alert.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// The alert.
    pub alert_id: i64,
    /// How.
    pub channel: Channel,
    /// The URL or address.
    pub target: String,
    /// Where it is.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: i64,
    /// The next attempt, ms since the epoch.
    pub next_at: i64,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// When it was sent.
    pub sent_at: Option<i64>,
}

/// Writes an alert unless this watch already raised one for this ad version; returns the new id, or
/// `None` for a duplicate. Audited as `system`.
pub async fn insert_alert(conn: &mut Conn, a: &NewAlert<'_>) -> Result<Option<i64>> {
    let row = sqlx::query(
        "INSERT INTO alerts (watch_id, user_id, ad_id, version, url, title, evidence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (watch_id, ad_id, version) DO NOTHING RETURNING id",
    )
    .bind(a.watch_id)
    .bind(a.user_id)
    .bind(a.ad_id)
    .bind(a.version)
    .bind(a.url)
    .bind(a.title)
    .bind(a.evidence.to_string())
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({ "alert": id, "watch": a.watch_id, "version": a.version }).to_string();
    audit::record(conn, "system", "alert.create", Some(&format!("ad:{}", a.ad_id)), Some(&detail)).await?;
    Ok(Some(id))
}

/// Queues a delivery of an alert (once per channel and target).
pub async fn queue_delivery(conn: &mut Conn, alert_id: i64, channel: Channel, target: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO alert_deliveries (alert_id, channel, target, state, attempts, next_at)
         VALUES ($1, $2, $3, 'pending', 0, $4) ON CONFLICT (alert_id, channel, target) DO NOTHING",
    )
    .bind(alert_id)
    .bind(channel.as_str())
    .bind(target)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const ALERT_SELECT: &str = "SELECT al.id, al.watch_id, w.label, al.user_id, al.ad_id, al.version, al.url, al.title,
     al.evidence, al.created_at, al.read_at FROM alerts al JOIN watches w ON w.id = al.watch_id";

fn alert_from_row(r: &sqlx::any::AnyRow) -> Result<AlertRow> {
    let id: i64 = r.try_get("id")?;
    let evidence: String = r.try_get("evidence")?;
    Ok(AlertRow {
        id,
        watch_id: r.try_get("watch_id")?,
        watch_label: r.try_get("label")?,
        user_id: r.try_get("user_id")?,
        ad_id: r.try_get("ad_id")?,
        version: r.try_get("version")?,
        url: r.try_get("url")?,
        title: r.try_get("title")?,
        evidence: serde_json::from_str(&evidence).map_err(|e| Error::Corrupt {
            what: "alert",
            id: id.to_string(),
            reason: e.to_string(),
        })?,
        created_at: r.try_get("created_at")?,
        read_at: r.try_get("read_at")?,
    })
}

fn delivery_from_row(r: &sqlx::any::AnyRow) -> Result<Delivery> {
    let id: i64 = r.try_get("id")?;
    let corrupt = |reason: String| Error::Corrupt { what: "delivery", id: id.to_string(), reason };
    let channel: String = r.try_get("channel")?;
    let state: String = r.try_get("state")?;
    Ok(Delivery {
        id,
        alert_id: r.try_get("alert_id")?,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt(format!("channel {channel:?}")))?,
        target: r.try_get("target")?,
        state: DeliveryState::parse(&state).ok_or_else(|| corrupt(format!("state {state:?}")))?,
        attempts: r.try_get("attempts")?,
        next_at: r.try_get("next_at")?,
        last_error: r.try_get("last_error")?,
        sent_at: r.try_get("sent_at")?,
    })
}

const DELIVERY_COLUMNS: &str = "id, alert_id, channel, target, state, attempts, next_at, last_error, sent_at";

impl Store {
    /// A user's alerts, newest first; only unread ones when `unread_only`.
    pub async fn alerts_of(&self, user_id: i64, unread_only: bool, limit: i64, offset: i64) -> Result<Vec<AlertRow>> {
        let unread = if unread_only { "AND al.read_at IS NULL" } else { "" };
        let rows = sqlx::query(&format!(
            "{ALERT_SELECT} WHERE al.user_id = $1 {unread} ORDER BY al.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(alert_from_row).collect()
    }

    /// One alert by id.
    pub async fn alert(&self, id: i64) -> Result<AlertRow> {
        let row = sqlx::query(&format!("{ALERT_SELECT} WHERE al.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::not_found("alert", id))?;
        alert_from_row(&row)
    }

    /// Every alert, oldest first (for tests and exports).
    pub async fn all_alerts(&self) -> Result<Vec<AlertRow>> {
        let rows = sqlx::query(&format!("{ALERT_SELECT} ORDER BY al.id")).fetch_all(&self.pool).await?;
        rows.iter().map(alert_from_row).collect()
    }

    /// How many of a user's alerts are unread.
    pub async fn unread_alerts(&self, user_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM alerts WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Marks one of a user's alerts read, or all of them when `id` is `None`; returns how many changed.
    pub async fn mark_alerts_read(&self, user_id: i64, id: Option<i64>) -> Result<u64> {
        let q = match id {
            Some(id) => {
                sqlx::query("UPDATE alerts SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
                    .bind(now_ms())
                    .bind(user_id)
                    .bind(id)
            }
            None => sqlx::query("UPDATE alerts SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                .bind(now_ms())
                .bind(user_id),
        };
        Ok(q.execute(&self.pool).await?.rows_affected())
    }

    /// Deliveries due now (pending, next attempt reached), oldest first.
    pub async fn due_deliveries(&self, limit: i64) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE state = 'pending' AND next_at <= $1
             ORDER BY next_at, id LIMIT $2"
        ))
        .bind(now_ms())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// Every delivery of an alert.
    pub async fn deliveries_of(&self, alert_id: i64) -> Result<Vec<Delivery>> {
        let rows =
            sqlx::query(&format!("SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE alert_id = $1 ORDER BY id"))
                .bind(alert_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// Records a successful delivery.
    pub async fn delivery_sent(&self, id: i64) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE alert_deliveries SET state = 'sent', attempts = attempts + 1, sent_at = $1, last_error = NULL
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: tried again at `retry_at`, or given up (and audited) when `None`.
    pub async fn delivery_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<()> {
        let mut tx = self.begin().await?;
        let state = if retry_at.is_some() { "pending" } else { "failed" };
        sqlx::query(
            "UPDATE alert_deliveries SET state = $1, attempts = attempts + 1, last_error = $2, next_at = $3
             WHERE id = $4",
        )
        .bind(state)
        .bind(error)
        .bind(retry_at.unwrap_or_else(now_ms))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if retry_at.is_none() {
            audit::record(&mut tx, "system", "alert.delivery_failed", Some(&format!("delivery:{id}")), Some(error))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
