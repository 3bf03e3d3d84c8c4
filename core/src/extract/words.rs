//! Word lists the extractors share: spelled-out digits, phone and e-mail context words, messenger
//! names. All entries are folded (lowercase, no accents), as they are matched against folded text.

use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::LazyLock;

use super::Spans;
use crate::text::is_whole_word;

/// Digits spelled as words in English, Spanish, French, Portuguese and Indonesian.
///
/// Homophones (`to`, `for`, `ate`) are left out: they are far more often words than digits. The
/// Brazilian `meia` ("half", i.e. half a dozen) is read as 6, as Brazilians do when saying numbers.
const DIGIT_WORDS: &[(&str, u8)] = &[
    // English
    ("zero", 0),
    ("oh", 0),
    ("o", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    // Spanish
    ("cero", 0),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    // French (zéro folds to zero)
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    // Portuguese (três folds to tres)
    ("um", 1),
    ("uma", 1),
    ("dois", 2),
    ("duas", 2),
    ("quatro", 4),
    ("meia", 6),
    ("sete", 7),
    ("oito", 8),
    ("nove", 9),
    // Indonesian
    ("nol", 0),
    ("kosong", 0),
    ("satu", 1),
    ("dua", 2),
    ("tiga", 3),
    ("empat", 4),
    ("lima", 5),
    ("enam", 6),
    ("tujuh", 7),
    ("delapan", 8),
    ("sembilan", 9),
];

/// The digit a folded word spells, if any.
pub(crate) fn digit_word(word: &str) -> Option<u8> {
    DIGIT_WORDS.iter().find(|(w, _)| *w == word).map(|&(_, d)| d)
}

/// A French number from 10 to 99 spelled in words at the start of `text` (folded: lowercase, accents
/// removed), as French numbers are dictated two digits at a time: `dix`, `douze`, `trente-neuf`,
/// `soixante et onze`, `soixante-quinze`, `quatre-vingt-dix-huit`. Parts are joined by `-`, one space or
/// ` et `. Returns the value and the byte length read; `None` for anything else (a bare `quatre` is a
/// digit, read by [`digit_word`]).
pub(crate) fn french_tens(text: &str) -> Option<(u8, usize)> {
    // The words of `text` from byte `at`, each with its end, joined by at most one `-` or space.
    let next = |at: usize| -> Option<(&str, usize)> {
        let rest = &text[at..];
        let len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        (len > 0).then(|| (&rest[..len], at + len))
    };
    let joined = |end: usize| -> Option<(&str, usize)> {
        let rest = &text[end..];
        let skip = if rest.starts_with(" et ") || rest.starts_with("-et-") {
            4
        } else if rest.starts_with(['-', ' ']) {
            1
        } else {
            return None;
        };
        next(end + skip)
    };
    let unit = |w: &str| match w {
        "un" | "une" => Some(1),
        "deux" => Some(2),
        "trois" => Some(3),
        "quatre" => Some(4),
        "cinq" => Some(5),
        "six" => Some(6),
        "sept" => Some(7),
        "huit" => Some(8),
        "neuf" => Some(9),
        _ => None,
    };
    // 10–19 from `at`: `dix`, `onze` … `seize`, `dix-sept` … `dix-neuf`.
    let teen = |w: &str, end: usize| -> Option<(u8, usize)> {
        let v = match w {
            "dix" => 10,
            "onze" => 11,
            "douze" => 12,
            "treize" => 13,
            "quatorze" => 14,
            "quinze" => 15,
            "seize" => 16,
            _ => return None,
        };
        if v == 10
            && let Some((u, e)) = joined(end)
            && let Some(d @ 7..=9) = unit(u)
        {
            return Some((10 + d, e));
        }
        Some((v, end))
    };
    let (w, end) = next(0)?;
    if let Some(t) = teen(w, end) {
        return Some(t);
    }
    let (base, end) = match w {
        "vingt" => (20, end),
        "trente" => (30, end),
        "quarante" => (40, end),
        "cinquante" => (50, end),
        "soixante" => (60, end),
        "quatre" => match joined(end)? {
            // `quatre-vingts` ends the number; `quatre-vingt` takes a unit or a teen.
            ("vingts", e) => return Some((80, e)),
            ("vingt", e) => (80, e),
            _ => return None,
        },
        _ => return None,
    };
    let Some((w2, e2)) = joined(end) else { return Some((base, end)) };
    if matches!(base, 60 | 80)
        && let Some((t, e)) = teen(w2, e2)
    {
        return Some((base + t, e));
    }
    // A unit after a ten is its unit, unless it starts the next number (`quarante quatre-vingts`).
    let next_is_eighty = w2 == "quatre" && matches!(joined(e2), Some(("vingt" | "vingts", _)));
    match unit(w2) {
        Some(u) if !next_is_eighty => Some((base + u, e2)),
        _ => Some((base, end)),
    }
}

/// Labels after which a number is an identifier, not a phone number: company, tax and licence numbers,
/// references, postcodes (folded).
const ID_LABELS: &[&str] = &[
    "siret",
    "siren",
    "rcs",
    "naf",
    "ape",
    "vat",
    "tva",
    "registration",
    "registered",
    "reg",
    "licence",
    "license",
    "lic",
    "permit",
    "ref",
    "reference",
    "req",
    "requisition",
    "job",
    "postcode",
    "zip",
    "iban",
    "ein",
    "abn",
    "acn",
    "nif",
    "nie",
    "cif",
    "cnpj",
    "cpf",
    "npwp",
    "invoice",
    "order",
    "account",
    "policy",
    "badge",
    "employee",
];

/// Words between a label and its number: `no.`, `number`, `id`, a country prefix (`GB`, `FR`).
const ID_FILLERS: &[&str] =
    &["no", "n", "nr", "num", "number", "numero", "id", "code", "gb", "fr", "us", "intracommunautaire", "vat", "reg"];

/// Whether the folded text right before a number ends with an identifier label (`SIRET :`,
/// `VAT reg. no. GB`, `Company No.`, `Job reference:`, `Req ID`, `License #`, `Postcode`).
pub(crate) fn after_id_label(before: &str) -> bool {
    let tail_start = before.len().saturating_sub(48);
    let tail_start = (tail_start..=before.len()).find(|&i| before.is_char_boundary(i)).unwrap_or(before.len());
    let tail = &before[tail_start..];
    // The text between the last word and the number may hold only label punctuation.
    let gap = tail.len() - tail.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    if !tail[tail.len() - gap..].chars().all(|c| matches!(c, ' ' | ':' | '#' | '.' | '-' | '°' | 'º' | '(' | '\t')) {
        return false;
    }
    let words: Vec<&str> = tail.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut skipped_number_word = false;
    for w in words.iter().rev().take(5) {
        if ID_LABELS.contains(w) {
            return true;
        }
        if *w == "company" || *w == "societe" {
            return skipped_number_word;
        }
        if ID_FILLERS.contains(w) {
            skipped_number_word |= matches!(*w, "no" | "n" | "nr" | "num" | "number" | "numero" | "reg");
            continue;
        }
        return false;
    }
    false
}

/// Words that may sit inside a number dictated in two parts (`213 (then) 555-0162`).
pub(crate) fn bridge_word(word: &str) -> bool {
    matches!(word, "then" | "puis" | "ensuite" | "luego" | "despues" | "depois" | "lalu" | "kemudian")
}

/// `double five` = 55, `triple zero` = 000 (English only; other languages rarely say it).
pub(crate) fn repeat_word(word: &str) -> Option<usize> {
    match word {
        "double" => Some(2),
        "triple" => Some(3),
        _ => None,
    }
}

/// Words that say a nearby number is a phone number.
const PHONE_CONTEXT: &[&str] = &[
    "call",
    "calls",
    "text",
    "txt",
    "sms",
    "phone",
    "ph",
    "tel",
    "tlf",
    "telf",
    "telp",
    "telpon",
    "telepon",
    "telefono",
    "telephone",
    "telefone",
    "telemovel",
    "cell",
    "cel",
    "celular",
    "mobile",
    "mob",
    "movil",
    "portable",
    "number",
    "num",
    "numero",
    "nomor",
    "no hp",
    "hp",
    "wa",
    "whatsapp",
    "whats",
    "wsp",
    "wpp",
    "zap",
    "contact",
    "contacto",
    "contato",
    "contactez",
    "kontak",
    "hubungi",
    "llama",
    "llamame",
    "llamar",
    "liga",
    "ligue",
    "ligar",
    "appelle",
    "appelez",
    "appel",
    "signal",
    "telegram",
    "viber",
    "line",
    "ring",
    "dial",
    "reach",
];

static PHONE_CONTEXT_AC: LazyLock<AhoCorasick> = LazyLock::new(|| build(PHONE_CONTEXT));

fn build(words: &[&str]) -> AhoCorasick {
    AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(words).expect("static word list builds")
}

/// Start offsets of whole-word phone context words in folded text, in order.
pub(crate) fn phone_context_positions(folded: &str) -> Vec<usize> {
    PHONE_CONTEXT_AC
        .find_iter(folded)
        .filter(|m| is_whole_word(folded, m.start(), m.end()))
        .map(|m| m.start())
        .collect()
}

/// Words that make `name at domain dot com` read as an e-mail address.
const EMAIL_CONTEXT: &[&str] = &[
    "email",
    "e-mail",
    "mail",
    "correo",
    "courriel",
    "contact",
    "contacto",
    "contato",
    "contactez",
    "kontak",
    "surel",
    "escribe",
    "escribeme",
    "ecris",
    "ecrivez",
    "escreva",
    "kirim",
    "write",
    "send",
    "cv",
];

static EMAIL_CONTEXT_AC: LazyLock<AhoCorasick> = LazyLock::new(|| build(EMAIL_CONTEXT));

/// Whether an e-mail context word occurs as a whole word in `folded[from..to]`.
pub(crate) fn has_email_context(folded: &str, from: usize, to: usize) -> bool {
    let (from, to) = char_range(folded, from, to);
    let window = &folded[from..to];
    EMAIL_CONTEXT_AC.find_iter(window).any(|m| is_whole_word(window, m.start(), m.end()))
}

/// Well-known mail providers: `jane at gmail dot com` needs no other context.
pub(crate) const MAIL_PROVIDERS: &[&str] = &[
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "live",
    "msn",
    "icloud",
    "me",
    "aol",
    "protonmail",
    "proton",
    "pm",
    "gmx",
    "yandex",
    "mail",
    "zoho",
    "tutanota",
    "bol",
    "uol",
    "terra",
    "orange",
    "free",
    "laposte",
    "wanadoo",
    "sfr",
];

/// Top-level domains accepted in spelled-out addresses (`dot com`), which are easier to fake.
pub(crate) const COMMON_TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "co", "io", "me", "us", "uk", "ca", "mx", "es", "fr", "br", "pt", "id", "de",
    "it", "nl", "be", "ch", "at", "ru", "ua", "ro", "pl", "au", "nz", "ar", "cl", "pe", "ve", "ec", "do", "ph", "th",
    "vn", "my", "sg", "in", "za", "ng", "ke", "edu", "gov",
];

