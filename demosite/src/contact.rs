//! How ads write their contacts: phone numbers in plain and obfuscated forms, e-mails, messenger handles.
//!
//! Evading automatic extraction is itself a signal (`escort.obfuscated_contact`), so risky ads use the
//! obfuscated styles far more often. Every style keeps all the digits of the national number in order,
//! so a decoder that maps number words and look-alike letters back to digits recovers the number.
//!
//! A number from another country than the ad's (every number in ads from Spain, Mexico, Brazil,
//! Portugal and Indonesia, which borrow fiction ranges: see [`crate::geo`]) is written with its `+` and
//! country code in every style, plain or obfuscated, so it dials correctly from anywhere.

use crate::bank::Bank;
use crate::geo::{Country, Phone};
use crate::rng::Rng;
use std::collections::HashSet;

/// A way of writing a phone number. The examples are for an ad at home; in an ad from another country
/// the same style follows the `+` and country code: `+1 (702) 555-0148`, `+1.702.555.0148`,
/// `+1 seven 0 two 555 zero one 48`, `+33~1~99~00~12~34`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneStyle {
    /// As written at home: `(702) 555-0148`, `020 7946 0123`, `01 99 00 12 34`.
    National,
    /// With the country code: `+1 702 555 0148`.
    International,
    /// Groups joined by dots: `702.555.0148`.
    Dotted,
    /// Groups joined by dashes: `702-555-0148`.
    Dashed,
    /// One digit at a time: `7 0 2 5 5 5 0 1 4 8`.
    Spaced,
    /// Some digits spelled as words in the ad's language: `seven 0 two 555 zero one 48`.
    Words,
    /// `O` for 0 and `l`/`I` for 1: `7O2-555-Ol48`.
    LookAlike,
    /// Unusual separators: `702*555*0148`.
    OddSeparators,
}

impl PhoneStyle {
    /// Whether the style hides the number from a plain digit pattern.
    pub(crate) fn obfuscated(self) -> bool {
        matches!(self, PhoneStyle::Spaced | PhoneStyle::Words | PhoneStyle::LookAlike | PhoneStyle::OddSeparators)
    }

    /// A plain style.
    pub(crate) fn plain(rng: &mut Rng) -> PhoneStyle {
        [PhoneStyle::National, PhoneStyle::International, PhoneStyle::Dotted, PhoneStyle::Dashed]
            [rng.weighted(&[45, 25, 15, 15])]
    }

    /// An obfuscated style.
    pub(crate) fn hidden(rng: &mut Rng) -> PhoneStyle {
        [PhoneStyle::Spaced, PhoneStyle::Words, PhoneStyle::LookAlike, PhoneStyle::OddSeparators]
            [rng.weighted(&[20, 35, 25, 20])]
    }
}

/// Writes `phone` in `style` for an ad posted in `home`; the returned flag says whether the result is
/// obfuscated (a look-alike style falls back to odd separators when the number has no 0 or 1 to
/// disguise). A number from another country is always written with its `+` and country code, which
/// each style keeps in front of what it does to the rest: `+33 1 99 00 12 34`, `+1.702.555.0148`,
/// `+44 two 0 7946 zero l23`.
pub(crate) fn format_phone(
    phone: &Phone,
    home: Country,
    style: PhoneStyle,
    bank: &Bank,
    rng: &mut Rng,
) -> (String, bool) {
    if phone.country != home {
        return format_foreign(phone, style, bank, rng);
    }
    let national = phone.national_groups();
    let text = match style {
        PhoneStyle::National => national_style(phone, &national),
        PhoneStyle::International => international(phone, rng),
        PhoneStyle::Dotted => national.join("."),
        PhoneStyle::Dashed => national.join("-"),
        PhoneStyle::Spaced => spaced(&phone.national_digits()),
        PhoneStyle::Words => words(&phone.national_digits(), bank, rng),
        PhoneStyle::LookAlike => {
            let sep = if rng.chance(0.5) { "-" } else { " " };
            match look_alike(&national, sep, false, rng) {
                Some(s) => s,
                None => return format_phone(phone, home, PhoneStyle::OddSeparators, bank, rng),
            }
        }
        PhoneStyle::OddSeparators => {
            let sep = ODD_SEPARATORS[rng.below(ODD_SEPARATORS.len())];
            national.join(sep)
        }
    };
    (text, style.obfuscated())
}

