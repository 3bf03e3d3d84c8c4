//! Fetched pages, kept as evidence: the raw bytes as received (zstd-compressed), their SHA-256, the fetch
//! time, the final URL after redirects, the status and the response headers.
//!
//! The hash is over the raw body bytes exactly as the server sent them (after transfer/content decoding,
//! before any charset conversion), so anyone holding the bytes can re-check it with `sha256sum`.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Conn, Error, Result, Store};

/// The compression level for page bodies: zstd's fastest standard level, still about 4–5× smaller for
/// HTML. (Level 3 compressed about 10 % better but took twice as long, and compression was the largest
/// single cost of a crawled page.)
const ZSTD_LEVEL: i32 = 1;

/// A page ready to insert: hashed and compressed. Build it off the async runtime for big bodies
/// ([`NewPage::prepare`] is CPU work).
#[derive(Debug, Clone)]
pub struct NewPage {
    /// The site.
    pub site_id: i64,
    /// The frontier row this page answered (`None` for robots.txt files); set it after `prepare`.
    pub frontier_id: Option<i64>,
    /// The URL that was requested (canonical form).
    pub url: String,
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: i64,
    /// When the response finished, ms since the epoch.
    pub fetched_at: i64,
    /// The response headers, in order.
    pub headers: Vec<(String, String)>,
    /// Content-Type header, if any.
    pub content_type: Option<String>,
    /// Whether the body was cut at the size cap.
    pub truncated: bool,
    sha256: String,
    size: i64,
    compression: &'static str,
    compressed: Vec<u8>,
}

impl NewPage {
    /// Hashes and compresses `body`.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        site_id: i64,
        url: String,
        final_url: String,
        status: i64,
        fetched_at: i64,
        headers: Vec<(String, String)>,
        truncated: bool,
        body: &[u8],
    ) -> NewPage {
        let content_type = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone());
        // zstd fails only on allocation or parameter errors; then the evidence is kept uncompressed.
        let (compression, compressed) = match compress(body) {
            Ok(c) => ("zstd", c),
            Err(_) => ("none", body.to_vec()),
        };
        NewPage {
            site_id,
            frontier_id: None,
            url,
            final_url,
            status,
            fetched_at,
            headers,
            content_type,
            truncated,
            sha256: sha256_hex(body),
            size: body.len() as i64,
            compression,
            compressed,
        }
    }

    /// The SHA-256 of the raw body, lowercase hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The raw body's size in bytes.
    pub fn size(&self) -> i64 {
        self.size
    }

    /// The compressed body's size in bytes.
    pub fn stored_size(&self) -> usize {
        self.compressed.len()
    }
}

thread_local! {
    /// One compression context per thread: creating a context costs about as much as compressing a page.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> = const { std::cell::RefCell::new(None) };
}

fn compress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(zstd::bulk::Compressor::new(ZSTD_LEVEL)?);
        }
        match slot.as_mut() {
            Some(c) => c.compress(body),
            None => zstd::bulk::compress(body, ZSTD_LEVEL),
        }
    })
}

/// The SHA-256 of some bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A stored page with its body decompressed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Store id.
    pub id: i64,
    /// The site.
    pub site_id: i64,
    /// The frontier row it answered, if any.
    pub frontier_id: Option<i64>,
    /// The requested URL.
    pub url: String,
    /// The URL that answered.
    pub final_url: String,
    /// HTTP status.
    pub status: i64,
    /// Fetch time, ms since the epoch.
    pub fetched_at: i64,
    /// SHA-256 of the body as stored at fetch time.
    pub sha256: String,
    /// Body size in bytes.
    pub size: i64,
    /// Whether the body was cut at the size cap.
    pub truncated: bool,
    /// Content-Type header.
    pub content_type: Option<String>,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

