//! The channel-agnostic bot: one call per incoming message, whatever network it came from.
//!
//! [`Service::handle`] hashes the chat id and then, in this order:
//!
//! 1. drops an echo of the bot's own words ([`crate::limits::Guard`]);
//! 2. honours STOP and START ([`crate::keywords`]): a STOP is recorded in the store and acknowledged
//!    once; after it, nothing is sent to the chat, whatever it writes, until START (acknowledged once);
//! 3. applies the per-chat rate limit, which a request for help passes once a minute;
//! 4. routes the message: a `/check` of a job ad, or the decoy conversation, whose engine answers a
//!    request for help with the hotline before anything else ([`crate::engine`]);
//! 5. delivers the replies through the [`Channel`] and records the new state, the counters and — only
//!    when the operator enabled transcripts — the text, in one transaction.
//!
//! Every message the bot sends in its own voice (persona replies, deterrence, help, acknowledgements,
//! the fixed sentences around a check) is checked against the deny-list ([`crate::denylist`]) right
//! before it is sent, and refused if it contains a denied word. The one exception is the body of a
//! job-ad check report, which quotes the ad under review ("send a photo with your CV" is a classic
//! red flag) and is not the bot speaking. Job-ad checks store nothing but a counter.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redflag_classifier::Classifier;
use redflag_core::{AdKind, Verdict};
use redflag_store::bot::{BotPurge, BotTurn, ConversationKey, DAY_MS, Direction, SaveConversation, StatsDelta};
use redflag_store::{Store, now_ms};

use crate::channel::Channel;
use crate::denylist::denied_word;
use crate::engine::{Conversation, Detectors, Outcome, State};
use crate::error::{Error, Result};
use crate::identity::{ChatHasher, ChatKey};
use crate::keywords::{Keyword, keyword};
use crate::limits::{Admit, Guard};
use crate::messages::{self, Msg, user_language};
use crate::persona::{Mode, Persona};
use crate::split::split_message;

/// The most bytes of one message that are read; longer messages are cut (Telegram sends at most 4096
/// characters; other gateways may not limit). Conversation messages are cut further, to the persona's
/// `limits.max_message_chars`.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Messages shorter than this (in characters) are not checked as job ads.
pub const MIN_CHECK_CHARS: usize = 40;

/// A message to the job-check bot shorter than this (in characters) that asks for help gets the help
/// message instead of a check; a longer one is a pasted ad, whatever words it quotes.
pub const HELP_IN_CHECK_MAX_CHARS: usize = 300;

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
    /// The decoy ad the message was sent to, when the channel knows it (the SMS number written to);
    /// a new conversation is counted under it. A Telegram deep link's payload does the same.
    pub decoy_ad: Option<&'a str>,
}

/// Why a message got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ignored {
    /// The chat opted out (STOP) and has not written START.
    OptedOut,
    /// The chat is over its message limit.
    OverLimit,
    /// The message repeats one the bot sent to the chat.
    Echo,
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
    /// Help, the help message or the check prompt was sent (outside a decoy conversation).
    Help,
    /// The chat opted out (STOP).
    OptOut {
        /// Whether the acknowledgement was delivered.
        acknowledged: bool,
    },
    /// The chat opted in again (START after STOP).
    OptIn {
        /// Whether the acknowledgement was delivered.
        acknowledged: bool,
    },
    /// Nothing was sent.
    Ignored {
        /// Why.
        reason: Ignored,
    },
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

