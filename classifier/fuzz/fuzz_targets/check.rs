//! Fuzzes the text pipeline: arbitrary bytes through `check_bytes`, and their lossy text through
//! `assess` as job and escort ads, checking that nothing panics and every evidence span is a valid
//! slice of the scoring text.
//!
//! ```text
//! cd classifier/fuzz && cargo +nightly fuzz run check -- -max_len=200000
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_classifier::{AdInput, Classifier, MAX_TITLE_BYTES, check_bytes};
use redflag_core::AdKind;
use redflag_core::ad::scoring_text;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::bundled().expect("bundled models load"))
}

fuzz_target!(|data: &[u8]| {
    let c = classifier();
    let (hint, rest) = match data.split_first() {
        Some((b, rest)) => (
            match b % 3 {
                0 => None,
                1 => Some(AdKind::Job),
                _ => Some(AdKind::Escort),
            },
            rest,
        ),
        None => (None, data),
    };
    if let Ok(report) = check_bytes(c, rest, hint) {
        assert!(report.risk <= 100);
        for flag in report.red_flags.iter().chain(&report.good_signs) {
            for q in &flag.evidence {
                assert!(q.start <= q.end);
            }
        }
    }
    let text = String::from_utf8_lossy(rest);
    let (title, body) = text.split_once('\u{fffd}').unwrap_or(("", &text));
    for kind in [None, Some(AdKind::Job), Some(AdKind::Escort)] {
        let mut input = AdInput::new(title, body);
        input.kind = kind;
        let a = c.assess(&input);
        assert!((0.0..=1.0).contains(&a.probability));
        // Offsets point into the scoring text of the capped title (the body is only cut at its end).
        let scored = scoring_text(redflag_core::text::truncate_bytes(title, MAX_TITLE_BYTES), body);
        for f in &a.indicators {
            for e in &f.evidence {
                assert!(e.end <= scored.len() && scored.is_char_boundary(e.start) && scored.is_char_boundary(e.end));
                assert_eq!(&scored[e.start..e.end], e.text);
            }
        }
    }
});
