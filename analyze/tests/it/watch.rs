//! Watches raise one alert per new or changed ad version that matches them, with the evidence of the
//! match, and reruns raise nothing twice.

use std::sync::Arc;

use redflag_analyze::watch::AlertTargets;
use redflag_analyze::{AnalyzeOptions, NoProgress, analyze};
use redflag_classifier::Classifier;
use redflag_core::{AdFields, AdKind};
use redflag_index::AdIndex;
use redflag_store::ads::{self, NewAdVersion};
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};
use redflag_store::{Channel, NewWatch, Role, WatchKind};

async fn put(s: &TestStore, site: i64, key: &str, title: &str, body: &str) -> i64 {
    let fields = AdFields { title: title.into(), body: body.into(), city: Some("Leeds".into()), ..Default::default() };
    let url = format!("http://board.example/{key}");
    let mut c = s.conn().await.unwrap();
    let (id, _, _) = ads::upsert_version(
        &mut c,
        &NewAdVersion {
            site_id: site,
            ad_key: key,
            kind: AdKind::Job,
            url: &url,
            canonical_url: None,
            fields: &fields,
            page_id: None,
            fetched_at: redflag_store::now_ms(),
        },
    )
    .await
    .unwrap();
    id
}

fn watch(user: i64, kind: WatchKind, target: &str) -> NewWatch {
    NewWatch {
        user_id: user,
        kind,
        target: target.into(),
        ad_kind: None,
        min_risk: None,
        label: target.into(),
        email: None,
    }
}

/// A job board and the analyst `ana` who watches it.
async fn board_and_analyst(s: &TestStore) -> (i64, redflag_store::User) {
    let site = s
        .upsert_site(&NewSite { name: "board", kind: AdKind::Job, country: Some("GB"), language: None, config: "" })
        .await
        .unwrap();
    (site, s.upsert_user("ana", "correct horse 42", Role::Analyst, "admin").await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn new_and_changed_ads_that_match_a_watch_raise_one_alert_per_version() {
    let classifier = Arc::new(Classifier::bundled().unwrap());
    for s in testkit::all().await {
        let (site, ana) = board_and_analyst(&s).await;
        let old = put(&s, site, "old", "Warehouse packers", "Packing work, call 07700 900123 today").await;
        let index = Arc::new(AdIndex::in_memory().unwrap());
        let opts = AnalyzeOptions {
            alerts: AlertTargets { every_alert: vec![(Channel::Webhook, "http://127.0.0.1:9/hook".into())] },
            ..AnalyzeOptions::default()
        };
        analyze(&s, classifier.clone(), index.clone(), &opts, &NoProgress).await.unwrap();

        // Watches made now see only what is new or changed from here on.
        let search = s.create_watch(&watch(ana.id, WatchKind::Search, "\"visa fee\""), "ana").await.unwrap();
        let contact = s.create_watch(&watch(ana.id, WatchKind::Contact, "phone:+447700900123"), "ana").await.unwrap();
        let paused = s.create_watch(&watch(ana.id, WatchKind::Search, "packers"), "ana").await.unwrap();
        s.set_watch_paused(ana.id, paused, true, "ana").await.unwrap();
        let fresh = put(&s, site, "new", "Cleaners abroad", "Pay the visa fee first. Text 07700-900-123.").await;
        let other = put(&s, site, "other", "Office job", "Nothing to see here").await;
        let sum = analyze(&s, classifier.clone(), index.clone(), &opts, &NoProgress).await.unwrap();
        assert_eq!(sum.alerts, 2, "{}: {sum:?}", s.label);
        let alerts = s.alerts_of(ana.id, false, 50, 0).await.unwrap();
        let by_watch = |w: i64| alerts.iter().filter(|a| a.watch_id == w).collect::<Vec<_>>();
        let hit = by_watch(search);
        assert_eq!(hit.len(), 1);
        assert_eq!((hit[0].ad_id, hit[0].version, hit[0].url.as_str()), (fresh, 1, "http://board.example/new"));
        let excerpt = hit[0].evidence["excerpt"].as_str().unwrap();
        let (a, b) = (
            hit[0].evidence["highlights"][0][0].as_u64().unwrap(),
            hit[0].evidence["highlights"][0][1].as_u64().unwrap(),
        );
        assert!(excerpt[a as usize..b as usize].eq_ignore_ascii_case("visa"), "the span marks the match: {excerpt}");
        let hit = by_watch(contact);
        assert_eq!(hit.len(), 1, "the old ad with that phone is not new");
        assert_eq!((hit[0].ad_id, hit[0].evidence["as_written"].as_str()), (fresh, Some("07700-900-123")));
        assert!(by_watch(paused).is_empty(), "a paused watch raises nothing");
        assert!(alerts.iter().all(|a| a.ad_id != other && a.ad_id != old));
        assert_eq!(s.deliveries_of(hit[0].id).await.unwrap()[0].channel, Channel::Webhook, "queued for delivery");

        // Nothing new: nothing raised again.
        let again = analyze(&s, classifier.clone(), index.clone(), &opts, &NoProgress).await.unwrap();
        assert_eq!(again.alerts, 0);
        // A changed ad (a new version) matches again; a rescore of everything raises nothing.
        put(&s, site, "old", "Warehouse packers", "Packing work, visa fee paid by you, call 07700 900123").await;
        let changed = analyze(&s, classifier.clone(), index.clone(), &opts, &NoProgress).await.unwrap();
        assert_eq!(changed.alerts, 2, "{}", s.label);
        let all =
            analyze(&s, classifier.clone(), index.clone(), &AnalyzeOptions { all: true, ..opts.clone() }, &NoProgress)
                .await
                .unwrap();
        assert_eq!(all.alerts, 0, "re-analysing old versions raises no alert");
        let alerts = s.all_alerts().await.unwrap();
        assert_eq!(alerts.len(), 4);
        assert!(alerts.iter().filter(|a| a.ad_id == old).all(|a| a.version == 2));
        let audited = s.audit_log(100, 0).await.unwrap().iter().filter(|e| e.action == "alert.create").count();
        assert_eq!(audited, 4, "every alert is audited");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn versions_scored_but_not_matched_before_an_interruption_are_matched_by_the_next_run() {
    let classifier = Arc::new(Classifier::bundled().unwrap());
    for s in testkit::all().await {
        let (site, ana) = board_and_analyst(&s).await;
        let ad = put(&s, site, "a", "Cleaners", "visa fee first").await;
        let index = Arc::new(AdIndex::in_memory().unwrap());
        analyze(&s, classifier.clone(), index.clone(), &AnalyzeOptions::default(), &NoProgress).await.unwrap();
        // As a run that scored the version and died before matching leaves it: scored, still queued.
        s.create_watch(&watch(ana.id, WatchKind::Search, "visa"), "ana").await.unwrap();
        sqlx::query("INSERT INTO alert_pending (ad_id, version) VALUES ($1, 1)")
            .bind(ad)
            .execute(s.pool())
            .await
            .unwrap();
        let sum =
            analyze(&s, classifier.clone(), index.clone(), &AnalyzeOptions::default(), &NoProgress).await.unwrap();
        assert_eq!((sum.extracted, sum.alerts, s.pending_count().await.unwrap()), (0, 1, 0), "{}", s.label);
        let sum = analyze(&s, classifier.clone(), index, &AnalyzeOptions::default(), &NoProgress).await.unwrap();
        assert_eq!(sum.alerts, 0);
    }
}
