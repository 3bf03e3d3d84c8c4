//! Prices and pay.
//!
//! `value` is `AMOUNT CURRENCY[/UNIT]`: the amount in the currency's main unit without thousands
//! separators (two decimals only when it has cents), the ISO 4217 code, and the period: `200 USD/hour`,
//! `2500 EUR/month`, `5000000 IDR/month`, `150 EUR`.
//!
//! # Accepted forms
//!
//! In running text a number is a price only next to a currency:
//!
//! - before it: `$200`, `US$ 200`, `R$ 300`, `MX$500`, `C$80`, `€150`, `£100`, `¥`, `₹`, `Rp 500.000`,
//!   `Rp5jt`, `USD 200`, `EUR 150`, `IDR`, `BRL`, `MXN`, `CAD`, `AUD`, `GBP`;
//! - after it: `200$`, `200 USD`, `150€`, `150 euros`, `300 reais`, `500 pesos`, `200 dollars`,
//!   `200 bucks`, `100 pounds`, `100 quid`, `500.000 rupiah`.
//!
//! Amounts take the thousands and decimal separators of each locale — `5,000` and `1,234.50` (English),
//! `2.500` and `2.500,50` (Spanish, Portuguese, Indonesian), `5 000` (French) — and multipliers `5k`,
//! `500rb`/`500 ribu` (thousand), `5 mil` (thousand, as in Spanish and Portuguese), `5 jt`/`5 juta`,
//! `5 millones`, `5 milhões` (million). A lone separator followed by exactly three digits is a thousands
//! separator (`2.500` is 2500), otherwise it is a decimal point (`12,5`).
//!
//! An optional period follows: `/h`, `/hr`, `per hour`, `an hour`, `la hora`, `por hora`, `de l'heure`,
//! `/jam`, `per day`, `al día`, `par jour`, `/hari`, `a week`, `por semana`, `/semaine`, `per minggu`,
//! `al mes`, `par mois`, `per bulan`, `/bln`, `a year`, `al año`, `par an`, `per tahun`, `per visit`,
//! `por sesión`, and single words `hourly`, `daily`, `weekly`, `monthly`, `mensual`, `semanal`,
//! `mensuel`, `perbulan`, `sebulan`. With rupiah, `/hr` is `hari` (day), as Indonesian ads mean it.
//!
//! # Currencies
//!
//! A bare `$`, `dollars` or `bucks` is the dollar of `ExtractOptions::default_country` (USD, CAD,
//! MXN, AUD, …), USD when there is none; `pesos` likewise (MXN by default). `roses` (`rosas`) is the
//! escort-board euphemism for dollars: it is read as the local dollar (USD by default) and the entity is
//! marked `obfuscated`, since the ad hid the price. A `$` or `€` next to a phone number is not a price
//! (phones are claimed first).

use regex::{Captures, Regex};
use std::sync::LazyLock;

use super::{EntityKind, Found, Price, Scan, Spans};
use crate::text::fold;

const NUM: &str = r"(?P<num>\d{1,3}(?:[.,'\ ]\d{3})+(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)";
const MULT: &str = r"(?:\ ?(?P<mult>k|rb|ribu|jt|juta|mil|million|millions|millones|milhoes|milhao|mio)(?-u:\b))?";
const UNIT: &str = r"(?x:
    (?:
        \ {0,2}(?:/\ ?|(?:per|por|par|pour|a|an|la|al|el|each|every|tiap|setiap|de\ la|de)\ {1,2}|de\ l')
        (?P<unit>hours?|hrs?|h|horas?|heures?|jam|days?|dias?|jours?|journee|hari|wk|weeks?|semanas?|semaines?
            |minggu|pekan|mo|mth|months?|mes|meses|mois|bulan|bln|yr|years?|anos?|an|annee|tahun|thn
            |visits?|visita|visite|sessions?|sesion|sessao|seance)
      | \ {0,2}(?P<unit1>hourly|daily|weekly|monthly|yearly|annually|mensual|semanal|diario|diaria|mensuel|hebdo
            |perbulan|sebulan|perhari|perjam|perminggu|pertahun|mensal|anual|annuel)
    )(?-u:\b))?";

static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^a-z0-9$])(?P<cur>us\$|u\$s|r\$|mx\$|c\$|ca\$|au\$|a\$|\$|€|£|¥|₹|(?:usd|brl|mxn|cad|aud|eur|gbp|idr|inr|rp)\.?)\ ?{NUM}{MULT}{UNIT}"
    ))
    .expect("price pattern compiles")
});

static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^a-z0-9.,$€£])(?P<start>){NUM}{MULT}\ ?(?P<cur>\$|€|£|(?:usd|eur|euros?|dollars?|dolares|dolar|bucks|pesos?|reais|rupiah|rp|idr|pounds?|quid|gbp|brl|mxn|cad|aud|roses?|rosas?)(?-u:\b)){UNIT}"
    ))
    .expect("price pattern compiles")
});

static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:^|[^a-z0-9.,])(?P<start>){NUM}{MULT}{UNIT}")).expect("price pattern compiles")
});

