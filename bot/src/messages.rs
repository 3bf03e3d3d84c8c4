//! The bot's own sentences, in every supported language: around a job-ad check, and for the safety
//! paths every bot shares.
//!
//! Decoy replies come from the persona file; these are the few fixed sentences around a check (the
//! prompt, help, errors and the closing note), shown in the user's language: the language their app
//! reports, else the language of what they wrote, else English. The safety sentences are the help
//! message for people who ask for help (with the persona's hotline, emergency number and safe options
//! for the country filled in), its one follow-up, and the acknowledgements of STOP and START. They are
//! built in rather than written per persona so that they are reviewed once, stay short and plain, and
//! exist in every language from the start.

use crate::persona::HelpLine;

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

/// A safety sentence, with `{hotline}` and `{emergency}` where the help line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Safety {
    Help,
    HelpFollowUp,
    HelpGeneric,
    OptOut,
    OptOutHotline,
    OptIn,
    CheckHotline,
}

const SAFETY: &[(&str, [&str; 7])] = &[
    (
        "en",
        [
            "This is an automated account, not a person. If you need help or want to get out, you can get free, \
             confidential support without giving your name: {hotline}. If you are in danger right now, call \
             {emergency}. You can delete these messages.",
            "This account is automated and cannot reply further. Free, confidential support: {hotline}. In danger \
             right now: call {emergency}.",
            "This is an automated account, not a person. If you need help or are in danger, call your local \
             emergency number.",
            "You will get no more messages from this account. Write START to undo this.",
            " If you ever need help: {hotline}.",
            "Messages from this account are on again. Write STOP to turn them off.",
            "Free, confidential help if you are being exploited or want to leave a job: {hotline}. In danger right \
             now: call {emergency}.",
        ],
    ),
    (
        "es",
        [
            "Esta es una cuenta automática, no una persona. Si necesitas ayuda o quieres salir de esto, hay apoyo \
             gratuito y confidencial, sin dar tu nombre: {hotline}. Si estás en peligro ahora mismo, llama al \
             {emergency}. Puedes borrar estos mensajes.",
            "Esta cuenta es automática y no puede responder más. Apoyo gratuito y confidencial: {hotline}. Si estás \
             en peligro ahora mismo, llama al {emergency}.",
            "Esta es una cuenta automática, no una persona. Si necesitas ayuda o estás en peligro, llama al número \
             de emergencias local.",
            "No recibirás más mensajes de esta cuenta. Escribe START para deshacerlo.",
            " Si alguna vez necesitas ayuda: {hotline}.",
            "Los mensajes de esta cuenta vuelven a estar activos. Escribe STOP para desactivarlos.",
            "Ayuda gratuita y confidencial si te están explotando o quieres dejar un trabajo: {hotline}. Si estás en \
             peligro ahora mismo, llama al {emergency}.",
        ],
    ),
    (
        "fr",
        [
            "Ceci est un compte automatique, pas une personne. Si vous avez besoin d'aide ou voulez vous en sortir, \
             un soutien gratuit et confidentiel existe, sans donner votre nom : {hotline}. En cas de danger \
             immédiat, appelez le {emergency}. Vous pouvez effacer ces messages.",
            "Ce compte est automatique et ne peut pas répondre davantage. Soutien gratuit et confidentiel : \
             {hotline}. En cas de danger immédiat : {emergency}.",
            "Ceci est un compte automatique, pas une personne. Si vous avez besoin d'aide ou êtes en danger, \
             appelez le numéro d'urgence local.",
            "Vous ne recevrez plus de messages de ce compte. Écrivez START pour annuler.",
            " Si vous avez besoin d'aide : {hotline}.",
            "Les messages de ce compte sont réactivés. Écrivez STOP pour les arrêter.",
            "Aide gratuite et confidentielle si vous êtes exploité(e) ou voulez quitter un emploi : {hotline}. En \
             cas de danger immédiat : {emergency}.",
        ],
    ),
    (
        "pt",
        [
            "Esta é uma conta automática, não uma pessoa. Se você precisa de ajuda ou quer sair dessa situação, há \
             apoio gratuito e confidencial, sem dar seu nome: {hotline}. Se estiver em perigo agora, ligue \
             {emergency}. Você pode apagar estas mensagens.",
            "Esta conta é automática e não pode responder mais. Apoio gratuito e confidencial: {hotline}. Em perigo \
             agora: ligue {emergency}.",
            "Esta é uma conta automática, não uma pessoa. Se precisar de ajuda ou estiver em perigo, ligue para o \
             número de emergência local.",
            "Você não receberá mais mensagens desta conta. Escreva START para desfazer.",
            " Se precisar de ajuda: {hotline}.",
            "As mensagens desta conta foram reativadas. Escreva STOP para desativá-las.",
            "Ajuda gratuita e confidencial se você está sendo explorado(a) ou quer deixar um trabalho: {hotline}. \
             Em perigo agora: ligue {emergency}.",
        ],
    ),
    (
        "id",
        [
            "Ini akun otomatis, bukan orang. Jika Anda butuh bantuan atau ingin keluar dari situasi ini, ada \
             dukungan gratis dan rahasia, tanpa perlu menyebut nama: {hotline}. Jika Anda dalam bahaya sekarang, \
             hubungi {emergency}. Anda bisa menghapus pesan-pesan ini.",
            "Akun ini otomatis dan tidak bisa membalas lagi. Dukungan gratis dan rahasia: {hotline}. Dalam bahaya \
             sekarang: hubungi {emergency}.",
            "Ini akun otomatis, bukan orang. Jika Anda butuh bantuan atau dalam bahaya, hubungi nomor darurat \
             setempat.",
            "Anda tidak akan menerima pesan lagi dari akun ini. Tulis START untuk membatalkannya.",
            " Jika butuh bantuan: {hotline}.",
            "Pesan dari akun ini aktif kembali. Tulis STOP untuk menghentikannya.",
            "Bantuan gratis dan rahasia jika Anda dieksploitasi atau ingin keluar dari pekerjaan: {hotline}. Dalam \
             bahaya sekarang: hubungi {emergency}.",
        ],
    ),
];

