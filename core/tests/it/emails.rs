//! E-mail addresses: plain, bracketed, spaced and spelled out, in five languages.

use redflag_core::extract::EntityKind::Email;

use crate::support::check_all;

#[test]
fn plain_addresses_are_lowercased_and_not_obfuscated() {
    check_all(
        Email,
        None,
        &[
            ("write to Jane.Doe@Example.COM today", &["Jane.Doe@Example.COM => jane.doe@example.com"]),
            ("jane_d+ads@mail.example.co.uk.", &["jane_d+ads@mail.example.co.uk => jane_d+ads@mail.example.co.uk"]),
            ("(jobs@agency.example)", &["jobs@agency.example => jobs@agency.example"]),
            ("a@b.com,c@d.org", &["a@b.com => a@b.com", "c@d.org => c@d.org"]),
        ],
    );
}

#[test]
fn bracketed_and_spaced_forms_in_five_languages() {
    check_all(
        Email,
        None,
        &[
            ("jane [at] gmail [dot] com", &["jane [at] gmail [dot] com => jane@gmail.com *"]),
            ("jane(at)gmail(dot)com", &["jane(at)gmail(dot)com => jane@gmail.com *"]),
            ("jane{at}gmail{.}com", &["jane{at}gmail{.}com => jane@gmail.com *"]),
            ("jane <at> gmail <dot> com", &["jane <at> gmail <dot> com => jane@gmail.com *"]),
            ("jane[@]gmail.com", &["jane[@]gmail.com => jane@gmail.com *"]),
            ("jane @ gmail . com", &["jane @ gmail . com => jane@gmail.com *"]),
            ("JANE [AT] GMAIL [DOT] COM", &["JANE [AT] GMAIL [DOT] COM => jane@gmail.com *"]),
            ("correo: ana [arroba] correo [punto] es", &["ana [arroba] correo [punto] es => ana@correo.es *"]),
            (
                "courriel : marie (arobase) orange (point) fr",
                &["marie (arobase) orange (point) fr => marie@orange.fr *"],
            ),
            (
                "email: joao [arroba] uol [ponto] com [ponto] br",
                &["joao [arroba] uol [ponto] com [ponto] br => joao@uol.com.br *"],
            ),
            (
                "kirim CV: budi [at] yahoo [titik] co [titik] id",
                &["budi [at] yahoo [titik] co [titik] id => budi@yahoo.co.id *"],
            ),
            ("jane@gmail[dot]com", &["jane@gmail[dot]com => jane@gmail.com *"]),
        ],
    );
}

#[test]
fn bare_words_need_context_or_a_known_provider() {
    check_all(
        Email,
        None,
        &[
            ("email me: jane at example dot com", &["jane at example dot com => jane@example.com *"]),
            ("jane at gmail dot com", &["jane at gmail dot com => jane@gmail.com *"]),
            ("escríbeme: ana arroba hotmail punto es", &["ana arroba hotmail punto es => ana@hotmail.es *"]),
            ("mail me: jane at protonmail dot com. see you", &["jane at protonmail dot com => jane@protonmail.com *"]),
            ("meet me at the bar dot com", &[]),
            ("stay at hotel dot com tonight", &[]),
            ("jane at example dot com", &[]),
            ("jane at gmail dot whatever", &[]),
        ],
    );
}
