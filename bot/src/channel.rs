//! The seam between the channel-agnostic bot and a chat network.
//!
//! A channel adapter does three things: receives messages from its network and hands each to
//! [`crate::Service::handle`] as an [`crate::Incoming`] (raw chat id, text, the app's language if the
//! network reports it); implements [`Channel`] so the service can answer; and delivers the messages of
//! one chat one at a time, in order, because the service reads and writes a conversation's state per
//! message. Everything else — hashing chat ids, the conversation engine, the job-ad check, the store,
//! counters, splitting long replies — happens in the service.
//!
//! Telegram is implemented in [`crate::telegram`], SMS in [`crate::sms`] (a webhook for the gateways'
//! form-POST callback that verifies the gateway's signature, runs one sender's messages one at a time
//! and answers in the gateway's reply format; `max_message_units()` is 1600) and the web chat in
//! [`crate::web`] (a page served per decoy ad, one browser session per conversation). Both answer in
//! the HTTP response, so their [`Channel::send`] collects the replies, and both run one chat's
//! messages one at a time with [`ChatTurns`]. The WhatsApp Cloud API
//! would plug in the same way: it calls a webhook with `messages[].from` (a phone number) and
//! `text.body`; `send` posts to `/{phone-number-id}/messages`. `name()` would be `"whatsapp"`,
//! `max_message_units()` 4096. WhatsApp only allows free-form replies within 24 hours of the buyer's
//! last message, which the conversation flow satisfies, since the bot only ever answers.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::identity::ChatKey;
use crate::split::split_message;

/// A chat network the bot answers on.
pub trait Channel: Send + Sync {
    /// The channel's short, stable name (`telegram`, `sms`, `whatsapp`): stored with conversations and
    /// counters, and part of the hashed chat key.
    fn name(&self) -> &'static str;

    /// The longest message the network accepts, in UTF-16 code units.
    fn max_message_units(&self) -> usize;

    /// Sends one message, already within [`Channel::max_message_units`], to a chat.
    fn send(&self, chat_id: &str, text: &str) -> impl Future<Output = Result<()>> + Send;
}

/// Sends `text` to a chat, split into as many messages as the channel needs; returns how many.
pub async fn deliver<C: Channel>(channel: &C, chat_id: &str, text: &str) -> Result<usize> {
    let parts = split_message(text, channel.max_message_units());
    for p in &parts {
        channel.send(chat_id, p).await?;
    }
    Ok(parts.len())
}

/// Runs the messages of one chat one at a time, in order of arrival, for channels whose messages
/// arrive as concurrent HTTP requests (SMS, web chat). Holds a lock only for chats with a message in
/// flight.
#[derive(Default)]
pub struct ChatTurns {
    chats: Mutex<HashMap<ChatKey, Arc<tokio::sync::Mutex<()>>>>,
}

impl ChatTurns {
    /// Runs `work` once no other message of `key` is being handled.
    pub async fn one_at_a_time<T>(&self, key: &ChatKey, work: impl Future<Output = T>) -> T {
        let lock = {
            let mut m = self.chats.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(m.entry(key.clone()).or_default())
        };
        let out = {
            let _turn = lock.lock().await;
            work.await
        };
        let mut m = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        // Clones are only taken under this map lock: two references are the map's and ours.
        if Arc::strong_count(&lock) == 2 {
            m.remove(key);
        }
        out
    }
}
