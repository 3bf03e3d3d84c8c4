//! Ads and their versions: one row per advertisement (whatever URLs reach it), one version per distinct
//! content, and the queries the dashboard and export read them with.

use std::collections::HashMap;

use redflag_core::link::GroupKind;
use redflag_core::time::{DateOrder, parse_posted, rfc3339};
use redflag_core::{AdFields, AdKind};
use sqlx::Row;

use crate::{Conn, Error, Result, Store};

/// One crawled ad page's content, for [`upsert_version`].
#[derive(Debug, Clone)]
pub struct NewAdVersion<'a> {
    /// The site.
    pub site_id: i64,
    /// The ad's identity within the site (from the adapter's id rule, the canonical link or the URL).
    pub ad_key: &'a str,
    /// The ad kind.
    pub kind: AdKind,
    /// The URL this content was fetched from (canonical form); every such URL is remembered.
    pub url: &'a str,
    /// The URL the page names as its canonical address (`<link rel=canonical>`), when it names one on
    /// the same site; it becomes the ad's URL.
    pub canonical_url: Option<&'a str>,
    /// The extracted fields.
    pub fields: &'a AdFields,
    /// The evidence page.
    pub page_id: Option<i64>,
    /// When the page was fetched, ms since the epoch.
    pub fetched_at: i64,
}

/// What [`upsert_version`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChange {
    /// A new ad (version 1).
    New,
    /// A known ad whose content changed: a new version was stored.
    Changed,
    /// A known ad seen again with the same content.
    Unchanged,
}

/// Stores a new version of a known ad whose text is unchanged but whose pictures changed (a picture
/// replaced at the same address, or other pictures): the fields of `version`, with the page and fetch
/// time of the new sighting. Returns the new version number, or `None` when the ad is no longer at
/// `version` (another worker stored a version meanwhile; the caller keeps the current one).
pub async fn new_picture_version(
    conn: &mut Conn,
    ad_id: i64,
    version: i64,
    page_id: Option<i64>,
    fetched_at: i64,
) -> Result<Option<i64>> {
    let bumped = sqlx::query(
        "UPDATE ads SET version = version + 1, last_seen = CASE WHEN last_seen < $1 THEN $1 ELSE last_seen END
         WHERE id = $2 AND version = $3 RETURNING version",
    )
    .bind(fetched_at)
    .bind(ad_id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = bumped else { return Ok(None) };
    let next: i64 = row.try_get("version")?;
    sqlx::query(
        "INSERT INTO ad_versions (ad_id, version, page_id, fetched_at, content_hash, title, body, city,
             price, posted_at, contact, age, company)
         SELECT ad_id, $1, $2, $3, content_hash, title, body, city, price, posted_at, contact, age, company
         FROM ad_versions WHERE ad_id = $4 AND version = $5",
    )
    .bind(next)
    .bind(page_id)
    .bind(fetched_at)
    .bind(ad_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(Some(next))
}

/// Stores an ad page's content: a new ad, a new version of a known ad, or just a sighting.
/// Returns the ad id, its current version and what changed. Safe under concurrent workers.
pub async fn upsert_version(conn: &mut Conn, v: &NewAdVersion<'_>) -> Result<(i64, i64, VersionChange)> {
    let hash = v.fields.content_hash();
    let inserted = sqlx::query(
        "INSERT INTO ads (site_id, ad_key, kind, url, version, content_hash, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $6)
         ON CONFLICT (site_id, ad_key) DO NOTHING RETURNING id",
    )
    .bind(v.site_id)
    .bind(v.ad_key)
    .bind(v.kind.as_str())
    .bind(v.canonical_url.unwrap_or(v.url))
    .bind(&hash)
    .bind(v.fetched_at)
    .fetch_optional(&mut *conn)
    .await?;
    let (ad_id, version, change) = if let Some(row) = inserted {
        (row.try_get::<i64, _>("id")?, 1, VersionChange::New)
    } else {
        // Known ad: bump the version only if the content differs, atomically, so two workers that
        // fetched the same new content store one version between them.
        let bumped = sqlx::query(
            "UPDATE ads SET version = version + 1, content_hash = $1, last_seen = $2, url = COALESCE($3, url)
             WHERE site_id = $4 AND ad_key = $5 AND content_hash <> $1 RETURNING id, version",
        )
        .bind(&hash)
        .bind(v.fetched_at)
        .bind(v.canonical_url)
        .bind(v.site_id)
        .bind(v.ad_key)
        .fetch_optional(&mut *conn)
        .await?;
        match bumped {
            Some(row) => (row.try_get("id")?, row.try_get("version")?, VersionChange::Changed),
            None => {
                let row = sqlx::query(
                    "UPDATE ads SET last_seen = CASE WHEN last_seen < $1 THEN $1 ELSE last_seen END,
                         url = COALESCE($4, url)
                     WHERE site_id = $2 AND ad_key = $3 RETURNING id, version",
                )
                .bind(v.fetched_at)
                .bind(v.site_id)
                .bind(v.ad_key)
                .bind(v.canonical_url)
                .fetch_one(&mut *conn)
                .await?;
                (row.try_get("id")?, row.try_get("version")?, VersionChange::Unchanged)
            }
        }
    };
    if change != VersionChange::Unchanged {
        let f = v.fields;
        sqlx::query(
            "INSERT INTO ad_versions (ad_id, version, page_id, fetched_at, content_hash, title, body, city,
                 price, posted_at, contact, age, company)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(ad_id)
        .bind(version)
        .bind(v.page_id)
        .bind(v.fetched_at)
        .bind(&hash)
        .bind(&f.title)
        .bind(&f.body)
        .bind(&f.city)
        .bind(&f.price)
        .bind(&f.posted_at)
        .bind(&f.contact)
        .bind(&f.age)
        .bind(&f.company)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO ad_urls (site_id, url, ad_id, first_seen) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, url) DO NOTHING",
    )
    .bind(v.site_id)
    .bind(v.url)
    .bind(ad_id)
    .bind(v.fetched_at)
    .execute(&mut *conn)
    .await?;
    Ok((ad_id, version, change))
}

