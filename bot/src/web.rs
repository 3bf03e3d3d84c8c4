//! The web chat channel: a small page an NGO can link from a decoy ad, served by
//! `redflag bot --web-listen`.
//!
//! `GET /chat/{ad}` serves the page for one of the persona's decoy ads (`decoy_ads` or
//! `default_decoy_ad`; any other name is a 404), and `POST /chat/{ad}` takes one message as a form
//! field `text`. The page works on a phone without an account and without any third-party resource:
//! plain HTML, one inline stylesheet and one inline script (which sends the form with `fetch` and
//! appends the answer); without JavaScript the form posts and the answer comes back as a page. A
//! request that asks for `application/json` gets `{"replies": […]}` instead.
//!
//! What the handler promises:
//!
//! - every response carries a strict Content-Security-Policy (`default-src 'none'`, the inline script
//!   and style allowed by their hashes only, `connect-src` and `form-action` `'self'`), `nosniff`,
//!   `no-referrer`, `no-store` and `frame-ancestors 'none'`; all text on the page — the visitor's own
//!   message and the replies — is HTML-escaped, and the script only ever sets `textContent`;
//! - a conversation is a browser session: a random 256-bit id in a cookie (`HttpOnly`,
//!   `SameSite=Strict`, `Secure`, no expiry, so it ends with the browser session), created on the first
//!   request without a valid one. The id goes to the service, which replaces it with its keyed hash at
//!   once; it is never stored or logged;
//! - the per-chat limits of the persona apply to each session, and a per-address limit
//!   ([`WebOptions::ip_limits`]) to all sessions from one IPv4 address or IPv6 /64, keyed by a keyed
//!   hash of the address (a 429 over it); bodies over [`MAX_BODY`] bytes are refused (413);
//! - the messages of one session are handled one at a time, in order, as [`Service::handle`] requires.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::channel::{Channel, ChatTurns};
use crate::error::{Error, Result};
use crate::limits::{Admit, Guard, Limits};
use crate::service::{Incoming, Service};

/// The channel's name: stored with conversations and part of the hashed chat key.
pub const CHANNEL: &str = "web";

/// The longest message shown as one bubble; longer replies are split.
pub const WEB_MAX_UNITS: usize = 4096;

/// The path prefix of the chat pages: `/chat/{decoy ad}`.
pub const PATH: &str = "/chat";

/// The largest request body read.
pub const MAX_BODY: usize = 16 * 1024;

/// The session cookie's name.
pub const COOKIE: &str = "rf_chat";

/// The channel name under which client addresses are hashed for the per-address limit.
const IP_KEY_CHANNEL: &str = "web-ip";

/// How the web chat is served.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Messages allowed from one IPv4 address or IPv6 /64 across all its sessions.
    pub ip_limits: Limits,
    /// Take the client's address from the last `X-Forwarded-For` entry (set this only behind a reverse
    /// proxy that appends it; otherwise anyone can claim any address).
    pub trust_forwarded_for: bool,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            ip_limits: Limits { messages_per_minute: 30, messages_per_hour: 300, ..Limits::default() },
            trust_forwarded_for: false,
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The key of the per-address limit: an IPv4 address, or the /64 network of an IPv6 address
/// ([`redflag_core::net::client_key`], as the dashboard counts its clients).
pub fn address_bucket(ip: IpAddr) -> String {
    redflag_core::net::client_key(ip)
}

const STYLE: &str = "body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f4f4f4}\
main{max-width:36rem;margin:0 auto;padding:1rem}\
ol{list-style:none;padding:0}\
li{white-space:pre-wrap;overflow-wrap:anywhere;padding:.5rem .75rem;margin:.4rem 0;border-radius:.75rem;max-width:85%}\
.me{background:#d7ecff;margin-left:auto}.bot{background:#fff}\
form{display:flex;gap:.5rem}textarea{flex:1;font:inherit;min-height:3rem}button{font:inherit}";

