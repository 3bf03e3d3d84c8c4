//! The lead queue (`/`, `/leads`): every ad, riskiest first, with filters (kind, risk, triage state,
//! site, assignee, indicator, job ↔ escort contact), bulk actions on the ticked ads (set their triage state and assignee, add
//! them to a case), and the same table for "all ads with this contact" (`/contacts`).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_store::{LeadFilter, LeadRow, LeadSort, LeadTotal, Site, TriageState};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Query parameters of the lead list (also the JSON API). All optional and parsed leniently: a bad
/// value is ignored with a warning, never a failed page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LeadsQuery {
    /// `escort` or `job`.
    pub kind: Option<String>,
    /// 0–100.
    pub min_risk: Option<String>,
    /// A triage state.
    pub triage: Option<String>,
    /// A site id.
    pub site: Option<String>,
    /// `risk` (default) or `newest`.
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<String>,
    /// Who the ad is assigned to; `-` for ads nobody is assigned to (`me` in the dashboard: the user).
    pub assignee: Option<String>,
    /// An indicator id: only ads whose latest score fired it.
    pub indicator: Option<String>,
    /// Set after a bulk action: how many ads it changed.
    pub saved: Option<String>,
    /// `1`: only ads sharing a contact with an ad of the other kind (job ↔ escort).
    pub job_escort: Option<String>,
}