/// A messenger or social network a handle belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Telegram,
    WhatsApp,
    Instagram,
    Snapchat,
    WeChat,
    Line,
    Kik,
    Signal,
    Twitter,
}

impl Service {
    /// The prefix used in handle values (`telegram:jane`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::Telegram => "telegram",
            Service::WhatsApp => "whatsapp",
            Service::Instagram => "instagram",
            Service::Snapchat => "snapchat",
            Service::WeChat => "wechat",
            Service::Line => "line",
            Service::Kik => "kik",
            Service::Signal => "signal",
            Service::Twitter => "twitter",
        }
    }

    /// Whether the service identifies people by phone number (so a number next to its name is also
    /// a handle on it).
    pub(crate) fn uses_phone_numbers(self) -> bool {
        matches!(self, Service::WhatsApp | Service::Signal | Service::Telegram)
    }

    /// Whether the service has user names (WhatsApp and Signal are reached by number).
    pub(crate) fn has_user_names(self) -> bool {
        !matches!(self, Service::WhatsApp | Service::Signal)
    }
}

/// How ads name each service (folded).
const SERVICE_WORDS: &[(&str, Service)] = &[
    ("telegram", Service::Telegram),
    ("telegrama", Service::Telegram),
    ("tg", Service::Telegram),
    ("tlgrm", Service::Telegram),
    ("whatsapp", Service::WhatsApp),
    ("whats app", Service::WhatsApp),
    ("whatsap", Service::WhatsApp),
    ("watsapp", Service::WhatsApp),
    ("watsap", Service::WhatsApp),
    ("wassap", Service::WhatsApp),
    ("wasap", Service::WhatsApp),
    ("whats", Service::WhatsApp),
    ("wsp", Service::WhatsApp),
    ("wpp", Service::WhatsApp),
    ("wa", Service::WhatsApp),
    ("zap", Service::WhatsApp),
    ("zapzap", Service::WhatsApp),
    ("instagram", Service::Instagram),
    ("insta", Service::Instagram),
    ("ig", Service::Instagram),
    ("snapchat", Service::Snapchat),
    ("snap", Service::Snapchat),
    ("sc", Service::Snapchat),
    ("wechat", Service::WeChat),
    ("we chat", Service::WeChat),
    ("weixin", Service::WeChat),
    ("wx", Service::WeChat),
    ("line", Service::Line),
    ("line id", Service::Line),
    ("kik", Service::Kik),
    ("signal", Service::Signal),
    ("twitter", Service::Twitter),
];

