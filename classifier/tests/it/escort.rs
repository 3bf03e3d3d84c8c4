//! Escort indicators on hand-written ads in each of the five languages (written from the
//! indicators' definitions, not taken from the blind sets), reassuring signs, and the bundled escort
//! model's ranking of a development set.

use redflag_classifier::AdInput;
use redflag_classifier::blind;
use redflag_core::ad::scoring_text;
use redflag_core::{AdKind, Assessment};

use crate::classifier;

fn assess(title: &str, body: &str) -> Assessment {
    classifier().assess(&AdInput::new(title, body).with_kind(AdKind::Escort))
}

/// Asserts that `id` fired with an evidence span on `phrase` (overlapping matches of several
/// patterns keep the first span, so the span may reach beyond the phrase), quoting the text.
fn check_fires(lang: &str, title: &str, body: &str, id: &str, phrase: &str) {
    let a = assess(title, body);
    let text = scoring_text(title, body);
    let fired = a.indicators.iter().find(|f| f.id == id).unwrap_or_else(|| {
        panic!(
            "{lang}: {id} did not fire on {text:?}; fired: {:?}",
            a.indicators.iter().map(|f| &f.id).collect::<Vec<_>>()
        )
    });
    let start = text.find(phrase).expect("phrase is in the text");
    let end = start + phrase.len();
    let ev = fired
        .evidence
        .iter()
        .find(|e| e.start < end && start < e.end)
        .unwrap_or_else(|| panic!("{lang}: {id} has no evidence on {phrase:?}; evidence {:?}", fired.evidence));
    assert_eq!(&text[ev.start..ev.end], ev.text, "evidence text equals the span");
}

