//! Watches and the alert inbox: created from the search, ad and network pages, per user, paused and
//! deleted with an audit trail; alerts shown escaped with their evidence, counted in the navigation and
//! marked read; viewers have neither.

use axum::http::StatusCode;
use redflag_store::alerts::{self, NewAlert};

use crate::fixture::{HOSTILE_TITLE, PASSWORD, fixture};
use crate::{get, login, post};

#[tokio::test]
async fn analysts_create_pause_and_delete_their_own_watches() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let search = get(&fx.app, "/search?q=fee&kind=job", Some(&s)).await;
    assert!(search.body.contains("Watch this search"), "the search page offers a watch");
    let ad = get(&fx.app, &format!("/ads/{}", fx.ids.dinner), Some(&s)).await;
    assert!(ad.body.contains("data-watch=\"contact\"") && ad.body.contains("data-watch=\"network\""), "{}", ad.body);

    let r = post(
        &fx.app,
        "/watches",
        Some(&s),
        &[
            ("csrf", &s.csrf),
            ("kind", "search"),
            ("target", "fee"),
            ("ad_kind", "job"),
            ("min_risk", "50"),
            ("label", "fees"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let bad =
        post(&fx.app, "/watches", Some(&s), &[("csrf", &s.csrf), ("kind", "contact"), ("target", "nonsense")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let forged = post(&fx.app, "/watches", Some(&s), &[("csrf", "x"), ("kind", "search"), ("target", "fee")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let user = fx.db.users().await.unwrap().into_iter().find(|u| u.username == "ana").unwrap();
    let watches = fx.db.watches_of(user.id).await.unwrap();
    assert_eq!(watches.len(), 1);
    let w = &watches[0];
    assert_eq!((w.label.as_str(), w.min_risk, w.ad_kind.map(|k| k.as_str())), ("fees", Some(50), Some("job")));
    let page = get(&fx.app, "/watches", Some(&s)).await;
    assert!(page.body.contains("fees") && page.body.contains("risk ≥ 50"), "{}", page.body);

    // Another user neither sees nor changes it.
    let ada = login(&fx.app, "ada", PASSWORD).await;
    assert!(!get(&fx.app, "/watches", Some(&ada)).await.body.contains("fees"));
    let r =
        post(&fx.app, &format!("/watches/{}", w.id), Some(&ada), &[("csrf", &ada.csrf), ("action", "delete")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = post(&fx.app, &format!("/watches/{}", w.id), Some(&s), &[("csrf", &s.csrf), ("action", "pause")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(fx.db.watches_of(user.id).await.unwrap()[0].paused);
    let r = post(&fx.app, &format!("/watches/{}", w.id), Some(&s), &[("csrf", &s.csrf), ("action", "delete")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(fx.db.watches_of(user.id).await.unwrap().is_empty());
    let log = fx.db.audit_log(50, 0).await.unwrap();
    for action in ["watch.create", "watch.pause", "watch.delete"] {
        assert!(log.iter().any(|e| e.action == action && e.actor == "ana"), "{action} audited");
    }

    // Viewers have no watches and no inbox.
    let vic = login(&fx.app, "vic", PASSWORD).await;
    assert_eq!(get(&fx.app, "/watches", Some(&vic)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&fx.app, "/alerts", Some(&vic)).await.status, StatusCode::FORBIDDEN);
    let r = post(&fx.app, "/watches", Some(&vic), &[("csrf", &vic.csrf), ("kind", "search"), ("target", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!get(&fx.app, "/search?q=fee", Some(&vic)).await.body.contains("Watch this search"));
}

#[tokio::test]
async fn the_inbox_shows_alerts_escaped_counts_unread_ones_and_marks_them_read() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let user = fx.db.users().await.unwrap().into_iter().find(|u| u.username == "ana").unwrap();
    let w = redflag_store::NewWatch {
        user_id: user.id,
        kind: redflag_store::WatchKind::Search,
        target: "fee".into(),
        ad_kind: None,
        min_risk: None,
        label: "fees <i>everywhere</i>".into(),
        email: None,
    };
    let wid = fx.db.create_watch(&w, "ana").await.unwrap();
    let excerpt = "pay a fee <script>document.title='pwn'</script>";
    let evidence = serde_json::json!({ "kind": "search", "query": "fee", "excerpt": excerpt, "highlights": [[6, 9]] });
    let hostile = fx.db.ad(fx.ids.hostile).await.unwrap();
    let mut tx = fx.db.begin().await.unwrap();
    let id = alerts::insert_alert(
        &mut tx,
        &NewAlert {
            watch_id: wid,
            user_id: user.id,
            ad_id: hostile.id,
            version: hostile.version,
            url: &hostile.url,
            title: HOSTILE_TITLE,
            evidence: &evidence,
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();

    let page = get(&fx.app, "/alerts", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("title=\"unread alerts\">1<"), "the nav counts it: {}", page.body);
    assert!(page.body.contains("<mark>fee</mark>"), "the match is marked");
    assert!(!page.body.contains("<script>document") && !page.body.contains("<svg"), "ad text is escaped");
    assert!(page.body.contains("fees &lt;i&gt;everywhere&lt;/i&gt;"));
    assert!(!page.body.contains("href=\"javascript:"), "the ad's URL is not a link");
    // Every page's navigation shows the count.
    assert!(get(&fx.app, "/leads", Some(&s)).await.body.contains("title=\"unread alerts\">1<"));

    let r = post(&fx.app, &format!("/alerts/{id}/read"), Some(&s), &[("csrf", &s.csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = get(&fx.app, "/alerts", Some(&s)).await;
    assert!(!page.body.contains("unread alerts\">") && page.body.contains("No alerts."), "{}", page.body);
    assert!(get(&fx.app, "/alerts?all=1", Some(&s)).await.body.contains(&format!("data-alert-id=\"{id}\"")));
    // Another analyst's inbox does not have it.
    let ada = login(&fx.app, "ada", PASSWORD).await;
    assert!(!get(&fx.app, "/alerts?all=1", Some(&ada)).await.body.contains("data-alert-id"));
}
