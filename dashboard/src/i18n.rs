//! The public check page's words in the languages Redflag supports (English, Spanish, French,
//! Portuguese, Indonesian), and picking one from a switch or the browser's `Accept-Language`.
//!
//! The red flags' titles, explanations and safety tips come from the classifier in the same language;
//! this module holds only the page's own words.

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// Indonesian.
    Id,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::Id];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::Id => "id",
        }
    }

    /// Parses a code or tag (`pt`, `pt-BR`, `ID`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language from an explicit choice, else the best match in `Accept-Language`, else English.
    pub fn negotiate(choice: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(l) = choice.and_then(Lang::parse) {
            return l;
        }
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, item) in accept_language.unwrap_or("").split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else { continue };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            // Highest q wins; on a tie, the one listed first.
            if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map(|(_, _, l)| l).unwrap_or(Lang::En)
    }

    /// The page's words in this language.
    pub fn ui(self) -> &'static Ui {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
            Lang::Fr => &FR,
            Lang::Pt => &PT,
            Lang::Id => &ID,
        }
    }
}

/// The check page's words.
#[derive(Debug)]
pub struct Ui {
    /// The language's own name, for the switch.
    pub name: &'static str,
    /// Page title.
    pub title: &'static str,
    /// What the page does.
    pub intro: &'static str,
    /// Label of the text box.
    pub text_label: &'static str,
    /// Placeholder of the text box.
    pub text_placeholder: &'static str,
    /// Between the two inputs.
    pub or: &'static str,
    /// Label of the URL box.
    pub url_label: &'static str,
    /// The opt-in box.
    pub share_label: &'static str,
    /// The button.
    pub submit: &'static str,
    /// Verdict: nothing stands out.
    pub verdict_legit: &'static str,
    /// Verdict: some warning signs.
    pub verdict_suspicious: &'static str,
    /// Verdict: strong warning signs.
    pub verdict_fraud: &'static str,
    /// "Risk".
    pub risk: &'static str,
    /// Heading of the red flags.
    pub flags_title: &'static str,
    /// When no flag fired.
    pub no_flags: &'static str,
    /// Before a quote from the ad.
    pub in_the_ad: &'static str,
    /// Heading of the tips.
    pub tips_title: &'static str,
    /// Where to get help.
    pub help: &'static str,
    /// The check's limits.
    pub disclaimer: &'static str,
    /// After a check without opt-in.
    pub not_stored: &'static str,
    /// After a check with opt-in.
    pub stored: &'static str,
    /// Link back to the form.
    pub again: &'static str,
    /// Nothing was entered.
    pub err_empty: &'static str,
    /// The URL could not be fetched.
    pub err_fetch: &'static str,
    /// Too many checks.
    pub err_rate: &'static str,
    /// Too many checks running at once, from everyone.
    pub err_busy: &'static str,
    /// The check failed on our side.
    pub err_internal: &'static str,
    /// The ad's language is not covered by the language-specific checks.
    pub language_note: &'static str,
    /// The input was cut.
    pub truncated: &'static str,
    /// Label of the language switch.
    pub language: &'static str,
}

static EN: Ui = Ui {
    name: "English",
    title: "Is this job offer safe?",
    intro: "Paste a job ad, or its web address, and we will look for common signs of scams and exploitation. \
        It is free and you do not need an account.",
    text_label: "Text of the ad",
    text_placeholder: "Paste the whole ad here, including the contact details",
    or: "or",
    url_label: "Web address of the ad",
    share_label: "Share this ad with the Redflag team to help protect others. If you leave this unticked, \
        nothing you paste is kept.",
    submit: "Check this ad",
    verdict_legit: "No common warning signs found",
    verdict_suspicious: "Some warning signs: be careful",
    verdict_fraud: "Strong warning signs of a scam or exploitation",
    risk: "Risk",
    flags_title: "Warning signs we found",
    no_flags: "We found none of the common warning signs. That does not prove the offer is safe.",
    in_the_ad: "In the ad:",
    tips_title: "How to stay safe",
    help: "If you or someone you know is forced to work, cannot leave, or has had their documents taken, \
        contact the local emergency number or an anti-trafficking hotline.",
    disclaimer: "This is an automatic check and it can be wrong. It is not legal advice.",
    not_stored: "Nothing you pasted was stored.",
    stored: "Thank you. The ad was shared with the Redflag team.",
    again: "Check another ad",
    err_empty: "Paste the text of an ad or its web address.",
    err_fetch: "We could not open that web address. Paste the text of the ad instead.",
    err_rate: "Too many checks from your connection. Please wait a minute and try again.",
    err_busy: "Many people are checking ads right now. Please try again in a minute.",
    err_internal: "Something went wrong on our side. Please try again later.",
    language_note: "The ad seems to be in a language we check less thoroughly, so some warning signs may be missed.",
    truncated: "The ad was very long; only its beginning was checked.",
    language: "Language",
};

