//! The API's request and response bodies. They are this crate's wire format (the store's and core's
//! types stay free of it) and each derives `ToSchema`, so the OpenAPI document is the code.

use redflag_core::AdKind;
use redflag_core::link::LinkReason;
use redflag_core::time::rfc3339;
use redflag_store::{AdRow, EntityRow, LeadRow, LinkRow, ScoreRow, TriageRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code: `unauthenticated`, `forbidden`, `csrf_failed`, `not_found`, `bad_request`,
    /// `rate_limited`, `internal`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// For `internal`: the reference the server logged the detail under.
    pub reference: Option<String>,
}

/// One ad in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Lead {
    /// Ad id.
    pub id: i64,
    /// Site (adapter) name.
    pub site: String,
    /// `escort` or `job`.
    pub kind: String,
    /// Canonical URL (as the ad's site gave it: treat as untrusted text).
    pub url: String,
    /// Current title.
    pub title: String,
    /// City field.
    pub city: Option<String>,
    /// Risk 0–100, once scored.
    pub risk: Option<i64>,
    /// Network id, when linked to other ads.
    pub cluster: Option<i64>,
    /// Ads in the same network (1 when alone).
    pub cluster_size: i64,
    /// Triage state: `new`, `reviewing`, `escalated` or `dismissed`.
    pub triage: String,
    /// Last sighting (RFC 3339).
    pub last_seen: String,
    /// Ids of the indicators that fired, strongest first.
    pub indicators: Vec<String>,
    /// Whether the ad shares a contact with an ad of the other kind (a job ad and an escort ad: a
    /// recruitment-to-exploitation link, `job_escort` in its links).
    pub job_escort: bool,
}

impl From<&LeadRow> for Lead {
    fn from(r: &LeadRow) -> Self {
        Lead {
            id: r.id,
            site: r.site.clone(),
            kind: r.kind.as_str().into(),
            url: r.url.clone(),
            title: r.title.clone(),
            city: r.city.clone(),
            risk: r.risk,
            cluster: r.cluster_id,
            cluster_size: r.cluster_size,
            triage: r.triage.as_str().into(),
            last_seen: rfc3339(r.last_seen),
            indicators: r.indicators.clone(),
            job_escort: r.job_escort,
        }
    }
}

/// A page of the lead list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadPage {
    /// Leads matching the filters, on all pages: exact up to 10,000 (or past the requested page), else the
    /// count at which counting stopped, with `total_is_lower_bound` set.
    pub total: i64,
    /// Whether more than `total` leads match.
    pub total_is_lower_bound: bool,
    /// Filters that were ignored, and why.
    pub warnings: Vec<String>,
    /// This page's leads.
    pub leads: Vec<Lead>,
    /// The cursor of the next page; absent on the last.
    pub next: Option<String>,
}

/// An ad's fields as its page showed them (untrusted text).
#[derive(Debug, Serialize, ToSchema)]
pub struct Fields {
    /// Title.
    pub title: String,
    /// Body text.
    pub body: String,
    /// City.
    pub city: Option<String>,
    /// Price or pay.
    pub price: Option<String>,
    /// Posting date as written.
    pub posted_at: Option<String>,
    /// Contact field.
    pub contact: Option<String>,
    /// Age field.
    pub age: Option<String>,
    /// Company or advertiser field.
    pub company: Option<String>,
}

/// A span of the ad's scoring text (title, blank line, body) that made an indicator fire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Span {
    /// Byte offset of the start.
    pub start: i64,
    /// Byte offset of the end.
    pub end: i64,
    /// The text.
    pub text: String,
}

/// An indicator that fired.
#[derive(Debug, Serialize, ToSchema)]
pub struct Indicator {
    /// Indicator id (see `docs/indicators.md`).
    pub id: String,
    /// What it means.
    pub description: String,
    /// Its weight in the score.
    pub weight: f64,
    /// The spans that made it fire.
    pub evidence: Vec<Span>,
    /// A remark, when there is one.
    pub note: Option<String>,
}

