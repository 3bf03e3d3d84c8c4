//! The SMS webhook over real HTTP on 127.0.0.1, driven the way a gateway drives it: signed form POSTs,
//! answers read as TwiML. Scripted conversations in English and Spanish for every safety path, the
//! signature refused when wrong, missing or for other fields, the decoy's own numbers and repeated
//! deliveries ignored, XML escaping, and no phone number stored.

use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use redflag_bot::sms::{self, SmsOptions};
use redflag_bot::{Persona, messages};
use redflag_store::testkit;
use sha1::Sha1;

use crate::{persona, persona_with, service};

const TOKEN: &str = "gateway-auth-token-for-tests";
const PUBLIC_URL: &str = "https://bot.example.org/sms?persona=city";
/// The example persona's decoy numbers: the first runs in GB, the second in IE.
const DECOY_GB: &str = "+447700900123";
const DECOY_IE: &str = "+447700900124";

/// A gateway that signs its requests like the real one, computed here independently of the library.
struct Gateway {
    url: String,
    client: reqwest::Client,
    sid: std::sync::atomic::AtomicU32,
}

struct Answer {
    status: u16,
    messages: Vec<String>,
    body: String,
}

/// The `<Message>` texts of a TwiML answer, unescaped.
fn messages_of(twiml: &str) -> Vec<String> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
    };
    twiml.split("<Message>").skip(1).map(|m| unescape(m.split("</Message>").next().unwrap_or_default())).collect()
}

