//! The part of the store that new and changed ads can affect, which incremental analysis relinks.
//!
//! Starting from the new and changed ads (the seeds), the part takes in:
//!
//! - the stored ads that share an LSH band key with a seed (`redflag_core::link::template_keys`), at most
//!   [`PER_BAND_KEY`] per key — the only ads template linking would compare a seed with;
//! - and then, until nothing more comes in, every ad of the networks of the ads taken in (a changed ad
//!   may leave its network, and a new one may join two), every ad carrying one of their contacts,
//!   except contacts on so many ads that they are the site's own, and every ad showing a near-copy of one
//!   of their pictures (hashes within the linking radius).
//!
//! The part is therefore closed under linking: every link and network of its ads lies inside it, so
//! relinking it alone and writing back its networks leaves the rest of the store as a full analysis
//! would, and relays (judged on all ads carrying a contact) are judged on all of them. Two things a full
//! analysis would also do are approximated: pairs of stored ads outside the part are not re-judged
//! although the new ads change shingle weights slightly, and a template bucket holding more than
//! [`PER_BAND_KEY`] stored ads is sampled by its lowest ids, as full linking samples its representatives.
//! A picture that more than [`MAX_PICTURE_ADS`] ads show (a logo, a stock photo) is left out of the
//! relink rather than bringing all of them in: a full analysis counts its advertisers and, past
//! `redflag_core::link::image::MAX_ADVERTISERS`, lets it link nobody either.

use std::collections::{BTreeSet, HashMap, HashSet};

use redflag_core::link::image::HashIndex;
use redflag_core::link::{LinkOptions, MAX_BUCKET_REPRESENTATIVES, common_contact_limit};
use redflag_store::Store;

use crate::Result;

/// Stored ads taken in per band key a seed carries.
pub const PER_BAND_KEY: i64 = 2 * MAX_BUCKET_REPRESENTATIVES as i64;

/// Pictures shown by more ads than this are left out of an incremental relink (see the module
/// documentation).
pub const MAX_PICTURE_ADS: usize = 200;

/// The ads to relink, and what linking them needs to know about the rest of the store.
#[derive(Debug, Default)]
pub(crate) struct Part {
    /// The ads, ascending.
    pub ids: Vec<i64>,
    /// Stored ads carrying each contact of the part (site-wide contacts included).
    pub contact_ads: HashMap<String, usize>,
    /// Hashes of the part's pictures that more than [`MAX_PICTURE_ADS`] ads show (near-copies included).
    pub crowded_pictures: HashSet<u64>,
}

/// The part of a store of `total` ads that the ads `seeds` can affect (see the module documentation).
/// Stops growing, and returns `None`, once it holds more than `limit` ads: relinking everything is then
/// as cheap.
pub(crate) async fn find(
    store: &Store,
    seeds: &[i64],
    total: usize,
    limit: usize,
    opts: &LinkOptions,
) -> Result<Option<Part>> {
    let mut part = Part::default();
    let mut set: BTreeSet<i64> = seeds.iter().copied().collect();
    let mut frontier: Vec<i64> = set.iter().copied().collect();
    let mut clock = std::time::Instant::now();
    let keys = store.link_keys_of(seeds).await?;
    crate::took("part: the seeds' band keys", &mut clock);
    let candidates = store.ads_with_link_keys(&keys, PER_BAND_KEY).await?;
    crate::took("part: ads sharing a band key", &mut clock);
    frontier.extend(candidates.into_iter().filter(|id| set.insert(*id)));

    let common = common_contact_limit(total, opts);
    let mut seen_clusters: HashSet<i64> = HashSet::new();
    let mut pictured: HashSet<i64> = HashSet::new();
    let mut pictures: Option<Pictures> = None;
    loop {
        while !frontier.is_empty() {
            if set.len() > limit {
                return Ok(None);
            }
            let clusters: Vec<i64> = store
                .cluster_ids(&frontier)
                .await?
                .into_values()
                .flatten()
                .filter(|c| seen_clusters.insert(*c))
                .collect();
            let mut found = store.cluster_members(&clusters).await?;
            let keys: Vec<String> = store
                .contact_keys_of(&frontier)
                .await?
                .into_iter()
                .map(|(_, k)| k)
                .filter(|k| !part.contact_ads.contains_key(k))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let counts = store.contact_counts(&keys).await?;
            let evidence: Vec<String> = keys
                .iter()
                .filter(|k| common.is_none_or(|c| counts.get(*k).copied().unwrap_or(0) <= c))
                .cloned()
                .collect();
            for k in keys {
                let n = counts.get(&k).copied().unwrap_or(0);
                part.contact_ads.insert(k, n);
            }
            found.extend(store.ads_with_contacts(&evidence).await?);
            frontier = found.into_iter().filter(|id| set.insert(*id)).collect();
            frontier.sort_unstable();
            frontier.dedup();
        }
        crate::took("part: networks and contacts", &mut clock);
        // The pictures of the ads taken in since the last look: the ads showing copies of them.
        let unseen: Vec<i64> = set.iter().copied().filter(|id| pictured.insert(*id)).collect();
        let shown = store.image_fingerprints_of(&unseen).await?;
        if shown.is_empty() {
            break;
        }
        if pictures.is_none() {
            pictures = Some(Pictures::load(store).await?);
        }
        let Some(index) = &pictures else { break };
        for (_, fp) in shown {
            let copies = index.near(fp.hash, opts.image_distance);
            let ads = store.ads_showing(&copies).await?;
            if ads.len() > MAX_PICTURE_ADS {
                part.crowded_pictures.insert(fp.hash);
            } else {
                frontier.extend(ads.into_iter().filter(|id| set.insert(*id)));
            }
        }
        if frontier.is_empty() {
            break;
        }
    }
    crate::took("part: pictures", &mut clock);
    part.ids = set.into_iter().collect();
    Ok(Some(part))
}

/// Every stored picture's hash, indexed for near-copy lookups: eight bytes a picture, read once per run
/// and only when the part shows a picture.
struct Pictures {
    ids: Vec<i64>,
    index: HashIndex,
}

impl Pictures {
    async fn load(store: &Store) -> Result<Pictures> {
        let stored = store.picture_hashes().await?;
        crate::blocking(move || {
            let mut index = HashIndex::new();
            let mut ids = Vec::with_capacity(stored.len());
            for (id, h) in stored {
                index.insert(h);
                ids.push(id);
            }
            Pictures { ids, index }
        })
        .await
    }

    /// The ids of the stored pictures within `radius` bits of `hash`.
    fn near(&self, hash: u64, radius: u32) -> Vec<i64> {
        self.index.within(hash, radius).into_iter().map(|(i, _)| self.ids[i]).collect()
    }
}
