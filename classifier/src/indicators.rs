//! Finding indicators in one ad: phrase patterns per language, built-in detectors, and the evidence
//! (byte spans of the scoring text) for each.

use redflag_core::extract::{EntityKind, Extracted};
use redflag_core::{AdFields, AdKind, Evidence, NetworkContext};
use regex::Regex;
use std::sync::LazyLock;

use crate::catalogue::{Catalogue, Detector, Indicator, lowercase_same_offsets};
use crate::data::JobRecord;
use redflag_core::lang::LanguageInfo;

/// At most this many evidence spans are kept per indicator.
const MAX_SPANS: usize = 8;

/// `escort.network_names` fires for networks of at least this many ads ...
const NETWORK_NAMES_MIN_ADS: usize = 5;
/// ... that advertise at least this many different names.
const NETWORK_NAMES_MIN_NAMES: usize = 3;

/// Everything known about an ad when looking for indicators.
pub(crate) struct Context<'a> {
    pub kind: AdKind,
    /// The scoring text; evidence offsets point into it.
    pub text: &'a str,
    pub lang: &'a LanguageInfo,
    pub fields: Option<&'a AdFields>,
    pub extracted: &'a Extracted,
    pub network: Option<NetworkContext>,
    pub job: Option<&'a JobRecord>,
}

/// One indicator that fired.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub indicator: usize,
    pub evidence: Vec<Evidence>,
    pub note: Option<String>,
}

/// Finds every indicator of `ctx.kind` in the ad.
pub(crate) fn find(cat: &Catalogue, ctx: &Context<'_>) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let active = ctx.lang.active_languages();
    let matcher = cat.matcher(ctx.kind);
    // Offsets in the lowercased copy are offsets in the text, so evidence quotes the original.
    let lower = lowercase_same_offsets(ctx.text);
    for pre in &matcher.prefilters {
        if let Some(lang) = &pre.lang
            && !active.contains(&lang.as_str())
        {
            continue;
        }
        for k in pre.set.matches(&lower).iter() {
            let pi = pre.patterns[k];
            let p = &matcher.patterns[pi];
            let ind = &cat.indicators[p.indicator];
            for m in p.regex.find_iter(&lower) {
                if ind.negation && negated(ctx.text, m.start()) {
                    continue;
                }
                add_span(&mut hits, p.indicator, ctx.text, m.start(), m.end());
            }
        }
    }
    for (i, ind) in cat.of_kind(ctx.kind) {
        if let Some(d) = ind.detector {
            detect(d, i, ind, ctx, &mut hits);
        }
    }
    for h in &mut hits {
        h.evidence.sort_by_key(|e| e.start);
    }
    hits.sort_by_key(|h| h.indicator);
    hits
}

fn hit_mut(hits: &mut Vec<Hit>, indicator: usize) -> &mut Hit {
    if let Some(pos) = hits.iter().position(|h| h.indicator == indicator) {
        &mut hits[pos]
    } else {
        hits.push(Hit { indicator, evidence: Vec::new(), note: None });
        hits.last_mut().expect("just pushed")
    }
}

fn add_span(hits: &mut Vec<Hit>, indicator: usize, text: &str, start: usize, end: usize) {
    let h = hit_mut(hits, indicator);
    if h.evidence.len() >= MAX_SPANS || h.evidence.iter().any(|e| e.start < end && start < e.end) {
        return;
    }
    h.evidence.push(Evidence { start, end, text: text[start..end].to_string() });
}

/// Words that negate a phrase right after them, in the supported languages.
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "zero", "none", "don't", "dont", "doesn't", "won't", "sin", "nunca", "ningún",
    "ninguna", "ninguno", "jamás", "sans", "pas", "aucun", "aucune", "jamais", "sem", "não", "nenhum", "nenhuma",
    "tanpa", "tidak", "bukan", "tak", "bebas", "gratis",
];

/// Whether a negation cue stands among the three words before `start`, in the same clause.
pub(crate) fn negated(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(48);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    let clause = match before.rfind(['.', '!', '?', '\n', ';', ':', ',']) {
        Some(p) => &before[p + 1..],
        None => before,
    };
    clause.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()).rev().take(3).any(
        |w| {
            let w = w.to_lowercase().replace('’', "'");
            NEGATIONS.contains(&w.as_str())
        },
    )
}

