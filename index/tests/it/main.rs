//! Search index tests: in RAM for behaviour, on disk for persistence.

use redflag_core::AdKind;
use redflag_index::{AdDoc, AdIndex, FacetCount, RiskBand, SearchQuery, SortBy};

fn doc(id: i64, kind: AdKind, title: &str, body: &str, risk: u8) -> AdDoc {
    AdDoc {
        ad_id: id,
        kind: Some(kind),
        site: "demo".into(),
        title: title.into(),
        body: body.into(),
        risk,
        ..Default::default()
    }
}

fn sample() -> AdIndex {
    let ix = AdIndex::in_memory().unwrap();
    ix.upsert(&[
        AdDoc {
            phones: vec!["+17025550148".into()],
            city: Some("Las Vegas".into()),
            ..doc(1, AdKind::Escort, "Sweet company", "Call me for a relaxing dinner date", 80)
        },
        AdDoc {
            emails: vec!["jobs@example.com".into()],
            ..doc(2, AdKind::Job, "Camarera en Madrid", "Se busca camarera, pago semanal, sin experiencia", 65)
        },
        AdDoc {
            handles: vec!["telegram:boss_mike".into()],
            indicators: vec!["job.fee_required".into()],
            ..doc(3, AdKind::Job, "Hotel staff abroad", "Visa fee required before travel. Dinner shifts.", 95)
        },
        doc(4, AdKind::Job, "Café cashier", "Cashier for our café downtown", 5),
    ])
    .unwrap();
    ix.commit().unwrap();
    ix
}

fn ids(ix: &AdIndex, q: SearchQuery) -> Vec<i64> {
    ix.search(&q).unwrap().hits.iter().map(|h| h.ad_id).collect()
}

fn text(t: &str) -> SearchQuery {
    SearchQuery { text: t.into(), ..Default::default() }
}

#[test]
fn words_match_across_case_and_accents() {
    let ix = sample();
    assert_eq!(ids(&ix, text("cafe")), [4]);
    assert_eq!(ids(&ix, text("CAMARERA")), [2]);
    let mut dinner = ids(&ix, text("dinner"));
    dinner.sort();
    assert_eq!(dinner, [1, 3]);
    assert_eq!(ids(&ix, text("dinner visa")), [3], "terms are ANDed by default");
    assert_eq!(ids(&ix, text("\"relaxing dinner\"")), [1]);
}

#[test]
fn phones_emails_and_handles_are_found_in_any_written_form() {
    let ix = sample();
    for q in ["+17025550148", "702-555-0148", "(702) 555 0148", "17025550148"] {
        assert_eq!(ids(&ix, text(q)), [1], "{q}");
    }
    assert_eq!(ids(&ix, text("jobs@example.com")), [2]);
    assert_eq!(ids(&ix, text("handle:boss_mike")), [3]);
    assert_eq!(ids(&ix, text("indicator:job.fee_required")), [3]);
    assert_eq!(ids(&ix, text("city:vegas")), [1]);
    assert_eq!(ids(&ix, text("boss_mike")), [3], "a handle without its field");
    assert_eq!(ids(&ix, text("@boss_mike")), [3]);
    assert_eq!(ids(&ix, text("telegram:boss_mike")), [3]);
}

#[test]
fn words_are_found_in_title_city_and_body_together_and_a_title_word_weighs_more() {
    let ix = sample();
    assert_eq!(ids(&ix, text("vegas relaxing")), [1], "a city word and a body word");
    assert_eq!(ids(&ix, text("sweet dinner")), [1], "a title word and a body word");
    assert_eq!(ids(&ix, text("title:hotel")), [3]);
    assert!(ids(&ix, text("title:dinner")).is_empty(), "the title field alone can still be named");
    let ix = AdIndex::in_memory().unwrap();
    ix.upsert(&[
        doc(1, AdKind::Job, "Cleaners wanted", "A night shift at the harbour, passport checks at the gate.", 10),
        doc(2, AdKind::Job, "Passport office clerk", "A day shift at the harbour, filing and checks at the gate.", 10),
    ])
    .unwrap();
    ix.commit().unwrap();
    assert_eq!(ids(&ix, text("passport")), [2, 1]);
    let hit = &ix.search(&text("harbour passport")).unwrap().hits[1];
    let (a, b) = hit.snippet.highlights[0];
    assert_eq!(&hit.snippet.text[a..b], "harbour", "the body's snippet marks the words: {hit:?}");
}

#[test]
fn filters_and_risk_order() {
    let ix = sample();
    let all_by_risk = ids(&ix, SearchQuery { sort: SortBy::Risk, ..Default::default() });
    assert_eq!(all_by_risk, [3, 1, 2, 4]);
    let jobs =
        ids(&ix, SearchQuery { kind: Some(AdKind::Job), min_risk: Some(50), sort: SortBy::Risk, ..Default::default() });
    assert_eq!(jobs, [3, 2]);
    let r = ix.search(&SearchQuery { limit: 1, offset: 1, sort: SortBy::Risk, ..Default::default() }).unwrap();
    assert_eq!((r.total, r.hits[0].ad_id), (4, 1));
}

