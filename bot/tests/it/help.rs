//! The help-seeker path and the minor cues in the engine, without any channel: requests for help in
//! five languages get the hotline in their language and never a deterrence message, help wins over
//! buyer signals, buyers' look-alike messages do not get hotlines, negations are respected, and minor
//! cues bring the stronger message.

use redflag_bot::denylist::denied_word;
use redflag_bot::{Conversation, Detectors, HelpDetector, Persona, ReplyKind, State};

use crate::persona;

/// Plays `messages` through a new conversation for decoy ad `ad`; returns the replies of each step.
fn play_on(p: &Persona, ad: &str, messages: &[&str]) -> (Vec<Vec<(ReplyKind, String)>>, Conversation) {
    let d = Detectors::for_persona(p);
    let mut conv = Conversation::new(ad, 0);
    let mut steps = Vec::new();
    for m in messages {
        let out = conv.receive(p, &d, m, None);
        for r in &out.replies {
            assert_eq!(denied_word(&r.text), None, "reply {:?} to {m:?}", r.text);
            if r.kind.is_deterrence() {
                conv.deterrence_delivered();
            }
        }
        for h in &out.help {
            assert_eq!(&m[h.start..h.end], h.quote, "{m:?}");
        }
        steps.push(out.replies.into_iter().map(|r| (r.kind, r.text)).collect());
    }
    (steps, conv)
}

fn play(p: &Persona, messages: &[&str]) -> (Vec<Vec<(ReplyKind, String)>>, Conversation) {
    play_on(p, "direct", messages)
}

/// Checks that `message`, after `before`, gets exactly the help message in `lang` with the hotline of
/// the decoy ad's country, and that the conversation is marked.
fn check_help(before: &[&str], message: &str, lang: &str) {
    let p = persona();
    let mut all = before.to_vec();
    all.push(message);
    let (steps, conv) = play(&p, &all);
    let last = steps.last().unwrap();
    let expected = &p.help_texts("direct", lang).unwrap().help;
    assert_eq!(last, &[(ReplyKind::Help, expected.clone())], "{message:?}");
    assert!(expected.contains("0800 000 000") && expected.contains("999"), "{expected}");
    assert_eq!(conv.state, State::HelpOffered);
    assert!(conv.help, "marked");
    assert!(conv.rules.iter().any(|r| r.starts_with("help.")), "{:?}", conv.rules);
}

#[test]
fn requests_for_help_get_the_hotline_in_their_language() {
    for (message, lang) in [
        ("I'm not doing this by choice", "en"),
        ("can you get me out", "en"),
        ("please help me, they took my passport", "en"),
        ("I want to go home but I owe them money", "en"),
        ("they don't pay me and they watch me all the time", "en"),
        ("HELP", "en"),
        ("no quiero estar aquí", "es"),
        ("Por favor ayúdame, me quitaron el pasaporte", "es"),
        ("me obligan a hacer esto y no me dejan salir", "es"),
        ("je veux partir", "fr"),
        ("Aidez-moi, je n'ai pas le choix", "fr"),
        ("me ajuda", "pt"),
        ("Quero ir embora, não me deixam sair", "pt"),
        ("tolong saya", "id"),
        ("Saya dipaksa, paspor saya ditahan", "id"),
        ("I'm 16 years old", "en"),
        ("soy menor de edad", "es"),
    ] {
        check_help(&[], message, lang);
        check_help(&["hi, how are you?"], message, lang);
    }
}

#[test]
fn help_wins_over_buyer_signals_in_the_same_message() {
    for (message, lang) in [
        ("how much? please help me, I want to leave", "en"),
        ("$200 is what they charge but I don't get paid, get me out", "en"),
        ("¿cuánto cobras? es que no me pagan y quiero irme", "es"),
        ("c'est combien... non, aidez-moi", "fr"),
    ] {
        check_help(&[], message, lang);
    }
}

#[test]
fn help_is_offered_in_any_state_and_never_with_deterrence() {
    // After the deterrence message, and after the conversation closed.
    check_help(&["how much for an hour?"], "I want to go home, can you get me out", "en");
    check_help(&["how much for an hour?", "ok bye"], "ayúdame por favor", "es");
}

#[test]
fn after_the_help_message_one_short_follow_up_then_silence() {
    let p = persona();
    let (steps, conv) = play(&p, &["tolong saya", "halo?", "berapa harganya?", "???"]);
    assert_eq!(steps[0][0].0, ReplyKind::Help);
    assert_eq!(steps[1].iter().map(|r| r.0).collect::<Vec<_>>(), [ReplyKind::HelpFollowUp]);
    assert!(steps[1][0].1.contains("0800 000 000"));
    assert!(steps[2].is_empty() && steps[3].is_empty(), "no deterrence, no persona: {steps:?}");
    assert_eq!(conv.state, State::Closed);
    // A new request for help gets the help message again.
    let (steps, _) = play(&p, &["tolong saya", "halo?", "tolong bantu saya"]);
    assert_eq!(steps[2][0].0, ReplyKind::Help);
}