static ES: Ui = Ui {
    name: "Español",
    title: "¿Es segura esta oferta de trabajo?",
    intro: "Pegue un anuncio de trabajo o su dirección web y buscaremos señales comunes de estafa y explotación. \
        Es gratis y no necesita cuenta.",
    text_label: "Texto del anuncio",
    text_placeholder: "Pegue aquí el anuncio completo, con los datos de contacto",
    or: "o",
    url_label: "Dirección web del anuncio",
    share_label: "Compartir este anuncio con el equipo de Redflag para ayudar a proteger a otras personas. \
        Si no marca esta casilla, no se guarda nada de lo que pegue.",
    submit: "Revisar este anuncio",
    verdict_legit: "No encontramos señales de alerta comunes",
    verdict_suspicious: "Algunas señales de alerta: tenga cuidado",
    verdict_fraud: "Señales fuertes de estafa o explotación",
    risk: "Riesgo",
    flags_title: "Señales de alerta encontradas",
    no_flags: "No encontramos ninguna de las señales de alerta comunes. Eso no prueba que la oferta sea segura.",
    in_the_ad: "En el anuncio:",
    tips_title: "Cómo protegerse",
    help: "Si usted o alguien que conoce está obligado a trabajar, no puede irse o le quitaron sus documentos, \
        llame al número de emergencias local o a una línea contra la trata de personas.",
    disclaimer: "Esta es una revisión automática y puede equivocarse. No es asesoría legal.",
    not_stored: "No se guardó nada de lo que pegó.",
    stored: "Gracias. El anuncio se compartió con el equipo de Redflag.",
    again: "Revisar otro anuncio",
    err_empty: "Pegue el texto de un anuncio o su dirección web.",
    err_fetch: "No pudimos abrir esa dirección web. Pegue el texto del anuncio.",
    err_rate: "Demasiadas revisiones desde su conexión. Espere un minuto e inténtelo de nuevo.",
    err_busy: "Mucha gente está revisando anuncios ahora mismo. Inténtelo de nuevo en un minuto.",
    err_internal: "Algo falló de nuestro lado. Inténtelo más tarde.",
    language_note: "El anuncio parece estar en un idioma que revisamos con menos detalle; pueden faltar señales de alerta.",
    truncated: "El anuncio era muy largo; solo se revisó el comienzo.",
    language: "Idioma",
};

