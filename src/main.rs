//! The `redflag` command: CLI definition and glue. Every capability lives in a library crate; this binary
//! parses flags, opens the store, index and model the command needs, calls the library and prints.

mod app;
mod cmd;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find, score and triage human-trafficking and recruitment-fraud indicators in online ads.
#[derive(Debug, Parser)]
#[command(name = "redflag", version, about, max_term_width = 100)]
struct Cli {
    #[command(flatten)]
    global: app::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the bundled sample site, crawl it, score and index every ad, and open the dashboard.
    Demo(cmd::demo::Args),
    /// Crawl one site described by a site-adapter file into the store.
    Crawl(cmd::crawl::Args),
    /// Crawl continuously, analyse new and changed ads as they arrive, and raise and deliver alerts.
    Run(cmd::run::Args),
    /// Extract entities, link networks, score and index ads that are new or changed since the last run.
    Analyze(cmd::analyze::Args),
    /// Serve the investigators' dashboard and the public ad-check page.
    Serve(cmd::serve::Args),
    /// Search the indexed ads.
    Search(cmd::search::Args),
    /// Score one ad (a URL, a file, or `-` for standard input) and explain the verdict.
    Check(cmd::check::Args),
    /// Export every ad with its entities, risk and evidence.
    Export(cmd::export::Args),
    /// Work with the stored evidence pages.
    #[command(subcommand)]
    Evidence(cmd::evidence::Command),
    /// Train a model from labelled ads.
    Train(cmd::train::Args),
    /// Evaluate a model on labelled ads.
    Eval(cmd::eval::Args),
    /// Manage dashboard users.
    #[command(subcommand)]
    User(cmd::user::Command),
    /// Rebuild the search index from the store.
    Reindex(cmd::reindex::Args),
    /// Retention: delete ads not seen for a given time, with their evidence and analysis.
    Purge(cmd::purge::Args),
    /// Run the deterrence or job-check chatbot, or read its statistics.
    Bot(cmd::bot::Args),
    /// Case files: list, create, add ads, export an archive for hand-over, verify an archive.
    #[command(subcommand)]
    Case(cmd::case::Command),
    /// Deletion on request: one ad, or every ad carrying a phone number, e-mail address or handle.
    Delete(cmd::delete::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    app::init_tracing(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("redflag: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let g = cli.global;
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Demo(a) => cmd::demo::run(&g, a).await,
            Command::Crawl(a) => cmd::crawl::run(&g, a).await,
            Command::Run(a) => cmd::run::run(&g, a).await,
            Command::Analyze(a) => cmd::analyze::run(&g, a).await,
            Command::Serve(a) => cmd::serve::run(&g, a).await,
            Command::Search(a) => cmd::search::run(&g, a).await,
            Command::Check(a) => cmd::check::run(&g, a).await,
            Command::Export(a) => cmd::export::run(&g, a).await,
            Command::Evidence(c) => cmd::evidence::run(&g, c).await,
            Command::Train(a) => cmd::train::run(&g, a).await,
            Command::Eval(a) => cmd::eval::run(&g, a).await,
            Command::User(c) => cmd::user::run(&g, c).await,
            Command::Reindex(a) => cmd::reindex::run(&g, a).await,
            Command::Purge(a) => cmd::purge::run(&g, a).await,
            Command::Bot(a) => cmd::bot::run(&g, a).await,
            Command::Case(c) => cmd::case::run(&g, c).await,
            Command::Delete(a) => cmd::delete::run(&g, a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("redflag: {e:#}");
            ExitCode::FAILURE
        }
    }
}
