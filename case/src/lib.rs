//! Case archives that hold up as evidence: one ZIP per case with the ads and all their versions, the raw
//! evidence pages and the ads' pictures exactly as fetched, the triage history, the audit entries, the
//! case notes, a self-contained `summary.html`, and a `manifest.json` that lists every file with its
//! SHA-256 and size (and, for evidence pages and pictures, its URL, fetch time and the SHA-256 recorded
//! at fetch time).
//!
//! [`export`] builds an archive from the store and audits it; [`verify`] re-checks one without the store:
//! every file against the manifest, every evidence file and picture against its fetch-time hash, and
//! nothing missing or added. The manifest's own SHA-256 goes into the export's audit entry, so the store
//! can later confirm that a manifest is the one it wrote.
//!
//! Layout of an archive (paths are fixed; see `docs/security.md` for what it proves):
//!
//! ```text
//! manifest.json              every other file: path, sha256, size, evidence and picture metadata
//! summary.html               for people: the case, its ads, evidence hashes, notes (no scripts)
//! case.json                  the case, its ads (risk, triage state, who added them) and its notes
//! ads/<ad>/ad.json           the ad now: fields, URLs, entities, latest score with evidence, links
//! ads/<ad>/versions.json     every version of the ad, oldest first, with its evidence page id and the
//!                            pictures it showed (or why one was not kept)
//! ads/<ad>/images/picture-<id>.<jpg|png|gif|webp>
//!                            each picture the ad showed, byte for byte as received
//! evidence/page-<id>.raw     the body of a stored page, byte for byte as received
//! triage.json                each ad's triage now and every triage change (from the audit log)
//! audit.json                 every audit entry about the case or its ads, oldest first
//! ```

mod error;
mod export;
mod manifest;
mod summary;
mod verify;

pub use error::Error;
pub use export::{Exported, export, export_to_file};
pub use manifest::{EvidenceMeta, FORMAT, FileEntry, Manifest, PictureMeta};
pub use verify::{Problem, Report, verify, verify_file};

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