/// Records every price outside claimed text.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let country = scan.country.as_deref();
    let mut found: Vec<Found> = Vec::new();
    // Matches of one pattern never overlap; the second pattern only has to avoid the first's.
    let mut first = Spans::default();
    for re in [&*BEFORE, &*AFTER] {
        first.add_all(found.iter().map(|f| (f.start, f.end)));
        for c in re.captures_iter(text) {
            let Some(span) = span(&c) else { continue };
            if scan.taken.overlaps(span.0, span.1) || first.overlaps(span.0, span.1) {
                continue;
            }
            let Some((price, euphemism)) = read(&c, country) else { continue };
            found.push(Found {
                kind: EntityKind::Price,
                value: format_value(&price),
                start: span.0,
                end: span.1,
                obfuscated: euphemism,
            });
        }
    }
    scan.push_all(found);
}

/// Parses a price as written, reading a bare `$` as the dollar of `country` (ISO 3166-1 alpha-2).
///
/// The first price in the text wins; a number with no currency parses with `currency: None`. A range
/// (`$24 to $26/hr`, `£28,000 - £32,000 a year`, `24-26 USD/hour`, `de 1.200 a 1.500 € al mes`) gives
/// its bottom as `amount` and its top as `max`, with the period and currency written on either end. See
/// the [module documentation](self) for the accepted forms.
pub fn parse_price_in(text: &str, country: Option<&str>) -> Option<Price> {
    let folded = fold(crate::text::truncate_bytes(text, 4096));
    let country = country.map(|c| c.trim().to_ascii_uppercase());
    let Some((start, end, mut price)) = first_price(&folded, country.as_deref()) else {
        return bare(&folded).map(|(_, p)| p);
    };
    if let Some(m) = RANGE_AFTER.find(&folded[end..]) {
        let rest = &folded[end + m.end()..];
        let top = first_price(rest, country.as_deref())
            .filter(|(s, ..)| *s == 0)
            .map(|(.., p)| p)
            .or_else(|| bare(rest).filter(|(s, _)| *s == 0).map(|(_, p)| p));
        if let Some(top) = top.filter(|t| t.amount > price.amount) {
            price.max = Some(top.amount);
            price.per = price.per.or(top.per);
            price.currency = price.currency.or(top.currency);
        }
    } else if let Some(c) = RANGE_BEFORE.captures(&folded[..start])
        && let Some(bottom) = c.name("num").and_then(|n| parse_amount(n.as_str())).filter(|b| *b < price.amount)
    {
        price.max = Some(price.amount);
        price.amount = bottom;
    }
    Some(price)
}

/// The first price with a currency in folded text: its span and value.
fn first_price(folded: &str, country: Option<&str>) -> Option<(usize, usize, Price)> {
    [&*BEFORE, &*AFTER]
        .into_iter()
        .filter_map(|re| re.captures(folded))
        .filter_map(|c| {
            let (s, e) = span(&c)?;
            Some((s, e, read(&c, country)?.0))
        })
        .min_by_key(|(start, ..)| *start)
}

/// The first bare number (with an optional period) in folded text: where it starts and its value.
fn bare(folded: &str) -> Option<(usize, Price)> {
    BARE.captures_iter(folded).find_map(|c| {
        let amount = amount(&c)?;
        Some((c.name("start")?.start(), Price { amount, currency: None, per: unit(&c, None), max: None }))
    })
}

/// What joins the two ends of a range, after the bottom.
static RANGE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,2}(?:-{1,2}|~|to|a|au|al|hasta|ate|sampai|hingga|s/d) {0,2}").expect("range pattern compiles")
});

/// A bare bottom of a range before a price with a currency (`24-26 USD`, `de 1.200 a 1.500 €`).
static RANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^a-z0-9.,]){NUM} {{0,2}}(?:-{{1,2}}|~|to|a|au|al|hasta|ate|sampai|hingga|s/d) {{0,2}}$"
    ))
    .expect("range pattern compiles")
});

/// The span of a match without the boundary character it consumed.
fn span(c: &Captures<'_>) -> Option<(usize, usize)> {
    let start = match (c.name("start"), c.name("cur")) {
        (Some(s), _) => s.start(),
        (None, Some(cur)) => cur.start(),
        (None, None) => return None,
    };
    Some((start, c.get(0)?.end()))
}

/// The price and whether its currency was a euphemism.
fn read(c: &Captures<'_>, country: Option<&str>) -> Option<(Price, bool)> {
    let amount = amount(c)?;
    let (currency, euphemism) = currency(c.name("cur")?.as_str(), country)?;
    let per = unit(c, Some(currency));
    Some((Price { amount, currency: Some(currency.to_string()), per, max: None }, euphemism))
}

fn amount(c: &Captures<'_>) -> Option<f64> {
    let mut amount = parse_amount(c.name("num")?.as_str())?;
    amount *= match c.name("mult").map(|m| m.as_str()) {
        Some("k" | "rb" | "ribu" | "mil") => 1e3,
        Some(_) => 1e6,
        None => 1.0,
    };
    (amount > 0.0 && amount.is_finite() && amount < 1e13).then_some(amount)
}

