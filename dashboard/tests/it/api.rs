//! The JSON API against its OpenAPI document: every documented operation answered as documented for
//! each role, every `/api/` route documented, API tokens, pagination and rate limits.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redflag_dashboard::DashboardConfig;
use serde_json::Value;

use crate::fixture::{Fixture, PASSWORD, fixture, fixture_with, fixtures_with};
use crate::{Resp, get, login, post, send};

/// Makes an API token for `user` through the store; returns its secret.
pub async fn token_for(fx: &Fixture, user: &str) -> String {
    fx.db.create_api_token(user, &format!("{user}'s script"), None, user).await.unwrap().secret
}

/// `method path` with a bearer token and an optional JSON body.
pub async fn api(fx: &Fixture, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Resp {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    send(&fx.app, req.body(body).unwrap()).await
}

fn json(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

/// Follows `$ref`s to the schema they name.
fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        schema = &doc["components"]["schemas"][name];
        assert!(!schema.is_null(), "dangling $ref {r}");
    }
    schema
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        other => panic!("unknown schema type {other}"),
    }
}

/// Checks `value` against `schema` (the subset of JSON Schema the document uses), collecting every
/// mismatch. Objects may carry no property the schema does not name.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let fits = branches.iter().any(|b| {
                let mut e = Vec::new();
                check(doc, b, value, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: {value} fits no branch of {key}"));
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for b in all {
            check(doc, b, value, at, errors);
        }
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_matches(t, value) => errors.push(format!("{at}: {value} is not {t}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_matches(t.as_str().unwrap_or(""), value)) => {
            errors.push(format!("{at}: {value} is none of {ts:?}"))
        }
        _ => {}
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} not in {options:?}"));
    }
    if let (Some(obj), Some(props)) = (value.as_object(), schema.get("properties").and_then(Value::as_object)) {
        for req in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let name = req.as_str().unwrap();
            if !obj.contains_key(name) {
                errors.push(format!("{at}: required property {name} missing"));
            }
        }
        for (k, v) in obj {
            match props.get(k) {
                Some(s) => check(doc, s, v, &format!("{at}.{k}"), errors),
                None => errors.push(format!("{at}: property {k} is not documented")),
            }
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            check(doc, schema, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Checks a response against what the document says of `status` for this operation.
fn check_response(doc: &Value, op: &Value, what: &str, r: &Resp) {
    let documented = &op["responses"][r.status.as_str()];
    assert!(!documented.is_null(), "{what}: status {} is not documented: {}", r.status, r.body);
    if let Some(schema) = documented.pointer("/content/application~1json/schema") {
        let mut errors = Vec::new();
        check(doc, schema, &json(r), "$", &mut errors);
        assert!(errors.is_empty(), "{what} ({}): {errors:#?}\n{}", r.status, r.body);
    } else if documented.pointer("/content/application~1json").is_some() {
        json(r);
    }
}

/// The least role an operation's security requirement names; `None` when it needs no login.
fn required_role(op: &Value) -> Option<String> {
    let sec = op.get("security")?.as_array()?;
    let scopes: BTreeSet<&str> = sec
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.values())
        .flat_map(|v| v.as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    assert!(scopes.len() <= 1, "one role per operation: {scopes:?}");
    scopes.into_iter().next().map(str::to_string)
}

fn rank(role: &str) -> u8 {
    match role {
        "viewer" => 0,
        "analyst" => 1,
        "admin" => 2,
        other => panic!("unknown role {other}"),
    }
}

/// The request path of an operation, with path parameters filled from the fixture and required query
/// parameters from the document's examples.
fn request_path(fx: &Fixture, path: &str, op: &Value) -> String {
    // The escort ad `dinner` is also the id of its network.
    let mut out = path.replace("{id}", &fx.ids.dinner.to_string());
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "query" && p["required"] == true {
            let example = p.get("example").or_else(|| p.pointer("/schema/example")).unwrap_or_else(|| {
                panic!("{path}: required parameter {} has no example", p["name"]);
            });
            let value = example.as_str().map(str::to_string).unwrap_or_else(|| example.to_string());
            // The contact example is a placeholder; look up a contact the fixture has.
            let value = if p["name"] == "value" { "+17025550148".to_string() } else { value };
            query.append_pair(p["name"].as_str().unwrap(), &value);
            any = true;
        }
    }
    if any {
        out.push('?');
        out.push_str(&query.finish());
    }
    out
}

/// The `/api/` routes the router registers, as (method, path), read from the code that registers them.
fn registered_api_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for src in [include_str!("../../src/lib.rs"), include_str!("../../src/api/mod.rs")] {
        for line in src.lines() {
            let Some(rest) = line.trim().strip_prefix(".route(\"") else { continue };
            let path = rest.split('"').next().unwrap();
            if !path.starts_with("/api/") {
                continue;
            }
            for m in ["get", "post", "put", "patch", "delete"] {
                if line.contains(&format!("{m}(")) {
                    out.insert((m.to_string(), path.to_string()));
                }
            }
        }
    }
    assert!(!out.is_empty());
    out
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented_for_each_role() {
    for fx in fixtures_with(DashboardConfig::default()).await {
        let label = fx.db.label;
        let r = get(&fx.app, "/api/openapi.json", None).await;
        assert_eq!(r.status, StatusCode::OK, "{label}: the document is public");
        assert!(r.header("content-type").starts_with("application/json"));
        let doc = json(&r);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["scheme"], "bearer");

        let tokens = [
            ("viewer", token_for(&fx, "vic").await),
            ("analyst", token_for(&fx, "ana").await),
            ("admin", token_for(&fx, "ada").await),
        ];
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    continue;
                }
                documented.insert((method.clone(), path.clone()));
                let url = request_path(&fx, path, op);
                let body = op.pointer("/requestBody/content/application~1json/example");
                let success = op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .find(|s| s.starts_with('2'))
                    .unwrap_or_else(|| panic!("{method} {path} documents no success"))
                    .clone();
                let what = format!("{label} {method} {url}");
                let need = required_role(op);
                let r = api(&fx, &method.to_uppercase(), &url, None, body).await;
                check_response(&doc, op, &format!("{what} without a token"), &r);
                let want = if need.is_some() { "401" } else { success.as_str() };
                assert_eq!(r.status.as_str(), want, "{what} without a token: {}", r.body);
                if need.is_some() {
                    assert_eq!(r.header("www-authenticate"), "Bearer realm=\"redflag\"");
                }
                for (role, token) in &tokens {
                    let r = api(&fx, &method.to_uppercase(), &url, Some(token), body).await;
                    let allowed = need.as_deref().is_none_or(|n| rank(role) >= rank(n));
                    let want = if allowed { success.as_str() } else { "403" };
                    assert_eq!(r.status.as_str(), want, "{what} as {role}: {}", r.body);
                    check_response(&doc, op, &format!("{what} as {role}"), &r);
                }
            }
        }
        assert_eq!(documented, registered_api_routes(), "{label}: every /api/ route is documented, and only those");
        assert!(documented.len() >= 8, "{documented:?}");
    }
}

