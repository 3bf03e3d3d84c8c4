//! Protections that apply to every response and every form post: security headers, a same-origin check
//! on state-changing requests, and the rule for turning ad-supplied URLs into links.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

/// The content security policy of every page: nothing but our own files, no inline script or style,
/// no framing, no plugins, no `<base>`, forms only to us.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
    object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers to every response (handlers may set a stricter CSP, which is kept).
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    // Pages show case data: keep them out of shared and back-button caches unless a handler decided.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config().secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    resp
}

/// Writes every refused request (403: a role too low, a missing or wrong form token, a cross-site post)
/// to the audit log, with who (when a session says so), what and from where: refusals are how curious
/// insiders and forged forms show themselves. Refusals without a session are audited up to ten per
/// client and minute.
pub async fn audit_refusals(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use axum::extract::FromRequestParts;
    let (mut parts, body) = req.into_parts();
    let Ok(crate::auth::ClientIp(client)) = crate::auth::ClientIp::from_request_parts(&mut parts, &state).await;
    let method = parts.method.to_string();
    let path = redflag_core::text::truncate_bytes(parts.uri.path(), 300).to_string();
    let cookie =
        crate::auth::read_cookie(&parts.headers, crate::auth::session_cookie_name(state.config().secure_cookies));
    let bearer = crate::auth::bearer(&parts.headers).flatten().map(str::to_string);
    let resp = next.run(Request::from_parts(parts, body)).await;
    let code = resp.headers().get("x-error-code").and_then(|v| v.to_str().ok()).unwrap_or("");
    if matches!(code, "forbidden" | "csrf_failed") {
        let actor = match (bearer, cookie.filter(|t| !t.is_empty() && t.len() <= 128)) {
            // An API token names its user the same way a session does.
            (Some(secret), _) => state.store().token_user(&secret).await.ok().flatten().map(|t| t.user.username),
            (None, Some(token)) => state.store().session_user(&token).await.ok().flatten().map(|u| u.username),
            (None, None) => None,
        };
        let detail = serde_json::json!({ "method": method, "code": code, "client": client });
        // Without a session anyone can send these: a few per client and minute are audited, the rest
        // only logged, so strangers cannot flood the record of what users do.
        let allowed = actor.is_some() || {
            let key = crate::ratelimit::client_key(&client);
            state.anonymous_refusals().check_and_record(&key, std::time::Instant::now()).is_ok()
        };
        let actor = actor.as_deref().unwrap_or("anonymous");
        if !allowed {
            tracing::warn!(path, client, code, "refused request (not audited: too many from this client)");
        } else if let Err(e) =
            state.store().audit(actor, "request.refused", Some(&path), Some(&detail.to_string())).await
        {
            tracing::error!(error = %e, "cannot audit a refused request");
        }
    }
    resp
}

/// Refuses state-changing requests that a browser says came from another site. This backs up the
/// per-session form tokens, and guards the forms that have no session (login, the public check).
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !is_same_origin(req.headers(), state.config().public_base_url.as_deref()) {
        tracing::warn!(path = %req.uri().path(), "cross-site form post refused");
        return AppError::Csrf.into_response();
    }
    next.run(req).await
}

/// Whether a request's `Sec-Fetch-Site` and `Origin` headers (when a browser sent them) name our origin.
pub fn is_same_origin(headers: &HeaderMap, public_base_url: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        match site {
            // A browser's own word, which pages cannot forge. It must win over `Origin`: under our
            // `Referrer-Policy: no-referrer`, browsers send `Origin: null` on same-origin form posts.
            "same-origin" => return true,
            "none" => {}
            _ => return false,
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Some(origin) = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()) else { return false };
    let expected = match public_base_url {
        Some(base) => match url::Url::parse(base) {
            Ok(b) => return b.origin() == origin.origin(),
            Err(_) => return false,
        },
        None => headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    };
    let Some(host) = expected else { return false };
    authority(&origin).eq_ignore_ascii_case(host)
}

/// `host[:port]` of a URL, the port only when not the scheme's default (as browsers send `Host`).
fn authority(u: &url::Url) -> String {
    let host = u.host_str().unwrap_or_default();
    match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

/// The URL to use as a link target when `raw` is a plain `http`/`https` URL; anything else (a
/// `javascript:` or `data:` URL, a relative path, garbage) must be shown as text, not linked.
pub fn safe_href(raw: &str) -> Option<String> {
    let u = url::Url::parse(raw.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_become_links() {
        let cases = [
            ("https://ads.example/a?id=1", Some("https://ads.example/a?id=1")),
            ("http://ads.example", Some("http://ads.example/")),
            ("javascript:alert(1)", None),
            (" JaVaScRiPt:alert(1)", None),
            ("java\tscript:alert(1)", None),
            ("data:text/html,<script>alert(1)</script>", None),
            ("vbscript:msgbox", None),
            ("/relative", None),
            ("//evil.example", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(safe_href(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn origin_checks_follow_what_browsers_send() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, bool);
        let cases: &[Case] = &[
            (&[], None, true),
            (&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")], None, true),
            (&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")], None, false),
            (&[("host", "127.0.0.1:8080"), ("origin", "null")], None, false),
            (&[("sec-fetch-site", "cross-site")], None, false),
            (&[("sec-fetch-site", "same-site")], None, false),
            (&[("sec-fetch-site", "same-origin")], None, true),
            (&[("sec-fetch-site", "same-origin"), ("origin", "null"), ("host", "127.0.0.1:8080")], None, true),
            (
                &[("sec-fetch-site", "cross-site"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")],
                None,
                false,
            ),
            (&[("origin", "https://rf.example")], Some("https://rf.example/"), true),
            (&[("origin", "http://rf.example")], Some("https://rf.example/"), false),
        ];
        for (headers, base, want) in cases {
            assert_eq!(is_same_origin(&h(headers), *base), *want, "{headers:?} base {base:?}");
        }
    }
}
