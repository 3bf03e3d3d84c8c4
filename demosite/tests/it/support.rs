//! Shared helpers: one generated default site, HTML-to-text, link extraction and phone decoding.

use redflag_demosite::{DemoConfig, DemoSite};
use std::sync::OnceLock;

/// The default site, generated once for all tests.
pub fn site() -> &'static DemoSite {
    static SITE: OnceLock<DemoSite> = OnceLock::new();
    SITE.get_or_init(|| DemoSite::generate(&DemoConfig::default()))
}

/// The HTML body of `path`, which must exist.
pub fn html(site: &DemoSite, path: &str) -> String {
    site.page(path).unwrap_or_else(|| panic!("no page at {path}")).body.clone()
}

/// The visible text of an HTML page: tags dropped, entities decoded, scripts kept out.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let lower = after.get(..7).unwrap_or("").to_ascii_lowercase();
        let end = if lower.starts_with("<script") {
            after.find("</script>").map(|e| e + 9)
        } else {
            after.find('>').map(|e| e + 1)
        };
        out.push(' ');
        match end {
            Some(e) => rest = &after[e..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// Decodes the entities the site writes; a raw `&` stays as it is.
pub fn decode_entities(s: &str) -> String {
    let named = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&middot;", "·"),
        ("&rsaquo;", "›"),
        ("&bull;", "•"),
        ("&hellip;", "…"),
        ("&laquo;", "«"),
        ("&raquo;", "»"),
        ("&copy;", "©"),
        ("&mdash;", "—"),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'outer: while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        for (entity, text) in named {
            if let Some(after) = tail.strip_prefix(entity) {
                out.push_str(text);
                rest = after;
                continue 'outer;
            }
        }
        if let Some(num) = tail.strip_prefix("&#")
            && let Some(semi) = num.find(';')
            && let Some(c) = num[..semi].parse::<u32>().ok().and_then(char::from_u32)
        {
            out.push(c);
            rest = &num[semi + 1..];
            continue;
        }
        out.push('&');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Every `href="…"` value in a page, entities decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let tail = &rest[i + 6..];
        let Some(end) = tail.find('"') else { break };
        out.push(decode_entities(&tail[..end]));
        rest = &tail[end..];
    }
    out
}

/// Number words 0–9 in the five languages the ads use.
const DIGIT_WORDS: &[[&str; 10]] = &[
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"],
    ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"],
];

/// The digits a reader would recover from `text`: number words, look-alike letters (`O`/`o` for 0,
/// `l`/`I` for 1, only in tokens made of nothing but digits and look-alikes) and plain digits,
/// separators dropped.
pub fn digit_stream(text: &str) -> String {
    decode_digits(text, false)
}

/// [`digit_stream`] with every `+` kept, so a number's country code can be checked: `+33 un 99 OO…`
/// gives `+33199OO…` decoded, `+33199001234`.
pub fn digit_stream_with_plus(text: &str) -> String {
    decode_digits(text, true)
}

fn decode_digits(text: &str, keep_plus: bool) -> String {
    let mut out = String::new();
    let mut token_start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_alphanumeric() {
            token_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = token_start.take() {
            decode_token(&text[start..i], &mut out);
        }
        if keep_plus && c == '+' {
            out.push('+');
        }
    }
    out
}

fn decode_token(token: &str, out: &mut String) {
    let lower = token.to_lowercase();
    if let Some(d) = DIGIT_WORDS.iter().find_map(|words| words.iter().position(|w| *w == lower)) {
        out.push(char::from(b'0' + d as u8));
        return;
    }
    // Words such as `I` or `lo` decode to stray digits too; they never fall inside a number's own
    // tokens, so checks that a number's digits appear in order are unaffected.
    if token.chars().all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'o' | 'l' | 'I')) {
        for c in token.chars() {
            out.push(match c {
                'O' | 'o' => '0',
                'l' | 'I' => '1',
                c => c,
            });
        }
        return;
    }
    out.extend(token.chars().filter(char::is_ascii_digit));
}

/// The national significant number of an E.164 string, and its region, per `phonenumber`.
pub fn parse_phone(e164: &str) -> (String, Option<String>, bool) {
    let parsed = phonenumber::parse(None, e164).unwrap_or_else(|e| panic!("{e164} does not parse: {e}"));
    let valid = phonenumber::is_valid(&parsed);
    let region = parsed.country().id().map(|id| id.as_ref().to_string());
    (parsed.national().value().to_string(), region, valid)
}

#[test]
fn helpers_work() {
    assert_eq!(text_of("<p>a &amp; b</p><script>x<y</script>c"), " a & b  c");
    assert_eq!(links("<a href=\"/x?a=1&amp;b=2\">"), ["/x?a=1&b=2"]);
    assert_eq!(digit_stream("call seven 0 two 555 zero one 4 8"), "7025550148");
    assert_eq!(digit_stream("7O2-555-Ol48 or 702*555*0148"), "70255501487025550148");
    assert_eq!(digit_stream("siete cero dos"), "702");
    assert_eq!(digit_stream("+33 l 99 OO l2 34"), "33199001234");
    assert_eq!(digit_stream_with_plus("+33 un 99 OO l2 34 or +1.702.555.0148"), "+33199001234+17025550148");
}
