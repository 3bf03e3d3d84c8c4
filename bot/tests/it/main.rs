//! Integration tests of the bot (one test binary, modules by concern): the conversation engine without
//! any network, the help path and minor cues, the safety paths through the service (STOP/START, limits,
//! the deny-list on every message), the store on SQLite and PostgreSQL, the shipped configuration
//! files, the Telegram adapter end to end against a local fake of the Bot API, and the SMS webhook and
//! the web chat over real HTTP.

mod config;
mod engine;
mod fake_api;
mod help;
mod safety;
mod service;
mod sms;
mod store;
mod telegram;
mod web;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use redflag_bot::{Channel, ChatHasher, Persona, Service};
use redflag_classifier::Classifier;
use redflag_store::Store;

/// A file of the repository.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// The shipped decoy persona.
pub fn persona() -> Persona {
    Persona::load(&repo_file("config/bot/persona.example.toml")).expect("the example persona loads")
}

/// The shipped decoy persona with changes applied to its text.
pub fn persona_with(edits: &[(&str, &str)]) -> Persona {
    let mut text = std::fs::read_to_string(repo_file("config/bot/persona.example.toml")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "the example persona no longer contains {from:?}");
        text = text.replace(from, to);
    }
    Persona::parse(&text, Path::new("edited.toml")).unwrap()
}

/// The bundled classifier, loaded once for the whole test binary.
pub fn classifier() -> Arc<Classifier> {
    static C: OnceLock<Arc<Classifier>> = OnceLock::new();
    Arc::clone(C.get_or_init(|| Arc::new(Classifier::bundled().expect("the bundled models load"))))
}

/// The secret the tests hash chat ids with.
pub const SECRET: &[u8] = b"test secret, not for production use";

/// A service over `store` for `persona`.
pub fn service(persona: Persona, store: &Store) -> Service {
    Service::new(persona, ChatHasher::new(SECRET).unwrap(), store.clone(), classifier())
}

/// A channel that records what it is asked to send, and can be told to fail.
#[derive(Default)]
pub struct Recorder {
    /// (chat id, text) of every message sent.
    pub sent: Mutex<Vec<(String, String)>>,
    /// When set, every send fails.
    pub failing: std::sync::atomic::AtomicBool,
    /// The longest message accepted, in UTF-16 units (0: Telegram's 4096).
    pub max_units: usize,
}

impl Recorder {
    /// The texts sent so far, and forgets them.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.sent.lock().unwrap()).into_iter().map(|(_, t)| t).collect()
    }
}

impl Channel for Recorder {
    fn name(&self) -> &'static str {
        "test"
    }

    fn max_message_units(&self) -> usize {
        if self.max_units == 0 { 4096 } else { self.max_units }
    }

    async fn send(&self, chat_id: &str, text: &str) -> redflag_bot::Result<()> {
        assert!(text.encode_utf16().count() <= self.max_message_units(), "message over the channel's limit");
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(redflag_bot::Error::Unreachable { url: "test://".into(), message: "switched off".into() });
        }
        self.sent.lock().unwrap().push((chat_id.to_string(), text.to_string()));
        Ok(())
    }
}
