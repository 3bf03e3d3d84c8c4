//! The safety paths through the service, on SQLite and PostgreSQL: STOP and START, the HELP keyword,
//! requests for help marked and counted without text, minor cues flagged, per-chat limits, the echo
//! guard, and the deny-list applied to every message the bot sends.

use redflag_bot::messages::{self, Msg};
use redflag_bot::{Handled, Ignored, Incoming, Persona, State};
use redflag_store::bot::StatsDelta;
use redflag_store::testkit;

use crate::{Recorder, persona, persona_with, repo_file, service};

fn msg<'a>(chat: &'a str, text: &'a str) -> Incoming<'a> {
    Incoming { chat_id: chat, text, language_hint: None, decoy_ad: None }
}

async fn totals(s: &redflag_store::Store) -> StatsDelta {
    let mut t = StatsDelta::default();
    for r in s.bot_stats(0).await.unwrap() {
        t += &r.counts;
    }
    t
}

#[tokio::test]
async fn stop_is_acknowledged_once_then_silence_until_start() {
    for s in testkit::all().await {
        let p = persona();
        let svc = service(p.clone(), &s);
        let ch = Recorder::default();
        let stops = [
            "STOP",
            "stop",
            "Stop.",
            "/stop",
            "unsubscribe",
            "STOPALL",
            "cancel",
            "end",
            "quit",
            "para",
            "pare",
            "arrête",
            "arrete",
            "berhenti",
        ];
        for (i, stop) in stops.iter().enumerate() {
            let chat = format!("stop-{i}");
            svc.handle(&ch, &msg(&chat, "hi, how are you today?")).await.unwrap();
            ch.take();
            let h = svc.handle(&ch, &msg(&chat, stop)).await.unwrap();
            assert_eq!(h, Handled::OptOut { acknowledged: true }, "{}: {stop:?}", s.label);
            let ack = ch.take();
            assert_eq!(ack.len(), 1, "{stop:?}: {ack:?}");
            assert!(ack[0].contains("START") && ack[0].contains("0800 000 000"), "{stop:?}: {ack:?}");
            for after in ["how much for an hour?", "STOP", "stop", "hello??", "please help me", "HELP", "$200"] {
                let h = svc.handle(&ch, &msg(&chat, after)).await.unwrap();
                assert_eq!(h, Handled::Ignored { reason: Ignored::OptedOut }, "{stop:?} then {after:?}");
            }
            assert_eq!(ch.take(), Vec::<String>::new(), "silence after {stop:?}");
        }
        // The acknowledgement speaks the conversation's or the keyword's language.
        svc.handle(&ch, &msg("es-1", "Hola, ¿qué tal estás? Te escribo por el anuncio")).await.unwrap();
        ch.take();
        svc.handle(&ch, &msg("es-1", "PARA")).await.unwrap();
        assert!(ch.take()[0].starts_with("No recibirás más mensajes"));
        svc.handle(&ch, &msg("fr-1", "arrête")).await.unwrap();
        assert!(ch.take()[0].starts_with("Vous ne recevrez plus"));

        // START resumes: one acknowledgement, then the conversation goes on where it was.
        let chat = "stop-0";
        let h = svc.handle(&ch, &msg(chat, "START")).await.unwrap();
        assert_eq!(h, Handled::OptIn { acknowledged: true });
        assert_eq!(ch.take(), [messages::opt_in_text("en")]);
        let h = svc.handle(&ch, &msg(chat, "how much for an hour?")).await.unwrap();
        assert_eq!(h, Handled::Conversation { state: State::DeterrenceSent, replies: 1, deterrence: true });
        assert_eq!(ch.take(), [p.deterrence("en").unwrap()]);
        // START when not opted out is just a message.
        let h = svc.handle(&ch, &msg("fresh", "start")).await.unwrap();
        assert!(matches!(h, Handled::Conversation { .. }), "{h:?}");

        let t = totals(&s).await;
        assert_eq!(t.opt_outs, stops.len() as i64 + 2, "{}: a repeated STOP is not counted", s.label);
    }
}

#[tokio::test]
async fn an_opt_out_survives_a_restart() {
    for s in testkit::all().await {
        let ch = Recorder::default();
        {
            let svc = service(persona(), &s);
            svc.handle(&ch, &msg("7", "hello there")).await.unwrap();
            svc.handle(&ch, &msg("7", "unsubscribe")).await.unwrap();
        }
        ch.take();
        let svc = service(persona(), &s);
        let h = svc.handle(&ch, &msg("7", "how much for an hour?")).await.unwrap();
        assert_eq!(h, Handled::Ignored { reason: Ignored::OptedOut }, "{}", s.label);
        // Telegram's /start with a deep link also opts in again.
        let h = svc.handle(&ch, &msg("7", "/start city-escorts-0624")).await.unwrap();
        assert_eq!(h, Handled::OptIn { acknowledged: true });
        assert_eq!(ch.take().len(), 1);
    }
}

