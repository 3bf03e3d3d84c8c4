//! The analysis pipeline that runs after a crawl: extract entities from new and changed ads, link them into
//! networks with the part of the store they can affect, score the ads whose network changed, and index the
//! results for search.
//!
//! Each stage reads from and writes to the store in batches, one transaction per batch, so an
//! interrupted run leaves the store consistent and the next run picks up what is still stale (an ad is
//! stale until it has a score for its current version). CPU work — extraction, linking, scoring,
//! indexing — runs on blocking threads, never on the async workers; per-ad work (entities, template
//! keys, the classifier's features) is spread over every core with `redflag_core::par::map`, and the
//! extraction and scoring of one batch overlap the writing of the one before it.
//!
//! # Incremental analysis
//!
//! A run costs in proportion to the new and changed ads, not to the store. Extraction also keeps each
//! ad's template band keys and the corpus's shingle counts in the store (`keys`). Linking then covers
//! only the part of the store the new and changed ads can affect ([`part`]: ads sharing a band key, a
//! picture or a contact with them, and whole networks), with the corpus-wide figures linking needs — the
//! store's size for site-wide contacts, each contact's and each shingle's count — read from the store
//! (`redflag_core::link::Corpus`). Its networks and links replace theirs; the rest of the store keeps its
//! own.
//!
//! Scoring looks at networks (a phone shared by many ads in many cities is itself an indicator; so are a
//! contact shared by job ads and escort ads and several names behind one network, see [`context`]), and one
//! new ad can change the network of many old ones: every relinked ad whose network context (or cluster)
//! differs from the one it was last scored with is rescored and reindexed with the new and changed ads,
//! and no other ad is.
//!
//! A full analysis ([`AnalyzeOptions::all`], `redflag analyze --all`) relinks, rescores and reindexes
//! every ad and recounts the keys. It runs by itself once on a store whose analysed ads have no keys yet,
//! and when the new and changed ads make up half the store or more (a first analysis, say): it then costs
//! at most twice what analysing them alone would, and writes their keys in one sorted pass instead of
//! through the recent level. A run whose affected part makes up half the store or more relinks everything,
//! which costs no more. Index documents of ads that were not rescored keep the `last_seen` they were indexed
//! with until their next rescoring or a full analysis.

pub mod context;
pub mod eval;
mod keys;
mod networks;
pub mod part;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use redflag_classifier::{AdInput, Classifier};
use redflag_core::extract::city::city_country;
use redflag_core::extract::email::on_site_domain;
use redflag_core::extract::phone::country_of;
use redflag_core::extract::{ExtractOptions, extract};
use redflag_core::link::employer::named_employer;
use redflag_core::link::{Corpus, LinkOptions, NetworkContext, TemplateKeys, template_keys};
use redflag_core::{AdFields, AdKind, Assessment, EntityKind, Extracted};
use redflag_index::{AdDoc, AdIndex};
use redflag_store::analysis::NewScore;
use redflag_store::{AdForAnalysis, Store};

/// What went wrong in analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] redflag_store::Error),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] redflag_index::Error),
    /// A blocking worker thread panicked or was cancelled.
    #[error("analysis worker failed: {0}")]
    Worker(String),
}

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Options for [`analyze`].
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Re-extract and rescore every ad, not only stale ones.
    pub all: bool,
    /// Ads per batch (and per transaction).
    pub batch: usize,
    /// Linking settings.
    pub link: LinkOptions,
    /// Deliveries queued for every alert the run raises.
    pub alerts: watch::AlertTargets,
    /// An incremental run keeps the template keys it writes in the store's recent level, and merges that
    /// level into the large tables once it holds keys of `1 / recent_share` of the store's ads (or more):
    /// one sorted pass every so often rather than writes all over the large tables on every run (see
    /// `redflag_store::relink`). 0 never merges; `u64::MAX` merges after every run.
    pub recent_share: u64,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        Self {
            all: false,
            batch: 500,
            link: LinkOptions::default(),
            alerts: watch::AlertTargets::default(),
            recent_share: 8,
        }
    }
}

/// The stages of a run, in order, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Entity extraction from new and changed ads.
    Extract,
    /// Network linking of the part of the store the stale ads can affect (every ad on a full run).
    Link,
    /// Scoring the new and changed ads and those whose network changed.
    Score,
    /// Writing the search index.
    Index,
}

