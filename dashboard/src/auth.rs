//! Logins, sessions and form tokens.
//!
//! The session cookie holds the random token the store issued (the store keeps only its hash); it is
//! `HttpOnly`, `SameSite=Strict`, and `Secure` with the `__Host-` prefix when the dashboard runs over
//! HTTPS. Every form post of a logged-in user carries a token derived from the session token, so a page
//! on another site cannot forge one; the login form, which has no session yet, uses a random token
//! that must match a cookie set with the form. Login attempts are throttled per client address and
//! username, and per client address (IPv6 clients by /64): each attempt is counted before its password
//! is verified, and a success takes its count back, so a burst of concurrent attempts gets no more
//! verifications than the policy allows. Password verifications running at once are capped
//! ([`crate::DashboardConfig::max_concurrent_logins`]); beyond the cap a login is answered 429.
//!
//! The JSON API (`/api/…`) also takes personal API tokens (`Authorization: Bearer rf_…`, see
//! [`ApiUser`]); the HTML pages never do.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_store::{Role, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::views;

/// The session cookie's name.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-rf_session" } else { "rf_session" }
}

/// The login form's token cookie.
fn login_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-rf_login" } else { "rf_login" }
}

/// The value of cookie `name`, if the request carries it.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value; `max_age` `Some(0)` deletes the cookie.
fn cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    // Names are ours and values are hex, so the header is always valid.
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("rf_invalid=1"))
}

/// The form token of a session: a one-way hash of its token, so it proves possession of the cookie
/// without revealing it. Domain-separated from the store's token hash.
pub fn csrf_token(session_token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"redflag-csrf\0");
    h.update(session_token.as_bytes());
    hex::encode(h.finalize())
}

/// Compares secrets in time independent of where they differ.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `next` is a path on this site (never `//host`, `/\host` or a full URL), for redirects.
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() < 2000
        && !next.chars().any(|c| c.is_control())
}

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Who.
    pub user: User,
    /// The token forms must carry.
    pub csrf: String,
    /// How many of the user's alerts are unread (shown in the navigation).
    pub unread_alerts: i64,
    token: String,
}

impl CurrentUser {
    /// Fails unless the user's role allows what `role` may do ([`Role::allows`]).
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.user.role.allows(role) { Ok(()) } else { Err(AppError::Forbidden { needed: role.as_str() }) }
    }

    /// Whether the user's role allows what `role` may do.
    pub fn can(&self, role: Role) -> bool {
        self.user.role.allows(role)
    }

    /// Fails unless a posted form token belongs to this session.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), AppError> {
        match given {
            Some(g) if ct_eq(g.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }
}

/// Where a user lands after logging in when no page was asked for.
pub fn home_for(role: Role) -> &'static str {
    if role.is_investigator() { "/" } else { "/ngo" }
}

/// The logged-in user of any role, for the pages every role may use (logging out, the NGO pages).
/// Investigators' pages take [`CurrentUser`] instead, which refuses every other role.
#[derive(Debug, Clone)]
pub struct AnyUser(pub CurrentUser);

impl FromRequestParts<AppState> for AnyUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let next = (parts.method == Method::GET)
            .then(|| parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()));
        let name = session_cookie_name(state.config().secure_cookies);
        let Some(token) = read_cookie(&parts.headers, name).filter(|t| !t.is_empty() && t.len() <= 128) else {
            return Err(AppError::Unauthenticated { next });
        };
        match state.store().session_user_within(&token, Some(state.config().session_idle_ms())).await? {
            Some(user) => {
                let unread_alerts =
                    if user.role.allows(Role::Analyst) { state.store().unread_alerts(user.id).await? } else { 0 };
                Ok(AnyUser(CurrentUser { user, csrf: csrf_token(&token), unread_alerts, token }))
            }
            None => Err(AppError::Unauthenticated { next }),
        }
    }
}

/// Deny by default: every page that takes a `CurrentUser` is an investigators' page, so a role outside
/// the investigators' ladder (NGO staff) is refused here, before any handler runs.
impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AnyUser(user) = AnyUser::from_request_parts(parts, state).await?;
        if user.user.role.is_investigator() {
            Ok(user)
        } else {
            Err(AppError::Forbidden { needed: Role::Viewer.as_str() })
        }
    }
}

/// How an API request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiAuth {
    /// `Authorization: Bearer rf_…` with this token id.
    Token(i64),
    /// The dashboard's session cookie (a logged-in browser).
    Session,
}

