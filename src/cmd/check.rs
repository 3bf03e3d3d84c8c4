//! `redflag check`: score one ad — a URL, a file or standard input — and explain the verdict, for job
//! seekers and for analysts checking a single ad.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use redflag_core::AdKind;

use crate::app::Global;

/// The most input read from a file or standard input (the classifier reads less; this only bounds memory).
const MAX_INPUT: u64 = 1 << 20;

/// Flags of `redflag check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ad: an http(s) URL, a text file, or `-` for standard input.
    pub input: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Treat the ad as this kind instead of guessing it from the text.
    #[arg(long)]
    pub kind: Option<AdKind>,
    /// Where site owners can reach you, sent in the User-Agent when fetching a URL.
    #[arg(long, default_value = "https://github.com/redflag-project/redflag")]
    pub contact_url: String,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let classifier = g.classifier()?;
    let input = a.input.trim();
    let (bytes, source) = if input.starts_with("http://") || input.starts_with("https://") {
        let mut opts = redflag_crawler::FetchOptions::new(a.contact_url.clone());
        // The person running the command chose the URL on their own machine: local addresses are fine.
        opts.allow_private = true;
        let page =
            redflag_crawler::fetch_ad_text(input, &opts).await.with_context(|| format!("cannot fetch {input}"))?;
        (format!("{}\n\n{}", page.title, page.text).into_bytes(), Some(page))
    } else if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin().lock().take(MAX_INPUT).read_to_end(&mut buf).context("cannot read standard input")?;
        (buf, None)
    } else {
        let mut buf = Vec::new();
        std::fs::File::open(input)
            .with_context(|| format!("cannot open {input}"))?
            .take(MAX_INPUT)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {input}"))?;
        (buf, None)
    };
    let report = tokio::task::spawn_blocking(move || {
        let r = redflag_classifier::check_bytes(&classifier, &bytes, a.kind);
        r.map(|r| (r.render_text(&classifier), r))
    })
    .await?
    .context("cannot check this input")?;
    let (text, report) = report;
    if a.json {
        let mut v = serde_json::to_value(&report)?;
        if let (Some(page), Some(obj)) = (source, v.as_object_mut()) {
            obj.insert("source".into(), serde_json::to_value(page)?);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if let Some(page) = &source {
            println!(
                "{} (fetched {}, sha256 {})",
                page.final_url,
                redflag_core::time::rfc3339(page.fetched_at),
                page.sha256
            );
        }
        print!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}
