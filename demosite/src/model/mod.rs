//! The ads themselves: who posts what, which indicators are planted and which ads form networks.
//!
//! Each board is planned as groups before any text is written: risky networks (3–15 ads sharing a
//! phone or handle, most reusing one text template across cities), a rare small benign network (an
//! independent advertiser touring three cities; a staffing company reposting one job), then risky and
//! benign single ads until the board's risky share (drawn between 30 and 40 %) is reached. Text is then
//! composed sentence by sentence from the phrase banks, so every indicator the ground truth lists was
//! planted by a sentence, a contact style or a shared contact, and nothing else was.

use crate::DemoConfig;
use crate::bank::{self, Bank, JOB_CATEGORIES};
use crate::contact::{self, Names, PhoneStyle, Service, format_email, format_phone};
use crate::date::Stamp;
use crate::geo::{City, Country, Lang, Phone, PhoneBook};
use crate::rng::Rng;
use redflag_core::AdKind;

mod escort;
mod job;

use escort::{escort_network, escort_single};
use job::{job_network, job_recruiting_for, job_single};

/// Escort-board categories: `(slug, display name)`.
pub(crate) const ESCORT_CATEGORIES: &[(&str, &str)] = &[
    ("companions", "Companions"),
    ("massage", "Massage & Spa"),
    ("dinner-dates", "Dinner Dates"),
    ("travel", "Travel Companions"),
];

/// How many indicators a risky ad carries: 1–4, mostly one or two.
const INDICATOR_COUNT_WEIGHTS: &[u32] = &[35, 35, 20, 10];

/// Which page template renders an ad: three per board, with different markup for the same fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    A,
    B,
    C,
}

impl Layout {
    /// The template's name in the ground truth, e.g. `escort-b`.
    pub(crate) fn name(self, kind: AdKind) -> &'static str {
        match (kind, self) {
            (AdKind::Escort, Layout::A) => "escort-a",
            (AdKind::Escort, Layout::B) => "escort-b",
            (AdKind::Escort, Layout::C) => "escort-c",
            (AdKind::Job, Layout::A) => "job-a",
            (AdKind::Job, Layout::B) => "job-b",
            (AdKind::Job, Layout::C) => "job-c",
        }
    }
}

/// One generated ad, with everything the pages and the ground truth need.
#[derive(Debug, Clone)]
pub(crate) struct Ad {
    pub(crate) id: u32,
    pub(crate) kind: AdKind,
    pub(crate) lang: Lang,
    pub(crate) city: &'static City,
    pub(crate) category: &'static str,
    pub(crate) title: String,
    pub(crate) paragraphs: Vec<String>,
    /// The price or pay exactly as the price field shows it.
    pub(crate) price: String,
    /// The age the ad states, in its age field or its text.
    pub(crate) age: Option<u32>,
    /// Whether the age field is shown.
    pub(crate) age_field: bool,
    pub(crate) contact_field: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) posted: Stamp,
    pub(crate) risky: bool,
    pub(crate) indicators: Vec<&'static str>,
    pub(crate) network: Option<String>,
    pub(crate) template: Option<String>,
    pub(crate) phones: Vec<String>,
    pub(crate) emails: Vec<String>,
    pub(crate) handles: Vec<String>,
    pub(crate) obfuscated: bool,
    pub(crate) layout: Layout,
    /// Canonical path.
    pub(crate) path: String,
    /// A second path (under a city listing) that serves the same ad.
    pub(crate) alt_path: Option<String>,
    /// Tracking query (`?utm_source=…&ref=…`) that listings add to links to this ad.
    pub(crate) tracking: Option<String>,
    /// Paths of the pictures the ad page shows (see `images.rs`).
    pub(crate) pictures: Vec<String>,
    /// The truth's ids of the ad's own pictures (the site's placeholder is not one).
    pub(crate) picture_ids: Vec<String>,
    /// The contact (E.164) this ad shares with ads of the other board, when it is one side of a
    /// recruitment-to-exploitation pair.
    pub(crate) job_escort_contact: Option<String>,
}

