//! The deterrence bot's counters for NGO staff (`/ngo`, `/ngo.csv`; the `ngo` role and admins).
//!
//! What the NGO running decoy ads needs and nothing more: per day, persona, decoy ad and channel, how
//! many conversations started, how many showed purchase intent, how many deterrence messages went out,
//! how many people asked for help, opted out, or gave a minor cue, and how many job ads were checked.
//! No message text, chat id or phone number reaches these pages (the store holds only keyed hashes and
//! counters); the `ngo` role sees nothing of the investigators' leads, ads, searches or cases, which
//! [`crate::auth::CurrentUser`] refuses to it. Charts are drawn on the server as inline SVG, so the page
//! loads no script. Every CSV download is audited.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use redflag_store::Role;
use redflag_store::bot::{BotStatsRow, DAY_MS, StatsDelta, day_start};

use crate::AppState;
use crate::auth::AnyUser;
use crate::error::AppError;
use crate::views::{self, Nav};

/// The periods offered, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 365];

/// Query of the page and the CSV download.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NgoQuery {
    days: Option<String>,
    persona: Option<String>,
    decoy: Option<String>,
    channel: Option<String>,
}

/// The query, read: the period and the optional filters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    days: i64,
    persona: Option<String>,
    decoy: Option<String>,
    channel: Option<String>,
}

