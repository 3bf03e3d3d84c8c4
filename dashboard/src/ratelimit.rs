//! Counting attempts per key in a sliding window: failed logins per client and username, and public
//! checks per client. Kept in memory: a restart forgets it, which is acceptable for throttling.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Keys kept before old ones are swept, so a flood of distinct keys cannot grow memory without bound.
const SWEEP_AT: usize = 10_000;

/// A sliding-window counter of events per key.
#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    events: HashMap<String, Vec<Instant>>,
}

impl RateLimiter {
    /// Allows `max` events per key within `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        Self { max: max.max(1), window, events: HashMap::new() }
    }

    fn prune(&mut self, key: &str, now: Instant) -> usize {
        let window = self.window;
        match self.events.get_mut(key) {
            Some(v) => {
                v.retain(|t| now.saturating_duration_since(*t) < window);
                v.len()
            }
            None => 0,
        }
    }

    /// How long `key` must wait before its next event is allowed; `None` when it may go now.
    pub fn blocked_for(&mut self, key: &str, now: Instant) -> Option<Duration> {
        if self.prune(key, now) < self.max as usize {
            return None;
        }
        let oldest = self.events.get(key).and_then(|v| v.first().copied())?;
        Some(self.window.saturating_sub(now.saturating_duration_since(oldest)).max(Duration::from_secs(1)))
    }

    /// Records an event for `key`. Returns true when this event used up the key's allowance.
    pub fn record(&mut self, key: &str, now: Instant) -> bool {
        if self.events.len() >= SWEEP_AT {
            let window = self.window;
            self.events.retain(|_, v| v.last().is_some_and(|t| now.saturating_duration_since(*t) < window));
        }
        let n = self.prune(key, now);
        self.events.entry(key.to_string()).or_default().push(now);
        n + 1 == self.max as usize
    }

    /// Records an event unless the key is blocked; returns how long to wait when it is.
    pub fn check_and_record(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        if let Some(wait) = self.blocked_for(key, now) {
            return Err(wait);
        }
        self.record(key, now);
        Ok(())
    }

    /// Forgets a key (after a successful login).
    pub fn clear(&mut self, key: &str) {
        self.events.remove(key);
    }

    /// Takes back the newest event of `key` (an attempt counted in advance that turned out not to be a
    /// failure).
    pub fn unrecord(&mut self, key: &str) {
        if let Some(v) = self.events.get_mut(key) {
            v.pop();
            if v.is_empty() {
                self.events.remove(key);
            }
        }
    }
}

/// The key a client address is counted under ([`redflag_core::net::client_key`]); anything that is not
/// an address is used as it is.
pub fn client_key(ip: &str) -> String {
    match ip.trim().parse::<std::net::IpAddr>() {
        Ok(ip) => redflag_core::net::client_key(ip),
        Err(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowance_until_the_window_passes() {
        let mut l = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(!l.record("k", t0));
        assert!(!l.record("k", t0 + Duration::from_secs(1)));
        assert!(l.blocked_for("k", t0 + Duration::from_secs(2)).is_none());
        assert!(l.record("k", t0 + Duration::from_secs(2)), "third event uses up the allowance");
        let wait = l.blocked_for("k", t0 + Duration::from_secs(10)).unwrap();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(l.blocked_for("other", t0).is_none(), "keys are independent");
        assert!(l.blocked_for("k", t0 + Duration::from_secs(61)).is_none(), "oldest event left the window");
        l.clear("k");
        assert!(l.blocked_for("k", t0 + Duration::from_secs(10)).is_none());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        assert_eq!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_eq!(client_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("unknown"), "unknown");
    }

    #[test]
    fn an_event_counted_in_advance_can_be_taken_back() {
        let mut l = RateLimiter::new(2, Duration::from_secs(60));
        let t = Instant::now();
        l.record("k", t);
        l.record("k", t);
        assert!(l.blocked_for("k", t).is_some());
        l.unrecord("k");
        assert!(l.blocked_for("k", t).is_none());
        l.unrecord("k");
        l.unrecord("k");
        assert!(l.blocked_for("k", t).is_none());
    }

    #[test]
    fn check_and_record_counts_only_allowed_events() {
        let mut l = RateLimiter::new(2, Duration::from_secs(60));
        let t = Instant::now();
        assert!(l.check_and_record("ip", t).is_ok());
        assert!(l.check_and_record("ip", t).is_ok());
        assert!(l.check_and_record("ip", t).is_err());
        assert!(l.check_and_record("ip", t + Duration::from_secs(60)).is_ok());
    }
}
