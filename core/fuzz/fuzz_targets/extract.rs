//! Fuzzes entity extraction, price parsing, language detection and linking on arbitrary input.
//!
//! Checks the invariants every caller relies on: no panic, spans inside the text and on character
//! boundaries, `raw` equal to the spanned text, entities sorted, every ad given a cluster and context.

#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_core::extract::{ExtractOptions, extract, parse_price};
use redflag_core::lang;
use redflag_core::link::{LinkInput, LinkOptions, link};

const COUNTRIES: &[Option<&str>] =
    &[None, Some("US"), Some("GB"), Some("ES"), Some("MX"), Some("FR"), Some("BR"), Some("PT"), Some("ID")];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let country = COUNTRIES[usize::from(selector) % COUNTRIES.len()];
    let opts = ExtractOptions { default_country: country.map(str::to_string) };

    let out = extract(&text, &opts);
    let mut last_start = 0;
    for e in &out.entities {
        assert!(e.start <= e.end && e.end <= text.len());
        assert_eq!(&text[e.start..e.end], e.raw);
        assert!(e.start >= last_start);
        last_start = e.start;
    }
    let _ = parse_price(&text);
    let _ = lang::detect(&text);

    // Split the input into a few ads; contacts come from what extraction found in each.
    let parts: Vec<&str> = text.split('\u{1}').take(16).collect();
    let contacts: Vec<Vec<String>> = parts
        .iter()
        .map(|p| extract(p, &opts).entities.iter().map(|e| format!("{}:{}", e.kind.as_str(), e.value)).collect())
        .collect();
    let inputs: Vec<LinkInput<'_>> = parts
        .iter()
        .zip(&contacts)
        .enumerate()
        .map(|(i, (p, c))| LinkInput { ad_id: (i % 7) as i64, contacts: c.clone(), text: p, city: p.get(..8) })
        .collect();
    let similarity = f32::from(selector) / 255.0;
    let nets = link(&inputs, &LinkOptions { template_similarity: similarity, ..LinkOptions::default() });
    for input in &inputs {
        assert!(nets.cluster_of.contains_key(&input.ad_id));
        assert!(nets.context.contains_key(&input.ad_id));
    }
});