#[test]
fn snippets_mark_the_match_in_plain_text() {
    let ix = sample();
    let r = ix.search(&text("visa")).unwrap();
    let s = &r.hits[0].snippet;
    let (a, b) = s.highlights[0];
    assert_eq!(s.text[a..b].to_lowercase(), "visa");
}

#[test]
fn hostile_queries_never_fail() {
    let ix = sample();
    for q in [
        "\"unbalanced",
        "title:",
        "((",
        "a AND",
        "<script>alert(1)</script>",
        "*",
        "-",
        "\u{0}\u{202e}",
        &"x".repeat(10_000),
    ] {
        let r = ix.search(&text(q));
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
}

#[test]
fn upsert_replaces_and_remove_deletes() {
    let ix = sample();
    ix.upsert(&[doc(1, AdKind::Escort, "Renamed", "nothing here", 10)]).unwrap();
    ix.remove(&[4]).unwrap();
    ix.commit().unwrap();
    assert_eq!(ix.len(), 3);
    assert!(ids(&ix, text("relaxing")).is_empty());
    assert_eq!(ids(&ix, text("renamed")), [1]);
    assert!(!ix.contains(4).unwrap() && ix.contains(1).unwrap());
}

#[test]
fn an_index_on_disk_survives_reopening_and_an_old_schema_is_rebuilt() {
    let dir = std::env::temp_dir().join(format!("redflag_index_test_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let ix = AdIndex::open(&dir).unwrap();
        assert!(ix.was_rebuilt(), "a new index must be filled from the store");
        ix.upsert(&[doc(7, AdKind::Job, "Driver", "Delivery driver wanted", 20)]).unwrap();
        ix.commit().unwrap();
    }
    assert_eq!(AdIndex::open(&dir).unwrap().len(), 1);
    assert!(!AdIndex::open(&dir).unwrap().was_rebuilt());
    // Readers never block a writer, and a second writer is refused, not corrupting.
    let writer = AdIndex::open(&dir).unwrap();
    let reader = AdIndex::open(&dir).unwrap();
    writer.upsert(&[doc(8, AdKind::Job, "Cook", "Kitchen help", 10)]).unwrap();
    writer.commit().unwrap();
    reader.refresh().unwrap();
    assert_eq!(reader.len(), 2);
    assert!(reader.upsert(&[doc(9, AdKind::Job, "x", "y", 1)]).is_err(), "one writer at a time");
    drop((writer, reader));
    std::fs::write(dir.join("redflag-schema-version"), "0").unwrap();
    let rebuilt = AdIndex::open(&dir).unwrap();
    assert_eq!(rebuilt.len(), 0, "rebuilt empty for a new schema");
    assert!(rebuilt.was_rebuilt(), "and says so, so that the caller refills it");
    drop(rebuilt);
    std::fs::remove_dir_all(&dir).unwrap();
}

const DAY: i64 = 86_400_000;

/// Six ads over two sites, three cities (one written two ways), two languages, two days.
fn faceted() -> AdIndex {
    let ix = AdIndex::in_memory().unwrap();
    let d = |id, kind, site: &str, city: &str, lang: &str, inds: &[&str], risk, day: i64| AdDoc {
        site: site.into(),
        city: (!city.is_empty()).then(|| city.to_string()),
        language: Some(lang.into()),
        indicators: inds.iter().map(|s| s.to_string()).collect(),
        last_seen: day * DAY + 3_600_000,
        ..doc(id, kind, "Ad", "dinner or work", risk)
    };
    ix.upsert(&[
        d(1, AdKind::Escort, "nightboard", "Las Vegas", "en", &["escort.third_party"], 85, 20_000),
        d(2, AdKind::Escort, "nightboard", "las  vegas", "en", &["escort.third_party", "escort.movement"], 72, 20_000),
        d(3, AdKind::Job, "jobsboard", "Lisboa", "pt", &["job.fee_required"], 91, 20_001),
        d(4, AdKind::Job, "jobsboard", "Lisboa", "pt", &[], 45, 20_001),
        d(5, AdKind::Job, "jobsboard", "Porto", "pt", &["job.fee_required", "job.chat_app_contact"], 12, 20_001),
        d(6, AdKind::Job, "jobsboard", "", "en", &[], 3, 20_001),
    ])
    .unwrap();
    ix.commit().unwrap();
    ix
}

fn fc(v: &str, n: u64) -> FacetCount {
    FacetCount { value: v.into(), count: n }
}

#[test]
fn facets_count_the_matches_by_every_dimension() {
    let ix = faceted();
    let f = ix.facets(&SearchQuery::default(), 10).unwrap();
    assert_eq!(f.kind, [fc("job", 4), fc("escort", 2)]);
    assert_eq!(f.site, [fc("jobsboard", 4), fc("nightboard", 2)]);
    assert_eq!(
        f.city,
        [fc("las vegas", 2), fc("lisboa", 2), fc("porto", 1)],
        "cities compared without case or spacing"
    );
    assert_eq!(
        f.indicator,
        [
            fc("escort.third_party", 2),
            fc("job.fee_required", 2),
            fc("escort.movement", 1),
            fc("job.chat_app_contact", 1)
        ]
    );
    assert_eq!(f.language, [fc("en", 3), fc("pt", 3)]);
    assert_eq!(f.band, [fc("high", 3), fc("medium", 1), fc("low", 2)]);
    assert_eq!(f.day, [(20_000 * DAY, 2), (20_001 * DAY, 4)]);

    // Facets follow the query, and each facet value is a filter that gives exactly its count.
    let dinner_jobs = SearchQuery { text: "work".into(), kind: Some(AdKind::Job), ..Default::default() };
    let f = ix.facets(&dinner_jobs, 10).unwrap();
    assert_eq!(f.kind, [fc("job", 4)]);
    assert_eq!(ix.facets(&dinner_jobs, 1).unwrap().city.len(), 1, "top values only");
    let count = |q: SearchQuery| ix.search(&q).unwrap().total;
    assert_eq!(count(SearchQuery { city: Some("LAS VEGAS".into()), ..Default::default() }), 2);
    assert_eq!(count(SearchQuery { site: Some("jobsboard".into()), ..Default::default() }), 4);
    assert_eq!(count(SearchQuery { indicator: Some("job.fee_required".into()), ..Default::default() }), 2);
    assert_eq!(count(SearchQuery { language: Some("pt".into()), ..Default::default() }), 3);
    assert_eq!(count(SearchQuery { band: Some(RiskBand::Medium), ..Default::default() }), 1);
    assert_eq!(count(SearchQuery { day: Some(20_000 * DAY), ..Default::default() }), 2);
    let narrow = SearchQuery {
        kind: Some(AdKind::Job),
        indicator: Some("job.fee_required".into()),
        band: Some(RiskBand::High),
        ..Default::default()
    };
    assert_eq!(ids(&ix, narrow), [3]);
    let none = ix.facets(&SearchQuery { text: "nothing-like-this".into(), ..Default::default() }, 10).unwrap();
    assert!(none.kind.is_empty() && none.band.is_empty() && none.day.is_empty());
}

#[test]
fn indicator_trends_count_each_top_indicator_per_day_since_a_date() {
    let ix = faceted();
    let t = ix.indicator_trends(&SearchQuery::default(), 0, 10).unwrap();
    let names: Vec<&str> = t.iter().map(|t| t.indicator.as_str()).collect();
    assert_eq!(names, ["escort.third_party", "job.fee_required", "escort.movement", "job.chat_app_contact"]);
    assert_eq!(t[0].days, [(20_000 * DAY, 2)]);
    assert_eq!(t[1].days, [(20_001 * DAY, 2)]);
    let recent = ix.indicator_trends(&SearchQuery::default(), 20_001 * DAY, 10).unwrap();
    assert_eq!(
        recent.iter().map(|t| t.indicator.as_str()).collect::<Vec<_>>(),
        ["job.fee_required", "job.chat_app_contact"]
    );
    let jobs = ix.indicator_trends(&SearchQuery { kind: Some(AdKind::Escort), ..Default::default() }, 0, 1).unwrap();
    assert_eq!((jobs.len(), jobs[0].indicator.as_str(), jobs[0].total), (1, "escort.third_party", 2));
}

#[test]
fn totals_are_exact_up_to_the_cap_and_a_lower_bound_past_it() {
    let ix = AdIndex::in_memory().unwrap();
    let n = redflag_index::TOTAL_CAP as i64 + 30;
    let docs: Vec<AdDoc> = (1..=n)
        .map(|i| doc(i, AdKind::Job, "Warehouse picker", if i % 2 == 0 { "night shift" } else { "day shift" }, 10))
        .collect();
    // Two commits make two segments, so the cap holds across segments too.
    ix.upsert(&docs[..6_000]).unwrap();
    ix.commit().unwrap();
    ix.upsert(&docs[6_000..]).unwrap();
    ix.commit().unwrap();
    let q = |t: &str, offset: usize| SearchQuery { text: t.into(), limit: 50, offset, ..Default::default() };
    let all = ix.search(&q("warehouse", 0)).unwrap();
    assert_eq!((all.total, all.total_is_lower_bound), (redflag_index::TOTAL_CAP, true));
    assert_eq!(all.hits.len(), 50);
    let half = ix.search(&q("night", 0)).unwrap();
    assert_eq!((half.total, half.total_is_lower_bound), (n as usize / 2, false), "below the cap: exact");
    // A page past the cap is counted far enough to know whether another follows.
    let deep = ix.search(&q("warehouse", 10_000)).unwrap();
    assert_eq!((deep.total, deep.total_is_lower_bound), (n as usize, false));
    assert_eq!(deep.hits.len(), 30);
    let few = ix.search(&q("nothing-like-this", 0)).unwrap();
    assert_eq!((few.total, few.total_is_lower_bound), (0, false));
}