/// Inserts a page; returns its id.
pub async fn insert(conn: &mut Conn, page: &NewPage) -> Result<i64> {
    let headers = serde_json::to_string(&page.headers).unwrap_or_else(|_| "[]".into());
    let row = sqlx::query(
        "INSERT INTO pages (site_id, url, final_url, status, fetched_at, sha256, size, truncated,
             content_type, headers, compression, body, frontier_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(page.site_id)
    .bind(&page.url)
    .bind(&page.final_url)
    .bind(page.status)
    .bind(page.fetched_at)
    .bind(&page.sha256)
    .bind(page.size)
    .bind(i64::from(page.truncated))
    .bind(&page.content_type)
    .bind(headers)
    .bind(page.compression)
    .bind(&page.compressed[..])
    .bind(page.frontier_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Columns bound per page in [`insert_many`].
const PAGE_BINDS: usize = 13;

/// Inserts pages that each answer a different frontier row, with one statement per 50 pages; returns
/// their ids in input order. Pages without a frontier row are inserted one by one.
pub async fn insert_many(conn: &mut Conn, pages: &[&NewPage]) -> Result<Vec<i64>> {
    let mut ids = vec![0i64; pages.len()];
    let mut keyed: Vec<usize> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if p.frontier_id.is_some() {
            keyed.push(i);
        } else {
            ids[i] = insert(conn, p).await?;
        }
    }
    for chunk in keyed.chunks(50) {
        let mut sql = String::from(
            "INSERT INTO pages (site_id, url, final_url, status, fetched_at, sha256, size, truncated,
                 content_type, headers, compression, body, frontier_id) VALUES ",
        );
        for n in 0..chunk.len() {
            let b = n * PAGE_BINDS;
            if n > 0 {
                sql.push(',');
            }
            sql.push('(');
            for k in 1..=PAGE_BINDS {
                if k > 1 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", b + k));
            }
            sql.push(')');
        }
        sql.push_str(" RETURNING id, frontier_id");
        let headers: Vec<String> =
            chunk.iter().map(|&i| serde_json::to_string(&pages[i].headers).unwrap_or_else(|_| "[]".into())).collect();
        let mut q = sqlx::query(&sql);
        for (n, &i) in chunk.iter().enumerate() {
            let p = pages[i];
            q = q
                .bind(p.site_id)
                .bind(&p.url)
                .bind(&p.final_url)
                .bind(p.status)
                .bind(p.fetched_at)
                .bind(&p.sha256)
                .bind(p.size)
                .bind(i64::from(p.truncated))
                .bind(&p.content_type)
                .bind(&headers[n])
                .bind(p.compression)
                .bind(&p.compressed[..])
                .bind(p.frontier_id);
        }
        // RETURNING gives no order guarantee: match rows to pages by their (distinct) frontier row.
        let by_frontier: std::collections::HashMap<i64, usize> =
            chunk.iter().filter_map(|&i| pages[i].frontier_id.map(|f| (f, i))).collect();
        if by_frontier.len() != chunk.len() {
            return Err(Error::Invalid { what: "page batch", reason: "two pages answer the same frontier row".into() });
        }
        for row in q.fetch_all(&mut *conn).await? {
            let id: i64 = row.try_get("id")?;
            let f: Option<i64> = row.try_get("frontier_id")?;
            if let Some(&i) = f.and_then(|f| by_frontier.get(&f)) {
                ids[i] = id;
            }
        }
    }
    Ok(ids)
}

/// Deletes a page that was inserted in the same transaction but must not be kept (its frontier lease
/// turned out to be lost). Stored evidence is otherwise never deleted.
pub async fn delete_uncommitted(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM pages WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

fn decode_body(id: i64, compression: &str, stored: Vec<u8>, size: i64) -> Result<Vec<u8>> {
    match compression {
        "none" => Ok(stored),
        "zstd" => zstd::bulk::decompress(&stored, size.max(0) as usize).map_err(|e| Error::Corrupt {
            what: "page",
            id: id.to_string(),
            reason: format!("cannot decompress body: {e}"),
        }),
        other => {
            Err(Error::Corrupt { what: "page", id: id.to_string(), reason: format!("unknown compression {other:?}") })
        }
    }
}

fn page_from_row(row: &sqlx::any::AnyRow) -> Result<Page> {
    let id: i64 = row.try_get("id")?;
    let headers: String = row.try_get("headers")?;
    let size: i64 = row.try_get("size")?;
    let compression: String = row.try_get("compression")?;
    Ok(Page {
        id,
        site_id: row.try_get("site_id")?,
        frontier_id: row.try_get("frontier_id")?,
        url: row.try_get("url")?,
        final_url: row.try_get("final_url")?,
        status: row.try_get("status")?,
        fetched_at: row.try_get("fetched_at")?,
        sha256: row.try_get("sha256")?,
        size,
        truncated: row.try_get::<i64, _>("truncated")? != 0,
        content_type: row.try_get("content_type")?,
        headers: serde_json::from_str(&headers).unwrap_or_default(),
        body: decode_body(id, &compression, row.try_get("body")?, size)?,
    })
}

const PAGE_COLUMNS: &str = "id, site_id, frontier_id, url, final_url, status, fetched_at, sha256, size, truncated,
    content_type, headers, compression, body";

/// The result of re-hashing one stored page (or picture: see `Store::verify_images`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageCheck {
    /// Page id (picture id).
    pub id: i64,
    /// Requested URL (a picture's first URL).
    pub url: String,
    /// The hash recorded at fetch time.
    pub recorded: String,
    /// The hash of the body as stored now (`None` if it could not be read at all).
    pub actual: Option<String>,
}

impl PageCheck {
    /// Whether the stored body still matches its recorded hash.
    pub fn ok(&self) -> bool {
        self.actual.as_deref() == Some(self.recorded.as_str())
    }
}

impl Store {
    /// One page by id, body decompressed.
    pub async fn page(&self, id: i64) -> Result<Page> {
        let row = sqlx::query(&format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::not_found("page", id))?;
        page_from_row(&row)
    }

    /// How many pages are stored.
    pub async fn page_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM pages").fetch_one(&self.pool).await?.try_get("n")?)
    }

    /// Every stored fetch of a URL (requested, canonical form), oldest first, bodies decompressed.
    pub async fn pages_for_url(&self, url: &str) -> Result<Vec<Page>> {
        let rows = sqlx::query(&format!("SELECT {PAGE_COLUMNS} FROM pages WHERE url = $1 ORDER BY id"))
            .bind(url)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(page_from_row).collect()
    }

    /// How many times each URL of a site was stored, for URLs stored more than once (a duplicate-fetch
    /// check; robots.txt files, fetched once per worker, are left out).
    pub async fn duplicate_pages(&self, site_id: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT url, COUNT(*) AS n FROM pages WHERE site_id = $1 AND frontier_id IS NOT NULL
             GROUP BY url HAVING COUNT(*) > 1 ORDER BY url",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("url")?, r.try_get("n")?))).collect()
    }

    /// Re-hashes stored pages with ids in `[from_id, from_id + batch)` order, returning one check per
    /// page and the next id to continue from (`None` when done). Run it in a loop to verify everything
    /// without holding all pages in memory.
    pub async fn verify_pages(&self, from_id: i64, batch: i64) -> Result<(Vec<PageCheck>, Option<i64>)> {
        let rows = sqlx::query(
            "SELECT id, url, sha256, size, compression, body FROM pages WHERE id >= $1 ORDER BY id LIMIT $2",
        )
        .bind(from_id)
        .bind(batch)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut next = None;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let compression: String = row.try_get("compression")?;
            let size: i64 = row.try_get("size")?;
            let actual = decode_body(id, &compression, row.try_get("body")?, size).ok().map(|b| sha256_hex(&b));
            out.push(PageCheck { id, url: row.try_get("url")?, recorded: row.try_get("sha256")?, actual });
            next = Some(id + 1);
        }
        if (rows.len() as i64) < batch {
            next = None;
        }
        Ok((out, next))
    }
}
