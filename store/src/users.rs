//! Dashboard users, their roles, and login sessions.
//!
//! Passwords are stored as Argon2id hashes; session tokens are random 256-bit values of which only the
//! SHA-256 is stored, so a copy of the database does not let anyone log in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sqlx::Row;

use crate::pages::sha256_hex;
use crate::{Error, Result, Store, audit, now_ms};

/// What a user may do. Roles are ordered: each can do what the ones below it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read leads, ads and networks.
    Viewer,
    /// Also triage leads and export.
    Analyst,
    /// Also manage users and read the audit log.
    Admin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// User id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Disabled users cannot log in.
    pub disabled: bool,
}

/// A logged-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The token to hand to the browser (only its hash is stored).
    pub token: String,
    /// The user.
    pub user: User,
    /// Expiry, ms since the epoch.
    pub expires_at: i64,
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        role: Role::parse(&role).ok_or_else(|| Error::Corrupt {
            what: "user",
            id: role.clone(),
            reason: "unknown role".into(),
        })?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Invalid { what: "salt", reason: e.to_string() })?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Invalid { what: "password", reason: e.to_string() })
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A fresh random token, hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl Store {
    /// Creates a user, or resets the password and role of an existing one. `actor` is audited.
    pub async fn upsert_user(&self, username: &str, password: &str, role: Role, actor: &str) -> Result<User> {
        let username = username.trim();
        if username.is_empty() || username.len() > 64 || username.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(Error::Invalid { what: "username", reason: "1–64 characters, no spaces".into() });
        }
        if password.chars().count() < 8 {
            return Err(Error::Invalid { what: "password", reason: "at least 8 characters".into() });
        }
        let pw = password.to_string();
        // Argon2 takes tens of milliseconds of CPU on purpose: keep it off the async workers.
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| Error::Invalid { what: "password", reason: e.to_string() })??;
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (username, password_hash, role, disabled, created_at) VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
                 disabled = 0
             RETURNING id, username, role, disabled",
        )
        .bind(username)
        .bind(hash)
        .bind(role.as_str())
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let user = user_from_row(&row)?;
        audit::record(&mut tx, actor, "user.upsert", Some(&format!("user:{username}")), Some(role.as_str())).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Disables or re-enables a user; a disabled user's sessions stop working at once. Audited.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool, actor: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let r = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
            .bind(i64::from(disabled))
            .bind(username)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(Error::not_found("user", username));
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        audit::record(&mut tx, actor, action, Some(&format!("user:{username}")), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// All users, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT id, username, role, disabled FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Checks a login; on success opens a session lasting `ttl_ms`. Both outcomes are audited.
    pub async fn login(&self, username: &str, password: &str, ttl_ms: i64) -> Result<Option<Session>> {
        let row = sqlx::query("SELECT id, username, role, disabled, password_hash FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let (user, hash) = match &row {
            Some(r) => (Some(user_from_row(r)?), r.try_get::<String, _>("password_hash")?),
            // Verify against a dummy hash anyway so a missing user takes as long as a wrong password.
            None => (None, String::new()),
        };
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            if hash.is_empty() {
                let _ = hash_password(&pw);
                false
            } else {
                verify_password(&pw, &hash)
            }
        })
        .await
        .unwrap_or(false);
        let user = match user {
            Some(u) if ok && !u.disabled => u,
            _ => {
                self.audit(username, "login.failed", None, None).await?;
                return Ok(None);
            }
        };
        let token = random_token();
        let expires_at = now_ms() + ttl_ms;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(sha256_hex(token.as_bytes()))
            .bind(user.id)
            .bind(now_ms())
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, &user.username, "login.ok", None, None).await?;
        tx.commit().await?;
        Ok(Some(Session { token, user, expires_at }))
    }

    /// The user of a live session token, if any.
    pub async fn session_user(&self, token: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Ends a session (logout).
    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token.as_bytes()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_sessions(&self) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_ms())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
