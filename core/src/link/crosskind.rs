//! Recruitment-to-exploitation links: one contact that appears in both job ads and escort ads.
//!
//! Published typologies of trafficking for sexual exploitation (UNODC Global Report on Trafficking in
//! Persons, Polaris typology "escort services" and "hostess/strip clubs", Europol's reports on online
//! recruitment) describe the same people advertising a job — hostess, model, dancer, masseuse,
//! waitress abroad — and selling the recruits in escort ads. A phone number, e-mail or handle found in
//! both kinds of ad is that pattern made visible, and is reported as its own finding.
//!
//! Only contacts that joined ads into a network count ([`LinkReason::SharedContact`] links): a site's
//! own address and a job board's relay address never do (see [`crate::link`]). Each finding names its
//! contact and the ads of each kind that carry it; [`JobEscortContact::links`] turns it into
//! [`LinkReason::JobEscort`] links, linear in its ads: the first job ad to every escort ad, and the first
//! escort ad to every other job ad, so every ad carrying the contact has one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::{Link, LinkReason};
use crate::AdKind;

/// A contact carried by job ads and escort ads alike, with the ads of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEscortContact {
    /// The contact key, `kind:value` (`phone:+17025550148`).
    pub contact: String,
    /// The job ads carrying it, ascending.
    pub job_ads: Vec<i64>,
    /// The escort ads carrying it, ascending.
    pub escort_ads: Vec<i64>,
}

impl JobEscortContact {
    /// The [`LinkReason::JobEscort`] links that record this finding (see the module documentation).
    pub fn links(&self) -> Vec<Link> {
        let (Some(&job), Some(&escort)) = (self.job_ads.first(), self.escort_ads.first()) else {
            return Vec::new();
        };
        let reason = || LinkReason::JobEscort { contact: self.contact.clone() };
        let mut out: Vec<Link> = self.escort_ads.iter().map(|&e| Link::new(job, e, reason())).collect();
        out.extend(self.job_ads[1..].iter().map(|&j| Link::new(j, escort, reason())));
        out
    }
}

/// The contacts that joined both job ads and escort ads, in contact order. `links` is a linking result
/// ([`crate::link::Networks::links`]); `kind_of` names each ad's kind (ads it does not name are skipped).
pub fn job_escort_contacts(links: &[Link], kind_of: &HashMap<i64, AdKind>) -> Vec<JobEscortContact> {
    let mut ads: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for l in links {
        if let LinkReason::SharedContact { contact } = &l.reason {
            let set = ads.entry(contact.as_str()).or_default();
            set.insert(l.a);
            set.insert(l.b);
        }
    }
    ads.into_iter()
        .filter_map(|(contact, ids)| {
            let of = |kind| ids.iter().copied().filter(|id| kind_of.get(id) == Some(&kind)).collect::<Vec<_>>();
            let (job_ads, escort_ads) = (of(AdKind::Job), of(AdKind::Escort));
            (!job_ads.is_empty() && !escort_ads.is_empty()).then(|| JobEscortContact {
                contact: contact.to_string(),
                job_ads,
                escort_ads,
            })
        })
        .collect()
}

/// For each ad carrying such a contact, how many distinct ads of the other kind share one with it.
pub fn other_kind_counts(found: &[JobEscortContact]) -> HashMap<i64, usize> {
    let mut other: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    for f in found {
        for &j in &f.job_ads {
            other.entry(j).or_default().extend(&f.escort_ads);
        }
        for &e in &f.escort_ads {
            other.entry(e).or_default().extend(&f.job_ads);
        }
    }
    other.into_iter().map(|(ad, set)| (ad, set.len())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(a: i64, b: i64, contact: &str) -> Link {
        Link::new(a, b, LinkReason::SharedContact { contact: contact.into() })
    }

    #[test]
    fn a_contact_in_both_kinds_is_found_with_its_ads_and_nothing_else_is() {
        let kinds: HashMap<i64, AdKind> = [
            (1, AdKind::Job),
            (2, AdKind::Escort),
            (3, AdKind::Escort),
            (4, AdKind::Job),
            (5, AdKind::Job),
            (6, AdKind::Escort),
            (7, AdKind::Escort),
        ]
        .into();
        let links = vec![
            shared(1, 2, "phone:+17025550101"),
            shared(1, 3, "phone:+17025550101"),
            shared(1, 4, "phone:+17025550101"),
            // Job ads only, escort ads only, a template and a relay: none of them count.
            shared(4, 5, "email:hr@x.example"),
            shared(6, 7, "handle:telegram:mia"),
            Link::new(5, 6, LinkReason::Template { similarity: 0.9 }),
            Link::new(5, 7, LinkReason::Relay { contact: "email:jobs@board.example".into(), advertisers: 4 }),
        ];
        let found = job_escort_contacts(&links, &kinds);
        assert_eq!(
            found,
            vec![JobEscortContact {
                contact: "phone:+17025550101".into(),
                job_ads: vec![1, 4],
                escort_ads: vec![2, 3]
            }]
        );
        let pairs: Vec<(i64, i64)> = found[0].links().iter().map(|l| (l.a, l.b)).collect();
        assert_eq!(pairs, vec![(1, 2), (1, 3), (2, 4)], "every ad of the contact has one link, none twice");
        assert!(found[0].links().iter().all(|l| l.strength == 1.0 && l.reason.evidence() == "job_escort"));
        let counts = other_kind_counts(&found);
        assert_eq!((counts[&1], counts[&2], counts[&4]), (2, 2, 2));
        assert!(!counts.contains_key(&5) && !counts.contains_key(&6));
    }
}
