//! Networks (`/networks`, `/networks/{id}`): groups of ads joined by shared contacts or a reused text
//! template, largest or riskiest first, and what joins each one.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use redflag_core::link::LinkReason;
use redflag_store::{LeadFilter, LinkRow};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ad::link_reason;
use crate::pages::leads::lead_table;
use crate::views::{self, Nav};

/// Networks read for the list; the list is paged in memory.
const MAX_NETWORKS: i64 = 2000;
/// Networks whose joining contacts are summarised on one list page.
const SUMMARISED: usize = 50;

/// Query of the network list.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    sort: Option<String>,
    page: Option<String>,
}

/// What joins a network: each shared contact with the ads carrying it, and template links.
struct Joins {
    contacts: BTreeMap<String, BTreeSet<i64>>,
    templates: Vec<(i64, i64, f32)>,
}

fn joins(links: &[LinkRow]) -> Joins {
    let mut contacts: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut templates = Vec::new();
    for l in links {
        match &l.reason {
            LinkReason::SharedContact { contact } => {
                let ads = contacts.entry(contact.clone()).or_default();
                ads.insert(l.ad_a);
                ads.insert(l.ad_b);
            }
            LinkReason::Template { similarity } => templates.push((l.ad_a, l.ad_b, *similarity)),
        }
    }
    Joins { contacts, templates }
}

/// A contact key `kind:value` as a link to every ad carrying it.
fn contact_link(key: &str) -> Markup {
    match key.split_once(':') {
        Some((kind, value)) if matches!(kind, "phone" | "email" | "handle") => html! {
            a href={"/contacts?" (views::query_string([("kind", kind.to_string()), ("value", value.to_string())]))} { code { (key) } }
        },
        _ => html! { code { (key) } },
    }
}

/// `GET /networks`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    let size = state.config().page_size.clamp(1, 200);
    let mut clusters = state.store().clusters(MAX_NETWORKS).await?;
    let by_risk = q.sort.as_deref() == Some("risk");
    if by_risk {
        clusters.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    }
    let total = clusters.len() as i64;
    let page = views::page_number(q.page.as_deref());
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX).min(clusters.len());
    let shown = &clusters[start..(start + size as usize).min(clusters.len())];
    let mut summaries = Vec::new();
    for (id, _, _) in shown.iter().take(SUMMARISED) {
        let j = joins(&state.store().cluster_links(*id).await?);
        let mut top: Vec<(String, usize)> = j.contacts.into_iter().map(|(k, v)| (k, v.len())).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let riskiest = LeadFilter { cluster_id: Some(*id), limit: Some(1), ..Default::default() };
        let lead = state.store().leads(&riskiest).await?.into_iter().next();
        summaries.push((top, j.templates.len(), lead));
    }
    let pairs: Vec<(&str, String)> = if by_risk { vec![("sort", "risk".into())] } else { vec![] };
    Ok(views::page(
        "Networks",
        &user,
        Nav::Networks,
        "",
        html! {
            h1 { "Networks" }
            p {
                "Ads joined by a shared phone, e-mail or handle, or by the same text template. Order: "
                @if by_risk { a href="/networks" { "largest first" } " · " strong { "riskiest first" } }
                @else { strong { "largest first" } " · " a href="/networks?sort=risk" { "riskiest first" } }
            }
            div.table-wrap {
                table {
                    thead { tr { th { "Network" } th.num { "Ads" } th.num { "Max risk" } th { "Riskiest ad" } th { "Joined by" } } }
                    tbody {
                        @for (i, (id, n, risk)) in shown.iter().enumerate() {
                            tr data-row {
                                td { a href={"/networks/" (id)} { "Network " (id) } }
                                td.num { (n) }
                                td.num { (views::risk_badge(*risk)) }
                                @let summary = summaries.get(i);
                                td.title-cell {
                                    @if let Some(l) = summary.and_then(|s| s.2.as_ref()) {
                                        a href={"/ads/" (l.id)} { @if l.title.trim().is_empty() { "(no title)" } @else { (l.title) } }
                                        span.muted { " " (l.site) @if let Some(c) = &l.city { ", " (c) } }
                                    }
                                }
                                td {
                                    @if let Some((top, templates, _)) = summary {
                                        @for (k, ads) in top.iter().take(3) { (contact_link(k)) " " span.muted { "(" (ads) " ads)" } " " }
                                        @if top.len() > 3 { span.muted { "+" (top.len() - 3) " more contacts " } }
                                        @if *templates > 0 { span.ind { "template links: " (templates) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if shown.is_empty() { p.muted { "No networks yet: no two ads share a contact or a template." } }
            (views::pager("/networks", &pairs, page, size, total))
        },
    ))
}

/// `GET /networks/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Markup, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("network {id}")))?;
    let store = state.store();
    let filter = LeadFilter { cluster_id: Some(id), limit: Some(1000), ..Default::default() };
    let (members, total, links) =
        tokio::try_join!(store.leads(&filter), store.lead_count(&filter), store.cluster_links(id))?;
    if members.is_empty() {
        return Err(AppError::NotFound(format!("network {id}")));
    }
    let j = joins(&links);
    let cities: BTreeSet<&str> = members.iter().filter_map(|m| m.city.as_deref()).collect();
    let sites: BTreeSet<&str> = members.iter().map(|m| m.site.as_str()).collect();
    let max_risk = members.iter().filter_map(|m| m.risk).max();
    Ok(views::page(
        &format!("Network {id}"),
        &user,
        Nav::Networks,
        "",
        html! {
            p.muted { a href="/networks" { "← Networks" } }
            h1 { (views::risk_badge(max_risk)) " Network " (id) }
            p { (total) " ads · " (cities.len()) " cities · " (sites.len()) " sites"
                @if !cities.is_empty() { span.muted { " (" @for (i, c) in cities.iter().enumerate() { @if i > 0 { ", " } (c) } ")" } } }
            @if total > members.len() as i64 { p.flash.warn { "Showing the first " (members.len()) " ads." } }
            h2 { "Shared contacts" }
            @if j.contacts.is_empty() { p.muted { "None." } }
            ul {
                @for (k, ads) in &j.contacts {
                    li { (contact_link(k)) " — " (ads.len()) " ads: "
                        @for (i, a) in ads.iter().enumerate() { @if i > 0 { ", " } a href={"/ads/" (a)} { (a) } } }
                }
            }
            h2 { "Template links" }
            @if j.templates.is_empty() { p.muted { "None." } }
            ul {
                @for (a, b, s) in &j.templates {
                    li { a href={"/ads/" (a)} { "Ad " (a) } " ↔ " a href={"/ads/" (b)} { "Ad " (b) } " — " (link_reason(&LinkReason::Template { similarity: *s })) }
                }
            }
            h2 { "Ads" }
            (lead_table(&members, false))
        },
    ))
}