/// The user of an API request (failures answered as JSON): an `Authorization: Bearer` API token, or
/// else the session cookie. Bearer tokens are accepted here only, never by the HTML pages. Each
/// request is counted against the token's (or the session user's) rate limit
/// ([`crate::DashboardConfig::api_requests_per_minute`]); beyond it the answer is 429 with
/// `Retry-After`.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser, pub ApiAuth);

/// The secret of an `Authorization: Bearer …` header: `Some(None)` when the header is there but is not
/// a bearer credential.
pub fn bearer(headers: &HeaderMap) -> Option<Option<&str>> {
    let value = headers.get(header::AUTHORIZATION)?;
    Some(value.to_str().ok().and_then(|v| {
        let (scheme, secret) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then_some(secret.trim()).filter(|s| !s.is_empty())
    }))
}

impl ApiUser {
    /// Fails unless a state-changing request from a browser session carries the session's form token
    /// in `X-CSRF-Token` (bearer tokens are not sent by browsers on their own, so they need none).
    pub fn check_csrf(&self, headers: &HeaderMap) -> Result<(), AppError> {
        match self.1 {
            ApiAuth::Token(_) => Ok(()),
            ApiAuth::Session => self.0.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok())),
        }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthenticated = || ApiError(AppError::Unauthenticated { next: None });
        let given = bearer(&parts.headers).map(|s| s.map(str::to_string));
        let (user, auth) = match given {
            Some(secret) => {
                let secret = secret.ok_or_else(unauthenticated)?;
                let found = state.store().token_user(&secret).await?.ok_or_else(unauthenticated)?;
                // The API is an investigators' tool: a token of a role outside their ladder (an NGO
                // login given a token while it was an investigator's, say) reads nothing.
                if !found.user.role.is_investigator() {
                    return Err(ApiError(AppError::Forbidden { needed: Role::Viewer.as_str() }));
                }
                // A token has no form token; a random one that nobody knows keeps `check_csrf` failing.
                let csrf = redflag_store::users::random_token();
                let user = CurrentUser { user: found.user, csrf, unread_alerts: 0, token: String::new() };
                (user, ApiAuth::Token(found.token_id))
            }
            None => match CurrentUser::from_request_parts(parts, state).await {
                Ok(u) => (u, ApiAuth::Session),
                Err(AppError::Unauthenticated { .. }) => return Err(unauthenticated()),
                Err(e) => return Err(ApiError(e)),
            },
        };
        let key = match auth {
            ApiAuth::Token(id) => format!("token:{id}"),
            ApiAuth::Session => format!("user:{}", user.user.id),
        };
        if let Err(wait) = state.api_requests().check_and_record(&key, Instant::now()) {
            return Err(ApiError(AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }));
        }
        Ok(ApiUser(user, auth))
    }
}

/// The client's address: the socket peer, or the last `X-Forwarded-For` hop when configured to trust it.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config().trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(ClientIp(peer.unwrap_or_else(|| "unknown".into())))
    }
}

/// Query of the login page.
#[derive(Debug, serde::Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// The login form.
#[derive(Debug, serde::Deserialize)]
pub struct LoginForm {
    username: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
    next: Option<String>,
}

fn login_page(csrf: &str, next: Option<&str>, username: &str, error: Option<&str>) -> Markup {
    views::bare_page(
        "Log in",
        html! {
            main.narrow.login {
                h1 { "Redflag" }
                p.muted { "Investigators' dashboard. Job seekers: " a href="/check" { "check an ad here" } ", no login needed." }
                @if let Some(e) = error { p.flash.error role="alert" { (e) } }
                form method="post" action="/login" {
                    input type="hidden" name="csrf" value=(csrf);
                    @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                    label for="username" { "Username" }
                    input #username type="text" name="username" value=(username) autocomplete="username" required autofocus;
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    button.primary type="submit" { "Log in" }
                }
            }
        },
    )
}

/// `GET /login`.
pub async fn login_form(State(state): State<AppState>, Query(q): Query<LoginQuery>, headers: HeaderMap) -> Response {
    let secure = state.config().secure_cookies;
    let next = q.next.filter(|n| is_local_path(n));
    if let Some(token) = read_cookie(&headers, session_cookie_name(secure))
        && let Ok(Some(u)) = state.store().session_user_within(&token, Some(state.config().session_idle_ms())).await
    {
        return Redirect::to(next.as_deref().unwrap_or(home_for(u.role))).into_response();
    }
    let token = read_cookie(&headers, login_cookie_name(secure))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(redflag_store::users::random_token);
    let mut resp = login_page(&token, next.as_deref(), "", None).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie(login_cookie_name(secure), &token, None, secure));
    resp
}

