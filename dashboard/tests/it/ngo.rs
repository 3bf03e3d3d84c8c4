//! The NGO role: the deterrence bot's counters as a page with charts and a CSV download, and nothing of
//! the investigators' leads, ads, searches, networks, cases or API.

use axum::http::StatusCode;
use redflag_store::bot::{DAY_MS, StatsDelta};
use redflag_store::now_ms;

use crate::browser::Browser;
use crate::fixture::{Fixture, PASSWORD, fixture};
use crate::{get, login, post};

/// Seeds counters: two personas, two decoy ads, two channels, over three days of the last week, plus a
/// row 40 days back (outside the default period) and an operator id that a spreadsheet would run.
async fn seed(fx: &Fixture) {
    let now = now_ms();
    let d = |f: fn(&mut StatsDelta)| {
        let mut s = StatsDelta::default();
        f(&mut s);
        s
    };
    let rows: [(i64, &str, &str, &str, StatsDelta); 5] = [
        (
            now,
            "telegram",
            "maya",
            "ad-17",
            d(|s| {
                s.conversations = 5;
                s.intent = 3;
                s.deterrence = 3;
                s.help_requests = 1;
            }),
        ),
        (
            now - 2 * DAY_MS,
            "sms",
            "maya",
            "ad-17",
            d(|s| {
                s.conversations = 4;
                s.intent = 2;
                s.deterrence = 2;
                s.opt_outs = 1;
                s.minor_cues = 1;
            }),
        ),
        (
            now - 6 * DAY_MS,
            "webchat",
            "lena",
            "ad-22",
            d(|s| {
                s.conversations = 2;
                s.checks = 7;
            }),
        ),
        (now - 40 * DAY_MS, "sms", "maya", "ad-17", d(|s| s.conversations = 100)),
        (now - DAY_MS, "sms", "=cmd|' /C calc'!A0", "ad,with \"quotes\"", d(|s| s.conversations = 1)),
    ];
    for (at, channel, persona, decoy, delta) in rows {
        fx.db.add_bot_stats(at, channel, persona, decoy, &delta).await.unwrap();
    }
}

