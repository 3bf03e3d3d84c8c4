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

/// The shortest secret accepted, in bytes (256 bits, the size of the HMAC-SHA256 key).
pub const MIN_SECRET_BYTES: usize = 32;

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

    /// A hasher keyed with a secret written as text, the way operators keep it: at least
    /// [`MIN_SECRET_BYTES`] random bytes written as hex (`openssl rand -hex 32`) or base64
    /// (`openssl rand -base64 32`, standard or URL-safe alphabet). A passphrase, or fewer bytes, is
    /// refused: chat ids are guessable, so the secret is all that keeps their hashes from being reversed.
    pub fn from_encoded(text: &str) -> Result<ChatHasher> {
        let text = text.trim();
        let bytes = if text.len().is_multiple_of(2) && !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).ok()
        } else {
            decode_base64(text)
        };
        let Some(bytes) = bytes else {
            return Err(Error::WeakSecret { len: 0, min: MIN_SECRET_BYTES });
        };
        if bytes.iter().all(|b| *b == bytes[0]) {
            return Err(Error::WeakSecret { len: 0, min: MIN_SECRET_BYTES });
        }
        ChatHasher::new(&bytes)
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

/// Decodes base64 (standard or URL-safe alphabet, padding optional); `None` for anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if body.is_empty() || text.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (bits < 6).then_some(out)
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
        let a = ChatHasher::new(b"0123456789abcdef-0123456789abcdef-secret").unwrap();
        let b = ChatHasher::new(b"another secret, of at least 32 bytes").unwrap();
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
        assert!(matches!(ChatHasher::new(&[7u8; 31]), Err(Error::WeakSecret { len: 31, .. })));
    }

    #[test]
    fn secrets_are_32_random_bytes_in_hex_or_base64() {
        let hex32 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let b64 = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
        let a = ChatHasher::from_encoded(hex32).unwrap();
        let b = ChatHasher::from_encoded(b64).unwrap();
        assert_eq!(a.key("t", "1"), b.key("t", "1"), "the same 32 bytes either way");
        assert_eq!(
            ChatHasher::from_encoded("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg").unwrap().key("t", "1"),
            a.key("t", "1")
        );
        for weak in [
            "correct horse battery staple, a long passphrase",
            &hex32[..62],
            "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCg==",
            &"00".repeat(32),
            "",
        ] {
            assert!(matches!(ChatHasher::from_encoded(weak), Err(Error::WeakSecret { .. })), "{weak:?}");
        }
    }
}
