//! Indicators fire on their phrases with exact byte offsets into the scoring text, in several
//! languages; reassuring indicators lower the risk; unsupported languages fall back to the
//! language-independent indicators.

use redflag_classifier::AdInput;
use redflag_core::ad::scoring_text;
use redflag_core::link::NetworkFeatures;
use redflag_core::{AdKind, Assessment, NetworkContext};

use crate::classifier;

fn assess(kind: AdKind, title: &str, body: &str) -> Assessment {
    classifier().assess(&AdInput::new(title, body).with_kind(kind))
}

/// Asserts that `id` fired with evidence on exactly the first occurrence of `phrase`.
fn check_fires(kind: AdKind, title: &str, body: &str, id: &str, phrase: &str) {
    let a = assess(kind, title, body);
    let text = scoring_text(title, body);
    let fired = a.indicators.iter().find(|f| f.id == id).unwrap_or_else(|| {
        panic!("{id} did not fire on {text:?}; fired: {:?}", a.indicators.iter().map(|f| &f.id).collect::<Vec<_>>())
    });
    let start = text.find(phrase).expect("phrase is in the text");
    let ev = fired
        .evidence
        .iter()
        .find(|e| e.start == start)
        .unwrap_or_else(|| panic!("{id}: no evidence at {start} for {phrase:?}; evidence {:?}", fired.evidence));
    assert_eq!(ev.end, start + phrase.len(), "{id}: span end for {phrase:?}");
    assert_eq!(&text[ev.start..ev.end], ev.text, "evidence text equals the span");
    assert_eq!(ev.text, phrase);
}

fn check_silent(kind: AdKind, title: &str, body: &str, id: &str) {
    let a = assess(kind, title, body);
    assert!(!a.indicators.iter().any(|f| f.id == id), "{id} fired on {body:?}");
}

#[test]
fn job_indicators_fire_with_offsets_in_five_languages() {
    use AdKind::Job;
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "Factory work",
            "Good pay. You must pay a registration fee of $80 before starting.",
            "job.fee_required",
            "registration fee",
        ),
        (
            "Trabajo en hotel",
            "Buena paga. Hay que cubrir la cuota de inscripción antes de viajar.",
            "job.fee_required",
            "cuota de inscripción",
        ),
        (
            "Travail en usine",
            "Des frais de dossier de 150 euros sont à régler avant le départ.",
            "job.fee_required",
            "frais de dossier",
        ),
        (
            "Vaga em fábrica",
            "É preciso pagar a taxa de inscrição para garantir a vaga.",
            "job.fee_required",
            "taxa de inscrição",
        ),
        (
            "Kerja pabrik",
            "Ada biaya pendaftaran sebesar Rp 2 juta sebelum berangkat.",
            "job.fee_required",
            "biaya pendaftaran",
        ),
        (
            "Driver",
            "The interview will be conducted via Telegram chat with our HR manager.",
            "job.chat_interview",
            "interview will be conducted via Telegram",
        ),
        (
            "Chofer",
            "La entrevista será por WhatsApp con la gerente.",
            "job.chat_interview",
            "entrevista será por WhatsApp",
        ),
        (
            "Cleaner abroad",
            "Flights and housing are arranged; costs are deducted from your salary.",
            "job.travel_costs_deducted",
            "deducted from your salary",
        ),
        (
            "Limpeza no exterior",
            "A passagem será descontada do seu primeiro salário.",
            "job.travel_costs_deducted",
            "descontada do seu primeiro salário",
        ),
        (
            "Hostess",
            "Hostesses wanted for clubs in Japan, good salary.",
            "job.appearance_requirements",
            "Hostesses wanted for clubs in Japan",
        ),
        (
            "Pemandu karaoke",
            "Dicari wanita berpenampilan menarik untuk bekerja malam.",
            "job.appearance_requirements",
            "berpenampilan menarik",
        ),
        (
            "Remote agent",
            "Receive payments from clients into your own bank account and forward them.",
            "job.money_mule",
            "Receive payments from clients into your own bank account",
        ),
        (
            "Agent financier",
            "Poste d'agent financier à domicile, commission de 10 %.",
            "job.money_mule",
            "agent financier",
        ),
        (
            "Packer",
            "Please send a copy of your passport with your application.",
            "job.documents_requested",
            "copy of your passport",
        ),
        (
            "Empacador",
            "Debe entregar su pasaporte al llegar al aeropuerto.",
            "job.documents_requested",
            "entregar su pasaporte",
        ),
        ("Labourer", "Cash in hand every Friday.", "job.no_written_contract", "Cash in hand"),
        ("Obrero", "Trabajo sin contrato, pago semanal.", "job.no_written_contract", "sin contrato"),
        (
            "Typist",
            "Contact us at work.online.now@gmail.com today.",
            "job.free_email_contact",
            "work.online.now@gmail.com",
        ),
        ("Typist", "Message us on WhatsApp for details.", "job.chat_app_contact", "WhatsApp"),
    ];
    for (title, body, id, phrase) in cases {
        check_fires(Job, title, body, id, phrase);
    }
}

