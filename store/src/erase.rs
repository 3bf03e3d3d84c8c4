//! Deletion on request: everything stored about one ad, or about every ad that carries one contact
//! (phone number, e-mail address or messenger handle): the ads, their versions and URLs, the evidence
//! pages and pictures only they reference, entities, scores, links, triage and case memberships. Ads in a case on
//! legal hold are kept, and the plan says which case keeps each.
//!
//! [`plan`] only reads (the dry run); [`execute`] plans and deletes in the caller's transaction and
//! audits the request as `erase.request` (a dry run as `erase.dry_run`). The audit entry names the ad,
//! or for a contact only its kind and SHA-256, so the log proves the request was honoured without
//! keeping the contact it asked to forget. The search index is derived data: the caller removes the
//! deleted ids from it ([`ErasurePlan::ads`]).

use sqlx::Row;

use crate::{Conn, Error, Result, Store, audit, cases, pages::sha256_hex};

/// What a deletion request names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Subject {
    /// One ad, by id.
    Ad(i64),
    /// Every ad carrying this phone number (any written form; `+` and digits are compared).
    Phone(String),
    /// Every ad carrying this e-mail address (case-insensitive).
    Email(String),
    /// Every ad carrying this handle: `service:name`, or `name` for any service (`@` ignored).
    Handle(String),
}

impl Subject {
    /// The subject for messages: the ad id, or the contact as given.
    pub fn describe(&self) -> String {
        match self {
            Subject::Ad(id) => format!("ad {id}"),
            Subject::Phone(p) => format!("phone {p}"),
            Subject::Email(e) => format!("e-mail {e}"),
            Subject::Handle(h) => format!("handle {h}"),
        }
    }

    /// The audit target: `ad:<id>`, or `contact:<kind>` (the value itself is not logged).
    fn audit_target(&self) -> String {
        match self {
            Subject::Ad(id) => format!("ad:{id}"),
            Subject::Phone(_) => "contact:phone".into(),
            Subject::Email(_) => "contact:email".into(),
            Subject::Handle(_) => "contact:handle".into(),
        }
    }

    /// The SHA-256 of the normalised contact, for the audit log.
    fn contact_hash(&self) -> Option<String> {
        match self {
            Subject::Ad(_) => None,
            Subject::Phone(p) => Some(sha256_hex(phone_digits(p).as_bytes())),
            Subject::Email(e) => Some(sha256_hex(e.trim().to_lowercase().as_bytes())),
            Subject::Handle(h) => Some(sha256_hex(handle_norm(h).as_bytes())),
        }
    }
}

fn phone_digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

fn handle_norm(h: &str) -> String {
    h.trim().to_lowercase().replace('@', "")
}

/// An ad the request named that is kept, and the held cases that keep it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KeptAd {
    /// The ad.
    pub ad_id: i64,
    /// The cases on legal hold that hold it, `(id, name)`.
    pub cases: Vec<(i64, String)>,
}

/// What a deletion request removes (or, for a dry run, would remove), and what it keeps and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ErasurePlan {
    /// The request.
    pub subject: Subject,
    /// Ads deleted, with everything hanging off them.
    pub ads: Vec<i64>,
    /// Ads kept because a case on legal hold holds them.
    pub kept: Vec<KeptAd>,
    /// Evidence pages deleted: fetches of the deleted ads that no kept ad's version references.
    pub pages: Vec<i64>,
    /// Pictures deleted: pictures the deleted ads showed that no kept ad's version shows.
    pub images: Vec<i64>,
    /// Ad versions deleted.
    pub versions: i64,
    /// Entities deleted.
    pub entities: i64,
    /// Scores deleted.
    pub scores: i64,
    /// Links deleted.
    pub links: i64,
    /// Case memberships removed (cases not on legal hold that listed a deleted ad).
    pub case_entries: i64,
}