/// A parsed lead query.
#[derive(Debug)]
pub struct ParsedLeads {
    /// The store filter, with limit and offset set.
    pub filter: LeadFilter,
    /// The page number.
    pub page: i64,
    /// The filter as query pairs (without the page), for links.
    pub pairs: Vec<(&'static str, String)>,
    /// What was ignored.
    pub warnings: Vec<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Turns query parameters into a store filter.
pub fn parse(q: &LeadsQuery, page_size: i64) -> ParsedLeads {
    let mut f = LeadFilter::default();
    let mut pairs = Vec::new();
    let mut warnings = Vec::new();
    if let Some(k) = nonempty(&q.kind) {
        match k.parse::<AdKind>() {
            Ok(kind) => {
                f.kind = Some(kind);
                pairs.push(("kind", kind.as_str().to_string()));
            }
            Err(e) => warnings.push(e.to_string()),
        }
    }
    if let Some(r) = nonempty(&q.min_risk) {
        match r.parse::<i64>() {
            Ok(r) if (0..=100).contains(&r) => {
                f.min_risk = Some(r);
                pairs.push(("min_risk", r.to_string()));
            }
            _ => warnings.push(format!("minimum risk {r:?} is not a number from 0 to 100")),
        }
    }
    if let Some(t) = nonempty(&q.triage) {
        match TriageState::parse(t) {
            Some(t) => {
                f.triage = Some(t);
                pairs.push(("triage", t.as_str().to_string()));
            }
            None => warnings.push(format!("unknown triage state {t:?}")),
        }
    }
    if let Some(s) = nonempty(&q.site) {
        match s.parse::<i64>() {
            Ok(id) => {
                f.site_id = Some(id);
                pairs.push(("site", id.to_string()));
            }
            Err(_) => warnings.push(format!("site {s:?} is not a site id")),
        }
    }
    if let Some(a) = nonempty(&q.assignee) {
        if a.chars().count() > 64 {
            warnings.push("assignee is longer than 64 characters".to_string());
        } else {
            f.assignee = Some((a != "-").then(|| a.to_string()));
            pairs.push(("assignee", a.to_string()));
        }
    }
    if let Some(i) = nonempty(&q.indicator) {
        if i.len() <= 100 && i.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
            f.indicator = Some(i.to_string());
            pairs.push(("indicator", i.to_string()));
        } else {
            warnings.push(format!("{i:?} is not an indicator id"));
        }
    }
    match nonempty(&q.sort) {
        None | Some("risk") => {}
        Some("newest") => {
            f.sort = LeadSort::Newest;
            pairs.push(("sort", "newest".into()));
        }
        Some(other) => warnings.push(format!("unknown sort {other:?}")),
    }
    match nonempty(&q.job_escort) {
        None | Some("0") => {}
        Some("1" | "on" | "true") => {
            f.job_escort = true;
            pairs.push(("job_escort", "1".into()));
        }
        Some(other) => warnings.push(format!("job_escort {other:?} is not 1 or 0")),
    }
    let page = views::page_number(q.page.as_deref());
    f.limit = Some(page_size);
    f.offset = (page - 1).saturating_mul(page_size);
    ParsedLeads { filter: f, page, pairs, warnings }
}

/// The lead table, shared by the queue, contact pages and network pages.
pub fn lead_table(rows: &[LeadRow], show_network: bool) -> Markup {
    selectable_lead_table(rows, show_network, None)
}

/// The lead table with a tick box per row that belongs to the form with id `form`, when given (the
/// queue's "add to case").
pub fn selectable_lead_table(rows: &[LeadRow], show_network: bool, form: Option<&str>) -> Markup {
    html! {
        div.table-wrap {
            table.leads {
                thead { tr {
                    @if form.is_some() { th { span.sr { "Select" } } }
                    th.num { "Risk" } th { "Ad" } th { "Kind" } th { "Site" } th { "City" }
                    @if show_network { th.num { "Network" } }
                    th { "Triage" } th { "Last seen" }
                } }
                tbody {
                    @for r in rows {
                        tr data-row {
                            @if let Some(f) = form {
                                td { input type="checkbox" name="ad" value=(r.id) form=(f) aria-label={"Select ad " (r.id)}; }
                            }
                            td.num { (views::risk_badge(r.risk)) }
                            td.title-cell {
                                a href={"/ads/" (r.id)} { @if r.title.trim().is_empty() { "(no title)" } @else { (r.title) } }
                                div {
                                    @if r.job_escort { (crate::pages::crosslink::badge()) }
                                    @for id in r.indicators.iter().take(4) { (views::indicator_badge(id)) }
                                    @if r.indicators.len() > 4 { span.muted { " +" (r.indicators.len() - 4) } }
                                }
                            }
                            td { (r.kind.as_str()) }
                            td { (r.site) }
                            td { (r.city.as_deref().unwrap_or("")) }
                            @if show_network {
                                td.num {
                                    @match r.cluster_id {
                                        Some(c) if r.cluster_size > 1 => a href={"/networks/" (c)} title="ads in this network" { (r.cluster_size) }
                                        _ => span.muted { "1" }
                                    }
                                }
                            }
                            td { (views::triage_badge(r.triage)) }
                            td { (views::time(r.last_seen)) }
                        }
                    }
                }
            }
        }
        @if rows.is_empty() { p.muted { "No ads match." } }
    }
}

fn filters_form(p: &ParsedLeads, sites: &[Site], assignee: Option<&str>) -> Markup {
    let f = &p.filter;
    let catalogue = redflag_classifier::Catalogue::bundled().ok();
    html! {
        form.filters method="get" action="/leads" {
            div {
                label for="f-kind" { "Kind" }
                select #f-kind name="kind" {
                    option value="" { "any" }
                    @for k in [AdKind::Escort, AdKind::Job] {
                        option value=(k.as_str()) selected[f.kind == Some(k)] { (k.as_str()) }
                    }
                }
            }
            div {
                label for="f-risk" { "Min. risk" }
                input #f-risk type="number" name="min_risk" min="0" max="100" value=[f.min_risk];
            }
            div {
                label for="f-triage" { "Triage" }
                select #f-triage name="triage" {
                    option value="" { "any" }
                    @for t in TriageState::ALL {
                        option value=(t.as_str()) selected[f.triage == Some(t)] { (t.as_str()) }
                    }
                }
            }
            div {
                label for="f-site" { "Site" }
                select #f-site name="site" {
                    option value="" { "any" }
                    @for s in sites {
                        option value=(s.id) selected[f.site_id == Some(s.id)] { (s.name) }
                    }
                }
            }
            div {
                label for="f-assignee" { "Assignee" }
                input #f-assignee type="text" name="assignee" value=[assignee] size="10" maxlength="64" placeholder="name, me or -" title="a name, me, or - for unassigned";
            }
            div {
                label for="f-indicator" { "Indicator" }
                select #f-indicator name="indicator" {
                    option value="" { "any" }
                    @if let Some(c) = &catalogue {
                        @for kind in [AdKind::Job, AdKind::Escort] {
                            optgroup label={(kind.as_str()) " ads"} {
                                @for (_, ind) in c.of_kind(kind) {
                                    option value=(ind.id) selected[f.indicator.as_deref() == Some(ind.id.as_str())] { (ind.title("en")) }
                                }
                            }
                        }
                    }
                }
            }
            div {
                label for="f-sort" { "Order" }
                select #f-sort name="sort" {
                    option value="risk" selected[f.sort == LeadSort::Risk] { "riskiest first" }
                    option value="newest" selected[f.sort == LeadSort::Newest] { "newest first" }
                }
            }
            div {
                label for="f-job-escort" { "Contacts" }
                label { input #f-job-escort type="checkbox" name="job_escort" value="1" checked[f.job_escort]; " job ↔ escort contact" }
            }
            div { button type="submit" { "Apply" } " " a href="/leads" { "Reset" } }
        }
    }
}

