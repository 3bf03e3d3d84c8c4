//! The audit log: an append-only record of who did what (logins, triage, exports, user changes).

use sqlx::Row;

use crate::{Conn, Result, Store, now_ms};

/// One audit entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    /// Entry id.
    pub id: i64,
    /// When, ms since the epoch.
    pub at: i64,
    /// Who (a username, or `system`/`cli:<user>`).
    pub actor: String,
    /// What, as `area.verb` (`login.ok`, `triage.set`, `export.jsonl`).
    pub action: String,
    /// On what (`ad:42`, `user:ana`).
    pub target: Option<String>,
    /// Details as JSON or text.
    pub detail: Option<String>,
}

/// Appends an entry.
pub async fn record(
    conn: &mut Conn,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now_ms())
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Appends an audit entry.
    pub async fn audit(&self, actor: &str, action: &str, target: Option<&str>, detail: Option<&str>) -> Result<()> {
        record(&mut *self.conn().await?, actor, action, target, detail).await
    }

    /// The newest audit entries, newest first.
    pub async fn audit_log(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
