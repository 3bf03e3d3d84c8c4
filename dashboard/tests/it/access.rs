//! Who may see and do what: login, sessions, roles, form tokens, throttling and security headers.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redflag_dashboard::DashboardConfig;

use crate::fixture::{PASSWORD, fixture, fixture_with};
use crate::{Session, get, login, post, send};

#[tokio::test]
async fn pages_require_login_except_the_public_ones() {
    let fx = fixture().await;
    let a = fx.ids.dinner;
    for path in
        ["/", "/leads", &format!("/ads/{a}"), "/search?q=x", "/networks", "/crawl", "/export.jsonl", "/audit", "/users"]
    {
        let r = get(&fx.app, path, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path} must need a login");
        assert!(r.header("location").starts_with("/login"), "{path} → {}", r.header("location"));
    }
    let r = get(&fx.app, &format!("/ads/{a}"), None).await;
    assert_eq!(r.header("location"), format!("/login?next=%2Fads%2F{a}"), "comes back to the page after login");
    for path in ["/login", "/healthz", "/static/app.css", "/static/app.js"] {
        assert_eq!(get(&fx.app, path, None).await.status, StatusCode::OK, "{path} is public");
    }
    let r = get(&fx.app, "/api/leads", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"]["code"], "unauthenticated");
    // A forged or expired cookie is no login.
    let fake = Session { cookie: "rf_session=00ff".into(), csrf: String::new() };
    assert_eq!(get(&fx.app, "/", Some(&fake)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn login_sets_a_strict_session_cookie_and_logout_ends_it() {
    let fx = fixture().await;
    let form = get(&fx.app, "/login", None).await;
    let login_cookie = form.set_cookie("rf_login").unwrap();
    let body =
        format!("username=ana&password={}&csrf={}&next=%2Fnetworks", PASSWORD.replace(' ', "+"), form.csrf_field());
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("rf_login={login_cookie}"))
        .body(Body::from(body))
        .unwrap();
    let r = send(&fx.app, req).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/networks"));
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("rf_session="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set.contains(attr), "{set} lacks {attr}");
    }
    assert!(!set.contains("Secure"), "plain-HTTP default");

    let s = login(&fx.app, "ana", PASSWORD).await;
    assert_eq!(get(&fx.app, "/", Some(&s)).await.status, StatusCode::OK);
    let out = post(&fx.app, "/logout", Some(&s), &[("csrf", &s.csrf)]).await;
    assert_eq!((out.status, out.header("location")), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(get(&fx.app, "/", Some(&s)).await.status, StatusCode::SEE_OTHER, "the session is gone");
}

#[tokio::test]
async fn secure_deployments_use_host_prefixed_secure_cookies() {
    let fx = fixture_with(DashboardConfig { secure_cookies: true, ..Default::default() }).await;
    let form = get(&fx.app, "/login", None).await;
    assert!(form.set_cookie("__Host-rf_login").is_some());
    let c = form.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(c.contains("; Secure"), "{c}");
    assert!(form.header("strict-transport-security").contains("max-age="));
}

#[tokio::test]
async fn an_https_public_address_turns_on_secure_cookies_and_hsts() {
    let fx = fixture_with(DashboardConfig {
        public_base_url: Some("https://redflag.example.org".into()),
        ..Default::default()
    })
    .await;
    let form = get(&fx.app, "/login", None).await;
    assert!(form.set_cookie("__Host-rf_login").is_some(), "{:?}", form.headers);
    assert!(form.header("strict-transport-security").contains("max-age="));
    let plain =
        fixture_with(DashboardConfig { public_base_url: Some("http://10.0.0.5:8080".into()), ..Default::default() })
            .await;
    assert!(get(&plain.app, "/login", None).await.set_cookie("rf_login").is_some());
}

#[tokio::test]
async fn wrong_passwords_fail_and_are_audited() {
    let fx = fixture().await;
    let form = get(&fx.app, "/login", None).await;
    let cookie = form.set_cookie("rf_login").unwrap();
    for (user, pw) in [("ana", "wrong password"), ("nobody", PASSWORD)] {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("username", user), ("password", pw), ("csrf", &form.csrf_field())])
            .finish();
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("rf_login={cookie}"))
            .body(Body::from(body))
            .unwrap();
        let r = send(&fx.app, req).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{user}");
        assert!(r.body.contains("Wrong username or password."), "same message for unknown users");
        assert!(r.set_cookie("rf_session").is_none());
    }
    let log = fx.db.audit_log(50, 0).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "login.failed").count(), 2);
}

