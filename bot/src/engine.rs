//! The conversation engine: one state machine per chat, independent of any channel.
//!
//! ```text
//!  New ──first message──► SmallTalk ──score ≥ threshold──► IntentDetected ──delivered──► DeterrenceSent
//!   │                        │                                                             │
//!   │                        └──max_turns without intent──► Closed ◄──next message (follow-up)┘
//!   └──first message already shows intent──► IntentDetected
//! ```
//!
//! Every buyer message adds its intent score ([`crate::intent`]) to the conversation's; replies come
//! from the [`Persona`] in the conversation's language (detected with `redflag_core::lang::detect`,
//! English when the persona has no replies in it). The engine never replies with anything but persona
//! text, and it moves to `DeterrenceSent` only when the channel confirms delivery
//! ([`Conversation::deterrence_delivered`]); a failed delivery leaves it in `IntentDetected`, and the
//! next message retries. So the deterrence message is sent exactly once.

use crate::intent::{IntentDetector, MessageSignals};
use crate::persona::Persona;

/// Where a conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Nothing received yet.
    New,
    /// Greeted; chatting until intent shows or the turn limit.
    SmallTalk,
    /// Intent detected; the deterrence message is due (or its delivery failed).
    IntentDetected,
    /// The deterrence message was delivered.
    DeterrenceSent,
    /// Finished: the bot stays silent.
    Closed,
}

impl State {
    /// Every state.
    pub const ALL: [State; 5] =
        [State::New, State::SmallTalk, State::IntentDetected, State::DeterrenceSent, State::Closed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::SmallTalk => "small_talk",
            State::IntentDetected => "intent_detected",
            State::DeterrenceSent => "deterrence_sent",
            State::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What a reply is, for counting and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// The first reply of a conversation.
    Greeting,
    /// A later reply before intent.
    SmallTalk,
    /// The deterrence message.
    Deterrence,
    /// The one reply after the deterrence message.
    FollowUp,
    /// The goodbye at the turn limit.
    Closing,
}

/// One reply to send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reply {
    /// What it is.
    pub kind: ReplyKind,
    /// The text.
    pub text: String,
}

/// What happened in one step, for the daily counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Events {
    /// The conversation started with this step.
    pub started: bool,
    /// Intent was detected in this step.
    pub intent: bool,
    /// The conversation reached the turn limit without intent in this step.
    pub closed_without_intent: bool,
}

/// The result of one step.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Replies to send, in order.
    pub replies: Vec<Reply>,
    /// The intent signals found in the message.
    pub signals: MessageSignals,
    /// What happened.
    pub events: Events,
}

impl Outcome {
    /// Whether a deterrence message is among the replies.
    pub fn has_deterrence(&self) -> bool {
        self.replies.iter().any(|r| r.kind == ReplyKind::Deterrence)
    }
}

/// One chat's conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conversation {
    /// Where it is.
    pub state: State,
    /// Buyer messages received.
    pub turns: u32,
    /// The detected language (ISO 639-1), once known.
    pub language: Option<String>,
    /// The accumulated intent score.
    pub score: u32,
    /// The intent rules that fired, in order of first firing.
    pub rules: Vec<String>,
    /// The decoy ad the conversation came from.
    pub decoy_ad: String,
    /// Picks among the persona's variants, so conversations do not all start alike.
    pub variant: u32,
}

impl Conversation {
    /// A new conversation.
    pub fn new(decoy_ad: impl Into<String>, variant: u32) -> Conversation {
        Conversation {
            state: State::New,
            turns: 0,
            language: None,
            score: 0,
            rules: Vec::new(),
            decoy_ad: decoy_ad.into(),
            variant,
        }
    }

