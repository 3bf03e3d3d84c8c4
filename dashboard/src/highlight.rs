//! Turning byte ranges (indicator evidence, search matches) into text segments that can be rendered
//! with `<mark>` around the matched parts. The text and the ranges come from ads, so neither is
//! trusted: ranges past the end, reversed, or not on character boundaries are dropped, never panicked on.

use redflag_core::Evidence;

/// A range of the text tagged with who marked it (an indicator's position in a list, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The marker's tag.
    pub tag: usize,
}

/// A piece of the text: plain, or marked by one or more tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text of the piece.
    pub text: &'a str,
    /// The tags covering it, ascending; empty for plain text.
    pub tags: Vec<usize>,
}

/// Most spans considered; beyond this the rest of the text stays plain.
const MAX_SPANS: usize = 1000;

fn valid(text: &str, s: &Span) -> bool {
    s.start < s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}

/// Cuts `text` at every span boundary; each piece carries the tags of the spans covering it. Adjacent
/// pieces with the same tags are joined, so overlapping spans produce no empty or duplicate pieces.
pub fn segments<'a>(text: &'a str, spans: &[Span]) -> Vec<Segment<'a>> {
    let spans: Vec<Span> = spans.iter().filter(|s| valid(text, s)).take(MAX_SPANS).copied().collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(spans.len() * 2 + 2);
    cuts.push(0);
    cuts.push(text.len());
    for s in &spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment<'a>> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut tags: Vec<usize> = spans.iter().filter(|s| s.start <= a && b <= s.end).map(|s| s.tag).collect();
        tags.sort_unstable();
        tags.dedup();
        match out.last_mut() {
            Some(last) if last.tags == tags => {
                // Both pieces are consecutive slices of `text`, so the joined range is one slice.
                let start = last.text.as_ptr() as usize - text.as_ptr() as usize;
                last.text = &text[start..b];
            }
            _ => out.push(Segment { text: &text[a..b], tags }),
        }
    }
    out
}

/// Where an indicator's evidence lies in `text`: its recorded range when that still holds the recorded
/// words, else the first place the words occur (the text may have been re-cut since scoring), else
/// `None` (the evidence is shown as a quote only).
pub fn locate(text: &str, e: &Evidence) -> Option<(usize, usize)> {
    if text.get(e.start..e.end).is_some_and(|s| s == e.text) && e.start < e.end {
        return Some((e.start, e.end));
    }
    if e.text.trim().is_empty() {
        return None;
    }
    text.find(&e.text).map(|i| (i, i + e.text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str, spans: &[(usize, usize, usize)]) -> String {
        let spans: Vec<Span> = spans.iter().map(|&(start, end, tag)| Span { start, end, tag }).collect();
        segments(text, &spans)
            .iter()
            .map(|s| {
                if s.tags.is_empty() {
                    s.text.to_string()
                } else {
                    format!("[{}:{}]", s.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(","), s.text)
                }
            })
            .collect()
    }

    #[test]
    fn marks_spans_and_their_overlaps() {
        type Case<'a> = (&'a str, &'a [(usize, usize, usize)], &'a str);
        let cases: &[Case] = &[
            ("no fee asked", &[], "no fee asked"),
            ("pay a fee now", &[(6, 9, 0)], "pay a [0:fee] now"),
            ("pay a fee now", &[(0, 9, 0), (6, 13, 1)], "[0:pay a ][0,1:fee][1: now]"),
            ("abc", &[(0, 3, 2), (0, 3, 2)], "[2:abc]"),
            ("abc", &[(0, 1, 0), (1, 2, 0)], "[0:ab]c"),
            // Bad ranges are dropped: past the end, empty, reversed, inside a character.
            ("abc", &[(1, 9, 0), (2, 2, 0), (2, 1, 0)], "abc"),
            ("héllo", &[(1, 2, 0)], "héllo"),
            ("héllo", &[(1, 3, 0)], "h[0:é]llo"),
            ("", &[(0, 1, 0)], ""),
        ];
        for (text, spans, want) in cases {
            assert_eq!(show(text, spans), *want, "text {text:?} spans {spans:?}");
        }
    }

    #[test]
    fn evidence_is_found_where_recorded_or_by_its_words() {
        let ev = |start, end, text: &str| Evidence { start, end, text: text.into() };
        let t = "Title\n\nSend a fee first";
        assert_eq!(locate(t, &ev(14, 17, "fee")), Some((14, 17)));
        assert_eq!(locate(t, &ev(0, 3, "fee")), Some((14, 17)), "stale offsets fall back to the words");
        assert_eq!(locate(t, &ev(0, 99, "deposit")), None);
        assert_eq!(locate(t, &ev(3, 3, "")), None);
    }
}
