//! Job ads: real-looking vacancies and three kinds of recruitment fraud, singles and networks.

use super::*;

/// The kinds of recruitment fraud risky job ads follow, each with the indicators that fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scam {
    /// Work abroad: travel and lodging "advanced", looks, passports.
    Abroad,
    /// Work from home: money mules and impossible pay.
    FromHome,
    /// A local job that does not exist: fees and documents.
    Local,
}

const SCAM_ABROAD: &[(&str, u32)] = &[
    ("job.travel_deducted", 12),
    ("job.appearance_requirements", 8),
    ("job.fee_required", 10),
    ("job.documents_requested", 8),
    ("job.no_contract", 5),
    ("job.urgency", 5),
    ("job.chat_interview", 4),
    ("job.chat_or_free_email_contact", 7),
    ("job.employer_unidentified", 9),
];
const SCAM_HOME: &[(&str, u32)] = &[
    ("job.pay_unrealistic", 12),
    ("job.money_mule", 10),
    ("job.chat_interview", 6),
    ("job.chat_or_free_email_contact", 8),
    ("job.fee_required", 5),
    ("job.urgency", 4),
    ("job.employer_unidentified", 8),
];
const SCAM_LOCAL: &[(&str, u32)] = &[
    ("job.pay_unrealistic", 8),
    ("job.fee_required", 10),
    ("job.documents_requested", 8),
    ("job.urgency", 6),
    ("job.employer_unidentified", 9),
    ("job.no_contract", 6),
    ("job.chat_or_free_email_contact", 6),
];

/// Weak job indicators a benign ad may carry by chance.
const JOB_WEAK: &[(&str, u32)] = &[("job.urgency", 60), ("job.chat_or_free_email_contact", 40)];

fn scam_pool(scam: Scam) -> &'static [(&'static str, u32)] {
    match scam {
        Scam::Abroad => SCAM_ABROAD,
        Scam::FromHome => SCAM_HOME,
        Scam::Local => SCAM_LOCAL,
    }
}

/// How a job ad is to be contacted.
#[derive(Debug, Clone)]
enum JobContact {
    /// A company e-mail and sometimes an office phone.
    Company { email: (String, String), phone: Option<Phone> },
    /// WhatsApp on a mobile number.
    WhatsApp(Phone),
    /// A Telegram handle.
    Telegram(String),
    /// A free-mail address.
    FreeEmail((String, String)),
    /// A phone number and nothing else.
    Phone(Phone),
}

impl JobContact {
    /// Which messenger a sentence about this contact may name.
    fn fits(&self, sentence: &str) -> bool {
        let whatsapp = mentions_whatsapp(sentence);
        let telegram = sentence.contains("Telegram");
        match self {
            JobContact::WhatsApp(_) => !telegram,
            JobContact::Telegram(_) => !whatsapp,
            _ => !whatsapp && !telegram,
        }
    }
}

/// The sentence templates and fixed choices of one job ad; networks reusing a template share one.
#[derive(Debug, Clone)]
struct JobPlan {
    title: &'static str,
    category: &'static str,
    role: &'static str,
    dest: &'static str,
    paragraphs: Vec<Vec<&'static str>>,
    company: Option<&'static str>,
    street: &'static str,
}

fn job_domain(company: &str, country: Country) -> String {
    let base: String = contact::ascii_fold(company).split_whitespace().collect();
    let tld = match country {
        Country::Us => "com",
        Country::Gb => "co.uk",
        Country::Es => "es",
        Country::Mx => "com.mx",
        Country::Fr => "fr",
        Country::Br => "com.br",
        Country::Pt => "pt",
        Country::Id => "co.id",
    };
    format!("{base}.{tld}")
}

fn hr_local(lang: Lang, rng: &mut Rng) -> &'static str {
    let options: &[&str] = match lang {
        Lang::En => &["jobs", "careers", "hr", "recruiting"],
        Lang::Es => &["empleo", "rrhh", "seleccion"],
        Lang::Fr => &["recrutement", "rh", "emploi"],
        Lang::Pt => &["rh", "vagas", "curriculos"],
        Lang::Id => &["hrd", "rekrutmen", "karir"],
    };
    rng.pick_str(options)
}

