//! Timestamps: Redflag keeps times as milliseconds since the Unix epoch (UTC) and shows them as RFC 3339.
//!
//! [`parse_posted`] reads the posting dates that ad pages print, in the forms boards use:
//!
//! | form | examples |
//! |---|---|
//! | ISO 8601 / RFC 3339 | `2025-06-26`, `2025-06-26T14:30:00Z`, `2025-06-26 14:30`, `Posted 2025-06-26 14:30`, `2025-06-26T14:30:00+02:00` |
//! | numeric, day or month first by the page's convention | `26/06/2025`, `06/26/2025`, `26.06.2025 14:30`, `26-06-25` |
//! | month names (English, French, Spanish, Portuguese, Indonesian, German, Italian; full or abbreviated) | `June 26, 2025`, `26 June 2025`, `Jun 26`, `2 mai 2025`, `2 de mayo de 2025`, `2 de maio de 2025`, `2 Mei 2025`, `3. März 2025` |
//! | relative to the fetch time | `3 hours ago`, `an hour ago`, `yesterday`, `today`, `just now`, `il y a 2 jours`, `hace 3 días`, `há 2 horas`, `3 jam yang lalu`, `vor 2 Tagen` |
//!
//! A numeric date whose first number is over 12 is day-first whatever the convention; one whose second
//! number is over 12 is month-first. A date without a year takes the fetch year (the year before when
//! that would put it after the fetch). A date without a time is midnight UTC; times are read as UTC
//! unless an offset is written. Anything else yields `None`: the caller keeps the raw text.

use regex::Regex;
use std::sync::LazyLock;

use crate::text::fold;

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// Formats milliseconds since the Unix epoch as RFC 3339 UTC, e.g. `2026-11-25T20:53:07Z`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", sod / 3600, sod % 3600 / 60, sod % 60)
}

/// How a page writes numeric dates such as `01/02/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `dd/mm/yyyy`: most of the world.
    DayFirst,
    /// `mm/dd/yyyy`: the United States and a few others.
    MonthFirst,
}

impl DateOrder {
    /// The convention of a country (ISO 3166-1 alpha-2), else of a language (ISO 639-1): month first in
    /// the US, the Philippines, Belize and the Federated States of Micronesia, and for English pages of
    /// no known country; day first elsewhere.
    pub fn of(country: Option<&str>, language: Option<&str>) -> DateOrder {
        match (country.map(str::to_ascii_uppercase).as_deref(), language) {
            (Some("US" | "PH" | "BZ" | "FM"), _) => DateOrder::MonthFirst,
            (Some(_), _) => DateOrder::DayFirst,
            (None, Some("en") | None) => DateOrder::MonthFirst,
            (None, Some(_)) => DateOrder::DayFirst,
        }
    }
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Reads a posting date as pages print it (see the module documentation), relative forms against
/// `fetched_at` (ms since the epoch). Returns ms since the epoch, UTC.
pub fn parse_posted(text: &str, fetched_at: i64, order: DateOrder) -> Option<i64> {
    let t = fold(crate::text::truncate_bytes(text, 256));
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(ms) = iso(t) {
        return Some(ms);
    }
    if let Some(ms) = numeric(t, order) {
        return Some(ms);
    }
    if let Some(ms) = named_month(t, fetched_at) {
        return Some(ms);
    }
    relative(t, fetched_at)
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?:^|[^0-9])(\d{4})-(\d{1,2})-(\d{1,2})
          (?:[t\ ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\ ?(z|[+-]\d{2}:?\d{2})?)?(?:$|[^0-9])",
    )
    .expect("iso date pattern compiles")
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})(?:$|[^0-9])").expect("date pattern compiles")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])(\d{1,2})(?::|h|\.)(\d{2})(?::\d{2})?\ ?(am|pm|a\.m\.|p\.m\.)?(?:$|[^0-9])")
        .expect("time pattern compiles")
});

static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])(\d{1,2})(?:st|nd|rd|th|er|eme|o|º|\.)?\s+(?:de\s+)?([a-z]{3,10})\.?,?(?:\s+(?:de\s+)?(\d{4}))?",
    )
    .expect("date pattern compiles")
});

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^a-z])([a-z]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?:$|[^0-9])")
        .expect("date pattern compiles")
});

static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(\d+|an?|one|un|une|uno|una|um|uma|se|ein|eine|einem|einer)\s*
          (minutes?|mins?|m|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?
          |minutos?|horas?|dias?|semanas?|mes|meses|anos?
          |heures?|jours?|semaines?|mois|ans?
          |menit|jam|hari|minggu|bulan|tahun
          |minuten?|stunden?|tagen?|wochen?|monaten?|jahren?)(?:$|[^a-z])",
    )
    .expect("relative date pattern compiles")
});

fn iso(t: &str) -> Option<i64> {
    let c = ISO.captures(t)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok());
    let day = days_from_civil(n(1)?, n(2)?, n(3)?)?;
    let (h, mi, s) = (n(4).unwrap_or(0), n(5).unwrap_or(0), n(6).unwrap_or(0));
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let offset = match c.get(7).map(|m| m.as_str()) {
        None | Some("z") => 0,
        Some(o) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let digits: String = o.chars().filter(char::is_ascii_digit).collect();
            let (oh, om) = (digits[..2].parse::<i64>().ok()?, digits[2..].parse::<i64>().ok()?);
            sign * (oh * HOUR + om * MINUTE)
        }
    };
    Some(day * DAY + h * HOUR + mi * MINUTE + s * 1000 - offset)
}

