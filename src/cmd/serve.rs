//! `redflag serve`: the investigators' dashboard and the public ad-check page.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::app::Global;

/// Flags of `redflag serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen.
    #[arg(long, env = "REDFLAG_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The address users reach the dashboard at (e.g. https://redflag.example.org) when it runs behind a
    /// reverse proxy; form posts must come from it.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Mark cookies Secure and send HSTS: use whenever users reach the dashboard over HTTPS (on by itself
    /// when --public-url is https).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Take client addresses from X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long)]
    pub trust_forwarded_for: bool,
    /// Let the public check page fetch URLs on private networks (for local testing only; refused unless
    /// --addr is a loopback address).
    #[arg(long)]
    pub allow_private_fetch: bool,
    /// The anti-trafficking hotline the public check page shows beside where to get help (e.g.
    /// "National hotline 0800 000 000, free, 24 h"); use the one your bot personas give.
    #[arg(long, env = "REDFLAG_HOTLINE", value_name = "TEXT")]
    pub hotline: Option<String>,
    /// Requests to the JSON API allowed per API token (or per logged-in user) per minute.
    #[arg(long, value_name = "N", default_value_t = 600)]
    pub api_rate: u32,
    /// Serve /metrics only to admins' API tokens, not to clients on the loopback interface.
    #[arg(long)]
    pub no_local_metrics: bool,
}

/// Runs the command.
pub async fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    if a.allow_private_fetch && !a.addr.ip().is_loopback() {
        anyhow::bail!(
            "--allow-private-fetch lets anyone who reaches the check page make this server fetch private \
             addresses; it is allowed only with a loopback --addr (127.0.0.1 or ::1), not {}",
            a.addr
        );
    }
    let store = g.open_store().await?;
    let index = Arc::new(g.open_index()?);
    crate::app::refill_new_index(&store, &index).await?;
    let classifier = Arc::new(g.classifier()?);
    if store.users().await?.is_empty() {
        eprintln!("note: no dashboard users yet; create one with `redflag user add NAME --role admin --generate`");
    }
    let config = redflag_dashboard::DashboardConfig {
        public_base_url: a.public_url,
        secure_cookies: a.secure_cookies,
        trust_forwarded_for: a.trust_forwarded_for,
        allow_private_fetch: a.allow_private_fetch,
        hotline: a.hotline.filter(|h| !h.trim().is_empty()),
        api_requests_per_minute: a.api_rate,
        metrics_from_loopback: !a.no_local_metrics,
        ..Default::default()
    };
    let state = crate::app::dashboard_state(store, index, classifier, config);
    let listener = tokio::net::TcpListener::bind(a.addr)
        .await
        .with_context(|| format!("cannot listen on {} (is another program using it?)", a.addr))?;
    println!("Dashboard: http://{}/", listener.local_addr()?);
    redflag_dashboard::serve(listener, state, crate::app::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