const SCRIPT: &str = "(function(){var f=document.getElementById('f'),l=document.getElementById('log'),\
t=document.getElementById('t');function add(c,x){var i=document.createElement('li');i.className=c;\
i.textContent=x;l.appendChild(i);i.scrollIntoView();}\
f.addEventListener('submit',function(e){e.preventDefault();var x=t.value;if(!x.trim())return;\
add('me',x);t.value='';fetch(f.action,{method:'POST',credentials:'same-origin',\
headers:{'Accept':'application/json'},body:new URLSearchParams({text:x})})\
.then(function(r){return r.json();}).then(function(j){(j.replies||[]).forEach(function(m){add('bot',m);});\
if(j.error)add('bot',j.error);}).catch(function(){add('bot','\\u26a0');});});})();";

fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// The page's Content-Security-Policy.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; form-action 'self'; \
         base-uri 'none'; frame-ancestors 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

/// The page, with the exchange (`(is_visitor, text)`) so far shown in it.
fn page(ad: &str, exchange: &[(bool, String)]) -> String {
    let mut log = String::new();
    for (me, text) in exchange {
        log.push_str(if *me { "<li class=\"me\">" } else { "<li class=\"bot\">" });
        log.push_str(&html_escape(text));
        log.push_str("</li>");
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>Chat</title><style>{STYLE}</style></head>\
         <body><main><ol id=\"log\" aria-live=\"polite\">{log}</ol>\
         <form id=\"f\" method=\"post\" action=\"{PATH}/{ad}\">\
         <textarea id=\"t\" name=\"text\" maxlength=\"2000\" required aria-label=\"Message\"></textarea>\
         <button type=\"submit\">Send</button></form></main><script>{SCRIPT}</script></body></html>",
        ad = html_escape(ad)
    )
}

/// Collects the replies to one message for the answer.
#[derive(Default)]
struct Replies {
    messages: Mutex<Vec<String>>,
}

impl Channel for Replies {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn max_message_units(&self) -> usize {
        WEB_MAX_UNITS
    }

    async fn send(&self, _chat_id: &str, text: &str) -> Result<()> {
        self.messages.lock().unwrap_or_else(|e| e.into_inner()).push(text.to_string());
        Ok(())
    }
}

struct Web {
    service: Arc<Service>,
    opts: WebOptions,
    ip_guard: Guard,
    turns: ChatTurns,
    csp: HeaderValue,
}

/// The web chat as an axum router serving `GET`/`POST /chat/{ad}`. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()` (as [`serve`] does): the per-address limit
/// needs the client's address.
pub fn router(service: Arc<Service>, opts: WebOptions) -> Router {
    let csp = HeaderValue::from_str(&content_security_policy()).expect("the policy is ASCII");
    let state = Arc::new(Web { service, ip_guard: Guard::new(opts.ip_limits), opts, turns: ChatTurns::default(), csp });
    Router::new()
        .route(&format!("{PATH}/{{ad}}"), get(show).post(message))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Serves the web chat on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    service: Arc<Service>,
    opts: WebOptions,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    axum::serve(listener, router(service, opts).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::Serve { addr, message: e.to_string() })
}

/// The session id of a request's cookie, if it carries a well-formed one.
fn session_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
}

fn new_session() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn set_cookie(session: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={session}; Path={PATH}; HttpOnly; SameSite=Strict; Secure"))
        .expect("hex is a valid header value")
}

impl Web {
    fn known_ad(&self, ad: &str) -> bool {
        let p = self.service.persona();
        p.decoy_ads.iter().any(|a| a == ad) || p.default_decoy_ad == ad
    }

    /// A response with the security headers, and the session cookie when it is new.
    fn respond(&self, status: StatusCode, content_type: &'static str, body: String, cookie: Option<&str>) -> Response {
        let mut r = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if let Some(s) = cookie {
            h.insert(header::SET_COOKIE, set_cookie(s));
        }
        r
    }

    fn client_ip(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        if self.opts.trust_forwarded_for
            && let Some(ip) = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|s| s.trim().parse::<IpAddr>().ok())
        {
            return ip;
        }
        peer.ip()
    }
}

const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";

