//! A classifier's assessment of one ad: a calibrated risk and the evidence for every indicator.

use serde::{Deserialize, Serialize};

use crate::AdKind;

/// A span of the ad's scoring text (see [`crate::ad::scoring_text`]) that made an indicator fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Byte offset of the first byte of the match in the scoring text.
    pub start: usize,
    /// Byte offset one past the last byte of the match.
    pub end: usize,
    /// The matched text itself, so a reader needs not the ad to see what fired.
    pub text: String,
}

/// One indicator that fired on an ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredIndicator {
    /// The indicator's stable id from the catalogue, e.g. `job.fee_required`.
    pub id: String,
    /// What the indicator means, in plain language.
    pub description: String,
    /// How much the indicator moved the score, in log-odds; negative indicators lower risk.
    pub weight: f32,
    /// The spans that made it fire; empty for indicators that rest on context (e.g. shared contacts).
    pub evidence: Vec<Evidence>,
    /// A note for indicators whose evidence is not a span, e.g. "phone shared by 14 ads in 5 cities".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The three-way answer shown to a job seeker, derived from the risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Nothing that stands out.
    LikelyLegitimate,
    /// Some warning signs: be careful.
    Suspicious,
    /// Strong signs of fraud or exploitation.
    LikelyFraudulent,
}

impl Verdict {
    /// The verdict's name in English, for CLI output.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::LikelyLegitimate => "likely legitimate",
            Verdict::Suspicious => "suspicious",
            Verdict::LikelyFraudulent => "likely fraudulent",
        }
    }
}

/// The full result of scoring one ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The kind of ad the scorer treated it as.
    pub kind: AdKind,
    /// Calibrated probability that the ad is risky (trafficking indicator or fraud), in `[0, 1]`.
    pub probability: f32,
    /// The probability as a whole number from 0 to 100, the figure shown to people.
    pub risk: u8,
    /// The job-seeker verdict for this risk.
    pub verdict: Verdict,
    /// The detected language (ISO 639-1 code) or `None` when detection was not confident.
    pub language: Option<String>,
    /// Whether the language-specific indicators cover the detected language; when false only the
    /// language-independent parts scored the ad.
    pub language_supported: bool,
    /// The indicators that fired, strongest first.
    pub indicators: Vec<FiredIndicator>,
    /// The name and version of the model that produced the score.
    pub model: String,
}

/// Converts a probability to the 0–100 risk shown to people.
pub fn risk_from_probability(p: f32) -> u8 {
    if p.is_nan() {
        return 0;
    }
    (p.clamp(0.0, 1.0) * 100.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_is_a_rounded_clamped_percentage() {
        assert_eq!(risk_from_probability(0.0), 0);
        assert_eq!(risk_from_probability(0.994), 99);
        assert_eq!(risk_from_probability(0.995), 100);
        assert_eq!(risk_from_probability(1.7), 100);
        assert_eq!(risk_from_probability(-1.0), 0);
        assert_eq!(risk_from_probability(f32::NAN), 0);
    }
}
