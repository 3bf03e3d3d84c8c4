//! The crawl frontier: every URL a site's crawl knows of, its state and its outcome.
//!
//! Workers *lease* rows: a lease names the worker and expires, so a worker killed mid-fetch loses
//! nothing (its rows become leasable again when the lease runs out) and a worker whose lease expired
//! cannot overwrite the outcome of the worker that took the row over (completion checks the owner).
//! On PostgreSQL leasing uses `FOR UPDATE SKIP LOCKED`, so many workers on many machines share one
//! frontier without blocking each other; SQLite serialises writers, which gives the same guarantee on
//! one machine.
//!
//! A row's life: `queued` → `leased` → `done` | `failed` | `skipped`, or back to `queued` after a failed
//! attempt ([`retry`]), an expired lease (counted as an attempt, so a page that kills every worker that
//! fetches it is given up on), a clean shutdown ([`release`]) or when its recrawl time comes
//! ([`requeue_due`]).

use sqlx::Row;

use crate::{Backend, Conn, Result, Store, now_ms};

/// Where a frontier URL is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlState {
    /// Waiting to be fetched (possibly not before some time).
    Queued,
    /// Held by a worker until its lease expires.
    Leased,
    /// Fetched (or settled as not needing a fetch); see the outcome.
    Done,
    /// Given up on after retries; see the outcome and detail.
    Failed,
    /// Not fetched on purpose (robots.txt, out of scope, limits); see the outcome.
    Skipped,
}

impl UrlState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlState::Queued => "queued",
            UrlState::Leased => "leased",
            UrlState::Done => "done",
            UrlState::Failed => "failed",
            UrlState::Skipped => "skipped",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<UrlState> {
        Some(match s {
            "queued" => UrlState::Queued,
            "leased" => UrlState::Leased,
            "done" => UrlState::Done,
            "failed" => UrlState::Failed,
            "skipped" => UrlState::Skipped,
            _ => return None,
        })
    }
}

/// How a URL's fetch ended; stored as text with a free-form detail beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Fetched with a 2xx status and stored.
    Ok,
    /// A conditional request answered 304: nothing changed since the last fetch.
    NotModified,
    /// robots.txt forbids it.
    Robots,
    /// Outside the configured hosts, or not an HTTP(S) URL.
    OffScope,
    /// The response exceeded the size cap; the first bytes were stored, marked truncated.
    TooLarge,
    /// The server answered a 4xx/5xx status that is not retried (or retries ran out).
    HttpError,
    /// Network failure or timeout after all retries.
    Failed,
    /// A redirect loop or a chain longer than the limit.
    Redirect,
    /// Not fetched because a crawl limit (pages, depth) was reached.
    Limit,
    /// Fetched but not HTML or XML, so not parsed.
    Unsupported,
}

impl Outcome {
    /// The name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NotModified => "not_modified",
            Outcome::Robots => "robots",
            Outcome::OffScope => "off_scope",
            Outcome::TooLarge => "too_large",
            Outcome::HttpError => "http_error",
            Outcome::Failed => "failed",
            Outcome::Redirect => "redirect",
            Outcome::Limit => "limit",
            Outcome::Unsupported => "unsupported",
        }
    }

    /// The state a URL with this outcome settles in.
    pub fn final_state(self) -> UrlState {
        match self {
            Outcome::Ok | Outcome::NotModified | Outcome::TooLarge | Outcome::Unsupported => UrlState::Done,
            Outcome::Robots | Outcome::OffScope | Outcome::Limit => UrlState::Skipped,
            Outcome::HttpError | Outcome::Failed | Outcome::Redirect => UrlState::Failed,
        }
    }
}

/// A URL to add to the frontier.
#[derive(Debug, Clone)]
pub struct NewUrl<'a> {
    /// The canonical URL.
    pub url: &'a str,
    /// What the adapter expects there: `start`, `sitemap`, `listing` or `ad`.
    pub role: &'a str,
    /// Link distance from a start URL.
    pub depth: i64,
    /// The frontier row it was found on.
    pub parent_id: Option<i64>,
}