#[tokio::test]
async fn documented_errors_have_the_documented_shape() {
    let fx = fixture().await;
    let doc = json(&get(&fx.app, "/api/openapi.json", None).await);
    let ana = token_for(&fx, "ana").await;
    let triage = "/api/ads/{id}/triage";
    let cases: &[(&str, &str, &str, Option<Value>, &str)] = &[
        ("get", "/api/ads/{id}", "/api/ads/999999", None, "404"),
        ("get", "/api/ads/{id}", "/api/ads/x", None, "404"),
        ("get", "/api/networks/{id}", "/api/networks/999999", None, "404"),
        ("get", "/api/leads", "/api/leads?limit=0", None, "400"),
        ("get", "/api/leads", "/api/leads?cursor=nonsense", None, "400"),
        ("get", "/api/contacts", "/api/contacts?kind=fax&value=1", None, "400"),
        ("get", "/api/search", "/api/search?q=a&sort=sideways", None, "400"),
        ("get", "/api/networks", "/api/networks?kind=cartel", None, "400"),
        ("post", triage, "/api/ads/ID/triage", Some(serde_json::json!({ "state": "lost" })), "400"),
        ("post", triage, "/api/ads/ID/triage", Some(serde_json::json!({ "state": "new", "extra": 1 })), "400"),
        ("post", triage, "/api/ads/999999/triage", Some(serde_json::json!({ "state": "new" })), "404"),
    ];
    for (method, template, url, body, want) in cases {
        let url = url.replace("ID", &fx.ids.dinner.to_string());
        let r = api(&fx, &method.to_uppercase(), &url, Some(&ana), body.as_ref()).await;
        assert_eq!(r.status.as_str(), *want, "{method} {url}: {}", r.body);
        check_response(&doc, &doc["paths"][*template][*method], &format!("{method} {url}"), &r);
        assert_eq!(json(&r)["error"]["code"], r.header("x-error-code"));
    }
}