/// The latest score of an ad.
#[derive(Debug, Serialize, ToSchema)]
pub struct Score {
    /// The ad version scored.
    pub version: i64,
    /// The model.
    pub model: String,
    /// Calibrated probability (job ads only).
    pub probability: Option<f64>,
    /// Indicator score 0–1 (escort ads: evidence-based priors, not a probability).
    pub indicator_score: Option<f64>,
    /// Whether `probability` is calibrated.
    pub calibrated: bool,
    /// Risk 0–100.
    pub risk: i64,
    /// `likely_legitimate`, `suspicious` or `likely_fraudulent`.
    pub verdict: String,
    /// Detected language (ISO 639-1).
    pub language: Option<String>,
    /// Whether the language-specific indicators cover that language.
    pub language_supported: bool,
    /// Indicators that fired, with evidence.
    pub indicators: Vec<Indicator>,
    /// When (RFC 3339).
    pub scored_at: String,
}

/// A phone number, e-mail, handle, price, age or city found in an ad.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entity {
    /// `phone`, `email`, `handle`, `price`, `age`, `city`, …
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// As written.
    pub raw: String,
    /// Byte offset in the ad's extraction text.
    pub start: i64,
    /// Byte offset in the ad's extraction text.
    pub end: i64,
    /// Whether it was written to dodge detection.
    pub obfuscated: bool,
}

impl From<&EntityRow> for Entity {
    fn from(e: &EntityRow) -> Self {
        Entity {
            kind: e.kind.clone(),
            value: e.value.clone(),
            raw: e.raw.clone(),
            start: e.start,
            end: e.end,
            obfuscated: e.obfuscated,
        }
    }
}

/// The kind of evidence behind a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Both ads carry one phone number, e-mail or handle.
    SharedContact,
    /// A weak link: a contact that ads of many different advertisers share (a board's reply address).
    Relay,
    /// Near-duplicate texts once names, numbers and contacts are masked.
    Template,
    /// Near-copies of one picture.
    Image,
    /// A job ad and an escort ad carry one contact: a recruitment-to-exploitation link (recorded beside
    /// the `shared_contact` link, see `docs/indicators.md`).
    JobEscort,
}

/// Why two ads are linked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    /// One ad.
    pub a: i64,
    /// The other ad.
    pub b: i64,
    /// The kind of evidence.
    pub reason: LinkKind,
    /// The shared contact key (`phone:+1…`), for contact, relay and job-escort links.
    pub contact: Option<String>,
    /// Text similarity 0–1, for template links.
    pub similarity: Option<f64>,
    /// Bits in which the two pictures' perceptual hashes differ, for image links.
    pub hash_distance: Option<i64>,
    /// Strength of the evidence, 0–1.
    pub strength: f64,
}

impl From<&LinkRow> for Link {
    fn from(l: &LinkRow) -> Self {
        let (reason, contact, similarity, hash_distance) = match &l.reason {
            LinkReason::SharedContact { contact } => (LinkKind::SharedContact, Some(contact.clone()), None, None),
            LinkReason::Relay { contact, .. } => (LinkKind::Relay, Some(contact.clone()), None, None),
            LinkReason::Template { similarity } => (LinkKind::Template, None, Some(f64::from(*similarity)), None),
            LinkReason::Image { distance, .. } => (LinkKind::Image, None, None, Some(i64::from(*distance))),
            LinkReason::JobEscort { contact } => (LinkKind::JobEscort, Some(contact.clone()), None, None),
        };
        Link { a: l.ad_a, b: l.ad_b, reason, contact, similarity, hash_distance, strength: l.strength }
    }
}

/// An ad's triage record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Triage {
    /// `new`, `reviewing`, `escalated` or `dismissed`.
    pub state: String,
    /// Who is on it.
    pub assignee: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Who changed it last.
    pub updated_by: String,
    /// When (RFC 3339).
    pub updated_at: String,
}

impl From<&TriageRow> for Triage {
    fn from(t: &TriageRow) -> Self {
        Triage {
            state: t.state.as_str().into(),
            assignee: t.assignee.clone(),
            note: t.note.clone(),
            updated_by: t.updated_by.clone(),
            updated_at: rfc3339(t.updated_at),
        }
    }
}

/// The evidence page an ad version was read from.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidencePage {
    /// Page id (`/pages/{id}/raw` downloads the bytes).
    pub page_id: i64,
    /// SHA-256 of the bytes as fetched.
    pub sha256: String,
    /// When fetched (RFC 3339).
    pub fetched_at: String,
    /// URL asked for.
    pub url: String,
    /// URL after redirects.
    pub final_url: String,
    /// HTTP status.
    pub status: i64,
    /// Size in bytes.
    pub size: i64,
}

