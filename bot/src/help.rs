//! Finding people who ask for help: transparent rules, each detection with its evidence.
//!
//! Someone who writes to a decoy may be a worker or a victim. When a message reads like a request for
//! help, the engine drops the persona at once and answers with the hotline and safe options in the
//! writer's language ([`crate::engine`]); a help signal always wins over any buyer signal in the same
//! message. The rules are phrase lists per language for eight kinds of signal, written from how people
//! in exploitation ask for help, mostly in the first person:
//!
//! | signal | examples |
//! |---|---|
//! | [`HelpSignal::Asking`] | `please help me`, `call the police`, `ayúdame`, `au secours`, `me ajuda`, `tolong saya` |
//! | [`HelpSignal::Leaving`] | `I want to go home`, `can you get me out`, `no quiero estar aquí`, `je veux partir` |
//! | [`HelpSignal::Coercion`] | `not doing this by choice`, `they force me`, `me obligan`, `je n'ai pas le choix`, `saya dipaksa` |
//! | [`HelpSignal::Documents`] | `they took my passport`, `tienen mi pasaporte`, `paspor saya ditahan` |
//! | [`HelpSignal::Debt`] | `I owe them`, `mi deuda`, `je leur dois`, `minha dívida`, `hutang saya` |
//! | [`HelpSignal::Control`] | `they watch me`, `I can't leave`, `no me dejan salir`, `on me surveille`, `saya dikurung` |
//! | [`HelpSignal::NotPaid`] | `they don't pay me`, `no me pagan`, `je ne suis pas payée`, `saya tidak digaji` |
//! | [`HelpSignal::Underage`] | `I'm a minor`, `I'm 16 years old`, `soy menor de edad`, `j'ai 15 ans` |
//!
//! Phrases match as whole words after folding case and accents ([`crate::phrases`]), in every
//! language on every message. A negation right before a phrase cancels it ("I don't need help",
//! "no necesito ayuda"; see [`crate::negation`]), except before a plea ("no please help me"). A short
//! list of buyer look-alikes ("help me relax", "I want to leave early", "are you a cop") cancels the
//! help phrase it overlaps, so buyers are not sent hotlines by mistake; everything else that matches
//! counts, because when in doubt, help wins. A whole message that is a HELP keyword
//! ([`crate::keywords`]) is a request for help too. Each [`HelpDetection`] names its rule
//! (`help.leaving.es`, `help.keyword.en`) and its language, which is the language the answer is in.

use crate::keywords::{Keyword, keyword};
use crate::negation::negated;
use crate::phrases::{Normalized, PhraseSet, normalize_phrase};

/// A kind of help signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpSignal {
    /// Asking for help, rescue or the police.
    Asking,
    /// Wanting to leave, go home, get out.
    Leaving,
    /// Being forced, threatened or hurt; not by choice.
    Coercion,
    /// Passport or papers taken.
    Documents,
    /// A debt to the people in control.
    Debt,
    /// Being watched, locked in, not allowed to leave.
    Control,
    /// Not paid; money taken.
    NotPaid,
    /// The writer says they are under 18.
    Underage,
}

impl HelpSignal {
    /// The name used in rule ids.
    pub fn as_str(self) -> &'static str {
        match self {
            HelpSignal::Asking => "asking",
            HelpSignal::Leaving => "leaving",
            HelpSignal::Coercion => "coercion",
            HelpSignal::Documents => "documents",
            HelpSignal::Debt => "debt",
            HelpSignal::Control => "control",
            HelpSignal::NotPaid => "not_paid",
            HelpSignal::Underage => "underage",
        }
    }
}

