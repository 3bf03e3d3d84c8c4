//! Persona files: what a decoy says, what the bot says once intent shows, and the operator's privacy
//! settings, in one reviewed TOML file (see `config/bot/persona.example.toml` and `docs/bot.md`).
//!
//! Loading validates everything a reviewer would check by hand: English replies exist (the fallback for
//! every other language), languages are ones Redflag supports, ids and decoy-ad names are short and
//! plain, `{org}` and `{help}` are the only placeholders, and no reply contains a word of the explicit
//! deny-list ([`crate::denylist`]). Errors name the file and the key.
//!
//! A decoy must also say what it does in the two situations that must never go wrong, or it does not
//! load: `[help]`, the hotline, emergency number and safe options for people who ask for help
//! (per country, and which decoy ad runs in which country), and `deterrence_minor`, the stronger
//! message for buyers who ask about age or youth. There is no built-in fallback for either: both are
//! texts an NGO must review for its own jurisdiction, and a missing one is a mistake to fix before
//! going live, not something to paper over. The help messages themselves are built in, in every
//! supported language ([`crate::messages`]), with the persona's hotline filled in; every combination
//! is rendered and checked against the deny-list at load.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::denylist::denied_word;
use crate::error::{Error, Result};
use crate::intent::Signal;
use crate::limits::Limits;
use crate::messages;

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

/// Where people who ask for help in one country can turn.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct HelpLine {
    /// The hotline: a name and a number or address, as it should appear in every language
    /// ("Example Helpline 0800 000 000, call or text, 24 hours").
    pub hotline: String,
    /// The emergency number ("112").
    pub emergency: String,
    /// Safe options in each language, added after the help message ("You can also walk into any
    /// pharmacy and ask for …"). Optional per language.
    #[serde(default)]
    pub safe: BTreeMap<String, String>,
}

/// The `[help]` section: hotlines per country and the country of each decoy ad.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct HelpConfig {
    /// The country (ISO 3166-1 alpha-2, `GB`) of decoy ads not listed in `ads`.
    pub country: String,
    /// Decoy ads that run in another country: name → country.
    #[serde(default)]
    pub ads: BTreeMap<String, String>,
    /// The help line of each country.
    pub countries: BTreeMap<String, HelpLine>,
}

/// The `[sms]` section: the decoy phone numbers the SMS webhook answers for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmsConfig {
    /// Each decoy number (E.164, `+15550001111`) and the decoy ad it belongs to. Messages to a number are
    /// counted under its ad; messages from these numbers are never answered.
    #[serde(default)]
    pub numbers: BTreeMap<String, String>,
}

/// The help texts of one country in one language, rendered at load.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HelpTexts {
    /// Sent at once to someone who asks for help.
    pub help: String,
    /// Sent once if they write again without asking for help.
    pub follow_up: String,
    /// The acknowledgement of an opt-out (STOP), with the hotline.
    pub opt_out: String,
}

/// Help texts by country code, then language.
pub type HelpTextsByCountry = BTreeMap<String, BTreeMap<String, HelpTexts>>;

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
    deterrence_minor: Option<String>,
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
    help: Option<HelpConfig>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    sms: SmsConfig,
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
    /// Sent instead of `deterrence` to a buyer who asks about age or youth, or whose messages suggest
    /// a minor.
    pub deterrence_minor: Option<String>,
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
    /// Hotlines for people who ask for help (always present in decoy mode).
    pub help: Option<HelpConfig>,
    /// The help texts by country and language, rendered from `help` (empty without it).
    pub help_texts: HelpTextsByCountry,
    /// Per-chat abuse limits.
    pub limits: Limits,
    /// The decoy numbers of the SMS channel.
    pub sms: SmsConfig,
    /// Replies by language (`en` always present in decoy mode).
    pub replies: BTreeMap<String, Replies>,
}

