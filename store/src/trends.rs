//! Trends for the dashboard's overview: new ads per day (and how many of them are risky or linked into a
//! network of concern), and the ads of a period by site and by city. Counted in the database with one
//! grouped query each, on SQLite and PostgreSQL alike.

use sqlx::Row;

use crate::{Result, Store};

use redflag_core::time::DAY_MS;

/// New ads of one UTC day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayTrend {
    /// The day's UTC midnight, ms since the epoch.
    pub day: i64,
    /// Ads first seen that day.
    pub ads: i64,
    /// Of those, ads with risk at or above the risky threshold.
    pub risky: i64,
    /// Of those, ads now in a network of concern.
    pub in_networks: i64,
}

/// Ads of a period in one group (a site, a city).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupTrend {
    /// The site's name, or the city as written (lowercased).
    pub name: String,
    /// Ads first seen in the period.
    pub ads: i64,
    /// Of those, risky ones.
    pub risky: i64,
}

const COUNTS: &str = "COUNT(*) AS ads, SUM(CASE WHEN a.risk >= $2 THEN 1 ELSE 0 END) AS risky";

fn group_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<GroupTrend>> {
    rows.iter()
        .map(|r| {
            Ok(GroupTrend {
                name: r.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
                ads: r.try_get("ads")?,
                risky: r.try_get::<Option<i64>, _>("risky")?.unwrap_or(0),
            })
        })
        .collect()
}

impl Store {
    /// Ads first seen on each day from the day of `since_ms` on, oldest first (days without new ads
    /// left out); `risky_from` is the risk at which an ad counts as risky.
    pub async fn ads_per_day(&self, since_ms: i64, risky_from: i64) -> Result<Vec<DayTrend>> {
        let since = since_ms.div_euclid(DAY_MS) * DAY_MS;
        let rows = sqlx::query(&format!(
            "SELECT a.first_seen / {DAY_MS} AS d, {COUNTS},
                 SUM(CASE WHEN a.cluster_id IS NOT NULL AND COALESCE(a.cluster_kind, 'network') = 'network'
                          THEN 1 ELSE 0 END) AS linked
             FROM ads a WHERE a.first_seen >= $1 GROUP BY a.first_seen / {DAY_MS} ORDER BY d"
        ))
        .bind(since)
        .bind(risky_from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DayTrend {
                    day: r.try_get::<i64, _>("d")? * DAY_MS,
                    ads: r.try_get("ads")?,
                    risky: r.try_get::<Option<i64>, _>("risky")?.unwrap_or(0),
                    in_networks: r.try_get::<Option<i64>, _>("linked")?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// Ads first seen since `since_ms`, by site, most first.
    pub async fn ads_by_site(&self, since_ms: i64, risky_from: i64) -> Result<Vec<GroupTrend>> {
        let rows = sqlx::query(&format!(
            "SELECT s.name AS name, {COUNTS} FROM ads a JOIN sites s ON s.id = a.site_id
             WHERE a.first_seen >= $1 GROUP BY s.name ORDER BY ads DESC, name"
        ))
        .bind(since_ms)
        .bind(risky_from)
        .fetch_all(&self.pool)
        .await?;
        group_rows(&rows)
    }

    /// Ads first seen since `since_ms`, by city (as their current version writes it, compared without
    /// case), the `limit` commonest; ads without a city are left out.
    pub async fn ads_by_city(&self, since_ms: i64, risky_from: i64, limit: i64) -> Result<Vec<GroupTrend>> {
        let rows = sqlx::query(&format!(
            "SELECT LOWER(TRIM(v.city)) AS name, {COUNTS} FROM ads a
             JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
             WHERE a.first_seen >= $1 AND v.city IS NOT NULL AND TRIM(v.city) <> ''
             GROUP BY LOWER(TRIM(v.city)) ORDER BY ads DESC, name LIMIT $3"
        ))
        .bind(since_ms)
        .bind(risky_from)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        group_rows(&rows)
    }
}
