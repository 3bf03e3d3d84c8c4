//! Networks (`/networks`, `/networks/{id}`): groups of ads joined by shared contacts or a reused text
//! template, largest or riskiest first, what joins each one and why each ad is in it, with the network's
//! figures and its ads that share a contact with an ad of the other kind (job ↔ escort, highlighted;
//! see [`crate::pages::crosslink`]). Groups whose ads
//! all name one advertiser are listed apart (`/networks?kind=same_advertiser`): they are an employer's
//! own postings, not networks of concern.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use redflag_core::link::template::{Slot, template_words};
use redflag_core::link::{GroupKind, LinkReason};
use redflag_store::{LeadFilter, LinkRow};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::ad::link_reason;
use crate::pages::crosslink;
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
    kind: Option<String>,
}

/// What joins a network: each shared contact with the ads carrying it, template links and image links.
struct Joins {
    contacts: BTreeMap<String, BTreeSet<i64>>,
    templates: Vec<(i64, i64, f32)>,
    images: Vec<(i64, i64, LinkReason, f64)>,
    /// Ads carrying a contact shared by job ads and escort ads.
    job_escort: BTreeSet<i64>,
}

fn joins(links: &[LinkRow]) -> Joins {
    let mut contacts: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut templates = Vec::new();
    let mut images = Vec::new();
    let mut job_escort = BTreeSet::new();
    for l in links {
        match &l.reason {
            LinkReason::SharedContact { contact } => {
                let ads = contacts.entry(contact.clone()).or_default();
                ads.insert(l.ad_a);
                ads.insert(l.ad_b);
            }
            LinkReason::Template { similarity } => templates.push((l.ad_a, l.ad_b, *similarity)),
            LinkReason::Image { .. } => images.push((l.ad_a, l.ad_b, l.reason.clone(), l.strength)),
            // Weak links join nothing; the ad page lists them.
            LinkReason::Relay { .. } => {}
            LinkReason::JobEscort { .. } => {
                job_escort.insert(l.ad_a);
                job_escort.insert(l.ad_b);
            }
        }
    }
    Joins { contacts, templates, images, job_escort }
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
    let kind = GroupKind::parse(q.kind.as_deref().unwrap_or_default());
    let mut clusters = state.store().clusters(kind, MAX_NETWORKS).await?;
    let by_risk = q.sort.as_deref() == Some("risk");
    if by_risk {
        clusters.sort_by(|a, b| b.max_risk.cmp(&a.max_risk).then(b.ads.cmp(&a.ads)).then(a.id.cmp(&b.id)));
    }
    let total = clusters.len() as i64;
    let page = views::page_number(q.page.as_deref());
    let start = usize::try_from((page - 1) * size).unwrap_or(usize::MAX).min(clusters.len());
    let shown = &clusters[start..(start + size as usize).min(clusters.len())];
    let mut summaries = Vec::new();
    for c in shown.iter().take(SUMMARISED) {
        let j = joins(&state.store().cluster_links(c.id).await?);
        let mut top: Vec<(String, usize)> = j.contacts.into_iter().map(|(k, v)| (k, v.len())).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let riskiest = LeadFilter { cluster_id: Some(c.id), limit: Some(1), ..Default::default() };
        let lead = state.store().leads(&riskiest).await?.into_iter().next();
        summaries.push((top, j.templates.len(), lead, !j.job_escort.is_empty()));
    }
    let mut pairs: Vec<(&str, String)> = if by_risk { vec![("sort", "risk".into())] } else { vec![] };
    let advertiser = kind == GroupKind::SameAdvertiser;
    if advertiser {
        pairs.push(("kind", kind.as_str().into()));
    }
    let kind_q = if advertiser { "kind=same_advertiser&" } else { "" };
    Ok(views::page(
        if advertiser { "Same advertiser" } else { "Networks" },
        &user,
        Nav::Networks,
        "",
        html! {
            h1 { @if advertiser { "Same advertiser" } @else { "Networks" } }
            p {
                @if advertiser { a href="/networks" { "Networks" } " · " strong { "Same advertiser" } }
                @else { strong { "Networks" } " · " a href="/networks?kind=same_advertiser" { "Same advertiser" } }
            }
            p {
                @if advertiser {
                    "Ads that all name one advertiser and are linked by a contact or a template: one employer's own postings, listed apart from networks of concern. Order: "
                } @else {
                    "Ads joined by a shared phone, e-mail or handle, or by the same text template (common sentences discounted, no chaining through one weak link). Order: "
                }
                @if by_risk { a href={"/networks?" (kind_q)} { "largest first" } " · " strong { "riskiest first" } }
                @else { strong { "largest first" } " · " a href={"/networks?" (kind_q) "sort=risk"} { "riskiest first" } }
            }
            div.table-wrap {
                table {
                    thead { tr { th { "Network" } th.num { "Ads" } th.num { "Max risk" } th { "Riskiest ad" } th { "Joined by" } } }
                    tbody {
                        @for (i, c) in shown.iter().enumerate() {
                            tr data-row {
                                td { a href={"/networks/" (c.id)} { "Network " (c.id) } }
                                td.num { (c.ads) }
                                td.num { (views::risk_badge(c.max_risk)) }
                                @let summary = summaries.get(i);
                                td.title-cell {
                                    @if let Some(l) = summary.and_then(|s| s.2.as_ref()) {
                                        a href={"/ads/" (l.id)} { @if l.title.trim().is_empty() { "(no title)" } @else { (l.title) } }
                                        span.muted { " " (l.site) @if let Some(c) = &l.city { ", " (c) } }
                                    }
                                }
                                td {
                                    @if let Some((top, templates, _, job_escort)) = summary {
                                        @for (k, ads) in top.iter().take(3) { (contact_link(k)) " " span.muted { "(" (ads) " ads)" } " " }
                                        @if top.len() > 3 { span.muted { "+" (top.len() - 3) " more contacts " } }
                                        @if *templates > 0 { span.ind { "template links: " (templates) } }
                                        @if *job_escort { (crosslink::badge()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if shown.is_empty() {
                @if advertiser { p.muted { "No same-advertiser groups." } }
                @else { p.muted { "No networks yet: no two ads share a contact or a template." } }
            }
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
        tokio::try_join!(store.leads(&filter), store.lead_total(&filter, i64::MAX), store.cluster_links(id))?;
    let total = total.count;
    if members.is_empty() {
        return Err(AppError::NotFound(format!("network {id}")));
    }
    let kind = store.ad(id).await.ok().and_then(|a| a.cluster_kind).unwrap_or(GroupKind::Network);
    let j = joins(&links);
    let cities: BTreeSet<&str> = members.iter().filter_map(|m| m.city.as_deref()).collect();
    let sites: BTreeSet<&str> = members.iter().map(|m| m.site.as_str()).collect();
    let max_risk = members.iter().filter_map(|m| m.risk).max();
    let first_seen = members.iter().map(|m| m.last_seen).min();
    let last_seen = members.iter().map(|m| m.last_seen).max();
    // Why each ad is here: the links touching it.
    let mut why: BTreeMap<i64, Vec<&LinkRow>> = BTreeMap::new();
    for l in &links {
        why.entry(l.ad_a).or_default().push(l);
        why.entry(l.ad_b).or_default().push(l);
    }
    // The template: the text of the ad with the most template links, its slots highlighted.
    let mut template_degree: BTreeMap<i64, usize> = BTreeMap::new();
    for (a, b, _) in &j.templates {
        *template_degree.entry(*a).or_default() += 1;
        *template_degree.entry(*b).or_default() += 1;
    }
    let template_ad = template_degree.iter().max_by_key(|(ad, n)| (**n, -**ad)).map(|(ad, _)| *ad);
    let template_text = match template_ad {
        Some(ad) => store.ad(ad).await.ok().map(|a| (ad, a.fields.scoring_text())),
        None => None,
    };
    let titles: BTreeMap<i64, &str> = members.iter().map(|m| (m.id, m.title.as_str())).collect();
    let shared = crosslink::shared_contacts(store, &links).await?;
    let features = crosslink::features_of(store, id).await?;
    Ok(views::page(
        &format!("Network {id}"),
        &user,
        Nav::Networks,
        "",
        html! {
            p.muted { a href="/networks" { "← Networks" } }
            h1 { (views::risk_badge(max_risk)) " Network " (id) }
            @if kind == GroupKind::SameAdvertiser {
                p.flash { "Same advertiser: every ad here names one advertiser. These are its own postings, not a network of concern." }
            }
            p { (total) " ads · " (cities.len()) " cities · " (sites.len()) " sites"
                @if !cities.is_empty() { span.muted { " (" @for (i, c) in cities.iter().enumerate() { @if i > 0 { ", " } (c) } ")" } } }
            @if let (Some(f), Some(l)) = (first_seen, last_seen) {
                p.muted { "Seen from " (views::time(f)) " to " (views::time(l)) "." }
            }
            (super::watches::watch_form(&user, redflag_store::WatchKind::Network, &id.to_string(), (None, None), &format!("network {id}"), "Watch this network"))
            (crosslink::features(&features))
            @if total > members.len() as i64 { p.flash.warn { "Showing the first " (members.len()) " ads." } }
            (crosslink::section(&shared))
            h2 { "Why each ad is here" }
            div.table-wrap {
                table {
                    thead { tr { th { "Ad" } th { "Linked to" } } }
                    tbody {
                        @for m in &members {
                            tr.job-escort[j.job_escort.contains(&m.id)] {
                                td {
                                    a href={"/ads/" (m.id)} { "Ad " (m.id) } " " span.muted { (m.title) }
                                    @if j.job_escort.contains(&m.id) { " " (crosslink::badge()) }
                                }
                                td {
                                    @match why.get(&m.id) {
                                        None => span.muted { "no direct link shown" },
                                        Some(ls) => ul {
                                            @for l in ls {
                                                @let other = l.other(m.id);
                                                li {
                                                    a href={"/ads/" (other)} { "Ad " (other) }
                                                    @if let Some(t) = titles.get(&other) { " " span.muted { (t) } }
                                                    " — " (link_reason(&l.reason))
                                                    " " span.ind title="link strength, 0–1" { "strength " (format!("{:.2}", l.strength)) }
                                                }
                                            }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
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
            h2 { "Image links" }
            @if j.images.is_empty() { p.muted { "None." } }
            ul.image-links {
                @for (a, b, reason, strength) in &j.images {
                    li {
                        a href={"/ads/" (a)} { "Ad " (a) } " ↔ " a href={"/ads/" (b)} { "Ad " (b) } " — " (link_reason(reason))
                        " " span.ind title="link strength, 0–1" { "strength " (format!("{strength:.2}")) }
                    }
                }
            }
            @if let Some((ad, text)) = &template_text {
                h3 { "The template, as ad " (ad) " writes it" }
                p.muted { "Highlighted words are the slots that vary between the ads: names, cities, numbers and prices, contacts." }
                blockquote.template { (template_markup(text)) }
            }
            h2 { "Ads" }
            (lead_table(&members, false))
        },
    ))
}

/// A text with its template slots wrapped in `<mark>`, each titled with its kind.
fn template_markup(text: &str) -> Markup {
    let mut parts: Vec<(&str, Option<&'static str>)> = Vec::new();
    let mut at = 0;
    for w in template_words(text) {
        let Some(slot) = w.slot else { continue };
        if w.start < at || w.end > text.len() || !text.is_char_boundary(w.start) || !text.is_char_boundary(w.end) {
            continue;
        }
        parts.push((&text[at..w.start], None));
        parts.push((&text[w.start..w.end], Some(slot_name(slot))));
        at = w.end;
    }
    parts.push((&text[at..], None));
    html! {
        @for (t, slot) in &parts {
            @match slot { Some(name) => mark title=(name) { (t) }, None => (t) }
        }
    }
}

fn slot_name(slot: Slot) -> &'static str {
    match slot {
        Slot::Contact => "contact",
        Slot::Number => "number or price",
        Slot::City => "city",
        Slot::Name => "name",
    }
}
