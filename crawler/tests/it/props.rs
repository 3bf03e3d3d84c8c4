//! Bounded property tests (the stable-toolchain stand-in for fuzzing): thousands of seeded random
//! mutations of real adapter files must never panic the adapter parser, and every refusal must name the
//! file. The seed is fixed, so a failure reproduces; `REDFLAG_PROP_CASES` raises the count.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redflag_crawler::{Error, SiteAdapter};

const SOURCES: [&str; 3] = [
    include_str!("../../../config/sites/demo-escorts.toml"),
    include_str!("../../../config/sites/demo-jobs.toml"),
    include_str!("../../../bench/crawl/demo-bench.toml"),
];

/// Pieces a mutation may insert: TOML syntax, odd keys, extreme numbers, hostile patterns and text.
const PIECES: &[&str] = &[
    "[",
    "]",
    "[[ad]]",
    "\"",
    "'",
    "'''",
    "=",
    "\n",
    "#",
    ",",
    "{",
    "}",
    ".",
    "\\",
    "\u{0}",
    "\u{202e}",
    "[site]",
    "[politeness]",
    "[limits]",
    "[fields]",
    "[ad]",
    "[listing]",
    "[recrawl]",
    "max_bytes = \"99999999TiB\"",
    "delay = \"-1s\"",
    "concurrency = 0",
    "max_depth = -9223372036854775808",
    "allow_private_addresses = \"yes\"",
    "patterns = ['(']",
    "patterns = ['(?P<id>']",
    "key = '('",
    "title = \"::invalid((\"",
    "body = []",
    "base_url = \"javascript:alert(1)\"",
    "start_urls = [\"//x\"]",
    "hosts = [\"*\"]",
    "1e309",
    "nan",
    "inf",
    "-0",
    "0x7fffffffffffffff",
    "\"\u{fffd}\"",
    "😀",
];

fn mutate(rng: &mut StdRng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..6) {
        let at = rng.random_range(0..=s.len());
        match rng.random_range(0..5) {
            0 => {
                let n = rng.random_range(0..40).min(s.len() - at.min(s.len()));
                s.drain(at..at + n);
            }
            1 => drop(s.splice(at..at, PIECES[rng.random_range(0..PIECES.len())].chars())),
            2 if !s.is_empty() => {
                let i = at.min(s.len() - 1);
                s[i] = char::from(rng.random_range(0u8..128));
            }
            3 => s.truncate(at),
            _ => {
                let a = rng.random_range(0..=s.len());
                let (lo, hi) = (a.min(at), a.max(at));
                let copy: Vec<char> = s[lo..hi.min(lo + 200)].to_vec();
                drop(s.splice(at..at, copy));
            }
        }
    }
    s.into_iter().collect()
}

fn cases() -> usize {
    std::env::var("REDFLAG_PROP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000)
}

#[test]
fn the_adapter_parser_survives_random_mutations() {
    let mut rng = StdRng::seed_from_u64(0x5eed_ad07);
    let (mut ok, mut refused) = (0, 0);
    for i in 0..cases() {
        let text = mutate(&mut rng, SOURCES[i % SOURCES.len()]);
        match SiteAdapter::parse(&text, "mutated.toml") {
            Ok(a) => {
                ok += 1;
                // What parses is usable: a scope, and no panic on rebasing.
                let _ = a.scope();
                let mut b = a.clone();
                let _ = b.rebase(&"http://127.0.0.1:9/".parse().unwrap());
            }
            Err(Error::Config { origin, .. }) => {
                assert_eq!(origin, "mutated.toml", "case {i}");
                refused += 1;
            }
            Err(e) => {
                assert!(e.to_string().contains("mutated.toml"), "case {i}: an error that names no file: {e}");
                refused += 1;
            }
        }
    }
    assert!(ok > 0 && refused > 0, "the mutations reach both outcomes ({ok} parsed, {refused} refused)");
}

#[test]
fn the_generic_page_reader_survives_random_markup() {
    let mut rng = StdRng::seed_from_u64(0x5eed_4a11);
    let tags = [
        "<h1>",
        "</h1>",
        "<p>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<meta property=\"og:title\" content=\"",
        "\">",
        "<title>",
        "</title>",
        "<article>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "<![CDATA[",
        "<svg><title>",
        "\u{0}",
        "é",
    ];
    for _ in 0..cases() / 3 {
        let mut html = String::new();
        for _ in 0..rng.random_range(0..60) {
            if rng.random_bool(0.6) {
                html.push_str(tags[rng.random_range(0..tags.len())]);
            } else {
                html.extend((0..rng.random_range(0..20)).map(|_| char::from(rng.random_range(32u8..127))));
            }
        }
        let (title, text) = redflag_crawler::generic_text(&html);
        assert!(!title.contains('\u{0}') || html.contains('\u{0}'));
        assert!(text.len() <= html.len() * 4 + 16, "text cannot grow beyond the markup");
    }
}
