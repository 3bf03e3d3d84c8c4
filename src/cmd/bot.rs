//! `redflag bot`: run the deterrence chatbot (or the job-ad check bot) on Telegram and, with
//! `--sms-listen`, behind an SMS gateway's webhook, and with `--web-listen`, as a web chat page per
//! decoy ad; read its daily counters, or apply its retention
//! periods now.
//!
//! Secrets come from environment variables named by flags, never from flag values, which any user of
//! the machine can read in `ps`: the bot token (`--token-env`, default `TELEGRAM_BOT_TOKEN`), the
//! secret that keys the hashes of chat ids (`--secret-env`, default `REDFLAG_BOT_SECRET`) and the SMS
//! gateway's auth token (`--sms-token-env`, default `SMS_AUTH_TOKEN`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use redflag_bot::sms::{self, SmsOptions};
use redflag_bot::telegram::{self, TelegramOptions};
use redflag_bot::web::{self, WebOptions};
use redflag_bot::{ChatHasher, Persona, Service};
use redflag_store::bot::{BotStatsRow, DAY_MS, StatsDelta};

use crate::app::Global;

/// Flags of `redflag bot`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// What else `redflag bot` does.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Daily counters by persona and decoy ad: conversations, purchase intent detected, deterrence
    /// messages sent, conversations closed without intent, requests for help, minor cues, opt-outs,
    /// job-ad checks.
    Stats(StatsArgs),
    /// Delete transcripts and idle conversations older than a persona's retention periods now (a
    /// running bot does this every hour).
    Purge(PurgeArgs),
}

/// Flags for running the bot.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The persona file: what the decoy says, the deterrence message, privacy settings
    /// (see config/bot/persona.example.toml).
    #[arg(long, value_name = "FILE")]
    pub persona: Option<PathBuf>,
    /// The environment variable holding the bot token from BotFather.
    #[arg(long, value_name = "VAR", default_value = "TELEGRAM_BOT_TOKEN")]
    pub token_env: String,
    /// The environment variable holding the secret that keys the hashes of chat ids (16 bytes or more;
    /// keep it out of database backups, and keep it stable: a new secret starts every conversation anew).
    #[arg(long, value_name = "VAR", default_value = "REDFLAG_BOT_SECRET")]
    pub secret_env: String,
    /// The Bot API's base URL: a self-hosted Bot API server, or a local fake for tests.
    #[arg(long, value_name = "URL", default_value = telegram::DEFAULT_API_URL)]
    pub api_url: String,
    /// Also serve the SMS webhook (POST /sms, the gateways' form callback) on this address, e.g.
    /// 127.0.0.1:8088 behind your HTTPS reverse proxy.
    #[arg(long, value_name = "ADDR", requires = "sms_url")]
    pub sms_listen: Option<SocketAddr>,
    /// The webhook's public URL exactly as configured at the SMS gateway (the signatures cover it),
    /// e.g. https://bot.example.org/sms.
    #[arg(long, value_name = "URL", requires = "sms_listen")]
    pub sms_url: Option<String>,
    /// The environment variable holding the SMS gateway account's auth token.
    #[arg(long, value_name = "VAR", default_value = "SMS_AUTH_TOKEN")]
    pub sms_token_env: String,
    /// Also serve the web chat (GET and POST /chat/DECOY-AD, one page per decoy ad) on this address,
    /// e.g. 127.0.0.1:8089 behind your HTTPS reverse proxy.
    #[arg(long, value_name = "ADDR")]
    pub web_listen: Option<SocketAddr>,
    /// Messages the web chat accepts per minute from one IPv4 address or IPv6 /64, across its sessions
    /// (ten times as many per hour).
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub web_ip_per_minute: u32,
    /// Take the web chat client's address from the last X-Forwarded-For entry (only behind a reverse
    /// proxy that sets it).
    #[arg(long, requires = "web_listen")]
    pub web_trust_forwarded_for: bool,
    /// Do not connect to Telegram: answer SMS and web chat only.
    #[arg(long)]
    pub no_telegram: bool,
}

/// Flags of `redflag bot stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Show the last this many days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// Print the rows as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `redflag bot purge`.
#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    /// The persona file whose retention periods apply.
    #[arg(long, value_name = "FILE")]
    pub persona: PathBuf,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    match a.command {
        Some(Command::Stats(s)) => stats(g, s).await,
        Some(Command::Purge(p)) => purge(g, p).await,
        None => run_bot(g, a.run).await,
    }
}

