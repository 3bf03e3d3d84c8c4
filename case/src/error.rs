//! The case crate's error type.

use std::path::PathBuf;

/// What went wrong building or reading a case archive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed or lacks the case.
    #[error(transparent)]
    Store(#[from] redflag_store::Error),
    /// The case has no ads to export.
    #[error("case {0} has no ads to export")]
    Empty(i64),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The archive could not be written or is not a readable ZIP file.
    #[error("archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// JSON could not be written.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// A background task failed.
    #[error("archive task failed: {0}")]
    Task(String),
}
