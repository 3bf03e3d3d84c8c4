//! The classifier's error type: bad input (with the path and line a user needs) apart from our failures.

use std::path::PathBuf;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text to check is empty or only whitespace.
    #[error("the ad text is empty")]
    EmptyInput,

    /// The input is not text (NUL bytes, mostly control characters or invalid UTF-8).
    #[error("the input is not text ({reason})")]
    BinaryInput {
        /// What gave it away.
        reason: String,
    },

    /// A file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A data file has a malformed row.
    #[error("{path}:{line}: {message}")]
    Data {
        /// The file.
        path: PathBuf,
        /// The 1-based line where the problem is.
        line: u64,
        /// What is wrong.
        message: String,
    },

    /// A data file is unusable as a whole (missing columns, no rows, a single class).
    #[error("{path}: {message}")]
    Dataset {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// A model directory or bundled model is missing a file or is inconsistent.
    #[error("invalid model at {location}: {message}")]
    Model {
        /// The directory, or `bundled:<name>` for a model compiled into the binary.
        location: String,
        /// What is wrong.
        message: String,
    },

    /// The indicator catalogue, the message file or the gloss lexicon does not parse or has a bad
    /// pattern or entry.
    #[error("invalid indicator catalogue: {0}")]
    Catalogue(String),

    /// Options that do not make sense together.
    #[error("invalid options: {0}")]
    Options(String),

    /// A tensor operation failed; this is a bug or a resource problem, not bad input. (The message
    /// only: candle's types stay inside this crate.)
    #[error("tensor computation failed: {0}")]
    Tensor(String),
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Tensor(e.to_string())
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