/// The built-in help phrases: (language, signal, phrases). `{n}` stands for each age from 10 to 17.
pub const HELP_PHRASES: &[(&str, HelpSignal, &[&str])] = &[
    (
        "en",
        HelpSignal::Asking,
        &[
            "please help me",
            "help me please",
            "pls help me",
            "plz help me",
            "please help",
            "somebody help me",
            "someone help me",
            "someone please help",
            "i need help",
            "need help",
            "i need your help",
            "need your help",
            "help me escape",
            "help me get out",
            "help me leave",
            "help me get away",
            "get me out",
            "get me out of here",
            "take me out of here",
            "rescue me",
            "save me",
            "call the police",
            "call the cops",
            "call 911",
            "call 999",
            "call 112",
            "send the police",
            "i need the police",
            "tell the police",
        ],
    ),
    (
        "en",
        HelpSignal::Leaving,
        &[
            "i want to leave",
            "i want to go home",
            "i want to get out",
            "i want out",
            "i need to get out",
            "i need to get away",
            "i want to escape",
            "i need to escape",
            "how do i get out",
            "how can i get out",
            "how can i leave",
            "i want to stop doing this",
            "i dont want to do this",
            "i dont want to be here",
            "i do not want to be here",
            "dont want to do this anymore",
        ],
    ),
    (
        "en",
        HelpSignal::Coercion,
        &[
            "not by choice",
            "not my choice",
            "not doing this by choice",
            "not doing it by choice",
            "not here by choice",
            "i have no choice",
            "no choice",
            "against my will",
            "im forced",
            "i am forced",
            "im being forced",
            "i was forced",
            "they force me",
            "he forces me",
            "she forces me",
            "forced me",
            "forcing me",
            "they make me do",
            "he makes me do",
            "made me do this",
            "im scared",
            "i am scared",
            "im so scared",
            "im terrified",
            "they threaten",
            "threatened me",
            "threatens me",
            "they hurt me",
            "he hurts me",
            "he hits me",
            "he beats me",
            "they beat me",
            "trafficked",
            "they sold me",
            "sold me",
        ],
    ),
    (
        "en",
        HelpSignal::Documents,
        &[
            "took my passport",
            "taken my passport",
            "has my passport",
            "have my passport",
            "keeps my passport",
            "kept my passport",
            "holding my passport",
            "my passport",
            "took my papers",
            "my papers",
            "took my documents",
            "my documents",
            "took my id",
            "has my id",
        ],
    ),
    (
        "en",
        HelpSignal::Debt,
        &[
            "i owe them",
            "i owe him",
            "i owe her",
            "owe them money",
            "i have a debt",
            "my debt",
            "pay off the debt",
            "pay back the debt",
            "they say i owe",
            "until i pay",
        ],
    ),
    (
        "en",
        HelpSignal::Control,
        &[
            "they watch me",
            "they are watching me",
            "theyre watching me",
            "he watches me",
            "im being watched",
            "they wont let me",
            "he wont let me",
            "she wont let me",
            "they dont let me",
            "he doesnt let me",
            "not allowed to leave",
            "not allowed to go out",
            "i cant leave",
            "cant leave",
            "i cant go home",
            "locked in",
            "locked me",
            "lock me in",
            "im trapped",
            "i am trapped",
            "took my phone",
            "reads my messages",
            "my pimp",
            "my trafficker",
        ],
    ),
    (
        "en",
        HelpSignal::NotPaid,
        &[
            "they dont pay me",
            "they do not pay me",
            "he doesnt pay me",
            "i dont get paid",
            "i never get paid",
            "i never got paid",
            "not getting paid",
            "havent been paid",
            "they keep my money",
            "he keeps my money",
            "takes all my money",
            "take all my money",
            "took my money",
            "i dont get any money",
        ],
    ),
    (
        "en",
        HelpSignal::Underage,
        &[
            "im underage",
            "i am underage",
            "im a minor",
            "i am a minor",
            "im under 18",
            "i am under 18",
            "im not 18",
            "im {n} years old",
            "i am {n} years old",
            "im only {n}",
            "im {n} yo",
            "im {n}yo",
        ],
    ),
    (
        "es",
        HelpSignal::Asking,
        &[
            "ayudame",
            "ayudeme",
            "ayudenme",
            "necesito ayuda",
            "necesito tu ayuda",
            "necesito su ayuda",
            "auxilio",
            "socorro",
            "sacame de aqui",
            "saquenme de aqui",
            "rescatame",
            "llama a la policia",
            "llamen a la policia",
            "llamar a la policia",
            "necesito a la policia",
            "avisa a la policia",
        ],
    ),
    (
        "es",
        HelpSignal::Leaving,
        &[
            "quiero irme",
            "quiero salir de aqui",
            "quiero salir de esto",
            "quiero volver a casa",
            "quiero ir a casa",
            "quiero volver a mi pais",
            "quiero escapar",
            "necesito salir de aqui",
            "no quiero estar aqui",
            "no quiero hacer esto",
            "no quiero seguir con esto",
            "no quiero seguir haciendo esto",
            "como salgo de aqui",
            "quiero dejar esto",
        ],
    ),
    (
        "es",
        HelpSignal::Coercion,
        &[
            "me obligan",
            "me obligaron",
            "me obliga",
            "estoy obligada",
            "estoy obligado",
            "me fuerzan",
            "me forzaron",
            "no es por gusto",
            "no lo hago por gusto",
            "no por voluntad",
            "no es mi decision",
            "no tengo opcion",
            "no tengo otra opcion",
            "no tengo eleccion",
            "contra mi voluntad",
            "tengo miedo",
            "me amenazan",
            "me amenazaron",
            "me pegan",
            "me golpean",
            "me hacen dano",
            "me vendieron",
            "soy victima",
        ],
    ),
    (
        "es",
        HelpSignal::Documents,
        &[
            "me quitaron el pasaporte",
            "me quitaron mi pasaporte",
            "tienen mi pasaporte",
            "tiene mi pasaporte",
            "mi pasaporte",
            "me quitaron los papeles",
            "mis papeles",
            "mis documentos",
            "me quitaron los documentos",
        ],
    ),
    ("es", HelpSignal::Debt, &["les debo", "tengo una deuda", "mi deuda", "pagar la deuda", "dicen que debo"]),
    (
        "es",
        HelpSignal::Control,
        &[
            "me vigilan",
            "me vigila",
            "me controlan",
            "no me dejan salir",
            "no me deja salir",
            "no me dejan irme",
            "no me dejan",
            "no puedo salir",
            "no puedo irme",
            "no puedo volver",
            "estoy encerrada",
            "estoy encerrado",
            "me encierran",
            "me encerraron",
            "me quitaron el telefono",
            "me quitaron el movil",
            "me quitaron el celular",
            "mi chulo",
            "mi proxeneta",
            "estoy atrapada",
            "estoy atrapado",
        ],
    ),
    (
        "es",
        HelpSignal::NotPaid,
        &[
            "no me pagan",
            "no me paga",
            "no me han pagado",
            "nunca me pagan",
            "se quedan con mi dinero",
            "se queda con mi dinero",
            "se quedan con todo",
            "me quitan el dinero",
            "me quitan todo el dinero",
        ],
    ),
    (
        "es",
        HelpSignal::Underage,
        &["soy menor", "soy menor de edad", "tengo {n} anos", "tengo solo {n} anos", "solo tengo {n} anos"],
    ),
    (
        "fr",
        HelpSignal::Asking,
        &[
            "aidez moi",
            "aide moi",
            "j'ai besoin d'aide",
            "besoin d'aide",
            "au secours",
            "sortez moi d'ici",
            "sors moi d'ici",
            "sors moi de la",
            "appelez la police",
            "appelle la police",
            "appeler la police",
            "prevenez la police",
            "sauvez moi",
        ],
    ),
    (
        "fr",
        HelpSignal::Leaving,
        &[
            "je veux partir",
            "je veux rentrer",
            "je veux rentrer chez moi",
            "je veux m'en aller",
            "je veux sortir d'ici",
            "je veux m'enfuir",
            "je ne veux pas etre ici",
            "je ne veux pas faire ca",
            "je ne veux plus faire ca",
            "comment sortir d'ici",
        ],
    ),
    (
        "fr",
        HelpSignal::Coercion,
        &[
            "on m'oblige",
            "ils m'obligent",
            "il m'oblige",
            "elle m'oblige",
            "je suis forcee",
            "je suis force",
            "je suis obligee",
            "je suis oblige",
            "pas par choix",
            "ce n'est pas mon choix",
            "je n'ai pas le choix",
            "contre ma volonte",
            "j'ai peur",
            "ils me menacent",
            "il me menace",
            "on me menace",
            "il me frappe",
            "ils me frappent",
            "ils me battent",
            "on m'a vendue",
        ],
    ),
    (
        "fr",
        HelpSignal::Documents,
        &[
            "ils ont pris mon passeport",
            "on m'a pris mon passeport",
            "ils ont mon passeport",
            "il a mon passeport",
            "mon passeport",
            "mes papiers",
            "mes documents",
        ],
    ),
    (
        "fr",
        HelpSignal::Debt,
        &["je leur dois", "je lui dois", "ma dette", "payer la dette", "rembourser la dette", "ils disent que je dois"],
    ),
    (
        "fr",
        HelpSignal::Control,
        &[
            "on me surveille",
            "ils me surveillent",
            "il me surveille",
            "je ne peux pas partir",
            "je ne peux pas sortir",
            "je ne peux pas rentrer",
            "on ne me laisse pas",
            "ils ne me laissent pas",
            "il ne me laisse pas",
            "je suis enfermee",
            "je suis enferme",
            "on m'enferme",
            "ils m'enferment",
            "ils ont pris mon telephone",
            "mon proxenete",
            "je suis piegee",
        ],
    ),
    (
        "fr",
        HelpSignal::NotPaid,
        &[
            "on ne me paie pas",
            "ils ne me paient pas",
            "il ne me paie pas",
            "je ne suis pas payee",
            "je ne suis pas paye",
            "ils gardent mon argent",
            "il garde mon argent",
            "ils prennent tout mon argent",
            "ils prennent mon argent",
        ],
    ),
    (
        "fr",
        HelpSignal::Underage,
        &["je suis mineure", "je suis mineur", "j'ai {n} ans", "j'ai seulement {n} ans", "je n'ai que {n} ans"],
    ),
    (
        "pt",
        HelpSignal::Asking,
        &[
            "me ajuda",
            "me ajude",
            "me ajudem",
            "preciso de ajuda",
            "preciso da sua ajuda",
            "me tira daqui",
            "me tire daqui",
            "me tirem daqui",
            "chama a policia",
            "chame a policia",
            "chamem a policia",
            "ligue para a policia",
            "liga pra policia",
            "me salva",
            "me salve",
        ],
    ),
    (
        "pt",
        HelpSignal::Leaving,
        &[
            "quero ir embora",
            "quero sair daqui",
            "quero sair dessa",
            "quero voltar pra casa",
            "quero voltar para casa",
            "quero voltar para o meu pais",
            "quero fugir",
            "nao quero ficar aqui",
            "nao quero estar aqui",
            "nao quero fazer isso",
            "como saio daqui",
        ],
    ),
    (
        "pt",
        HelpSignal::Coercion,
        &[
            "me obrigam",
            "me obrigaram",
            "me obriga",
            "sou obrigada",
            "sou obrigado",
            "estou sendo forcada",
            "estou sendo forcado",
            "me forcam",
            "me forcaram",
            "nao e por escolha",
            "nao estou aqui por escolha",
            "nao foi escolha minha",
            "nao tenho escolha",
            "contra a minha vontade",
            "contra minha vontade",
            "tenho medo",
            "estou com medo",
            "me ameacam",
            "me ameacaram",
            "me batem",
            "me bate",
        ],
    ),
    (
        "pt",
        HelpSignal::Documents,
        &[
            "pegaram meu passaporte",
            "estao com meu passaporte",
            "ficaram com meu passaporte",
            "meu passaporte",
            "meus documentos",
            "pegaram meus documentos",
        ],
    ),
    (
        "pt",
        HelpSignal::Debt,
        &["devo a eles", "devo pra eles", "minha divida", "tenho uma divida", "pagar a divida", "dizem que eu devo"],
    ),
    (
        "pt",
        HelpSignal::Control,
        &[
            "me vigiam",
            "me vigia",
            "me controlam",
            "nao me deixam sair",
            "nao me deixa sair",
            "nao me deixam ir",
            "nao posso sair",
            "nao posso ir embora",
            "estou presa",
            "estou preso",
            "me trancam",
            "me trancaram",
            "pegaram meu celular",
            "meu cafetao",
        ],
    ),
    (
        "pt",
        HelpSignal::NotPaid,
        &[
            "nao me pagam",
            "nao me paga",
            "nao recebo nada",
            "nao recebo pagamento",
            "nunca recebi",
            "ficam com meu dinheiro",
            "fica com meu dinheiro",
            "pegam todo o meu dinheiro",
            "pegam meu dinheiro",
        ],
    ),
    ("pt", HelpSignal::Underage, &["sou menor", "sou menor de idade", "tenho {n} anos", "so tenho {n} anos"]),
    (
        "id",
        HelpSignal::Asking,
        &[
            "tolong saya",
            "tolong aku",
            "tolong bantu saya",
            "tolong bantu aku",
            "bantu saya",
            "bantu aku",
            "saya butuh bantuan",
            "aku butuh bantuan",
            "butuh bantuan",
            "saya perlu bantuan",
            "perlu bantuan",
            "keluarkan saya",
            "keluarkan aku",
            "selamatkan saya",
            "selamatkan aku",
            "panggil polisi",
            "telepon polisi",
            "lapor polisi",
        ],
    ),
    (
        "id",
        HelpSignal::Leaving,
        &[
            "saya mau pulang",
            "aku mau pulang",
            "saya ingin pulang",
            "aku ingin pulang",
            "saya mau keluar dari sini",
            "aku mau keluar dari sini",
            "saya ingin keluar",
            "saya mau kabur",
            "aku mau kabur",
            "saya tidak mau di sini",
            "aku tidak mau di sini",
            "aku nggak mau di sini",
            "saya tidak mau melakukan ini",
        ],
    ),
    (
        "id",
        HelpSignal::Coercion,
        &[
            "saya dipaksa",
            "aku dipaksa",
            "dipaksa",
            "bukan kemauan saya",
            "bukan kemauanku",
            "bukan pilihan saya",
            "saya tidak punya pilihan",
            "saya takut",
            "aku takut",
            "saya diancam",
            "aku diancam",
            "saya dipukul",
            "aku dipukul",
            "saya dijual",
            "aku dijual",
        ],
    ),
    (
        "id",
        HelpSignal::Documents,
        &[
            "paspor saya diambil",
            "pasporku diambil",
            "paspor saya ditahan",
            "paspor saya",
            "pasporku",
            "dokumen saya diambil",
            "dokumen saya ditahan",
            "ktp saya ditahan",
        ],
    ),
    (
        "id",
        HelpSignal::Debt,
        &[
            "saya punya hutang",
            "saya punya utang",
            "hutang saya",
            "utang saya",
            "harus bayar hutang",
            "harus bayar utang",
            "saya berhutang",
            "aku berhutang",
        ],
    ),
    (
        "id",
        HelpSignal::Control,
        &[
            "saya diawasi",
            "aku diawasi",
            "saya dikurung",
            "aku dikurung",
            "tidak boleh keluar",
            "tidak boleh pulang",
            "gak boleh keluar",
            "nggak boleh keluar",
            "tidak bisa keluar",
            "tidak bisa pulang",
            "hp saya diambil",
            "ponsel saya diambil",
            "germo saya",
            "mucikari saya",
            "saya terjebak",
            "aku terjebak",
        ],
    ),
    (
        "id",
        HelpSignal::NotPaid,
        &[
            "saya tidak digaji",
            "tidak digaji",
            "gaji saya ditahan",
            "tidak dibayar",
            "uang saya diambil",
            "gaji saya diambil",
        ],
    ),
    (
        "id",
        HelpSignal::Underage,
        &[
            "saya masih di bawah umur",
            "saya di bawah umur",
            "aku di bawah umur",
            "umur saya {n}",
            "umurku {n}",
            "usia saya {n}",
            "saya {n} tahun",
            "aku {n} tahun",
            "saya masih sekolah",
            "aku masih sekolah",
        ],
    ),
];

