//! Case files and deletion on request, on both backends.

/// Stores a picture shown by ad `ad_id` (version 1) at `position`, with its URL's outcome; returns its id.
async fn picture(s: &Store, site: i64, ad_id: i64, position: i64, body: &[u8]) -> i64 {
    let mut c = s.conn().await.unwrap();
    let sha = sha256_hex(body);
    let url = format!("http://board.test/p/{}.png", &sha[..8]);
    let img = NewImage {
        sha256: &sha,
        content_type: "image/png",
        width: 4,
        height: 3,
        phash: 7,
        thumb: &[0; 192],
        url: &url,
        fetched_at: 1_000,
        body,
    };
    let id = images::upsert_image(&mut c, &img).await.unwrap();
    let o = UrlOutcome {
        site_id: site,
        url: &url,
        image_id: Some(id),
        etag: None,
        last_modified: None,
        fetched_at: 1_000,
        status: Some(200),
        error: None,
    };
    images::record_url(&mut c, &o).await.unwrap();
    images::attach(&mut c, ad_id, 1, position, &url, Some(id), 1_000, None).await.unwrap();
    id
}

use redflag_core::{AdFields, AdKind, Entity, EntityKind};
use redflag_store::ads::{NewAdVersion, upsert_version};
use redflag_store::images::{self, NewImage, UrlOutcome};
use redflag_store::pages::{NewPage, insert, sha256_hex};
use redflag_store::{CaseFilter, CaseState, Role, Store, Subject, analysis};

use crate::stores_with_site;

/// Stores an ad with one evidence page and one phone entity; returns (ad id, page id).
async fn ad_with_phone(s: &Store, site: i64, key: &str, phone: &str, seen: i64) -> (i64, i64) {
    let mut c = s.conn().await.unwrap();
    let url = format!("http://board.test/{key}");
    let body = format!("<html>{key} call {phone}</html>");
    let page = NewPage::prepare(site, url.clone(), url.clone(), 200, seen, vec![], false, body.as_bytes());
    let pid = insert(&mut c, &page).await.unwrap();
    let f = AdFields { title: key.into(), body: format!("call {phone}"), ..Default::default() };
    let v = NewAdVersion {
        site_id: site,
        ad_key: key,
        kind: AdKind::Escort,
        url: &url,
        canonical_url: None,
        fields: &f,
        page_id: Some(pid),
        fetched_at: seen,
    };
    let (id, version, _) = upsert_version(&mut c, &v).await.unwrap();
    let e =
        Entity { kind: EntityKind::Phone, value: phone.into(), raw: phone.into(), start: 0, end: 3, obfuscated: false };
    analysis::replace_entities(&mut c, id, version, &[e]).await.unwrap();
    (id, pid)
}

#[tokio::test]
async fn cases_group_ads_keep_notes_append_only_and_audit_every_change() {
    for (s, site) in stores_with_site().await {
        s.upsert_user("maria", "correct horse 42", Role::Analyst, "admin").await.unwrap();
        let (a, _) = ad_with_phone(&s, site, "a", "+17025550101", 1_000).await;
        let (b, _) = ad_with_phone(&s, site, "b", "+17025550102", 1_000).await;
        let id = s.create_case("Reno lodging ring", None, "ana").await.unwrap();
        assert!(s.create_case("  ", None, "ana").await.unwrap_err().to_string().contains("empty"), "{}", s.label);
        assert!(s.create_case("x", Some("nobody"), "ana").await.is_err(), "unknown assignee is refused");
        assert!(s.add_case_ad(id, a, "ana").await.unwrap());
        assert!(!s.add_case_ad(id, a, "ana").await.unwrap(), "adding twice changes nothing");
        assert!(s.add_case_ad(id, b, "ana").await.unwrap());
        assert!(s.add_case_ad(id, 9999, "ana").await.unwrap_err().is_not_found());
        s.add_case_note(id, "First contact made by partner NGO.", "ana").await.unwrap();
        s.add_case_note(id, "Second note.", "maria").await.unwrap();
        s.set_case_state(id, CaseState::InReview, "ana").await.unwrap();
        s.set_case_assignee(id, Some("maria"), "ana").await.unwrap();
        s.set_case_hold(id, true, "ana").await.unwrap();
        let e = s.remove_case_ad(id, b, "ana").await.unwrap_err();
        assert!(e.to_string().contains("legal hold"), "{e}");
        s.set_case_hold(id, false, "ana").await.unwrap();
        assert!(s.remove_case_ad(id, b, "ana").await.unwrap());

        let c = s.case(id).await.unwrap();
        assert_eq!(
            (c.name.as_str(), c.state, c.assignee.as_deref(), c.legal_hold, c.ad_count),
            ("Reno lodging ring", CaseState::InReview, Some("maria"), false, 1),
            "{}",
            s.label
        );
        let notes: Vec<(String, String)> =
            s.case_notes(id).await.unwrap().into_iter().map(|n| (n.author, n.body)).collect();
        assert_eq!(notes[0], ("ana".to_string(), "First contact made by partner NGO.".to_string()));
        assert_eq!(notes.len(), 2);
        assert_eq!(s.case_ads(id).await.unwrap().iter().map(|x| x.ad_id).collect::<Vec<_>>(), [a]);
        assert_eq!(s.cases_of_ad(a).await.unwrap().len(), 1);
        assert!(s.cases_of_ad(b).await.unwrap().is_empty());

        let other = s.create_case("Closed one", None, "ana").await.unwrap();
        s.set_case_state(other, CaseState::Closed, "ana").await.unwrap();
        let by_state = s.cases(&CaseFilter { state: Some(CaseState::Closed), ..Default::default() }).await.unwrap();
        assert_eq!(by_state.iter().map(|c| c.id).collect::<Vec<_>>(), [other]);
        let by_assignee = s.cases(&CaseFilter { assignee: Some("maria".into()), ..Default::default() }).await.unwrap();
        assert_eq!(by_assignee.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
        assert_eq!(s.cases(&CaseFilter::default()).await.unwrap().len(), 2);

        let log = s.audit_for(&[format!("case:{id}")]).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "case.create",
                "case.ad_add",
                "case.ad_add",
                "case.note",
                "case.note",
                "case.state",
                "case.assign",
                "case.hold",
                "case.release",
                "case.ad_remove"
            ],
            "{}",
            s.label
        );
        // A note's text is in the case, not in the log.
        assert!(log.iter().all(|e| !e.detail.as_deref().unwrap_or("").contains("partner NGO")));
    }
}

