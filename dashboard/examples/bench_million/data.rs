//! The generated population: sites, cities, ads of both kinds with their versions, URLs, phone entities,
//! scores (indicators stored as the scores table stores them, and their ids in `ad_indicators`), triage rows and networks, written in bulk
//! (multi-row INSERTs inside large transactions), and the index documents of the same ads.
//!
//! All text is fictional and plain: template sentences about dinner dates, relaxation and jobs, with the
//! indicator catalogue's ids on the sentences that carry them.

use std::fmt::Write as _;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redflag_core::{AdKind, Evidence, FiredIndicator};
use redflag_index::AdDoc;

/// Sites: the first half escort boards, the second half job boards.
pub const SITES: usize = 20;
/// Cities the ads name.
pub const CITIES: usize = 200;
/// Ads per transaction.
pub const TX_ADS: usize = 25_000;
/// Rows per INSERT statement.
pub const ROWS_PER_INSERT: usize = 500;
/// Who triaged ads are assigned to (and the bench's own user, who assigns them).
pub const ASSIGNEES: [&str; 5] = ["amara", "bruno", "chen", "dalia", "emre"];
/// The model name on the generated scores.
const MODEL: &str = "bench@1";
/// One day in ms.
const DAY_MS: i64 = 86_400_000;

const SYLLABLES: [&str; 20] = [
    "ka", "lor", "ven", "mi", "sa", "tor", "bel", "ri", "an", "do", "mar", "ne", "os", "ta", "lu", "gre", "vi", "pen",
    "ha", "zu",
];

/// Fictional city names, two or three syllables each, all different.
pub fn cities() -> Vec<String> {
    let mut out = Vec::with_capacity(CITIES);
    let mut i = 0usize;
    while out.len() < CITIES {
        let a = SYLLABLES[i % 20];
        let b = SYLLABLES[(i / 20 + 3 * i) % 20];
        let c = if i.is_multiple_of(3) { SYLLABLES[(i * 7 + 5) % 20] } else { "" };
        let mut name = format!("{a}{b}{c}");
        name[..1].make_ascii_uppercase();
        if !out.contains(&name) {
            out.push(name);
        }
        i += 1;
    }
    out
}

/// The sites' names, kinds and languages.
pub fn sites() -> Vec<(String, AdKind, &'static str)> {
    (0..SITES)
        .map(|i| {
            let (kind, stem) = if i < SITES / 2 { (AdKind::Escort, "companions") } else { (AdKind::Job, "jobs") };
            let lang = ["en", "en", "en", "es", "fr"][i % 5];
            (format!("{stem}-board-{:02}.example", i + 1), kind, lang)
        })
        .collect()
}

/// Indicator ids with their sentences, per kind: each sentence is what makes its indicator fire in the
/// generated text. The last two sentences of each list are reassuring ones, written without an indicator.
pub struct Phrases {
    escort: Vec<(String, String, &'static str)>,
    job: Vec<(String, String, &'static str)>,
}

const ESCORT_SENTENCES: [&str; 12] = [
    "New in town, only here for a few days.",
    "My manager answers the phone and arranges everything.",
    "Fresh faces every week, always someone new.",
    "Available day and night, every day of the week.",
    "Hotel visits only, address sent after booking.",
    "Young and sweet, ask for the youngest.",
    "Cannot go out alone, driver brings me.",
    "Several girls at one address, choose on arrival.",
    "Prices set by the agency, pay the driver.",
    "Just arrived from abroad, speaks little English.",
    "Independent and relaxed, my own schedule.",
    "Verified profile, reviews welcome.",
];

const JOB_SENTENCES: [&str; 12] = [
    "A registration fee of 60 EUR is due before the first shift.",
    "Send a copy of your passport with your application.",
    "Visa, flight and housing arranged by us, repaid from wages.",
    "No experience needed, excellent pay from the first week.",
    "Reply only on the messaging app, we do not take calls.",
    "Start tomorrow, interviews are not necessary.",
    "Work abroad, documents kept safe by the employer.",
    "Earn 3,000 a week from home with simple tasks.",
    "Training course must be bought before starting.",
    "Accommodation is shared and deducted from salary.",
    "Contract in writing, paid holidays and sick pay.",
    "Interview at our registered office, ask for the manager.",
];

/// Sentences that fire no indicator, per kind.
fn plain(kind: AdKind) -> &'static [&'static str] {
    if kind == AdKind::Job { &JOB_SENTENCES[10..] } else { &ESCORT_SENTENCES[10..] }
}

impl Phrases {
    /// Pairs the catalogue's indicators of concern (positive weight) of each kind with the sentences.
    pub fn bundled() -> Phrases {
        let cat = redflag_classifier::Catalogue::bundled().expect("bundled indicator catalogue");
        let pair = |kind: AdKind, sentences: &[&'static str]| {
            cat.of_kind(kind)
                .filter(|(_, ind)| ind.weight > 0.0)
                .zip(sentences[..10].iter())
                .map(|((_, ind), s)| (ind.id.clone(), ind.title("en").to_string(), *s))
                .collect::<Vec<_>>()
        };
        Phrases { escort: pair(AdKind::Escort, &ESCORT_SENTENCES), job: pair(AdKind::Job, &JOB_SENTENCES) }
    }

