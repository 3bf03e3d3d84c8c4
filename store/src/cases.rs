//! Case files: leads (ads) grouped for hand-over, with a name, an assignee, a state, append-only notes
//! and a legal-hold flag. Every change is written to the audit log in the same transaction, under the
//! target `case:<id>`.

use std::collections::HashMap;

use sqlx::Row;

use crate::{AuditEntry, Conn, Error, Result, Store, audit, now_ms};

/// Where a case is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Being built.
    #[default]
    Open,
    /// Handed to someone for review before it goes out.
    InReview,
    /// Done (handed over or dropped).
    Closed,
}

impl CaseState {
    /// Every state, in workflow order.
    pub const ALL: [CaseState; 3] = [CaseState::Open, CaseState::InReview, CaseState::Closed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::InReview => "in_review",
            CaseState::Closed => "closed",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::InReview => "in review",
            CaseState::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A case.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Case {
    /// Case id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its state.
    pub state: CaseState,
    /// The dashboard user responsible for it.
    pub assignee: Option<String>,
    /// Whether its ads are kept from deletion (on request or by retention).
    pub legal_hold: bool,
    /// Who created it.
    pub created_by: String,
    /// When, ms since the epoch.
    pub created_at: i64,
    /// Last change, ms since the epoch.
    pub updated_at: i64,
    /// How many ads it holds.
    pub ad_count: i64,
}

/// One ad of a case.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseAd {
    /// The ad.
    pub ad_id: i64,
    /// Who added it.
    pub added_by: String,
    /// When, ms since the epoch.
    pub added_at: i64,
}

/// One note of a case (notes are never changed or deleted).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseNote {
    /// Note id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// When, ms since the epoch.
    pub at: i64,
    /// The text.
    pub body: String,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases in this state.
    pub state: Option<CaseState>,
    /// Only cases assigned to this user.
    pub assignee: Option<String>,
}

/// The longest case name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest note, in characters.
pub const MAX_NOTE: usize = 8000;

const CASE_SELECT: &str = "SELECT c.id, c.name, c.state, c.assignee, c.legal_hold, c.created_by, c.created_at,
        c.updated_at, (SELECT COUNT(*) FROM case_ads x WHERE x.case_id = c.id) AS ad_count
    FROM cases c";

fn case_from_row(r: &sqlx::any::AnyRow) -> Result<Case> {
    let id: i64 = r.try_get("id")?;
    let state: String = r.try_get("state")?;
    Ok(Case {
        id,
        name: r.try_get("name")?,
        state: CaseState::parse(&state).ok_or_else(|| Error::Corrupt {
            what: "case",
            id: id.to_string(),
            reason: format!("unknown state {state:?}"),
        })?,
        assignee: r.try_get("assignee")?,
        legal_hold: r.try_get::<i64, _>("legal_hold")? != 0,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        ad_count: r.try_get("ad_count")?,
    })
}

fn clean(s: &str, max: usize, what: &'static str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::Invalid { what, reason: "it is empty".into() });
    }
    if s.chars().count() > max {
        return Err(Error::Invalid { what, reason: format!("it is longer than {max} characters") });
    }
    Ok(s.to_string())
}

async fn check_assignee(conn: &mut Conn, assignee: Option<&str>) -> Result<()> {
    if let Some(a) = assignee {
        let found = sqlx::query("SELECT id FROM users WHERE username = $1 AND disabled = 0")
            .bind(a)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(Error::Invalid { what: "assignee", reason: format!("no active user {a:?}") });
        }
    }
    Ok(())
}

async fn touch(conn: &mut Conn, case_id: i64) -> Result<Case> {
    let n = sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(case_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::not_found("case", case_id));
    }
    get(conn, case_id).await
}

fn target(case_id: i64) -> String {
    format!("case:{case_id}")
}

/// One case.
pub async fn get(conn: &mut Conn, case_id: i64) -> Result<Case> {
    let row = sqlx::query(&format!("{CASE_SELECT} WHERE c.id = $1"))
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("case", case_id))?;
    case_from_row(&row)
}

/// Creates an open case; returns its id. Audited as `case.create`.
pub async fn create(conn: &mut Conn, name: &str, assignee: Option<&str>, actor: &str) -> Result<i64> {
    let name = clean(name, MAX_NAME, "case name")?;
    check_assignee(conn, assignee).await?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO cases (name, state, assignee, legal_hold, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, 0, $4, $5, $5) RETURNING id",
    )
    .bind(&name)
    .bind(CaseState::Open.as_str())
    .bind(assignee)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let detail = serde_json::json!({ "name": name, "assignee": assignee }).to_string();
    audit::record(conn, actor, "case.create", Some(&target(id)), Some(&detail)).await?;
    Ok(id)
}

