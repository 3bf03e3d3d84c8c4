//! The bot's records on SQLite and PostgreSQL: hashed chat keys only, counters by day, persona and
//! decoy ad, transcripts only when enabled, and the retention purge.

use redflag_bot::{ChatHasher, Handled, Incoming, State};
use redflag_store::bot::{
    BotTurn, ConversationKey, DAY_MS, Direction, SaveConversation, StatsDelta, check_chat_hash, day_start,
};
use redflag_store::testkit;

use crate::{Recorder, SECRET, persona, persona_with, service};

fn key_of(id: &str) -> String {
    ChatHasher::new(SECRET).unwrap().key("test", id).as_str().to_string()
}

fn save<'a>(hash: &'a str, decoy: &'a str, state: &'a str, at: i64) -> SaveConversation<'a> {
    SaveConversation {
        key: ConversationKey { channel: "test", chat_hash: hash, persona: "p1" },
        decoy_ad: decoy,
        language: Some("en"),
        state,
        turns: 1,
        intent_score: 0,
        intent_rules: &[],
        intent_at: None,
        deterrence_at: None,
        help_at: None,
        minor_at: None,
        at,
    }
}

#[tokio::test]
async fn raw_ids_are_refused_and_hashed_ones_round_trip() {
    for s in testkit::all().await {
        let raw = "123456789";
        let e = s
            .record_bot_turn(&BotTurn {
                conversation: save(raw, "direct", "new", 1),
                transcript: &[],
                stats: StatsDelta::default(),
            })
            .await;
        assert!(e.unwrap_err().to_string().contains("chat hash"), "{}", s.label);
        let hash = key_of(raw);
        let rules = vec!["rates.en".to_string(), "money".to_string()];
        let mut c = save(&hash, "ad-1", "deterrence_sent", 5_000);
        c.intent_rules = &rules;
        c.intent_score = 4;
        c.intent_at = Some(4_000);
        c.deterrence_at = Some(5_000);
        let id = s
            .record_bot_turn(&BotTurn { conversation: c, transcript: &[], stats: StatsDelta::default() })
            .await
            .unwrap();
        let got = s.bot_conversation(c.key).await.unwrap().expect("stored");
        assert_eq!(got.id, id);
        assert_eq!(
            (got.state.as_str(), got.intent_rules.clone(), got.intent_score, got.intent_at, got.deterrence_at),
            ("deterrence_sent", rules.clone(), 4, Some(4_000), Some(5_000)),
            "{}",
            s.label
        );
        assert!(check_chat_hash(&got.chat_hash).is_ok());
        // Saving again updates the same row.
        let again = s
            .record_bot_turn(&BotTurn {
                conversation: save(&hash, "ad-1", "closed", 6_000),
                transcript: &[],
                stats: StatsDelta::default(),
            })
            .await
            .unwrap();
        assert_eq!(again, id);
        assert_eq!(s.bot_conversation(c.key).await.unwrap().unwrap().state, "closed");
        assert_eq!(s.bot_conversations(10).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn counters_add_up_by_day_persona_and_decoy_ad() {
    for s in testkit::all().await {
        let day1 = 20_000 * DAY_MS + 3_600_000;
        let day2 = day1 + DAY_MS;
        let one = |f: fn(&mut StatsDelta)| {
            let mut d = StatsDelta::default();
            f(&mut d);
            d
        };
        for (at, decoy, d) in [
            (day1, "ad-1", one(|d| d.conversations = 1)),
            (day1 + 60_000, "ad-1", one(|d| d.conversations = 1)),
            (
                day1 + 120_000,
                "ad-1",
                one(|d| {
                    d.intent = 1;
                    d.deterrence = 1;
                }),
            ),
            (day1, "ad-2", one(|d| d.conversations = 1)),
            (day2, "ad-1", one(|d| d.closed_without_intent = 1)),
            (day2, "-", one(|d| d.checks = 1)),
        ] {
            s.add_bot_stats(at, "test", "p1", decoy, &d).await.unwrap();
        }
        let rows = s.bot_stats(0).await.unwrap();
        let flat: Vec<(i64, &str, i64, i64, i64, i64, i64)> = rows
            .iter()
            .map(|r| {
                let c = r.counts;
                (r.day, r.decoy_ad.as_str(), c.conversations, c.intent, c.deterrence, c.closed_without_intent, c.checks)
            })
            .collect();
        let (d1, d2) = (day_start(day1), day_start(day2));
        assert_eq!(
            flat,
            [
                (d1, "ad-1", 2, 1, 1, 0, 0),
                (d1, "ad-2", 1, 0, 0, 0, 0),
                (d2, "-", 0, 0, 0, 0, 1),
                (d2, "ad-1", 0, 0, 0, 1, 0)
            ],
            "{}",
            s.label
        );
        assert_eq!(s.bot_stats(day2).await.unwrap().len(), 2, "since filters whole days");
    }
}

#[tokio::test]
async fn retention_purges_old_transcripts_and_idle_conversations_but_keeps_counters() {
    for s in testkit::all().await {
        let (old, fresh) = (key_of("1"), key_of("2"));
        let lines = [(Direction::In, "hello"), (Direction::Out, "Hi, yes I'm available this week.")];
        let conversations = StatsDelta { conversations: 1, ..StatsDelta::default() };
        let old_id = s
            .record_bot_turn(&BotTurn {
                conversation: save(&old, "ad-1", "small_talk", 1_000),
                transcript: &lines,
                stats: conversations,
            })
            .await
            .unwrap();
        let fresh_id = s
            .record_bot_turn(&BotTurn {
                conversation: save(&fresh, "ad-1", "small_talk", 1_000),
                transcript: &lines,
                stats: conversations,
            })
            .await
            .unwrap();
        // The fresh conversation goes on later.
        s.record_bot_turn(&BotTurn {
            conversation: save(&fresh, "ad-1", "small_talk", 9_000),
            transcript: &lines[..1],
            stats: StatsDelta::default(),
        })
        .await
        .unwrap();
        assert_eq!(s.bot_transcript(fresh_id).await.unwrap().len(), 3);

        let p = s.purge_bot(5_000, None, "tester").await.unwrap();
        assert_eq!((p.transcript_lines, p.conversations), (4, 0), "{}", s.label);
        assert_eq!(s.bot_transcript(old_id).await.unwrap(), []);
        let left = s.bot_transcript(fresh_id).await.unwrap();
        assert_eq!(
            (left.len(), left[0].direction, left[0].body.as_str(), left[0].at),
            (1, Direction::In, "hello", 9_000)
        );

        let p = s.purge_bot(5_000, Some(5_000), "tester").await.unwrap();
        assert_eq!((p.transcript_lines, p.conversations), (0, 1));
        assert_eq!(s.bot_conversations(10).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), [fresh_id]);
        assert_eq!(s.bot_stats(0).await.unwrap()[0].counts.conversations, 2, "counters survive the purge");
        let audit = s.audit_log(1, 0).await.unwrap();
        assert_eq!((audit[0].action.as_str(), audit[0].actor.as_str()), ("bot.purge", "tester"));
        // Nothing to purge: nothing audited.
        s.purge_bot(5_000, Some(5_000), "tester").await.unwrap();
        assert_eq!(s.audit_log(10, 0).await.unwrap().len(), 2);
    }
}

/// Everything stored about bot conversations, as text, for searching for identities.
async fn everything_stored(s: &redflag_store::Store) -> String {
    let mut all = serde_json::to_string(&s.bot_conversations(1000).await.unwrap()).unwrap();
    for c in s.bot_conversations(1000).await.unwrap() {
        all.push_str(&serde_json::to_string(&s.bot_transcript(c.id).await.unwrap()).unwrap());
    }
    all.push_str(&serde_json::to_string(&s.bot_stats(0).await.unwrap()).unwrap());
    all
}

#[tokio::test]
async fn the_service_stores_hashes_state_and_counters_but_no_text_or_id() {
    for s in testkit::all().await {
        let svc = service(persona_with(&[("job_check = false", "job_check = true")]), &s);
        let ch = Recorder::default();
        let raw = "5550001234";
        for text in ["hi, how are you doing today?", "how much for an hour, 150 dollars ok?"] {
            svc.handle(&ch, &Incoming { chat_id: raw, text, language_hint: Some("en"), decoy_ad: None }).await.unwrap();
        }
        let check =
            "/check Hostess in Dubai\nVisa fee $300 paid before departure, deducted from your salary. WhatsApp only.";
        let h = svc
            .handle(&ch, &Incoming { chat_id: raw, text: check, language_hint: Some("en"), decoy_ad: None })
            .await
            .unwrap();
        assert!(matches!(h, Handled::Check { verdict: Some(_), .. }), "{h:?}");
        let convs = s.bot_conversations(10).await.unwrap();
        assert_eq!(convs.len(), 1, "{}: the check made no conversation", s.label);
        let c = &convs[0];
        assert_eq!(c.chat_hash, key_of(raw));
        assert_eq!(
            (c.state.as_str(), c.turns, c.persona.as_str(), c.decoy_ad.as_str()),
            ("deterrence_sent", 2, "city-decoy-1", "direct")
        );
        assert_eq!(c.intent_rules, ["rates.en", "duration.en", "money"]);
        assert_eq!(s.bot_transcript(c.id).await.unwrap(), [], "transcripts are off");
        let stored = everything_stored(&s).await;
        for secret in [raw, "150 dollars", "Dubai", "how much"] {
            assert!(!stored.contains(secret), "{}: {secret:?} stored: {stored}", s.label);
        }
        let stats = s.bot_stats(0).await.unwrap();
        let total = |f: fn(&StatsDelta) -> i64| stats.iter().map(|r| f(&r.counts)).sum::<i64>();
        assert_eq!(
            (total(|c| c.conversations), total(|c| c.intent), total(|c| c.deterrence), total(|c| c.checks)),
            (1, 1, 1, 1)
        );
    }
}

#[tokio::test]
async fn transcripts_are_kept_only_when_enabled() {
    for s in testkit::all().await {
        let svc = service(persona_with(&[("transcripts = false", "transcripts = true")]), &s);
        let ch = Recorder::default();
        svc.handle(
            &ch,
            &Incoming { chat_id: "42", text: "hello there, are you around?", language_hint: None, decoy_ad: None },
        )
        .await
        .unwrap();
        let c = &s.bot_conversations(1).await.unwrap()[0];
        let lines = s.bot_transcript(c.id).await.unwrap();
        let got: Vec<(Direction, &str)> = lines.iter().map(|l| (l.direction, l.body.as_str())).collect();
        let sent = ch.take();
        assert_eq!(
            got,
            [(Direction::In, "hello there, are you around?"), (Direction::Out, sent[0].as_str())],
            "{}",
            s.label
        );
        // The retention purge keeps today's lines.
        assert_eq!(svc.purge().await.unwrap().transcript_lines, 0);
    }
}

#[tokio::test]
async fn an_undelivered_deterrence_is_delivered_with_the_next_message() {
    for s in testkit::all().await {
        let svc = service(persona(), &s);
        let ch = Recorder::default();
        let msg = |text| Incoming { chat_id: "7", text, language_hint: None, decoy_ad: None };
        ch.failing.store(true, std::sync::atomic::Ordering::SeqCst);
        let h = svc.handle(&ch, &msg("what are your rates")).await.unwrap();
        assert_eq!(
            h,
            Handled::Conversation { state: State::IntentDetected, replies: 0, deterrence: false },
            "{}",
            s.label
        );
        ch.failing.store(false, std::sync::atomic::Ordering::SeqCst);
        let h = svc.handle(&ch, &msg("hello?")).await.unwrap();
        assert_eq!(h, Handled::Conversation { state: State::DeterrenceSent, replies: 1, deterrence: true });
        assert_eq!(ch.take(), [persona().deterrence("en").unwrap()]);
        let stats = &s.bot_stats(0).await.unwrap()[0].counts;
        assert_eq!((stats.conversations, stats.intent, stats.deterrence), (1, 1, 1));
    }
}

#[tokio::test]
async fn deep_links_attribute_conversations_to_decoy_ads() {
    for s in testkit::all().await {
        let svc = service(persona(), &s);
        let ch = Recorder::default();
        for (chat, start) in [("1", "/start city-escorts-0624"), ("2", "/start not-a-known-ad"), ("3", "/start")] {
            svc.handle(&ch, &Incoming { chat_id: chat, text: start, language_hint: Some("es"), decoy_ad: None })
                .await
                .unwrap();
        }
        let sent = ch.take();
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|t| persona().replies["es"].greeting.contains(t)), "{sent:?}");
        let mut ads: Vec<String> = s.bot_conversations(10).await.unwrap().into_iter().map(|c| c.decoy_ad).collect();
        ads.sort();
        assert_eq!(ads, ["city-escorts-0624", "direct", "direct"], "{}", s.label);
    }
}
