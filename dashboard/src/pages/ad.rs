//! One ad (`/ads/{id}`): why it scored as it did (the text with every indicator's evidence marked),
//! its contacts and network, its version history, its URLs and evidence page, and the triage form;
//! plus the triage post and the raw evidence download.

use std::collections::{BTreeMap, HashSet};

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_core::link::LinkReason;
use redflag_store::{
    AdImageRow, AdRow, AdVersionRow, EntityRow, LeadFilter, LinkRow, Page, Role, ScoreRow, TriageRow, TriageState,
};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::diff::{Change, diff_words};
use crate::error::AppError;
use crate::highlight::{Span, locate, segments};
use crate::pages::crosslink;
use crate::views::{self, Nav};

/// Contacts whose "ads with this contact" count is looked up; more are listed without a count.
const MAX_COUNTED_CONTACTS: usize = 30;

/// Everything the ad page shows.
struct AdView {
    ad: AdRow,
    versions: Vec<AdVersionRow>,
    urls: Vec<String>,
    entities: Vec<EntityRow>,
    score: Option<ScoreRow>,
    links: Vec<LinkRow>,
    images: Vec<AdImageRow>,
    triage: Option<TriageRow>,
    page: Option<Page>,
    cluster_size: i64,
    /// Titles of linked ads.
    titles: BTreeMap<i64, String>,
    /// How many ads carry each contact `(kind, value)`.
    contact_counts: BTreeMap<(String, String), usize>,
    /// Usernames, offered as assignees.
    usernames: Vec<String>,
    /// The cases the ad is in.
    cases: Vec<redflag_store::Case>,
    /// Cases it can be added to.
    open_cases: Vec<redflag_store::Case>,
    /// Contacts this ad shares with ads of the other kind.
    job_escort: Vec<crosslink::Shared>,
    /// The figures of the ad's network, when it has one.
    features: Option<redflag_core::link::NetworkFeatures>,
}

async fn load(state: &AppState, id: i64) -> Result<AdView, AppError> {
    let store = state.store();
    let ad = store.ad(id).await?;
    let (versions, urls, entities, score, links, triage, images) = tokio::try_join!(
        store.ad_versions(id),
        store.ad_urls(id),
        store.entities(id),
        store.latest_score(id),
        store.links_of(id),
        store.triage(id),
        store.ad_images(id),
    )?;
    let page = match ad.page_id {
        Some(p) => match store.page(p).await {
            Ok(p) => Some(p),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let cluster_size = match ad.cluster_id {
        Some(c) => store.lead_total(&LeadFilter { cluster_id: Some(c), ..Default::default() }, i64::MAX).await?.count,
        None => 1,
    };
    let mut linked: Vec<i64> = links.iter().flat_map(|l| [l.ad_a, l.ad_b]).filter(|x| *x != id).collect();
    linked.sort_unstable();
    linked.dedup();
    let titles = if linked.is_empty() {
        BTreeMap::new()
    } else {
        let rows = store.leads(&LeadFilter { ids: Some(linked), limit: Some(1000), ..Default::default() }).await?;
        rows.into_iter().map(|r| (r.id, r.title)).collect()
    };
    let mut contact_counts = BTreeMap::new();
    for e in entities.iter().filter(|e| is_contact(&e.kind)) {
        let key = (e.kind.clone(), e.value.clone());
        if contact_counts.len() >= MAX_COUNTED_CONTACTS || contact_counts.contains_key(&key) {
            continue;
        }
        let n = store.ads_with_entity(&e.kind, &e.value).await?.len();
        contact_counts.insert(key, n);
    }
    let usernames = store.users().await?.into_iter().filter(|u| !u.disabled).map(|u| u.username).collect();
    let cases = store.cases_of_ad(id).await?;
    let open_cases = crate::pages::cases::open_cases(state).await?;
    let job_escort = crosslink::shared_contacts(store, &links).await?;
    let features = match ad.cluster_id {
        Some(c) if cluster_size > 1 => Some(crosslink::features_of(store, c).await?),
        _ => None,
    };
    Ok(AdView {
        ad,
        versions,
        urls,
        entities,
        score,
        links,
        images,
        triage,
        page,
        cluster_size,
        titles,
        contact_counts,
        usernames,
        cases,
        open_cases,
        job_escort,
        features,
    })
}

fn is_contact(kind: &str) -> bool {
    matches!(kind, "phone" | "email" | "handle")
}

/// Query of the ad page.
#[derive(Debug, serde::Deserialize)]
pub struct AdQuery {
    saved: Option<String>,
}

/// `GET /ads/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<AdQuery>,
) -> Result<Markup, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("ad {id}")))?;
    let v = load(&state, id).await?;
    let title = if v.ad.fields.title.trim().is_empty() { "(no title)".to_string() } else { v.ad.fields.title.clone() };
    let triage_state = v.triage.as_ref().map(|t| t.state).unwrap_or_default();
    Ok(views::page(
        &title,
        &user,
        Nav::Leads,
        "",
        html! {
            p.muted { a href="/leads" { "← Leads" } }
            h1 { (views::risk_badge(v.ad.risk)) " " (title) @if !v.job_escort.is_empty() { " " (crosslink::badge()) } }
            p.muted {
                "Ad " (v.ad.id) " · " (v.ad.kind.as_str()) " · " (v.ad.site) " · version " (v.ad.version)
                " · " (views::triage_badge(triage_state))
            }
            @if q.saved.is_some() { p.flash role="status" { "Triage saved." } }
            div.layout {
                div {
                    (crosslink::section(&v.job_escort))
                    (why_section(&v))
                    (super::images::section(&v.images))
                    (versions_section(&v, &user))
                }
                aside {
                    (facts_section(&v))
                    (triage_section(&v, &user))
                    (crate::pages::cases::ad_panel(v.ad.id, &v.cases, &v.open_cases, &user))
                    (contacts_section(&v))
                    (network_section(&v))
                    (super::watches::ad_watches(
                        &user,
                        &v.entities.iter().filter(|e| is_contact(&e.kind)).map(|e| (e.kind.as_str(), e.value.as_str())).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>(),
                        v.ad.cluster_id.filter(|_| v.cluster_size > 1),
                    ))
                    (urls_section(&v))
                    (evidence_section(&v, &user))
                }
            }
        },
    ))
}

