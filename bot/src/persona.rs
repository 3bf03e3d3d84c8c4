//! Persona files: what a decoy says, what the bot says once intent shows, and the operator's privacy
//! settings, in one reviewed TOML file (see `config/bot/persona.example.toml` and `docs/bot.md`).
//!
//! Loading validates everything a reviewer would check by hand: English replies exist (the fallback for
//! every other language), languages are ones Redflag supports, ids and decoy-ad names are short and
//! plain, `{org}` and `{help}` are the only placeholders, and no reply contains a word of the explicit
//! deny-list ([`crate::denylist`]). Errors name the file and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::denylist::denied_word;
use crate::error::{Error, Result};
use crate::intent::Signal;

/// What a bot does with messages that are not commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Answer as the persona until purchase intent shows, then send the deterrence message.
    #[default]
    Decoy,
    /// A public job-ad checker: every message is an ad to check.
    Check,
}

/// The operator's privacy settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Keep the text of conversations (off by default).
    #[serde(default)]
    pub transcripts: bool,
    /// Delete transcript lines older than this many days.
    #[serde(default = "default_transcript_days")]
    pub transcript_retention_days: u32,
    /// Delete conversation records (hashed chat, state, rules that fired) idle for this many days.
    /// The daily counters are kept.
    #[serde(default = "default_conversation_days")]
    pub conversation_retention_days: u32,
}

fn default_transcript_days() -> u32 {
    30
}

fn default_conversation_days() -> u32 {
    365
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            transcripts: false,
            transcript_retention_days: default_transcript_days(),
            conversation_retention_days: default_conversation_days(),
        }
    }
}

/// The organisation behind the bot, substituted for `{org}` and `{help}` in replies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name.
    pub name: String,
    /// Where a buyer can get confidential help to stop (a helpline, a web page).
    pub help: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFile {
    #[serde(default = "default_threshold")]
    threshold: u32,
    #[serde(default)]
    extra: BTreeMap<Signal, Vec<String>>,
}

fn default_threshold() -> u32 {
    2
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepliesFile {
    #[serde(default)]
    greeting: Vec<String>,
    #[serde(default)]
    small_talk: Vec<String>,
    closing: Option<String>,
    deterrence: Option<String>,
    follow_up: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonaFile {
    id: String,
    #[serde(default)]
    mode: Mode,
    #[serde(default = "yes")]
    job_check: bool,
    #[serde(default = "default_max_turns")]
    max_turns: u32,
    #[serde(default)]
    decoy_ads: Vec<String>,
    #[serde(default = "default_decoy_ad")]
    default_decoy_ad: String,
    organisation: Option<Organisation>,
    #[serde(default)]
    privacy: Privacy,
    #[serde(default)]
    intent: Option<IntentFile>,
    #[serde(default)]
    replies: BTreeMap<String, RepliesFile>,
}

fn yes() -> bool {
    true
}

fn default_max_turns() -> u32 {
    8
}

fn default_decoy_ad() -> String {
    "direct".to_string()
}

/// One language's replies, placeholders substituted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Replies {
    /// First replies; one is picked per conversation.
    pub greeting: Vec<String>,
    /// Replies to later messages, used in turn.
    pub small_talk: Vec<String>,
    /// Sent when a conversation reaches the turn limit without intent.
    pub closing: Option<String>,
    /// Sent once, when intent shows.
    pub deterrence: Option<String>,
    /// Sent once if the buyer writes again after the deterrence message.
    pub follow_up: Option<String>,
}

/// A validated persona.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Persona {
    /// Its id, stored with every conversation and counter.
    pub id: String,
    /// Decoy or job-check bot.
    pub mode: Mode,
    /// Whether `/check` works in decoy mode.
    pub job_check: bool,
    /// Buyer messages after which a conversation without intent is closed.
    pub max_turns: u32,
    /// The intent score at which the deterrence message is sent.
    pub intent_threshold: u32,
    /// Extra intent phrases from the operator.
    pub extra_phrases: Vec<(Signal, String)>,
    /// Decoy-ad names a deep link (`/start <name>`) may carry.
    pub decoy_ads: Vec<String>,
    /// The decoy ad of conversations that arrive without one.
    pub default_decoy_ad: String,
    /// The organisation, if named.
    pub organisation: Option<Organisation>,
    /// Privacy settings.
    pub privacy: Privacy,
    /// Replies by language (`en` always present in decoy mode).
    pub replies: BTreeMap<String, Replies>,
}