/// `POST /login`.
pub async fn login_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let secure = state.config().secure_cookies;
    let expected = read_cookie(&headers, login_cookie_name(secure)).unwrap_or_default();
    let given = f.csrf.unwrap_or_default();
    if expected.is_empty() || !ct_eq(expected.as_bytes(), given.as_bytes()) {
        return Err(AppError::Csrf);
    }
    let username = f.username.unwrap_or_default().trim().to_string();
    let password = f.password.unwrap_or_default();
    let next = f.next.filter(|n| is_local_path(n));
    let ip_key = crate::ratelimit::client_key(&ip);
    let user_key = format!("{ip_key}|{}", username.to_lowercase());
    if username.is_empty() || password.is_empty() || username.len() > 128 || password.len() > 1024 {
        let page = login_page(&expected, next.as_deref(), &username, Some("Enter your username and password."));
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    // Argon2 costs memory and CPU: a burst of logins beyond the slots is refused, not queued.
    let Ok(_slot) = Arc::clone(state.password_slots()).try_acquire_owned() else {
        return Err(AppError::RateLimited { retry_after_secs: 1 });
    };
    // The attempt is counted before the password is verified, in one step with the check, so that
    // concurrent attempts cannot all pass the check before any of them is counted.
    let now = Instant::now();
    let (locked, locked_ip) = {
        let mut by_user = state.login_failures();
        let mut by_ip = state.login_failures_ip();
        let blocked = by_user.blocked_for(&user_key, now).max(by_ip.blocked_for(&ip_key, now));
        if let Some(wait) = blocked {
            return Err(AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) });
        }
        (by_user.record(&user_key, now), by_ip.record(&ip_key, now))
    };
    let ttl = state.config().session_ttl;
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    match state.store().login(&username, &password, ttl_ms).await? {
        Some(session) => {
            state.login_failures().clear(&user_key);
            state.login_failures_ip().unrecord(&ip_key);
            let mut resp = Redirect::to(next.as_deref().unwrap_or(home_for(session.user.role))).into_response();
            let value = cookie(session_cookie_name(secure), &session.token, Some(ttl.as_secs()), secure);
            resp.headers_mut().append(header::SET_COOKIE, value);
            Ok(resp)
        }
        None => {
            if locked || locked_ip {
                let detail = serde_json::json!({ "client": ip, "by": if locked { "username" } else { "address" } });
                state.store().audit(&username, "login.throttled", None, Some(&detail.to_string())).await?;
            }
            let page = login_page(&expected, next.as_deref(), &username, Some("Wrong username or password."));
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

/// A form that carries only its token.
#[derive(Debug, serde::Deserialize)]
pub struct TokenForm {
    csrf: Option<String>,
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    AnyUser(user): AnyUser,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    state.store().end_session(&user.token).await?;
    state.store().audit(&user.user.username, "logout", None, None).await?;
    let secure = state.config().secure_cookies;
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie(session_cookie_name(secure), "", Some(0), secure));
    Ok(resp)
}

/// `GET /login/link/{code}[?next=/path]`: redeems a one-time login link (see [`AppState::login_link`]).
pub async fn login_link(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let token = state.redeem_login_link(&code).ok_or_else(|| {
        AppError::BadRequest("this login link was already used or has expired; log in with your password".into())
    })?;
    let who = state.store().session_user(&token).await?.map(|u| u.username).unwrap_or_default();
    state.store().audit(&who, "login.link", None, None).await?;
    let secure = state.config().secure_cookies;
    let next = q.next.filter(|n| is_local_path(n));
    let mut resp = Redirect::to(next.as_deref().unwrap_or("/")).into_response();
    let max_age = state.config().session_ttl.as_secs();
    resp.headers_mut().append(header::SET_COOKIE, cookie(session_cookie_name(secure), &token, Some(max_age), secure));
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_stay_on_site() {
        for ok in ["/", "/ads/3", "/search?q=a%20b"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in ["", "https://evil.example", "//evil.example", "/\\evil.example", "ads", "/a\nb"] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("x_rf_session=bad; rf_session=good; other=1"));
        assert_eq!(read_cookie(&h, "rf_session").as_deref(), Some("good"));
        assert_eq!(read_cookie(&h, "missing"), None);
    }

    #[test]
    fn form_tokens_are_bound_to_the_session() {
        let a = csrf_token("session-a");
        assert_eq!(a, csrf_token("session-a"));
        assert_ne!(a, csrf_token("session-b"));
        assert_ne!(a, redflag_store::pages::sha256_hex(b"session-a"), "differs from the stored token hash");
        assert!(ct_eq(b"abc", b"abc") && !ct_eq(b"abc", b"abd") && !ct_eq(b"abc", b"ab"));
    }
}