/// Changes a case's state. Audited as `case.state`.
pub async fn set_state(conn: &mut Conn, case_id: i64, state: CaseState, actor: &str) -> Result<()> {
    let before = get(conn, case_id).await?;
    sqlx::query("UPDATE cases SET state = $1 WHERE id = $2")
        .bind(state.as_str())
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    touch(conn, case_id).await?;
    let detail = serde_json::json!({ "from": before.state.as_str(), "to": state.as_str() }).to_string();
    audit::record(conn, actor, "case.state", Some(&target(case_id)), Some(&detail)).await
}

/// Changes a case's assignee (`None`: nobody); the assignee must be an active user. Audited as
/// `case.assign`.
pub async fn set_assignee(conn: &mut Conn, case_id: i64, assignee: Option<&str>, actor: &str) -> Result<()> {
    let before = get(conn, case_id).await?;
    check_assignee(conn, assignee).await?;
    sqlx::query("UPDATE cases SET assignee = $1 WHERE id = $2")
        .bind(assignee)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    touch(conn, case_id).await?;
    let detail = serde_json::json!({ "from": before.assignee, "to": assignee }).to_string();
    audit::record(conn, actor, "case.assign", Some(&target(case_id)), Some(&detail)).await
}

/// Places a case on legal hold or lifts it. Audited as `case.hold` or `case.release`.
pub async fn set_legal_hold(conn: &mut Conn, case_id: i64, hold: bool, actor: &str) -> Result<()> {
    get(conn, case_id).await?;
    sqlx::query("UPDATE cases SET legal_hold = $1 WHERE id = $2")
        .bind(i64::from(hold))
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    touch(conn, case_id).await?;
    let action = if hold { "case.hold" } else { "case.release" };
    audit::record(conn, actor, action, Some(&target(case_id)), None).await
}

/// Adds an ad to a case (adding it twice changes nothing). Audited as `case.ad_add`.
pub async fn add_ad(conn: &mut Conn, case_id: i64, ad_id: i64, actor: &str) -> Result<bool> {
    get(conn, case_id).await?;
    let exists = sqlx::query("SELECT id FROM ads WHERE id = $1").bind(ad_id).fetch_optional(&mut *conn).await?;
    if exists.is_none() {
        return Err(Error::not_found("ad", ad_id));
    }
    let added = sqlx::query(
        "INSERT INTO case_ads (case_id, ad_id, added_by, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id, ad_id) DO NOTHING",
    )
    .bind(case_id)
    .bind(ad_id)
    .bind(actor)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if added {
        touch(conn, case_id).await?;
        let detail = serde_json::json!({ "ad": ad_id }).to_string();
        audit::record(conn, actor, "case.ad_add", Some(&target(case_id)), Some(&detail)).await?;
    }
    Ok(added)
}

/// Removes an ad from a case. Refused while the case is on legal hold (lift the hold first, which is
/// audited). Audited as `case.ad_remove`.
pub async fn remove_ad(conn: &mut Conn, case_id: i64, ad_id: i64, actor: &str) -> Result<bool> {
    let case = get(conn, case_id).await?;
    if case.legal_hold {
        return Err(Error::Invalid {
            what: "removal",
            reason: format!("case {case_id} is on legal hold; lift the hold before removing ads"),
        });
    }
    let removed = sqlx::query("DELETE FROM case_ads WHERE case_id = $1 AND ad_id = $2")
        .bind(case_id)
        .bind(ad_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0;
    if removed {
        touch(conn, case_id).await?;
        let detail = serde_json::json!({ "ad": ad_id }).to_string();
        audit::record(conn, actor, "case.ad_remove", Some(&target(case_id)), Some(&detail)).await?;
    }
    Ok(removed)
}

/// Appends a note to a case. Audited as `case.note` (the audit entry holds the note's id, not its text).
pub async fn add_note(conn: &mut Conn, case_id: i64, body: &str, actor: &str) -> Result<i64> {
    get(conn, case_id).await?;
    let body = clean(body, MAX_NOTE, "note")?;
    let id: i64 =
        sqlx::query("INSERT INTO case_notes (case_id, author, at, body) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(case_id)
            .bind(actor)
            .bind(now_ms())
            .bind(&body)
            .fetch_one(&mut *conn)
            .await?
            .try_get("id")?;
    touch(conn, case_id).await?;
    let detail = serde_json::json!({ "note": id }).to_string();
    audit::record(conn, actor, "case.note", Some(&target(case_id)), Some(&detail)).await?;
    Ok(id)
}

/// The ads of the given ids that belong to a case on legal hold, each with those cases `(id, name)`.
pub async fn held(conn: &mut Conn, ad_ids: &[i64]) -> Result<HashMap<i64, Vec<(i64, String)>>> {
    let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for chunk in ad_ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(&format!(
            "SELECT x.ad_id, c.id, c.name FROM case_ads x JOIN cases c ON c.id = x.case_id
             WHERE c.legal_hold = 1 AND x.ad_id IN ({list}) ORDER BY x.ad_id, c.id"
        ))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            out.entry(r.try_get("ad_id")?).or_default().push((r.try_get("id")?, r.try_get("name")?));
        }
    }
    Ok(out)
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        detail: r.try_get("detail")?,
    })
}

