//! Charts drawn on the server as inline SVG: no script, nothing fetched, readable without colour (every
//! chart has a text alternative and every bar a tooltip with its figures). Used by the trends page and
//! the NGO counters.

use maud::{Markup, html};

use redflag_core::time::DAY_MS;

/// One series of a daily chart: its name, the CSS class of its bars, one value per day.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// Shown in the legend and the tooltips.
    pub name: &'a str,
    /// The bars' class (`bar`, `bar risky`, `bar linked`).
    pub class: &'a str,
    /// One value per day from the chart's first day.
    pub values: &'a [i64],
}

fn date(first_day: i64, i: usize) -> String {
    redflag_core::time::rfc3339(first_day + i as i64 * DAY_MS)[..10].to_string()
}

/// A bar chart of daily values from `first_day` (UTC midnight, ms): the series are drawn over one
/// another in the order given, so give the largest first (all ads, then the risky among them).
pub fn daily(caption: &str, first_day: i64, series: &[Series<'_>]) -> Markup {
    const W: f64 = 360.0;
    const H: f64 = 90.0;
    let days = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
    let totals: Vec<i64> = series.iter().map(|s| s.values.iter().sum()).collect();
    let slot = W / days.max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let label = match series {
        [_] => format!("{}: {} in {} days, at most {} on one day", caption, totals[0], days, max),
        _ => {
            let parts: Vec<String> = series.iter().zip(&totals).map(|(s, t)| format!("{} {}", s.name, t)).collect();
            format!("{}: {} in {} days, at most {} on one day", caption, parts.join(", "), days, max)
        }
    };
    html! {
        figure.chart {
            figcaption {
                strong { (caption) }
                @for (s, t) in series.iter().zip(&totals) {
                    " " span class={"key " (s.class)} { (s.name) " " (t) }
                }
            }
            svg viewBox={"0 0 " (W) " " (H + 14.0)} role="img" aria-label=(label) preserveAspectRatio="none" {
                line.axis x1="0" y1=(H) x2=(W) y2=(H) {}
                @for s in series {
                    @for (i, v) in s.values.iter().enumerate() {
                        @if *v > 0 {
                            @let h = (*v as f64 / max as f64) * (H - 4.0);
                            rect class=(s.class) x=(format!("{:.2}", i as f64 * slot)) y=(format!("{:.2}", H - h))
                                width=(format!("{bar:.2}")) height=(format!("{h:.2}")) {
                                title { (date(first_day, i)) ": " (s.name) " " (v) }
                            }
                        }
                    }
                }
                text.tick x="0" y=(H + 12.0) { (date(first_day, 0)) }
                text.tick x=(W) y=(H + 12.0) text-anchor="end" { (date(first_day, days.saturating_sub(1))) }
                text.tick x="2" y="10" { "max " (max) }
            }
        }
    }
}

/// A small horizontal bar for a table cell: `value` of `max`, with `part` of it (the risky ones, say)
/// drawn darker over it.
pub fn hbar(value: i64, part: i64, max: i64) -> Markup {
    const W: f64 = 120.0;
    let max = max.max(1) as f64;
    let w = (value.max(0) as f64 / max * W).max(if value > 0 { 1.0 } else { 0.0 });
    let p = (part.clamp(0, value.max(0)) as f64 / max * W).max(if part > 0 { 1.0 } else { 0.0 });
    html! {
        svg.hbar viewBox={"0 0 " (W) " 10"} width=(W) height="10" aria-hidden="true" {
            rect.bar x="0" y="0" width=(format!("{w:.2}")) height="10" {}
            @if part > 0 { rect class="bar risky" x="0" y="0" width=(format!("{p:.2}")) height="10" {} }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_says_what_it_shows_in_text() {
        let all = [3, 0, 5];
        let risky = [1, 0, 2];
        let m = daily(
            "New ads",
            0,
            &[
                Series { name: "all", class: "bar", values: &all },
                Series { name: "risky", class: "bar risky", values: &risky },
            ],
        )
        .into_string();
        assert!(m.contains("aria-label=\"New ads: all 8, risky 3 in 3 days, at most 5 on one day\""), "{m}");
        assert_eq!(m.matches("<rect").count(), 4, "no bar for empty days");
        assert!(m.contains("<title>1970-01-03: risky 2</title>"));
        let one =
            daily("Conversations", 0, &[Series { name: "conversations", class: "bar", values: &all }]).into_string();
        assert!(one.contains("aria-label=\"Conversations: 8 in 3 days, at most 5 on one day\""), "{one}");
        assert!(daily("Empty", 0, &[]).into_string().contains("0 days"));
    }

    #[test]
    fn bars_are_proportional_and_never_overflow() {
        let b = hbar(50, 10, 100).into_string();
        assert!(b.contains("width=\"60.00\"") && b.contains("width=\"12.00\""), "{b}");
        let over = hbar(10, 99, 10).into_string();
        assert!(over.contains("width=\"120.00\"") && !over.contains("width=\"1188"), "{over}");
    }
}