/// A leased frontier row.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierItem {
    /// Row id.
    pub id: i64,
    /// The site.
    pub site_id: i64,
    /// The canonical URL.
    pub url: String,
    /// What the adapter expects there.
    pub role: String,
    /// Link distance from a start URL.
    pub depth: i64,
    /// Failed attempts so far.
    pub attempts: i64,
    /// How many times it was fetched before (0 on the first crawl).
    pub fetch_count: i64,
    /// ETag from the last fetch, for a conditional recrawl.
    pub etag: Option<String>,
    /// Last-Modified from the last fetch, for a conditional recrawl.
    pub last_modified: Option<String>,
    /// SHA-256 of the body of the last fetch, to recognise an unchanged page without storing it again.
    pub sha256: Option<String>,
    /// The page stored by the last fetch.
    pub page_id: Option<i64>,
    /// The detail of the last outcome or failed attempt ("HTTP 503 Service Unavailable").
    pub detail: Option<String>,
}

/// Counts of a site's frontier rows by state and by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FrontierStats {
    /// Rows per state (`queued`, `leased`, `done`, `failed`, `skipped`).
    pub by_state: std::collections::BTreeMap<String, i64>,
    /// Rows per outcome (`ok`, `robots`, …) among settled rows.
    pub by_outcome: std::collections::BTreeMap<String, i64>,
}

impl FrontierStats {
    /// Rows not yet settled (queued or leased).
    pub fn pending(&self) -> i64 {
        self.by_state.get("queued").copied().unwrap_or(0) + self.by_state.get("leased").copied().unwrap_or(0)
    }

    /// All rows.
    pub fn total(&self) -> i64 {
        self.by_state.values().sum()
    }
}

const ITEM_COLUMNS: &str =
    "id, site_id, url, role, depth, attempts, fetch_count, etag, last_modified, sha256, page_id, detail";

fn item_from_row(row: &sqlx::any::AnyRow) -> Result<FrontierItem> {
    Ok(FrontierItem {
        id: row.try_get("id")?,
        site_id: row.try_get("site_id")?,
        url: row.try_get("url")?,
        role: row.try_get("role")?,
        depth: row.try_get("depth")?,
        attempts: row.try_get("attempts")?,
        fetch_count: row.try_get("fetch_count")?,
        etag: row.try_get("etag")?,
        last_modified: row.try_get("last_modified")?,
        sha256: row.try_get("sha256")?,
        page_id: row.try_get("page_id")?,
        detail: row.try_get("detail")?,
    })
}

/// Rows per multi-row INSERT: well under both backends' limits on bound parameters.
const INSERT_CHUNK: usize = 100;

