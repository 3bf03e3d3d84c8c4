//! The linking stage: ads with their contacts, pictures and advertisers into networks
//! (`redflag_core::link`), enriched with what analysis knows about kinds, sites and dates ([`crate::context`]),
//! and the digest that tells whether an ad's network context changed since it was scored.

use std::collections::HashMap;

use redflag_core::link::crosskind::JobEscortContact;
use redflag_core::link::image::Fingerprint;
use redflag_core::link::{Advertiser, Corpus, GroupKind, LinkInput, LinkOptions, NetworkContext, Networks, link_part};
use redflag_store::AdForAnalysis;

use crate::{AnalyzeSummary, advertiser, context};

/// Links `ads` (CPU work: run it on a blocking thread). `contacts` are their contact keys, `images` their
/// pictures, `sites` their sites and fetch times, `corpus` what is known of the rest of the store (empty
/// when `ads` are all of it). Returns the ads, their networks and the contacts job and escort ads share.
pub(crate) fn link(
    ads: Vec<AdForAnalysis>,
    contacts: Vec<(i64, String)>,
    images: &[(i64, Fingerprint)],
    sites: &HashMap<i64, (i64, i64)>,
    corpus: &Corpus,
    opts: &LinkOptions,
) -> (Vec<AdForAnalysis>, Networks, Vec<JobEscortContact>) {
    let mut by_ad: HashMap<i64, Vec<String>> = HashMap::new();
    for (ad, key) in contacts {
        by_ad.entry(ad).or_default().push(key);
    }
    let texts: Vec<String> = ads.iter().map(|a| a.fields.scoring_text()).collect();
    let inputs: Vec<LinkInput<'_>> = ads
        .iter()
        .zip(&texts)
        .map(|(a, text)| LinkInput {
            ad_id: a.ad_id,
            contacts: by_ad.remove(&a.ad_id).unwrap_or_default(),
            text,
            city: a.fields.city.as_deref(),
        })
        .collect();
    // The company field when the page has one, else the employer the text names.
    let named: Vec<Option<(String, bool)>> = ads.iter().map(advertiser).collect();
    let advertisers: Vec<Option<Advertiser<'_>>> =
        named.iter().map(|a| a.as_ref().map(|(name, from_text)| Advertiser { name, from_text: *from_text })).collect();
    let mut networks = link_part(&inputs, &advertisers, images, corpus, opts);
    drop(inputs);
    let job_escort = context::enrich(&mut networks, &ads, sites);
    (ads, networks, job_escort)
}

/// Counts the networks of concern, their ads and the same-advertiser groups into `summary`.
pub(crate) fn count(networks: &Networks, summary: &mut AnalyzeSummary) {
    let mut sizes: HashMap<i64, u64> = HashMap::new();
    for c in networks.cluster_of.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    let concern = |c: &i64| networks.kind_of.get(c) == Some(&GroupKind::Network);
    summary.networks = sizes.iter().filter(|(c, n)| **n > 1 && concern(c)).count() as u64;
    summary.networked_ads = sizes.iter().filter(|(c, n)| **n > 1 && concern(c)).map(|(_, n)| n).sum();
    summary.advertiser_groups = sizes.iter().filter(|(c, n)| **n > 1 && !concern(c)).count() as u64;
}

/// A digest of what scoring and the index read from linking about an ad: its network context and its
/// cluster id. Equal digests mean an unchanged ad needs no new score. Stable across runs and platforms.
pub(crate) fn digest(context: Option<&NetworkContext>, cluster: Option<i64>) -> i64 {
    let text = serde_json::to_string(&(context, cluster)).unwrap_or_default();
    // FNV-1a: stable, unlike `DefaultHasher`.
    text.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)) as i64
}
