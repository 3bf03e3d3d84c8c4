//! The deterrence chatbot's records: conversation state keyed by hashed chat ids, optional transcripts
//! with a retention purge, opt-outs (STOP), and the daily counters NGO staff read.
//!
//! The store never sees a raw chat id, user id, username or phone number: callers pass the hex
//! HMAC-SHA256 of the chat id (computed in the bot crate with a secret the store does not know), and
//! [`check_chat_hash`] refuses anything that does not look like one, so a caller that forgot to hash
//! fails loudly instead of writing an identity to disk.

use serde::Serialize;
use sqlx::Row;

use crate::{Conn, Error, Result, Store, audit};

pub use redflag_core::time::DAY_MS;

/// The UTC midnight that starts the day of `ms`, in ms; the key of [`BotStatsRow::day`].
pub fn day_start(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS) * DAY_MS
}

/// Refuses a chat key that is not a lowercase hex SHA-256-sized digest (64 characters).
pub fn check_chat_hash(hash: &str) -> Result<()> {
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "chat hash",
            reason: "expected 64 lowercase hex characters (an HMAC-SHA256)".into(),
        })
    }
}

/// Which conversation: the channel, the hashed chat and the persona answering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationKey<'a> {
    /// The channel's short name (`telegram`, `sms`).
    pub channel: &'a str,
    /// Hex HMAC-SHA256 of the channel's chat id.
    pub chat_hash: &'a str,
    /// The persona's id.
    pub persona: &'a str,
}

/// A stored conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BotConversation {
    /// Row id.
    pub id: i64,
    /// The channel's short name.
    pub channel: String,
    /// Hex HMAC-SHA256 of the chat id.
    pub chat_hash: String,
    /// The persona's id.
    pub persona: String,
    /// The decoy ad the conversation came from.
    pub decoy_ad: String,
    /// The language the bot answers in.
    pub language: Option<String>,
    /// The state machine's state, as the bot crate names it.
    pub state: String,
    /// Messages received so far.
    pub turns: i64,
    /// The accumulated intent score.
    pub intent_score: i64,
    /// The intent rules that fired, in order (the evidence for the deterrence message).
    pub intent_rules: Vec<String>,
    /// When intent was detected, ms.
    pub intent_at: Option<i64>,
    /// When the deterrence message was sent, ms.
    pub deterrence_at: Option<i64>,
    /// When someone in the conversation first asked for help, ms.
    pub help_at: Option<i64>,
    /// When the conversation was flagged for a minor cue, ms.
    pub minor_at: Option<i64>,
    /// First message, ms.
    pub started_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// The new state of a conversation, written by [`save_conversation`].
#[derive(Debug, Clone, Copy)]
pub struct SaveConversation<'a> {
    /// Which conversation.
    pub key: ConversationKey<'a>,
    /// The decoy ad it came from.
    pub decoy_ad: &'a str,
    /// The language the bot answers in.
    pub language: Option<&'a str>,
    /// The state machine's state.
    pub state: &'a str,
    /// Messages received so far.
    pub turns: i64,
    /// The accumulated intent score.
    pub intent_score: i64,
    /// Intent rules that fired.
    pub intent_rules: &'a [String],
    /// When intent was detected.
    pub intent_at: Option<i64>,
    /// When the deterrence message was sent.
    pub deterrence_at: Option<i64>,
    /// When someone first asked for help.
    pub help_at: Option<i64>,
    /// When the conversation was flagged for a minor cue.
    pub minor_at: Option<i64>,
    /// Now, ms.
    pub at: i64,
}

/// Who wrote a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The person writing to the bot.
    In,
    /// The bot.
    Out,
}

impl Direction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptLine {
    /// Who wrote it.
    pub direction: Direction,
    /// The text.
    pub body: String,
    /// When, ms.
    pub at: i64,
}

/// Increments of the daily counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatsDelta {
    /// New conversations.
    pub conversations: i64,
    /// Conversations in which purchase intent was detected.
    pub intent: i64,
    /// Deterrence messages sent.
    pub deterrence: i64,
    /// Conversations closed at the turn limit without intent.
    pub closed_without_intent: i64,
    /// Job-ad checks answered.
    pub checks: i64,
    /// Conversations in which someone asked for help (and was sent the hotline).
    pub help_requests: i64,
    /// Chats that opted out (STOP).
    pub opt_outs: i64,
    /// Conversations flagged for a minor cue.
    pub minor_cues: i64,
}