#[test]
fn escort_indicators_fire_with_offsets_in_several_languages() {
    use AdKind::Escort;
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "Dinner companion",
            "Sweet and youthful companion for dinner dates downtown.",
            "escort.youth_language",
            "youthful",
        ),
        ("Compañía para cenas", "Jovencita simpática para cenas y eventos.", "escort.youth_language", "Jovencita"),
        ("Companion", "Exotic Brazilian companion for evenings out.", "escort.ethnicity_listed", "Exotic"),
        ("Acompanhante", "Linda colombiana para jantares e eventos.", "escort.ethnicity_listed", "colombiana"),
        ("Massage", "Relaxing massage, 100% real photos, safe and discreet.", "escort.trust_language", "100% real"),
        (
            "Compagnie",
            "Femme discrète et sûre, photos réelles, rendez-vous en soirée.",
            "escort.trust_language",
            "photos réelles",
        ),
        ("Dinner dates", "Call my manager to arrange your evening.", "escort.third_party_control", "Call my manager"),
        (
            "Compañía",
            "Escribe a la encargada para reservar con mis chicas.",
            "escort.third_party_control",
            "mis chicas",
        ),
        ("Companion", "Available 24/7 for dinner and conversation.", "escort.restricted_choice", "Available 24/7"),
        ("Companion", "Friendly companion, new in town this week.", "escort.movement_language", "new in town"),
        ("Companhia", "Recém-chegada na cidade, jantares e passeios.", "escort.movement_language", "Recém-chegada"),
    ];
    for (title, body, id, phrase) in cases {
        check_fires(Escort, title, body, id, phrase);
    }
}

#[test]
fn obscured_contacts_fire_from_our_own_detector() {
    let body = "Dinner dates. Text seven 0 two 555 01 four 8 after six.";
    check_fires(AdKind::Escort, "Companion", body, "escort.obscured_contact", "seven 0 two 555 01 four 8");
    check_silent(AdKind::Escort, "Companion", "Dinner dates. Call (702) 555-0148.", "escort.obscured_contact");
}

#[test]
fn negated_phrases_do_not_fire() {
    check_silent(AdKind::Job, "Driver", "There is no registration fee for candidates.", "job.fee_required");
    check_silent(AdKind::Job, "Pelayan", "Tidak dipungut biaya pendaftaran apapun.", "job.fee_required");
    check_silent(AdKind::Job, "Chofer", "Proceso sin costo de inscripción.", "job.fee_required");
}

#[test]
fn reassuring_indicators_lower_the_risk() {
    let base = "Warehouse work, start tomorrow. Contact us on WhatsApp.";
    let with_pledge = format!("{base} We never charge candidates any fees, and you get a written employment contract.");
    let a = assess(AdKind::Job, "Warehouse staff", base);
    let b = assess(AdKind::Job, "Warehouse staff", &with_pledge);
    assert!(b.indicators.iter().any(|f| f.id == "job.no_fee_pledge" && f.weight < 0.0));
    assert!(b.probability < a.probability, "{} !< {}", b.probability, a.probability);

    let base = "Young Asian companion, safe and discreet, dinner dates.";
    let own_terms = format!("{base} I choose who I meet and I take weekends off.");
    let a = assess(AdKind::Escort, "Companion", base);
    let b = assess(AdKind::Escort, "Companion", &own_terms);
    let m = b.indicators.iter().find(|f| f.id == "escort.self_determination").expect("self-determination fires");
    assert!(m.weight < 0.0, "weight {}", m.weight);
    assert!(b.probability < a.probability);
}

