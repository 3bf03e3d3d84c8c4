//! Dashboard tests: the router driven through `tower::ServiceExt::oneshot` on a seeded SQLite store and
//! an in-memory index, plus the real server on a socket (reqwest) and in headless Chromium.

mod access;
mod alerts;
mod api;
mod browser;
mod cases;
mod check;
mod crosslink;
mod fixture;
mod hostile;
mod images;
mod metrics;
mod ngo;
mod pages;
mod served;
mod watch_flow;
mod workflow;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text (lossy).
    pub body: String,
}

impl Resp {
    /// A header as text ("" when missing).
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value of the first hidden `csrf` input in the page.
    pub fn csrf_field(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("page has a csrf field") + 19;
        self.body[at..at + 64].to_string()
    }

    /// The value a `Set-Cookie` header gives cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
    }
}

/// A logged-in browser: its cookie header and form token.
#[derive(Debug, Clone)]
pub struct Session {
    /// The `Cookie` header value.
    pub cookie: String,
    /// The session's form token.
    pub csrf: String,
}

/// Sends one request through the router.
pub async fn send(app: &axum::Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.expect("router answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.expect("read body");
    Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// `GET path`, as `session` when given.
pub async fn get(app: &axum::Router, path: &str, session: Option<&Session>) -> Resp {
    let mut req = Request::get(path);
    if let Some(s) = session {
        req = req.header(header::COOKIE, &s.cookie);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

/// `POST path` with a URL-encoded form, as `session` when given.
pub async fn post(app: &axum::Router, path: &str, session: Option<&Session>, form: &[(&str, &str)]) -> Resp {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(s) = session {
        req = req.header(header::COOKIE, &s.cookie);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// Logs in through the login form; panics unless it works.
pub async fn login(app: &axum::Router, username: &str, password: &str) -> Session {
    let form = get(app, "/login", None).await;
    assert_eq!(form.status, StatusCode::OK);
    let login_cookie = form.set_cookie("rf_login").expect("login form sets its token cookie");
    let token = form.csrf_field();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("username", username), ("password", password), ("csrf", token.as_str())])
        .finish();
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("rf_login={login_cookie}"))
        .body(Body::from(body))
        .unwrap();
    let resp = send(app, req).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "login as {username} failed: {}", resp.body);
    let session = resp.set_cookie("rf_session").expect("login sets the session cookie");
    Session { cookie: format!("rf_session={session}"), csrf: redflag_dashboard::auth::csrf_token(&session) }
}
