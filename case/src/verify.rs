//! Verifying a case archive without the store: every file listed in the manifest is present with the
//! listed SHA-256 and size, every evidence file and picture still has the SHA-256 recorded when it was
//! fetched, and
//! the archive holds nothing the manifest does not list.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek};
use std::path::Path;

use zip::ZipArchive;

use crate::manifest::{FORMAT, MANIFEST_PATH, Manifest, sha256_hex};
use crate::{Error, Result};

/// One thing wrong with an archive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The archive has no `manifest.json`.
    NoManifest,
    /// `manifest.json` cannot be read or is not a case manifest.
    BadManifest {
        /// Why.
        reason: String,
    },
    /// The manifest lists a file the archive lacks.
    Missing {
        /// The file.
        path: String,
    },
    /// The archive holds a file the manifest does not list.
    Extra {
        /// The file.
        path: String,
    },
    /// A file's bytes do not match the manifest.
    Altered {
        /// The file.
        path: String,
        /// SHA-256 in the manifest.
        listed: String,
        /// SHA-256 of the file.
        actual: String,
    },
    /// A file's size does not match the manifest (its hash matched).
    WrongSize {
        /// The file.
        path: String,
        /// Size in the manifest.
        listed: u64,
        /// Size of the file.
        actual: u64,
    },
    /// An evidence file or picture does not match the SHA-256 recorded when it was fetched.
    NotAsFetched {
        /// The file.
        path: String,
        /// The URL it was fetched from.
        url: String,
        /// The hash recorded at fetch time.
        at_fetch: String,
        /// SHA-256 of the file.
        actual: String,
    },
    /// The archive holds two files, or the manifest lists two entries, under one path.
    Duplicate {
        /// The path.
        path: String,
    },
    /// A file cannot be read from the archive.
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoManifest => write!(f, "the archive has no {MANIFEST_PATH}"),
            Problem::BadManifest { reason } => write!(f, "{MANIFEST_PATH} is not a valid case manifest: {reason}"),
            Problem::Missing { path } => write!(f, "missing: {path} is listed in the manifest but not in the archive"),
            Problem::Extra { path } => write!(f, "extra: {path} is in the archive but not listed in the manifest"),
            Problem::Altered { path, listed, actual } => {
                write!(f, "altered: {path} has SHA-256 {actual}, the manifest lists {listed}")
            }
            Problem::WrongSize { path, listed, actual } => {
                write!(f, "altered: {path} is {actual} bytes, the manifest lists {listed}")
            }
            Problem::NotAsFetched { path, url, at_fetch, actual } => write!(
                f,
                "evidence altered: {path} ({url}) has SHA-256 {actual}, but {at_fetch} was recorded when it was fetched"
            ),
            Problem::Duplicate { path } => write!(f, "duplicate: {path} appears more than once"),
            Problem::Unreadable { path, reason } => write!(f, "unreadable: {path}: {reason}"),
        }
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// The manifest, when it could be read.
    pub manifest: Option<Manifest>,
    /// SHA-256 of `manifest.json` (compare it with the export's audit entry).
    pub manifest_sha256: Option<String>,
    /// Files whose hash was checked.
    pub files_checked: usize,
    /// Evidence files checked against their fetch-time hash.
    pub evidence_checked: usize,
    /// Ad pictures checked against their fetch-time hash.
    pub pictures_checked: usize,
    /// Everything wrong, in archive order; empty when the archive is intact.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether the archive is intact.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the archive at `path`. An unreadable file or a file that is not a ZIP archive is an error;
/// everything else wrong is a [`Problem`] in the report.
pub fn verify_file(path: &Path) -> Result<Report> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    verify(std::io::BufReader::new(file))
}

/// Verifies an archive read from `r`.
pub fn verify<R: Read + Seek>(r: R) -> Result<Report> {
    let mut zip = ZipArchive::new(r)?;
    let mut problems = Vec::new();
    // Read every file once: path → (sha256, size).
    let mut actual: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    for i in 0..zip.len() {
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                problems.push(Problem::Unreadable { path: format!("entry {i}"), reason: e.to_string() });
                continue;
            }
        };
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        if let Err(e) = f.read_to_end(&mut bytes) {
            problems.push(Problem::Unreadable { path: name, reason: e.to_string() });
            continue;
        }
        if name == MANIFEST_PATH {
            if manifest_bytes.is_some() {
                problems.push(Problem::Duplicate { path: name });
            }
            manifest_bytes = Some(bytes);
            continue;
        }
        let entry = (sha256_hex(&bytes), bytes.len() as u64);
        if actual.insert(name.clone(), entry).is_some() {
            problems.push(Problem::Duplicate { path: name });
        }
    }
    let Some(manifest_bytes) = manifest_bytes else {
        problems.push(Problem::NoManifest);
        return Ok(Report {
            manifest: None,
            manifest_sha256: None,
            files_checked: 0,
            evidence_checked: 0,
            pictures_checked: 0,
            problems,
        });
    };
    let manifest_sha256 = Some(sha256_hex(&manifest_bytes));
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            problems.push(Problem::BadManifest { reason: e.to_string() });
            return Ok(Report {
                manifest: None,
                manifest_sha256,
                files_checked: 0,
                evidence_checked: 0,
                pictures_checked: 0,
                problems,
            });
        }
    };
    if manifest.format != FORMAT {
        problems.push(Problem::BadManifest { reason: format!("format {:?}, expected {FORMAT:?}", manifest.format) });
    }
    let mut listed = BTreeSet::new();
    let (mut files_checked, mut evidence_checked, mut pictures_checked) = (0, 0, 0);
    for e in &manifest.files {
        if !listed.insert(e.path.as_str()) {
            problems.push(Problem::Duplicate { path: e.path.clone() });
            continue;
        }
        let Some((sha, size)) = actual.get(&e.path) else {
            problems.push(Problem::Missing { path: e.path.clone() });
            continue;
        };
        files_checked += 1;
        if *sha != e.sha256 {
            problems.push(Problem::Altered { path: e.path.clone(), listed: e.sha256.clone(), actual: sha.clone() });
        } else if *size != e.size {
            problems.push(Problem::WrongSize { path: e.path.clone(), listed: e.size, actual: *size });
        }
        let fetched = match (&e.evidence, &e.picture) {
            (Some(ev), _) => {
                evidence_checked += 1;
                Some((&ev.url, &ev.sha256_at_fetch))
            }
            (None, Some(pic)) => {
                pictures_checked += 1;
                Some((&pic.url, &pic.sha256_at_fetch))
            }
            (None, None) => None,
        };
        if let Some((url, at_fetch)) = fetched
            && sha != at_fetch
        {
            problems.push(Problem::NotAsFetched {
                path: e.path.clone(),
                url: url.clone(),
                at_fetch: at_fetch.clone(),
                actual: sha.clone(),
            });
        }
    }
    for path in actual.keys() {
        if !listed.contains(path.as_str()) {
            problems.push(Problem::Extra { path: path.clone() });
        }
    }
    Ok(Report {
        manifest: Some(manifest),
        manifest_sha256,
        files_checked,
        evidence_checked,
        pictures_checked,
        problems,
    })
}
