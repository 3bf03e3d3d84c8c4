//! Stated ages in five languages, and numbers of years that are not ages.

use redflag_core::extract::EntityKind::Age;

use crate::support::check_all;

#[test]
fn ages_in_five_languages() {
    check_all(
        Age,
        None,
        &[
            ("I'm 22 years old", &["22 years old => 22"]),
            ("a 22-year-old girl", &["22-year-old => 22"]),
            ("age 22", &["age 22 => 22"]),
            ("Age: 22", &["Age: 22 => 22"]),
            ("22 yo", &["22 yo => 22"]),
            ("22yo", &["22yo => 22"]),
            ("22 y.o.", &["22 y.o. => 22"]),
            ("22yrs", &["22yrs => 22"]),
            ("edad: 22", &["edad: 22 => 22"]),
            ("tengo 22 años", &["22 años => 22"]),
            ("j'ai 22 ans", &["22 ans => 22"]),
            ("âge : 22", &["âge : 22 => 22"]),
            ("tenho 22 anos de idade", &["22 anos => 22"]),
            ("idade 22", &["idade 22 => 22"]),
            ("umur 22", &["umur 22 => 22"]),
            ("usia 22 tahun", &["usia 22 => 22"]),
            ("saya 22 tahun", &["22 tahun => 22"]),
        ],
    );
}

#[test]
fn years_that_are_not_ages() {
    check_all(
        Age,
        None,
        &[
            ("15 years of experience", &[]),
            ("20 años de experiencia", &[]),
            ("hace 20 años", &[]),
            ("depuis 15 ans", &[]),
            ("selama 20 tahun", &[]),
            ("edad 18 a 35 años", &[]),
            ("aged 18-35", &[]),
            ("usia 18-35 tahun", &[]),
            ("age 12", &[]),
            ("I am 102 years old", &[]),
            ("call 702 555 0148 22 years", &[]),
        ],
    );
}