/// Adds URLs not yet known for the site; returns how many were new.
pub async fn enqueue(conn: &mut Conn, site_id: i64, urls: &[NewUrl<'_>]) -> Result<u64> {
    insert_rows(conn, site_id, urls, UrlState::Queued, None, None).await
}

/// Records URLs the crawl will not fetch (off-scope links, non-HTTP schemes) with their outcome, so the
/// crawl status shows them; URLs already known keep their row. Returns how many were new.
pub async fn record_skipped(
    conn: &mut Conn,
    site_id: i64,
    urls: &[NewUrl<'_>],
    outcome: Outcome,
    detail: &str,
) -> Result<u64> {
    insert_rows(conn, site_id, urls, outcome.final_state(), Some(outcome.as_str()), Some(detail)).await
}

async fn insert_rows(
    conn: &mut Conn,
    site_id: i64,
    urls: &[NewUrl<'_>],
    state: UrlState,
    outcome: Option<&str>,
    detail: Option<&str>,
) -> Result<u64> {
    let now = now_ms();
    let mut added = 0;
    for chunk in urls.chunks(INSERT_CHUNK) {
        // $1 site, $2 state, $3 now, $4 outcome, $5 detail, then four per row.
        let mut sql = String::from(
            "INSERT INTO frontier (site_id, url, role, depth, parent_id, state, outcome, detail, created_at,
                 updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = 6 + i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("($1, ${b}, ${}, ${}, ${}, $2, $4, $5, $3, $3)", b + 1, b + 2, b + 3));
        }
        sql.push_str(" ON CONFLICT (site_id, url) DO NOTHING");
        let mut q = sqlx::query(&sql).bind(site_id).bind(state.as_str()).bind(now).bind(outcome).bind(detail);
        for u in chunk {
            q = q.bind(u.url).bind(u.role).bind(u.depth).bind(u.parent_id);
        }
        added += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(added)
}

/// Leases up to `limit` fetchable rows of a site to `worker` for `lease_ms` milliseconds.
///
/// Rows whose lease expired (their worker died or hung) first go back to the queue with one more
/// attempt counted; then queued rows whose `not_before` has passed are leased in discovery order, which
/// makes the crawl breadth-first.
pub async fn lease(
    conn: &mut Conn,
    backend: Backend,
    site_id: i64,
    worker: &str,
    limit: i64,
    lease_ms: i64,
) -> Result<Vec<FrontierItem>> {
    let now = now_ms();
    reclaim_expired(conn, site_id, now).await?;
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE frontier SET state = 'leased', lease_owner = $1, lease_until = $2, updated_at = $3
         WHERE id IN (
             SELECT id FROM frontier
             WHERE site_id = $4 AND state = 'queued' AND not_before <= $3
             ORDER BY id LIMIT $5 {lock})
         RETURNING {ITEM_COLUMNS}"
    );
    let rows = sqlx::query(&sql)
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .bind(site_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let mut items = rows.iter().map(item_from_row).collect::<Result<Vec<_>>>()?;
    items.sort_by_key(|i| i.id);
    Ok(items)
}

/// Puts rows whose lease expired before `now` back in the queue, counting the lost lease as an attempt.
async fn reclaim_expired(conn: &mut Conn, site_id: i64, now: i64) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE frontier SET state = 'queued', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL,
             detail = 'lease expired (worker stopped or too slow)', updated_at = $1
         WHERE site_id = $2 AND state = 'leased' AND lease_until < $1",
    )
    .bind(now)
    .bind(site_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Extends every lease `worker` holds to `lease_ms` from now (a heartbeat while it works through a
/// batch). Returns how many leases it holds.
pub async fn renew(conn: &mut Conn, worker: &str, lease_ms: i64) -> Result<u64> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE frontier SET lease_until = $1 WHERE state = 'leased' AND lease_owner = $2 AND lease_until >= $3",
    )
    .bind(now + lease_ms)
    .bind(worker)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// When something in a site's frontier may next become fetchable: the earliest `not_before` of a queued
/// row or `lease_until` of a leased one (ms epoch), or `None` when nothing is pending.
pub async fn next_wake(conn: &mut Conn, site_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT MIN(CASE WHEN state = 'queued' THEN not_before ELSE lease_until END) AS t
         FROM frontier WHERE site_id = $1 AND state IN ('queued', 'leased')",
    )
    .bind(site_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("t")?)
}

/// The next `limit` rows a crawl would fetch now, without leasing them (for a dry run).
pub async fn peek(conn: &mut Conn, site_id: i64, limit: i64) -> Result<Vec<FrontierItem>> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM frontier
         WHERE site_id = $1 AND ((state = 'queued' AND not_before <= $2) OR (state = 'leased' AND lease_until < $2))
         ORDER BY id LIMIT $3"
    ))
    .bind(site_id)
    .bind(now_ms())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_from_row).collect()
}

/// Puts rows skipped because a crawl limit (depth) was reached back in the queue, for a crawl whose
/// limits may differ; returns how many.
pub async fn requeue_limited(conn: &mut Conn, site_id: i64) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE frontier SET state = 'queued', outcome = NULL, detail = NULL, updated_at = $1
         WHERE site_id = $2 AND state = 'skipped' AND outcome = 'limit'",
    )
    .bind(now_ms())
    .bind(site_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Marks the ad last stored from `url` as seen at `at` (a recrawl found the page unchanged). Returns
/// whether such an ad exists.
pub async fn touch_ad(conn: &mut Conn, site_id: i64, url: &str, at: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE ads SET last_seen = $1
         WHERE last_seen < $1 AND id = (SELECT ad_id FROM ad_urls WHERE site_id = $2 AND url = $3)",
    )
    .bind(at)
    .bind(site_id)
    .bind(url)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// How a fetched URL ended, for [`complete`].
#[derive(Debug, Clone)]
pub struct Completion<'a> {
    /// The outcome.
    pub outcome: Outcome,
    /// A human-readable detail ("failed after 3 tries: connect timeout").
    pub detail: Option<&'a str>,
    /// The final HTTP status, if a response came.
    pub http_status: Option<i64>,
    /// The stored page, if any.
    pub page_id: Option<i64>,
    /// Validators for a conditional recrawl.
    pub etag: Option<&'a str>,
    /// Validators for a conditional recrawl.
    pub last_modified: Option<&'a str>,
    /// SHA-256 of the body received, if one was.
    pub sha256: Option<&'a str>,
    /// When to fetch it again (ms epoch), or `None` for never.
    pub recrawl_at: Option<i64>,
}

