//! `redflag delete`: deletion on request. Removes one ad, or every ad carrying a phone number, e-mail
//! address or handle, with its versions, the evidence pages only it references, entities, scores, links,
//! triage and search-index entry — except ads a case on legal hold keeps, which are listed with the case.

use std::process::ExitCode;

use redflag_store::{ErasurePlan, Subject};

use crate::app::Global;

/// Flags of `redflag delete`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["ad", "phone", "email", "handle"])))]
pub struct Args {
    /// Delete this ad.
    #[arg(long, value_name = "ID")]
    pub ad: Option<i64>,
    /// Delete every ad carrying this phone number (any written form).
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
    /// Delete every ad carrying this e-mail address.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
    /// Delete every ad carrying this handle (`service:name`, or `name` for any service).
    #[arg(long, value_name = "HANDLE")]
    pub handle: Option<String>,
    /// List what would be deleted and kept; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Really delete (without it, and without --dry-run, nothing is changed and the command says so).
    #[arg(long)]
    pub yes: bool,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
}

fn print(plan: &ErasurePlan, done: bool, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "deleted": done, "plan": plan }))?);
        return Ok(());
    }
    let verb = if done { "deleted" } else { "would delete" };
    let what = crate::cmd::search::one_line(&plan.subject.describe(), 200);
    if plan.is_empty() {
        println!("nothing stored matches {what}");
        return Ok(());
    }
    println!(
        "{what}: {verb} {} ads ({} versions, {} evidence pages, {} pictures, {} entities, {} scores, {} links, {} case entries)",
        plan.ads.len(),
        plan.versions,
        plan.pages.len(),
        plan.images.len(),
        plan.entities,
        plan.scores,
        plan.links,
        plan.case_entries
    );
    if !plan.ads.is_empty() {
        let ids: Vec<String> = plan.ads.iter().map(i64::to_string).collect();
        println!("  ads: {}", ids.join(", "));
    }
    for k in &plan.kept {
        let cases: Vec<String> = k
            .cases
            .iter()
            .map(|(id, name)| format!("case {id} \"{}\"", crate::cmd::search::one_line(name, 80)))
            .collect();
        println!("  kept ad {}: on legal hold in {}", k.ad_id, cases.join(", "));
    }
    Ok(())
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let subject = match (a.ad, a.phone, a.email, a.handle) {
        (Some(id), ..) => Subject::Ad(id),
        (_, Some(p), ..) => Subject::Phone(p),
        (_, _, Some(e), _) => Subject::Email(e),
        (_, _, _, Some(h)) => Subject::Handle(h),
        _ => anyhow::bail!("name what to delete: --ad, --phone, --email or --handle"),
    };
    if !a.dry_run && !a.yes {
        anyhow::bail!("delete removes data for good; add --dry-run to see what would go, or --yes to confirm");
    }
    let store = g.open_store().await?;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    if a.dry_run {
        let plan = store.erase_plan(&subject, &actor).await?;
        print(&plan, false, a.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let plan = store.erase(&subject, &actor).await?;
    print(&plan, true, a.json)?;
    if !plan.ads.is_empty() {
        // The index is derived: drop the deleted ads from it (or say how to rebuild it).
        let removed = g.open_index().and_then(|index| {
            index.remove(&plan.ads)?;
            index.commit()?;
            Ok(())
        });
        if let Err(e) = removed {
            eprintln!("redflag: the search index still lists the deleted ads ({e:#}); run `redflag reindex`");
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