impl Stage {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Extract => "extract",
            Stage::Link => "link",
            Stage::Score => "score",
            Stage::Index => "index",
        }
    }
}

/// Receives progress; the binary draws bars from it. Calls come from the async task running the
/// pipeline and must return quickly.
pub trait Progress: Send + Sync {
    /// A stage starts with `total` items.
    fn start(&self, stage: Stage, total: u64);
    /// `n` more items of the current stage are done.
    fn advance(&self, n: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct AnalyzeSummary {
    /// Ads whose entities were (re)extracted.
    pub extracted: u64,
    /// Entities found in them.
    pub entities: u64,
    /// Ads linked: every ad on a full analysis, else the part of the store that the new and changed ads
    /// can affect ([`part`]).
    pub linked: u64,
    /// Ads scored: the new and changed ads and those whose network context changed (every ad with
    /// [`AnalyzeOptions::all`]).
    pub scored: u64,
    /// Networks of concern (groups of more than one ad that are not one advertiser's own postings) among the
    /// linked ads.
    pub networks: u64,
    /// Ads in such networks.
    pub networked_ads: u64,
    /// Groups of ads that all name one advertiser (see `redflag_core::link::GroupKind`).
    pub advertiser_groups: u64,
    /// Contacts found in both job ads and escort ads (`redflag_core::link::crosskind`).
    pub job_escort_contacts: u64,
    /// Ads written to the index.
    pub indexed: u64,
    /// Ads scored at or above 50.
    pub high_risk: u64,
    /// Alerts raised by watches that new and changed ads matched.
    pub alerts: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Logs how long a step of a run took, at debug level (`RUST_LOG=redflag_analyze=debug`), and restarts
/// the clock.
pub(crate) fn took(step: &'static str, clock: &mut Instant) {
    tracing::debug!(step, seconds = format!("{:.2}", clock.elapsed().as_secs_f64()), "analysis step");
    *clock = Instant::now();
}

pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Worker(e.to_string()))
}

/// Extraction options for an ad: national phone numbers are read in the ad's own country — the
/// country of its city when the gazetteer knows it (boards often carry ads from several countries), else
/// the country of a number the ad writes with its country code (`+44 …` beside `020 …`), else the site's
/// country.
fn extract_opts(ad: &AdForAnalysis) -> ExtractOptions {
    let from_city = ad.fields.city.as_deref().and_then(|city| {
        let found = extract(city, &ExtractOptions::default());
        found.of_kind(EntityKind::City).find_map(|c| city_country(&c.value)).map(str::to_string)
    });
    let stated = || {
        let found = extract(&ad.fields.all_text(), &ExtractOptions::default());
        found.of_kind(EntityKind::Phone).find_map(|p| country_of(&p.value))
    };
    ExtractOptions { default_country: from_city.or_else(stated).or_else(|| ad.country.clone()) }
}

/// The advertiser an ad names: its company field, else the employer its text names
/// (`redflag_core::link::employer`); the flag says whether the name came from the text.
pub fn advertiser(ad: &AdForAnalysis) -> Option<(String, bool)> {
    let field = ad.fields.company.as_deref().map(str::trim).filter(|c| !c.is_empty());
    match field {
        Some(c) => Some((c.to_string(), false)),
        None => named_employer(&ad.fields.body, ad.kind == AdKind::Job).map(|n| (n, true)),
    }
}

/// Extracts the entities of an ad from all its text.
///
/// E-mail addresses on the ad's own site (its relay, reply and support addresses) are not the ad's
/// contacts and are left out (`redflag_core::extract::email::on_site_domain`).
pub fn extract_ad(ad: &AdForAnalysis) -> Extracted {
    let mut ex = extract(&ad.fields.all_text(), &extract_opts(ad));
    if let Some(host) = url::Url::parse(&ad.url).ok().and_then(|u| u.host_str().map(str::to_string)) {
        ex.entities.retain(|e| e.kind != EntityKind::Email || !on_site_domain(&e.value, &host));
    }
    ex
}

/// Runs the whole pipeline: over every ad with [`AnalyzeOptions::all`], else over the new and changed ads
/// and the part of the store they can affect (see the crate documentation).
pub async fn analyze(
    store: &Store,
    classifier: Arc<Classifier>,
    index: Arc<AdIndex>,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<AnalyzeSummary> {
    let started = Instant::now();
    let mut summary = AnalyzeSummary::default();
    let batch = opts.batch.max(1) as i64;
    // Analysed ads without counted template keys (a store analysed before they were kept, or a full
    // analysis interrupted after clearing them) need one full analysis first; so does a store of which
    // half or more is new or changed (see the crate documentation).
    let mut clock = Instant::now();
    let stored = u64::try_from(store.ad_count().await?).unwrap_or(0);
    let stale = store.count_stale().await?;
    let all = opts.all || store.needs_full_relink().await? || (stale > 0 && stale.saturating_mul(2) >= stored);
    if all {
        let mut tx = store.begin().await?;
        redflag_store::relink::clear_link_keys(&mut tx).await?;
        tx.commit().await.map_err(redflag_store::Error::from)?;
    } else {
        redflag_store::relink::ensure_key_index(store).await?;
    }

    // 1. Entities and template keys of stale ads.
    let stale_total = if all { stored } else { stale };
    took("count stale ads", &mut clock);
    let mut pending = keys::BatchKeys::default();
    let mut full_keys = keys::FullKeys::default();
    progress.start(Stage::Extract, stale_total);
    let mut extracted_versions: HashSet<(i64, i64)> = HashSet::new();
    let mut after = 0;
    // One batch is extracted while the one before it is written (as in scoring below): a batch's
    // reads and its CPU work do not depend on the writes of the batch before it, which concern other ads.
    let mut running = start_extract(store, &mut after, batch, all, &opts.link).await?;
    while let Some(previous) = running.take() {
        running = start_extract(store, &mut after, batch, all, &opts.link).await?;
        let (extracted, batch_keys) = previous.await.map_err(|e| Error::Worker(e.to_string()))?;
        let rows: Vec<(i64, i64, &[redflag_core::Entity])> =
            extracted.iter().map(|(ad_id, version, ex)| (*ad_id, *version, ex.entities.as_slice())).collect();
        let versions: Vec<(i64, i64)> = rows.iter().map(|(ad, v, _)| (*ad, *v)).collect();
        summary.entities += rows.iter().map(|(_, _, es)| es.len() as u64).sum::<u64>();
        extracted_versions.extend(versions.iter().copied());
        let mut tx = store.begin().await?;
        redflag_store::analysis::replace_entities_of(&mut tx, &rows).await?;
        redflag_store::watches::mark_pending_all(&mut tx, &versions).await?;
        tx.commit().await.map_err(redflag_store::Error::from)?;
        drop(rows);
        if all {
            full_keys.absorb(batch_keys);
        } else {
            pending.absorb(batch_keys);
            if pending.delta.len() >= keys::PENDING_SHINGLES {
                pending.flush(store).await?;
            }
        }
        summary.extracted += extracted.len() as u64;
        progress.advance(extracted.len() as u64);
    }
    took("extract: entities", &mut clock);
    pending.flush(store).await?;
    if all {
        full_keys.write(store).await?;
    }
    progress.finish();
    took("extract: template keys", &mut clock);
    if summary.extracted == 0 && !all {
        // Nothing changed since the last run: networks and scores stand; versions an interrupted run
        // scored but did not match yet are matched now.
        summary.alerts = watch::match_pending(store, &opts.alerts).await?.alerts;
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }

    // 2. Networks, over every ad or over the part of the store the stale ads can affect.
    let total = usize::try_from(store.ad_count().await?).unwrap_or(0);
    let mut seeds: Vec<i64> = extracted_versions.iter().map(|(id, _)| *id).collect();
    seeds.sort_unstable();
    seeds.dedup();
    took("count ads", &mut clock);
    // Relinking more than half the store costs about what relinking all of it does.
    let part = if all || seeds.len() * 2 >= total {
        None
    } else {
        part::find(store, &seeds, total, total / 2, &opts.link).await?
    };
    took("find the part", &mut clock);
    let linked = match &part {
        None => load_all(store, batch).await?,
        Some(p) => store.ads_for_analysis_of(&p.ids).await?,
    };
    took("load the ads to link", &mut clock);
    // Versions stored after extraction finished (a crawl running beside analysis: new ads, or new
    // versions of old ones) are linked and indexed but not scored: scoring marks a version analysed,
    // and these have neither entities nor a place in the alert queue yet. They stay stale, so the
    // next run extracts, queues and scores them.
    let late: HashSet<(i64, i64)> =
        store.stale_versions().await?.into_iter().filter(|v| !extracted_versions.contains(v)).collect();
    took("late versions", &mut clock);
    progress.start(Stage::Link, linked.len() as u64);
    let whole = part.is_none();
    let (contacts, images, sites, corpus) = match part {
        None => (
            store.contact_keys().await?,
            store.image_fingerprints().await?,
            store.ad_sites_and_fetch_times().await?,
            Corpus::default(),
        ),
        Some(p) => {
            let mut images = store.image_fingerprints_of(&p.ids).await?;
            images.retain(|(_, fp)| !p.crowded_pictures.contains(&fp.hash));
            took("the part's pictures", &mut clock);
            let shingle_ads = shingle_counts(store, &linked, &opts.link).await?;
            took("shingle counts", &mut clock);
            let corpus = Corpus { ads: total, contact_ads: p.contact_ads, shingle_ads };
            let contacts = store.contact_keys_of(&p.ids).await?;
            took("the part's contacts", &mut clock);
            let sites = store.ad_sites_and_fetch_times_of(&p.ids).await?;
            took("the part's sites", &mut clock);
            (contacts, images, sites, corpus)
        }
    };
    summary.linked = linked.len() as u64;
    let link_opts = opts.link.clone();
    let (linked, networks, job_escort) =
        blocking(move || networks::link(linked, contacts, &images, &sites, &corpus, &link_opts)).await?;
    took("link", &mut clock);
    summary.job_escort_contacts = job_escort.len() as u64;
    let clusters: Vec<(i64, i64)> = networks.cluster_of.iter().map(|(a, c)| (*a, *c)).collect();
    networks::count(&networks, &mut summary);
    let mut tx = store.begin().await?;
    if whole {
        redflag_store::analysis::replace_networks(&mut tx, &clusters, &networks.kind_of, &networks.links).await?;
    } else {
        redflag_store::analysis::replace_networks_of(&mut tx, &clusters, &networks.kind_of, &networks.links).await?;
    }
    tx.commit().await.map_err(redflag_store::Error::from)?;
    took("write networks", &mut clock);
    progress.advance(linked.len() as u64);
    progress.finish();

    // 3 and 4. Score the new and changed ads and those whose network context changed (every ad with
    // `all`), then index them.
    let ids: Vec<i64> = linked.iter().map(|a| a.ad_id).collect();
    let digests = store.context_digests(&ids).await?;
    let fresh: HashSet<i64> = seeds.into_iter().collect();
    let due: Vec<AdForAnalysis> = linked
        .into_iter()
        .filter(|a| {
            let now = networks::digest(networks.context.get(&a.ad_id), networks.cluster_of.get(&a.ad_id).copied());
            all || fresh.contains(&a.ad_id) || digests.get(&a.ad_id).copied().flatten() != Some(now)
        })
        .collect();
    took("context digests", &mut clock);
    progress.start(Stage::Score, due.len() as u64);
    let contexts = Arc::new(networks.context);
    let cluster_of = Arc::new(networks.cluster_of);
    let mut docs: Vec<AdDoc> = Vec::with_capacity(due.len());
    // One chunk is scored while the one before it is written: the writes of a large store are random
    // B-tree inserts that would otherwise leave the cores idle.
    let mut chunks = due.chunks(batch as usize);
    let start = |chunk: Option<&[AdForAnalysis]>| {
        chunk.map(|chunk| {
            let chunk = chunk.to_vec();
            let (c, ctx, cl) = (classifier.clone(), contexts.clone(), cluster_of.clone());
            tokio::task::spawn_blocking(move || score_chunk(&c, &ctx, &cl, chunk))
        })
    };
    let mut next = start(chunks.next());
    while let Some(running) = next.take() {
        let scored = running.await.map_err(|e| Error::Worker(e.to_string()))?;
        next = start(chunks.next());
        let rows: Vec<NewScore<'_>> = scored
            .iter()
            .filter(|(ad, _, _)| !late.contains(&(ad.ad_id, ad.version)))
            .map(|(ad, assessment, _)| NewScore {
                ad_id: ad.ad_id,
                version: ad.version,
                assessment,
                context_digest: Some(networks::digest(contexts.get(&ad.ad_id), cluster_of.get(&ad.ad_id).copied())),
            })
            .collect();
        summary.high_risk += rows.iter().filter(|r| r.assessment.risk >= 50).count() as u64;
        let mut tx = store.begin().await?;
        redflag_store::analysis::save_scores(&mut tx, &rows).await?;
        tx.commit().await.map_err(redflag_store::Error::from)?;
        drop(rows);
        summary.scored += scored.len() as u64;
        progress.advance(scored.len() as u64);
        docs.extend(scored.into_iter().map(|(_, _, d)| d));
    }
    progress.finish();
    took("score", &mut clock);
    summary.indexed = write_index(store, index, docs, progress).await?;
    took("index", &mut clock);
    summary.alerts = watch::match_pending(store, &opts.alerts).await?.alerts;
    took("alerts", &mut clock);
    if !all {
        let recent = store.recent_keyed_ads().await?;
        if recent > 0 && recent.saturating_mul(opts.recent_share) >= total as u64 {
            store.merge_recent_keys().await?;
            took("merge the recent template keys", &mut clock);
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// How many ads of the store carry each shingle that template linking of `ads` weighs: the shingles of
/// the ads that share an LSH band key with another of them. The others are never compared with anything,
/// so their weights do not matter, and most ads of a part are such ads.
async fn shingle_counts(store: &Store, ads: &[AdForAnalysis], opts: &LinkOptions) -> Result<HashMap<u32, u32>> {
    let texts: Vec<String> = ads.iter().map(|a| a.fields.scoring_text()).collect();
    let opts = opts.clone();
    let wanted: Vec<u32> = blocking(move || {
        let keys: Vec<TemplateKeys> = texts.iter().map(|t| template_keys(t, &opts)).collect();
        let mut carriers: HashMap<u64, u32> = HashMap::new();
        for b in keys.iter().flat_map(|k| &k.bands) {
            *carriers.entry(*b).or_default() += 1;
        }
        let mut wanted: Vec<u32> = keys
            .iter()
            .filter(|k| k.bands.iter().any(|b| carriers.get(b).is_some_and(|&n| n > 1)))
            .flat_map(|k| k.shingles.iter().copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
    })
    .await?;
    Ok(store.shingle_counts(&wanted).await?)
}

async fn load_all(store: &Store, batch: i64) -> Result<Vec<AdForAnalysis>> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let ads = store.ads_for_analysis(after, batch.max(1000), true).await?;
        let Some(last) = ads.last() else { break };
        after = last.ad_id;
        all.extend(ads);
    }
    Ok(all)
}

type Scored = (AdForAnalysis, Assessment, AdDoc);

/// A batch's extracted entities (ad id, version, entities) and template keys.
type ExtractedBatch = (Vec<(i64, i64, Extracted)>, keys::BatchKeys);

/// Reads the batch of ads after `after` (moving it past them) and starts extracting their entities
/// and template keys on a blocking thread; `None` once no ad is left.
async fn start_extract(
    store: &Store,
    after: &mut i64,
    batch: i64,
    all: bool,
    link: &LinkOptions,
) -> Result<Option<tokio::task::JoinHandle<ExtractedBatch>>> {
    let ads = store.ads_for_analysis(*after, batch, all).await?;
    let Some(last) = ads.last() else { return Ok(None) };
    *after = last.ad_id;
    let (keyed, old) = keys::previous(store, &ads).await?;
    let link = link.clone();
    Ok(Some(tokio::task::spawn_blocking(move || {
        let batch_keys = keys::batch_keys(&ads, &keyed, &old, &link);
        let extracted = redflag_core::par::map(&ads, |a| (a.ad_id, a.version, extract_ad(a)));
        (extracted, batch_keys)
    })))
}

fn score_chunk(
    classifier: &Classifier,
    contexts: &HashMap<i64, NetworkContext>,
    cluster_of: &HashMap<i64, i64>,
    chunk: Vec<AdForAnalysis>,
) -> Vec<Scored> {
    let extracted: Vec<Extracted> = redflag_core::par::map(&chunk, extract_ad);
    let inputs: Vec<AdInput<'_>> = chunk
        .iter()
        .zip(&extracted)
        .map(|(a, ex)| AdInput {
            kind: Some(a.kind),
            fields: Some(&a.fields),
            extracted: Some(ex),
            network: contexts.get(&a.ad_id).copied(),
            ..AdInput::new(&a.fields.title, &a.fields.body)
        })
        .collect();
    let assessments = classifier.assess_batch(&inputs);
    drop(inputs);
    chunk
        .into_iter()
        .zip(assessments)
        .zip(extracted)
        .map(|((ad, assessment), ex)| {
            let doc = ad_doc(&ad, &assessment, &ex, cluster_of.get(&ad.ad_id).copied());
            (ad, assessment, doc)
        })
        .collect()
}

/// The index document for an analysed ad.
pub fn ad_doc(ad: &AdForAnalysis, a: &Assessment, ex: &Extracted, cluster: Option<i64>) -> AdDoc {
    doc_from_parts(ad.ad_id, ad.kind, &ad.fields, a, ex, cluster)
}

pub(crate) fn doc_from_parts(
    ad_id: i64,
    kind: AdKind,
    fields: &AdFields,
    a: &Assessment,
    ex: &Extracted,
    cluster: Option<i64>,
) -> AdDoc {
    AdDoc {
        ad_id,
        kind: Some(kind),
        site: String::new(),
        title: fields.title.clone(),
        body: fields.body.clone(),
        city: fields.city.clone(),
        phones: ex.values(EntityKind::Phone),
        emails: ex.values(EntityKind::Email),
        handles: ex.values(EntityKind::Handle),
        indicators: a.indicators.iter().map(|i| i.id.clone()).collect(),
        risk: a.risk,
        language: a.language.clone(),
        cluster,
        last_seen: 0,
    }
}

/// Fills in what only the store knows (site name, last sighting) and writes the documents.
async fn write_index(store: &Store, index: Arc<AdIndex>, mut docs: Vec<AdDoc>, progress: &dyn Progress) -> Result<u64> {
    progress.start(Stage::Index, docs.len() as u64);
    let sites: HashMap<i64, String> = store.sites().await?.into_iter().map(|s| (s.id, s.name)).collect();
    let ids: Vec<i64> = docs.iter().map(|d| d.ad_id).collect();
    let meta = store.ad_meta_of(&ids).await?;
    for d in &mut docs {
        if let Some((site_id, last_seen)) = meta.get(&d.ad_id) {
            d.site = sites.get(site_id).cloned().unwrap_or_default();
            d.last_seen = *last_seen;
        }
    }
    let n = docs.len() as u64;
    blocking(move || -> Result<()> {
        for chunk in docs.chunks(1000) {
            index.upsert(chunk)?;
        }
        index.commit()?;
        Ok(())
    })
    .await??;
    progress.advance(n);
    progress.finish();
    Ok(n)
}

/// Rebuilds the search index from the store's current ads and latest scores, without rescoring.
pub async fn reindex(store: &Store, index: Arc<AdIndex>, progress: &dyn Progress) -> Result<u64> {
    let all = load_all(store, 1000).await?;
    let mut docs = Vec::with_capacity(all.len());
    for ad in &all {
        let ex = extract_ad(ad);
        let row = store.ad(ad.ad_id).await?;
        let score = store.latest_score(ad.ad_id).await?;
        let assessment = Assessment {
            kind: ad.kind,
            probability: score.as_ref().map(|s| s.probability as f32).unwrap_or(0.0),
            risk: score.as_ref().map(|s| s.risk.clamp(0, 100) as u8).unwrap_or(0),
            verdict: redflag_core::Verdict::LikelyLegitimate,
            language: score.as_ref().and_then(|s| s.language.clone()),
            language_supported: true,
            indicators: score.map(|s| s.indicators).unwrap_or_default(),
            model: String::new(),
        };
        docs.push(doc_from_parts(ad.ad_id, ad.kind, &ad.fields, &assessment, &ex, row.cluster_id));
    }
    index.clear()?;
    write_index(store, index, docs, progress).await
}