/// A realistic pay figure for the country, as `{amount}` text (a range or one figure) plus the unit.
fn realistic_pay(bank: &Bank, country: Country, rng: &mut Rng, uplift: bool) -> String {
    let (lo, hi, step, hourly) = match country {
        Country::Us => (15, 26, 1, true),
        Country::Gb => (11, 16, 1, true),
        Country::Es => (1200, 2000, 50, false),
        Country::Mx => (8000, 18000, 500, false),
        Country::Fr => (1800, 2600, 50, false),
        Country::Br => (1500, 3500, 100, false),
        Country::Pt => (870, 1400, 10, false),
        Country::Id => (4_000_000, 8_000_000, 250_000, false),
    };
    let (lo, hi) = if uplift { (hi, hi * 13 / 10) } else { (lo, hi) };
    let a = round_to(rng.range(lo, hi), step);
    let amount = if rng.chance(0.5) {
        let b = a + round_to(rng.range(step, (hi - lo) / 3 + step), step).max(step as u64);
        format!("{} {} {}", country.money(a), bank.range_word, country.money(b))
    } else {
        country.money(a)
    };
    let format = if hourly { *rng.pick(bank.pay_hour) } else { *rng.pick(bank.pay_month) };
    format.replace("{amount}", &amount)
}

fn unrealistic_pay(bank: &Bank, country: Country, rng: &mut Rng) -> String {
    let a = match country {
        Country::Us => round_to(rng.range(3000, 6000), 500),
        Country::Gb => round_to(rng.range(2500, 5000), 500),
        Country::Es | Country::Fr | Country::Pt => round_to(rng.range(2500, 5000), 500),
        Country::Mx => round_to(rng.range(40_000, 90_000), 5000),
        Country::Br => round_to(rng.range(10_000, 25_000), 1000),
        Country::Id => round_to(rng.range(15_000_000, 40_000_000), 1_000_000),
    };
    rng.pick(bank.pay_week).replace("{amount}", &country.money(a))
}

fn fee(country: Country, rng: &mut Rng) -> String {
    let a = match country {
        Country::Us => round_to(rng.range(100, 500), 50),
        Country::Gb => round_to(rng.range(100, 400), 50),
        Country::Es | Country::Fr | Country::Pt => round_to(rng.range(150, 450), 50),
        Country::Mx => round_to(rng.range(2000, 6000), 500),
        Country::Br => round_to(rng.range(400, 1500), 100),
        Country::Id => round_to(rng.range(1_500_000, 5_000_000), 500_000),
    };
    country.money(a)
}

