//! The web chat over real HTTP on 127.0.0.1, driven the way a phone's browser drives it: the page is
//! fetched (which sets the session cookie), messages are posted as forms, by the page's script (JSON
//! answer) or without JavaScript (HTML answer). Scripted conversations in English and Spanish for every
//! safety path, hostile input escaped, the per-session and per-address limits, the body cap, the
//! security headers and a page with no external resource, and no session id stored.

use std::sync::Arc;

use redflag_bot::web::{self, WebOptions};
use redflag_bot::{Limits, Persona, messages};
use redflag_store::testkit;

use crate::{persona, persona_with, service};

const AD: &str = "city-escorts-0624";
const AD_IE: &str = "city-massage-0624";

struct Server {
    base: String,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(p: Persona, store: &redflag_store::Store, opts: WebOptions) -> Server {
    let svc = Arc::new(service(p, store));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = web::serve(svc, opts, listener, std::future::pending()).await;
    });
    Server { base: format!("http://{addr}"), client: reqwest::Client::new(), task }
}

/// One visitor: a browser session on one decoy ad's page.
struct Visitor<'a> {
    server: &'a Server,
    ad: &'a str,
    cookie: String,
}

/// The `name=value` of a response's session cookie, checking its attributes.
fn session_cookie(resp: &reqwest::Response) -> Option<String> {
    let set = resp.headers().get("set-cookie")?.to_str().unwrap().to_string();
    assert!(set.starts_with(&format!("{}=", web::COOKIE)), "{set}");
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/chat"] {
        assert!(set.split("; ").any(|a| a == attr), "{attr} missing: {set}");
    }
    assert!(!set.contains("Max-Age") && !set.contains("Expires"), "a session cookie: {set}");
    Some(set.split(';').next().unwrap().to_string())
}

impl Server {
    fn url(&self, ad: &str) -> String {
        format!("{}{}/{ad}", self.base, web::PATH)
    }

    /// Opens the page, as a visitor following the decoy ad's link does.
    async fn visit<'a>(&'a self, ad: &'a str) -> Visitor<'a> {
        let resp = self.client.get(self.url(ad)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let cookie = session_cookie(&resp).expect("the first visit sets the session cookie");
        Visitor { server: self, ad, cookie }
    }

    async fn post(&self, ad: &str, cookie: Option<&str>, json: bool, body: String) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(ad))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", if json { "application/json" } else { "text/html" })
            .body(body);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.unwrap()
    }
}

fn form(text: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new()).append_pair("text", text).finish()
}

impl Visitor<'_> {
    /// Sends `text` as the page's script does; the replies.
    async fn say(&self, text: &str) -> Vec<String> {
        let resp = self.server.post(self.ad, Some(&self.cookie), true, form(text)).await;
        assert_eq!(resp.status(), 200, "{text:?}");
        assert_eq!(resp.headers()["content-type"], "application/json");
        assert!(resp.headers().get("set-cookie").is_none(), "the session is kept");
        let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        v["replies"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect()
    }

    /// Sends `text` as the form does without JavaScript; the page that comes back.
    async fn say_without_js(&self, text: &str) -> (u16, String) {
        let resp = self.server.post(self.ad, Some(&self.cookie), false, form(text)).await;
        (resp.status().as_u16(), resp.text().await.unwrap())
    }
}

