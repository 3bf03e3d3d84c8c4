//! The job-seeker check in several languages: verdict, quoted evidence with offsets into the checked
//! text, localised tips, JSON output and the text rendering.

use redflag_classifier::check;
use redflag_core::{AdKind, Verdict};

use crate::classifier;

#[test]
fn spanish_check_quotes_evidence_and_answers_in_spanish() {
    let text =
        "Trabajo en España\nDebe pagar una cuota de inscripción de 200 dólares. Contacto solo por WhatsApp. Urgente.";
    let r = check(classifier(), text, None).unwrap();
    assert_eq!(r.kind, AdKind::Job);
    assert_eq!(r.report_language, "es");
    assert_ne!(r.verdict, Verdict::LikelyLegitimate);
    let fee = r.red_flags.iter().find(|f| f.id == "job.fee_required").expect("fee flag");
    assert_eq!(fee.title, "Le piden pagar una cuota");
    assert!(fee.tip.starts_with("Un empleador real"));
    for q in &fee.evidence {
        assert_eq!(&text[q.start..q.end], q.text, "quotes point into the checked text");
    }
    assert!(fee.evidence.iter().any(|q| q.text == "cuota de inscripción"));
    assert!(r.general_tips.iter().all(|t| !t.is_empty()));
    let rendered = r.render_text(classifier());
    assert!(rendered.contains("Señales de alerta"));
    assert!(rendered.contains("\"cuota de inscripción\""));
}

#[test]
fn indonesian_and_french_checks_use_their_language() {
    let id = "Lowongan kerja ke Jepang\nDibutuhkan wanita berpenampilan menarik. Biaya pendaftaran Rp 5 juta dan dipotong dari gaji. Hubungi via WhatsApp.";
    let r = check(classifier(), id, None).unwrap();
    assert_eq!(r.report_language, "id");
    assert_eq!(r.verdict, Verdict::LikelyFraudulent, "risk {}", r.risk);
    assert!(r.red_flags.iter().any(|f| f.id == "job.travel_costs_deducted" && f.title.contains("dipotong")));
    let fr = "Hôtesse à l'étranger\nNous recherchons des hôtesses pour Dubaï. Des frais de dossier de 300 euros sont à payer avant le départ, le billet sera déduit de votre salaire.";
    let r = check(classifier(), fr, None).unwrap();
    assert_eq!(r.report_language, "fr");
    assert!(r.red_flags.iter().any(|f| f.id == "job.fee_required"));
    assert!(r.render_text(classifier()).contains("Signaux d'alerte"));
}

#[test]
fn english_legitimate_ad_has_no_red_flags() {
    let text = "Payroll Administrator\nHarbourside Foods Ltd, a food manufacturer in Bristol, is hiring a payroll \
                administrator. Two years of payroll experience required. Permanent contract, pension, 25 days holiday. \
                Apply at https://www.harbourside-foods.co.uk/careers. We never charge candidates any fees.";
    let r = check(classifier(), text, None).unwrap();
    assert_eq!(r.verdict, Verdict::LikelyLegitimate, "risk {} {:?}", r.risk, r.red_flags);
    // No warning sign of the catalogue; the text model's own reading of the wording may still be
    // shown (a short ad about fees reads as scam-like to it), since it moved the score.
    assert!(r.red_flags.iter().all(|f| f.id.starts_with("model.")), "{:?}", r.red_flags);
    assert!(r.good_signs.iter().any(|f| f.id == "job.no_fee_pledge"));
}

#[test]
fn unsupported_language_is_reported_in_english() {
    let text = "Arbeit in Deutschland\nWir suchen Reinigungskräfte für Hotels. Bearbeitungsgebühr 200 Euro. Kontakt nur über WhatsApp, bitte schnell melden.";
    let r = check(classifier(), text, None).unwrap();
    assert!(!r.language_supported);
    assert_eq!(r.report_language, "en");
    assert!(r.notices.iter().any(|n| n.contains("not fully supported")));
}

#[test]
fn reports_serialise_to_json_for_the_page_and_bots() {
    let r = check(classifier(), "Hostess in Dubai\nVisa fee $300. WhatsApp only.", Some(AdKind::Job)).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    for key in ["verdict", "verdict_label", "risk", "language", "red_flags", "general_tips", "truncated", "model"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(matches!(v["verdict"].as_str(), Some("likely_fraudulent" | "suspicious" | "likely_legitimate")));
}

#[test]
fn escort_hint_checks_escort_indicators() {
    let r = check(classifier(), "Companion\nYoung Latina, 100% real, call my manager.", Some(AdKind::Escort)).unwrap();
    assert_eq!(r.kind, AdKind::Escort);
    assert!(r.red_flags.iter().any(|f| f.id == "escort.third_party_control"));
}

/// One scam (fee, identity document copy, chat-app contact) in the five languages: every version
/// lands in the English version's verdict band, within 10 risk points, with the fee and the document
/// request quoted in its own language (a regression test of parity, not an accuracy figure).
#[test]
fn the_same_scam_in_five_languages_gets_the_same_verdict_with_evidence() {
    let versions = [
        (
            "en",
            "Admin staff needed in Malaysia\nFactory job in Malaysia, salary RM 4,500 per month. No experience needed. \
             Send a copy of your ID card and pay the processing fee of USD 300 before departure. Contact us on WhatsApp only.",
        ),
        (
            "es",
            "Personal administrativo en Malasia\nTrabajo en fábrica en Malasia, sueldo de RM 4.500 al mes. Sin experiencia. \
             Envía una copia de tu pasaporte y paga la tarifa de trámite de 300 USD antes de viajar. Contacto solo por WhatsApp.",
        ),
        (
            "fr",
            "Personnel administratif en Malaisie\nEmploi en usine en Malaisie, salaire de 4 500 RM par mois. Sans expérience. \
             Envoyez une copie de votre passeport et payez les frais de dossier de 300 USD avant le départ. Contact uniquement par WhatsApp.",
        ),
        (
            "pt",
            "Auxiliar administrativo na Malásia\nTrabalho em fábrica na Malásia, salário de RM 4.500 por mês. Sem experiência. \
             Envie uma cópia do seu passaporte e pague a taxa de processamento de 300 USD antes de viajar. Contato só pelo WhatsApp.",
        ),
        (
            "id",
            "Dibutuhkan staf admin di Malaysia\nKerja pabrik di Malaysia, gaji RM 4.500 per bulan. Tanpa pengalaman. \
             Kirim salinan KTP dan bayar biaya proses USD 300 sebelum berangkat. Hubungi kami hanya lewat WhatsApp.",
        ),
    ];
    let en = check(classifier(), versions[0].1, None).unwrap();
    for (lang, text) in versions {
        let r = check(classifier(), text, None).unwrap();
        assert_eq!(r.report_language, lang, "{text}");
        assert_eq!(r.verdict, en.verdict, "{lang}: risk {} against {} in English", r.risk, en.risk);
        assert!(r.risk.abs_diff(en.risk) <= 10, "{lang}: risk {} against {} in English", r.risk, en.risk);
        for id in ["job.fee_required", "job.documents_requested"] {
            let flag = r.red_flags.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{lang}: no {id}"));
            assert!(!flag.evidence.is_empty(), "{lang}: {id} without evidence");
            for q in &flag.evidence {
                assert_eq!(&text[q.start..q.end], q.text, "{lang}: quotes point into the checked text");
            }
        }
    }
}