static FR: Ui = Ui {
    name: "Français",
    title: "Cette offre d'emploi est-elle sûre ?",
    intro: "Collez une offre d'emploi ou son adresse web : nous cherchons les signes courants d'arnaque et \
        d'exploitation. C'est gratuit et sans compte.",
    text_label: "Texte de l'annonce",
    text_placeholder: "Collez ici l'annonce entière, avec les coordonnées",
    or: "ou",
    url_label: "Adresse web de l'annonce",
    share_label: "Partager cette annonce avec l'équipe Redflag pour aider à protéger d'autres personnes. \
        Si vous ne cochez pas cette case, rien de ce que vous collez n'est conservé.",
    submit: "Vérifier cette annonce",
    verdict_legit: "Aucun signal d'alerte courant trouvé",
    verdict_suspicious: "Quelques signaux d'alerte : soyez prudent",
    verdict_fraud: "Forts signaux d'arnaque ou d'exploitation",
    risk: "Risque",
    flags_title: "Signaux d'alerte trouvés",
    no_flags: "Nous n'avons trouvé aucun des signaux d'alerte courants. Cela ne prouve pas que l'offre est sûre.",
    in_the_ad: "Dans l'annonce :",
    tips_title: "Comment vous protéger",
    help: "Si vous ou un proche êtes forcé de travailler, ne pouvez pas partir ou vous êtes fait confisquer vos \
        papiers, appelez le numéro d'urgence local ou une ligne d'aide contre la traite des êtres humains.",
    disclaimer: "Cette vérification est automatique et peut se tromper. Ce n'est pas un conseil juridique.",
    not_stored: "Rien de ce que vous avez collé n'a été conservé.",
    stored: "Merci. L'annonce a été partagée avec l'équipe Redflag.",
    again: "Vérifier une autre annonce",
    err_empty: "Collez le texte d'une annonce ou son adresse web.",
    err_fetch: "Nous n'avons pas pu ouvrir cette adresse web. Collez plutôt le texte de l'annonce.",
    err_rate: "Trop de vérifications depuis votre connexion. Attendez une minute puis réessayez.",
    err_busy: "Beaucoup de personnes vérifient des annonces en ce moment. Réessayez dans une minute.",
    err_internal: "Une erreur s'est produite de notre côté. Réessayez plus tard.",
    language_note: "L'annonce semble écrite dans une langue que nous vérifions moins en détail ; des signaux peuvent manquer.",
    truncated: "L'annonce était très longue ; seul son début a été vérifié.",
    language: "Langue",
};

static PT: Ui = Ui {
    name: "Português",
    title: "Esta oferta de emprego é segura?",
    intro: "Cole um anúncio de emprego ou o endereço dele e procuraremos sinais comuns de golpe e exploração. \
        É grátis e não precisa de conta.",
    text_label: "Texto do anúncio",
    text_placeholder: "Cole aqui o anúncio inteiro, com os contactos",
    or: "ou",
    url_label: "Endereço do anúncio na internet",
    share_label: "Partilhar este anúncio com a equipa Redflag para ajudar a proteger outras pessoas. \
        Se não marcar esta opção, nada do que colar é guardado.",
    submit: "Verificar este anúncio",
    verdict_legit: "Não encontrámos sinais de alerta comuns",
    verdict_suspicious: "Alguns sinais de alerta: tenha cuidado",
    verdict_fraud: "Sinais fortes de golpe ou exploração",
    risk: "Risco",
    flags_title: "Sinais de alerta encontrados",
    no_flags: "Não encontrámos nenhum dos sinais de alerta comuns. Isso não prova que a oferta é segura.",
    in_the_ad: "No anúncio:",
    tips_title: "Como se proteger",
    help: "Se você ou alguém que conhece é obrigado a trabalhar, não pode sair ou teve os documentos retidos, \
        ligue para o número de emergência local ou para uma linha de apoio contra o tráfico de pessoas.",
    disclaimer: "Esta é uma verificação automática e pode errar. Não é aconselhamento jurídico.",
    not_stored: "Nada do que colou foi guardado.",
    stored: "Obrigado. O anúncio foi partilhado com a equipa Redflag.",
    again: "Verificar outro anúncio",
    err_empty: "Cole o texto de um anúncio ou o endereço dele.",
    err_fetch: "Não conseguimos abrir esse endereço. Cole antes o texto do anúncio.",
    err_rate: "Demasiadas verificações a partir da sua ligação. Espere um minuto e tente de novo.",
    err_busy: "Muitas pessoas estão a verificar anúncios neste momento. Tente novamente daqui a um minuto.",
    err_internal: "Algo correu mal do nosso lado. Tente mais tarde.",
    language_note: "O anúncio parece estar numa língua que verificamos com menos detalhe; alguns sinais podem escapar.",
    truncated: "O anúncio era muito longo; só o início foi verificado.",
    language: "Língua",
};