impl Gateway {
    fn sign(params: &[(&str, &str)]) -> String {
        let mut sorted = params.to_vec();
        sorted.sort();
        sorted.dedup();
        let mut m = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).unwrap();
        m.update(PUBLIC_URL.as_bytes());
        for (k, v) in sorted {
            m.update(k.as_bytes());
            m.update(v.as_bytes());
        }
        base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes())
    }

    async fn post_raw(&self, params: &[(&str, &str)], signature: Option<&str>, content_type: &str) -> Answer {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
        let mut req = self.client.post(&self.url).header("content-type", content_type).body(body);
        if let Some(sig) = signature {
            req = req.header("X-Twilio-Signature", sig);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        if status == 200 {
            assert_eq!(resp.headers()["content-type"], "text/xml; charset=utf-8");
        }
        let body = resp.text().await.unwrap();
        Answer { status, messages: messages_of(&body), body }
    }

    /// A signed inbound SMS from `from` to `to`.
    async fn sms(&self, from: &str, to: &str, text: &str) -> Answer {
        let sid = format!("SM{:032}", self.sid.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        let params = [
            ("MessageSid", sid.as_str()),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", from),
            ("To", to),
            ("Body", text),
            ("NumMedia", "0"),
        ];
        self.post_raw(&params, Some(&Self::sign(&params)), "application/x-www-form-urlencoded").await
    }

    /// Sends `text` and returns the replies, checking the answer is a 200.
    async fn say(&self, from: &str, to: &str, text: &str) -> Vec<String> {
        let a = self.sms(from, to, text).await;
        assert_eq!(a.status, 200, "{text:?}: {}", a.body);
        a.messages
    }
}

async fn start(p: Persona, store: &redflag_store::Store) -> (Gateway, tokio::task::JoinHandle<()>) {
    let svc = Arc::new(service(p, store));
    let app = sms::router(svc, SmsOptions { auth_token: TOKEN.into(), public_url: PUBLIC_URL.into() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let gw = Gateway {
        url: format!("http://{addr}{}", sms::PATH),
        client: reqwest::Client::new(),
        sid: std::sync::atomic::AtomicU32::new(1),
    };
    (gw, server)
}

#[tokio::test]
async fn scripted_sms_conversations_in_english_and_spanish() {
    for store in testkit::all().await {
        let p = persona();
        let (gw, server) = start(p.clone(), &store).await;

        // A buyer: the deterrence message once, then one follow-up, then nothing.
        let buyer = "+12025550101";
        assert!(p.replies["en"].greeting.contains(&gw.say(buyer, DECOY_GB, "hi, saw your ad").await[0]));
        assert_eq!(gw.say(buyer, DECOY_GB, "how much for an hour?").await, [p.deterrence("en").unwrap()]);
        assert_eq!(gw.say(buyer, DECOY_GB, "hello?").await, [p.follow_up("en").unwrap()]);
        assert!(gw.say(buyer, DECOY_GB, "$200 ok?").await.is_empty());
        let comprador = "+12025550102";
        gw.say(comprador, DECOY_GB, "Hola, ¿qué tal estás?").await;
        assert_eq!(gw.say(comprador, DECOY_GB, "¿Cuánto cobras por una hora?").await, [p.deterrence("es").unwrap()]);

        // Help-seekers: the hotline of the number's country, in their language; no deterrence.
        let seeker = "+12025550103";
        let r = gw.say(seeker, DECOY_IE, "no quiero estar aquí, ayúdame").await;
        assert_eq!(r, [p.help_texts("city-massage-0624", "es").unwrap().help.clone()]);
        assert!(r[0].contains("1800 000 000") && r[0].contains("112"), "{r:?}");
        let r = gw.say(seeker, DECOY_IE, "¿cuánto cobras?").await;
        assert_eq!(r, [p.help_texts("city-massage-0624", "es").unwrap().follow_up.clone()]);
        let r = gw.say("+12025550104", DECOY_GB, "HELP").await;
        assert_eq!(r, [p.help_texts("city-escorts-0624", "en").unwrap().help.clone()]);

        // STOP: one acknowledgement, then silence until START.
        let stopper = "+12025550105";
        gw.say(stopper, DECOY_GB, "hi").await;
        let ack = gw.say(stopper, DECOY_GB, "STOP").await;
        assert_eq!(ack.len(), 1);
        assert!(ack[0].contains("START"), "{ack:?}");
        for after in ["how much for an hour?", "STOP", "HELP", "hello?"] {
            let a = gw.sms(stopper, DECOY_GB, after).await;
            assert_eq!((a.status, a.messages.len()), (200, 0), "{after:?}: {}", a.body);
        }
        assert_eq!(gw.say(stopper, DECOY_GB, "START").await, [messages::opt_in_text("en")]);
        let parar = "+12025550106";
        gw.say(parar, DECOY_GB, "Hola, ¿qué tal estás?").await;
        assert!(gw.say(parar, DECOY_GB, "Para").await[0].starts_with("No recibirás más mensajes"));
        assert!(gw.say(parar, DECOY_GB, "¿cuánto cobras?").await.is_empty());

        // A minor cue: the stronger message.
        let minor = "+12025550107";
        gw.say(minor, DECOY_GB, "hey").await;
        assert_eq!(gw.say(minor, DECOY_GB, "how old are you?").await, [p.deterrence_minor("en").unwrap()]);
        let menor = "+12025550108";
        gw.say(menor, DECOY_GB, "Hola, ¿qué tal estás?").await;
        assert_eq!(gw.say(menor, DECOY_GB, "¿Cuántos años tienes?").await, [p.deterrence_minor("es").unwrap()]);

        // Counted per decoy number; no phone number anywhere in the store.
        let convs = store.bot_conversations(100).await.unwrap();
        assert!(convs.iter().all(|c| c.channel == "sms"));
        let mut helped: Vec<&str> = convs.iter().filter(|c| c.help_at.is_some()).map(|c| c.decoy_ad.as_str()).collect();
        helped.sort();
        assert_eq!(helped, ["city-escorts-0624", "city-massage-0624"], "{}", store.label);
        let mut stored = serde_json::to_string(&convs).unwrap();
        stored.push_str(&serde_json::to_string(&store.bot_stats(0).await.unwrap()).unwrap());
        for number in ["2025550", "447700900", "quiero"] {
            assert!(!stored.contains(number), "{number:?} stored: {stored}");
        }
        server.abort();
    }
}

#[tokio::test]
async fn requests_without_a_valid_signature_are_refused_and_change_nothing() {
    let store = testkit::sqlite().await;
    let (gw, server) = start(persona(), &store).await;
    let params = [("MessageSid", "SM1"), ("From", "+12025550111"), ("To", DECOY_GB), ("Body", "how much?")];
    let good = Gateway::sign(&params);
    let form = "application/x-www-form-urlencoded";
    // Missing, wrong, for other fields, for another URL.
    assert_eq!(gw.post_raw(&params, None, form).await.status, 403);
    assert_eq!(gw.post_raw(&params, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA="), form).await.status, 403);
    let tampered = [("MessageSid", "SM1"), ("From", "+12025550111"), ("To", DECOY_GB), ("Body", "how much? $300")];
    assert_eq!(gw.post_raw(&tampered, Some(&good), form).await.status, 403);
    let mut m = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).unwrap();
    m.update(b"https://elsewhere.example/sms");
    let other_url = base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes());
    assert_eq!(gw.post_raw(&params, Some(&other_url), form).await.status, 403);
    // Not a form; a form without a sender.
    assert_eq!(gw.post_raw(&params, Some(&good), "application/json").await.status, 415);
    let no_from = [("MessageSid", "SM2"), ("Body", "hi")];
    assert_eq!(gw.post_raw(&no_from, Some(&Gateway::sign(&no_from)), form).await.status, 400);
    assert!(store.bot_conversations(10).await.unwrap().is_empty(), "nothing was handled");
    // The genuine request goes through.
    let a = gw.post_raw(&params, Some(&good), form).await;
    assert_eq!((a.status, a.messages.len()), (200, 1), "{}", a.body);
    server.abort();
}

#[tokio::test]
async fn the_decoys_own_numbers_and_repeated_deliveries_get_no_reply() {
    let store = testkit::sqlite().await;
    let (gw, server) = start(persona(), &store).await;
    // A message from a decoy number (a loop through the gateway) is never answered.
    let a = gw.sms(DECOY_IE, DECOY_GB, "hi, how much for an hour?").await;
    assert_eq!((a.status, a.messages.len()), (200, 0));
    // The gateway retries a delivery: the second copy gets nothing.
    let params = [("MessageSid", "SMretry"), ("From", "+12025550121"), ("To", DECOY_GB), ("Body", "hello there")];
    let sig = Gateway::sign(&params);
    let form = "application/x-www-form-urlencoded";
    assert_eq!(gw.post_raw(&params, Some(&sig), form).await.messages.len(), 1);
    assert_eq!(gw.post_raw(&params, Some(&sig), form).await.messages.len(), 0);
    let convs = store.bot_conversations(10).await.unwrap();
    assert_eq!((convs.len(), convs[0].turns), (1, 1));
    server.abort();
}

#[tokio::test]
async fn replies_are_xml_escaped() {
    let store = testkit::sqlite().await;
    let p = persona_with(&[(
        "\"Hi, yes I'm available this week. Where are you staying?\",",
        "\"Hi & welcome <3, where are you \\\"staying\\\"?\",",
    )]);
    let (gw, server) = start(p, &store).await;
    // Find a chat whose variant picks the edited greeting.
    for i in 0..20 {
        let a = gw.sms(&format!("+1202555013{i:02}"), DECOY_GB, "hi").await;
        if a.body.contains("welcome") {
            assert!(
                a.body.contains("<Message>Hi &amp; welcome &lt;3, where are you &quot;staying&quot;?</Message>"),
                "{}",
                a.body
            );
            server.abort();
            return;
        }
    }
    panic!("no chat got the edited greeting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_senders_messages_are_handled_one_at_a_time_when_they_arrive_together() {
    let store = testkit::sqlite().await;
    let p = persona();
    let (gw, server) = start(p.clone(), &store).await;
    let gw = Arc::new(gw);
    let from = "+12025550141";
    // Three messages at once.
    let texts = ["hi", "how are you today?", "how much for an hour?"];
    let mut tasks = Vec::new();
    for t in texts {
        let gw = Arc::clone(&gw);
        tasks.push(tokio::spawn(async move { gw.say(from, DECOY_GB, t).await }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    // Whatever order they arrive in, each is handled once on the state the previous one left: one
    // conversation, one deterrence message.
    assert_eq!(all.iter().filter(|m| Some(m.as_str()) == p.deterrence("en")).count(), 1, "{all:?}");
    let stats = store.bot_stats(0).await.unwrap();
    assert_eq!((stats[0].counts.conversations, stats[0].counts.deterrence), (1, 1), "{all:?}");
    server.abort();
}