/// Settles a leased row. Returns false (and changes nothing) if `worker` no longer holds the lease,
/// so the caller can roll back its transaction instead of storing a page twice.
pub async fn complete(conn: &mut Conn, id: i64, worker: &str, c: &Completion<'_>) -> Result<bool> {
    let now = now_ms();
    let fetched = c.http_status.is_some();
    let r = sqlx::query(
        "UPDATE frontier SET state = $1, outcome = $2, detail = $3, http_status = $4,
             page_id = COALESCE($5, page_id), etag = COALESCE($6, etag),
             last_modified = COALESCE($7, last_modified), sha256 = COALESCE($8, sha256), not_before = $9,
             fetch_count = fetch_count + $10, fetched_at = CASE WHEN $10 = 1 THEN $11 ELSE fetched_at END,
             lease_owner = NULL, lease_until = NULL, updated_at = $11
         WHERE id = $12 AND state = 'leased' AND lease_owner = $13",
    )
    .bind(c.outcome.final_state().as_str())
    .bind(c.outcome.as_str())
    .bind(c.detail)
    .bind(c.http_status)
    .bind(c.page_id)
    .bind(c.etag)
    .bind(c.last_modified)
    .bind(c.sha256)
    .bind(c.recrawl_at.unwrap_or(0))
    .bind(i64::from(fetched))
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Columns bound per row in [`complete_many`].
const COMPLETE_BINDS: usize = 11;

/// Settles many leased rows with one statement per 50 rows, like [`complete`] for each. Returns, in input
/// order, whether `worker` still held each row's lease (rows it did not hold are left unchanged).
pub async fn complete_many(conn: &mut Conn, worker: &str, rows: &[(i64, Completion<'_>)]) -> Result<Vec<bool>> {
    let now = now_ms();
    let mut done: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for chunk in rows.chunks(50) {
        // $1 worker, $2 now; then per row: id, state, outcome, detail, http_status, page_id, etag,
        // last_modified, sha256, not_before, fetched (0/1). VALUES columns are column1…column11 on both
        // backends.
        let mut sql = String::from(
            "UPDATE frontier SET state = v.column2, outcome = v.column3, detail = v.column4,
                 http_status = v.column5, page_id = COALESCE(v.column6, frontier.page_id),
                 etag = COALESCE(v.column7, frontier.etag), last_modified = COALESCE(v.column8, frontier.last_modified),
                 sha256 = COALESCE(v.column9, frontier.sha256), not_before = v.column10,
                 fetch_count = frontier.fetch_count + v.column11,
                 fetched_at = CASE WHEN v.column11 = 1 THEN $2 ELSE frontier.fetched_at END,
                 lease_owner = NULL, lease_until = NULL, updated_at = $2
             FROM (VALUES ",
        );
        for n in 0..chunk.len() {
            let b = 2 + n * COMPLETE_BINDS;
            if n > 0 {
                sql.push(',');
            }
            sql.push('(');
            for k in 1..=COMPLETE_BINDS {
                if k > 1 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", b + k));
            }
            sql.push(')');
        }
        sql.push_str(
            ") AS v WHERE frontier.id = v.column1 AND frontier.state = 'leased' AND frontier.lease_owner = $1
             RETURNING id",
        );
        let mut q = sqlx::query(&sql).bind(worker).bind(now);
        for (id, c) in chunk {
            q = q
                .bind(*id)
                .bind(c.outcome.final_state().as_str())
                .bind(c.outcome.as_str())
                .bind(c.detail)
                .bind(c.http_status)
                .bind(c.page_id)
                .bind(c.etag)
                .bind(c.last_modified)
                .bind(c.sha256)
                .bind(c.recrawl_at.unwrap_or(0))
                .bind(i64::from(c.http_status.is_some()));
        }
        for row in q.fetch_all(&mut *conn).await? {
            done.insert(row.try_get("id")?);
        }
    }
    Ok(rows.iter().map(|(id, _)| done.contains(id)).collect())
}

/// Puts a leased row back in the queue after a failed attempt, not to be fetched before `not_before`.
/// Returns false if `worker` no longer holds the lease.
pub async fn retry(conn: &mut Conn, id: i64, worker: &str, not_before: i64, detail: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE frontier SET state = 'queued', attempts = attempts + 1, not_before = $1, detail = $2,
             lease_owner = NULL, lease_until = NULL, updated_at = $3
         WHERE id = $4 AND state = 'leased' AND lease_owner = $5",
    )
    .bind(not_before)
    .bind(detail)
    .bind(now_ms())
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives a worker's leased rows of one site back to the queue at once (a worker shutting down cleanly, or
/// restarting under the name of a killed one). One process may crawl several sites under one name.
pub async fn release(conn: &mut Conn, site_id: i64, worker: &str) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE frontier SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = $1
         WHERE site_id = $2 AND state = 'leased' AND lease_owner = $3",
    )
    .bind(now_ms())
    .bind(site_id)
    .bind(worker)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Re-queues a site's settled rows whose recrawl time has come; returns how many.
pub async fn requeue_due(conn: &mut Conn, site_id: i64) -> Result<u64> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE frontier SET state = 'queued', attempts = 0, updated_at = $1
         WHERE site_id = $2 AND state IN ('done', 'failed') AND not_before > 0 AND not_before <= $1",
    )
    .bind(now)
    .bind(site_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Counts a site's rows by state and outcome.
pub async fn stats(conn: &mut Conn, site_id: i64) -> Result<FrontierStats> {
    let mut s = FrontierStats::default();
    let rows =
        sqlx::query("SELECT state, outcome, COUNT(*) AS n FROM frontier WHERE site_id = $1 GROUP BY state, outcome")
            .bind(site_id)
            .fetch_all(&mut *conn)
            .await?;
    for row in rows {
        let state: String = row.try_get("state")?;
        let outcome: Option<String> = row.try_get("outcome")?;
        let n: i64 = row.try_get("n")?;
        *s.by_state.entry(state.clone()).or_default() += n;
        if let (Some(o), true) = (outcome, state != "queued" && state != "leased") {
            *s.by_outcome.entry(o).or_default() += n;
        }
    }
    Ok(s)
}

/// One frontier row as shown in crawl status: URL, state, outcome and detail.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UrlStatus {
    /// Row id.
    pub id: i64,
    /// The canonical URL.
    pub url: String,
    /// Its role.
    pub role: String,
    /// Its state.
    pub state: String,
    /// Its outcome, once settled.
    pub outcome: Option<String>,
    /// The detail of the outcome or of the last failed attempt.
    pub detail: Option<String>,
    /// The HTTP status of the last response.
    pub http_status: Option<i64>,
    /// Failed attempts.
    pub attempts: i64,
}

const STATUS_COLUMNS: &str = "id, url, role, state, outcome, detail, http_status, attempts";

fn status_from_row(row: &sqlx::any::AnyRow) -> Result<UrlStatus> {
    Ok(UrlStatus {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        role: row.try_get("role")?,
        state: row.try_get("state")?,
        outcome: row.try_get("outcome")?,
        detail: row.try_get("detail")?,
        http_status: row.try_get("http_status")?,
        attempts: row.try_get("attempts")?,
    })
}

/// One frontier row by its (canonical) URL.
pub async fn find(conn: &mut Conn, site_id: i64, url: &str) -> Result<Option<UrlStatus>> {
    let row = sqlx::query(&format!("SELECT {STATUS_COLUMNS} FROM frontier WHERE site_id = $1 AND url = $2"))
        .bind(site_id)
        .bind(url)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(status_from_row).transpose()
}

impl Store {
    /// One frontier row by its (canonical) URL.
    pub async fn frontier_url(&self, site_id: i64, url: &str) -> Result<Option<UrlStatus>> {
        find(&mut *self.conn().await?, site_id, url).await
    }

    /// Counts a site's frontier rows by state and outcome.
    pub async fn frontier_stats(&self, site_id: i64) -> Result<FrontierStats> {
        stats(&mut *self.conn().await?, site_id).await
    }

    /// How many of a site's rows were fetched how many times: `{fetch count → rows}`. After one crawl of
    /// a static site every fetched row has count 1; more means a page was fetched again (a recrawl, or a
    /// worker that lost its lease).
    pub async fn frontier_fetch_counts(&self, site_id: i64) -> Result<std::collections::BTreeMap<i64, i64>> {
        let rows = sqlx::query(
            "SELECT fetch_count, COUNT(*) AS n FROM frontier WHERE site_id = $1 GROUP BY fetch_count ORDER BY fetch_count",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("fetch_count")?, r.try_get("n")?))).collect()
    }

    /// A site's frontier rows that did not end `ok`, newest first (for crawl status pages).
    pub async fn frontier_problems(&self, site_id: i64, limit: i64) -> Result<Vec<UrlStatus>> {
        let rows = sqlx::query(
            "SELECT id, url, role, state, outcome, detail, http_status, attempts FROM frontier
             WHERE site_id = $1 AND (state IN ('failed', 'skipped') OR outcome = 'too_large'
                   OR (state = 'queued' AND attempts > 0))
             ORDER BY updated_at DESC, id DESC LIMIT $2",
        )
        .bind(site_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(status_from_row).collect()
    }
}
