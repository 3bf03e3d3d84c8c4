//! Phone numbers: plain formats, every obfuscation in five languages, and what is not a phone.

use redflag_core::extract::EntityKind::Phone;

use redflag_core::extract::EntityKind;

use crate::rng::Rng;
use crate::support::{check, check_all, run};

#[test]
fn plain_formats_are_not_obfuscated() {
    check_all(
        Phone,
        Some("US"),
        &[
            ("Call (702) 555-0148 tonight", &["(702) 555-0148 => +17025550148"]),
            ("call 702-555-0148", &["702-555-0148 => +17025550148"]),
            ("702.555.0148 anytime", &["702.555.0148 => +17025550148"]),
            ("text 702 555 0148", &["702 555 0148 => +17025550148"]),
            ("+1 702 555 0148", &["+1 702 555 0148 => +17025550148"]),
            ("1-702-555-0148", &["1-702-555-0148 => +17025550148"]),
            ("+17025550148", &["+17025550148 => +17025550148"]),
            ("UK: +44 7700 900123", &["+44 7700 900123 => +447700900123"]),
            ("UK: 0044 7700 900123", &["0044 7700 900123 => +447700900123"]),
            ("London +44 20 7946 0123", &["+44 20 7946 0123 => +442079460123"]),
            ("tel:+17025550148", &["+17025550148 => +17025550148"]),
        ],
    );
}

#[test]
fn national_formats_follow_the_default_country() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("MX", "llámame al 55 1234 5678", &["55 1234 5678 => +525512345678"]),
        ("ES", "llama al 612 34 56 78", &["612 34 56 78 => +34612345678"]),
        ("FR", "appelle-moi au 06 12 34 56 78", &["06 12 34 56 78 => +33612345678"]),
        ("BR", "liga (11) 98765-4321", &["(11) 98765-4321 => +5511987654321"]),
        ("PT", "ligue 912 345 678", &["912 345 678 => +351912345678"]),
        ("ID", "hubungi 0812-1234-5678", &["0812-1234-5678 => +6281212345678"]),
        ("GB", "call 07700 900123", &["07700 900123 => +447700900123"]),
    ];
    for (country, input, expected) in cases {
        check(Phone, Some(country), input, expected);
    }
}

#[test]
fn a_national_number_needs_a_default_country_or_a_phone_word() {
    check(Phone, None, "702-555-0148", &[]);
    check(Phone, None, "+1 702-555-0148", &["+1 702-555-0148 => +17025550148"]);
    check(Phone, None, "call 1 702 555 0148", &["1 702 555 0148 => +17025550148"]);
    check(Phone, None, "call 44 7700 900123", &["44 7700 900123 => +447700900123"]);
    // With a default country, an international number needs its `+` or `00`.
    check(Phone, Some("US"), "call 44 7700 900123", &[]);
}

#[test]
fn spelled_digits_in_english() {
    check_all(
        Phone,
        Some("US"),
        &[
            (
                "call seven zero two five five five zero one four eight",
                &["seven zero two five five five zero one four eight => +17025550148 *"],
            ),
            ("seven 0 two 555 zero one 4 8", &["seven 0 two 555 zero one 4 8 => +17025550148 *"]),
            ("SEVEN oh TWO 555 O1 four 8", &["SEVEN oh TWO 555 O1 four 8 => +17025550148 *"]),
            (
                "seven oh two double five five oh one four eight",
                &["seven oh two double five five oh one four eight => +17025550148 *"],
            ),
            ("one 702 555 0148", &["one 702 555 0148 => +17025550148 *"]),
        ],
    );
}

