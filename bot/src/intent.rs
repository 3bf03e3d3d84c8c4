//! Purchase-intent detection in buyers' messages: transparent rules, each detection with its evidence.
//!
//! Six kinds of signal, each a list of phrases per supported language (matched as whole words after
//! folding case and accents, see [`crate::phrases`]) except money, which is any price that
//! `redflag_core::extract` finds (`$200`, `150 roses`, `2.000 pesos`):
//!
//! | signal | weight | examples |
//! |---|---|---|
//! | [`Signal::Money`] | 2 | `$150`, `200 euros`, `Rp 500 ribu` |
//! | [`Signal::Rates`] | 2 | `how much`, `your rates`, `cuánto cobras`, `c'est combien`, `qual o valor`, `harganya` |
//! | [`Signal::Services`] | 2 | `what services`, `servicios`, `prestations`, `layanan` |
//! | [`Signal::Logistics`] | 1 | `incall`, `where are you`, `which hotel`, `esta noche`, `chez toi`, `ketemuan` |
//! | [`Signal::Duration`] | 1 | `an hour`, `half hour`, `media hora`, `toute la nuit`, `satu jam` |
//! | [`Signal::Minor`] | 2 | `how old are you`, `teen`, `16 yo`, `cuántos años tienes`, `jovencita`, `quel âge`, `novinha`, `abg` |
//!
//! [`Signal::Minor`] is more than a score: a buyer who asks about age or youth, or whose message
//! suggests a minor, gets the persona's stronger deterrence message at once and the conversation is
//! flagged, whatever the threshold ([`crate::engine`]). A negation right before a minor cue cancels it
//! ("no minors", see [`crate::negation`]); `{n}` in a phrase stands for every age from 10 to 17.
//!
//! A message scores at most once per signal; the conversation engine adds the scores of successive
//! messages and detects intent when the total reaches the persona's threshold (2 by default): one money
//! amount, rate or services question is enough, a meeting-logistics question needs a second signal. The
//! phrases of every language run on every message, because buyers mix languages. Each
//! [`Detection`] names the rule that fired (`rates.es`, `money`), which is what the store keeps as the
//! evidence for having sent a deterrence message.

use std::collections::BTreeSet;

use redflag_core::EntityKind;
use redflag_core::extract::{ExtractOptions, extract};

use crate::help::expand_ages;
use crate::phrases::{Normalized, PhraseSet};

/// A kind of purchase-intent signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    /// A money amount.
    Money,
    /// A question about prices or rates.
    Rates,
    /// A question about "services".
    Services,
    /// Meeting logistics: time, place, incall/outcall, hotel.
    Logistics,
    /// A booking length: an hour, half an hour, overnight.
    Duration,
    /// A question about age or youth, or words that suggest a minor.
    Minor,
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 6] =
        [Signal::Money, Signal::Rates, Signal::Services, Signal::Logistics, Signal::Duration, Signal::Minor];

    /// The name used in rule ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Money => "money",
            Signal::Rates => "rates",
            Signal::Services => "services",
            Signal::Logistics => "logistics",
            Signal::Duration => "duration",
            Signal::Minor => "minor",
        }
    }

    /// How much one message with this signal adds to the conversation's intent score.
    pub fn weight(self) -> u32 {
        match self {
            Signal::Money | Signal::Rates | Signal::Services | Signal::Minor => 2,
            Signal::Logistics | Signal::Duration => 1,
        }
    }
}

