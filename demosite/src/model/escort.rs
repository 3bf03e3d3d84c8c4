//! Escort ads: independent adults and third parties, singles and networks.
//!
//! A risky ad's indicators are planted as sentences (youth, third party, ethnicity, reassurance,
//! restricted movement), as an obfuscated contact, or as a contact shared across a network. Benign ads
//! speak in the first person with their own contact and sometimes mention travel, which research found
//! less common in trafficking ads.

use super::*;

/// Escort indicators that risky single ads draw from, with weights.
const ESCORT_RISKY: &[(&str, u32)] = &[
    ("escort.youth", 16),
    ("escort.obfuscated_contact", 22),
    ("escort.third_party", 18),
    ("escort.ethnicity", 16),
    ("escort.reassurance", 15),
    ("escort.restricted", 13),
];

/// Weak escort indicators a benign ad may carry by chance.
const ESCORT_WEAK: &[(&str, u32)] = &[
    ("escort.reassurance", 40),
    ("escort.restricted", 30),
    ("escort.ethnicity", 15),
    ("escort.obfuscated_contact", 15),
];

/// Who speaks in an escort ad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Voice {
    /// An independent adult in the first person.
    Independent,
    /// A third party writing about "girls" or "ladies".
    Agency,
}

/// The sentence templates of one escort ad, before names, cities, prices and contacts are filled in.
/// Networks that reuse a template share one plan.
#[derive(Debug, Clone)]
struct EscortPlan {
    title: &'static str,
    tag: Option<&'static str>,
    tag_style: usize,
    paragraphs: Vec<Vec<&'static str>>,
    rate_format: &'static str,
    boss: &'static str,
    eth: &'static str,
    /// Whether the text itself states the age (an age opening, or "just 18").
    text_states_age: bool,
    /// Whether a youth sentence or tag names 18 as the age.
    says_eighteen: bool,
}

