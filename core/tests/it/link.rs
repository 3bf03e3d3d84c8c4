//! Linking: shared contacts, reused templates, unrelated ads, and scale.

use std::time::{Duration, Instant};

use redflag_core::link::{LinkInput, LinkOptions, LinkReason, NetworkContext, Networks, link};

fn ad<'a>(ad_id: i64, contacts: &[&str], text: &'a str, city: Option<&'a str>) -> LinkInput<'a> {
    LinkInput { ad_id, contacts: contacts.iter().map(|c| c.to_string()).collect(), text, city }
}

fn run(inputs: &[LinkInput<'_>]) -> Networks {
    link(inputs, &LinkOptions::default())
}

const TEMPLATE: &str = "Hi gentlemen, I am Jessica, new in Las Vegas for a few days only. Sweet, discreet and \
                        friendly companion for dinner dates and relaxing massage. Incall and outcall available. \
                        Call me at 702-555-0148, no private numbers please.";

#[test]
fn a_phone_shared_across_cities_joins_ads() {
    let p = "phone:+17025550148";
    let inputs = [
        ad(30, &[p], "Dinner dates, friendly and discreet.", Some("Las Vegas")),
        ad(10, &[p, "email:a@b.example"], "Relaxing massage, incall only.", Some("Phoenix")),
        ad(20, &[p], "Weekend companion, call anytime.", Some("las vegas")),
        ad(40, &["email:a@b.example"], "Travel companion.", None),
        ad(50, &[], "Unrelated ad about a bicycle for sale in good condition, barely used.", Some("Denver")),
    ];
    let nets = run(&inputs);
    for id in [10, 20, 30, 40] {
        assert_eq!(nets.cluster_of[&id], 10, "ad {id}");
        assert_eq!(nets.context[&id].cluster_size, 4);
    }
    assert_eq!(nets.cluster_of[&50], 50);
    assert_eq!(
        nets.context[&30],
        NetworkContext {
            ads_sharing_contact: 3,
            cities_sharing_contact: 2,
            template_group_size: 1,
            cluster_size: 4,
            ..Default::default()
        }
    );
    assert_eq!(nets.context[&40].ads_sharing_contact, 2);
    assert_eq!(nets.context[&40].cities_sharing_contact, 1);
    assert_eq!(
        nets.context[&50],
        NetworkContext {
            ads_sharing_contact: 1,
            cities_sharing_contact: 1,
            template_group_size: 1,
            cluster_size: 1,
            ..Default::default()
        }
    );
    // Star links from the smallest id: 2 for the phone, 1 for the e-mail.
    let contact_links: Vec<(i64, i64)> = nets.links.iter().map(|l| (l.a, l.b)).collect();
    assert_eq!(contact_links, vec![(10, 20), (10, 30), (10, 40)]);
    assert!(nets.links.iter().all(|l| matches!(l.reason, LinkReason::SharedContact { .. })));
}

#[test]
fn a_template_with_names_numbers_and_cities_swapped_is_one_group() {
    let a = TEMPLATE.to_string();
    let b = TEMPLATE.replace("Jessica", "Maria").replace("Las Vegas", "Miami").replace("702-555-0148", "305 555 0199");
    let c = TEMPLATE
        .replace("Jessica", "Ana")
        .replace("Las Vegas", "Denver")
        .replace("702-555-0148", "seven 0 two 555 0123")
        .replace("only. ", "only! ");
    let unrelated = "Warehouse job in Denver: forklift licence required, day shifts, weekly pay, apply online \
                     with your CV and two references from previous employers.";
    let inputs = [
        ad(7, &[], &a, Some("Las Vegas")),
        ad(3, &[], &b, Some("Miami")),
        ad(9, &[], &c, Some("Denver")),
        ad(1, &[], unrelated, Some("Denver")),
    ];
    let nets = run(&inputs);
    for id in [3, 7, 9] {
        assert_eq!(nets.cluster_of[&id], 3, "ad {id}");
        assert_eq!(nets.context[&id].template_group_size, 3);
        assert_eq!(nets.context[&id].cluster_size, 3);
    }
    assert_eq!(nets.cluster_of[&1], 1);
    assert_eq!(nets.context[&1].template_group_size, 1);
    assert_eq!(nets.links.len(), 2, "{:?}", nets.links);
    for l in &nets.links {
        assert!(l.a < l.b);
        let LinkReason::Template { similarity } = l.reason else { panic!("{l:?}") };
        assert!(similarity >= 0.5);
    }
}

#[test]
fn unrelated_ads_stay_apart() {
    let texts = [
        "Friendly companion for dinner dates in the city, discreet and elegant, weekends only.",
        "Looking for a nanny to care for two children, full time, references required, good pay.",
        "Relaxing massage studio open every day from ten to eight, walk-ins welcome, free parking.",
        "Construction workers wanted abroad, visa and travel arranged, high salary, start next week.",
        "Selling a used road bicycle, aluminium frame, new tyres, pick up only, cash preferred.",
    ];
    let inputs: Vec<LinkInput<'_>> = texts.iter().enumerate().map(|(i, t)| ad(i as i64, &[], t, None)).collect();
    let nets = run(&inputs);
    assert!(nets.links.is_empty(), "{:?}", nets.links);
    for i in 0..texts.len() as i64 {
        assert_eq!(nets.cluster_of[&i], i);
        assert_eq!(nets.context[&i].cluster_size, 1);
    }
}

#[test]
fn short_texts_have_no_template_and_duplicate_ids_merge() {
    let inputs = [
        ad(1, &["phone:+1"], "Call me", None),
        ad(2, &[], "Call me", None),
        ad(1, &["phone:+2"], "ignored text", Some("Paris")),
        ad(3, &["phone:+2"], "Call me", Some("Lyon")),
    ];
    let nets = run(&inputs);
    assert_eq!(nets.cluster_of.len(), 3);
    assert_eq!(nets.cluster_of[&2], 2, "short identical texts are not a template");
    assert_eq!(nets.cluster_of[&3], 1);
    assert_eq!(nets.context[&1].cities_sharing_contact, 2);
}

#[test]
fn linking_is_deterministic() {
    let texts: Vec<String> = (0..200)
        .map(|i| format!("{} ad number {} for friendly dinner dates and companionship in town", TEMPLATE, i % 7))
        .collect();
    let inputs: Vec<LinkInput<'_>> =
        texts.iter().enumerate().map(|(i, t)| ad(i as i64 * 3 % 200, &[], t, None)).collect();
    let a = run(&inputs);
    let b = run(&inputs);
    assert_eq!(a.links, b.links);
    assert_eq!(a.cluster_of, b.cluster_of);
    assert_eq!(a.context[&5].template_group_size, 200);
    assert_eq!(a.links.len(), 199, "one link per join");
}

/// A small synthetic population: networks reusing templates and phones, plus unique ads.
fn population(n: usize) -> Vec<(i64, Vec<String>, String, String)> {
    let words = [
        "friendly",
        "discreet",
        "dinner",
        "companion",
        "massage",
        "relaxing",
        "weekend",
        "travel",
        "elegant",
        "available",
        "evening",
        "hotel",
        "incall",
        "outcall",
        "sweet",
        "fun",
        "new",
        "town",
        "visit",
        "today",
        "warehouse",
        "driver",
        "cleaner",
        "nanny",
        "salary",
        "visa",
        "abroad",
        "housing",
        "training",
        "shift",
    ];
    let mut state = 12345u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..n)
        .map(|i| {
            let network = i % 50 == 0 || i % 7 == 0;
            let text: String = if network {
                format!("{TEMPLATE} Ask for ad {}", next() % 1000)
            } else {
                (0..40).map(|_| words[next() % words.len()]).collect::<Vec<_>>().join(" ")
            };
            let phone = if network { format!("phone:+1702555{:04}", i % 10) } else { format!("phone:+1{i:010}") };
            (i as i64, vec![phone], text, format!("city{}", i % 30))
        })
        .collect()
}