fn numeric(t: &str, order: DateOrder) -> Option<i64> {
    let c = NUMERIC.captures(t)?;
    if c[2] != c[4] {
        return None;
    }
    let (a, b): (i64, i64) = (c[1].parse().ok()?, c[3].parse().ok()?);
    let mut year: i64 = c[5].parse().ok()?;
    if c[5].len() == 2 {
        year += 2000;
    }
    let (day, month) = match order {
        _ if a > 12 => (a, b),
        _ if b > 12 => (b, a),
        DateOrder::DayFirst => (a, b),
        DateOrder::MonthFirst => (b, a),
    };
    let days = days_from_civil(year, month, day)?;
    Some(days * DAY + time_of_day(&t[c.get(0)?.end()..]))
}

fn named_month(t: &str, fetched_at: i64) -> Option<i64> {
    let found = DAY_MONTH
        .captures_iter(t)
        .find_map(|c| {
            let month = month_number(&c[2])?;
            Some((c[1].parse::<i64>().ok()?, month, c.get(3).and_then(|y| y.as_str().parse().ok()), c.get(0)?.end()))
        })
        .or_else(|| {
            MONTH_DAY.captures_iter(t).find_map(|c| {
                let month = month_number(&c[1])?;
                Some((
                    c[2].parse::<i64>().ok()?,
                    month,
                    c.get(3).and_then(|y| y.as_str().parse().ok()),
                    c.get(0)?.end(),
                ))
            })
        })?;
    let (day, month, year, end) = found;
    let tod = time_of_day(&t[end.min(t.len())..]);
    let year = match year {
        Some(y) => y,
        None => {
            let (fy, ..) = civil_from_days(fetched_at.div_euclid(DAY));
            let this = days_from_civil(fy, month, day)? * DAY + tod;
            if this > fetched_at + DAY { fy - 1 } else { fy }
        }
    };
    Some(days_from_civil(year, month, day)? * DAY + tod)
}

fn relative(t: &str, fetched_at: i64) -> Option<i64> {
    let marked = ["ago", "il y a", "hace", "ha ", "atras", "lalu", "vor "].iter().any(|m| t.contains(m));
    if marked && let Some(c) = RELATIVE.captures(t) {
        let n: i64 = c[1].parse().unwrap_or(1);
        let unit = match &c[2] {
            "minggu" => 7 * DAY,
            u if u.starts_with("mi") || u == "m" || u == "menit" => MINUTE,
            "jam" => HOUR,
            "hari" => DAY,
            u if u.starts_with("jahr") || u.starts_with("an") || u.starts_with('y') || u == "tahun" => 365 * DAY,
            u if u.starts_with('h') || u.starts_with("stunde") => HOUR,
            u if u.starts_with('d') || u.starts_with("jour") || u.starts_with("tag") => DAY,
            u if u.starts_with('w') || u.starts_with("sem") => 7 * DAY,
            _ => 30 * DAY,
        };
        return Some(fetched_at - n.min(10_000) * unit);
    }
    let has = |words: &[&str]| {
        words.iter().any(|w| {
            if w.contains([' ', '\'']) {
                t.contains(w)
            } else {
                t.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w)
            }
        })
    };
    if has(&["yesterday", "hier", "ayer", "ontem", "kemarin", "gestern", "ieri"]) {
        return Some(fetched_at - DAY);
    }
    if has(&["today", "just now", "aujourd'hui", "hoy", "hoje", "hari ini", "heute", "oggi", "now", "a l'instant"]) {
        return Some(fetched_at);
    }
    None
}

/// The time of day written in `rest`, in ms (0 when none).
fn time_of_day(rest: &str) -> i64 {
    let Some(c) = TIME.captures(rest) else { return 0 };
    let (Ok(mut h), Ok(m)) = (c[1].parse::<i64>(), c[2].parse::<i64>()) else { return 0 };
    match c.get(3).map(|x| x.as_str().starts_with('p')) {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    if h > 23 || m > 59 { 0 } else { h * HOUR + m * MINUTE }
}

fn month_number(word: &str) -> Option<i64> {
    const MONTHS: [&[&str]; 12] = [
        &["jan", "january", "janvier", "enero", "ene", "janeiro", "januari", "januar", "gennaio", "gen"],
        &["feb", "february", "fevrier", "fev", "febrero", "fevereiro", "februari", "februar", "febbraio"],
        &["mar", "march", "mars", "marzo", "marco", "maret", "marz", "maerz"],
        &["apr", "april", "avril", "avr", "abril", "abr", "aprile"],
        &["may", "mai", "mayo", "maio", "mei", "maggio", "mag"],
        &["jun", "june", "juin", "junio", "junho", "juni", "giugno", "giu"],
        &["jul", "july", "juillet", "juil", "julio", "julho", "juli", "luglio", "lug"],
        &["aug", "august", "aout", "agosto", "ago", "agustus", "agu", "agt"],
        &["sep", "sept", "september", "septembre", "septiembre", "setembro", "set", "settembre"],
        &["oct", "october", "octobre", "octubre", "outubro", "out", "oktober", "okt", "ottobre", "ott"],
        &["nov", "november", "novembre", "noviembre", "novembro", "nop"],
        &[
            "dec",
            "december",
            "decembre",
            "diciembre",
            "dic",
            "dezembro",
            "dez",
            "desember",
            "des",
            "dezember",
            "dicembre",
        ],
    ];
    MONTHS.iter().position(|names| names.contains(&word)).map(|i| i as i64 + 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date; `None` for a date that does not exist.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=9999).contains(&y) {
        return None;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let len = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize];
    if !(1..=len).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_639_987_999), "2026-11-25T20:53:07Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn days_round_trip() {
        for z in [-700_000, -1, 0, 1, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), Some(z), "{z}");
        }
        assert_eq!(days_from_civil(2025, 2, 29), None);
        assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
    }
}