fn detect(d: Detector, i: usize, ind: &Indicator, ctx: &Context<'_>, hits: &mut Vec<Hit>) {
    let _ = ind;
    match d {
        Detector::ChatHandle => {
            for e in ctx.extracted.of_kind(EntityKind::Handle) {
                let service = e.value.split(':').next().unwrap_or("");
                if CHAT_SERVICES.contains(&service) && span_ok(ctx.text, e.start, e.end) {
                    add_span(hits, i, ctx.text, e.start, e.end);
                }
            }
        }
        Detector::ObscuredContact => {
            for e in &ctx.extracted.entities {
                if e.obfuscated
                    && matches!(e.kind, EntityKind::Phone | EntityKind::Email | EntityKind::Handle)
                    && span_ok(ctx.text, e.start, e.end)
                {
                    add_span(hits, i, ctx.text, e.start, e.end);
                }
            }
            for (s, e) in obscured_spans(ctx.text) {
                add_span(hits, i, ctx.text, s, e);
            }
            // Contacts outside the scoring text (the page's contact field) have no span to quote.
            let mut outside: Vec<String> = ctx
                .extracted
                .entities
                .iter()
                .filter(|e| {
                    e.obfuscated
                        && matches!(e.kind, EntityKind::Phone | EntityKind::Email | EntityKind::Handle)
                        && e.start >= ctx.text.len()
                })
                .map(|e| e.raw.clone())
                .collect();
            if let Some(contact) = ctx.fields.and_then(|f| f.contact.as_deref()) {
                for (s, e) in obscured_spans(contact) {
                    outside.push(contact[s..e].to_string());
                }
            }
            outside.dedup();
            if let Some(first) = outside.first() {
                hit_mut(hits, i).note.get_or_insert_with(|| format!("contact field: {first}"));
            }
        }
        Detector::StatedAgeUnder23 => {
            for e in ctx.extracted.of_kind(EntityKind::Age) {
                if e.value.parse::<u32>().is_ok_and(|a| (18..=22).contains(&a)) && span_ok(ctx.text, e.start, e.end) {
                    add_span(hits, i, ctx.text, e.start, e.end);
                }
            }
            for m in AGE.captures_iter(ctx.text) {
                let whole = m.get(0).expect("group 0");
                add_span(hits, i, ctx.text, whole.start(), whole.end());
            }
            if let Some(age) = ctx.fields.and_then(|f| f.age.as_deref())
                && age.trim().parse::<u32>().is_ok_and(|a| (18..=22).contains(&a))
            {
                let h = hit_mut(hits, i);
                h.note.get_or_insert_with(|| format!("age field says {}", age.trim()));
            }
        }
        Detector::SharedContact => {
            let Some(n) = ctx.network else { return };
            let contact = n.ads_sharing_contact >= 5 || (n.ads_sharing_contact >= 3 && n.cities_sharing_contact >= 2);
            let template = n.template_group_size >= 5;
            if contact || template {
                let mut parts = Vec::new();
                if contact {
                    parts.push(format!(
                        "contact shared by {} ads in {} {}",
                        n.ads_sharing_contact,
                        n.cities_sharing_contact,
                        if n.cities_sharing_contact == 1 { "city" } else { "cities" }
                    ));
                }
                if template {
                    parts.push(format!("text reused by {} ads", n.template_group_size));
                }
                hit_mut(hits, i).note = Some(parts.join("; "));
            }
        }
        Detector::JobEscortContact => {
            let Some(n) = ctx.network else { return };
            if n.job_escort_ads > 0 {
                let other = if ctx.kind == AdKind::Job { "escort" } else { "job" };
                let plural = if n.job_escort_ads == 1 { "" } else { "s" };
                hit_mut(hits, i).note = Some(format!("contact also in {} {other} ad{plural}", n.job_escort_ads));
            }
        }
        Detector::NetworkNames => {
            let Some(n) = ctx.network else { return };
            let f = n.network;
            if f.ads >= NETWORK_NAMES_MIN_ADS && f.names >= NETWORK_NAMES_MIN_NAMES {
                hit_mut(hits, i).note = Some(format!(
                    "network of {} ads under {} names; {} {}, {} {}, {} days, {:.1} ads a day",
                    f.ads,
                    f.names,
                    f.cities,
                    if f.cities == 1 { "city" } else { "cities" },
                    f.sites,
                    if f.sites == 1 { "site" } else { "sites" },
                    f.span_days + 1,
                    f.ads_per_day()
                ));
            }
        }
        Detector::EmployerUnidentified => {
            if ctx.kind == AdKind::Job && employer_unidentified(ctx) {
                hit_mut(hits, i).note =
                    Some("no company name, company website or registered company name found".into());
            }
        }
    }
    // Patterns of a detector-backed indicator (e.g. app names) were already added by `find`.
}

