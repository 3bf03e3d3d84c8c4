//! Counts for monitoring (the dashboard's `/metrics`): ads, ads awaiting analysis, the frontier by
//! state, crawl runs by status and when one last finished, and open leads. Each is one aggregate query.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Result, Store};

/// A snapshot of the store's size and backlog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreStats {
    /// Ads stored.
    pub ads: i64,
    /// Ads whose current version has not been analysed yet.
    pub ads_awaiting_analysis: i64,
    /// Frontier URLs by state (`queued`, `leased`, `done`, …).
    pub frontier: BTreeMap<String, i64>,
    /// Crawl runs by status (`running`, `finished`, `failed`, …).
    pub crawl_runs: BTreeMap<String, i64>,
    /// When the last crawl run finished, ms since the epoch.
    pub last_crawl_finished_at: Option<i64>,
    /// Scored ads whose triage is open, by state (`new`, including never triaged, and `reviewing`).
    pub open_leads: BTreeMap<String, i64>,
}

impl Store {
    /// The counts behind the monitoring gauges.
    pub async fn stats(&self) -> Result<StoreStats> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS ads, COALESCE(SUM(CASE WHEN analyzed_version < version THEN 1 ELSE 0 END), 0) AS stale
             FROM ads",
        )
        .fetch_one(&self.pool)
        .await?;
        let mut out =
            StoreStats { ads: row.try_get("ads")?, ads_awaiting_analysis: row.try_get("stale")?, ..Default::default() };
        for r in sqlx::query("SELECT state, COUNT(*) AS n FROM frontier GROUP BY state").fetch_all(&self.pool).await? {
            out.frontier.insert(r.try_get("state")?, r.try_get("n")?);
        }
        for r in
            sqlx::query("SELECT status, COUNT(*) AS n FROM crawl_runs GROUP BY status").fetch_all(&self.pool).await?
        {
            out.crawl_runs.insert(r.try_get("status")?, r.try_get("n")?);
        }
        out.last_crawl_finished_at =
            sqlx::query("SELECT MAX(finished_at) AS t FROM crawl_runs").fetch_one(&self.pool).await?.try_get("t")?;
        let open = sqlx::query(
            "SELECT COALESCE(t.state, 'new') AS state, COUNT(*) AS n FROM ads a LEFT JOIN triage t ON t.ad_id = a.id
             WHERE a.risk IS NOT NULL AND COALESCE(t.state, 'new') IN ('new', 'reviewing')
             GROUP BY COALESCE(t.state, 'new')",
        )
        .fetch_all(&self.pool)
        .await?;
        for state in ["new", "reviewing"] {
            out.open_leads.insert(state.to_string(), 0);
        }
        for r in open {
            out.open_leads.insert(r.try_get("state")?, r.try_get("n")?);
        }
        Ok(out)
    }
}