/// An ad with its current version's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AdRow {
    /// Ad id.
    pub id: i64,
    /// Site id.
    pub site_id: i64,
    /// Site (adapter) name.
    pub site: String,
    /// The identity key within the site.
    pub ad_key: String,
    /// Ad kind.
    pub kind: AdKind,
    /// The canonical URL.
    pub url: String,
    /// Current version number.
    pub version: i64,
    /// First sighting, ms since the epoch.
    pub first_seen: i64,
    /// Last sighting, ms since the epoch.
    pub last_seen: i64,
    /// Current risk 0–100, once scored.
    pub risk: Option<i64>,
    /// Network id, once linked.
    pub cluster_id: Option<i64>,
    /// What the ad's group is, when it is linked to other ads.
    pub cluster_kind: Option<GroupKind>,
    /// The site's country (ISO 3166-1 alpha-2), when its adapter names one.
    pub country: Option<String>,
    /// The site's language hint (ISO 639-1), when its adapter names one.
    pub language: Option<String>,
    /// The current version's fields.
    pub fields: AdFields,
    /// The current version's evidence page.
    pub page_id: Option<i64>,
    /// When the current version was fetched.
    pub fetched_at: i64,
}

/// One past or present version of an ad.
#[derive(Debug, Clone, PartialEq)]
pub struct AdVersionRow {
    /// Version number.
    pub version: i64,
    /// When it was fetched.
    pub fetched_at: i64,
    /// Its evidence page.
    pub page_id: Option<i64>,
    /// Its fields.
    pub fields: AdFields,
}

pub(crate) const AD_SELECT: &str = "SELECT a.id, a.site_id, s.name AS site, a.ad_key, a.kind, a.url, a.version,
        a.first_seen, a.last_seen, a.risk, a.cluster_id, a.cluster_kind, s.country, s.language, v.page_id, v.fetched_at, v.title, v.body, v.city,
        v.price, v.posted_at, v.contact, v.age, v.company
    FROM ads a JOIN sites s ON s.id = a.site_id
    JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version";

pub(crate) fn parse_kind(s: &str) -> Result<AdKind> {
    s.parse().map_err(|e: redflag_core::ad::UnknownAdKind| Error::Corrupt {
        what: "ad",
        id: s.to_string(),
        reason: e.to_string(),
    })
}

pub(crate) fn fields_from_row(row: &sqlx::any::AnyRow) -> Result<AdFields> {
    Ok(AdFields {
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        city: row.try_get("city")?,
        price: row.try_get("price")?,
        posted_at: row.try_get("posted_at")?,
        contact: row.try_get("contact")?,
        age: row.try_get("age")?,
        company: row.try_get("company")?,
    })
}

