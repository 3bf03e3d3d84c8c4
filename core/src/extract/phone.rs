//! Phone numbers, however they are written.
//!
//! `value` is E.164 (`+17025550148`). A candidate is accepted only when the `phonenumber` crate (Google's
//! libphonenumber metadata) says it is a valid number, or when it lies in a range reserved for fiction
//! that the metadata rejects (UK `07700 900xxx` and `01632 960xxx`, French `06 39 98 xx xx`; US
//! `555-01xx` numbers are valid in the metadata already). National numbers are read in `ExtractOptions::default_country`; without one,
//! only numbers written internationally (`+…`, `00…`) or written as several groups of at least 10
//! digits next to a phone word (`call 44 7700 900123`) are found.
//!
//! # Accepted forms
//!
//! Plain national and international formats, not obfuscated: `(702) 555-0148`, `702-555-0148`,
//! `702.555.0148`, `702 555 0148`, `+1 702 555 0148`, `+44 7700 900123`, `0044 7700 900123`, and
//! international numbers that keep the national trunk `0` (`+44 (0)20 7946 0123`, `+33 (0)6 12 34 56 78`).
//! National formats are those of `ExtractOptions::default_country`: UK `020 7946 0123` and
//! `07700 900123`, French `06 12 34 56 78`, US `(702) 555-0148`; the caller picks the ad's own country.
//!
//! Obfuscated forms (they set `obfuscated`), freely mixed within one number:
//!
//! - French numbers from 10 to 99 spelled in words, as French numbers are dictated two digits at a
//!   time: `zéro six trente-neuf quatre-vingt-dix-huit douze cinquante-sept` (`dix` … `seize`,
//!   `dix-sept`, `vingt` … `soixante` with units, `soixante et onze`, `quatre-vingt(s)` with units and
//!   teens);
//! - a number dictated in two parts around `then` (`puis`, `luego`, `depois`, `lalu`):
//!   `213 (then) 555-0162`;
//! - digits spelled as words: English `zero oh o one two … nine` (and `double five` = 55), Spanish
//!   `cero uno dos tres cuatro cinco seis siete ocho nueve`, French `zéro un deux trois quatre cinq six
//!   sept huit neuf`, Portuguese `zero um dois três quatro cinco seis (meia) sete oito nove`,
//!   Indonesian `nol (kosong) satu dua tiga empat lima enam tujuh delapan sembilan`, e.g.
//!   `seven 0 two 555 zero one 4 8`;
//! - look-alike letters inside a group of digits: `O`/`o` for 0, `l`/`I` for 1 (`7O2 555 Ol48`), and `|`
//!   for 1 when reading it as a separator gives no valid number (`0|48`);
//! - odd separators: `*`, `~`, `^`, `_`, `/`, `|`, `\`, `•`, `·`, ` . `, repeated spaces;
//! - digits spaced out or dashed one by one: `7 0 2 5 5 5 0 1 4 8`, `7-0-2-5-5-5-0-1-4-8`;
//! - keycap, fullwidth, circled, mathematical or Arabic-Indic digits: `7️⃣0️⃣2️⃣…`, `７０２…`;
//! - invisible characters between digits (zero-width spaces, bidi marks).
//!
//! Links (`wa.me/…`) are read in [`super::link_url`].
//!
//! # What is not a phone number
//!
//! - Anything inside a URL or e-mail address.
//! - Fewer than 7 or more than 15 digits (17 with a `00` prefix).
//! - A bare run of digits with no separators at all (`7025550148`) unless it starts with `+` or a phone
//!   word (`call`, `tel`, `WhatsApp`, `llama`, `appelle`, `liga`, `hubungi`, …) is within 48 bytes.
//! - Dates (`2024-05-01`, `01/05/2024`): three groups joined by the same `-`, `/` or `.` shaped like a
//!   date.
//! - Numbers right after a currency sign or code, or right before one (`$200`, `5 000 €`), or after `#`.
//! - Identifiers: numbers right after a label such as `SIRET`, `SIREN`, `RCS`, `VAT`/`TVA` (`VAT reg. no.
//!   GB 686 3657 51`), `Company No.`, `Registration`, `Licence`/`License`, `Ref`, `Reference`, `Req ID`,
//!   `Job reference`, `Postcode`, `ZIP`, `IBAN`, `EIN`.
//! - Lists: three or more groups that are all round (`100/200/300`, `150 200 250`) or step evenly
//!   (`10 20 30 40`, `1 2 3 4 5 6 7`).
//! - Ages, times and postal codes fail the validity check (too short, or `:` splits them).
//!
//! A line of digit groups can hold several numbers (`702-555-0148 / 702-555-0199`); it is split to
//! cover the most digits with valid numbers.
//!
//! Validity checks are the expensive part (about 10 µs each), so candidates whose length no number in
//! the region (or behind the calling code) can have are dropped first, and at most 4,000 checks run
//! per text and 200 per line of digit groups. Short lines are read first, so a page of digit soup
//! cannot use up the budget before the ordinary numbers elsewhere in the ad are read. This bounds the
//! cost of hostile input to a few tens of milliseconds.

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{Metadata, Mode};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use super::words::{after_id_label, bridge_word, digit_word, french_tens, phone_context_positions, repeat_word};
use super::{EntityKind, Found, Scan, Spans};
use crate::text::Folded;