#[test]
fn twenty_thousand_ads_link_quickly() {
    let pop = population(20_000);
    let inputs: Vec<LinkInput<'_>> = pop
        .iter()
        .map(|(id, contacts, text, city)| LinkInput { ad_id: *id, contacts: contacts.clone(), text, city: Some(city) })
        .collect();
    let started = Instant::now();
    let nets = run(&inputs);
    let took = started.elapsed();
    // Debug builds are several times slower than release; the bound only catches quadratic blow-ups.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(nets.cluster_of.len(), 20_000);
    let template_ads = pop.iter().filter(|(id, ..)| id % 50 == 0 || id % 7 == 0).count();
    assert_eq!(nets.context[&0].template_group_size, template_ads);
    assert!(nets.links.len() < 2 * 20_000, "{} links", nets.links.len());
}

#[test]
fn a_part_of_a_corpus_links_with_the_corpus_counts() {
    use redflag_core::link::{Corpus, link_part, template_keys};
    let footer = "email:help@board.example";
    let inputs =
        [ad(1, &[footer], "Dinner dates, friendly and discreet.", None), ad(2, &[footer], "Travel companion.", None)];
    let opts = LinkOptions::default();
    // On their own, the two ads share an address.
    let alone = link_part(&inputs, &[], &[], &Corpus::default(), &opts);
    assert_eq!(alone.cluster_of[&2], 1);
    // In a store of 1,000 ads where the address is on 900, it is the site's own: nothing joins them.
    let corpus =
        Corpus { ads: 1000, contact_ads: [(footer.to_string(), 900)].into_iter().collect(), ..Corpus::default() };
    let part = link_part(&inputs, &[], &[], &corpus, &opts);
    assert_eq!(part.cluster_of[&2], 2, "{:?}", part.links);
    assert!(part.links.is_empty(), "{:?}", part.links);
    // Where it is on 20 of them, it is evidence.
    let corpus =
        Corpus { ads: 1000, contact_ads: [(footer.to_string(), 20)].into_iter().collect(), ..Corpus::default() };
    assert_eq!(link_part(&inputs, &[], &[], &corpus, &opts).cluster_of[&2], 1);

    // Copies of one template share band keys (that is how the store finds them); an unrelated text none.
    let keys = template_keys(TEMPLATE, &opts);
    let copy = template_keys(&TEMPLATE.replace("Jessica", "Maria").replace("702-555-0148", "305 555 0199"), &opts);
    let other = template_keys(
        "Warehouse job in Denver: forklift licence required, day shifts, weekly pay, apply online with your CV.",
        &opts,
    );
    assert!(!keys.bands.is_empty() && !keys.shingles.is_empty());
    assert!(keys.bands.iter().any(|k| copy.bands.contains(k)));
    assert!(!keys.bands.iter().any(|k| other.bands.contains(k)));
}
