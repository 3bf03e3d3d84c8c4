//! `manifest.json`: the list of every file in a case archive with its SHA-256 and size, and for each
//! evidence page and each ad picture where and when it was fetched and the hash the crawler recorded
//! then.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's format name; a verifier refuses others.
pub const FORMAT: &str = "redflag-case-archive/1";

/// The manifest's own path in the archive (it does not list itself).
pub const MANIFEST_PATH: &str = "manifest.json";

/// The manifest of a case archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The case id in the exporting store.
    pub case_id: i64,
    /// The case name.
    pub case_name: String,
    /// When the archive was made, ms since the epoch.
    pub exported_at: i64,
    /// The same, as RFC 3339 UTC.
    pub exported_at_utc: String,
    /// Who made it.
    pub exported_by: String,
    /// Every other file of the archive.
    pub files: Vec<FileEntry>,
}

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the archive.
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// For an evidence page: where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceMeta>,
    /// For an ad's picture: where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<PictureMeta>,
}

/// Where and when an ad's picture was first fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PictureMeta {
    /// The picture's id in the exporting store.
    pub image_id: i64,
    /// The ad of the case that showed it (the file is under the ad's folder).
    pub ad: i64,
    /// The URL it was first fetched from.
    pub url: String,
    /// When it was first fetched, ms since the epoch.
    pub fetched_at: i64,
    /// The same, as RFC 3339 UTC.
    pub fetched_at_utc: String,
    /// The SHA-256 of the bytes recorded by the crawler when it was fetched.
    pub sha256_at_fetch: String,
    /// The content type its bytes proved (JPEG, PNG, GIF or WebP).
    pub content_type: String,
}

/// Where and when an evidence page was fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceMeta {
    /// The page's id in the exporting store.
    pub page_id: i64,
    /// The URL requested.
    pub url: String,
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: i64,
    /// When the response was received, ms since the epoch.
    pub fetched_at: i64,
    /// The same, as RFC 3339 UTC.
    pub fetched_at_utc: String,
    /// The SHA-256 of the body recorded by the crawler when it was fetched.
    pub sha256_at_fetch: String,
    /// The Content-Type header.
    pub content_type: Option<String>,
    /// Whether the body was cut at the crawler's size cap.
    pub truncated: bool,
    /// The ads of the case this page is evidence for.
    pub ads: Vec<i64>,
}

/// SHA-256 as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
