//! Ads as the crawler delivers them and as the store versions them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Which kind of board an ad comes from; it decides which indicator families and model apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum AdKind {
    /// Escort and adult-services classifieds: sex-trafficking indicators.
    Escort,
    /// Job and recruitment ads: recruitment-fraud and labour-trafficking indicators.
    Job,
}

impl AdKind {
    /// The lowercase name used in config files, the store, the index and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AdKind::Escort => "escort",
            AdKind::Job => "job",
        }
    }
}

impl fmt::Display for AdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a string that names no [`AdKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown ad kind {0:?} (expected \"escort\" or \"job\")")]
pub struct UnknownAdKind(pub String);

impl FromStr for AdKind {
    type Err = UnknownAdKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "escort" => Ok(AdKind::Escort),
            "job" => Ok(AdKind::Job),
            _ => Err(UnknownAdKind(s.to_string())),
        }
    }
}

/// The fields a site adapter pulls out of one ad page, before entity extraction.
///
/// Every field is the text as the page showed it (whitespace collapsed); none is trusted. Optional fields
/// are `None` when the adapter found nothing, never an empty string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdFields {
    /// The ad's headline.
    pub title: String,
    /// The ad's main text.
    pub body: String,
    /// The city or area the page names for the ad.
    pub city: Option<String>,
    /// The price or pay as written, e.g. `"$200/hr"` or `"2.500 € al mes"`.
    pub price: Option<String>,
    /// The posting date as written on the page.
    pub posted_at: Option<String>,
    /// A dedicated contact field (phone, e-mail or handle) when the page has one apart from the body.
    pub contact: Option<String>,
    /// The stated age, for escort ads that have such a field.
    pub age: Option<String>,
    /// The advertiser or employer name, for job ads.
    pub company: Option<String>,
}

impl AdFields {
    /// The text the classifier scores and evidence offsets point into: title, a blank line, body.
    pub fn scoring_text(&self) -> String {
        scoring_text(&self.title, &self.body)
    }

    /// All the text of the ad, for entity extraction: title, body and the short fields.
    pub fn all_text(&self) -> String {
        let mut s = self.scoring_text();
        for extra in [&self.contact, &self.price, &self.age, &self.city, &self.company].into_iter().flatten() {
            s.push('\n');
            s.push_str(extra);
        }
        s
    }

    /// A stable hash of the fields that make a new version when they change (text, price, contacts).
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            Some(&self.title),
            Some(&self.body),
            self.city.as_ref(),
            self.price.as_ref(),
            self.contact.as_ref(),
            self.age.as_ref(),
            self.company.as_ref(),
        ] {
            // A separator that cannot occur in collapsed text keeps ("ab","c") apart from ("a","bc").
            h.update(part.map(|s| s.as_str()).unwrap_or("\u{1}"));
            h.update([0u8]);
        }
        hex::encode(h.finalize())
    }
}

/// Joins a title and body the way every component does, so evidence offsets agree everywhere.
pub fn scoring_text(title: &str, body: &str) -> String {
    let mut s = String::with_capacity(title.len() + body.len() + 2);
    s.push_str(title);
    s.push_str("\n\n");
    s.push_str(body);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trips_through_its_name() {
        for k in [AdKind::Escort, AdKind::Job] {
            assert_eq!(k.as_str().parse::<AdKind>().unwrap(), k);
        }
        assert!("massage".parse::<AdKind>().is_err());
    }

    #[test]
    fn content_hash_separates_fields() {
        let a = AdFields { title: "ab".into(), body: "c".into(), ..Default::default() };
        let b = AdFields { title: "a".into(), body: "bc".into(), ..Default::default() };
        assert_ne!(a.content_hash(), b.content_hash());
        let c = AdFields { price: Some("$10".into()), ..a.clone() };
        assert_ne!(a.content_hash(), c.content_hash());
        assert_eq!(a.content_hash(), a.clone().content_hash());
    }
}