/// Writes a foreign number: the `+` and country code stay plain, the style applies to the rest.
fn format_foreign(phone: &Phone, style: PhoneStyle, bank: &Bank, rng: &mut Rng) -> (String, bool) {
    let cc = format!("+{}", phone.country.calling_code());
    let groups: Vec<String> = phone.groups().into_iter().map(str::to_string).collect();
    let text = match style {
        PhoneStyle::National => match groups.as_slice() {
            [a, b, c] if phone.country == Country::Us => format!("{cc} ({a}) {b}-{c}"),
            _ => format!("{cc} {}", groups.join(" ")),
        },
        PhoneStyle::International => international(phone, rng),
        PhoneStyle::Dotted => {
            let first = if rng.chance(0.5) { "." } else { " " };
            format!("{cc}{first}{}", groups.join("."))
        }
        PhoneStyle::Dashed => format!("{cc}-{}", groups.join("-")),
        PhoneStyle::Spaced => format!("{cc} {}", spaced(&phone.nsn)),
        PhoneStyle::Words => format!("{cc} {}", words(&phone.nsn, bank, rng)),
        PhoneStyle::LookAlike => {
            let sep = if rng.chance(0.5) { "-" } else { " " };
            // Groups of look-alike letters only, which Redflag's extractor misses, are kept rare.
            match look_alike(&groups, sep, !rng.chance(HARD_FOREIGN_SHARE), rng) {
                Some(s) => format!("{cc}{sep}{s}"),
                None => return format_foreign(phone, PhoneStyle::OddSeparators, bank, rng),
            }
        }
        PhoneStyle::OddSeparators => {
            // After a country code, `|` (read as a 1) and `^` defeat Redflag's extractor: kept rare.
            let weights = ODD_SEPARATORS.map(|s| if matches!(s, "|" | "^") { 1 } else { 10 });
            let sep = ODD_SEPARATORS[rng.weighted(&weights)];
            format!("{cc}{sep}{}", groups.join(sep))
        }
    };
    (text, style.obfuscated())
}

/// `+1 702 555 0148`, `+44-20-7946-0123` or `+33199001234`.
fn international(phone: &Phone, rng: &mut Rng) -> String {
    let sep = if rng.chance(0.75) { " " } else { "-" };
    let groups = phone.groups();
    if rng.chance(0.15) {
        format!("+{}{}", phone.country.calling_code(), phone.nsn)
    } else {
        format!("+{} {}", phone.country.calling_code(), groups.join(sep))
    }
}

/// Separators the odd-separator style joins groups with.
const ODD_SEPARATORS: [&str; 7] = ["*", "~", "_", "|", " * ", "~~", "^"];

/// How often a foreign look-alike number may write a group in letters only (`OO`, a lone `l`).
const HARD_FOREIGN_SHARE: f64 = 0.15;

fn national_style(phone: &Phone, national: &[String]) -> String {
    match (phone.country, national) {
        (Country::Us, [a, b, c]) => format!("({a}) {b}-{c}"),
        (_, groups) => groups.join(" "),
    }
}

fn spaced(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() * 2);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

fn words(digits: &str, bank: &Bank, rng: &mut Rng) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut spelled = 0;
    for (i, d) in digits.chars().enumerate() {
        let left = digits.len() - i;
        // Spell about half of the digits, and at least three, so the trick is always visible.
        let spell = rng.chance(0.55) || (3 - spelled.min(3)) >= left;
        if spell {
            if !run.is_empty() {
                tokens.push(std::mem::take(&mut run));
            }
            let idx = usize::from(d as u8 - b'0');
            tokens.push(bank.digit_words[idx].to_string());
            spelled += 1;
        } else {
            run.push(d);
        }
    }
    if !run.is_empty() {
        tokens.push(run);
    }
    tokens.join(" ")
}

