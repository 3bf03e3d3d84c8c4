//! Link precision: text that many unrelated posters share must not make a network, one strong pair must
//! not chain two groups together, and one advertiser's own postings are a relation of their own.

use std::collections::{HashMap, HashSet};

use redflag_core::link::{
    Advertiser, GroupKind, LinkInput, LinkOptions, LinkReason, Networks, link, link_advertised, link_named,
};

use crate::rng::Rng;

/// Standard sentences of job ads that many unrelated employers use.
const DUTIES: &[&str] = &[
    "Process vendor invoices and support the annual audit.",
    "Answer customer questions by phone and e-mail in a friendly way.",
    "Keep accurate records in the company systems at all times.",
    "Work closely with the team to meet weekly targets.",
    "Prepare monthly reports for the management team.",
    "Support colleagues during busy periods and holidays.",
    "Follow health and safety procedures on site.",
    "Maintain a clean and organised working area every day.",
    "Handle incoming deliveries and check them against orders.",
    "Resolve customer complaints quickly and professionally.",
    "Update the database with new client information.",
    "Assist with training new members of staff.",
];
const BENEFITS: &[&str] = &[
    "We offer a competitive salary and paid holidays.",
    "Free parking is available for all employees.",
    "You will receive full training and ongoing support.",
    "The role comes with a pension scheme and health cover.",
    "Flexible working hours are possible after probation.",
    "Staff discount on all our products and services.",
    "Regular team events and a friendly working atmosphere.",
    "Opportunities for career progression within the company.",
];
/// Words for each ad's own lines, so every employer writes something of its own.
const WORDS: &[&str] = &[
    "bakery",
    "logistics",
    "software",
    "hospital",
    "school",
    "hotel",
    "garden",
    "printing",
    "laboratory",
    "warehouse",
    "accounting",
    "bank",
    "insurance",
    "retail",
    "catering",
    "security",
    "cleaning",
    "transport",
    "engineering",
    "pharmacy",
    "library",
    "museum",
    "studio",
    "workshop",
    "farm",
    "clinic",
    "dental",
    "legal",
    "marketing",
    "design",
    "furniture",
    "textile",
    "automotive",
    "aviation",
    "marine",
    "energy",
    "solar",
    "plumbing",
    "roofing",
    "carpentry",
    "painting",
    "flooring",
    "glazing",
    "heating",
    "electrical",
    "telecom",
];

fn legit_ad(rng: &mut Rng, company: usize) -> String {
    let mut s = format!(
        "Our {} {} team is looking for a new colleague to join our {} department. ",
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS)
    );
    s.push_str(&format!("We have served the {} and {} sectors for many years. ", rng.pick(WORDS), rng.pick(WORDS)));
    let mut used = HashSet::new();
    while used.len() < 4 {
        used.insert(rng.range(0, DUTIES.len() as u64) as usize);
    }
    for d in used {
        s.push_str(DUTIES[d]);
        s.push(' ');
    }
    let mut used = HashSet::new();
    while used.len() < 3 {
        used.insert(rng.range(0, BENEFITS.len() as u64) as usize);
    }
    for b in used {
        s.push_str(BENEFITS[b]);
        s.push(' ');
    }
    s.push_str(&format!("Apply today with reference {company}."));
    s
}

/// A network's own template, with the name, city and pay slots filled in per ad.
fn network_ad(rng: &mut Rng, net: usize) -> String {
    let names = ["Anna", "Maria", "Sofia", "Elena", "Irina", "Olga", "Daria", "Nina"];
    let cities = ["Leeds", "Manchester", "Bristol", "Glasgow", "Cardiff", "Liverpool", "Newcastle"];
    let own = [
        "Urgent hiring for hotel housekeeping abroad, no experience or language needed, accommodation and \
         flights arranged by our agency, send your passport copy on the messenger app to start quickly",
        "Easy online data entry from home, earn in your first week, registration fee refunded after the \
         first payment, only serious candidates who can start tonight should reply",
        "Models wanted for promotional events and travel, all expenses paid by the organiser, young and \
         friendly girls preferred, contact the manager directly for details of the tour",
    ];
    format!(
        "{} Ask for {} in {}, pay {} pounds a week. {}",
        own[net % own.len()],
        rng.pick(&names),
        rng.pick(&cities),
        rng.range(300, 900),
        // One standard sentence, as networks copy those too.
        rng.pick(BENEFITS),
    )
}

