//! The API's endpoints. Every one needs an analyst or admin (the API is a bulk-read path: a script pages
//! through every ad, contact and triage note, as the export does); viewers read the pages one at a time.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use redflag_core::AdKind;
use redflag_core::link::GroupKind;
use redflag_index::{SearchQuery, SortBy};
use redflag_store::{LeadFilter, Role, TriageState};
use serde::Deserialize;
use utoipa::IntoParams;

use super::cursor;
use super::schema::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::pages::leads::{self, LeadsQuery};

/// The role every endpoint needs.
pub const REQUIRED: Role = Role::Analyst;

/// Networks read for the list, which is paged in memory.
const MAX_NETWORKS: i64 = 2000;
/// Ads listed for one network or contact.
const MAX_GROUP_ADS: i64 = 1000;
/// The deepest search result reachable by paging.
const MAX_SEARCH_DEPTH: i64 = 10_000;
/// Longest search query, in bytes.
const MAX_QUERY: usize = 500;

fn id_param(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound(format!("{what} {raw}")))
}

/// Query of `GET /api/leads`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadsParams {
    /// `escort` or `job`.
    kind: Option<String>,
    /// Only ads with at least this risk (0–100).
    min_risk: Option<String>,
    /// Only this triage state (`new` includes ads never triaged).
    triage: Option<String>,
    /// Only this site id.
    site: Option<String>,
    /// `risk` (default, riskiest first) or `newest`.
    sort: Option<String>,
    /// Only ads assigned to this user; `-` for ads nobody is assigned to.
    assignee: Option<String>,
    /// Only ads whose latest score fired this indicator (its id).
    #[param(example = "job.fee_required")]
    indicator: Option<String>,
    /// `1`: only ads that share a contact with an ad of the other kind (a job ad and an escort ad: a
    /// recruitment-to-exploitation link); `0` or absent: every ad.
    #[param(example = "1")]
    job_escort: Option<String>,
    /// Rows per page (default 50, at most 200).
    limit: Option<String>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// Lists leads, riskiest (or newest) first.
