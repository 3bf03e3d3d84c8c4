//! The job-seeker check: one pasted or fetched ad in, a verdict with red flags, quoted evidence and
//! safety tips in the ad's language out. The CLI, the dashboard's `/check` page and a chat bot all call
//! [`check`] (or [`check_bytes`] for raw input) and render the [`CheckReport`].

use redflag_core::ad::scoring_text;
use redflag_core::{AdKind, Verdict};
use serde::Serialize;

use crate::classifier::{AdInput, Classifier};
use crate::error::{Error, Result};

/// The most bytes of input that are checked; longer input is cut and the report says so.
pub const MAX_CHECK_BYTES: usize = 100 * 1024;

/// A quoted span of the checked text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// Byte offset of the quote in the checked text (after any cut).
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The quoted text.
    pub text: String,
}

/// One indicator as a job seeker sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedFlag {
    /// The indicator's catalogue id.
    pub id: String,
    /// Its title in the report's language.
    pub title: String,
    /// Its plain-English description.
    pub description: String,
    /// The passages that triggered it.
    pub evidence: Vec<Quote>,
    /// A note for indicators without a passage (e.g. "no company name ... found").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What to do about it, in the report's language.
    pub tip: String,
    /// Its effect on the risk in log-odds (negative for good signs).
    pub weight: f32,
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in the report's language.
    pub verdict_label: String,
    /// Risk from 0 to 100.
    pub risk: u8,
    /// The calibrated probability behind the risk.
    pub probability: f32,
    /// The ad kind it was checked as.
    pub kind: AdKind,
    /// The detected language, if detection was confident.
    pub language: Option<String>,
    /// Whether the language-specific checks cover the text.
    pub language_supported: bool,
    /// The language of titles, tips and labels in this report (English when unsupported).
    pub report_language: String,
    /// Warning signs, strongest first.
    pub red_flags: Vec<RedFlag>,
    /// Reassuring signs found.
    pub good_signs: Vec<RedFlag>,
    /// General safety advice for this kind of ad.
    pub general_tips: Vec<String>,
    /// Whether the input was cut to [`MAX_CHECK_BYTES`].
    pub truncated: bool,
    /// The size of the input in bytes, before any cut.
    pub input_bytes: usize,
    /// The model that scored the ad.
    pub model: String,
    /// Sentences about the check itself (truncation, unsupported language), in the report's language.
    pub notices: Vec<String>,
}

/// Checks raw input: rejects binary data, decodes UTF-8 (replacing a few invalid bytes), then
/// [`check`]s it.
pub fn check_bytes(c: &Classifier, bytes: &[u8], kind_hint: Option<AdKind>) -> Result<CheckReport> {
    if bytes.contains(&0) {
        return Err(Error::BinaryInput { reason: "it contains NUL bytes".into() });
    }
    let head = &bytes[..bytes.len().min(MAX_CHECK_BYTES + 4)];
    let text = String::from_utf8_lossy(head);
    let replaced = text.chars().filter(|&ch| ch == char::REPLACEMENT_CHARACTER).count();
    let total = text.chars().count().max(1);
    if replaced * 20 > total {
        return Err(Error::BinaryInput { reason: "it is not UTF-8 text".into() });
    }
    let mut report = check(c, &text, kind_hint)?;
    if bytes.len() > head.len() {
        report.truncated = true;
    }
    report.input_bytes = bytes.len();
    Ok(report)
}

