//! The dashboard's settings, handed in by the binary (which resolves file, environment and flags).

use std::time::Duration;

/// How the dashboard behaves; build one with [`DashboardConfig::default`] and change what you need.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    /// The address users reach the dashboard at, e.g. `https://redflag.example.org`. When set, form
    /// posts must come from this origin; when unset, from the host the request was sent to.
    pub public_base_url: Option<String>,
    /// Mark cookies `Secure` (and send HSTS). Turn on whenever the dashboard is served over HTTPS.
    pub secure_cookies: bool,
    /// Where site owners can reach the operator, sent in the User-Agent when the public check page
    /// fetches a URL (defaults to [`DashboardConfig::public_base_url`]).
    pub contact_url: Option<String>,
    /// Let the public check page fetch URLs on private networks (loopback, LAN). Only for demos and
    /// tests: on a real deployment it would let visitors probe the server's network.
    pub allow_private_fetch: bool,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// Failed logins allowed per client address and username within [`DashboardConfig::login_window`].
    pub login_max_failures: u32,
    /// Failed logins allowed per client address (any username) within the window.
    pub login_max_failures_per_ip: u32,
    /// The window login failures are counted over; a blocked client waits until it passes.
    pub login_window: Duration,
    /// Public ad checks allowed per client address per minute (each one runs the classifier).
    pub checks_per_minute: u32,
    /// Rows per page in lists.
    pub page_size: i64,
    /// Longest text the public check page accepts, in bytes; longer input is cut.
    pub max_check_bytes: usize,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a reverse proxy
    /// that sets it; otherwise clients could pick their own address and dodge the login limits).
    pub trust_forwarded_for: bool,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        Self {
            public_base_url: None,
            secure_cookies: false,
            contact_url: None,
            allow_private_fetch: false,
            session_ttl: Duration::from_secs(12 * 3600),
            login_max_failures: 5,
            login_max_failures_per_ip: 30,
            login_window: Duration::from_secs(15 * 60),
            checks_per_minute: 20,
            page_size: 50,
            max_check_bytes: 20_000,
            trust_forwarded_for: false,
        }
    }
}
