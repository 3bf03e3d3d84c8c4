//! Hostile input never panics: empty, huge, binary, mixed-script and control-character text.

use redflag_classifier::{AdInput, Error, MAX_CHECK_BYTES, check, check_bytes};
use redflag_core::AdKind;
use redflag_core::ad::scoring_text;

use crate::classifier;

fn assert_offsets_valid(title: &str, body: &str, kind: Option<AdKind>) {
    let mut input = AdInput::new(title, body);
    input.kind = kind;
    let a = classifier().assess(&input);
    assert!((0.0..=1.0).contains(&a.probability), "probability {}", a.probability);
    assert!(a.risk <= 100);
    let text = scoring_text(title, body);
    for f in &a.indicators {
        for e in &f.evidence {
            assert!(e.start <= e.end && e.end <= text.len(), "{}: span {}..{} outside the text", f.id, e.start, e.end);
            assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            assert_eq!(&text[e.start..e.end], e.text);
        }
    }
}

#[test]
fn empty_input_scores_and_check_refuses_it() {
    assert_offsets_valid("", "", None);
    assert_offsets_valid("", "", Some(AdKind::Escort));
    assert!(matches!(check(classifier(), "", None), Err(Error::EmptyInput)));
    assert!(matches!(check(classifier(), " \n\t ", None), Err(Error::EmptyInput)));
    assert!(matches!(check_bytes(classifier(), b"", None), Err(Error::EmptyInput)));
}

#[test]
fn huge_input_is_capped_and_flagged() {
    let unit = "Urgent! Pay a registration fee to start. Contact us on WhatsApp. ";
    let huge = unit.repeat(10 * 1024 * 1024 / unit.len());
    assert!(huge.len() > 9 * 1024 * 1024);
    let start = std::time::Instant::now();
    assert_offsets_valid("Huge", &huge, Some(AdKind::Job));
    let r = check(classifier(), &huge, None).expect("a long ad is still checked");
    assert!(r.truncated);
    assert_eq!(r.input_bytes, huge.len());
    assert!(r.red_flags.iter().all(|f| f.evidence.iter().all(|q| q.end <= MAX_CHECK_BYTES)));
    assert!(!r.notices.is_empty());
    let r = check_bytes(classifier(), huge.as_bytes(), None).expect("bytes too");
    assert!(r.truncated);
    assert!(start.elapsed().as_secs() < 60, "capping keeps it fast");
}

#[test]
fn binary_input_is_refused_with_a_reason() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    assert!(matches!(check_bytes(classifier(), png, None), Err(Error::BinaryInput { .. })));
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 0x80).collect();
    assert!(matches!(check_bytes(classifier(), &junk, None), Err(Error::BinaryInput { .. })));
    let controls: String = "\u{1}\u{2}\u{3}\u{7}".repeat(50);
    assert!(matches!(check(classifier(), &controls, None), Err(Error::BinaryInput { .. })));
    // Whatever the bytes, assessing their lossy decoding does not panic.
    assert_offsets_valid("x", &String::from_utf8_lossy(&junk), None);
    assert_offsets_valid("\0\0", "a\0b\u{7f}\u{1b}[31m", Some(AdKind::Job));
}

#[test]
fn mixed_scripts_and_odd_characters_do_not_break_offsets() {
    let cases = [
        "Работа в Дубае! Pay the visa fee ١٢٣ درهم then WhatsApp +971 50 000 0000 😀😀",
        "求人 hostess 日本 ¥300000 biaya pendaftaran Rp 500.000 — écrivez-nous",
        "e\u{301}te\u{301} fee\u{200b} registration\u{200d}fee \u{202e}eef noitartsiger\u{202c}",
        "ＷｈａｔｓＡｐｐ ＋１ ７０２ ５５５ ０１４８ 𝐔𝐫𝐠𝐞𝐧𝐭 ᴴᴵᴿᴵᴺᴳ",
        "seven\u{a0}0\u{a0}two five five five zero one four eight [at] gmail [dot] com",
        "\u{feff}\r\n\r\n\t\t\t",
    ];
    for body in cases {
        for kind in [None, Some(AdKind::Job), Some(AdKind::Escort)] {
            assert_offsets_valid("Título — 標題", body, kind);
        }
        let r = check(classifier(), body, None);
        if let Ok(r) = r {
            assert!(r.risk <= 100);
        }
    }
}

#[test]
fn a_batch_with_every_kind_of_junk_keeps_its_order() {
    let long = "word ".repeat(100_000);
    let bodies = ["", "\0", long.as_str(), "Pay a registration fee", "😀", "Asian companion, new in town"];
    let inputs: Vec<AdInput<'_>> = bodies.iter().map(|b| AdInput::new("t", b)).collect();
    let out = classifier().assess_batch(&inputs);
    assert_eq!(out.len(), inputs.len());
    assert!(out[3].indicators.iter().any(|f| f.id == "job.fee_required"));
    assert_eq!(out[5].kind, AdKind::Escort);
}

/// A small deterministic stand-in for the fuzz target (`classifier/fuzz`): mutated ad texts with
/// random code points, digits, separators and cuts, checked like the fuzzer checks them.
#[test]
fn random_mutations_never_break_offsets() {
    let seeds = [
        "Urgent! Pay a registration fee of $50. WhatsApp +1 702 555 0148. Send a copy of your passport.",
        "Jovencita latina, 100% real, mis chicas, llama al siete 0 dos 555 01 cuatro 8, no hago salidas.",
        "Biaya pendaftaran Rp 500.000, paspor kami simpan, hubungi WA 0812-3456-7890 segera.",
        "Frais de dossier: 150 €, pas de contrat, nous gardons votre passeport. jane(at)mail.com",
    ];
    let pieces =
        ["\u{0}", "é", "ß", "İ", "😀", "\u{301}", "\u{202e}", "7", " ", "-", "*", "\n", "[at]", "٣", "ｗ", "\u{fffd}"];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..1500 {
        let mut s: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..(next() % 12) {
            let pos = (next() as usize) % (s.len() + 1);
            match next() % 3 {
                0 => s.splice(pos..pos, pieces[(next() as usize) % pieces.len()].chars()).for_each(drop),
                1 if pos < s.len() => {
                    s.remove(pos);
                }
                _ => s.insert(pos, char::from_u32((next() % 0x2FFFF) as u32).unwrap_or('x')),
            }
        }
        let text: String = s.into_iter().collect();
        let kind = [None, Some(AdKind::Job), Some(AdKind::Escort)][round % 3];
        assert_offsets_valid("", &text, kind);
        let _ = check_bytes(classifier(), text.as_bytes(), kind);
    }
}