/// A secret from the environment variable `var`, or a message saying how to provide it.
fn secret_from_env(var: &str, what: &str, how: &str) -> anyhow::Result<String> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        Ok(_) => bail!("environment variable {var} is empty: {how}"),
        Err(std::env::VarError::NotPresent) => {
            bail!("environment variable {var} is not set: it must hold {what}; {how}")
        }
        Err(std::env::VarError::NotUnicode(_)) => bail!("environment variable {var} is not valid UTF-8"),
    }
}

async fn run_bot(g: &Global, a: RunArgs) -> anyhow::Result<ExitCode> {
    let Some(path) = a.persona else {
        bail!("--persona FILE is required to run the bot (start from config/bot/persona.example.toml)");
    };
    let persona = Persona::load(&path)?;
    let secret = secret_from_env(
        &a.secret_env,
        "the secret that keys the hashes of chat ids",
        "set it to 32 random bytes in hex or base64, e.g. `openssl rand -hex 32`, and keep it apart from the database",
    )?;
    let hasher = ChatHasher::from_encoded(&secret).with_context(|| format!("in {}", a.secret_env))?;
    let sms = match (a.sms_listen, a.sms_url) {
        (Some(addr), Some(public_url)) => {
            let parsed =
                url::Url::parse(&public_url).with_context(|| format!("--sms-url {public_url:?} is not a URL"))?;
            if !matches!(parsed.scheme(), "https" | "http") {
                bail!("--sms-url {public_url:?} must be the http(s) URL the gateway calls");
            }
            let auth_token = secret_from_env(
                &a.sms_token_env,
                "the SMS gateway account's auth token",
                "copy it from your gateway's console (it is never passed as a flag)",
            )?;
            Some((addr, SmsOptions { auth_token, public_url }))
        }
        _ => None,
    };
    if a.no_telegram && a.sms_listen.is_none() && a.web_listen.is_none() {
        bail!("--no-telegram needs --sms-listen or --web-listen: the bot would answer nowhere");
    }
    let web_opts = WebOptions {
        ip_limits: redflag_bot::Limits {
            messages_per_minute: a.web_ip_per_minute,
            messages_per_hour: a.web_ip_per_minute.saturating_mul(10),
            ..redflag_bot::Limits::default()
        },
        trust_forwarded_for: a.web_trust_forwarded_for,
    };
    let telegram = if a.no_telegram {
        None
    } else {
        let token = secret_from_env(
            &a.token_env,
            "the bot token",
            "create a bot with @BotFather on Telegram and export its token (it is never passed as a flag)",
        )?;
        let mut opts = TelegramOptions::new(token);
        opts.api_url =
            url::Url::parse(&a.api_url).with_context(|| format!("--api-url {:?} is not a URL", a.api_url))?;
        let me = telegram::connect(&opts).await?;
        Some((opts, me))
    };
    let store = g.open_store().await?;
    let classifier = Arc::new(g.classifier()?);
    let service = Arc::new(Service::new(persona, hasher, store.clone(), classifier));
    // One Ctrl-C or SIGTERM stops every channel.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        crate::app::shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let sms_server = match sms {
        Some((addr, opts)) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for the SMS webhook"))?;
            eprintln!(
                "{}: SMS webhook on http://{addr}{} for {} ({} decoy numbers)",
                service.persona().describe(),
                sms::PATH,
                opts.public_url,
                service.persona().sms.numbers.len()
            );
            Some(tokio::spawn(sms::serve(Arc::clone(&service), opts, listener, stopped(stop_rx.clone()))))
        }
        None => None,
    };
    let web_server = match a.web_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for the web chat"))?;
            let p = service.persona();
            let ads: Vec<&str> =
                p.decoy_ads.iter().map(String::as_str).chain(std::iter::once(p.default_decoy_ad.as_str())).collect();
            eprintln!("{}: web chat on http://{addr}{}/{{{}}}", p.describe(), web::PATH, ads.join(","));
            Some(tokio::spawn(web::serve(Arc::clone(&service), web_opts, listener, stopped(stop_rx.clone()))))
        }
        None => None,
    };
    match telegram {
        Some((opts, me)) => {
            eprintln!(
                "{} answering as @{} (store: {}); Ctrl-C to stop",
                service.persona().describe(),
                me.username.as_deref().unwrap_or("?"),
                store.display_url()
            );
            telegram::run(Arc::clone(&service), opts, stopped(stop_rx)).await?;
        }
        None => {
            eprintln!(
                "{} answering without Telegram (store: {}); Ctrl-C to stop",
                service.persona().describe(),
                store.display_url()
            );
            // Telegram's runner purges hourly; without it, this does.
            let purger = tokio::spawn(Arc::clone(&service).purge_periodically(std::time::Duration::from_secs(3600)));
            stopped(stop_rx).await;
            purger.abort();
        }
    }
    if let Some(server) = sms_server {
        server.await.context("the SMS webhook task failed")??;
    }
    if let Some(server) = web_server {
        server.await.context("the web chat task failed")??;
    }
    Ok(ExitCode::SUCCESS)
}

