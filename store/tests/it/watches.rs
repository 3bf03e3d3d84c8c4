//! Watches, alerts (one per watch and ad version), deliveries and the analysis lease, on both backends.

use redflag_core::{AdFields, AdKind};
use redflag_store::ads::{self, NewAdVersion};
use redflag_store::alerts::{self, NewAlert};
use redflag_store::{Channel, DeliveryState, NewWatch, Role, WatchKind, leases, watches};

use crate::stores_with_site;

const PASSWORD: &str = "correct horse 42";

#[tokio::test]
async fn an_alert_is_raised_once_per_watch_and_version_and_every_change_is_audited() {
    for (s, site) in stores_with_site().await {
        let ana = s.upsert_user("ana", PASSWORD, Role::Analyst, "admin").await.unwrap();
        let bob = s.upsert_user("bob", PASSWORD, Role::Analyst, "admin").await.unwrap();
        let w = NewWatch {
            user_id: ana.id,
            kind: WatchKind::Search,
            target: "dinner".into(),
            ad_kind: Some(AdKind::Escort),
            min_risk: Some(40),
            label: "dinner dates".into(),
            email: Some("ana@example.org".into()),
        };
        let wid = s.create_watch(&w, "ana").await.unwrap();
        let got = s.watches_of(ana.id).await.unwrap();
        assert_eq!(got.len(), 1, "{}", s.label);
        assert_eq!((got[0].kind, got[0].ad_kind, got[0].min_risk), (WatchKind::Search, Some(AdKind::Escort), Some(40)));
        assert!(s.watches_of(bob.id).await.unwrap().is_empty(), "watches are per user");

        let mut c = s.conn().await.unwrap();
        let fields = AdFields { title: "Dinner".into(), body: "dinner tonight".into(), ..Default::default() };
        let (ad, version, _) = ads::upsert_version(
            &mut c,
            &NewAdVersion {
                site_id: site,
                ad_key: "a1",
                kind: AdKind::Escort,
                url: "http://a/1",
                canonical_url: None,
                fields: &fields,
                page_id: None,
                fetched_at: 1,
            },
        )
        .await
        .unwrap();
        // Queued for matching while new (never analysed), twice without harm.
        watches::mark_pending(&mut c, ad, version).await.unwrap();
        watches::mark_pending(&mut c, ad, version).await.unwrap();
        drop(c);
        assert_eq!(s.pending_count().await.unwrap(), 1);
        let pending = s.pending_ads(10).await.unwrap();
        assert_eq!(
            (pending[0].ad.ad_id, pending[0].ad.version, pending[0].ad.fields.title.as_str()),
            (ad, 1, "Dinner")
        );

        let evidence = serde_json::json!({ "kind": "search", "query": "dinner" });
        let new = NewAlert {
            watch_id: wid,
            user_id: ana.id,
            ad_id: ad,
            version,
            url: "http://a/1",
            title: "Dinner",
            evidence: &evidence,
        };
        let mut tx = s.begin().await.unwrap();
        let first = alerts::insert_alert(&mut tx, &new).await.unwrap().expect("a new alert");
        alerts::queue_delivery(&mut tx, first, Channel::Email, "ana@example.org").await.unwrap();
        alerts::queue_delivery(&mut tx, first, Channel::Email, "ana@example.org").await.unwrap();
        assert_eq!(alerts::insert_alert(&mut tx, &new).await.unwrap(), None, "same watch and version: no second alert");
        watches::clear_pending(&mut tx, ad, version).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(s.pending_count().await.unwrap(), 0);

        assert_eq!(s.unread_alerts(ana.id).await.unwrap(), 1);
        assert_eq!(s.unread_alerts(bob.id).await.unwrap(), 0);
        let inbox = s.alerts_of(ana.id, true, 10, 0).await.unwrap();
        assert_eq!(
            (inbox[0].watch_label.as_str(), inbox[0].evidence["query"].as_str()),
            ("dinner dates", Some("dinner"))
        );
        assert_eq!(s.mark_alerts_read(bob.id, Some(first)).await.unwrap(), 0, "not bob's alert");
        assert_eq!(s.mark_alerts_read(ana.id, Some(first)).await.unwrap(), 1);
        assert_eq!(s.unread_alerts(ana.id).await.unwrap(), 0);

        let deliveries = s.deliveries_of(first).await.unwrap();
        assert_eq!(deliveries.len(), 1, "one delivery per channel and target");
        assert_eq!(s.due_deliveries(10).await.unwrap().len(), 1);
        s.delivery_failed(deliveries[0].id, "HTTP 500", Some(redflag_store::now_ms() + 60_000)).await.unwrap();
        assert!(s.due_deliveries(10).await.unwrap().is_empty(), "not due before its retry time");
        s.delivery_failed(deliveries[0].id, "HTTP 500 again", None).await.unwrap();
        let d = &s.deliveries_of(first).await.unwrap()[0];
        assert_eq!((d.state, d.attempts, d.last_error.as_deref()), (DeliveryState::Failed, 2, Some("HTTP 500 again")));

        assert!(s.set_watch_paused(bob.id, wid, true, "bob").await.unwrap_err().is_not_found(), "not bob's watch");
        s.set_watch_paused(ana.id, wid, true, "ana").await.unwrap();
        assert!(s.active_watches().await.unwrap().is_empty(), "a paused watch is not matched");
        s.set_watch_paused(ana.id, wid, false, "ana").await.unwrap();
        assert_eq!(s.active_watches().await.unwrap().len(), 1);
        assert!(s.delete_watch(bob.id, wid, "bob").await.unwrap_err().is_not_found());
        s.delete_watch(ana.id, wid, "ana").await.unwrap();
        assert!(s.all_alerts().await.unwrap().is_empty(), "a watch's alerts go with it");

        let log = s.audit_log(50, 0).await.unwrap();
        let actions: Vec<&str> =
            log.iter().rev().map(|e| e.action.as_str()).filter(|a| !a.starts_with("user.")).collect();
        assert_eq!(
            actions,
            ["watch.create", "alert.create", "alert.delivery_failed", "watch.pause", "watch.resume", "watch.delete"],
            "{}",
            s.label
        );
    }
}

#[tokio::test]
async fn one_worker_at_a_time_holds_the_analysis_lease() {
    for (s, _) in stores_with_site().await {
        assert!(s.try_lease(leases::ANALYSIS, "w1", 60_000).await.unwrap(), "{}", s.label);
        assert!(!s.try_lease(leases::ANALYSIS, "w2", 60_000).await.unwrap(), "held by w1");
        assert!(s.try_lease(leases::ANALYSIS, "w1", 60_000).await.unwrap(), "renewed by its holder");
        assert_eq!(s.lease_holder(leases::ANALYSIS).await.unwrap().as_deref(), Some("w1"));
        s.release_lease(leases::ANALYSIS, "w2").await.unwrap();
        assert_eq!(s.lease_holder(leases::ANALYSIS).await.unwrap().as_deref(), Some("w1"), "only the holder releases");
        s.release_lease(leases::ANALYSIS, "w1").await.unwrap();
        assert!(s.try_lease(leases::ANALYSIS, "w2", 1).await.unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(s.try_lease(leases::ANALYSIS, "w1", 60_000).await.unwrap(), "an expired lease passes on");
    }
}
