//! Every shipped bot configuration file loads, and says what its comments promise.

use redflag_bot::{Mode, Persona};

use crate::repo_file;

#[test]
fn every_shipped_persona_loads() {
    let dir = repo_file("config/bot");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            Persona::load(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n >= 2, "no persona files in {}", dir.display());
}

#[test]
fn the_example_decoy_is_private_by_default_and_speaks_five_languages() {
    let p = crate::persona();
    assert_eq!(p.mode, Mode::Decoy);
    assert!(!p.job_check, "a decoy should not answer /check");
    assert!(!p.privacy.transcripts);
    let langs: Vec<&str> = p.replies.keys().map(String::as_str).collect();
    assert_eq!(langs, ["en", "es", "fr", "id", "pt"]);
    for lang in langs {
        let d = p.deterrence(lang).unwrap();
        assert!(d.contains("Example Anti-Trafficking Network") && d.contains("https://example.org/stop"), "{lang}");
    }
    let check = Persona::load(&repo_file("config/bot/jobcheck.example.toml")).unwrap();
    assert_eq!(check.mode, Mode::Check);
}

#[test]
fn a_missing_file_names_its_path() {
    let e = Persona::load(std::path::Path::new("no/such/persona.toml")).unwrap_err().to_string();
    assert!(e.contains("no/such/persona.toml"), "{e}");
}