struct Corpus {
    texts: Vec<String>,
    truth: Vec<Option<usize>>,
    company: Vec<Option<String>>,
}

fn corpus(legit: usize, networks: usize, per_network: usize) -> Corpus {
    let mut rng = Rng::new(42);
    let mut c = Corpus { texts: Vec::new(), truth: Vec::new(), company: Vec::new() };
    for i in 0..legit {
        c.texts.push(legit_ad(&mut rng, i));
        c.truth.push(None);
        c.company.push(Some(format!("Employer {i}")));
    }
    for n in 0..networks {
        for _ in 0..per_network {
            c.texts.push(network_ad(&mut rng, n));
            c.truth.push(Some(n));
            c.company.push(None);
        }
    }
    c
}

fn run(c: &Corpus) -> Networks {
    let inputs: Vec<LinkInput<'_>> = c
        .texts
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput { ad_id: i as i64, contacts: Vec::new(), text: t, city: None })
        .collect();
    let companies: Vec<Option<&str>> = c.company.iter().map(|x| x.as_deref()).collect();
    link_advertised(&inputs, &companies, &LinkOptions::default())
}

/// (pair precision, pair recall) of the networks against the truth.
fn pairs(c: &Corpus, nets: &Networks) -> (f64, f64) {
    let mut members: HashMap<i64, Vec<usize>> = HashMap::new();
    for i in 0..c.texts.len() {
        members.entry(nets.cluster_of[&(i as i64)]).or_default().push(i);
    }
    let (mut grouped, mut right) = (0usize, 0usize);
    for (cluster, ads) in &members {
        if nets.kind_of.get(cluster) != Some(&GroupKind::Network) {
            continue;
        }
        for (k, &a) in ads.iter().enumerate() {
            for &b in &ads[k + 1..] {
                grouped += 1;
                right += usize::from(c.truth[a].is_some() && c.truth[a] == c.truth[b]);
            }
        }
    }
    let mut truth_pairs = 0usize;
    let mut found = 0usize;
    for a in 0..c.texts.len() {
        for b in a + 1..c.texts.len() {
            if c.truth[a].is_some() && c.truth[a] == c.truth[b] {
                truth_pairs += 1;
                found += usize::from(nets.cluster_of[&(a as i64)] == nets.cluster_of[&(b as i64)]);
            }
        }
    }
    let precision = if grouped == 0 { 1.0 } else { right as f64 / grouped as f64 };
    (precision, found as f64 / truth_pairs.max(1) as f64)
}

#[test]
fn shared_standard_sentences_do_not_make_networks() {
    let c = corpus(400, 3, 10);
    let nets = run(&c);
    let (precision, recall) = pairs(&c, &nets);
    assert!(precision >= 0.99, "pair precision {precision:.3}");
    assert!(recall >= 0.9, "template recall {recall:.3}");
    // Every template link says how strong it is.
    for l in &nets.links {
        let LinkReason::Template { similarity } = l.reason else { continue };
        assert_eq!(l.strength, similarity);
        assert!(l.strength >= 0.5, "{l:?}");
    }
}

#[test]
fn shared_standard_sentences_do_not_make_networks_without_employer_names() {
    let mut c = corpus(400, 3, 10);
    c.company.iter_mut().for_each(|x| *x = None);
    let nets = run(&c);
    let (precision, recall) = pairs(&c, &nets);
    assert!(precision >= 0.99, "pair precision {precision:.3}");
    assert!(recall >= 0.9, "template recall {recall:.3}");
}

