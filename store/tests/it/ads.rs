use redflag_core::link::{GroupKind, Link, LinkReason};
use redflag_core::{AdFields, AdKind, Assessment, Entity, EntityKind, Evidence, FiredIndicator, Verdict};
use redflag_store::ads::{self, NewAdVersion, VersionChange};
use redflag_store::analysis;
use redflag_store::{ClusterRow, LeadFilter, LeadSort, LeadTotal, TriageState};

use crate::{escort_version, stores_with_site};

fn fields(title: &str, price: &str) -> AdFields {
    AdFields {
        title: title.into(),
        body: format!("{title} body"),
        price: Some(price.into()),
        city: Some("Reno".into()),
        ..Default::default()
    }
}

fn assessment(risk: u8, ind: &str) -> Assessment {
    Assessment {
        kind: AdKind::Escort,
        probability: f32::from(risk) / 100.0,
        risk,
        verdict: Verdict::Suspicious,
        language: Some("en".into()),
        language_supported: true,
        indicators: vec![FiredIndicator {
            id: ind.into(),
            description: "d".into(),
            weight: 1.0,
            evidence: vec![Evidence { start: 0, end: 3, text: "abc".into() }],
            note: None,
        }],
        model: "test-1".into(),
    }
}

/// Stores one escort ad per (key, title), keyed and addressed by `key`, at the given price.
async fn escort_ads(c: &mut redflag_store::Conn, site: i64, ads: &[(&str, &str)], price: &str) {
    for (key, title) in ads {
        let f = fields(title, price);
        let v = escort_version(site, key, &f, None, 1);
        ads::upsert_version(c, &v).await.unwrap();
    }
}

#[tokio::test]
async fn versions_are_kept_when_content_changes_and_sightings_when_not() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let f1 = fields("Ann", "$100");
        let v = |url, f| NewAdVersion {
            site_id: site,
            ad_key: "ad-1",
            kind: AdKind::Escort,
            url,
            canonical_url: None,
            fields: f,
            page_id: None,
            fetched_at: 1000,
        };
        assert_eq!(ads::upsert_version(&mut c, &v("http://a/ad/1", &f1)).await.unwrap(), (1, 1, VersionChange::New));
        // Same content under a second URL: one ad, no new version, both URLs remembered.
        let (id, ver, ch) = ads::upsert_version(&mut c, &v("http://a/city/1", &f1)).await.unwrap();
        assert_eq!((id, ver, ch), (1, 1, VersionChange::Unchanged), "{}", s.label);
        let f2 = fields("Ann", "$150");
        assert_eq!(
            ads::upsert_version(&mut c, &v("http://a/ad/1", &f2)).await.unwrap(),
            (1, 2, VersionChange::Changed)
        );
        drop(c);
        assert_eq!(s.ad_count().await.unwrap(), 1);
        let versions = s.ad_versions(1).await.unwrap();
        assert_eq!(versions.iter().map(|v| v.fields.price.clone().unwrap()).collect::<Vec<_>>(), ["$150", "$100"]);
        assert_eq!(s.ad_urls(1).await.unwrap(), ["http://a/ad/1", "http://a/city/1"]);
        let ad = s.ad(1).await.unwrap();
        assert_eq!((ad.version, ad.fields.price.as_deref(), ad.site.as_str()), (2, Some("$150"), "board"));
        assert_eq!(s.ads_for_analysis(0, 10, false).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn concurrent_writers_of_one_new_content_store_one_version() {
    for (s, site) in stores_with_site().await {
        let f = fields("Bea", "$90");
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (store, f) = (s.store.clone(), f.clone());
            tasks.push(tokio::spawn(async move {
                let mut c = store.conn().await.unwrap();
                let url = format!("http://a/ad/2?ref={i}");
                let v = NewAdVersion {
                    site_id: site,
                    ad_key: "ad-2",
                    kind: AdKind::Escort,
                    url: &url,
                    canonical_url: None,
                    fields: &f,
                    page_id: None,
                    fetched_at: 5,
                };
                ads::upsert_version(&mut c, &v).await.unwrap()
            }));
        }
        let mut news = 0;
        for t in tasks {
            if t.await.unwrap().2 == VersionChange::New {
                news += 1;
            }
        }
        assert_eq!(news, 1, "{}", s.label);
        assert_eq!(s.ad_versions(1).await.unwrap().len(), 1);
        assert_eq!(s.ad_urls(1).await.unwrap().len(), 6);
    }
}