impl std::ops::AddAssign<&StatsDelta> for StatsDelta {
    fn add_assign(&mut self, d: &StatsDelta) {
        self.conversations += d.conversations;
        self.intent += d.intent;
        self.deterrence += d.deterrence;
        self.closed_without_intent += d.closed_without_intent;
        self.checks += d.checks;
        self.help_requests += d.help_requests;
        self.opt_outs += d.opt_outs;
        self.minor_cues += d.minor_cues;
    }
}

impl StatsDelta {
    /// Whether every increment is zero.
    pub fn is_zero(&self) -> bool {
        *self == StatsDelta::default()
    }
}

/// One row of the daily counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BotStatsRow {
    /// UTC midnight that starts the day, ms.
    pub day: i64,
    /// The channel's short name.
    pub channel: String,
    /// The persona's id.
    pub persona: String,
    /// The decoy ad.
    pub decoy_ad: String,
    /// The counters.
    #[serde(flatten)]
    pub counts: StatsDelta,
}

/// Everything one incoming message changes, written in one transaction by [`Store::record_bot_turn`].
#[derive(Debug, Clone, Copy)]
pub struct BotTurn<'a> {
    /// The conversation's new state.
    pub conversation: SaveConversation<'a>,
    /// Lines to keep; pass an empty slice unless the operator enabled transcripts.
    pub transcript: &'a [(Direction, &'a str)],
    /// Counter increments for the conversation's day, channel, persona and decoy ad.
    pub stats: StatsDelta,
}

/// What [`Store::purge_bot`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BotPurge {
    /// Transcript lines.
    pub transcript_lines: u64,
    /// Conversations (with any lines left).
    pub conversations: u64,
}

const CONVERSATION_COLUMNS: &str = "id, channel, chat_hash, persona, decoy_ad, language, state, turns, intent_score, \
                                    intent_rules, intent_at, deterrence_at, help_at, minor_at, started_at, updated_at";

