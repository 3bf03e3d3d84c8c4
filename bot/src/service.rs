//! The channel-agnostic bot: one call per incoming message, whatever network it came from.
//!
//! [`Service::handle`] hashes the chat id, routes the message (a `/check` of a job ad, the decoy
//! conversation, help), runs the conversation engine, delivers the replies through the [`Channel`],
//! and records the new state, the counters and — only when the operator enabled transcripts — the text,
//! in one transaction. Job-ad checks store nothing but a counter.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redflag_classifier::Classifier;
use redflag_core::{AdKind, Verdict};
use redflag_store::bot::{BotPurge, BotTurn, ConversationKey, DAY_MS, Direction, SaveConversation, StatsDelta};
use redflag_store::{Store, now_ms};

use crate::channel::{Channel, deliver};
use crate::engine::{Conversation, Outcome, ReplyKind, State};
use crate::error::{Error, Result};
use crate::identity::{ChatHasher, ChatKey};
use crate::intent::IntentDetector;
use crate::messages::{Msg, user_language};
use crate::persona::{Mode, Persona};

/// The most bytes of one message that are read; longer messages are cut (Telegram sends at most 4096
/// characters; other gateways may not limit).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Messages shorter than this (in characters) are not checked as job ads.
pub const MIN_CHECK_CHARS: usize = 40;

/// How long a bare `/check` waits for the ad text.
pub const CHECK_WAIT: Duration = Duration::from_secs(15 * 60);

/// The decoy-ad column of job-check counters.
pub const CHECK_BUCKET: &str = "-";

/// One incoming message, as a channel adapter hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The network's id of the chat (hashed at once; never stored or logged).
    pub chat_id: &'a str,
    /// The text.
    pub text: &'a str,
    /// The language the sender's app reports (`es`, `pt-BR`), if the network says.
    pub language_hint: Option<&'a str>,
}

/// What [`Service::handle`] did with a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Handled {
    /// A decoy conversation moved on.
    Conversation {
        /// Its new state.
        state: State,
        /// Replies delivered.
        replies: usize,
        /// Whether the deterrence message was delivered now.
        deterrence: bool,
    },
    /// A job ad was checked (or the check was refused as too short or not text).
    Check {
        /// The verdict, when the ad was checked.
        verdict: Option<Verdict>,
        /// Messages sent.
        messages: usize,
    },
    /// Help or the check prompt was sent.
    Help,
}

/// A parsed slash command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command<'a> {
    Start(Option<&'a str>),
    Help,
    Check(&'a str),
}

/// Parses `/start [payload]`, `/help` and `/check [text]` (also `/check@SomeBot …`, any case).
fn parse_command(text: &str) -> Option<Command<'_>> {
    let t = text.trim_start();
    let body = t.strip_prefix('/')?;
    let end = body.find(char::is_whitespace).unwrap_or(body.len());
    let (word, rest) = body.split_at(end);
    let name = word.split('@').next().unwrap_or(word);
    let rest = rest.trim();
    if name.eq_ignore_ascii_case("start") {
        Some(Command::Start((!rest.is_empty()).then_some(rest)))
    } else if name.eq_ignore_ascii_case("help") {
        Some(Command::Help)
    } else if name.eq_ignore_ascii_case("check") {
        Some(Command::Check(rest))
    } else {
        None
    }
}

/// The bot, independent of any channel. Cheap to share: wrap it in an `Arc`.
pub struct Service {
    persona: Persona,
    detector: IntentDetector,
    hasher: ChatHasher,
    store: Store,
    classifier: Arc<Classifier>,
    /// Chats that sent a bare `/check` and when; memory only.
    awaiting_check: Mutex<HashMap<ChatKey, Instant>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").field("persona", &self.persona.id).field("mode", &self.persona.mode).finish()
    }
}

impl Service {
    /// A bot for `persona`, hashing chat ids with `hasher`, recording in `store` and checking job ads
    /// with `classifier`.
    pub fn new(persona: Persona, hasher: ChatHasher, store: Store, classifier: Arc<Classifier>) -> Service {
        let detector = IntentDetector::new(&persona.extra_phrases);
        Service { persona, detector, hasher, store, classifier, awaiting_check: Mutex::new(HashMap::new()) }
    }

    /// The persona.
    pub fn persona(&self) -> &Persona {
        &self.persona
    }

    /// The chat key of a chat id on a channel (what the store and logs see).
    pub fn chat_key(&self, channel: &str, chat_id: &str) -> ChatKey {
        self.hasher.key(channel, chat_id)
    }