static ID: Ui = Ui {
    name: "Bahasa Indonesia",
    title: "Apakah lowongan kerja ini aman?",
    intro: "Tempel iklan lowongan kerja atau alamat webnya, dan kami akan mencari tanda-tanda umum penipuan dan \
        eksploitasi. Gratis dan tanpa akun.",
    text_label: "Teks iklan",
    text_placeholder: "Tempel seluruh iklan di sini, termasuk kontaknya",
    or: "atau",
    url_label: "Alamat web iklan",
    share_label: "Bagikan iklan ini kepada tim Redflag untuk membantu melindungi orang lain. Jika tidak dicentang, \
        apa pun yang Anda tempel tidak disimpan.",
    submit: "Periksa iklan ini",
    verdict_legit: "Tidak ditemukan tanda bahaya yang umum",
    verdict_suspicious: "Ada beberapa tanda bahaya: berhati-hatilah",
    verdict_fraud: "Tanda kuat penipuan atau eksploitasi",
    risk: "Risiko",
    flags_title: "Tanda bahaya yang kami temukan",
    no_flags: "Kami tidak menemukan tanda bahaya yang umum. Itu tidak membuktikan bahwa tawaran ini aman.",
    in_the_ad: "Dalam iklan:",
    tips_title: "Cara tetap aman",
    help: "Jika Anda atau orang yang Anda kenal dipaksa bekerja, tidak boleh pergi, atau dokumennya ditahan, \
        hubungi nomor darurat setempat atau layanan pengaduan perdagangan orang.",
    disclaimer: "Ini pemeriksaan otomatis dan bisa salah. Ini bukan nasihat hukum.",
    not_stored: "Tidak ada yang Anda tempel yang disimpan.",
    stored: "Terima kasih. Iklan telah dibagikan kepada tim Redflag.",
    again: "Periksa iklan lain",
    err_empty: "Tempel teks iklan atau alamat webnya.",
    err_fetch: "Kami tidak dapat membuka alamat web itu. Tempel teks iklannya saja.",
    err_rate: "Terlalu banyak pemeriksaan dari koneksi Anda. Tunggu satu menit lalu coba lagi.",
    err_busy: "Banyak orang sedang memeriksa iklan saat ini. Coba lagi dalam satu menit.",
    err_internal: "Terjadi kesalahan di pihak kami. Coba lagi nanti.",
    language_note: "Iklan ini tampaknya dalam bahasa yang kurang lengkap kami periksa; beberapa tanda bahaya mungkin terlewat.",
    truncated: "Iklan ini sangat panjang; hanya bagian awalnya yang diperiksa.",
    language: "Bahasa",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_the_switch_then_the_browser() {
        let cases = [
            (Some("es"), Some("fr"), Lang::Es),
            (Some("pt-BR"), None, Lang::Pt),
            (Some("de"), Some("id-ID,id;q=0.9,en;q=0.5"), Lang::Id),
            (None, Some("fr-CA,fr;q=0.9,en;q=0.8"), Lang::Fr),
            (None, Some("de-DE,de;q=0.9,es;q=0.7,en;q=0.8"), Lang::En),
            (None, Some("en;q=0.2, pt;q=0.9"), Lang::Pt),
            (None, Some("es;q=0,fr;q=0.1"), Lang::Fr),
            (None, Some("tl, xx;q=bad"), Lang::En),
            (None, Some(""), Lang::En),
            (None, None, Lang::En),
        ];
        for (choice, accept, want) in cases {
            assert_eq!(Lang::negotiate(choice, accept), want, "{choice:?} {accept:?}");
        }
    }

    #[test]
    fn every_language_has_every_word() {
        for l in Lang::ALL {
            let u = l.ui();
            let words =
                [u.name, u.title, u.intro, u.submit, u.verdict_legit, u.verdict_suspicious, u.verdict_fraud, u.help];
            assert!(words.iter().all(|w| !w.trim().is_empty()), "{l:?}");
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
    }
}
