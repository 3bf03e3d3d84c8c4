//! The dashboard's settings, handed in by the binary (which resolves file, environment and flags).

use std::time::Duration;

/// How the dashboard behaves; build one with [`DashboardConfig::default`] and change what you need.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    /// The address users reach the dashboard at, e.g. `https://redflag.example.org`. When set, form
    /// posts must come from this origin; when unset, from the host the request was sent to.
    pub public_base_url: Option<String>,
    /// Mark cookies `Secure` (and send HSTS). Turn on whenever the dashboard is served over HTTPS; on by
    /// itself when [`DashboardConfig::public_base_url`] is an `https` URL.
    pub secure_cookies: bool,
    /// Where site owners can reach the operator, sent in the User-Agent when the public check page
    /// fetches a URL (defaults to [`DashboardConfig::public_base_url`]).
    pub contact_url: Option<String>,
    /// Let the public check page fetch URLs on private networks (loopback, LAN). Only for demos and
    /// tests: on a real deployment it would let visitors probe the server's network.
    pub allow_private_fetch: bool,
    /// Origins (`http://127.0.0.1:8080`) the public check page may fetch even on private addresses: the
    /// demo site, when the dashboard listens on loopback only.
    pub private_fetch_origins: Vec<String>,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// A login also ends after this long without a request.
    pub session_idle: Duration,
    /// Failed logins allowed per client address and username within [`DashboardConfig::login_window`].
    pub login_max_failures: u32,
    /// Failed logins allowed per client address (any username) within the window.
    pub login_max_failures_per_ip: u32,
    /// The window login failures are counted over; a blocked client waits until it passes.
    pub login_window: Duration,
    /// Public ad checks allowed per client address per minute (each one runs the classifier). IPv6
    /// clients are counted by their /64 network.
    pub checks_per_minute: u32,
    /// Public ad checks running at once, across all clients; more are answered "busy, try again".
    pub max_concurrent_checks: usize,
    /// The longest one public check may take, fetch included; a slower one is answered with the
    /// fixed "could not fetch" message.
    pub check_deadline: Duration,
    /// Password verifications (Argon2, about 19 MiB and tens of milliseconds each) running at once;
    /// logins beyond it are answered 429 at once instead of queueing memory.
    pub max_concurrent_logins: usize,
    /// Rows per page in lists.
    pub page_size: i64,
    /// Longest text the public check page accepts, in bytes; longer input is cut.
    pub max_check_bytes: usize,
    /// The anti-trafficking hotline shown on the public check page beside the sentence on where to get
    /// help (e.g. `National hotline 0800 000 000, free, 24 h` or a web address); the same line an NGO puts
    /// in the bot's persona. Without it the page names no number.
    pub hotline: Option<String>,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a reverse proxy
    /// that sets it; otherwise clients could pick their own address and dodge the login limits).
    pub trust_forwarded_for: bool,
    /// Requests to the JSON API allowed per API token (or per browser session user) per minute; more
    /// are answered 429 with `Retry-After`.
    pub api_requests_per_minute: u32,
    /// Serve `/metrics` to clients on the loopback interface without a token (requests that carry
    /// `X-Forwarded-For`, i.e. came through a proxy, never count as loopback).
    pub metrics_from_loopback: bool,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        Self {
            public_base_url: None,
            secure_cookies: false,
            contact_url: None,
            allow_private_fetch: false,
            private_fetch_origins: Vec::new(),
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(30 * 60),
            login_max_failures: 5,
            login_max_failures_per_ip: 30,
            login_window: Duration::from_secs(15 * 60),
            checks_per_minute: 20,
            max_concurrent_checks: 16,
            check_deadline: Duration::from_secs(30),
            max_concurrent_logins: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            page_size: 50,
            max_check_bytes: 20_000,
            hotline: None,
            trust_forwarded_for: false,
            api_requests_per_minute: 600,
            metrics_from_loopback: true,
        }
    }
}

impl DashboardConfig {
    /// [`DashboardConfig::session_idle`] in milliseconds.
    pub fn session_idle_ms(&self) -> i64 {
        i64::try_from(self.session_idle.as_millis()).unwrap_or(i64::MAX)
    }
}