#[tokio::test]
async fn repeated_failures_lock_the_username_for_that_client() {
    let fx = fixture_with(DashboardConfig { login_max_failures: 3, ..Default::default() }).await;
    let form = get(&fx.app, "/login", None).await;
    let cookie = form.set_cookie("rf_login").unwrap();
    let attempt = |pw: &'static str| {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("username", "ana"), ("password", pw), ("csrf", &form.csrf_field())])
            .finish();
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("rf_login={cookie}"))
            .body(Body::from(body))
            .unwrap()
    };
    for _ in 0..3 {
        assert_eq!(send(&fx.app, attempt("guess-guess")).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = send(&fx.app, attempt(PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(r.header("x-error-code"), "rate_limited");
    assert!(r.header("retry-after").parse::<u64>().unwrap() > 0);
    let log = fx.db.audit_log(50, 0).await.unwrap();
    assert!(log.iter().any(|e| e.action == "login.throttled" && e.actor == "ana"), "{log:?}");
    // Another username from the same client is not locked by these failures.
    login(&fx.app, "vic", PASSWORD).await;
}

/// A login request for `ana` with `password`, carrying the login form's token.
fn login_request(cookie: &str, csrf: &str, password: &str) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("username", "ana"), ("password", password), ("csrf", csrf)])
        .finish();
    Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("rf_login={cookie}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_of_logins_gets_no_more_verifications_than_allowed() {
    let fx =
        fixture_with(DashboardConfig { login_max_failures: 5, max_concurrent_logins: 64, ..Default::default() }).await;
    let form = get(&fx.app, "/login", None).await;
    let cookie = form.set_cookie("rf_login").unwrap();
    let csrf = form.csrf_field();
    let burst = (0..60).map(|i| {
        let app = fx.app.clone();
        let req = login_request(&cookie, &csrf, &format!("wrong-guess-{i}"));
        tokio::spawn(async move { send(&app, req).await.status })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(burst).await.into_iter().map(Result::unwrap).collect();
    let verified = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(verified + refused, 60, "{statuses:?}");
    assert!(verified <= 5, "{verified} of 60 concurrent attempts had their password verified");
    // The store audits every verification that failed: no more than the policy allows.
    let log = fx.db.audit_log(200, 0).await.unwrap();
    assert!(log.iter().filter(|e| e.action == "login.failed").count() <= 5);
    // The right password waits too, and another user from the same client is not locked.
    assert_eq!(send(&fx.app, login_request(&cookie, &csrf, PASSWORD)).await.status, StatusCode::TOO_MANY_REQUESTS);
    login(&fx.app, "vic", PASSWORD).await;
}

#[tokio::test]
async fn logins_beyond_the_password_hashing_slots_are_refused_not_queued() {
    let fx = fixture().await;
    let slots = fx.state.password_slots().clone();
    let n = slots.available_permits();
    assert!(n >= 2, "about two per core");
    let held = slots.acquire_many_owned(n as u32).await.unwrap();
    let form = get(&fx.app, "/login", None).await;
    let (cookie, csrf) = (form.set_cookie("rf_login").unwrap(), form.csrf_field());
    let r = send(&fx.app, login_request(&cookie, &csrf, PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after"), "1");
    let log = fx.db.audit_log(50, 0).await.unwrap();
    assert!(!log.iter().any(|e| e.action.starts_with("login.")), "nothing was verified: {log:?}");
    drop(held);
    assert_eq!(send(&fx.app, login_request(&cookie, &csrf, PASSWORD)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn roles_limit_what_users_reach() {
    let fx = fixture().await;
    let viewer = login(&fx.app, "vic", PASSWORD).await;
    let analyst = login(&fx.app, "ana", PASSWORD).await;
    let admin = login(&fx.app, "ada", PASSWORD).await;
    let page = format!("/pages/{}/raw", fx.ids.dinner_page);
    let api_ad = format!("/api/ads/{}", fx.ids.dinner);
    // (path, viewer, analyst, admin)
    let cases = [
        ("/leads", 200, 200, 200),
        ("/networks", 200, 200, 200),
        ("/crawl", 200, 200, 200),
        ("/export.jsonl", 403, 200, 200),
        // The JSON API is a bulk read like the export: the same role.
        ("/api/leads", 403, 200, 200),
        (api_ad.as_str(), 403, 200, 200),
        (page.as_str(), 403, 200, 200),
        ("/audit", 403, 403, 200),
        ("/users", 403, 403, 200),
    ];
    for (path, v, an, ad) in cases {
        for (who, s, want) in [("viewer", &viewer, v), ("analyst", &analyst, an), ("admin", &admin, ad)] {
            let r = get(&fx.app, path, Some(s)).await;
            assert_eq!(r.status.as_u16(), want, "{who} GET {path}");
            if want == 403 {
                assert!(!r.body.contains("nightboard"), "{who} GET {path} leaks data: {}", r.body);
                assert_eq!(r.header("x-error-code"), "forbidden", "{who} GET {path}");
            }
        }
    }
    // The navigation only offers what the role can open.
    assert!(!get(&fx.app, "/leads", Some(&viewer)).await.body.contains("href=\"/audit\""));
    assert!(get(&fx.app, "/leads", Some(&admin)).await.body.contains("href=\"/audit\""));
    let r = post(
        &fx.app,
        &format!("/ads/{}/triage", fx.ids.dinner),
        Some(&viewer),
        &[("csrf", &viewer.csrf), ("state", "escalated")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "viewers cannot triage");
    assert!(fx.db.triage(fx.ids.dinner).await.unwrap().is_none());
    // Every refusal is in the audit log, with who tried what.
    let log = fx.db.audit_log(500, 0).await.unwrap();
    let refused: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.action == "request.refused")
        .map(|e| (e.actor.as_str(), e.target.as_deref().unwrap_or("")))
        .collect();
    assert!(refused.contains(&("vic", "/api/leads")), "{refused:?}");
    assert!(refused.contains(&("ana", "/audit")), "{refused:?}");
    assert!(refused.contains(&("vic", path_triage(fx.ids.dinner).as_str())), "{refused:?}");
    assert!(!refused.iter().any(|(who, _)| *who == "ada"), "the admin was refused nothing");
}

fn path_triage(id: i64) -> String {
    format!("/ads/{id}/triage")
}

#[tokio::test]
async fn posts_without_a_valid_token_or_from_other_sites_are_refused() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let other = login(&fx.app, "ada", PASSWORD).await;
    let path = format!("/ads/{}/triage", fx.ids.dinner);
    for (what, token) in
        [("missing", None), ("wrong", Some("0".repeat(64))), ("another session's", Some(other.csrf.clone()))]
    {
        let mut form = vec![("state", "escalated")];
        if let Some(t) = &token {
            form.push(("csrf", t.as_str()));
        }
        let r = post(&fx.app, &path, Some(&s), &form).await;
        assert_eq!((r.status, r.header("x-error-code")), (StatusCode::FORBIDDEN, "csrf_failed"), "{what} token");
    }
    let log = fx.db.audit_log(500, 0).await.unwrap();
    let bad_tokens = log
        .iter()
        .filter(|e| {
            e.action == "request.refused"
                && e.actor == "ana"
                && e.detail.as_deref().unwrap_or("").contains("csrf_failed")
        })
        .count();
    assert_eq!(bad_tokens, 3, "each bad form token is audited: {log:?}");
    // A right token in a post from another origin is refused too.
    let req = Request::post(&path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::from(format!("state=escalated&csrf={}", s.csrf)))
        .unwrap();
    assert_eq!(send(&fx.app, req).await.status, StatusCode::FORBIDDEN);
    assert!(fx.db.triage(fx.ids.dinner).await.unwrap().is_none(), "nothing changed");
    // The login form needs its cookie token: a cross-site login cannot plant a session.
    let r =
        post(&fx.app, "/login", None, &[("username", "ana"), ("password", PASSWORD), ("csrf", &"a".repeat(64))]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Logging out needs the token as well.
    assert_eq!(post(&fx.app, "/logout", Some(&s), &[]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let fx = fixture().await;
    let s = login(&fx.app, "ada", PASSWORD).await;
    let paths =
        ["/login", "/healthz", "/static/app.css", "/no/such/page", "/leads", "/ads/999999", "/api/leads", "/audit"];
    for path in paths {
        let r = get(&fx.app, path, Some(&s)).await;
        let csp = r.header("content-security-policy");
        for part in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{path}: CSP {csp:?} lacks {part}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("http"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
    }
    let r = get(&fx.app, "/no/such/page", Some(&s)).await;
    assert_eq!((r.status, r.header("x-error-code")), (StatusCode::NOT_FOUND, "not_found"));
    // Pages load nothing from elsewhere and use no inline style or script, which the CSP would block.
    for path in ["/leads".to_string(), format!("/ads/{}", fx.ids.dinner), "/login".to_string()] {
        let page = get(&fx.app, &path, Some(&s)).await.body;
        for bad in
            ["src=\"http", "src=\"//", "stylesheet\" href=\"http", "<style", " style=", "<script>", "<svg", "<img"]
        {
            assert!(!page.contains(bad), "{path} contains {bad:?}");
        }
    }
}

#[tokio::test]
async fn the_health_check_reads_no_data() {
    let fx = fixture().await;
    let r = get(&fx.app, "/healthz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, r#"{"status":"ok"}"#));
    // Even without the ads table the database answers: the check touches no data.
    sqlx::query("ALTER TABLE ads RENAME TO ads_elsewhere").execute(fx.db.pool()).await.unwrap();
    assert_eq!(get(&fx.app, "/healthz", None).await.status, StatusCode::OK);
    fx.db.close().await;
    let down = get(&fx.app, "/healthz", None).await;
    assert_eq!((down.status, down.body.as_str()), (StatusCode::SERVICE_UNAVAILABLE, r#"{"status":"unavailable"}"#));
}

#[tokio::test]
async fn a_login_ends_after_thirty_idle_minutes() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    assert_eq!(get(&fx.app, "/leads", Some(&s)).await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
        .bind(29 * 60_000i64)
        .execute(fx.db.pool())
        .await
        .unwrap();
    assert_eq!(get(&fx.app, "/leads", Some(&s)).await.status, StatusCode::OK, "29 idle minutes");
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
        .bind(31 * 60_000i64)
        .execute(fx.db.pool())
        .await
        .unwrap();
    let r = get(&fx.app, "/leads", Some(&s)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "31 idle minutes later the login is over");
    assert!(r.header("location").starts_with("/login"));
}

#[tokio::test]
async fn anonymous_refusals_cannot_flood_the_audit_log() {
    let fx = fixture().await;
    for _ in 0..50 {
        let r = post(&fx.app, "/login", None, &[("username", "ana"), ("password", "x"), ("csrf", "forged")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let log = fx.db.audit_log(500, 0).await.unwrap();
    let audited = log.iter().filter(|e| e.action == "request.refused" && e.actor == "anonymous").count();
    assert_eq!(audited, 10, "ten per client and minute are audited, the rest only logged");
}
