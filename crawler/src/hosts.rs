//! Per-host politeness: a cap on requests in flight to one host, a minimum spacing between requests
//! (raised by robots.txt `Crawl-delay`), and each host's robots.txt, fetched once per crawl and obeyed.
//!
//! robots.txt is read as RFC 9309 says: a 2xx answer gives the rules; a 4xx answer means there are no
//! rules; a 5xx answer or a network failure means the site is unreachable, so nothing is fetched from it
//! for now (URLs are retried later) and the file is asked for again after a pause.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use texting_robots::Robot;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;
use url::Url;

use crate::canon::Scope;
use crate::fetch::{Fetcher, ROBOTS_AGENT, RawResponse, Validators};

/// The longest `Crawl-delay` honoured; longer ones are capped (and logged) so one file cannot stall a
/// crawl for days.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(300);
/// robots.txt files are read up to this size (RFC 9309 asks for at least 500 KiB).
pub const ROBOTS_MAX_BYTES: usize = 512 * 1024;
/// How long an unreachable robots.txt is remembered before it is asked for again.
const ROBOTS_RETRY: Duration = Duration::from_secs(30);

/// What robots.txt says about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RobotsVerdict {
    /// Allowed (or robots.txt is not obeyed for this crawl).
    Allowed,
    /// Disallowed for our user agent.
    Disallowed,
    /// robots.txt could not be read; try the URL again later.
    Unreachable(String),
}

enum RobotsState {
    Rules(Box<Robot>),
    AllowAll,
    Unreachable { until: Instant, reason: String },
}

/// One host's limits and robots.txt.
pub struct Host {
    origin: String,
    slots: Semaphore,
    next: Mutex<Instant>,
    delay: Mutex<Duration>,
    robots: tokio::sync::Mutex<Option<RobotsState>>,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// A fetched robots.txt, to keep as evidence.
#[derive(Debug, Clone)]
pub struct RobotsFetch {
    /// The robots.txt URL.
    pub url: Url,
    /// The final response (after redirects), if there was one.
    pub response: Option<RawResponse>,
}

impl Host {
    fn new(origin: String, concurrency: usize, delay: Duration) -> Host {
        Host {
            origin,
            slots: Semaphore::new(concurrency.max(1)),
            next: Mutex::new(Instant::now()),
            delay: Mutex::new(delay),
            robots: tokio::sync::Mutex::new(None),
        }
    }

    /// Waits for a free request slot on this host and for the host's turn; hold the permit until the
    /// response is read.
    pub async fn acquire(&self) -> Option<SemaphorePermit<'_>> {
        let permit = self.slots.acquire().await.ok()?;
        let delay = *self.delay.lock().unwrap_or_else(|p| p.into_inner());
        if !delay.is_zero() {
            let at = {
                let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
                let at = (*next).max(Instant::now());
                *next = at + delay;
                at
            };
            tokio::time::sleep_until(at).await;
        }
        Some(permit)
    }

    /// Whether robots.txt allows `url`, fetching robots.txt first if needed. A fetched file is handed to
    /// `keep` (for the evidence store). Redirects of robots.txt are followed only within `scope`; one
    /// leading elsewhere counts as no file (RFC 9309 treats an unavailable file as "no rules").
    pub async fn robots_verdict(
        &self,
        url: &Url,
        fetcher: &Fetcher,
        scope: &Scope,
        max_redirects: usize,
        keep: impl FnOnce(RobotsFetch),
    ) -> RobotsVerdict {
        let mut state = self.robots.lock().await;
        let stale = match &*state {
            None => true,
            Some(RobotsState::Unreachable { until, .. }) => *until <= Instant::now(),
            Some(_) => false,
        };
        if stale {
            let (new_state, fetched) = self.fetch_robots(url, fetcher, scope, max_redirects).await;
            keep(fetched);
            *state = Some(new_state);
        }
        match state.as_ref() {
            Some(RobotsState::Rules(r)) if !r.allowed(url.as_str()) => RobotsVerdict::Disallowed,
            Some(RobotsState::Unreachable { reason, .. }) => RobotsVerdict::Unreachable(reason.clone()),
            _ => RobotsVerdict::Allowed,
        }
    }