/// Reads `5,000`, `2.500,50`, `5 000`, `12,5` by the rules in the module documentation.
fn parse_amount(num: &str) -> Option<f64> {
    let num: String = num.chars().filter(|c| !matches!(c, ' ' | '\'')).collect();
    let thousands_only = |sep: char| {
        let mut parts = num.split(sep);
        let head = parts.next().unwrap_or("");
        !head.is_empty() && head.len() <= 3 && parts.all(|p| p.len() == 3)
    };
    let plain = match (num.rfind('.'), num.rfind(',')) {
        (Some(d), Some(c)) => {
            let (thousands, decimal) = if d > c { (',', '.') } else { ('.', ',') };
            num.replace(thousands, "").replace(decimal, ".")
        }
        (None, Some(_)) if thousands_only(',') => num.replace(',', ""),
        (None, Some(_)) => num.replace(',', "."),
        (Some(_), None) if thousands_only('.') => num.replace('.', ""),
        _ => num,
    };
    plain.parse().ok()
}

/// The ISO code for a currency as written, and whether it was a euphemism.
fn currency(cur: &str, country: Option<&str>) -> Option<(&'static str, bool)> {
    let cur = cur.trim_end_matches('.');
    let code = match cur {
        "$" | "dollar" | "dollars" | "dolar" | "dolares" | "bucks" => dollar_of(country),
        "rose" | "roses" | "rosa" | "rosas" => return Some((dollar_of(country), true)),
        "us$" | "u$s" | "usd" => "USD",
        "r$" | "brl" | "reais" => "BRL",
        "mx$" | "mxn" => "MXN",
        "c$" | "ca$" | "cad" => "CAD",
        "a$" | "au$" | "aud" => "AUD",
        "€" | "eur" | "euro" | "euros" => "EUR",
        "£" | "gbp" | "pound" | "pounds" | "quid" => "GBP",
        "¥" => "JPY",
        "₹" | "inr" => "INR",
        "rp" | "idr" | "rupiah" => "IDR",
        "peso" | "pesos" => match country {
            Some("CO") => "COP",
            Some("AR") => "ARS",
            Some("CL") => "CLP",
            Some("PH") => "PHP",
            Some("UY") => "UYU",
            Some("DO") => "DOP",
            Some("CU") => "CUP",
            _ => "MXN",
        },
        _ => return None,
    };
    Some((code, false))
}

fn dollar_of(country: Option<&str>) -> &'static str {
    match country {
        Some("CA") => "CAD",
        Some("MX") => "MXN",
        Some("AU") => "AUD",
        Some("NZ") => "NZD",
        Some("AR") => "ARS",
        Some("CO") => "COP",
        Some("CL") => "CLP",
        Some("SG") => "SGD",
        Some("HK") => "HKD",
        Some("TW") => "TWD",
        _ => "USD",
    }
}

fn unit(c: &Captures<'_>, currency: Option<&str>) -> Option<String> {
    let word = c.name("unit").or_else(|| c.name("unit1"))?.as_str();
    let per = match word {
        "hr" | "hrs" if currency == Some("IDR") => "day",
        "h" | "hr" | "hrs" | "hour" | "hours" | "hora" | "horas" | "heure" | "heures" | "jam" | "hourly" | "perjam" => {
            "hour"
        }
        "day" | "days" | "dia" | "dias" | "jour" | "jours" | "journee" | "hari" | "daily" | "diario" | "diaria"
        | "perhari" => "day",
        "wk" | "week" | "weeks" | "semana" | "semanas" | "semaine" | "semaines" | "minggu" | "pekan" | "weekly"
        | "semanal" | "hebdo" | "perminggu" => "week",
        "mo" | "mth" | "month" | "months" | "mes" | "meses" | "mois" | "bulan" | "bln" | "monthly" | "mensual"
        | "mensuel" | "perbulan" | "sebulan" | "mensal" => "month",
        "yr" | "year" | "years" | "ano" | "anos" | "an" | "annee" | "tahun" | "thn" | "yearly" | "annually"
        | "anual" | "annuel" | "pertahun" => "year",
        _ => "visit",
    };
    Some(per.to_string())
}

/// `AMOUNT CURRENCY[/UNIT]`.
fn format_value(p: &Price) -> String {
    let amount = if p.amount.fract() == 0.0 { format!("{:.0}", p.amount) } else { format!("{:.2}", p.amount) };
    let mut v = match &p.currency {
        Some(c) => format!("{amount} {c}"),
        None => amount,
    };
    if let Some(per) = &p.per {
        v.push('/');
        v.push_str(per);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_locale_separators() {
        for (num, want) in [
            ("5,000", 5000.0),
            ("2.500", 2500.0),
            ("2.500,50", 2500.5),
            ("1,234.56", 1234.56),
            ("5 000", 5000.0),
            ("12,5", 12.5),
            ("12.50", 12.5),
            ("1.000.000", 1_000_000.0),
            ("200", 200.0),
        ] {
            assert_eq!(parse_amount(num), Some(want), "{num}");
        }
    }
}
