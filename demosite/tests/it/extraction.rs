//! Redflag's own extractor finds the planted phone numbers, foreign ones written with their country code
//! included, in the text of each ad page.

use crate::support::{html, site, text_of};
use redflag_core::extract::{EntityKind, ExtractOptions, extract};

#[test]
fn the_extractor_finds_the_planted_phones_in_almost_every_ad() {
    let (mut found, mut planted) = (0, 0);
    let (mut foreign_found, mut foreign) = (0, 0);
    let mut missed = Vec::new();
    for ad in site().truth() {
        if ad.phones.is_empty() {
            continue;
        }
        let text = text_of(&html(site(), &ad.path));
        let opts = ExtractOptions { default_country: Some(ad.country.clone()) };
        let got = extract(&text, &opts).values(EntityKind::Phone);
        for p in &ad.phones {
            let is_foreign = !p.starts_with(&format!("+{}", calling_code(&ad.country)));
            planted += 1;
            foreign += usize::from(is_foreign);
            if got.contains(p) {
                found += 1;
                foreign_found += usize::from(is_foreign);
            } else {
                missed.push(format!("{} ({}): {p}, extracted {got:?}", ad.path, ad.country));
            }
        }
    }
    assert!(planted > 300 && foreign > 100, "{planted} phones, {foreign} foreign");
    assert!(found * 100 >= planted * 95, "found {found} of {planted} phones; missed {missed:#?}");
    assert!(
        foreign_found * 100 >= foreign * 95,
        "found {foreign_found} of {foreign} foreign phones; missed {missed:#?}"
    );
}

/// The calling code of the ad countries of the site.
fn calling_code(country: &str) -> &'static str {
    match country {
        "US" => "1",
        "GB" => "44",
        "FR" => "33",
        "ES" => "34",
        "MX" => "52",
        "BR" => "55",
        "PT" => "351",
        "ID" => "62",
        other => panic!("unexpected country {other}"),
    }
}
