//! Crawl runs: one row per site per `redflag crawl` worker with its stats, for the crawl status page.
//!
//! A run starts `running`, rewrites its JSON stats every few seconds ([`heartbeat`]) and ends `finished`,
//! `stopped` (interrupted cleanly, leases given back) or `failed` (with the error). A worker killed outright
//! leaves its run `running` with a heartbeat that no longer moves; readers see it as
//! [`RunStatus::Lost`] once the heartbeat is older than [`STALE_AFTER_MS`].

use sqlx::Row;

use crate::{Conn, Error, Result, Store, now_ms};

/// A running crawl whose heartbeat is older than this (ms) is taken to have died.
pub const STALE_AFTER_MS: i64 = 120_000;

/// How a run ended, or that it has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Still crawling (its heartbeat is recent).
    Running,
    /// Crawled until nothing was left to fetch (or a page limit was reached).
    Finished,
    /// Interrupted on request; unfinished URLs went back to the queue.
    Stopped,
    /// Ended with an error (see the run's `error`).
    Failed,
    /// Marked running but its heartbeat stopped: the worker was killed. Its leases expire and other
    /// workers or the next run pick its URLs up.
    Lost,
}

impl RunStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Stopped => "stopped",
            RunStatus::Failed => "failed",
            RunStatus::Lost => "lost",
        }
    }

    fn parse(s: &str) -> Option<RunStatus> {
        Some(match s {
            "running" => RunStatus::Running,
            "finished" => RunStatus::Finished,
            "stopped" => RunStatus::Stopped,
            "failed" => RunStatus::Failed,
            "lost" => RunStatus::Lost,
            _ => return None,
        })
    }
}

/// One crawl run as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CrawlRun {
    /// Run id.
    pub id: i64,
    /// The site.
    pub site_id: i64,
    /// The site's adapter name.
    pub site: String,
    /// The worker that ran it.
    pub worker: String,
    /// Start, ms since the epoch.
    pub started_at: i64,
    /// Last heartbeat, ms since the epoch.
    pub updated_at: i64,
    /// End, ms since the epoch, once ended.
    pub finished_at: Option<i64>,
    /// Its status, with a stale `running` reported as [`RunStatus::Lost`].
    pub status: RunStatus,
    /// The crawler's JSON summary (pages, ads, outcomes, errors, rate), as last written.
    pub stats: serde_json::Value,
    /// Why it failed, for a failed run.
    pub error: Option<String>,
}

/// Records the start of a run; returns its id.
pub async fn start(conn: &mut Conn, site_id: i64, worker: &str) -> Result<i64> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO crawl_runs (site_id, worker, started_at, updated_at, status, stats)
         VALUES ($1, $2, $3, $3, 'running', '{}') RETURNING id",
    )
    .bind(site_id)
    .bind(worker)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Rewrites a running run's stats and moves its heartbeat.
pub async fn heartbeat(conn: &mut Conn, id: i64, stats: &serde_json::Value) -> Result<()> {
    sqlx::query("UPDATE crawl_runs SET stats = $1, updated_at = $2 WHERE id = $3 AND status = 'running'")
        .bind(stats.to_string())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records the end of a run with its final stats.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    status: RunStatus,
    stats: &serde_json::Value,
    error: Option<&str>,
) -> Result<()> {
    if matches!(status, RunStatus::Running | RunStatus::Lost) {
        return Err(Error::Invalid { what: "run status", reason: format!("{} is not an end state", status.as_str()) });
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE crawl_runs SET status = $1, stats = $2, error = $3, updated_at = $4, finished_at = $4 WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(stats.to_string())
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn run_from_row(row: &sqlx::any::AnyRow, now: i64) -> Result<CrawlRun> {
    let id: i64 = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let updated_at: i64 = row.try_get("updated_at")?;
    let mut status = RunStatus::parse(&status).ok_or_else(|| Error::Corrupt {
        what: "crawl run",
        id: id.to_string(),
        reason: format!("unknown status {status:?}"),
    })?;
    if status == RunStatus::Running && now - updated_at > STALE_AFTER_MS {
        status = RunStatus::Lost;
    }
    let stats: String = row.try_get("stats")?;
    Ok(CrawlRun {
        id,
        site_id: row.try_get("site_id")?,
        site: row.try_get("site")?,
        worker: row.try_get("worker")?,
        started_at: row.try_get("started_at")?,
        updated_at,
        finished_at: row.try_get("finished_at")?,
        status,
        stats: serde_json::from_str(&stats).unwrap_or(serde_json::Value::Null),
        error: row.try_get("error")?,
    })
}

impl Store {
    /// The most recent crawl runs, newest first, of one site or of all.
    pub async fn crawl_runs(&self, site_id: Option<i64>, limit: i64) -> Result<Vec<CrawlRun>> {
        let rows = sqlx::query(
            "SELECT r.id, r.site_id, s.name AS site, r.worker, r.started_at, r.updated_at, r.finished_at,
                 r.status, r.stats, r.error
             FROM crawl_runs r JOIN sites s ON s.id = r.site_id
             WHERE ($1 < 0 OR r.site_id = $1)
             ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
        )
        .bind(site_id.unwrap_or(-1))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let now = now_ms();
        rows.iter().map(|r| run_from_row(r, now)).collect()
    }

    /// One run by id.
    pub async fn crawl_run(&self, id: i64) -> Result<CrawlRun> {
        let row = sqlx::query(
            "SELECT r.id, r.site_id, s.name AS site, r.worker, r.started_at, r.updated_at, r.finished_at,
                 r.status, r.stats, r.error
             FROM crawl_runs r JOIN sites s ON s.id = r.site_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::not_found("crawl run", id))?;
        run_from_row(&row, now_ms())
    }
}
