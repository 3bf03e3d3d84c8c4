//! What incremental analysis keeps so that analysing new ads relinks only the part of the store they can
//! affect (migration 0013): each ad's template band keys, indexed by key; how many ads carry each template
//! shingle; the version whose keys and shingles are counted (`ads.keyed_version`); and a digest of the
//! network context each ad was last scored with (`ads.context_digest`).
//!
//! Keys are kept on two levels (migration 0014). A full analysis writes every key into `ad_link_keys` and
//! `shingle_df`; incremental runs write theirs into the small `ad_link_keys_recent` and
//! `shingle_df_recent`, and once those hold a share of the store ([`Store::recent_keyed_ads`]) one
//! sorted pass merges them into the large tables ([`Store::merge_recent_keys`]). Keys are hashes: written
//! straight into an index of tens of millions of rows, each new ad's keys land on pages of their own, and
//! 10,000 new ads rewrote most of both tables. Look-ups read both levels: an ad's band keys are in one of
//! the two tables, a shingle's count is the sum of its rows in both.
//!
//! Invariant: the two count tables together count the shingles of exactly the versions named by
//! `ads.keyed_version`, and the two key tables hold the band keys of those versions. [`add_shingle_counts`] and [`set_keyed_versions`]
//! are called in one transaction to keep it so. Erasing an ad removes its band keys but leaves its
//! shingles counted until the next full analysis (`redflag analyze --all`) recounts them: a shingle then
//! weighs a little less than it should, never more.

use std::collections::HashMap;

use redflag_core::AdFields;
use sqlx::Row;

use crate::ads::fields_from_row;
use crate::{Conn, Result, Store};

/// Ids per `IN (…)` list.
pub(crate) const IDS_PER_QUERY: usize = 1000;

/// Values bound per query.
pub(crate) const BINDS_PER_QUERY: usize = 500;

