//! Splitting long replies into messages a channel accepts.
//!
//! Telegram refuses messages over 4096 characters, counted in UTF-16 code units (an emoji counts two).
//! A job-check report can be longer, so it is cut at the last line break that fits, else at the last
//! space, else between characters; no piece is empty and no character is split.

/// Telegram's limit on one message, in UTF-16 code units.
pub const TELEGRAM_MAX_UNITS: usize = 4096;

/// Splits `text` into pieces of at most `max_units` UTF-16 code units each (`max_units` ≥ 2).
pub fn split_message(text: &str, max_units: usize) -> Vec<String> {
    let max_units = max_units.max(2);
    let mut out = Vec::new();
    let mut rest = text.trim_end();
    while !rest.is_empty() {
        // The longest prefix that fits, and the last line break and space inside it.
        let mut units = 0;
        let mut fit = rest.len();
        let mut last_newline = None;
        let mut last_space = None;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > max_units {
                fit = i;
                break;
            }
            units += c.len_utf16();
            if c == '\n' {
                last_newline = Some(i);
            } else if c.is_whitespace() {
                last_space = Some(i);
            }
        }
        let cut = if fit == rest.len() {
            fit
        } else {
            match (last_newline, last_space) {
                (Some(n), _) if n > 0 => n,
                (_, Some(s)) if s > 0 => s,
                _ => fit,
            }
        };
        let piece = rest[..cut].trim_end();
        if !piece.is_empty() {
            out.push(piece.to_string());
        }
        rest = rest[cut..].trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> usize {
        s.encode_utf16().count()
    }

    #[test]
    fn short_text_is_one_message() {
        assert_eq!(split_message("hello\n", 10), ["hello"]);
        assert!(split_message("  \n", 10).is_empty());
    }

    #[test]
    fn cuts_at_line_breaks_then_spaces_then_anywhere() {
        assert_eq!(split_message("one two\nthree four", 12), ["one two", "three four"]);
        assert_eq!(split_message("one two three", 9), ["one two", "three"]);
        assert_eq!(split_message("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn counts_utf16_units_and_never_splits_a_character() {
        let text = "😀".repeat(5); // two units each
        let parts = split_message(&text, 5);
        assert_eq!(parts, ["😀😀", "😀😀", "😀"]);
        let long = "Señales de alerta: ".repeat(500);
        for p in split_message(&long, TELEGRAM_MAX_UNITS) {
            assert!(units(&p) <= TELEGRAM_MAX_UNITS);
        }
    }
}
