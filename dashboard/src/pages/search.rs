//! Search (`/search?q=`): full-text search over titles, bodies, cities and contacts, with kind and risk
//! filters; hits show an excerpt with the matches marked.

use axum::extract::{Query, State};
use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_index::{SearchQuery, SearchResults, SortBy};

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
}

/// Runs a search on a blocking thread (tantivy does CPU and file work).
pub async fn run(state: &AppState, q: SearchQuery) -> Result<SearchResults, AppError> {
    let state = state.clone();
    Ok(tokio::task::spawn_blocking(move || {
        state.refresh_index_if_stale();
        state.index().search(&q)
    })
    .await??)
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
    let results = run(
        &state,
        SearchQuery {
            text: text.clone(),
            kind,
            min_risk,
            sort: if by_risk { SortBy::Risk } else { SortBy::Relevance },
            limit: size as usize,
            offset: ((page - 1) * size) as usize,
        },
    )
    .await?;
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
                div { button type="submit" { "Search" } }
            }
            @if !text.is_empty() {
                (super::watches::watch_form(&user, redflag_store::WatchKind::Search, &text, (kind, min_risk), &text, "Watch this search"))
            }
            @if !results.warnings.is_empty() {
                div.flash.warn role="status" { "Parts of the query were ignored: " (results.warnings.join("; ")) }
            }
            p.muted { (results.total) " matching ads. Try quotes for phrases, " code { "-word" } " to exclude, " code { "OR" } " for either." }
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
        },
    ))
}