fn span_ok(text: &str, start: usize, end: usize) -> bool {
    start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

const CHAT_SERVICES: &[&str] =
    &["whatsapp", "telegram", "signal", "viber", "wechat", "line", "kakao", "kik", "snapchat", "skype"];

static AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:(?-u:\b)(?:age|aged|edad|idade|umur|usia)|âge)\s*[:=\-]?\s*(?:1[89]|2[0-2])(?-u:\b)",
        r"|(?-u:\b)(?:1[89]|2[0-2])\s*(?:yo|y/o|yrs?(?:\s+old)?|years?\s+old|años|ans|anos|tahun|thn)(?-u:\b)",
    ))
    .expect("static regex compiles")
});

// The helper patterns below use ASCII word boundaries: Unicode ones push the regex engine off its
// fast path on any non-ASCII text, and these patterns are ASCII words.
static COMPANY_MARKERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)#url_[0-9a-f]+#|https?://|www\.|(?-u:\b)[a-z0-9-]+\.(?:com|org|net|co|io|gov|edu|biz|info|[a-z]{2})(?:/|(?-u:\b))",
        r"|(?-u:\b)(?:ltd|llc|l\.l\.c|inc|incorporated|corp|corporation|gmbh|plc|pte|pty|s\.?a\.?s|sarl|s\.?r\.?l|s\.?l|ltda|lda|tbk|b\.?v|n\.?v|co\.)(?-u:\b)",
        // Forms that are also ordinary words ("limited places", "ag." in Portuguese, "send your CV
        // to"; Spanish, French and Portuguese "S.A.") count only as written in a company name:
        // capitalised, after a capitalised name, or as a capitalised prefix.
        r"|(?-i:[A-Z]\S*\s+(?:Limited|LIMITED|AG|S\.A|SA|SAC|EIRELI))(?-u:\b)",
        r"|(?-i:(?-u:\b)(?:PT|CV)\.?\s+[A-Z])",
    ))
    .expect("static regex compiles")
});

static FREE_MAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)@(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|gmx|mail|yandex|proton(?:mail)?|icloud|qq|163)\.").expect("static regex compiles")
});

fn employer_unidentified(ctx: &Context<'_>) -> bool {
    if ctx.fields.and_then(|f| f.company.as_deref()).is_some_and(|c| !c.trim().is_empty()) {
        return false;
    }
    if ctx.job.and_then(|j| j.company_profile.as_deref()).is_some_and(|c| !c.trim().is_empty()) {
        return false;
    }
    // A company web address or a registered company form names the employer; a free-mail address
    // does not, so free-mail domains are removed before looking.
    let without_free_mail = FREE_MAIL.replace_all(ctx.text, "@ ");
    !COMPANY_MARKERS.is_match(&without_free_mail)
}

/// Number words that stand in for digits in obscured phone numbers.
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "oh",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "sept",
    "huit",
    "neuf",
    "um",
    "dois",
    "três",
    "quatro",
    "sete",
    "oito",
    "nove",
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "kosong",
    "ten",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "septante",
    "huitante",
    "nonante",
    "diez",
    "doce",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
    "dez",
    "vinte",
    "trinta",
    "quarenta",
    "cinquenta",
    "sessenta",
    "oitenta",
];

/// Words that join number words inside one spelled-out number ("vingt et un", "treinta y dos", "vinte e
/// um"): inside a run they neither count nor end it.
const NUMBER_JOINERS: &[&str] = &["et", "y", "e", "and"];

