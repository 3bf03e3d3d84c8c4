//! The real teloxide dispatcher against the fake Bot API: a decoy conversation up to the deterrence
//! message, a Spanish job-ad check answered in Spanish, groups ignored, and nothing but hashes stored.

use std::sync::Arc;
use std::time::Duration;

use redflag_bot::messages::Msg;
use redflag_bot::telegram::{self, TelegramOptions};
use redflag_bot::{Error, Persona};
use redflag_store::testkit;

use crate::fake_api::FakeApi;
use crate::{persona, persona_with, service};

const TOKEN: &str = "4242424242:AAtestTOKENfortheFAKEapi";
const WAIT: Duration = Duration::from_secs(30);

fn options(fake: &FakeApi, token: &str) -> TelegramOptions {
    let mut o = TelegramOptions::new(token);
    o.api_url = fake.url();
    o.poll_timeout = Duration::from_secs(1);
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decoy_conversation_and_job_check_run_end_to_end() {
    let fake = FakeApi::start(TOKEN).await;
    let store = testkit::sqlite().await;
    let p: Persona = persona_with(&[("job_check = false", "job_check = true")]);
    let svc = Arc::new(service(p.clone(), &store));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(telegram::run(svc, options(&fake, TOKEN), async move {
        let _ = stopped.await;
    }));

    let (buyer, seeker) = (555_123_001_i64, 555_123_002_i64);
    fake.push_private(buyer, Some("en"), "/start city-escorts-0624");
    let sent = fake.wait_for_sent(1, WAIT).await;
    assert_eq!(sent[0].chat_id, buyer);
    assert!(p.replies["en"].greeting.contains(&sent[0].text), "{:?}", sent[0]);

    fake.push_private(buyer, Some("en"), "hi, how is your day going?");
    let sent = fake.wait_for_sent(2, WAIT).await;
    assert!(p.replies["en"].small_talk.contains(&sent[1].text), "{:?}", sent[1]);

    fake.push_group(-100_200_300, buyer, "how much for an hour?");
    fake.push_private(buyer, Some("en"), "ok. how much for an hour? I'm at the hotel by the station");
    let sent = fake.wait_for_sent(3, WAIT).await;
    assert_eq!((sent[2].chat_id, Some(sent[2].text.as_str())), (buyer, p.deterrence("en")));

    let ad =
        "Trabajo en España\nDebe pagar una cuota de inscripción de 200 dólares. Contacto solo por WhatsApp. Urgente.";
    fake.push_private(seeker, Some("es"), &format!("/check {ad}"));
    let sent = fake.wait_for_sent(4, WAIT).await;
    let report: Vec<&str> = sent[3..].iter().filter(|m| m.chat_id == seeker).map(|m| m.text.as_str()).collect();
    let report = report.join("\n");
    assert!(report.contains("Señales de alerta"), "{report}");
    assert!(report.contains("\"cuota de inscripción\""), "{report}");
    assert!(report.contains(Msg::CheckFooter.text("es")), "{report}");

    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();
    assert!(fake.sent().iter().all(|m| m.chat_id > 0), "nothing was sent to the group");
    assert_eq!(fake.pending(), 0, "every update was confirmed with an offset");
    let calls = fake.calls();
    for method in ["GetMe", "GetWebhookInfo", "GetUpdates", "SendMessage"] {
        assert!(calls.iter().any(|c| c == method), "{method} in {calls:?}");
    }

    // The store holds hashes, states and counters; no id, no name, no text.
    let convs = store.bot_conversations(10).await.unwrap();
    assert_eq!(convs.len(), 1);
    assert_eq!((convs[0].decoy_ad.as_str(), convs[0].state.as_str()), ("city-escorts-0624", "deterrence_sent"));
    let mut stored = serde_json::to_string(&convs).unwrap();
    stored.push_str(&serde_json::to_string(&store.bot_transcript(convs[0].id).await.unwrap()).unwrap());
    stored.push_str(&serde_json::to_string(&store.bot_stats(0).await.unwrap()).unwrap());
    for secret in
        [buyer.to_string(), seeker.to_string(), "Alex".into(), "user555".into(), "hotel".into(), "cuota".into()]
    {
        assert!(!stored.contains(&secret), "{secret:?} stored: {stored}");
    }
    let stats = store.bot_stats(0).await.unwrap();
    let sum = |f: fn(&redflag_store::bot::StatsDelta) -> i64| stats.iter().map(|r| f(&r.counts)).sum::<i64>();
    assert_eq!((sum(|c| c.conversations), sum(|c| c.deterrence), sum(|c| c.checks)), (1, 1, 1));
}

#[tokio::test]
async fn a_wrong_token_is_reported_without_the_token() {
    let fake = FakeApi::start(TOKEN).await;
    let wrong = "1111111111:AAwrongTOKEN";
    let e = telegram::connect(&options(&fake, wrong)).await.unwrap_err();
    assert!(matches!(e, Error::Api { method: "getMe", .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("Invalid bot token") && msg.contains(&fake.url().as_str()[..20]), "{msg}");
    assert!(!msg.contains(wrong), "{msg}");
    let me = telegram::connect(&options(&fake, TOKEN)).await.unwrap();
    assert_eq!(me.username.as_deref(), Some("decoy_test_bot"));
}

#[tokio::test]
async fn an_unreachable_api_is_a_clear_error() {
    let mut o = TelegramOptions::new(TOKEN);
    o.api_url = reqwest::Url::parse("http://127.0.0.1:1/").unwrap();
    let store = testkit::sqlite().await;
    let svc = Arc::new(service(persona(), &store));
    let e = telegram::run(svc, o, std::future::pending()).await.unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
    assert!(msg.contains("cannot reach the Telegram Bot API at http://127.0.0.1:1"), "{msg}");
    assert!(!msg.contains(TOKEN), "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_requested_during_start_up_still_stops_the_bot() {
    let fake = FakeApi::start(TOKEN).await;
    let store = testkit::sqlite().await;
    let svc = Arc::new(service(persona(), &store));
    let run = telegram::run(svc, options(&fake, TOKEN), async {});
    tokio::time::timeout(WAIT, run).await.expect("the bot stops").unwrap();
    assert!(fake.calls().iter().any(|c| c == "GetMe"));
}
