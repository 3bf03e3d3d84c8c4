//! The conversation engine: one state machine per chat, independent of any channel.
//!
//! ```text
//!  New ──first message──► SmallTalk ──score ≥ threshold or a minor cue──► IntentDetected ──delivered──► DeterrenceSent
//!   │                        │                                                                          │
//!   │                        └──max_turns without intent──► Closed ◄──next message (follow-up, once)────┘
//!   └──first message already shows intent──► IntentDetected
//!
//!  any state ──a request for help──► HelpOffered ──next message (help follow-up, once)──► Closed
//! ```
//!
//! Every message is first checked for a request for help ([`crate::help`]). One found wins over
//! everything else in that message, whatever the state: the persona is dropped for good, the reply is
//! the help message with the hotline of the decoy ad's country, in the language of the words that asked
//! for help, and never a deterrence message. The conversation is marked (counted once).
//!
//! Otherwise every buyer message adds its intent score ([`crate::intent`]) to the conversation's;
//! replies come from the [`Persona`] in the conversation's language (identified with
//! `redflag_core::lang::identify`, English when the persona has no replies in it). A minor cue (a
//! question about age or youth, words that suggest a minor) flags the conversation and brings the
//! persona's stronger `deterrence_minor` message at once, whatever the score; a cue that comes after
//! the ordinary deterrence message brings the stronger one in place of the follow-up, once.
//!
//! The engine never replies with anything but persona text and the built-in help texts, and it moves to
//! `DeterrenceSent` only when the channel confirms delivery ([`Conversation::deterrence_delivered`]);
//! a failed delivery leaves it in `IntentDetected`, and the next message retries. So the deterrence
//! message is sent exactly once.

use crate::help::{HelpDetection, HelpDetector};
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
    /// Finished: the bot stays silent (until someone asks for help).
    Closed,
    /// Someone asked for help and was sent the help message; the persona is gone for good.
    HelpOffered,
}

impl State {
    /// Every state.
    pub const ALL: [State; 6] =
        [State::New, State::SmallTalk, State::IntentDetected, State::DeterrenceSent, State::Closed, State::HelpOffered];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::SmallTalk => "small_talk",
            State::IntentDetected => "intent_detected",
            State::DeterrenceSent => "deterrence_sent",
            State::Closed => "closed",
            State::HelpOffered => "help_offered",
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
    /// The stronger deterrence message, for a buyer who asked about age or youth.
    MinorDeterrence,
    /// The one reply after the deterrence message.
    FollowUp,
    /// The goodbye at the turn limit.
    Closing,
    /// The help message: hotline and safe options.
    Help,
    /// The one reply after the help message.
    HelpFollowUp,
}

impl ReplyKind {
    /// Whether this is a deterrence message (ordinary or stronger).
    pub fn is_deterrence(self) -> bool {
        matches!(self, ReplyKind::Deterrence | ReplyKind::MinorDeterrence)
    }
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
    /// Someone asked for help for the first time in this conversation.
    pub help: bool,
    /// The conversation was flagged for a minor cue in this step.
    pub minor: bool,
}

/// The result of one step.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Replies to send, in order.
    pub replies: Vec<Reply>,
    /// The intent signals found in the message (not looked for when help was asked for).
    pub signals: MessageSignals,
    /// The help rules that fired on the message.
    pub help: Vec<HelpDetection>,
    /// What happened.
    pub events: Events,
}

impl Outcome {
    /// Whether a deterrence message (ordinary or stronger) is among the replies.
    pub fn has_deterrence(&self) -> bool {
        self.replies.iter().any(|r| r.kind.is_deterrence())
    }

    /// Whether the help message is among the replies.
    pub fn has_help(&self) -> bool {
        self.replies.iter().any(|r| r.kind == ReplyKind::Help)
    }
}

/// The detectors a conversation reads messages with.
#[derive(Debug, Clone, Default)]
pub struct Detectors {
    /// Purchase intent and minor cues.
    pub intent: IntentDetector,
    /// Requests for help.
    pub help: HelpDetector,
}

