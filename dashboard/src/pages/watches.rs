//! Watches (`/watches`, analysts and admins): a user's saved searches and watched contacts and networks,
//! created from the search, ad, contact and network pages, paused, resumed and deleted; every change is
//! audited by the store.

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_store::{NewWatch, Role, WatchKind};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Longest query, contact or label accepted, in characters.
const MAX_TEXT: usize = 500;

/// A small form that creates a watch; shown to analysts and admins only.
pub fn watch_form(
    user: &CurrentUser,
    kind: WatchKind,
    target: &str,
    filters: (Option<AdKind>, Option<u8>),
    label: &str,
    button: &str,
) -> Markup {
    if !user.can(Role::Analyst) {
        return html! {};
    }
    html! {
        form.inline.watch-form method="post" action="/watches" {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="kind" value=(kind.as_str());
            input type="hidden" name="target" value=(target);
            input type="hidden" name="label" value=(label);
            @if let Some(k) = filters.0 { input type="hidden" name="ad_kind" value=(k.as_str()); }
            @if let Some(r) = filters.1 { input type="hidden" name="min_risk" value=(r); }
            button.small type="submit" data-watch=(kind.as_str()) { (button) }
        }
    }
}

/// Query of the watches page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct WatchesQuery {
    saved: Option<String>,
}