/// The text the latest score was computed on: that version's title and body.
fn scored_text(v: &AdView) -> (String, i64) {
    let version = v.score.as_ref().map(|s| s.version).unwrap_or(v.ad.version);
    let fields = v.versions.iter().find(|x| x.version == version).map(|x| &x.fields).unwrap_or(&v.ad.fields);
    (fields.scoring_text(), version)
}

fn why_section(v: &AdView) -> Markup {
    let (text, version) = scored_text(v);
    let indicators = v.score.as_ref().map(|s| s.indicators.as_slice()).unwrap_or_default();
    let mut spans = Vec::new();
    let mut located: Vec<Vec<Option<(usize, usize)>>> = Vec::new();
    for (i, ind) in indicators.iter().enumerate() {
        let mut l = Vec::new();
        for e in &ind.evidence {
            let at = locate(&text, e);
            if let Some((start, end)) = at {
                spans.push(Span { start, end, tag: i });
            }
            l.push(at);
        }
        located.push(l);
    }
    let segs = segments(&text, &spans);
    let mut anchored: HashSet<usize> = HashSet::new();
    html! {
        section #why {
            h2 { "Why this score" }
            @match &v.score {
                Some(s) => p {
                    "Risk " strong { (s.risk) } " of 100 ("
                    @if v.ad.kind == AdKind::Job { "calibrated probability " } @else { "indicator score, not a calibrated probability: " }
                    (format!("{:.3}", s.probability)) ", verdict "
                    (s.verdict.replace('_', " ")) ") by model " code { (s.model) } " on version " (s.version)
                    @if let Some(l) = &s.language { ", language " (l) @if !s.language_supported { " (not covered by language-specific indicators)" } }
                    ", scored " (views::time(s.scored_at)) "."
                    @if s.version != v.ad.version { " " strong { "The ad has changed since; this is the text that was scored." } }
                },
                None => p.muted { "Not scored yet. Run " code { "redflag analyze" } "." },
            }
            div.adtext lang=[v.score.as_ref().and_then(|s| s.language.as_deref())] {
                @for seg in &segs {
                    @if seg.tags.is_empty() {
                        (seg.text)
                    } @else {
                        @let first = seg.tags.iter().copied().find(|t| anchored.insert(*t));
                        @let names: Vec<&str> = seg.tags.iter().filter_map(|t| indicators.get(*t)).map(|i| i.id.as_str()).collect();
                        mark id=[first.map(|t| format!("ev-{t}"))] title=(names.join(", ")) { (seg.text) }
                    }
                }
            }
            p.muted { "Text of version " (version) ": title, blank line, body. Marked spans are the evidence below." }
            @if !indicators.is_empty() {
                h2 { "Indicators" }
                ul.inds {
                    @for (i, ind) in indicators.iter().enumerate() {
                        li class=(if ind.weight >= 0.0 { "pos" } else { "neg" }) {
                            @let name = views::indicator_name(&ind.id);
                            @if name != ind.id { strong { (name) } " " }
                            code { (ind.id) } " "
                            span.weight title="effect on the score in log-odds" { (format!("{:+.2}", ind.weight)) }
                            div { (ind.description) }
                            @if let Some(n) = &ind.note { div.muted { (n) } }
                            @for (j, e) in ind.evidence.iter().enumerate() {
                                blockquote {
                                    q { (e.text) }
                                    @match located.get(i).and_then(|l| l.get(j)).copied().flatten() {
                                        Some(_) => { " " a href={"#ev-" (i)} { "show in text" } },
                                        None => span.muted { " (not found in the text above)" },
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

fn facts_section(v: &AdView) -> Markup {
    let f = &v.ad.fields;
    let rows: [(&str, Option<&str>); 6] = [
        ("Price", f.price.as_deref()),
        ("Age", f.age.as_deref()),
        ("City", f.city.as_deref()),
        ("Company", f.company.as_deref()),
        ("Contact", f.contact.as_deref()),
        ("Posted", f.posted_at.as_deref()),
    ];
    let price = f.price.as_deref().and_then(redflag_core::extract::parse_price);
    html! {
        section.panel {
            h2 { "Facts" }
            dl.facts {
                @for (k, val) in rows {
                    @if let Some(val) = val { dt { (k) } dd { (val) } }
                }
                @if let Some(p) = &price {
                    dt { "Price read as" }
                    dd { (p.amount) " " (p.currency.as_deref().unwrap_or("(currency unknown)")) @if let Some(per) = &p.per { " per " (per) } }
                }
                dt { "First seen" } dd { (views::time(v.ad.first_seen)) }
                dt { "Last seen" } dd { (views::time(v.ad.last_seen)) }
                dt { "Fetched" } dd { (views::time(v.ad.fetched_at)) }
            }
        }
    }
}

fn triage_section(v: &AdView, user: &CurrentUser) -> Markup {
    let t = v.triage.as_ref();
    let state = t.map(|t| t.state).unwrap_or_default();
    html! {
        section.panel #triage {
            h2 { "Triage" }
            @if let Some(t) = t {
                p.muted { "Last changed by " (t.updated_by) " at " (views::time(t.updated_at)) "." }
            }
            @if user.can(Role::Analyst) {
                form method="post" action={"/ads/" (v.ad.id) "/triage"} {
                    input type="hidden" name="csrf" value=(user.csrf);
                    label for="t-state" { "State" }
                    select #t-state name="state" accesskey="t" {
                        @for s in TriageState::ALL { option value=(s.as_str()) selected[s == state] { (s.as_str()) } }
                    }
                    label for="t-assignee" { "Assignee" }
                    input #t-assignee type="text" name="assignee" maxlength="64" list="assignees" value=[t.and_then(|t| t.assignee.as_deref())];
                    datalist #assignees { @for u in &v.usernames { option value=(u) {} } }
                    label for="t-note" { "Note" }
                    textarea #t-note name="note" maxlength="4000" { (t.and_then(|t| t.note.as_deref()).unwrap_or("")) }
                    p { button.primary type="submit" { "Save triage" } }
                }
            } @else {
                dl.facts {
                    dt { "State" } dd { (views::triage_badge(state)) }
                    dt { "Assignee" } dd { (t.and_then(|t| t.assignee.as_deref()).unwrap_or("–")) }
                    dt { "Note" } dd { (t.and_then(|t| t.note.as_deref()).unwrap_or("–")) }
                }
                p.muted { "Viewers cannot change triage." }
            }
        }
    }
}

fn contacts_section(v: &AdView) -> Markup {
    let mut contacts: Vec<&EntityRow> = Vec::new();
    let mut others: Vec<&EntityRow> = Vec::new();
    let mut seen = HashSet::new();
    for e in &v.entities {
        if !seen.insert((e.kind.as_str(), e.value.as_str())) {
            continue;
        }
        if is_contact(&e.kind) { contacts.push(e) } else { others.push(e) }
    }
    html! {
        section.panel {
            h2 { "Contacts and entities" }
            @if v.entities.is_empty() { p.muted { "None extracted." } }
            ul {
                @for e in &contacts {
                    li {
                        (e.kind) " "
                        a href={"/contacts?" (views::query_string([("kind", e.kind.clone()), ("value", e.value.clone())]))} { code { (e.value) } }
                        @if let Some(n) = v.contact_counts.get(&(e.kind.clone(), e.value.clone())) {
                            " " span.muted { "(" (n) " " (if *n == 1 { "ad" } else { "ads" }) ")" }
                        }
                        @if e.obfuscated { " " span.ind title={"written as: " (e.raw)} { "obfuscated" } }
                    }
                }
                @for e in &others {
                    li { (e.kind) " " code { (e.value) } @if e.raw != e.value { " " span.muted { "(" q { (e.raw) } ")" } } }
                }
            }
        }
    }
}

fn network_section(v: &AdView) -> Markup {
    html! {
        section.panel {
            h2 { "Network" }
            @match v.ad.cluster_id {
                Some(c) if v.cluster_size > 1 => p {
                    a href={"/networks/" (c)} { "Network " (c) } ": " (v.cluster_size) " ads."
                    @if v.ad.cluster_kind == Some(redflag_core::link::GroupKind::SameAdvertiser) {
                        " " span.muted { "Same advertiser: one employer's own postings, not a network of concern." }
                    }
                },
                _ => p.muted { "Not linked to other ads." },
            }
            @if let Some(f) = &v.features { (crosslink::features(f)) }
            @if !v.links.is_empty() {
                ul {
                    @for (other, links) in links_by_ad(v) {
                        li {
                            a href={"/ads/" (other)} { "Ad " (other) }
                            @if let Some(t) = v.titles.get(&other) { " " span.muted { (t) } }
                            " — "
                            @for (i, l) in links.iter().enumerate() {
                                @if i > 0 { "; " }
                                (link_reason(&l.reason))
                                " " span.ind title="link strength, 0–1" { "strength " (format!("{:.2}", l.strength)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The ad's links grouped by the other ad, in the order the other ads first appear.
fn links_by_ad(v: &AdView) -> Vec<(i64, Vec<&LinkRow>)> {
    let mut out: Vec<(i64, Vec<&LinkRow>)> = Vec::new();
    for l in &v.links {
        let other = l.other(v.ad.id);
        match out.iter_mut().find(|(o, _)| *o == other) {
            Some((_, links)) => links.push(l),
            None => out.push((other, vec![l])),
        }
    }
    out
}

/// Why two ads are linked, in words.
pub fn link_reason(r: &LinkReason) -> Markup {
    match r {
        LinkReason::SharedContact { contact } => html! { "shares " code { (contact) } },
        LinkReason::Relay { contact, advertisers } => html! {
            "both carry " code { (contact) } ", a relay address shared by ads of " (advertisers)
            " different advertisers (weak; not a network link)"
        },
        LinkReason::Template { similarity } => {
            html! { "same text template (similarity " (format!("{similarity:.2}")) ")" }
        }
        LinkReason::Image { distance, advertisers } => html! {
            "shows a copy of the same picture (hashes " (distance) " bits apart of 64; the picture is shown by "
            (advertisers) " distinct advertiser" @if *advertisers != 1 { "s" } ")"
        },
        LinkReason::JobEscort { contact } => html! { (crosslink::badge()) " both carry " code { (contact) } },
    }
}

fn urls_section(v: &AdView) -> Markup {
    html! {
        section.panel {
            h2 { "URLs" }
            ul { @for u in &v.urls { li { (views::ext_link(u)) } } }
            @if !v.urls.contains(&v.ad.url) { p { "Canonical: " (views::ext_link(&v.ad.url)) } }
        }
    }
}

fn evidence_section(v: &AdView, user: &CurrentUser) -> Markup {
    html! {
        section.panel #evidence {
            h2 { "Evidence page" }
            @match &v.page {
                None => p.muted { "No stored page for this version." },
                Some(p) => {
                    dl.facts {
                        dt { "SHA-256" } dd.mono { (p.sha256) }
                        dt { "Fetched" } dd { (views::time(p.fetched_at)) }
                        dt { "Requested" } dd { (views::ext_link(&p.url)) }
                        dt { "Final URL" } dd { (views::ext_link(&p.final_url)) }
                        dt { "Status" } dd { (p.status) }
                        dt { "Size" } dd { (views::bytes(p.size)) @if p.truncated { " (cut at the size limit)" } }
                        @if let Some(ct) = &p.content_type { dt { "Type" } dd { (ct) } }
                    }
                    @if user.can(Role::Analyst) {
                        p { a href={"/pages/" (p.id) "/raw"} download { "Download the raw bytes" } }
                        p.muted { "Check them with " code { "sha256sum" } "; downloads are recorded in the audit log." }
                    }
                }
            }
        }
    }
}

fn versions_section(v: &AdView, user: &CurrentUser) -> Markup {
    html! {
        section #versions {
            h2 { "Versions (" (v.versions.len()) ")" }
            @for (k, ver) in v.versions.iter().enumerate() {
                @let older = v.versions.get(k + 1);
                details open[k == 0 && older.is_some()] {
                    summary {
                        "Version " (ver.version) " · fetched " (views::time(ver.fetched_at))
                        @if let Some(p) = ver.page_id { @if user.can(Role::Analyst) { " · " a href={"/pages/" (p) "/raw"} download { "evidence" } } }
                        @if older.is_none() { " · first seen" }
                    }
                    @match older {
                        Some(o) => (version_diff(&o.fields, &ver.fields)),
                        None => p.muted { "The first version stored." },
                    }
                }
            }
        }
    }
}

fn version_diff(old: &redflag_core::AdFields, new: &redflag_core::AdFields) -> Markup {
    let short: [(&str, &Option<String>, &Option<String>); 6] = [
        ("Price", &old.price, &new.price),
        ("City", &old.city, &new.city),
        ("Contact", &old.contact, &new.contact),
        ("Age", &old.age, &new.age),
        ("Company", &old.company, &new.company),
        ("Posted", &old.posted_at, &new.posted_at),
    ];
    let text_changed = old.title != new.title || old.body != new.body;
    html! {
        ul {
            @for (name, a, b) in short {
                @if a != b {
                    li { (name) ": " del { (a.as_deref().unwrap_or("(none)")) } " → " ins { (b.as_deref().unwrap_or("(none)")) } }
                }
            }
        }
        @if text_changed {
            div.diff.adtext { (render_diff(&diff_words(&old.scoring_text(), &new.scoring_text()))) }
        } @else {
            p.muted { "Text unchanged." }
        }
    }
}

fn render_diff(changes: &[Change]) -> Markup {
    html! {
        @for c in changes {
            @match c {
                Change::Same(s) => (s),
                Change::Removed(s) => del { (s) },
                Change::Added(s) => ins { (s) },
            }
        }
    }
}

/// The triage form.
#[derive(Debug, serde::Deserialize)]
pub struct TriageForm {
    csrf: Option<String>,
    state: Option<String>,
    assignee: Option<String>,
    note: Option<String>,
}

/// `POST /ads/{id}/triage` (analyst or admin).
pub async fn set_triage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<TriageForm>,
) -> Result<Response, AppError> {
    user.check_csrf(f.csrf.as_deref())?;
    user.require(Role::Analyst)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("ad {id}")))?;
    let new_state = f
        .state
        .as_deref()
        .and_then(TriageState::parse)
        .ok_or_else(|| AppError::BadRequest("unknown triage state".into()))?;
    let clean = |s: Option<String>, max: usize, what: &str| -> Result<Option<String>, AppError> {
        let s = s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        match s {
            Some(s) if s.chars().count() > max => {
                Err(AppError::BadRequest(format!("{what} is longer than {max} characters")))
            }
            other => Ok(other),
        }
    };
    let assignee = clean(f.assignee, 64, "assignee")?;
    let note = clean(f.note, 4000, "note")?;
    state.store().set_triage(id, new_state, assignee.as_deref(), note.as_deref(), &user.user.username).await?;
    Ok(Redirect::to(&format!("/ads/{id}?saved=1#triage")).into_response())
}

/// `GET /pages/{id}/raw` (analyst or admin): the evidence bytes exactly as stored, as a download that
/// no browser renders.
pub async fn raw_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    user.require(Role::Analyst)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("page {id}")))?;
    let page = state.store().page(id).await?;
    state
        .store()
        .audit(&user.user.username, "evidence.download", Some(&format!("page:{id}")), Some(&page.sha256))
        .await?;
    let sha_short: String = page.sha256.chars().filter(|c| c.is_ascii_hexdigit()).take(12).collect();
    let disposition = format!("attachment; filename=\"redflag-page-{id}-{sha_short}.bin\"");
    let mut resp = page.body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    if let Ok(v) = HeaderValue::from_str(&page.sha256) {
        h.insert("x-evidence-sha256", v);
    }
    Ok(resp)
}