/// `ids` as comma-separated lists of at most [`IDS_PER_QUERY`], for `IN (…)` (integers only, so written
/// inline).
pub(crate) fn id_chunks(ids: &[i64]) -> impl Iterator<Item = String> + '_ {
    ids.chunks(IDS_PER_QUERY).map(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

/// A band key or shingle as stored (BIGINT holds the bits of a `u64`).
fn as_stored(key: u64) -> i64 {
    key as i64
}

impl Store {
    /// Whether some analysed ad has no counted link keys (a store analysed before migration 0013, or a
    /// full analysis interrupted after it cleared them): incremental analysis needs a full one first.
    pub async fn needs_full_relink(&self) -> Result<bool> {
        let row = sqlx::query("SELECT id FROM ads WHERE analyzed_version > 0 AND keyed_version = 0 LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// `ads.keyed_version` of the ads `ids` (0 when none is counted).
    pub async fn keyed_versions(&self, ids: &[i64]) -> Result<HashMap<i64, i64>> {
        self.ad_columns(ids, "keyed_version").await.map(|m| m.into_iter().map(|(k, v)| (k, v.unwrap_or(0))).collect())
    }

    /// `ads.context_digest` of the ads `ids` (`None` when never scored with one).
    pub async fn context_digests(&self, ids: &[i64]) -> Result<HashMap<i64, Option<i64>>> {
        self.ad_columns(ids, "context_digest").await
    }

    /// The cluster ids of the ads `ids` (`None` when not linked yet).
    pub async fn cluster_ids(&self, ids: &[i64]) -> Result<HashMap<i64, Option<i64>>> {
        self.ad_columns(ids, "cluster_id").await
    }

    async fn ad_columns(&self, ids: &[i64], column: &'static str) -> Result<HashMap<i64, Option<i64>>> {
        let mut out = HashMap::with_capacity(ids.len());
        for list in id_chunks(ids) {
            let sql = format!("SELECT id, {column} AS v FROM ads WHERE id IN ({list})");
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                out.insert(r.try_get("id")?, r.try_get("v")?);
            }
        }
        Ok(out)
    }

    /// The band keys stored for the ads `ids`, distinct.
    pub async fn link_keys_of(&self, ids: &[i64]) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        for list in id_chunks(ids) {
            let sql = format!(
                "SELECT link_key FROM ad_link_keys WHERE ad_id IN ({list})
                 UNION SELECT link_key FROM ad_link_keys_recent WHERE ad_id IN ({list})"
            );
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                out.push(r.try_get::<i64, _>("link_key")? as u64);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every ad of the clusters `clusters`, ascending.
    pub async fn cluster_members(&self, clusters: &[i64]) -> Result<Vec<i64>> {
        self.ids_where(clusters, "SELECT id AS ad_id FROM ads WHERE cluster_id IN").await
    }

    /// The ads carrying one of the band keys `keys`, at most `per_key` per key (the lowest ids, which a full
    /// linking also compares first), ascending.
    pub async fn ads_with_link_keys(&self, keys: &[u64], per_key: i64) -> Result<Vec<i64>> {
        let keys: Vec<i64> = keys.iter().map(|&k| as_stored(k)).collect();
        let query = format!(
            "SELECT ad_id FROM (SELECT ad_id, ROW_NUMBER() OVER (PARTITION BY link_key ORDER BY ad_id) AS r
             FROM (SELECT link_key, ad_id FROM ad_link_keys WHERE link_key IN ({{}})
                   UNION ALL SELECT link_key, ad_id FROM ad_link_keys_recent WHERE link_key IN ({{}})) k) t
             WHERE r <= {per_key}"
        );
        self.ids_where(&keys, &query).await
    }

    /// Runs `query` (a `SELECT ad_id …` ending in `IN`, or holding `{}` where the list goes) over `values`
    /// in chunks; the distinct ids, ascending.
    async fn ids_where(&self, values: &[i64], query: &str) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for list in id_chunks(values) {
            let sql = if query.contains("{}") { query.replace("{}", &list) } else { format!("{query} ({list})") };
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                out.push(r.try_get("ad_id")?);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// How many ads have their band keys in the recent level (see the module documentation).
    pub async fn recent_keyed_ads(&self) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(DISTINCT ad_id) AS n FROM ad_link_keys_recent")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Moves the recent level's band keys and shingle counts into the large tables, in one transaction and
    /// in key order, so that each page of the large tables is written once however many keys land on it.
    pub async fn merge_recent_keys(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // `WHERE 1 = 1` keeps SQLite from reading the upsert's ON as a join constraint.
        sqlx::query(
            "INSERT INTO ad_link_keys (ad_id, link_key) SELECT ad_id, link_key FROM ad_link_keys_recent
             WHERE 1 = 1 ORDER BY link_key, ad_id ON CONFLICT (ad_id, link_key) DO NOTHING",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM ad_link_keys_recent").execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO shingle_df (shingle, ads) SELECT shingle, ads FROM shingle_df_recent
             WHERE 1 = 1 ORDER BY shingle ON CONFLICT (shingle) DO UPDATE SET ads = shingle_df.ads + excluded.ads",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM shingle_df_recent").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many ads carry each of the shingles `shingles`, as counted (shingles no ad carries are left out).
    pub async fn shingle_counts(&self, shingles: &[u32]) -> Result<HashMap<u32, u32>> {
        let values: Vec<i64> = shingles.iter().map(|&h| i64::from(h)).collect();
        let mut out = HashMap::with_capacity(values.len());
        for list in id_chunks(&values) {
            let sql = format!(
                "SELECT shingle, CAST(SUM(ads) AS BIGINT) AS ads FROM (SELECT shingle, ads FROM shingle_df WHERE shingle IN ({list})
                 UNION ALL SELECT shingle, ads FROM shingle_df_recent WHERE shingle IN ({list})) c
                 GROUP BY shingle HAVING SUM(ads) > 0"
            );
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                let (h, n): (i64, i64) = (r.try_get("shingle")?, r.try_get("ads")?);
                out.insert(h as u32, u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        Ok(out)
    }

    /// How many ads carry each of the contact keys `keys` (`kind:value`, as [`Store::contact_keys`] writes
    /// them); keys no ad carries are left out.
    pub async fn contact_counts(&self, keys: &[String]) -> Result<HashMap<String, usize>> {
        let mut out = HashMap::with_capacity(keys.len());
        for (kind, value, r) in self.by_contact(keys, "COUNT(DISTINCT ad_id) AS n", "GROUP BY kind, value").await? {
            out.insert(format!("{kind}:{value}"), usize::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0));
        }
        Ok(out)
    }

    /// The ads carrying one of the contact keys `keys`, ascending.
    pub async fn ads_with_contacts(&self, keys: &[String]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for (_, _, r) in self.by_contact(keys, "ad_id", "").await? {
            out.push(r.try_get("ad_id")?);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// `SELECT kind, value, {columns} FROM entities` for the contact keys `keys`, `{tail}` appended; the
    /// rows with their kind and value.
    async fn by_contact(
        &self,
        keys: &[String],
        columns: &str,
        tail: &str,
    ) -> Result<Vec<(String, String, sqlx::any::AnyRow)>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(BINDS_PER_QUERY) {
            let pairs: Vec<(&str, &str)> = chunk.iter().filter_map(|k| k.split_once(':')).collect();
            if pairs.is_empty() {
                continue;
            }
            let slots: Vec<String> = (1..=pairs.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT kind, value, {columns} FROM entities
                 WHERE kind IN ('phone', 'email', 'handle') AND value IN ({}) {tail}",
                slots.join(", ")
            );
            let q = pairs.iter().fold(sqlx::query(&sql), |q, (_, v)| q.bind(*v));
            let wanted: std::collections::HashSet<(&str, &str)> = pairs.iter().copied().collect();
            for r in q.fetch_all(&self.pool).await? {
                let (kind, value): (String, String) = (r.try_get("kind")?, r.try_get("value")?);
                if wanted.contains(&(kind.as_str(), value.as_str())) {
                    out.push((kind, value, r));
                }
            }
        }
        Ok(out)
    }

    /// The fields of the given ad versions, `(ad id, fields)` (versions not stored are left out).
    pub async fn version_fields(&self, versions: &[(i64, i64)]) -> Result<Vec<(i64, AdFields)>> {
        let mut out = Vec::with_capacity(versions.len());
        for chunk in versions.chunks(IDS_PER_QUERY) {
            let ids: Vec<i64> = chunk.iter().map(|(ad, _)| *ad).collect();
            let wanted: std::collections::HashSet<(i64, i64)> = chunk.iter().copied().collect();
            let list = id_chunks(&ids).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT ad_id, version, title, body, city, price, posted_at, contact, age, company
                 FROM ad_versions WHERE ad_id IN ({list})"
            );
            for r in &sqlx::query(&sql).fetch_all(&self.pool).await? {
                let key: (i64, i64) = (r.try_get("ad_id")?, r.try_get("version")?);
                if wanted.contains(&key) {
                    out.push((key.0, fields_from_row(r)?));
                }
            }
        }
        Ok(out)
    }
}

/// Forgets every band key and shingle count, and marks every ad's keys uncounted: the start of a full
/// analysis, which counts them again.
pub async fn clear_link_keys(conn: &mut Conn) -> Result<()> {
    for table in ["ad_link_keys", "ad_link_keys_recent", "shingle_df", "shingle_df_recent"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE ads SET keyed_version = 0 WHERE keyed_version <> 0").execute(&mut *conn).await?;
    Ok(())
}

/// The index of band keys by key (migration 0013), which a full analysis drops while it writes every key
/// and builds again at the end.
const KEY_INDEX: &str = "CREATE INDEX IF NOT EXISTS ad_link_keys_key ON ad_link_keys (link_key, ad_id)";

/// Rows a statement when every key is written.
const ROWS_PER_BULK_INSERT: usize = 2000;

/// Writes the keys of a full analysis, which began with [`clear_link_keys`]: every `(ad id, band key)` in
/// `bands` (sorted), every `(shingle, ads)` count in `counts` (sorted by shingle, distinct), and the
/// versions `(ad id, version)` now counted. The rows go into the emptied tables in their own order, each
/// page written once, and the index of band keys by key is dropped first and rebuilt by one sort at the
/// end: inserted one flush at a time at random places, the keys of a million ads cost several minutes.
///
/// Keys and counts are written over several transactions and the versions marked counted in the last:
/// if the run stops before that, no ad is marked counted, and the next analysis is a full one again,
/// which clears them.
pub async fn write_all_keys(
    store: &Store,
    bands: &[(i64, u64)],
    counts: &[(u32, i64)],
    versions: &[(i64, i64)],
) -> Result<()> {
    sqlx::query("DROP INDEX IF EXISTS ad_link_keys_key").execute(&store.pool).await?;
    for chunk in bands.chunks(ROWS_PER_BULK_INSERT * 50) {
        let mut tx = store.pool.begin().await?;
        let rows: Vec<(i64, i64)> = chunk.iter().map(|(ad, k)| (*ad, as_stored(*k))).collect();
        insert_keys(&mut tx, "ad_link_keys", &rows, ROWS_PER_BULK_INSERT).await?;
        tx.commit().await?;
    }
    sqlx::query(KEY_INDEX).execute(&store.pool).await?;
    for chunk in counts.chunks(ROWS_PER_BULK_INSERT * 50) {
        let mut tx = store.pool.begin().await?;
        let rows: Vec<(i64, i64)> = chunk.iter().map(|(h, n)| (i64::from(*h), *n)).collect();
        add_counts(&mut tx, "shingle_df", &rows, ROWS_PER_BULK_INSERT).await?;
        tx.commit().await?;
    }
    let mut tx = store.pool.begin().await?;
    set_keyed_versions(&mut tx, versions).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes sure the index of band keys by key exists (a full analysis stopped while writing its keys
/// leaves it dropped); cheap when it does.
pub async fn ensure_key_index(store: &Store) -> Result<()> {
    sqlx::query(KEY_INDEX).execute(&store.pool).await?;
    Ok(())
}

/// Replaces the band keys of each ad in `keys` (`(ad id, band keys)`), writing the new ones into the recent
/// level.
pub async fn replace_link_keys(conn: &mut Conn, keys: &[(i64, Vec<u64>)]) -> Result<()> {
    let ids: Vec<i64> = keys.iter().map(|(ad, _)| *ad).collect();
    for list in id_chunks(&ids) {
        for table in ["ad_link_keys", "ad_link_keys_recent"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE ad_id IN ({list})")).execute(&mut *conn).await?;
        }
    }
    // In key order: the key index takes them page by page.
    let mut rows: Vec<(i64, i64)> = keys.iter().flat_map(|(ad, ks)| ks.iter().map(|&k| (as_stored(k), *ad))).collect();
    rows.sort_unstable();
    rows.dedup();
    let rows: Vec<(i64, i64)> = rows.into_iter().map(|(k, ad)| (ad, k)).collect();
    insert_keys(conn, "ad_link_keys_recent", &rows, IDS_PER_QUERY).await
}

/// Inserts `(ad id, band key)` rows into `table`, `per` a statement (integers, written inline).
async fn insert_keys(conn: &mut Conn, table: &str, rows: &[(i64, i64)], per: usize) -> Result<()> {
    for chunk in rows.chunks(per) {
        let values: Vec<String> = chunk.iter().map(|(ad, k)| format!("({ad}, {k})")).collect();
        sqlx::query(&format!("INSERT INTO {table} (ad_id, link_key) VALUES {}", values.join(", ")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds `(shingle, ads)` rows to the counts in `table`, `per` a statement (integers, written inline).
async fn add_counts(conn: &mut Conn, table: &str, rows: &[(i64, i64)], per: usize) -> Result<()> {
    for chunk in rows.chunks(per) {
        let values: Vec<String> = chunk.iter().map(|(h, d)| format!("({h}, {d})")).collect();
        sqlx::query(&format!(
            "INSERT INTO {table} (shingle, ads) VALUES {} ON CONFLICT (shingle) DO UPDATE
             SET ads = {table}.ads + excluded.ads",
            values.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds `delta` to the count of each shingle (negative for the versions no longer counted), in the recent
/// level.
pub async fn add_shingle_counts(conn: &mut Conn, delta: &HashMap<u32, i64>) -> Result<()> {
    let mut rows: Vec<(i64, i64)> = delta.iter().filter(|(_, d)| **d != 0).map(|(h, d)| (i64::from(*h), *d)).collect();
    rows.sort_unstable();
    add_counts(conn, "shingle_df_recent", &rows, IDS_PER_QUERY).await
}

/// Records which version of each ad (`(ad id, version)`) has its keys stored and shingles counted.
pub async fn set_keyed_versions(conn: &mut Conn, versions: &[(i64, i64)]) -> Result<()> {
    let mut by_version: HashMap<i64, Vec<i64>> = HashMap::new();
    for (ad, v) in versions {
        by_version.entry(*v).or_default().push(*ad);
    }
    for (v, ids) in by_version {
        for list in id_chunks(&ids) {
            sqlx::query(&format!("UPDATE ads SET keyed_version = {v} WHERE id IN ({list})"))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