/// The built-in phrases: (language, signal, phrases). Buyer-side vocabulary only; none of it is ever
/// sent by the bot.
pub const PHRASES: &[(&str, Signal, &[&str])] = &[
    (
        "en",
        Signal::Rates,
        &[
            "how much",
            "your rate",
            "your rates",
            "rates",
            "price",
            "prices",
            "pricing",
            "donation",
            "donations",
            "roses",
            "what do you charge",
            "how much do you charge",
            "cost",
            "fee",
            "fees",
            "discount",
            "cheaper",
            "negotiable",
            "cash",
            "cashapp",
            "venmo",
        ],
    ),
    (
        "en",
        Signal::Services,
        &[
            "services",
            "service",
            "what do you offer",
            "what is included",
            "whats included",
            "menu",
            "extras",
            "specials",
        ],
    ),
    (
        "en",
        Signal::Logistics,
        &[
            "incall",
            "outcall",
            "in call",
            "out call",
            "your place",
            "my place",
            "come over",
            "come to me",
            "come to you",
            "meet up",
            "meetup",
            "can we meet",
            "where are you",
            "where r u",
            "where are you located",
            "location",
            "address",
            "hotel",
            "motel",
            "room number",
            "what time",
            "tonight",
            "tomorrow night",
            "this evening",
            "right now",
            "asap",
            "are you free",
            "available now",
            "pick you up",
            "parking",
            "which hotel",
            "which area",
        ],
    ),
    (
        "en",
        Signal::Duration,
        &[
            "an hour",
            "one hour",
            "1 hour",
            "1hr",
            "1 hr",
            "half hour",
            "half an hour",
            "hhr",
            "qv",
            "quick visit",
            "30 min",
            "30 mins",
            "30 minutes",
            "two hours",
            "2 hours",
            "overnight",
            "all night",
            "15 min",
            "short time",
            "long time",
        ],
    ),
    (
        "es",
        Signal::Rates,
        &[
            "cuanto cobras",
            "cuanto cuesta",
            "cuanto es",
            "cuanto sale",
            "cuanto por",
            "precio",
            "precios",
            "tarifa",
            "tarifas",
            "cobras",
            "donativo",
            "descuento",
            "efectivo",
            "rosas",
        ],
    ),
    ("es", Signal::Services, &["servicios", "servicio", "que ofreces", "que incluye", "extras"]),
    (
        "es",
        Signal::Logistics,
        &[
            "donde estas",
            "donde te ubicas",
            "donde nos vemos",
            "direccion",
            "ubicacion",
            "hotel",
            "motel",
            "tu casa",
            "mi casa",
            "a domicilio",
            "domicilio",
            "nos vemos",
            "quedamos",
            "esta noche",
            "ahora mismo",
            "a que hora",
            "estas libre",
            "disponible ahora",
            "paso por ti",
            "te recojo",
        ],
    ),
    (
        "es",
        Signal::Duration,
        &["una hora", "1 hora", "media hora", "30 minutos", "toda la noche", "dos horas", "2 horas", "un rato"],
    ),
    (
        "fr",
        Signal::Rates,
        &[
            "c'est combien",
            "combien pour",
            "combien tu prends",
            "tu prends combien",
            "combien ca coute",
            "tarif",
            "tarifs",
            "prix",
            "ca coute",
            "cadeau",
            "cadeaux",
            "remise",
            "reduction",
            "especes",
        ],
    ),
    (
        "fr",
        Signal::Services,
        &["prestations", "prestation", "tu proposes quoi", "qu'est-ce que tu proposes", "que proposes-tu"],
    ),
    (
        "fr",
        Signal::Logistics,
        &[
            "ou es-tu",
            "tu es ou",
            "t'es ou",
            "adresse",
            "hotel",
            "chez toi",
            "chez moi",
            "je viens",
            "tu peux venir",
            "on se voit",
            "rendez-vous",
            "rdv",
            "ce soir",
            "tout de suite",
            "a quelle heure",
            "tu es dispo",
            "dispo ce soir",
            "quel quartier",
        ],
    ),
    (
        "fr",
        Signal::Duration,
        &["une heure", "1 heure", "1h", "demi-heure", "30 min", "toute la nuit", "deux heures", "2h"],
    ),
    (
        "pt",
        Signal::Rates,
        &[
            "quanto custa",
            "quanto e",
            "quanto cobra",
            "quanto voce cobra",
            "quanto vc cobra",
            "preco",
            "precos",
            "valor",
            "valores",
            "qual o valor",
            "cache",
            "desconto",
            "dinheiro",
            "pix",
        ],
    ),
    ("pt", Signal::Services, &["servicos", "servico", "o que inclui", "o que oferece", "o que voce oferece"]),
    (
        "pt",
        Signal::Logistics,
        &[
            "onde voce esta",
            "onde vc esta",
            "onde fica",
            "onde voce mora",
            "endereco",
            "com local",
            "tem local",
            "hotel",
            "motel",
            "sua casa",
            "minha casa",
            "hoje a noite",
            "que horas",
            "a que horas",
            "vamos nos ver",
            "te encontrar",
            "encontro",
            "esta livre",
            "qual bairro",
        ],
    ),
    (
        "pt",
        Signal::Duration,
        &["uma hora", "1 hora", "meia hora", "30 minutos", "a noite toda", "noite toda", "pernoite", "duas horas"],
    ),
    (
        "id",
        Signal::Rates,
        &[
            "harga",
            "harganya",
            "tarif",
            "tarifnya",
            "berapa harganya",
            "bayar berapa",
            "nego",
            "diskon",
            "biaya",
            "ongkos",
        ],
    ),
    ("id", Signal::Services, &["layanan", "servis", "paket"]),
    (
        "id",
        Signal::Logistics,
        &[
            "di mana",
            "dimana",
            "lokasi",
            "alamat",
            "hotel",
            "kamar",
            "ketemu",
            "ketemuan",
            "malam ini",
            "jam berapa",
            "apartemen",
            "bisa keluar",
        ],
    ),
    (
        "id",
        Signal::Duration,
        &["satu jam", "1 jam", "setengah jam", "semalam", "sampai pagi", "short time", "long time"],
    ),
    (
        "en",
        Signal::Minor,
        &[
            "how old are you",
            "how old r u",
            "how old",
            "whats your age",
            "what age",
            "your age",
            "are you 18",
            "are you over 18",
            "are you legal",
            "r u legal",
            "young",
            "younger",
            "youngest",
            "teen",
            "teens",
            "teenager",
            "schoolgirl",
            "school girl",
            "school uniform",
            "high school",
            "still in school",
            "underage",
            "under 18",
            "are you a minor",
            "minors",
            "little girl",
            "barely legal",
            "jailbait",
            "{n} years old",
            "{n} yo",
            "{n}yo",
            "age {n}",
            "aged {n}",
        ],
    ),
    (
        "es",
        Signal::Minor,
        &[
            "cuantos anos tienes",
            "cuantos anos",
            "que edad tienes",
            "tu edad",
            "que edad",
            "eres mayor de edad",
            "eres menor",
            "menor de edad",
            "menores",
            "jovencita",
            "jovencitas",
            "jovencito",
            "muy joven",
            "joven",
            "jovenes",
            "colegiala",
            "colegialas",
            "adolescente",
            "adolescentes",
            "una nina",
            "ninas",
            "chiquilla",
            "de secundaria",
            "del colegio",
            "{n} anos",
        ],
    ),
    (
        "fr",
        Signal::Minor,
        &[
            "quel age",
            "tu as quel age",
            "t'as quel age",
            "ton age",
            "es tu majeure",
            "t'es majeure",
            "majeure",
            "mineure",
            "mineures",
            "mineur",
            "jeune",
            "jeunes",
            "jeunette",
            "tres jeune",
            "ado",
            "ados",
            "adolescente",
            "lyceenne",
            "collegienne",
            "ecoliere",
            "petite fille",
            "{n} ans",
        ],
    ),
    (
        "pt",
        Signal::Minor,
        &[
            "quantos anos voce tem",
            "quantos anos vc tem",
            "quantos anos",
            "qual sua idade",
            "qual a sua idade",
            "sua idade",
            "e maior de idade",
            "menor de idade",
            "de menor",
            "menores",
            "novinha",
            "novinhas",
            "novinho",
            "bem novinha",
            "jovem",
            "jovens",
            "adolescente",
            "colegial",
            "ninfeta",
            "{n} anos",
        ],
    ),
    (
        "id",
        Signal::Minor,
        &[
            "umur berapa",
            "berapa umur",
            "berapa umurmu",
            "umurmu",
            "umur kamu",
            "usia berapa",
            "berapa usia",
            "usiamu",
            "masih muda",
            "abg",
            "anak sekolah",
            "anak sma",
            "anak smp",
            "masih sma",
            "masih smp",
            "pelajar",
            "di bawah umur",
            "bawah umur",
            "daun muda",
            "{n} tahun",
        ],
    ),
];

