//! The crawler's error type: configuration mistakes (with file, line and key), store failures, and
//! failures of the one-off fetch behind `redflag check`.
//!
//! Failures of individual URLs during a crawl are not errors: they are outcomes recorded in the
//! frontier (see [`redflag_store::Outcome`]) and counted in the summary.

use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A site-adapter file is wrong: the message names the file, line, column and key.
    #[error("{origin}:{line}:{column}: {key}: {message}")]
    Config {
        /// The file (or other origin) the configuration came from.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The dotted key the mistake is at (`fields.title[1]`).
        key: String,
        /// What is wrong, lowercase.
        message: String,
    },
    /// A site-adapter file could not be read.
    #[error("cannot read site adapter {path}: {source}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The crawl options are inconsistent (a zero concurrency, no contact URL).
    #[error("invalid crawl options: {0}")]
    Options(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] redflag_store::Error),
    /// The HTTP client could not be built (bad TLS set-up, bad user agent).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A URL was refused before any request (not HTTP, a private address, disallowed by robots.txt).
    #[error("refused to fetch {url}: {reason}")]
    Refused {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A fetch failed (network error, timeout, HTTP error status, redirect loop).
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A blocking task (parsing, hashing) panicked or was cancelled.
    #[error("internal task failed: {0}")]
    Task(String),
}

impl Error {
    /// Whether the user's input (adapter file, options, URL) is at fault rather than the system.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Error::Config { .. } | Error::ReadConfig { .. } | Error::Options(_) | Error::Refused { .. })
    }
}

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