/// Joins `groups` with `sep`, writing some 0s as `O`/`o` and 1s as `l`/`I`; `None` when the number has
/// no 0 or 1 to disguise. With `keep_digit`, every group keeps at least one real digit (so a one-digit
/// group stays as it is): Redflag's extractor reads a look-alike group only when it holds a digit and
/// is two characters or longer (`Ol`, not `OO` or a lone `l`).
fn look_alike(groups: &[String], sep: &str, keep_digit: bool, rng: &mut Rng) -> Option<String> {
    let mut out: Vec<String> = Vec::with_capacity(groups.len());
    let mut changed = false;
    for g in groups {
        let mut chars: Vec<char> = g.chars().map(|c| disguise(c, rng)).collect();
        if keep_digit
            && !chars.iter().any(char::is_ascii_digit)
            && let (Some(last), Some(orig)) = (chars.last_mut(), g.chars().last())
        {
            *last = orig;
        }
        let text: String = chars.into_iter().collect();
        changed |= text != *g;
        out.push(text);
    }
    if !changed {
        // Force one substitution when chance skipped them all but the number has a 0 or 1 to spare.
        let (i, pos) = groups.iter().enumerate().find_map(|(i, g)| {
            let spare = !keep_digit || g.len() >= 2;
            g.find(['0', '1']).filter(|_| spare).map(|pos| (i, pos))
        })?;
        let repl = if &groups[i][pos..=pos] == "0" { "O" } else { "l" };
        out[i].replace_range(pos..=pos, repl);
    }
    Some(out.join(sep))
}

/// Writes a 0 as `O` or `o` and a 1 as `l` or `I`, each about 70 % of the time.
fn disguise(c: char, rng: &mut Rng) -> char {
    match c {
        '0' if rng.chance(0.7) => {
            if rng.chance(0.8) {
                'O'
            } else {
                'o'
            }
        }
        '1' if rng.chance(0.7) => {
            if rng.chance(0.6) {
                'l'
            } else {
                'I'
            }
        }
        c => c,
    }
}

/// A messenger service ads name, with its key in `service:handle` truth values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Telegram,
    Instagram,
    Snapchat,
    WeChat,
    Line,
}

impl Service {
    /// The lowercase service name used in `service:handle`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Service::Telegram => "telegram",
            Service::Instagram => "instagram",
            Service::Snapchat => "snapchat",
            Service::WeChat => "wechat",
            Service::Line => "line",
        }
    }

    /// Writes a handle the way ads do: `t.me/x`, `TG: @x`, `IG @x`, `WeChat ID: x`, …
    pub(crate) fn write(self, handle: &str, rng: &mut Rng) -> String {
        let forms: &[&str] = match self {
            Service::Telegram => &["Telegram: @{h}", "t.me/{h}", "TG @{h}", "telegram @{h}", "Telegram {h}"],
            Service::Instagram => &["IG: @{h}", "instagram.com/{h}", "Insta @{h}", "Instagram: {h}"],
            Service::Snapchat => &["Snap: {h}", "Snapchat @{h}", "SC: {h}"],
            Service::WeChat => &["WeChat: {h}", "WeChat ID {h}", "wechat: {h}"],
            Service::Line => &["Line ID: {h}", "LINE: {h}", "line id {h}"],
        };
        rng.pick(forms).replace("{h}", handle)
    }
}

