//! Prices in running text and in a dedicated price field.

use redflag_core::extract::EntityKind::Price as PriceKind;
use redflag_core::extract::{Price, parse_price, parse_price_in};

use crate::support::{check, check_all};

#[test]
fn currencies_before_and_after_the_amount() {
    check_all(
        PriceKind,
        None,
        &[
            ("$200", &["$200 => 200 USD"]),
            ("200$", &["200$ => 200 USD"]),
            ("200 USD", &["200 USD => 200 USD"]),
            ("€150", &["€150 => 150 EUR"]),
            ("150 euros", &["150 euros => 150 EUR"]),
            ("150€/h", &["150€/h => 150 EUR/hour"]),
            ("R$ 300", &["R$ 300 => 300 BRL"]),
            ("Rp 500.000", &["Rp 500.000 => 500000 IDR"]),
            ("Rp 5 juta", &["Rp 5 juta => 5000000 IDR"]),
            ("Rp5jt/bln", &["Rp5jt/bln => 5000000 IDR/month"]),
            ("Rp 150rb/jam", &["Rp 150rb/jam => 150000 IDR/hour"]),
            ("gaji Rp 200rb/hr", &["Rp 200rb/hr => 200000 IDR/day"]),
            ("2.500 € al mes", &["2.500 € al mes => 2500 EUR/month"]),
            ("$5,000/week", &["$5,000/week => 5000 USD/week"]),
            ("£100 an hour", &["£100 an hour => 100 GBP/hour"]),
            ("1 500 € par mois", &["1 500 € par mois => 1500 EUR/month"]),
            ("R$ 1.500,00 por mês", &["R$ 1.500,00 por mês => 1500 BRL/month"]),
            ("500 pesos la hora", &["500 pesos la hora => 500 MXN/hour"]),
            ("$15.50 per hour", &["$15.50 per hour => 15.50 USD/hour"]),
            ("$60k a year", &["$60k a year => 60000 USD/year"]),
            ("3 mil reais mensais", &["3 mil reais => 3000 BRL"]),
            ("US$ 2,000 monthly", &["US$ 2,000 monthly => 2000 USD/month"]),
            ("$300 per visit", &["$300 per visit => 300 USD/visit"]),
        ],
    );
}

#[test]
fn roses_are_dollars_in_disguise() {
    check(PriceKind, None, "200 roses for the hour", &["200 roses => 200 USD *"]);
    check(PriceKind, Some("CA"), "150 roses", &["150 roses => 150 CAD *"]);
}

#[test]
fn a_bare_dollar_is_the_local_dollar() {
    check(PriceKind, Some("CA"), "$200", &["$200 => 200 CAD"]);
    check(PriceKind, Some("MX"), "$500 la hora", &["$500 la hora => 500 MXN/hour"]);
}

#[test]
fn numbers_without_currency_are_not_prices() {
    check_all(
        PriceKind,
        Some("US"),
        &[("I am 22 years old", &[]), ("call 702-555-0148", &[]), ("200 for the hour", &[]), ("rooms 12, 14", &[])],
    );
}

fn price(amount: f64, currency: Option<&str>, per: Option<&str>) -> Price {
    Price { amount, currency: currency.map(str::to_string), per: per.map(str::to_string), max: None }
}

#[test]
fn parse_price_reads_a_price_field() {
    let cases: &[(&str, Option<Price>)] = &[
        ("$200/hr", Some(price(200.0, Some("USD"), Some("hour")))),
        ("2.500 € al mes", Some(price(2500.0, Some("EUR"), Some("month")))),
        ("Rp 5 juta per bulan", Some(price(5e6, Some("IDR"), Some("month")))),
        ("150 euros la hora", Some(price(150.0, Some("EUR"), Some("hour")))),
        ("200/hr", Some(price(200.0, None, Some("hour")))),
        ("200", Some(price(200.0, None, None))),
        ("negotiable", None),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(&parse_price(input), want, "{input:?}");
    }
    assert_eq!(parse_price_in("$200", Some("CA")), Some(price(200.0, Some("CAD"), None)));
}

fn range(amount: f64, max: f64, currency: Option<&str>, per: Option<&str>) -> Price {
    Price { max: Some(max), ..price(amount, currency, per) }
}

#[test]
fn ranges_keep_both_ends_and_the_period() {
    let cases: &[(&str, Price)] = &[
        ("$24 to $26/hr", range(24.0, 26.0, Some("USD"), Some("hour"))),
        ("$24 - $26 per hour", range(24.0, 26.0, Some("USD"), Some("hour"))),
        ("$24-26/hr", range(24.0, 26.0, Some("USD"), Some("hour"))),
        ("24-26 USD/hour", range(24.0, 26.0, Some("USD"), Some("hour"))),
        ("£28,000 - £32,000 a year", range(28_000.0, 32_000.0, Some("GBP"), Some("year"))),
        ("£28,000 – £32,000 per annum", range(28_000.0, 32_000.0, Some("GBP"), None)),
        ("de 1.200 a 1.500 € al mes", range(1200.0, 1500.0, Some("EUR"), Some("month"))),
        ("1 800 € à 2 200 € par mois", range(1800.0, 2200.0, Some("EUR"), Some("month"))),
        ("$200/hr", price(200.0, Some("USD"), Some("hour"))),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = parse_price(input);
        if got.as_ref() != Some(want) {
            failures.push(format!("{input:?}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Property: any range written `{cur}{lo} {sep} {cur}{hi}{period}` reads back with both ends.
#[test]
fn random_ranges_read_back() {
    let mut rng = crate::rng::Rng::new(3);
    for _ in 0..500 {
        let lo = rng.range(10, 5000);
        let hi = lo + rng.range(1, 3000);
        let sep = *rng.pick(&["-", " - ", " to ", "–", " – "]);
        let (per_text, per) =
            *rng.pick(&[("/hr", "hour"), (" per day", "day"), (" a week", "week"), ("/month", "month")]);
        let text = format!("${lo}{sep}${hi}{per_text}");
        assert_eq!(parse_price(&text), Some(range(lo as f64, hi as f64, Some("USD"), Some(per))), "{text:?}");
    }
}
