//! The conversations the benchmark plays, and what the bot must answer to each message.
//!
//! Every tenth conversation of each kind, in this order: three English buyers and two Spanish buyers
//! (small talk, then purchase intent: the deterrence message, once, then one follow-up and silence),
//! an English and a Spanish help-seeker (the help message with the hotline, its follow-up, silence),
//! an English and a Spanish STOP sender (the acknowledgement, then silence whatever they write, even
//! purchase intent), and small talk up to the persona's turn limit (the closing line, then silence).

use redflag_bot::Persona;

/// The kinds of conversation, one per chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An English-speaking buyer.
    BuyerEn,
    /// A Spanish-speaking buyer.
    BuyerEs,
    /// Someone asking for help in English.
    HelpEn,
    /// Someone asking for help in Spanish.
    HelpEs,
    /// Someone who writes STOP.
    StopEn,
    /// Someone who writes PARA.
    StopEs,
    /// Small talk without intent, up to the turn limit.
    SmallTalk,
}

impl Kind {
    /// The kind of the `i`-th conversation.
    pub fn of(i: usize) -> Kind {
        match i % 10 {
            0..=2 => Kind::BuyerEn,
            3 | 4 => Kind::BuyerEs,
            5 => Kind::HelpEn,
            6 => Kind::HelpEs,
            7 => Kind::StopEn,
            8 => Kind::StopEs,
            _ => Kind::SmallTalk,
        }
    }

    /// The language the chat writes in (and its app reports).
    pub fn lang(self) -> &'static str {
        match self {
            Kind::BuyerEs | Kind::HelpEs | Kind::StopEs => "es",
            _ => "en",
        }
    }

    /// Whether the chat is a buyer, who must get the deterrence message exactly once.
    pub fn is_buyer(self) -> bool {
        matches!(self, Kind::BuyerEn | Kind::BuyerEs)
    }

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::BuyerEn => "buyer (en)",
            Kind::BuyerEs => "buyer (es)",
            Kind::HelpEn => "help-seeker (en)",
            Kind::HelpEs => "help-seeker (es)",
            Kind::StopEn => "STOP (en)",
            Kind::StopEs => "STOP (es)",
            Kind::SmallTalk => "small talk",
        }
    }
}

/// What the bot must answer to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// One of the persona's greetings.
    Greeting,
    /// One of the persona's small-talk lines.
    SmallTalk,
    /// The persona's deterrence message.
    Deterrence,
    /// The persona's one reply after the deterrence message.
    FollowUp,
    /// The help message of the decoy ad's country.
    Help,
    /// The one reply after the help message.
    HelpFollowUp,
    /// The acknowledgement of STOP.
    StopAck,
    /// The persona's goodbye at the turn limit.
    Closing,
    /// Nothing.
    Silence,
}

/// One message of a conversation and the answer it must get.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// What the chat writes.
    pub text: &'static str,
    /// What the bot must answer.
    pub expect: Expect,
}

const fn step(text: &'static str, expect: Expect) -> Step {
    Step { text, expect }
}

/// The messages of a conversation of `kind`; `start` opens it with a Telegram deep link (`/start
/// AD`) instead of a first message.
pub fn steps(kind: Kind, start: Option<&'static str>) -> Vec<Step> {
    use Expect::*;
    let mut v = match kind {
        Kind::BuyerEn => vec![
            step("hi, is this ad still up?", Greeting),
            step("hi, how is your day going?", SmallTalk),
            step("ok. how much for an hour? I'm at the hotel by the station", Deterrence),
            step("hello? what about $200", FollowUp),
            step("??", Silence),
        ],
        Kind::BuyerEs => vec![
            step("Hola, ¿qué tal estás?", Greeting),
            step("¿Cuánto cobras por una hora?", Deterrence),
            step("¿hola?", FollowUp),
            step("vale", Silence),
        ],
        Kind::HelpEn => vec![
            step("hi", Greeting),
            step("how much... no. I'm not doing this by choice, can you get me out", Help),
            step("thank you", HelpFollowUp),
            step("ok", Silence),
        ],
        Kind::HelpEs => vec![
            step("Hola, ¿qué tal estás?", Greeting),
            step("no quiero estar aquí, ¿me puedes sacar de aquí? ayúdame", Help),
            step("gracias", HelpFollowUp),
            step("vale", Silence),
        ],
        Kind::StopEn => vec![
            step("hi there", Greeting),
            step("STOP", StopAck),
            step("how much for an hour?", Silence),
            step("hello?", Silence),
        ],
        Kind::StopEs => vec![
            step("Hola, ¿qué tal estás?", Greeting),
            step("PARA", StopAck),
            step("¿cuánto cobras?", Silence),
            step("¿hola?", Silence),
        ],
        Kind::SmallTalk => vec![
            step("hi", Greeting),
            step("how are you?", SmallTalk),
            step("what's your name?", SmallTalk),
            step("nice weather today", SmallTalk),
            step("I'm just watching tv", SmallTalk),
            step("do you like music?", SmallTalk),
            step("ok cool", SmallTalk),
            step("see you", Closing),
            step("hello?", Silence),
        ],
    };
    if let (Some(link), Kind::BuyerEn) = (start, kind) {
        v[0] = step(link, Greeting);
    }
    v
}

/// Whether `text` is the answer `expect` asks for, in `lang`, for a chat on `decoy_ad`.
pub fn matches(persona: &Persona, decoy_ad: &str, lang: &str, expect: Expect, text: &str) -> bool {
    let replies = persona.replies.get(lang);
    let help = persona.help_texts(decoy_ad, lang);
    match expect {
        Expect::Greeting => replies.is_some_and(|r| r.greeting.iter().any(|g| g == text)),
        Expect::SmallTalk => replies.is_some_and(|r| r.small_talk.iter().any(|g| g == text)),
        Expect::Deterrence => persona.deterrence(lang) == Some(text),
        Expect::FollowUp => persona.follow_up(lang) == Some(text),
        Expect::Closing => persona.closing(lang) == Some(text),
        Expect::Help => help.is_some_and(|h| h.help == text),
        Expect::HelpFollowUp => help.is_some_and(|h| h.follow_up == text),
        Expect::StopAck => help.is_some_and(|h| h.opt_out == text),
        Expect::Silence => false,
    }
}

/// Whether `text` is a deterrence message (ordinary or stronger) in any language.
pub fn is_deterrence(persona: &Persona, text: &str) -> bool {
    persona.replies.keys().any(|l| persona.deterrence(l) == Some(text) || persona.deterrence_minor(l) == Some(text))
}