#[test]
fn stated_age_under_23_is_shown_but_weightless() {
    let a = assess(AdKind::Escort, "Companion", "Friendly companion, 21 years old, dinner dates.");
    let f = a.indicators.iter().find(|f| f.id == "escort.stated_age_under_23").expect("age indicator fires");
    assert_eq!(f.weight, 0.0);
    let b = assess(AdKind::Escort, "Companion", "Friendly companion, dinner dates.");
    assert!((a.probability - b.probability).abs() < 1e-6);
}

#[test]
fn shared_contacts_fire_from_network_context_with_a_note() {
    let net = NetworkContext {
        ads_sharing_contact: 14,
        cities_sharing_contact: 5,
        template_group_size: 1,
        cluster_size: 14,
        ..Default::default()
    };
    let input = AdInput::new("Companion", "Dinner dates downtown.").with_kind(AdKind::Escort).with_network(net);
    let a = classifier().assess(&input);
    let f = a.indicators.iter().find(|f| f.id == "escort.shared_contact").expect("shared contact fires");
    assert_eq!(f.note.as_deref(), Some("contact shared by 14 ads in 5 cities"));
    assert!(f.evidence.is_empty());
    let alone = classifier().assess(&AdInput::new("Companion", "Dinner dates downtown.").with_kind(AdKind::Escort));
    assert!(a.probability > alone.probability);
    let small = NetworkContext { ads_sharing_contact: 2, cities_sharing_contact: 1, cluster_size: 2, ..net };
    let b = classifier()
        .assess(&AdInput::new("Companion", "Dinner dates downtown.").with_kind(AdKind::Escort).with_network(small));
    assert!(!b.indicators.iter().any(|f| f.id == "escort.shared_contact"));
}

/// A network context from analysis: its figures, and how many ads of the other kind share a contact.
fn analysed(job_escort_ads: usize, network: NetworkFeatures) -> NetworkContext {
    NetworkContext {
        ads_sharing_contact: 2,
        cities_sharing_contact: 1,
        template_group_size: 1,
        cluster_size: network.ads.max(1),
        network,
        job_escort_ads,
    }
}

#[test]
fn a_contact_shared_with_ads_of_the_other_kind_fires_on_both_sides_with_less_than_full_weight() {
    let pair = NetworkFeatures { ads: 3, cities: 1, sites: 2, names: 2, span_days: 1, dated_ads: 3 };
    let cases = [
        (
            AdKind::Job,
            "Hostess work abroad",
            "Club work abroad, flights advanced.",
            "job.escort_contact",
            2,
            "contact also in 2 escort ads",
        ),
        (AdKind::Escort, "Companion", "Dinner dates downtown.", "escort.job_contact", 1, "contact also in 1 job ad"),
    ];
    for (kind, title, body, id, others, note) in cases {
        let input = AdInput::new(title, body).with_kind(kind);
        let with = classifier().assess(&input.with_network(analysed(others, pair)));
        let f = with.indicators.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id}: {:?}", with.indicators));
        assert_eq!(f.note.as_deref(), Some(note));
        assert!(f.evidence.is_empty());
        // An assumption, not a measured effect: less than the +1.0 of measured indicators.
        assert!(f.weight > 0.0 && f.weight < 1.0, "{id}: {}", f.weight);
        let without = classifier().assess(&input.with_network(analysed(0, pair)));
        assert!(!without.indicators.iter().any(|f| f.id == id));
        assert!(with.probability > without.probability, "{id}");
        // Added to the log-odds, so it moves a probability by at most its weight's worth at 50 %.
        let most = 1.0 / (1.0 + (-f.weight / 2.0).exp()) - 1.0 / (1.0 + (f.weight / 2.0).exp());
        assert!(with.probability - without.probability <= most + 1e-4, "{id}");
    }
}

