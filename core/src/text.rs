//! Small text helpers shared by the extractors, the classifier and the index.
//!
//! The main one is [`Folded`]: a lowercase, accent-free, compatibility-normalised copy of a text that
//! remembers where every byte came from, so extractors can match simple ASCII patterns and still report
//! byte offsets into the text as written.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Collapses every run of whitespace to one space and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to at most `max` bytes without splitting a character.
pub fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether `c` is invisible formatting that ad writers slip between characters to break matching:
/// zero-width spaces and joiners, bidi controls, the soft hyphen, variation selectors and the keycap mark.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{20E3}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Feeds the folded form of `c` to `emit`: lowercase, without accents, compatibility forms (fullwidth,
/// circled, mathematical) replaced by plain ones, dashes unified to `-`, spaces to ` `, line breaks to
/// `\n`. Invisible characters (see [`is_invisible`]) and combining marks emit nothing.
pub fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        match c {
            '\t' | '\x0B' | '\x0C' => emit(' '),
            '\r' => emit('\n'),
            _ => emit(c.to_ascii_lowercase()),
        }
        return;
    }
    if is_invisible(c) || is_combining_mark(c) {
        return;
    }
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => emit('-'),
        '\u{2028}' | '\u{2029}' | '\u{0085}' => emit('\n'),
        // Dingbat and negative circled digits have no compatibility decomposition.
        '\u{2776}'..='\u{277E}' => emit(digit_char(c as u32 - 0x2776 + 1)),
        '\u{2780}'..='\u{2788}' => emit(digit_char(c as u32 - 0x2780 + 1)),
        '\u{278A}'..='\u{2792}' => emit(digit_char(c as u32 - 0x278A + 1)),
        '\u{0660}'..='\u{0669}' => emit(digit_char(c as u32 - 0x0660)),
        '\u{06F0}'..='\u{06F9}' => emit(digit_char(c as u32 - 0x06F0)),
        '\u{0966}'..='\u{096F}' => emit(digit_char(c as u32 - 0x0966)),
        'ø' | 'Ø' => emit('o'),
        'æ' | 'Æ' => {
            emit('a');
            emit('e')
        }
        'œ' | 'Œ' => {
            emit('o');
            emit('e')
        }
        'ß' => {
            emit('s');
            emit('s')
        }
        'đ' | 'Đ' => emit('d'),
        'ł' | 'Ł' => emit('l'),
        'ı' => emit('i'),
        _ if c.is_whitespace() => emit(' '),
        _ => decompose_compatible(c, |d| {
            if is_combining_mark(d) || is_invisible(d) {
                return;
            }
            if d.is_ascii() {
                emit(d.to_ascii_lowercase());
            } else if d.is_whitespace() {
                emit(' ');
            } else {
                for l in d.to_lowercase() {
                    emit(l);
                }
            }
        }),
    }
}

fn digit_char(d: u32) -> char {
    char::from_digit(d.min(9), 10).unwrap_or('0')
}

/// Folds a whole string with [`fold_char`], without keeping offsets.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends the folded form of `s` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        fold_char(c, |f| out.push(f));
    }
}

/// A folded copy of a text (see [`fold_char`]) that maps every byte back to the original.
///
/// Matching on the folded text lets one ASCII pattern cover `Ｃａｌｌ`, `CALL` and `cáll`; the span
/// found is mapped back with [`Folded::original_span`], which always lands on character boundaries of
/// the original and covers every original character that produced the matched bytes (plus invisible
/// characters right after them, such as the keycap mark of `7️⃣`).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Folded {
    /// Folds `original`. Offsets are stored as `u32`, so only the first 4 GiB are folded.
    pub fn new(original: &str) -> Folded {
        let original = truncate_bytes(original, u32::MAX as usize - 1);
        let mut f = Folded {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        for (i, c) in original.char_indices() {
            let start = i as u32;
            let end = (i + c.len_utf8()) as u32;
            let before = f.text.len();
            fold_char(c, |d| {
                f.text.push(d);
                for _ in 0..d.len_utf8() {
                    f.starts.push(start);
                    f.ends.push(end);
                }
            });
            if f.text.len() == before {
                // The character vanished: let the previous output character's span swallow it, so a
                // match ending there includes it and no original byte falls between two spans.
                if let Some(last) = f.ends.last_mut()
                    && *last == start
                {
                    *last = end;
                }
            }
        }
        f
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The folded text's length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the folded text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Maps the folded byte range `start..end` to a byte range of the original text.
    ///
    /// Out-of-range or empty ranges map to an empty range at the nearest valid position.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        let start = start.min(self.starts.len() - 1);
        let s = self.starts[start] as usize;
        if end <= start {
            return (s, s);
        }
        let e = self.ends[(end - 1).min(self.ends.len() - 1)] as usize;
        (s, e.max(s))
    }

    /// The original byte offset that the folded byte `i` came from.
    pub fn original_start(&self, i: usize) -> usize {
        match self.starts.get(i) {
            Some(&s) => s as usize,
            None => self.ends.last().map(|&e| e as usize).unwrap_or(0),
        }
    }
}

/// Whether `c` is part of a word for boundary checks: a letter or digit in any script.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `s[start..end]` stands alone as a word: the characters on either side are not letters or
/// digits. `start` and `end` must be character boundaries.
pub fn is_whole_word(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_compatibility_forms() {
        assert_eq!(fold("Ｃａｌｌ São PAULO Zéro"), "call sao paulo zero");
        assert_eq!(fold("7\u{FE0F}\u{20E3}0\u{FE0F}\u{20E3}"), "70");
        assert_eq!(fold("tele\u{200B}gram"), "telegram");
        assert_eq!(fold("①②③ ➊ ٣"), "123 1 3");
        assert_eq!(fold("702\u{2011}555\u{2013}0148"), "702-555-0148");
    }

    #[test]
    fn spans_map_back_to_original_characters() {
        let text = "Tél: 7\u{FE0F}\u{20E3}2 ok";
        let f = Folded::new(text);
        let folded = f.as_str();
        assert_eq!(folded, "tel: 72 ok");
        let at = folded.find("72").unwrap();
        let (s, e) = f.original_span(at, at + 2);
        assert_eq!(&text[s..e], "7\u{FE0F}\u{20E3}2");
        let (s, e) = f.original_span(0, 3);
        assert_eq!(&text[s..e], "Tél");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_bytes("héllo", 2), "h");
        assert_eq!(truncate_bytes("abc", 10), "abc");
    }
}
