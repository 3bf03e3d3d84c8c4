//! The ground truth is consistent with itself and with the pages it describes.

use crate::support::{digit_stream, digit_stream_with_plus, html, parse_phone, site, text_of};
use redflag_core::AdKind;
use redflag_demosite::{DemoConfig, DemoSite, TruthAd};
use std::collections::{BTreeMap, BTreeSet};

const ESCORT_IDS: &[&str] = &[
    "escort.youth",
    "escort.obfuscated_contact",
    "escort.third_party",
    "escort.ethnicity",
    "escort.reassurance",
    "escort.restricted",
    "escort.shared_contact",
];
const ESCORT_WEAK: &[&str] =
    &["escort.reassurance", "escort.restricted", "escort.ethnicity", "escort.obfuscated_contact"];
const JOB_IDS: &[&str] = &[
    "job.fee_required",
    "job.documents_requested",
    "job.pay_unrealistic",
    "job.employer_unidentified",
    "job.chat_or_free_email_contact",
    "job.chat_interview",
    "job.urgency",
    "job.travel_deducted",
    "job.appearance_requirements",
    "job.money_mule",
    "job.no_contract",
];
const JOB_WEAK: &[&str] = &["job.urgency", "job.chat_or_free_email_contact"];

fn board(truth: &[TruthAd], kind: AdKind) -> Vec<&TruthAd> {
    truth.iter().filter(|a| a.kind == kind).collect()
}

/// Every contact key of an ad: `phone:…`, `email:…`, `handle:…`.
fn contacts(ad: &TruthAd) -> Vec<String> {
    let phones = ad.phones.iter().map(|p| format!("phone:{p}"));
    let emails = ad.emails.iter().map(|e| format!("email:{e}"));
    let handles = ad.handles.iter().map(|h| format!("handle:{h}"));
    phones.chain(emails).chain(handles).collect()
}

/// UK ranges Ofcom reserves for drama: 1,000 numbers after each prefix (E.164, 13 characters).
const UK_DRAMA: &[&str] = &[
    "+441134960", // Leeds
    "+441144960", // Sheffield
    "+441154960", // Nottingham
    "+441164960", // Leicester
    "+441174960", // Bristol
    "+441184960", // Reading
    "+441214960", // Birmingham
    "+441314960", // Edinburgh
    "+441414960", // Glasgow
    "+441514960", // Liverpool
    "+441614960", // Manchester
    "+441914980", // Tyneside
    "+442079460", // London
    "+442896496", // Northern Ireland
    "+442920180", // Cardiff
    "+441632960", // no area
    "+447700900", // mobile
    "+448081570", // freephone
    "+449098790", // premium rate
    "+443069990", // UK-wide
];

/// French blocks ARCEP reserves for fiction: 10,000 numbers after each prefix (E.164, 12 characters).
const FR_FICTION: &[&str] = &["+3319900", "+3326191", "+3335301", "+3346571", "+3353649"];

/// Whether `e164` lies in a range a regulator reserves for fiction: US `NPA-555-0100` to `NPA-555-0199`,
/// the UK drama ranges, the French fiction blocks.
pub fn is_fiction(e164: &str) -> bool {
    if !e164.starts_with('+') || !e164[1..].bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if let Some(us) = e164.strip_prefix("+1") {
        return us.len() == 10 && &us[3..8] == "55501";
    }
    (e164.len() == 13 && UK_DRAMA.iter().any(|p| e164.starts_with(p)))
        || (e164.len() == 12 && FR_FICTION.iter().any(|p| e164.starts_with(p)))
}

