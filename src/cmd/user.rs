//! `redflag user`: manage dashboard users.

use std::io::BufRead;
use std::process::ExitCode;

use redflag_store::Role;

use crate::app::Global;

/// Subcommands of `redflag user`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a user, or reset an existing user's password and role. The password is read from
    /// standard input (one line), or generated and printed with `--generate`.
    Add {
        /// Login name.
        name: String,
        /// Role: viewer (read), analyst (also triage and export), admin (also users and audit log) or ngo
        /// (the deterrence bot's counters only, nothing of the investigators' leads).
        #[arg(long, default_value = "analyst", value_parser = parse_role)]
        role: Role,
        /// Generate a strong password and print it.
        #[arg(long)]
        generate: bool,
    },
    /// List users.
    List,
    /// Stop a user from logging in and end their sessions.
    Disable {
        /// Login name.
        name: String,
    },
    /// Let a disabled user log in again.
    Enable {
        /// Login name.
        name: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?} (viewer, analyst, admin or ngo)"))
}

/// Runs the command.
pub async fn run(g: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let store = g.open_store().await?;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    match c {
        Command::Add { name, role, generate } => {
            let password = if generate {
                redflag_store::users::random_token()[..20].to_string()
            } else {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_string()
            };
            let u = store.upsert_user(&name, &password, role, &actor).await?;
            if generate {
                println!("user {} ({}) password: {password}", u.username, u.role.as_str());
            } else {
                println!("user {} ({}) saved", u.username, u.role.as_str());
            }
        }
        Command::Disable { name } => {
            store.set_user_disabled(&name, true, &actor).await?;
            println!("user {name} disabled");
        }
        Command::Enable { name } => {
            store.set_user_disabled(&name, false, &actor).await?;
            println!("user {name} enabled");
        }
        Command::List => {
            for u in store.users().await? {
                println!("{:<24} {:<8}{}", u.username, u.role.as_str(), if u.disabled { " disabled" } else { "" });
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