pub(crate) fn ad_from_row(row: &sqlx::any::AnyRow) -> Result<AdRow> {
    let kind: String = row.try_get("kind")?;
    Ok(AdRow {
        id: row.try_get("id")?,
        site_id: row.try_get("site_id")?,
        site: row.try_get("site")?,
        ad_key: row.try_get("ad_key")?,
        kind: parse_kind(&kind)?,
        url: row.try_get("url")?,
        version: row.try_get("version")?,
        first_seen: row.try_get("first_seen")?,
        last_seen: row.try_get("last_seen")?,
        risk: row.try_get("risk")?,
        cluster_id: row.try_get("cluster_id")?,
        cluster_kind: row.try_get::<Option<String>, _>("cluster_kind")?.as_deref().map(GroupKind::parse),
        country: row.try_get("country")?,
        language: row.try_get("language")?,
        fields: fields_from_row(row)?,
        page_id: row.try_get("page_id")?,
        fetched_at: row.try_get("fetched_at")?,
    })
}

/// How to order a lead list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LeadSort {
    /// Highest risk first, then newest.
    #[default]
    Risk,
    /// Most recently seen first.
    Newest,
}

/// Which leads to list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    /// Only this kind.
    pub kind: Option<AdKind>,
    /// Only risk at least this.
    pub min_risk: Option<i64>,
    /// Only this triage state (`new` includes ads never triaged).
    pub triage: Option<crate::TriageState>,
    /// Only this site.
    pub site_id: Option<i64>,
    /// Only this network.
    pub cluster_id: Option<i64>,
    /// Only these ads (e.g. search hits), in any order.
    pub ids: Option<Vec<i64>>,
    /// Only ads assigned to this person (`Some(None)`: only ads nobody is assigned to).
    pub assignee: Option<Option<String>>,
    /// Only ads whose latest score fired this indicator (its id).
    pub indicator: Option<String>,
    /// Only ads that share a contact with an ad of the other kind (a job ad and an escort ad).
    pub job_escort: bool,
    /// Order.
    pub sort: LeadSort,
    /// Page size (default 50, at most 1000).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: i64,
}

/// How many leads a filter matches: exact, or at least `count` when `more` (counting stopped at a cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadTotal {
    /// The number of matching leads, or the cap it stopped at.
    pub count: i64,
    /// Whether more than `count` leads match.
    pub more: bool,
}

impl LeadTotal {
    /// The cap the dashboard and the API count to by default: like a search engine's hit count, the
    /// figure is exact below it and "more than" above it, and it keeps the queue's cost independent of
    /// the store's size.
    pub const CAP: i64 = 10_000;

    /// The cap for a page starting at `offset`: the default, or far enough past the page to know whether
    /// another follows.
    pub fn cap_for(offset: i64, limit: i64) -> i64 {
        Self::CAP.max(offset.saturating_add(limit).saturating_add(1))
    }
}

impl LeadFilter {
    /// Whether only ads with a triage row can match (a state other than `new`, or an assignee).
    fn only_triaged(&self) -> bool {
        self.triage.is_some_and(|t| t != crate::TriageState::New) || matches!(self.assignee, Some(Some(_)))
    }
}

/// One row of the lead list.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadRow {
    /// Ad id.
    pub id: i64,
    /// Site name.
    pub site: String,
    /// Ad kind.
    pub kind: AdKind,
    /// Canonical URL.
    pub url: String,
    /// Current title.
    pub title: String,
    /// City field.
    pub city: Option<String>,
    /// Risk 0–100 (None until scored).
    pub risk: Option<i64>,
    /// Network id.
    pub cluster_id: Option<i64>,
    /// Ads in the same network (1 when alone).
    pub cluster_size: i64,
    /// Triage state.
    pub triage: crate::TriageState,
    /// Last sighting.
    pub last_seen: i64,
    /// Ids of the indicators that fired, strongest first.
    pub indicators: Vec<String>,
    /// Whether the ad shares a contact with an ad of the other kind (a job ad and an escort ad).
    pub job_escort: bool,
}