#[test]
fn one_strong_pair_does_not_chain_two_groups() {
    // A shares most of its text with B and B with C, but A and C have little in common: single linkage
    // would make one group of three; average linkage keeps C (or A) apart.
    let s: Vec<String> = (0..14)
        .map(|i| format!("sentence number {} talks about {} and {} only.", WORDS[i], WORDS[i + 14], WORDS[i + 28]))
        .collect();
    let a = s[0..8].join(" ");
    let b = s[3..11].join(" ");
    let c = s[6..14].join(" ");
    let inputs = [
        LinkInput { ad_id: 1, contacts: vec![], text: &a, city: None },
        LinkInput { ad_id: 2, contacts: vec![], text: &b, city: None },
        LinkInput { ad_id: 3, contacts: vec![], text: &c, city: None },
    ];
    let opts = LinkOptions { template_similarity: 0.35, ..LinkOptions::default() };
    let nets = link(&inputs, &opts);
    assert_ne!(nets.cluster_of[&1], nets.cluster_of[&3], "{:?}", nets.links);
    assert_eq!(nets.links.len(), 1, "{:?}", nets.links);
}

#[test]
fn one_employers_postings_are_same_advertiser() {
    let text = "Warehouse operatives wanted for our distribution centre, day and night shifts available, \
                forklift licence an advantage, weekly pay and overtime, apply through our careers page.";
    let inputs: Vec<LinkInput<'_>> = (1..=3)
        .map(|i| LinkInput { ad_id: i, contacts: vec!["email:jobs@acme.example".into()], text, city: None })
        .chain([LinkInput { ad_id: 4, contacts: vec!["phone:+447700900123".into()], text: "Short.", city: None }])
        .chain([LinkInput { ad_id: 5, contacts: vec!["phone:+447700900123".into()], text: "Other.", city: None }])
        .collect();
    let advertisers = [Some("ACME Ltd"), Some("acme ltd."), Some("Acme Ltd"), Some("Acme Ltd"), Some("Other plc")];
    let nets = link_advertised(&inputs, &advertisers, &LinkOptions::default());
    assert_eq!(nets.kind_of[&1], GroupKind::SameAdvertiser);
    assert_eq!(nets.kind_of[&4], GroupKind::Network, "two advertisers sharing a phone are a network");
    assert_eq!(nets.cluster_of[&3], 1);
}

#[test]
fn a_contact_on_most_of_the_site_is_not_evidence() {
    let texts: Vec<String> = (0..60).map(|i| format!("ad {i}")).collect();
    let inputs: Vec<LinkInput<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: i as i64,
            contacts: if i < 40 { vec!["email:help@board.example".into()] } else { vec![] },
            text: t,
            city: None,
        })
        .collect();
    let nets = link(&inputs, &LinkOptions::default());
    assert!(nets.links.is_empty());
    assert!(nets.kind_of.is_empty());
}

/// Eight unrelated job ads, each in its own words, `named` of them naming their employer in the text.
fn unrelated_job_texts() -> Vec<String> {
    let roles = ["van driver", "bookkeeper", "electrician", "barista", "nurse", "welder", "cook", "cleaner"];
    let towns = ["Leeds", "Austin", "Denver", "Seattle", "Bristol", "Chicago", "Boston", "Miami"];
    roles
        .iter()
        .zip(towns)
        .enumerate()
        .map(|(i, (role, town))| {
            let s = DUTIES[i % DUTIES.len()];
            let b = BENEFITS[(i * 3) % BENEFITS.len()];
            format!(
                "We need a {role} in {town} for job number {i}. {s} {b} Apply by e-mail before the end of the month."
            )
        })
        .collect()
}

