//! The bot's own sentences for the job-ad check, in every supported language.
//!
//! Decoy replies come from the persona file; these are the few fixed sentences around a check (the
//! prompt, help, errors and the closing note), shown in the user's language: the language their app
//! reports, else the language of what they wrote, else English.

/// A fixed sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Asks for the ad text after a bare `/check`.
    CheckPrompt,
    /// What the job-check bot does (`/start`, `/help` in check mode).
    CheckHelp,
    /// The message is too short to be an ad.
    CheckTooShort,
    /// The message is not text the classifier can read.
    CheckUnreadable,
    /// Follows every report.
    CheckFooter,
    /// Something failed on our side.
    CheckFailed,
}

const TEXTS: &[(&str, [&str; 6])] = &[
    (
        "en",
        [
            "Send me the text of the job ad you want to check (copy and paste it).",
            "I check job ads for signs of fraud and human trafficking. Paste the text of a job ad and I will tell \
             you what looks wrong and how to stay safe. I do not keep what you send.",
            "That looks too short to be a job ad. Please paste the whole text of the ad.",
            "I could not read that as text. Please paste the text of the ad.",
            "Nothing you sent has been stored. If you are in danger, call your local emergency number.",
            "Sorry, the check failed. Please try again later.",
        ],
    ),
    (
        "es",
        [
            "Envíame el texto del anuncio de trabajo que quieres revisar (cópialo y pégalo).",
            "Reviso anuncios de trabajo en busca de señales de fraude y trata de personas. Pega el texto de un \
             anuncio y te diré qué parece sospechoso y cómo protegerte. No guardo lo que envías.",
            "Eso parece demasiado corto para ser un anuncio de trabajo. Pega el texto completo del anuncio.",
            "No pude leer eso como texto. Pega el texto del anuncio.",
            "No se ha guardado nada de lo que enviaste. Si estás en peligro, llama al número de emergencias local.",
            "Lo siento, la revisión falló. Inténtalo de nuevo más tarde.",
        ],
    ),
    (
        "fr",
        [
            "Envoyez-moi le texte de l'offre d'emploi à vérifier (copiez-collez-le).",
            "Je vérifie les offres d'emploi pour repérer les signes d'arnaque et de traite des êtres humains. \
             Collez le texte d'une offre et je vous dirai ce qui semble suspect et comment vous protéger. Je ne \
             garde pas ce que vous envoyez.",
            "C'est trop court pour une offre d'emploi. Collez le texte complet de l'offre.",
            "Je n'ai pas pu lire cela comme du texte. Collez le texte de l'offre.",
            "Rien de ce que vous avez envoyé n'a été enregistré. Si vous êtes en danger, appelez le numéro \
             d'urgence local.",
            "Désolé, la vérification a échoué. Réessayez plus tard.",
        ],
    ),
    (
        "pt",
        [
            "Envie-me o texto do anúncio de emprego que você quer verificar (copie e cole).",
            "Eu verifico anúncios de emprego em busca de sinais de fraude e tráfico de pessoas. Cole o texto de \
             um anúncio e eu direi o que parece suspeito e como se proteger. Não guardo o que você envia.",
            "Isso parece curto demais para ser um anúncio de emprego. Cole o texto completo do anúncio.",
            "Não consegui ler isso como texto. Cole o texto do anúncio.",
            "Nada do que você enviou foi guardado. Se estiver em perigo, ligue para o número de emergência local.",
            "Desculpe, a verificação falhou. Tente novamente mais tarde.",
        ],
    ),
    (
        "id",
        [
            "Kirimkan teks iklan lowongan kerja yang ingin Anda periksa (salin dan tempel).",
            "Saya memeriksa iklan lowongan kerja untuk tanda-tanda penipuan dan perdagangan orang. Tempel teks \
             iklan dan saya akan memberi tahu apa yang mencurigakan dan cara melindungi diri. Saya tidak menyimpan \
             apa yang Anda kirim.",
            "Itu terlalu pendek untuk sebuah iklan lowongan. Tempel seluruh teks iklannya.",
            "Saya tidak bisa membacanya sebagai teks. Tempel teks iklannya.",
            "Tidak ada yang Anda kirim yang disimpan. Jika Anda dalam bahaya, hubungi nomor darurat setempat.",
            "Maaf, pemeriksaan gagal. Coba lagi nanti.",
        ],
    ),
];

impl Msg {
    fn index(self) -> usize {
        match self {
            Msg::CheckPrompt => 0,
            Msg::CheckHelp => 1,
            Msg::CheckTooShort => 2,
            Msg::CheckUnreadable => 3,
            Msg::CheckFooter => 4,
            Msg::CheckFailed => 5,
        }
    }

    /// The sentence in `lang`, English when `lang` is not supported.
    pub fn text(self, lang: &str) -> &'static str {
        let row = TEXTS.iter().find(|(l, _)| *l == lang).unwrap_or(&TEXTS[0]);
        row.1[self.index()]
    }
}

/// The user's language: the app's language when supported, else the language of `text` when detected
/// and supported, else English.
pub fn user_language(hint: Option<&str>, text: &str) -> &'static str {
    let supported = |c: &str| redflag_core::lang::SUPPORTED.iter().copied().find(|s| *s == c);
    if let Some(h) = hint.map(|h| h.split(['-', '_']).next().unwrap_or(h).to_ascii_lowercase())
        && let Some(s) = supported(&h)
    {
        return s;
    }
    redflag_core::lang::detect(text).and_then(|d| supported(d.code)).unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_sentence_and_none_is_denied() {
        assert_eq!(TEXTS.len(), redflag_core::lang::SUPPORTED.len());
        for (lang, texts) in TEXTS {
            assert!(redflag_core::lang::SUPPORTED.contains(lang));
            for t in texts {
                assert!(!t.trim().is_empty());
                assert_eq!(crate::denylist::denied_word(t), None, "{lang}: {t}");
            }
        }
        assert_eq!(Msg::CheckPrompt.text("de"), Msg::CheckPrompt.text("en"));
    }

    #[test]
    fn the_app_language_wins_over_the_text() {
        assert_eq!(user_language(Some("pt-BR"), "hello there, how are you"), "pt");
        assert_eq!(user_language(Some("de"), "Hola, busco trabajo en la ciudad para el mes que viene"), "es");
        assert_eq!(user_language(None, ""), "en");
    }
}
