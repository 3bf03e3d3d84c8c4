//! The alert inbox (`/alerts`, analysts and admins): alerts raised by the user's watches, newest first,
//! each with the evidence of the match (the highlighted excerpt, the contact as written, the network),
//! marked read one by one or all at once.

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_store::{AlertRow, Role};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Query of the inbox.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AlertsQuery {
    all: Option<String>,
    page: Option<String>,
}

fn evidence(a: &AlertRow) -> Markup {
    let e = &a.evidence;
    let s = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("");
    match s("kind") {
        "search" => {
            let ranges: Vec<(usize, usize)> = e
                .get("highlights")
                .and_then(|h| h.as_array())
                .map(|h| {
                    h.iter()
                        .filter_map(|r| Some((r.get(0)?.as_u64()? as usize, r.get(1)?.as_u64()? as usize)))
                        .collect()
                })
                .unwrap_or_default();
            html! {
                div.muted { "search " code { (s("query")) } }
                div.snippet { (views::marked(s("excerpt"), &ranges)) }
            }
        }
        "contact" => html! {
            div { "contact " code { (s("contact")) } " written as " code { (s("as_written")) } }
        },
        "network" => {
            let n = e.get("network").and_then(|n| n.as_i64()).unwrap_or(0);
            html! { div { "joined " a href={"/networks/" (n)} { "network " (n) } } }
        }
        _ => html! {},
    }
}

/// `GET /alerts`.
pub async fn inbox(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AlertsQuery>,
) -> Result<Markup, AppError> {
    user.require(Role::Analyst)?;
    let all = q.all.is_some();
    let size = state.config().page_size.clamp(1, 200);
    let page = views::page_number(q.page.as_deref());
    let alerts = state.store().alerts_of(user.user.id, !all, size, (page - 1) * size).await?;
    Ok(views::page(
        "Alerts",
        &user,
        Nav::Alerts,
        "",
        html! {
            h1 { "Alerts" }
            p.muted {
                @if all { "All alerts. " a href="/alerts" { "Only unread" } }
                @else { (user.unread_alerts) " unread. " a href="/alerts?all=1" { "Show all" } }
                " · " a href="/watches" { "Your watches" }
            }
            @if !alerts.is_empty() && !all {
                form.inline method="post" action="/alerts/read" {
                    input type="hidden" name="csrf" value=(user.csrf);
                    button.small type="submit" { "Mark all read" }
                }
            }
            @if alerts.is_empty() {
                p { "No alerts." }
            }
            ol.alerts {
                @for a in &alerts {
                    li data-row data-alert-id=(a.id) class=(if a.read_at.is_none() { "unread" } else { "read" }) {
                        strong { (a.watch_label) } " · " (views::time(a.created_at))
                        div {
                            a.title-cell href={"/ads/" (a.ad_id)} { @if a.title.trim().is_empty() { "(no title)" } @else { (a.title) } }
                            span.muted { " · ad " (a.ad_id) " version " (a.version) " · " } (views::ext_link(&a.url))
                        }
                        (evidence(a))
                        @if a.read_at.is_none() {
                            form.inline method="post" action={"/alerts/" (a.id) "/read"} {
                                input type="hidden" name="csrf" value=(user.csrf);
                                button.small type="submit" { "Mark read" }
                            }
                        }
                    }
                }
            }
            @if alerts.len() as i64 == size || page > 1 {
                nav.pager aria-label="Pages" {
                    @if page > 1 { a rel="prev" href={"/alerts?" (views::query_string([("all", if all { "1".into() } else { String::new() }), ("page", (page - 1).to_string())]))} { "← Previous" } }
                    @if alerts.len() as i64 == size { a rel="next" href={"/alerts?" (views::query_string([("all", if all { "1".into() } else { String::new() }), ("page", (page + 1).to_string())]))} { "Next →" } }
                }
            }
        },
    ))
}

/// The form of the mark-read buttons.
#[derive(Debug, serde::Deserialize)]
pub struct ReadForm {
    csrf: Option<String>,
}

/// `POST /alerts/{id}/read`.
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ReadForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("alert {id}")))?;
    state.store().mark_alerts_read(user.user.id, Some(id)).await?;
    Ok(Redirect::to("/alerts").into_response())
}

/// `POST /alerts/read`: marks every alert read.
pub async fn mark_all_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ReadForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    state.store().mark_alerts_read(user.user.id, None).await?;
    Ok(Redirect::to("/alerts").into_response())
}