fn plan_escort(
    bank: &'static Bank,
    voice: Voice,
    indicators: &[&'static str],
    visiting: bool,
    rng: &mut Rng,
) -> EscortPlan {
    let title = match voice {
        Voice::Independent => *rng.pick(bank.e_titles),
        Voice::Agency => *rng.pick(bank.e_titles_agency),
    };
    let taggable: Vec<&'static str> = indicators
        .iter()
        .copied()
        .filter(|i| matches!(*i, "escort.youth" | "escort.ethnicity" | "escort.reassurance" | "escort.restricted"))
        .collect();
    let tag = if !taggable.is_empty() && rng.chance(0.55) {
        let list = match *rng.pick(&taggable) {
            "escort.youth" => bank.e_tag_youth,
            "escort.ethnicity" => bank.e_tag_ethnicity,
            "escort.reassurance" => bank.e_tag_reassurance,
            _ => bank.e_tag_restricted,
        };
        Some(*rng.pick(list))
    } else {
        None
    };

    let mut p1: Vec<&'static str> = Vec::new();
    let mut text_states_age = false;
    match voice {
        Voice::Independent if rng.chance(0.3) => {
            p1.push(*rng.pick(bank.e_intro_age));
            text_states_age = true;
        }
        Voice::Independent => p1.push(*rng.pick(bank.e_intro)),
        Voice::Agency => p1.push(*rng.pick(bank.e_intro_agency)),
    }
    let services = match voice {
        Voice::Independent => bank.e_services,
        Voice::Agency => bank.e_services_agency,
    };
    let k = rng.range(1, 2);
    for i in rng.distinct(services.len(), k) {
        p1.push(services[i]);
    }

    let mut p2: Vec<&'static str> = Vec::new();
    let mut says_eighteen = tag.is_some_and(|t| t.contains("18"));
    for ind in indicators {
        let list = match *ind {
            "escort.youth" => bank.e_youth,
            "escort.third_party" => bank.e_third_party,
            "escort.ethnicity" => bank.e_ethnicity,
            "escort.reassurance" => bank.e_reassurance,
            "escort.restricted" => bank.e_restricted,
            // Shown by the contact itself, or by other ads sharing it.
            _ => continue,
        };
        let sentence = *rng.pick(list);
        if *ind == "escort.youth" && sentence.contains("18") {
            says_eighteen = true;
        }
        // Indicator sentences land in the opening or the middle paragraph, never in a fixed place.
        if rng.chance(0.5) {
            let at = rng.range(1, p1.len());
            p1.insert(at, sentence);
        } else {
            p2.push(sentence);
        }
    }
    if says_eighteen {
        text_states_age = true;
    }
    if visiting {
        p2.insert(0, *rng.pick(bank.e_visiting));
    }
    let manners_p = if voice == Voice::Independent { 0.5 } else { 0.2 };
    if rng.chance(manners_p) {
        p2.push(*rng.pick(bank.e_manners));
    }

    let mut p3: Vec<&'static str> = Vec::new();
    if rng.chance(0.55) {
        p3.push(*rng.pick(bank.e_rates));
    }
    p3.push(match voice {
        Voice::Independent => *rng.pick(bank.e_contact),
        Voice::Agency => *rng.pick(bank.e_contact_agency),
    });
    if rng.chance(0.7) {
        p3.push(*rng.pick(bank.e_closing));
    }

    let paragraphs = [p1, p2, p3].into_iter().filter(|p| !p.is_empty()).collect();
    EscortPlan {
        title,
        tag,
        tag_style: rng.below(4),
        paragraphs,
        rate_format: rng.pick_str(bank.rate_formats),
        boss: rng.pick_str(bank.bosses),
        eth: rng.pick_str(bank.ethnicities),
        text_states_age,
        says_eighteen,
    }
}

/// Everything that differs between two ads built from one plan.
struct EscortPerson {
    lang: Lang,
    city: &'static City,
    name: String,
    age: u32,
    phone: Phone,
    handle: Option<(Service, String)>,
    email: Option<(String, String)>,
    obfuscate: bool,
    /// Whether the page has a contact field apart from the text.
    contact_field: bool,
}

fn escort_rate(country: Country, rng: &mut Rng) -> u64 {
    match country {
        Country::Us => round_to(rng.range(150, 400), 10),
        Country::Gb => round_to(rng.range(120, 300), 10),
        Country::Es | Country::Fr | Country::Pt => round_to(rng.range(100, 300), 10),
        Country::Mx => round_to(rng.range(1500, 4000), 100),
        Country::Br => round_to(rng.range(250, 800), 50),
        Country::Id => round_to(rng.range(800_000, 3_000_000), 100_000),
    }
}

fn handle_service(country: Country, rng: &mut Rng) -> Service {
    let options: &[(Service, u32)] = match country {
        Country::Us | Country::Gb => &[(Service::Snapchat, 3), (Service::Instagram, 2), (Service::Telegram, 3)],
        Country::Id => &[(Service::Line, 3), (Service::Telegram, 3), (Service::WeChat, 2)],
        _ => &[(Service::Telegram, 4), (Service::Instagram, 3), (Service::Snapchat, 1)],
    };
    let weights: Vec<u32> = options.iter().map(|(_, w)| *w).collect();
    options[rng.weighted(&weights)].0
}

fn escort_age(rng: &mut Rng, indicators: &[&str], risky: bool) -> u32 {
    if indicators.contains(&"escort.youth") {
        rng.range(18, 20) as u32
    } else if risky {
        rng.range(19, 34) as u32
    } else {
        rng.range(21, 39) as u32
    }
}

fn pick_category(rng: &mut Rng) -> &'static str {
    ESCORT_CATEGORIES[rng.weighted(&[40, 30, 20, 10])].0
}

fn escort_layout(rng: &mut Rng) -> Layout {
    [Layout::A, Layout::B, Layout::C][rng.weighted(&[45, 35, 20])]
}

pub(super) fn escort_single(ctx: &mut Ctx, risky: bool) -> Ad {
    let lang = pick_lang(&mut ctx.rng);
    let country = pick_country(&mut ctx.rng, lang);
    let city = pick_city(&mut ctx.rng, country);
    let bank = bank::bank(lang);
    let mut indicators = if risky {
        let k = 1 + ctx.rng.weighted(INDICATOR_COUNT_WEIGHTS);
        draw_distinct(&mut ctx.rng, ESCORT_RISKY, k)
    } else if ctx.rng.chance(0.15) {
        vec![pick_weighted(&mut ctx.rng, ESCORT_WEAK)]
    } else {
        Vec::new()
    };
    let voice = if indicators.contains(&"escort.third_party") && ctx.rng.chance(0.7) {
        Voice::Agency
    } else {
        Voice::Independent
    };
    // Movement language is more typical of independent advertisers than of trafficked ones.
    let visiting = voice == Voice::Independent && ctx.rng.chance(if risky { 0.1 } else { 0.3 });
    let obfuscate = indicators.contains(&"escort.obfuscated_contact");
    let plan = plan_escort(bank, voice, &indicators, visiting, &mut ctx.rng);
    let name = ctx.rng.pick(bank.names).to_string();
    let age = escort_age(&mut ctx.rng, &indicators, risky);
    let phone = ctx.phones.allocate(city);
    let handle = if ctx.rng.chance(if voice == Voice::Agency { 0.35 } else { 0.25 }) {
        let service = handle_service(country, &mut ctx.rng);
        let base = if voice == Voice::Agency { plan.boss.to_string() } else { name.clone() };
        Some((service, new_handle(ctx, &base, ESCORT_HANDLE_SUFFIXES)))
    } else {
        None
    };
    let email = if ctx.rng.chance(0.08) { Some(new_free_email(ctx, &name, country)) } else { None };
    let contact_field = ctx.rng.chance(0.75);
    let person = EscortPerson { lang, city, name, age, phone, handle, email, obfuscate, contact_field };
    indicators.sort_unstable();
    build_escort(ctx, &plan, &person, risky, indicators, None, None)
}