#[test]
fn escort_indicators_fire_on_hand_written_ads_in_five_languages() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "en",
            "Evening company",
            "Her manager takes every booking by text.",
            "escort.third_party_control",
            "Her manager",
        ),
        (
            "en",
            "Evening company",
            "Ask for Tina to book, she is 22 and very sweet.",
            "escort.third_party_control",
            "Ask for Tina to book",
        ),
        (
            "en",
            "Asian spa",
            "Three Korean ladies on shift every night.",
            "escort.multiple_people",
            "Three Korean ladies",
        ),
        (
            "en",
            "Companion",
            "She stays at our apartment and our driver brings her to you.",
            "escort.restricted_movement",
            "our driver brings",
        ),
        (
            "en",
            "Companion",
            "Came from Moldova last month, speaks very little English.",
            "escort.foreign_recent_arrival",
            "speaks very little English",
        ),
        ("en", "Companion", "Tonight only, $60 special for the first caller.", "escort.low_price", "$60 special"),
        (
            "en",
            "Companion",
            "Friendly, any time day or night for you.",
            "escort.restricted_choice",
            "any time day or night",
        ),
        ("en", "Companion", "Polish blonde, friendly and warm.", "escort.ethnicity_listed", "Polish"),
        ("en", "Companion", "New to this, a shy beginner, 19.", "escort.youth_language", "New to this"),
        ("en", "Companion", "Real photo 100%, not scam.", "escort.trust_language", "not scam"),
        ("en", "Companion", "In Dayton this week only, next stop Columbus.", "escort.movement_language", "next stop"),
        (
            "en",
            "Dinner companion",
            "I'm Ruth, 41. I choose who I see and I take Sundays off.",
            "escort.self_determination",
            "I choose who",
        ),
        (
            "en",
            "Dinner companion",
            "Dinners and theatre by appointment only.",
            "escort.self_determination",
            "by appointment only",
        ),
        (
            "en",
            "Dinner companion",
            "Independent companion for concerts and dinners.",
            "escort.independent",
            "Independent",
        ),
        ("es", "Compañía", "Su novio contesta los mensajes y fija la hora.", "escort.third_party_control", "Su novio"),
        ("es", "Masajes", "Tenemos cinco masajistas nuevas esta semana.", "escort.multiple_people", "cinco masajistas"),
        (
            "es",
            "Compañía",
            "Atiende solo en el piso, no hace salidas.",
            "escort.restricted_movement",
            "no hace salidas",
        ),
        (
            "es",
            "Compañía",
            "Recién llegada de Honduras, no habla bien español.",
            "escort.foreign_recent_arrival",
            "no habla bien español",
        ),
        ("es", "Compañía", "Oferta de hoy: media hora por 25 euros.", "escort.low_price", "Oferta"),
        (
            "es",
            "Compañía",
            "Atención a cualquier hora, también de madrugada.",
            "escort.restricted_choice",
            "a cualquier hora",
        ),
        ("es", "Compañía", "Rumana simpática y cariñosa.", "escort.ethnicity_listed", "Rumana"),
        ("es", "Compañía", "Jovencita de 19 años, dulce.", "escort.youth_language", "Jovencita"),
        ("es", "Compañía", "Fotos reales, sin trampas.", "escort.trust_language", "sin trampas"),
        ("es", "Compañía", "Solo esta semana en Cádiz.", "escort.movement_language", "Solo esta semana"),
        (
            "es",
            "Compañía para cenas",
            "Soy Marta, 38. Trabajo por mi cuenta y descanso los lunes.",
            "escort.self_determination",
            "Trabajo por mi cuenta",
        ),
        (
            "es",
            "Compañía para cenas",
            "Cenas y conciertos, siempre con cita previa.",
            "escort.self_determination",
            "con cita previa",
        ),
        ("es", "Compañía para cenas", "Acompañante independiente en Valencia.", "escort.independent", "independiente"),
        (
            "fr",
            "Compagnie",
            "Son copain répond au téléphone et fixe l'heure.",
            "escort.third_party_control",
            "Son copain",
        ),
        ("fr", "Massage", "Nos masseuses vous accueillent tous les soirs.", "escort.multiple_people", "Nos masseuses"),
        (
            "fr",
            "Compagnie",
            "Elles logent chez nous, près de la gare.",
            "escort.restricted_movement",
            "logent chez nous",
        ),
        (
            "fr",
            "Compagnie",
            "Arrivée du Brésil, parle pas bien français.",
            "escort.foreign_recent_arrival",
            "parle pas bien français",
        ),
        ("fr", "Compagnie", "Prix spécial ce soir pour les nouveaux.", "escort.low_price", "Prix spécial"),
        ("fr", "Compagnie", "Disponible 24h/24, appelez.", "escort.restricted_choice", "Disponible 24h"),
        ("fr", "Compagnie", "Douce Bulgare, souriante.", "escort.ethnicity_listed", "Bulgare"),
        ("fr", "Compagnie", "Débutante de 19 ans, timide.", "escort.youth_language", "Débutante"),
        ("fr", "Compagnie", "Discrétion absolue, aucun risque.", "escort.trust_language", "Discrétion absolue"),
        ("fr", "Compagnie", "En tournée : Lille puis Amiens.", "escort.movement_language", "tournée"),
        (
            "fr",
            "Compagnie pour dîners",
            "Je suis Hélène, 45 ans. Je choisis mes rendez-vous et je me repose le week-end.",
            "escort.self_determination",
            "Je choisis",
        ),
        (
            "fr",
            "Compagnie pour dîners",
            "Dîners et concerts, uniquement sur rendez-vous.",
            "escort.self_determination",
            "uniquement sur rendez-vous",
        ),
        ("fr", "Compagnie pour dîners", "Accompagnatrice indépendante à Lyon.", "escort.independent", "indépendante"),
        ("pt", "Companhia", "Fale com o namorado dela para marcar.", "escort.third_party_control", "o namorado dela"),
        ("pt", "Massagem", "Nossas massagistas atendem de tarde.", "escort.multiple_people", "Nossas massagistas"),
        ("pt", "Companhia", "Só atende no local, não faz saída.", "escort.restricted_movement", "não faz saída"),
        (
            "pt",
            "Companhia",
            "Acabou de chegar da Bolívia, não fala português.",
            "escort.foreign_recent_arrival",
            "não fala português",
        ),
        ("pt", "Companhia", "Valor promocional só nesta semana.", "escort.low_price", "Valor promocional"),
        ("pt", "Companhia", "Atende qualquer horário, é só chamar.", "escort.restricted_choice", "qualquer horário"),
        ("pt", "Companhia", "Coreana simpática e carinhosa.", "escort.ethnicity_listed", "Coreana"),
        (
            "pt",
            "Companhia",
            "Sou novata, tenho 19 anos e ainda estou aprendendo, vem me conhecer.",
            "escort.youth_language",
            "novata",
        ),
        ("pt", "Companhia", "Sigilo absoluto, fotos verdadeiras.", "escort.trust_language", "Sigilo absoluto"),
        ("pt", "Companhia", "Estarei em Recife de 3 a 5 de maio.", "escort.movement_language", "Estarei em"),
        (
            "pt",
            "Companhia para jantares",
            "Sou a Marta, 40. Eu escolho meus clientes e tiro folga às segundas.",
            "escort.self_determination",
            "Eu escolho meus",
        ),
        (
            "pt",
            "Companhia para jantares",
            "Jantares e eventos, somente com hora marcada.",
            "escort.self_determination",
            "somente com hora marcada",
        ),
        (
            "pt",
            "Companhia para jantares",
            "Acompanhante independente em Salvador.",
            "escort.independent",
            "independente",
        ),
        (
            "id",
            "Teman makan malam",
            "Booking lewat manajernya saja, jangan langsung.",
            "escort.third_party_control",
            "manajernya",
        ),
        ("id", "Pijat", "Ada tiga terapis baru di tempat kami.", "escort.multiple_people", "tiga terapis"),
        ("id", "Teman kencan", "Cuma terima tamu di hotel, diantar sopir.", "escort.restricted_movement", "diantar"),
        (
            "id",
            "Teman kencan",
            "Baru tiba dari Vietnam, belum bisa bahasa Indonesia.",
            "escort.foreign_recent_arrival",
            "belum bisa bahasa Indonesia",
        ),
        ("id", "Teman kencan", "Harga spesial untuk tamu baru.", "escort.low_price", "Harga spesial"),
        ("id", "Teman kencan", "Bisa dipanggil kapan saja.", "escort.restricted_choice", "kapan saja"),
        ("id", "Teman kencan", "Cewek Manado, ramah dan manis.", "escort.ethnicity_listed", "Manado"),
        ("id", "Teman kencan", "Masih polos, 19 tahun.", "escort.youth_language", "polos"),
        ("id", "Teman kencan", "Foto asli, bukan tipu.", "escort.trust_language", "Foto asli"),
        ("id", "Teman kencan", "Lagi tur, minggu depan ke Solo.", "escort.movement_language", "tur"),
        (
            "id",
            "Teman makan malam",
            "Aku Ayu, 36. Aku pilih sendiri tamuku dan libur tiap Minggu.",
            "escort.self_determination",
            "Aku pilih",
        ),
        (
            "id",
            "Teman makan malam",
            "Makan malam dan nonton, hanya dengan janji.",
            "escort.self_determination",
            "hanya dengan janji",
        ),
        ("id", "Teman makan malam", "Teman kencan mandiri di Surabaya.", "escort.independent", "mandiri"),
    ];
    let mut langs = std::collections::BTreeMap::<&str, std::collections::BTreeSet<&str>>::new();
    for (lang, title, body, id, phrase) in cases {
        check_fires(lang, title, body, id, phrase);
        langs.entry(*lang).or_default().insert(*id);
    }
    // Every phrase indicator, reassuring ones included, is exercised in every language.
    for (lang, ids) in &langs {
        assert_eq!(ids.len(), 12, "{lang} covers {ids:?}");
    }
    assert_eq!(langs.len(), 5);
}

