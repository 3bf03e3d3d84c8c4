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

/// What a user may do. The investigators' roles form a ladder (each can do what the ones below it can);
/// `Ngo` stands apart: NGO staff running decoy ads see the bot's counters and nothing of the
/// investigators' leads, ads, searches, networks or cases. Roles are deliberately not ordered; ask
/// [`Role::allows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read leads, ads and networks.
    Viewer,
    /// Also triage leads and export.
    Analyst,
    /// Also manage users, read the audit log and the NGO counters.
    Admin,
    /// NGO staff: the deterrence bot's daily counters only.
    Ngo,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
            Role::Ngo => "ngo",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            "ngo" => Some(Role::Ngo),
            _ => None,
        }
    }

    /// Whether this role may do what `needed` may: an admin anything, an analyst what a viewer may,
    /// NGO staff only what the NGO role may (and no investigator's role reaches the NGO pages but admin).
    pub fn allows(self, needed: Role) -> bool {
        matches!(
            (self, needed),
            (Role::Admin, _)
                | (Role::Analyst, Role::Viewer | Role::Analyst)
                | (Role::Viewer, Role::Viewer)
                | (Role::Ngo, Role::Ngo)
        )
    }

    /// Whether this is one of the investigators' roles (viewer, analyst, admin).
    pub fn is_investigator(self) -> bool {
        self.allows(Role::Viewer)
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

/// How stale a session's last-use mark may get before a request renews it, in ms.
const SESSION_TOUCH_MS: i64 = 60_000;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Passwords found at the top of breached-password lists, lowercase, one a line.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Refuses passwords shorter than [`MIN_PASSWORD_CHARS`], ones on the bundled list of the most common
/// breached passwords (compared without case), one repeated character, and ones containing the username.
pub fn check_password(username: &str, password: &str) -> Result<()> {
    let refuse = |reason: &str| Err(Error::Invalid { what: "password", reason: reason.into() });
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return refuse("at least 12 characters");
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.lines().map(str::trim).any(|c| !c.is_empty() && c == lower) {
        return refuse("this password is on a list of breached passwords; choose another");
    }
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return refuse("one character repeated is not a password");
    }
    if username.chars().count() >= 3 && lower.contains(&username.to_lowercase()) {
        return refuse("the password must not contain the username");
    }
    Ok(())
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
    ///
    /// A reset ends every session of the user (whoever knew the old password is logged out) and never
    /// changes whether the user is disabled: [`Store::set_user_disabled`] does that, on purpose. Each
    /// change is its own audit entry: `user.create`, `user.password_reset`, `user.role_change`.
    pub async fn upsert_user(&self, username: &str, password: &str, role: Role, actor: &str) -> Result<User> {
        let username = username.trim();
        if username.is_empty() || username.len() > 64 || username.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(Error::Invalid { what: "username", reason: "1–64 characters, no spaces".into() });
        }
        check_password(username, password)?;
        let pw = password.to_string();
        // Argon2 takes tens of milliseconds of CPU on purpose: keep it off the async workers.
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| Error::Invalid { what: "password", reason: e.to_string() })??;
        let target = format!("user:{username}");
        let mut tx = self.begin().await?;
        let existing = sqlx::query("SELECT id, username, role, disabled FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        let user = match existing {
            None => {
                let row = sqlx::query(
                    "INSERT INTO users (username, password_hash, role, disabled, created_at) VALUES ($1, $2, $3, 0, $4)
                     RETURNING id, username, role, disabled",
                )
                .bind(username)
                .bind(hash)
                .bind(role.as_str())
                .bind(now_ms())
                .fetch_one(&mut *tx)
                .await?;
                audit::record(&mut tx, actor, "user.create", Some(&target), Some(role.as_str())).await?;
                user_from_row(&row)?
            }
            Some(row) => {
                let old = user_from_row(&row)?;
                sqlx::query("UPDATE users SET password_hash = $1, role = $2 WHERE id = $3")
                    .bind(hash)
                    .bind(role.as_str())
                    .bind(old.id)
                    .execute(&mut *tx)
                    .await?;
                let ended =
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(old.id).execute(&mut *tx).await?;
                let detail = format!("{} sessions ended", ended.rows_affected());
                audit::record(&mut tx, actor, "user.password_reset", Some(&target), Some(&detail)).await?;
                if old.role != role {
                    let detail = format!("{} → {}", old.role.as_str(), role.as_str());
                    audit::record(&mut tx, actor, "user.role_change", Some(&target), Some(&detail)).await?;
                }
                User { role, ..old }
            }
        };
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
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(user.id)
        .bind(now)
        .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, &user.username, "login.ok", None, None).await?;
        tx.commit().await?;
        Ok(Some(Session { token, user, expires_at }))
    }

    /// The user of a live session token, if any (no idle limit; see [`Store::session_user_within`]).
    pub async fn session_user(&self, token: &str) -> Result<Option<User>> {
        self.session_user_within(token, None).await
    }

    /// The user of a live session token that was used within the last `idle_ms` (when given), if any;
    /// marks the session used. The mark is written at most once a minute, so reads stay reads.
    pub async fn session_user_within(&self, token: &str, idle_ms: Option<i64>) -> Result<Option<User>> {
        let now = now_ms();
        let hash = sha256_hex(token.as_bytes());
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role, u.disabled, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0 AND s.last_seen_at > $3",
        )
        .bind(&hash)
        .bind(now)
        .bind(idle_ms.map_or(i64::MIN, |idle| now.saturating_sub(idle)))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_seen: i64 = row.try_get("last_seen_at")?;
        if now - last_seen >= SESSION_TOUCH_MS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(user_from_row(&row)?))
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