impl Detectors {
    /// The built-in rules plus the persona's extra intent phrases.
    pub fn for_persona(persona: &Persona) -> Detectors {
        Detectors { intent: IntentDetector::new(&persona.extra_phrases), help: HelpDetector::new() }
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
    /// The rules that fired (intent, minor cues, help), in order of first firing.
    pub rules: Vec<String>,
    /// The decoy ad the conversation came from.
    pub decoy_ad: String,
    /// Picks among the persona's variants, so conversations do not all start alike.
    pub variant: u32,
    /// Someone in it asked for help.
    pub help: bool,
    /// A buyer in it asked about age or youth, or suggested a minor.
    pub minor: bool,
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
            help: false,
            minor: false,
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
    pub fn receive(&mut self, persona: &Persona, detectors: &Detectors, text: &str, hint: Option<&str>) -> Outcome {
        let mut out = Outcome { help: detectors.help.detect(text), ..Outcome::default() };
        if !out.help.is_empty() {
            self.offer_help(persona, text, hint, &mut out);
            return out;
        }
        match self.state {
            State::Closed => {
                // Silent, except that a minor cue not seen before still gets the stronger message (never
                // in a conversation where someone asked for help: they get no deterrence message).
                out.signals = detectors.intent.detect(text);
                if out.signals.minor() && !self.minor && !self.help {
                    self.flag_minor(&mut out);
                    self.push_deterrence(persona, &mut out);
                }
                return out;
            }
            State::HelpOffered => {
                self.state = State::Closed;
                let lang = self.reply_language_any();
                out.replies
                    .push(Reply { kind: ReplyKind::HelpFollowUp, text: help_follow_up(persona, &self.decoy_ad, lang) });
                return out;
            }
            State::DeterrenceSent => {
                self.state = State::Closed;
                out.signals = detectors.intent.detect(text);
                if out.signals.minor() && !self.minor {
                    self.flag_minor(&mut out);
                    self.push_deterrence(persona, &mut out);
                } else if let Some(f) = persona.follow_up(self.reply_language(persona)) {
                    out.replies.push(Reply { kind: ReplyKind::FollowUp, text: f.to_string() });
                }
                return out;
            }
            State::IntentDetected => {
                // The deterrence message was not delivered last time: send it now (the stronger one if
                // this message brings a minor cue).
                self.turns = self.turns.saturating_add(1);
                out.signals = detectors.intent.detect(text);
                if out.signals.minor() && !self.minor {
                    self.flag_minor(&mut out);
                }
                self.push_deterrence(persona, &mut out);
                return out;
            }
            State::New | State::SmallTalk => {}
        }
        let was_new = self.state == State::New;
        out.events.started = was_new;
        self.turns = self.turns.saturating_add(1);
        self.learn_language(text, hint);
        out.signals = detectors.intent.detect(text);
        if out.signals.score > 0 {
            self.score = self.score.saturating_add(out.signals.score);
            self.add_rules(out.signals.rules());
        }
        if out.signals.minor() {
            self.flag_minor(&mut out);
        }
        let lang = persona.reply_language(self.language.as_deref()).to_string();
        if self.score >= persona.intent_threshold || self.minor {
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

    /// Drops the persona and answers a request for help.
    fn offer_help(&mut self, persona: &Persona, text: &str, hint: Option<&str>, out: &mut Outcome) {
        out.events.started = self.state == State::New;
        out.events.help = !self.help;
        self.help = true;
        self.turns = self.turns.saturating_add(1);
        self.learn_language(text, hint);
        self.add_rules(out.help.iter().map(|d| d.rule.clone()).collect());
        self.state = State::HelpOffered;
        // The words that asked for help say which language to answer in, now and in the follow-up.
        let lang = out.help.first().map_or_else(|| self.reply_language_any(), |d| d.language);
        self.language = Some(lang.to_string());
        let text = persona
            .help_texts(&self.decoy_ad, lang)
            .map_or_else(|| crate::messages::help_text(lang, None), |t| t.help.clone());
        out.replies.push(Reply { kind: ReplyKind::Help, text });
    }

    /// The conversation's language when it is one the built-in texts speak, else English.
    fn reply_language_any(&self) -> &'static str {
        let lang = self.language.as_deref().unwrap_or("en");
        redflag_core::lang::SUPPORTED.iter().copied().find(|l| *l == lang).unwrap_or("en")
    }

    fn flag_minor(&mut self, out: &mut Outcome) {
        if !self.minor {
            self.minor = true;
            out.events.minor = true;
        }
        let minor_rules: Vec<String> = out
            .signals
            .detections
            .iter()
            .filter(|d| d.signal == crate::intent::Signal::Minor)
            .map(|d| d.rule.clone())
            .collect();
        self.add_rules(minor_rules);
    }

    fn add_rules(&mut self, rules: Vec<String>) {
        for rule in rules {
            if !self.rules.contains(&rule) {
                self.rules.push(rule);
            }
        }
    }

    fn push_deterrence(&self, persona: &Persona, out: &mut Outcome) {
        let lang = self.reply_language(persona);
        let reply =
            if self.minor { persona.deterrence_minor(lang).map(|t| (ReplyKind::MinorDeterrence, t)) } else { None };
        if let Some((kind, text)) = reply.or_else(|| persona.deterrence(lang).map(|t| (ReplyKind::Deterrence, t))) {
            out.replies.push(Reply { kind, text: text.to_string() });
        }
    }

    /// Updates the language from a message with `redflag_core::lang::identify`, the detector the
    /// classifier uses. A confident identification always wins (even of a language the persona has no
    /// replies in: the store then shows which languages buyers write in); a message too short to tell
    /// leaves the language as it is. The app's language hint only fills in an unknown language.
    fn learn_language(&mut self, text: &str, hint: Option<&str>) {
        if let Some(code) = redflag_core::lang::identify(text).code {
            self.language = Some(code);
            return;
        }
        if self.language.is_none()
            && let Some(h) = hint.map(|h| h.split(['-', '_']).next().unwrap_or(h).to_ascii_lowercase())
            && redflag_core::lang::SUPPORTED.contains(&h.as_str())
        {
            self.language = Some(h);
        }
    }
}

/// The help follow-up for a decoy ad's country in `lang`.
fn help_follow_up(persona: &Persona, decoy_ad: &str, lang: &str) -> String {
    persona
        .help_texts(decoy_ad, lang)
        .map_or_else(|| crate::messages::help_follow_up_text(lang, None), |t| t.follow_up.clone())
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
