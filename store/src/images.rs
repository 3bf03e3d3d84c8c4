//! Ad images as evidence: each distinct picture stored once by the SHA-256 of its bytes, with its
//! fingerprint (perceptual hash and colour thumbnail); the pictures each ad version showed, in page order (or why one could not be kept);
//! and per site, the last outcome and validators of every picture URL, for conditional recrawls.

use redflag_core::link::image::Fingerprint;
use sqlx::Row;

use crate::pages::{PageCheck, sha256_hex};
use crate::{Conn, Result, Store};

/// A fetched, checked picture to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct NewImage<'a> {
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: &'a str,
    /// The content type the bytes prove (`image/png`).
    pub content_type: &'a str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The 64-bit perceptual hash.
    pub phash: u64,
    /// The colour thumbnail (`redflag_core::link::image::THUMB_BYTES` bytes).
    pub thumb: &'a [u8],
    /// Where it was fetched from.
    pub url: &'a str,
    /// When, ms since the epoch.
    pub fetched_at: i64,
    /// The raw bytes as received.
    pub body: &'a [u8],
}

/// Stores a picture unless the same bytes are stored already; returns its id either way.
pub async fn upsert_image(conn: &mut Conn, img: &NewImage<'_>) -> Result<i64> {
    let inserted = sqlx::query(
        "INSERT INTO images (sha256, content_type, size, width, height, phash, thumb, first_url, first_fetched_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (sha256) DO NOTHING RETURNING id",
    )
    .bind(img.sha256)
    .bind(img.content_type)
    .bind(img.body.len() as i64)
    .bind(i64::from(img.width))
    .bind(i64::from(img.height))
    .bind(img.phash as i64)
    .bind(img.thumb)
    .bind(img.url)
    .bind(img.fetched_at)
    .bind(img.body)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = inserted {
        return Ok(row.try_get("id")?);
    }
    Ok(sqlx::query("SELECT id FROM images WHERE sha256 = $1")
        .bind(img.sha256)
        .fetch_one(&mut *conn)
        .await?
        .try_get("id")?)
}

/// Whether a picture is stored (a `304` names the picture of an earlier fetch, which deletion on request
/// or retention may have removed since).
pub async fn image_exists(conn: &mut Conn, image_id: i64) -> Result<bool> {
    Ok(sqlx::query("SELECT id FROM images WHERE id = $1").bind(image_id).fetch_optional(&mut *conn).await?.is_some())
}

/// What the last fetch of a picture URL left: the image and the validators for the next request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageUrlState {
    /// The picture the URL served last time, if it was kept.
    pub image_id: Option<i64>,
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
}

/// The last outcome of a picture URL on a site, if it was ever fetched.
pub async fn url_state(conn: &mut Conn, site_id: i64, url: &str) -> Result<Option<ImageUrlState>> {
    let row = sqlx::query("SELECT image_id, etag, last_modified FROM image_urls WHERE site_id = $1 AND url = $2")
        .bind(site_id)
        .bind(url)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(ImageUrlState {
            image_id: r.try_get("image_id")?,
            etag: r.try_get("etag")?,
            last_modified: r.try_get("last_modified")?,
        })
    })
    .transpose()
}

/// The outcome of one picture fetch, recorded per URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlOutcome<'a> {
    /// The site.
    pub site_id: i64,
    /// The picture URL.
    pub url: &'a str,
    /// The picture it served (kept, or known from before on a 304), or none when it failed.
    pub image_id: Option<i64>,
    /// New validators (a 304 keeps the old ones).
    pub etag: Option<&'a str>,
    /// New validators.
    pub last_modified: Option<&'a str>,
    /// When, ms since the epoch.
    pub fetched_at: i64,
    /// HTTP status, if a response came.
    pub status: Option<i64>,
    /// Why it was not kept.
    pub error: Option<&'a str>,
}

