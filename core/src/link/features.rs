//! What a network is like: how many ads, cities, sites and names it spans, and how fast it posts.
//!
//! Analysis computes these for every ad's network and hands them to the scorer with the rest of the
//! [`crate::NetworkContext`]; the dashboard shows the same figures, computed by the same [`Member::of`]
//! and [`network_features`] from the same stored ads.
//!
//! A network's **names** are the names its ads go by: the employer a job ad names (its company field,
//! else [`super::employer::named_employer`]) and the first name an escort ad introduces ("I'm Mia",
//! "me llamo Sofía", "je m'appelle Léa", "sou a Ana", "nama saya Putri", "Meet Mia", "Mia here").
//! Many names behind one contact or one text is several people advertised by one hand — or one company
//! posting under many names. Many **cities** alone is not such a sign: independent workers tour, and
//! movement language was *less* often linked to trafficking in the JRSA/NIJ study (see
//! `docs/indicators.md`), so the scorer never weighs cities on their own.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::{fold, truncate_bytes};
use crate::time::{DAY_MS, DateOrder, parse_posted};
use crate::{AdFields, AdKind};

/// The figures of one network (an ad alone is a network of one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkFeatures {
    /// Ads in the network.
    pub ads: usize,
    /// Distinct cities its ads name.
    pub cities: usize,
    /// Distinct sites its ads were found on.
    pub sites: usize,
    /// Distinct names its ads go by (see the module documentation).
    pub names: usize,
    /// Whole days between its first and its last posting.
    pub span_days: u32,
    /// Ads with a known posting time.
    pub dated_ads: usize,
}

impl NetworkFeatures {
    /// Ads posted per day over the network's active days (`dated_ads / (span_days + 1)`); 0 when no
    /// ad is dated.
    pub fn ads_per_day(&self) -> f32 {
        if self.dated_ads == 0 { 0.0 } else { self.dated_ads as f32 / (self.span_days as f32 + 1.0) }
    }
}

/// One ad of a network, as [`network_features`] counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<'a> {
    /// The city field.
    pub city: Option<&'a str>,
    /// The site's id.
    pub site: i64,
    /// The name the ad goes by ([`ad_name`]).
    pub name: Option<String>,
    /// When it was posted, ms since the epoch.
    pub posted: Option<i64>,
}

impl<'a> Member<'a> {
    /// An ad's member record: its name from its text and company field, its posting time from its
    /// posted field read in its site's country (relative dates against `fetched_at`), else `fetched_at`
    /// when that is known (positive).
    pub fn of(kind: AdKind, fields: &'a AdFields, site: i64, fetched_at: i64, country: Option<&str>) -> Member<'a> {
        let posted = fields
            .posted_at
            .as_deref()
            .and_then(|t| parse_posted(t, fetched_at, DateOrder::of(country, None)))
            .or((fetched_at > 0).then_some(fetched_at));
        Member { city: fields.city.as_deref(), site, name: ad_name(kind, fields), posted }
    }
}

/// The figures of the network made of `members`.
pub fn network_features<'a>(members: impl IntoIterator<Item = Member<'a>>) -> NetworkFeatures {
    let mut cities: HashSet<String> = HashSet::new();
    let mut sites: HashSet<i64> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let (mut ads, mut dated, mut first, mut last) = (0, 0, i64::MAX, i64::MIN);
    for m in members {
        ads += 1;
        if let Some(c) = m.city.map(normalise).filter(|c| !c.is_empty()) {
            cities.insert(c);
        }
        sites.insert(m.site);
        if let Some(n) = m.name.as_deref().map(normalise).filter(|n| !n.is_empty()) {
            names.insert(n);
        }
        if let Some(t) = m.posted {
            dated += 1;
            first = first.min(t);
            last = last.max(t);
        }
    }
    let span_days = if dated == 0 { 0 } else { u32::try_from((last - first) / DAY_MS).unwrap_or(u32::MAX) };
    NetworkFeatures { ads, cities: cities.len(), sites: sites.len(), names: names.len(), span_days, dated_ads: dated }
}

