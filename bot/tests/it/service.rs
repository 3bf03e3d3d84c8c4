//! Routing in the service: the job-check bot, `/check` in a decoy, and long reports split for the
//! channel. Nothing pasted for a check is stored.

use redflag_bot::messages::Msg;
use redflag_bot::{Handled, Incoming, State};
use redflag_core::Verdict;
use redflag_store::testkit;

use crate::{Recorder, persona, persona_with, repo_file, service};

const SPANISH_AD: &str =
    "Trabajo en España\nDebe pagar una cuota de inscripción de 200 dólares. Contacto solo por WhatsApp. Urgente.";

fn msg<'a>(text: &'a str, hint: Option<&'a str>) -> Incoming<'a> {
    Incoming { chat_id: "31337", text, language_hint: hint, decoy_ad: None }
}

#[tokio::test]
async fn the_job_check_bot_answers_every_message_in_the_users_language() {
    let s = testkit::sqlite().await;
    let p = redflag_bot::Persona::load(&repo_file("config/bot/jobcheck.example.toml")).unwrap();
    let svc = service(p, &s);
    let ch = Recorder::default();
    assert_eq!(svc.handle(&ch, &msg("/start", Some("fr"))).await.unwrap(), Handled::Help);
    let help = ch.take();
    assert!(help[0].starts_with(Msg::CheckHelp.text("fr")) && help[0].contains("0800 000 000"), "{help:?}");
    let h = svc.handle(&ch, &msg("hola", Some("es"))).await.unwrap();
    assert_eq!(h, Handled::Check { verdict: None, messages: 1 });
    assert_eq!(ch.take(), [Msg::CheckTooShort.text("es")]);
    let h = svc.handle(&ch, &msg(SPANISH_AD, None)).await.unwrap();
    assert!(matches!(h, Handled::Check { verdict: Some(v), .. } if v != Verdict::LikelyLegitimate), "{h:?}");
    let report = ch.take().join("\n");
    assert!(report.contains("Señales de alerta") && report.contains(Msg::CheckFooter.text("es")), "{report}");
    assert!(report.ends_with("llama al 999."), "the hotline closes the report: {report}");
    assert!(s.bot_conversations(10).await.unwrap().is_empty(), "a check is not a conversation");
    let stats = s.bot_stats(0).await.unwrap();
    assert_eq!((stats.len(), stats[0].decoy_ad.as_str(), stats[0].counts.checks), (1, "-", 1));
}

#[tokio::test]
async fn a_bare_check_in_a_decoy_takes_the_next_message_as_the_ad() {
    let s = testkit::sqlite().await;
    let svc = service(persona_with(&[("job_check = false", "job_check = true")]), &s);
    let ch = Recorder::default();
    assert_eq!(svc.handle(&ch, &msg("/check", Some("es"))).await.unwrap(), Handled::Help);
    assert_eq!(ch.take(), [Msg::CheckPrompt.text("es")]);
    let h = svc.handle(&ch, &msg(SPANISH_AD, Some("es"))).await.unwrap();
    assert!(matches!(h, Handled::Check { verdict: Some(_), .. }), "{h:?}");
    ch.take();
    // The message after the check is conversation again.
    let h = svc.handle(&ch, &msg("Hola, ¿qué tal estás hoy?", Some("es"))).await.unwrap();
    assert_eq!(h, Handled::Conversation { state: State::SmallTalk, replies: 1, deterrence: false });
    assert!(persona().replies["es"].greeting.contains(&ch.take()[0]));
}

#[tokio::test]
async fn a_decoy_without_job_check_treats_check_as_conversation() {
    let s = testkit::sqlite().await;
    let svc = service(persona(), &s);
    let ch = Recorder::default();
    let h = svc.handle(&ch, &msg("/check what are your rates", None)).await.unwrap();
    assert_eq!(h, Handled::Conversation { state: State::DeterrenceSent, replies: 1, deterrence: true });
    assert_eq!(ch.take(), [persona().deterrence("en").unwrap()]);
}

#[tokio::test]
async fn long_reports_are_split_for_the_channel_and_nothing_is_lost() {
    let s = testkit::sqlite().await;
    let p = redflag_bot::Persona::load(&repo_file("config/bot/jobcheck.example.toml")).unwrap();
    let svc = service(p, &s);
    let ch = Recorder { max_units: 200, ..Recorder::default() };
    let h = svc.handle(&ch, &msg(SPANISH_AD, None)).await.unwrap();
    let Handled::Check { messages, .. } = h else { panic!("{h:?}") };
    let parts = ch.take();
    assert!(messages > 1 && parts.len() == messages, "{parts:?}");
    let joined: String = parts.concat().split_whitespace().collect();
    for needle in ["Señalesdealerta", "\"cuotadeinscripción\"", "Nosehaguardadonada"] {
        assert!(joined.contains(needle), "{needle} in {joined}");
    }
}