#[tokio::test]
async fn scores_entities_networks_and_triage_shape_the_lead_list() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        escort_ads(&mut c, site, &[("k1", "low"), ("k2", "high"), ("k3", "mid")], "$1").await;
        analysis::save_score(&mut c, 1, 1, &assessment(10, "escort.a")).await.unwrap();
        analysis::save_score(&mut c, 2, 1, &assessment(90, "escort.youth")).await.unwrap();
        analysis::save_score(&mut c, 3, 1, &assessment(50, "escort.b")).await.unwrap();
        let phone = Entity {
            kind: EntityKind::Phone,
            value: "+17025550148".into(),
            raw: "702 555 0148".into(),
            start: 4,
            end: 16,
            obfuscated: true,
        };
        analysis::replace_entities(&mut c, 2, 1, std::slice::from_ref(&phone)).await.unwrap();
        analysis::replace_entities(&mut c, 3, 1, &[phone]).await.unwrap();
        let link = Link::new(3, 2, LinkReason::SharedContact { contact: "phone:+17025550148".into() });
        let relay =
            Link::new(1, 3, LinkReason::Relay { contact: "email:apply@jobrelay.example".into(), advertisers: 4 });
        let kinds = [(2, GroupKind::Network)].into_iter().collect();
        analysis::replace_networks(&mut c, &[(1, 1), (2, 2), (3, 2)], &kinds, &[link, relay.clone()]).await.unwrap();
        drop(c);
        // A relay link is kept with its reason and strength, and joins no group.
        let of_1 = s.links_of(1).await.unwrap();
        assert_eq!(of_1.len(), 1, "{}", s.label);
        assert_eq!(of_1[0].reason, relay.reason);
        assert!((of_1[0].strength - 0.25).abs() < 1e-6);
        assert_eq!(of_1[0].to_json(1)["reason"], "relay");
        assert_eq!(of_1[0].to_json(1)["contact"], "apply@jobrelay.example");

        let leads = s.leads(&LeadFilter::default()).await.unwrap();
        assert_eq!(leads.iter().map(|l| l.id).collect::<Vec<_>>(), [2, 3, 1], "{}: by risk", s.label);
        assert_eq!(leads[0].indicators, ["escort.youth"]);
        assert_eq!((leads[0].cluster_size, leads[2].cluster_size), (2, 1));
        assert_eq!(s.ads_for_analysis(0, 10, false).await.unwrap().len(), 0, "all analysed");

        let hi = s.leads(&LeadFilter { min_risk: Some(40), ..Default::default() }).await.unwrap();
        assert_eq!(hi.len(), 2);
        let total = s.lead_total(&LeadFilter { min_risk: Some(40), ..Default::default() }, 10).await.unwrap();
        assert_eq!(total, LeadTotal { count: 2, more: false });
        // Counting stops at its cap and says so.
        assert_eq!(s.lead_total(&LeadFilter::default(), 2).await.unwrap(), LeadTotal { count: 2, more: true });
        assert_eq!(s.lead_total(&LeadFilter::default(), 3).await.unwrap(), LeadTotal { count: 3, more: false });
        let only =
            s.leads(&LeadFilter { ids: Some(vec![1, 3]), sort: LeadSort::Newest, ..Default::default() }).await.unwrap();
        assert_eq!(only.len(), 2);
        assert!(s.leads(&LeadFilter { ids: Some(vec![]), ..Default::default() }).await.unwrap().is_empty());

        s.set_triage(2, TriageState::Escalated, Some("ana"), Some("referred"), "ana").await.unwrap();
        let esc = s.leads(&LeadFilter { triage: Some(TriageState::Escalated), ..Default::default() }).await.unwrap();
        assert_eq!(esc.iter().map(|l| l.id).collect::<Vec<_>>(), [2]);
        let new = s.leads(&LeadFilter { triage: Some(TriageState::New), ..Default::default() }).await.unwrap();
        assert_eq!(new.len(), 2);
        assert!(s.set_triage(99, TriageState::Dismissed, None, None, "ana").await.unwrap_err().is_not_found());
        let log = s.audit_log(10, 0).await.unwrap();
        assert_eq!((log[0].action.as_str(), log[0].target.as_deref()), ("triage.set", Some("ad:2")));

        // Assignee and indicator filters; the indicator filter reads the latest score only, and `_` in
        // an id matches only itself.
        let by = |a: Option<Option<&str>>, i: Option<&str>| LeadFilter {
            assignee: a.map(|a| a.map(str::to_string)),
            indicator: i.map(str::to_string),
            ..Default::default()
        };
        let ids = |rows: Vec<redflag_store::LeadRow>| rows.iter().map(|l| l.id).collect::<Vec<_>>();
        assert_eq!(ids(s.leads(&by(Some(Some("ana")), None)).await.unwrap()), [2], "{}", s.label);
        assert_eq!(ids(s.leads(&by(Some(None), None)).await.unwrap()), [3, 1], "nobody assigned");
        assert_eq!(ids(s.leads(&by(None, Some("escort.youth"))).await.unwrap()), [2]);
        assert_eq!(s.lead_total(&by(None, Some("escort.b")), 10).await.unwrap().count, 1);
        assert!(s.leads(&by(None, Some("escort"))).await.unwrap().is_empty(), "whole ids only");
        assert!(s.leads(&by(None, Some("escort_youth"))).await.unwrap().is_empty(), "_ is no wildcard");
        let mut c = s.conn().await.unwrap();
        analysis::save_score(&mut c, 2, 1, &assessment(90, "escort.a")).await.unwrap();
        drop(c);
        assert!(s.leads(&by(None, Some("escort.youth"))).await.unwrap().is_empty(), "a rescore replaces it");

        // Bulk triage: states change together, notes stay, the assignee only when given, each audited.
        s.set_triage_many(&[1, 2], TriageState::Reviewing, None, "bo").await.unwrap();
        let t2 = s.triage(2).await.unwrap().unwrap();
        assert_eq!(
            (t2.state, t2.assignee.as_deref(), t2.note.as_deref()),
            (TriageState::Reviewing, Some("ana"), Some("referred"))
        );
        s.set_triage_many(&[2, 3], TriageState::Dismissed, Some(None), "bo").await.unwrap();
        assert_eq!(s.triage(2).await.unwrap().unwrap().assignee, None, "cleared");
        s.set_triage_many(&[3], TriageState::Escalated, Some(Some("cy")), "bo").await.unwrap();
        assert_eq!(ids(s.leads(&by(Some(Some("cy")), None)).await.unwrap()), [3]);
        let before = s.audit_log(100, 0).await.unwrap().len();
        assert!(s.set_triage_many(&[1, 99], TriageState::Dismissed, None, "bo").await.unwrap_err().is_not_found());
        assert_eq!(s.triage(1).await.unwrap().unwrap().state, TriageState::Reviewing, "all or nothing");
        assert_eq!(s.audit_log(100, 0).await.unwrap().len(), before);
        let bulk = s.audit_log(100, 0).await.unwrap();
        assert_eq!(bulk.iter().filter(|e| e.actor == "bo" && e.action == "triage.set").count(), 5);

        // The count (which counts the triage table apart) agrees with the list under every mix of
        // conditions on the ad and on its triage row.
        s.set_triage(1, TriageState::New, None, None, "bo").await.unwrap();
        for triage in [None, Some(TriageState::New), Some(TriageState::Escalated), Some(TriageState::Dismissed)] {
            for assignee in [None, Some(None), Some(Some("cy".to_string()))] {
                for (min_risk, indicator) in [(None, None), (Some(0), None), (Some(40), None), (None, Some("escort.a"))]
                {
                    let indicator = indicator.map(str::to_string);
                    let f =
                        LeadFilter { triage, assignee: assignee.clone(), min_risk, indicator, ..Default::default() };
                    let listed = s.leads(&f).await.unwrap().len() as i64;
                    let exact = s.lead_total(&f, 10).await.unwrap();
                    assert_eq!(exact, LeadTotal { count: listed, more: false }, "{}: {f:?}", s.label);
                    // With a cap below the matches: the cap and "more", or an exact count when only
                    // triaged ads can match (those are counted from the triage table, whatever the cap).
                    let capped = s.lead_total(&f, 0).await.unwrap();
                    let only_triaged =
                        triage.is_some_and(|t| t != TriageState::New) || matches!(assignee, Some(Some(_)));
                    let expect = if listed == 0 || only_triaged {
                        LeadTotal { count: listed, more: false }
                    } else {
                        LeadTotal { count: 0, more: true }
                    };
                    assert_eq!(capped, expect, "{}: {f:?}", s.label);
                }
            }
        }

        assert_eq!(s.ads_with_entity("phone", "+17025550148").await.unwrap(), [2, 3]);
        assert_eq!(s.contact_keys().await.unwrap().len(), 2);
        assert_eq!(s.links_of(3).await.unwrap().len(), 2, "the shared phone and the relay");
        assert_eq!(s.cluster_links(2).await.unwrap().len(), 1);
        let networks = s.clusters(GroupKind::Network, 10).await.unwrap();
        assert_eq!(networks, [ClusterRow { id: 2, ads: 2, max_risk: Some(90), kind: GroupKind::Network }]);
        assert!(s.clusters(GroupKind::SameAdvertiser, 10).await.unwrap().is_empty());

        let export = s.export_batch(0, 10).await.unwrap();
        assert_eq!(export.len(), 3);
        assert_eq!(export[1].phones, ["+17025550148"]);
        assert_eq!((export[1].risk, export[1].cluster), (Some(90), Some(2)));
        assert_eq!(export[1].indicators[0].evidence[0].text, "abc");
        // Links travel with both ads, with their reason and strength.
        let json = export[2].to_json();
        assert_eq!(json["cluster_kind"], "network");
        assert_eq!(json["links"][0]["ad"], 2);
        assert_eq!(json["links"][0]["reason"], "phone");
        assert_eq!(json["links"][0]["contact"], "+17025550148");
        assert_eq!(json["links"][0]["strength"], 1.0);
        assert_eq!(s.export_batch(3, 10).await.unwrap().len(), 0);
    }
}