impl Filter {
    fn read(q: &NgoQuery) -> Result<Filter, AppError> {
        let days = match q.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => 30,
            Some(d) => d
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=366).contains(d))
                .ok_or_else(|| AppError::BadRequest("days must be a whole number from 1 to 366".into()))?,
        };
        let pick = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        Ok(Filter { days, persona: pick(&q.persona), decoy: pick(&q.decoy), channel: pick(&q.channel) })
    }

    fn keeps(&self, r: &BotStatsRow) -> bool {
        self.persona.as_ref().is_none_or(|p| *p == r.persona)
            && self.decoy.as_ref().is_none_or(|d| *d == r.decoy_ad)
            && self.channel.as_ref().is_none_or(|c| *c == r.channel)
    }

    /// The query string that selects the same rows (for the CSV link).
    fn query_string(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("days", &self.days.to_string());
        for (k, v) in [("persona", &self.persona), ("decoy", &self.decoy), ("channel", &self.channel)] {
            if let Some(v) = v {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }
}

/// One counter: its field, its name on the page and in the CSV, and what it means.
struct Metric {
    get: fn(&StatsDelta) -> i64,
    column: &'static str,
    label: &'static str,
    help: &'static str,
}

const METRICS: [Metric; 8] = [
    Metric {
        get: |d| d.conversations,
        column: "conversations",
        label: "Conversations",
        help: "new conversations with a decoy",
    },
    Metric {
        get: |d| d.intent,
        column: "intent",
        label: "Purchase intent",
        help: "conversations in which the buyer-intent rules fired",
    },
    Metric {
        get: |d| d.deterrence,
        column: "deterrence",
        label: "Deterrence sent",
        help: "deterrence messages delivered",
    },
    Metric {
        get: |d| d.help_requests,
        column: "help_requests",
        label: "Help requests",
        help: "people who asked for help and were sent the hotline",
    },
    Metric {
        get: |d| d.opt_outs,
        column: "opt_outs",
        label: "Opt-outs",
        help: "chats that wrote STOP (or a translation)",
    },
    Metric {
        get: |d| d.minor_cues,
        column: "minor_cues",
        label: "Minor cues",
        help: "conversations flagged for asking about age or youth (stronger message sent)",
    },
    Metric { get: |d| d.checks, column: "checks", label: "Job-ad checks", help: "job ads checked through the bot" },
    Metric {
        get: |d| d.closed_without_intent,
        column: "closed_without_intent",
        label: "Closed without intent",
        help: "conversations that reached the turn limit without intent",
    },
];

/// The rows of the period, the first day of the period, and every persona, decoy ad and channel seen
/// in it (for the filter menus, before filtering).
struct Period {
    first_day: i64,
    days: i64,
    rows: Vec<BotStatsRow>,
    personas: Vec<String>,
    decoys: Vec<String>,
    channels: Vec<String>,
}

async fn load(state: &AppState, f: &Filter) -> Result<Period, AppError> {
    let today = day_start(redflag_store::now_ms());
    let first_day = today - (f.days - 1) * DAY_MS;
    let all = state.store().bot_stats(first_day).await?;
    let distinct = |get: fn(&BotStatsRow) -> &String| {
        let mut v: Vec<String> = all.iter().map(|r| get(r).clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let (personas, decoys, channels) = (distinct(|r| &r.persona), distinct(|r| &r.decoy_ad), distinct(|r| &r.channel));
    let rows = all.into_iter().filter(|r| f.keeps(r)).collect();
    Ok(Period { first_day, days: f.days, rows, personas, decoys, channels })
}

/// A daily series of one counter over the period as an SVG bar chart, with a text alternative.
fn chart(m: &Metric, first_day: i64, per_day: &[StatsDelta]) -> Markup {
    let values: Vec<i64> = per_day.iter().map(m.get).collect();
    crate::charts::daily(m.label, first_day, &[crate::charts::Series { name: m.label, class: "bar", values: &values }])
}

fn select(name: &str, label: &str, options: &[String], chosen: Option<&str>) -> Markup {
    html! {
        div {
            label for={"f-" (name)} { (label) }
            select id={"f-" (name)} name=(name) {
                option value="" selected[chosen.is_none()] { "all" }
                @for o in options {
                    option value=(o) selected[chosen == Some(o.as_str())] { (o) }
                }
            }
        }
    }
}

/// `GET /ngo`.
pub async fn page(
    State(state): State<AppState>,
    AnyUser(user): AnyUser,
    Query(q): Query<NgoQuery>,
) -> Result<Markup, AppError> {
    user.require(Role::Ngo)?;
    let f = Filter::read(&q)?;
    let p = load(&state, &f).await?;
    let mut per_day = vec![StatsDelta::default(); p.days as usize];
    let mut total = StatsDelta::default();
    let mut by_decoy: BTreeMap<(&str, &str, &str), StatsDelta> = BTreeMap::new();
    for r in &p.rows {
        if let Ok(i) = usize::try_from((r.day - p.first_day) / DAY_MS)
            && let Some(slot) = per_day.get_mut(i)
        {
            *slot += &r.counts;
        }
        total += &r.counts;
        *by_decoy.entry((r.persona.as_str(), r.decoy_ad.as_str(), r.channel.as_str())).or_default() += &r.counts;
    }
    let share = |part: i64, whole: i64| {
        if whole > 0 { format!("{:.0} %", 100.0 * part as f64 / whole as f64) } else { "–".into() }
    };
    let content = html! {
        h1 { "Deterrence bot" }
        p.muted {
            "Daily counters of the decoy conversations, by persona, decoy ad and channel. No message text, chat id or "
            "phone number is shown or kept here: the bot stores keyed hashes and these counts only."
        }
        form.filters method="get" action="/ngo" {
            div {
                label for="f-days" { "Period" }
                select #f-days name="days" {
                    @for d in PERIODS {
                        option value=(d) selected[d == f.days] { "last " (d) " days" }
                    }
                    @if !PERIODS.contains(&f.days) {
                        option value=(f.days) selected { "last " (f.days) " days" }
                    }
                }
            }
            (select("persona", "Persona", &p.personas, f.persona.as_deref()))
            (select("decoy", "Decoy ad", &p.decoys, f.decoy.as_deref()))
            (select("channel", "Channel", &p.channels, f.channel.as_deref()))
            button type="submit" { "Show" }
            " "
            a.button href={"/ngo.csv?" (f.query_string())} download { "Download CSV" }
        }
        @if p.rows.is_empty() {
            p.empty { "No conversations in this period" @if f.persona.is_some() || f.decoy.is_some() || f.channel.is_some() { " for this selection" } "." }
        }
        section.totals aria-label="Totals" {
            dl.stats {
                @for m in &METRICS {
                    div title=(m.help) { dt { (m.label) } dd { ((m.get)(&total)) } }
                }
                div title="deterrence messages per conversation with purchase intent" {
                    dt { "Deterred of intent" } dd { (share(total.deterrence, total.intent)) }
                }
            }
        }
        section.charts aria-label="Per day" {
            @for m in &METRICS {
                (chart(m, p.first_day, &per_day))
            }
        }
        h2 { "By persona and decoy ad" }
        div.table-wrap { table.list {
            thead {
                tr {
                    th scope="col" { "Persona" } th scope="col" { "Decoy ad" } th scope="col" { "Channel" }
                    @for m in &METRICS { th.num scope="col" title=(m.help) { (m.label) } }
                }
            }
            tbody {
                @for ((persona, decoy, channel), c) in &by_decoy {
                    tr {
                        td { (persona) } td { (decoy) } td { (channel) }
                        @for m in &METRICS { td.num { ((m.get)(c)) } }
                    }
                }
            }
        } }
    };
    Ok(views::page("Deterrence bot", &user, Nav::Ngo, "", content))
}

/// One CSV field: quoted when it needs to be, and with a leading `'` when a spreadsheet would read it
/// as a formula (persona and decoy ids are operator-written, but nothing written is trusted).
fn csv_field(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// `GET /ngo.csv`: the daily rows of the page's selection, one line per day, persona, decoy ad and
/// channel. Audited as `ngo.export`.
pub async fn csv(
    State(state): State<AppState>,
    AnyUser(user): AnyUser,
    Query(q): Query<NgoQuery>,
) -> Result<Response, AppError> {
    user.require(Role::Ngo)?;
    let f = Filter::read(&q)?;
    let p = load(&state, &f).await?;
    let mut out = String::from("day,persona,decoy_ad,channel");
    for m in &METRICS {
        out.push(',');
        out.push_str(m.column);
    }
    out.push_str("\r\n");
    for r in &p.rows {
        let day = redflag_core::time::rfc3339(r.day)[..10].to_string();
        let fields = [day, csv_field(&r.persona), csv_field(&r.decoy_ad), csv_field(&r.channel)];
        out.push_str(&fields.join(","));
        for m in &METRICS {
            out.push(',');
            out.push_str(&(m.get)(&r.counts).to_string());
        }
        out.push_str("\r\n");
    }
    let detail = format!("{}; {} rows", f.query_string(), p.rows.len());
    state.store().audit(&user.user.username, "ngo.export", None, Some(&detail)).await?;
    let today = &redflag_core::time::rfc3339(redflag_store::now_ms())[..10];
    let mut resp = out.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"redflag-bot-{today}.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("maya"), "maya");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn the_period_is_bounded() {
        let q = |d: &str| NgoQuery { days: Some(d.into()), ..NgoQuery::default() };
        assert_eq!(Filter::read(&NgoQuery::default()).unwrap().days, 30);
        assert_eq!(Filter::read(&q("7")).unwrap().days, 7);
        for bad in ["0", "367", "-1", "x", "1e3"] {
            assert!(Filter::read(&q(bad)).is_err(), "{bad}");
        }
    }
}
