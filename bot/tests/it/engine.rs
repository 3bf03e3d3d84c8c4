//! The conversation engine without any channel: intent in five languages, small talk, the turn limit,
//! exactly one deterrence message, and no explicit word in any reply.

use redflag_bot::denylist::denied_word;
use redflag_bot::{Conversation, Detectors, Persona, ReplyKind, State};

use crate::persona;

/// Plays `messages` through a new conversation; returns every reply (kind, text), step by step, and
/// the conversation. Deliveries succeed.
fn play(p: &Persona, messages: &[&str]) -> (Vec<Vec<(ReplyKind, String)>>, Conversation) {
    let detector = Detectors::for_persona(p);
    let mut conv = Conversation::new("direct", 0);
    let mut steps = Vec::new();
    for m in messages {
        let out = conv.receive(p, &detector, m, None);
        for r in &out.replies {
            assert_eq!(denied_word(&r.text), None, "reply {:?} to {m:?}", r.text);
            if r.kind.is_deterrence() {
                assert!(conv.deterrence_delivered());
            }
        }
        // Evidence quotes point into the message as written.
        for d in &out.signals.detections {
            assert_eq!(&m[d.start..d.end], d.quote, "{m:?}");
        }
        steps.push(out.replies.into_iter().map(|r| (r.kind, r.text)).collect());
    }
    (steps, conv)
}

/// Checks that the conversation reaches the deterrence message at exactly the last message, in `lang`,
/// with `rules` as evidence.
fn check_intent(messages: &[&str], lang: &str, rules: &[&str]) {
    let p = persona();
    let (steps, conv) = play(&p, messages);
    let (last, before) = steps.split_last().unwrap();
    for (i, step) in before.iter().enumerate() {
        assert!(
            step.iter().all(|(k, _)| matches!(k, ReplyKind::Greeting | ReplyKind::SmallTalk)),
            "step {i}: {step:?}"
        );
    }
    assert_eq!(last.len(), 1, "{last:?}");
    assert_eq!(last[0].0, ReplyKind::Deterrence);
    assert_eq!(Some(last[0].1.as_str()), p.deterrence(lang), "deterrence in {lang}");
    assert_eq!(conv.state, State::DeterrenceSent);
    assert_eq!(conv.language.as_deref(), Some(lang));
    assert_eq!(conv.rules, rules);
}

#[test]
fn english_rate_question_with_a_duration_is_intent() {
    check_intent(&["Hi there, how are you doing?", "How much for an hour?"], "en", &["rates.en", "duration.en"]);
}

#[test]
fn english_money_amount_is_intent() {
    check_intent(&["hey, are you the one from the ad?", "would 200 dollars work for you"], "en", &["money"]);
}

#[test]
fn spanish_logistics_over_two_messages_is_intent() {
    check_intent(
        &["Hola, ¿qué tal estás?", "¿Estás libre esta noche?", "¿Dónde nos vemos? Puedo ir a tu casa"],
        "es",
        &["logistics.es"],
    );
}

#[test]
fn french_price_question_is_intent() {
    check_intent(
        &["Bonjour, ça va bien ?", "C'est combien pour une heure chez toi ?"],
        "fr",
        &["rates.fr", "duration.fr", "logistics.fr"],
    );
}

#[test]
fn portuguese_price_question_is_intent() {
    check_intent(
        &["Oi, tudo bem com você?", "Qual é o valor para uma hora? Você tem local?"],
        "pt",
        &["rates.pt", "duration.pt", "logistics.pt"],
    );
}

#[test]
fn indonesian_price_question_is_intent() {
    check_intent(&["Halo, apa kabar?", "Berapa harganya untuk satu jam?"], "id", &["rates.id", "duration.id"]);
}

#[test]
fn operator_slang_from_the_persona_file_counts() {
    check_intent(&["hi", "are you hosting? what's the damage"], "en", &["logistics.operator", "rates.operator"]);
}

#[test]
fn small_talk_never_triggers_and_the_turn_limit_closes() {
    let p = persona();
    let chat = [
        "Hi, how are you?",
        "I'm good thanks, just got off work",
        "What's your name?",
        "Nice weather today",
        "I like your profile",
        "Do you like living here?",
        "Haha ok",
        "Are you still there?",
        "Hello?",
    ];
    let (steps, conv) = play(&p, &chat);
    assert_eq!(steps[0].iter().map(|r| r.0).collect::<Vec<_>>(), [ReplyKind::Greeting]);
    for step in &steps[1..7] {
        assert_eq!(step.iter().map(|r| r.0).collect::<Vec<_>>(), [ReplyKind::SmallTalk]);
    }
    // Message 8 reaches max_turns: goodbye, and silence afterwards.
    assert_eq!(steps[7], [(ReplyKind::Closing, p.closing("en").unwrap().to_string())]);
    assert!(steps[8].is_empty());
    assert_eq!((conv.state, conv.score, conv.rules.len()), (State::Closed, 0, 0));
}