#[utoipa::path(get, path = "/api/leads", tag = "leads", params(LeadsParams),
    responses(
        (status = 200, description = "A page of leads", body = LeadPage),
        (status = 400, description = "A bad limit or cursor", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn leads(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<LeadsParams>,
) -> Result<Json<LeadPage>, ApiError> {
    user.require(REQUIRED)?;
    let lq = LeadsQuery {
        kind: q.kind,
        min_risk: q.min_risk,
        triage: q.triage,
        site: q.site,
        sort: q.sort,
        assignee: q.assignee,
        indicator: q.indicator,
        job_escort: q.job_escort,
        ..LeadsQuery::default()
    };
    let mut p = leads::parse(&lq, cursor::DEFAULT_LIMIT);
    let scope = format!("leads?{}", crate::views::query_string(p.pairs.iter().cloned()));
    let page = cursor::page(q.limit.as_deref(), q.cursor.as_deref(), &scope)?;
    p.filter.limit = Some(page.limit);
    p.filter.offset = page.offset;
    let cap = redflag_store::LeadTotal::cap_for(page.offset, page.limit);
    let (rows, total) = tokio::try_join!(state.store().leads(&p.filter), state.store().lead_total(&p.filter, cap))?;
    let next = cursor::next(page, rows.len(), total.count + i64::from(total.more), &scope);
    Ok(Json(LeadPage {
        total: total.count,
        total_is_lower_bound: total.more,
        warnings: p.warnings,
        leads: rows.iter().map(Lead::from).collect(),
        next,
    }))
}

/// One ad with its score, entities, links, triage and evidence metadata.
#[utoipa::path(get, path = "/api/ads/{id}", tag = "ads",
    params(("id" = i64, Path, description = "Ad id", example = 1)),
    responses(
        (status = 200, description = "The ad", body = AdDetail),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 404, description = "No such ad", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn ad(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AdDetail>, ApiError> {
    user.require(REQUIRED)?;
    let id = id_param(&id, "ad")?;
    let store = state.store();
    let ad = store.ad(id).await?;
    let (urls, entities, score, links, triage) = tokio::try_join!(
        store.ad_urls(id),
        store.entities(id),
        store.latest_score(id),
        store.links_of(id),
        store.triage(id)
    )?;
    let page = match ad.page_id {
        Some(p) => match store.page(p).await {
            Ok(p) => Some(p),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    Ok(Json(AdDetail::new(&ad, urls, score.as_ref(), &entities, &links, triage.as_ref(), page.as_ref())))
}

/// Sets an ad's triage state, assignee and note (audited). A browser session must send its form token
/// in `X-CSRF-Token`; API tokens need none.
#[utoipa::path(post, path = "/api/ads/{id}/triage", tag = "ads",
    params(("id" = i64, Path, description = "Ad id", example = 1)),
    request_body(content = TriageRequest, example = json!({"state": "reviewing", "assignee": "ana", "note": "same phone as case 12"})),
    responses(
        (status = 200, description = "The ad's triage record as saved", body = Triage),
        (status = 400, description = "A bad state, a field too long or a body that is not the documented JSON", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst, or a session sent no form token", body = ErrorBody),
        (status = 404, description = "No such ad", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn set_triage(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<TriageRequest>, JsonRejection>,
) -> Result<Json<Triage>, ApiError> {
    api_user.check_csrf(&headers)?;
    let user = &api_user.0;
    user.require(REQUIRED)?;
    let id = id_param(&id, "ad")?;
    let Json(req) = body.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let new_state =
        TriageState::parse(req.state.trim()).ok_or_else(|| AppError::BadRequest("unknown triage state".into()))?;
    let clean = |s: Option<String>, max: usize, what: &str| -> Result<Option<String>, AppError> {
        match s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > max => {
                Err(AppError::BadRequest(format!("{what} is longer than {max} characters")))
            }
            other => Ok(other),
        }
    };
    let assignee = clean(req.assignee, 64, "assignee")?;
    let note = clean(req.note, 4000, "note")?;
    let store = state.store();
    store.set_triage(id, new_state, assignee.as_deref(), note.as_deref(), &user.user.username).await?;
    let saved = store.triage(id).await?.ok_or_else(|| AppError::internal("triage record missing after save"))?;
    Ok(Json(Triage::from(&saved)))
}

/// Query of `GET /api/search`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words, a phone number, an e-mail or a handle; quotes for phrases, `-word` to exclude, `OR`.
    #[param(example = "companion")]
    q: Option<String>,
    /// `escort` or `job`.
    kind: Option<String>,
    /// Only ads with at least this risk (0–100).
    min_risk: Option<String>,
    /// `relevance` (default) or `risk`.
    sort: Option<String>,
    /// Only ads of this site (its name, as `facets.site` lists it).
    site: Option<String>,
    /// Only ads of this city (compared without case).
    city: Option<String>,
    /// Only ads with this indicator (its id).
    #[param(example = "job.fee_required")]
    indicator: Option<String>,
    /// Only ads in this language (its code).
    language: Option<String>,
    /// Only ads in this risk band: `high` (70–100), `medium` (40–69) or `low` (0–39).
    band: Option<String>,
    /// Only ads last seen on this UTC day, `YYYY-MM-DD`.
    day: Option<String>,
    /// Hits per page (default 50, at most 200).
    limit: Option<String>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// Full-text search over titles, bodies, cities and contacts, with facet counts of all the matches
/// (kind, site, city, indicator, language, risk band, day), each of which is also a filter.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "A page of hits", body = SearchPage),
        (status = 400, description = "A bad filter, limit or cursor", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchPage>, ApiError> {
    user.require(REQUIRED)?;
    let text = redflag_core::text::truncate_bytes(p.q.as_deref().unwrap_or("").trim(), MAX_QUERY).to_string();
    let kind = match p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(k.parse::<AdKind>().map_err(|e| AppError::BadRequest(e.to_string()))?),
    };
    let min_risk = match p.min_risk.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => Some(
            r.parse::<u8>()
                .ok()
                .filter(|r| *r <= 100)
                .ok_or_else(|| AppError::BadRequest(format!("minimum risk {r:?} is not a number from 0 to 100")))?,
        ),
    };
    let sort = match p.sort.as_deref().map(str::trim) {
        None | Some("") | Some("relevance") => SortBy::Relevance,
        Some("risk") => SortBy::Risk,
        Some(other) => return Err(AppError::BadRequest(format!("unknown sort {other:?}")).into()),
    };
    let filters = crate::pages::search::FacetFilters::read(
        p.site.as_deref(),
        p.city.as_deref(),
        p.indicator.as_deref(),
        p.language.as_deref(),
        p.band.as_deref(),
        p.day.as_deref(),
    )?;
    let scope = format!("search?{text}\0{kind:?}\0{min_risk:?}\0{sort:?}\0{:?}", filters.pairs());
    let page = cursor::page(p.limit.as_deref(), p.cursor.as_deref(), &scope)?;
    if page.offset + page.limit > MAX_SEARCH_DEPTH {
        return Err(AppError::BadRequest(format!("search pages reach the first {MAX_SEARCH_DEPTH} hits only")).into());
    }
    let mut query = SearchQuery {
        text,
        kind,
        min_risk,
        sort,
        limit: page.limit as usize,
        offset: page.offset as usize,
        ..SearchQuery::default()
    };
    filters.apply(&mut query);
    let (results, facets) = crate::pages::search::run_with_facets(&state, query).await?;
    let total = i64::try_from(results.total).unwrap_or(i64::MAX);
    let next = cursor::next(page, results.hits.len(), total.min(MAX_SEARCH_DEPTH), &scope);
    let hits = results
        .hits
        .iter()
        .map(|h| SearchHit {
            ad_id: h.ad_id,
            risk: i64::from(h.risk),
            kind: h.kind.map(|k| k.as_str().to_string()),
            title: h.title.clone(),
            city: h.city.clone(),
            site: h.site.clone(),
            snippet: h.snippet.text.clone(),
            highlights: h.snippet.highlights.iter().map(|(a, b)| [*a as i64, *b as i64]).collect(),
        })
        .collect();
    Ok(Json(SearchPage {
        total,
        total_is_lower_bound: results.total_is_lower_bound,
        warnings: results.warnings,
        hits,
        next,
        facets: SearchFacets::from(&facets),
    }))
}

/// Query of `GET /api/networks`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworksParams {
    /// `network` (default) or `same_advertiser` (one employer's own postings).
    kind: Option<String>,
    /// `size` (default, largest first) or `risk`.
    sort: Option<String>,
    /// Networks per page (default 50, at most 200).
    limit: Option<String>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// Lists networks: groups of ads joined by shared contacts or a reused text template.
#[utoipa::path(get, path = "/api/networks", tag = "networks", params(NetworksParams),
    responses(
        (status = 200, description = "A page of networks", body = NetworkPage),
        (status = 400, description = "A bad filter, limit or cursor", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn networks(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<NetworksParams>,
) -> Result<Json<NetworkPage>, ApiError> {
    user.require(REQUIRED)?;
    let kind = match q.kind.as_deref().map(str::trim) {
        None | Some("") | Some("network") => GroupKind::Network,
        Some("same_advertiser") => GroupKind::SameAdvertiser,
        Some(other) => return Err(AppError::BadRequest(format!("unknown network kind {other:?}")).into()),
    };
    let by_risk = match q.sort.as_deref().map(str::trim) {
        None | Some("") | Some("size") => false,
        Some("risk") => true,
        Some(other) => return Err(AppError::BadRequest(format!("unknown sort {other:?}")).into()),
    };
    let scope = format!("networks?{}&{by_risk}", kind.as_str());
    let page = cursor::page(q.limit.as_deref(), q.cursor.as_deref(), &scope)?;
    let mut clusters = state.store().clusters(kind, MAX_NETWORKS).await?;
    if by_risk {
        clusters.sort_by(|a, b| b.max_risk.cmp(&a.max_risk).then(b.ads.cmp(&a.ads)).then(a.id.cmp(&b.id)));
    }
    let total = clusters.len() as i64;
    let shown: Vec<NetworkSummary> = clusters
        .iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(page.limit as usize)
        .map(|c| NetworkSummary { id: c.id, kind: c.kind.as_str().into(), ads: c.ads, max_risk: c.max_risk })
        .collect();
    let next = cursor::next(page, shown.len(), total, &scope);
    Ok(Json(NetworkPage { total, networks: shown, next }))
}

/// One network: its ads and the links between them.
#[utoipa::path(get, path = "/api/networks/{id}", tag = "networks",
    params(("id" = i64, Path, description = "Network id (its smallest ad id)", example = 1)),
    responses(
        (status = 200, description = "The network", body = NetworkDetail),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn network(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<NetworkDetail>, ApiError> {
    user.require(REQUIRED)?;
    let id = id_param(&id, "network")?;
    let store = state.store();
    let filter = LeadFilter { cluster_id: Some(id), limit: Some(MAX_GROUP_ADS), ..Default::default() };
    let (rows, links) = tokio::try_join!(store.leads(&filter), store.cluster_links(id))?;
    // A lone ad is its own cluster in the store, but not a network.
    if rows.len() < 2 {
        return Err(AppError::NotFound(format!("network {id}")).into());
    }
    let kind = store.ad(rows[0].id).await?.cluster_kind.unwrap_or(GroupKind::Network);
    Ok(Json(NetworkDetail {
        id,
        kind: kind.as_str().into(),
        ads: rows.iter().map(Lead::from).collect(),
        links: links.iter().map(Link::from).collect(),
    }))
}

/// Query of `GET /api/contacts`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactParams {
    /// `phone`, `email` or `handle`.
    #[param(required = true, example = "phone")]
    kind: Option<String>,
    /// The normalised value: `+15551234567`, a lower-case e-mail, a handle.
    #[param(required = true, example = "+15551234567")]
    value: Option<String>,
}

/// Every ad carrying one phone number, e-mail or handle.
#[utoipa::path(get, path = "/api/contacts", tag = "contacts", params(ContactParams),
    responses(
        (status = 200, description = "The ads carrying the contact (possibly none)", body = ContactAds),
        (status = 400, description = "A missing or unknown kind, or no value", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The role is below analyst", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = ["analyst"]), ("session" = ["analyst"])))]
pub async fn contacts(
    State(state): State<AppState>,
    ApiUser(user, _): ApiUser,
    Query(q): Query<ContactParams>,
) -> Result<Json<ContactAds>, ApiError> {
    user.require(REQUIRED)?;
    let kind = match q.kind.as_deref().map(str::trim) {
        Some(k @ ("phone" | "email" | "handle")) => k.to_string(),
        _ => return Err(AppError::BadRequest("kind must be phone, email or handle".into()).into()),
    };
    let value = q
        .value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 320)
        .ok_or_else(|| AppError::BadRequest("no contact value given".into()))?
        .to_string();
    let ids = state.store().ads_with_entity(&kind, &value).await?;
    let rows = if ids.is_empty() {
        Vec::new()
    } else {
        state.store().leads(&LeadFilter { ids: Some(ids), limit: Some(MAX_GROUP_ADS), ..Default::default() }).await?
    };
    Ok(Json(ContactAds { kind, value, ads: rows.iter().map(Lead::from).collect() }))
}