/// Warnings about ignored input, if any.
pub fn warnings(w: &[String]) -> Markup {
    html! {
        @if !w.is_empty() {
            div.flash.warn role="status" {
                "Ignored: "
                @for (i, m) in w.iter().enumerate() { @if i > 0 { "; " } (m) }
            }
        }
    }
}

/// How many of `risks` (0–100, calibrated probabilities × 100) are expected to be true: the sum of
/// the probabilities.
fn expected_true(risks: impl Iterator<Item = Option<i64>>) -> f64 {
    risks.flatten().map(|r| r.clamp(0, 100) as f64 / 100.0).sum()
}

/// A line above the lead table saying what its order means: for job ads the risk is a calibrated
/// probability (at the EMSCAD fraud rate of 4.84 %), so the page's job leads are expected to hold
/// about the sum of their risks in true cases; escort ads are ordered by an uncalibrated indicator
/// score, which predicts no count.
fn what_the_ranking_means(rows: &[LeadRow]) -> Markup {
    let jobs: Vec<&LeadRow> = rows.iter().filter(|r| r.kind == AdKind::Job && r.risk.is_some()).collect();
    let escorts = rows.iter().filter(|r| r.kind == AdKind::Escort).count();
    html! {
        @if !jobs.is_empty() || escorts > 0 {
            p.muted.ranking {
                @if !jobs.is_empty() {
                    "Of the " (jobs.len()) " job ads on this page, about "
                    (format!("{:.0}", expected_true(jobs.iter().map(|r| r.risk))))
                    " are expected to be fraudulent (their risks are calibrated probabilities; on a board where fraud is rarer or commoner than the 4.84 % of the training data the count shifts). "
                }
                @if escorts > 0 {
                    "Escort ads are ordered by an indicator score, not a probability: it ranks ads by the evidence-based indicators they show and predicts no count."
                }
            }
        }
    }
}

/// `GET /` and `GET /leads`.
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<LeadsQuery>,
) -> Result<Markup, AppError> {
    let size = state.config().page_size.clamp(1, 1000);
    let mut q = q;
    let typed_assignee = nonempty(&q.assignee).map(str::to_string);
    if typed_assignee.as_deref() == Some("me") {
        q.assignee = Some(user.user.username.clone());
    }
    let p = parse(&q, size);
    let store = state.store();
    let cap = LeadTotal::cap_for(p.filter.offset, size);
    let (rows, total, sites) =
        tokio::try_join!(store.leads(&p.filter), store.lead_total(&p.filter, cap), store.sites())?;
    let open_cases = if user.can(redflag_store::Role::Analyst) {
        crate::pages::cases::open_cases(&state).await?
    } else {
        Vec::new()
    };
    let selectable = user.can(redflag_store::Role::Analyst).then_some(ACTIONS_FORM);
    let mut back = views::query_string(p.pairs.iter().map(|(k, v)| (*k, v.clone())));
    if p.page > 1 {
        back = format!("{back}{}page={}", if back.is_empty() { "" } else { "&" }, p.page);
    }
    let back = if back.is_empty() { "/leads".to_string() } else { format!("/leads?{back}") };
    Ok(views::page(
        "Leads",
        &user,
        Nav::Leads,
        "",
        html! {
            h1 { "Leads" }
            @if let Some(n) = q.saved.as_deref().and_then(|n| n.parse::<u32>().ok()) {
                div.flash role="status" { (n) " ads updated." }
            }
            (warnings(&p.warnings))
            (filters_form(&p, &sites, typed_assignee.as_deref()))
            (what_the_ranking_means(&rows))
            (actions_form(&open_cases, &user, &back))
            (selectable_lead_table(&rows, true, selectable))
            (views::pager_of("/leads", &p.pairs, p.page, size, total))
            @if user.can(redflag_store::Role::Analyst) {
                p.muted { a href="/export.jsonl" download { "Export all ads (JSON Lines)" } " — the same format as " code { "redflag export" } "; the export is recorded in the audit log." }
            }
        },
    ))
}

