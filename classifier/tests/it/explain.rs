//! Explanations beyond the indicators: the text model's strongest phrases and resemblance to known
//! ads, with evidence that points into the scoring text and titles in the check's language.

use redflag_classifier::explain::{IDS, PHRASES_ID, REASSURING_PHRASES_ID};
use redflag_classifier::{AdInput, check};
use redflag_core::ad::scoring_text;
use redflag_core::{AdFields, AdKind, Verdict};

use crate::classifier;

const SCAM_TITLE: &str = "Data Entry Clerk - Work From Home";
const SCAM_BODY: &str = "Earn $500 weekly working from home, no experience needed. Just type simple forms online. \
    To start, pay a one-time registration fee of $45 for your training kit and send a copy of your ID. \
    Contact our hiring manager on WhatsApp now, places are limited!";
const LEGIT_TITLE: &str = "Payroll Administrator";
const LEGIT_BODY: &str = "Harbourside Foods Ltd, a food manufacturer in Bristol, is hiring a payroll administrator to \
    join our finance team. You will process monthly payroll for 400 employees, reconcile pension contributions and \
    support the year-end audit. Two years of payroll experience and CIPP qualification preferred. Permanent \
    contract, pension, 25 days holiday. Apply through our careers page.";

fn explanation_of(a: &redflag_core::Assessment) -> Option<&redflag_core::FiredIndicator> {
    a.indicators.iter().find(|f| f.id == PHRASES_ID || f.id == REASSURING_PHRASES_ID)
}

#[test]
fn a_scam_is_explained_by_its_wording_and_a_plain_ad_by_reassuring_wording() {
    for (title, body, want, sign) in
        [(SCAM_TITLE, SCAM_BODY, PHRASES_ID, 1.0f32), (LEGIT_TITLE, LEGIT_BODY, REASSURING_PHRASES_ID, -1.0)]
    {
        let a = classifier().assess(&AdInput::new(title, body).with_kind(AdKind::Job));
        let e = explanation_of(&a).unwrap_or_else(|| panic!("no phrase explanation for {title:?}: {:?}", a.indicators));
        assert_eq!(e.id, want, "{title:?}");
        assert!(e.weight * sign >= 0.1, "{title:?}: weight {}", e.weight);
        assert!(!e.evidence.is_empty() && e.evidence.len() <= 5);
        let text = scoring_text(title, body);
        for ev in &e.evidence {
            assert_eq!(&text[ev.start..ev.end], ev.text, "evidence offsets point into the scoring text");
            assert!(!ev.text.trim().is_empty());
        }
    }
}

#[test]
fn crawled_ads_are_explained_by_the_crawl_head_too() {
    let fields = AdFields {
        title: SCAM_TITLE.into(),
        body: SCAM_BODY.into(),
        city: Some("Remote".into()),
        ..AdFields::default()
    };
    let a = classifier().assess(&AdInput::from_fields(&fields).with_kind(AdKind::Job));
    assert!(a.indicators.iter().any(|f| IDS.contains(&f.id.as_str())), "{:?}", a.indicators);
    let text = fields.scoring_text();
    for f in a.indicators.iter().filter(|f| IDS.contains(&f.id.as_str())) {
        for ev in &f.evidence {
            assert_eq!(&text[ev.start..ev.end], ev.text);
        }
    }
}

#[test]
fn the_check_titles_explanations_in_the_ads_language() {
    let en = check(classifier(), &format!("{SCAM_TITLE}\n{SCAM_BODY}"), None).unwrap();
    assert_eq!(en.verdict, Verdict::LikelyFraudulent);
    let flag = en.red_flags.iter().find(|f| f.id == PHRASES_ID).expect("the wording is among the red flags");
    assert_eq!(flag.title, "Wording often seen in job scams");
    assert!(!flag.tip.is_empty());
    let input = format!("{SCAM_TITLE}\n{SCAM_BODY}");
    for q in &flag.evidence {
        assert_eq!(&input[q.start..q.end], q.text, "quotes point into the checked text");
    }
    assert!(en.render_text(classifier()).contains("Wording often seen in job scams"));
    let legit = check(classifier(), &format!("{LEGIT_TITLE}\n{LEGIT_BODY}"), None).unwrap();
    assert!(legit.red_flags.iter().all(|f| f.id != PHRASES_ID), "{:?}", legit.red_flags);
}