/// Buyer phrases that contain a help phrase without asking for help. A help phrase that overlaps one
/// of these is not counted. Kept short on purpose: when in doubt, help wins.
pub const LOOK_ALIKES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "help me relax",
            "help me unwind",
            "want to leave early",
            "want to leave by",
            "want to leave at",
            "want to leave before",
            "want to leave after",
            "want to go home with",
            "get out of the house",
            "leave me no choice",
            "give me no choice",
            "show you my passport",
            "dont pay me enough",
            "doesnt pay me enough",
            "im scared youre a cop",
            "im scared you are a cop",
            "need help relaxing",
            "need some help relaxing",
            "save me a",
            "save me some",
            "save me the",
            "you sold me",
            "sold me on",
            "trafficked area",
        ],
    ),
    (
        "es",
        &[
            "ayudame a relajarme",
            "ayudame con el precio",
            "quiero irme contigo",
            "quiero irme a tu",
            "no puedo salir hasta",
            "no puedo salir antes",
            "miedo de que seas",
            "miedo que seas",
        ],
    ),
    ("fr", &["aide moi a me detendre", "aidez moi a me detendre", "je veux partir avec toi", "j'ai peur que tu sois"]),
    (
        "pt",
        &[
            "me ajuda a relaxar",
            "me ajuda com o preco",
            "quero ir embora com voce",
            "nao posso sair antes",
            "nao posso sair hoje",
            "medo de voce ser",
        ],
    ),
    ("id", &["takut kamu polisi", "tidak bisa keluar malam"]),
];