static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[0-2]?\d[.:h][0-5]\d\s*(?:[-–—]|to|a|à|até|s/d|sampai)\s*[0-2]?\d[.:h][0-5]\d(?-u:\b)")
        .expect("static regex compiles")
});

static OBSCURED_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // "name [at] domain.com", "name (at) domain [dot] com"
        r"(?i)(?-u:\b)[a-z0-9._-]+\s*[\[({]\s*(?:at|arroba|arobase)\s*[\])}]\s*[a-z0-9-]+",
        r"(?:\.[a-z]{2,}|\s*[\[({]?\s*(?:dot|punto|point|ponto|titik)\s*[\])}]?\s*[a-z]{2,10})(?-u:\b)",
        // "name at domain dot com"
        r"|(?-u:\b)[a-z0-9._-]+\s+(?:at|arroba|arobase)\s+[a-z0-9-]+\s+(?:dot|punto|point|ponto|titik)\s+[a-z]{2,10}(?-u:\b)",
        // "name (dot) surname (at) domain (dot) com": dots spelled out before the "at" as well
        r"|(?-u:\b)[a-z0-9_-]+(?:\s*[\[({]\s*(?:dot|punto|point|ponto|titik)\s*[\])}]\s*[a-z0-9_-]+)+\s*[\[({]\s*(?:at|arroba|arobase)\s*[\])}]\s*[a-z0-9-]+",
        r"(?:\s*[\[({]\s*(?:dot|punto|point|ponto|titik)\s*[\])}]\s*[a-z]{2,10})*",
    ))
    .expect("static regex compiles")
});

