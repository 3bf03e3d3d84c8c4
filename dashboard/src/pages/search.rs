//! Search (`/search?q=`): full-text search over titles, bodies, cities and contacts, with kind and risk
//! filters; hits show an excerpt with the matches marked. Beside the hits, facets count the matches by
//! kind, risk band, site, city, indicator (by its human name), language and day; each value is a link
//! that narrows the search to it, and an active one can be taken off again.

use axum::extract::{Query, State};
use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_index::{FacetCount, Facets, RiskBand, SearchQuery, SearchResults, SortBy};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Longest query accepted, in bytes.
const MAX_QUERY: usize = 500;

/// Query parameters of the search page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    min_risk: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    site: Option<String>,
    city: Option<String>,
    indicator: Option<String>,
    language: Option<String>,
    band: Option<String>,
    day: Option<String>,
}

/// Values listed per facet.
const FACET_VALUES: usize = 12;

/// The facet filters of a search, as given (each narrows the matches to one value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetFilters {
    /// A site name.
    pub site: Option<String>,
    /// A city (compared without case).
    pub city: Option<String>,
    /// An indicator id.
    pub indicator: Option<String>,
    /// A language code.
    pub language: Option<String>,
    /// A risk band.
    pub band: Option<RiskBand>,
    /// A UTC day, `YYYY-MM-DD`, and its midnight in ms.
    pub day: Option<(String, i64)>,
}

impl FacetFilters {
    /// Reads the filters; a value that cannot be one (an unknown band, a date that does not exist) is
    /// an error naming it.
    pub fn read(
        site: Option<&str>,
        city: Option<&str>,
        indicator: Option<&str>,
        language: Option<&str>,
        band: Option<&str>,
        day: Option<&str>,
    ) -> Result<FacetFilters, AppError> {
        let clean = |v: Option<&str>| {
            v.map(|v| redflag_core::text::truncate_bytes(v.trim(), 200).to_string()).filter(|v| !v.is_empty())
        };
        let band = match clean(band) {
            None => None,
            Some(b) => Some(
                RiskBand::parse(&b)
                    .ok_or_else(|| AppError::BadRequest(format!("unknown risk band {b:?} (high, medium or low)")))?,
            ),
        };
        let day = match clean(day) {
            None => None,
            Some(d) => {
                let parts: Vec<i64> = d.split('-').filter_map(|p| p.parse().ok()).collect();
                let days = match parts[..] {
                    [y, m, dd] if d.len() == 10 => redflag_core::time::days_from_civil(y, m, dd),
                    _ => None,
                };
                let days = days.ok_or_else(|| AppError::BadRequest(format!("day {d:?} is not a date (YYYY-MM-DD)")))?;
                Some((d, days * redflag_store::bot::DAY_MS))
            }
        };
        Ok(FacetFilters {
            site: clean(site),
            city: clean(city),
            indicator: clean(indicator),
            language: clean(language),
            band,
            day,
        })
    }

    /// Sets the filters on a query.
    pub fn apply(&self, q: &mut SearchQuery) {
        q.site.clone_from(&self.site);
        q.city.clone_from(&self.city);
        q.indicator.clone_from(&self.indicator);
        q.language.clone_from(&self.language);
        q.band = self.band;
        q.day = self.day.as_ref().map(|(_, ms)| *ms);
    }

    /// The filters as query pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (k, v) in
            [("site", &self.site), ("city", &self.city), ("indicator", &self.indicator), ("language", &self.language)]
        {
            if let Some(v) = v {
                out.push((k, v.clone()));
            }
        }
        if let Some(b) = self.band {
            out.push(("band", b.as_str().to_string()));
        }
        if let Some((d, _)) = &self.day {
            out.push(("day", d.clone()));
        }
        out
    }
}

/// Runs a search and counts its facets on one blocking thread.
pub async fn run_with_facets(state: &AppState, q: SearchQuery) -> Result<(SearchResults, Facets), AppError> {
    let state = state.clone();
    Ok(tokio::task::spawn_blocking(move || {
        state.refresh_index_if_stale();
        let results = state.index().search(&q)?;
        let facets = state.index().facets(&q, FACET_VALUES)?;
        Ok::<_, redflag_index::Error>((results, facets))
    })
    .await??)
}

