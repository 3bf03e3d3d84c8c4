//! API tokens (`/account/tokens`): each user makes and revokes their own; admins see and can revoke
//! everyone's. A new token's secret is shown once, on the page answering the form, and never again.

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_store::{ApiToken, Role, now_ms};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Expiry choices offered, in days (0: never).
const EXPIRY_DAYS: [(i64, &str); 4] = [(30, "30 days"), (90, "90 days"), (365, "a year"), (0, "never")];

fn token_rows(tokens: &[ApiToken], user: &CurrentUser, show_owner: bool) -> Markup {
    let now = now_ms();
    html! {
        div.table-wrap {
            table {
                thead { tr {
                    @if show_owner { th { "User" } }
                    th { "Name" } th { "Token" } th { "Created" } th { "Last used" } th { "Expires" } th { "Status" } th {}
                } }
                tbody {
                    @for t in tokens {
                        tr data-row {
                            @if show_owner { td { (t.username) } }
                            td { (t.name) }
                            td { code { (t.prefix) "…" } }
                            td { (views::time(t.created_at)) }
                            td { @match t.last_used_at { Some(at) => (views::time(at)), None => "never" } }
                            td { @match t.expires_at { Some(at) => (views::time(at)), None => "never" } }
                            td {
                                @if t.revoked_at.is_some() { "revoked" }
                                @else if !t.is_live(now) { "expired" }
                                @else { "active" }
                            }
                            td {
                                @if t.revoked_at.is_none() {
                                    form method="post" action={"/account/tokens/" (t.id) "/revoke"} {
                                        input type="hidden" name="csrf" value=(user.csrf);
                                        button.link type="submit" { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn render(state: &AppState, user: &CurrentUser, created: Option<(&str, &ApiToken)>) -> Result<Markup, AppError> {
    let mine = state.store().api_tokens(Some(user.user.id)).await?;
    let others: Vec<ApiToken> = if user.can(Role::Admin) {
        state.store().api_tokens(None).await?.into_iter().filter(|t| t.user_id != user.user.id).collect()
    } else {
        Vec::new()
    };
    Ok(views::page(
        "API tokens",
        user,
        Nav::Account,
        "",
        html! {
            h1 { "API tokens" }
            p {
                "A token lets a script use the " a href="/api/openapi.json" { "JSON API" } " as you, with your role ("
                (user.user.role.as_str()) "), in an " code { "Authorization: Bearer" } " header. It works for the API only, "
                "stops working when it expires, is revoked, or your account is disabled. Making and revoking tokens is recorded in the audit log."
            }
            @if let Some((secret, t)) = created {
                div.flash role="status" {
                    p { "New token " strong { (t.name) } ". Copy it now: it is not stored and will not be shown again." }
                    p { code #new-token { (secret) } }
                }
            }
            h2 { "Your tokens" }
            @if mine.is_empty() { p.muted { "You have no tokens yet." } } @else { (token_rows(&mine, user, false)) }
            h2 { "Make a token" }
            form.filters method="post" action="/account/tokens" {
                input type="hidden" name="csrf" value=(user.csrf);
                div { label for="t-name" { "What it is for" } input #t-name type="text" name="name" required maxlength="64" autocomplete="off"; }
                div {
                    label for="t-exp" { "Expires after" }
                    select #t-exp name="expires_days" {
                        @for (days, label) in EXPIRY_DAYS { option value=(days) selected[days == 90] { (label) } }
                    }
                }
                div { button.primary type="submit" { "Make token" } }
            }
            @if !others.is_empty() {
                h2 { "Other users' tokens" }
                (token_rows(&others, user, true))
            }
        },
    ))
}

/// `GET /account/tokens`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Markup, AppError> {
    render(&state, &user, None).await
}

/// The form that makes a token.
#[derive(Debug, serde::Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    name: Option<String>,
    expires_days: Option<String>,
}

/// `POST /account/tokens`: makes a token and shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<CreateForm>,
) -> Result<Markup, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    let days = match f.expires_days.as_deref().map(str::trim) {
        None | Some("") => 90,
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| EXPIRY_DAYS.iter().any(|(n, _)| n == d))
            .ok_or_else(|| AppError::BadRequest("unknown expiry".into()))?,
    };
    let expires_at = (days > 0).then(|| now_ms() + days * 24 * 3600 * 1000);
    let name = f.name.unwrap_or_default();
    let created = state.store().create_api_token(&user.user.username, &name, expires_at, &user.user.username).await?;
    render(&state, &user, Some((created.secret.as_str(), &created.token))).await
}

/// The form that revokes a token.
#[derive(Debug, serde::Deserialize)]
pub struct RevokeForm {
    csrf: Option<String>,
}

/// `POST /account/tokens/{id}/revoke`: users revoke their own tokens, admins anyone's.
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("token {id}")))?;
    let owner = (!user.can(Role::Admin)).then_some(user.user.id);
    state.store().revoke_api_token(id, owner, &user.user.username).await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
