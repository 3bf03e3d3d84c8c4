//! Posting dates: every written form reads back to the same instant (a property over random dates),
//! relative forms count back from the fetch time, and day-month order follows the page's convention.

use redflag_core::time::{DateOrder, days_from_civil, parse_posted, rfc3339};

use crate::rng::Rng;

const FETCHED: i64 = 1_751_000_000_000; // 2025-06-27T04:53:20Z
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn at(y: i64, m: i64, d: i64, h: i64, mi: i64) -> i64 {
    days_from_civil(y, m, d).unwrap() * DAY + h * HOUR + mi * 60_000
}

#[test]
fn every_written_form_reads_back() {
    let cases: &[(&str, DateOrder, i64)] = &[
        ("2025-06-26", DateOrder::MonthFirst, at(2025, 6, 26, 0, 0)),
        ("2025-06-26T14:30:00Z", DateOrder::MonthFirst, at(2025, 6, 26, 14, 30)),
        ("2025-06-26T14:30:00+02:00", DateOrder::MonthFirst, at(2025, 6, 26, 12, 30)),
        ("Posted 2025-06-26 14:30", DateOrder::MonthFirst, at(2025, 6, 26, 14, 30)),
        ("26/06/2025 14:30", DateOrder::DayFirst, at(2025, 6, 26, 14, 30)),
        ("06/26/2025", DateOrder::MonthFirst, at(2025, 6, 26, 0, 0)),
        ("05/06/2025", DateOrder::DayFirst, at(2025, 6, 5, 0, 0)),
        ("05/06/2025", DateOrder::MonthFirst, at(2025, 5, 6, 0, 0)),
        ("26/06/2025", DateOrder::MonthFirst, at(2025, 6, 26, 0, 0)),
        ("26.06.2025", DateOrder::DayFirst, at(2025, 6, 26, 0, 0)),
        ("June 26, 2025", DateOrder::MonthFirst, at(2025, 6, 26, 0, 0)),
        ("Jun 26, 2025 3:05 pm", DateOrder::MonthFirst, at(2025, 6, 26, 15, 5)),
        ("26 June 2025", DateOrder::DayFirst, at(2025, 6, 26, 0, 0)),
        ("2 mai 2025", DateOrder::DayFirst, at(2025, 5, 2, 0, 0)),
        ("le 2 mai 2025 à 14h30", DateOrder::DayFirst, at(2025, 5, 2, 14, 30)),
        ("2 de mayo de 2025", DateOrder::DayFirst, at(2025, 5, 2, 0, 0)),
        ("2 de maio de 2025", DateOrder::DayFirst, at(2025, 5, 2, 0, 0)),
        ("2 Mei 2025", DateOrder::DayFirst, at(2025, 5, 2, 0, 0)),
        ("3. März 2025", DateOrder::DayFirst, at(2025, 3, 3, 0, 0)),
        ("1er janvier 2025", DateOrder::DayFirst, at(2025, 1, 1, 0, 0)),
        ("June 20", DateOrder::MonthFirst, at(2025, 6, 20, 0, 0)),
        ("December 30", DateOrder::MonthFirst, at(2024, 12, 30, 0, 0)),
    ];
    let mut failures = Vec::new();
    for (text, order, want) in cases {
        let got = parse_posted(text, FETCHED, *order);
        if got != Some(*want) {
            failures.push(format!("{text:?}: got {:?}, want {}", got.map(rfc3339), rfc3339(*want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn relative_forms_count_back_from_the_fetch() {
    let cases: &[(&str, i64)] = &[
        ("3 hours ago", 3 * HOUR),
        ("an hour ago", HOUR),
        ("Posted 45 minutes ago", 45 * 60_000),
        ("2 days ago", 2 * DAY),
        ("1 week ago", 7 * DAY),
        ("yesterday", DAY),
        ("Today", 0),
        ("just now", 0),
        ("il y a 3 heures", 3 * HOUR),
        ("il y a 2 jours", 2 * DAY),
        ("hace 3 días", 3 * DAY),
        ("há 2 horas", 2 * HOUR),
        ("3 jam yang lalu", 3 * HOUR),
        ("2 hari yang lalu", 2 * DAY),
        ("vor 2 Tagen", 2 * DAY),
        ("ayer", DAY),
    ];
    for (text, back) in cases {
        assert_eq!(parse_posted(text, FETCHED, DateOrder::DayFirst), Some(FETCHED - back), "{text:?}");
    }
}

#[test]
fn unreadable_dates_are_none() {
    for text in ["", "soon", "31/02/2025", "2025-13-01", "call 702-555-0148", "99 bottles"] {
        assert_eq!(parse_posted(text, FETCHED, DateOrder::DayFirst), None, "{text:?}");
    }
}

#[test]
fn date_order_follows_country_then_language() {
    assert_eq!(DateOrder::of(Some("US"), Some("es")), DateOrder::MonthFirst);
    assert_eq!(DateOrder::of(Some("GB"), Some("en")), DateOrder::DayFirst);
    assert_eq!(DateOrder::of(None, Some("en")), DateOrder::MonthFirst);
    assert_eq!(DateOrder::of(None, Some("fr")), DateOrder::DayFirst);
}

/// Property: any date from 2000 to 2030, written in any supported form, reads back to itself.
#[test]
fn random_dates_round_trip_through_every_form() {
    let mut rng = Rng::new(7);
    let months = [
        ["January", "janvier", "enero", "janeiro", "Januari"],
        ["February", "février", "febrero", "fevereiro", "Februari"],
        ["March", "mars", "marzo", "março", "Maret"],
        ["April", "avril", "abril", "abril", "April"],
        ["May", "mai", "mayo", "maio", "Mei"],
        ["June", "juin", "junio", "junho", "Juni"],
        ["July", "juillet", "julio", "julho", "Juli"],
        ["August", "août", "agosto", "agosto", "Agustus"],
        ["September", "septembre", "septiembre", "setembro", "September"],
        ["October", "octobre", "octubre", "outubro", "Oktober"],
        ["November", "novembre", "noviembre", "novembro", "November"],
        ["December", "décembre", "diciembre", "dezembro", "Desember"],
    ];
    for _ in 0..2000 {
        let (y, m) = (rng.range(2000, 2031) as i64, rng.range(1, 13) as i64);
        let d = rng.range(1, 29) as i64;
        let (h, mi) = (rng.range(0, 24) as i64, rng.range(0, 60) as i64);
        let day = at(y, m, d, 0, 0);
        let timed = at(y, m, d, h, mi);
        let names = &months[(m - 1) as usize];
        let forms: Vec<(String, DateOrder, i64)> = vec![
            (format!("{y}-{m:02}-{d:02}"), DateOrder::MonthFirst, day),
            (format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:00Z"), DateOrder::DayFirst, timed),
            (format!("{d:02}/{m:02}/{y} {h:02}:{mi:02}"), DateOrder::DayFirst, timed),
            (format!("{m:02}/{d:02}/{y}"), DateOrder::MonthFirst, day),
            (format!("{d}.{m}.{y}"), DateOrder::DayFirst, day),
            (format!("{} {d}, {y}", names[0]), DateOrder::MonthFirst, day),
            (format!("{d} {} {y}", names[1]), DateOrder::DayFirst, day),
            (format!("{d} de {} de {y}", names[2]), DateOrder::DayFirst, day),
            (format!("{d} de {} de {y}", names[3]), DateOrder::DayFirst, day),
            (format!("{d} {} {y}", names[4]), DateOrder::DayFirst, day),
        ];
        for (text, order, want) in forms {
            assert_eq!(parse_posted(&text, FETCHED, order).map(rfc3339), Some(rfc3339(want)), "{text:?}");
        }
    }
}
