//! Store tests, each run on SQLite and on PostgreSQL.

mod ads;
mod cases;
mod frontier;
mod images;
mod pages;
mod tokens;
mod trends;
mod users;
mod watches;

use redflag_core::AdKind;
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};

/// An escort ad's version keyed and addressed by `key`, as a crawl stores it.
pub fn escort_version<'a>(
    site: i64,
    key: &'a str,
    fields: &'a redflag_core::AdFields,
    page_id: Option<i64>,
    seen: i64,
) -> redflag_store::NewAdVersion<'a> {
    redflag_store::NewAdVersion {
        site_id: site,
        ad_key: key,
        kind: AdKind::Escort,
        url: key,
        canonical_url: None,
        fields,
        page_id,
        fetched_at: seen,
    }
}

/// Both backends, each with one site registered; returns (store, site id).
pub async fn stores_with_site() -> Vec<(TestStore, i64)> {
    let mut out = Vec::new();
    for s in testkit::all().await {
        let id = s
            .upsert_site(&NewSite {
                name: "board",
                kind: AdKind::Escort,
                country: Some("US"),
                language: None,
                config: "x",
            })
            .await
            .unwrap();
        out.push((s, id));
    }
    out
}

#[tokio::test]
async fn reopening_a_store_keeps_data_and_schema() {
    let dir = std::env::temp_dir().join(format!("redflag_reopen_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let opts = redflag_store::StoreOptions::data_dir(&dir);
    let s = redflag_store::Store::open(&opts).await.unwrap();
    s.upsert_site(&NewSite { name: "a", kind: AdKind::Job, country: None, language: None, config: "" }).await.unwrap();
    s.close().await;
    let s = redflag_store::Store::open(&opts).await.unwrap();
    assert_eq!(s.sites().await.unwrap().len(), 1);
    s.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn site_upsert_updates_in_place() {
    for (s, id) in stores_with_site().await {
        let id2 = s
            .upsert_site(&NewSite {
                name: "board",
                kind: AdKind::Job,
                country: Some("GB"),
                language: Some("en"),
                config: "y",
            })
            .await
            .unwrap();
        assert_eq!(id, id2, "{}", s.label);
        let site = s.site(id).await.unwrap();
        assert_eq!((site.kind, site.country.as_deref(), site.config.as_str()), (AdKind::Job, Some("GB"), "y"));
        assert!(s.site(id + 100).await.unwrap_err().is_not_found());
    }
}

#[tokio::test]
async fn bad_urls_are_refused_with_a_clear_error() {
    let e = redflag_store::Store::open(&redflag_store::StoreOptions::url("mysql://x")).await.unwrap_err();
    assert!(e.to_string().contains("unsupported database URL"), "{e}");
    let e = redflag_store::Store::open(&redflag_store::StoreOptions::url("postgres://nobody:pw@127.0.0.1:1/x"))
        .await
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("cannot open database") && !msg.contains("pw@"), "{msg}");
}

#[tokio::test]
async fn deleting_a_site_removes_everything_crawled_from_it() {
    use redflag_core::AdFields;
    use redflag_store::ads::{NewAdVersion, upsert_version};
    use redflag_store::pages::{NewPage, insert};
    for (s, site) in stores_with_site().await {
        let other = s
            .upsert_site(&NewSite { name: "other", kind: AdKind::Job, country: None, language: None, config: "" })
            .await
            .unwrap();
        let mut c = s.conn().await.unwrap();
        for sid in [site, other] {
            let page = NewPage::prepare(sid, "u".into(), "u".into(), 200, 1, vec![], false, b"x");
            let pid = insert(&mut c, &page).await.unwrap();
            let f = AdFields { title: "t".into(), ..Default::default() };
            let v = NewAdVersion {
                site_id: sid,
                ad_key: "k",
                kind: AdKind::Job,
                url: "u",
                canonical_url: None,
                fields: &f,
                page_id: Some(pid),
                fetched_at: 1,
            };
            upsert_version(&mut c, &v).await.unwrap();
        }
        drop(c);
        s.set_triage(1, redflag_store::TriageState::Reviewing, None, None, "ana").await.unwrap();
        assert_eq!(s.delete_site(site, "ana").await.unwrap(), 1, "{}", s.label);
        assert_eq!(s.ad_count().await.unwrap(), 1);
        assert_eq!(s.page_count().await.unwrap(), 1);
        assert_eq!(s.sites().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn retention_purges_ads_not_seen_since_the_cutoff_except_escalated_ones() {
    use redflag_core::AdFields;
    use redflag_store::ads::upsert_version;
    use redflag_store::pages::{NewPage, insert};
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        for (key, seen) in [("old", 1_000), ("kept", 1_000), ("new", 9_000)] {
            let page = NewPage::prepare(site, key.into(), key.into(), 200, seen, vec![], false, b"x");
            let pid = insert(&mut c, &page).await.unwrap();
            let f = AdFields { title: key.into(), ..Default::default() };
            let v = escort_version(site, key, &f, Some(pid), seen);
            upsert_version(&mut c, &v).await.unwrap();
        }
        let listing = NewPage::prepare(site, "list".into(), "list".into(), 200, 1_000, vec![], false, b"y");
        insert(&mut c, &listing).await.unwrap();
        drop(c);
        s.set_triage(2, redflag_store::TriageState::Escalated, None, Some("case 7"), "ana").await.unwrap();
        assert_eq!(s.purge_older_than(5_000, "ana").await.unwrap(), (1, 2), "{}", s.label);
        let left: Vec<String> = s.export_batch(0, 10).await.unwrap().into_iter().map(|r| r.fields.title).collect();
        assert_eq!(left, ["kept", "new"]);
        assert_eq!(s.page_count().await.unwrap(), 2);
        assert_eq!(s.audit_log(1, 0).await.unwrap()[0].action, "retention.purge");
    }
}