    /// Handles one message from a chat and answers it through `channel`.
    pub async fn handle<C: Channel>(&self, channel: &C, msg: &Incoming<'_>) -> Result<Handled> {
        let key = self.hasher.key(channel.name(), msg.chat_id);
        let text = redflag_core::text::truncate_bytes(msg.text, MAX_MESSAGE_BYTES);
        let checks = self.persona.mode == Mode::Check || self.persona.job_check;
        let command = parse_command(text);
        if let Some(Command::Check(rest)) = command
            && checks
        {
            if rest.is_empty() {
                self.await_check(&key);
                let lang = user_language(msg.language_hint, "");
                deliver(channel, msg.chat_id, Msg::CheckPrompt.text(lang)).await?;
                return Ok(Handled::Help);
            }
            self.cancel_check(&key);
            return self.check(channel, &key, msg, rest).await;
        }
        if self.persona.mode == Mode::Check {
            if matches!(command, Some(Command::Start(_) | Command::Help)) {
                let lang = user_language(msg.language_hint, "");
                deliver(channel, msg.chat_id, Msg::CheckHelp.text(lang)).await?;
                return Ok(Handled::Help);
            }
            self.cancel_check(&key);
            return self.check(channel, &key, msg, text).await;
        }
        if checks && command.is_none() && self.cancel_check(&key) {
            return self.check(channel, &key, msg, text).await;
        }
        match command {
            Some(Command::Start(payload)) => self.converse(channel, &key, msg, None, payload).await,
            _ => self.converse(channel, &key, msg, Some(text), None).await,
        }
    }

    fn await_check(&self, key: &ChatKey) {
        let mut m = self.awaiting_check.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        m.retain(|_, t| now.duration_since(*t) < CHECK_WAIT);
        m.insert(key.clone(), now);
    }

    /// Removes a pending `/check`; returns whether one was pending and fresh.
    fn cancel_check(&self, key: &ChatKey) -> bool {
        let mut m = self.awaiting_check.lock().unwrap_or_else(|e| e.into_inner());
        m.remove(key).is_some_and(|t| t.elapsed() < CHECK_WAIT)
    }