    /// The ids of every indicator the generated ads can carry, both kinds.
    pub fn ids(&self) -> Vec<String> {
        self.escort.iter().chain(&self.job).map(|(id, _, _)| id.clone()).collect()
    }

    fn of(&self, kind: AdKind) -> &[(String, String, &'static str)] {
        if kind == AdKind::Job { &self.job } else { &self.escort }
    }
}

/// Which network each ad belongs to: (cluster id = its smallest ad, kind), or none. About 3 % of the
/// ads, in groups of 2–24 sharing a phone number.
pub struct Networks {
    of: Vec<Option<(i64, bool)>>,
    /// (ad, next ad of the same network) pairs: the links, a chain per network.
    pub links: Vec<(i64, i64)>,
}

impl Networks {
    pub fn new(n: usize, seed: u64) -> Networks {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x6e65_7477);
        let mut of = vec![None; n + 1];
        let mut links = Vec::new();
        let groups = n / 450;
        for g in 0..groups {
            let size = rng.random_range(2..=24usize);
            let mut members: Vec<i64> = Vec::with_capacity(size);
            // Ads of one network sit on one site (ids cycle through the sites) within 100,000 ids.
            let start = rng.random_range(1..=n as i64);
            let steps = ((n as i64 - start) / SITES as i64 + 1).min(5_000);
            for _ in 0..size * 3 {
                if members.len() == size {
                    break;
                }
                let cand = start + rng.random_range(0..steps) * SITES as i64;
                if of[cand as usize].is_none() && !members.contains(&cand) {
                    members.push(cand);
                }
            }
            if members.len() < 2 {
                continue;
            }
            members.sort_unstable();
            let same_advertiser = g % 5 == 0;
            for m in &members {
                of[*m as usize] = Some((members[0], same_advertiser));
            }
            links.extend(members.windows(2).map(|w| (w[0], w[1])));
        }
        Networks { of, links }
    }