/// `GET /watches`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<WatchesQuery>,
) -> Result<Markup, AppError> {
    user.require(Role::Analyst)?;
    let watches = state.store().watches_of(user.user.id).await?;
    Ok(views::page(
        "Watches",
        &user,
        Nav::Watches,
        "",
        html! {
            h1 { "Watches" }
            p.muted { "When a new or changed ad matches one of your watches, an alert appears in your "
                a href="/alerts" { "inbox" } ". Create watches from a search, an ad, a contact or a network." }
            @if let Some(s) = &q.saved { p.flash role="status" { (match s.as_str() { "deleted" => "Watch deleted.", "paused" => "Watch paused.", "resumed" => "Watch resumed.", _ => "Watch saved." }) } }
            @if watches.is_empty() {
                p { "No watches yet." }
            } @else {
                table.watches {
                    thead { tr { th { "Watch" } th { "Kind" } th { "Looks for" } th { "E-mail" } th { "Since" } th { "State" } th {} } }
                    tbody {
                        @for w in &watches {
                            tr data-row data-watch-id=(w.id) {
                                td { strong { (w.label) } }
                                td { (w.kind.as_str()) }
                                td {
                                    @match w.kind {
                                        WatchKind::Network => a href={"/networks/" (w.target)} { "network " (w.target) },
                                        _ => code { (w.target) },
                                    }
                                    @if let Some(k) = w.ad_kind { " · " (k.as_str()) " ads" }
                                    @if let Some(r) = w.min_risk { " · risk ≥ " (r) }
                                }
                                td { @if let Some(e) = &w.email { (e) } @else { span.muted { "–" } } }
                                td { (views::time(w.created_at)) }
                                td { @if w.paused { span.muted { "paused" } } @else { "active" } }
                                td {
                                    form.inline method="post" action={"/watches/" (w.id)} {
                                        input type="hidden" name="csrf" value=(user.csrf);
                                        @if w.paused {
                                            button.small type="submit" name="action" value="resume" { "Resume" }
                                        } @else {
                                            button.small type="submit" name="action" value="pause" { "Pause" }
                                        }
                                        " "
                                        button.small.danger type="submit" name="action" value="delete" { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "New saved search" }
            form.filters method="post" action="/watches" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="kind" value="search";
                div { label for="w-target" { "Query" } input #w-target type="search" name="target" size="40" required; }
                div { label for="w-label" { "Name" } input #w-label type="text" name="label" size="24"; }
                div {
                    label for="w-kind" { "Kind" }
                    select #w-kind name="ad_kind" {
                        option value="" { "any" }
                        @for k in [AdKind::Escort, AdKind::Job] { option value=(k.as_str()) { (k.as_str()) } }
                    }
                }
                div { label for="w-risk" { "Min. risk" } input #w-risk type="number" name="min_risk" min="0" max="100"; }
                div { label for="w-email" { "Also e-mail to" } input #w-email type="email" name="email" size="24"; }
                div { button type="submit" { "Watch" } }
            }
        },
    ))
}

/// The form that creates a watch.
#[derive(Debug, serde::Deserialize)]
pub struct NewWatchForm {
    csrf: Option<String>,
    kind: Option<String>,
    target: Option<String>,
    label: Option<String>,
    ad_kind: Option<String>,
    min_risk: Option<String>,
    email: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `POST /watches`.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NewWatchForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let kind = nonempty(&f.kind)
        .and_then(WatchKind::parse)
        .ok_or_else(|| AppError::BadRequest("kind must be search, contact or network".into()))?;
    let target = nonempty(&f.target).unwrap_or("").to_string();
    if target.chars().count() > MAX_TEXT {
        return Err(AppError::BadRequest(format!("the watched text is longer than {MAX_TEXT} characters")));
    }
    match kind {
        WatchKind::Search if target.is_empty() => return Err(AppError::BadRequest("give a query to watch".into())),
        WatchKind::Contact => {
            let ok = target
                .split_once(':')
                .is_some_and(|(k, v)| matches!(k, "phone" | "email" | "handle") && !v.trim().is_empty());
            if !ok {
                return Err(AppError::BadRequest("a contact is phone:…, email:… or handle:…".into()));
            }
        }
        WatchKind::Network if target.parse::<i64>().is_err() => {
            return Err(AppError::BadRequest("a network is given by its number".into()));
        }
        _ => {}
    }
    let ad_kind = match nonempty(&f.ad_kind) {
        Some(k) => Some(k.parse::<AdKind>().map_err(|_| AppError::BadRequest("unknown ad kind".into()))?),
        None => None,
    };
    let min_risk = match nonempty(&f.min_risk) {
        Some(r) => Some(
            r.parse::<i64>()
                .ok()
                .filter(|r| (0..=100).contains(r))
                .ok_or_else(|| AppError::BadRequest("min. risk is 0 to 100".into()))?,
        ),
        None => None,
    };
    let email = nonempty(&f.email).map(str::to_string);
    if let Some(e) = &email {
        let ok = e.len() <= 254 && e.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.'));
        if !ok || e.chars().any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '<' || c == '>') {
            return Err(AppError::BadRequest("not an e-mail address".into()));
        }
    }
    let label = nonempty(&f.label).map(str::to_string).unwrap_or_else(|| match kind {
        WatchKind::Network => format!("network {target}"),
        _ => target.clone(),
    });
    let label: String = label.chars().take(MAX_TEXT).collect();
    let w = NewWatch { user_id: user.user.id, kind, target, ad_kind, min_risk, label, email };
    state.store().create_watch(&w, &user.user.username).await?;
    Ok(Redirect::to("/watches?saved=1").into_response())
}

/// The form that pauses, resumes or deletes a watch.
#[derive(Debug, serde::Deserialize)]
pub struct WatchActionForm {
    csrf: Option<String>,
    action: Option<String>,
}

/// `POST /watches/{id}`.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<WatchActionForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("watch {id}")))?;
    let store = state.store();
    let who = &user.user.username;
    let done = match f.action.as_deref() {
        Some("pause") => store.set_watch_paused(user.user.id, id, true, who).await.map(|_| "paused"),
        Some("resume") => store.set_watch_paused(user.user.id, id, false, who).await.map(|_| "resumed"),
        Some("delete") => store.delete_watch(user.user.id, id, who).await.map(|_| "deleted"),
        _ => return Err(AppError::BadRequest("action must be pause, resume or delete".into())),
    };
    let done = done?;
    Ok(Redirect::to(&format!("/watches?saved={done}")).into_response())
}

/// The ad page's watch buttons: one per contact of the ad, and one for its network.
pub fn ad_watches(user: &CurrentUser, contacts: &[(&str, &str)], network: Option<i64>) -> Markup {
    if !user.can(Role::Analyst) || (contacts.is_empty() && network.is_none()) {
        return html! {};
    }
    html! {
        section.card #watch {
            h2 { "Watch" }
            p.muted { "Be alerted when a new or changed ad carries this:" }
            ul.plain {
                @for (kind, value) in contacts {
                    li {
                        (watch_form(user, WatchKind::Contact, &format!("{kind}:{value}"), (None, None), &format!("{kind} {value}"), &format!("Watch {kind} {value}")))
                    }
                }
                @if let Some(n) = network {
                    li { (watch_form(user, WatchKind::Network, &n.to_string(), (None, None), &format!("network {n}"), &format!("Watch network {n}"))) }
                }
            }
        }
    }
}
