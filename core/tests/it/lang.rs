//! Language detection on short ads in the five supported languages.

use redflag_core::lang::{SUPPORTED, detect};

#[test]
fn short_ads_in_supported_languages() {
    let cases = [
        ("en", "New in town, sweet and fun. Call me for a dinner date."),
        ("en", "Hiring now: warehouse work, good pay, no experience needed."),
        ("es", "Hola, soy nueva en la ciudad, llámame para una cena."),
        ("es", "Trabajo en el extranjero, sueldo alto, sin experiencia."),
        ("fr", "Bonjour, je suis nouvelle en ville, appelle-moi pour un dîner."),
        ("fr", "Emploi à l'étranger, bon salaire, logement offert."),
        ("pt", "Olá, sou nova na cidade, liga para mim para um jantar."),
        ("pt", "Trabalho no exterior, salário alto, não precisa de experiência."),
        ("id", "Halo, saya baru di kota ini, hubungi saya untuk makan malam."),
        ("id", "Lowongan kerja di luar negeri, gaji besar, tanpa pengalaman."),
        ("es", "Masajes relajantes 24 horas 📞 702-555-0148 https://example.com/ad/123"),
        ("pt", "Massagem relaxante, atendo em local discreto, me chama no zap"),
    ];
    let mut failures = Vec::new();
    for (want, text) in cases {
        match detect(text) {
            Some(d) if d.code == want => assert!(d.supported() && (0.0..=1.0).contains(&d.confidence)),
            other => failures.push(format!("{text:?}: want {want}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn long_text_is_reliable_and_other_languages_are_unsupported() {
    let en = "We are looking for friendly and reliable staff to join our team. The position offers flexible \
              hours, training and a good salary. Please send your application with references.";
    let d = detect(en).expect("detected");
    assert_eq!(d.code, "en");
    assert!(d.reliable);
    let de = "Wir suchen freundliche und zuverlässige Mitarbeiter für unser Team in der Innenstadt. \
              Die Stelle bietet flexible Arbeitszeiten und ein gutes Gehalt.";
    let d = detect(de).expect("detected");
    assert_eq!(d.code, "de");
    assert!(!d.supported());
    assert_eq!(SUPPORTED.len(), 5);
}

#[test]
fn no_letters_no_language() {
    for text in ["", "   ", "702 555 0148", "$200 !!!", "https://example.com/a/b jane@example.com @jane"] {
        assert_eq!(detect(text), None, "{text:?}");
    }
}
