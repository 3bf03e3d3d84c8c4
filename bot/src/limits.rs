//! Per-chat abuse limits: how many messages a chat may send before the bot stops answering for a
//! while, and a guard against answering the bot's own words.
//!
//! The limits are the persona's `[limits]` ([`Limits`]); they bound what one chat can make the bot do
//! (send messages, run the classifier, write the store). A message over a limit is dropped without a
//! reply, except an opt-out or opt-in keyword (always honoured) and a request for help when the chat
//! has not been sent the help message in the last minute. The windows live in memory, keyed by the
//! hashed chat: after a restart every chat starts with a fresh allowance, which errs on the side of
//! answering. Idle entries are dropped, so memory stays bounded by the chats active in the last hour.
//!
//! The echo guard remembers a digest of the last few messages sent to each chat (never the text) and
//! drops an incoming message identical to one of them: a gateway that loops the bot's messages back,
//! or an auto-responder that repeats them, never makes the bot answer itself.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::identity::ChatKey;

/// The persona's abuse limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Messages a chat may send in any 60 seconds.
    #[serde(default = "default_per_minute")]
    pub messages_per_minute: u32,
    /// Messages a chat may send in any hour.
    #[serde(default = "default_per_hour")]
    pub messages_per_hour: u32,
    /// Characters of a conversation message that are read; the rest is ignored.
    #[serde(default = "default_max_chars")]
    pub max_message_chars: usize,
}

fn default_per_minute() -> u32 {
    10
}

fn default_per_hour() -> u32 {
    60
}

fn default_max_chars() -> usize {
    2000
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            messages_per_minute: default_per_minute(),
            messages_per_hour: default_per_hour(),
            max_message_chars: default_max_chars(),
        }
    }
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
/// Outgoing messages remembered per chat for the echo guard.
const ECHOES: usize = 8;
/// Calls between sweeps of idle chats.
const SWEEP_EVERY: u32 = 1024;

#[derive(Debug, Default)]
struct ChatWindow {
    /// Times of accepted messages in the last hour, oldest first.
    recent: VecDeque<Instant>,
    /// When the help message was last allowed past the limit.
    last_help: Option<Instant>,
    /// Digests of the last messages sent to the chat.
    sent: VecDeque<u64>,
    last_seen: Option<Instant>,
}

#[derive(Debug, Default)]
struct State {
    chats: HashMap<ChatKey, ChatWindow>,
    calls: u32,
}

/// Whether a message may be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Within the limits.
    Yes,
    /// Over a limit: drop it.
    OverLimit,
}

/// The per-chat limits and echo guard of one bot.
#[derive(Debug)]
pub struct Guard {
    limits: Limits,
    state: Mutex<State>,
    digests: RandomState,
}