/// Every ad has a contact; every phone is valid per `phonenumber`, from a fiction range, and written
/// with its country code wherever the page shows it when it is foreign to the ad's country.
pub fn check_phones(site: &DemoSite) {
    for ad in site.truth() {
        assert!(!contacts(ad).is_empty(), "{} has no contact", ad.path);
        let mut page: Option<String> = None;
        for p in &ad.phones {
            let (nsn, region, valid) = parse_phone(p);
            assert!(valid, "{p} in {} is not a valid number", ad.path);
            assert!(is_fiction(p), "{p} in {} is not from a range reserved for fiction", ad.path);
            if region.as_deref() == Some(ad.country.as_str()) {
                continue;
            }
            // A `wa.me/` link is international by definition; it carries no `+`.
            let digits = page.get_or_insert_with(|| {
                digit_stream_with_plus(&text_of(&html(site, &ad.path)).replace("wa.me/", "wa.me/+"))
            });
            let code = &p[..p.len() - nsn.len()];
            let mut written = 0;
            for (at, _) in digits.match_indices(&nsn) {
                assert!(digits[..at].ends_with(code), "{}: {p} is foreign but written without {code}", ad.path);
                written += 1;
            }
            assert!(written > 0, "{}: phone {p} not found in page", ad.path);
        }
    }
}