/// One ad in the export format's terms (the binary serialises it).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportRow {
    /// Ad id.
    pub id: i64,
    /// Canonical URL.
    pub url: String,
    /// Site name.
    pub site: String,
    /// Ad kind.
    pub kind: AdKind,
    /// Current fields.
    pub fields: AdFields,
    /// Distinct phone numbers, E.164.
    pub phones: Vec<String>,
    /// Distinct e-mail addresses.
    pub emails: Vec<String>,
    /// Distinct handles.
    pub handles: Vec<String>,
    /// Risk 0–100.
    pub risk: Option<i64>,
    /// The latest assessment's fired indicators.
    pub indicators: Vec<redflag_core::FiredIndicator>,
    /// The model (`name@version`) that produced the latest score.
    pub model: Option<String>,
    /// Network id.
    pub cluster: Option<i64>,
    /// What the ad's group is.
    pub cluster_kind: Option<GroupKind>,
    /// The links touching the ad, with reason and strength.
    pub links: Vec<crate::LinkRow>,
    /// The first age the ad states (its age field or text).
    pub age: Option<u32>,
    /// The site's country.
    pub country: Option<String>,
    /// The ad's detected language, else the site's language hint.
    pub language: Option<String>,
    /// When the current version was fetched.
    pub fetched_at: i64,
    /// SHA-256 of the evidence page.
    pub sha256: Option<String>,
    /// All URLs the ad was seen under.
    pub urls: Vec<String>,
    /// Version number.
    pub version: i64,
    /// The pictures the current version showed, in page order.
    pub images: Vec<crate::AdImageRow>,
}

impl ExportRow {
    /// The row in the JSON Lines export format that `redflag export` and the dashboard's export write.
    /// Field names never change meaning; new fields may be added.
    pub fn to_json(&self) -> serde_json::Value {
        let price = self.fields.price.as_deref().map(|text| {
            let parsed = redflag_core::extract::parse_price_in(text, self.country.as_deref());
            serde_json::json!({
                "text": text,
                "amount": parsed.as_ref().map(|p| p.amount),
                "max": parsed.as_ref().and_then(|p| p.max),
                "currency": parsed.as_ref().and_then(|p| p.currency.clone()),
                "per": parsed.as_ref().and_then(|p| p.per.clone()),
            })
        });
        // Day-month order by the ad's own country (its city), else its language, else the site's country.
        let city_country = self.fields.city.as_deref().and_then(|c| {
            let found = redflag_core::extract::extract(c, &redflag_core::ExtractOptions::default());
            found.of_kind(redflag_core::EntityKind::City).find_map(|e| redflag_core::extract::city_country(&e.value))
        });
        let order = match (city_country, self.language.as_deref()) {
            (Some(cc), _) => DateOrder::of(Some(cc), None),
            (None, Some(lang)) if lang != "en" => DateOrder::of(None, Some(lang)),
            (None, lang) => DateOrder::of(self.country.as_deref(), lang),
        };
        let posted =
            self.fields.posted_at.as_deref().and_then(|t| parse_posted(t, self.fetched_at, order)).map(rfc3339);
        let links: Vec<serde_json::Value> = self.links.iter().map(|l| l.to_json(self.id)).collect();
        let images: Vec<serde_json::Value> = self
            .images
            .iter()
            .map(|i| {
                serde_json::json!({
                    "url": i.url,
                    "sha256": i.sha256,
                    "phash": i.phash.map(|h| format!("{h:016x}")),
                    "content_type": i.content_type,
                    "width": i.width,
                    "height": i.height,
                    "error": i.error,
                })
            })
            .collect();
        serde_json::json!({
            "id": self.id,
            "url": self.url,
            "urls": self.urls,
            "site": self.site,
            "kind": self.kind,
            "title": self.fields.title,
            "body": self.fields.body,
            "city": self.fields.city,
            "phones": self.phones,
            "emails": self.emails,
            "handles": self.handles,
            "price": price,
            "posted_at": posted,
            "posted_at_text": self.fields.posted_at,
            "age": self.age,
            "company": self.fields.company,
            "risk": self.risk,
            "model": self.model,
            "indicators": self.indicators,
            "cluster": self.cluster,
            "cluster_kind": self.cluster_kind,
            "links": links,
            "version": self.version,
            "fetched_at": rfc3339(self.fetched_at),
            "sha256": self.sha256,
            "images": images,
        })
    }
}