#[test]
fn spelled_digits_in_spanish_french_portuguese_and_indonesian() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "MX",
            "whatsapp cinco cinco uno dos tres cuatro cinco seis siete ocho",
            &["cinco cinco uno dos tres cuatro cinco seis siete ocho => +525512345678 *"],
        ),
        ("ES", "seis 1 dos 34 cinco seis siete ocho", &["seis 1 dos 34 cinco seis siete ocho => +34612345678 *"]),
        (
            "FR",
            "zéro six un deux trois quatre cinq six sept huit",
            &["zéro six un deux trois quatre cinq six sept huit => +33612345678 *"],
        ),
        (
            "BR",
            "um um nove oito sete meia cinco quatro três dois um",
            &["um um nove oito sete meia cinco quatro três dois um => +5511987654321 *"],
        ),
        ("PT", "nove um dois 345 seis sete oito", &["nove um dois 345 seis sete oito => +351912345678 *"]),
        (
            "ID",
            "nol delapan satu dua satu dua tiga empat lima enam tujuh delapan",
            &["nol delapan satu dua satu dua tiga empat lima enam tujuh delapan => +6281212345678 *"],
        ),
        ("ID", "WA kosong 812 1234 lima enam 78", &["kosong 812 1234 lima enam 78 => +6281212345678 *"]),
    ];
    for (country, input, expected) in cases {
        check(Phone, Some(country), input, expected);
    }
}

#[test]
fn lookalike_letters_separators_and_spacing() {
    check_all(
        Phone,
        Some("US"),
        &[
            ("7O2 555 Ol48", &["7O2 555 Ol48 => +17025550148 *"]),
            ("7o2-555-0I48", &["7o2-555-0I48 => +17025550148 *"]),
            ("702 555 0|48", &["702 555 0|48 => +17025550148 *"]),
            ("702*555*0148", &["702*555*0148 => +17025550148 *"]),
            ("702~555~0148", &["702~555~0148 => +17025550148 *"]),
            ("702^555^0148", &["702^555^0148 => +17025550148 *"]),
            ("702_555_0148", &["702_555_0148 => +17025550148 *"]),
            ("702/555/0148", &["702/555/0148 => +17025550148 *"]),
            ("702|555|0148", &["702|555|0148 => +17025550148 *"]),
            ("702 . 555 . 0148", &["702 . 555 . 0148 => +17025550148 *"]),
            ("702  555  0148", &["702  555  0148 => +17025550148 *"]),
            ("7 0 2 5 5 5 0 1 4 8", &["7 0 2 5 5 5 0 1 4 8 => +17025550148 *"]),
            ("7-0-2-5-5-5-0-1-4-8", &["7-0-2-5-5-5-0-1-4-8 => +17025550148 *"]),
            ("7.0.2.5.5.5.0.1.4.8", &["7.0.2.5.5.5.0.1.4.8 => +17025550148 *"]),
            ("７０２５５５０１４８", &["７０２５５５０１４８ => +17025550148 *"]),
            ("７０２-５５５-０１４８", &["７０２-５５５-０１４８ => +17025550148 *"]),
            ("7️⃣0️⃣2️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣8️⃣", &["7️⃣0️⃣2️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣8️⃣ => +17025550148 *"]),
            ("702\u{200B}555\u{200B}0148", &["702\u{200B}555\u{200B}0148 => +17025550148 *"]),
            ("(𝟕𝟎𝟐) 𝟓𝟓𝟓-𝟎𝟏𝟒𝟖", &["(𝟕𝟎𝟐) 𝟓𝟓𝟓-𝟎𝟏𝟒𝟖 => +17025550148 *"]),
        ],
    );
}

#[test]
fn several_numbers_on_one_line_are_split() {
    check(
        Phone,
        Some("US"),
        "702-555-0148 / 702-555-0199",
        &["702-555-0148 => +17025550148", "702-555-0199 => +17025550199"],
    );
    check(
        Phone,
        Some("US"),
        "call 702 555 0148 or 7 0 2 5 5 5 0 1 9 9",
        &["702 555 0148 => +17025550148", "7 0 2 5 5 5 0 1 9 9 => +17025550199 *"],
    );
    check(Phone, Some("US"), "I'm 22 702 555 0148", &["702 555 0148 => +17025550148"]);
}