pub fn check_only_networks_share_contacts(truth: &[TruthAd]) {
    let mut by_contact: BTreeMap<String, Vec<&TruthAd>> = BTreeMap::new();
    for ad in truth {
        for c in contacts(ad) {
            by_contact.entry(c).or_default().push(ad);
        }
    }
    for (contact, ads) in by_contact {
        if ads.len() > 1 {
            let networks: BTreeSet<_> = ads.iter().map(|a| a.network.as_deref()).collect();
            assert!(
                networks.len() == 1 && !networks.contains(&None),
                "{contact} is shared by ads outside one network: {:?}",
                ads.iter().map(|a| (&a.path, &a.network)).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn every_phone_is_valid_fictional_and_written_with_its_country_code_abroad() {
    check_phones(site());
}

#[test]
fn fiction_predicate_knows_the_ranges() {
    for e164 in ["+17025550148", "+12125550100", "+442079460123", "+441614960999", "+33199001234", "+33465719999"] {
        assert!(is_fiction(e164), "{e164}");
    }
    for e164 in ["+17025550200", "+17025551234", "+442079470123", "+3319900123", "+34911234567", "+5511961234567"] {
        assert!(!is_fiction(e164), "{e164}");
    }
}

#[test]
fn ads_from_fiction_countries_carry_their_own_numbers_and_the_others_borrow() {
    let mut borrowed = BTreeMap::new();
    for ad in site().truth() {
        for p in &ad.phones {
            let (_, region, _) = parse_phone(p);
            let region = region.expect("a region");
            if ["US", "GB", "FR"].contains(&ad.country.as_str()) {
                assert_eq!(region, ad.country, "{}: {p}", ad.path);
            } else {
                assert_ne!(region, ad.country, "{}: {p}", ad.path);
                *borrowed.entry((ad.country.clone(), region)).or_insert(0) += 1;
            }
        }
    }
    // Every country without fiction ranges borrows, and the donors are the documented ones.
    let lenders: BTreeSet<&str> = borrowed.keys().map(|(_, r)| r.as_str()).collect();
    assert_eq!(lenders, BTreeSet::from(["FR", "GB", "US"]), "{borrowed:?}");
    for country in ["ES", "MX", "BR", "PT", "ID"] {
        assert!(borrowed.keys().any(|(c, _)| c == country), "{country} never appears: {borrowed:?}");
    }
}

#[test]
fn risky_share_stays_between_30_and_40_percent() {
    for seed in [1, 7, 42, 1234] {
        let s = DemoSite::generate(&DemoConfig { seed, ..DemoConfig::default() });
        for kind in [AdKind::Escort, AdKind::Job] {
            let ads = board(s.truth(), kind);
            let risky = ads.iter().filter(|a| a.risky).count() as f64 / ads.len() as f64;
            assert!((0.29..=0.41).contains(&risky), "seed {seed} {kind}: risky share {risky:.2}");
        }
    }
}

#[test]
fn indicators_fit_the_board_and_the_verdict() {
    for ad in site().truth() {
        let (ids, weak) = match ad.kind {
            AdKind::Escort => (ESCORT_IDS, ESCORT_WEAK),
            AdKind::Job => (JOB_IDS, JOB_WEAK),
        };
        for i in &ad.indicators {
            assert!(ids.contains(&i.as_str()), "{}: {i} is not a {} indicator", ad.path, ad.kind);
        }
        let mut sorted = ad.indicators.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ad.indicators, "{}: indicators not sorted and distinct", ad.path);
        if ad.risky {
            assert!((1..=6).contains(&ad.indicators.len()), "{}: {:?}", ad.path, ad.indicators);
        } else {
            assert!(ad.indicators.len() <= 1, "{}: benign with {:?}", ad.path, ad.indicators);
            assert!(ad.indicators.iter().all(|i| weak.contains(&i.as_str())), "{}: {:?}", ad.path, ad.indicators);
        }
        if ad.kind == AdKind::Escort {
            assert_eq!(
                ad.indicators.iter().any(|i| i == "escort.obfuscated_contact"),
                ad.obfuscated_contact,
                "{}",
                ad.path
            );
            if let Some(age) = ad.age {
                assert!((18..=40).contains(&age), "{}: age {age}", ad.path);
            }
        } else {
            assert_eq!(ad.age, None);
            if ad.indicators.iter().any(|i| i == "job.employer_unidentified") {
                assert_eq!(ad.company, None, "{}", ad.path);
            }
            if !ad.risky {
                assert!(ad.company.is_some(), "{}: benign job without employer", ad.path);
            }
        }
        if ad.indicators.iter().any(|i| i == "escort.shared_contact") {
            assert!(ad.network.is_some(), "{}", ad.path);
        }
    }
}

#[test]
fn obfuscated_contacts_are_far_more_common_in_risky_escort_ads() {
    let ads = board(site().truth(), AdKind::Escort);
    let rate = |risky: bool| {
        let group: Vec<_> = ads.iter().filter(|a| a.risky == risky).collect();
        group.iter().filter(|a| a.obfuscated_contact).count() as f64 / group.len() as f64
    };
    assert!(rate(true) > 3.0 * rate(false), "risky {:.2} vs benign {:.2}", rate(true), rate(false));
    assert!(rate(true) > 0.25);
}

#[test]
fn networks_share_a_contact_a_template_or_a_photo() {
    let truth = site().truth();
    let mut networks: BTreeMap<&str, Vec<&TruthAd>> = BTreeMap::new();
    for ad in truth {
        if let Some(n) = &ad.network {
            networks.entry(n).or_default().push(ad);
        }
        if ad.template.is_some() {
            assert!(ad.network.is_some(), "{}: template without network", ad.path);
        }
    }
    let (mut risky, mut benign) = ([0, 0], [0, 0]);
    for (name, all) in &networks {
        // A network's job offer that recruits for it (a job-escort pair) is checked below.
        let ads: Vec<&TruthAd> =
            all.iter().copied().filter(|a| a.job_escort_contact.is_none() || a.kind == AdKind::Escort).collect();
        assert!((3..=15).contains(&ads.len()), "{name} has {} ads", ads.len());
        let common: BTreeSet<String> = ads
            .iter()
            .map(|a| contacts(a).into_iter().collect::<BTreeSet<_>>())
            .reduce(|a, b| a.intersection(&b).cloned().collect())
            .unwrap_or_default();
        let one_template = ads[0].template.is_some() && ads.iter().all(|a| a.template == ads[0].template);
        // A photo ring shares only copies of one photo.
        let one_photo = ads[0].images.iter().any(|p| ads.iter().all(|a| a.images.contains(p)));
        assert!(
            !common.is_empty() || one_template || (name.contains("-ring-") && one_photo),
            "{name} shares neither a contact nor a template (nor, as a photo ring, a photo)"
        );
        let cities: BTreeSet<_> = ads.iter().map(|a| &a.city).collect();
        assert!(cities.len() >= 2, "{name} stays in one city");
        let kind = usize::from(ads[0].kind == AdKind::Job);
        assert!(ads.iter().all(|a| a.risky == ads[0].risky), "{name} mixes risky and benign ads");
        if ads[0].risky { risky[kind] += 1 } else { benign[kind] += 1 }
    }
    for kind in 0..2 {
        assert!(risky[kind] >= 3, "too few risky networks: {risky:?}");
        assert!((1..risky[kind]).contains(&benign[kind]), "benign networks should be rare: {benign:?}");
    }
    check_only_networks_share_contacts(truth);
}

#[test]
fn every_contact_appears_in_its_page() {
    for ad in site().truth() {
        let text = text_of(&html(site(), &ad.path));
        let digits = digit_stream(&text);
        for p in &ad.phones {
            let (nsn, _, _) = parse_phone(p);
            assert!(digits.contains(&nsn), "{}: phone {p} not found in page", ad.path);
        }
        let lower = text.to_lowercase();
        for e in &ad.emails {
            let (local, domain) = e.split_once('@').expect("e-mail has @");
            let first_label = domain.split('.').next().unwrap_or(domain);
            assert!(lower.contains(local) && lower.contains(first_label), "{}: e-mail {e} not found", ad.path);
            if !ad.obfuscated_contact {
                assert!(lower.contains(e.as_str()), "{}: plain e-mail {e} not found", ad.path);
            }
        }
        for h in &ad.handles {
            let (_, handle) = h.split_once(':').expect("service:handle");
            assert!(lower.contains(handle), "{}: handle {h} not found", ad.path);
        }
    }
}

#[test]
fn title_city_price_and_company_appear_in_their_page() {
    for ad in site().truth() {
        let text = text_of(&html(site(), &ad.path));
        for (field, value) in [("title", &ad.title), ("city", &ad.city), ("price", &ad.price)] {
            assert!(text.contains(value.as_str()), "{}: {field} {value:?} not in page", ad.path);
        }
        if let Some(c) = &ad.company {
            assert!(text.contains(c.as_str()), "{}: company {c:?} not in page", ad.path);
        }
        // Templates -a and -c carry the ISO date (attribute or text); -b writes it with dots or slashes.
        if !ad.page_template.ends_with("-b") {
            assert!(html(site(), &ad.path).contains(&ad.posted), "{}: date {} not in page", ad.path, ad.posted);
        }
        if let Some(age) = ad.age {
            let stated = text.split(|c: char| !c.is_ascii_digit()).any(|n| n == age.to_string());
            assert!(stated, "{}: age {age} not in page", ad.path);
        }
    }
}

#[test]
fn every_template_is_used_on_each_board() {
    let used: BTreeSet<&str> = site().truth().iter().map(|a| a.page_template.as_str()).collect();
    assert_eq!(used, BTreeSet::from(["escort-a", "escort-b", "escort-c", "job-a", "job-b", "job-c"]));
}

#[test]
fn job_escort_pairs_share_one_number_and_no_other_contact_crosses_the_boards() {
    let truth = site().truth();
    let marked: Vec<&TruthAd> = truth.iter().filter(|a| a.job_escort_contact.is_some()).collect();
    let jobs: Vec<&&TruthAd> = marked.iter().filter(|a| a.kind == AdKind::Job).collect();
    assert!((2..=3).contains(&jobs.len()), "a few pairs are planted: {}", jobs.len());
    for job in &jobs {
        let phone = job.job_escort_contact.as_deref().unwrap();
        let net = job.network.as_deref().expect("the job ad is in the escort network");
        assert!(job.risky && job.phones == [phone.to_string()], "{}: {:?}", job.path, job.phones);
        let escorts: Vec<&TruthAd> =
            board(truth, AdKind::Escort).into_iter().filter(|a| a.network.as_deref() == Some(net)).collect();
        assert!(escorts.len() >= 3, "{net}");
        for e in escorts {
            assert_eq!(e.job_escort_contact.as_deref(), Some(phone), "{}", e.path);
            assert!(e.phones.iter().any(|p| p == phone), "{} lacks {phone}", e.path);
        }
    }
    // Nothing else: no contact of an unmarked ad appears on the other board.
    let job_contacts: BTreeSet<String> = board(truth, AdKind::Job).into_iter().flat_map(contacts).collect();
    for e in board(truth, AdKind::Escort) {
        let crossing: Vec<String> = contacts(e).into_iter().filter(|c| job_contacts.contains(c)).collect();
        match &e.job_escort_contact {
            Some(p) => assert_eq!(crossing, vec![format!("phone:{p}")], "{}", e.path),
            None => assert!(crossing.is_empty(), "{} shares {crossing:?} with a job ad", e.path),
        }
    }
}