/// One rule that fired on a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Detection {
    /// The rule's id: `<signal>.<language>` for phrase rules (`rates.es`), `<signal>.operator` for the
    /// persona file's extra phrases, `money` for amounts.
    pub rule: String,
    /// The kind of signal.
    pub signal: Signal,
    /// Byte offset of the matched text in the message.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// The matched text as written.
    pub quote: String,
}

/// What the detector found in one message.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MessageSignals {
    /// Every rule that fired, in order of position.
    pub detections: Vec<Detection>,
    /// The message's score: the sum of the weights of the distinct signals found.
    pub score: u32,
}

impl MessageSignals {
    /// Whether a minor cue fired.
    pub fn minor(&self) -> bool {
        self.detections.iter().any(|d| d.signal == Signal::Minor)
    }

    /// The distinct rule ids that fired, in order of first appearance.
    pub fn rules(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &self.detections {
            if !out.contains(&d.rule) {
                out.push(d.rule.clone());
            }
        }
        out
    }
}

/// Where a phrase came from.
#[derive(Debug, Clone, Copy)]
struct Origin {
    signal: Signal,
    /// A supported language, or `operator` for phrases from the persona file.
    source: &'static str,
}

/// Finds purchase-intent signals in a message. Cheap to build, cheaper to run: a few hundred phrase
/// searches over a message of at most a few kilobytes.
#[derive(Debug, Clone)]
pub struct IntentDetector {
    phrases: PhraseSet<Origin>,
}

impl Default for IntentDetector {
    fn default() -> Self {
        IntentDetector::new(&[])
    }
}