impl Ad {
    /// The path listings link to: canonical, with the tracking query when the ad has one.
    pub(crate) fn link(&self) -> String {
        match &self.tracking {
            Some(q) => format!("{}{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Shared state while generating: the random stream and the registries that keep contacts unique.
struct Ctx {
    rng: Rng,
    phones: PhoneBook,
    names: Names,
    network_seq: usize,
    template_seq: usize,
    /// Each risky escort network and its phone, in generation order.
    escort_network_phones: Vec<(String, Phone)>,
}

impl Ctx {
    fn next_network(&mut self, kind: AdKind) -> String {
        self.network_seq += 1;
        format!("{}-net-{:02}", kind.as_str(), self.network_seq)
    }

    fn next_template(&mut self, kind: AdKind) -> String {
        self.template_seq += 1;
        format!("{}-tpl-{:02}", kind.as_str(), self.template_seq)
    }
}

/// The ad groups one board is planned as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    RiskyNetwork(usize),
    BenignNetwork(usize),
    RiskySingle,
    BenignSingle,
}

fn plan_groups(n: usize, benign_network: (usize, usize), rng: &mut Rng) -> Vec<Group> {
    let share = 0.30 + 0.10 * (rng.below(1001) as f64 / 1000.0);
    let target_risky = ((n as f64) * share).round() as usize;
    let mut groups = Vec::new();
    // About 45 % of risky ads belong to networks.
    let mut budget = target_risky * 45 / 100;
    let mut risky_networked = 0;
    while budget >= 3 {
        // Sizes 3–15, mostly small.
        let mut size = 3 + rng.weighted(&[14, 13, 12, 10, 8, 7, 6, 5, 4, 3, 2, 2, 1]);
        size = size.min(budget);
        if budget - size < 3 {
            size = budget.min(15);
        }
        groups.push(Group::RiskyNetwork(size));
        risky_networked += size;
        budget -= size;
    }
    let benign_total = n.saturating_sub(target_risky);
    let mut benign_networked = 0;
    if n >= 40 {
        let size = rng.range(benign_network.0, benign_network.1);
        if size <= benign_total {
            groups.push(Group::BenignNetwork(size));
            benign_networked = size;
        }
    }
    for _ in 0..target_risky.saturating_sub(risky_networked) {
        groups.push(Group::RiskySingle);
    }
    for _ in 0..benign_total.saturating_sub(benign_networked) {
        groups.push(Group::BenignSingle);
    }
    groups
}

/// Generates both boards: escort ads first, then job ads, each sorted by posting time with ids assigned;
/// and the recruiters, who plant their job offers once the ads have their pictures
/// ([`Recruiters::plant`]).
pub(crate) fn generate(cfg: &DemoConfig) -> (Vec<Ad>, Vec<Ad>, Recruiters) {
    let mut ctx = Ctx {
        rng: Rng::stream(cfg.seed, "escorts"),
        phones: PhoneBook::new(cfg.seed),
        names: Names::default(),
        network_seq: 0,
        template_seq: 0,
        escort_network_phones: Vec::new(),
    };
    let mut escorts = Vec::with_capacity(cfg.escort_ads);
    let groups = plan_groups(cfg.escort_ads, (3, 3), &mut ctx.rng);
    for g in groups {
        match g {
            Group::RiskyNetwork(size) => escorts.extend(escort_network(&mut ctx, size, true)),
            Group::BenignNetwork(size) => escorts.extend(escort_network(&mut ctx, size, false)),
            Group::RiskySingle => escorts.push(escort_single(&mut ctx, true)),
            Group::BenignSingle => escorts.push(escort_single(&mut ctx, false)),
        }
    }
    finish(&mut escorts, AdKind::Escort, &mut ctx.rng);

    ctx.rng = Rng::stream(cfg.seed, "jobs");
    ctx.network_seq = 0;
    ctx.template_seq = 0;
    let mut jobs = Vec::with_capacity(cfg.job_ads);
    let groups = plan_groups(cfg.job_ads, (3, 5), &mut ctx.rng);
    for g in groups {
        match g {
            Group::RiskyNetwork(size) => jobs.extend(job_network(&mut ctx, size, true)),
            Group::BenignNetwork(size) => jobs.extend(job_network(&mut ctx, size, false)),
            Group::RiskySingle => jobs.push(job_single(&mut ctx, true)),
            Group::BenignSingle => jobs.push(job_single(&mut ctx, false)),
        }
    }
    finish(&mut jobs, AdKind::Job, &mut ctx.rng);
    (escorts, jobs, Recruiters { ctx, seed: cfg.seed })
}

/// Risky escort networks that also post a job offer with their number.
const JOB_ESCORT_PAIRS: usize = 3;

/// The state that recruitment-to-exploitation pairs are planted from: the generator's registries (so
/// nothing it draws collides with an ad already made) and each risky escort network's phone.
pub(crate) struct Recruiters {
    ctx: Ctx,
    seed: u64,
}

impl Recruiters {
    /// Plants recruitment-to-exploitation pairs: for each of the first [`JOB_ESCORT_PAIRS`] risky escort
    /// networks, a job offer abroad with the network's number (`job_recruiting_for`) takes the place of
    /// a risky single job ad. The offer keeps that ad's id, path, posting time, tracking link and
    /// pictures, so each board keeps its size, order and risky share, and is drawn from its own random
    /// stream, so every other ad of the site is the same as without it. Called after the pictures are
    /// assigned: photo rings are made of risky single ads, and none is replaced.
    pub(crate) fn plant(mut self, escorts: &mut [Ad], jobs: &mut [Ad]) {
        let ctx = &mut self.ctx;
        ctx.rng = Rng::stream(self.seed, "job-escort");
        let mut singles: Vec<usize> =
            jobs.iter().enumerate().filter(|(_, a)| a.risky && a.network.is_none()).map(|(i, _)| i).collect();
        let pairs: Vec<(String, Phone)> = ctx.escort_network_phones.iter().take(JOB_ESCORT_PAIRS).cloned().collect();
        for (network, phone) in pairs {
            if singles.is_empty() {
                break;
            }
            let Some(first) = escorts.iter().find(|a| a.network.as_deref() == Some(network.as_str())) else { continue };
            let (lang, city) = (first.lang, first.city);
            let at = singles.remove(ctx.rng.below(singles.len()));
            let mut job = job_recruiting_for(ctx, lang, city, &phone, &network);
            let old = &mut jobs[at];
            job.id = old.id;
            job.path = std::mem::take(&mut old.path);
            job.posted = old.posted;
            job.tracking = old.tracking.take();
            job.pictures = std::mem::take(&mut old.pictures);
            job.picture_ids = std::mem::take(&mut old.picture_ids);
            // A second path names the ad's city and title.
            job.alt_path = old
                .alt_path
                .as_ref()
                .map(|_| format!("/jobs/in/{}/{}-{}/", job.city.slug, job.id, contact::slug(&job.title)));
            job.job_escort_contact = Some(phone.e164());
            *old = job;
            for e in escorts.iter_mut().filter(|a| a.network.as_deref() == Some(network.as_str())) {
                e.job_escort_contact = Some(phone.e164());
            }
        }
    }
}

/// Orders a board by posting time, assigns ids, paths, second paths and tracking links.
fn finish(ads: &mut [Ad], kind: AdKind, rng: &mut Rng) {
    ads.sort_by_key(|a| a.posted);
    let mut id: u32 = match kind {
        AdKind::Escort => 40_000,
        AdKind::Job => 70_000,
    };
    for ad in ads.iter_mut() {
        id += rng.range(1, 3) as u32;
        ad.id = id;
        let slug = contact::slug(&ad.title);
        match kind {
            AdKind::Escort => {
                ad.path = format!("/escorts/ad/{id}-{slug}.html");
                if rng.chance(0.15) {
                    ad.alt_path = Some(format!("/escorts/city/{}/{id}.html", ad.city.slug));
                }
            }
            AdKind::Job => {
                ad.path = format!("/jobs/view/{id}/");
                if rng.chance(0.15) {
                    ad.alt_path = Some(format!("/jobs/in/{}/{id}-{slug}/", ad.city.slug));
                }
            }
        }
        if rng.chance(0.12) {
            let source = rng.pick(&["featured", "homepage", "listing", "newsletter"]);
            ad.tracking = Some(format!("?utm_source={source}&ref=r{}", rng.range(1000, 9999)));
        }
    }
}

fn pick_weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u32)]) -> &'a str {
    let weights: Vec<u32> = items.iter().map(|(_, w)| *w).collect();
    items[rng.weighted(&weights)].0
}

