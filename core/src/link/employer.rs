//! The employer an ad names in its own text, for ads whose page has no company field.
//!
//! Ads of one named employer that share its HR phone or e-mail are that employer's own postings, a
//! "same advertiser" relation, not a network of concern. Many sites name the employer only in the text,
//! so [`named_employer`] looks for it there, conservatively: a wrong name could hide a network behind a
//! "same advertiser" label, so only these forms count, each in the first part of the text:
//!
//! - a label: `Company: X`, `Employer: X`, `Entreprise : X`, `Société : X`, `Employeur : X`, `Firma: X`;
//! - hiring phrases: `X is hiring`, `X is recruiting`, `X recrute`, `Join X!`, `Join the team at X`,
//!   `X is a … company` (or firm, team, practice, studio, agency, …),
//!   `X (City) – … wanted`, `X (City) cherche`, `X, … à City, recherche`, `X, a … company in City`;
//! - a legal form: a capitalised name ending in `Ltd`, `LLC`, `Inc`, `GmbH`, `SARL`, `SAS`, `S.A.`,
//!   `Ltda`, `PT`, `CV`, `Pty` and the like.
//!
//! `X` is a run of one to six capitalised words (`&`, `and`, `of`, `de`, `du`, `des` may join them).
//! Outside job ads a name counts only when it has a legal form, comes from a label, or contains a word
//! that names an organisation (`Studio`, `Spa`, `Clinic`, `Group`, …): a personal name is never an
//! employer, so a network posting as "Mia" in many ads stays a network.
//!
//! Different names sharing one contact are not one advertiser: the linker only calls a group "same
//! advertiser" when every ad names the same one (see [`crate::link`]).

use regex::Regex;
use std::sync::LazyLock;

/// Bytes of the text searched for an employer (the start of an ad, where it introduces itself).
pub const EMPLOYER_SCAN_BYTES: usize = 600;

/// One capitalised word of a name (letters, digits, `'`, `-`, `.` inside).
const WORD: &str = r"\p{Lu}(?:[\p{L}\p{N}'’\-]|\.\p{L})*";
/// Words that may join capitalised ones inside a name.
const JOINERS: &str = r"(?:&|and|of|de|du|des|la|le|et)";

fn name_re() -> String {
    format!(r"(?P<name>{WORD}(?:[ \t]+(?:{JOINERS}[ \t]+)?{WORD}){{0,5}})")
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\b(?:company|employer|entreprise|soci[ée]t[ée]|employeur|firma|empresa|hiring company))[ \t]*:[ \t]*{}",
        name_re()
    ))
    .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

static HIRING: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let n = name_re();
    [
        format!(r"{n}[ \t]+(?:is|are)[ \t]+(?:now[ \t]+)?(?:hiring|recruiting|looking for|seeking)\b"),
        format!(r"{n}[ \t]+(?:recrute|embauche)\b"),
        format!(r"{n}[ \t]+is[ \t]+(?:a|an)[ \t]+[^,.\n]{{0,60}}?\b(?:company|firm|team|practice|provider|business|studio|group|agency|employer)\b"),
        format!(r"\b(?:Join|Rejoignez|Rejoindre)[ \t]+(?:the[ \t]+team[ \t]+at[ \t]+|our[ \t]+team[ \t]+at[ \t]+|l'équipe[ \t]+(?:de|d')[ \t]*)?{n}[ \t]*[!.,]"),
        format!(r"\bJoin[ \t]+the[ \t]+team[ \t]+at[ \t]+{n}"),
        format!(r"{n}[ \t]+\([^()\n]{{2,40}}\)[ \t]+(?:[–—-][ \t]+[^\n]{{2,80}}?[ \t]+wanted\b|cherche\b|recrute\b|recherche\b|is hiring\b)"),
        format!(r"{n},[ \t]+(?:a|an|une?)[ \t]+[^,.\n]{{2,60}}?\b(?:company|firm|business|employer|group|agency|provider|practice|entreprise|société|soci[ée]t[ée])[ \t]+(?:in|based in|à|a)\b"),
        format!(r"{n},[ \t]+[^,.\n]{{2,60}}?[ \t]+(?:basé|basée|basé\(e\)|situé|située|situé\(e\)|implanté|implantée)[ \t]+à[ \t]+[^,.\n]{{2,40}},[ \t]+(?:recherche|recrute|cherche)\b"),
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("built-in pattern: {e}")))
    .collect()
});

