//! Crawled sites, one per site-adapter file.

use redflag_core::AdKind;
use sqlx::Row;

use crate::{Conn, Error, Result, Store, now_ms};

/// A site as registered by a crawl.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Store id.
    pub id: i64,
    /// The adapter's unique name.
    pub name: String,
    /// Which kind of ads the site carries.
    pub kind: AdKind,
    /// Default region for phone numbers without a country code (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Language hint (ISO 639-1).
    pub language: Option<String>,
    /// The adapter configuration as it was last loaded, kept for provenance.
    pub config: String,
}

/// What [`upsert_site`] needs.
#[derive(Debug, Clone)]
pub struct NewSite<'a> {
    /// The adapter's unique name.
    pub name: &'a str,
    /// Which kind of ads the site carries.
    pub kind: AdKind,
    /// Default phone region.
    pub country: Option<&'a str>,
    /// Language hint.
    pub language: Option<&'a str>,
    /// The adapter configuration text.
    pub config: &'a str,
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Site> {
    let kind: String = row.try_get("kind")?;
    Ok(Site {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: kind.parse().map_err(|e: redflag_core::ad::UnknownAdKind| Error::Corrupt {
            what: "site",
            id: kind.clone(),
            reason: e.to_string(),
        })?,
        country: row.try_get("country")?,
        language: row.try_get("language")?,
        config: row.try_get("config")?,
    })
}

/// Registers a site or updates its settings; returns its id.
pub async fn upsert_site(conn: &mut Conn, site: &NewSite<'_>) -> Result<i64> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO sites (name, kind, country, language, config, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, country = excluded.country,
             language = excluded.language, config = excluded.config, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(site.name)
    .bind(site.kind.as_str())
    .bind(site.country)
    .bind(site.language)
    .bind(site.config)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

impl Store {
    /// Registers a site or updates its settings; returns its id.
    pub async fn upsert_site(&self, site: &NewSite<'_>) -> Result<i64> {
        upsert_site(&mut *self.conn().await?, site).await
    }

    /// All sites, by name.
    pub async fn sites(&self) -> Result<Vec<Site>> {
        let rows = sqlx::query("SELECT id, name, kind, country, language, config FROM sites ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One site by id.
    pub async fn site(&self, id: i64) -> Result<Site> {
        let row = sqlx::query("SELECT id, name, kind, country, language, config FROM sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::not_found("site", id))?;
        from_row(&row)
    }

    /// One site by adapter name.
    pub async fn site_by_name(&self, name: &str) -> Result<Option<Site>> {
        let row = sqlx::query("SELECT id, name, kind, country, language, config FROM sites WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }
}

/// Deletes the ads selected by `ads_sql` (a `SELECT id FROM ads …` with `$1` as its one parameter) and
/// everything that hangs off them: case memberships, entities, scores, template band keys, links, triage,
/// URLs, versions and their evidence pages. Their shingles stay counted until the next full analysis, as
/// after an erasure (`crate::relink`).
async fn delete_ads(conn: &mut Conn, ads_sql: &str, param: i64) -> Result<(u64, u64)> {
    let pages = format!("SELECT page_id FROM ad_versions WHERE page_id IS NOT NULL AND ad_id IN ({ads_sql})");
    // Evidence pages of the doomed versions go too; remember them before the versions are deleted.
    sqlx::query("CREATE TEMPORARY TABLE IF NOT EXISTS doomed_pages (id BIGINT PRIMARY KEY)")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM doomed_pages").execute(&mut *conn).await?;
    sqlx::query(&format!("INSERT INTO doomed_pages (id) SELECT DISTINCT page_id FROM ({pages}) p"))
        .bind(param)
        .execute(&mut *conn)
        .await?;
    for sql in [
        format!("DELETE FROM case_ads WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM entities WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM scores WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM ad_indicators WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM ad_link_keys WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM ad_link_keys_recent WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM links WHERE ad_a IN ({ads_sql}) OR ad_b IN ({ads_sql})"),
        format!("DELETE FROM triage WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM ad_urls WHERE ad_id IN ({ads_sql})"),
        format!("DELETE FROM ad_images WHERE ad_version_id IN (SELECT id FROM ad_versions WHERE ad_id IN ({ads_sql}))"),
        format!("DELETE FROM ad_versions WHERE ad_id IN ({ads_sql})"),
    ] {
        sqlx::query(&sql).bind(param).execute(&mut *conn).await?;
    }
    let n = sqlx::query(&format!("DELETE FROM ads WHERE id IN ({ads_sql})"))
        .bind(param)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let pages = sqlx::query("DELETE FROM pages WHERE id IN (SELECT id FROM doomed_pages)")
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM doomed_pages").execute(&mut *conn).await?;
    Ok((n, pages))
}

impl Store {
    /// Deletes a site and everything crawled from it (frontier, pages, ads with their versions,
    /// entities, scores, links and triage), in one transaction, and audits it. Returns the ads deleted.
    pub async fn delete_site(&self, site_id: i64, actor: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let (n, _) = delete_ads(&mut tx, "SELECT id FROM ads WHERE site_id = $1", site_id).await?;
        for table in ["pages", "frontier", "crawl_runs", "image_urls"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE site_id = $1")).bind(site_id).execute(&mut *tx).await?;
        }
        crate::images::delete_orphans(&mut tx).await?;
        sqlx::query("DELETE FROM sites WHERE id = $1").bind(site_id).execute(&mut *tx).await?;
        crate::audit::record(
            &mut tx,
            actor,
            "site.delete",
            Some(&format!("site:{site_id}")),
            Some(&format!("{n} ads")),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Retention: deletes every ad not seen since `before_ms` (ms since the epoch) that no investigator
    /// has escalated and no case on legal hold holds, with its versions, evidence pages, entities, scores and links, and the pages of
    /// listing and other URLs fetched before then. Audited. Returns `(ads, pages)` deleted. Crawl frontier
    /// rows stay, so a recrawl finds an ad again only if it is still online.
    pub async fn purge_older_than(&self, before_ms: i64, actor: &str) -> Result<(u64, u64)> {
        let mut tx = self.begin().await?;
        let doomed = "SELECT a.id FROM ads a LEFT JOIN triage t ON t.ad_id = a.id
                      WHERE a.last_seen < $1 AND COALESCE(t.state, 'new') <> 'escalated'
                        AND a.id NOT IN (SELECT x.ad_id FROM case_ads x JOIN cases c ON c.id = x.case_id
                                         WHERE c.legal_hold = 1)";
        let (ads, ad_pages) = delete_ads(&mut tx, doomed, before_ms).await?;
        // Pages no ad version points at (listings, robots.txt, sitemaps) age out the same way.
        let other_pages = sqlx::query(
            "DELETE FROM pages WHERE fetched_at < $1 AND id NOT IN
                 (SELECT page_id FROM ad_versions WHERE page_id IS NOT NULL)",
        )
        .bind(before_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let pages = ad_pages + other_pages;
        // Pictures go with the last ad that showed them, once their URLs were last fetched before then.
        sqlx::query("DELETE FROM image_urls WHERE fetched_at < $1").bind(before_ms).execute(&mut *tx).await?;
        crate::images::delete_orphans(&mut tx).await?;
        let detail = format!("{{\"before\":{before_ms},\"ads\":{ads},\"pages\":{pages}}}");
        crate::audit::record(&mut tx, actor, "retention.purge", None, Some(&detail)).await?;
        tx.commit().await?;
        Ok((ads, pages))
    }
}