impl ErasurePlan {
    /// Whether the request matched nothing stored.
    pub fn is_empty(&self) -> bool {
        self.ads.is_empty() && self.kept.is_empty()
    }
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The ads a request names.
async fn matching_ads(conn: &mut Conn, subject: &Subject) -> Result<Vec<i64>> {
    let (sql, binds): (&str, Vec<String>) = match subject {
        Subject::Ad(id) => {
            let found = sqlx::query("SELECT id FROM ads WHERE id = $1").bind(*id).fetch_optional(&mut *conn).await?;
            return Ok(found.map(|_| vec![*id]).unwrap_or_default());
        }
        Subject::Phone(p) => {
            let digits = phone_digits(p);
            if digits.len() < 5 {
                return Err(Error::Invalid { what: "phone number", reason: format!("{p:?} has fewer than 5 digits") });
            }
            // Stored phones are E.164 (`+17025550148`); a number given without its country code matches
            // by its national digits. Messenger handles on a number (`whatsapp:+1…`) go with it.
            (
                "SELECT DISTINCT ad_id FROM entities WHERE (kind = 'phone' AND (value = $1 OR value LIKE $2))
                    OR (kind = 'handle' AND (value LIKE $3 OR value LIKE $4)) ORDER BY ad_id",
                vec![format!("+{digits}"), format!("+%{digits}"), format!("%:+{digits}"), format!("%:+%{digits}")],
            )
        }
        Subject::Email(e) => {
            let e = e.trim().to_lowercase();
            if !e.contains('@') {
                return Err(Error::Invalid { what: "e-mail address", reason: format!("{e:?} has no @") });
            }
            ("SELECT DISTINCT ad_id FROM entities WHERE kind = 'email' AND LOWER(value) = $1 ORDER BY ad_id", vec![e])
        }
        Subject::Handle(h) => {
            let h = handle_norm(h);
            if h.is_empty() || h.ends_with(':') {
                return Err(Error::Invalid { what: "handle", reason: "it is empty".into() });
            }
            // `_` is common in handles and a LIKE wildcard: escape it, so one name never matches another.
            let escaped = h.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let any_service = if h.contains(':') { escaped } else { format!("%:{escaped}") };
            (
                "SELECT DISTINCT ad_id FROM entities WHERE kind = 'handle' AND (value = $1 OR value LIKE $2 ESCAPE '\\')
                 ORDER BY ad_id",
                vec![h, any_service],
            )
        }
    };
    let mut q = sqlx::query(sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(&mut *conn).await?.iter().map(|r| Ok(r.try_get::<i64, _>("ad_id")?)).collect()
}

async fn count(conn: &mut Conn, sql: &str) -> Result<i64> {
    Ok(sqlx::query(sql).fetch_one(&mut *conn).await?.try_get("n")?)
}

/// What a request would delete and keep. Reads only.
pub async fn plan(conn: &mut Conn, subject: &Subject) -> Result<ErasurePlan> {
    let matched = matching_ads(conn, subject).await?;
    let held = cases::held(conn, &matched).await?;
    let mut ads = Vec::new();
    let mut kept = Vec::new();
    for id in matched {
        match held.get(&id) {
            Some(c) => kept.push(KeptAd { ad_id: id, cases: c.clone() }),
            None => ads.push(id),
        }
    }
    let mut plan = ErasurePlan {
        subject: subject.clone(),
        ads,
        kept,
        pages: Vec::new(),
        images: Vec::new(),
        versions: 0,
        entities: 0,
        scores: 0,
        links: 0,
        case_entries: 0,
    };
    if plan.ads.is_empty() {
        return Ok(plan);
    }
    let d = id_list(&plan.ads);
    // The ad's fetches: the pages its versions point at, and every stored fetch of its URLs (a refetch
    // with unchanged content is stored as a page but makes no version); minus pages an ad that stays
    // still points at.
    let rows = sqlx::query(&format!(
        "SELECT id FROM pages p WHERE (p.id IN (SELECT page_id FROM ad_versions WHERE ad_id IN ({d}))
             OR EXISTS (SELECT 1 FROM ad_urls u WHERE u.site_id = p.site_id AND u.url = p.url AND u.ad_id IN ({d})))
           AND p.id NOT IN (SELECT page_id FROM ad_versions WHERE page_id IS NOT NULL AND ad_id NOT IN ({d}))
         ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    plan.pages = rows.iter().map(|r| r.try_get::<i64, _>("id")).collect::<Result<_, _>>()?;
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT ai.image_id AS id FROM ad_images ai JOIN ad_versions v ON v.id = ai.ad_version_id
         WHERE v.ad_id IN ({d}) AND ai.image_id IS NOT NULL
           AND ai.image_id NOT IN (SELECT k.image_id FROM ad_images k JOIN ad_versions kv ON kv.id = k.ad_version_id
                                   WHERE kv.ad_id NOT IN ({d}) AND k.image_id IS NOT NULL)
         ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    plan.images = rows.iter().map(|r| r.try_get::<i64, _>("id")).collect::<Result<_, _>>()?;
    plan.versions = count(conn, &format!("SELECT COUNT(*) AS n FROM ad_versions WHERE ad_id IN ({d})")).await?;
    plan.entities = count(conn, &format!("SELECT COUNT(*) AS n FROM entities WHERE ad_id IN ({d})")).await?;
    plan.scores = count(conn, &format!("SELECT COUNT(*) AS n FROM scores WHERE ad_id IN ({d})")).await?;
    plan.links = count(conn, &format!("SELECT COUNT(*) AS n FROM links WHERE ad_a IN ({d}) OR ad_b IN ({d})")).await?;
    plan.case_entries = count(conn, &format!("SELECT COUNT(*) AS n FROM case_ads WHERE ad_id IN ({d})")).await?;
    Ok(plan)
}

fn audit_detail(plan: &ErasurePlan) -> String {
    serde_json::json!({
        "contact_sha256": plan.subject.contact_hash(),
        "ads": plan.ads,
        "kept": plan.kept.iter().map(|k| serde_json::json!({
            "ad": k.ad_id, "cases": k.cases.iter().map(|c| c.0).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "pages": plan.pages.len(),
        "images": plan.images.len(),
        "versions": plan.versions,
    })
    .to_string()
}

/// Deletes what [`plan`] lists, in the caller's transaction, and audits the request.
pub async fn execute(conn: &mut Conn, subject: &Subject, actor: &str) -> Result<ErasurePlan> {
    let plan = plan(conn, subject).await?;
    if !plan.ads.is_empty() {
        let d = id_list(&plan.ads);
        for sql in [
            format!("DELETE FROM case_ads WHERE ad_id IN ({d})"),
            format!("DELETE FROM entities WHERE ad_id IN ({d})"),
            format!("DELETE FROM scores WHERE ad_id IN ({d})"),
            format!("DELETE FROM ad_indicators WHERE ad_id IN ({d})"),
            format!("DELETE FROM ad_link_keys WHERE ad_id IN ({d})"),
            format!("DELETE FROM ad_link_keys_recent WHERE ad_id IN ({d})"),
            format!("DELETE FROM links WHERE ad_a IN ({d}) OR ad_b IN ({d})"),
            format!("DELETE FROM triage WHERE ad_id IN ({d})"),
            format!("DELETE FROM ad_urls WHERE ad_id IN ({d})"),
            // Picture URLs that failed for these ads alone (the URL is all they hold), then the pictures'
            // places in the versions.
            format!(
                "DELETE FROM image_urls WHERE image_id IS NULL
                   AND url IN (SELECT ai.url FROM ad_images ai JOIN ad_versions v ON v.id = ai.ad_version_id
                               WHERE v.ad_id IN ({d}))
                   AND url NOT IN (SELECT ai.url FROM ad_images ai JOIN ad_versions v ON v.id = ai.ad_version_id
                                   WHERE v.ad_id NOT IN ({d}))"
            ),
            format!("DELETE FROM ad_images WHERE ad_version_id IN (SELECT id FROM ad_versions WHERE ad_id IN ({d}))"),
            format!("DELETE FROM ad_versions WHERE ad_id IN ({d})"),
            format!("DELETE FROM ads WHERE id IN ({d})"),
        ] {
            sqlx::query(&sql).execute(&mut *conn).await?;
        }
        for chunk in plan.images.chunks(500) {
            let i = id_list(chunk);
            sqlx::query(&format!("DELETE FROM image_urls WHERE image_id IN ({i})")).execute(&mut *conn).await?;
            sqlx::query(&format!("DELETE FROM images WHERE id IN ({i})")).execute(&mut *conn).await?;
        }
        for chunk in plan.pages.chunks(500) {
            let p = id_list(chunk);
            sqlx::query(&format!("UPDATE frontier SET page_id = NULL WHERE page_id IN ({p})"))
                .execute(&mut *conn)
                .await?;
            sqlx::query(&format!("DELETE FROM pages WHERE id IN ({p})")).execute(&mut *conn).await?;
        }
    }
    audit::record(conn, actor, "erase.request", Some(&subject.audit_target()), Some(&audit_detail(&plan))).await?;
    Ok(plan)
}

impl Store {
    /// The dry run of a deletion request: what would go and what would be kept. Audited as
    /// `erase.dry_run` (it shows what is stored about a contact).
    pub async fn erase_plan(&self, subject: &Subject, actor: &str) -> Result<ErasurePlan> {
        let mut tx = self.begin().await?;
        let p = plan(&mut tx, subject).await?;
        audit::record(&mut tx, actor, "erase.dry_run", Some(&subject.audit_target()), Some(&audit_detail(&p))).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Carries out a deletion request in one transaction (see [`execute`]).
    pub async fn erase(&self, subject: &Subject, actor: &str) -> Result<ErasurePlan> {
        let mut tx = self.begin().await?;
        let p = execute(&mut tx, subject, actor).await?;
        tx.commit().await?;
        Ok(p)
    }
}