fn duties_for(bank: &'static Bank, category: &str) -> Vec<&'static str> {
    bank.duties.iter().filter(|(c, _)| *c == category).map(|(_, s)| *s).collect()
}

fn roles_for(bank: &'static Bank, category: &str) -> Vec<&'static str> {
    bank.roles.iter().filter(|(c, _)| *c == category).map(|(_, s)| *s).collect()
}

const BENIGN_CATEGORIES: &[&str] =
    &["warehouse-logistics", "hospitality", "cleaning-care", "driving", "office", "construction", "agriculture"];

fn plan_benign_job(bank: &'static Bank, weak: Option<&'static str>, rng: &mut Rng) -> JobPlan {
    let category = if rng.chance(0.03) { "entertainment" } else { *rng.pick(BENIGN_CATEGORIES) };
    let roles = roles_for(bank, category);
    let role = *rng.pick(&roles);
    let mut p1 = vec![*rng.pick(bank.j_intro)];
    let duties = duties_for(bank, category);
    let k = rng.range(1, 2);
    for i in rng.distinct(duties.len(), k) {
        p1.push(duties[i]);
    }
    let mut p2 = Vec::new();
    let k = rng.range(1, 2);
    for i in rng.distinct(bank.j_requirements.len(), k) {
        p2.push(bank.j_requirements[i]);
    }
    p2.push(*rng.pick(bank.j_pay));
    p2.push(*rng.pick(bank.j_benefits));
    let mut p3 = Vec::new();
    if weak == Some("job.urgency") {
        p3.push(*rng.pick(bank.j_urgency));
    }
    p3.push(*rng.pick(bank.j_interview));
    p3.push(*rng.pick(bank.j_apply_email));
    p3.push(*rng.pick(bank.j_apply_phone));
    if rng.chance(0.5) {
        p3.push(*rng.pick(bank.j_closing));
    }
    JobPlan {
        title: rng.pick_str(bank.j_titles),
        category,
        role,
        dest: "",
        paragraphs: vec![p1, p2, p3],
        company: Some(employer(bank, category, rng)),
        street: rng.pick_str(bank.streets),
    }
}

/// A fictional employer that plausibly hires for `category` (any employer when none does).
fn employer(bank: &'static Bank, category: &str, rng: &mut Rng) -> &'static str {
    let fitting: Vec<&'static str> = bank.companies.iter().filter(|(c, _)| *c == category).map(|(_, n)| *n).collect();
    if fitting.is_empty() { rng.pick(bank.companies).1 } else { rng.pick_str(&fitting) }
}

fn plan_risky_job(
    bank: &'static Bank,
    scam: Scam,
    indicators: &[&'static str],
    contact: &JobContact,
    rng: &mut Rng,
) -> JobPlan {
    let has = |id: &str| indicators.contains(&id);
    let category = match scam {
        Scam::Abroad if has("job.appearance_requirements") => "entertainment",
        Scam::Abroad => {
            *rng.pick(&["hospitality", "agriculture", "construction", "cleaning-care", "warehouse-logistics"])
        }
        Scam::FromHome => "remote",
        Scam::Local => *rng.pick(BENIGN_CATEGORIES),
    };
    let roles = roles_for(bank, category);
    let role = *rng.pick(&roles);
    let dest = if scam == Scam::Abroad { *rng.pick(bank.destinations) } else { "" };

    let scam_titles: Vec<&'static str> = bank
        .j_titles_scam
        .iter()
        .copied()
        .filter(|t| {
            let needs_dest = t.contains("{dest}");
            let needs_amount = t.contains("{amount}");
            (needs_dest && scam == Scam::Abroad && !needs_amount)
                || (needs_amount && has("job.pay_unrealistic") && !needs_dest)
        })
        .collect();
    let title =
        if !scam_titles.is_empty() && rng.chance(0.65) { *rng.pick(&scam_titles) } else { *rng.pick(bank.j_titles) };

    let mut p1 =
        vec![if has("job.employer_unidentified") { *rng.pick(bank.j_intro_anon) } else { *rng.pick(bank.j_intro) }];
    let duties = duties_for(bank, category);
    p1.push(*rng.pick(&duties));

    let mut p2: Vec<&'static str> = Vec::new();
    for ind in indicators {
        let list = match *ind {
            "job.fee_required" => bank.j_fee,
            "job.documents_requested" => bank.j_documents,
            "job.pay_unrealistic" => bank.j_pay_unrealistic,
            "job.travel_deducted" => bank.j_travel,
            "job.appearance_requirements" => bank.j_appearance,
            "job.money_mule" => bank.j_mule,
            "job.no_contract" => bank.j_no_contract,
            _ => continue,
        };
        let at = rng.below(p2.len() + 1);
        p2.insert(at, *rng.pick(list));
    }
    if !has("job.pay_unrealistic") {
        p2.push(*rng.pick(bank.j_pay));
    }

    let mut p3: Vec<&'static str> = Vec::new();
    if has("job.chat_interview") {
        p3.push(*rng.pick(bank.j_chat_interview));
    }
    if has("job.chat_or_free_email_contact") {
        let fitting: Vec<&'static str> = bank.j_chat_contact.iter().copied().filter(|s| contact.fits(s)).collect();
        p3.push(if fitting.is_empty() { *rng.pick(bank.j_chat_contact) } else { *rng.pick(&fitting) });
    } else {
        p3.push(*rng.pick(bank.j_apply_phone));
    }
    if has("job.urgency") {
        p3.push(*rng.pick(bank.j_urgency));
    }
    JobPlan {
        title,
        category,
        role,
        dest,
        paragraphs: vec![p1, p2, p3],
        company: if has("job.employer_unidentified") { None } else { Some(rng.pick(bank.companies).1) },
        street: rng.pick_str(bank.streets),
    }
}

fn job_layout(rng: &mut Rng) -> Layout {
    [Layout::A, Layout::B, Layout::C][rng.weighted(&[40, 35, 25])]
}

fn draw_scam(rng: &mut Rng) -> (Scam, Vec<&'static str>) {
    let scam = [Scam::Abroad, Scam::FromHome, Scam::Local][rng.weighted(&[40, 30, 30])];
    let k = 1 + rng.weighted(INDICATOR_COUNT_WEIGHTS);
    let mut ids = draw_distinct(rng, scam_pool(scam), k);
    // Fraud ads usually hide the employer; add it on top of the drawn indicators most of the time.
    if !ids.contains(&"job.employer_unidentified") && ids.len() < 4 && rng.chance(0.5) {
        ids.push("job.employer_unidentified");
    }
    ids.sort_unstable();
    (scam, ids)
}

fn risky_contact(ctx: &mut Ctx, city: &'static City, indicators: &[&str], base_name: &str) -> JobContact {
    let country = city.country;
    if indicators.contains(&"job.chat_or_free_email_contact") {
        match ctx.rng.weighted(&[50, 25, 25]) {
            0 => JobContact::WhatsApp(ctx.phones.allocate(city)),
            1 => JobContact::Telegram(new_handle(ctx, base_name, JOB_HANDLE_SUFFIXES)),
            _ => JobContact::FreeEmail(new_free_email(ctx, base_name, country)),
        }
    } else {
        JobContact::Phone(ctx.phones.allocate(city))
    }
}

fn benign_contact(ctx: &mut Ctx, lang: Lang, city: &'static City, company: &str, weak: Option<&str>) -> JobContact {
    let country = city.country;
    let wants_phone = ctx.rng.chance(0.6);
    if weak == Some("job.chat_or_free_email_contact") {
        // A small business recruiting from a free-mail address: a weak flag, not fraud.
        return JobContact::FreeEmail(new_free_email(ctx, company, country));
    }
    let phone = wants_phone.then(|| ctx.phones.allocate(city));
    let local = format!("{}.{}", hr_local(lang, &mut ctx.rng), city.slug.replace('-', ""));
    let local = ctx.names.unique(&local, &mut ctx.rng);
    JobContact::Company { email: (local, job_domain(company, country)), phone }
}

pub(super) fn job_single(ctx: &mut Ctx, risky: bool) -> Ad {
    let lang = pick_lang(&mut ctx.rng);
    let country = pick_country(&mut ctx.rng, lang);
    let city = pick_city(&mut ctx.rng, country);
    let bank = bank::bank(lang);
    if risky {
        let (scam, indicators) = draw_scam(&mut ctx.rng);
        let base = ctx.rng.pick(&["jobs", "hiring", "recruit", "work", "agency"]).to_string();
        let contact = risky_contact(ctx, city, &indicators, &base);
        let plan = plan_risky_job(bank, scam, &indicators, &contact, &mut ctx.rng);
        build_job(ctx, &plan, lang, city, &contact, true, indicators, None, None)
    } else {
        let weak = ctx.rng.chance(0.15).then(|| pick_weighted(&mut ctx.rng, JOB_WEAK));
        let plan = plan_benign_job(bank, weak, &mut ctx.rng);
        let contact = benign_contact(ctx, lang, city, plan.company.unwrap_or("company"), weak);
        let indicators = weak.into_iter().collect();
        build_job(ctx, &plan, lang, city, &contact, false, indicators, None, None)
    }
}

/// A job offer abroad (hostess, dancer, model work, travel advanced, looks required) whose WhatsApp
/// number is an escort network's: the recruiting half of a recruitment-to-exploitation pair. It is in
/// the escort network (`network`), posted in one of its cities, in its language.
pub(super) fn job_recruiting_for(ctx: &mut Ctx, lang: Lang, city: &'static City, phone: &Phone, network: &str) -> Ad {
    let bank = bank::bank(lang);
    let indicators = vec!["job.appearance_requirements", "job.chat_or_free_email_contact", "job.travel_deducted"];
    let contact = JobContact::WhatsApp(phone.clone());
    let plan = plan_risky_job(bank, Scam::Abroad, &indicators, &contact, &mut ctx.rng);
    build_job(ctx, &plan, lang, city, &contact, true, indicators, Some(network.to_string()), None)
}

pub(super) fn job_network(ctx: &mut Ctx, size: usize, risky: bool) -> Vec<Ad> {
    let lang = pick_lang(&mut ctx.rng);
    let country = pick_country(&mut ctx.rng, lang);
    let bank = bank::bank(lang);
    let mut cities: Vec<&'static City> = country.cities().collect();
    ctx.rng.shuffle(&mut cities);
    let network = Some(ctx.next_network(AdKind::Job));
    let template = if !risky || ctx.rng.chance(0.8) { Some(ctx.next_template(AdKind::Job)) } else { None };
    if !risky {
        // A legitimate staffing company posting one job in several cities, with one HR address.
        let plan = plan_benign_job(bank, None, &mut ctx.rng);
        let company = plan.company.unwrap_or("company");
        let local = ctx.names.unique(hr_local(lang, &mut ctx.rng), &mut ctx.rng);
        let contact = JobContact::Company { email: (local, job_domain(company, country)), phone: None };
        let near = ctx.rng.range(0, 50) as i64;
        return (0..size)
            .map(|i| {
                let ad = build_job(
                    ctx,
                    &plan,
                    lang,
                    cities[i % cities.len()],
                    &contact,
                    false,
                    Vec::new(),
                    network.clone(),
                    template.clone(),
                );
                ad.with_posted(&mut ctx.rng, Some(near))
            })
            .collect();
    }
    let (scam, mut indicators) = draw_scam(&mut ctx.rng);
    // A network is visible through its shared contact; make it a chat or free-mail contact most often.
    if !indicators.contains(&"job.chat_or_free_email_contact") && ctx.rng.chance(0.7) {
        indicators.push("job.chat_or_free_email_contact");
        indicators.sort_unstable();
    }
    let base = ctx.rng.pick(&["global_jobs", "work_abroad", "easy_money", "recruit_team"]).to_string();
    let contact = risky_contact(ctx, cities[0], &indicators, &base);
    let shared_plan = template.as_ref().map(|_| plan_risky_job(bank, scam, &indicators, &contact, &mut ctx.rng));
    let near = ctx.rng.range(0, 50) as i64;
    (0..size)
        .map(|i| {
            let own;
            let plan = match &shared_plan {
                Some(p) => p,
                None => {
                    own = plan_risky_job(bank, scam, &indicators, &contact, &mut ctx.rng);
                    &own
                }
            };
            let ad = build_job(
                ctx,
                plan,
                lang,
                cities[i % cities.len()],
                &contact,
                true,
                indicators.clone(),
                network.clone(),
                template.clone(),
            );
            ad.with_posted(&mut ctx.rng, Some(near))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn build_job(
    ctx: &mut Ctx,
    plan: &JobPlan,
    lang: Lang,
    city: &'static City,
    contact: &JobContact,
    risky: bool,
    indicators: Vec<&'static str>,
    network: Option<String>,
    template: Option<String>,
) -> Ad {
    let bank = bank::bank(lang);
    let rng = &mut ctx.rng;
    let country = city.country;
    let has = |id: &str| indicators.contains(&id);
    let price = if has("job.pay_unrealistic") {
        unrealistic_pay(bank, country, rng)
    } else {
        realistic_pay(bank, country, rng, risky)
    };
    let fee_text = fee(country, rng);
    let address = format!("{}, {}", plan.street.replace("{n}", &rng.range(2, 240).to_string()), city.name);

    let mut phones = Vec::new();
    let mut emails = Vec::new();
    let mut handles = Vec::new();
    let mut obfuscated = false;
    // Scam contacts are sometimes written out to dodge filters, real employers' almost never.
    let hide = risky && rng.chance(0.12);
    let phone_style = |rng: &mut Rng| if hide { PhoneStyle::hidden(rng) } else { PhoneStyle::plain(rng) };
    let (email_text, phone_text, chat_text, field) = match contact {
        JobContact::Company { email, phone } => {
            let e = format_email(&email.0, &email.1, false, bank, rng);
            emails.push(format!("{}@{}", email.0, email.1).to_lowercase());
            let p = phone.as_ref().map(|p| {
                phones.push(p.e164());
                format_phone(p, country, PhoneStyle::plain(rng), bank, rng).0
            });
            let field = e.clone();
            (Some(e), p, None, field)
        }
        JobContact::WhatsApp(p) => {
            phones.push(p.e164());
            let style = if hide { PhoneStyle::hidden(rng) } else { PhoneStyle::International };
            let (text, hidden) = format_phone(p, country, style, bank, rng);
            obfuscated |= hidden;
            // The sentence already says WhatsApp; the field has to.
            let chat =
                if !hidden && rng.chance(0.3) { format!("wa.me/{}{}", p.country.calling_code(), p.nsn) } else { text };
            let field = format!("WhatsApp: {chat}");
            (None, None, Some(chat), field)
        }
        JobContact::Telegram(h) => {
            handles.push(format!("telegram:{}", h.to_lowercase()));
            let chat = if rng.chance(0.5) { format!("@{h}") } else { format!("t.me/{h}") };
            (None, None, Some(chat), Service::Telegram.write(h, rng))
        }
        JobContact::FreeEmail((local, domain)) => {
            emails.push(format!("{local}@{domain}").to_lowercase());
            let e = format_email(local, domain, hide, bank, rng);
            obfuscated |= hide;
            if risky { (None, None, Some(e.clone()), e) } else { (Some(e.clone()), None, None, e) }
        }
        JobContact::Phone(p) => {
            phones.push(p.e164());
            let (text, hidden) = format_phone(p, country, phone_style(rng), bank, rng);
            obfuscated |= hidden;
            (None, Some(text.clone()), None, text)
        }
    };

    let company = plan.company.map(str::to_string);
    let vars: [(&str, &str); 10] = [
        ("{company}", company.as_deref().unwrap_or("")),
        ("{role}", plan.role),
        ("{city}", city.name),
        ("{pay}", &price),
        ("{address}", &address),
        ("{email}", email_text.as_deref().unwrap_or("")),
        ("{phone}", phone_text.as_deref().unwrap_or("")),
        ("{contact}", chat_text.as_deref().unwrap_or("")),
        ("{dest}", plan.dest),
        ("{fee}", &fee_text),
    ];
    let amount_text = if has("job.pay_unrealistic") { price.clone() } else { String::new() };
    let mut paragraphs = Vec::new();
    for p in &plan.paragraphs {
        let mut sentences = Vec::new();
        for s in p {
            // Drop sentences whose contact this ad does not have (an office phone is optional).
            if (s.contains("{phone}") && phone_text.is_none())
                || (s.contains("{email}") && email_text.is_none())
                || (s.contains("{contact}") && chat_text.is_none())
            {
                continue;
            }
            sentences.push(fill(&fill(s, &vars), &[("{amount}", &amount_text)]));
        }
        if !sentences.is_empty() {
            paragraphs.push(sentences.join(" "));
        }
    }
    // Every ad must carry its contact in the text or the contact field; if the text lost it, say it.
    let in_text = [&email_text, &phone_text, &chat_text]
        .into_iter()
        .flatten()
        .any(|c| paragraphs.iter().any(|p| contains_contact(p, c)));
    let contact_field = if rng.chance(0.7) || !in_text { Some(field) } else { None };
    let title = fill(plan.title, &vars).replace("{amount}", &amount_text);
    Ad {
        id: 0,
        pictures: Vec::new(),
        picture_ids: Vec::new(),
        kind: AdKind::Job,
        lang,
        city,
        category: plan.category,
        title,
        paragraphs,
        price,
        age: None,
        age_field: false,
        contact_field,
        company,
        posted: Stamp::before_today(0, 0),
        risky,
        indicators,
        network,
        template,
        phones,
        emails,
        handles,
        obfuscated,
        layout: job_layout(rng),
        path: String::new(),
        alt_path: None,
        tracking: None,
        job_escort_contact: None,
    }
    .with_posted(rng, None)
}

fn contains_contact(paragraph: &str, contact: &str) -> bool {
    !contact.is_empty() && paragraph.contains(contact)
}
