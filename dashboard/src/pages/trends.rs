//! Trends (`/trends`, every investigator's role): what came in over the last 30, 90 or 365 days — new
//! ads per day with the risky ones and those linked into networks of concern, the same ads by site and
//! by city, and how often the commonest indicators fired per day. Charts are inline SVG drawn here
//! ([`crate::charts`]); every name links to the search or the lead queue that lists its ads.

use axum::extract::{Query, State};
use maud::{Markup, html};
use redflag_index::SearchQuery;
use redflag_store::trends::GroupTrend;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::charts::{self, Series};
use crate::error::AppError;
use crate::views::{self, Nav};

use redflag_core::time::DAY_MS;
/// The periods offered, in days.
const PERIODS: [i64; 3] = [30, 90, 365];
/// The risk at which an ad counts as risky (the high band).
const RISKY: i64 = 70;
/// Cities listed.
const CITIES: i64 = 15;
/// Indicators charted.
const INDICATORS: usize = 8;

/// Query of the page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TrendsQuery {
    days: Option<String>,
}

/// Spreads sparse `(day, value)` pairs over `days` slots from `first_day`.
fn spread(first_day: i64, days: usize, pairs: impl Iterator<Item = (i64, i64)>) -> Vec<i64> {
    let mut out = vec![0; days];
    for (day, v) in pairs {
        if let Ok(i) = usize::try_from((day - first_day).div_euclid(DAY_MS))
            && let Some(slot) = out.get_mut(i)
        {
            *slot += v;
        }
    }
    out
}

fn group_table(title: &str, rows: &[GroupTrend], link: &dyn Fn(&str) -> String) -> Markup {
    let max = rows.iter().map(|r| r.ads).max().unwrap_or(0);
    html! {
        section.group {
            h2 { (title) }
            @if rows.is_empty() {
                p.empty { "No new ads in this period." }
            } @else {
                div.table-wrap { table.list {
                    thead { tr { th scope="col" { "Name" } th.num scope="col" { "New ads" } th.num scope="col" { "Risky" } th scope="col" { span.sr { "Share" } } } }
                    tbody {
                        @for r in rows {
                            tr {
                                td { a href=(link(&r.name)) { @if r.name.is_empty() { "(none)" } @else { (r.name) } } }
                                td.num { (r.ads) } td.num { (r.risky) }
                                td { (charts::hbar(r.ads, r.risky, max)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// `GET /trends`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<TrendsQuery>,
) -> Result<Markup, AppError> {
    let days = match q.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => 30,
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| PERIODS.contains(d))
            .ok_or_else(|| AppError::BadRequest("the period is 30, 90 or 365 days".into()))?,
    };
    let today = redflag_store::now_ms().div_euclid(DAY_MS) * DAY_MS;
    let first_day = today - (days - 1) * DAY_MS;
    let store = state.store();
    let (per_day, sites, cities) = tokio::try_join!(
        store.ads_per_day(first_day, RISKY),
        store.ads_by_site(first_day, RISKY),
        store.ads_by_city(first_day, RISKY, CITIES),
    )?;
    let index_state = state.clone();
    let indicators = tokio::task::spawn_blocking(move || {
        index_state.refresh_index_if_stale();
        index_state.index().indicator_trends(&SearchQuery::default(), first_day, INDICATORS)
    })
    .await??;
    let n = days as usize;
    let all = spread(first_day, n, per_day.iter().map(|d| (d.day, d.ads)));
    let risky = spread(first_day, n, per_day.iter().map(|d| (d.day, d.risky)));
    let linked = spread(first_day, n, per_day.iter().map(|d| (d.day, d.in_networks)));
    let (total, total_risky, total_linked) =
        (all.iter().sum::<i64>(), risky.iter().sum::<i64>(), linked.iter().sum::<i64>());
    let search = |key: &'static str| move |v: &str| format!("/search?{}", views::query_string([(key, v.to_string())]));
    let content = html! {
        h1 { "Trends" }
        form.filters method="get" action="/trends" {
            div {
                label for="t-days" { "Period" }
                select #t-days name="days" {
                    @for d in PERIODS { option value=(d) selected[d == days] { "last " (d) " days" } }
                }
            }
            div { button type="submit" { "Show" } }
        }
        section.totals aria-label="Totals" {
            dl.stats {
                div { dt { "New ads" } dd { (total) } }
                div title={"risk " (RISKY) " or more"} { dt { "Risky" } dd { (total_risky) } }
                div title="now linked into a network of concern" { dt { "In networks" } dd { (total_linked) } }
            }
        }
        section.charts.wide aria-label="Per day" {
            (charts::daily("New ads per day", first_day, &[
                Series { name: "all", class: "bar", values: &all },
                Series { name: "in networks", class: "bar linked", values: &linked },
                Series { name: "risky", class: "bar risky", values: &risky },
            ]))
        }
        p.muted { "By the day each ad was first seen; risky means risk " (RISKY) " or more; networks are those of concern, not one advertiser's own postings." }
        div.two {
            (group_table("By site", &sites, &search("site")))
            (group_table("By city", &cities, &search("city")))
        }
        h2 { "Indicators" }
        p.muted { "The commonest indicators among ads seen in the period, by the day each ad was last seen." }
        @if indicators.is_empty() {
            p.empty { "No indicators fired on ads seen in this period." }
        } @else {
            section.charts aria-label="Indicators per day" {
                @for t in &indicators {
                    @let values = spread(first_day, n, t.days.iter().map(|(d, c)| (*d, *c as i64)));
                    @let name = views::indicator_name(&t.indicator);
                    div {
                        (charts::daily(&name, first_day, &[Series { name: "ads", class: "bar", values: &values }]))
                        a.muted href={"/leads?" (views::query_string([("indicator", t.indicator.clone())]))} { "leads with it" }
                    }
                }
            }
        }
    };
    Ok(views::page("Trends", &user, Nav::Trends, "", content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_days_spread_over_the_period() {
        let v =
            spread(10 * DAY_MS, 4, [(10 * DAY_MS, 2), (13 * DAY_MS, 5), (9 * DAY_MS, 7), (14 * DAY_MS, 1)].into_iter());
        assert_eq!(v, [2, 0, 0, 5], "days outside the period are left out");
    }
}