#[test]
fn small_talk_in_other_languages_scores_nothing() {
    let p = persona();
    for chat in [
        &["Hola, ¿qué tal?", "Bien, gracias. ¿Y tú qué haces hoy?", "Me gusta mucho esta ciudad"][..],
        &["Salut, ça va ?", "Je suis nouveau ici, tu habites dans le coin ?"],
        &["Oi, tudo bem?", "Eu gosto de música, e você?"],
        &["Halo, apa kabar?", "Saya baru pindah ke kota ini"],
    ] {
        let (steps, conv) = play(&p, chat);
        assert!(
            steps.iter().flatten().all(|(k, _)| matches!(k, ReplyKind::Greeting | ReplyKind::SmallTalk)),
            "{chat:?}"
        );
        assert_eq!(conv.score, 0, "{chat:?}: {:?}", conv.rules);
    }
}

#[test]
fn replies_follow_the_conversation_language() {
    let p = persona();
    let (steps, conv) = play(&p, &["Hola, ¿qué tal estás?", "Muy bien, gracias por contestar tan rápido"]);
    assert_eq!(conv.language.as_deref(), Some("es"));
    assert!(p.replies["es"].greeting.contains(&steps[0][0].1), "{:?}", steps[0]);
    assert!(p.replies["es"].small_talk.contains(&steps[1][0].1), "{:?}", steps[1]);
}

#[test]
fn a_language_without_replies_falls_back_to_english() {
    let p = persona();
    let (steps, conv) = play(&p, &["Hallo, wie geht es dir heute? Ich bin neu in der Stadt und suche Gesellschaft."]);
    assert_eq!(conv.language.as_deref(), Some("de"));
    assert!(p.replies["en"].greeting.contains(&steps[0][0].1));
}

#[test]
fn deterrence_is_sent_exactly_once() {
    let p = persona();
    let (steps, conv) = play(
        &p,
        &[
            "how much?",
            "hello?? how much for an hour",
            "$300 for the night, where are you",
            "answer me",
            "what is your rate",
        ],
    );
    let kinds: Vec<Vec<ReplyKind>> = steps.iter().map(|s| s.iter().map(|r| r.0).collect()).collect();
    assert_eq!(kinds, [vec![ReplyKind::Deterrence], vec![ReplyKind::FollowUp], vec![], vec![], vec![]]);
    assert_eq!(conv.state, State::Closed);
}

#[test]
fn an_undelivered_deterrence_is_retried_once_then_never_again() {
    let p = persona();
    let d = Detectors::default();
    let mut conv = Conversation::new("direct", 3);
    let first = conv.receive(&p, &d, "what are your rates", None);
    assert!(first.has_deterrence() && first.events.intent);
    // The channel failed: no confirmation, the message stays due.
    assert_eq!(conv.state, State::IntentDetected);
    let again = conv.receive(&p, &d, "hello?", None);
    assert!(again.has_deterrence());
    assert!(!again.events.intent, "intent is counted once");
    assert!(conv.deterrence_delivered());
    assert!(!conv.deterrence_delivered(), "nothing left to confirm");
    let after: Vec<ReplyKind> = conv.receive(&p, &d, "rates??", None).replies.iter().map(|r| r.kind).collect();
    assert_eq!(after, [ReplyKind::FollowUp]);
}

#[test]
fn start_greets_once_in_the_app_language() {
    let p = persona();
    let d = Detectors::default();
    let mut conv = Conversation::new("city-escorts-0624", 1);
    let out = conv.start(&p, Some("pt-BR"));
    assert!(out.events.started);
    assert_eq!(out.replies[0].text, p.greeting("pt", 1).unwrap());
    assert!(conv.start(&p, Some("pt-BR")).replies.is_empty(), "a second /start says nothing");
    let next = conv.receive(&p, &d, "ok", None);
    assert_eq!(next.replies[0].kind, ReplyKind::SmallTalk);
    assert!(!next.events.started);
}

#[test]
fn every_reply_of_the_shipped_personas_passes_the_deny_list() {
    let p = persona();
    assert!(p.all_texts().len() >= 5 * 10 + 2 * 5 * 3, "all five languages and both help countries are filled in");
    for (key, text) in p.all_texts() {
        assert_eq!(denied_word(text), None, "{key}");
        assert!(!text.contains('{'), "{key}: placeholder left");
    }
}