/// The id of the form the queue's tick boxes belong to.
const ACTIONS_FORM: &str = "lead-actions";

/// The most ads one bulk action changes.
const MAX_BULK: usize = 1000;

/// The bulk actions on the ticked leads (analysts and admins): set their triage state (and, if typed,
/// their assignee), or add them to an open case. One form, two buttons, each posting the ticked ads
/// where it acts.
fn actions_form(open: &[redflag_store::Case], user: &CurrentUser, back: &str) -> Markup {
    html! {
        @if user.can(redflag_store::Role::Analyst) {
            form.filters.bulk id=(ACTIONS_FORM) method="post" action="/leads/triage" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="action" value="add";
                input type="hidden" name="back" value=(back);
                div {
                    label for="b-state" { "Ticked ads: set state" }
                    select #b-state name="state" {
                        @for t in TriageState::ALL { option value=(t.as_str()) selected[t == TriageState::Reviewing] { (t.as_str()) } }
                    }
                }
                div {
                    label for="b-assignee" { "assign to" }
                    input #b-assignee type="text" name="assignee" size="10" maxlength="64" placeholder="unchanged" title="leave empty to keep each ad's assignee; - to clear it";
                }
                div { button type="submit" formaction="/leads/triage" { "Set state" } }
                @if !open.is_empty() {
                    div {
                        label for="q-case" { "or add them to case" }
                        select #q-case name="case" { @for c in open { option value=(c.id) { (c.name) } } }
                    }
                    div { button type="submit" formaction="/cases/ads" { "Add to case" } }
                }
            }
        }
    }
}

/// `POST /leads/triage` (analysts and admins): sets the triage state of the ticked ads, and their
/// assignee when one is typed (`-` clears it), in one transaction; each ad's change is audited.
pub async fn bulk_triage(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, AppError> {
    let (mut csrf, mut new_state, mut assignee, mut back, mut ads) = (None, None, None, None, Vec::new());
    for (k, v) in url::form_urlencoded::parse(&body) {
        match &*k {
            "csrf" => csrf = Some(v.into_owned()),
            "state" => new_state = Some(v.into_owned()),
            "assignee" => assignee = Some(v.trim().to_string()),
            "back" => back = Some(v.into_owned()),
            "ad" => ads.push(v.trim().to_string()),
            _ => {}
        }
    }
    user.check_csrf(csrf.as_deref())?;
    user.require(redflag_store::Role::Analyst)?;
    let new_state = new_state
        .as_deref()
        .and_then(TriageState::parse)
        .ok_or_else(|| AppError::BadRequest("unknown triage state".into()))?;
    let mut ids: Vec<i64> = ads
        .iter()
        .map(|a| a.parse().map_err(|_| AppError::BadRequest(format!("{a:?} is not an ad id"))))
        .collect::<Result<_, _>>()?;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::BadRequest("tick at least one ad".into()));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::BadRequest(format!("at most {MAX_BULK} ads at a time")));
    }
    let assignee = match assignee.as_deref() {
        None | Some("") => None,
        Some("-") => Some(None),
        Some(a) if a.chars().count() > 64 => {
            return Err(AppError::BadRequest("assignee is longer than 64 characters".into()));
        }
        Some(a) => Some(Some(a)),
    };
    state.store().set_triage_many(&ids, new_state, assignee, &user.user.username).await?;
    let back =
        back.filter(|b| crate::auth::is_local_path(b) && b.starts_with("/leads")).unwrap_or_else(|| "/leads".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}saved={}", ids.len())).into_response())
}