#[tokio::test]
async fn migration_11_fills_the_indicator_table_from_stored_scores() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        escort_ads(&mut c, site, &[("a", "first"), ("b", "second")], "100").await;
        analysis::save_score(&mut c, 1, 1, &assessment(40, "escort.old")).await.unwrap();
        let mut two = assessment(80, "escort.youth");
        two.indicators.push(FiredIndicator { id: "escort.b".into(), ..two.indicators[0].clone() });
        two.model = "test-2".into();
        analysis::save_score(&mut c, 1, 1, &two).await.unwrap();
        // A store as version 10 left it: scores, and no indicator table yet.
        for sql in ["DROP TABLE ad_indicators", "DELETE FROM _sqlx_migrations WHERE version = 11"] {
            sqlx::query(sql).execute(&mut *c).await.unwrap();
        }
        drop(c);
        let reopened = redflag_store::Store::open(&redflag_store::StoreOptions::url(s.display_url())).await.unwrap();
        let by = |i: &str| LeadFilter { indicator: Some(i.into()), ..Default::default() };
        let ids = |rows: Vec<redflag_store::LeadRow>| rows.iter().map(|l| l.id).collect::<Vec<_>>();
        assert_eq!(ids(reopened.leads(&by("escort.youth")).await.unwrap()), [1], "{}", s.label);
        assert_eq!(ids(reopened.leads(&by("escort.b")).await.unwrap()), [1], "{}", s.label);
        assert!(reopened.leads(&by("escort.old")).await.unwrap().is_empty(), "{}: only the latest score", s.label);
        reopened.close().await;
    }
}