/// Ids and decoy-ad names: 1–64 of `A–Z a–z 0–9 _ -` (what a Telegram deep link can carry).
fn valid_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Country codes: two capital letters (ISO 3166-1 alpha-2).
fn valid_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
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

    /// A plain value inserted into built-in messages: not empty, no placeholder, nothing denied.
    fn plain(&self, key: &str, raw: &str) -> Result<String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(self.invalid(key, "is empty"));
        }
        if s.contains('{') || s.contains('}') {
            return Err(self.invalid(key, "must not contain { or }"));
        }
        if let Some(word) = denied_word(s) {
            return Err(
                self.invalid(key, format!("contains {word:?}, which messages must never say (see the deny-list)"))
            );
        }
        Ok(s.to_string())
    }

    /// Checks `[help]` against the decoy ads and renders every help text.
    fn help(
        &self,
        help: &HelpConfig,
        decoy_ads: &[String],
        default_ad: &str,
    ) -> Result<(HelpConfig, HelpTextsByCountry)> {
        if help.countries.is_empty() {
            return Err(self.invalid("help.countries", "needs at least one country"));
        }
        let mut countries = BTreeMap::new();
        for (code, line) in &help.countries {
            let key = format!("help.countries.{code}");
            if !valid_country(code) {
                return Err(self.invalid(key, "must be a two-letter country code in capitals (ISO 3166-1, e.g. GB)"));
            }
            let mut safe = BTreeMap::new();
            for (lang, text) in &line.safe {
                if !redflag_core::lang::SUPPORTED.contains(&lang.as_str()) {
                    return Err(self.invalid(
                        format!("{key}.safe.{lang}"),
                        format!("unsupported language (supported: {})", redflag_core::lang::SUPPORTED.join(", ")),
                    ));
                }
                safe.insert(lang.clone(), self.text(&format!("{key}.safe.{lang}"), text)?);
            }
            let checked = HelpLine {
                hotline: self.plain(&format!("{key}.hotline"), &line.hotline)?,
                emergency: self.plain(&format!("{key}.emergency"), &line.emergency)?,
                safe,
            };
            countries.insert(code.clone(), checked);
        }
        if !countries.contains_key(&help.country) {
            return Err(self.invalid(
                "help.country",
                format!("{:?} has no [help.countries.{}] entry", help.country, help.country),
            ));
        }
        for (ad, code) in &help.ads {
            if !decoy_ads.contains(ad) && ad != default_ad {
                return Err(self.invalid(format!("help.ads.{ad}"), "is not one of decoy_ads or default_decoy_ad"));
            }
            if !countries.contains_key(code) {
                return Err(
                    self.invalid(format!("help.ads.{ad}"), format!("{code:?} has no [help.countries.{code}] entry"))
                );
            }
        }
        let mut texts = BTreeMap::new();
        for (code, line) in &countries {
            let mut by_lang = BTreeMap::new();
            for lang in redflag_core::lang::SUPPORTED {
                let t = HelpTexts {
                    help: messages::help_text(lang, Some(line)),
                    follow_up: messages::help_follow_up_text(lang, Some(line)),
                    opt_out: messages::opt_out_text(lang, Some(line)),
                };
                for text in [&t.help, &t.follow_up, &t.opt_out] {
                    if let Some(word) = denied_word(text) {
                        return Err(self.invalid(
                            format!("help.countries.{code}"),
                            format!("the {lang} help message would contain {word:?}, which messages must never say"),
                        ));
                    }
                }
                by_lang.insert(lang.to_string(), t);
            }
            texts.insert(code.clone(), by_lang);
        }
        Ok((HelpConfig { country: help.country.clone(), ads: help.ads.clone(), countries }, texts))
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
                deterrence_minor: c.opt(&format!("{key}.deterrence_minor"), &r.deterrence_minor)?,
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
            if en.deterrence_minor.is_none() {
                return Err(c.invalid(
                    "replies.en.deterrence_minor",
                    "is required in decoy mode: the stronger message for buyers who ask about age or youth",
                ));
            }
            if file.help.is_none() {
                return Err(c.invalid(
                    "help",
                    "is required in decoy mode: the hotline and emergency number for people who ask for help",
                ));
            }
        }
        let l = file.limits;
        if l.messages_per_minute == 0 || l.messages_per_hour < l.messages_per_minute {
            return Err(c.invalid("limits", "messages_per_minute must be at least 1 and at most messages_per_hour"));
        }
        if !(100..=16 * 1024).contains(&l.max_message_chars) {
            return Err(c.invalid("limits.max_message_chars", "must be between 100 and 16384"));
        }
        for (number, ad) in &file.sms.numbers {
            let key = format!("sms.numbers.\"{number}\"");
            let digits = number.strip_prefix('+').unwrap_or("");
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(c.invalid(key, "must be a phone number in E.164 form, e.g. \"+15550001111\""));
            }
            if !file.decoy_ads.contains(ad) && *ad != file.default_decoy_ad {
                return Err(c.invalid(key, format!("{ad:?} is not one of decoy_ads or default_decoy_ad")));
            }
        }
        let (help, help_texts) = match &file.help {
            Some(h) => {
                let (h, t) = c.help(h, &file.decoy_ads, &file.default_decoy_ad)?;
                (Some(h), t)
            }
            None => (None, BTreeMap::new()),
        };
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
            help,
            help_texts,
            limits: file.limits,
            sms: file.sms,
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

    /// The stronger deterrence message for buyers who ask about age or youth.
    pub fn deterrence_minor(&self, lang: &str) -> Option<&str> {
        self.pick(lang, |r| r.deterrence_minor.as_deref())
    }

    /// The country whose help line serves a decoy ad, when `[help]` is configured.
    pub fn country_for(&self, decoy_ad: &str) -> Option<&str> {
        let h = self.help.as_ref()?;
        Some(h.ads.get(decoy_ad).unwrap_or(&h.country))
    }

    /// The help line for a decoy ad's country.
    pub fn help_line(&self, decoy_ad: &str) -> Option<&HelpLine> {
        let country = self.country_for(decoy_ad)?;
        self.help.as_ref()?.countries.get(country)
    }

    /// The help texts for a decoy ad's country in `lang` (a supported language; English otherwise), or
    /// `None` without `[help]`.
    pub fn help_texts(&self, decoy_ad: &str, lang: &str) -> Option<&HelpTexts> {
        let by_lang = self.help_texts.get(self.country_for(decoy_ad)?)?;
        by_lang.get(lang).or_else(|| by_lang.get("en"))
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
            for (name, t) in [
                ("closing", &r.closing),
                ("deterrence", &r.deterrence),
                ("deterrence_minor", &r.deterrence_minor),
                ("follow_up", &r.follow_up),
            ] {
                if let Some(t) = t {
                    out.push((format!("replies.{lang}.{name}"), t.as_str()));
                }
            }
        }
        for (country, by_lang) in &self.help_texts {
            for (lang, t) in by_lang {
                out.push((format!("help.{country}.{lang}.help"), t.help.as_str()));
                out.push((format!("help.{country}.{lang}.follow_up"), t.follow_up.as_str()));
                out.push((format!("help.{country}.{lang}.opt_out"), t.opt_out.as_str()));
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
deterrence_minor = "This was an automated account run by {org}. Asking about age is a warning sign. Help: {help}"
[help]
country = "GB"
[help.countries.GB]
hotline = "Example Helpline 0800 000 000"
emergency = "999"
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
            (MINIMAL.replace("deterrence_minor = ", "closing = "), "replies.en.deterrence_minor"),
            (MINIMAL.replace("country = \"GB\"", "country = \"IE\""), "help.country"),
            (MINIMAL.replace("[help.countries.GB]", "[help.countries.gb]"), "help.countries.gb"),
            (
                MINIMAL.replace("emergency = \"999\"", "emergency = \"999\"\nsafe.de = \"x\""),
                "help.countries.GB.safe.de",
            ),
            (
                MINIMAL.replace("[help.countries.GB]", "[help.ads]\nnowhere = \"GB\"\n[help.countries.GB]"),
                "help.ads.nowhere",
            ),
            (MINIMAL.replace("0800 000 000", "0800 000 000, ask for a massage"), "help.countries.GB.hotline"),
            (MINIMAL.replace("id = \"t1\"", "id = \"t1\"\n[limits]\nmessages_per_minute = 0"), "limits"),
            (MINIMAL.replace("id = \"t1\"", "id = \"t1\"\n[sms.numbers]\n\"555\" = \"direct\""), "sms.numbers.\"555\""),
            (
                MINIMAL.replace("id = \"t1\"", "id = \"t1\"\n[sms.numbers]\n\"+15550001111\" = \"nowhere\""),
                "sms.numbers.\"+15550001111\"",
            ),
        ] {
            let e = parse(&edit).unwrap_err().to_string();
            assert!(e.starts_with(&format!("<inline>: {key}:")), "{e}");
        }
        let e = parse("id = \"x\"\ncolour = \"red\"").unwrap_err().to_string();
        assert!(e.contains("colour") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn a_decoy_without_help_or_the_minor_message_does_not_load() {
        let start = MINIMAL.find("[help]").unwrap();
        let end = MINIMAL.find("[replies.es]").unwrap();
        let no_help = format!("{}{}", &MINIMAL[..start], &MINIMAL[end..]);
        let e = parse(&no_help).unwrap_err().to_string();
        assert!(e.starts_with("<inline>: help: is required in decoy mode"), "{e}");
        let e = parse(&MINIMAL.replace("deterrence_minor = ", "closing = ")).unwrap_err().to_string();
        assert!(e.contains("deterrence_minor: is required in decoy mode"), "{e}");
    }

    #[test]
    fn help_texts_follow_the_decoy_ads_country_and_the_language() {
        let text = MINIMAL.replace(
            "id = \"t1\"",
            "id = \"t1\"\ndecoy_ads = [\"dublin-1\"]",
        ).replace(
            "[replies.es]",
            "[help.ads]\ndublin-1 = \"IE\"\n[help.countries.IE]\nhotline = \"Example Line IE 1800 000 000\"\nemergency = \"112\"\nsafe.es = \"Puedes escribir en lugar de llamar.\"\n[replies.es]",
        );
        let p = parse(&text).unwrap();
        let gb = p.help_texts("direct", "en").unwrap();
        assert!(gb.help.contains("Example Helpline 0800 000 000") && gb.help.contains("999"), "{}", gb.help);
        let ie = p.help_texts("dublin-1", "es").unwrap();
        assert!(ie.help.contains("1800 000 000") && ie.help.contains("112"), "{}", ie.help);
        assert!(ie.help.ends_with("Puedes escribir en lugar de llamar."), "{}", ie.help);
        assert!(ie.help.starts_with("Esta es una cuenta automática"), "{}", ie.help);
        assert_eq!(p.help_texts("dublin-1", "de"), p.help_texts("dublin-1", "en"));
    }
}