const MIN_DIGITS: usize = 7;
const MAX_DIGITS: usize = 15;
/// With an international `00` prefix.
const MAX_WINDOW_DIGITS: usize = 17;
/// Longest separator between two groups of one number, in bytes (`  .  ` is 5).
const MAX_SEPARATOR: usize = 5;
/// How far a phone word may be from a bare run of digits, in bytes.
const CONTEXT_WINDOW: usize = 48;
/// Validity checks per text.
const PARSE_BUDGET: usize = 4000;
/// Validity checks per run of digit groups.
const RUN_BUDGET: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    /// Plain digits (possibly fullwidth or keycap in the original).
    Digits,
    /// Digits with look-alike letters (`7o2`).
    Lookalike,
    /// A spelled-out digit (`seven`, `double five`).
    Word,
    /// A `|` between two groups: a separator or a 1.
    Pipe,
}

#[derive(Debug, Clone)]
struct Group {
    start: usize,
    end: usize,
    digits: String,
    kind: GroupKind,
    /// Where the number would start if it starts here (before a leading `+` or `(`).
    lead: usize,
    /// Whether a `+` comes right before this group.
    plus: bool,
}

/// Records every phone number outside claimed text.
pub(crate) fn scan(scan: &mut Scan<'_>) {
    let text = scan.folded.as_str();
    let runs = runs(text, &scan.taken);
    if runs.is_empty() {
        return;
    }
    let region = scan.country.as_deref().and_then(|c| Id::from_str(c).ok());
    let region_lengths = region.and_then(|r| DATABASE.by_id(r.as_ref())).map_or(u32::MAX, length_mask);
    let mut r = Resolver {
        original: scan.original,
        text,
        folded: &scan.folded,
        region,
        region_lengths,
        budget: PARSE_BUDGET,
        run_budget: RUN_BUDGET,
        memo: [HashMap::new(), HashMap::new()],
        context: None,
    };
    let mut found = Vec::new();
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by_key(|&i| runs[i].len());
    for i in order {
        r.run_budget = RUN_BUDGET;
        r.split_run(&runs[i], &mut found);
    }
    scan.push_all(found);
}

