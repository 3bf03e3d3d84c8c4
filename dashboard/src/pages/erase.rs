//! Deletion on request (`/admin/delete`, admins only): one ad, or every ad carrying a phone number,
//! e-mail address or handle. The first post is the dry run (what would go, what a legal hold keeps and
//! why); the second, confirmed, deletes and drops the ads from the search index. Both are audited by
//! the store.

use axum::extract::{Form, State};
use maud::{Markup, html};
use redflag_store::{ErasurePlan, Role, Subject};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

const KINDS: [(&str, &str); 4] =
    [("ad", "Ad id"), ("phone", "Phone number"), ("email", "E-mail address"), ("handle", "Handle")];

fn form(user: &CurrentUser, kind: &str, value: &str) -> Markup {
    html! {
        form.filters method="post" action="/admin/delete" {
            input type="hidden" name="csrf" value=(user.csrf);
            div {
                label for="d-kind" { "What" }
                select #d-kind name="kind" {
                    @for (k, label) in KINDS { option value=(k) selected[k == kind] { (label) } }
                }
            }
            div { label for="d-value" { "Value" } input #d-value type="text" name="value" required maxlength="200" value=(value) autocomplete="off"; }
            div { button type="submit" { "Show what would be deleted" } }
        }
    }
}

fn page(user: &CurrentUser, body: Markup) -> Markup {
    views::page(
        "Deletion on request",
        user,
        Nav::Delete,
        "",
        html! {
            h1 { "Deletion on request" }
            p.muted {
                "Removes an ad, or every ad carrying a contact, with its versions, the evidence pages only those ads reference, entities, scores, links, triage and search entry. "
                "Ads in a case on legal hold are kept. The request is recorded in the audit log with the ad ids and a SHA-256 of the contact, not the contact itself. "
                "The command line does the same: " code { "redflag delete" } "."
            }
            (body)
        },
    )
}

/// `GET /admin/delete`.
pub async fn show(user: CurrentUser) -> Result<Markup, AppError> {
    user.require(Role::Admin)?;
    Ok(page(&user, form(&user, "phone", "")))
}

/// The deletion form.
#[derive(Debug, serde::Deserialize)]
pub struct DeleteForm {
    csrf: Option<String>,
    kind: Option<String>,
    value: Option<String>,
    confirm: Option<String>,
}

fn plan_view(plan: &ErasurePlan, done: bool) -> Markup {
    html! {
        @if plan.is_empty() {
            p.flash role="status" { "Nothing stored matches " (plan.subject.describe()) "." }
        } @else {
            p.flash role="status" {
                @if done { "Deleted " } @else { "Would delete " }
                (plan.ads.len()) " ads (" (plan.versions) " versions, " (plan.pages.len()) " evidence pages, "
                (plan.images.len()) " pictures, "
                (plan.entities) " entities, " (plan.scores) " scores, " (plan.links) " links, "
                (plan.case_entries) " case entries)."
            }
            @if !plan.ads.is_empty() {
                p { "Ads: " @for (i, id) in plan.ads.iter().enumerate() { @if i > 0 { ", " } @if done { (id) } @else { a href={"/ads/" (id)} { (id) } } } }
            }
            @if !plan.kept.is_empty() {
                h2 { "Kept (legal hold)" }
                ul {
                    @for k in &plan.kept {
                        li {
                            a href={"/ads/" (k.ad_id)} { "Ad " (k.ad_id) } " is kept: on legal hold in "
                            @for (i, (id, name)) in k.cases.iter().enumerate() {
                                @if i > 0 { ", " } a href={"/cases/" (id)} { "case " (id) " “" (name) "”" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /admin/delete`: the dry run, or with `confirm=yes` the deletion.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<DeleteForm>,
) -> Result<Markup, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Admin)?;
    let kind = f.kind.unwrap_or_default();
    let value = f.value.unwrap_or_default().trim().to_string();
    let subject = match kind.as_str() {
        "ad" => Subject::Ad(value.parse().map_err(|_| AppError::BadRequest(format!("{value:?} is not an ad id")))?),
        "phone" => Subject::Phone(value.clone()),
        "email" => Subject::Email(value.clone()),
        "handle" => Subject::Handle(value.clone()),
        _ => return Err(AppError::BadRequest("unknown kind".into())),
    };
    let actor = &user.user.username;
    if f.confirm.as_deref() != Some("yes") {
        let plan = state.store().erase_plan(&subject, actor).await?;
        return Ok(page(
            &user,
            html! {
                (form(&user, &kind, &value))
                (plan_view(&plan, false))
                @if !plan.ads.is_empty() {
                    form method="post" action="/admin/delete" {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="kind" value=(kind);
                        input type="hidden" name="value" value=(value);
                        input type="hidden" name="confirm" value="yes";
                        p { button.danger type="submit" { "Delete for good" } }
                    }
                }
            },
        ));
    }
    let plan = state.store().erase(&subject, actor).await?;
    let index_note = if plan.ads.is_empty() {
        None
    } else {
        let index = state.index().clone();
        let ids = plan.ads.clone();
        match tokio::task::spawn_blocking(move || index.remove_and_release(&ids)).await? {
            Ok(()) => None,
            Err(e) => {
                tracing::warn!(error = %e, "deleted ads remain in the search index");
                Some(
                    "The search index is in use by another process and still lists the deleted ads: run redflag reindex.",
                )
            }
        }
    };
    Ok(page(
        &user,
        html! {
            (plan_view(&plan, true))
            @if let Some(n) = index_note { p.flash.warn role="alert" { (n) } }
            (form(&user, "phone", ""))
        },
    ))
}