impl From<&redflag_store::Page> for EvidencePage {
    fn from(p: &redflag_store::Page) -> Self {
        EvidencePage {
            page_id: p.id,
            sha256: p.sha256.clone(),
            fetched_at: rfc3339(p.fetched_at),
            url: p.url.clone(),
            final_url: p.final_url.clone(),
            status: p.status,
            size: p.size,
        }
    }
}

/// One ad with its score, entities, links, triage and evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdDetail {
    /// Ad id.
    pub id: i64,
    /// Site name.
    pub site: String,
    /// `escort` or `job`.
    pub kind: String,
    /// Canonical URL.
    pub url: String,
    /// Every URL the ad was seen under.
    pub urls: Vec<String>,
    /// Current version.
    pub version: i64,
    /// First sighting (RFC 3339).
    pub first_seen: String,
    /// Last sighting (RFC 3339).
    pub last_seen: String,
    /// When the current version was fetched (RFC 3339).
    pub fetched_at: String,
    /// Risk 0–100, once scored.
    pub risk: Option<i64>,
    /// Network id.
    pub cluster: Option<i64>,
    /// The current version's fields.
    pub fields: Fields,
    /// The latest score.
    pub score: Option<Score>,
    /// Entities found.
    pub entities: Vec<Entity>,
    /// Links to other ads.
    pub links: Vec<Link>,
    /// Triage record.
    pub triage: Option<Triage>,
    /// Evidence page of the current version.
    pub evidence: Option<EvidencePage>,
}

impl AdDetail {
    /// Assembles the answer from the store's rows.
    pub fn new(
        ad: &AdRow,
        urls: Vec<String>,
        score: Option<&ScoreRow>,
        entities: &[EntityRow],
        links: &[LinkRow],
        triage: Option<&TriageRow>,
        evidence: Option<&redflag_store::Page>,
    ) -> Self {
        let f = &ad.fields;
        AdDetail {
            id: ad.id,
            site: ad.site.clone(),
            kind: ad.kind.as_str().into(),
            url: ad.url.clone(),
            urls,
            version: ad.version,
            first_seen: rfc3339(ad.first_seen),
            last_seen: rfc3339(ad.last_seen),
            fetched_at: rfc3339(ad.fetched_at),
            risk: ad.risk,
            cluster: ad.cluster_id,
            fields: Fields {
                title: f.title.clone(),
                body: f.body.clone(),
                city: f.city.clone(),
                price: f.price.clone(),
                posted_at: f.posted_at.clone(),
                contact: f.contact.clone(),
                age: f.age.clone(),
                company: f.company.clone(),
            },
            // Only the job model is calibrated (on labelled ads); the escort model's weights are
            // evidence-based priors, so its number is an indicator score, never a probability.
            score: score.map(|s| Score {
                version: s.version,
                model: s.model.clone(),
                probability: (ad.kind == AdKind::Job).then_some(s.probability),
                indicator_score: (ad.kind == AdKind::Escort).then_some(s.probability),
                calibrated: ad.kind == AdKind::Job,
                risk: s.risk,
                verdict: s.verdict.clone(),
                language: s.language.clone(),
                language_supported: s.language_supported,
                indicators: s
                    .indicators
                    .iter()
                    .map(|i| Indicator {
                        id: i.id.clone(),
                        description: i.description.clone(),
                        weight: f64::from(i.weight),
                        evidence: i
                            .evidence
                            .iter()
                            .map(|e| Span { start: e.start as i64, end: e.end as i64, text: e.text.clone() })
                            .collect(),
                        note: i.note.clone(),
                    })
                    .collect(),
                scored_at: rfc3339(s.scored_at),
            }),
            entities: entities.iter().map(Entity::from).collect(),
            links: links.iter().map(Link::from).collect(),
            triage: triage.map(Triage::from),
            evidence: evidence.map(EvidencePage::from),
        }
    }
}

/// A search hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// Ad id.
    pub ad_id: i64,
    /// Risk 0–100.
    pub risk: i64,
    /// `escort` or `job`.
    pub kind: Option<String>,
    /// Title.
    pub title: String,
    /// City.
    pub city: Option<String>,
    /// Site name.
    pub site: String,
    /// An excerpt around the matches (plain text).
    pub snippet: String,
    /// Matches in `snippet`, as `[start, end)` byte ranges.
    pub highlights: Vec<[i64; 2]>,
}

