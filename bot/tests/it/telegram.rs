//! The real teloxide dispatcher against the fake Bot API: a decoy conversation up to the deterrence
//! message, a Spanish job-ad check answered in Spanish, groups ignored, and nothing but hashes stored;
//! scripted conversations in English and Spanish for every safety path (buyer, help-seeker, STOP and
//! START, minor cue); restarts between messages; and the bot's own and other bots' messages ignored.

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

/// One step of a script: `user` writes `text` with the app in `lang`; waits for exactly `expect`
/// replies, all to `user`, and returns them. A step that expects silence waits a moment; the next step
/// of the same chat then proves it, since a chat's messages are answered in order.
async fn step(fake: &FakeApi, user: i64, lang: &str, text: &str, expect: usize) -> Vec<String> {
    let before = fake.sent().len();
    fake.push_private(user, Some(lang), text);
    if expect == 0 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(fake.sent().len(), before, "{user} {text:?}: expected silence, got {:?}", &fake.sent()[before..]);
        return Vec::new();
    }
    let sent = fake.wait_for_sent(before + expect, WAIT).await;
    let replies: Vec<String> = sent[before..].iter().map(|m| m.text.clone()).collect();
    assert!(sent[before..].iter().all(|m| m.chat_id == user), "{user} {text:?}: {replies:?}");
    assert_eq!(replies.len(), expect, "{user} {text:?}: {replies:?}");
    replies
}