impl Safety {
    fn template(self, lang: &str) -> &'static str {
        let row = SAFETY.iter().find(|(l, _)| *l == lang).unwrap_or(&SAFETY[0]);
        let i = match self {
            Safety::Help => 0,
            Safety::HelpFollowUp => 1,
            Safety::HelpGeneric => 2,
            Safety::OptOut => 3,
            Safety::OptOutHotline => 4,
            Safety::OptIn => 5,
            Safety::CheckHotline => 6,
        };
        row.1[i]
    }

    fn fill(self, lang: &str, line: &HelpLine) -> String {
        self.template(lang).replace("{hotline}", &line.hotline).replace("{emergency}", &line.emergency)
    }
}

/// The help message for someone who asks for help, in `lang` (English when not supported): the hotline,
/// the emergency number and the safe options of `line`, or a generic pointer to the local emergency
/// number without one.
pub fn help_text(lang: &str, line: Option<&HelpLine>) -> String {
    let Some(line) = line else { return Safety::HelpGeneric.template(lang).to_string() };
    let mut s = Safety::Help.fill(lang, line);
    if let Some(safe) = line.safe.get(lang) {
        s.push(' ');
        s.push_str(safe);
    }
    s
}

/// The one reply to a later message from someone who was sent the help message.
pub fn help_follow_up_text(lang: &str, line: Option<&HelpLine>) -> String {
    match line {
        Some(line) => Safety::HelpFollowUp.fill(lang, line),
        None => Safety::HelpGeneric.template(lang).to_string(),
    }
}

/// The acknowledgement of STOP, with the hotline when there is one.
pub fn opt_out_text(lang: &str, line: Option<&HelpLine>) -> String {
    let mut s = Safety::OptOut.template(lang).to_string();
    if let Some(line) = line {
        s.push_str(&Safety::OptOutHotline.fill(lang, line));
    }
    s
}

/// The acknowledgement of START after a STOP.
pub fn opt_in_text(lang: &str) -> &'static str {
    Safety::OptIn.template(lang)
}

/// The line with the hotline that the job-ad check adds to its closing note, when one is configured.
pub fn check_hotline_text(lang: &str, line: &HelpLine) -> String {
    Safety::CheckHotline.fill(lang, line)
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
    // The same identification that chooses the classifier's patterns, so a check is answered in the
    // language it was scored in.
    redflag_core::lang::identify(text).message_language()
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
    fn every_language_has_every_safety_sentence_and_none_is_denied() {
        assert_eq!(SAFETY.len(), redflag_core::lang::SUPPORTED.len());
        let line = HelpLine { hotline: "Line 0800".into(), emergency: "112".into(), safe: Default::default() };
        for (lang, texts) in SAFETY {
            assert!(redflag_core::lang::SUPPORTED.contains(lang));
            for t in texts {
                assert!(!t.trim().is_empty());
                assert_eq!(crate::denylist::denied_word(t), None, "{lang}: {t}");
            }
            for t in [help_text(lang, Some(&line)), help_follow_up_text(lang, Some(&line))] {
                assert!(t.contains("Line 0800") && t.contains("112") && !t.contains('{'), "{lang}: {t}");
            }
            assert!(opt_out_text(lang, Some(&line)).contains("START") && opt_out_text(lang, None).contains("START"));
            assert!(opt_in_text(lang).contains("STOP"));
            // The help message reads as help, not as a keyword or a buyer's words.
            assert!(crate::keywords::keyword(&help_text(lang, None)).is_none());
        }
    }

    #[test]
    fn the_app_language_wins_over_the_text() {
        assert_eq!(user_language(Some("pt-BR"), "hello there, how are you"), "pt");
        assert_eq!(user_language(Some("de"), "Hola, busco trabajo en la ciudad para el mes que viene"), "es");
        assert_eq!(user_language(None, ""), "en");
    }
}