/// Words that open a plea; a negation before a plea does not cancel it ("no please help me").
const PLEAS: &[&str] = &["please", "pls", "plz", "por", "svp", "tolong"];

/// One help rule that fired on a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HelpDetection {
    /// The rule's id: `help.<signal>.<language>` (`help.leaving.es`), or `help.keyword.<language>`
    /// for a HELP keyword.
    pub rule: String,
    /// The kind of signal.
    pub signal: HelpSignal,
    /// The language of the phrase, which the answer is given in.
    pub language: &'static str,
    /// Byte offset of the matched text in the message.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// The matched text as written.
    pub quote: String,
}

#[derive(Debug, Clone, Copy)]
struct Origin {
    signal: HelpSignal,
    language: &'static str,
    plea: bool,
}

/// Finds requests for help in a message.
#[derive(Debug, Clone)]
pub struct HelpDetector {
    phrases: PhraseSet<Origin>,
    look_alikes: PhraseSet<()>,
}

impl Default for HelpDetector {
    fn default() -> Self {
        HelpDetector::new()
    }
}

/// The ages a `{n}` in a phrase stands for.
const MINOR_AGES: std::ops::RangeInclusive<u32> = 10..=17;

/// A phrase with `{n}` expanded to every age under 18 (or itself).
pub(crate) fn expand_ages(phrase: &str) -> Vec<String> {
    if phrase.contains("{n}") {
        MINOR_AGES.map(|n| phrase.replace("{n}", &n.to_string())).collect()
    } else {
        vec![phrase.to_string()]
    }
}