/// The E.164 form of an international number written without its `+`, if valid.
pub(crate) fn resolve_international(digits: &str) -> Option<String> {
    let ok = (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    if !ok || !plausible_international(digits) {
        return None;
    }
    accept(phonenumber::parse(None, format!("+{digits}")).ok()?)
}

/// The region (ISO 3166-1 alpha-2) of an E.164 number, e.g. `GB` for `+442079460123`.
pub fn country_of(e164: &str) -> Option<String> {
    let n = phonenumber::parse(None, e164).ok()?;
    n.country().id().map(|id| id.as_ref().to_string())
}

/// Possible national number lengths (bit `n` for length `n`) per country calling code, for a cheap
/// check before the full (and much slower) parse.
static LENGTHS_BY_CODE: LazyLock<Vec<u32>> = LazyLock::new(|| {
    (0..1000u16)
        .map(|code| {
            DATABASE.by_code(&code).map_or(0, |metas| metas.into_iter().fold(0, |m, meta| m | length_mask(meta)))
        })
        .collect()
});

/// The possible national number lengths of one region; every length when the metadata has none.
fn length_mask(meta: &Metadata) -> u32 {
    let d = meta.descriptors();
    let kinds = [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ];
    let mask = kinds
        .into_iter()
        .flatten()
        .flat_map(|k| k.possible_length())
        .filter(|&&l| l < 32)
        .fold(0u32, |m, &l| m | 1 << l);
    if mask == 0 { u32::MAX } else { mask }
}

/// Whether `digits` (without `+`) could be an international number at all.
fn plausible_international(digits: &str) -> bool {
    (1..=3).any(|k| {
        let (Some(code), Some(rest)) = (digits.get(..k), digits.len().checked_sub(k)) else { return false };
        let mask = code.parse::<usize>().ok().and_then(|c| LENGTHS_BY_CODE.get(c)).copied().unwrap_or(0);
        rest < 32 && mask & (1 << rest) != 0
    })
}

fn accept(n: phonenumber::PhoneNumber) -> Option<String> {
    let e164 = n.format().mode(Mode::E164).to_string();
    (n.is_valid() || is_fictional(&e164)).then_some(e164)
}

/// Ranges regulators reserve for fiction that the metadata calls invalid but ads and test data use:
/// Ofcom's `07700 900xxx` and `01632 960xxx`, and ARCEP's mobile block `06 39 98 xx xx`.
fn is_fictional(e164: &str) -> bool {
    (e164.len() == 13 && (e164.starts_with("+447700900") || e164.starts_with("+441632960")))
        || (e164.len() == 12 && e164.starts_with("+3363998"))
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '*' | '~' | '_' | '/' | '|' | '+' | '\\' | '•' | '·' | '^')
}

