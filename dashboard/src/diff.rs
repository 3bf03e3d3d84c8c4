//! A word-level diff between two versions of an ad's text, to show investigators what an advertiser
//! changed (a new phone number, a lower price, a reworded promise).

/// One piece of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// In both versions.
    Same(String),
    /// Only in the older version.
    Removed(String),
    /// Only in the newer version.
    Added(String),
}

/// The largest table the diff builds (old tokens × new tokens); longer texts are shown as replaced
/// wholesale, so one huge ad cannot stall a request.
const MAX_CELLS: usize = 4_000_000;

/// Splits text into words, whitespace runs and single punctuation marks, so joining the tokens gives
/// the text back and "dates." → "dates only." shows as one added word.
fn tokens(s: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Space,
        Word,
        Other,
    }
    let class = |c: char| {
        if c.is_whitespace() {
            Class::Space
        } else if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Class> = None;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if prev.is_some_and(|p| p != k || k == Class::Other) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn push(out: &mut Vec<Change>, c: Change) {
    match (out.last_mut(), c) {
        (Some(Change::Same(a)), Change::Same(b)) => a.push_str(&b),
        (Some(Change::Removed(a)), Change::Removed(b)) => a.push_str(&b),
        (Some(Change::Added(a)), Change::Added(b)) => a.push_str(&b),
        (_, c) => out.push(c),
    }
}

/// The changes that turn `old` into `new`, word by word (a longest-common-subsequence diff).
pub fn diff_words(old: &str, new: &str) -> Vec<Change> {
    if old == new {
        return if old.is_empty() { vec![] } else { vec![Change::Same(old.to_string())] };
    }
    let a = tokens(old);
    let b = tokens(new);
    // Common prefix and suffix first: ad edits are usually local, and this keeps the table small.
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out = Vec::new();
    for t in &a[..pre] {
        push(&mut out, Change::Same(t.to_string()));
    }
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        push(&mut out, Change::Removed(am.concat()));
        push(&mut out, Change::Added(bm.concat()));
    } else {
        // lcs[i][j] = length of the LCS of am[i..] and bm[j..].
        let w = bm.len() + 1;
        let mut lcs = vec![0u32; (am.len() + 1) * w];
        for i in (0..am.len()).rev() {
            for j in (0..bm.len()).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < am.len() || j < bm.len() {
            if i < am.len() && j < bm.len() && am[i] == bm[j] {
                push(&mut out, Change::Same(am[i].to_string()));
                i += 1;
                j += 1;
            } else if i < am.len() && (j == bm.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                // Removals before additions on a tie, as readers expect ("-old +new").
                push(&mut out, Change::Removed(am[i].to_string()));
                i += 1;
            } else {
                push(&mut out, Change::Added(bm[j].to_string()));
                j += 1;
            }
        }
    }
    for t in &a[a.len() - suf..] {
        push(&mut out, Change::Same(t.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(changes: &[Change]) -> String {
        changes
            .iter()
            .map(|c| match c {
                Change::Same(s) => s.clone(),
                Change::Removed(s) => format!("[-{s}]"),
                Change::Added(s) => format!("[+{s}]"),
            })
            .collect()
    }

    #[test]
    fn shows_word_changes() {
        let cases = [
            ("same text", "same text", "same text"),
            ("", "", ""),
            ("", "new", "[+new]"),
            ("old", "", "[-old]"),
            ("pay $100 per week", "pay $80 per week", "pay $[-100][+80] per week"),
            ("call 555 0101 now", "call now", "call [-555 0101 ]now"),
            ("dinner dates. Call", "dinner dates only. Call", "dinner dates[+ only]. Call"),
            ("$100", "$80", "$[-100][+80]"),
            ("a b c", "a x b c", "a [+x ]b c"),
        ];
        for (old, new, want) in cases {
            assert_eq!(show(&diff_words(old, new)), want, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn both_sides_are_recoverable() {
        let (old, new) = ("Cleaners wanted in Lisbon, free housing", "Cleaners wanted in Porto, housing deducted");
        let d = diff_words(old, new);
        let back_old: String = d
            .iter()
            .filter_map(|c| match c {
                Change::Same(s) | Change::Removed(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let back_new: String = d
            .iter()
            .filter_map(|c| match c {
                Change::Same(s) | Change::Added(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!((back_old.as_str(), back_new.as_str()), (old, new));
    }
}
