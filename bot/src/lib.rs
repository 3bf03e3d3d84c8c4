//! The deterrence chatbot behind NGOs' decoy ads, and the job-ad check in chat.
//!
//! The core is channel-agnostic and unit-tested without any network: [`Persona`] files say what a
//! decoy answers; the [`IntentDetector`] finds purchase intent in buyers' messages with transparent,
//! per-language rules, each detection naming the rule that fired; the [`Conversation`] engine moves a
//! chat from greeting through small talk to the deterrence message, exactly once; [`Service`] ties them
//! to the store and the classifier (for `/check` of a job ad) and answers through a [`Channel`].
//! [`telegram`] (a thin layer over teloxide), [`sms`] (a webhook for the SMS gateways' form-POST
//! callback, an axum router) and [`web`] (a chat page to link from a decoy ad, an axum router) are the
//! channels implemented; see [`channel`] for how the WhatsApp Cloud
//! API would plug in.
//!
//! Safe for everyone who writes to it: a request for help ([`help`]) wins over everything and gets
//! the hotline of the decoy ad's country at once; STOP is honoured ([`keywords`]); a buyer who asks
//! about age or youth gets the persona's stronger message; per-chat limits ([`limits`]) bound what one
//! chat can make the bot do; and every message the bot sends in its own voice passes the deny-list
//! ([`denylist`]) right before it goes out.
//!
//! Privacy by construction: chat ids are replaced by keyed hashes ([`ChatHasher`]) before anything is
//! stored or logged, message text is stored only when the operator enables transcripts (and purged
//! after the retention period), and what NGO staff read are daily counters.

pub mod channel;
pub mod denylist;
pub mod engine;
mod error;
pub mod help;
pub mod identity;
pub mod intent;
pub mod keywords;
pub mod limits;
pub mod messages;
pub mod negation;
pub mod persona;
pub mod phrases;
pub mod service;
pub mod sms;
pub mod split;
pub mod telegram;
pub mod web;

pub use channel::{Channel, ChatTurns, deliver};
pub use engine::{Conversation, Detectors, Events, Outcome, Reply, ReplyKind, State};
pub use error::{Error, Result};
pub use help::{HelpDetection, HelpDetector, HelpSignal};
pub use identity::{ChatHasher, ChatKey};
pub use intent::{Detection, IntentDetector, MessageSignals, Signal};
pub use keywords::Keyword;
pub use limits::Limits;
pub use persona::{HelpConfig, HelpLine, Mode, Persona, Privacy};
pub use service::{Handled, Ignored, Incoming, Service};
pub use sms::SmsOptions;
pub use split::split_message;
pub use telegram::{TelegramChannel, TelegramOptions};
pub use web::WebOptions;