#[test]
fn a_relay_address_shared_by_different_employers_is_a_weak_link() {
    let texts = unrelated_job_texts();
    let names = ["Alder Freight", "Birch Accounts", "Cedar Electric", "", "", "Dune Health", "", ""];
    let inputs: Vec<LinkInput<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: i as i64 + 1,
            contacts: vec!["email:apply@jobrelay.example".into(), format!("phone:+1702555{:04}", 100 + i)],
            text: t,
            city: None,
        })
        .collect();
    let advertisers: Vec<Option<Advertiser<'_>>> =
        names.iter().map(|n| (!n.is_empty()).then_some(Advertiser { name: n, from_text: true })).collect();
    let nets = link_named(&inputs, &advertisers, &LinkOptions::default());
    assert!(nets.kind_of.is_empty(), "a relay makes no network: {:?}", nets.links);
    assert_eq!(nets.links.len(), 7, "{:?}", nets.links);
    for l in &nets.links {
        assert!(
            matches!(&l.reason, LinkReason::Relay { contact, advertisers: 4 } if contact == "email:apply@jobrelay.example")
        );
        assert!(l.strength < 0.5, "a relay link is weak: {}", l.strength);
        assert_eq!(l.reason.evidence(), "relay");
    }
}

#[test]
fn a_network_posting_under_changing_company_names_stays_a_network() {
    let texts = unrelated_job_texts();
    let names = ["Alder Freight", "Birch Accounts", "Cedar Electric", "Dune Health", "Elm Parcel", "Fir Goods"];
    let advertisers: Vec<Option<Advertiser<'_>>> =
        names.iter().map(|n| Some(Advertiser { name: n, from_text: true })).collect();
    // Shares an e-mail and a phone across different names: corroborated, a network.
    let inputs: Vec<LinkInput<'_>> = texts[..6]
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: i as i64 + 1,
            contacts: vec!["email:hr@parcelwork.example".into(), "phone:+17025550148".into()],
            text: t,
            city: None,
        })
        .collect();
    let nets = link_named(&inputs, &advertisers, &LinkOptions::default());
    assert_eq!(nets.kind_of.get(&1), Some(&GroupKind::Network), "{:?}", nets.links);
    assert!((1..=6).all(|i| nets.cluster_of[&i] == 1));
    // Shares only a phone: a phone is never a relay.
    let inputs: Vec<LinkInput<'_>> = texts[..6]
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: i as i64 + 1,
            contacts: vec!["phone:+17025550148".into()],
            text: t,
            city: None,
        })
        .collect();
    let nets = link_named(&inputs, &advertisers, &LinkOptions::default());
    assert_eq!(nets.kind_of.get(&1), Some(&GroupKind::Network));
    // Shares only an e-mail but reuses one text template: corroborated, a network.
    let template = "Parcel forwarding from home, receive and reship packages for our overseas clients, \
                    weekly pay by transfer, no experience needed, start today, apply now by e-mail.";
    let inputs: Vec<LinkInput<'_>> = (1..=6)
        .map(|i| LinkInput {
            ad_id: i,
            contacts: vec![format!("email:jobs{i}@parcelwork.example"), "email:hr@parcelwork.example".into()],
            text: template,
            city: None,
        })
        .collect();
    let nets = link_named(&inputs, &advertisers, &LinkOptions::default());
    assert_eq!(nets.kind_of.get(&1), Some(&GroupKind::Network), "{:?}", nets.links);
    assert!(nets.links.iter().all(|l| !matches!(l.reason, LinkReason::Relay { .. })));
}

#[test]
fn employers_named_in_the_text_make_same_advertiser_groups_and_different_names_a_network() {
    let texts = unrelated_job_texts();
    let inputs: Vec<LinkInput<'_>> = texts[..4]
        .iter()
        .enumerate()
        .map(|(i, t)| LinkInput {
            ad_id: i as i64 + 1,
            contacts: vec!["email:careers@northgate.example".into()],
            text: t,
            city: None,
        })
        .collect();
    let same = [Some("Northgate Logistics"); 4].map(|n| n.map(|name| Advertiser { name, from_text: true }));
    let nets = link_named(&inputs, &same, &LinkOptions::default());
    assert_eq!(nets.kind_of[&1], GroupKind::SameAdvertiser);
    let mixed = [Some("Northgate Logistics"), Some("Northgate Logistics"), Some("Southgate Freight"), None]
        .map(|n| n.map(|name| Advertiser { name, from_text: true }));
    let nets = link_named(&inputs, &mixed, &LinkOptions::default());
    assert_eq!(nets.kind_of[&1], GroupKind::Network);
}