/// Splits the folded text into runs of digit groups that could form phone numbers.
fn runs(text: &str, taken: &Spans) -> Vec<Vec<Group>> {
    let bytes = text.as_bytes();
    let mut runs: Vec<Vec<Group>> = Vec::new();
    let mut cur: Vec<Group> = Vec::new();
    // A pending `double`/`triple`: its start, end and repeat count.
    let mut repeat: Option<(usize, usize, usize)> = None;
    // A pending bridge word (`then`) inside a number: its start and end.
    let mut bridge: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = taken.claimed_until(i) {
            flush(&mut runs, &mut cur);
            repeat = None;
            bridge = None;
            i = end.max(i + 1);
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        if !c.is_alphanumeric() {
            if !is_separator(c) {
                flush(&mut runs, &mut cur);
                repeat = None;
                bridge = None;
            }
            i += c.len_utf8();
            continue;
        }
        // A word ends at a non-alphanumeric character or where claimed text begins.
        let limit = taken.next_start(i).unwrap_or(text.len());
        let mut j = i;
        for (k, ch) in text[i..].char_indices() {
            if !ch.is_alphanumeric() || i + k >= limit {
                break;
            }
            j = i + k + ch.len_utf8();
        }
        let word = &text[i..j];
        let word_start = i;
        i = j;
        if let Some(n) = repeat_word(word) {
            repeat = Some((word_start, j, n));
            continue;
        }
        if bridge_word(word) && !cur.is_empty() && bridge.is_none() {
            bridge = Some((word_start, j));
            continue;
        }
        // French two-digit groups (`trente-neuf`, `quatre-vingt-dix-huit`) span several words.
        let french = french_tens(&text[word_start..limit]).filter(|&(v, len)| v >= 10 && len > 0);
        let classified = match french {
            Some((v, len)) => {
                i = word_start + len;
                Some(Group {
                    start: word_start,
                    end: i,
                    digits: format!("{v:02}"),
                    kind: GroupKind::Word,
                    lead: word_start,
                    plus: false,
                })
            }
            None => classify(word, word_start),
        };
        let mut group = match classified {
            Some(g) => g,
            None => {
                flush(&mut runs, &mut cur);
                bridge = None;
                repeat = None;
                if let Some(g) = digit_suffix(word, word_start) {
                    let g = with_lead(bytes, g);
                    cur.push(g);
                }
                continue;
            }
        };
        if let Some((rs, re, n)) = repeat.take() {
            let gap = &text[re..group.start];
            if group.digits.len() == 1 && gap.len() <= MAX_SEPARATOR && gap.chars().all(is_separator) {
                group.digits = group.digits.repeat(n);
                group.start = rs;
                group.kind = GroupKind::Word;
            } else {
                // The repeat word was prose: it ends the run.
                flush(&mut runs, &mut cur);
            }
        }
        let group = with_lead(bytes, group);
        if let Some(last) = cur.last() {
            let sep = &text[last.end..group.start];
            let short = |s: &str| s.len() <= MAX_SEPARATOR && !s.contains('\n');
            let bridged =
                bridge.take().is_some_and(|(bs, be)| short(&text[last.end..bs]) && short(&text[be..group.start]));
            if !bridged && !short(sep) {
                flush(&mut runs, &mut cur);
            } else if sep == "|" {
                cur.push(Group {
                    start: last.end,
                    end: group.start,
                    digits: "1".into(),
                    kind: GroupKind::Pipe,
                    lead: last.end,
                    plus: false,
                });
            }
        }
        cur.push(group);
    }
    flush(&mut runs, &mut cur);
    runs
}

fn flush(runs: &mut Vec<Vec<Group>>, cur: &mut Vec<Group>) {
    if !cur.is_empty() {
        runs.push(std::mem::take(cur));
    }
}

/// Reads one word as a digit group.
fn classify(word: &str, start: usize) -> Option<Group> {
    let end = start + word.len();
    let group = |digits: String, kind| Group { start, end, digits, kind, lead: start, plus: false };
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(group(word.to_string(), GroupKind::Digits));
    }
    if let Some(d) = digit_word(word) {
        return Some(group(d.to_string(), GroupKind::Word));
    }
    let lookalike = word.len() >= 2
        && word.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'o' | b'i' | b'l'))
        && word.bytes().any(|b| b.is_ascii_digit());
    if lookalike {
        let digits = word
            .bytes()
            .map(|b| match b {
                b'o' => '0',
                b'i' | b'l' => '1',
                d => d as char,
            })
            .collect();
        return Some(group(digits, GroupKind::Lookalike));
    }
    None
}

/// `call7025550148`, `wa08123456789`: letters glued to a long run of digits.
fn digit_suffix(word: &str, start: usize) -> Option<Group> {
    let split = word.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = word.split_at(split);
    let ok = !letters.is_empty()
        && letters.bytes().all(|b| b.is_ascii_lowercase())
        && digits.len() >= MIN_DIGITS
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Group {
        start: start + split,
        end: start + word.len(),
        digits: digits.to_string(),
        kind: GroupKind::Digits,
        lead: start + split,
        plus: false,
    })
}

/// Finds a `+`, `+ `, `(` or `+(` right before the group.
fn with_lead(bytes: &[u8], mut g: Group) -> Group {
    let mut k = g.start;
    if k > 0 && bytes[k - 1] == b'(' {
        k -= 1;
    }
    let mut p = k;
    if p > 0 && bytes[p - 1] == b' ' {
        p -= 1;
    }
    if p > 0 && bytes[p - 1] == b'+' {
        g.plus = true;
        k = p - 1;
    }
    g.lead = k;
    g
}