/// Draws `k` distinct ids from a weighted pool.
fn draw_distinct(rng: &mut Rng, pool: &[(&'static str, u32)], k: usize) -> Vec<&'static str> {
    let mut left: Vec<(&'static str, u32)> = pool.to_vec();
    let mut out = Vec::new();
    while out.len() < k && !left.is_empty() {
        let weights: Vec<u32> = left.iter().map(|(_, w)| *w).collect();
        let i = rng.weighted(&weights);
        out.push(left.remove(i).0);
    }
    out
}

fn pick_lang(rng: &mut Rng) -> Lang {
    Lang::ALL[rng.weighted(&Lang::WEIGHTS)]
}

fn pick_country(rng: &mut Rng, lang: Lang) -> Country {
    let options = lang.countries();
    let weights: Vec<u32> = options.iter().map(|(_, w)| *w).collect();
    options[rng.weighted(&weights)].0
}

fn pick_city(rng: &mut Rng, country: Country) -> &'static City {
    let cities: Vec<&'static City> = country.cities().collect();
    // The first cities of each country are the big ones and get more ads.
    let weights: Vec<u32> = (0..cities.len()).map(|i| (cities.len() - i) as u32 + 2).collect();
    cities[rng.weighted(&weights)]
}

/// Replaces `{key}` placeholders.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        if out.contains(k) {
            out = out.replace(k, v);
        }
    }
    out
}