/// Records a picture URL's outcome. A failure keeps the picture and validators of the last success, so
/// a passing outage never forgets evidence.
pub async fn record_url(conn: &mut Conn, o: &UrlOutcome<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO image_urls (site_id, url, image_id, etag, last_modified, fetched_at, status, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (site_id, url) DO UPDATE SET
             image_id = COALESCE(excluded.image_id, image_urls.image_id),
             etag = CASE WHEN excluded.image_id IS NULL THEN image_urls.etag
                         ELSE COALESCE(excluded.etag, image_urls.etag) END,
             last_modified = CASE WHEN excluded.image_id IS NULL THEN image_urls.last_modified
                         ELSE COALESCE(excluded.last_modified, image_urls.last_modified) END,
             fetched_at = excluded.fetched_at, status = excluded.status, error = excluded.error",
    )
    .bind(o.site_id)
    .bind(o.url)
    .bind(o.image_id)
    .bind(o.etag)
    .bind(o.last_modified)
    .bind(o.fetched_at)
    .bind(o.status)
    .bind(o.error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The pictures the current version of an ad showed, in page order: address and stored picture.
pub async fn shown(conn: &mut Conn, ad_id: i64) -> Result<Vec<(String, Option<i64>)>> {
    let rows = sqlx::query(
        "SELECT ai.url, ai.image_id FROM ads a
         JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
         JOIN ad_images ai ON ai.ad_version_id = v.id
         WHERE a.id = $1 ORDER BY ai.position",
    )
    .bind(ad_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("url")?, r.try_get("image_id")?))).collect()
}

/// Whether a page shows other pictures than the ad's current version showed (`before`, from [`shown`]):
/// other addresses, or other bytes at an address. A picture that could not be kept, now or before, is
/// no change (a passing fetch error must not make a version), nor is a first record of pictures for a
/// version that has none.
pub fn pictures_changed(before: &[(String, Option<i64>)], now: &[(&str, Option<i64>)]) -> bool {
    if before.is_empty() {
        return false;
    }
    before.len() != now.len()
        || before
            .iter()
            .zip(now)
            .any(|((url, was), (now_url, is))| url != now_url || matches!((was, is), (Some(a), Some(b)) if a != b))
}

/// Records that version `version` of ad `ad_id` showed a picture at `position` (0 first): the image,
/// or `error` saying why it could not be kept. The first record of a position stands, except that a
/// picture kept at the same address replaces an error (the fetch failed the first time).
#[allow(clippy::too_many_arguments)]
pub async fn attach(
    conn: &mut Conn,
    ad_id: i64,
    version: i64,
    position: i64,
    url: &str,
    image_id: Option<i64>,
    fetched_at: i64,
    error: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ad_images (ad_version_id, position, url, image_id, fetched_at, error)
         SELECT id, $3, $4, $5, $6, $7 FROM ad_versions WHERE ad_id = $1 AND version = $2
         ON CONFLICT (ad_version_id, position) DO UPDATE
             SET image_id = excluded.image_id, fetched_at = excluded.fetched_at, error = NULL
             WHERE ad_images.image_id IS NULL AND excluded.image_id IS NOT NULL AND ad_images.url = excluded.url",
    )
    .bind(ad_id)
    .bind(version)
    .bind(position)
    .bind(url)
    .bind(image_id)
    .bind(fetched_at)
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One picture an ad showed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AdImageRow {
    /// Position on the page, 0 first.
    pub position: i64,
    /// Where it was fetched from.
    pub url: String,
    /// The stored picture, if it was kept.
    pub image_id: Option<i64>,
    /// Why it was not kept.
    pub error: Option<String>,
    /// SHA-256 of its bytes.
    pub sha256: Option<String>,
    /// Its content type.
    pub content_type: Option<String>,
    /// Width in pixels.
    pub width: Option<i64>,
    /// Height in pixels.
    pub height: Option<i64>,
    /// Its perceptual hash.
    pub phash: Option<u64>,
}