impl HelpDetector {
    /// The built-in rules.
    pub fn new() -> HelpDetector {
        let mut seen = std::collections::HashSet::new();
        let mut items: Vec<(String, Origin)> = Vec::new();
        for (language, signal, list) in HELP_PHRASES {
            for p in list.iter().flat_map(|p| expand_ages(p)) {
                let norm = normalize_phrase(&p);
                // A phrase listed in two languages ("socorro") is the first language's rule.
                if seen.insert(norm.clone()) {
                    let plea = norm.split(' ').next().is_some_and(|w| PLEAS.contains(&w));
                    items.push((norm, Origin { signal: *signal, language, plea }));
                }
            }
        }
        let phrases = PhraseSet::new(items.iter().map(|(p, o)| (p.as_str(), *o)));
        let look_alikes = PhraseSet::new(LOOK_ALIKES.iter().flat_map(|(_, l)| l.iter().map(|p| (*p, ()))));
        HelpDetector { phrases, look_alikes }
    }

    /// Every help rule that fired on `text`, in order of position.
    pub fn detect(&self, text: &str) -> Vec<HelpDetection> {
        if let Some((Keyword::Help, language)) = keyword(text) {
            let start = text.len() - text.trim_start().len();
            let end = text.trim_end().len().max(start);
            return vec![HelpDetection {
                rule: format!("help.keyword.{language}"),
                signal: HelpSignal::Asking,
                language,
                start,
                end,
                quote: text[start..end].to_string(),
            }];
        }
        let norm = Normalized::new(text);
        let found = self.phrases.find_all(&norm);
        if found.is_empty() {
            return Vec::new();
        }
        let look_alikes = self.look_alikes.find_all(&norm);
        let mut out: Vec<HelpDetection> = Vec::new();
        for (s, e, origin) in found {
            if look_alikes.iter().any(|&(ls, le, ())| ls < e && s < le) {
                continue;
            }
            let (start, end) = norm.original_span(s, e);
            if !origin.plea && negated(text, start, origin.language) {
                continue;
            }
            // A shorter phrase inside a longer one that fired ("need help" in "i need help") adds
            // nothing.
            if out.iter().any(|d| d.start <= start && end <= d.end) {
                continue;
            }
            out.retain(|d| !(start <= d.start && d.end <= end));
            out.push(HelpDetection {
                rule: format!("help.{}.{}", origin.signal.as_str(), origin.language),
                signal: origin.signal,
                language: origin.language,
                start,
                end,
                quote: text.get(start..end).unwrap_or_default().to_string(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<String> {
        HelpDetector::new().detect(text).into_iter().map(|d| d.rule).collect()
    }

    #[test]
    fn the_longest_phrase_is_the_evidence() {
        let d = HelpDetector::new().detect("Please, I need help. They took my passport");
        let got: Vec<(&str, &str)> = d.iter().map(|d| (d.rule.as_str(), d.quote.as_str())).collect();
        assert_eq!(got, [("help.asking.en", "I need help"), ("help.documents.en", "took my passport")]);
    }

    #[test]
    fn keywords_are_requests_for_help_in_their_language() {
        assert_eq!(rules("HELP"), ["help.keyword.en"]);
        assert_eq!(rules(" ¡Ayuda! "), ["help.keyword.es"]);
        assert_eq!(HelpDetector::new().detect(" ¡Ayuda! ")[0].quote, "¡Ayuda!");
    }

    #[test]
    fn ages_under_18_only() {
        assert_eq!(rules("i'm 16 years old"), ["help.underage.en"]);
        assert!(rules("i'm 19 years old").is_empty());
        assert!(rules("I'm 15 minutes away").is_empty());
    }

    #[test]
    fn no_phrase_is_empty_and_every_language_has_every_signal() {
        for lang in redflag_core::lang::SUPPORTED {
            for signal in [
                HelpSignal::Asking,
                HelpSignal::Leaving,
                HelpSignal::Coercion,
                HelpSignal::Documents,
                HelpSignal::Debt,
                HelpSignal::Control,
                HelpSignal::NotPaid,
                HelpSignal::Underage,
            ] {
                assert!(
                    HELP_PHRASES.iter().any(|(l, s, list)| l == lang && *s == signal && !list.is_empty()),
                    "{lang} {signal:?}"
                );
            }
        }
        for (_, _, list) in HELP_PHRASES {
            for p in *list {
                assert!(!normalize_phrase(p).is_empty(), "{p:?}");
            }
        }
    }
}