/// Checks one ad's text. The first line counts as the title when it is short; an empty text is an
/// error, text in an unsupported language is checked by the language-independent indicators only.
pub fn check(c: &Classifier, text: &str, kind_hint: Option<AdKind>) -> Result<CheckReport> {
    if text.trim().is_empty() {
        return Err(Error::EmptyInput);
    }
    let controls = text.chars().filter(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')).count();
    if text.contains('\0') || controls * 10 > text.chars().count() {
        return Err(Error::BinaryInput { reason: "it is mostly control characters".into() });
    }
    let input_bytes = text.len();
    let cut = redflag_core::text::truncate_bytes(text, MAX_CHECK_BYTES);
    let truncated = cut.len() < text.len();
    let (title, body, split) = split_title(cut);
    let mut input = AdInput::new(title, body);
    input.kind = kind_hint;
    let a = c.assess(&input);
    let scoring = scoring_text(title, body);
    // Map scoring-text offsets back to the checked text.
    let to_input = |s: usize| -> usize {
        match split {
            Split::Line(p) if s >= p + 2 => s - 1,
            Split::Line(p) if s > p => p,
            Split::Line(_) => s,
            Split::None => s.saturating_sub(2),
        }
    };
    let lang = a
        .language
        .as_deref()
        .filter(|l| redflag_core::lang::SUPPORTED.contains(l) && a.language_supported)
        .unwrap_or("en");
    let cat = c.catalogue();
    let mut red_flags = Vec::new();
    let mut good_signs = Vec::new();
    for f in &a.indicators {
        let (title, tip) = match cat.index_of(&f.id).map(|i| &cat.indicators[i]) {
            Some(ind) => (ind.title(lang), ind.tip(lang)),
            None => match cat.messages.explanation(&f.id, lang) {
                Some(t) => t,
                None => continue,
            },
        };
        let evidence = f
            .evidence
            .iter()
            .filter(|e| e.end <= scoring.len())
            .map(|e| {
                let (s, t) = (to_input(e.start), to_input(e.end));
                Quote { start: s, end: t.max(s), text: e.text.clone() }
            })
            .collect();
        let flag = RedFlag {
            id: f.id.clone(),
            title: title.to_string(),
            description: f.description.clone(),
            evidence,
            note: f.note.clone(),
            tip: tip.to_string(),
            weight: f.weight,
        };
        if f.weight < 0.0 {
            good_signs.push(flag);
        } else {
            red_flags.push(flag);
        }
    }
    let mut notices = Vec::new();
    if truncated {
        notices.push(cat.messages.heading("truncated", lang).to_string());
    }
    if !a.language_supported {
        notices.push(cat.messages.heading("unsupported_language", lang).to_string());
    }
    Ok(CheckReport {
        verdict: a.verdict,
        verdict_label: cat.messages.verdict(a.verdict, lang).to_string(),
        risk: a.risk,
        probability: a.probability,
        kind: a.kind,
        language: a.language.clone(),
        language_supported: a.language_supported,
        report_language: lang.to_string(),
        red_flags,
        good_signs,
        general_tips: cat.messages.tips(a.kind, lang).to_vec(),
        truncated,
        input_bytes,
        model: a.model,
        notices,
    })
}

enum Split {
    /// The title is the text before the newline at this offset.
    Line(usize),
    /// No title: the whole text is the body.
    None,
}

/// The longest first line that still counts as a title.
const MAX_TITLE_LINE: usize = 200;

fn split_title(text: &str) -> (&str, &str, Split) {
    match text.find('\n') {
        Some(p) if p <= MAX_TITLE_LINE && !text[..p].trim().is_empty() => (&text[..p], &text[p + 1..], Split::Line(p)),
        _ => ("", text, Split::None),
    }
}

impl CheckReport {
    /// The report as plain text for a terminal, in the report's language.
    pub fn render_text(&self, c: &Classifier) -> String {
        let m = &c.catalogue().messages;
        let lang = self.report_language.as_str();
        let mut s = String::new();
        s.push_str(&format!(
            "{}: {}/100 — {}\n",
            m.heading("risk", lang),
            self.risk,
            self.verdict_label.to_uppercase()
        ));
        for n in &self.notices {
            s.push_str(&format!("! {n}\n"));
        }
        s.push('\n');
        if self.red_flags.is_empty() {
            s.push_str(m.heading("no_flags", lang));
            s.push('\n');
        } else {
            s.push_str(&format!("{}:\n", m.heading("red_flags", lang)));
            for f in &self.red_flags {
                render_flag(&mut s, f);
            }
        }
        if !self.good_signs.is_empty() {
            s.push_str(&format!("\n{}:\n", m.heading("good_signs", lang)));
            for f in &self.good_signs {
                render_flag(&mut s, f);
            }
        }
        s.push_str(&format!("\n{}:\n", m.heading("tips", lang)));
        for t in &self.general_tips {
            s.push_str(&format!("  - {t}\n"));
        }
        s
    }
}

fn render_flag(s: &mut String, f: &RedFlag) {
    s.push_str(&format!("  * {}\n", f.title));
    for q in f.evidence.iter().take(3) {
        let one_line: String = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
        s.push_str(&format!("      \"{one_line}\"\n"));
    }
    if let Some(n) = &f.note {
        s.push_str(&format!("      ({n})\n"));
    }
    s.push_str(&format!("      → {}\n", f.tip));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_first_line_is_the_title() {
        let (t, b, _) = split_title("Driver wanted\nGood pay");
        assert_eq!((t, b), ("Driver wanted", "Good pay"));
        let (t, b, _) = split_title("no newline at all");
        assert_eq!((t, b), ("", "no newline at all"));
        let long = format!("{}\nrest", "x".repeat(300));
        assert_eq!(split_title(&long).0, "");
    }
}