/// A stored picture's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageBody {
    /// The content type its bytes proved when it was fetched.
    pub content_type: String,
    /// The raw bytes.
    pub body: Vec<u8>,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// The URL it was first fetched from.
    pub first_url: String,
    /// When it was first fetched, ms since the epoch.
    pub first_fetched_at: i64,
}

/// One picture an ad version showed (see [`Store::ad_version_images`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionImageRow {
    /// The ad version.
    pub version: i64,
    /// The picture.
    #[serde(flatten)]
    pub image: AdImageRow,
}

fn image_row(r: &sqlx::any::AnyRow) -> Result<AdImageRow> {
    Ok(AdImageRow {
        position: r.try_get("position")?,
        url: r.try_get("url")?,
        image_id: r.try_get("image_id")?,
        error: r.try_get("error")?,
        sha256: r.try_get("sha256")?,
        content_type: r.try_get("content_type")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
        phash: r.try_get::<Option<i64>, _>("phash")?.map(|h| h as u64),
    })
}

impl Store {
    /// The pictures the current version of an ad showed, in page order.
    pub async fn ad_images(&self, ad_id: i64) -> Result<Vec<AdImageRow>> {
        let rows = sqlx::query(
            "SELECT ai.position, ai.url, ai.image_id, ai.error, i.sha256, i.content_type, i.width, i.height, i.phash
             FROM ads a JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
             JOIN ad_images ai ON ai.ad_version_id = v.id LEFT JOIN images i ON i.id = ai.image_id
             WHERE a.id = $1 ORDER BY ai.position",
        )
        .bind(ad_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(image_row).collect()
    }

    /// The pictures of the current versions of many ads, by ad.
    pub async fn images_of_ads(&self, ad_ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<AdImageRow>>> {
        let mut out: std::collections::HashMap<i64, Vec<AdImageRow>> = std::collections::HashMap::new();
        for chunk in ad_ids.chunks(500) {
            let ids = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            if ids.is_empty() {
                continue;
            }
            let rows = sqlx::query(&format!(
                "SELECT a.id AS ad_id, ai.position, ai.url, ai.image_id, ai.error, i.sha256, i.content_type,
                     i.width, i.height, i.phash
                 FROM ads a JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
                 JOIN ad_images ai ON ai.ad_version_id = v.id LEFT JOIN images i ON i.id = ai.image_id
                 WHERE a.id IN ({ids}) ORDER BY a.id, ai.position"
            ))
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                out.entry(r.try_get("ad_id")?).or_default().push(image_row(r)?);
            }
        }
        Ok(out)
    }

    /// The pictures every version of an ad showed, oldest version first, each in page order.
    pub async fn ad_version_images(&self, ad_id: i64) -> Result<Vec<VersionImageRow>> {
        let rows = sqlx::query(
            "SELECT v.version, ai.position, ai.url, ai.image_id, ai.error, i.sha256, i.content_type, i.width,
                 i.height, i.phash
             FROM ad_versions v JOIN ad_images ai ON ai.ad_version_id = v.id LEFT JOIN images i ON i.id = ai.image_id
             WHERE v.ad_id = $1 ORDER BY v.version, ai.position",
        )
        .bind(ad_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(VersionImageRow { version: r.try_get("version")?, image: image_row(r)? })).collect()
    }

    /// How many distinct pictures are stored.
    pub async fn image_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM images").fetch_one(&self.pool).await?.try_get("n")?)
    }

