//! Integration tests of the classifier's public API (one test binary, modules by concern).

mod bundled;
mod catalogue_docs;
mod check;
mod demo;
mod encoder;
mod escort;
mod explain;
mod hostile;
mod indicators;
mod metrics;
mod parity;
mod roundtrip;

use redflag_classifier::Classifier;
use std::sync::OnceLock;

/// The bundled classifier, loaded once for the whole test binary.
pub fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::bundled().expect("the bundled models load"))
}

/// The path of a fixture file.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