/// One facet: its values with counts, each a link that sets it (or, when it is the active value, takes
/// it off).
fn facet(
    title: &str,
    key: &str,
    values: &[FacetCount],
    label: &dyn Fn(&str) -> String,
    base: &[(&str, String)],
) -> Markup {
    let active = base.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
    let link = |value: Option<&str>| {
        let mut pairs: Vec<(&str, String)> = base.iter().filter(|(k, _)| *k != key).cloned().collect();
        if let Some(v) = value {
            pairs.push((key, v.to_string()));
        }
        let q = views::query_string(pairs);
        if q.is_empty() { "/search".to_string() } else { format!("/search?{q}") }
    };
    html! {
        @if !values.is_empty() || active.is_some() {
            section.facet aria-label=(title) {
                h3 { (title) }
                ul {
                    @for v in values {
                        @let on = active.as_deref() == Some(v.value.as_str());
                        li class=[on.then_some("on")] {
                            @if on {
                                a href=(link(None)) title="remove this filter" { strong { (label(&v.value)) } " ×" }
                            } @else {
                                a href=(link(Some(&v.value))) { (label(&v.value)) }
                            }
                            " " span.count { (v.count) }
                        }
                    }
                    @if let Some(a) = &active {
                        @if !values.iter().any(|v| &v.value == a) {
                            li.on { a href=(link(None)) title="remove this filter" { strong { (label(a)) } " ×" } " " span.count { "0" } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /search`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<Markup, AppError> {
    let size = state.config().page_size.clamp(1, 200);
    let text = redflag_core::text::truncate_bytes(p.q.as_deref().unwrap_or("").trim(), MAX_QUERY).to_string();
    let kind = p.kind.as_deref().and_then(|k| k.parse::<AdKind>().ok());
    let min_risk = p.min_risk.as_deref().and_then(|r| r.trim().parse::<u8>().ok()).filter(|r| *r <= 100);
    let by_risk = p.sort.as_deref() == Some("risk");
    let page = views::page_number(p.page.as_deref()).min(1000 / size + 1);
    let filters = FacetFilters::read(
        p.site.as_deref(),
        p.city.as_deref(),
        p.indicator.as_deref(),
        p.language.as_deref(),
        p.band.as_deref(),
        p.day.as_deref(),
    )?;
    let mut query = SearchQuery {
        text: text.clone(),
        kind,
        min_risk,
        sort: if by_risk { SortBy::Risk } else { SortBy::Relevance },
        limit: size as usize,
        offset: ((page - 1) * size) as usize,
        ..SearchQuery::default()
    };
    filters.apply(&mut query);
    let (results, facets) = run_with_facets(&state, query).await?;
    let mut pairs: Vec<(&str, String)> = vec![("q", text.clone())];
    if let Some(k) = kind {
        pairs.push(("kind", k.as_str().into()));
    }
    if let Some(r) = min_risk {
        pairs.push(("min_risk", r.to_string()));
    }
    if by_risk {
        pairs.push(("sort", "risk".into()));
    }
    pairs.extend(filters.pairs());
    let indicator_label = |id: &str| views::indicator_name(id);
    let plain = |v: &str| v.to_string();
    let band_label = |v: &str| format!("{v} risk");
    let kinds: Vec<FacetCount> = facets.kind.clone();
    let days: Vec<FacetCount> = facets
        .day
        .iter()
        .rev()
        .take(14)
        .map(|(ms, n)| FacetCount { value: redflag_core::time::rfc3339(*ms)[..10].to_string(), count: *n })
        .collect();
    let total = i64::try_from(results.total).unwrap_or(i64::MAX);
    Ok(views::page(
        if text.is_empty() { "Search" } else { &text },
        &user,
        Nav::Search,
        &text,
        html! {
            h1 { "Search" }
            form.filters method="get" action="/search" {
                div {
                    label for="s-q" { "Words, phone, e-mail or handle" }
                    input #s-q type="search" name="q" value=(text) size="40";
                }
                div {
                    label for="s-kind" { "Kind" }
                    select #s-kind name="kind" {
                        option value="" { "any" }
                        @for k in [AdKind::Escort, AdKind::Job] { option value=(k.as_str()) selected[kind == Some(k)] { (k.as_str()) } }
                    }
                }
                div {
                    label for="s-risk" { "Min. risk" }
                    input #s-risk type="number" name="min_risk" min="0" max="100" value=[min_risk];
                }
                div {
                    label for="s-sort" { "Order" }
                    select #s-sort name="sort" {
                        option value="" { "best match" }
                        option value="risk" selected[by_risk] { "riskiest first" }
                    }
                }
                @for (k, v) in filters.pairs() { input type="hidden" name=(k) value=(v); }
                div { button type="submit" { "Search" } }
            }
            @if !text.is_empty() {
                (super::watches::watch_form(&user, redflag_store::WatchKind::Search, &text, (kind, min_risk), &text, "Watch this search"))
            }
            @if !results.warnings.is_empty() {
                div.flash.warn role="status" { "Parts of the query were ignored: " (results.warnings.join("; ")) }
            }
            p.muted {
                @if results.total_is_lower_bound { "More than " (views::thousands(total)) } @else { (views::thousands(total)) }
                " matching ads. Try quotes for phrases, " code { "-word" } " to exclude, " code { "OR" } " for either." }
            div.with-facets {
            aside.facets aria-label="Narrow the search" {
                (facet("Kind", "kind", &kinds, &plain, &pairs))
                (facet("Risk", "band", &facets.band, &band_label, &pairs))
                (facet("Site", "site", &facets.site, &plain, &pairs))
                (facet("City", "city", &facets.city, &plain, &pairs))
                (facet("Indicator", "indicator", &facets.indicator, &indicator_label, &pairs))
                (facet("Language", "language", &facets.language, &plain, &pairs))
                (facet("Last seen (latest days)", "day", &days, &plain, &pairs))
            }
            div {
            ol.hits start=((page - 1) * size + 1) {
                @for h in &results.hits {
                    li data-row {
                        (views::risk_badge(Some(i64::from(h.risk)))) " "
                        a.title-cell href={"/ads/" (h.ad_id)} { strong { @if h.title.trim().is_empty() { "(no title)" } @else { (h.title) } } }
                        div.muted {
                            (h.kind.map(|k| k.as_str()).unwrap_or("?")) " · " (h.site)
                            @if let Some(c) = &h.city { " · " (c) }
                        }
                        div.snippet { (views::marked(&h.snippet.text, &h.snippet.highlights)) }
                    }
                }
            }
            (views::pager("/search", &pairs, page, size, total.min(1000)))
            }
            }
        },
    ))
}
