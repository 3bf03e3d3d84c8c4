//! Keeping the store's template keys current: each analysed ad's LSH band keys, and the corpus's shingle
//! counts (`redflag_store::relink`), from which incremental analysis finds the stored ads a new ad may
//! share a template with and weighs shingles as a full analysis would.
//!
//! Extraction computes the keys of every ad it reads ([`batch_keys`]) and, every few batches and at its
//! end, writes them in one transaction ([`BatchKeys::flush`]): the band keys, the shingle counts changed
//! by what each ad's new version adds and its previously counted version takes away, and the versions now
//! counted. An interrupted run leaves those ads counted or not, never half; ads not counted are still
//! stale, and the next run extracts and counts them.
//!
//! A full analysis counts every ad from nothing, and writing its keys a few batches at a time would put
//! each flush's keys at random places in tables that grow to tens of millions of rows (at a million ads
//! that was half the run). It keeps them instead ([`FullKeys`]) and writes them once at the end, in
//! order, with the key index dropped and rebuilt by one sort (`redflag_store::relink::write_all_keys`).

use std::collections::HashMap;

use redflag_core::AdFields;
use redflag_core::link::template::shingles;
use redflag_core::link::{LinkOptions, template_keys};
use redflag_store::{AdForAnalysis, Store};

use crate::Result;

/// The keys of one batch of ads: band keys to store, and the shingle changes they make.
#[derive(Debug, Default)]
pub(crate) struct BatchKeys {
    /// `(ad id, band keys)` of the ads whose counted version changes.
    pub bands: Vec<(i64, Vec<u64>)>,
    /// Shingle count changes.
    pub delta: HashMap<u32, i64>,
    /// `(ad id, version)` now counted.
    pub versions: Vec<(i64, i64)>,
}

/// What a batch needs read from the store before its keys are computed: each ad's counted version, and
/// the fields of the counted versions that the batch replaces.
pub(crate) async fn previous(
    store: &Store,
    ads: &[AdForAnalysis],
) -> Result<(HashMap<i64, i64>, Vec<(i64, AdFields)>)> {
    let ids: Vec<i64> = ads.iter().map(|a| a.ad_id).collect();
    let keyed = store.keyed_versions(&ids).await?;
    let old: Vec<(i64, i64)> = ads
        .iter()
        .filter_map(|a| keyed.get(&a.ad_id).copied().filter(|&v| v > 0 && v != a.version).map(|v| (a.ad_id, v)))
        .collect();
    Ok((keyed, store.version_fields(&old).await?))
}

/// The keys of a batch (CPU work: run it on a blocking thread). Ads whose current version is already
/// counted are left as they are.
pub(crate) fn batch_keys(
    ads: &[AdForAnalysis],
    keyed: &HashMap<i64, i64>,
    old: &[(i64, AdFields)],
    opts: &LinkOptions,
) -> BatchKeys {
    let mut out = BatchKeys::default();
    let computed = redflag_core::par::map(ads, |a| {
        (keyed.get(&a.ad_id) != Some(&a.version)).then(|| template_keys(&a.fields.scoring_text(), opts))
    });
    for (a, keys) in ads.iter().zip(computed) {
        let Some(keys) = keys else { continue };
        for h in keys.shingles {
            *out.delta.entry(h).or_default() += 1;
        }
        out.bands.push((a.ad_id, keys.bands));
        out.versions.push((a.ad_id, a.version));
    }
    for (_, fields) in old {
        for h in shingles(&fields.scoring_text()) {
            *out.delta.entry(h).or_default() -= 1;
        }
    }
    out
}

/// Shingle count changes gathered before they are written: a few batches' worth, so that one sorted write
/// touches each page of the counts table once rather than once a batch.
pub(crate) const PENDING_SHINGLES: usize = 1_000_000;

/// The keys of every ad of a full analysis, kept until its extraction ends.
#[derive(Debug, Default)]
pub(crate) struct FullKeys {
    /// `(ad id, band key)`.
    bands: Vec<(i64, u64)>,
    /// `(shingle, ads)` per batch; summed at the end.
    shingles: Vec<(u32, i64)>,
    /// `(ad id, version)` counted.
    versions: Vec<(i64, i64)>,
}

impl FullKeys {
    /// Adds a batch's keys.
    pub fn absorb(&mut self, batch: BatchKeys) {
        self.shingles.extend(batch.delta.into_iter().filter(|(_, d)| *d != 0));
        for (ad, keys) in batch.bands {
            self.bands.extend(keys.into_iter().map(|k| (ad, k)));
        }
        self.versions.extend(batch.versions);
    }

    /// Writes every key and count, and marks the versions counted (the store's keys were cleared when
    /// the analysis started).
    pub async fn write(self, store: &Store) -> Result<()> {
        let FullKeys { mut bands, mut shingles, versions } = self;
        let (bands, counts) = crate::blocking(move || {
            bands.sort_unstable();
            bands.dedup();
            shingles.sort_unstable_by_key(|(h, _)| *h);
            let mut counts: Vec<(u32, i64)> = Vec::with_capacity(shingles.len());
            for (h, d) in shingles {
                match counts.last_mut() {
                    Some((last, n)) if *last == h => *n += d,
                    _ => counts.push((h, d)),
                }
            }
            counts.retain(|(_, n)| *n != 0);
            (bands, counts)
        })
        .await?;
        redflag_store::relink::write_all_keys(store, &bands, &counts, &versions).await?;
        Ok(())
    }
}

impl BatchKeys {
    /// Adds a later batch's keys to these.
    pub fn absorb(&mut self, later: BatchKeys) {
        for (h, d) in later.delta {
            *self.delta.entry(h).or_default() += d;
        }
        self.bands.extend(later.bands);
        self.versions.extend(later.versions);
    }

    /// Writes the band keys, the shingle count changes and the versions they count, in one transaction,
    /// and empties these.
    pub async fn flush(&mut self, store: &Store) -> Result<()> {
        if self.versions.is_empty() && self.delta.is_empty() {
            return Ok(());
        }
        let mut tx = store.begin().await?;
        redflag_store::relink::replace_link_keys(&mut tx, &self.bands).await?;
        redflag_store::relink::add_shingle_counts(&mut tx, &self.delta).await?;
        redflag_store::relink::set_keyed_versions(&mut tx, &self.versions).await?;
        tx.commit().await.map_err(redflag_store::Error::from)?;
        *self = BatchKeys::default();
        Ok(())
    }
}