#[tokio::test]
async fn ngo_staff_see_the_bot_counters_and_nothing_of_the_investigators() {
    let fx = fixture().await;
    seed(&fx).await;
    let nora = login(&fx.app, "nora", PASSWORD).await;
    let home = get(&fx.app, "/login", Some(&nora)).await;
    assert_eq!((home.status, home.header("location")), (StatusCode::SEE_OTHER, "/ngo"), "NGO staff land on /ngo");

    let page = get(&fx.app, "/ngo", Some(&nora)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Totals of the last 30 days: 5 + 4 + 2 + 1 conversations (the row 40 days back is outside).
    assert!(page.body.contains("Conversations: 12 in 30 days"), "{}", page.body);
    assert!(page.body.contains("Deterrence sent: 5 in 30 days"));
    assert!(page.body.contains("Help requests: 1 in 30 days"));
    assert!(page.body.contains("Opt-outs: 1 in 30 days"));
    assert!(page.body.contains("Minor cues: 1 in 30 days"));
    assert!(page.body.contains("Job-ad checks: 7 in 30 days"));
    assert!(page.body.contains("<svg"), "charts are inline SVG");
    assert!(!page.body.contains("<script>"), "operator ids are escaped, and the page adds no inline script");
    assert!(page.body.contains("&quot;quotes&quot;") || page.body.contains("\"quotes\""));
    for investigators in
        ["href=\"/leads\"", "href=\"/networks\"", "href=\"/cases\"", "action=\"/search\"", "href=\"/account/tokens\""]
    {
        assert!(!page.body.contains(investigators), "the NGO page links to no investigators' page: {investigators}");
    }
    // A filter narrows everything, and 7 days leave the webchat row 6 days back in, 1 day out.
    let maya = get(&fx.app, "/ngo?days=7&persona=maya", Some(&nora)).await;
    assert!(maya.body.contains("Conversations: 9 in 7 days"), "{}", maya.body);
    let today = get(&fx.app, "/ngo?days=1", Some(&nora)).await;
    assert!(today.body.contains("Conversations: 5 in 1 days"), "{}", today.body);
    assert_eq!(get(&fx.app, "/ngo?days=0", Some(&nora)).await.status, StatusCode::BAD_REQUEST);

    let a = fx.ids.dinner;
    let p = fx.ids.dinner_page;
    for path in [
        "/".to_string(),
        "/leads".into(),
        format!("/ads/{a}"),
        format!("/pages/{p}/raw"),
        "/contacts?kind=phone&value=x".into(),
        "/search?q=dinner".into(),
        "/networks".into(),
        "/crawl".into(),
        "/cases".into(),
        "/alerts".into(),
        "/watches".into(),
        "/export.jsonl".into(),
        "/audit".into(),
        "/users".into(),
        "/admin/delete".into(),
        "/api/leads".into(),
        format!("/api/ads/{a}"),
    ] {
        let r = get(&fx.app, &path, Some(&nora)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} is refused to NGO staff");
        assert!(!r.body.to_lowercase().contains("dinner"), "{path} shows nothing of the ads");
    }
    let triage =
        post(&fx.app, &format!("/ads/{a}/triage"), Some(&nora), &[("csrf", &nora.csrf), ("state", "dismissed")]).await;
    assert_eq!(triage.status, StatusCode::FORBIDDEN);
    let api = get(&fx.app, "/api/leads", Some(&nora)).await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["error"]["code"], "forbidden");

    // Investigators other than admins do not read the NGO counters; admins do.
    for who in ["vic", "ana"] {
        let s = login(&fx.app, who, PASSWORD).await;
        assert_eq!(get(&fx.app, "/ngo", Some(&s)).await.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(get(&fx.app, "/ngo.csv", Some(&s)).await.status, StatusCode::FORBIDDEN, "{who}");
        assert!(!get(&fx.app, "/", Some(&s)).await.body.contains("href=\"/ngo\""), "{who} has no link to it");
    }
    let ada = login(&fx.app, "ada", PASSWORD).await;
    assert_eq!(get(&fx.app, "/ngo", Some(&ada)).await.status, StatusCode::OK);
    assert!(get(&fx.app, "/", Some(&ada)).await.body.contains("href=\"/ngo\""));
    assert_eq!(get(&fx.app, "/ngo", None).await.status, StatusCode::SEE_OTHER, "a login is needed");

    let out = post(&fx.app, "/logout", Some(&nora), &[("csrf", &nora.csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "NGO staff can log out");
    assert_eq!(get(&fx.app, "/ngo", Some(&nora)).await.status, StatusCode::SEE_OTHER, "the session is gone");
    let refusals = fx.db.audit_log(200, 0).await.unwrap();
    assert!(refusals.iter().any(|e| e.actor == "nora" && e.action == "request.refused"), "refusals are audited");
}

#[tokio::test]
async fn the_ngo_csv_has_one_line_per_day_persona_decoy_and_channel_and_is_audited() {
    let fx = fixture().await;
    seed(&fx).await;
    let nora = login(&fx.app, "nora", PASSWORD).await;
    let r = get(&fx.app, "/ngo.csv", Some(&nora)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert!(r.header("content-disposition").starts_with("attachment; filename=\"redflag-bot-"));
    let lines: Vec<&str> = r.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "day,persona,decoy_ad,channel,conversations,intent,deterrence,help_requests,opt_outs,minor_cues,checks,\
         closed_without_intent"
    );
    assert_eq!(lines.len(), 1 + 4, "four rows in the last 30 days: {lines:?}");
    let today = &redflag_core::time::rfc3339(now_ms())[..10];
    assert!(lines.contains(&format!("{today},maya,ad-17,telegram,5,3,3,1,0,0,0,0").as_str()), "{lines:?}");
    let hostile = lines.iter().find(|l| l.contains("calc")).unwrap();
    assert!(hostile.contains(",'=cmd|' /C calc'!A0,\"ad,with \"\"quotes\"\"\",sms,1,"), "{hostile}");

    let one = get(&fx.app, "/ngo.csv?days=30&persona=lena&channel=webchat", Some(&nora)).await;
    let rows: Vec<&str> = one.body.split("\r\n").filter(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].ends_with(",lena,ad-22,webchat,2,0,0,0,0,0,7,0"), "{rows:?}");
    let year = get(&fx.app, "/ngo.csv?days=365", Some(&nora)).await;
    assert_eq!(year.body.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + 5);

    let log = fx.db.audit_log(50, 0).await.unwrap();
    let exports: Vec<_> = log.iter().filter(|e| e.action == "ngo.export").collect();
    assert_eq!(exports.len(), 3, "every download is audited");
    assert!(exports.iter().all(|e| e.actor == "nora"));
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_browser_ngo_staff_land_on_the_counters_filter_them_and_reach_nothing_else() {
    let fx = fixture().await;
    seed(&fx).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(redflag_dashboard::serve(listener, fx.state.clone(), std::future::pending()));
    let Some(b) = Browser::start(&base).await else { return };
    b.login("nora", PASSWORD).await;
    assert_eq!(b.path().await, "/ngo", "NGO staff land on the counters");
    b.wait_for_text("main h1", "Deterrence bot").await;
    assert!(b.text("section.totals").await.contains("12"), "twelve conversations in 30 days");
    assert_eq!(b.count("section.charts figure.chart svg").await, 8, "one chart per counter");
    let (w, h) = b.size("section.charts figure.chart svg").await;
    assert!(w > 100.0 && h > 50.0, "the charts are drawn ({w} × {h})");
    assert!(b.count("figure.chart rect.bar").await >= 3, "bars for the days with conversations");
    b.select("#f-persona", "maya").await;
    b.select("#f-days", "7").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_for_text("section.totals", "9").await;
    assert_eq!(b.path().await, "/ngo?days=7&persona=maya&decoy=&channel=");
    assert_eq!(b.count("header.top nav a").await, 2, "the brand and the bot page, nothing of the investigators");
    b.goto("/leads").await;
    b.wait_for_text("main", "Your role does not allow this").await;
    b.close().await;
}

#[tokio::test]
async fn ngo_logins_and_their_tokens_reach_neither_the_api_nor_the_metrics() {
    let fx = fixture().await;
    // A token made while the login was an analyst's keeps the login's current role: NGO, so nothing.
    fx.db.upsert_user("nora", PASSWORD, redflag_store::Role::Analyst, "test").await.unwrap();
    let token = crate::api::token_for(&fx, "nora").await;
    assert_eq!(crate::api::api(&fx, "GET", "/api/leads", Some(&token), None).await.status, StatusCode::OK);
    fx.db.upsert_user("nora", PASSWORD, redflag_store::Role::Ngo, "test").await.unwrap();
    let a = fx.ids.dinner;
    for path in
        ["/api/leads".to_string(), format!("/api/ads/{a}"), "/api/search?q=dinner".into(), "/api/networks".into()]
    {
        let r = crate::api::api(&fx, "GET", &path, Some(&token), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        assert!(!r.body.to_lowercase().contains("dinner"), "{path}");
    }
    let metrics = crate::api::api(&fx, "GET", "/metrics", Some(&token), None).await;
    assert_eq!(metrics.status, StatusCode::FORBIDDEN, "{}", metrics.body);
    // Through the browser session too, and NGO staff cannot make tokens.
    let nora = login(&fx.app, "nora", PASSWORD).await;
    assert_eq!(get(&fx.app, "/api/leads", Some(&nora)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&fx.app, "/account/tokens", Some(&nora)).await.status, StatusCode::FORBIDDEN);
    let made = post(&fx.app, "/account/tokens", Some(&nora), &[("csrf", &nora.csrf), ("name", "x")]).await;
    assert_eq!(made.status, StatusCode::FORBIDDEN);
    assert_eq!(fx.db.api_tokens(None).await.unwrap().iter().filter(|t| t.name == "x").count(), 0);
}
