//! The bundled models load and rank short hand-written fraud and legitimate ads in two languages.

use redflag_classifier::{AdInput, JobRecord};
use redflag_core::{AdFields, AdKind, Verdict};

use crate::classifier;

const FRAUD_EN: (&str, &str) = (
    "Data entry from home - earn $900 per week",
    "No experience needed! Earn $900 per week typing from home. To start, pay a one-time registration fee of $75 \
     for your starter kit. Interview will be conducted via Telegram chat. Send a copy of your passport and your \
     bank account details to hiring.team.jobs@gmail.com. Limited slots, apply now!",
);
const LEGIT_EN: (&str, &str) = (
    "Payroll Administrator",
    "Harbourside Foods Ltd is a family-owned food manufacturer with 400 employees in Bristol. We are looking for a \
     payroll administrator to process the monthly payroll, maintain employee records and answer pay queries from \
     staff. You will work with our HR team and the finance director. Requirements: two years of payroll experience, \
     knowledge of PAYE and pensions auto-enrolment, good Excel skills. We offer a permanent contract, 25 days \
     holiday, a pension and free parking. Apply with your CV through our careers page at \
     https://www.harbourside-foods.co.uk/careers.",
);
const FRAUD_ES: (&str, &str) = (
    "Trabajo de anfitriona en Europa",
    "Buscamos señoritas de 18 a 25 años con buena presencia para trabajar de anfitrionas en España. Sueldo de 3000 \
     euros al mes, sin experiencia. Debe pagar una cuota de inscripción de 200 dólares para el visado y el pasaje se \
     descontará de su primer sueldo. Contacto solo por WhatsApp. ¡Urgente, plazas limitadas!",
);
const LEGIT_ES: (&str, &str) = (
    "Auxiliar administrativo",
    "Distribuciones Levante S.L., empresa de logística con sede en Valencia, busca auxiliar administrativo para su \
     departamento de facturación. Funciones: registro de albaranes, atención telefónica a clientes y apoyo al \
     equipo de contabilidad. Requisitos: ciclo formativo de grado superior en administración y manejo de Excel. \
     Ofrecemos contrato indefinido, jornada completa de lunes a viernes y salario según convenio. Envíe su \
     currículum a través de www.distribucioneslevante.es/empleo.",
);

#[test]
fn bundled_models_load_with_both_heads() {
    let c = classifier();
    let job = c.model(AdKind::Job);
    assert!(job.has_head("fields") && job.has_head("crawl") && job.has_head("text"));
    assert_eq!(job.config.name, "job-fraud");
    assert!((job.config.target_prior - 0.0484).abs() < 1e-9);
    assert_eq!(c.model(AdKind::Escort).config.name, "escort");
}

#[test]
fn known_fraud_and_legit_job_ads_in_two_languages() {
    let c = classifier();
    for (fraud, legit, lang) in [(FRAUD_EN, LEGIT_EN, "en"), (FRAUD_ES, LEGIT_ES, "es")] {
        let f = c.assess(&AdInput::new(fraud.0, fraud.1).with_kind(AdKind::Job));
        let l = c.assess(&AdInput::new(legit.0, legit.1).with_kind(AdKind::Job));
        assert_eq!(f.language.as_deref(), Some(lang));
        assert_eq!(f.verdict, Verdict::LikelyFraudulent, "{lang} fraud: risk {} {:?}", f.risk, f.indicators);
        assert_eq!(l.verdict, Verdict::LikelyLegitimate, "{lang} legit: risk {} {:?}", l.risk, l.indicators);
        assert!(f.risk >= 60 && l.risk <= 15, "{lang}: fraud {} legit {}", f.risk, l.risk);
        assert!(f.indicators.len() >= 3);
        assert!(f.model.starts_with("job-fraud@"));
    }
}