fn round_to(x: usize, step: usize) -> u64 {
    (x / step * step) as u64
}

/// Suffixes advertisers add to handles.
const ESCORT_HANDLE_SUFFIXES: &[&str] = &["vip", "relax", "real", "luxe", "official", "xo", "sweet", "bookings"];

/// Suffixes recruiters add to handles.
const JOB_HANDLE_SUFFIXES: &[&str] = &["hr", "official", "team", "recruit", "career", "jobs"];

/// A fresh messenger handle derived from `base`, unique across the site.
fn new_handle(ctx: &mut Ctx, base: &str, suffixes: &[&str]) -> String {
    let folded: String = contact::ascii_fold(base).split_whitespace().collect::<Vec<_>>().join("_");
    let suffix = *ctx.rng.pick(suffixes);
    let candidate = if ctx.rng.chance(0.5) {
        format!("{folded}_{suffix}")
    } else {
        format!("{folded}{suffix}{}", ctx.rng.range(10, 99))
    };
    ctx.names.unique(&candidate, &mut ctx.rng)
}

/// A fresh free-mail address derived from `base`, unique across the site.
fn new_free_email(ctx: &mut Ctx, base: &str, country: Country) -> (String, String) {
    let folded: String = contact::ascii_fold(base).split_whitespace().collect::<Vec<_>>().join(".");
    let local = format!("{folded}{}", ctx.rng.range(1, 99));
    let local = ctx.names.unique(&local, &mut ctx.rng);
    let domains: &[&str] = match country {
        Country::Id => &["gmail.com", "yahoo.co.id", "yahoo.com"],
        Country::Fr => &["gmail.com", "hotmail.fr", "yahoo.fr"],
        Country::Br => &["gmail.com", "hotmail.com", "yahoo.com.br"],
        _ => &["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"],
    };
    (local, ctx.rng.pick(domains).to_string())
}

impl Ad {
    /// Sets a posting time: within a few days of `near` (for networks) or within the last 60 days.
    fn with_posted(mut self, rng: &mut Rng, near: Option<i64>) -> Ad {
        let days_ago = match near {
            Some(base) => base + rng.range(0, 4) as i64,
            None => rng.range(0, 59) as i64,
        };
        self.posted = Stamp::before_today(days_ago, rng.range(0, 1439) as u32);
        self
    }
}

/// Whether a sentence names WhatsApp (also as `WA`), so the contact it introduces must be a phone.
fn mentions_whatsapp(sentence: &str) -> bool {
    sentence.contains("WhatsApp") || sentence.contains("WA ") || sentence.contains("WA:")
}

/// Display name of a category slug on either board.
pub(crate) fn category_name(kind: AdKind, slug: &str) -> &'static str {
    let table = match kind {
        AdKind::Escort => ESCORT_CATEGORIES,
        AdKind::Job => JOB_CATEGORIES,
    };
    table.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or("Other")
}