async fn stats(g: &Global, a: StatsArgs) -> anyhow::Result<ExitCode> {
    let store = g.open_store().await?;
    let since = redflag_store::now_ms() - i64::from(a.days - 1) * DAY_MS;
    let rows = store.bot_stats(since).await?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("no bot activity in the last {} days", a.days);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", render_stats(&rows));
    Ok(ExitCode::SUCCESS)
}

/// The counters as an aligned table with a total line.
fn render_stats(rows: &[BotStatsRow]) -> String {
    let header = [
        "day",
        "channel",
        "persona",
        "decoy ad",
        "conversations",
        "intent",
        "deterrence",
        "closed",
        "help",
        "minor",
        "opt-outs",
        "checks",
    ];
    let cells = |day: String, ch: &str, p: &str, ad: &str, c: &StatsDelta| -> Vec<String> {
        vec![
            day,
            ch.to_string(),
            p.to_string(),
            ad.to_string(),
            c.conversations.to_string(),
            c.intent.to_string(),
            c.deterrence.to_string(),
            c.closed_without_intent.to_string(),
            c.help_requests.to_string(),
            c.minor_cues.to_string(),
            c.opt_outs.to_string(),
            c.checks.to_string(),
        ]
    };
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    let mut total = StatsDelta::default();
    for r in rows {
        let day: String = redflag_core::time::rfc3339(r.day).chars().take(10).collect();
        table.push(cells(day, &r.channel, &r.persona, &r.decoy_ad, &r.counts));
        total += &r.counts;
    }
    table.push(cells("total".into(), "", "", "", &total));
    let widths: Vec<usize> =
        (0..header.len()).map(|i| table.iter().map(|row| row[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &table {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| if i < 4 { format!("{c:<w$}", w = widths[i]) } else { format!("{c:>w$}", w = widths[i]) })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    if total.conversations > 0 {
        out.push_str(&format!(
            "intent shown in {:.0}% of conversations; deterrence delivered in {} of {} with intent\n",
            100.0 * total.intent as f64 / total.conversations as f64,
            total.deterrence,
            total.intent
        ));
    }
    if total.help_requests > 0 {
        out.push_str(&format!(
            "{} {} asked for help and {} sent the hotline\n",
            total.help_requests,
            if total.help_requests == 1 { "person" } else { "people" },
            if total.help_requests == 1 { "was" } else { "were" }
        ));
    }
    out
}

async fn purge(g: &Global, a: PurgeArgs) -> anyhow::Result<ExitCode> {
    let persona = Persona::load(&a.persona)?;
    let store = g.open_store().await?;
    let now = redflag_store::now_ms();
    let p = &persona.privacy;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let purged = store
        .purge_bot(
            now - i64::from(p.transcript_retention_days) * DAY_MS,
            Some(now - i64::from(p.conversation_retention_days) * DAY_MS),
            &actor,
        )
        .await?;
    println!(
        "deleted {} transcript lines (older than {} days) and {} conversations (idle for {} days)",
        purged.transcript_lines, p.transcript_retention_days, purged.conversations, p.conversation_retention_days
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_render_as_an_aligned_table_with_totals() {
        let row = |day, ad: &str, conversations, intent, help_requests| BotStatsRow {
            day,
            channel: "telegram".into(),
            persona: "p1".into(),
            decoy_ad: ad.into(),
            counts: StatsDelta { conversations, intent, deterrence: intent, help_requests, ..StatsDelta::default() },
        };
        let text = render_stats(&[row(0, "ad-1", 3, 1, 1), row(DAY_MS, "direct", 1, 1, 0)]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("day         channel   persona  decoy ad  conversations"), "{text}");
        assert!(lines[0].contains("closed  help  minor  opt-outs  checks"), "{text}");
        assert!(lines[1].starts_with("1970-01-01  telegram  p1       ad-1"), "{text}");
        assert!(lines[3].starts_with("total") && lines[3].contains(" 4 "), "{text}");
        assert_eq!(lines[4], "intent shown in 50% of conversations; deterrence delivered in 2 of 2 with intent");
        assert_eq!(lines[5], "1 person asked for help and was sent the hotline");
    }
}