#[test]
fn the_hotline_is_the_one_of_the_decoy_ads_country() {
    let p = persona();
    let (steps, _) = play_on(&p, "city-massage-0624", &["can you get me out"]);
    assert!(steps[0][0].1.contains("1800 000 000") && steps[0][0].1.contains("112"), "{:?}", steps[0]);
    let (steps, _) = play_on(&p, "city-escorts-0624", &["can you get me out"]);
    assert!(steps[0][0].1.contains("0800 000 000") && steps[0][0].1.contains("999"), "{:?}", steps[0]);
    // The safe options of the language are added where the operator wrote them.
    assert!(steps[0][0].1.ends_with("text the helpline instead."), "{:?}", steps[0]);
}

#[test]
fn buyers_look_alike_messages_do_not_get_the_hotline() {
    let h = HelpDetector::new();
    for text in [
        "can you help me relax after work?",
        "I need to leave by 11, how much for an hour",
        "I want to leave early tomorrow, are you free tonight?",
        "are you a cop?",
        "no police, ok?",
        "don't call the police lol",
        "I don't need help, just company",
        "my boss doesn't pay me enough for this haha",
        "I'm 15 minutes away",
        "I can show you my passport if you want",
        "I need help relaxing after a long week, are you free?",
        "can you save me a spot tonight?",
        "ok you sold me, how much?",
        "I need to get out of the house tonight, where are you?",
        "¿me ayudas a relajarme?",
        "¿eres policía?",
        "no necesito ayuda, ¿cuánto cobras?",
        "tengo que irme a las 11",
        "je dois partir à 23h, c'est combien ?",
        "tu m'aides à me détendre ?",
        "você me ajuda a relaxar?",
        "não preciso de ajuda, quanto custa?",
        "tolong kirim lokasinya",
        "saya tidak butuh bantuan, berapa harganya?",
        "jangan lapor polisi ya",
        "what's your name? I'm new in town",
        "Hola, ¿qué tal tu día?",
    ] {
        assert_eq!(h.detect(text), [], "{text:?}");
    }
}

#[test]
fn negations_cancel_only_what_they_negate() {
    let h = HelpDetector::new();
    assert!(h.detect("I don't need help").is_empty());
    assert!(!h.detect("I don't know what to do, I need help").is_empty());
    assert!(!h.detect("No, please help me").is_empty());
    assert!(!h.detect("no please help me").is_empty(), "a plea is never negated");
    assert!(!h.detect("I can't leave").is_empty(), "can't is not a negation of a request");
    assert!(!h.detect("I can't call the police").is_empty());
    assert!(h.detect("no necesito ayuda").is_empty());
    assert!(!h.detect("no, necesito ayuda").is_empty());
    assert!(h.detect("saya tidak dipaksa").is_empty());
}

#[test]
fn evidence_names_the_rule_and_quotes_the_words() {
    let found = HelpDetector::new().detect("hi. I'm not doing this by choice, they took my passport");
    let got: Vec<(&str, &str, &str)> = found.iter().map(|d| (d.rule.as_str(), d.language, d.quote.as_str())).collect();
    assert_eq!(
        got,
        [("help.coercion.en", "en", "not doing this by choice"), ("help.documents.en", "en", "took my passport")]
    );
}

#[test]
fn a_minor_cue_brings_the_stronger_message_at_once() {
    let p = persona();
    for (messages, lang) in [
        (&["hi there", "how old are you?"][..], "en"),
        (&["Hola, ¿qué tal estás?", "¿Cuántos años tienes?"][..], "es"),
        (&["Bonjour, ça va bien ?", "Dis-moi, tu as quel âge ? Je suis curieux."][..], "fr"),
        (&["Oi, tudo bem com você?", "Você é novinha?"][..], "pt"),
        (&["Halo, apa kabar?", "Berapa umurmu sekarang?"][..], "id"),
    ] {
        let (steps, conv) = play(&p, messages);
        let last = steps.last().unwrap();
        assert_eq!(last.len(), 1, "{messages:?}: {last:?}");
        assert_eq!(last[0].0, ReplyKind::MinorDeterrence, "{messages:?}");
        assert_eq!(Some(last[0].1.as_str()), p.deterrence_minor(lang), "{messages:?} in {lang}");
        assert!(conv.minor && conv.state == State::DeterrenceSent, "{messages:?}: {conv:?}");
        assert!(conv.rules.iter().any(|r| r.starts_with("minor.")), "{:?}", conv.rules);
    }
}

#[test]
fn a_minor_cue_after_the_deterrence_message_brings_the_stronger_one_once() {
    let p = persona();
    let (steps, conv) = play(&p, &["how much for an hour?", "are you a teen?", "how old are you"]);
    let kinds: Vec<Vec<ReplyKind>> = steps.iter().map(|s| s.iter().map(|r| r.0).collect()).collect();
    assert_eq!(kinds, [vec![ReplyKind::Deterrence], vec![ReplyKind::MinorDeterrence], vec![]]);
    assert!(conv.minor);
}

#[test]
fn a_negated_minor_cue_is_no_cue() {
    let p = persona();
    let (steps, conv) = play(&p, &["hi", "no minors ok"]);
    assert!(!conv.minor, "{:?}", conv.rules);
    assert!(steps.iter().flatten().all(|(k, _)| !k.is_deterrence()));
}
