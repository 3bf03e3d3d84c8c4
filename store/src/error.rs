//! The store's error type.

use std::path::PathBuf;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL names a backend Redflag does not support.
    #[error("unsupported database URL {0:?} (expected sqlite://… or postgres://…)")]
    UnsupportedUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open database {url}: {source}")]
    Connect {
        /// The URL, password removed.
        url: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// A row that must exist does not.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked for ("ad", "page", "user").
        what: &'static str,
        /// Its id or name.
        id: String,
    },
    /// A stored value could not be decoded (corrupt page body, bad JSON).
    #[error("corrupt {what} {id}: {reason}")]
    Corrupt {
        /// What was read.
        what: &'static str,
        /// Its id.
        id: String,
        /// What was wrong.
        reason: String,
    },
    /// The caller passed a value the store cannot accept (an unknown role, an empty username).
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was invalid.
        what: &'static str,
        /// Why.
        reason: String,
    },
}

impl Error {
    pub(crate) fn connect(url: &str, source: sqlx::Error) -> Self {
        Error::Connect { url: url.to_string(), source }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        Error::NotFound { what, id: id.to_string() }
    }

    /// Whether this is a "not found" error.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }
}