    async fn check<C: Channel>(&self, channel: &C, key: &ChatKey, msg: &Incoming<'_>, ad: &str) -> Result<Handled> {
        let lang = user_language(msg.language_hint, ad);
        if ad.trim().chars().count() < MIN_CHECK_CHARS {
            let n = deliver(channel, msg.chat_id, Msg::CheckTooShort.text(lang)).await?;
            return Ok(Handled::Check { verdict: None, messages: n });
        }
        let classifier = Arc::clone(&self.classifier);
        let owned = ad.to_string();
        // Scoring runs the model: keep it off the async workers.
        let result = tokio::task::spawn_blocking(move || {
            redflag_classifier::check(&classifier, &owned, Some(AdKind::Job))
                .map(|r| (r.render_text(&classifier), r.verdict))
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
        let (report, verdict) = match result {
            Ok(r) => r,
            Err(redflag_classifier::Error::EmptyInput | redflag_classifier::Error::BinaryInput { .. }) => {
                let n = deliver(channel, msg.chat_id, Msg::CheckUnreadable.text(lang)).await?;
                return Ok(Handled::Check { verdict: None, messages: n });
            }
            Err(e) => {
                tracing::warn!(chat = %key, error = %e, "job-ad check failed");
                let n = deliver(channel, msg.chat_id, Msg::CheckFailed.text(lang)).await?;
                return Ok(Handled::Check { verdict: None, messages: n });
            }
        };
        let text = format!("{}\n{}", report.trim_end(), Msg::CheckFooter.text(lang));
        let n = deliver(channel, msg.chat_id, &text).await?;
        let delta = StatsDelta { checks: 1, ..StatsDelta::default() };
        self.store.add_bot_stats(now_ms(), channel.name(), &self.persona.id, CHECK_BUCKET, &delta).await?;
        tracing::info!(chat = %key, verdict = ?verdict, messages = n, "job ad checked");
        Ok(Handled::Check { verdict: Some(verdict), messages: n })
    }

    /// One step of the decoy conversation: `text` for a message, `None` with an optional deep-link
    /// payload for `/start`.
    async fn converse<C: Channel>(
        &self,
        channel: &C,
        key: &ChatKey,
        msg: &Incoming<'_>,
        text: Option<&str>,
        payload: Option<&str>,
    ) -> Result<Handled> {
        let persona = &self.persona;
        let ckey = ConversationKey { channel: channel.name(), chat_hash: key.as_str(), persona: &persona.id };
        let stored = self.store.bot_conversation(ckey).await?;
        let variant = u32::from_str_radix(&key.as_str()[..8], 16).unwrap_or(0);
        let (mut conv, mut intent_at, mut deterrence_at) = match &stored {
            Some(row) => {
                let state = State::parse(&row.state).unwrap_or_else(|| {
                    tracing::warn!(chat = %key, state = %row.state, "unknown stored state; closing the conversation");
                    State::Closed
                });
                let conv = Conversation {
                    state,
                    turns: u32::try_from(row.turns).unwrap_or(u32::MAX),
                    language: row.language.clone(),
                    score: u32::try_from(row.intent_score).unwrap_or(u32::MAX),
                    rules: row.intent_rules.clone(),
                    decoy_ad: row.decoy_ad.clone(),
                    variant,
                };
                (conv, row.intent_at, row.deterrence_at)
            }
            None => (Conversation::new(persona.decoy_ad_for(payload), variant), None, None),
        };
        let outcome: Outcome = match text {
            Some(t) => conv.receive(persona, &self.detector, t, msg.language_hint),
            None => conv.start(persona, msg.language_hint),
        };
        let now = now_ms();
        let mut delivered = Vec::new();
        let mut deterrence = false;
        for reply in &outcome.replies {
            if let Err(e) = deliver(channel, msg.chat_id, &reply.text).await {
                // The state is still saved: an undelivered deterrence message stays due.
                tracing::warn!(chat = %key, error = %e, "cannot deliver a reply");
                break;
            }
            if reply.kind == ReplyKind::Deterrence && conv.deterrence_delivered() {
                deterrence = true;
                deterrence_at = Some(now);
            }
            delivered.push(reply);
        }
        if outcome.events.intent {
            intent_at = Some(now);
            tracing::info!(chat = %key, rules = ?conv.rules, "purchase intent detected");
        }
        if deterrence {
            tracing::info!(chat = %key, "deterrence message sent");
        }
        let mut transcript: Vec<(Direction, &str)> = Vec::new();
        if persona.privacy.transcripts {
            if let Some(t) = text {
                transcript.push((Direction::In, t));
            }
            transcript.extend(delivered.iter().map(|r| (Direction::Out, r.text.as_str())));
        }
        let stats = StatsDelta {
            conversations: i64::from(outcome.events.started),
            intent: i64::from(outcome.events.intent),
            deterrence: i64::from(deterrence),
            closed_without_intent: i64::from(outcome.events.closed_without_intent),
            checks: 0,
        };
        let rules = conv.rules.clone();
        let turn = BotTurn {
            conversation: SaveConversation {
                key: ckey,
                decoy_ad: &conv.decoy_ad,
                language: conv.language.as_deref(),
                state: conv.state.as_str(),
                turns: i64::from(conv.turns),
                intent_score: i64::from(conv.score),
                intent_rules: &rules,
                intent_at,
                deterrence_at,
                at: now,
            },
            transcript: &transcript,
            stats,
        };
        self.store.record_bot_turn(&turn).await?;
        tracing::debug!(chat = %key, state = conv.state.as_str(), turns = conv.turns, "conversation step");
        Ok(Handled::Conversation { state: conv.state, replies: delivered.len(), deterrence })
    }

    /// Applies the persona's retention periods: deletes transcript lines and idle conversations older
    /// than they allow. The daily counters stay.
    pub async fn purge(&self) -> Result<BotPurge> {
        let now = now_ms();
        let p = &self.persona.privacy;
        let transcripts_before = now - i64::from(p.transcript_retention_days) * DAY_MS;
        let conversations_before = now - i64::from(p.conversation_retention_days) * DAY_MS;
        let purged = self.store.purge_bot(transcripts_before, Some(conversations_before), "bot").await?;
        if purged != BotPurge::default() {
            tracing::info!(
                transcript_lines = purged.transcript_lines,
                conversations = purged.conversations,
                "bot retention purge"
            );
        }
        Ok(purged)
    }

    /// Runs [`Service::purge`] now and then every `every`, until the task is dropped.
    pub async fn purge_periodically(self: Arc<Self>, every: Duration) {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = self.purge().await {
                tracing::warn!(error = %e, "bot retention purge failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_bot_names_payloads_and_any_case() {
        assert_eq!(parse_command("/start"), Some(Command::Start(None)));
        assert_eq!(parse_command("/start ad-7"), Some(Command::Start(Some("ad-7"))));
        assert_eq!(parse_command("/CHECK@RedflagBot  Driver wanted\nnow"), Some(Command::Check("Driver wanted\nnow")));
        assert_eq!(parse_command("/check"), Some(Command::Check("")));
        assert_eq!(parse_command(" /help"), Some(Command::Help));
        assert_eq!(parse_command("/unknown x"), None);
        assert_eq!(parse_command("check this"), None);
        assert_eq!(parse_command("/"), None);
    }
}
