//! The indicator catalogue and `docs/indicators.md` agree.

use crate::classifier;

#[test]
fn every_indicator_is_documented() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/indicators.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for ind in &classifier().catalogue().indicators {
        assert!(doc.contains(&format!("`{}`", ind.id)), "{} is not in docs/indicators.md", ind.id);
    }
}
