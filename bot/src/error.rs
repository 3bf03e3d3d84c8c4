//! The bot's error type: a bad persona file or secret (the operator's input) apart from failures of the
//! store, the classifier or the chat channels.

use std::path::PathBuf;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The persona file could not be read.
    #[error("cannot read persona file {path}: {source}")]
    PersonaRead {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// The persona file is not valid TOML or has unknown or mistyped keys.
    #[error("{path}: {message}")]
    PersonaSyntax {
        /// The file (or `<inline>` for text parsed directly).
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },

    /// The persona file parses but breaks a rule (missing English text, an explicit word, a bad id).
    #[error("{path}: {key}: {message}")]
    PersonaInvalid {
        /// The file.
        path: PathBuf,
        /// The offending key, dotted (`replies.es.small_talk[2]`).
        key: String,
        /// What is wrong.
        message: String,
    },

    /// The secret for hashing chat ids is missing or too short.
    #[error(
        "the chat-id secret must be at least {min} random bytes written as hex or base64 (e.g. `openssl rand -hex 32`); got {len} usable bytes"
    )]
    WeakSecret {
        /// Its length.
        len: usize,
        /// The minimum.
        min: usize,
    },

    /// The Telegram Bot API could not be reached.
    #[error("cannot reach the Telegram Bot API at {url}: {message}")]
    Unreachable {
        /// The API base URL (never including the token).
        url: String,
        /// What the HTTP client said.
        message: String,
    },

    /// The Telegram Bot API answered with an error (a revoked or mistyped token, a blocked chat).
    #[error("the Telegram Bot API at {url} refused {method}: {message}")]
    Api {
        /// The API base URL (never including the token).
        url: String,
        /// The API method.
        method: &'static str,
        /// The API's description of the problem.
        message: String,
    },

    /// The SMS webhook's server failed.
    #[error("the SMS webhook on {addr} failed: {message}")]
    Serve {
        /// The address it listened on.
        addr: String,
        /// What failed.
        message: String,
    },

    /// A chat id from a channel is not in the form the channel uses.
    #[error("invalid {channel} chat id")]
    BadChatId {
        /// The channel's name.
        channel: &'static str,
    },

    /// A message the bot was about to send contains a word of the deny-list; it was not sent.
    #[error("refused to send a message containing the denied word {word:?}")]
    Denied {
        /// The denied stem found.
        word: &'static str,
    },

    /// The store failed.
    #[error(transparent)]
    Store(#[from] redflag_store::Error),

    /// A blocking task (the classifier) panicked or was cancelled.
    #[error("background task failed: {0}")]
    Task(String),
}

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
