//! Ads that visitors of the public check page chose to share with the operator. Kept in their own
//! table, apart from the audit log: anonymous visitors write here, and must not be able to fill the
//! record of what dashboard users do. Nothing identifies the visitor.

use sqlx::Row;

use crate::{Result, Store, now_ms};

/// One shared check, as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SharedCheck {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// When, ms since the epoch.
    pub at: i64,
    /// The page language the visitor used.
    pub ui_language: String,
    /// The URL the ad was fetched from, if it was.
    pub url: Option<String>,
    /// The verdict (`likely_legitimate`, `suspicious`, `likely_fraudulent`).
    pub verdict: String,
    /// Risk 0–100.
    pub risk: i64,
    /// Indicator ids that fired.
    pub indicators: Vec<String>,
    /// SHA-256 of the text checked.
    pub sha256: String,
    /// The text checked.
    pub text: String,
}

impl Store {
    /// Stores a shared check; returns its id.
    pub async fn share_check(&self, c: &SharedCheck) -> Result<i64> {
        let indicators = serde_json::to_string(&c.indicators).unwrap_or_else(|_| "[]".into());
        let row = sqlx::query(
            "INSERT INTO shared_checks (at, ui_language, url, verdict, risk, indicators, sha256, text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(now_ms())
        .bind(&c.ui_language)
        .bind(c.url.as_deref())
        .bind(&c.verdict)
        .bind(c.risk)
        .bind(indicators)
        .bind(&c.sha256)
        .bind(&c.text)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// The newest shared checks, newest first.
    pub async fn shared_checks(&self, limit: i64, offset: i64) -> Result<Vec<SharedCheck>> {
        let rows = sqlx::query(
            "SELECT id, at, ui_language, url, verdict, risk, indicators, sha256, text FROM shared_checks
             ORDER BY id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let indicators: String = r.try_get("indicators")?;
                Ok(SharedCheck {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    ui_language: r.try_get("ui_language")?,
                    url: r.try_get("url")?,
                    verdict: r.try_get("verdict")?,
                    risk: r.try_get("risk")?,
                    indicators: serde_json::from_str(&indicators).unwrap_or_default(),
                    sha256: r.try_get("sha256")?,
                    text: r.try_get("text")?,
                })
            })
            .collect()
    }
}