#[test]
fn several_names_in_one_network_fire_and_touring_alone_does_not() {
    let input = AdInput::new("Companion", "Dinner dates downtown.").with_kind(AdKind::Escort);
    let agency = NetworkFeatures { ads: 6, cities: 2, sites: 1, names: 4, span_days: 9, dated_ads: 6 };
    let a = classifier().assess(&input.with_network(analysed(0, agency)));
    let f = a.indicators.iter().find(|f| f.id == "escort.network_names").expect("several names fire");
    assert_eq!(f.note.as_deref(), Some("network of 6 ads under 4 names; 2 cities, 1 site, 10 days, 0.6 ads a day"));
    assert!(f.weight > 0.0 && f.weight < 1.0, "{}", f.weight);
    // One person touring nine cities on three sites, posting fast: shown on the pages, never weighed.
    let touring = NetworkFeatures { ads: 12, cities: 9, sites: 3, names: 1, span_days: 2, dated_ads: 12 };
    let home = NetworkFeatures { cities: 1, sites: 1, span_days: 30, ..touring };
    let t = classifier().assess(&input.with_network(analysed(0, touring)));
    let h = classifier().assess(&input.with_network(analysed(0, home)));
    assert!(!t.indicators.iter().any(|f| f.id == "escort.network_names"), "{:?}", t.indicators);
    assert_eq!(t.probability, h.probability, "cities, sites and posting rate alone move nothing");
    // Too small a network, however many names.
    let small = NetworkFeatures { ads: 4, names: 4, ..agency };
    let s = classifier().assess(
        &AdInput::new("Companion", "Dinner dates downtown.").with_kind(AdKind::Escort).with_network(analysed(0, small)),
    );
    assert!(!s.indicators.iter().any(|f| f.id == "escort.network_names"));
}

#[test]
fn unsupported_languages_use_only_language_independent_indicators() {
    // German: the fee phrase is not matched by any supported language's patterns, the chat app is.
    let body = "Wir suchen Reinigungskräfte für Hotels in Deutschland. Sie müssen eine Bearbeitungsgebühr von 200 Euro \
                bezahlen, bevor Sie anfangen. Kontakt nur über WhatsApp. Die Unterkunft wird vom Lohn abgezogen.";
    let a = assess(AdKind::Job, "Arbeit in Deutschland", body);
    assert!(!a.language_supported, "German is not supported: {:?}", a.language);
    assert!(a.indicators.iter().any(|f| f.id == "job.chat_app_contact"));
    for f in &a.indicators {
        let Some(i) = classifier().catalogue().index_of(&f.id) else {
            // The model's own explanations (its strongest phrases) are not catalogue indicators.
            assert!(redflag_classifier::explain::IDS.contains(&f.id.as_str()), "unknown id {}", f.id);
            continue;
        };
        let ind = &classifier().catalogue().indicators[i];
        assert!(ind.language_independent(), "{} is language-specific but fired on German text", f.id);
    }
    // The same kind of text in a supported language is read in full.
    let es = assess(
        AdKind::Job,
        "Trabajo en España",
        "Debe pagar una cuota de inscripción de 200 euros. Contacto solo por WhatsApp.",
    );
    assert!(es.language_supported);
    assert_eq!(es.language.as_deref(), Some("es"));
    assert!(es.indicators.iter().any(|f| f.id == "job.fee_required"));
}

#[test]
fn kind_is_inferred_when_not_given() {
    let a = classifier().assess(&AdInput::new("Hiring drivers", "Salary $3000, apply with your CV."));
    assert_eq!(a.kind, AdKind::Job);
    let b = classifier().assess(&AdInput::new("Sweet companion", "Incall and outcall, dinner dates, massage."));
    assert_eq!(b.kind, AdKind::Escort);
}