fn normalise(s: &str) -> String {
    fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Bytes of an ad's text searched for the name it goes by.
const NAME_SCAN_BYTES: usize = 600;

/// A capitalised first name.
const FIRST_NAME: &str = r"(?P<name>\p{Lu}[\p{Ll}'’\-]{1,20})\b";

/// Introductions followed by a name, in the five supported languages.
static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    let cues = [
        r"i'm",
        r"i’m",
        r"i am",
        r"my name is",
        r"call me",
        r"meet",
        r"it's",
        r"xo",
        r"company with",
        r"after work with",
        r"me llamo",
        r"soy",
        r"conoce a",
        r"compañía con",
        r"aquí",
        r"je m'appelle",
        r"je suis",
        r"rencontrez",
        r"compagnie avec",
        r"ici",
        r"meu nome é",
        r"eu sou a",
        r"sou a",
        r"conheça",
        r"companhia com",
        r"aqui é a",
        r"nama saya",
        r"saya",
        r"aku",
        r"ini",
        r"kenalan dengan",
        r"bersama",
    ];
    Regex::new(&format!(r"(?i:\b(?:{}))[ \t]+{FIRST_NAME}", cues.join("|")))
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// A title that starts with a name: `Mia, …`, `Mia: …`, `Mia (23), …`, `Mia - …`.
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[^\p{{L}}\n]*{FIRST_NAME}(?:[ \t]*[,:(]|[ \t]+[-–][ \t])"))
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// `Mia here`.
static HERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{FIRST_NAME}[ \t]+here\b")).unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// Capitalised words that follow introductions without being names.
const NOT_NAMES: &[&str] = &[
    "new",
    "available",
    "back",
    "here",
    "the",
    "your",
    "real",
    "ready",
    "una",
    "un",
    "une",
    "um",
    "uma",
    "sexy",
    "hot",
    "very",
    "so",
    "just",
    "not",
    "and",
    "y",
    "et",
    "e",
    "dan",
    "we",
    "our",
    "today",
    "tonight",
    "ini",
    "hoy",
    "ce",
    "soir",
    "only",
    "in",
    "at",
    "a",
    "an",
    "de",
    "da",
    "di",
    "la",
    "le",
    "el",
    "o",
    "you",
    "hi",
    "hello",
    "hey",
    "hola",
    "bonjour",
    "bonsoir",
    "coucou",
    "oi",
    "ola",
    "halo",
    "hai",
    "welcome",
    "good",
    "buenas",
    "boa",
    "selamat",
    "click",
    "call",
    "text",
    "book",
    "contact",
    "info",
];

/// The name an ad goes by: a job ad's employer (company field, else the one its text names), an escort
/// ad's introduced first name (see the module documentation). `None` when it names none.
pub fn ad_name(kind: AdKind, fields: &AdFields) -> Option<String> {
    if kind == AdKind::Job {
        let field = fields.company.as_deref().map(str::trim).filter(|c| !c.is_empty());
        return field.map(str::to_string).or_else(|| super::employer::named_employer(&fields.body, true));
    }
    let text = format!("{}\n{}", fields.title, truncate_bytes(&fields.body, NAME_SCAN_BYTES));
    let ok = |m: regex::Captures<'_>| {
        let name = &m["name"];
        (!NOT_NAMES.contains(&fold(name).as_str())).then(|| name.to_string())
    };
    INTRODUCED
        .captures_iter(&text)
        .find_map(ok)
        .or_else(|| LEADING.captures(&fields.title).and_then(ok))
        .or_else(|| HERE.captures_iter(&text).find_map(ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escort(title: &str, body: &str) -> AdFields {
        AdFields { title: title.into(), body: body.into(), ..AdFields::default() }
    }

    #[test]
    fn escort_ads_go_by_the_name_they_introduce() {
        let cases = [
            ("Dinner date in Miami? Meet Mia", "Lovely evenings.", Some("Mia")),
            ("Classy companion", "Hi, I'm Sofia, 24 years old.", Some("Sofia")),
            ("Compañía en Madrid", "Hola, me llamo Lucía y me encanta conversar.", Some("Lucía")),
            ("Bonsoir", "Bonjour, je suis Léa, j'ai 25 ans.", Some("Léa")),
            ("Boa noite", "Oi, sou a Ana, educada.", Some("Ana")),
            ("Teman ngobrol", "Halo, nama saya Putri, umur 23.", Some("Putri")),
            ("Nadia: your upscale companion", "Available tonight.", Some("Nadia")),
            ("Good evening", "Mia here, an independent companion.", Some("Mia")),
            ("★ New ★ Relaxing massage", "I'm new in town. Call me.", None),
            ("Companion", "Sweet and discreet.", None),
        ];
        for (title, body, want) in cases {
            assert_eq!(ad_name(AdKind::Escort, &escort(title, body)).as_deref(), want, "{title} / {body}");
        }
    }

    #[test]
    fn job_ads_go_by_their_employer() {
        let mut f = escort("Drivers wanted", "Northgate Logistics is hiring drivers in Houston.");
        assert_eq!(ad_name(AdKind::Job, &f).as_deref(), Some("Northgate Logistics"));
        f.company = Some("Acme Ltd".into());
        assert_eq!(ad_name(AdKind::Job, &f).as_deref(), Some("Acme Ltd"));
    }

    #[test]
    fn features_count_distinct_cities_sites_names_and_the_posting_span() {
        let m = |city: Option<&'static str>, site: i64, name: Option<&str>, day: Option<i64>| Member {
            city,
            site,
            name: name.map(str::to_string),
            posted: day.map(|d| d * DAY_MS + 3_600_000),
        };
        let f = network_features([
            m(Some("Miami"), 1, Some("Mia"), Some(100)),
            m(Some("MIAMI"), 1, Some("mia"), Some(100)),
            m(Some("Orlando"), 2, Some("Sofía"), Some(103)),
            m(None, 2, None, None),
        ]);
        assert_eq!(f, NetworkFeatures { ads: 4, cities: 2, sites: 2, names: 2, span_days: 3, dated_ads: 3 });
        assert!((f.ads_per_day() - 0.75).abs() < 1e-6);
        assert_eq!(network_features(std::iter::empty()).ads_per_day(), 0.0);
    }

    #[test]
    fn members_read_the_posting_date_else_the_fetch_time() {
        let mut f = escort("Mia", "Hi, I'm Mia.");
        f.posted_at = Some("2025-03-04".into());
        let day = Member::of(AdKind::Escort, &f, 1, 1_800_000_000_000, Some("US"));
        assert_eq!(day.posted.map(|t| crate::time::rfc3339(t)[..10].to_string()).as_deref(), Some("2025-03-04"));
        f.posted_at = None;
        assert_eq!(Member::of(AdKind::Escort, &f, 1, 42, None).posted, Some(42));
        assert_eq!(Member::of(AdKind::Escort, &f, 1, 0, None).posted, None);
    }
}