#[test]
fn whatsapp_links_give_international_numbers() {
    check_all(
        Phone,
        Some("FR"),
        &[
            ("wa.me/17025550148", &["17025550148 => +17025550148"]),
            ("https://wa.me/+447700900123?text=hi", &["447700900123 => +447700900123"]),
            ("https://api.whatsapp.com/send?phone=5511987654321", &["5511987654321 => +5511987654321"]),
        ],
    );
}

#[test]
fn things_that_are_not_phone_numbers() {
    check_all(
        Phone,
        Some("US"),
        &[
            ("$200 for the hour", &[]),
            ("posted 2024-05-01 at 10:30", &[]),
            ("posted 2025-05-29 13:45", &[]),
            ("posted 2025-05-29 1345 by admin", &[]),
            ("updated 29/05/2025 13 45", &[]),
            ("available 05/01/2024", &[]),
            ("I am 22 years old", &[]),
            ("Las Vegas, NV 89109-1234", &[]),
            ("see https://example.com/ads/7025550148123 now", &[]),
            ("www.example.com/view?id=7025550148", &[]),
            ("ref 7025550148", &[]),
            ("order #7025550148, call me", &[]),
            ("rates 150 200 300 400", &[]),
            ("$5,000/week", &[]),
            ("jane7025550148@example.com", &[]),
            ("7025550148 USD", &[]),
            ("10.30-11.30", &[]),
            ("555-0148", &[]),
        ],
    );
    check(Phone, Some("ID"), "gaji Rp 5.000.000 per bulan", &[]);
    check(Phone, Some("FR"), "1 500 000 €", &[]);
}

#[test]
fn rate_lists_and_counting_are_not_phone_numbers() {
    for country in ["US", "GB", "ES", "MX", "FR", "BR", "PT", "ID"] {
        check_all(
            Phone,
            Some(country),
            &[
                ("Rates: 100/200/300/500 call me", &[]),
                ("rates 150 200 300 400 500, call", &[]),
                ("open 24/7, 10 20 30 40 50 60, call", &[]),
                ("call 1 2 3 4 5 6 7 8 9 10", &[]),
                ("Rp 100.000 200.000 300.000 wa", &[]),
                ("34-24-36, call", &[]),
            ],
        );
    }
    check(
        Phone,
        Some("ID"),
        "hp 0812 3456 7890 / 0856 1234 5678",
        &["0812 3456 7890 => +6281234567890", "0856 1234 5678 => +6285612345678"],
    );
}

#[test]
fn international_numbers_that_keep_the_trunk_zero() {
    check_all(
        Phone,
        None,
        &[
            ("call +44 (0)20 7946 0123", &["+44 (0)20 7946 0123 => +442079460123"]),
            ("+44 (0) 7700 900123", &["+44 (0) 7700 900123 => +447700900123"]),
            ("0044 (0)20 7946 0123", &["0044 (0)20 7946 0123 => +442079460123"]),
            ("0044 20 7946 0123", &["0044 20 7946 0123 => +442079460123"]),
            ("+33 (0)6 12 34 56 78", &["+33 (0)6 12 34 56 78 => +33612345678"]),
            ("tel: +33 6 12 34 56 78", &["+33 6 12 34 56 78 => +33612345678"]),
        ],
    );
}

#[test]
fn national_formats_of_other_countries() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("GB", "ring 020 7946 0123", &["020 7946 0123 => +442079460123"]),
        ("GB", "call (020) 7946 0123", &["(020) 7946 0123 => +442079460123"]),
        ("GB", "tel: 02079460123", &["02079460123 => +442079460123"]),
        ("GB", "mobile 07700 900 123", &["07700 900 123 => +447700900123"]),
        ("FR", "appelez le 06 12 34 56 78", &["06 12 34 56 78 => +33612345678"]),
        ("FR", "tél. 01.99.00.12.34", &["01.99.00.12.34 => +33199001234"]),
        ("FR", "tel: 0612345678", &["0612345678 => +33612345678"]),
        ("US", "tel: (702) 555-0148", &["(702) 555-0148 => +17025550148"]),
    ];
    for (country, input, expected) in cases {
        check(Phone, Some(country), input, expected);
    }
}