    fn of(&self, ad: i64) -> Option<(i64, bool)> {
        self.of[ad as usize]
    }
}

/// One generated ad with everything stored about it.
pub struct Ad {
    pub id: i64,
    pub site: usize,
    pub kind: AdKind,
    pub title: String,
    pub body: String,
    pub city: String,
    pub phone: String,
    /// Byte range of the phone in the scoring text.
    pub phone_at: (usize, usize),
    pub risk: Option<i64>,
    pub indicators: Vec<FiredIndicator>,
    pub language: &'static str,
    pub cluster: Option<(i64, bool)>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub triage: Option<(&'static str, Option<&'static str>)>,
}

/// Ad number `id` (1-based) of a population; the same seed gives the same ad.
pub fn ad(id: i64, seed: u64, now: i64, cities: &[String], phrases: &Phrases, nets: &Networks) -> Ad {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ id as u64);
    // Ids cycle through the sites, so every site has escort or job ads only, as boards do.
    let site = (id as usize - 1) % SITES;
    let kind = if site < SITES / 2 { AdKind::Escort } else { AdKind::Job };
    let language = ["en", "en", "en", "es", "fr"][site % 5];
    let city = cities[(rng.random_range(0..CITIES * CITIES) as f64).sqrt() as usize % CITIES].clone();
    let cluster = nets.of(id);
    let phone = match cluster {
        Some((c, _)) => format!("+4470{:08}", c % 100_000_000),
        None => format!("+3361{:08}", id % 100_000_000),
    };
    let risk = if rng.random_bool(0.02) { None } else { Some(rng.random_range(0..=100i64)) };
    let fired_n = match risk {
        None => 0,
        Some(r) => (r as usize / 22 + rng.random_range(0..=1usize)).min(5),
    };
    let pool = phrases.of(kind);
    let mut picked: Vec<usize> = Vec::with_capacity(fired_n);
    while picked.len() < fired_n.min(pool.len()) {
        let i = rng.random_range(0..pool.len());
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    let (title, opening) = match kind {
        AdKind::Escort => {
            let names = ["Lena", "Mara", "Sofi", "Nadia", "Yuna", "Clara", "Ines", "Vera"];
            let name = names[rng.random_range(0..names.len())];
            (
                format!("{name}, dinner companion in {city}"),
                format!("Hello, I am {name}. Warm conversation, dinner dates and city walks in {city}."),
            )
        }
        AdKind::Job => {
            let roles = ["Warehouse packers", "Cleaners", "Kitchen helpers", "Drivers", "Hotel staff", "Carers"];
            let role = roles[rng.random_range(0..roles.len())];
            (
                format!("{role} wanted in {city}"),
                format!("{role} needed for a busy team in {city}. Full time and part time shifts."),
            )
        }
    };
    let mut body = opening;
    let prefix = title.len() + 2; // the scoring text is title, a blank line, body
    let mut indicators = Vec::with_capacity(picked.len());
    for &i in &picked {
        let (ind_id, description, sentence) = &pool[i];
        body.push(' ');
        let start = prefix + body.len();
        body.push_str(sentence);
        indicators.push(FiredIndicator {
            id: ind_id.clone(),
            description: description.clone(),
            weight: 0.4 + rng.random_range(0..100u32) as f32 / 100.0,
            evidence: vec![Evidence { start, end: prefix + body.len(), text: (*sentence).to_string() }],
            note: None,
        });
    }
    for s in plain(kind) {
        if rng.random_bool(0.3) {
            body.push(' ');
            body.push_str(s);
        }
    }
    body.push_str(" Call ");
    let phone_start = prefix + body.len();
    body.push_str(&phone);
    let phone_at = (phone_start, prefix + body.len());
    body.push('.');
    indicators.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let last_seen = now - rng.random_range(0..90 * DAY_MS);
    let first_seen = last_seen - rng.random_range(0..30 * DAY_MS);
    let triage = rng.random_bool(0.04).then(|| {
        let state = ["reviewing", "reviewing", "escalated", "dismissed", "new"][rng.random_range(0..5)];
        let who = (!rng.random_bool(0.2)).then(|| ASSIGNEES[rng.random_range(0..ASSIGNEES.len())]);
        (state, who)
    });
    Ad {
        id,
        site,
        kind,
        title,
        body,
        city,
        phone,
        phone_at,
        risk,
        indicators,
        language,
        cluster,
        first_seen,
        last_seen,
        triage,
    }
}

impl Ad {
    /// The ad as the index sees it.
    pub fn doc(&self, sites: &[(String, AdKind, &'static str)]) -> AdDoc {
        AdDoc {
            ad_id: self.id,
            kind: Some(self.kind),
            site: sites[self.site].0.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            city: Some(self.city.clone()),
            phones: vec![self.phone.clone()],
            indicators: self.indicators.iter().map(|i| i.id.clone()).collect(),
            risk: self.risk.unwrap_or(0) as u8,
            language: Some(self.language.to_string()),
            cluster: self.cluster.map(|c| c.0),
            last_seen: self.last_seen,
            ..AdDoc::default()
        }
    }
}

/// An SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt_lit(s: Option<&str>) -> String {
    s.map(lit).unwrap_or_else(|| "NULL".into())
}

/// The site rows.
pub fn site_sql(sites: &[(String, AdKind, &'static str)], now: i64) -> String {
    let mut sql =
        String::from("INSERT INTO sites (id, name, kind, country, language, config, created_at, updated_at) VALUES ");
    for (i, (name, kind, lang)) in sites.iter().enumerate() {
        let country = match *lang {
            "es" => "ES",
            "fr" => "FR",
            _ => "GB",
        };
        if i > 0 {
            sql.push(',');
        }
        let _ = write!(sql, "({}, {}, '{}', '{country}', '{lang}', '', {now}, {now})", i + 1, lit(name), kind.as_str());
    }
    sql
}

/// Statements inserting a batch of ads and everything hanging off them, each at most
/// [`ROWS_PER_INSERT`] rows.
pub fn batch_sql(ads: &[Ad], sites: &[(String, AdKind, &'static str)]) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in ads.chunks(ROWS_PER_INSERT) {
        let mut a = String::from(
            "INSERT INTO ads (id, site_id, ad_key, kind, url, version, content_hash, first_seen, last_seen, \
             analyzed_version, risk, cluster_id, cluster_kind) VALUES ",
        );
        let mut v = String::from(
            "INSERT INTO ad_versions (ad_id, version, page_id, fetched_at, content_hash, title, body, city, price, \
             posted_at, contact, age, company) VALUES ",
        );
        let mut u = String::from("INSERT INTO ad_urls (site_id, url, ad_id, first_seen) VALUES ");
        let mut e = String::from(
            "INSERT INTO entities (ad_id, version, kind, value, raw, start_pos, end_pos, obfuscated) VALUES ",
        );
        let mut s = String::from(
            "INSERT INTO scores (ad_id, version, model, probability, risk, verdict, language, language_supported, \
             indicators, scored_at) VALUES ",
        );
        let mut t = String::from("INSERT INTO triage (ad_id, state, assignee, note, updated_by, updated_at) VALUES ");
        let mut fired = String::from("INSERT INTO ad_indicators (ad_id, indicator) VALUES ");
        let (mut any_score, mut any_triage, mut any_fired) = (false, false, false);
        for (i, ad) in chunk.iter().enumerate() {
            let sep = if i > 0 { "," } else { "" };
            let site_id = ad.site + 1;
            let url = format!("https://{}/ad/{}", sites[ad.site].0, ad.id);
            let hash = format!("{:016x}", (ad.id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let (cluster, ckind) = match ad.cluster {
                Some((c, same)) => (c.to_string(), lit(if same { "same_advertiser" } else { "network" })),
                None => ("NULL".into(), "NULL".into()),
            };
            let risk = ad.risk.map(|r| r.to_string()).unwrap_or_else(|| "NULL".into());
            let _ = write!(
                a,
                "{sep}({}, {site_id}, 'k{}', '{}', {}, 1, '{hash}', {}, {}, {}, {risk}, {cluster}, {ckind})",
                ad.id,
                ad.id,
                ad.kind.as_str(),
                lit(&url),
                ad.first_seen,
                ad.last_seen,
                i64::from(ad.risk.is_some()),
            );
            let price = if ad.kind == AdKind::Job { Some("1,800 EUR per month") } else { Some("ask") };
            let _ = write!(
                v,
                "{sep}({}, 1, NULL, {}, '{hash}', {}, {}, {}, {}, NULL, {}, NULL, NULL)",
                ad.id,
                ad.last_seen,
                lit(&ad.title),
                lit(&ad.body),
                lit(&ad.city),
                opt_lit(price),
                lit(&ad.phone),
            );
            let _ = write!(u, "{sep}({site_id}, {}, {}, {})", lit(&url), ad.id, ad.first_seen);
            let _ = write!(
                e,
                "{sep}({}, 1, 'phone', {}, {}, {}, {}, 0)",
                ad.id,
                lit(&ad.phone),
                lit(&ad.phone),
                ad.phone_at.0,
                ad.phone_at.1
            );
            if let Some(r) = ad.risk {
                let json = serde_json::to_string(&ad.indicators).expect("indicators serialise");
                let verdict = match r {
                    0..=39 => "likely_legitimate",
                    40..=69 => "suspicious",
                    _ => "likely_fraudulent",
                };
                let _ = write!(
                    s,
                    "{}({}, 1, '{MODEL}', {}, {r}, '{verdict}', '{}', 1, {}, {})",
                    if any_score { "," } else { "" },
                    ad.id,
                    r as f64 / 100.0,
                    ad.language,
                    lit(&json),
                    ad.last_seen
                );
                any_score = true;
                let mut ids: Vec<&str> = ad.indicators.iter().map(|i| i.id.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                for id in ids {
                    let _ = write!(fired, "{}({}, {})", if any_fired { "," } else { "" }, ad.id, lit(id));
                    any_fired = true;
                }
            }
            if let Some((state, who)) = ad.triage {
                let _ = write!(
                    t,
                    "{}({}, '{state}', {}, NULL, 'bench', {})",
                    if any_triage { "," } else { "" },
                    ad.id,
                    opt_lit(who),
                    ad.last_seen
                );
                any_triage = true;
            }
        }
        out.extend([a, v, u, e]);
        if any_score {
            out.push(s);
        }
        if any_triage {
            out.push(t);
        }
        if any_fired {
            out.push(fired);
        }
    }
    out
}

/// Statements inserting the network links.
pub fn link_sql(links: &[(i64, i64)], phone_of: impl Fn(i64) -> String) -> Vec<String> {
    links
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            let mut sql = String::from("INSERT INTO links (ad_a, ad_b, reason, detail, strength) VALUES ");
            for (i, (a, b)) in chunk.iter().enumerate() {
                let _ = write!(
                    sql,
                    "{}({a}, {b}, 'shared_contact', {}, 1)",
                    if i > 0 { "," } else { "" },
                    lit(&phone_of(*a))
                );
            }
            sql
        })
        .collect()
}
