//! Named leases between processes: one holder at a time, for a limited time, renewed while held.
//!
//! `redflag run` takes the `analysis` lease before it analyses, matches watches, writes the index or
//! delivers alerts, so several workers sharing one database never do that work twice at once. A holder
//! that dies stops renewing and the lease passes to another worker when it expires.

use sqlx::Row;

use crate::{Result, Store, now_ms};

/// The lease that guards analysis, alert matching, index writing and alert delivery.
pub const ANALYSIS: &str = "analysis";

impl Store {
    /// Takes or renews lease `name` for `holder` for `ttl_ms`; false when another holder has it and it has
    /// not expired.
    pub async fn try_lease(&self, name: &str, holder: &str, ttl_ms: i64) -> Result<bool> {
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO worker_leases (name, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE worker_leases.holder = excluded.holder OR worker_leases.expires_at < $4
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => r.try_get::<String, _>("holder")? == holder,
            None => false,
        })
    }

    /// Gives lease `name` up if `holder` has it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM worker_leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Who holds lease `name` now, if anyone.
    pub async fn lease_holder(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT holder FROM worker_leases WHERE name = $1 AND expires_at >= $2")
            .bind(name)
            .bind(now_ms())
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("holder")?),
            None => None,
        })
    }
}