/// Property: a random UK, French or US number, written in any of its usual forms, reads back to its
/// E.164 form when the ad's country is known, and its international forms read without it.
#[test]
fn random_numbers_in_every_form_read_back() {
    use crate::rng::Rng;
    use redflag_core::extract::{EntityKind, ExtractOptions, extract};
    let mut rng = Rng::new(11);
    let mut failures = Vec::new();
    for _ in 0..600 {
        let (country, e164, forms): (&str, String, Vec<String>) = match rng.range(0, 3) {
            0 => {
                // Ofcom drama numbers: London 020 7946 0xxx and mobiles 07700 900xxx.
                let (area, rest) = if rng.range(0, 2) == 0 {
                    ("20", format!("7946{:04}", rng.range(0, 1000)))
                } else {
                    ("7700", format!("900{:03}", rng.range(0, 1000)))
                };
                let national = format!("0{area}{rest}");
                let spaced = if area == "20" {
                    format!("020 {} {}", &rest[..4], &rest[4..])
                } else {
                    format!("07700 {}", &rest)
                };
                let forms = vec![
                    spaced.clone(),
                    national.clone(),
                    format!("+44 {}", &spaced[1..]),
                    format!("+44 (0){}", &spaced[1..]),
                    format!("0044 {}", &spaced[1..]),
                    format!("tel: {national}"),
                ];
                ("GB", format!("+44{area}{rest}"), forms)
            }
            1 => {
                // ARCEP fiction blocks: 01 99 00 xx xx, 02 61 91 xx xx and the mobile 06 39 98 xx xx.
                let (head, block) = *rng.pick(&[("1", "9900"), ("2", "6191"), ("6", "3998")]);
                let tail = format!("{:04}", rng.range(0, 10_000));
                let digits = format!("{head}{block}{tail}");
                let pairs = format!("0{head} {} {} {} {}", &block[..2], &block[2..], &tail[..2], &tail[2..]);
                let forms = vec![
                    pairs.clone(),
                    pairs.replace(' ', "."),
                    format!("0{digits}"),
                    format!("+33 {}", &pairs[1..]),
                    format!("+33 (0){}", &pairs[1..]),
                    format!("0033 {}", &pairs[1..]),
                ];
                ("FR", format!("+33{digits}"), forms)
            }
            _ => {
                let area = rng.pick(&["702", "213", "312", "415", "617"]).to_string();
                let line = format!("01{:02}", rng.range(0, 100));
                let forms = vec![
                    format!("({area}) 555-{line}"),
                    format!("{area}-555-{line}"),
                    format!("{area}.555.{line}"),
                    format!("+1 {area} 555 {line}"),
                    format!("tel: {area}555{line}"),
                ];
                ("US", format!("+1{area}555{line}"), forms)
            }
        };
        for form in &forms {
            let text = format!("Call me on {form} after six.");
            let opts = ExtractOptions { default_country: Some(country.to_string()) };
            let got: Vec<String> = extract(&text, &opts).values(EntityKind::Phone);
            if got != [e164.clone()] {
                failures.push(format!("{country} {form:?}: got {got:?}, want {e164}"));
            }
            if form.starts_with('+') || form.starts_with("00") {
                let got = extract(&text, &ExtractOptions::default()).values(EntityKind::Phone);
                if got != [e164.clone()] {
                    failures.push(format!("no country {form:?}: got {got:?}, want {e164}"));
                }
            }
        }
    }
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The phone values extracted from `text` for `country`.
fn phones(text: &str, country: &str) -> Vec<String> {
    run(text, Some(country)).entities.into_iter().filter(|e| e.kind == EntityKind::Phone).map(|e| e.value).collect()
}

/// French two-digit groups in words, 10 to 99.
fn french_pair(n: u64) -> String {
    const UNITS: [&str; 10] = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"];
    const TEENS: [&str; 10] =
        ["dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"];
    const TENS: [&str; 7] = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];
    match n {
        0..=9 => format!("zéro {}", UNITS[n as usize]),
        10..=19 => TEENS[(n - 10) as usize].to_string(),
        20..=69 if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        20..=69 if n % 10 == 1 => format!("{} et un", TENS[(n / 10) as usize]),
        20..=69 => format!("{}-{}", TENS[(n / 10) as usize], UNITS[(n % 10) as usize]),
        70 => "soixante-dix".into(),
        71 => "soixante et onze".into(),
        72..=79 => format!("soixante-{}", TEENS[(n - 70) as usize]),
        80 => "quatre-vingts".into(),
        81..=89 => format!("quatre-vingt-{}", UNITS[(n - 80) as usize]),
        _ => format!("quatre-vingt-{}", TEENS[(n - 90) as usize]),
    }
}

