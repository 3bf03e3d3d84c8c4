//! The state every handler shares: the store, the search index, the classifier, the settings and the
//! in-memory throttles and request metrics.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use redflag_classifier::Classifier;
use redflag_index::AdIndex;
use redflag_store::Store;
use tokio::sync::Semaphore;

use crate::DashboardConfig;
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;

/// How often searches pick up index commits made by other processes (a crawl or analysis running while
/// the dashboard serves).
const INDEX_REFRESH: Duration = Duration::from_secs(10);

/// Refused requests without a session audited per client and minute; more are only logged.
const ANONYMOUS_REFUSALS_PER_MINUTE: u32 = 10;

/// How long a one-time login link stays valid.
const LOGIN_LINK_TTL: Duration = Duration::from_secs(10 * 60);

/// Shared handler state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    index: Arc<AdIndex>,
    classifier: Arc<Classifier>,
    config: DashboardConfig,
    login_failures: Mutex<RateLimiter>,
    login_failures_ip: Mutex<RateLimiter>,
    checks: Mutex<RateLimiter>,
    /// API requests per token or session user (see [`DashboardConfig::api_requests_per_minute`]).
    api_requests: Mutex<RateLimiter>,
    /// Request counters and latency histograms for `/metrics`.
    metrics: Metrics,
    /// Audit entries for refused requests without a session, per client, so anonymous requests cannot
    /// flood the audit log.
    anonymous_refusals: Mutex<RateLimiter>,
    /// Slots for password verifications (see [`DashboardConfig::max_concurrent_logins`]).
    password_slots: Arc<Semaphore>,
    /// Slots for public checks (see [`DashboardConfig::max_concurrent_checks`]).
    check_slots: Arc<Semaphore>,
    /// When the index reader was last reloaded.
    index_refreshed: Mutex<Instant>,
    /// One-time login codes → (session token, expiry).
    login_links: Mutex<HashMap<String, (String, Instant)>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("store", &self.inner.store.display_url()).finish_non_exhaustive()
    }
}

/// Locks a mutex, recovering from a panic in another holder (the data are counters; a torn update is
/// harmless, refusing every later request is not).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// Builds the state from an open store, a search index, the classifier and the settings. A public
    /// base URL with `https` turns on [`DashboardConfig::secure_cookies`].
    pub fn new(
        store: Store,
        index: Arc<AdIndex>,
        classifier: Arc<Classifier>,
        mut config: DashboardConfig,
    ) -> AppState {
        // Users reach an https public address over TLS: its cookies are Secure and HSTS is sent.
        if config.public_base_url.as_deref().is_some_and(|u| u.to_ascii_lowercase().starts_with("https://")) {
            config.secure_cookies = true;
        }
        let window = config.login_window;
        AppState {
            inner: Arc::new(Inner {
                login_failures: Mutex::new(RateLimiter::new(config.login_max_failures, window)),
                login_failures_ip: Mutex::new(RateLimiter::new(config.login_max_failures_per_ip, window)),
                checks: Mutex::new(RateLimiter::new(config.checks_per_minute, Duration::from_secs(60))),
                api_requests: Mutex::new(RateLimiter::new(config.api_requests_per_minute, Duration::from_secs(60))),
                metrics: Metrics::new(),
                anonymous_refusals: Mutex::new(RateLimiter::new(
                    ANONYMOUS_REFUSALS_PER_MINUTE,
                    Duration::from_secs(60),
                )),
                password_slots: Arc::new(Semaphore::new(config.max_concurrent_logins)),
                check_slots: Arc::new(Semaphore::new(config.max_concurrent_checks)),
                login_links: Mutex::new(HashMap::new()),
                index_refreshed: Mutex::new(Instant::now()),
                store,
                index,
                classifier,
                config,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The search index.
    pub fn index(&self) -> &Arc<AdIndex> {
        &self.inner.index
    }

    /// Reloads the index reader if it has not been for a while, so new commits become searchable.
    /// Blocking (file IO): call it from a blocking thread.
    pub(crate) fn refresh_index_if_stale(&self) {
        let mut last = lock(&self.inner.index_refreshed);
        if last.elapsed() >= INDEX_REFRESH {
            if let Err(e) = self.inner.index.refresh() {
                tracing::warn!(error = %e, "cannot reload the search index");
            }
            *last = Instant::now();
        }
    }

    /// The classifier.
    pub fn classifier(&self) -> &Arc<Classifier> {
        &self.inner.classifier
    }

    /// The settings.
    pub fn config(&self) -> &DashboardConfig {
        &self.inner.config
    }

    pub(crate) fn api_requests(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.inner.api_requests)
    }

    /// The request metrics.
    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub(crate) fn checks(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.inner.checks)
    }

    /// The slots password verifications take; a login that finds none free is answered 429. Public so
    /// that tests and monitoring can see (or fill) them.
    pub fn password_slots(&self) -> &Arc<Semaphore> {
        &self.inner.password_slots
    }

    /// The slots public checks take; a check that finds none free is answered "busy".
    pub fn check_slots(&self) -> &Arc<Semaphore> {
        &self.inner.check_slots
    }

    pub(crate) fn anonymous_refusals(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.inner.anonymous_refusals)
    }

    pub(crate) fn login_failures(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.inner.login_failures)
    }

    pub(crate) fn login_failures_ip(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.inner.login_failures_ip)
    }

    /// Logs `username` in (audited like any login) and returns a one-time path, `/login/link/<code>`,
    /// that opens the dashboard in a browser as that user. The code works once, for ten minutes, and
    /// lives only in this process's memory. `redflag demo` prints one so the demo opens with a click.
    /// Returns `None` when the credentials are wrong.
    pub async fn login_link(&self, username: &str, password: &str) -> Result<Option<String>, AppError> {
        let ttl = i64::try_from(self.config().session_ttl.as_millis()).unwrap_or(i64::MAX);
        let Some(session) = self.store().login(username, password, ttl).await? else { return Ok(None) };
        let code = redflag_store::users::random_token();
        let now = Instant::now();
        let mut links = lock(&self.inner.login_links);
        links.retain(|_, (_, exp)| *exp > now);
        links.insert(code.clone(), (session.token, now + LOGIN_LINK_TTL));
        Ok(Some(format!("/login/link/{code}")))
    }

    /// Redeems a one-time login code for its session token.
    pub(crate) fn redeem_login_link(&self, code: &str) -> Option<String> {
        let (token, expires) = lock(&self.inner.login_links).remove(code)?;
        (expires > Instant::now()).then_some(token)
    }
}
