//! Administration (admins only): the audit log (`/audit`) and user management (`/users`).

use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_store::Role;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Query of the audit page.
#[derive(Debug, serde::Deserialize)]
pub struct AuditQuery {
    page: Option<String>,
}

/// `GET /audit`.
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, AppError> {
    user.require(Role::Admin)?;
    let size = state.config().page_size.clamp(1, 500);
    let page = views::page_number(q.page.as_deref());
    // One extra row tells whether there is a next page without counting the whole log.
    let mut rows = state.store().audit_log(size + 1, (page - 1).saturating_mul(size)).await?;
    let more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let shared = if page == 1 { state.store().shared_checks(20, 0).await? } else { Vec::new() };
    Ok(views::page(
        "Audit log",
        &user,
        Nav::Audit,
        "",
        html! {
            h1 { "Audit log" }
            p.muted { "Every login, triage change, export, evidence download and user change, newest first." }
            div.table-wrap {
                table {
                    thead { tr { th { "When" } th { "Who" } th { "What" } th { "On" } th { "Detail" } } }
                    tbody {
                        @for e in &rows {
                            tr data-row {
                                td { (views::time(e.at)) }
                                td { (e.actor) }
                                td { code { (e.action) } }
                                td {
                                    @match e.target.as_deref().and_then(|t| t.strip_prefix("ad:")).and_then(|id| id.parse::<i64>().ok()) {
                                        Some(id) => a href={"/ads/" (id)} { "ad:" (id) },
                                        None => (e.target.as_deref().unwrap_or("")),
                                    }
                                }
                                td.mono { (e.detail.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            nav.pager {
                @if page > 1 { a rel="prev" data-key="[" href={"/audit?page=" (page - 1)} { "← Newer" } }
                @if more { a rel="next" data-key="]" href={"/audit?page=" (page + 1)} { "Older →" } }
            }
            @if !shared.is_empty() {
                h2 { "Ads shared from the public check page" }
                p.muted { "The newest 20 ads visitors chose to share. Nothing identifies the visitor." }
                div.table-wrap {
                    table {
                        thead { tr { th { "When" } th { "Verdict" } th { "Risk" } th { "Address" } th { "Text" } } }
                        tbody {
                            @for c in &shared {
                                tr {
                                    td { (views::time(c.at)) }
                                    td { code { (c.verdict) } }
                                    td { (c.risk) }
                                    td.mono { (c.url.as_deref().unwrap_or("")) }
                                    td { (redflag_core::text::truncate_bytes(&c.text, 300)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// Query of the users page.
#[derive(Debug, serde::Deserialize)]
pub struct UsersQuery {
    saved: Option<String>,
}

/// `GET /users`.
pub async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<UsersQuery>,
) -> Result<Markup, AppError> {
    user.require(Role::Admin)?;
    let users = state.store().users().await?;
    Ok(views::page(
        "Users",
        &user,
        Nav::Users,
        "",
        html! {
            h1 { "Users" }
            @if let Some(name) = &q.saved { p.flash role="status" { "Saved user " (name) "." } }
            div.table-wrap {
                table {
                    thead { tr { th { "Username" } th { "Role" } th { "Status" } } }
                    tbody {
                        @for u in &users {
                            tr { td { (u.username) } td { (u.role.as_str()) } td { @if u.disabled { "disabled" } @else { "active" } } }
                        }
                    }
                }
            }
            h2 { "Add a user or reset a password" }
            form.filters method="post" action="/users" {
                input type="hidden" name="csrf" value=(user.csrf);
                div { label for="u-name" { "Username" } input #u-name type="text" name="username" required maxlength="64" autocomplete="off"; }
                div { label for="u-pw" { "New password (12+ characters, not a common one)" } input #u-pw type="password" name="password" required minlength="12" autocomplete="new-password"; }
                div {
                    label for="u-role" { "Role" }
                    select #u-role name="role" {
                        option value="viewer" { "viewer — read" }
                        option value="analyst" selected { "analyst — triage, export, evidence" }
                        option value="admin" { "admin — users, audit log" }
                        option value="ngo" { "ngo — deterrence bot counters only" }
                    }
                }
                div { button.primary type="submit" { "Save user" } }
            }
            p.muted { "Changes are recorded in the audit log. The command line does the same: " code { "redflag user add" } "." }
        },
    ))
}

/// The user form.
#[derive(Debug, serde::Deserialize)]
pub struct UserForm {
    csrf: Option<String>,
    username: Option<String>,
    password: Option<String>,
    role: Option<String>,
}

/// `POST /users`.
pub async fn save_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Admin)?;
    let role = f.role.as_deref().and_then(Role::parse).ok_or_else(|| AppError::BadRequest("unknown role".into()))?;
    let username = f.username.unwrap_or_default();
    let saved =
        state.store().upsert_user(&username, &f.password.unwrap_or_default(), role, &user.user.username).await?;
    let q = views::query_string([("saved", saved.username)]);
    Ok(Redirect::to(&format!("/users?{q}")).into_response())
}