/// Ids and decoy-ad names: 1–64 of `A–Z a–z 0–9 _ -` (what a Telegram deep link can carry).
fn valid_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

struct Checker<'a> {
    path: &'a Path,
    org: Option<&'a Organisation>,
}

impl Checker<'_> {
    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> Error {
        Error::PersonaInvalid { path: self.path.to_path_buf(), key: key.into(), message: message.into() }
    }

    /// Substitutes placeholders and checks one reply.
    fn text(&self, key: &str, raw: &str) -> Result<String> {
        let mut s = raw.trim().to_string();
        if s.is_empty() {
            return Err(self.invalid(key, "is empty"));
        }
        if s.contains("{org}") || s.contains("{help}") {
            let org =
                self.org.ok_or_else(|| self.invalid(key, "uses {org} or {help} but [organisation] is missing"))?;
            s = s.replace("{org}", org.name.trim()).replace("{help}", org.help.trim());
        }
        if s.contains('{') || s.contains('}') {
            return Err(self.invalid(key, "unknown placeholder (only {org} and {help} are replaced)"));
        }
        if let Some(word) = denied_word(&s) {
            return Err(
                self.invalid(key, format!("contains {word:?}, which replies must never say (see the deny-list)"))
            );
        }
        Ok(s)
    }

    fn list(&self, key: &str, raw: &[String]) -> Result<Vec<String>> {
        raw.iter().enumerate().map(|(i, t)| self.text(&format!("{key}[{i}]"), t)).collect()
    }

    fn opt(&self, key: &str, raw: &Option<String>) -> Result<Option<String>> {
        raw.as_deref().map(|t| self.text(key, t)).transpose()
    }
}

impl Persona {
    /// Reads and validates a persona file.
    pub fn load(path: &Path) -> Result<Persona> {
        let text =
            std::fs::read_to_string(path).map_err(|source| Error::PersonaRead { path: path.to_path_buf(), source })?;
        Persona::parse(&text, path)
    }