/// Writes `local@domain`, or an obfuscated form of it when `hide` is set.
pub(crate) fn format_email(local: &str, domain: &str, hide: bool, bank: &Bank, rng: &mut Rng) -> String {
    if !hide {
        return format!("{local}@{domain}");
    }
    match rng.below(4) {
        0 => format!("{local} [at] {}", domain.replace('.', " [dot] ")),
        1 => format!("{local}(at){domain}"),
        2 => format!("{local} (at) {}", domain.replace('.', " (dot) ")),
        _ => format!("{local} {} {}", bank.at_word, domain.replace('.', &format!(" {} ", bank.dot_word))),
    }
}

/// Makes names unique across the whole site by adding digits, so only planted networks share one.
#[derive(Debug, Default)]
pub(crate) struct Names {
    used: HashSet<String>,
}

impl Names {
    /// `base` if unused, else `base` with a number appended.
    pub(crate) fn unique(&mut self, base: &str, rng: &mut Rng) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        loop {
            let candidate = format!("{base}{}", rng.range(2, 999));
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Folds a display name to lowercase ASCII for slugs, handles and e-mail local parts.
pub(crate) fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Î' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ô' | 'Õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => ' ',
        };
        out.push(mapped);
    }
    out
}

/// A URL slug: folded, words joined by `-`, at most about 60 characters.
pub(crate) fn slug(s: &str) -> String {
    let folded = ascii_fold(s);
    let mut out = String::new();
    for word in folded.split_whitespace() {
        if out.len() + word.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() { "ad".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank;
    use crate::geo::Lang;
    use redflag_core::extract::{EntityKind, ExtractOptions, extract};

    fn digits_of(s: &str, bank: &Bank) -> String {
        // Decode the way the integration tests do: number words, look-alikes, then keep digits.
        let mut out = String::new();
        for token in s.split(|c: char| c.is_whitespace()) {
            if let Some(i) = bank.digit_words.iter().position(|w| *w == token) {
                out.push(char::from(b'0' + i as u8));
                continue;
            }
            for c in token.chars() {
                match c {
                    'O' | 'o' => out.push('0'),
                    'l' | 'I' => out.push('1'),
                    c if c.is_ascii_digit() => out.push(c),
                    _ => {}
                }
            }
        }
        out
    }

    /// Every ad country with a language its ads are written in.
    const HOMES: &[(Country, Lang)] = &[
        (Country::Us, Lang::En),
        (Country::Gb, Lang::En),
        (Country::Fr, Lang::Fr),
        (Country::Es, Lang::Es),
        (Country::Mx, Lang::Es),
        (Country::Br, Lang::Pt),
        (Country::Pt, Lang::Pt),
        (Country::Id, Lang::Id),
    ];

    const STYLES: [PhoneStyle; 8] = [
        PhoneStyle::National,
        PhoneStyle::International,
        PhoneStyle::Dotted,
        PhoneStyle::Dashed,
        PhoneStyle::Spaced,
        PhoneStyle::Words,
        PhoneStyle::LookAlike,
        PhoneStyle::OddSeparators,
    ];

    /// Fiction numbers of every country, as ads in `home` get them (US, UK and French ads included
    /// foreign ones, as when their own ranges run out).
    fn phones_for(home: Country) -> Vec<Phone> {
        let mut book = crate::geo::PhoneBook::new(5);
        let mut out: Vec<Phone> = home.cities().map(|c| book.allocate(c)).collect();
        for donor in [Country::Us, Country::Gb, Country::Fr] {
            out.extend(donor.cities().map(|c| book.allocate(c)));
        }
        out
    }

    #[test]
    fn every_style_keeps_the_digits_and_foreign_numbers_their_country_code() {
        let mut rng = Rng::new(11);
        for &(home, lang) in HOMES {
            let b = bank::bank(lang);
            for p in phones_for(home) {
                let cc = format!("+{}", p.country.calling_code());
                for style in STYLES {
                    for _ in 0..5 {
                        let (s, hidden) = format_phone(&p, home, style, b, &mut rng);
                        assert_eq!(hidden, style.obfuscated());
                        if p.country == home {
                            let digits =
                                if style == PhoneStyle::International { p.nsn.clone() } else { p.national_digits() };
                            assert!(digits_of(&s, b).contains(&digits), "{style:?} {s:?}");
                        } else {
                            assert!(s.starts_with(&cc), "{style:?} {s:?} in {home:?}");
                            let rest = &s[cc.len()..];
                            assert_eq!(digits_of(rest, b), p.nsn, "{style:?} {s:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn extractor_reads_foreign_numbers_in_every_style() {
        // Redflag's own extractor, given the ad's country as default region, must read the country code
        // and the number. Plain styles always; obfuscated ones except the rare forms it cannot decode
        // (see `HARD_FOREIGN_SHARE` and the odd-separator weights).
        let mut rng = Rng::new(12);
        for style in STYLES {
            let (mut read, mut total, mut missed) = (0, 0, Vec::new());
            for &(home, lang) in HOMES {
                let b = bank::bank(lang);
                let opts = ExtractOptions { default_country: Some(home.code().to_string()) };
                for p in phones_for(home).into_iter().filter(|p| p.country != home) {
                    for _ in 0..10 {
                        let (s, _) = format_phone(&p, home, style, b, &mut rng);
                        let got = extract(&format!("Call me {s} tonight"), &opts).values(EntityKind::Phone);
                        total += 1;
                        if got.contains(&p.e164()) {
                            read += 1;
                        } else {
                            missed.push(format!("{s} in {home:?}: {got:?}"));
                        }
                    }
                }
            }
            let share = f64::from(read) / f64::from(total);
            let floor = if style.obfuscated() { 0.9 } else { 1.0 };
            assert!(share >= floor, "{style:?}: {read} of {total} read; missed {missed:#?}");
        }
    }

    #[test]
    fn documented_examples() {
        let b = bank::bank(Lang::En);
        let p = Phone { country: Country::Us, nsn: "7025550148".into() };
        let mut rng = Rng::new(1);
        assert_eq!(format_phone(&p, Country::Us, PhoneStyle::National, b, &mut rng).0, "(702) 555-0148");
        assert_eq!(format_phone(&p, Country::Us, PhoneStyle::Dotted, b, &mut rng).0, "702.555.0148");
        assert_eq!(format_phone(&p, Country::Us, PhoneStyle::Spaced, b, &mut rng).0, "7 0 2 5 5 5 0 1 4 8");
        let (s, _) = format_phone(&p, Country::Us, PhoneStyle::LookAlike, b, &mut rng);
        assert!(s.contains(['O', 'o', 'l', 'I']), "{s}");
        // The same number in a Mexican ad, and a French one in a Spanish ad.
        assert_eq!(format_phone(&p, Country::Mx, PhoneStyle::National, b, &mut rng).0, "+1 (702) 555-0148");
        assert_eq!(format_phone(&p, Country::Mx, PhoneStyle::Dashed, b, &mut rng).0, "+1-702-555-0148");
        let fr = Phone { country: Country::Fr, nsn: "199001234".into() };
        assert_eq!(format_phone(&fr, Country::Es, PhoneStyle::National, b, &mut rng).0, "+33 1 99 00 12 34");
        assert_eq!(format_phone(&fr, Country::Es, PhoneStyle::Spaced, b, &mut rng).0, "+33 1 9 9 0 0 1 2 3 4");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Ciudad de México"), "ciudad-de-mexico");
        assert_eq!(slug("São Paulo: ¡Hola!"), "sao-paulo-hola");
        assert_eq!(slug("!!!"), "ad");
    }

    #[test]
    fn emails_hide_the_at_sign() {
        let mut rng = Rng::new(2);
        let b = bank::bank(Lang::Es);
        for _ in 0..20 {
            let s = format_email("ana.m", "gmail.com", true, b, &mut rng);
            assert!(!s.contains('@'), "{s}");
        }
        assert_eq!(format_email("ana", "gmail.com", false, b, &mut rng), "ana@gmail.com");
    }
}
