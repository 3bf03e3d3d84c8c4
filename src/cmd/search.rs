//! `redflag search`: query the search index from the command line.

use std::process::ExitCode;

use redflag_core::AdKind;
use redflag_index::{SearchQuery, SortBy};

use crate::app::Global;

/// Flags of `redflag search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for: words, "a phrase", a phone number, an e-mail, `field:value`
    /// (fields: title, body, city, phone, email, handle, indicator, kind, site, language).
    pub query: String,
    /// Print JSON (one object with `total` and `hits`).
    #[arg(long)]
    pub json: bool,
    /// Only escort or job ads.
    #[arg(long)]
    pub kind: Option<AdKind>,
    /// Only ads with at least this risk (0–100).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_risk: Option<u8>,
    /// Sort by risk instead of relevance.
    #[arg(long)]
    pub by_risk: bool,
    /// How many hits to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let index = g.open_index()?;
    let q = SearchQuery {
        text: a.query.clone(),
        kind: a.kind,
        min_risk: a.min_risk,
        sort: if a.by_risk { SortBy::Risk } else { SortBy::Relevance },
        limit: a.limit,
        offset: 0,
        ..SearchQuery::default()
    };
    let res = tokio::task::spawn_blocking(move || index.search(&q)).await??;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&res)?);
    } else {
        for w in &res.warnings {
            eprintln!("warning: ignored part of the query: {w}");
        }
        if res.total_is_lower_bound {
            println!("more than {} ads match", res.total);
        } else {
            println!("{} ads match", res.total);
        }
        for h in &res.hits {
            let kind = h.kind.map(|k| k.as_str()).unwrap_or("?");
            let city = h.city.as_deref().unwrap_or("-");
            println!(
                "{:>3}  #{:<6} {:<6} {:<14} {}",
                h.risk,
                h.ad_id,
                kind,
                truncate(city, 14),
                one_line(&h.title, 70)
            );
        }
    }
    Ok(if res.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Control characters in ad text must not reach a terminal (they can rewrite what it shows).
pub fn one_line(s: &str, max: usize) -> String {
    let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    truncate(redflag_core::text::collapse_whitespace(&clean).as_str(), max)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