#[tokio::test]
async fn requests_for_help_are_marked_and_counted_without_their_text() {
    for s in testkit::all().await {
        let p = persona();
        let svc = service(p.clone(), &s);
        let ch = Recorder::default();
        svc.handle(&ch, &msg("w1", "hi")).await.unwrap();
        ch.take();
        let h =
            svc.handle(&ch, &msg("w1", "how much... I'm not doing this by choice, can you get me out")).await.unwrap();
        assert_eq!(h, Handled::Conversation { state: State::HelpOffered, replies: 1, deterrence: false });
        assert_eq!(ch.take(), [p.help_texts("direct", "en").unwrap().help.clone()]);
        // One follow-up, then silence; the counter counts the conversation once.
        svc.handle(&ch, &msg("w1", "please help me")).await.unwrap();
        svc.handle(&ch, &msg("w1", "hello?")).await.unwrap();
        let sent = ch.take();
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(sent[0], p.help_texts("direct", "en").unwrap().help);
        assert_eq!(sent[1], p.help_texts("direct", "en").unwrap().follow_up);

        // The HELP keyword, in Spanish, gets the Spanish help message in a new conversation.
        svc.handle(&ch, &msg("w2", "AYUDA")).await.unwrap();
        assert_eq!(ch.take(), [p.help_texts("direct", "es").unwrap().help.clone()]);

        let convs = s.bot_conversations(10).await.unwrap();
        let w1 = convs.iter().find(|c| c.chat_hash == svc.chat_key("test", "w1").as_str()).unwrap();
        assert!(w1.help_at.is_some() && w1.deterrence_at.is_none() && w1.intent_at.is_none(), "{w1:?}");
        assert!(w1.intent_rules.contains(&"help.coercion.en".to_string()), "{:?}", w1.intent_rules);
        let t = totals(&s).await;
        assert_eq!((t.help_requests, t.deterrence, t.intent), (2, 0, 0), "{}", s.label);
        let mut stored = serde_json::to_string(&convs).unwrap();
        for c in &convs {
            stored.push_str(&serde_json::to_string(&s.bot_transcript(c.id).await.unwrap()).unwrap());
        }
        for secret in ["choice", "get me out", "AYUDA", "w1"] {
            assert!(!stored.contains(secret), "{secret:?} stored: {stored}");
        }
    }
}

#[tokio::test]
async fn minor_cues_flag_the_conversation_and_bring_the_stronger_message() {
    for s in testkit::all().await {
        let p = persona();
        let svc = service(p.clone(), &s);
        let ch = Recorder::default();
        svc.handle(&ch, &msg("b1", "hey, saw your ad")).await.unwrap();
        ch.take();
        let h = svc.handle(&ch, &msg("b1", "how old are you?")).await.unwrap();
        assert_eq!(h, Handled::Conversation { state: State::DeterrenceSent, replies: 1, deterrence: true });
        assert_eq!(ch.take(), [p.deterrence_minor("en").unwrap()]);
        let c = &s.bot_conversations(1).await.unwrap()[0];
        assert!(c.minor_at.is_some() && c.deterrence_at.is_some(), "{c:?}");
        let t = totals(&s).await;
        assert_eq!((t.minor_cues, t.intent, t.deterrence), (1, 1, 1), "{}", s.label);
    }
}

#[tokio::test]
async fn over_the_limit_messages_are_dropped_but_stop_and_help_get_through() {
    let s = testkit::sqlite().await;
    let p = persona_with(&[("messages_per_minute = 10", "messages_per_minute = 3")]);
    let svc = service(p.clone(), &s);
    let ch = Recorder::default();
    for text in ["hi", "how are you", "nice weather"] {
        let h = svc.handle(&ch, &msg("r1", text)).await.unwrap();
        assert!(matches!(h, Handled::Conversation { replies: 1, .. }), "{h:?}");
    }
    ch.take();
    let h = svc.handle(&ch, &msg("r1", "how much for an hour?")).await.unwrap();
    assert_eq!(h, Handled::Ignored { reason: Ignored::OverLimit });
    assert!(ch.take().is_empty());
    // Another chat is not affected.
    assert!(matches!(svc.handle(&ch, &msg("r2", "hi")).await.unwrap(), Handled::Conversation { .. }));
    ch.take();
    // A request for help gets through, once a minute.
    let h = svc.handle(&ch, &msg("r1", "please help me")).await.unwrap();
    assert_eq!(h, Handled::Conversation { state: State::HelpOffered, replies: 1, deterrence: false });
    assert_eq!(ch.take(), [p.help_texts("direct", "en").unwrap().help.clone()]);
    let h = svc.handle(&ch, &msg("r1", "please help me")).await.unwrap();
    assert_eq!(h, Handled::Ignored { reason: Ignored::OverLimit });
    // STOP always does.
    assert_eq!(svc.handle(&ch, &msg("r1", "STOP")).await.unwrap(), Handled::OptOut { acknowledged: true });
}

