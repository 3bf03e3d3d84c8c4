//! Incremental analysis: a store analysed batch by batch, as crawls arrive, ends with the networks, kinds
//! and scores of one analysis of everything, while each later run relinks and rescores only the part of
//! the store its new ads can affect.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use redflag_analyze::{AnalyzeOptions, AnalyzeSummary, NoProgress, analyze};
use redflag_classifier::Classifier;
use redflag_core::link::GroupKind;
use redflag_core::{AdFields, AdKind};
use redflag_index::AdIndex;
use redflag_store::Store;
use redflag_store::ads::{NewAdVersion, upsert_version};
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};

/// One ad of the corpus: its key, kind, fields.
#[derive(Clone)]
struct Ad {
    key: String,
    kind: AdKind,
    fields: AdFields,
}

/// Made-up lowercase words, so that texts share no phrase by chance and nothing reads as a name.
fn words(seed: u64, n: usize) -> String {
    const SYLLABLES: [&str; 12] = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ri", "fa"];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    (0..n)
        .map(|_| (0..3).map(|_| SYLLABLES[next() % SYLLABLES.len()]).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

const NAMES: [&str; 6] = ["Mia", "Sofia", "Lena", "Ana", "Kim", "Nora"];
const CITIES: [&str; 4] = ["Denver", "Austin", "Reno", "Boise"];

fn escort(key: String, body: String, city: &str) -> Ad {
    let fields = AdFields { title: "Companion".into(), body, city: Some(city.into()), ..AdFields::default() };
    Ad { key, kind: AdKind::Escort, fields }
}

fn job(key: String, body: String, company: &str) -> Ad {
    let fields = AdFields {
        title: "Warehouse work".into(),
        body,
        city: Some("Denver".into()),
        company: Some(company.into()),
        ..AdFields::default()
    };
    Ad { key, kind: AdKind::Job, fields }
}

/// The corpus: networks that share only a text template, networks that share only a phone, one
/// employer's postings, a job board's relay address on ads of four employers, and single ads.
fn corpus() -> Vec<Ad> {
    let mut ads = Vec::new();
    for t in 0..6u64 {
        let template = words(100 + t, 40);
        for k in 0..5usize {
            let body = format!(
                "{template}. Ask for {} in {}, call 303-555-{:04}.",
                NAMES[k],
                CITIES[k % 4],
                1000 + t * 10 + k as u64
            );
            ads.push(escort(format!("t{t}-{k}"), body, CITIES[k % 4]));
        }
    }
    for p in 0..8u64 {
        for k in 0..4u64 {
            let body = format!("{}. Call 720-555-{:04}.", words(200 + p * 10 + k, 30), 2000 + p);
            ads.push(escort(format!("p{p}-{k}"), body, CITIES[(p % 4) as usize]));
        }
    }
    for k in 0..3u64 {
        let body = format!("{}. Apply on 720-555-3000.", words(300 + k, 30));
        ads.push(job(format!("n{k}"), body, "Northgate Logistics"));
    }
    for (k, company) in ["Acme Storage", "Birch Freight", "Cobalt Foods", "Delta Parcel"].iter().enumerate() {
        let body = format!("{}. Apply: jobs@boardmail.example or 720-555-{:04}.", words(400 + k as u64, 30), 4000 + k);
        ads.push(job(format!("r{k}"), body, company));
    }
    for s in 0..300u64 {
        let body = format!("{}. Text 720-555-{:04}.", words(500 + s, 30), 5000 + s);
        ads.push(escort(format!("s{s}"), body, CITIES[(s % 4) as usize]));
    }
    // Interleave so that every network spans the batches.
    ads.sort_by_key(|a| (a.key.len() % 3, a.key.chars().rev().collect::<String>()));
    ads
}

async fn insert(store: &Store, ads: &[Ad], fetched_at: i64) {
    let mut sites = BTreeMap::new();
    for (name, kind) in [("escorts", AdKind::Escort), ("jobs", AdKind::Job)] {
        let site = NewSite { name, kind, country: Some("US"), language: None, config: "" };
        sites.insert(name, store.upsert_site(&site).await.unwrap());
    }
    let mut tx = store.begin().await.unwrap();
    for a in ads {
        let site = if a.kind == AdKind::Job { "jobs" } else { "escorts" };
        let url = format!("http://board.example/{}", a.key);
        let v = NewAdVersion {
            site_id: sites[site],
            ad_key: &a.key,
            kind: a.kind,
            url: &url,
            canonical_url: None,
            fields: &a.fields,
            page_id: None,
            fetched_at,
        };
        upsert_version(&mut tx, &v).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn run(store: &Store, classifier: &Arc<Classifier>, index: &Arc<AdIndex>) -> AnalyzeSummary {
    analyze(store, classifier.clone(), index.clone(), &AnalyzeOptions::default(), &NoProgress).await.unwrap()
}

/// [`run`], keeping the template keys it writes in the store's recent level (never merged).
async fn run_unmerged(store: &Store, classifier: &Arc<Classifier>, index: &Arc<AdIndex>) -> AnalyzeSummary {
    let opts = AnalyzeOptions { recent_share: 0, ..Default::default() };
    analyze(store, classifier.clone(), index.clone(), &opts, &NoProgress).await.unwrap()
}

/// What analysis left in a store: each group of more than one ad (as ad keys) with its kind, and each
/// ad's risk.
type Outcome = (BTreeSet<(BTreeSet<String>, &'static str)>, BTreeMap<String, Option<i64>>);

async fn outcome(store: &Store) -> Outcome {
    let mut groups: BTreeMap<i64, (BTreeSet<String>, &'static str)> = BTreeMap::new();
    let mut risks = BTreeMap::new();
    for row in store.export_batch(0, 10_000).await.unwrap() {
        let ad = store.ad(row.id).await.unwrap();
        risks.insert(ad.ad_key.clone(), ad.risk);
        let cluster = ad.cluster_id.expect("every analysed ad has a cluster");
        let kind = ad.cluster_kind.unwrap_or(GroupKind::Network).as_str();
        groups.entry(cluster).or_insert_with(|| (BTreeSet::new(), kind)).0.insert(ad.ad_key);
    }
    (groups.into_values().filter(|(ads, _)| ads.len() > 1).collect(), risks)
}

/// The two stores of each backend: one analysed at once, one batch by batch.
async fn pairs() -> Vec<(TestStore, TestStore)> {
    let mut out = vec![(testkit::sqlite().await, testkit::sqlite().await)];
    if let (Some(a), Some(b)) = (testkit::postgres().await, testkit::postgres().await) {
        out.push((a, b));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn analysing_in_batches_gives_the_networks_and_scores_of_one_full_analysis() {
    let classifier = Arc::new(Classifier::bundled().unwrap());
    let ads = corpus();
    // The last batch: an ad of a template network, of a phone network, of the relay and of the employer.
    let last = ["t1-4", "p5-3", "r2", "n1"];
    let (late, early): (Vec<Ad>, Vec<Ad>) = ads.iter().cloned().partition(|a| last.contains(&a.key.as_str()));
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for (i, a) in early.into_iter().enumerate() {
        if i % 10 < 7 || a.key == "p3-1" { first.push(a) } else { rest.push(a) }
    }
    // An ad of a phone network, analysed in the first batch, changes its number in the second: it leaves
    // its network.
    let mut moved = ads.iter().find(|a| a.key == "p3-1").unwrap().clone();
    moved.fields.body = moved.fields.body.replace("720-555-2003", "720-555-6666");

    for (whole, batched) in pairs().await {
        let label = whole.label;
        insert(&whole, &ads, 1_741_000_000_000).await;
        insert(&whole, std::slice::from_ref(&moved), 1_741_000_500_000).await;
        let index = Arc::new(AdIndex::in_memory().unwrap());
        let full = run(&whole, &classifier, &index).await;
        assert_eq!(full.linked, ads.len() as u64, "{label}: {full:?}");

        let index = Arc::new(AdIndex::in_memory().unwrap());
        // The first run is a full analysis (all its ads are new). The second keeps its template keys in
        // the recent level, so the third reads both levels; the third merges them (a store this small
        // always holds more than its share).
        insert(&batched, &first, 1_741_000_000_000).await;
        let first_run = run_unmerged(&batched, &classifier, &index).await;
        assert_eq!(batched.recent_keyed_ads().await.unwrap(), 0, "{label}: {first_run:?}");
        insert(&batched, &rest, 1_741_000_000_000).await;
        insert(&batched, std::slice::from_ref(&moved), 1_741_000_500_000).await;
        let second = run_unmerged(&batched, &classifier, &index).await;
        assert!(batched.recent_keyed_ads().await.unwrap() > 0, "{label}");
        assert_eq!(second.extracted, rest.len() as u64 + 1, "{label}: {second:?}");
        insert(&batched, &late, 1_741_000_000_000).await;
        let third = run(&batched, &classifier, &index).await;
        assert_eq!(batched.recent_keyed_ads().await.unwrap(), 0, "{label}: the third run merges");
        // The last batch touches four networks: it relinks them whole, and far fewer ads than the store holds.
        assert_eq!(third.extracted, late.len() as u64, "{label}: {third:?}");
        assert_eq!(third.linked, 5 + 4 + 4 + 3, "{label}: {third:?}");
        assert!(third.linked < ads.len() as u64 / 2, "{label}: {third:?}");
        assert!(third.scored < ads.len() as u64 / 2, "{label}: {third:?}");

        let (want_groups, want_risks) = outcome(&whole).await;
        let (got_groups, got_risks) = outcome(&batched).await;
        assert_eq!(got_groups, want_groups, "{label}");
        assert_eq!(got_risks, want_risks, "{label}");
        // The planted structure is there: six template networks, eight phone networks (one ad moved
        // out of one), one employer's postings; the relay joins nobody.
        let sizes: Vec<(usize, GroupKind)> = want_groups.iter().map(|(g, k)| (g.len(), GroupKind::parse(k))).collect();
        assert_eq!(sizes.iter().filter(|(n, k)| *n == 5 && *k == GroupKind::Network).count(), 6, "{label}: {sizes:?}");
        assert_eq!(sizes.iter().filter(|(n, k)| *n == 4 && *k == GroupKind::Network).count(), 7, "{label}: {sizes:?}");
        assert_eq!(sizes.iter().filter(|(n, k)| *n == 3 && *k == GroupKind::Network).count(), 1, "{label}: {sizes:?}");
        assert!(sizes.contains(&(3, GroupKind::SameAdvertiser)), "{label}: {sizes:?}");
        assert!(!want_groups.iter().any(|(g, _)| g.contains("r0")), "{label}: the relay joined its ads");

        // A full analysis of the batched store changes nothing.
        let again = analyze(
            &batched,
            classifier.clone(),
            index.clone(),
            &AnalyzeOptions { all: true, ..Default::default() },
            &NoProgress,
        )
        .await
        .unwrap();
        assert_eq!(again.linked, ads.len() as u64, "{label}");
        assert_eq!(outcome(&batched).await, (want_groups, want_risks), "{label}");
    }
}

/// Removing a site, or purging ads past retention, takes their template keys with them (they reference
/// the ads): both work on an analysed store whose keys sit in both levels.
#[tokio::test(flavor = "multi_thread")]
async fn analysed_ads_can_be_purged_and_their_site_removed() {
    let classifier = Arc::new(Classifier::bundled().unwrap());
    let ads = corpus();
    // Fewer new ads than old: their run is incremental, not a full analysis.
    let (old, new) = ads.split_at(ads.len() * 2 / 3);
    let mut stores = vec![testkit::sqlite().await];
    stores.extend(testkit::postgres().await);
    for store in stores {
        let label = store.label;
        let index = Arc::new(AdIndex::in_memory().unwrap());
        insert(&store, old, 1_741_000_000_000).await;
        run(&store, &classifier, &index).await;
        insert(&store, new, 1_742_000_000_000).await;
        run_unmerged(&store, &classifier, &index).await;
        assert!(store.recent_keyed_ads().await.unwrap() > 0, "{label}");

        let (purged, _) = store.purge_older_than(1_741_500_000_000, "test").await.unwrap();
        assert_eq!(purged, old.len() as u64, "{label}");
        let again = run(&store, &classifier, &index).await;
        assert_eq!(again.extracted, 0, "{label}: {again:?}");

        let jobs = store.sites().await.unwrap().into_iter().find(|s| s.name == "jobs").unwrap();
        let removed = store.delete_site(jobs.id, "test").await.unwrap();
        assert!(removed > 0, "{label}");
        let left = store.ad_count().await.unwrap();
        assert_eq!(left as usize, new.iter().filter(|a| a.kind != AdKind::Job).count(), "{label}");
    }
}