impl IntentDetector {
    /// The built-in rules plus `extra` phrases (local slang an operator adds in the persona file).
    pub fn new(extra: &[(Signal, String)]) -> IntentDetector {
        let builtin = PHRASES.iter().flat_map(|(lang, signal, list)| {
            list.iter().flat_map(move |p| {
                expand_ages(p).into_iter().map(move |p| (p, Origin { signal: *signal, source: lang }))
            })
        });
        let extra = extra.iter().map(|(signal, p)| (p.clone(), Origin { signal: *signal, source: "operator" }));
        // A phrase listed for several languages ("hotel") fires once, as the first language's rule.
        let mut seen = std::collections::HashSet::new();
        let unique = builtin
            .chain(extra)
            .filter(|(p, o)| seen.insert((crate::phrases::normalize_phrase(p), o.signal)))
            .collect::<Vec<_>>();
        IntentDetector { phrases: PhraseSet::new(unique.iter().map(|(p, o)| (p.as_str(), *o))) }
    }

    /// The signals in one message.
    pub fn detect(&self, text: &str) -> MessageSignals {
        let mut detections = Vec::new();
        for e in extract(text, &ExtractOptions::default()).of_kind(EntityKind::Price) {
            detections.push(Detection {
                rule: Signal::Money.as_str().to_string(),
                signal: Signal::Money,
                start: e.start,
                end: e.end,
                quote: e.raw.clone(),
            });
        }
        let norm = Normalized::new(text);
        for (s, e, origin) in self.phrases.find_all(&norm) {
            let (start, end) = norm.original_span(s, e);
            // A phrase inside an amount ("200 euros" is money, not also a rate word) adds nothing.
            if detections.iter().any(|d| d.signal == Signal::Money && d.start < end && start < d.end) {
                continue;
            }
            // "no minors" is not a minor cue.
            if origin.signal == Signal::Minor && crate::negation::negated(text, start, origin.source) {
                continue;
            }
            detections.push(Detection {
                rule: format!("{}.{}", origin.signal.as_str(), origin.source),
                signal: origin.signal,
                start,
                end,
                quote: text.get(start..end).unwrap_or_default().to_string(),
            });
        }
        detections.sort_by_key(|d| (d.start, d.end));
        let signals: BTreeSet<Signal> = detections.iter().map(|d| d.signal).collect();
        let score = signals.iter().map(|s| s.weight()).sum();
        MessageSignals { detections, score }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> (Vec<String>, u32) {
        let m = IntentDetector::default().detect(text);
        (m.rules(), m.score)
    }

    #[test]
    fn money_amounts_are_strong_signals() {
        let m = IntentDetector::default().detect("would you take $150?");
        assert_eq!(m.score, 2);
        assert_eq!(m.detections[0].rule, "money");
        assert_eq!(m.detections[0].quote, "$150");
    }

    #[test]
    fn each_signal_counts_once_per_message() {
        // Two logistics phrases, one signal.
        assert_eq!(rules("where are you? which hotel?"), (vec!["logistics.en".to_string()], 1));
        let (r, score) = rules("¿Cuánto cobras por una hora?");
        assert_eq!(r, ["rates.es", "duration.es"]);
        assert_eq!(score, 3);
    }

    #[test]
    fn small_talk_scores_nothing() {
        for text in [
            "Hi, how are you?",
            "What's your name?",
            "I'm good thanks, just got off work",
            "Hola, ¿qué tal tu día?",
            "Salut, ça va ?",
            "Oi, tudo bem?",
            "Halo, apa kabar?",
        ] {
            assert_eq!(rules(text), (vec![], 0), "{text}");
        }
    }

    #[test]
    fn minor_cues_fire_unless_negated() {
        assert_eq!(rules("how old are you?"), (vec!["minor.en".to_string()], 2));
        assert_eq!(rules("¿Cuántos años tienes?").0, ["minor.es"]);
        assert_eq!(rules("t'as quel âge ?").0, ["minor.fr"]);
        assert_eq!(rules("você é novinha?").0, ["minor.pt"]);
        assert_eq!(rules("kamu umur berapa?").0, ["minor.id"]);
        assert_eq!(rules("is she 16 yo").0, ["minor.en"]);
        assert!(rules("she is 25 yo").0.is_empty());
        assert!(rules("no minors, how much?").0.iter().all(|r| r != "minor.en"));
        assert!(IntentDetector::default().detect("how old are you").minor());
    }

    #[test]
    fn operator_phrases_are_rules_of_their_own() {
        let d = IntentDetector::new(&[(Signal::Rates, "party favors".into())]);
        assert_eq!(d.detect("any party favors?").rules(), ["rates.operator"]);
    }
}
