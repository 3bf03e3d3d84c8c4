//! Cities named in ad text, from a built-in gazetteer.
//!
//! The gazetteer (`core/data/cities.tsv`, compiled in) lists a few hundred major cities of the markets
//! Redflag watches — the US, Canada, the UK, Spain, Mexico, France, Brazil, Portugal, Indonesia — and
//! of the source and destination countries that recur in trafficking cases (Colombia, the Dominican
//! Republic, Nigeria, Thailand, the Philippines, Ukraine, …), each with aliases in the local and English
//! forms (`Lisboa`/`Lisbon`, `CDMX`/`Mexico City`, `Vegas`, `Jogja`).
//!
//! `value` is the canonical name (`Las Vegas`, `São Paulo`); [`city_country`] gives its country.
//! Names match case- and accent-insensitively (`sao paulo`, `SÃO PAULO`, `São Paulo`), as whole words,
//! longest first (`New York City` rather than `New York`). Names that are also common words or given
//! names (`Nice`, `Rio`, `Natal`, `Santos`, `Lima`, `La Paz`) only count when written with a capital
//! initial. Cities inside URLs, e-mail addresses and handles are not read.

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashSet;
use std::sync::LazyLock;

use super::{EntityKind, Found, Scan};
use crate::text::{fold, is_whole_word};

const GAZETTEER: &str = include_str!("../../data/cities.tsv");

struct City {
    name: &'static str,
    country: &'static str,
}

struct Gazetteer {
    cities: Vec<City>,
    matcher: AhoCorasick,
    /// For each pattern: its city and whether it needs a capital initial.
    patterns: Vec<(usize, bool)>,
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut cities = Vec::new();
    let mut folded_patterns = Vec::new();
    let mut patterns = Vec::new();
    let mut seen = HashSet::new();
    for line in GAZETTEER.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(name), Some(country), Some(aliases), Some(flags)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let city = cities.len();
        cities.push(City { name, country });
        let all_cap = flags.split(',').any(|f| f == "cap");
        let aliases = aliases.split('|').filter(|a| *a != "-");
        for alias in std::iter::once(name).chain(aliases) {
            let (alias, cap) = match alias.strip_prefix('^') {
                Some(a) => (a, true),
                None => (alias, all_cap),
            };
            let folded = fold(alias);
            if !folded.is_empty() && seen.insert(folded.clone()) {
                folded_patterns.push(folded);
                patterns.push((city, cap));
            }
        }
    }
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&folded_patterns)
        .expect("gazetteer builds");
    Gazetteer { cities, matcher, patterns }
});

/// The ISO 3166-1 alpha-2 country of a canonical city name from the gazetteer (`"Lisboa"` → `"PT"`).
pub fn city_country(name: &str) -> Option<&'static str> {
    GAZ.cities.iter().find(|c| c.name == name).map(|c| c.country)
}

/// Spans of whole-word gazetteer names in folded text, ignoring capitalisation rules (for masking).
pub(crate) fn city_spans(folded: &str) -> Vec<(usize, usize)> {
    GAZ.matcher
        .find_iter(folded)
        .filter(|m| is_whole_word(folded, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Records every gazetteer city outside claimed text.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let gaz = &*GAZ;
    let text = scan.folded.as_str();
    let mut found = Vec::new();
    for m in gaz.matcher.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        if !is_whole_word(text, start, end) || scan.taken.overlaps(start, end) {
            continue;
        }
        let (city, cap) = gaz.patterns[m.pattern().as_usize()];
        if cap {
            let orig = scan.folded.original_start(start);
            let first = scan.original[orig..].chars().next();
            if !first.is_some_and(char::is_uppercase) {
                continue;
            }
        }
        let value = gaz.cities[city].name.to_string();
        found.push(Found { kind: EntityKind::City, value, start, end, obfuscated: false });
    }
    scan.found.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gazetteer_parses_fully() {
        let data_rows = GAZETTEER.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        assert_eq!(GAZ.cities.len(), data_rows, "every row has four tab-separated columns");
        assert!(GAZ.cities.len() >= 300);
        assert!(GAZ.cities.iter().all(|c| c.country.len() == 2));
        assert_eq!(city_country("Lisboa"), Some("PT"));
    }
}
