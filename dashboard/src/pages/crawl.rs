//! Crawl status (`/crawl`): per site, the frontier by state and outcome, the recent crawl runs, and every
//! URL that did not end well with its outcome and reason (robots, off-scope, too large, failed after N
//! tries, …).

use axum::extract::{Query, State};
use maud::{Markup, html};
use redflag_store::runs::CrawlRun;
use redflag_store::{FrontierStats, Site, UrlStatus};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// Problem URLs listed per site (all of them with `?site=` and `problems=all`, up to this many).
const PROBLEMS_SHORT: i64 = 25;
const PROBLEMS_LONG: i64 = 1000;
/// Runs listed per site.
const RUNS: i64 = 5;

/// Query of the crawl page.
#[derive(Debug, serde::Deserialize)]
pub struct CrawlQuery {
    site: Option<String>,
}

struct SiteStatus {
    site: Site,
    stats: FrontierStats,
    problems: Vec<UrlStatus>,
    runs: Vec<CrawlRun>,
}

/// `GET /crawl`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CrawlQuery>,
) -> Result<Markup, AppError> {
    let store = state.store();
    let only: Option<i64> = q.site.as_deref().and_then(|s| s.trim().parse().ok());
    let limit = if only.is_some() { PROBLEMS_LONG } else { PROBLEMS_SHORT };
    let mut sites = Vec::new();
    for site in store.sites().await? {
        if only.is_some_and(|id| id != site.id) {
            continue;
        }
        let (stats, problems, runs) = tokio::try_join!(
            store.frontier_stats(site.id),
            store.frontier_problems(site.id, limit),
            store.crawl_runs(Some(site.id), RUNS)
        )?;
        sites.push(SiteStatus { site, stats, problems, runs });
    }
    if only.is_some() && sites.is_empty() {
        return Err(AppError::NotFound("site".into()));
    }
    Ok(views::page(
        "Crawl status",
        &user,
        Nav::Crawl,
        "",
        html! {
            h1 { "Crawl status" }
            @if only.is_some() { p.muted { a href="/crawl" { "← All sites" } } }
            @if sites.is_empty() { p.muted { "No site crawled yet. Run " code { "redflag crawl <site.toml>" } "." } }
            @for s in &sites { (site_section(s, only.is_some())) }
        },
    ))
}

fn counts(map: &std::collections::BTreeMap<String, i64>) -> Markup {
    html! {
        div.counts {
            @for (k, n) in map { span { (k) ": " strong { (n) } } }
            @if map.is_empty() { span.muted { "none" } }
        }
    }
}

fn site_section(s: &SiteStatus, full: bool) -> Markup {
    html! {
        section {
            h2 { (s.site.name) " " span.muted { "(" (s.site.kind.as_str()) ", " (s.stats.total()) " URLs, " (s.stats.pending()) " pending)" } }
            dl.facts {
                dt { "By state" } dd { (counts(&s.stats.by_state)) }
                dt { "By outcome" } dd { (counts(&s.stats.by_outcome)) }
            }
            @if !s.runs.is_empty() {
                h3 { "Recent runs" }
                div.table-wrap {
                    table {
                        thead { tr { th { "Run" } th { "Status" } th { "Worker" } th { "Started" } th { "Ended / last heartbeat" } th { "Stats" } } }
                        tbody {
                            @for r in &s.runs {
                                tr {
                                    td { (r.id) }
                                    td { (r.status.as_str()) @if let Some(e) = &r.error { div.muted { (e) } } }
                                    td { (r.worker) }
                                    td { (views::time(r.started_at)) }
                                    td { (views::time(r.finished_at.unwrap_or(r.updated_at))) }
                                    td { (run_stats(&r.stats)) }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "URLs that did not end ok" }
            @if s.problems.is_empty() {
                p.muted { "None." }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th { "URL" } th { "Role" } th { "State" } th { "Outcome" } th.num { "HTTP" } th.num { "Tries" } th { "Reason" } } }
                        tbody {
                            @for p in &s.problems {
                                tr {
                                    td { (views::ext_link(&p.url)) }
                                    td { (p.role) }
                                    td { (p.state) }
                                    td { (p.outcome.as_deref().unwrap_or("–")) }
                                    td.num { @if let Some(h) = p.http_status { (h) } }
                                    td.num { (p.attempts) }
                                    td { (p.detail.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
                @if !full && s.problems.len() as i64 >= PROBLEMS_SHORT {
                    p { a href={"/crawl?site=" (s.site.id)} { "All problem URLs of " (s.site.name) } }
                }
            }
        }
    }
}

/// A run's JSON stats as compact `key: value` pairs.
fn run_stats(v: &serde_json::Value) -> Markup {
    match v.as_object() {
        Some(map) if !map.is_empty() => html! {
            @for (k, val) in map {
                span.ind { (k) ": " (match val { serde_json::Value::String(s) => s.clone(), other => other.to_string() }) }
            }
        },
        _ => html! { span.muted { "–" } },
    }
}