    /// The language replies are in.
    pub fn reply_language<'p>(&'p self, persona: &Persona) -> &'p str {
        persona.reply_language(self.language.as_deref())
    }

    /// A chat opened the conversation without text (Telegram's `/start`): greet it. `hint` is the
    /// language the chat's app reports, if any. Does nothing once the conversation has begun.
    pub fn start(&mut self, persona: &Persona, hint: Option<&str>) -> Outcome {
        let mut out = Outcome::default();
        if self.state != State::New {
            return out;
        }
        self.learn_language("", hint);
        out.events.started = true;
        self.state = State::SmallTalk;
        if let Some(g) = persona.greeting(self.reply_language(persona), self.variant) {
            out.replies.push(Reply { kind: ReplyKind::Greeting, text: g.to_string() });
        }
        out
    }

    /// One message from the chat.
    pub fn receive(&mut self, persona: &Persona, detector: &IntentDetector, text: &str, hint: Option<&str>) -> Outcome {
        let mut out = Outcome::default();
        match self.state {
            State::Closed => return out,
            State::DeterrenceSent => {
                self.state = State::Closed;
                if let Some(f) = persona.follow_up(self.reply_language(persona)) {
                    out.replies.push(Reply { kind: ReplyKind::FollowUp, text: f.to_string() });
                }
                return out;
            }
            State::IntentDetected => {
                // The deterrence message was not delivered last time: send it now.
                self.turns = self.turns.saturating_add(1);
                self.push_deterrence(persona, &mut out);
                return out;
            }
            State::New | State::SmallTalk => {}
        }
        let was_new = self.state == State::New;
        out.events.started = was_new;
        self.turns = self.turns.saturating_add(1);
        self.learn_language(text, hint);
        out.signals = detector.detect(text);
        if out.signals.score > 0 {
            self.score = self.score.saturating_add(out.signals.score);
            for rule in out.signals.rules() {
                if !self.rules.contains(&rule) {
                    self.rules.push(rule);
                }
            }
        }
        let lang = persona.reply_language(self.language.as_deref()).to_string();
        if self.score >= persona.intent_threshold {
            self.state = State::IntentDetected;
            out.events.intent = true;
            self.push_deterrence(persona, &mut out);
        } else if self.turns >= persona.max_turns {
            self.state = State::Closed;
            out.events.closed_without_intent = true;
            if let Some(c) = persona.closing(&lang) {
                out.replies.push(Reply { kind: ReplyKind::Closing, text: c.to_string() });
            }
        } else {
            self.state = State::SmallTalk;
            let reply = if was_new {
                persona.greeting(&lang, self.variant).map(|t| (ReplyKind::Greeting, t))
            } else {
                persona.small_talk(&lang, self.variant, self.turns).map(|t| (ReplyKind::SmallTalk, t))
            };
            if let Some((kind, text)) = reply {
                out.replies.push(Reply { kind, text: text.to_string() });
            }
        }
        out
    }

    /// The channel delivered the deterrence message of the last step; returns whether this changed the
    /// state (false when there was none to deliver).
    pub fn deterrence_delivered(&mut self) -> bool {
        if self.state == State::IntentDetected {
            self.state = State::DeterrenceSent;
            true
        } else {
            false
        }
    }

    fn push_deterrence(&self, persona: &Persona, out: &mut Outcome) {
        if let Some(d) = persona.deterrence(self.reply_language(persona)) {
            out.replies.push(Reply { kind: ReplyKind::Deterrence, text: d.to_string() });
        }
    }

    /// Updates the language from a message. A reliable detection always wins (even of a language the
    /// persona has no replies in: the store then shows which languages buyers write in). A shaky one
    /// only fills in an unknown language, and only for a supported language and a message of three
    /// words or more, since guesses on one or two words are noise. The app's language hint comes last.
    fn learn_language(&mut self, text: &str, hint: Option<&str>) {
        if let Some(d) = redflag_core::lang::detect(text) {
            if d.reliable {
                self.language = Some(d.code.to_string());
                return;
            }
            if self.language.is_none() && d.supported() && text.split_whitespace().count() >= 3 {
                self.language = Some(d.code.to_string());
                return;
            }
        }
        if self.language.is_none()
            && let Some(h) = hint.map(|h| h.split(['-', '_']).next().unwrap_or(h).to_ascii_lowercase())
            && redflag_core::lang::SUPPORTED.contains(&h.as_str())
        {
            self.language = Some(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_names() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("nope"), None);
    }
}
