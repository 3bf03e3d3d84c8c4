//! Case files (`/cases`, `/cases/{id}`): leads grouped for hand-over, with state, assignee, append-only
//! notes and a legal hold; adding ads from the ad page and the lead queue; the case archive download.
//! Everyone reads; analysts and admins write; only admins lift a legal hold. Every change is audited by
//! the store.

use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_store::{Case, CaseFilter, CaseState, LeadFilter, Role};

use crate::AppState;
use crate::auth::{CurrentUser, is_local_path};
use crate::error::AppError;
use crate::views::{self, Nav};

fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound(format!("case {raw}")))
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A case's state as a badge.
pub fn state_badge(s: CaseState) -> Markup {
    html! { span class={"triage c-" (s.as_str())} { (s.label()) } }
}

fn hold_badge(c: &Case) -> Markup {
    html! { @if c.legal_hold { " " span.triage.hold title="Kept from deletion on request and from the retention purge" { "legal hold" } } }
}

async fn usernames(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(state.store().users().await?.into_iter().filter(|u| !u.disabled).map(|u| u.username).collect())
}

/// Query of the case list.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CasesQuery {
    state: Option<String>,
    assignee: Option<String>,
}

/// `GET /cases`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CasesQuery>,
) -> Result<Markup, AppError> {
    let mut warnings = Vec::new();
    let case_state = match nonempty(q.state) {
        Some(s) => {
            let parsed = CaseState::parse(&s);
            if parsed.is_none() {
                warnings.push(format!("unknown case state {s:?}"));
            }
            parsed
        }
        None => None,
    };
    let assignee = nonempty(q.assignee);
    let cases = state.store().cases(&CaseFilter { state: case_state, assignee: assignee.clone() }).await?;
    let users = usernames(&state).await?;
    Ok(views::page(
        "Cases",
        &user,
        Nav::Cases,
        "",
        html! {
            h1 { "Cases" }
            @for w in &warnings { p.flash.warn role="status" { (w) " — ignored." } }
            form.filters method="get" action="/cases" {
                div {
                    label for="f-state" { "State" }
                    select #f-state name="state" {
                        option value="" { "any" }
                        @for s in CaseState::ALL { option value=(s.as_str()) selected[case_state == Some(s)] { (s.label()) } }
                    }
                }
                div {
                    label for="f-assignee" { "Assignee" }
                    select #f-assignee name="assignee" {
                        option value="" { "anyone" }
                        @for u in &users { option value=(u) selected[assignee.as_deref() == Some(u.as_str())] { (u) } }
                    }
                }
                div { button type="submit" { "Filter" } }
            }
            @if cases.is_empty() {
                p.muted { "No cases match." }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th.num { "Id" } th { "Case" } th { "State" } th { "Assignee" } th.num { "Ads" } th { "Changed" } } }
                        tbody {
                            @for c in &cases {
                                tr data-row {
                                    td.num { (c.id) }
                                    td { a href={"/cases/" (c.id)} { (c.name) } (hold_badge(c)) }
                                    td { (state_badge(c.state)) }
                                    td { (c.assignee.as_deref().unwrap_or("–")) }
                                    td.num { (c.ad_count) }
                                    td { (views::time(c.updated_at)) }
                                }
                            }
                        }
                    }
                }
            }
            @if user.can(Role::Analyst) {
                h2 { "Open a case" }
                form.filters method="post" action="/cases" {
                    input type="hidden" name="csrf" value=(user.csrf);
                    div { label for="c-name" { "Name" } input #c-name type="text" name="name" required maxlength="200"; }
                    div {
                        label for="c-assignee" { "Assignee" }
                        select #c-assignee name="assignee" {
                            option value="" { "nobody yet" }
                            @for u in &users { option value=(u) { (u) } }
                        }
                    }
                    div { button.primary type="submit" { "Open case" } }
                }
            }
        },
    ))
}

/// The new-case form.
#[derive(Debug, serde::Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    name: Option<String>,
    assignee: Option<String>,
}