/// Query of the contact page.
#[derive(Debug, serde::Deserialize)]
pub struct ContactQuery {
    kind: Option<String>,
    value: Option<String>,
}

/// `GET /contacts?kind=phone&value=+1…`: every ad carrying one phone number, e-mail or handle.
pub async fn contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ContactQuery>,
) -> Result<Markup, AppError> {
    let kind = match nonempty(&q.kind) {
        Some(k @ ("phone" | "email" | "handle")) => k,
        _ => return Err(AppError::BadRequest("kind must be phone, email or handle".into())),
    };
    let value = nonempty(&q.value).ok_or_else(|| AppError::BadRequest("no contact value given".into()))?;
    let ids = state.store().ads_with_entity(kind, value).await?;
    let filter = LeadFilter { ids: Some(ids.clone()), limit: Some(1000), ..Default::default() };
    let rows = state.store().leads(&filter).await?;
    let cities: std::collections::BTreeSet<&str> = rows.iter().filter_map(|r| r.city.as_deref()).collect();
    let sites: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.site.as_str()).collect();
    Ok(views::page(
        "Contact",
        &user,
        Nav::Leads,
        value,
        html! {
            h1 { "Ads with " (kind) " " code { (value) } }
            (super::watches::watch_form(&user, redflag_store::WatchKind::Contact, &format!("{kind}:{value}"), (None, None), &format!("{kind} {value}"), "Watch this contact"))
            p {
                (ids.len()) " ads · " (cities.len()) " cities · " (sites.len()) " sites"
                @if !cities.is_empty() { span.muted { " (" @for (i, c) in cities.iter().enumerate() { @if i > 0 { ", " } (c) } ")" } }
            }
            (lead_table(&rows, true))
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> LeadsQuery {
        let get = |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
        LeadsQuery {
            kind: get("kind"),
            min_risk: get("min_risk"),
            triage: get("triage"),
            site: get("site"),
            sort: get("sort"),
            page: get("page"),
            assignee: get("assignee"),
            indicator: get("indicator"),
            saved: None,
            job_escort: get("job_escort"),
        }
    }

    #[test]
    fn expected_true_leads_are_the_sum_of_calibrated_probabilities() {
        assert!((expected_true([Some(90), Some(50), Some(10), None].into_iter()) - 1.5).abs() < 1e-9);
        assert_eq!(expected_true(std::iter::empty()), 0.0);
        assert!((expected_true([Some(150), Some(-5)].into_iter()) - 1.0).abs() < 1e-9, "risks are clamped to 0-100");
    }

    #[test]
    fn filters_parse_leniently() {
        let p = parse(
            &q(&[("kind", "job"), ("min_risk", "60"), ("triage", "escalated"), ("site", "2"), ("page", "3")]),
            50,
        );
        assert_eq!(p.filter.kind, Some(AdKind::Job));
        assert_eq!(
            (p.filter.min_risk, p.filter.triage, p.filter.site_id),
            (Some(60), Some(TriageState::Escalated), Some(2))
        );
        assert_eq!((p.filter.limit, p.filter.offset, p.page), (Some(50), 100, 3));
        assert!(p.warnings.is_empty());
        let p = parse(
            &q(&[("kind", "cars"), ("min_risk", "999"), ("triage", "x"), ("site", "a"), ("sort", "?"), ("page", "0")]),
            50,
        );
        assert_eq!(p.warnings.len(), 5, "{:?}", p.warnings);
        assert!(p.filter.kind.is_none() && p.filter.min_risk.is_none() && p.pairs.is_empty());
        assert_eq!(p.page, 1);
    }
}