impl Store {
    /// Creates a case (see [`create`]).
    pub async fn create_case(&self, name: &str, assignee: Option<&str>, actor: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = create(&mut tx, name, assignee, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One case.
    pub async fn case(&self, case_id: i64) -> Result<Case> {
        get(&mut *self.conn().await?, case_id).await
    }

    /// Cases, most recently changed first.
    pub async fn cases(&self, f: &CaseFilter) -> Result<Vec<Case>> {
        let rows = sqlx::query(&format!(
            "{CASE_SELECT} WHERE ($1 = '' OR c.state = $1) AND ($2 = '' OR c.assignee = $2)
             ORDER BY c.updated_at DESC, c.id DESC"
        ))
        .bind(f.state.map(CaseState::as_str).unwrap_or(""))
        .bind(f.assignee.as_deref().unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_from_row).collect()
    }

    /// The cases an ad belongs to.
    pub async fn cases_of_ad(&self, ad_id: i64) -> Result<Vec<Case>> {
        let rows = sqlx::query(&format!(
            "{CASE_SELECT} WHERE c.id IN (SELECT case_id FROM case_ads WHERE ad_id = $1) ORDER BY c.id"
        ))
        .bind(ad_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_from_row).collect()
    }

    /// A case's ads, in the order they were added.
    pub async fn case_ads(&self, case_id: i64) -> Result<Vec<CaseAd>> {
        let rows =
            sqlx::query("SELECT ad_id, added_by, added_at FROM case_ads WHERE case_id = $1 ORDER BY added_at, ad_id")
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(CaseAd {
                    ad_id: r.try_get("ad_id")?,
                    added_by: r.try_get("added_by")?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect()
    }

    /// A case's notes, oldest first.
    pub async fn case_notes(&self, case_id: i64) -> Result<Vec<CaseNote>> {
        let rows = sqlx::query("SELECT id, author, at, body FROM case_notes WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CaseNote {
                    id: r.try_get("id")?,
                    author: r.try_get("author")?,
                    at: r.try_get("at")?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    }

    /// Every audit entry whose target is one of `targets` (`ad:42`, `case:7`), oldest first.
    pub async fn audit_for(&self, targets: &[String]) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for chunk in targets.chunks(200) {
            let placeholders = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT id, at, actor, action, target, detail FROM audit_log WHERE target IN ({placeholders}) ORDER BY id"
            );
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q.bind(t);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(entry_from_row(&r)?);
            }
        }
        out.sort_by_key(|e| e.id);
        Ok(out)
    }

    /// Changes a case's state (see [`set_state`]).
    pub async fn set_case_state(&self, case_id: i64, state: CaseState, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        set_state(&mut tx, case_id, state, actor).await?;
        Ok(tx.commit().await?)
    }

    /// Changes a case's assignee (see [`set_assignee`]).
    pub async fn set_case_assignee(&self, case_id: i64, assignee: Option<&str>, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        set_assignee(&mut tx, case_id, assignee, actor).await?;
        Ok(tx.commit().await?)
    }

    /// Places a case on legal hold or lifts it (see [`set_legal_hold`]).
    pub async fn set_case_hold(&self, case_id: i64, hold: bool, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        set_legal_hold(&mut tx, case_id, hold, actor).await?;
        Ok(tx.commit().await?)
    }

    /// Adds an ad to a case (see [`add_ad`]).
    pub async fn add_case_ad(&self, case_id: i64, ad_id: i64, actor: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let added = add_ad(&mut tx, case_id, ad_id, actor).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Removes an ad from a case (see [`remove_ad`]).
    pub async fn remove_case_ad(&self, case_id: i64, ad_id: i64, actor: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let removed = remove_ad(&mut tx, case_id, ad_id, actor).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Appends a note to a case (see [`add_note`]).
    pub async fn add_case_note(&self, case_id: i64, body: &str, actor: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = add_note(&mut tx, case_id, body, actor).await?;
        tx.commit().await?;
        Ok(id)
    }
}