pub(super) fn escort_network(ctx: &mut Ctx, size: usize, risky: bool) -> Vec<Ad> {
    let lang = pick_lang(&mut ctx.rng);
    let country = pick_country(&mut ctx.rng, lang);
    let bank = bank::bank(lang);
    let mut cities: Vec<&'static City> = country.cities().collect();
    ctx.rng.shuffle(&mut cities);
    let network = Some(ctx.next_network(AdKind::Escort));
    let phone = ctx.phones.allocate(cities[0]);
    // Network ads are posted within a few days of each other.
    let near = ctx.rng.range(0, 55) as i64;

    if !risky {
        // One independent adult touring a few cities: same person, same number, same text.
        let plan = plan_escort(bank, Voice::Independent, &[], true, &mut ctx.rng);
        let template = Some(ctx.next_template(AdKind::Escort));
        let name = ctx.rng.pick(bank.names).to_string();
        let age = escort_age(&mut ctx.rng, &[], false);
        let contact_field = ctx.rng.chance(0.75);
        return (0..size)
            .map(|i| {
                let person = EscortPerson {
                    lang,
                    city: cities[i % cities.len()],
                    name: name.clone(),
                    age,
                    phone: phone.clone(),
                    handle: None,
                    email: None,
                    obfuscate: false,
                    contact_field,
                };
                build_escort(ctx, &plan, &person, false, Vec::new(), network.clone(), template.clone())
                    .with_posted(&mut ctx.rng, Some(near))
            })
            .collect();
    }

    ctx.escort_network_phones.push((network.clone().unwrap_or_default(), phone.clone()));
    let voice = if ctx.rng.chance(0.75) { Voice::Agency } else { Voice::Independent };
    let mut base: Vec<&'static str> = vec!["escort.shared_contact"];
    if voice == Voice::Agency && ctx.rng.chance(0.8) || ctx.rng.chance(0.3) {
        base.push("escort.third_party");
    }
    let extra_pool: &[(&'static str, u32)] =
        &[("escort.youth", 3), ("escort.ethnicity", 4), ("escort.reassurance", 3), ("escort.restricted", 3)];
    let extra = ctx.rng.range(0, 2);
    base.extend(draw_distinct(&mut ctx.rng, extra_pool, extra));
    let obfuscation_rate = *ctx.rng.pick(&[0.0, 0.5, 0.9]);
    let shared_handle = if ctx.rng.chance(0.4) {
        let service = handle_service(country, &mut ctx.rng);
        let base_name = ctx.rng.pick(bank.bosses).to_string();
        Some((service, new_handle(ctx, &base_name, ESCORT_HANDLE_SUFFIXES)))
    } else {
        None
    };
    let shared_plan = if ctx.rng.chance(0.65) {
        Some((plan_escort(bank, voice, &base, false, &mut ctx.rng), ctx.next_template(AdKind::Escort)))
    } else {
        None
    };
    let names = ctx.rng.distinct(bank.names.len(), size);
    (0..size)
        .map(|i| {
            let obfuscate = ctx.rng.chance(obfuscation_rate);
            let mut indicators = base.clone();
            if obfuscate {
                indicators.push("escort.obfuscated_contact");
            }
            indicators.sort_unstable();
            let own_plan;
            let (plan, template) = match &shared_plan {
                Some((p, t)) => (p, Some(t.clone())),
                None => {
                    own_plan = plan_escort(bank, voice, &base, false, &mut ctx.rng);
                    (&own_plan, None)
                }
            };
            let name = bank.names[names.get(i).copied().unwrap_or(i % bank.names.len())].to_string();
            let age = escort_age(&mut ctx.rng, &indicators, true);
            let person = EscortPerson {
                lang,
                city: cities[i % cities.len()],
                name,
                age,
                phone: phone.clone(),
                handle: shared_handle.clone(),
                email: None,
                obfuscate,
                contact_field: ctx.rng.chance(0.75),
            };
            build_escort(ctx, plan, &person, true, indicators, network.clone(), template)
                .with_posted(&mut ctx.rng, Some(near))
        })
        .collect()
}

fn build_escort(
    ctx: &mut Ctx,
    plan: &EscortPlan,
    person: &EscortPerson,
    risky: bool,
    indicators: Vec<&'static str>,
    network: Option<String>,
    template: Option<String>,
) -> Ad {
    let bank = bank::bank(person.lang);
    let rng = &mut ctx.rng;
    let country = person.city.country;
    let age = if plan.says_eighteen { 18 } else { person.age };
    let price = plan.rate_format.replace("{amount}", &country.money(escort_rate(country, rng)));
    let style = |rng: &mut Rng| if person.obfuscate { PhoneStyle::hidden(rng) } else { PhoneStyle::plain(rng) };

    let mut phones = vec![person.phone.e164()];
    let mut handles = Vec::new();
    let mut emails = Vec::new();
    let mut handle_placed = false;

    let contact_field = if person.contact_field {
        let (mut text, _) = format_phone(&person.phone, country, style(rng), bank, rng);
        if let Some((service, h)) = &person.handle
            && rng.chance(0.5)
        {
            text.push_str(" · ");
            text.push_str(&service.write(h, rng));
            handle_placed = true;
        }
        Some(text)
    } else {
        None
    };

    // The text's contact: the phone (when there is no field, or sometimes again), plus any handle or
    // e-mail not already shown. With nothing left to say, the contact sentence is dropped.
    let mut parts: Vec<String> = Vec::new();
    let sentence_wants_phone =
        plan.paragraphs.iter().flatten().any(|s| s.contains("{contact}") && mentions_whatsapp(s));
    if contact_field.is_none() || sentence_wants_phone || rng.chance(0.45) {
        parts.push(format_phone(&person.phone, country, style(rng), bank, rng).0);
    }
    if let Some((service, h)) = &person.handle
        && !handle_placed
    {
        parts.push(service.write(h, rng));
    }
    if let Some((local, domain)) = &person.email {
        parts.push(format_email(local, domain, person.obfuscate, bank, rng));
        emails.push(format!("{local}@{domain}").to_lowercase());
    }
    if let Some((service, h)) = &person.handle {
        handles.push(format!("{}:{}", service.key(), h.to_lowercase()));
    }
    let keep_contact_sentence = !parts.is_empty();
    let contact_text = parts.join(if rng.chance(0.5) { " / " } else { ", " });

    let age_text = age.to_string();
    let vars: [(&str, &str); 7] = [
        ("{name}", &person.name),
        ("{age}", &age_text),
        ("{city}", person.city.name),
        ("{price}", &price),
        ("{contact}", &contact_text),
        ("{boss}", plan.boss),
        ("{eth}", plan.eth),
    ];
    let contact_sentences: Vec<&str> = bank.e_contact.iter().chain(bank.e_contact_agency).copied().collect();
    let mut paragraphs = Vec::new();
    for p in &plan.paragraphs {
        let mut sentences: Vec<String> = Vec::new();
        for s in p {
            let is_contact = contact_sentences.contains(s);
            if is_contact && !keep_contact_sentence {
                continue;
            }
            if is_contact && person.obfuscate && rng.chance(0.35) {
                sentences.push(rng.pick(bank.e_obfuscation_hint).to_string());
            }
            sentences.push(fill(s, &vars));
        }
        if !sentences.is_empty() {
            paragraphs.push(sentences.join(" "));
        }
    }

    let base_title = fill(plan.title, &vars);
    let title = match plan.tag.map(|t| fill(t, &vars)) {
        Some(tag) => match plan.tag_style {
            0 => format!("{tag} ♥ {base_title}"),
            1 => format!("{base_title} | {tag}"),
            2 => format!("★ {tag} ★ {base_title}"),
            _ => format!("{base_title} - {tag}"),
        },
        None if rng.chance(0.12) => format!("✨ {base_title} ✨"),
        None => base_title,
    };

    let age_field = rng.chance(0.7);
    let stated_age = (age_field || plan.text_states_age).then_some(age);
    phones.dedup();
    Ad {
        id: 0,
        pictures: Vec::new(),
        picture_ids: Vec::new(),
        kind: AdKind::Escort,
        lang: person.lang,
        city: person.city,
        category: pick_category(rng),
        title,
        paragraphs,
        price,
        age: stated_age,
        age_field,
        contact_field,
        company: None,
        posted: Stamp::before_today(0, 0),
        risky,
        indicators,
        network,
        template,
        phones,
        emails,
        handles,
        obfuscated: person.obfuscate,
        layout: escort_layout(rng),
        path: String::new(),
        alt_path: None,
        tracking: None,
        job_escort_contact: None,
    }
    .with_posted(rng, None)
}
