//! What analysis adds to linking's network context: the figures of each ad's network (ads, cities,
//! sites, names, time span; `redflag_core::link::features`) and the contacts that job ads and escort
//! ads share (`redflag_core::link::crosskind`), which linking alone cannot know because it sees no ad
//! kinds, sites or dates.

use std::collections::HashMap;

use redflag_core::AdKind;
use redflag_core::link::crosskind::{JobEscortContact, job_escort_contacts, other_kind_counts};
use redflag_core::link::features::{Member, network_features};
use redflag_core::link::{NetworkFeatures, Networks};
use redflag_store::AdForAnalysis;

/// Fills in every ad's network figures and job-escort count, and adds a
/// [`redflag_core::link::LinkReason::JobEscort`] link for every contact shared by both kinds (so they
/// are stored with the network). `sites` maps ad ids to their site and the fetch time of their current
/// version. Returns the shared contacts found.
pub fn enrich(
    networks: &mut Networks,
    ads: &[AdForAnalysis],
    sites: &HashMap<i64, (i64, i64)>,
) -> Vec<JobEscortContact> {
    let kinds: HashMap<i64, AdKind> = ads.iter().map(|a| (a.ad_id, a.kind)).collect();
    let found = job_escort_contacts(&networks.links, &kinds);
    let counts = other_kind_counts(&found);
    networks.links.extend(found.iter().flat_map(JobEscortContact::links));

    let mut members: HashMap<i64, Vec<Member<'_>>> = HashMap::new();
    for a in ads {
        let (site, fetched_at) = sites.get(&a.ad_id).copied().unwrap_or((0, 0));
        let cluster = networks.cluster_of.get(&a.ad_id).copied().unwrap_or(a.ad_id);
        members.entry(cluster).or_default().push(Member::of(a.kind, &a.fields, site, fetched_at, a.country.as_deref()));
    }
    let features: HashMap<i64, NetworkFeatures> =
        members.into_iter().map(|(cluster, m)| (cluster, network_features(m))).collect();
    for a in ads {
        let cluster = networks.cluster_of.get(&a.ad_id).copied().unwrap_or(a.ad_id);
        let ctx = networks.context.entry(a.ad_id).or_default();
        ctx.network = features.get(&cluster).copied().unwrap_or_default();
        ctx.job_escort_ads = counts.get(&a.ad_id).copied().unwrap_or(0);
    }
    found
}
