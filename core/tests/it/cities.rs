//! Cities from the gazetteer.

use redflag_core::extract::EntityKind::City;
use redflag_core::extract::city_country;

use crate::support::check_all;

#[test]
fn cities_match_case_and_accent_insensitively() {
    check_all(
        City,
        None,
        &[
            ("New in Las Vegas!", &["Las Vegas => Las Vegas"]),
            (
                "São Paulo, SAO PAULO, sao paulo",
                &["São Paulo => São Paulo", "SAO PAULO => São Paulo", "sao paulo => São Paulo"],
            ),
            ("visiting NYC and New York City", &["NYC => New York", "New York City => New York"]),
            ("Ciudad de México / CDMX", &["Ciudad de México => Ciudad de México", "CDMX => Ciudad de México"]),
            ("Lisbon or Lisboa", &["Lisbon => Lisboa", "Lisboa => Lisboa"]),
            ("kerja di jakarta selatan", &["jakarta selatan => Jakarta"]),
            ("MONTRÉAL et Québec", &["MONTRÉAL => Montreal", "Québec => Quebec City"]),
        ],
    );
}

#[test]
fn common_words_need_a_capital_and_words_need_boundaries() {
    check_all(
        City,
        None,
        &[
            ("have a nice day", &[]),
            ("back from Nice", &["Nice => Nice"]),
            ("el rio y la paz", &[]),
            ("Rio and La Paz", &["Rio => Rio de Janeiro", "La Paz => La Paz"]),
            ("a Parisian style", &[]),
            ("see www.lasvegas-escorts.example/paris", &[]),
            ("mail paris@example.com", &[]),
        ],
    );
}

#[test]
fn countries_come_from_the_gazetteer() {
    assert_eq!(city_country("Las Vegas"), Some("US"));
    assert_eq!(city_country("Jakarta"), Some("ID"));
    assert_eq!(city_country("Atlantis"), None);
}
