//! Phrase banks: the words the generated ads are made of, one module per language.
//!
//! Every list is data, not logic. Placeholders in braces are filled in by the generator:
//! `{name}` advertiser's first name, `{age}` stated age, `{city}`, `{price}` rate as displayed,
//! `{contact}` a phone, handle or e-mail as written, `{boss}` a third party's name, `{eth}` an ethnicity
//! or nationality, `{company}`, `{role}`, `{pay}`, `{address}`, `{email}`, `{phone}`, `{dest}` a country
//! abroad, `{amount}` an unrealistic wage, `{fee}` a fee.
//!
//! Escort-board text stays non-explicit by design: companionship, dinner dates, massage and
//! conversation. Indicator lists are named after the indicator ids in the ground truth.

use crate::geo::Lang;

mod en;
mod es;
mod fr;
mod id;
mod pt;

/// A list of phrases.
pub(crate) type List = &'static [&'static str];

/// Everything one language contributes to the generated ads.
#[derive(Debug)]
pub(crate) struct Bank {
    /// The digits 0–9 as words, for phone numbers partly spelled out.
    pub(crate) digit_words: [&'static str; 10],
    /// What replaces `@` and `.` in e-mails written out (`at`/`dot`, `arroba`/`punto`, …).
    pub(crate) at_word: &'static str,
    /// See `at_word`.
    pub(crate) dot_word: &'static str,
    /// Month names, January first, for dates written out.
    pub(crate) months: [&'static str; 12],

    /// Advertisers' first names.
    pub(crate) names: List,
    /// Names of third parties who take the bookings (`escort.third_party`).
    pub(crate) bosses: List,
    /// Ethnicities and nationalities ads advertise (`escort.ethnicity`).
    pub(crate) ethnicities: List,
    /// Rate formats with `{amount}`.
    pub(crate) rate_formats: List,

    /// Titles an independent advertiser writes.
    pub(crate) e_titles: List,
    /// Titles a third party writes for several women.
    pub(crate) e_titles_agency: List,
    /// Short title tags, one list per indicator.
    pub(crate) e_tag_youth: List,
    /// See `e_tag_youth`.
    pub(crate) e_tag_ethnicity: List,
    /// See `e_tag_youth`.
    pub(crate) e_tag_reassurance: List,
    /// See `e_tag_youth`.
    pub(crate) e_tag_restricted: List,
    /// First-person openings.
    pub(crate) e_intro: List,
    /// First-person openings that state `{age}`.
    pub(crate) e_intro_age: List,
    /// Third-party openings.
    pub(crate) e_intro_agency: List,
    /// What the advertiser offers, first person.
    pub(crate) e_services: List,
    /// What is offered, third person.
    pub(crate) e_services_agency: List,
    /// Screening and manners.
    pub(crate) e_manners: List,
    /// Travel and "new in town" wording, with `{city}`; more typical of independent advertisers.
    pub(crate) e_visiting: List,
    /// Rate sentences with `{price}`.
    pub(crate) e_rates: List,
    /// Contact sentences with `{contact}`, first person.
    pub(crate) e_contact: List,
    /// Contact sentences with `{contact}`, third person.
    pub(crate) e_contact_agency: List,
    /// Sign-offs.
    pub(crate) e_closing: List,
    /// `escort.youth`.
    pub(crate) e_youth: List,
    /// `escort.third_party`, with `{boss}`.
    pub(crate) e_third_party: List,
    /// `escort.ethnicity`, with `{eth}`.
    pub(crate) e_ethnicity: List,
    /// `escort.reassurance`.
    pub(crate) e_reassurance: List,
    /// `escort.restricted`.
    pub(crate) e_restricted: List,
    /// Hints that the number is written out on purpose (accompany `escort.obfuscated_contact`).
    pub(crate) e_obfuscation_hint: List,

    /// `(category slug, role)` pairs for job ads.
    pub(crate) roles: &'static [(&'static str, &'static str)],
    /// `(category slug, sentence)` duties, with `{role}`.
    pub(crate) duties: &'static [(&'static str, &'static str)],
    /// Fictional employers: `(category slug, name)`.
    pub(crate) companies: &'static [(&'static str, &'static str)],
    /// Street addresses with `{n}` for the number.
    pub(crate) streets: List,
    /// Countries abroad that scam ads promise, as written in this language.
    pub(crate) destinations: List,
    /// Pay formats per hour, with `{amount}` (a range or a single figure).
    pub(crate) pay_hour: List,
    /// Pay formats per month, with `{amount}`.
    pub(crate) pay_month: List,
    /// Pay formats per week, with `{amount}`.
    pub(crate) pay_week: List,
    /// The word joining a pay range (`to`, `a`, `à`, `-`).
    pub(crate) range_word: &'static str,

    /// Job titles, with `{role}` and `{city}`.
    pub(crate) j_titles: List,
    /// Scam job titles, with `{role}`, `{dest}` or `{amount}`.
    pub(crate) j_titles_scam: List,
    /// Openings naming the employer.
    pub(crate) j_intro: List,
    /// Openings that hide the employer (`job.employer_unidentified`).
    pub(crate) j_intro_anon: List,
    /// Requirements of a real job.
    pub(crate) j_requirements: List,
    /// Pay sentences with `{pay}`.
    pub(crate) j_pay: List,
    /// Benefits of a real job.
    pub(crate) j_benefits: List,
    /// Interview process of a real job, with `{address}`.
    pub(crate) j_interview: List,
    /// How to apply by e-mail, with `{email}`.
    pub(crate) j_apply_email: List,
    /// How to apply by phone, with `{phone}`.
    pub(crate) j_apply_phone: List,
    /// Sign-offs of a real employer, with `{company}`.
    pub(crate) j_closing: List,
    /// `job.fee_required`, with `{fee}`.
    pub(crate) j_fee: List,
    /// `job.documents_requested`.
    pub(crate) j_documents: List,
    /// `job.pay_unrealistic`, with `{amount}`.
    pub(crate) j_pay_unrealistic: List,
    /// `job.chat_or_free_email_contact`, with `{contact}`.
    pub(crate) j_chat_contact: List,
    /// `job.chat_interview`.
    pub(crate) j_chat_interview: List,
    /// `job.urgency`.
    pub(crate) j_urgency: List,
    /// `job.travel_deducted`, with `{dest}`.
    pub(crate) j_travel: List,
    /// `job.appearance_requirements`, with `{dest}`.
    pub(crate) j_appearance: List,
    /// `job.money_mule`.
    pub(crate) j_mule: List,
    /// `job.no_contract`.
    pub(crate) j_no_contract: List,
}

/// The bank for `lang`.
pub(crate) fn bank(lang: Lang) -> &'static Bank {
    match lang {
        Lang::En => &en::BANK,
        Lang::Es => &es::BANK,
        Lang::Fr => &fr::BANK,
        Lang::Pt => &pt::BANK,
        Lang::Id => &id::BANK,
    }
}

/// Job categories: `(slug, display name)`. Every bank's roles and duties use these slugs.
pub(crate) const JOB_CATEGORIES: &[(&str, &str)] = &[
    ("warehouse-logistics", "Warehouse & Logistics"),
    ("hospitality", "Hotels & Restaurants"),
    ("cleaning-care", "Cleaning & Care"),
    ("driving", "Driving & Delivery"),
    ("office", "Office & Customer Service"),
    ("construction", "Construction"),
    ("agriculture", "Farm & Seasonal"),
    ("entertainment", "Hostess & Promotion"),
    ("remote", "Work from Home"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(b: &Bank) -> Vec<(&'static str, List)> {
        vec![
            ("names", b.names),
            ("bosses", b.bosses),
            ("ethnicities", b.ethnicities),
            ("rate_formats", b.rate_formats),
            ("e_titles", b.e_titles),
            ("e_titles_agency", b.e_titles_agency),
            ("e_tag_youth", b.e_tag_youth),
            ("e_tag_ethnicity", b.e_tag_ethnicity),
            ("e_tag_reassurance", b.e_tag_reassurance),
            ("e_tag_restricted", b.e_tag_restricted),
            ("e_intro", b.e_intro),
            ("e_intro_age", b.e_intro_age),
            ("e_intro_agency", b.e_intro_agency),
            ("e_services", b.e_services),
            ("e_services_agency", b.e_services_agency),
            ("e_manners", b.e_manners),
            ("e_visiting", b.e_visiting),
            ("e_rates", b.e_rates),
            ("e_contact", b.e_contact),
            ("e_contact_agency", b.e_contact_agency),
            ("e_closing", b.e_closing),
            ("e_youth", b.e_youth),
            ("e_third_party", b.e_third_party),
            ("e_ethnicity", b.e_ethnicity),
            ("e_reassurance", b.e_reassurance),
            ("e_restricted", b.e_restricted),
            ("e_obfuscation_hint", b.e_obfuscation_hint),
            ("streets", b.streets),
            ("destinations", b.destinations),
            ("pay_hour", b.pay_hour),
            ("pay_month", b.pay_month),
            ("pay_week", b.pay_week),
            ("j_titles", b.j_titles),
            ("j_titles_scam", b.j_titles_scam),
            ("j_intro", b.j_intro),
            ("j_intro_anon", b.j_intro_anon),
            ("j_requirements", b.j_requirements),
            ("j_pay", b.j_pay),
            ("j_benefits", b.j_benefits),
            ("j_interview", b.j_interview),
            ("j_apply_email", b.j_apply_email),
            ("j_apply_phone", b.j_apply_phone),
            ("j_closing", b.j_closing),
            ("j_fee", b.j_fee),
            ("j_documents", b.j_documents),
            ("j_pay_unrealistic", b.j_pay_unrealistic),
            ("j_chat_contact", b.j_chat_contact),
            ("j_chat_interview", b.j_chat_interview),
            ("j_urgency", b.j_urgency),
            ("j_travel", b.j_travel),
            ("j_appearance", b.j_appearance),
            ("j_mule", b.j_mule),
            ("j_no_contract", b.j_no_contract),
        ]
    }

    /// Lists every indicator is drawn from, which need several phrasings so no ad is one fixed string.
    const INDICATOR_LISTS: &[&str] = &[
        "e_youth",
        "e_third_party",
        "e_ethnicity",
        "e_reassurance",
        "e_restricted",
        "j_fee",
        "j_documents",
        "j_pay_unrealistic",
        "j_chat_contact",
        "j_chat_interview",
        "j_urgency",
        "j_travel",
        "j_appearance",
        "j_mule",
        "j_no_contract",
        "j_intro_anon",
    ];

    #[test]
    fn every_language_fills_every_list() {
        for lang in Lang::ALL {
            let b = bank(lang);
            for (name, list) in lists(b) {
                let min = if INDICATOR_LISTS.contains(&name) { 4 } else { 2 };
                assert!(list.len() >= min, "{}: {name} has {} entries", lang.code(), list.len());
                for s in list {
                    assert!(!s.trim().is_empty(), "{}: empty entry in {name}", lang.code());
                }
            }
        }
    }

    #[test]
    fn placeholders_are_the_ones_each_list_promises() {
        let allowed: &[(&str, &[&str])] = &[
            ("e_titles", &["{name}", "{city}"]),
            ("e_titles_agency", &["{city}"]),
            ("e_tag_ethnicity", &["{eth}"]),
            ("e_intro", &["{name}", "{city}"]),
            ("e_intro_age", &["{name}", "{age}", "{city}"]),
            ("e_intro_agency", &["{city}"]),
            ("e_visiting", &["{city}"]),
            ("e_rates", &["{price}"]),
            ("e_contact", &["{contact}"]),
            ("e_contact_agency", &["{contact}"]),
            ("e_third_party", &["{boss}"]),
            ("e_ethnicity", &["{eth}"]),
            ("rate_formats", &["{amount}"]),
            ("streets", &["{n}"]),
            ("pay_hour", &["{amount}"]),
            ("pay_month", &["{amount}"]),
            ("pay_week", &["{amount}"]),
            ("j_titles", &["{role}", "{city}"]),
            ("j_titles_scam", &["{role}", "{dest}", "{amount}", "{city}"]),
            ("j_intro", &["{company}", "{role}", "{city}"]),
            ("j_intro_anon", &["{role}", "{city}"]),
            ("j_pay", &["{pay}"]),
            ("j_interview", &["{address}"]),
            ("j_apply_email", &["{email}"]),
            ("j_apply_phone", &["{phone}"]),
            ("j_closing", &["{company}"]),
            ("j_fee", &["{fee}"]),
            ("j_pay_unrealistic", &["{amount}"]),
            ("j_chat_contact", &["{contact}"]),
            ("j_travel", &["{dest}"]),
            ("j_appearance", &["{dest}"]),
        ];
        for lang in Lang::ALL {
            for (name, list) in lists(bank(lang)) {
                let ok = allowed.iter().find(|(n, _)| *n == name).map(|(_, a)| *a).unwrap_or(&[]);
                for s in list {
                    let mut rest = *s;
                    while let Some(i) = rest.find('{') {
                        let end = rest[i..].find('}').map(|e| i + e + 1).unwrap_or(rest.len());
                        let ph = &rest[i..end];
                        assert!(ok.contains(&ph), "{}: {name}: unexpected {ph} in {s:?}", lang.code());
                        rest = &rest[end..];
                    }
                }
            }
            // The contact sentences must actually carry the contact.
            for s in bank(lang).e_contact.iter().chain(bank(lang).e_contact_agency) {
                assert!(s.contains("{contact}"), "{}: {s:?}", lang.code());
            }
            for s in bank(lang).j_chat_contact {
                assert!(s.contains("{contact}"), "{}: {s:?}", lang.code());
            }
        }
    }

    #[test]
    fn roles_and_duties_cover_every_category() {
        for lang in Lang::ALL {
            let b = bank(lang);
            for (slug, _) in JOB_CATEGORIES {
                assert!(b.roles.iter().any(|(c, _)| c == slug), "{}: no role in {slug}", lang.code());
                assert!(b.duties.iter().any(|(c, _)| c == slug), "{}: no duty in {slug}", lang.code());
            }
            for slug in JOB_CATEGORIES.iter().map(|(s, _)| *s).filter(|s| *s != "remote") {
                assert!(b.companies.iter().any(|(c, _)| *c == slug), "{}: no employer in {slug}", lang.code());
            }
            for (c, _) in b.roles.iter().chain(b.duties).chain(b.companies) {
                assert!(JOB_CATEGORIES.iter().any(|(s, _)| s == c), "{}: unknown category {c}", lang.code());
            }
        }
    }
}
