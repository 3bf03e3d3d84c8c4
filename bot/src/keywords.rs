//! The opt-out, opt-in and help keywords: STOP, START, HELP and their translations.
//!
//! A keyword counts only when it is the whole message (ignoring case, accents, punctuation and a
//! leading `/`), the way SMS carriers apply them: "STOP", "stop.", "/stop", "Arrête !" and
//! "please stop" opt out; "stop asking me that" or "para mañana" do not. The lists cover the
//! carriers' own keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE; START,
//! UNSTOP; HELP, INFO) and the usual words in every supported language.

use crate::phrases::Normalized;

/// What a keyword asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Keyword {
    /// Send nothing more to this chat.
    Stop,
    /// Undo a STOP.
    Start,
    /// Send the help message (hotline and safe options).
    Help,
}

/// (keyword, language, whole-message forms after normalisation).
const KEYWORDS: &[(Keyword, &str, &[&str])] = &[
    (
        Keyword::Stop,
        "en",
        &[
            "stop",
            "stopall",
            "stop all",
            "unsubscribe",
            "cancel",
            "end",
            "quit",
            "optout",
            "opt out",
            "revoke",
            "stop please",
            "please stop",
            "stop it",
            "stop messaging me",
            "stop texting me",
        ],
    ),
    (Keyword::Stop, "es", &["para", "parar", "pare", "alto", "basta", "baja", "cancelar", "para por favor"]),
    (Keyword::Stop, "fr", &["arrete", "arreter", "arretez", "stop svp", "desabonner", "desinscrire"]),
    (Keyword::Stop, "pt", &["pare", "parar", "sair", "cancelar", "pare por favor"]),
    (Keyword::Stop, "id", &["berhenti", "stop dong", "berhenti langganan"]),
    (Keyword::Start, "en", &["start", "unstop", "subscribe", "resume"]),
    (Keyword::Start, "es", &["empezar", "reanudar", "alta"]),
    (Keyword::Start, "fr", &["reprendre", "demarrer"]),
    (Keyword::Start, "pt", &["iniciar", "retomar"]),
    (Keyword::Start, "id", &["mulai", "lanjut"]),
    (Keyword::Help, "en", &["help", "info", "sos", "help please", "please help"]),
    (Keyword::Help, "es", &["ayuda", "auxilio", "socorro", "ayuda por favor"]),
    (Keyword::Help, "fr", &["aide", "au secours", "aidez moi", "aide moi"]),
    (Keyword::Help, "pt", &["ajuda", "socorro", "me ajuda", "ajuda por favor"]),
    (Keyword::Help, "id", &["bantuan", "tolong", "tolong saya", "tolong aku"]),
];

/// The keyword a whole message is, with the language of the form that matched.
pub fn keyword(text: &str) -> Option<(Keyword, &'static str)> {
    // Long messages are never keywords; skip normalising them.
    if text.len() > 64 {
        return None;
    }
    let n = Normalized::new(text);
    let words = n.as_str();
    if words.is_empty() {
        return None;
    }
    KEYWORDS.iter().find_map(|(k, lang, forms)| forms.contains(&words).then_some((*k, *lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_messages_only_in_any_case_and_punctuation() {
        for stop in
            ["STOP", "stop", "Stop.", "/stop", " unsubscribe ", "PARA", "pare", "Arrête !", "arrete", "BERHENTI"]
        {
            assert_eq!(keyword(stop).map(|k| k.0), Some(Keyword::Stop), "{stop:?}");
        }
        for start in ["START", "start", "Unstop", "/start"] {
            assert_eq!(keyword(start).map(|k| k.0), Some(Keyword::Start), "{start:?}");
        }
        assert_eq!(keyword("HELP"), Some((Keyword::Help, "en")));
        assert_eq!(keyword("¡Ayuda!"), Some((Keyword::Help, "es")));
        assert_eq!(keyword("tolong"), Some((Keyword::Help, "id")));
        for not in ["stop asking me that", "para mañana?", "how much to start", "", "?!", "help me relax"] {
            assert_eq!(keyword(not), None, "{not:?}");
        }
    }

    #[test]
    fn no_form_is_listed_for_two_keywords() {
        let mut seen = std::collections::HashMap::new();
        for (k, _, forms) in KEYWORDS {
            for f in *forms {
                assert_eq!(crate::phrases::normalize_phrase(f), *f, "forms are written normalised");
                if let Some(other) = seen.insert(*f, *k) {
                    assert_eq!(other, *k, "{f:?}");
                }
            }
        }
    }
}