/// `POST /cases`.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let assignee = nonempty(f.assignee);
    let id = state.store().create_case(&f.name.unwrap_or_default(), assignee.as_deref(), &user.user.username).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

/// Query of a case page.
#[derive(Debug, serde::Deserialize)]
pub struct CaseQuery {
    saved: Option<String>,
}

/// `GET /cases/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Markup, AppError> {
    let id = parse_id(&id)?;
    let store = state.store();
    let c = store.case(id).await?;
    let members = store.case_ads(id).await?;
    let notes = store.case_notes(id).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.ad_id).collect();
    let rows = if ids.is_empty() {
        Vec::new()
    } else {
        store.leads(&LeadFilter { ids: Some(ids), limit: Some(10_000), ..Default::default() }).await?
    };
    let users = usernames(&state).await?;
    let write = user.can(Role::Analyst);
    Ok(views::page(
        &c.name,
        &user,
        Nav::Cases,
        "",
        html! {
            p.muted { a href="/cases" { "← Cases" } }
            h1 { "Case " (c.id) ": " (c.name) }
            p.muted {
                (state_badge(c.state)) (hold_badge(&c)) " · assignee " (c.assignee.as_deref().unwrap_or("nobody"))
                " · opened by " (c.created_by) " " (views::time(c.created_at))
            }
            @if let Some(what) = &q.saved { p.flash role="status" { "Saved: " (what) "." } }
            div.layout {
                div {
                    section #ads {
                        h2 { "Ads (" (members.len()) ")" }
                        @if members.is_empty() { p.muted { "No ads yet. Add them here by id, from an ad's page or from the lead queue." } }
                        @else {
                            div.table-wrap {
                                table {
                                    thead { tr { th.num { "Risk" } th { "Ad" } th { "Triage" } th { "Added" } @if write && !c.legal_hold { th { "" } } } }
                                    tbody {
                                        @for m in &members {
                                            @let row = rows.iter().find(|r| r.id == m.ad_id);
                                            tr data-row {
                                                td.num { (views::risk_badge(row.and_then(|r| r.risk))) }
                                                td { a href={"/ads/" (m.ad_id)} {
                                                    @match row { Some(r) if !r.title.trim().is_empty() => (r.title), _ => { "Ad " (m.ad_id) } }
                                                } }
                                                td { (views::triage_badge(row.map(|r| r.triage).unwrap_or_default())) }
                                                td { (m.added_by) " " (views::time(m.added_at)) }
                                                @if write && !c.legal_hold {
                                                    td {
                                                        form method="post" action="/cases/ads" {
                                                            input type="hidden" name="csrf" value=(user.csrf);
                                                            input type="hidden" name="case" value=(c.id);
                                                            input type="hidden" name="ad" value=(m.ad_id);
                                                            input type="hidden" name="action" value="remove";
                                                            button.link type="submit" { "Remove" }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if write {
                            form.filters method="post" action="/cases/ads" {
                                input type="hidden" name="csrf" value=(user.csrf);
                                input type="hidden" name="case" value=(c.id);
                                input type="hidden" name="action" value="add";
                                div { label for="a-id" { "Ad id" } input #a-id type="text" name="ad" required inputmode="numeric" pattern="[0-9]+"; }
                                div { button type="submit" { "Add ad" } }
                            }
                        }
                    }
                    section #notes {
                        h2 { "Notes" }
                        p.muted { "Notes are kept as written: they cannot be changed or deleted." }
                        @if notes.is_empty() { p.muted { "No notes yet." } }
                        @for n in &notes {
                            article.note {
                                p.muted { (n.author) ", " (views::time(n.at)) }
                                p.note-text { (n.body) }
                            }
                        }
                        @if write {
                            form method="post" action={"/cases/" (c.id) "/notes"} {
                                input type="hidden" name="csrf" value=(user.csrf);
                                label for="n-text" { "Add a note" }
                                textarea #n-text name="note" required maxlength="8000" {}
                                p { button.primary type="submit" { "Add note" } }
                            }
                        }
                    }
                }
                aside {
                    section.panel #manage {
                        h2 { "Case" }
                        @if write {
                            form method="post" action={"/cases/" (c.id)} {
                                input type="hidden" name="csrf" value=(user.csrf);
                                label for="m-state" { "State" }
                                select #m-state name="state" {
                                    @for s in CaseState::ALL { option value=(s.as_str()) selected[s == c.state] { (s.label()) } }
                                }
                                label for="m-assignee" { "Assignee" }
                                select #m-assignee name="assignee" {
                                    option value="" { "nobody" }
                                    @for u in &users { option value=(u) selected[c.assignee.as_deref() == Some(u.as_str())] { (u) } }
                                }
                                p {
                                    label {
                                        input type="checkbox" name="hold" value="on" checked[c.legal_hold] disabled[c.legal_hold && !user.can(Role::Admin)];
                                        " Legal hold"
                                    }
                                }
                                @if c.legal_hold && !user.can(Role::Admin) {
                                    input type="hidden" name="hold" value="on";
                                    p.muted { "Only an admin can lift a legal hold." }
                                }
                                p { button.primary type="submit" { "Save" } }
                            }
                        } @else {
                            p.muted { "Viewers cannot change cases." }
                        }
                        p.muted { "A legal hold keeps the case's ads, their versions and evidence from deletion on request and from the retention purge." }
                    }
                    @if write {
                        section.panel #export {
                            h2 { "Export" }
                            p { a href={"/cases/" (c.id) "/export.zip"} download { "Download the case archive (ZIP)" } }
                            p.muted {
                                "Ads, every version, the raw evidence pages and pictures, triage history, audit entries, notes and a summary, with a manifest of SHA-256 hashes. Check it with "
                                code { "redflag case verify" } ". The download is recorded in the audit log."
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The case settings form.
#[derive(Debug, serde::Deserialize)]
pub struct UpdateForm {
    csrf: Option<String>,
    state: Option<String>,
    assignee: Option<String>,
    hold: Option<String>,
}

/// `POST /cases/{id}`: state, assignee and legal hold; each change that differs is made and audited.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<UpdateForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let id = parse_id(&id)?;
    let new_state = f
        .state
        .as_deref()
        .and_then(CaseState::parse)
        .ok_or_else(|| AppError::BadRequest("unknown case state".into()))?;
    let assignee = nonempty(f.assignee);
    let hold = f.hold.as_deref() == Some("on");
    let store = state.store();
    let c = store.case(id).await?;
    if c.legal_hold && !hold {
        user.require(Role::Admin)?;
    }
    let actor = &user.user.username;
    let mut tx = store.begin().await?;
    if c.state != new_state {
        redflag_store::cases::set_state(&mut tx, id, new_state, actor).await?;
    }
    if c.assignee != assignee {
        redflag_store::cases::set_assignee(&mut tx, id, assignee.as_deref(), actor).await?;
    }
    if c.legal_hold != hold {
        redflag_store::cases::set_legal_hold(&mut tx, id, hold, actor).await?;
    }
    tx.commit().await.map_err(AppError::internal)?;
    Ok(Redirect::to(&format!("/cases/{id}?saved=case")).into_response())
}

/// The note form.
#[derive(Debug, serde::Deserialize)]
pub struct NoteForm {
    csrf: Option<String>,
    note: Option<String>,
}

/// `POST /cases/{id}/notes`.
pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let id = parse_id(&id)?;
    state.store().add_case_note(id, &f.note.unwrap_or_default(), &user.user.username).await?;
    Ok(Redirect::to(&format!("/cases/{id}?saved=note#notes")).into_response())
}

/// `POST /cases/ads`: adds ads to a case or removes them. Fields `csrf`, `case`, `action` (`add` or
/// `remove`), one `ad` per ad (the lead queue sends several), and `back`, a local path to return to.
pub async fn ads(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, AppError> {
    let (mut csrf, mut case, mut action, mut back, mut ads) = (None, None, None, None, Vec::new());
    for (k, v) in url::form_urlencoded::parse(&body) {
        match &*k {
            "csrf" => csrf = Some(v.into_owned()),
            "case" => case = Some(v.into_owned()),
            "action" => action = Some(v.into_owned()),
            "back" => back = Some(v.into_owned()),
            "ad" => ads.push(v.trim().to_string()),
            _ => {}
        }
    }
    user.check_csrf(csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let case: i64 = case
        .as_deref()
        .and_then(|c| c.trim().parse().ok())
        .ok_or_else(|| AppError::BadRequest("choose a case".into()))?;
    let ads: Vec<i64> = ads
        .iter()
        .map(|a| a.parse().map_err(|_| AppError::BadRequest(format!("{a:?} is not an ad id"))))
        .collect::<Result<_, _>>()?;
    if ads.is_empty() {
        return Err(AppError::BadRequest("choose at least one ad".into()));
    }
    let store = state.store();
    let actor = &user.user.username;
    let mut tx = store.begin().await?;
    let saved = match action.as_deref() {
        Some("add") => {
            for ad in &ads {
                redflag_store::cases::add_ad(&mut tx, case, *ad, actor).await?;
            }
            "ads added"
        }
        Some("remove") => {
            for ad in &ads {
                redflag_store::cases::remove_ad(&mut tx, case, *ad, actor).await?;
            }
            "ad removed"
        }
        _ => return Err(AppError::BadRequest("unknown action".into())),
    };
    tx.commit().await.map_err(AppError::internal)?;
    let to = match back.filter(|b| is_local_path(b)) {
        Some(b) => b,
        None => format!("/cases/{case}?saved={}", saved.replace(' ', "+")),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `GET /cases/{id}/export.zip` (analysts and admins): the case archive, audited by the export itself.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    user.require(Role::Analyst)?;
    let id = parse_id(&id)?;
    let (cursor, _) = redflag_case::export(state.store(), id, &user.user.username, std::io::Cursor::new(Vec::new()))
        .await
        .map_err(|e| match e {
            redflag_case::Error::Store(s) => AppError::from(s),
            redflag_case::Error::Empty(_) => AppError::BadRequest(e.to_string()),
            other => AppError::internal(other),
        })?;
    let date = redflag_core::time::rfc3339(redflag_store::now_ms());
    let mut resp = cursor.into_inner().into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"case-{id}-{}.zip\"", &date[..10])) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// The "add to case" form of an ad page: the ad's cases, and a choice of the cases still open.
pub fn ad_panel(ad_id: i64, of_ad: &[Case], open: &[Case], user: &CurrentUser) -> Markup {
    html! {
        section.panel #cases {
            h2 { "Cases" }
            @if of_ad.is_empty() { p.muted { "In no case." } }
            @else {
                ul {
                    @for c in of_ad { li { a href={"/cases/" (c.id)} { (c.name) } " " (state_badge(c.state)) (hold_badge(c)) } }
                }
            }
            @if user.can(Role::Analyst) {
                @let choices: Vec<&Case> = open.iter().filter(|c| !of_ad.iter().any(|o| o.id == c.id)).collect();
                @if choices.is_empty() {
                    p.muted { a href="/cases" { "Open a case" } " to add this ad to it." }
                } @else {
                    form method="post" action="/cases/ads" {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="action" value="add";
                        input type="hidden" name="ad" value=(ad_id);
                        input type="hidden" name="back" value={"/ads/" (ad_id) "#cases"};
                        label for="c-case" { "Add to case" }
                        select #c-case name="case" {
                            @for c in &choices { option value=(c.id) { (c.name) } }
                        }
                        p { button type="submit" { "Add to case" } }
                    }
                }
            }
        }
    }
}

/// Cases that ads can still be added to (not closed), for the pickers.
pub async fn open_cases(state: &AppState) -> Result<Vec<Case>, AppError> {
    let mut all = state.store().cases(&CaseFilter::default()).await?;
    all.retain(|c| c.state != CaseState::Closed);
    Ok(all)
}