    async fn fetch_robots(
        &self,
        url: &Url,
        fetcher: &Fetcher,
        scope: &Scope,
        max_redirects: usize,
    ) -> (RobotsState, RobotsFetch) {
        let Ok(mut target) = url.join("/robots.txt") else {
            return (RobotsState::AllowAll, RobotsFetch { url: url.clone(), response: None });
        };
        let robots_url = target.clone();
        let unreachable = |reason: String, response| {
            (
                RobotsState::Unreachable {
                    until: Instant::now() + ROBOTS_RETRY,
                    reason: format!("robots.txt unreachable: {reason}"),
                },
                RobotsFetch { url: robots_url.clone(), response },
            )
        };
        for _ in 0..=max_redirects.max(5) {
            let _permit = self.acquire().await;
            let resp = match fetcher.get_capped(&target, &Validators::default(), ROBOTS_MAX_BYTES).await {
                Ok(r) => r,
                Err(f) => return unreachable(f.reason, None),
            };
            if resp.is_redirect() {
                match resp.header("location").and_then(|l| target.join(l).ok()) {
                    Some(next) if matches!(next.scheme(), "http" | "https") && scope.allows(&next) => {
                        target = next;
                        continue;
                    }
                    Some(next) => {
                        tracing::warn!(host = %self.origin, to = %next, "robots.txt redirects out of the site's scope; not followed");
                        return (RobotsState::AllowAll, RobotsFetch { url: robots_url, response: Some(resp) });
                    }
                    None => return (RobotsState::AllowAll, RobotsFetch { url: robots_url, response: Some(resp) }),
                }
            }
            let state = match resp.status {
                200..=299 => match Robot::new(ROBOTS_AGENT, &resp.body) {
                    Ok(robot) => {
                        if let Some(d) = robot.delay.filter(|d| d.is_finite() && *d > 0.0) {
                            let wanted = Duration::from_secs_f32(d.min(1e6));
                            if wanted > MAX_CRAWL_DELAY {
                                tracing::warn!(host = %self.origin, crawl_delay = d, "crawl-delay capped at {}s", MAX_CRAWL_DELAY.as_secs());
                            }
                            let mut delay = self.delay.lock().unwrap_or_else(|p| p.into_inner());
                            *delay = (*delay).max(wanted.min(MAX_CRAWL_DELAY));
                        }
                        RobotsState::Rules(Box::new(robot))
                    }
                    Err(e) => {
                        tracing::warn!(host = %self.origin, error = %e, "unparseable robots.txt; treating it as empty");
                        RobotsState::AllowAll
                    }
                },
                400..=499 if resp.status != 429 => RobotsState::AllowAll,
                s => return unreachable(crate::fetch::status_text(s), Some(resp)),
            };
            return (state, RobotsFetch { url: robots_url, response: Some(resp) });
        }
        unreachable(format!("more than {} redirects", max_redirects.max(5)), None)
    }
}

/// All hosts of one crawl.
#[derive(Debug)]
pub struct Hosts {
    concurrency: usize,
    delay: Duration,
    map: Mutex<HashMap<String, Arc<Host>>>,
}

impl Hosts {
    /// Hosts with `concurrency` requests in flight each, `delay` apart.
    pub fn new(concurrency: usize, delay: Duration) -> Hosts {
        Hosts { concurrency, delay, map: Mutex::new(HashMap::new()) }
    }

    /// The state of the host serving `url`.
    pub fn get(&self, url: &Url) -> Arc<Host> {
        let origin = url.origin().ascii_serialization();
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(origin.clone()).or_insert_with(|| Arc::new(Host::new(origin, self.concurrency, self.delay))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced_by_the_delay() {
        let hosts = Hosts::new(4, Duration::from_millis(250));
        let url = Url::parse("http://a.example/").unwrap();
        let h = hosts.get(&url);
        let start = Instant::now();
        for _ in 0..4 {
            let _p = h.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::from_millis(750));
        let other = hosts.get(&Url::parse("http://b.example/").unwrap());
        let t = Instant::now();
        let _p = other.acquire().await;
        assert_eq!(t.elapsed(), Duration::ZERO, "hosts do not wait for each other");
    }
}