#[tokio::test]
async fn tokens_work_on_the_api_only_and_stop_when_revoked_expired_or_disabled() {
    let fx = fixture().await;
    let ada = token_for(&fx, "ada").await;
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&ada), None).await.status, StatusCode::OK);
    // HTML pages ignore bearer tokens: they want a login.
    for page in ["/leads", "/audit", "/users", "/account/tokens"] {
        let r = api(&fx, "GET", page, Some(&ada), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{page}");
        assert!(r.header("location").starts_with("/login"), "{page}");
    }
    // Malformed and unknown credentials.
    for bad in ["Bearer", "Bearer rf_00", "Basic YWRhOnB3", "Bearer  "] {
        let req = Request::get("/api/leads").header(header::AUTHORIZATION, bad).body(Body::empty()).unwrap();
        assert_eq!(send(&fx.app, req).await.status, StatusCode::UNAUTHORIZED, "{bad}");
    }
    // Disabled users' tokens stop at once; revoked and expired ones too.
    let ana = token_for(&fx, "ana").await;
    fx.db.set_user_disabled("ana", true, "ada").await.unwrap();
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&ana), None).await.status, StatusCode::UNAUTHORIZED);
    fx.db.set_user_disabled("ana", false, "ada").await.unwrap();
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&ana), None).await.status, StatusCode::OK);
    let id = fx.db.api_tokens(None).await.unwrap().into_iter().find(|t| t.username == "ana").unwrap().id;
    fx.db.revoke_api_token(id, None, "ada").await.unwrap();
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&ana), None).await.status, StatusCode::UNAUTHORIZED);
    let soon = fx.db.create_api_token("ana", "brief", Some(redflag_store::now_ms() + 400), "ana").await.unwrap();
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&soon.secret), None).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&soon.secret), None).await.status, StatusCode::UNAUTHORIZED);
    // A viewer's token is refused, and the refusal is audited under the viewer's name.
    let vic = token_for(&fx, "vic").await;
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&vic), None).await.status, StatusCode::FORBIDDEN);
    let log = fx.db.audit_log(20, 0).await.unwrap();
    assert!(log.iter().any(|e| e.action == "request.refused" && e.actor == "vic"), "{log:#?}");
}

