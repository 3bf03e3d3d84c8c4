//! The ground truth: what the generator planted in every ad, served at `/ground-truth.json`.

use crate::model::Ad;
use redflag_core::AdKind;
use serde::{Deserialize, Serialize};

/// What one ad really is and contains, for scoring the crawler, the extractors and the classifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthAd {
    /// Canonical path of the ad page, e.g. `/escorts/ad/40017-dinner-date-in-miami.html`.
    pub path: String,
    /// Other paths (with query string where the site links one) that serve the same ad: its city path
    /// and its tracking-parameter link, when it has them.
    pub alt_paths: Vec<String>,
    /// Which board the ad is on.
    pub kind: AdKind,
    /// Whether the ad was generated as risky (trafficking or recruitment-fraud indicators).
    pub risky: bool,
    /// ISO 639-1 language of the ad text.
    pub language: String,
    /// The city the page names.
    pub city: String,
    /// ISO 3166-1 alpha-2 country of the city. Phone numbers from another country (every number in ads
    /// from Spain, Mexico, Brazil, Portugal and Indonesia, whose ads borrow US, UK or French fiction
    /// numbers) are written with their country code wherever the ad shows them.
    pub country: String,
    /// The title as displayed.
    pub title: String,
    /// Every phone number the ad contains (field or text, plain or obfuscated), E.164.
    pub phones: Vec<String>,
    /// Every e-mail address the ad contains, lowercase.
    pub emails: Vec<String>,
    /// Every messenger handle the ad contains, `service:handle` (`telegram:jane_vip`). WhatsApp
    /// contacts are phone numbers and are listed under `phones`.
    pub handles: Vec<String>,
    /// The price or pay exactly as the price field displays it.
    pub price: String,
    /// The age the ad states in its age field or its text (escort ads only).
    pub age: Option<u32>,
    /// The network the ad belongs to (`escort-net-03`): ads sharing a contact, a template or both; or a
    /// photo ring (`escort-ring-01`), ads sharing nothing but copies of one photo.
    pub network: Option<String>,
    /// The text template the ad was written from, when other ads reuse it (`job-tpl-02`).
    pub template: Option<String>,
    /// The indicator ids planted in the ad, sorted, e.g. `escort.third_party`, `job.fee_required`.
    pub indicators: Vec<String>,
    /// Whether any contact in the ad is written to dodge extraction (spelled digits, look-alike
    /// letters, odd separators, `[at]`).
    pub obfuscated_contact: bool,
    /// The employer name a job ad shows, if any.
    pub company: Option<String>,
    /// The posting date, `yyyy-mm-dd`.
    pub posted: String,
    /// The page template that renders the ad (`escort-a` … `job-c`); see the crate docs for selectors.
    pub page_template: String,
    /// The ad's own pictures (`escort-net-03/photo-1`, `ad-40017/photo-1`): ads listing one id show
    /// copies of one picture (resized, recompressed or cropped), ads listing none share none. The site's
    /// "no photo" placeholder is not listed: it is the site's, not the ad's.
    #[serde(default)]
    pub images: Vec<String>,
    /// The phone number (E.164) this ad shares with ads of the other board: a job offer and the escort
    /// ads of the network it recruits for (a recruitment-to-exploitation pair). `None` for every other ad.
    #[serde(default)]
    pub job_escort_contact: Option<String>,
}

impl TruthAd {
    /// Every path the site links to this ad: canonical first.
    pub fn all_paths(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.alt_paths.iter().map(String::as_str))
    }
}

pub(crate) fn of(ad: &Ad) -> TruthAd {
    let mut alt_paths = Vec::new();
    if let Some(a) = &ad.alt_path {
        alt_paths.push(a.clone());
    }
    if let Some(q) = &ad.tracking {
        alt_paths.push(format!("{}{q}", ad.path));
    }
    TruthAd {
        path: ad.path.clone(),
        alt_paths,
        kind: ad.kind,
        risky: ad.risky,
        language: ad.lang.code().to_string(),
        city: ad.city.name.to_string(),
        country: ad.city.country.code().to_string(),
        title: ad.title.clone(),
        phones: ad.phones.clone(),
        emails: ad.emails.clone(),
        handles: ad.handles.clone(),
        price: ad.price.clone(),
        age: ad.age,
        network: ad.network.clone(),
        template: ad.template.clone(),
        indicators: ad.indicators.iter().map(|s| s.to_string()).collect(),
        obfuscated_contact: ad.obfuscated,
        company: ad.company.clone(),
        posted: ad.posted.iso_date(),
        page_template: ad.layout.name(ad.kind).to_string(),
        images: ad.picture_ids.clone(),
        job_escort_contact: ad.job_escort_contact.clone(),
    }
}
