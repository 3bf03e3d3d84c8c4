//! The SMS channel: a webhook for the form-POST callback of the common SMS gateways, so that a decoy
//! phone number works like the Telegram bot.
//!
//! The wire format is Twilio's, which several other gateways also speak: the gateway POSTs
//! `application/x-www-form-urlencoded` fields (`From`, `To`, `Body`, `MessageSid`, …) to the webhook,
//! signs the request with `X-Twilio-Signature` (base64 of HMAC-SHA1, keyed with the account's auth
//! token, over the webhook's public URL followed by every field name and value, sorted), and sends
//! whatever the webhook answers as TwiML (`<Response><Message>…</Message></Response>`) back to the
//! sender. So [`Channel::send`] here collects the replies and the handler returns them in its answer:
//! a reply counts as delivered once the gateway has it.
//!
//! What the handler promises, in order:
//!
//! - a request without a valid signature is refused (403) before anything else is read or stored;
//!   the comparison is constant-time;
//! - a body that is not a form is refused (415), one without `From` or `Body` too (400);
//! - a message from one of the persona's own decoy numbers (a gateway looping the bot's messages back)
//!   and a repeated `MessageSid` (a gateway retrying) get an empty answer: a reply is never triggered by
//!   the bot's own messages nor sent twice;
//! - the messages of one sender are handled one at a time, in order, as [`Service::handle`] requires;
//! - the sender's number goes to the service, which replaces it with its keyed hash at once; it is
//!   never stored or logged (logs show the short hash). The number written to (`To`) names the decoy
//!   ad (`[sms] numbers` in the persona), so conversations are counted per decoy number, and the help
//!   message gives the hotline of that ad's country;
//! - replies are XML-escaped; characters XML cannot carry are dropped.
//!
//! STOP, START and HELP work as on every channel ([`crate::keywords`]). A gateway that handles STOP
//! itself (Twilio does by default) also blocks later replies at its end, which agrees with this.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::channel::{Channel, ChatTurns};
use crate::error::{Error, Result};
use crate::service::{Incoming, Service};

/// The channel's name: stored with conversations and part of the hashed chat key.
pub const CHANNEL: &str = "sms";

/// The longest message body the gateway accepts (Twilio: 1600 characters; it splits the text into
/// segments itself).
pub const SMS_MAX_UNITS: usize = 1600;

/// The path the webhook is served on.
pub const PATH: &str = "/sms";

/// The largest request body read.
const MAX_BODY: usize = 64 * 1024;

/// `MessageSid`s remembered to drop repeated deliveries.
const SEEN_SIDS: usize = 10_000;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// How the webhook checks requests.
#[derive(Clone)]
pub struct SmsOptions {
    /// The gateway account's auth token, which keys the request signatures.
    pub auth_token: String,
    /// The webhook's URL exactly as configured at the gateway (scheme, host, path and any query), which
    /// the signature covers; behind a proxy it differs from what the server sees.
    pub public_url: String,
}

impl std::fmt::Debug for SmsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsOptions").field("auth_token", &"<secret>").field("public_url", &self.public_url).finish()
    }
}

/// The signature a gateway computes for a request: base64(HMAC-SHA1(auth token, URL ‖ name₁ ‖ value₁
/// ‖ name₂ ‖ value₂ …)) with the fields sorted by name, then value, each distinct pair once.
pub fn signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(auth_token, url, params).finalize().into_bytes())
}

fn mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Hmac<Sha1> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    // The gateway's own libraries sign each distinct name and value once.
    sorted.dedup();
    // HMAC takes keys of any length.
    let mut m = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC accepts any key length");
    m.update(url.as_bytes());
    for (k, v) in sorted {
        m.update(k.as_bytes());
        m.update(v.as_bytes());
    }
    m
}

/// Whether `header` is the valid signature of a request (compared in constant time).
pub fn verify(auth_token: &str, url: &str, params: &[(String, String)], header: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(header.trim()) else { return false };
    mac(auth_token, url, params).verify_slice(&given).is_ok()
}

/// Escapes text for XML character data and attribute values, dropping characters XML 1.0 cannot
/// carry (control characters other than tab and line breaks, U+FFFE, U+FFFF).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The TwiML answer that sends `messages` to the sender (none: send nothing).
pub fn twiml(messages: &[String]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    for m in messages {
        out.push_str("<Message>");
        out.push_str(&xml_escape(m));
        out.push_str("</Message>");
    }
    out.push_str("</Response>");
    out
}

/// Collects the replies to one incoming message for the TwiML answer.
#[derive(Default)]
struct Replies {
    messages: Mutex<Vec<String>>,
}