#[tokio::test]
async fn long_messages_are_read_up_to_the_limit() {
    let s = testkit::sqlite().await;
    let p = persona_with(&[
        ("max_message_chars = 2000", "max_message_chars = 100"),
        ("transcripts = false", "transcripts = true"),
    ]);
    let svc = service(p, &s);
    let ch = Recorder::default();
    let long = format!("{} how much for an hour?", "la ".repeat(50));
    let h = svc.handle(&ch, &msg("l1", &long)).await.unwrap();
    assert!(matches!(h, Handled::Conversation { state: State::SmallTalk, deterrence: false, .. }), "{h:?}");
    let c = &s.bot_conversations(1).await.unwrap()[0];
    let lines = s.bot_transcript(c.id).await.unwrap();
    assert_eq!(lines[0].body.chars().count(), 100, "only what was read is kept");
}

#[tokio::test]
async fn the_bots_own_words_coming_back_get_no_reply() {
    let s = testkit::sqlite().await;
    let svc = service(persona(), &s);
    let ch = Recorder::default();
    svc.handle(&ch, &msg("e1", "hi")).await.unwrap();
    let greeting = ch.take().remove(0);
    let h = svc.handle(&ch, &msg("e1", &greeting)).await.unwrap();
    assert_eq!(h, Handled::Ignored { reason: Ignored::Echo });
    assert!(ch.take().is_empty());
    assert_eq!(s.bot_conversations(1).await.unwrap()[0].turns, 1, "the echo was not a turn");
}

#[tokio::test]
async fn a_denied_word_is_never_sent_even_if_it_reaches_a_reply() {
    let s = testkit::sqlite().await;
    // The file is checked at load; simulate a reply that escaped that check.
    let mut p: Persona = persona();
    p.replies.get_mut("en").unwrap().greeting = vec!["Want some selfies?".into()];
    let svc = service(p, &s);
    let ch = Recorder::default();
    let h = svc.handle(&ch, &msg("d1", "hello there")).await.unwrap();
    assert_eq!(h, Handled::Conversation { state: State::SmallTalk, replies: 0, deterrence: false });
    assert!(ch.take().is_empty());
}

#[tokio::test]
async fn the_job_check_bot_gives_the_hotline_and_answers_requests_for_help() {
    let s = testkit::sqlite().await;
    let p = Persona::load(&repo_file("config/bot/jobcheck.example.toml")).unwrap();
    let line = p.help_line(&p.default_decoy_ad).unwrap().clone();
    let svc = service(p.clone(), &s);
    let ch = Recorder::default();
    svc.handle(&ch, &msg("c1", "/help")).await.unwrap();
    assert_eq!(ch.take(), [format!("{}\n{}", Msg::CheckHelp.text("en"), messages::check_hotline_text("en", &line))]);
    let h = svc.handle(&ch, &msg("c1", "they took my passport and I want to go home, please help")).await.unwrap();
    assert_eq!(h, Handled::Help);
    assert_eq!(ch.take(), [p.help_texts(&p.default_decoy_ad, "en").unwrap().help.clone()]);
    let ad = "Hostess in Dubai\nVisa fee $300 paid before departure, deducted from your salary. WhatsApp only.";
    svc.handle(&ch, &msg("c1", ad)).await.unwrap();
    let report = ch.take().join("\n");
    assert!(report.ends_with(&messages::check_hotline_text("en", &line)), "{report}");
    assert_eq!(svc.handle(&ch, &msg("c1", "STOP")).await.unwrap(), Handled::OptOut { acknowledged: true });
    assert_eq!(svc.handle(&ch, &msg("c1", ad)).await.unwrap(), Handled::Ignored { reason: Ignored::OptedOut });
    let t = totals(&s).await;
    assert_eq!((t.help_requests, t.checks, t.opt_outs), (1, 1, 1));
    assert!(s.bot_conversations(10).await.unwrap().is_empty(), "a check bot keeps no conversation");
}