/// Spans of the text that look like contacts written to dodge extraction: phone numbers with digits
/// spelled out or replaced by look-alike letters or broken up digit by digit, and e-mail addresses with
/// `at` and `dot` spelled out.
pub(crate) fn obscured_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    // Tokens: (start, end, digits it stands for, is_word_or_lookalike). Runs of tokens separated by at
    // most three separator characters (no line break) form candidate numbers.
    struct Run {
        start: usize,
        end: usize,
        digits: usize,
        disguised: usize,
        /// Tokens that are a single digit: "7 0 2 5 5 5 …" or "555-0 1 2 9" breaks a number up digit by
        /// digit, while national formats group digits in twos to fours ("+33 4 65 71 99 22", "702 555 0148").
        single: usize,
        /// Digits of the current stretch of tokens joined by ordinary separators, whether a token of it
        /// is disguised, and whether a stretch of seven digits or more had none: a plain number with a
        /// number word or an emoji beside it ("dos 📱 600 000 033", "15%. 0812-0000-1188") is a plain
        /// number, not a disguise, while "0six 12 34 56 78" is one disguised stretch.
        plain: usize,
        stretch_disguised: bool,
        plain_number: bool,
    }
    fn close_stretch(r: &mut Run) {
        if !r.stretch_disguised && r.plain >= 7 {
            r.plain_number = true;
        }
        r.plain = 0;
        r.stretch_disguised = false;
    }
    let mut run: Option<Run> = None;
    let mut gap_chars = 0usize;
    let mut gap_has_newline = false;
    // Separators other than these ("754 * 555", "954_555", "33~1~99") are a disguise of their own.
    let mut gap_odd = false;
    // Opening hours ("09.00–18.00", "10:00 - 22:00") are not phone numbers.
    let hours: Vec<(usize, usize)> = HOURS.find_iter(text).map(|m| (m.start(), m.end())).collect();
    let finish = |mut r: Run, out: &mut Vec<(usize, usize)>| {
        close_stretch(&mut r);
        let is_hours = hours.iter().any(|&(s, e)| s < r.end && r.start < e);
        let disguised = r.single >= 4 || (r.disguised > 0 && !r.plain_number);
        if !is_hours && r.digits >= 7 && r.digits <= 15 && disguised {
            out.push((r.start, r.end));
        }
    };
    let mut i = 0usize;
    let bytes_len = text.len();
    while i < bytes_len {
        let c = text[i..].chars().next().expect("in bounds");
        if c.is_alphanumeric() {
            // Take the whole alphanumeric word, then see whether it is digit-like.
            let mut j = i;
            for (k, ch) in text[i..].char_indices() {
                if !ch.is_alphanumeric() {
                    j = i + k;
                    break;
                }
                j = i + k + ch.len_utf8();
            }
            let word = &text[i..j];
            let (mut digits, mut disguised) = digit_like(word);
            // Inside a number, "et"/"y" join spelled-out parts and a lone "O" stands for a zero.
            let in_run = run.is_some() && !(gap_has_newline || gap_chars > 4);
            if in_run && digits == 0 && NUMBER_JOINERS.contains(&word.to_lowercase().as_str()) {
                i = j;
                continue;
            }
            if in_run && matches!(word, "O" | "I" | "l") {
                (digits, disguised) = (1, 1);
            }
            if digits > 0 && !(gap_has_newline || gap_chars > 4) {
                let r = run.get_or_insert(Run {
                    start: i,
                    end: j,
                    digits: 0,
                    disguised: 0,
                    single: 0,
                    plain: 0,
                    stretch_disguised: false,
                    plain_number: false,
                });
                if r.end != i && r.digits > 0 && gap_odd {
                    r.disguised += 1;
                    close_stretch(r);
                }
                r.plain += digits;
                r.stretch_disguised |= disguised > 0;
                if word.len() == 1 && digits == 1 && disguised == 0 {
                    r.single += 1;
                }
                r.end = j;
                r.digits += digits;
                r.disguised += disguised;
            } else if digits > 0 {
                if let Some(r) = run.take() {
                    finish(r, &mut out);
                }
                run = Some(Run {
                    start: i,
                    end: j,
                    digits,
                    disguised,
                    single: usize::from(word.len() == 1 && disguised == 0),
                    plain: digits,
                    stretch_disguised: disguised > 0,
                    plain_number: false,
                });
            } else if let Some(r) = run.take() {
                finish(r, &mut out);
            }
            gap_chars = 0;
            gap_has_newline = false;
            gap_odd = false;
            i = j;
        } else {
            gap_chars += 1;
            if c == '\n' {
                gap_has_newline = true;
            }
            // A colon or the end of a sentence ends a number: "quatre : 06 …", "… 074. Cero riesgo"
            // (an ellipsis does not: "seis, cero, cero... dos").
            let sentence_end = c == '.' && !text[..i].ends_with('.') && {
                let rest = text[i + 1..].trim_start();
                rest.len() < text.len() - i - 1 && rest.starts_with(char::is_alphabetic)
            };
            if c == ':' || sentence_end {
                gap_has_newline = true;
            }
            if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+' | '\t' | '\r' | '\u{a0}') {
                gap_odd = true;
            }
            i += c.len_utf8();
        }
    }
    if let Some(r) = run.take() {
        finish(r, &mut out);
    }
    for m in OBSCURED_EMAIL.find_iter(text) {
        out.push((m.start(), m.end()));
    }
    out
}

