//! `redflag case`: case files from the command line — list, create, add ads, export an archive for
//! hand-over, and verify an archive (which needs no store).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use redflag_store::{CaseFilter, CaseState};

use crate::app::Global;
use crate::cmd::search::one_line;

/// Subcommands of `redflag case`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List cases, most recently changed first.
    List {
        /// Only cases in this state (open, in_review, closed).
        #[arg(long)]
        state: Option<String>,
        /// Only cases assigned to this user.
        #[arg(long)]
        assignee: Option<String>,
    },
    /// Open a new case; prints its id.
    Create {
        /// The case name.
        name: String,
        /// The dashboard user responsible for it.
        #[arg(long)]
        assignee: Option<String>,
    },
    /// Add ads to a case.
    Add {
        /// The case id.
        case: i64,
        /// Ad ids.
        #[arg(required = true)]
        ads: Vec<i64>,
    },
    /// Write a case as one ZIP archive: ads, versions, raw evidence, triage, audit entries, notes,
    /// summary.html and a manifest of SHA-256 hashes. Audited.
    Export {
        /// The case id.
        id: i64,
        /// The archive to write.
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check an archive: every file against the manifest, every evidence page against the hash recorded
    /// when it was fetched, nothing missing or added. Exits 1 on any problem.
    Verify {
        /// The archive.
        archive: PathBuf,
        /// Print a JSON report.
        #[arg(long)]
        json: bool,
    },
}

fn actor() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()))
}

/// Runs the command.
pub async fn run(g: &Global, c: Command) -> anyhow::Result<ExitCode> {
    match c {
        Command::Verify { archive, json } => verify(&archive, json),
        Command::List { state, assignee } => {
            let state = match state {
                Some(s) => Some(CaseState::parse(&s).with_context(|| format!("unknown case state {s:?}"))?),
                None => None,
            };
            let store = g.open_store().await?;
            let mut out = std::io::stdout().lock();
            for c in store.cases(&CaseFilter { state, assignee }).await? {
                writeln!(
                    out,
                    "{:>5}  {:<9}  {:>4} ads  {:<12} {}{}",
                    c.id,
                    c.state.as_str(),
                    c.ad_count,
                    c.assignee.as_deref().unwrap_or("-"),
                    one_line(&c.name, 300),
                    if c.legal_hold { "  [legal hold]" } else { "" }
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Create { name, assignee } => {
            let store = g.open_store().await?;
            let id = store.create_case(&name, assignee.as_deref(), &actor()).await?;
            println!("{id}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Add { case, ads } => {
            let store = g.open_store().await?;
            for ad in ads {
                let added = store.add_case_ad(case, ad, &actor()).await?;
                println!("ad {ad}: {}", if added { "added" } else { "already in the case" });
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { id, out } => {
            let store = g.open_store().await?;
            let ex = redflag_case::export_to_file(&store, id, &actor(), &out)
                .await
                .with_context(|| format!("cannot export case {id}"))?;
            println!(
                "wrote {}: case {id}, {} ads, {} evidence pages, {} pictures, {} files\nmanifest SHA-256 {} (recorded in the audit log)",
                out.display(),
                ex.ads,
                ex.evidence,
                ex.pictures,
                ex.files,
                ex.manifest_sha256
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn verify(archive: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let report = redflag_case::verify_file(archive).with_context(|| format!("cannot read {}", archive.display()))?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        if let Some(m) = &report.manifest {
            writeln!(
                out,
                "case {} \"{}\", exported {} by {}",
                m.case_id,
                one_line(&m.case_name, 300),
                m.exported_at_utc,
                one_line(&m.exported_by, 300)
            )?;
        }
        if let Some(h) = &report.manifest_sha256 {
            writeln!(out, "manifest SHA-256 {h}")?;
        }
        if report.ok() {
            writeln!(
                out,
                "OK: {} files match the manifest; {} evidence pages and {} pictures match the hashes recorded when they were fetched",
                report.files_checked, report.evidence_checked, report.pictures_checked
            )?;
        } else {
            writeln!(out, "FAILED: {} problems", report.problems.len())?;
            for p in &report.problems {
                writeln!(out, "  {}", one_line(&p.to_string(), 300))?;
            }
        }
    }
    Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
