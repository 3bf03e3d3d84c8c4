//! What analysts and admins change: triage (persisted and audited), exports, evidence downloads,
//! users, and one-time login links.

use axum::http::StatusCode;
use redflag_store::{Role, TriageState};

use crate::fixture::{PASSWORD, fixture};
use crate::{Session, get, login, post};

#[tokio::test]
async fn triage_changes_persist_and_are_audited() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let id = fx.ids.cleaners;
    let r = post(
        &fx.app,
        &format!("/ads/{id}/triage"),
        Some(&s),
        &[
            ("csrf", &s.csrf),
            ("state", "escalated"),
            ("assignee", " maria "),
            ("note", "Fee up front; referred to labour inspectorate."),
        ],
    )
    .await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, format!("/ads/{id}?saved=1#triage").as_str()));
    let t = fx.db.triage(id).await.unwrap().unwrap();
    assert_eq!((t.state, t.assignee.as_deref(), t.updated_by.as_str()), (TriageState::Escalated, Some("maria"), "ana"));
    let log = fx.db.audit_log(20, 0).await.unwrap();
    let entry = log.iter().find(|e| e.action == "triage.set").expect("triage audited");
    assert_eq!((entry.actor.as_str(), entry.target.clone()), ("ana", Some(format!("ad:{id}"))));
    assert!(entry.detail.as_deref().unwrap().contains("escalated"));
    // The page shows it, and the queue filters on it.
    let page = get(&fx.app, &format!("/ads/{id}?saved=1"), Some(&s)).await.body;
    assert!(page.contains("Triage saved.") && page.contains("<option value=\"escalated\" selected>escalated</option>"));
    assert!(page.contains("value=\"maria\"") && page.contains("Last changed by ana"));
    let api: serde_json::Value =
        serde_json::from_str(&get(&fx.app, "/api/leads?triage=escalated", Some(&s)).await.body).unwrap();
    assert_eq!(api["total"], 1);
    assert_eq!(api["leads"][0]["id"], id);
    // Bad input is refused without a change.
    for (state, note) in [("closed", "x"), ("new", &"n".repeat(4001)[..])] {
        let r = post(
            &fx.app,
            &format!("/ads/{id}/triage"),
            Some(&s),
            &[("csrf", &s.csrf), ("state", state), ("note", note)],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{state}");
    }
    assert_eq!(fx.db.triage(id).await.unwrap().unwrap().state, TriageState::Escalated);
    let r = post(&fx.app, "/ads/999999/triage", Some(&s), &[("csrf", &s.csrf), ("state", "new")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn export_has_the_cli_fields_and_is_audited() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let r = get(&fx.app, "/export.jsonl", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/x-ndjson"));
    assert!(r.header("content-disposition").starts_with("attachment; filename=\"redflag-export-"));
    let rows: Vec<serde_json::Value> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let fields = [
        "url",
        "site",
        "kind",
        "title",
        "body",
        "city",
        "phones",
        "emails",
        "handles",
        "price",
        "posted_at",
        "risk",
        "indicators",
        "cluster",
        "fetched_at",
        "sha256",
    ];
    for row in &rows {
        for f in fields {
            assert!(row.get(f).is_some(), "export row lacks {f}: {row}");
        }
    }
    let dinner = rows.iter().find(|r| r["id"] == fx.ids.dinner).unwrap();
    assert_eq!(dinner["phones"], serde_json::json!(["+17025550148"]));
    assert_eq!(dinner["indicators"][0]["id"], "escort.new_in_town");
    assert_eq!(dinner["indicators"][0]["evidence"][0]["text"], "New in town");
    assert_eq!(dinner["price"]["text"], "$250/hr");
    assert_eq!(dinner["sha256"], redflag_store::pages::sha256_hex(fx.ids.dinner_page_body));
    assert_eq!(dinner["cluster"], fx.ids.dinner);
    assert!(dinner["fetched_at"].as_str().unwrap().ends_with('Z'));
    let log = fx.db.audit_log(20, 0).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "export.jsonl" && e.actor == "ana" && e.detail.as_deref() == Some("dashboard; 5 ads")),
        "{log:?}"
    );
}

#[tokio::test]
async fn raw_evidence_downloads_as_bytes_that_never_render() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let r = crate::send(
        &fx.app,
        axum::http::Request::get(format!("/pages/{}/raw", fx.ids.dinner_page))
            .header("cookie", &s.cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/octet-stream");
    let sha = redflag_store::pages::sha256_hex(fx.ids.dinner_page_body);
    assert_eq!(
        r.header("content-disposition"),
        format!("attachment; filename=\"redflag-page-{}-{}.bin\"", fx.ids.dinner_page, &sha[..12])
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(r.header("content-security-policy").contains("sandbox"));
    assert_eq!(r.header("x-evidence-sha256"), sha);
    assert_eq!(r.body, String::from_utf8_lossy(fx.ids.dinner_page_body), "the bytes as stored");
    let log = fx.db.audit_log(20, 0).await.unwrap();
    assert!(log.iter().any(
        |e| e.action == "evidence.download" && e.target.as_deref() == Some(&format!("page:{}", fx.ids.dinner_page))
    ));
    assert_eq!(get(&fx.app, "/pages/999999/raw", Some(&s)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_manage_users_and_read_the_audit_log() {
    let fx = fixture().await;
    let s = login(&fx.app, "ada", PASSWORD).await;
    let r = post(
        &fx.app,
        "/users",
        Some(&s),
        &[("csrf", &s.csrf), ("username", "nadia"), ("password", "long enough pw"), ("role", "analyst")],
    )
    .await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/users?saved=nadia"));
    let users = fx.db.users().await.unwrap();
    assert!(users.iter().any(|u| u.username == "nadia" && u.role == Role::Analyst));
    login(&fx.app, "nadia", "long enough pw").await;
    let r = post(
        &fx.app,
        "/users",
        Some(&s),
        &[("csrf", &s.csrf), ("username", "x"), ("password", "short"), ("role", "viewer")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at least 12 characters"), "the reason is shown");
    let audit = get(&fx.app, "/audit", Some(&s)).await.body;
    assert!(
        audit.contains("<code>user.create</code>")
            && audit.contains("user:nadia")
            && audit.contains("<code>login.ok</code>")
    );
    let analyst = login(&fx.app, "ana", PASSWORD).await;
    let r = post(
        &fx.app,
        "/users",
        Some(&analyst),
        &[("csrf", &analyst.csrf), ("username", "eve"), ("password", "long enough pw"), ("role", "admin")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!fx.db.users().await.unwrap().iter().any(|u| u.username == "eve"));
}

#[tokio::test]
async fn a_login_link_works_once() {
    let fx = fixture().await;
    assert!(fx.state.login_link("ana", "wrong password").await.unwrap().is_none());
    let link = fx.state.login_link("ana", PASSWORD).await.unwrap().unwrap();
    assert!(link.starts_with("/login/link/"));
    let r = get(&fx.app, &format!("{link}?next=%2Fnetworks"), None).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/networks"));
    let token = r.set_cookie("rf_session").unwrap();
    let s = Session { cookie: format!("rf_session={token}"), csrf: String::new() };
    assert_eq!(get(&fx.app, "/leads", Some(&s)).await.status, StatusCode::OK);
    assert_eq!(get(&fx.app, &link, None).await.status, StatusCode::BAD_REQUEST, "second use");
    let log = fx.db.audit_log(50, 0).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "login.link" && e.actor == "ana").count(), 1, "redemption audited");
    let evil = fx.state.login_link("ana", PASSWORD).await.unwrap().unwrap();
    let r = get(&fx.app, &format!("{evil}?next=https%3A%2F%2Fevil.example"), None).await;
    assert_eq!(r.header("location"), "/", "never redirects off-site");
}