    /// Parses and validates persona text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Persona> {
        let file: PersonaFile = toml::from_str(text)
            .map_err(|e| Error::PersonaSyntax { path: path.to_path_buf(), message: e.to_string() })?;
        let c = Checker { path, org: file.organisation.as_ref() };
        if !valid_name(&file.id) {
            return Err(c.invalid("id", "must be 1–64 letters, digits, '_' or '-'"));
        }
        for (i, ad) in file.decoy_ads.iter().enumerate() {
            if !valid_name(ad) {
                return Err(c.invalid(format!("decoy_ads[{i}]"), "must be 1–64 letters, digits, '_' or '-'"));
            }
        }
        if !valid_name(&file.default_decoy_ad) {
            return Err(c.invalid("default_decoy_ad", "must be 1–64 letters, digits, '_' or '-'"));
        }
        if !(1..=100).contains(&file.max_turns) {
            return Err(c.invalid("max_turns", "must be between 1 and 100"));
        }
        if let Some(org) = &file.organisation
            && (org.name.trim().is_empty() || org.help.trim().is_empty())
        {
            return Err(c.invalid("organisation", "name and help must not be empty"));
        }
        if file.privacy.transcript_retention_days == 0 || file.privacy.conversation_retention_days == 0 {
            return Err(c.invalid("privacy", "retention periods must be at least one day"));
        }
        let intent = file.intent.unwrap_or(IntentFile { threshold: default_threshold(), extra: BTreeMap::new() });
        if intent.threshold == 0 {
            return Err(c.invalid("intent.threshold", "must be at least 1"));
        }
        let mut extra_phrases = Vec::new();
        for (signal, list) in &intent.extra {
            for (i, p) in list.iter().enumerate() {
                if crate::phrases::normalize_phrase(p).is_empty() {
                    return Err(c.invalid(format!("intent.extra.{}[{i}]", signal.as_str()), "has no words"));
                }
                extra_phrases.push((*signal, p.clone()));
            }
        }
        let mut replies = BTreeMap::new();
        for (lang, r) in &file.replies {
            let key = format!("replies.{lang}");
            if !redflag_core::lang::SUPPORTED.contains(&lang.as_str()) {
                return Err(c.invalid(
                    key,
                    format!("unsupported language (supported: {})", redflag_core::lang::SUPPORTED.join(", ")),
                ));
            }
            let checked = Replies {
                greeting: c.list(&format!("{key}.greeting"), &r.greeting)?,
                small_talk: c.list(&format!("{key}.small_talk"), &r.small_talk)?,
                closing: c.opt(&format!("{key}.closing"), &r.closing)?,
                deterrence: c.opt(&format!("{key}.deterrence"), &r.deterrence)?,
                follow_up: c.opt(&format!("{key}.follow_up"), &r.follow_up)?,
            };
            replies.insert(lang.clone(), checked);
        }
        if file.mode == Mode::Decoy {
            let en =
                replies.get("en").ok_or_else(|| c.invalid("replies.en", "is required: English is the fallback"))?;
            for (field, empty) in [
                ("greeting", en.greeting.is_empty()),
                ("small_talk", en.small_talk.is_empty()),
                ("deterrence", en.deterrence.is_none()),
            ] {
                if empty {
                    return Err(c.invalid(format!("replies.en.{field}"), "is required in decoy mode"));
                }
            }
        }
        Ok(Persona {
            id: file.id,
            mode: file.mode,
            job_check: file.job_check,
            max_turns: file.max_turns,
            intent_threshold: intent.threshold,
            extra_phrases,
            decoy_ads: file.decoy_ads,
            default_decoy_ad: file.default_decoy_ad,
            organisation: file.organisation,
            privacy: file.privacy,
            replies,
        })
    }

    /// The persona file's path-free description, for messages: `persona <id> (<mode>)`.
    pub fn describe(&self) -> String {
        format!("persona {} ({})", self.id, if self.mode == Mode::Decoy { "decoy" } else { "check" })
    }

    /// The language replies are given in for a conversation in `lang`: `lang` when the persona has
    /// replies in it, English otherwise.
    pub fn reply_language<'a>(&self, lang: Option<&'a str>) -> &'a str {
        match lang {
            Some(l) if self.replies.contains_key(l) => l,
            _ => "en",
        }
    }

    /// The decoy ad named by a deep-link payload, or the default when it names none of `decoy_ads`.
    pub fn decoy_ad_for(&self, payload: Option<&str>) -> &str {
        let payload = payload.map(str::trim);
        self.decoy_ads.iter().find(|a| Some(a.as_str()) == payload).unwrap_or(&self.default_decoy_ad)
    }

    /// A reply field in `lang`, falling back to English when the language lacks it.
    fn pick<'s, T: ?Sized>(&'s self, lang: &str, f: impl Fn(&'s Replies) -> Option<&'s T>) -> Option<&'s T> {
        self.replies.get(lang).and_then(&f).or_else(|| self.replies.get("en").and_then(&f))
    }

    /// The greeting for a conversation whose variant number is `variant`.
    pub fn greeting(&self, lang: &str, variant: u32) -> Option<&str> {
        let list = self.pick(lang, |r| (!r.greeting.is_empty()).then_some(r.greeting.as_slice()))?;
        list.get(variant as usize % list.len()).map(String::as_str)
    }

    /// The small-talk line for turn `n` of a conversation whose variant number is `variant`.
    pub fn small_talk(&self, lang: &str, variant: u32, n: u32) -> Option<&str> {
        let list = self.pick(lang, |r| (!r.small_talk.is_empty()).then_some(r.small_talk.as_slice()))?;
        list.get((variant as usize).wrapping_add(n as usize) % list.len()).map(String::as_str)
    }

    /// The deterrence message.
    pub fn deterrence(&self, lang: &str) -> Option<&str> {
        self.pick(lang, |r| r.deterrence.as_deref())
    }

    /// The closing line at the turn limit, if any.
    pub fn closing(&self, lang: &str) -> Option<&str> {
        self.pick(lang, |r| r.closing.as_deref())
    }

    /// The one reply after the deterrence message, if any.
    pub fn follow_up(&self, lang: &str) -> Option<&str> {
        self.pick(lang, |r| r.follow_up.as_deref())
    }

    /// Every reply text, with its key, for reviews and tests.
    pub fn all_texts(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        for (lang, r) in &self.replies {
            for (i, t) in r.greeting.iter().enumerate() {
                out.push((format!("replies.{lang}.greeting[{i}]"), t.as_str()));
            }
            for (i, t) in r.small_talk.iter().enumerate() {
                out.push((format!("replies.{lang}.small_talk[{i}]"), t.as_str()));
            }
            for (name, t) in [("closing", &r.closing), ("deterrence", &r.deterrence), ("follow_up", &r.follow_up)] {
                if let Some(t) = t {
                    out.push((format!("replies.{lang}.{name}"), t.as_str()));
                }
            }
        }
        out
    }
}

