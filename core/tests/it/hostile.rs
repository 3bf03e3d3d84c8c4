//! Hostile input: huge, binary-ish, mixed-script and adversarial text never panics and stays fast.

use std::time::{Duration, Instant};

use redflag_core::extract::{EntityKind, MAX_SCAN_BYTES};
use redflag_core::lang;
use redflag_core::link::{LinkInput, LinkOptions, link};

use crate::support::run;

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Pieces that exercise every extractor's edge cases when glued together at random.
const PIECES: &[&str] = &[
    "7",
    "0",
    "55",
    "0148",
    " ",
    "  ",
    "-",
    ".",
    " . ",
    "(",
    ")",
    "+",
    "+1",
    "00",
    "|",
    "/",
    "*",
    "~",
    "_",
    "@",
    "[at]",
    "(dot)",
    " at ",
    " dot ",
    "com",
    "gmail",
    "seven",
    "zero",
    "oh",
    "double",
    "cinco",
    "deux",
    "três",
    "satu",
    "O",
    "l",
    "I",
    "$",
    "€",
    "R$",
    "Rp",
    "juta",
    "rb",
    "k",
    "/h",
    " per ",
    "hour",
    "roses",
    "years old",
    "años",
    "age",
    "edad",
    "umur",
    "tahun",
    "Las Vegas",
    "São Paulo",
    "Nice",
    "telegram",
    "tg",
    "wa.me/",
    "t.me/",
    "http://",
    "www.",
    "whatsapp",
    "call",
    "\n",
    "é",
    "\u{0301}",
    "\u{200B}",
    "\u{200F}",
    "\u{202E}",
    "\u{FE0F}",
    "\u{20E3}",
    "７",
    "𝟕",
    "①",
    "٣",
    "😀",
    "👩‍👩‍👧",
    "مرحبا",
    "שלום",
    "中文",
    "ß",
    "İ",
    "ﬁ",
    "\u{FDFA}",
    "\0",
    "\u{FFFD}",
    "2024-05-01",
    ":",
    "#",
    ",",
    "'",
    "\"",
    "<",
    ">",
    "{",
    "}",
    "[",
    "]",
];

#[test]
fn random_mixes_never_break_the_invariants() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for country in [None, Some("US"), Some("ID"), Some("BR"), Some("ZZ"), Some("")] {
        for _ in 0..300 {
            let len = (rng.next() % 40) as usize;
            let text: String = (0..len).map(|_| rng.pick(PIECES)).collect();
            run(&text, country);
            let _ = lang::detect(&text);
            let _ = redflag_core::extract::parse_price(&text);
        }
    }
}

#[test]
fn binary_junk_never_panics() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let bytes: Vec<u8> = (0..(rng.next() % 400)).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        run(&text, Some("US"));
        let _ = lang::detect(&text);
    }
}

#[test]
fn huge_input_is_capped_and_fast() {
    let unit = "Call 702-555-0148 or seven 0 two 555 zero one 4 8, $200/hr, 22 years old, Las Vegas. ";
    let text = unit.repeat(10 * 1024 * 1024 / unit.len());
    let started = Instant::now();
    let out = run(&text, Some("US"));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(out.entities.iter().all(|e| e.end <= MAX_SCAN_BYTES));
    assert!(out.of_kind(EntityKind::Phone).count() > 100);
}

#[test]
fn adversarial_digit_soup_is_bounded() {
    let cases = [
        "1 ".repeat(40_000),
        "7-".repeat(40_000),
        "0".repeat(100_000),
        "seven ".repeat(20_000),
        "$1 ".repeat(30_000),
        "@a_1 ".repeat(20_000),
        "a [at] b [dot] ".repeat(5_000),
        "|1".repeat(40_000),
        "22 years old ".repeat(10_000),
        "Las Vegas ".repeat(10_000),
        "\u{200B}".repeat(30_000),
        "👩‍👩‍👧".repeat(5_000),
    ];
    for text in &cases {
        let started = Instant::now();
        run(text, Some("US"));
        let _ = lang::detect(text);
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}… took {:?}", &text[..12], started.elapsed());
    }
}

#[test]
fn mixed_scripts_keep_offsets_right() {
    let text = "مرحبا\u{200F} اتصل 702-555-0148 👩‍👩‍👧 שלום tg: @jane_doe 中文 $200 São Paulo";
    let out = run(text, Some("US"));
    let kinds: Vec<EntityKind> = out.entities.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EntityKind::Phone));
    assert!(kinds.contains(&EntityKind::Handle));
    assert!(kinds.contains(&EntityKind::Price));
    assert!(kinds.contains(&EntityKind::City));
}

#[test]
fn linking_junk_never_panics() {
    let mut rng = Rng(7);
    let texts: Vec<String> =
        (0..300).map(|_| (0..(rng.next() % 60)).map(|_| rng.pick(PIECES)).collect::<Vec<_>>().join(" ")).collect();
    let inputs: Vec<LinkInput<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: (i % 250) as i64 - 5,
            contacts: vec![format!("phone:{}", i % 17), String::new(), " ".into()],
            text: t,
            city: if i % 3 == 0 { Some("  ") } else { Some(t.as_str()) },
        })
        .collect();
    for similarity in [0.0, 0.5, 1.0, f32::NAN, -3.0] {
        let nets = link(&inputs, &LinkOptions { template_similarity: similarity, ..LinkOptions::default() });
        assert_eq!(nets.cluster_of.len(), 250);
        assert_eq!(nets.context.len(), 250);
    }
}