/// How many digits a word stands for, and how many of them are disguised (words or look-alikes).
fn digit_like(word: &str) -> (usize, usize) {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return (word.len(), 0);
    }
    let lower = word.to_lowercase();
    if NUMBER_WORDS.contains(&lower.as_str()) {
        return (1, 1);
    }
    // "double zero", "triple cero".
    if matches!(lower.as_str(), "double" | "doble" | "duplo" | "dobel") {
        return (1, 1);
    }
    if matches!(lower.as_str(), "triple" | "triplo" | "tripel") {
        return (2, 1);
    }
    // Digits run into a number word: "0six", "06trente".
    let lead = lower.bytes().take_while(u8::is_ascii_digit).count();
    if lead > 0 && NUMBER_WORDS.contains(&&lower[lead..]) {
        return (lead + 1, 1);
    }
    // Zeros written as the letter O: "OOO", "oooo".
    if word.len() >= 2 && word.bytes().all(|b| b == b'O' || b == b'o') {
        return (word.len(), word.len());
    }
    // Digits mixed with look-alike letters: "7O2", "55S", "l48".
    let has_digit = word.bytes().any(|b| b.is_ascii_digit());
    if has_digit && word.chars().all(|c| c.is_ascii_digit() || matches!(c, 'o' | 'O' | 'l' | 'I' | 'S' | 'B' | 'Z')) {
        let disguised = word.chars().filter(|c| !c.is_ascii_digit()).count();
        return (word.chars().count(), disguised);
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        obscured_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn obscured_phones_are_found_and_plain_ones_are_not() {
        assert_eq!(spans("call seven 0 two 555 01 four 8 now"), vec!["seven 0 two 555 01 four 8"]);
        assert_eq!(spans("txt 7O2 555 Ol48"), vec!["7O2 555 Ol48"]);
        assert_eq!(spans("call 7 0 2 5 5 5 0 1 4 8"), vec!["7 0 2 5 5 5 0 1 4 8"]);
        assert!(spans("call (702) 555-0148 or +1 702 555 0148").is_empty());
        assert!(spans("appelez le +33 4 65 71 99 22 ou 04.65.71.99.22").is_empty(), "French pairs are a normal format");
        assert!(spans("one of the two best jobs in 2024").is_empty());
        assert_eq!(spans("mail jane [at] example [dot] com"), vec!["jane [at] example [dot] com"]);
        assert_eq!(spans("mail jane21(at)example.com"), vec!["jane21(at)example.com"]);
        assert_eq!(spans("text 754 * 555 * 0191"), vec!["754 * 555 * 0191"]);
        assert!(spans("meet me at the station dot").is_empty());
        // Spelled-out tens and joiners, letters for zeros, digits run into words, single digits.
        assert_eq!(
            spans("zéro-six, quarante et un, vingt-deux, treize, dix"),
            vec!["zéro-six, quarante et un, vingt-deux, treize, dix"]
        );
        assert_eq!(spans("wa 6OO-OOO-O19 ya"), vec!["6OO-OOO-O19"]);
        assert_eq!(spans("call 555 - O - 1 - 4 - 8"), vec!["555 - O - 1 - 4 - 8"]);
        assert_eq!(spans("sms 0six 12 34 56 78"), vec!["0six 12 34 56 78"]);
        assert_eq!(spans("tel 555-0 1 4 8"), vec!["555-0 1 4 8"]);
        assert_eq!(spans("kosong delapan satu dua 1234 5678"), vec!["kosong delapan satu dua 1234 5678"]);
        assert_eq!(spans("ana (dot) lima (at) mail (dot) example"), vec!["ana (dot) lima (at) mail (dot) example"]);
        assert_eq!(spans("ana [at] studio [dot] example"), vec!["ana [at] studio [dot] example"]);
        // A sentence end or a colon ends a number; "o" (Spanish "or") never stands for a zero.
        assert!(spans("llama al 611 000 074. Cero comisiones").is_empty());
        assert!(spans("nous sommes quatre : 06 39 98 25 25").is_empty());
        assert!(spans("llama al 611 000 074 o al 622 000 075").is_empty());
        assert!(spans("buka 09.00–18.00, Sabtu 10.00 - 14.00").is_empty(), "opening hours");
        assert_eq!(spans("call 7 0 2 . 5 5 5 . 0 1 4 8"), vec!["7 0 2 . 5 5 5 . 0 1 4 8"]);
        assert_eq!(spans("seis-cero-cero, triple cero, uno dos"), vec!["seis-cero-cero, triple cero, uno dos"]);
        assert_eq!(
            spans("seis, cero, cero... dos, cinco, uno, ocho"),
            vec!["seis, cero, cero... dos, cinco, uno, ocho"]
        );
        // A plain number beside a number word or an emoji is a plain number.
        assert!(spans("somos dos 📱 600 000 033").is_empty());
        assert!(spans("diskon 15%. 0812-0000-1188").is_empty());
    }

    #[test]
    fn negation_looks_back_within_the_clause() {
        let t = "We charge no registration fee. You must pay a training fee.";
        let reg = t.find("registration").unwrap();
        let train = t.find("training").unwrap();
        assert!(negated(t, reg));
        assert!(!negated(t, train));
        let t = "Sin costo de inscripción";
        assert!(negated(t, t.find("costo").unwrap()));
        assert!(negated("tidak dipungut biaya", "tidak ".len()));
    }
}