#[test]
fn french_numbers_dictated_in_tens_read_back() {
    assert_eq!(
        phones("Appelez ou WhatsApp : zéro six trente-neuf quatre-vingt-dix-huit quarante-quatre dix", "FR"),
        ["+33639984410"]
    );
    assert_eq!(
        phones("Rendez-vous au zéro six - trente-neuf - quatre-vingt-dix-huit - douze - cinquante-sept", "FR"),
        ["+33639981257"]
    );
    let mut rng = Rng::new(29);
    for _ in 0..300 {
        let (a, b) = (rng.range(0, 100), rng.range(0, 100));
        // (A bare `-` between groups is ambiguous in French: `soixante-dix-sept` is 77, not 60 and 17.)
        let sep = *rng.pick(&[" ", " - ", " . "]);
        let words = ["zéro six".to_string(), french_pair(39), french_pair(98), french_pair(a), french_pair(b)];
        let text = format!("Appelle-moi au {}", words.join(sep));
        let want = format!("+33639 98{a:02}{b:02}").replace(' ', "");
        let got = run(&text, Some("FR"));
        let phones: Vec<&str> =
            got.entities.iter().filter(|e| e.kind == EntityKind::Phone).map(|e| e.value.as_str()).collect();
        assert_eq!(phones, [want.as_str()], "{text}");
    }
}

#[test]
fn a_number_dictated_in_two_parts_is_read() {
    assert_eq!(phones("Call 213 (then) 555-0162 after six.", "US"), ["+12135550162"]);
    assert_eq!(phones("Appelez le 06 39 puis 98 12 34.", "FR"), ["+33639981234"]);
    assert!(phones("Rooms 12 then 14 and 16.", "US").is_empty());
}

#[test]
fn labelled_identifiers_are_not_phone_numbers() {
    // Each number is a valid phone number of its country when written after "Tel:".
    let numbers = [
        ("US", "702 555 0148"),
        ("US", "7025550148"),
        ("GB", "020 7946 0123"),
        ("GB", "07700 900123"),
        ("FR", "06 39 98 12 34"),
        ("FR", "0639981234"),
    ];
    let labels = [
        "SIRET : ",
        "SIREN ",
        "VAT reg. no. GB ",
        "TVA intracommunautaire FR ",
        "Company No. ",
        "Company number: ",
        "Registered no. ",
        "Registration number ",
        "Licence no. ",
        "License #",
        "Ref: ",
        "Reference ",
        "Job reference: ",
        "Job ID ",
        "Req ID ",
        "Postcode ",
        "RCS ",
        "ABN 78 ",
    ];
    let mut rng = Rng::new(41);
    for _ in 0..300 {
        let &(country, number) = rng.pick(&numbers);
        let label = rng.pick(&labels);
        let text = format!("Warehouse role, weekly pay. {label}{number}. Apply online.");
        let got = run(&text, Some(country));
        assert!(got.entities.iter().all(|e| e.kind != EntityKind::Phone), "{text}: {:?}", got.entities);
        let text = format!("Warehouse role, weekly pay. {label}12345. Tel: {number}.");
        let got = run(&text, Some(country));
        assert_eq!(got.entities.iter().filter(|e| e.kind == EntityKind::Phone).count(), 1, "{text}");
    }
}