static SERVICE_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words: Vec<&str> = SERVICE_WORDS.iter().map(|(w, _)| *w).collect();
    build(&words)
});

/// A service name found in folded text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServiceMention {
    pub start: usize,
    pub end: usize,
    pub service: Service,
}

/// Every whole-word service name in folded text outside `urls`, in order.
pub(crate) fn service_mentions(folded: &str, urls: &Spans) -> Vec<ServiceMention> {
    SERVICE_AC
        .find_iter(folded)
        .filter(|m| is_whole_word(folded, m.start(), m.end()) && !urls.overlaps(m.start(), m.end()))
        .map(|m| ServiceMention { start: m.start(), end: m.end(), service: SERVICE_WORDS[m.pattern().as_usize()].1 })
        .collect()
}

/// The service a whole folded word names, if any.
pub(crate) fn service_named(word: &str) -> Option<Service> {
    SERVICE_WORDS.iter().find(|(w, _)| *w == word).map(|&(_, s)| s)
}

/// Clamps `from..to` into `s` and widens it to character boundaries.
pub(crate) fn char_range(s: &str, from: usize, to: usize) -> (usize, usize) {
    let mut from = from.min(s.len());
    let mut to = to.min(s.len()).max(from);
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    while !s.is_char_boundary(to) {
        to += 1;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_folded() {
        let folded = |w: &str| crate::text::fold(w) == w;
        assert!(DIGIT_WORDS.iter().all(|(w, _)| folded(w)));
        assert!(PHONE_CONTEXT.iter().all(|w| folded(w)));
        assert!(EMAIL_CONTEXT.iter().all(|w| folded(w)));
        assert!(SERVICE_WORDS.iter().all(|(w, _)| folded(w)));
    }

    #[test]
    fn context_words_need_word_boundaries() {
        assert_eq!(phone_context_positions("recall me, call 702"), vec![11]);
        let none = Spans::default();
        assert!(service_mentions("swap", &none).is_empty());
        assert_eq!(service_mentions("tg: @x", &none)[0].service, Service::Telegram);
    }
}