/// The path shown for persona text parsed without a file.
pub fn inline_path() -> PathBuf {
    PathBuf::from("<inline>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "t1"
[organisation]
name = "Example NGO"
help = "https://example.org/help"
[replies.en]
greeting = ["Hi, yes I'm available this week. Where are you staying?"]
small_talk = ["Nice. What brings you to town?"]
deterrence = "This was an automated account run by {org}. Help: {help}"
[replies.es]
greeting = ["Hola, sí, estoy disponible esta semana. ¿Dónde te quedas?"]
"#;

    fn parse(text: &str) -> Result<Persona> {
        Persona::parse(text, &inline_path())
    }

    #[test]
    fn placeholders_are_substituted_and_missing_languages_fall_back_to_english() {
        let p = parse(MINIMAL).unwrap();
        assert_eq!(
            p.deterrence("es"),
            Some("This was an automated account run by Example NGO. Help: https://example.org/help")
        );
        assert!(p.greeting("es", 0).unwrap().starts_with("Hola"));
        assert_eq!(p.small_talk("es", 0, 1), Some("Nice. What brings you to town?"));
        assert_eq!(p.reply_language(Some("es")), "es");
        assert_eq!(p.reply_language(Some("fr")), "en");
        assert_eq!(p.decoy_ad_for(Some("nowhere")), "direct");
    }

    #[test]
    fn explicit_words_are_refused_with_the_key() {
        let bad = MINIMAL.replace("What brings you to town?", "Want a photo?");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains("replies.en.small_talk[0]") && e.contains("\"photo\""), "{e}");
    }

    #[test]
    fn rule_breaks_name_their_key() {
        for (edit, key) in [
            (MINIMAL.replace("id = \"t1\"", "id = \"has space\""), "id"),
            (MINIMAL.replace("[replies.es]", "[replies.de]"), "replies.de"),
            (MINIMAL.replace("run by {org}", "run by {ngo}"), "replies.en.deterrence"),
            (MINIMAL.replace("deterrence = ", "closing = "), "replies.en.deterrence"),
            (MINIMAL.replace("id = \"t1\"", "id = \"t1\"\nmax_turns = 0"), "max_turns"),
        ] {
            let e = parse(&edit).unwrap_err().to_string();
            assert!(e.starts_with(&format!("<inline>: {key}:")), "{e}");
        }
        let e = parse("id = \"x\"\ncolour = \"red\"").unwrap_err().to_string();
        assert!(e.contains("colour") && e.contains("line 2"), "{e}");
    }
}
