//! Investigators' triage of leads: each ad's review state, assignee and note, every change audited.

use sqlx::Row;

use crate::{Conn, Error, Result, Store, audit, now_ms};

/// Where a lead is in review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriageState {
    /// Not looked at yet.
    #[default]
    New,
    /// Someone is looking at it.
    Reviewing,
    /// Passed on for action (case opened, referral made).
    Escalated,
    /// Looked at and set aside.
    Dismissed,
}

impl TriageState {
    /// Every state, in workflow order.
    pub const ALL: [TriageState; 4] =
        [TriageState::New, TriageState::Reviewing, TriageState::Escalated, TriageState::Dismissed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TriageState::New => "new",
            TriageState::Reviewing => "reviewing",
            TriageState::Escalated => "escalated",
            TriageState::Dismissed => "dismissed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<TriageState> {
        TriageState::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// An ad's triage record.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageRow {
    /// Ad id.
    pub ad_id: i64,
    /// State.
    pub state: TriageState,
    /// Who is on it.
    pub assignee: Option<String>,
    /// The investigator's note.
    pub note: Option<String>,
    /// Who changed it last.
    pub updated_by: String,
    /// When.
    pub updated_at: i64,
}

/// Sets an ad's triage state, assignee and note, and records the change in the audit log.
pub async fn set(
    conn: &mut Conn,
    ad_id: i64,
    state: TriageState,
    assignee: Option<&str>,
    note: Option<&str>,
    actor: &str,
) -> Result<()> {
    let exists = sqlx::query("SELECT id FROM ads WHERE id = $1").bind(ad_id).fetch_optional(&mut *conn).await?;
    if exists.is_none() {
        return Err(Error::not_found("ad", ad_id));
    }
    sqlx::query(
        "INSERT INTO triage (ad_id, state, assignee, note, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (ad_id) DO UPDATE SET state = excluded.state, assignee = excluded.assignee,
             note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(ad_id)
    .bind(state.as_str())
    .bind(assignee)
    .bind(note)
    .bind(actor)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({ "state": state.as_str(), "assignee": assignee, "note": note }).to_string();
    audit::record(conn, actor, "triage.set", Some(&format!("ad:{ad_id}")), Some(&detail)).await
}

/// Sets the triage state of several ads at once (the lead queue's bulk action), keeping each ad's note
/// and, unless `assignee` is given, its assignee (`Some(None)` clears it). Every ad's change is its own
/// audit entry, marked `bulk`. Fails, changing nothing, when an ad does not exist.
pub async fn set_many(
    conn: &mut Conn,
    ad_ids: &[i64],
    state: TriageState,
    assignee: Option<Option<&str>>,
    actor: &str,
) -> Result<()> {
    for &ad_id in ad_ids {
        let old = sqlx::query("SELECT assignee, note FROM triage WHERE ad_id = $1")
            .bind(ad_id)
            .fetch_optional(&mut *conn)
            .await?;
        let (old_assignee, note): (Option<String>, Option<String>) = match &old {
            Some(r) => (r.try_get("assignee")?, r.try_get("note")?),
            None => (None, None),
        };
        let who = match assignee {
            Some(a) => a.map(str::to_string),
            None => old_assignee,
        };
        let exists = sqlx::query("SELECT id FROM ads WHERE id = $1").bind(ad_id).fetch_optional(&mut *conn).await?;
        if exists.is_none() {
            return Err(Error::not_found("ad", ad_id));
        }
        sqlx::query(
            "INSERT INTO triage (ad_id, state, assignee, note, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (ad_id) DO UPDATE SET state = excluded.state, assignee = excluded.assignee,
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(ad_id)
        .bind(state.as_str())
        .bind(who.as_deref())
        .bind(note.as_deref())
        .bind(actor)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
        let detail = serde_json::json!({ "state": state.as_str(), "assignee": who, "bulk": true }).to_string();
        audit::record(conn, actor, "triage.set", Some(&format!("ad:{ad_id}")), Some(&detail)).await?;
    }
    Ok(())
}

impl Store {
    /// Sets several ads' triage state in one transaction (see [`set_many`]).
    pub async fn set_triage_many(
        &self,
        ad_ids: &[i64],
        state: TriageState,
        assignee: Option<Option<&str>>,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        set_many(&mut tx, ad_ids, state, assignee, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets an ad's triage (in one transaction with its audit entry).
    pub async fn set_triage(
        &self,
        ad_id: i64,
        state: TriageState,
        assignee: Option<&str>,
        note: Option<&str>,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        set(&mut tx, ad_id, state, assignee, note, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An ad's triage record; `None` when never triaged (state `new`).
    pub async fn triage(&self, ad_id: i64) -> Result<Option<TriageRow>> {
        let row =
            sqlx::query("SELECT ad_id, state, assignee, note, updated_by, updated_at FROM triage WHERE ad_id = $1")
                .bind(ad_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(r) = row else { return Ok(None) };
        let state: String = r.try_get("state")?;
        Ok(Some(TriageRow {
            ad_id: r.try_get("ad_id")?,
            state: TriageState::parse(&state).unwrap_or_default(),
            assignee: r.try_get("assignee")?,
            note: r.try_get("note")?,
            updated_by: r.try_get("updated_by")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }
}
