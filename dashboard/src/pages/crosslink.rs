//! What the ad and network pages show about recruitment-to-exploitation links (a contact carried by
//! both job ads and escort ads, `redflag_core::link::crosskind`) and about a network's figures (ads,
//! cities, sites, names, time span and posting rate, `redflag_core::link::features`).

use std::collections::BTreeSet;

use maud::{Markup, html};
use redflag_core::AdKind;
use redflag_core::link::features::{Member, network_features};
use redflag_core::link::{LinkReason, NetworkFeatures};
use redflag_store::{LeadFilter, LinkRow, Store};

use crate::error::AppError;
use crate::views;

/// Ads read to compute a network's figures on its page; larger networks show the figures of these.
pub const MAX_FEATURE_ADS: i64 = 5000;
/// Ads listed for one job-escort contact.
const MAX_SHARED_ADS: i64 = 1000;

/// The badge on ads that share a contact with an ad of the other kind.
pub fn badge() -> Markup {
    html! { span.ind.crosslink title="shares a contact with an ad of the other kind (a job ad and an escort ad)" { "job ↔ escort contact" } }
}

/// One contact carried by job ads and escort ads, with each ad's title.
pub struct Shared {
    /// The contact key, `kind:value`.
    pub contact: String,
    /// Job ads carrying it: id and title.
    pub job_ads: Vec<(i64, String)>,
    /// Escort ads carrying it: id and title.
    pub escort_ads: Vec<(i64, String)>,
}

/// The job-escort contacts among `links`, each with every ad now carrying it.
pub async fn shared_contacts(store: &Store, links: &[LinkRow]) -> Result<Vec<Shared>, AppError> {
    let contacts: BTreeSet<&str> = links
        .iter()
        .filter_map(|l| match &l.reason {
            LinkReason::JobEscort { contact } => Some(contact.as_str()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for contact in contacts {
        let Some((kind, value)) = contact.split_once(':') else { continue };
        let ids = store.ads_with_entity(kind, value).await?;
        let rows =
            store.leads(&LeadFilter { ids: Some(ids), limit: Some(MAX_SHARED_ADS), ..Default::default() }).await?;
        let (mut job_ads, mut escort_ads) = (Vec::new(), Vec::new());
        for r in rows {
            match r.kind {
                AdKind::Job => job_ads.push((r.id, r.title)),
                AdKind::Escort => escort_ads.push((r.id, r.title)),
            }
        }
        job_ads.sort_unstable();
        escort_ads.sort_unstable();
        out.push(Shared { contact: contact.to_string(), job_ads, escort_ads });
    }
    Ok(out)
}

/// The list of job-escort contacts with the ads of each kind.
pub fn shared_list(shared: &[Shared]) -> Markup {
    let ads = |list: &[(i64, String)]| {
        html! {
            @for (i, (id, title)) in list.iter().enumerate() {
                @if i > 0 { ", " }
                a href={"/ads/" (id)} { "Ad " (id) } " " span.muted { (title) }
            }
        }
    };
    html! {
        ul.crosslinks {
            @for s in shared {
                li {
                    code { (s.contact) } " — job ads: " (ads(&s.job_ads)) "; escort ads: " (ads(&s.escort_ads))
                }
            }
        }
    }
}

/// The section of the ad and network pages on job-escort contacts (nothing when there are none).
pub fn section(shared: &[Shared]) -> Markup {
    html! {
        @if !shared.is_empty() {
            section.panel.flash.warn #job-escort {
                h2 { (badge()) }
                p { "A contact of this ad also appears in ads of the other kind: job offers that may recruit and escort ads that may advertise the people recruited, as in published typologies of deceptive recruitment into sexual exploitation. Review them together." }
                (shared_list(shared))
                p { a href={"/leads?" (views::query_string([("job_escort", "1".to_string())]))} { "All ads with a job ↔ escort contact" } }
            }
        }
    }
}

/// A network's figures, from its stored ads (the same computation analysis scores with).
pub async fn features_of(store: &Store, cluster_id: i64) -> Result<NetworkFeatures, AppError> {
    let ads = store.cluster_ads(cluster_id, MAX_FEATURE_ADS).await?;
    Ok(network_features(
        ads.iter().map(|a| Member::of(a.kind, &a.fields, a.site_id, a.fetched_at, a.country.as_deref())),
    ))
}

/// A network's figures as a definition list.
pub fn features(f: &NetworkFeatures) -> Markup {
    html! {
        dl.facts.network-features {
            dt { "Ads" } dd { (f.ads) }
            dt { "Cities" } dd { (f.cities) }
            dt { "Sites" } dd { (f.sites) }
            dt { "Names used" } dd title="employers named by job ads, first names introduced by escort ads" { (f.names) }
            dt { "Time span" } dd { (f.span_days + 1) " " (if f.span_days == 0 { "day" } else { "days" }) }
            dt { "Posting rate" } dd { (format!("{:.1}", f.ads_per_day())) " ads a day" }
        }
        p.muted { "Many cities alone is not a trafficking sign (independent workers tour); the score weighs several names in one network, never cities on their own." }
    }
}