#[test]
fn structured_records_use_the_fields_head() {
    let c = classifier();
    let legit = JobRecord {
        title: "Payroll Administrator".into(),
        location: Some("GB, BST, Bristol".into()),
        department: Some("Finance".into()),
        salary_range: Some(String::new()),
        company_profile: Some(
            "Harbourside Foods Ltd is a family-owned food manufacturer founded in 1962. We employ 400 people at our \
             Bristol site and supply supermarkets across the UK with chilled ready meals."
                .into(),
        ),
        description: Some(LEGIT_EN.1.into()),
        requirements: Some(
            "Two years of payroll experience; knowledge of PAYE and pensions auto-enrolment; Excel.".into(),
        ),
        benefits: Some("Permanent contract, 25 days holiday plus bank holidays, company pension, free parking.".into()),
        has_company_logo: Some(true),
        has_questions: Some(true),
        telecommuting: Some(false),
        employment_type: Some("Full-time".into()),
        required_experience: Some("Associate".into()),
        required_education: Some("Unspecified".into()),
        industry: Some("Food Production".into()),
        function: Some("Accounting/Auditing".into()),
        ..Default::default()
    };
    let fraud = JobRecord {
        title: "Data Entry Clerk - Work From Home".into(),
        location: Some("US, , ".into()),
        department: Some(String::new()),
        salary_range: Some("60000-90000".into()),
        company_profile: Some(String::new()),
        description: Some(FRAUD_EN.1.into()),
        requirements: Some(String::new()),
        benefits: Some(String::new()),
        has_company_logo: Some(false),
        has_questions: Some(false),
        telecommuting: Some(true),
        employment_type: Some(String::new()),
        required_experience: Some(String::new()),
        required_education: Some(String::new()),
        industry: Some(String::new()),
        function: Some(String::new()),
        ..Default::default()
    };
    let assess = |rec: &JobRecord| {
        let body = rec.body();
        c.assess(&AdInput {
            kind: Some(AdKind::Job),
            title: &rec.title,
            body: &body,
            job: Some(rec),
            ..Default::default()
        })
    };
    let (l, f) = (assess(&legit), assess(&fraud));
    assert_eq!(f.verdict, Verdict::LikelyFraudulent, "risk {}", f.risk);
    assert_ne!(l.verdict, Verdict::LikelyFraudulent, "risk {}", l.risk);
    assert!(l.risk + 50 < f.risk, "legit {} fraud {}", l.risk, f.risk);
}

#[test]
fn escort_model_ranks_validated_indicators_above_touring_ads() {
    let c = classifier();
    let risky = c.assess(
        &AdInput::new("Sweet young Asian girl", "100% real pics, safe and discreet. Text seven 0 two 555 01 four 8.")
            .with_kind(AdKind::Escort),
    );
    let touring = c.assess(
        &AdInput::new("Companion visiting", "Independent companion, new in town for a limited time. Dinner dates.")
            .with_kind(AdKind::Escort),
    );
    assert!(risky.risk > 60, "risk {}", risky.risk);
    assert!(touring.risk < 10, "risk {}", touring.risk);
    assert_ne!(risky.verdict, Verdict::LikelyLegitimate);
}

#[test]
fn crawled_english_ads_go_to_the_crawl_head_and_other_languages_to_the_text_head() {
    let c = classifier();
    let crawled = |(title, body): (&str, &str)| AdFields {
        title: title.into(),
        body: body.into(),
        city: Some("Bristol".into()),
        price: Some("£28,000 a year".into()),
        ..AdFields::default()
    };
    // English: the crawl head (employer, city and pay fields read) scores a crawled ad differently
    // from the same text pasted, and still ranks fraud above the legitimate ad.
    let (fe, le) = (crawled(FRAUD_EN), crawled(LEGIT_EN));
    let f = c.assess(&AdInput::from_fields(&fe).with_kind(AdKind::Job));
    let l = c.assess(&AdInput::from_fields(&le).with_kind(AdKind::Job));
    let pasted = c.assess(&AdInput::new(LEGIT_EN.0, LEGIT_EN.1).with_kind(AdKind::Job));
    assert_ne!(l.probability, pasted.probability, "an English crawled ad is scored by the crawl head");
    assert!(f.risk > l.risk + 30, "crawled fraud {} against legitimate {}", f.risk, l.risk);
    // Spanish: the crawl head's memory and combiner were fitted on English ads, so a crawled
    // Spanish ad is scored by the text head, exactly as the same text pasted.
    for ad in [FRAUD_ES, LEGIT_ES] {
        let fields = crawled(ad);
        let crawled = c.assess(&AdInput::from_fields(&fields).with_kind(AdKind::Job));
        let pasted = c.assess(&AdInput::new(ad.0, ad.1).with_kind(AdKind::Job));
        assert_eq!(crawled.language.as_deref(), Some("es"));
        assert_eq!(crawled.probability, pasted.probability, "{}", ad.0);
    }
}