/// The first `max` characters of `text`.
fn cut_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// The bot, independent of any channel. Cheap to share: wrap it in an `Arc`.
pub struct Service {
    persona: Persona,
    detectors: Detectors,
    hasher: ChatHasher,
    store: Store,
    classifier: Arc<Classifier>,
    guard: Guard,
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
        let detectors = Detectors::for_persona(&persona);
        let guard = Guard::new(persona.limits);
        Service { persona, detectors, hasher, store, classifier, guard, awaiting_check: Mutex::new(HashMap::new()) }
    }

    /// The persona.
    pub fn persona(&self) -> &Persona {
        &self.persona
    }

    /// The per-chat limits and echo guard (for tests and benchmarks).
    pub fn guard(&self) -> &Guard {
        &self.guard
    }

    /// The chat key of a chat id on a channel (what the store and logs see).
    pub fn chat_key(&self, channel: &str, chat_id: &str) -> ChatKey {
        self.hasher.key(channel, chat_id)
    }

    /// Handles one message from a chat and answers it through `channel`.
    pub async fn handle<C: Channel>(&self, channel: &C, msg: &Incoming<'_>) -> Result<Handled> {
        let key = self.hasher.key(channel.name(), msg.chat_id);
        let text = redflag_core::text::truncate_bytes(msg.text, MAX_MESSAGE_BYTES);
        if self.guard.is_echo(&key, text) {
            tracing::debug!(chat = %key, "echo of the bot's own message ignored");
            return Ok(Handled::Ignored { reason: Ignored::Echo });
        }
        let ckey = ConversationKey { channel: channel.name(), chat_hash: key.as_str(), persona: &self.persona.id };
        let command = parse_command(text);
        let kw = keyword(text);
        let opted_out = self.store.bot_opted_out(ckey).await?;
        if let Some((Keyword::Stop, kw_lang)) = kw {
            if opted_out {
                return Ok(Handled::Ignored { reason: Ignored::OptedOut });
            }
            return self.opt_out(channel, &key, ckey, msg, kw_lang).await;
        }
        if opted_out {
            let start = matches!(kw, Some((Keyword::Start, _))) || matches!(command, Some(Command::Start(_)));
            if start {
                let kw_lang = kw.map_or("en", |k| k.1);
                return self.opt_in(channel, &key, ckey, msg, kw_lang).await;
            }
            tracing::debug!(chat = %key, "opted out: message ignored");
            return Ok(Handled::Ignored { reason: Ignored::OptedOut });
        }
        let asks_help = !self.detectors.help.detect(text).is_empty();
        let now = Instant::now();
        if self.guard.admit(&key, now) == Admit::OverLimit && !(asks_help && self.guard.admit_help(&key, now)) {
            tracing::info!(chat = %key, "over the message limit: message ignored");
            return Ok(Handled::Ignored { reason: Ignored::OverLimit });
        }
        let checks = self.persona.mode == Mode::Check || self.persona.job_check;
        let short_help = asks_help && text.trim().chars().count() < HELP_IN_CHECK_MAX_CHARS;
        if let Some(Command::Check(rest)) = command
            && checks
        {
            if rest.is_empty() {
                self.await_check(&key);
                let lang = user_language(msg.language_hint, "");
                self.say(channel, &key, msg.chat_id, Msg::CheckPrompt.text(lang)).await?;
                return Ok(Handled::Help);
            }
            self.cancel_check(&key);
            return self.check(channel, &key, msg, rest).await;
        }
        if self.persona.mode == Mode::Check {
            if matches!(command, Some(Command::Start(_) | Command::Help)) {
                let lang = user_language(msg.language_hint, "");
                let text = self.with_check_hotline(Msg::CheckHelp.text(lang), lang);
                self.say(channel, &key, msg.chat_id, &text).await?;
                return Ok(Handled::Help);
            }
            self.cancel_check(&key);
            if short_help {
                return self.help_outside_conversation(channel, &key, msg, text).await;
            }
            return self.check(channel, &key, msg, text).await;
        }
        if checks && command.is_none() && self.cancel_check(&key) && !short_help {
            return self.check(channel, &key, msg, text).await;
        }
        match command {
            Some(Command::Start(payload)) => self.converse(channel, &key, msg, None, payload).await,
            _ => {
                let text = cut_chars(text, self.persona.limits.max_message_chars);
                self.converse(channel, &key, msg, Some(text), None).await
            }
        }
    }

    /// Sends a message in the bot's own voice: refused if it contains a denied word, split for the
    /// channel, remembered for the echo guard. Returns how many messages were sent.
    async fn say<C: Channel>(&self, channel: &C, key: &ChatKey, chat_id: &str, text: &str) -> Result<usize> {
        if let Some(word) = denied_word(text) {
            tracing::error!(chat = %key, word, "refused to send a message containing a denied word");
            return Err(Error::Denied { word });
        }
        self.send(channel, key, chat_id, text).await
    }

    /// Sends a message without the deny-list check (a job-check report quoting the ad).
    async fn send<C: Channel>(&self, channel: &C, key: &ChatKey, chat_id: &str, text: &str) -> Result<usize> {
        let parts = split_message(text, channel.max_message_units());
        for p in &parts {
            channel.send(chat_id, p).await?;
            self.guard.sent(key, p);
        }
        Ok(parts.len())
    }

    /// The language of an acknowledgement: the conversation's, else the app's, else the keyword's.
    fn ack_language(&self, conversation: Option<&str>, hint: Option<&str>, keyword_lang: &'static str) -> &'static str {
        let supported = |c: &str| redflag_core::lang::SUPPORTED.iter().copied().find(|s| *s == c);
        conversation
            .and_then(supported)
            .or_else(|| hint.and_then(|h| supported(&h.split(['-', '_']).next().unwrap_or(h).to_ascii_lowercase())))
            .unwrap_or(keyword_lang)
    }

    /// The decoy ad a chat's counters go under, and its conversation's language.
    async fn chat_context(&self, ckey: ConversationKey<'_>, msg: &Incoming<'_>) -> Result<(String, Option<String>)> {
        if self.persona.mode == Mode::Check {
            return Ok((CHECK_BUCKET.to_string(), None));
        }
        Ok(match self.store.bot_conversation(ckey).await? {
            Some(c) => (c.decoy_ad, c.language),
            None => (self.persona.decoy_ad_for(msg.decoy_ad).to_string(), None),
        })
    }

    async fn opt_out<C: Channel>(
        &self,
        channel: &C,
        key: &ChatKey,
        ckey: ConversationKey<'_>,
        msg: &Incoming<'_>,
        kw_lang: &'static str,
    ) -> Result<Handled> {
        let (decoy_ad, language) = self.chat_context(ckey, msg).await?;
        if !self.store.record_bot_opt_out(ckey, &decoy_ad, now_ms()).await? {
            return Ok(Handled::Ignored { reason: Ignored::OptedOut });
        }
        tracing::info!(chat = %key, "opted out");
        self.cancel_check(key);
        let lang = self.ack_language(language.as_deref(), msg.language_hint, kw_lang);
        let text = self
            .persona
            .help_texts(&decoy_ad, lang)
            .map_or_else(|| messages::opt_out_text(lang, None), |t| t.opt_out.clone());
        // At most one acknowledgement: a failed one is not retried.
        let acknowledged = match self.say(channel, key, msg.chat_id, &text).await {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(chat = %key, error = %e, "cannot acknowledge an opt-out");
                false
            }
        };
        Ok(Handled::OptOut { acknowledged })
    }

    async fn opt_in<C: Channel>(
        &self,
        channel: &C,
        key: &ChatKey,
        ckey: ConversationKey<'_>,
        msg: &Incoming<'_>,
        kw_lang: &'static str,
    ) -> Result<Handled> {
        if !self.store.record_bot_opt_in(ckey).await? {
            return Ok(Handled::Ignored { reason: Ignored::OptedOut });
        }
        tracing::info!(chat = %key, "opted in again");
        let (_, language) = self.chat_context(ckey, msg).await?;
        let lang = self.ack_language(language.as_deref(), msg.language_hint, kw_lang);
        let acknowledged = match self.say(channel, key, msg.chat_id, messages::opt_in_text(lang)).await {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(chat = %key, error = %e, "cannot acknowledge an opt-in");
                false
            }
        };
        Ok(Handled::OptIn { acknowledged })
    }

    /// The job-check bot's answer to a short message that asks for help: the help message of the
    /// persona's country, counted under the check bucket.
    async fn help_outside_conversation<C: Channel>(
        &self,
        channel: &C,
        key: &ChatKey,
        msg: &Incoming<'_>,
        text: &str,
    ) -> Result<Handled> {
        let found = self.detectors.help.detect(text);
        let lang = found.first().map_or("en", |d| d.language);
        let help = self
            .persona
            .help_texts(&self.persona.default_decoy_ad, lang)
            .map_or_else(|| messages::help_text(lang, None), |t| t.help.clone());
        self.say(channel, key, msg.chat_id, &help).await?;
        let rules: Vec<&str> = found.iter().map(|d| d.rule.as_str()).collect();
        tracing::info!(chat = %key, rules = ?rules, "request for help: help message sent");
        let delta = StatsDelta { help_requests: 1, ..StatsDelta::default() };
        self.store.add_bot_stats(now_ms(), channel.name(), &self.persona.id, CHECK_BUCKET, &delta).await?;
        Ok(Handled::Help)
    }

    /// `text` followed by the hotline line, when the persona has one.
    fn with_check_hotline(&self, text: &str, lang: &str) -> String {
        match self.persona.help_line(&self.persona.default_decoy_ad) {
            Some(line) => format!("{text}\n{}", messages::check_hotline_text(lang, line)),
            None => text.to_string(),
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
            let n = self.say(channel, key, msg.chat_id, Msg::CheckTooShort.text(lang)).await?;
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
                let n = self.say(channel, key, msg.chat_id, Msg::CheckUnreadable.text(lang)).await?;
                return Ok(Handled::Check { verdict: None, messages: n });
            }
            Err(e) => {
                tracing::warn!(chat = %key, error = %e, "job-ad check failed");
                let n = self.say(channel, key, msg.chat_id, Msg::CheckFailed.text(lang)).await?;
                return Ok(Handled::Check { verdict: None, messages: n });
            }
        };
        let footer = self.with_check_hotline(Msg::CheckFooter.text(lang), lang);
        // The report quotes the ad under review, so only the bot's own footer goes through the deny-list.
        if let Some(word) = denied_word(&footer) {
            return Err(Error::Denied { word });
        }
        let text = format!("{}\n{footer}", report.trim_end());
        let n = self.send(channel, key, msg.chat_id, &text).await?;
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
        let (mut conv, mut intent_at, mut deterrence_at, mut help_at, mut minor_at) = match &stored {
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
                    help: row.help_at.is_some(),
                    minor: row.minor_at.is_some(),
                };
                (conv, row.intent_at, row.deterrence_at, row.help_at, row.minor_at)
            }
            None => {
                (Conversation::new(persona.decoy_ad_for(payload.or(msg.decoy_ad)), variant), None, None, None, None)
            }
        };
        let outcome: Outcome = match text {
            Some(t) => conv.receive(persona, &self.detectors, t, msg.language_hint),
            None => conv.start(persona, msg.language_hint),
        };
        let now = now_ms();
        let mut delivered = Vec::new();
        let mut deterrence = false;
        for reply in &outcome.replies {
            if let Err(e) = self.say(channel, key, msg.chat_id, &reply.text).await {
                // The state is still saved: an undelivered deterrence message stays due.
                tracing::warn!(chat = %key, error = %e, "cannot deliver a reply");
                break;
            }
            if reply.kind.is_deterrence() && conv.deterrence_delivered() {
                deterrence = true;
                deterrence_at = Some(now);
            }
            delivered.push(reply);
        }
        if outcome.events.intent {
            intent_at = Some(now);
            tracing::info!(chat = %key, rules = ?conv.rules, "purchase intent detected");
        }
        if outcome.events.minor {
            minor_at = Some(now);
            tracing::info!(chat = %key, "minor cue: conversation flagged");
        }
        if !outcome.help.is_empty() {
            help_at = help_at.or(Some(now));
            let rules: Vec<&str> = outcome.help.iter().map(|d| d.rule.as_str()).collect();
            tracing::info!(chat = %key, rules = ?rules, delivered = outcome.has_help() && !delivered.is_empty(), "request for help: help message sent");
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
            help_requests: i64::from(outcome.events.help),
            opt_outs: 0,
            minor_cues: i64::from(outcome.events.minor),
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
                help_at,
                minor_at,
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
    /// than they allow. The daily counters stay, and so do opt-outs (until START).
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

    #[test]
    fn cutting_keeps_whole_characters() {
        assert_eq!(cut_chars("añb", 2), "añ");
        assert_eq!(cut_chars("ab", 5), "ab");
    }
}