async fn show(State(web): State<Arc<Web>>, Path(ad): Path<String>, headers: HeaderMap) -> Response {
    if !web.known_ad(&ad) {
        return web.respond(StatusCode::NOT_FOUND, TEXT, "not found".into(), None);
    }
    let new = session_of(&headers).is_none().then(new_session);
    web.respond(StatusCode::OK, HTML, page(&ad, &[]), new.as_deref())
}

async fn message(
    State(web): State<Arc<Web>>,
    Path(ad): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.split(';').next().is_some_and(|t| t.trim() == JSON)));
    let fail = |status: StatusCode, why: &str| {
        if wants_json {
            web.respond(status, JSON, serde_json::json!({ "error": why }).to_string(), None)
        } else {
            web.respond(status, HTML, page(&ad, &[(false, why.to_string())]), None)
        }
    };
    if !web.known_ad(&ad) {
        return web.respond(StatusCode::NOT_FOUND, TEXT, "not found".into(), None);
    }
    let is_form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    });
    if !is_form {
        return fail(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected a form (application/x-www-form-urlencoded)");
    }
    let Some(text) = url::form_urlencoded::parse(&body).find(|(k, _)| k == "text").map(|(_, v)| v.into_owned()) else {
        return fail(StatusCode::BAD_REQUEST, "the field text is required");
    };
    if text.trim().is_empty() {
        return fail(StatusCode::BAD_REQUEST, "the message is empty");
    }
    let ip_key = web.service.chat_key(IP_KEY_CHANNEL, &address_bucket(web.client_ip(peer, &headers)));
    if web.ip_guard.admit(&ip_key, Instant::now()) == Admit::OverLimit {
        tracing::info!(address = %ip_key, "web chat: address over its message limit");
        return fail(StatusCode::TOO_MANY_REQUESTS, "too many messages; try again in a minute");
    }
    let existing = session_of(&headers);
    let new = existing.is_none().then(new_session);
    let session = existing.or_else(|| new.clone()).unwrap_or_default();
    let key = web.service.chat_key(CHANNEL, &session);
    let result = web
        .turns
        .one_at_a_time(&key, async {
            let replies = Replies::default();
            let incoming = Incoming { chat_id: &session, text: &text, language_hint: None, decoy_ad: Some(&ad) };
            web.service.handle(&replies, &incoming).await.map(|_| replies.messages.into_inner().unwrap_or_default())
        })
        .await;
    match result {
        Ok(messages) if wants_json => {
            web.respond(StatusCode::OK, JSON, serde_json::json!({ "replies": messages }).to_string(), new.as_deref())
        }
        Ok(messages) => {
            let mut exchange = vec![(true, text)];
            exchange.extend(messages.into_iter().map(|m| (false, m)));
            web.respond(StatusCode::OK, HTML, page(&ad, &exchange), new.as_deref())
        }
        Err(e) => {
            tracing::warn!(chat = %key, error = %e, "web chat: cannot handle a message");
            fail(StatusCode::INTERNAL_SERVER_ERROR, "something went wrong; try again")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_share_a_bucket_per_64_and_mapped_ipv4_counts_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_bucket(a), address_bucket(b));
        assert_ne!(address_bucket(a), address_bucket(c));
        assert_eq!(address_bucket("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7");
        assert_eq!(address_bucket("192.0.2.7".parse().unwrap()), "192.0.2.7");
    }

    #[test]
    fn html_escaping_covers_markup_and_attribute_quotes() {
        assert_eq!(
            html_escape("<a href='x' title=\"y\">&</a>"),
            "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_well_formed_session_cookies_are_accepted() {
        let mut h = HeaderMap::new();
        let id = "a".repeat(64);
        h.insert(header::COOKIE, HeaderValue::from_str(&format!("x=1; {COOKIE}={id}")).unwrap());
        assert_eq!(session_of(&h), Some(id));
        for bad in ["short", &"A".repeat(64), &"g".repeat(64)] {
            h.insert(header::COOKIE, HeaderValue::from_str(&format!("{COOKIE}={bad}")).unwrap());
            assert_eq!(session_of(&h), None, "{bad}");
        }
        assert_eq!(new_session().len(), 64);
        assert_ne!(new_session(), new_session());
    }
}