fn conversation_from_row(r: &sqlx::any::AnyRow) -> Result<BotConversation> {
    let id: i64 = r.try_get("id")?;
    let rules: Option<String> = r.try_get("intent_rules")?;
    let intent_rules = match rules.as_deref() {
        None | Some("") => Vec::new(),
        Some(json) => serde_json::from_str(json).map_err(|e| Error::Corrupt {
            what: "bot conversation",
            id: id.to_string(),
            reason: format!("intent_rules: {e}"),
        })?,
    };
    Ok(BotConversation {
        id,
        channel: r.try_get("channel")?,
        chat_hash: r.try_get("chat_hash")?,
        persona: r.try_get("persona")?,
        decoy_ad: r.try_get("decoy_ad")?,
        language: r.try_get("language")?,
        state: r.try_get("state")?,
        turns: r.try_get("turns")?,
        intent_score: r.try_get("intent_score")?,
        intent_rules,
        intent_at: r.try_get("intent_at")?,
        deterrence_at: r.try_get("deterrence_at")?,
        help_at: r.try_get("help_at")?,
        minor_at: r.try_get("minor_at")?,
        started_at: r.try_get("started_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Reads a conversation.
pub async fn conversation(conn: &mut Conn, key: ConversationKey<'_>) -> Result<Option<BotConversation>> {
    check_chat_hash(key.chat_hash)?;
    let row = sqlx::query(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM bot_conversations WHERE channel = $1 AND chat_hash = $2 AND persona = $3"
    ))
    .bind(key.channel)
    .bind(key.chat_hash)
    .bind(key.persona)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(conversation_from_row).transpose()
}

/// Creates or updates a conversation; returns its id.
pub async fn save_conversation(conn: &mut Conn, s: &SaveConversation<'_>) -> Result<i64> {
    check_chat_hash(s.key.chat_hash)?;
    let rules = if s.intent_rules.is_empty() {
        None
    } else {
        Some(
            serde_json::to_string(s.intent_rules)
                .map_err(|e| Error::Invalid { what: "intent rules", reason: e.to_string() })?,
        )
    };
    let row = sqlx::query(
        "INSERT INTO bot_conversations (channel, chat_hash, persona, decoy_ad, language, state, turns, intent_score,
             intent_rules, intent_at, deterrence_at, help_at, minor_at, started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
         ON CONFLICT (channel, chat_hash, persona) DO UPDATE SET decoy_ad = excluded.decoy_ad,
             language = excluded.language, state = excluded.state, turns = excluded.turns,
             intent_score = excluded.intent_score, intent_rules = excluded.intent_rules, intent_at = excluded.intent_at,
             deterrence_at = excluded.deterrence_at, help_at = excluded.help_at, minor_at = excluded.minor_at,
             updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(s.key.channel)
    .bind(s.key.chat_hash)
    .bind(s.key.persona)
    .bind(s.decoy_ad)
    .bind(s.language)
    .bind(s.state)
    .bind(s.turns)
    .bind(s.intent_score)
    .bind(rules)
    .bind(s.intent_at)
    .bind(s.deterrence_at)
    .bind(s.help_at)
    .bind(s.minor_at)
    .bind(s.at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Appends a transcript line to a conversation.
pub async fn add_transcript(
    conn: &mut Conn,
    conversation_id: i64,
    direction: Direction,
    body: &str,
    at: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO bot_transcripts (conversation_id, direction, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(conversation_id)
        .bind(direction.as_str())
        .bind(body)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds `delta` to the counters of the day of `at` for a channel, persona and decoy ad.
pub async fn add_stats(
    conn: &mut Conn,
    at: i64,
    channel: &str,
    persona: &str,
    decoy_ad: &str,
    delta: &StatsDelta,
) -> Result<()> {
    if delta.is_zero() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO bot_stats (day, channel, persona, decoy_ad, conversations, intent, deterrence,
             closed_without_intent, checks, help_requests, opt_outs, minor_cues)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (day, channel, persona, decoy_ad) DO UPDATE SET
             conversations = bot_stats.conversations + excluded.conversations,
             intent = bot_stats.intent + excluded.intent,
             deterrence = bot_stats.deterrence + excluded.deterrence,
             closed_without_intent = bot_stats.closed_without_intent + excluded.closed_without_intent,
             checks = bot_stats.checks + excluded.checks,
             help_requests = bot_stats.help_requests + excluded.help_requests,
             opt_outs = bot_stats.opt_outs + excluded.opt_outs,
             minor_cues = bot_stats.minor_cues + excluded.minor_cues",
    )
    .bind(day_start(at))
    .bind(channel)
    .bind(persona)
    .bind(decoy_ad)
    .bind(delta.conversations)
    .bind(delta.intent)
    .bind(delta.deterrence)
    .bind(delta.closed_without_intent)
    .bind(delta.checks)
    .bind(delta.help_requests)
    .bind(delta.opt_outs)
    .bind(delta.minor_cues)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a chat has opted out (STOP) and not opted in again.
pub async fn opted_out(conn: &mut Conn, key: ConversationKey<'_>) -> Result<bool> {
    check_chat_hash(key.chat_hash)?;
    let row = sqlx::query("SELECT 1 AS x FROM bot_opt_outs WHERE channel = $1 AND chat_hash = $2 AND persona = $3")
        .bind(key.channel)
        .bind(key.chat_hash)
        .bind(key.persona)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

impl Store {
    /// Reads a conversation.
    pub async fn bot_conversation(&self, key: ConversationKey<'_>) -> Result<Option<BotConversation>> {
        conversation(&mut *self.conn().await?, key).await
    }

    /// Saves a conversation's new state, its transcript lines and its counters in one transaction;
    /// returns the conversation id.
    pub async fn record_bot_turn(&self, turn: &BotTurn<'_>) -> Result<i64> {
        let c = &turn.conversation;
        let mut tx = self.begin().await?;
        let id = save_conversation(&mut tx, c).await?;
        for (direction, body) in turn.transcript {
            add_transcript(&mut tx, id, *direction, body, c.at).await?;
        }
        add_stats(&mut tx, c.at, c.key.channel, c.key.persona, c.decoy_ad, &turn.stats).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds to the daily counters outside any conversation (job-ad checks).
    pub async fn add_bot_stats(
        &self,
        at: i64,
        channel: &str,
        persona: &str,
        decoy_ad: &str,
        delta: &StatsDelta,
    ) -> Result<()> {
        add_stats(&mut *self.conn().await?, at, channel, persona, decoy_ad, delta).await
    }

    /// Whether a chat has opted out (STOP) and not opted in again.
    pub async fn bot_opted_out(&self, key: ConversationKey<'_>) -> Result<bool> {
        opted_out(&mut *self.conn().await?, key).await
    }

    /// Records an opt-out (STOP) at `at`, counted under `decoy_ad`, in one transaction. Returns whether
    /// it is new: false when the chat had already opted out, so that a repeated STOP is neither counted
    /// nor acknowledged again.
    pub async fn record_bot_opt_out(&self, key: ConversationKey<'_>, decoy_ad: &str, at: i64) -> Result<bool> {
        check_chat_hash(key.chat_hash)?;
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO bot_opt_outs (channel, chat_hash, persona, opted_out_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (channel, chat_hash, persona) DO NOTHING",
        )
        .bind(key.channel)
        .bind(key.chat_hash)
        .bind(key.persona)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            let delta = StatsDelta { opt_outs: 1, ..StatsDelta::default() };
            add_stats(&mut tx, at, key.channel, key.persona, decoy_ad, &delta).await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Undoes an opt-out (START); returns whether the chat had opted out.
    pub async fn record_bot_opt_in(&self, key: ConversationKey<'_>) -> Result<bool> {
        check_chat_hash(key.chat_hash)?;
        let deleted = sqlx::query("DELETE FROM bot_opt_outs WHERE channel = $1 AND chat_hash = $2 AND persona = $3")
            .bind(key.channel)
            .bind(key.chat_hash)
            .bind(key.persona)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    /// The most recently active conversations, newest first (hashed chats only, no text).
    pub async fn bot_conversations(&self, limit: i64) -> Result<Vec<BotConversation>> {
        let rows = sqlx::query(&format!(
            "SELECT {CONVERSATION_COLUMNS} FROM bot_conversations ORDER BY updated_at DESC, id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(conversation_from_row).collect()
    }

    /// A conversation's transcript, oldest first (empty unless transcripts were enabled).
    pub async fn bot_transcript(&self, conversation_id: i64) -> Result<Vec<TranscriptLine>> {
        let rows = sqlx::query(
            "SELECT direction, body, created_at FROM bot_transcripts WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(conversation_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let d: String = r.try_get("direction")?;
                let direction = match d.as_str() {
                    "in" => Direction::In,
                    "out" => Direction::Out,
                    _ => {
                        return Err(Error::Corrupt {
                            what: "bot transcript",
                            id: conversation_id.to_string(),
                            reason: format!("unknown direction {d:?}"),
                        });
                    }
                };
                Ok(TranscriptLine { direction, body: r.try_get("body")?, at: r.try_get("created_at")? })
            })
            .collect()
    }

    /// The daily counters from the day of `since_ms` on, by day, channel, persona and decoy ad.
    pub async fn bot_stats(&self, since_ms: i64) -> Result<Vec<BotStatsRow>> {
        let rows = sqlx::query(
            "SELECT day, channel, persona, decoy_ad, conversations, intent, deterrence, closed_without_intent, checks,
                 help_requests, opt_outs, minor_cues
             FROM bot_stats WHERE day >= $1 ORDER BY day, channel, persona, decoy_ad",
        )
        .bind(day_start(since_ms))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BotStatsRow {
                    day: r.try_get("day")?,
                    channel: r.try_get("channel")?,
                    persona: r.try_get("persona")?,
                    decoy_ad: r.try_get("decoy_ad")?,
                    counts: StatsDelta {
                        conversations: r.try_get("conversations")?,
                        intent: r.try_get("intent")?,
                        deterrence: r.try_get("deterrence")?,
                        closed_without_intent: r.try_get("closed_without_intent")?,
                        checks: r.try_get("checks")?,
                        help_requests: r.try_get("help_requests")?,
                        opt_outs: r.try_get("opt_outs")?,
                        minor_cues: r.try_get("minor_cues")?,
                    },
                })
            })
            .collect()
    }

    /// Retention: deletes transcript lines written before `transcripts_before` and, when
    /// `conversations_before` is given, conversations idle since before it (with any lines left). The
    /// daily counters are kept. Audited as `bot.purge` by `actor`.
    pub async fn purge_bot(
        &self,
        transcripts_before: i64,
        conversations_before: Option<i64>,
        actor: &str,
    ) -> Result<BotPurge> {
        let mut tx = self.begin().await?;
        let transcript_lines = sqlx::query("DELETE FROM bot_transcripts WHERE created_at < $1")
            .bind(transcripts_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let mut out = BotPurge { transcript_lines, conversations: 0 };
        if let Some(cutoff) = conversations_before {
            out.transcript_lines += sqlx::query(
                "DELETE FROM bot_transcripts WHERE conversation_id IN
                     (SELECT id FROM bot_conversations WHERE updated_at < $1)",
            )
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            out.conversations = sqlx::query("DELETE FROM bot_conversations WHERE updated_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        if out != BotPurge::default() {
            let detail =
                format!("{{\"transcript_lines\":{},\"conversations\":{}}}", out.transcript_lines, out.conversations);
            audit::record(&mut tx, actor, "bot.purge", None, Some(&detail)).await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_digests_are_accepted_as_chat_keys() {
        assert!(check_chat_hash(&"ab12".repeat(16)).is_ok());
        for bad in ["123456789", "", &"AB12".repeat(16), &"g".repeat(64), &"a".repeat(63)] {
            assert!(check_chat_hash(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn days_start_at_utc_midnight() {
        assert_eq!(day_start(0), 0);
        assert_eq!(day_start(DAY_MS + 5), DAY_MS);
        assert_eq!(day_start(-1), -DAY_MS);
    }
}