/// A capitalised name ending in a legal form.
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<name>{WORD}(?:[ \t]+(?:{JOINERS}[ \t]+)?{WORD}){{0,5}}?),?[ \t]+(?P<form>Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|GmbH|AG|SARL|SAS|SASU|S\.A\.S\.?|S\.A\.|SA|Ltda\.?|PT|CV|S\.A\. de C\.V\.|Pty(?:[ \t]+Ltd\.?)?|PLC|plc|LLP|BV|B\.V\.|SpA|S\.p\.A\.|SRL|S\.L\.)(?:[^\p{{L}}\p{{N}}]|$)"
    ))
    .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// Words that, inside a name, say it is an organisation rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "studio",
    "studios",
    "spa",
    "clinic",
    "clinique",
    "salon",
    "wellness",
    "massage",
    "group",
    "groupe",
    "services",
    "service",
    "care",
    "agency",
    "agence",
    "company",
    "hotel",
    "hotels",
    "restaurant",
    "practice",
    "centre",
    "center",
    "institute",
    "institut",
    "therapy",
    "therapies",
    "health",
    "medical",
    "logistics",
    "staffing",
    "solutions",
    "partners",
    "associates",
    "maison",
    "cabinet",
    "holdings",
    "industries",
    "international",
    "consulting",
    "recruitment",
    "transport",
    "foods",
    "bakery",
    "cafe",
    "café",
    "club",
    "academy",
    "school",
];

/// Capitalised words that start sentences but never names.
const NOT_NAMES: &[&str] = &[
    "we",
    "our",
    "you",
    "your",
    "i",
    "the",
    "a",
    "an",
    "this",
    "that",
    "they",
    "she",
    "he",
    "nous",
    "notre",
    "vous",
    "je",
    "la",
    "le",
    "les",
    "un",
    "une",
    "busy",
    "new",
    "now",
    "urgent",
    "immediate",
    "hiring",
    "job",
    "jobs",
    "position",
    "role",
    "company",
    "employer",
    "team",
    "join",
    "apply",
    "contact",
    "call",
    "email",
    "looking",
    "us",
    "today",
    "now",
    "please",
    "send",
    "submit",
    "apply",
    "local",
    "growing",
    "established",
    "leading",
    "small",
    "large",
    "friendly",
    "family",
    "dynamic",
    "opportunity",
];

/// The employer `text` names, as written (see the module documentation for the forms read); `job` says
/// whether the ad is a job ad, where hiring phrases may name an employer without an organisation word.
pub fn named_employer(text: &str, job: bool) -> Option<String> {
    let head = crate::text::truncate_bytes(text, EMPLOYER_SCAN_BYTES);
    if let Some(name) = LABEL.captures(head).and_then(|c| clean(&c["name"])) {
        return Some(name);
    }
    let mut best: Option<(usize, String)> = None;
    for re in HIRING.iter() {
        for c in re.captures_iter(head) {
            let Some(m) = c.name("name") else { continue };
            let Some(name) = clean(m.as_str()) else { continue };
            if !job && !organisation(&name) && LEGAL.find(&name).is_none() {
                continue;
            }
            if best.as_ref().is_none_or(|(at, _)| m.start() < *at) {
                best = Some((m.start(), name));
            }
            break;
        }
    }
    if let Some((_, name)) = best {
        return Some(name);
    }
    LEGAL.captures_iter(head).find_map(|c| {
        let name = clean(&c["name"])?;
        // Short forms are also ordinary words ("Send CV", "Nurse PT"): they need a longer name.
        let form = c["form"].trim_end_matches('.');
        if AMBIGUOUS_FORMS.contains(&form) && name.split_whitespace().count() < 2 {
            return None;
        }
        Some(format!("{name} {}", c["form"].trim_end_matches('.')))
    })
}

