//! Generation: determinism, size, odd configs, languages and the explicit-words deny-list.

use crate::support::{site, text_of};
use redflag_demosite::{DemoConfig, DemoSite, TruthAd};
use std::time::Instant;

fn assert_same(a: &DemoSite, b: &DemoSite) {
    assert_eq!(a.paths(), b.paths());
    for p in a.paths() {
        assert_eq!(a.page(p), b.page(p), "{p} differs between two generations");
    }
    assert_eq!(a.truth(), b.truth());
}

#[test]
fn same_config_gives_a_byte_identical_site() {
    let again = DemoSite::generate(&DemoConfig::default());
    assert_same(site(), &again);
}

#[test]
fn another_seed_gives_another_site() {
    let other = DemoSite::generate(&DemoConfig { seed: 8, ..DemoConfig::default() });
    assert_ne!(site().truth(), other.truth());
    assert_ne!(site().page("/").map(|p| &p.body), other.page("/").map(|p| &p.body));
}

#[test]
fn ground_truth_json_is_the_truth() {
    let page = site().page("/ground-truth.json").expect("served");
    assert_eq!(page.content_type, "application/json");
    let parsed: Vec<TruthAd> = serde_json::from_str(&page.body).expect("valid JSON");
    assert_eq!(parsed, site().truth());
    assert_eq!(parsed.len(), 600);
}

#[test]
fn benchmark_size_site_has_enough_pages_and_generates_fast() {
    let config = DemoConfig { seed: 7, escort_ads: 2800, job_ads: 2800, per_page: 20 };
    let started = Instant::now();
    let big = DemoSite::generate(&config);
    let took = started.elapsed();
    eprintln!("generated {} pages for 5,600 ads in {took:?}", big.paths().len());
    assert!(big.paths().len() >= 3000, "{} pages", big.paths().len());
    assert_eq!(big.truth().len(), 5600);
    // Generous for an unoptimised test build on a loaded machine; release builds take well under a second.
    assert!(took.as_secs() < 60, "generation took {took:?}");
    // Every number is still valid and fictional, and only networks share contacts at this size.
    crate::truth::check_phones(&big);
    crate::truth::check_only_networks_share_contacts(big.truth());
}

#[test]
fn ten_thousand_ads_per_board_keep_every_number_fictional_and_unshared() {
    let config = DemoConfig { seed: 11, escort_ads: 10_000, job_ads: 10_000, per_page: 50 };
    let big = DemoSite::generate(&config);
    assert_eq!(big.truth().len(), 20_000);
    let phones: std::collections::BTreeSet<&str> =
        big.truth().iter().flat_map(|a| a.phones.iter().map(String::as_str)).collect();
    assert!(phones.len() < redflag_demosite::phone_capacity(), "{} numbers", phones.len());
    crate::truth::check_phones(&big);
    crate::truth::check_only_networks_share_contacts(big.truth());
}

#[test]
fn tiny_and_degenerate_configs_still_make_a_site() {
    for (escort_ads, job_ads, per_page) in [(0, 0, 0), (1, 1, 1), (5, 7, 3), (39, 41, 20), (120, 0, 500)] {
        let config = DemoConfig { seed: 3, escort_ads, job_ads, per_page };
        let s = DemoSite::generate(&config);
        assert_eq!(s.truth().len(), escort_ads + job_ads, "{config:?}");
        for path in ["/", "/escorts/", "/jobs/", "/robots.txt", "/sitemap.xml", "/ground-truth.json"] {
            assert!(s.page(path).is_some(), "{config:?}: {path}");
        }
        for ad in s.truth() {
            assert!(s.page(&ad.path).is_some(), "{config:?}: {}", ad.path);
        }
    }
}

#[test]
fn all_five_languages_with_english_the_largest() {
    for kind in ["escort", "job"] {
        let ads: Vec<&TruthAd> = site().truth().iter().filter(|a| a.kind.as_str() == kind).collect();
        let count = |lang: &str| ads.iter().filter(|a| a.language == lang).count();
        for lang in ["en", "es", "fr", "pt", "id"] {
            assert!(count(lang) >= 10, "{kind}: only {} ads in {lang}", count(lang));
        }
        assert!(count("en") * 10 >= ads.len() * 4, "{kind}: English is {} of {}", count("en"), ads.len());
    }
}

/// Words that must never appear anywhere on the site: explicit terms in the five languages, and terms
/// that sexualise minors.
const DENY: &[&str] = &[
    "sex",
    "sexy",
    "sexual",
    "sexo",
    "seks",
    "sexe",
    "nude",
    "naked",
    "nue",
    "desnuda",
    "pelada",
    "telanjang",
    "bugil",
    "porn",
    "porno",
    "erotic",
    "erotica",
    "erótico",
    "orgasm",
    "oral",
    "anal",
    "blowjob",
    "fetish",
    "bdsm",
    "xxx",
    "horny",
    "gfe",
    "pse",
    "bbbj",
    "intercourse",
    "teen",
    "teens",
    "underage",
    "schoolgirl",
    "lolita",
    "virgin",
    "virgen",
    "vierge",
    "virgem",
    "perawan",
    "barely",
];

#[test]
fn no_page_contains_a_denied_word() {
    for path in site().paths() {
        let page = site().page(path).expect("listed path serves");
        let text = if page.content_type.starts_with("text/html") { text_of(&page.body) } else { page.body.clone() };
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let w = word.to_lowercase();
            assert!(!DENY.contains(&w.as_str()), "{path} contains denied word {word:?}");
        }
    }
}
