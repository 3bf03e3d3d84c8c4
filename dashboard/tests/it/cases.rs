//! Case files in the dashboard: who may read and write, the pages, adding ads from the ad page and the
//! queue, the archive download, and deletion on request with a legal hold.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redflag_store::{CaseState, Subject};
use tower::ServiceExt;

use crate::fixture::{HOSTILE_TITLE, PASSWORD, fixture};
use crate::{get, login, post};

/// `GET path` as raw bytes (the archive is binary).
async fn get_bytes(app: &axum::Router, path: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ct = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.unwrap();
    (status, ct, bytes.to_vec())
}

#[tokio::test]
async fn analysts_build_a_case_from_the_ad_page_and_the_queue_and_viewers_only_read() {
    let fx = fixture().await;
    let ana = login(&fx.app, "ana", PASSWORD).await;
    let vic = login(&fx.app, "vic", PASSWORD).await;
    let ids = fx.ids;

    // Viewers may not open cases.
    let r = post(&fx.app, "/cases", Some(&vic), &[("csrf", &vic.csrf), ("name", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        post(&fx.app, "/cases", Some(&ana), &[("csrf", &ana.csrf), ("name", "Reno <ring>"), ("assignee", "vic")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case: i64 = r.header("location").strip_prefix("/cases/").unwrap().parse().unwrap();

    // From the ad page.
    let page = get(&fx.app, &format!("/ads/{}", ids.dinner), Some(&ana)).await.body;
    assert!(page.contains("Add to case") && page.contains("Reno &lt;ring&gt;"), "the ad page offers the case");
    let back = format!("/ads/{}#cases", ids.dinner);
    let d = ids.dinner.to_string();
    let c = case.to_string();
    let r = post(
        &fx.app,
        "/cases/ads",
        Some(&ana),
        &[("csrf", &ana.csrf), ("action", "add"), ("case", &c), ("ad", &d), ("back", &back)],
    )
    .await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, back.as_str()));
    let page = get(&fx.app, &format!("/ads/{}", ids.dinner), Some(&ana)).await.body;
    assert!(page.contains(&format!("href=\"/cases/{case}\"")), "the ad page lists its case");

    // From the queue: several ticked ads at once.
    let queue = get(&fx.app, "/leads", Some(&ana)).await.body;
    assert!(queue.contains("id=\"lead-actions\"") && queue.contains("form=\"lead-actions\""));
    assert!(queue.contains("formaction=\"/cases/ads\""), "the queue's actions include adding to a case");
    assert!(!get(&fx.app, "/leads", Some(&vic)).await.body.contains("lead-actions"), "viewers get no tick boxes");
    let (h, c2) = (ids.hostile.to_string(), ids.cleaners.to_string());
    let r = post(
        &fx.app,
        "/cases/ads",
        Some(&ana),
        &[("csrf", &ana.csrf), ("action", "add"), ("case", &c), ("ad", &h), ("ad", &c2), ("back", "/leads?kind=job")],
    )
    .await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/leads?kind=job"));
    let r = post(
        &fx.app,
        "/cases/ads",
        Some(&ana),
        &[("csrf", &ana.csrf), ("action", "add"), ("case", &c), ("ad", "999999")],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &fx.app,
        "/cases/ads",
        Some(&ana),
        &[("csrf", &ana.csrf), ("action", "add"), ("case", &c), ("ad", &d), ("back", "https://evil.example/")],
    )
    .await;
    assert_eq!(r.header("location"), format!("/cases/{case}?saved=ads+added"), "no open redirect");

    // Notes, state, assignee and hold.
    let r = post(
        &fx.app,
        &format!("/cases/{case}/notes"),
        Some(&ana),
        &[("csrf", &ana.csrf), ("note", "Sent to <b>prosecutor</b>")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(
        &fx.app,
        &format!("/cases/{case}"),
        Some(&ana),
        &[("csrf", &ana.csrf), ("state", "in_review"), ("assignee", "ada"), ("hold", "on")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let got = fx.db.case(case).await.unwrap();
    assert_eq!(
        (got.state, got.assignee.as_deref(), got.legal_hold, got.ad_count),
        (CaseState::InReview, Some("ada"), true, 3)
    );
    // Only an admin lifts a hold; ads cannot be removed while it holds.
    let r = post(
        &fx.app,
        &format!("/cases/{case}"),
        Some(&ana),
        &[("csrf", &ana.csrf), ("state", "in_review"), ("assignee", "ada")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        post(&fx.app, "/cases/ads", Some(&ana), &[("csrf", &ana.csrf), ("action", "remove"), ("case", &c), ("ad", &d)])
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("legal hold"), "{}", r.body);

    // Everyone reads; the page escapes ad text, names and notes; viewers see no forms.
    let page = get(&fx.app, &format!("/cases/{case}"), Some(&vic)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sent to &lt;b&gt;prosecutor&lt;/b&gt;") && page.body.contains("Reno &lt;ring&gt;"));
    assert!(!page.body.contains(HOSTILE_TITLE) && !page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("legal hold") && !page.body.contains("action=\"/cases/ads\""));
    assert!(!page.body.contains("export.zip"), "viewers cannot export");
    let r = post(&fx.app, &format!("/cases/{case}/notes"), Some(&vic), &[("csrf", &vic.csrf), ("note", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The list filters by state and assignee.
    let list = get(&fx.app, "/cases?state=in_review&assignee=ada", Some(&vic)).await.body;
    assert!(list.contains(&format!("href=\"/cases/{case}\"")));
    let list = get(&fx.app, "/cases?state=closed", Some(&vic)).await.body;
    assert!(!list.contains(&format!("href=\"/cases/{case}\"")) && list.contains("No cases match."));
    assert!(get(&fx.app, "/cases?state=bogus", Some(&vic)).await.body.contains("unknown case state"));

    // Every change is audited under the case.
    let actions: Vec<String> =
        fx.db.audit_for(&[format!("case:{case}")]).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "case.ad_add",
            "case.ad_add",
            "case.ad_add",
            "case.note",
            "case.state",
            "case.assign",
            "case.hold"
        ]
    );
}

#[tokio::test]
async fn the_case_archive_downloads_verifies_and_is_audited() {
    let fx = fixture().await;
    let ana = login(&fx.app, "ana", PASSWORD).await;
    let vic = login(&fx.app, "vic", PASSWORD).await;
    let case = fx.db.create_case("Dinner", None, "ana").await.unwrap();
    let path = format!("/cases/{case}/export.zip");
    assert_eq!(get_bytes(&fx.app, &path, &ana.cookie).await.0, StatusCode::BAD_REQUEST, "an empty case");
    fx.db.add_case_ad(case, fx.ids.dinner, "ana").await.unwrap();
    fx.db.add_case_ad(case, fx.ids.hostile, "ana").await.unwrap();
    assert_eq!(get_bytes(&fx.app, &path, &vic.cookie).await.0, StatusCode::FORBIDDEN);
    let (status, ct, zip) = get_bytes(&fx.app, &path, &ana.cookie).await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/zip"));
    let report = redflag_case::verify(std::io::Cursor::new(&zip)).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.evidence_checked >= 1);
    // The dinner page's bytes are in it unchanged.
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let mut f = a.by_name(&format!("evidence/page-{}.raw", fx.ids.dinner_page)).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
    assert_eq!(bytes, fx.ids.dinner_page_body);
    let log = fx.db.audit_for(&[format!("case:{case}")]).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("case.export", "ana"));
    assert!(last.detail.as_deref().unwrap().contains(report.manifest_sha256.as_deref().unwrap()));
}

#[tokio::test]
async fn admins_delete_a_contact_on_request_except_what_a_legal_hold_keeps() {
    let fx = fixture().await;
    let ada = login(&fx.app, "ada", PASSWORD).await;
    let ana = login(&fx.app, "ana", PASSWORD).await;
    // dinner and dinner2 share the phone; dinner is in a held case.
    let case = fx.db.create_case("Held", None, "ana").await.unwrap();
    fx.db.add_case_ad(case, fx.ids.dinner, "ana").await.unwrap();
    fx.db.set_case_hold(case, true, "ana").await.unwrap();
    assert!(fx.state.index().contains(fx.ids.dinner2).unwrap());

    assert_eq!(get(&fx.app, "/admin/delete", Some(&ana)).await.status, StatusCode::FORBIDDEN);
    let form = [("csrf", ada.csrf.as_str()), ("kind", "phone"), ("value", "(702) 555-0148")];
    let r = post(&fx.app, "/admin/delete", Some(&ana), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "analysts cannot delete");

    // The dry run lists and changes nothing.
    let r = post(&fx.app, "/admin/delete", Some(&ada), &form).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Would delete 1 ads"), "{}", r.body);
    assert!(r.body.contains(&format!("Ad {}</a> is kept: on legal hold in", fx.ids.dinner)));
    assert!(r.body.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(fx.db.ad(fx.ids.dinner2).await.unwrap().id, fx.ids.dinner2);

    let mut confirmed = form.to_vec();
    confirmed.push(("confirm", "yes"));
    let r = post(&fx.app, "/admin/delete", Some(&ada), &confirmed).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Deleted 1 ads"), "{}", r.body);
    assert!(fx.db.ad(fx.ids.dinner2).await.unwrap_err().is_not_found());
    assert_eq!(fx.db.ad(fx.ids.dinner).await.unwrap().id, fx.ids.dinner);
    assert!(!fx.state.index().contains(fx.ids.dinner2).unwrap(), "gone from the search index");
    assert!(fx.state.index().contains(fx.ids.dinner).unwrap());
    let log = fx.db.audit_log(5, 0).await.unwrap();
    assert_eq!((log[0].action.as_str(), log[1].action.as_str()), ("erase.request", "erase.dry_run"));
    assert!(!log[0].detail.as_deref().unwrap().contains("5550148"), "the contact itself is not logged");
    assert!(fx.db.erase_plan(&Subject::Ad(fx.ids.dinner2), "ada").await.unwrap().is_empty());
}