impl Store {
    /// How many ads are stored.
    pub async fn ad_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM ads").fetch_one(&self.pool).await?.try_get("n")?)
    }

    /// One ad with its current fields.
    pub async fn ad(&self, id: i64) -> Result<AdRow> {
        let row = sqlx::query(&format!("{AD_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::not_found("ad", id))?;
        ad_from_row(&row)
    }

    /// All versions of an ad, newest first.
    pub async fn ad_versions(&self, id: i64) -> Result<Vec<AdVersionRow>> {
        let rows = sqlx::query(
            "SELECT version, fetched_at, page_id, title, body, city, price, posted_at, contact, age, company
             FROM ad_versions WHERE ad_id = $1 ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AdVersionRow {
                    version: r.try_get("version")?,
                    fetched_at: r.try_get("fetched_at")?,
                    page_id: r.try_get("page_id")?,
                    fields: fields_from_row(r)?,
                })
            })
            .collect()
    }

    /// Every URL an ad was seen under, oldest first.
    pub async fn ad_urls(&self, id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT url FROM ad_urls WHERE ad_id = $1 ORDER BY first_seen, url")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("url")?)).collect()
    }

    /// The lead list.
    pub async fn leads(&self, f: &LeadFilter) -> Result<Vec<LeadRow>> {
        // An indicator that few ads carry is read from its own index and the few ads sorted; a common one
        // is checked ad by ad while the queue's order index is walked (it finds a page's worth quickly).
        let mut shape = QueryShape::Page { rare_indicator: false };
        if let Some(id) = &f.indicator {
            let carriers: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ad_indicators WHERE indicator = $1 LIMIT {RARE}) m"
            ))
            .bind(id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
            shape = QueryShape::Page { rare_indicator: carriers < RARE };
        }
        let (sql, binds) = lead_query(f, shape);
        let q = bound(&sql, binds);
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let triage: Option<String> = r.try_get("triage_state")?;
                let indicators: Option<String> = r.try_get("indicators")?;
                Ok(LeadRow {
                    id: r.try_get("id")?,
                    site: r.try_get("site")?,
                    kind: parse_kind(&kind)?,
                    url: r.try_get("url")?,
                    title: r.try_get("title")?,
                    city: r.try_get("city")?,
                    risk: r.try_get("risk")?,
                    cluster_id: r.try_get("cluster_id")?,
                    cluster_size: r.try_get("cluster_size")?,
                    triage: triage.as_deref().and_then(crate::TriageState::parse).unwrap_or_default(),
                    last_seen: r.try_get("last_seen")?,
                    indicators: indicators.map(|s| indicator_ids(&s)).unwrap_or_default(),
                    job_escort: r.try_get::<i64, _>("job_escort")? != 0,
                })
            })
            .collect()
    }

    /// How many leads match a filter (ignoring its limit and offset), counted exactly up to `cap`.
    pub async fn lead_total(&self, f: &LeadFilter, cap: i64) -> Result<LeadTotal> {
        let (sql, binds) = lead_query(f, QueryShape::Count { cap });
        let q = bound(&sql, binds);
        let n: i64 = q.fetch_one(&self.pool).await?.try_get("n")?;
        // Conditions only triaged ads pass are counted exactly, past the cap too.
        Ok(if n > cap && !f.only_triaged() {
            LeadTotal { count: cap, more: true }
        } else {
            LeadTotal { count: n, more: false }
        })
    }

    /// Export rows for ads with id > `after_id`, in id order, at most `limit`. Four queries per batch,
    /// whatever its size.
    pub async fn export_batch(&self, after_id: i64, limit: i64) -> Result<Vec<ExportRow>> {
        let rows = sqlx::query(&format!("SELECT * FROM ({AD_SELECT}) x WHERE x.id > $1 ORDER BY x.id LIMIT $2"))
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let ads = rows.iter().map(ad_from_row).collect::<Result<Vec<_>>>()?;
        let Some(ids) = id_list(ads.iter().map(|a| a.id)) else { return Ok(Vec::new()) };

        type Values = (Vec<String>, Vec<String>, Vec<String>, Vec<String>);
        let mut entities: HashMap<i64, Values> = HashMap::new();
        for r in sqlx::query(&format!(
            // The kinds are picked out below, not with `kind IN (…)`: beside `ad_id IN (…)` that makes
            // SQLite walk the `(kind, value)` index, every contact of the store, for each batch.
            "SELECT ad_id, kind, value FROM entities WHERE ad_id IN ({ids}) ORDER BY ad_id, start_pos, id"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let (kind, value): (String, String) = (r.try_get("kind")?, r.try_get("value")?);
            let e = entities.entry(r.try_get("ad_id")?).or_default();
            let list = match kind.as_str() {
                "phone" => &mut e.0,
                "email" => &mut e.1,
                "handle" => &mut e.2,
                "age" => &mut e.3,
                _ => continue,
            };
            if !list.contains(&value) {
                list.push(value);
            }
        }
        let mut indicators: HashMap<i64, Vec<redflag_core::FiredIndicator>> = HashMap::new();
        let mut models: HashMap<i64, String> = HashMap::new();
        let mut languages: HashMap<i64, String> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT ad_id, indicators, model, language FROM scores WHERE id IN
                 (SELECT MAX(id) FROM scores WHERE ad_id IN ({ids}) GROUP BY ad_id)"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let ad_id: i64 = r.try_get("ad_id")?;
            let json: String = r.try_get("indicators")?;
            let parsed = serde_json::from_str(&json).map_err(|e| Error::Corrupt {
                what: "score",
                id: ad_id.to_string(),
                reason: e.to_string(),
            })?;
            indicators.insert(ad_id, parsed);
            models.insert(ad_id, r.try_get("model")?);
            if let Some(lang) = r.try_get::<Option<String>, _>("language")? {
                languages.insert(ad_id, lang);
            }
        }
        let mut urls: HashMap<i64, Vec<String>> = HashMap::new();
        for r in sqlx::query(&format!("SELECT ad_id, url FROM ad_urls WHERE ad_id IN ({ids}) ORDER BY first_seen, url"))
            .fetch_all(&self.pool)
            .await?
        {
            urls.entry(r.try_get("ad_id")?).or_default().push(r.try_get("url")?);
        }
        let mut hashes: HashMap<i64, String> = HashMap::new();
        if let Some(pids) = id_list(ads.iter().filter_map(|a| a.page_id)) {
            for r in
                sqlx::query(&format!("SELECT id, sha256 FROM pages WHERE id IN ({pids})")).fetch_all(&self.pool).await?
            {
                hashes.insert(r.try_get("id")?, r.try_get("sha256")?);
            }
        }
        let ad_ids: Vec<i64> = ads.iter().map(|a| a.id).collect();
        let mut links = self.links_of_ads(&ad_ids).await?;
        let mut images = self.images_of_ads(&ad_ids).await?;
        Ok(ads
            .into_iter()
            .map(|ad| {
                let (phones, emails, handles, ages) = entities.remove(&ad.id).unwrap_or_default();
                ExportRow {
                    id: ad.id,
                    phones,
                    emails,
                    handles,
                    age: ages.first().and_then(|a| a.parse().ok()),
                    cluster_kind: ad.cluster_kind,
                    links: links.remove(&ad.id).unwrap_or_default(),
                    country: ad.country,
                    language: languages.remove(&ad.id).or(ad.language),
                    risk: ad.risk,
                    indicators: indicators.remove(&ad.id).unwrap_or_default(),
                    model: models.remove(&ad.id),
                    cluster: ad.cluster_id,
                    fetched_at: ad.fetched_at,
                    sha256: ad.page_id.and_then(|p| hashes.get(&p).cloned()),
                    urls: urls.remove(&ad.id).unwrap_or_default(),
                    version: ad.version,
                    images: images.remove(&ad.id).unwrap_or_default(),
                    url: ad.url,
                    site: ad.site,
                    kind: ad.kind,
                    fields: ad.fields,
                }
            })
            .collect())
    }
}