#[tokio::test]
async fn scripted_web_conversations_in_english_and_spanish() {
    for store in testkit::all().await {
        let p = persona();
        let srv = start(p.clone(), &store, WebOptions::default()).await;

        // A buyer: the deterrence message once, then one follow-up, then nothing.
        let buyer = srv.visit(AD).await;
        assert!(p.replies["en"].greeting.contains(&buyer.say("hi, saw your ad").await[0]));
        assert_eq!(buyer.say("how much for an hour?").await, [p.deterrence("en").unwrap()]);
        assert_eq!(buyer.say("hello?").await, [p.follow_up("en").unwrap()]);
        assert!(buyer.say("$200 ok?").await.is_empty());
        let comprador = srv.visit(AD).await;
        comprador.say("Hola, ¿qué tal estás?").await;
        assert_eq!(comprador.say("¿Cuánto cobras por una hora?").await, [p.deterrence("es").unwrap()]);

        // Help-seekers: the hotline of the ad's country at once, in their language; never deterrence.
        let seeker = srv.visit(AD_IE).await;
        let r = seeker.say("no quiero estar aquí, ayúdame").await;
        assert_eq!(r, [p.help_texts(AD_IE, "es").unwrap().help.clone()]);
        assert!(r[0].contains("1800 000 000"), "{r:?}");
        let r = seeker.say("¿cuánto cobras?").await;
        assert_eq!(r, [p.help_texts(AD_IE, "es").unwrap().follow_up.clone()]);
        let helper = srv.visit(AD).await;
        let r = helper.say("I'm not doing this by choice, can you get me out").await;
        assert_eq!(r, [p.help_texts(AD, "en").unwrap().help.clone()]);
        assert_ne!(helper.say("how much for an hour?").await, [p.deterrence("en").unwrap()]);

        // STOP: one acknowledgement, then silence until START.
        let stopper = srv.visit(AD).await;
        stopper.say("hi").await;
        let ack = stopper.say("STOP").await;
        assert_eq!(ack.len(), 1);
        assert!(ack[0].contains("START"), "{ack:?}");
        for after in ["how much for an hour?", "STOP", "HELP", "hello?"] {
            assert!(stopper.say(after).await.is_empty(), "{after:?}");
        }
        assert_eq!(stopper.say("START").await, [messages::opt_in_text("en")]);
        let parar = srv.visit(AD).await;
        parar.say("Hola, ¿qué tal estás?").await;
        assert!(parar.say("Para").await[0].starts_with("No recibirás más mensajes"));
        assert!(parar.say("¿cuánto cobras?").await.is_empty());

        // A minor cue: the stronger message.
        let minor = srv.visit(AD).await;
        minor.say("hey").await;
        assert_eq!(minor.say("how old are you?").await, [p.deterrence_minor("en").unwrap()]);
        let menor = srv.visit(AD).await;
        menor.say("Hola, ¿qué tal estás?").await;
        assert_eq!(menor.say("¿Cuántos años tienes?").await, [p.deterrence_minor("es").unwrap()]);

        // Counted per decoy ad; no session id or text anywhere in the store.
        let convs = store.bot_conversations(100).await.unwrap();
        assert_eq!(convs.len(), 8, "{}", store.label);
        assert!(convs.iter().all(|c| c.channel == "web"));
        let mut helped: Vec<&str> = convs.iter().filter(|c| c.help_at.is_some()).map(|c| c.decoy_ad.as_str()).collect();
        helped.sort();
        assert_eq!(helped, [AD, AD_IE], "{}", store.label);
        let mut stored = serde_json::to_string(&convs).unwrap();
        stored.push_str(&serde_json::to_string(&store.bot_stats(0).await.unwrap()).unwrap());
        let session = buyer.cookie.split('=').nth(1).unwrap();
        for secret in [session, "quiero", "cobras"] {
            assert!(!stored.contains(secret), "{secret:?} stored: {stored}");
        }
    }
}