struct Resolver<'a> {
    original: &'a str,
    text: &'a str,
    folded: &'a Folded,
    region: Option<Id>,
    /// Possible national number lengths in the region (bit `n` for length `n`).
    region_lengths: u32,
    budget: usize,
    run_budget: usize,
    /// Parse results by digits, for national and international readings.
    memo: [HashMap<String, Option<String>>; 2],
    context: Option<Vec<usize>>,
}

/// A number read from groups `i..=j` of a run.
struct Window {
    value: String,
    obfuscated: bool,
    digits: usize,
}

impl Resolver<'_> {
    /// Picks the numbers in one run that cover the most digits (then: the fewest numbers).
    fn split_run(&mut self, g: &[Group], found: &mut Vec<Found>) {
        let m = g.len();
        // best[i] = (digits covered, numbers used) for groups i.., choice[i] = the number starting at i.
        let mut best = vec![(0usize, 0usize); m + 1];
        let mut choice: Vec<Option<(usize, Window)>> = (0..m).map(|_| None).collect();
        for i in (0..m).rev() {
            best[i] = best[i + 1];
            if self.budget == 0 || self.run_budget == 0 {
                // Out of checks: the rest of this run is left unread.
                continue;
            }
            let mut min_digits = 0;
            let mut pipes = 0;
            for j in i..m {
                if g[j].kind == GroupKind::Pipe {
                    pipes += 1;
                } else {
                    min_digits += g[j].digits.len();
                }
                if min_digits > MAX_WINDOW_DIGITS || (j > i && g[j].plus) {
                    break;
                }
                if min_digits + pipes.min(2) < MIN_DIGITS {
                    continue;
                }
                if let Some(w) = self.window(g, i, j) {
                    let cand = (w.digits + best[j + 1].0, best[j + 1].1 + 1);
                    if cand.0 > best[i].0 || (cand.0 == best[i].0 && cand.1 < best[i].1) {
                        best[i] = cand;
                        choice[i] = Some((j, w));
                    }
                }
            }
        }
        let mut i = 0;
        while i < m {
            let Some((j, w)) = choice[i].take() else {
                i += 1;
                continue;
            };
            found.push(Found {
                kind: EntityKind::Phone,
                value: w.value,
                start: g[i].lead,
                end: g[j].end,
                obfuscated: w.obfuscated,
            });
            i = j + 1;
        }
    }

    /// Reads groups `i..=j` as one number, if they make a valid one.
    fn window(&mut self, g: &[Group], i: usize, j: usize) -> Option<Window> {
        let (first, last) = (&g[i], &g[j]);
        if first.kind == GroupKind::Pipe || last.kind == GroupKind::Pipe {
            return None;
        }
        let w = &g[i..=j];
        if looks_like_date(self.text, w)
            || contains_dated_year(self.text, w)
            || looks_like_list(w)
            || self.next_to_currency(first.lead, last.end)
            // A label names the whole run of groups after it (`ABN 78 744 185 106`), not only its start.
            || after_id_label(&self.text[..g[0].lead])
        {
            return None;
        }
        let pipes = w.iter().filter(|g| g.kind == GroupKind::Pipe).count();
        // Each `|` is a separator or a 1; with up to two of them every reading is tried, fewest 1s first
        // (for two pipes, masks 0, 1, 2, 3 are already in that order).
        let combos: u32 = if pipes > 2 { 1 } else { 1 << pipes };
        let single_bare = i == j && first.kind == GroupKind::Digits && !first.plus;
        let mut obfuscated = pipes > 0 || self.obfuscated(w);
        let mut digits = String::with_capacity(MAX_WINDOW_DIGITS + 2);
        for mask in 0..combos {
            digits.clear();
            let mut pipe_no = 0;
            for grp in w {
                if grp.kind == GroupKind::Pipe {
                    if mask & (1 << pipe_no) != 0 {
                        digits.push('1');
                    }
                    pipe_no += 1;
                } else {
                    digits.push_str(&grp.digits);
                }
            }
            if !(MIN_DIGITS..=MAX_WINDOW_DIGITS).contains(&digits.len()) {
                continue;
            }
            // A bare run of plain digits is as likely an id as a number; keycap or fullwidth digits
            // are not how ids are written, so they need no context.
            if single_bare && !obfuscated && !self.has_context(first.lead, last.end) {
                return None;
            }
            let fallback = i < j && self.has_context(first.lead, last.end);
            if let Some(value) = self.resolve(&digits, first.plus, fallback) {
                obfuscated |= mask != 0;
                return Some(Window { value, obfuscated, digits: digits.len() });
            }
        }
        None
    }

    /// Whether writing the groups took any obfuscation.
    fn obfuscated(&self, w: &[Group]) -> bool {
        if w.iter().any(|g| g.kind != GroupKind::Digits) {
            return true;
        }
        if w.iter().filter(|g| g.digits.len() == 1).count() >= 3 {
            return true;
        }
        const NORMAL: &[&str] = &["", " ", "-", ".", "(", " (", ")", ") ", ")-", " - ", ") - "];
        if w.windows(2).any(|p| !NORMAL.contains(&&self.text[p[0].end..p[1].start])) {
            return true;
        }
        // Keycap, fullwidth and other digits that fold to ASCII ones, and invisible characters between
        // digits, all show as original text that is not plain ASCII digits.
        w.iter().any(|g| {
            let (s, e) = self.folded.original_span(g.start, g.end);
            !self.original[s..e].bytes().all(|b| b.is_ascii_digit())
        })
    }

    fn has_context(&mut self, start: usize, end: usize) -> bool {
        let text = self.text;
        let positions = self.context.get_or_insert_with(|| phone_context_positions(text));
        let lo = positions.partition_point(|&p| p + CONTEXT_WINDOW < start);
        positions.get(lo).is_some_and(|&p| p <= end + CONTEXT_WINDOW)
    }

    fn next_to_currency(&self, start: usize, end: usize) -> bool {
        let before = self.text[..start].trim_end_matches(' ');
        let before_word = before.rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '$').next().unwrap_or("");
        if before.ends_with(['$', '€', '£', '¥', '#']) || matches!(before_word, "rp" | "usd" | "eur" | "idr" | "r$")
        {
            return true;
        }
        let after = self.text[end..].trim_start_matches(' ');
        if after.starts_with(['$', '€', '£', '¥', '%']) {
            return true;
        }
        let word = &after[..after.bytes().take_while(u8::is_ascii_alphabetic).count()];
        matches!(
            word,
            "usd"
                | "eur"
                | "euro"
                | "euros"
                | "dollar"
                | "dollars"
                | "pesos"
                | "reais"
                | "rupiah"
                | "rp"
                | "roses"
                | "gbp"
        )
    }

    /// The E.164 form of the digits, if they are a valid number.
    fn resolve(&mut self, digits: &str, plus: bool, fallback: bool) -> Option<String> {
        if plus {
            return self.international(digits);
        }
        if let Some(rest) = digits.strip_prefix("00")
            && let Some(v) = self.international(rest)
        {
            return Some(v);
        }
        if self.region.is_some()
            && let Some(v) = self.parse(digits, false)
        {
            return Some(v);
        }
        // Without a default country, `call 44 7700 900123` is read as international.
        if fallback && self.region.is_none() && digits.len() >= 10 { self.parse(digits, true) } else { None }
    }

    /// An international number, also when the national trunk `0` was kept after the calling code
    /// (`+44 (0)20 7946 0123`, `0044 020 7946 0123`, `+33 (0)6 12 34 56 78`).
    fn international(&mut self, digits: &str) -> Option<String> {
        if let Some(v) = self.parse(digits, true) {
            return Some(v);
        }
        (1..=3).find_map(|k| {
            if digits.as_bytes().get(k) != Some(&b'0') || LENGTHS_BY_CODE.get(digits[..k].parse::<usize>().ok()?)? == &0
            {
                return None;
            }
            self.parse(&format!("{}{}", &digits[..k], &digits[k + 1..]), true)
        })
    }

    fn parse(&mut self, digits: &str, international: bool) -> Option<String> {
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
            return None;
        }
        // A national number may carry a trunk prefix (`1`, `0`) or a carrier code before its length.
        let plausible = if international {
            plausible_international(digits)
        } else {
            (0..=3).any(|strip| digits.len() >= strip && self.region_lengths & (1 << (digits.len() - strip)) != 0)
        };
        if !plausible {
            return None;
        }
        let memo = usize::from(international);
        if let Some(v) = self.memo[memo].get(digits) {
            return v.clone();
        }
        if self.budget == 0 || self.run_budget == 0 {
            return None;
        }
        self.budget -= 1;
        self.run_budget -= 1;
        let parsed = if international {
            phonenumber::parse(None, format!("+{digits}"))
        } else {
            phonenumber::parse(self.region, digits)
        };
        let v = parsed.ok().and_then(accept);
        self.memo[memo].insert(digits.to_string(), v.clone());
        v
    }
}