/// Legal forms that are also ordinary words or abbreviations.
const AMBIGUOUS_FORMS: &[&str] = &["PT", "CV", "SA", "AG", "SAS"];

/// Whether a name contains an organisation word.
fn organisation(name: &str) -> bool {
    name.split_whitespace().any(|w| {
        let w = crate::text::fold(w.trim_matches(|c: char| !c.is_alphanumeric()));
        ORGANISATION_WORDS.contains(&w.as_str())
    })
}

/// Trims a captured name: leading sentence words that are not names are dropped; `None` when nothing
/// name-like is left.
fn clean(raw: &str) -> Option<String> {
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    while let Some(first) = words.first() {
        let w = crate::text::fold(first.trim_matches(|c: char| !c.is_alphanumeric()));
        if NOT_NAMES.contains(&w.as_str()) || w.is_empty() {
            words.remove(0);
        } else {
            break;
        }
    }
    while words.last().is_some_and(|w| JOINER_WORDS.contains(w)) {
        words.pop();
    }
    let name = words.join(" ");
    let name = name.trim_end_matches(['.', ',', '-', '\'']).to_string();
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 3).then_some(name)
}

const JOINER_WORDS: &[&str] = &["&", "and", "of", "de", "du", "des", "la", "le", "et"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employers_named_in_job_ads() {
        let cases = [
            ("Northgate Logistics is hiring a Forklift Operator to join our team in Houston.", "Northgate Logistics"),
            ("Northgate Logistics (Chicago) – Picker/Packer wanted. We move freight.", "Northgate Logistics"),
            ("Join Harrow & Pike Chartered Accountants! We have an opening.", "Harrow & Pike Chartered Accountants"),
            ("Join the team at Bayview Medical Group, San Francisco.", "Bayview Medical Group"),
            ("Company: Acme Widgets\nRole: packer", "Acme Widgets"),
            ("Employer: Riverside Hotels", "Riverside Hotels"),
            ("Maison Lefèvre, magasin basé(e) à Lyon, recherche un(e) Boulanger (H/F).", "Maison Lefèvre"),
            ("Nous recrutons ! Maison Lefèvre (Lyon) cherche son/sa futur(e) vendeur.", "Maison Lefèvre"),
            ("Greenfield Foods, a food processing company in Leeds, needs packers.", "Greenfield Foods"),
            ("Packing staff needed. Apply to Tarrant Freight Ltd for details.", "Tarrant Freight Ltd"),
            ("Trabajo en Lima con Andes Servicios Ltda. Llame hoy.", "Andes Servicios Ltda"),
            ("We are Boulangerie Martin SARL, artisan bakers.", "Boulangerie Martin SARL"),
        ];
        for (text, want) in cases {
            assert_eq!(named_employer(text, true).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn no_employer_when_none_is_named() {
        for text in [
            "Busy logistics business in Bristol needs a Warehouse Operative.",
            "We are hiring drivers now. Call today.",
            "Immediate start, weekly pay, no experience needed.",
            "",
        ] {
            assert_eq!(named_employer(text, true), None, "{text}");
        }
    }

    #[test]
    fn personal_names_are_not_employers_outside_job_ads() {
        assert_eq!(named_employer("Mia is looking for new friends, call me.", false), None);
        assert_eq!(named_employer("Join Mia! Discreet and friendly.", false), None);
        assert_eq!(
            named_employer("Lotus Wellness Studio is looking for a massage therapist.", false).as_deref(),
            Some("Lotus Wellness Studio")
        );
        assert_eq!(
            named_employer("Deep tissue massage. Lotus Wellness Studio is a team of five therapists.", false)
                .as_deref(),
            Some("Lotus Wellness Studio")
        );
        assert_eq!(named_employer("Mia is a friendly girl new in town.", false), None);
    }
}