/// Ids as an SQL list for `IN (...)`; `None` when empty. Ids are integers formatted here, so inlining
/// them is safe, and it keeps the statement independent of the batch size's bind limits.
pub(crate) fn id_list(ids: impl Iterator<Item = i64>) -> Option<String> {
    let v: Vec<String> = ids.map(|i| i.to_string()).collect();
    (!v.is_empty()).then(|| v.join(","))
}

enum Bind {
    Int(i64),
    Text(String),
}

/// `sql` with `binds` bound in order.
fn bound<'q>(sql: &'q str, binds: Vec<Bind>) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    binds.into_iter().fold(sqlx::query(sql), |q, b| match b {
        Bind::Int(i) => q.bind(i),
        Bind::Text(t) => q.bind(t),
    })
}

/// The ads a job-escort link touches (see `redflag_core::link::crosskind`): a contact they share with
/// an ad of the other kind. Read through the `links_reason` index (0012), so the filter costs the few
/// such links, not a probe per ad.
const JOB_ESCORT_ADS: &str = "SELECT je.ad_a FROM links je WHERE je.reason = 'job_escort'
     UNION SELECT je.ad_b FROM links je WHERE je.reason = 'job_escort'";

/// Whether a job-escort link touches the lead `a`, one probe of each link index.
const JOB_ESCORT_FLAG: &str = "EXISTS (SELECT 1 FROM links je WHERE je.ad_a = a.id AND je.reason = 'job_escort')
     OR EXISTS (SELECT 1 FROM links je WHERE je.ad_b = a.id AND je.reason = 'job_escort')";

