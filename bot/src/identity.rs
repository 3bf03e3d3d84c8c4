//! Pseudonymous chat keys: HMAC-SHA256 of a channel's chat id under the operator's secret.
//!
//! The raw id (a Telegram user id, a phone number) never leaves the channel adapter: the store and the
//! logs only ever see the keyed hash, and logs only its first [`ChatKey::SHORT`] hex digits. A keyed hash
//! rather than a plain one, because chat ids are small, guessable numbers: anyone could hash every
//! Telegram id or phone number and reverse a plain SHA-256, but not without the secret. Keep the secret
//! out of the database's backups; rotating it starts every conversation afresh.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

/// The shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 16;

/// Hashes chat ids with the operator's secret.
#[derive(Clone)]
pub struct ChatHasher {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for ChatHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatHasher(<secret>)")
    }
}

impl ChatHasher {
    /// A hasher keyed with `secret` (at least [`MIN_SECRET_BYTES`] bytes). The caller reads the secret
    /// from wherever the operator keeps it; this crate never reads the environment.
    pub fn new(secret: &[u8]) -> Result<ChatHasher> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(Error::WeakSecret { len: secret.len(), min: MIN_SECRET_BYTES });
        }
        let mac =
            Hmac::<Sha256>::new_from_slice(secret).map_err(|_| Error::WeakSecret { len: secret.len(), min: 1 })?;
        Ok(ChatHasher { mac })
    }

    /// The key of chat `chat_id` on `channel`. The channel name is part of the hashed input, so the
    /// same number on two channels gives two unrelated keys.
    pub fn key(&self, channel: &str, chat_id: &str) -> ChatKey {
        let mut mac = self.mac.clone();
        mac.update(channel.as_bytes());
        mac.update(&[0]);
        mac.update(chat_id.as_bytes());
        ChatKey(hex::encode(mac.finalize().into_bytes()))
    }
}

/// A chat's pseudonymous key: 64 lowercase hex digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChatKey(String);

impl ChatKey {
    /// How many hex digits logs show.
    pub const SHORT: usize = 12;

    /// The full key, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first [`ChatKey::SHORT`] hex digits, for logs.
    pub fn short(&self) -> &str {
        &self.0[..Self::SHORT]
    }
}

/// Shows only the short form, so a key printed by mistake stays short.
impl std::fmt::Debug for ChatKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChatKey({})", self.short())
    }
}

impl std::fmt::Display for ChatKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.short())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_secret_channel_and_id_and_hide_the_id() {
        let a = ChatHasher::new(b"0123456789abcdef-secret").unwrap();
        let b = ChatHasher::new(b"another secret of enough length").unwrap();
        let k = a.key("telegram", "123456789");
        assert_eq!(k.as_str().len(), 64);
        assert!(k.as_str().bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(k, a.key("telegram", "123456789"), "stable");
        assert_ne!(k, b.key("telegram", "123456789"));
        assert_ne!(k, a.key("sms", "123456789"));
        assert!(!k.as_str().contains("123456789"));
        assert_eq!(format!("{k}").len(), ChatKey::SHORT);
        assert!(redflag_store::bot::check_chat_hash(k.as_str()).is_ok());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(matches!(ChatHasher::new(b"short"), Err(Error::WeakSecret { len: 5, .. })));
    }
}