#[tokio::test]
async fn the_token_page_makes_shows_once_and_revokes_tokens() {
    let fx = fixture().await;
    let ana = login(&fx.app, "ana", PASSWORD).await;
    let page = get(&fx.app, "/account/tokens", Some(&ana)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("You have no tokens yet"));
    let name = "<script>alert(1)</script> nightly";
    let made = post(
        &fx.app,
        "/account/tokens",
        Some(&ana),
        &[("csrf", ana.csrf.as_str()), ("name", name), ("expires_days", "30")],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(!made.body.contains("<script>alert(1)"), "names are escaped");
    let at = made.body.find("id=\"new-token\">").expect("the secret is shown") + 15;
    let secret = made.body[at..at + 67].to_string();
    assert!(secret.starts_with("rf_"), "{secret}");
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&secret), None).await.status, StatusCode::OK);
    let again = get(&fx.app, "/account/tokens", Some(&ana)).await;
    assert!(!again.body.contains(&secret) && again.body.contains(&secret[..11]), "only the prefix is shown again");
    let token = fx.db.api_tokens(None).await.unwrap().remove(0);
    let days = (token.expires_at.unwrap() - token.created_at) as f64 / (24.0 * 3600.0 * 1000.0);
    assert_eq!(days.round(), 30.0);

    // Without the form token, nothing is made.
    let forged = post(&fx.app, "/account/tokens", Some(&ana), &[("name", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // An admin's token cannot be revoked by an analyst; the admin can revoke anyone's.
    let ada_token = fx.db.create_api_token("ada", "ops", None, "ada").await.unwrap();
    let path = format!("/account/tokens/{}/revoke", ada_token.token.id);
    let r = post(&fx.app, &path, Some(&ana), &[("csrf", ana.csrf.as_str())]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(fx.db.token_user(&ada_token.secret).await.unwrap().is_some());
    let ada = login(&fx.app, "ada", PASSWORD).await;
    let admin_page = get(&fx.app, "/account/tokens", Some(&ada)).await;
    assert!(admin_page.body.contains("Other users' tokens") && admin_page.body.contains("ana"));
    let path = format!("/account/tokens/{}/revoke", token.id);
    let r = post(&fx.app, &path, Some(&ada), &[("csrf", ada.csrf.as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&secret), None).await.status, StatusCode::UNAUTHORIZED);

    let log = fx.db.audit_log(50, 0).await.unwrap();
    let made = log.iter().find(|e| e.action == "token.create" && e.actor == "ana").expect("creation audited");
    assert_eq!(made.target.as_deref(), Some("user:ana"));
    assert!(!made.detail.as_deref().unwrap_or("").contains(&secret), "the secret is never logged");
    assert!(
        log.iter().any(|e| e.action == "token.revoke" && e.actor == "ada" && e.target.as_deref() == Some("user:ana"))
    );
}

#[tokio::test]
async fn lists_page_with_capped_limits_and_cursors_bound_to_their_filters() {
    for fx in fixtures_with(DashboardConfig::default()).await {
        let ana = token_for(&fx, "ana").await;
        for (list, key, id_key) in
            [("/api/leads?", "leads", "id"), ("/api/search?q=&", "hits", "ad_id"), ("/api/networks?", "networks", "id")]
        {
            let mut seen = Vec::new();
            let mut url = format!("{list}limit=2");
            let total = loop {
                let page = json(&api(&fx, "GET", &url, Some(&ana), None).await);
                let rows = page[key].as_array().unwrap_or_else(|| panic!("{url}: {page}"));
                assert!(rows.len() <= 2, "{url}");
                seen.extend(rows.iter().map(|r| r[id_key].as_i64().unwrap()));
                match page["next"].as_str() {
                    Some(next) => url = format!("{list}limit=2&cursor={next}"),
                    None => break page["total"].as_i64().unwrap(),
                }
            };
            let unique: BTreeSet<i64> = seen.iter().copied().collect();
            assert_eq!((seen.len() as i64, unique.len() as i64), (total, total), "{} {list}: {seen:?}", fx.db.label);
        }
        assert_eq!(
            json(&api(&fx, "GET", "/api/leads", Some(&ana), None).await)["total"],
            5,
            "{}: every seeded ad is a lead",
            fx.db.label
        );
        // A cursor from one filter is refused with another.
        let first = json(&api(&fx, "GET", "/api/leads?limit=1", Some(&ana), None).await);
        let next = first["next"].as_str().unwrap();
        let r = api(&fx, "GET", &format!("/api/leads?kind=job&limit=1&cursor={next}"), Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        // Limits are capped, not refused.
        let r = json(&api(&fx, "GET", "/api/leads?limit=1000000", Some(&ana), None).await);
        assert_eq!(r["leads"].as_array().unwrap().len(), 5);
    }
}

#[tokio::test]
async fn each_token_has_its_own_rate_limit_answered_with_retry_after() {
    let fx = fixture_with(DashboardConfig { api_requests_per_minute: 3, ..Default::default() }).await;
    let one = token_for(&fx, "ana").await;
    let two = fx.db.create_api_token("ana", "second", None, "ana").await.unwrap().secret;
    for _ in 0..3 {
        assert_eq!(api(&fx, "GET", "/api/leads", Some(&one), None).await.status, StatusCode::OK);
    }
    let r = api(&fx, "GET", "/api/leads", Some(&one), None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.header("retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(json(&r)["error"]["code"], "rate_limited");
    assert_eq!(api(&fx, "GET", "/api/leads", Some(&two), None).await.status, StatusCode::OK, "tokens count apart");
}

#[tokio::test]
async fn triage_through_the_api_is_audited_and_sessions_need_their_form_token() {
    let fx = fixture().await;
    let path = format!("/api/ads/{}/triage", fx.ids.cleaners);
    let body = serde_json::json!({ "state": "escalated", "assignee": "ana", "note": "case 7" });
    let ana = login(&fx.app, "ana", PASSWORD).await;
    let with_cookie = |csrf: Option<&str>| {
        let mut req = Request::post(path.as_str())
            .header(header::COOKIE, &ana.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::from(body.to_string())).unwrap()
    };
    assert_eq!(send(&fx.app, with_cookie(None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&fx.app, with_cookie(Some("0000"))).await.status, StatusCode::FORBIDDEN);
    let r = send(&fx.app, with_cookie(Some(&ana.csrf))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json(&r)["state"], "escalated");

    let token = token_for(&fx, "ana").await;
    let r = api(&fx, "POST", &path, Some(&token), Some(&serde_json::json!({ "state": "dismissed" }))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = fx.db.triage(fx.ids.cleaners).await.unwrap().unwrap();
    assert_eq!((t.state, t.updated_by.as_str(), t.note), (redflag_store::TriageState::Dismissed, "ana", None));
    let log = fx.db.audit_log(10, 0).await.unwrap();
    assert_eq!(log[0].action, "triage.set");
    assert_eq!(log[0].target.as_deref(), Some(format!("ad:{}", fx.ids.cleaners).as_str()));
}

#[tokio::test]
async fn search_returns_facets_of_all_matches_and_takes_them_as_filters() {
    let fx = fixture().await;
    let token = token_for(&fx, "ana").await;
    let r = api(&fx, "GET", "/api/search?limit=1", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r);
    assert_eq!(v["hits"].as_array().unwrap().len(), 1, "one hit on the page");
    assert_eq!(
        v["facets"]["kind"][0],
        serde_json::json!({ "value": "job", "label": "job", "count": 3 }),
        "all matches"
    );
    let fee = v["facets"]["indicator"].as_array().unwrap().iter().find(|f| f["value"] == "job.fee_required").cloned();
    assert_eq!(fee.unwrap()["label"], "You are asked to pay a fee");
    let bands: Vec<(String, i64)> = v["facets"]["band"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["value"].as_str().unwrap().to_string(), b["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(bands, [("high".to_string(), 3), ("medium".into(), 1), ("low".into(), 1)]);
    let narrowed = json(&api(&fx, "GET", "/api/search?band=high&kind=job", Some(&token), None).await);
    assert_eq!(narrowed["total"], 2);
    assert_eq!(narrowed["facets"]["kind"].as_array().unwrap().len(), 1);
    let bad = api(&fx, "GET", "/api/search?day=2025-13-01", Some(&token), None).await;
    assert_eq!((bad.status, json(&bad)["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
}