impl Channel for Replies {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn max_message_units(&self) -> usize {
        SMS_MAX_UNITS
    }

    async fn send(&self, _chat_id: &str, text: &str) -> Result<()> {
        self.messages.lock().unwrap_or_else(|e| e.into_inner()).push(text.to_string());
        Ok(())
    }
}

struct Webhook {
    service: Arc<Service>,
    opts: SmsOptions,
    /// A sender's messages are handled one at a time, in order.
    turns: ChatTurns,
    /// Recent `MessageSid`s, oldest first.
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
}

impl Webhook {
    /// Whether `sid` is new (and remembers it).
    fn first_delivery(&self, sid: &str) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.0.insert(sid.to_string()) {
            return false;
        }
        seen.1.push_back(sid.to_string());
        if seen.1.len() > SEEN_SIDS
            && let Some(old) = seen.1.pop_front()
        {
            seen.0.remove(&old);
        }
        true
    }
}

/// The webhook as an axum router serving `POST /sms`, for `redflag bot --sms-listen`.
pub fn router(service: Arc<Service>, opts: SmsOptions) -> Router {
    let state = Arc::new(Webhook {
        service,
        opts,
        turns: ChatTurns::default(),
        seen: Mutex::new((HashSet::new(), VecDeque::new())),
    });
    Router::new().route(PATH, post(inbound)).layer(DefaultBodyLimit::max(MAX_BODY)).with_state(state)
}

/// Serves the webhook on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    service: Arc<Service>,
    opts: SmsOptions,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    axum::serve(listener, router(service, opts))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::Serve { addr, message: e.to_string() })
}

fn xml(messages: &[String]) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], twiml(messages)).into_response()
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], why).into_response()
}

async fn inbound(State(hook): State<Arc<Webhook>>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    });
    if !is_form {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected a form (application/x-www-form-urlencoded)");
    }
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let signed = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sig| verify(&hook.opts.auth_token, &hook.opts.public_url, &params, sig));
    if !signed {
        tracing::warn!("sms webhook: request without a valid signature refused");
        return refuse(StatusCode::FORBIDDEN, "invalid signature");
    }
    let field = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let (Some(from), Some(text)) = (field("From"), field("Body")) else {
        return refuse(StatusCode::BAD_REQUEST, "From and Body are required");
    };
    let persona = hook.service.persona();
    if persona.sms.numbers.contains_key(from.trim()) {
        tracing::debug!("sms webhook: a message from a decoy number ignored");
        return xml(&[]);
    }
    if let Some(sid) = field("MessageSid").filter(|s| !s.is_empty())
        && !hook.first_delivery(sid)
    {
        tracing::debug!("sms webhook: repeated delivery ignored");
        return xml(&[]);
    }
    let key = hook.service.chat_key(CHANNEL, from);
    let decoy_ad = field("To").and_then(|to| persona.sms.numbers.get(to.trim())).map(String::as_str);
    let result = hook
        .turns
        .one_at_a_time(&key, async {
            let replies = Replies::default();
            let incoming = Incoming { chat_id: from, text, language_hint: None, decoy_ad };
            hook.service.handle(&replies, &incoming).await.map(|_| replies.messages.into_inner().unwrap_or_default())
        })
        .await;
    match result {
        Ok(messages) => xml(&messages),
        Err(e) => {
            tracing::warn!(chat = %key, error = %e, "sms webhook: cannot handle a message");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn signatures_match_the_gateways_published_example() {
        // The example of Twilio's request-validation documentation and libraries.
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let params = pairs(&[
            ("Digits", "1234"),
            ("To", "+18005551212"),
            ("From", "+14158675309"),
            ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ]);
        assert_eq!(signature("12345", url, &params), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(verify("12345", url, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        // Repeated fields are sorted by value too, and a repeated pair counts once.
        let repeated = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(signature("12345", url, &repeated), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
        assert!(!verify("12345", &format!("{url}&extra=1"), &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assert!(!verify("54321", url, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assert!(!verify("12345", url, &params, "not base64 !"));
        assert!(!verify("12345", url, &params, ""));
    }

    #[test]
    fn twiml_escapes_everything_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            twiml(&["a & b <c> \"d\" 'e'\u{1}\u{FFFF}\nf".into()]),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>a &amp; b &lt;c&gt; &quot;d&quot; \
             &apos;e&apos;\nf</Message></Response>"
        );
        assert_eq!(twiml(&[]), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
        assert_eq!(xml_escape("</Message><Message>x"), "&lt;/Message&gt;&lt;Message&gt;x");
    }
}