    /// Re-hashes stored pictures with ids from `from_id` on, at most `batch` of them, like
    /// [`Store::verify_pages`]: one check per picture (its first URL, the hash recorded at fetch time and
    /// the hash of the bytes now) and the next id to continue from (`None` when done).
    pub async fn verify_images(&self, from_id: i64, batch: i64) -> Result<(Vec<PageCheck>, Option<i64>)> {
        let rows = sqlx::query("SELECT id, first_url, sha256, body FROM images WHERE id >= $1 ORDER BY id LIMIT $2")
            .bind(from_id)
            .bind(batch)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut next = None;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let body: Vec<u8> = row.try_get("body")?;
            out.push(PageCheck {
                id,
                url: row.try_get("first_url")?,
                recorded: row.try_get("sha256")?,
                actual: Some(sha256_hex(&body)),
            });
            next = Some(id + 1);
        }
        if (rows.len() as i64) < batch {
            next = None;
        }
        Ok((out, next))
    }

    /// Every ad's current pictures' fingerprints, `(ad id, fingerprint)`, for linking (a picture whose
    /// stored thumbnail is not a thumbnail is left out).
    pub async fn image_fingerprints(&self) -> Result<Vec<(i64, Fingerprint)>> {
        self.image_fingerprints_where("").await
    }

    /// [`Store::image_fingerprints`] of the ads `ids` only.
    pub async fn image_fingerprints_of(&self, ids: &[i64]) -> Result<Vec<(i64, Fingerprint)>> {
        let mut out = Vec::new();
        for list in crate::relink::id_chunks(ids) {
            out.extend(self.image_fingerprints_where(&format!("WHERE a.id IN ({list})")).await?);
        }
        Ok(out)
    }

    async fn image_fingerprints_where(&self, filter: &str) -> Result<Vec<(i64, Fingerprint)>> {
        let rows = sqlx::query(&format!(
            "SELECT DISTINCT a.id AS ad_id, i.id AS image_id, i.phash, i.thumb
             FROM ads a JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
             JOIN ad_images ai ON ai.ad_version_id = v.id JOIN images i ON i.id = ai.image_id {filter}
             ORDER BY a.id, i.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let thumb: Vec<u8> = r.try_get("thumb")?;
            if let Some(fp) = Fingerprint::from_parts(r.try_get::<i64, _>("phash")? as u64, &thumb) {
                out.push((r.try_get("ad_id")?, fp));
            }
        }
        Ok(out)
    }

    /// Every stored picture's perceptual hash, `(image id, hash)`: eight bytes a picture, what incremental
    /// linking scans for copies of new ads' pictures.
    pub async fn picture_hashes(&self) -> Result<Vec<(i64, u64)>> {
        let rows = sqlx::query("SELECT id, phash FROM images").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get::<i64, _>("phash")? as u64))).collect()
    }

    /// The ads whose current version shows one of the pictures `image_ids`, ascending.
    pub async fn ads_showing(&self, image_ids: &[i64]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for list in crate::relink::id_chunks(image_ids) {
            let rows = sqlx::query(&format!(
                "SELECT DISTINCT a.id FROM ad_images ai JOIN ad_versions v ON v.id = ai.ad_version_id
                 JOIN ads a ON a.id = v.ad_id AND a.version = v.version WHERE ai.image_id IN ({list})"
            ))
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                out.push(r.try_get("id")?);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// A stored picture's bytes, content type and first fetch.
    pub async fn image(&self, image_id: i64) -> Result<Option<ImageBody>> {
        let row =
            sqlx::query("SELECT content_type, body, sha256, first_url, first_fetched_at FROM images WHERE id = $1")
                .bind(image_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(ImageBody {
                content_type: r.try_get("content_type")?,
                body: r.try_get("body")?,
                sha256: r.try_get("sha256")?,
                first_url: r.try_get("first_url")?,
                first_fetched_at: r.try_get("first_fetched_at")?,
            })
        })
        .transpose()
    }
}

/// Deletes pictures no ad version and no picture URL refers to any more (after ads are deleted).
pub(crate) async fn delete_orphans(conn: &mut Conn) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM images WHERE id NOT IN (SELECT image_id FROM ad_images WHERE image_id IS NOT NULL)
             AND id NOT IN (SELECT image_id FROM image_urls WHERE image_id IS NOT NULL)",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}