#[tokio::test]
async fn deletion_on_request_removes_a_contacts_ads_except_those_on_legal_hold() {
    for (s, site) in stores_with_site().await {
        let phone = "+17025550148";
        let (gone, gone_page) = ad_with_phone(&s, site, "gone", phone, 1_000).await;
        let (held, held_page) = ad_with_phone(&s, site, "held", phone, 1_000).await;
        let (other, _) = ad_with_phone(&s, site, "other", "+17025550199", 1_000).await;
        // A refetch of the doomed ad's URL that made no new version is its evidence too.
        let mut c = s.conn().await.unwrap();
        let refetch = NewPage::prepare(
            site,
            "http://board.test/gone".into(),
            "http://board.test/gone".into(),
            200,
            2_000,
            vec![],
            false,
            b"<html>gone again</html>",
        );
        let refetch_page = insert(&mut c, &refetch).await.unwrap();
        drop(c);
        // Pictures: one only the doomed ad shows, one the held ad shows too, and a URL that failed.
        let own = picture(&s, site, gone, 0, b"own picture").await;
        let shared = picture(&s, site, gone, 1, b"shared picture").await;
        assert_eq!(picture(&s, site, held, 0, b"shared picture").await, shared);
        let mut c = s.conn().await.unwrap();
        let failed = "http://board.test/p/missing.png";
        let o = UrlOutcome {
            site_id: site,
            url: failed,
            image_id: None,
            etag: None,
            last_modified: None,
            fetched_at: 1_000,
            status: Some(404),
            error: Some("404 Not Found"),
        };
        images::record_url(&mut c, &o).await.unwrap();
        images::attach(&mut c, gone, 1, 2, failed, None, 1_000, Some("404 Not Found")).await.unwrap();
        drop(c);
        s.set_triage(gone, redflag_store::TriageState::Reviewing, None, None, "ana").await.unwrap();
        let case = s.create_case("Held", None, "ana").await.unwrap();
        s.add_case_ad(case, held, "ana").await.unwrap();
        let open_case = s.create_case("Not held", None, "ana").await.unwrap();
        s.add_case_ad(open_case, gone, "ana").await.unwrap();
        s.set_case_hold(case, true, "ana").await.unwrap();

        // The dry run, by the national digits, lists what would go and changes nothing.
        let plan = s.erase_plan(&Subject::Phone("(702) 555-0148".into()), "ana").await.unwrap();
        assert_eq!(plan.ads, [gone], "{}", s.label);
        assert_eq!(plan.kept.len(), 1);
        assert_eq!((plan.kept[0].ad_id, plan.kept[0].cases.clone()), (held, vec![(case, "Held".to_string())]));
        assert_eq!(plan.pages, [gone_page, refetch_page]);
        assert_eq!((plan.versions, plan.entities, plan.case_entries), (1, 1, 1));
        assert_eq!(plan.images, [own], "{}: the shared picture stays with the held ad", s.label);
        assert_eq!(s.ad_count().await.unwrap(), 3);

        let done = s.erase(&Subject::Phone(phone.into()), "ana").await.unwrap();
        assert_eq!(done.ads, plan.ads);
        assert!(s.ad(gone).await.unwrap_err().is_not_found(), "{}", s.label);
        assert!(s.page(gone_page).await.unwrap_err().is_not_found());
        assert!(s.page(refetch_page).await.unwrap_err().is_not_found());
        assert!(s.triage(gone).await.unwrap().is_none());
        assert!(s.ads_with_entity("phone", phone).await.unwrap() == [held]);
        assert_eq!(s.ad(held).await.unwrap().id, held);
        assert_eq!(s.page(held_page).await.unwrap().id, held_page);
        assert_eq!(s.ad(other).await.unwrap().id, other);
        assert!(s.case_ads(open_case).await.unwrap().is_empty());
        assert!(s.image(own).await.unwrap().is_none(), "{}: the doomed ad's own picture is gone", s.label);
        assert_eq!(s.image(shared).await.unwrap().unwrap().body, b"shared picture");
        assert_eq!(s.ad_images(held).await.unwrap().len(), 1);
        let mut c = s.conn().await.unwrap();
        for (url, left) in [
            (failed.to_string(), false),
            (format!("http://board.test/p/{}.png", &sha256_hex(b"shared picture")[..8]), true),
        ] {
            assert_eq!(images::url_state(&mut c, site, &url).await.unwrap().is_some(), left, "{}: {url}", s.label);
        }
        drop(c);

        let log = s.audit_log(5, 0).await.unwrap();
        let (req, dry) = (&log[0], &log[1]);
        assert_eq!((req.action.as_str(), dry.action.as_str()), ("erase.request", "erase.dry_run"));
        assert_eq!(req.target.as_deref(), Some("contact:phone"));
        let detail = req.detail.as_deref().unwrap();
        assert!(!detail.contains("5550148"), "the log must not keep the contact: {detail}");
        assert!(detail.contains(&redflag_store::pages::sha256_hex(b"17025550148")), "{detail}");

        // One ad by id; an ad on hold by id is kept and says why.
        let p = s.erase(&Subject::Ad(held), "ana").await.unwrap();
        assert!(p.ads.is_empty() && p.kept[0].ad_id == held);
        let p = s.erase(&Subject::Ad(other), "ana").await.unwrap();
        assert_eq!(p.ads, [other]);
        assert_eq!(s.ad_count().await.unwrap(), 1);
        assert!(s.erase(&Subject::Ad(other), "ana").await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn handles_match_exactly_though_underscores_are_like_wildcards() {
    for (s, site) in stores_with_site().await {
        let mut ids = Vec::new();
        for (key, handle) in [("x", "telegram:ann_b"), ("y", "telegram:annxb")] {
            let (id, _) = ad_with_phone(&s, site, key, "+17025550100", 1_000).await;
            let mut c = s.conn().await.unwrap();
            let e = Entity {
                kind: EntityKind::Handle,
                value: handle.into(),
                raw: handle.into(),
                start: 0,
                end: 3,
                obfuscated: false,
            };
            analysis::replace_entities(&mut c, id, 1, &[e]).await.unwrap();
            ids.push(id);
        }
        let p = s.erase_plan(&Subject::Handle("@Ann_B".into()), "ana").await.unwrap();
        assert_eq!(p.ads, [ids[0]], "{}", s.label);
        let p = s.erase_plan(&Subject::Handle("telegram:annxb".into()), "ana").await.unwrap();
        assert_eq!(p.ads, [ids[1]]);
        assert!(s.erase_plan(&Subject::Phone("12".into()), "ana").await.is_err());
    }
}

#[tokio::test]
async fn retention_keeps_ads_of_cases_on_legal_hold() {
    for (s, site) in stores_with_site().await {
        let (old, _) = ad_with_phone(&s, site, "old", "+17025550101", 1_000).await;
        let (held, _) = ad_with_phone(&s, site, "held", "+17025550102", 1_000).await;
        let case = s.create_case("Held", None, "ana").await.unwrap();
        s.add_case_ad(case, held, "ana").await.unwrap();
        s.add_case_ad(case, old, "ana").await.unwrap();
        s.remove_case_ad(case, old, "ana").await.unwrap();
        let open = s.create_case("Open", None, "ana").await.unwrap();
        s.add_case_ad(open, old, "ana").await.unwrap();
        s.set_case_hold(case, true, "ana").await.unwrap();
        let (ads, _) = s.purge_older_than(5_000, "ana").await.unwrap();
        assert_eq!(ads, 1, "{}", s.label);
        assert!(s.ad(old).await.unwrap_err().is_not_found());
        assert_eq!(s.ad(held).await.unwrap().id, held);
        assert!(s.case_ads(open).await.unwrap().is_empty());
    }
}
