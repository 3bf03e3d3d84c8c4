//! Personal API tokens: created for a user (the secret is shown once; only its SHA-256 is stored), used
//! with the user's current role, revoked by the user or an admin. Creation and revocation are audited.
//!
//! A token works while it is not revoked, not expired, and its user is not disabled: disabling a user
//! stops their tokens at once, as it ends their sessions.

use sqlx::Row;

use crate::pages::sha256_hex;
use crate::users::{Role, User, random_token};
use crate::{Error, Result, Store, audit, now_ms};

/// The text every token secret starts with, so secret scanners and people can recognise one.
pub const TOKEN_PREFIX: &str = "rf_";

/// Characters of the secret kept in clear (with [`TOKEN_PREFIX`]) to tell tokens apart.
const SHOWN_CHARS: usize = 8;

/// How stale a token's last-use mark may get before a request renews it, in ms.
const TOUCH_MS: i64 = 60_000;

/// The longest token name.
pub const MAX_NAME_CHARS: usize = 64;

/// A stored API token (never its secret).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    /// Token id.
    pub id: i64,
    /// The owner's user id.
    pub user_id: i64,
    /// The owner's username.
    pub username: String,
    /// What the token is for, as its owner named it.
    pub name: String,
    /// The start of the secret (`rf_1a2b3c4d`), to tell tokens apart.
    pub prefix: String,
    /// Created, ms since the epoch.
    pub created_at: i64,
    /// Last used (to within a minute), ms since the epoch.
    pub last_used_at: Option<i64>,
    /// When it stops working, ms since the epoch; `None`: never.
    pub expires_at: Option<i64>,
    /// When it was revoked, ms since the epoch.
    pub revoked_at: Option<i64>,
}

impl ApiToken {
    /// Whether the token works at `now` (its user's state aside).
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A token just created: the record and the secret, which is never stored and cannot be shown again.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The stored record.
    pub token: ApiToken,
    /// `rf_` and 64 hex digits.
    pub secret: String,
}

/// The user a token acts for.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenUser {
    /// The user, with their current role.
    pub user: User,
    /// The token's id.
    pub token_id: i64,
}

const TOKEN_SELECT: &str = "SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, t.last_used_at,
    t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id";

fn token_from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        username: r.try_get("username")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

/// The stored hash of a secret.
fn token_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

impl Store {
    /// Creates a token for `username`, named `name`, working until `expires_at` (ms since the epoch) or
    /// for ever. Audited as `token.create` by `actor`.
    pub async fn create_api_token(
        &self,
        username: &str,
        name: &str,
        expires_at: Option<i64>,
        actor: &str,
    ) -> Result<NewToken> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(Error::Invalid { what: "token name", reason: "1–64 characters".into() });
        }
        let now = now_ms();
        if expires_at.is_some_and(|e| e <= now) {
            return Err(Error::Invalid { what: "token expiry", reason: "must be in the future".into() });
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let prefix = secret[..TOKEN_PREFIX.len() + SHOWN_CHARS].to_string();
        let mut tx = self.begin().await?;
        let user = sqlx::query("SELECT id, disabled FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("user", username))?;
        let user_id: i64 = user.try_get("id")?;
        if user.try_get::<i64, _>("disabled")? != 0 {
            return Err(Error::Invalid { what: "user", reason: "disabled users cannot get tokens".into() });
        }
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash(&secret))
        .bind(&prefix)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({ "token": id, "name": name, "prefix": prefix, "expires_at": expires_at });
        audit::record(&mut tx, actor, "token.create", Some(&format!("user:{username}")), Some(&detail.to_string()))
            .await?;
        tx.commit().await?;
        let token = ApiToken {
            id,
            user_id,
            username: username.to_string(),
            name: name.to_string(),
            prefix,
            created_at: now,
            last_used_at: None,
            expires_at,
            revoked_at: None,
        };
        Ok(NewToken { token, secret })
    }

    /// Tokens of one user (or of everyone), newest first, revoked ones included.
    pub async fn api_tokens(&self, user_id: Option<i64>) -> Result<Vec<ApiToken>> {
        let rows = match user_id {
            Some(u) => {
                sqlx::query(&format!("{TOKEN_SELECT} WHERE t.user_id = $1 ORDER BY t.id DESC"))
                    .bind(u)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => sqlx::query(&format!("{TOKEN_SELECT} ORDER BY t.id DESC")).fetch_all(&self.pool).await?,
        };
        rows.iter().map(token_from_row).collect()
    }

    /// One token by id.
    pub async fn api_token(&self, id: i64) -> Result<ApiToken> {
        let row = sqlx::query(&format!("{TOKEN_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::not_found("token", id))?;
        token_from_row(&row)
    }

    /// Revokes token `id`; when `owner` is given, only if the token is that user's (others' tokens are
    /// reported missing, so ids of other users' tokens cannot be probed). Revoking a revoked token
    /// changes nothing and is not audited again. Audited as `token.revoke` by `actor`.
    pub async fn revoke_api_token(&self, id: i64, owner: Option<i64>, actor: &str) -> Result<ApiToken> {
        let token = self.api_token(id).await?;
        if owner.is_some_and(|o| o != token.user_id) {
            return Err(Error::not_found("token", id));
        }
        if token.revoked_at.is_some() {
            return Ok(token);
        }
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "token": id, "name": token.name, "prefix": token.prefix });
        let target = format!("user:{}", token.username);
        audit::record(&mut tx, actor, "token.revoke", Some(&target), Some(&detail.to_string())).await?;
        tx.commit().await?;
        Ok(ApiToken { revoked_at: Some(now), ..token })
    }

    /// The user a token secret acts for, if the token works (not revoked, not expired, its user not
    /// disabled); marks it used, at most once a minute so reads stay reads.
    pub async fn token_user(&self, secret: &str) -> Result<Option<TokenUser>> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
            return Ok(None);
        }
        let now = now_ms();
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.last_used_at, u.id, u.username, u.role, u.disabled
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
               AND u.disabled = 0",
        )
        .bind(token_hash(secret))
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let token_id: i64 = row.try_get("token_id")?;
        let last: Option<i64> = row.try_get("last_used_at")?;
        if last.is_none_or(|l| now - l >= TOUCH_MS) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token_id)
                .execute(&self.pool)
                .await?;
        }
        let role: String = row.try_get("role")?;
        let user = User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: Role::parse(&role).ok_or_else(|| Error::Corrupt {
                what: "user",
                id: role.clone(),
                reason: "unknown role".into(),
            })?,
            disabled: false,
        };
        Ok(Some(TokenUser { user, token_id }))
    }
}