/// A page of search hits.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    /// Matching ads, on all pages: exact up to 10,000 (or past the requested page), else the count at
    /// which counting stopped, with `total_is_lower_bound` set.
    pub total: i64,
    /// Whether more than `total` ads match.
    pub total_is_lower_bound: bool,
    /// Parts of the query that were ignored.
    pub warnings: Vec<String>,
    /// This page's hits.
    pub hits: Vec<SearchHit>,
    /// The cursor of the next page; absent on the last.
    pub next: Option<String>,
    /// Counts of all the matches (not only this page's) by facet.
    pub facets: SearchFacets,
}

/// One facet value and how many matching ads have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value, as the filter of the same name takes it.
    #[schema(example = "job.fee_required")]
    pub value: String,
    /// A human name for it (indicators: their title; otherwise the value).
    #[schema(example = "You are asked to pay a fee")]
    pub label: String,
    /// Matching ads with it.
    pub count: i64,
}

/// The matches counted by facet: up to 12 values each, most frequent first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacets {
    /// By kind (`kind` filter).
    pub kind: Vec<FacetValue>,
    /// By site (`site`).
    pub site: Vec<FacetValue>,
    /// By city, lowercased (`city`).
    pub city: Vec<FacetValue>,
    /// By indicator (`indicator`).
    pub indicator: Vec<FacetValue>,
    /// By language (`language`).
    pub language: Vec<FacetValue>,
    /// By risk band, riskiest first (`band`).
    pub band: Vec<FacetValue>,
    /// By UTC day last seen, `YYYY-MM-DD`, oldest first (`day`).
    pub day: Vec<FacetValue>,
}

impl From<&redflag_index::Facets> for SearchFacets {
    fn from(f: &redflag_index::Facets) -> SearchFacets {
        let plain = |v: &[redflag_index::FacetCount]| {
            v.iter()
                .map(|c| FacetValue { value: c.value.clone(), label: c.value.clone(), count: c.count as i64 })
                .collect()
        };
        SearchFacets {
            kind: plain(&f.kind),
            site: plain(&f.site),
            city: plain(&f.city),
            indicator: f
                .indicator
                .iter()
                .map(|c| FacetValue {
                    value: c.value.clone(),
                    label: crate::views::indicator_name(&c.value),
                    count: c.count as i64,
                })
                .collect(),
            language: plain(&f.language),
            band: plain(&f.band),
            day: f
                .day
                .iter()
                .map(|(ms, n)| {
                    let d = redflag_core::time::rfc3339(*ms)[..10].to_string();
                    FacetValue { value: d.clone(), label: d, count: *n as i64 }
                })
                .collect(),
        }
    }
}

/// A network (or a same-advertiser group) in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkSummary {
    /// Network id (its smallest ad id).
    pub id: i64,
    /// `network` or `same_advertiser`.
    pub kind: String,
    /// Ads in it.
    pub ads: i64,
    /// The highest risk among them.
    pub max_risk: Option<i64>,
}

/// A page of networks.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkPage {
    /// Networks of this kind, on all pages.
    pub total: i64,
    /// This page's networks.
    pub networks: Vec<NetworkSummary>,
    /// The cursor of the next page; absent on the last.
    pub next: Option<String>,
}

/// One network: its ads and what links them.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkDetail {
    /// Network id.
    pub id: i64,
    /// `network` or `same_advertiser`.
    pub kind: String,
    /// Its ads, riskiest first.
    pub ads: Vec<Lead>,
    /// The links between them.
    pub links: Vec<Link>,
}

/// Every ad carrying one contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactAds {
    /// `phone`, `email` or `handle`.
    pub kind: String,
    /// The value looked up (normalised form: `+15551234567`, lower-case e-mail).
    pub value: String,
    /// The ads, riskiest first.
    pub ads: Vec<Lead>,
}

/// A triage change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {
    /// `new`, `reviewing`, `escalated` or `dismissed`.
    pub state: String,
    /// Who is on it (at most 64 characters).
    pub assignee: Option<String>,
    /// Note (at most 4000 characters).
    pub note: Option<String>,
}