/// `100/200/300`, `150 200 250`, `10 20 30 40`, `1 2 3 4 5 6 7`: rates and counting, not a number.
/// Three or more groups of digits that are all round (multiples of 50, two digits or more) or that
/// step by a constant non-zero difference. A real number has such a shape about once in 100,000.
fn looks_like_list(w: &[Group]) -> bool {
    if w.len() < 3 || w.iter().any(|g| g.kind != GroupKind::Digits || g.digits.len() > 6) {
        return false;
    }
    let values: Vec<i64> = w.iter().map(|g| g.digits.parse().unwrap_or(-1)).collect();
    let round = w.iter().zip(&values).all(|(g, v)| g.digits.len() >= 2 && v % 50 == 0);
    let step = values[1] - values[0];
    let progression = step != 0 && values.windows(2).all(|p| p[1] - p[0] == step);
    round || progression
}

/// A date with a four-digit year (1900–2099) inside a longer run of groups, as in `2025-05-29 13:45` or
/// `29/05/2025 1300`: the time or the next number must not turn the date into a phone number. Two-digit
/// groups alone are not enough (French numbers are written `06-12-34-56-78`).
fn contains_dated_year(text: &str, w: &[Group]) -> bool {
    w.len() > 3
        && w.windows(3).any(|t| {
            let year = |g: &Group| g.digits.len() == 4 && (1900..2100).contains(&g.digits.parse::<u32>().unwrap_or(0));
            (year(&t[0]) || year(&t[2])) && looks_like_date(text, t)
        })
}

/// `2024-05-01`, `01/05/2024`, `1.5.24`: three digit groups joined by one repeated `-`, `/` or `.`.
fn looks_like_date(text: &str, w: &[Group]) -> bool {
    if w.len() != 3 || w.iter().any(|g| g.kind != GroupKind::Digits) {
        return false;
    }
    let s1 = &text[w[0].end..w[1].start];
    let s2 = &text[w[1].end..w[2].start];
    if s1 != s2 || !matches!(s1, "-" | "/" | ".") {
        return false;
    }
    let n = |g: &Group| g.digits.parse::<u32>().unwrap_or(u32::MAX);
    let l = |g: &Group| g.digits.len();
    let day_month = |a: u32, b: u32| (1..=31).contains(&a) && (1..=31).contains(&b) && (a <= 12 || b <= 12);
    (l(&w[0]) == 4 && l(&w[1]) <= 2 && l(&w[2]) <= 2 && day_month(n(&w[1]), n(&w[2])))
        || (l(&w[0]) <= 2 && l(&w[1]) <= 2 && matches!(l(&w[2]), 2 | 4) && day_month(n(&w[0]), n(&w[1])))
}