/// Runs the bot for `persona` over `store` against `fake` until the returned sender is used.
fn start_bot(
    fake: &FakeApi,
    p: Persona,
    store: &redflag_store::Store,
) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<redflag_bot::Result<()>>) {
    let svc = Arc::new(service(p, store));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(telegram::run(svc, options(fake, TOKEN), async move {
        let _ = stopped.await;
    }));
    (stop, bot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_conversations_in_english_and_spanish() {
    let fake = FakeApi::start(TOKEN).await;
    let store = testkit::sqlite().await;
    let p = persona();
    let (stop, bot) = start_bot(&fake, p.clone(), &store);
    let help = |lang: &str| p.help_texts("direct", lang).unwrap().clone();
    let is_deterrence =
        |t: &str| ["en", "es"].iter().any(|l| Some(t) == p.deterrence(l) || Some(t) == p.deterrence_minor(l));

    // Buyers: the deterrence message once, in their language, then one follow-up.
    let buyer_en = 600_000_001;
    assert!(p.replies["en"].greeting.contains(&step(&fake, buyer_en, "en", "hi, how is your day going?", 1).await[0]));
    assert_eq!(step(&fake, buyer_en, "en", "how much for an hour?", 1).await, [p.deterrence("en").unwrap()]);
    assert_eq!(step(&fake, buyer_en, "en", "hello? what about $200", 1).await, [p.follow_up("en").unwrap()]);
    let buyer_es = 600_000_002;
    assert!(p.replies["es"].greeting.contains(&step(&fake, buyer_es, "es", "Hola, ¿qué tal estás?", 1).await[0]));
    assert_eq!(step(&fake, buyer_es, "es", "¿Cuánto cobras por una hora?", 1).await, [p.deterrence("es").unwrap()]);

    // Help-seekers: the hotline at once, in their language; never a deterrence message.
    let seeker_en = 600_000_003;
    step(&fake, seeker_en, "en", "hi", 1).await;
    let r = step(&fake, seeker_en, "en", "how much... no. I'm not doing this by choice, can you get me out", 1).await;
    assert_eq!(r, [help("en").help]);
    assert!(r[0].contains("0800 000 000") && r[0].contains("999"));
    assert_eq!(step(&fake, seeker_en, "en", "how much for an hour?", 1).await, [help("en").follow_up]);
    step(&fake, seeker_en, "en", "$200?", 0).await;
    assert_eq!(step(&fake, seeker_en, "en", "please help me", 1).await, [help("en").help]);
    let seeker_es = 600_000_004;
    assert_eq!(
        step(&fake, seeker_es, "es", "no quiero estar aquí, ¿me puedes sacar de aquí? ayúdame", 1).await,
        [help("es").help]
    );

    // STOP: one acknowledgement, then silence whatever follows, until START.
    let stop_en = 600_000_005;
    step(&fake, stop_en, "en", "hi there", 1).await;
    let ack = step(&fake, stop_en, "en", "STOP", 1).await;
    assert!(ack[0].contains("START"), "{ack:?}");
    step(&fake, stop_en, "en", "how much for an hour?", 0).await;
    step(&fake, stop_en, "en", "stop", 0).await;
    step(&fake, stop_en, "en", "I'm not doing this by choice", 0).await;
    assert_eq!(step(&fake, stop_en, "en", "START", 1).await, [redflag_bot::messages::opt_in_text("en")]);
    assert_eq!(step(&fake, stop_en, "en", "how much for an hour?", 1).await, [p.deterrence("en").unwrap()]);
    let stop_es = 600_000_006;
    step(&fake, stop_es, "es", "Hola, ¿qué tal estás?", 1).await;
    let ack = step(&fake, stop_es, "es", "PARA", 1).await;
    assert!(ack[0].starts_with("No recibirás más mensajes"), "{ack:?}");
    step(&fake, stop_es, "es", "¿cuánto cobras?", 0).await;
    step(&fake, stop_es, "es", "START", 1).await;

    // Minor cues: the stronger message.
    let minor_en = 600_000_007;
    step(&fake, minor_en, "en", "hey", 1).await;
    assert_eq!(step(&fake, minor_en, "en", "how old are you?", 1).await, [p.deterrence_minor("en").unwrap()]);
    let minor_es = 600_000_008;
    step(&fake, minor_es, "es", "Hola, ¿qué tal estás?", 1).await;
    assert_eq!(step(&fake, minor_es, "es", "¿Cuántos años tienes?", 1).await, [p.deterrence_minor("es").unwrap()]);

    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();

    let sent = fake.sent();
    for seeker in [seeker_en, seeker_es] {
        assert!(
            sent.iter().filter(|m| m.chat_id == seeker).all(|m| !is_deterrence(&m.text)),
            "no deterrence to {seeker}"
        );
    }
    for buyer in [buyer_en, buyer_es, minor_en, minor_es] {
        assert_eq!(sent.iter().filter(|m| m.chat_id == buyer && is_deterrence(&m.text)).count(), 1, "once to {buyer}");
    }
    let stats = store.bot_stats(0).await.unwrap();
    let sum = |f: fn(&redflag_store::bot::StatsDelta) -> i64| stats.iter().map(|r| f(&r.counts)).sum::<i64>();
    assert_eq!(
        (sum(|c| c.deterrence), sum(|c| c.help_requests), sum(|c| c.opt_outs), sum(|c| c.minor_cues)),
        (5, 2, 2, 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_between_messages_keeps_the_conversation_and_the_opt_out() {
    let fake = FakeApi::start(TOKEN).await;
    let dir = std::env::temp_dir().join(format!("redflag_bot_restart_{}", std::process::id()));
    let open = || async { redflag_store::Store::open(&redflag_store::StoreOptions::data_dir(&dir)).await.unwrap() };
    let p = persona();
    let user = 600_000_101;

    // First run: greeting and small talk.
    let store = open().await;
    let (stop, bot) = start_bot(&fake, p.clone(), &store);
    assert!(p.replies["en"].greeting.contains(&step(&fake, user, "en", "/start city-escorts-0624", 1).await[0]));
    assert!(p.replies["en"].small_talk.contains(&step(&fake, user, "en", "hi, how is your day going?", 1).await[0]));
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();
    store.close().await;
    let before_restart = fake.sent().len();

    // Second run, a new process in all but name: nothing is answered twice, and the conversation goes on
    // where it was (a lost state would greet again).
    let store = open().await;
    let (stop, bot) = start_bot(&fake, p.clone(), &store);
    let r = step(&fake, user, "en", "good, and yours?", 1).await;
    assert!(p.replies["en"].small_talk.contains(&r[0]), "small talk, not a new greeting: {r:?}");
    assert_eq!(fake.sent().len(), before_restart + 1, "no update was handled twice");
    assert_eq!(step(&fake, user, "en", "ok. what are your rates?", 1).await, [p.deterrence("en").unwrap()]);
    step(&fake, user, "en", "STOP", 1).await;
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();
    let conv = &store.bot_conversations(1).await.unwrap()[0];
    assert_eq!((conv.decoy_ad.as_str(), conv.state.as_str(), conv.turns), ("city-escorts-0624", "deterrence_sent", 3));
    store.close().await;

    // Third run: the opt-out holds until START.
    let store = open().await;
    let (stop, bot) = start_bot(&fake, p.clone(), &store);
    step(&fake, user, "en", "hello?", 0).await;
    assert_eq!(step(&fake, user, "en", "START", 1).await, [redflag_bot::messages::opt_in_text("en")]);
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bots_own_messages_and_other_bots_never_get_a_reply() {
    let fake = FakeApi::start(TOKEN).await;
    let store = testkit::sqlite().await;
    let (stop, bot) = start_bot(&fake, persona(), &store);
    let chat = 600_000_201;
    // The bot's own account, another bot, and a person's message written by an inline bot.
    fake.push_private_from(chat, FakeApi::bot_user(), "how much for an hour?", &[]);
    let other_bot = serde_json::json!({"id": 700_000_002, "is_bot": true, "first_name": "Echo"});
    fake.push_private_from(chat, other_bot.clone(), "how much for an hour?", &[]);
    let person = serde_json::json!({"id": chat, "is_bot": false, "first_name": "Alex"});
    fake.push_private_from(chat, person, "how much for an hour?", &[("via_bot", other_bot)]);
    // A person's own message is answered, and it is the only answer.
    let r = step(&fake, chat, "en", "hi, how is your day going?", 1).await;
    assert!(persona().replies["en"].greeting.contains(&r[0]), "{r:?}");
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, bot).await.expect("the bot stops").unwrap().unwrap();
    assert_eq!(fake.sent().len(), 1, "{:?}", fake.sent());
    assert_eq!(store.bot_conversations(10).await.unwrap()[0].turns, 1);
}