#[test]
fn escort_false_friends_stay_silent() {
    let cases: &[(&str, &str, &str)] = &[
        ("Home cleaning", "Fresh linen and a clean, fresh studio every week.", "escort.youth_language"),
        ("Dinner companion", "I'm Ruth, 41. I choose who I see, by appointment.", "escort.third_party_control"),
        ("Dinner companion", "No agency, no driver: I meet you at the restaurant.", "escort.restricted_movement"),
        ("Compañía para cenas", "Soy Marta, 38. Yo elijo con quién quedo.", "escort.third_party_control"),
        ("Compagnie pour dîners", "Je suis Hélène, je choisis mes rendez-vous.", "escort.third_party_control"),
        ("Companhia para jantares", "Sou a Marta. Eu escolho meus clientes.", "escort.multiple_people"),
        ("Teman makan malam", "Aku Ayu, aku pilih sendiri tamuku.", "escort.third_party_control"),
        ("Companion", "No limits? No: I never work without a day off.", "escort.self_determination"),
    ];
    for (title, body, id) in cases {
        let a = assess(title, body);
        assert!(!a.indicators.iter().any(|f| f.id == *id), "{id} fired on {body:?}");
    }
}

#[test]
fn stating_her_own_terms_lowers_an_escort_ads_score() {
    let cases = [
        ("Companion, 24", "Friendly companion for dinners in Leeds.", "I choose who I meet and take Mondays off."),
        ("Compañía", "Compañía para cenas en Sevilla.", "Yo elijo con quién quedo y descanso los domingos."),
        ("Compagnie", "Compagnie pour dîners à Lille.", "Je choisis mes rendez-vous, uniquement sur rendez-vous."),
        ("Companhia", "Companhia para jantares em Recife.", "Eu escolho meus clientes e tenho meus dias de folga."),
        ("Teman makan malam", "Teman makan malam di Bandung.", "Aku pilih sendiri tamuku, libur tiap Minggu."),
    ];
    for (title, base, terms) in cases {
        let plain = assess(title, base);
        let own = assess(title, &format!("{base} {terms}"));
        let f = own.indicators.iter().find(|f| f.id == "escort.self_determination").expect("self-determination fires");
        assert!(f.weight < 0.0, "a reassuring sign has a negative weight, got {}", f.weight);
        assert!(own.probability < plain.probability, "{title}: {} !< {}", own.probability, plain.probability);
    }
    // The same terms do not cancel out a handler and a locked-in schedule.
    let handled =
        assess("New girls", "Her manager takes the bookings; they stay at our apartment. Any time day or night.");
    let independent = assess("Companion", "Independent companion. I choose who I meet, by appointment only.");
    assert!(handled.risk > independent.risk + 30, "handled {} against independent {}", handled.risk, independent.risk);
}