#[tokio::test]
async fn the_page_loads_nothing_from_elsewhere_and_sends_strict_headers() {
    let store = testkit::sqlite().await;
    let srv = start(persona(), &store, WebOptions::default()).await;
    let resp = srv.client.get(srv.url(AD)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    let html = resp.text().await.unwrap();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'; script-src 'sha256-"), "{csp}");
    for part in ["connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"] {
        assert!(csp.contains(part), "{part}: {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    // One inline script and one inline style, both allowed by hash; nothing loaded from anywhere.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script>"), "an inline script only");
    for external in [" src=", " href=", "http://", "https://", "//", "@import", "url("] {
        assert!(!html.replace("\\u", "").contains(external), "{external:?} in the page: {html}");
    }
    // The hash in the policy is the inline script's.
    use base64::Engine;
    use sha2::Digest;
    let script = html.split("<script>").nth(1).unwrap().split("</script>").next().unwrap();
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(html.contains("name=\"viewport\""), "works on a phone");
    // A form that posts back here, so it works without JavaScript.
    assert!(html.contains(&format!("<form id=\"f\" method=\"post\" action=\"/chat/{AD}\">")), "{html}");
    // Only the persona's decoy ads have a page.
    assert_eq!(srv.client.get(srv.url("no-such-ad")).send().await.unwrap().status(), 404);
    assert_eq!(srv.client.get(srv.url("direct")).send().await.unwrap().status(), 200);
    // A visitor who already has a session keeps it.
    let v = srv.visit(AD).await;
    let again = srv.client.get(srv.url(AD)).header("cookie", &v.cookie).send().await.unwrap();
    assert!(again.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn hostile_input_and_replies_are_escaped_without_javascript_too() {
    let store = testkit::sqlite().await;
    let p = persona_with(&[(
        "\"Hi, yes I'm available this week. Where are you staying?\",",
        "\"Hi & welcome <3, where are you \\\"staying\\\"?\",",
    )]);
    let srv = start(p, &store, WebOptions::default()).await;
    let v = srv.visit(AD).await;
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    let (status, html) = v.say_without_js(hostile).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert") && !html.contains("<img"), "{html}");
    assert!(
        html.contains(
            "<li class=\"me\">&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;</li>"
        ),
        "{html}"
    );
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    // The JSON answer is JSON, served as such with nosniff, whatever the text.
    let r = v.say("</script><b>").await;
    assert!(r.iter().all(|m| !m.contains("<b>")));
    // The persona's own text is escaped as well: find a session whose greeting is the edited one.
    for _ in 0..30 {
        let v = srv.visit(AD).await;
        let (_, html) = v.say_without_js("hi").await;
        if html.contains("welcome") {
            assert!(
                html.contains("<li class=\"bot\">Hi &amp; welcome &lt;3, where are you &quot;staying&quot;?</li>"),
                "{html}"
            );
            return;
        }
    }
    panic!("no session got the edited greeting");
}

#[tokio::test]
async fn sessions_and_addresses_are_rate_limited_and_bodies_capped() {
    let store = testkit::sqlite().await;
    let p = persona_with(&[("messages_per_minute = 10", "messages_per_minute = 3")]);
    let opts = WebOptions {
        ip_limits: Limits { messages_per_minute: 7, messages_per_hour: 100, ..Limits::default() },
        trust_forwarded_for: false,
    };
    let srv = start(p.clone(), &store, opts).await;
    // One session: answered up to the persona's per-minute limit, then ignored (the price question
    // gets no deterrence message), except a request for help.
    let v = srv.visit(AD).await;
    for text in ["hi", "how are you", "nice weather"] {
        assert_eq!(v.say(text).await.len(), 1, "{text:?}");
    }
    assert!(v.say("how much for an hour?").await.is_empty(), "over the limit");
    assert_eq!(v.say("please help me").await, [p.help_texts(AD, "en").unwrap().help.clone()]);
    // Another session from the same address has its own allowance, until the address has used its 7
    // messages in the minute across sessions: then 429, in JSON and as a page.
    let fresh = srv.visit(AD).await;
    assert_eq!(fresh.say("hi").await.len(), 1);
    assert_eq!(fresh.say("how are you").await.len(), 1);
    let resp = srv.post(AD, Some(&fresh.cookie), true, form("hi again")).await;
    assert_eq!(resp.status(), 429);
    assert!(resp.text().await.unwrap().contains("too many messages"));
    assert_eq!(fresh.say_without_js("hello").await.0, 429);
    // Posting without a cookie does not escape the address limit either.
    assert_eq!(srv.post(AD, None, true, form("hi")).await.status(), 429);

    // Over the body cap: refused before anything is read.
    let store2 = testkit::sqlite().await;
    let srv2 = start(persona(), &store2, WebOptions::default()).await;
    let big = form(&"a".repeat(web::MAX_BODY + 1));
    let v2 = srv2.visit(AD).await;
    assert_eq!(srv2.post(AD, Some(&v2.cookie), true, big).await.status(), 413);
    // Not a form, no text, empty text, unknown ad: clear errors.
    let resp = srv2
        .client
        .post(srv2.url(AD))
        .header("content-type", "application/json")
        .header("cookie", &v2.cookie)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 415);
    assert_eq!(srv2.post(AD, Some(&v2.cookie), true, "other=1".into()).await.status(), 400);
    assert_eq!(srv2.post(AD, Some(&v2.cookie), true, form("   ")).await.status(), 400);
    assert_eq!(srv2.post("nope", Some(&v2.cookie), true, form("hi")).await.status(), 404);
    // A message without a session starts one.
    let resp = srv2.post(AD, None, true, form("hi there")).await;
    assert_eq!(resp.status(), 200);
    assert!(session_cookie(&resp).is_some());
}