/// Below this many carriers an indicator counts as rare (see `Store::leads`).
const RARE: i64 = 2_000;

/// Which statement [`lead_query`] writes.
#[derive(Clone, Copy)]
enum QueryShape {
    /// A page of the list; `rare_indicator` when its indicator filter matches few ads.
    Page { rare_indicator: bool },
    /// The count of its matches, up to `cap`.
    Count { cap: i64 },
}

/// The lead list's statement, or the statement counting its matches.
fn lead_query(f: &LeadFilter, shape: QueryShape) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    // Conditions on the ad (`a`) and on its triage row (`t`, absent for ads never triaged), apart: the
    // count reads the triage table only when a condition is on it.
    let (mut on_ad, mut on_triage) = (Vec::new(), Vec::new());
    let bind = |cond: &str, b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        cond.replace('?', &format!("${}", binds.len()))
    };
    if let Some(k) = f.kind {
        on_ad.push(bind("a.kind = ?", Bind::Text(k.as_str().into()), &mut binds));
    }
    if let Some(r) = f.min_risk {
        // The order's expression, so the order indexes (0010) serve this filter too; unscored ads (-1) stay
        // out as before, risks being 0–100.
        on_ad.push(bind("COALESCE(a.risk, -1) >= ?", Bind::Int(r.max(0)), &mut binds));
    }
    if let Some(s) = f.site_id {
        on_ad.push(bind("a.site_id = ?", Bind::Int(s), &mut binds));
    }
    if let Some(c) = f.cluster_id {
        on_ad.push(bind("a.cluster_id = ?", Bind::Int(c), &mut binds));
    }
    // Whether an ad without a triage row passes the triage conditions (state `new`, nobody assigned).
    let untriaged_pass = !f.only_triaged();
    if let Some(t) = f.triage {
        if t == crate::TriageState::New {
            on_triage.push(bind("COALESCE(t.state, ?) = 'new'", Bind::Text("new".into()), &mut binds));
        } else {
            on_triage.push(bind("t.state = ?", Bind::Text(t.as_str().into()), &mut binds));
        }
    }
    match &f.assignee {
        Some(Some(who)) => {
            on_triage.push(bind("t.assignee = ?", Bind::Text(who.clone()), &mut binds));
        }
        Some(None) => on_triage.push(bind("COALESCE(t.assignee, ?) = ''", Bind::Text(String::new()), &mut binds)),
        None => {}
    }
    // The latest score's fired ids, one row each (0011). Kept apart until the statement's shape is known.
    let indicator = f.indicator.as_ref().map(|id| bind("ai.indicator = ?", Bind::Text(id.clone()), &mut binds));
    if f.job_escort {
        on_ad.push(format!("a.id IN ({JOB_ESCORT_ADS})"));
    }
    if let Some(ids) = &f.ids {
        let list = id_list(ids.iter().copied()).unwrap_or_else(|| "NULL".to_string());
        on_ad.push(format!("a.id IN ({list})"));
    }
    let where_of = |conds: &[String]| {
        if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) }
    };
    // The triage conditions as one condition on the ad whose id is `id`, never a join: an ad without a
    // triage row passes `new` and "nobody assigned", so those read "no triage row of this ad fails" (the
    // conditions are `COALESCE` forms, never NULL, so `NOT` is their complement); the others need a row
    // that passes. Both are one index lookup per ad, and neither makes a planner hash the triage table.
    let on_triage_of = |id: &str| -> Option<String> {
        if on_triage.is_empty() {
            return None;
        }
        let conds = on_triage.join(" AND ");
        Some(if untriaged_pass {
            format!("NOT EXISTS (SELECT 1 FROM triage t WHERE t.ad_id = {id} AND NOT ({conds}))")
        } else {
            format!("EXISTS (SELECT 1 FROM triage t WHERE t.ad_id = {id} AND {conds})")
        })
    };
    if let QueryShape::Count { cap } = shape {
        // Counting stops after `cap` matches (one more tells that there are more): an exact count of a broad
        // filter at a million ads reads every matching ad. Conditions that only triaged ads pass (a state
        // other than `new`, an assignee) are counted from the triage table, which holds only what
        // investigators touched, exactly.
        let cap = cap.max(0).saturating_add(1);
        if let (Some(ind), true, true) = (&indicator, on_ad.is_empty(), untriaged_pass) {
            // Only the indicator is asked of the ad: its own index holds the answer (every row's ad exists).
            let wher = where_of(&std::iter::once(ind.clone()).chain(on_triage_of("ai.ad_id")).collect::<Vec<_>>());
            return (
                format!("SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ad_indicators ai {wher} LIMIT {cap}) m"),
                binds,
            );
        }
        if let Some(ind) = &indicator {
            on_ad.push(format!("EXISTS (SELECT 1 FROM ad_indicators ai WHERE ai.ad_id = a.id AND {ind})"));
        }
        if !untriaged_pass {
            let ad_matches = format!(
                "EXISTS (SELECT 1 FROM ads a WHERE {})",
                std::iter::once("a.id = t.ad_id".to_string()).chain(on_ad).collect::<Vec<_>>().join(" AND ")
            );
            let sql = format!("SELECT COUNT(*) AS n FROM triage t WHERE {} AND {ad_matches}", on_triage.join(" AND "));
            return (sql, binds);
        }
        let wher = where_of(&on_ad.iter().cloned().chain(on_triage_of("a.id")).collect::<Vec<_>>());
        return (format!("SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ads a {wher} LIMIT {cap}) m"), binds);
    }
    if let (Some(ind), QueryShape::Page { rare_indicator }) = (&indicator, shape) {
        on_ad.push(if rare_indicator {
            format!("a.id IN (SELECT ai.ad_id FROM ad_indicators ai WHERE {ind})")
        } else {
            format!("EXISTS (SELECT 1 FROM ad_indicators ai WHERE ai.ad_id = a.id AND {ind})")
        });
    }
    let wher = where_of(&on_ad.iter().cloned().chain(on_triage_of("a.id")).collect::<Vec<_>>());
    let order = match f.sort {
        LeadSort::Risk => "COALESCE(a.risk, -1) DESC, a.last_seen DESC, a.id",
        LeadSort::Newest => "a.last_seen DESC, a.id DESC",
    };
    let limit = f.limit.unwrap_or(50).clamp(1, 1000);
    let offset = f.offset.max(0);
    (
        format!(
            "SELECT a.id, s.name AS site, a.kind, a.url, v.title, v.city, a.risk, a.cluster_id, a.last_seen,
                 (SELECT t.state FROM triage t WHERE t.ad_id = a.id) AS triage_state,
                 (SELECT sc.indicators FROM scores sc WHERE sc.ad_id = a.id ORDER BY sc.id DESC LIMIT 1)
                     AS indicators,
                 CASE WHEN a.cluster_id IS NULL THEN 1
                      ELSE (SELECT COUNT(*) FROM ads c WHERE c.cluster_id = a.cluster_id) END AS cluster_size,
                 CASE WHEN {JOB_ESCORT_FLAG} THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS job_escort
             FROM ads a JOIN sites s ON s.id = a.site_id
             JOIN ad_versions v ON v.ad_id = a.id AND v.version = a.version
             {wher} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ),
        binds,
    )
}

/// The ids of the indicators in a stored indicator JSON array.
fn indicator_ids(json: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    serde_json::from_str::<Vec<Id>>(json).map(|v| v.into_iter().map(|i| i.id).collect()).unwrap_or_default()
}

impl Store {
    /// Every ad's site id and last sighting, by ad id (for building index documents in bulk).
    pub async fn ad_meta(&self) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        self.ad_meta_where("").await
    }

    /// [`Store::ad_meta`] of the ads `ids` only.
    pub async fn ad_meta_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for list in crate::relink::id_chunks(ids) {
            out.extend(self.ad_meta_where(&format!("WHERE id IN ({list})")).await?);
        }
        Ok(out)
    }

    async fn ad_meta_where(&self, filter: &str) -> Result<std::collections::HashMap<i64, (i64, i64)>> {
        let rows =
            sqlx::query(&format!("SELECT id, site_id, last_seen FROM ads {filter}")).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, (r.try_get("site_id")?, r.try_get("last_seen")?)))).collect()
    }
}