impl Guard {
    /// A guard that applies `limits`.
    pub fn new(limits: Limits) -> Guard {
        Guard { limits, state: Mutex::new(State::default()), digests: RandomState::new() }
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn digest(&self, text: &str) -> u64 {
        let mut h = self.digests.build_hasher();
        h.write(text.trim().as_bytes());
        h.finish()
    }

    fn with_chat<T>(&self, key: &ChatKey, now: Instant, f: impl FnOnce(&mut ChatWindow) -> T) -> T {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.calls = st.calls.wrapping_add(1);
        if st.calls.is_multiple_of(SWEEP_EVERY) {
            st.chats.retain(|_, w| w.last_seen.is_some_and(|t| now.saturating_duration_since(t) < HOUR));
        }
        let w = st.chats.entry(key.clone()).or_default();
        w.last_seen = Some(now);
        f(w)
    }

    /// Counts a message from `key` at `now`; whether it is within the limits. A message over the limit
    /// is not counted, so a chat that keeps writing gets answers again once its window has room.
    pub fn admit(&self, key: &ChatKey, now: Instant) -> Admit {
        let l = self.limits;
        self.with_chat(key, now, |w| {
            while w.recent.front().is_some_and(|t| now.saturating_duration_since(*t) >= HOUR) {
                w.recent.pop_front();
            }
            let last_minute = w.recent.iter().filter(|t| now.saturating_duration_since(**t) < MINUTE).count();
            if last_minute >= l.messages_per_minute as usize || w.recent.len() >= l.messages_per_hour as usize {
                return Admit::OverLimit;
            }
            w.recent.push_back(now);
            Admit::Yes
        })
    }

    /// Whether a request for help over the limit may still be answered: once a minute per chat.
    pub fn admit_help(&self, key: &ChatKey, now: Instant) -> bool {
        self.with_chat(key, now, |w| {
            if w.last_help.is_some_and(|t| now.saturating_duration_since(t) < MINUTE) {
                return false;
            }
            w.last_help = Some(now);
            true
        })
    }

    /// Remembers that `text` was sent to `key`.
    pub fn sent(&self, key: &ChatKey, text: &str) {
        let d = self.digest(text);
        self.with_chat(key, Instant::now(), |w| {
            if w.sent.len() == ECHOES {
                w.sent.pop_front();
            }
            w.sent.push_back(d);
        });
    }

    /// Whether `text` from `key` repeats one of the bot's last messages to it.
    pub fn is_echo(&self, key: &ChatKey, text: &str) -> bool {
        let d = self.digest(text);
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.chats.get(key).is_some_and(|w| w.sent.contains(&d))
    }

    /// How many chats are tracked (for tests and benchmarks).
    pub fn tracked_chats(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).chats.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::ChatHasher;

    fn key(id: &str) -> ChatKey {
        ChatHasher::new(&[7u8; 32]).unwrap().key("test", id)
    }

    #[test]
    fn a_chat_over_its_minute_gets_room_again_a_minute_later() {
        let g = Guard::new(Limits { messages_per_minute: 3, messages_per_hour: 100, max_message_chars: 100 });
        let (a, b) = (key("a"), key("b"));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(g.admit(&a, t0 + Duration::from_secs(i)), Admit::Yes);
        }
        assert_eq!(g.admit(&a, t0 + Duration::from_secs(5)), Admit::OverLimit);
        assert_eq!(g.admit(&b, t0 + Duration::from_secs(5)), Admit::Yes, "limits are per chat");
        assert_eq!(g.admit(&a, t0 + Duration::from_secs(61)), Admit::Yes);
    }

    #[test]
    fn the_hourly_limit_holds_across_minutes() {
        let g = Guard::new(Limits { messages_per_minute: 100, messages_per_hour: 5, max_message_chars: 100 });
        let a = key("a");
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(g.admit(&a, t0 + Duration::from_secs(i * 120)), Admit::Yes);
        }
        assert_eq!(g.admit(&a, t0 + Duration::from_secs(1200)), Admit::OverLimit);
        assert_eq!(g.admit(&a, t0 + Duration::from_secs(3601)), Admit::Yes, "the first one left the hour");
    }

    #[test]
    fn help_past_the_limit_once_a_minute() {
        let g = Guard::new(Limits::default());
        let a = key("a");
        let t0 = Instant::now();
        assert!(g.admit_help(&a, t0));
        assert!(!g.admit_help(&a, t0 + Duration::from_secs(30)));
        assert!(g.admit_help(&a, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn echoes_of_the_bots_own_messages_are_recognised() {
        let g = Guard::new(Limits::default());
        let (a, b) = (key("a"), key("b"));
        g.sent(&a, "Hi, yes I'm available this week.");
        assert!(g.is_echo(&a, " Hi, yes I'm available this week.\n"));
        assert!(!g.is_echo(&b, "Hi, yes I'm available this week."), "per chat");
        assert!(!g.is_echo(&a, "hi"));
        for i in 0..ECHOES {
            g.sent(&a, &format!("message {i}"));
        }
        assert!(!g.is_echo(&a, "Hi, yes I'm available this week."), "only the last few are kept");
    }
}