#[test]
fn bundled_escort_model_ranks_the_first_development_set() {
    let (r, all) = scored_set("escort.jsonl");
    // The model was fitted on this set among others (see models/escort/MODEL_CARD.md for the
    // leave-one-set-out figures): this floor guards against regressions, it is not an estimate.
    assert!(all.roc_auc >= 0.93, "ROC-AUC {}", all.roc_auc);
    assert!(all.roc_auc_lookalikes >= 0.88, "ROC-AUC against look-alikes {}", all.roc_auc_lookalikes);
    for l in &r.languages {
        assert!(l.roc_auc >= 0.85, "{}: ROC-AUC {}", l.lang, l.roc_auc);
    }
    let self_det = r.reassuring.iter().find(|x| x.indicator == "escort.self_determination").expect("reported");
    assert!(self_det.precision >= 0.9 && self_det.recall >= 0.4, "{self_det:?}");
}

/// The blind set written before the last change to the escort patterns and weights
/// (`data/blind/eighth/escort.jsonl`, see its notes): the figures the model card reports, as floors a
/// little under them. Never tune on this set; write a fresh one after the next change.
#[test]
fn bundled_escort_model_holds_on_the_eighth_blind_set() {
    let (r, all) = scored_set("eighth/escort.jsonl");
    assert!(all.roc_auc >= 0.92, "ROC-AUC {}", all.roc_auc);
    assert!(all.roc_auc_lookalikes >= 0.89, "ROC-AUC against look-alikes {}", all.roc_auc_lookalikes);
    for l in &r.languages {
        assert!(l.roc_auc >= 0.84, "{}: ROC-AUC {}", l.lang, l.roc_auc);
    }
    let ind = |label: &str| r.indicators.iter().find(|x| x.label == label).unwrap_or_else(|| panic!("{label}"));
    // (label, recall floor, precision floor)
    for (label, recall, precision) in [
        ("third_party", 0.5, 0.88),
        ("obscured_contact", 0.7, 0.95),
        ("shared_contact", 0.33, 0.9),
        ("multiple_people", 0.62, 0.8),
        ("ethnicity", 0.85, 0.7),
        ("low_price", 0.62, 0.95),
    ] {
        let f = ind(label);
        assert!(f.recall >= recall && f.precision >= precision, "{label}: {f:?}");
    }
}

/// The bundled model's report on an escort set of `data/blind/`, and its all-languages row.
fn scored_set(rel: &str) -> (blind::EscortReport, blind::EscortLanguageFigures) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/blind").join(rel);
    let r = blind::evaluate_escort(classifier(), &path).unwrap_or_else(|e| panic!("{rel} scores: {e}"));
    let all = r.languages.iter().find(|l| l.lang == "all").expect("an all row").clone();
    (r, all)
}
