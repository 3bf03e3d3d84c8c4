//! Grouping ads into networks: ads that share a contact, reuse one text template, or show copies of one
//! picture belong together.
//!
//! A false network sends an investigation after people who have nothing to do with each other, so every
//! link carries its reason and a strength, and weak evidence never chains groups together.
//!
//! # Shared contacts
//!
//! Ads carrying the same contact key are joined (strength 1). A key shared by `k` ads yields `k - 1` star
//! links from the ad with the smallest id, never all pairs, so links stay linear in the input. A key on
//! more than [`LinkOptions::common_contact_share`] of the ads of a corpus of at least
//! [`COMMON_CONTACT_MIN_ADS`] ads is the site's own address (a footer e-mail, a switchboard number), not
//! evidence, and is ignored.
//!
//! A contact that ads naming many different advertisers share, with nothing else joining those ads, is
//! a relay — a job board's reply address — not the ads' own: it is kept as a weak
//! [`LinkReason::Relay`] link and joins no network (see `relays` for the exact rule, which spares a
//! network posting under a new company name in each ad but reusing its contacts or text).
//!
//! # Reused templates
//!
//! Networks post one text many times with the name, number and city changed. Each ad's text is reduced
//! to a template ([`template`]: slots masked, word 5-shingles hashed), and each shingle weighs less the
//! more ads of the corpus contain it, so standard duty and benefit sentences that many unrelated
//! employers use, common escort phrasing and site boilerplate count for little. Two ads are a template
//! pair when the weighted Jaccard similarity of their shingles reaches
//! [`LinkOptions::template_similarity`] and the weight they share (each shingle counting at least
//! [`template::MASS_FLOOR`]) reaches [`LinkOptions::min_shared_weight`] (so short texts made of common
//! phrases never link, while a long text copied whole does); ads naming two
//! different advertisers need [`LinkOptions::cross_advertiser_similarity`].
//!
//! Candidate pairs come from a 128-value MinHash of the shingles (fixed seeds, so results are
//! reproducible): ads with identical signatures, and LSH banding over the rest, where inside one bucket
//! each ad is compared with at most [`MAX_BUCKET_REPRESENTATIVES`] earlier ads from distinct groups, so a
//! bucket of 10,000 copies costs 10,000 comparisons, not 50 million.
//!
//! Confirmed pairs are then clustered by **average linkage**, strongest pair first: two template groups
//! merge only when the mean similarity between their members (up to [`LINKAGE_SAMPLE`] from each side)
//! reaches the threshold too. One strong pair between two ads therefore never chains two otherwise
//! unrelated groups into one, as single linkage (connected components) would. One link is kept per merge.
//!
//! # Shared pictures
//!
//! [`link_with_images`] also joins ads that show copies of one picture (resized, recompressed, slightly
//! cropped), from the fingerprints the crawler stored: see [`image`] for the rule, and for why a picture
//! many different advertisers show (a logo, a placeholder) weighs less and then links nobody. Each
//! picture yields star links from the first ad showing it, like a shared contact.
//!
//! # After linking: job and escort ads on one contact, and network figures
//!
//! Linking sees no ad kinds, sites or dates. With them, analysis finds the contacts that joined job
//! ads and escort ads ([`crosskind`], recorded as [`LinkReason::JobEscort`] links beside the
//! shared-contact links, never joining anything on their own) and computes each network's figures —
//! ads, cities, sites, names, time span, posting rate ([`features`]) — into [`NetworkContext`].
//!
//! # Networks and same-advertiser groups
//!
//! A network is a connected set of ads under shared-contact links, template merges and image links. When every ad of
//! a group names the same advertiser (the employer of a job ad, from a company field or named in the text,
//! [`employer`]), the group is a [`GroupKind::SameAdvertiser`] relation — one employer's postings — and
//! not a network of concern. Ads naming different advertisers, or some naming none, stay a network.
//!
//! # Linking part of a corpus
//!
//! [`link_part`] links a part of a larger corpus — what incremental analysis does with the ads that new
//! ads can affect — given what it needs to know about the rest ([`Corpus`]): the corpus's size (for the
//! site's own contacts), how many ads carry each contact and how many carry each shingle (for template
//! weights). [`template_keys`] gives the shingles and LSH band keys the store keeps per ad, by which the
//! part's candidates are found: two ads that share no band key are never compared.
//!
//! # Cost
//!
//! Linear in the total text and contact size, plus the LSH bucket work and `LINKAGE_SAMPLE²` similarity
//! checks per merge: 100,000 ads link in a few seconds on one core. Output is deterministic: same input,
//! same clusters, links and order.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::text::fold;

pub mod crosskind;
pub mod employer;
pub mod features;
pub mod image;
mod minhash;
pub mod template;

pub use features::NetworkFeatures;

use minhash::{HASHES, Signatures, band_key, rows_per_band};
use template::{Weighted, shingles, similarity, weight};

/// What [`link`] needs to know about one ad.
#[derive(Debug, Clone)]
pub struct LinkInput<'a> {
    /// The ad's id in the store.
    pub ad_id: i64,
    /// Contact keys, `kind:value` (e.g. `phone:+17025550148`, `email:a@b.c`, `handle:telegram:x`).
    pub contacts: Vec<String>,
    /// The ad's scoring text, compared for reused templates.
    pub text: &'a str,
    /// The ad's city, counted to show how far a contact travels.
    pub city: Option<&'a str>,
}

/// Why two ads are linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkReason {
    /// Both ads carry this contact key.
    SharedContact {
        /// The contact key.
        contact: String,
    },
    /// Both ads carry a contact that ads of many different named advertisers share — a job board's
    /// relay or reply address, a recruiter's switchboard — with nothing else joining them. A weak link:
    /// recorded, never merged into a network.
    Relay {
        /// The contact key.
        contact: String,
        /// How many different advertisers the ads carrying it name.
        advertisers: usize,
    },
    /// The ads' texts are near-duplicates once contacts, numbers and names are masked.
    Template {
        /// Weighted Jaccard similarity of their word shingles (common shingles weigh less).
        similarity: f32,
    },
    /// The ads show copies of one picture (see [`image`]).
    Image {
        /// Bits in which the two copies' perceptual hashes differ (0 for the same picture).
        distance: u32,
        /// How many distinct advertisers show the picture.
        advertisers: usize,
    },
    /// A job ad and an escort ad carry this contact ([`crosskind`]): recorded beside the shared-contact
    /// link that joined them, never merged on its own.
    JobEscort {
        /// The contact key.
        contact: String,
    },
}

impl LinkReason {
    /// The kind of evidence: `phone`, `email`, `handle` (or another contact kind) for a shared contact,
    /// `relay` for a relay address, `template` for a reused text, `image` for a shared picture and
    /// `job_escort` for a contact carried by job ads and escort ads alike.
    pub fn evidence(&self) -> &str {
        match self {
            LinkReason::SharedContact { contact } => contact.split_once(':').map_or("contact", |(k, _)| k),
            LinkReason::Relay { .. } => "relay",
            LinkReason::Template { .. } => "template",
            LinkReason::Image { .. } => "image",
            LinkReason::JobEscort { .. } => "job_escort",
        }
    }
}

/// An edge between two ads (`a < b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The lower ad id.
    pub a: i64,
    /// The higher ad id.
    pub b: i64,
    /// Why they are linked.
    pub reason: LinkReason,
    /// How strong the evidence is, 0–1: 1 for a shared contact, the similarity for a template.
    pub strength: f32,
}

impl Link {
    /// A link with the strength its reason implies.
    pub fn new(a: i64, b: i64, reason: LinkReason) -> Link {
        let strength = match &reason {
            LinkReason::SharedContact { .. } | LinkReason::JobEscort { .. } => 1.0,
            LinkReason::Relay { advertisers, .. } => 1.0 / (*advertisers).max(2) as f32,
            LinkReason::Template { similarity } => *similarity,
            LinkReason::Image { distance, advertisers } => image::strength(*distance, *advertisers),
        };
        Link { a: a.min(b), b: a.max(b), reason, strength }
    }
}

/// What a group of linked ads is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Ads of different or unnamed advertisers joined by contacts or a template: a network of concern.
    Network,
    /// Ads that all name one advertiser (an employer's own postings).
    SameAdvertiser,
}

impl GroupKind {
    /// The name used in the store and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Network => "network",
            GroupKind::SameAdvertiser => "same_advertiser",
        }
    }

    /// Parses [`GroupKind::as_str`]'s names; anything else is a network.
    pub fn parse(s: &str) -> GroupKind {
        if s == "same_advertiser" { GroupKind::SameAdvertiser } else { GroupKind::Network }
    }
}

/// What linking says about one ad, as context for scoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkContext {
    /// The most ads any one of this ad's contacts appears in (this ad included).
    pub ads_sharing_contact: usize,
    /// The most distinct cities any one of this ad's contacts appears in.
    pub cities_sharing_contact: usize,
    /// How many ads share this ad's text template (this ad included; 1 when none).
    pub template_group_size: usize,
    /// How many ads are in this ad's network (this ad included).
    pub cluster_size: usize,
    /// What the ad's network is like (size, cities, sites, names, time span); filled in by analysis,
    /// which knows the ads' sites and dates ([`features`]).
    pub network: NetworkFeatures,
    /// How many ads of the other kind (escort ads for a job ad, job ads for an escort ad) share a
    /// contact with this ad ([`crosskind`]); filled in by analysis, which knows the ads' kinds.
    pub job_escort_ads: usize,
}

/// Tuning for [`link`].
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Minimum weighted Jaccard similarity for two texts to count as one template, and minimum mean
    /// similarity between two template groups for them to merge.
    pub template_similarity: f32,
    /// Minimum similarity for a template pair of ads that name two different advertisers.
    pub cross_advertiser_similarity: f32,
    /// Minimum mass two texts must share: their shared weight, a shingle found in few ads weighing 1 and
    /// none less than [`template::MASS_FLOOR`].
    pub min_shared_weight: f32,
    /// A contact on more than this share of the ads is the site's own (see the module documentation).
    pub common_contact_share: f32,
    /// Picture hashes at most this many bits apart may be one picture (see [`image`]).
    pub image_distance: u32,
    /// Picture thumbnails at most this far apart may be one picture (see [`image`]).
    pub image_colour: f32,
    /// Minimum strength of an image link (closeness times the picture's weight, see [`image`]).
    pub min_image_strength: f32,
}

impl Default for LinkOptions {
    fn default() -> Self {
        Self {
            template_similarity: 0.5,
            cross_advertiser_similarity: 0.8,
            min_shared_weight: 6.0,
            common_contact_share: 0.5,
            image_distance: image::NEAR_DUPLICATE_DISTANCE,
            image_colour: image::MAX_COLOUR_DIFFERENCE,
            min_image_strength: 0.5,
        }
    }
}

/// The networks found among a set of ads.
#[derive(Debug, Clone, Default)]
pub struct Networks {
    /// Each ad's cluster id: the smallest ad id in its group (an ad alone is its own cluster).
    pub cluster_of: HashMap<i64, i64>,
    /// What each group of more than one ad is, by cluster id.
    pub kind_of: HashMap<i64, GroupKind>,
    /// The edges that joined ads, enough to explain every cluster.
    pub links: Vec<Link>,
    /// Per-ad context for scoring.
    pub context: HashMap<i64, NetworkContext>,
}

/// What linking part of a corpus needs to know about the whole of it ([`link_part`]).
///
/// Each figure is used where it exceeds what the inputs themselves show, so an empty `Corpus` (the
/// default) links the inputs as a corpus of their own.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Ads in the whole corpus, for the share above which a contact is the site's own
    /// ([`LinkOptions::common_contact_share`]).
    pub ads: usize,
    /// How many ads of the corpus carry each contact key.
    pub contact_ads: HashMap<String, usize>,
    /// How many ads of the corpus carry each template shingle (see [`template`] on weights).
    pub shingle_ads: HashMap<u32, u32>,
}

pub use template::MIN_TEMPLATE_WORDS;

/// Comparisons per ad in one LSH bucket (see the module documentation).
pub const MAX_BUCKET_REPRESENTATIVES: usize = 32;

/// Members sampled from each side when checking whether two template groups may merge.
pub const LINKAGE_SAMPLE: usize = 6;

/// A contact shared by ads naming at least this many different advertisers may be a relay.
pub const RELAY_MIN_ADVERTISERS: usize = 3;

/// Corpora smaller than this have no "site's own" contacts (see the module documentation).
pub const COMMON_CONTACT_MIN_ADS: usize = 50;

/// Links ads into networks by shared contacts and reused text templates, with no advertiser names.
///
/// See [`link_advertised`].
pub fn link(inputs: &[LinkInput<'_>], opts: &LinkOptions) -> Networks {
    link_advertised(inputs, &[], opts)
}

/// The advertiser (employer) an ad names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advertiser<'a> {
    /// The name as written.
    pub name: &'a str,
    /// True when the name was read from the ad's text ([`employer::named_employer`]) rather than from a
    /// company field of the page. Such names decide whether a group is one advertiser's, but do not
    /// raise the bar for template links ([`LinkOptions::cross_advertiser_similarity`]): a network that
    /// changes its company name from ad to ad still reuses its text.
    pub from_text: bool,
}

/// Links ads into networks by shared contacts and reused text templates; `advertisers[i]`, when given,
/// is the advertiser (employer) that `inputs[i]` names in a company field.
///
/// See [`link_named`].
pub fn link_advertised(inputs: &[LinkInput<'_>], advertisers: &[Option<&str>], opts: &LinkOptions) -> Networks {
    let named: Vec<Option<Advertiser<'_>>> =
        advertisers.iter().map(|a| a.map(|name| Advertiser { name, from_text: false })).collect();
    link_named(inputs, &named, opts)
}

/// Links ads into networks by shared contacts and reused text templates; `advertisers[i]`, when given,
/// is the advertiser (employer) that `inputs[i]` names.
///
/// Ads are identified by `ad_id`; inputs repeating an id are merged (their contacts pooled, the first
/// text and advertiser used). Contact keys are compared exactly after trimming; empty keys are ignored.
/// Cities and advertisers are compared case- and accent-insensitively.
///
/// For an ad without contacts, `ads_sharing_contact` is 1 and `cities_sharing_contact` is 1 if it has a
/// city, else 0.
pub fn link_named(inputs: &[LinkInput<'_>], advertisers: &[Option<Advertiser<'_>>], opts: &LinkOptions) -> Networks {
    link_with_images(inputs, advertisers, &[], opts)
}

/// [`link_named`], and ads showing copies of one picture linked too: `images` lists `(ad id, picture
/// fingerprint)` pairs (see [`image`]). Image links join networks like template links; a picture shown by many
/// distinct advertisers is discounted, and one shown by very many links nobody.
pub fn link_with_images(
    inputs: &[LinkInput<'_>],
    advertisers: &[Option<Advertiser<'_>>],
    images: &[(i64, image::Fingerprint)],
    opts: &LinkOptions,
) -> Networks {
    link_part(inputs, advertisers, images, &Corpus::default(), opts)
}

/// [`link_with_images`] over part of a larger corpus: the quantities that depend on the whole corpus
/// (which contacts are the site's own, how common each shingle is) come from `corpus` wherever it knows
/// more than the inputs show. With an empty [`Corpus`] this is [`link_with_images`].
///
/// Incremental analysis links the ads that new ads can affect, with every ad carrying their contacts and
/// whole networks, so contact sharing and relays are judged on every ad concerned; see [`Corpus`].
pub fn link_part(
    inputs: &[LinkInput<'_>],
    advertisers: &[Option<Advertiser<'_>>],
    images: &[(i64, image::Fingerprint)],
    corpus: &Corpus,
    opts: &LinkOptions,
) -> Networks {
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    for (k, input) in inputs.iter().enumerate() {
        let idx = *by_id.entry(input.ad_id).or_insert_with(|| {
            nodes.push(Node {
                id: input.ad_id,
                text: input.text,
                city: None,
                advertiser: None,
                field_advertiser: false,
                contacts: Vec::new(),
            });
            nodes.len() - 1
        });
        let node = &mut nodes[idx];
        if node.city.is_none() {
            node.city = input.city.map(normalize_name).filter(|c| !c.is_empty());
        }
        if node.advertiser.is_none() {
            let named = advertisers.get(k).copied().flatten();
            node.advertiser = named.map(|a| normalize_name(a.name)).filter(|c| !c.is_empty());
            node.field_advertiser = node.advertiser.is_some() && named.is_some_and(|a| !a.from_text);
        }
        node.contacts.extend(input.contacts.iter().map(|c| c.trim()).filter(|c| !c.is_empty()));
    }
    // Work in ad-id order so every tie (star centres, representatives) resolves the same way each run.
    nodes.sort_by_key(|n| n.id);
    for n in &mut nodes {
        n.contacts.sort_unstable();
        n.contacts.dedup();
    }
    let n = nodes.len();
    let mut net = UnionFind::new(n);
    let mut links = Vec::new();

    // Shared contacts.
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        for &c in &node.contacts {
            members.entry(c).or_default().push(i);
        }
    }
    let mut contacts: Vec<(&str, Vec<usize>)> = members.into_iter().collect();
    contacts.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let common = common_contact_limit(n.max(corpus.ads), opts);
    contacts.retain(|(c, ads)| {
        let carried = ads.len().max(corpus.contact_ads.get(*c).copied().unwrap_or(0));
        common.is_none_or(|limit| carried <= limit)
    });
    // Templates first: they corroborate contacts (see `relays`).
    let templates = template_groups(&nodes, &corpus.shingle_ads, opts);
    let mut groups = templates.groups;
    let relay = relays(&nodes, &contacts, &mut groups);
    let mut sharing = vec![1usize; n];
    let mut cities = vec![0usize; n];
    for (i, node) in nodes.iter().enumerate() {
        cities[i] = usize::from(node.city.is_some());
    }
    for (k, (contact, ads)) in contacts.iter().enumerate() {
        if let Some(advertisers) = relay[k] {
            let Some((&centre, rest)) = ads.split_first() else { continue };
            for &other in rest {
                links.push(Link::new(
                    nodes[centre].id,
                    nodes[other].id,
                    LinkReason::Relay { contact: (*contact).to_string(), advertisers },
                ));
            }
            continue;
        }
        let mut distinct: Vec<&str> = ads.iter().filter_map(|&i| nodes[i].city.as_deref()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        for &i in ads {
            sharing[i] = sharing[i].max(ads.len());
            cities[i] = cities[i].max(distinct.len());
        }
        let Some((&centre, rest)) = ads.split_first() else { continue };
        for &other in rest {
            net.union(centre, other);
            links.push(Link::new(
                nodes[centre].id,
                nodes[other].id,
                LinkReason::SharedContact { contact: (*contact).to_string() },
            ));
        }
    }

    // Reused templates.
    for (a, b, similarity) in &templates.joins {
        net.union(*a, *b);
        links.push(Link::new(nodes[*a].id, nodes[*b].id, LinkReason::Template { similarity: *similarity }));
    }

    // Shared pictures. An advertiser is the group an ad is in so far (contacts and templates), or the
    // advertiser it names: a network's own photo counts once however many of its ads show it.
    if !images.is_empty() {
        let pos: HashMap<i64, usize> = nodes.iter().enumerate().map(|(i, node)| (node.id, i)).collect();
        let mut pictures: Vec<Vec<image::Fingerprint>> = vec![Vec::new(); n];
        for (ad, fp) in images {
            if let Some(&i) = pos.get(ad) {
                pictures[i].push(*fp);
            }
        }
        let mut names: HashMap<&str, usize> = HashMap::new();
        let key: Vec<usize> = (0..n)
            .map(|i| match nodes[i].advertiser.as_deref() {
                Some(name) => {
                    let next = n + names.len();
                    *names.entry(name).or_insert(next)
                }
                None => net.find(i),
            })
            .collect();
        let joins =
            image::image_joins(&pictures, &key, opts.image_distance, opts.image_colour, opts.min_image_strength);
        for j in joins {
            net.union(j.a, j.b);
            links.push(Link {
                a: nodes[j.a].id.min(nodes[j.b].id),
                b: nodes[j.a].id.max(nodes[j.b].id),
                reason: LinkReason::Image { distance: j.distance, advertisers: j.advertisers },
                strength: j.strength,
            });
        }
    }
    // Clusters, their kinds and context.
    let mut cluster_min: HashMap<usize, i64> = HashMap::new();
    let mut advertiser: HashMap<usize, Option<&str>> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let root = net.find(i);
        let e = cluster_min.entry(root).or_insert(node.id);
        *e = (*e).min(node.id);
        let named = node.advertiser.as_deref();
        advertiser
            .entry(root)
            .and_modify(|a| {
                if *a != named {
                    *a = None
                }
            })
            .or_insert(named);
    }
    let mut out = Networks::default();
    for (i, node) in nodes.iter().enumerate() {
        let root = net.find(i);
        let cluster = cluster_min[&root];
        out.cluster_of.insert(node.id, cluster);
        if net.size(root) > 1 {
            let kind = if advertiser[&root].is_some() { GroupKind::SameAdvertiser } else { GroupKind::Network };
            out.kind_of.insert(cluster, kind);
        }
        let t = groups.find(i);
        out.context.insert(
            node.id,
            NetworkContext {
                ads_sharing_contact: sharing[i],
                cities_sharing_contact: cities[i],
                template_group_size: groups.size(t),
                cluster_size: net.size(root),
                ..NetworkContext::default()
            },
        );
    }
    links.sort_by(|x, y| (x.a, x.b, reason_order(&x.reason)).cmp(&(y.a, y.b, reason_order(&y.reason))));
    out.links = links;
    out
}

struct Node<'a> {
    id: i64,
    text: &'a str,
    city: Option<String>,
    advertiser: Option<String>,
    /// Whether `advertiser` came from a company field (see [`Advertiser::from_text`]).
    field_advertiser: bool,
    contacts: Vec<&'a str>,
}

fn normalize_name(name: &str) -> String {
    fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn reason_order(r: &LinkReason) -> (u8, &str) {
    match r {
        LinkReason::SharedContact { contact } => (0, contact.as_str()),
        LinkReason::Template { .. } => (1, ""),
        LinkReason::Relay { contact, .. } => (2, contact.as_str()),
        LinkReason::Image { .. } => (3, ""),
        LinkReason::JobEscort { contact } => (4, contact.as_str()),
    }
}

/// For each shared contact, `Some(advertisers)` when it is a relay: an e-mail address outside the free
/// mail providers whose ads name at least [`RELAY_MIN_ADVERTISERS`] different advertisers, no two of them
/// the same one, and fewer than half of whose ads are joined to another of its ads by anything else
/// (another shared contact or one text template). A network that posts under a new company name in every ad but reuses
/// its phone, e-mail or text is corroborated and stays a network.
///
/// Costs one pass over the contacts, plus, for the few that name enough advertisers, a look at each of
/// their ads' other contacts.
fn relays(nodes: &[Node<'_>], contacts: &[(&str, Vec<usize>)], groups: &mut UnionFind) -> Vec<Option<usize>> {
    let mut keys_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, (_, ads)) in contacts.iter().enumerate() {
        if ads.len() > 1 {
            for &i in ads {
                keys_of.entry(i).or_default().push(k);
            }
        }
    }
    contacts
        .iter()
        .enumerate()
        .map(|(k, (contact, ads))| {
            // Relays are reply addresses on an organisation's own domain, never a free mailbox and never
            // a phone: one phone behind many "companies" is what a recruiter's front looks like.
            let domain = contact.strip_prefix("email:").and_then(|e| e.rsplit_once('@')).map(|(_, d)| d)?;
            if crate::extract::is_mail_provider(domain) || ads.len() < RELAY_MIN_ADVERTISERS {
                return None;
            }
            let mut names: Vec<&str> = ads.iter().filter_map(|&i| nodes[i].advertiser.as_deref()).collect();
            let named = names.len();
            names.sort_unstable();
            names.dedup();
            let distinct = names.len();
            if distinct < RELAY_MIN_ADVERTISERS || distinct < named {
                return None;
            }
            let members: std::collections::HashSet<usize> = ads.iter().copied().collect();
            let mut corroborated = 0;
            for &i in ads {
                let other_contact = keys_of.get(&i).is_some_and(|ks| {
                    ks.iter().any(|&o| o != k && contacts[o].1.iter().any(|&j| j != i && members.contains(&j)))
                });
                let ti = groups.find(i);
                let template = ads.iter().any(|&j| j != i && groups.find(j) == ti);
                corroborated += usize::from(other_contact || template);
            }
            (corroborated * 2 < ads.len()).then_some(distinct)
        })
        .collect()
}

/// Template groups: which ads joined (the merges, strongest first) and the resulting sets.
struct TemplateGroups {
    joins: Vec<(usize, usize, f32)>,
    groups: UnionFind,
}

/// Finds template pairs among the nodes and clusters them by average linkage.
/// `corpus_df` gives how many ads of the whole corpus carry a shingle, where it knows more than `nodes`.
fn template_groups(nodes: &[Node<'_>], corpus_df: &HashMap<u32, u32>, opts: &LinkOptions) -> TemplateGroups {
    let n = nodes.len();
    let sets: Vec<Vec<u32>> = nodes.iter().map(|node| shingles(node.text)).collect();
    let mut df: HashMap<u32, u32> = HashMap::new();
    for s in &sets {
        for &h in s {
            *df.entry(h).or_default() += 1;
        }
    }
    for (h, d) in df.iter_mut() {
        *d = (*d).max(corpus_df.get(h).copied().unwrap_or(0));
    }
    let sigs = Signatures::compute(&sets);
    let weighted: Vec<Weighted> =
        sets.into_iter().map(|s| Weighted::new(s, |h| weight(df.get(&h).copied().unwrap_or(1)))).collect();
    drop(df);
    let (threshold, cross) = template_thresholds(opts);
    // A pair's similarity when it is a template pair.
    let pair = |a: usize, b: usize| -> Option<f32> {
        let (sim, shared) = similarity(&weighted[a], &weighted[b]);
        let (na, nb) = (&nodes[a], &nodes[b]);
        let needed = match (&na.advertiser, &nb.advertiser) {
            (Some(x), Some(y)) if x != y && na.field_advertiser && nb.field_advertiser => cross,
            _ => threshold,
        };
        (sim >= needed && shared >= opts.min_shared_weight).then_some(sim)
    };

    // Candidate pairs. A provisional single-linkage grouping only prunes comparisons; the groups
    // themselves come from the average-linkage pass below.
    let mut provisional = UnionFind::new(n);
    let mut candidates: Vec<(usize, usize, f32)> = Vec::new();
    let mut reps: Vec<usize> = Vec::new();
    let mut first_with: HashMap<&[u32], usize> = HashMap::new();
    for i in 0..n {
        let Some(sig) = sigs.get(i) else { continue };
        match first_with.get(sig) {
            Some(&rep) => {
                if let Some(sim) = pair(rep, i) {
                    provisional.union(rep, i);
                    candidates.push((rep, i, sim));
                }
            }
            None => {
                first_with.insert(sig, i);
                reps.push(i);
            }
        }
    }
    drop(first_with);
    // LSH over the representatives, one band at a time to bound memory. Weighted similarity can exceed
    // the plain one the signatures estimate, so the bands aim a little lower than the threshold.
    let rows = lsh_rows(threshold);
    let bands = HASHES / rows;
    for band in 0..bands {
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
        for &i in &reps {
            if let Some(sig) = sigs.get(i) {
                buckets.entry(band_key(band, &sig[band * rows..(band + 1) * rows])).or_default().push(i);
            }
        }
        let mut keys: Vec<u64> = buckets.keys().copied().filter(|k| buckets[k].len() > 1).collect();
        keys.sort_unstable();
        for key in keys {
            let bucket = &buckets[&key];
            let mut seen: Vec<usize> = Vec::new();
            for &x in bucket {
                let mut joined_any = false;
                for &r in &seen {
                    if provisional.find(r) == provisional.find(x) {
                        joined_any = true;
                        continue;
                    }
                    if let Some(sim) = pair(r, x) {
                        provisional.union(r, x);
                        candidates.push((r.min(x), r.max(x), sim));
                        joined_any = true;
                    }
                }
                if !joined_any && seen.len() < MAX_BUCKET_REPRESENTATIVES {
                    seen.push(x);
                }
            }
        }
    }
    drop(provisional);

    // Average linkage, strongest pair first.
    candidates.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut groups = UnionFind::new(n);
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut joins = Vec::new();
    for (a, b, sim) in candidates {
        let (ra, rb) = (groups.find(a), groups.find(b));
        if ra == rb {
            continue;
        }
        let (sa, sb) = (sample(&members[ra]), sample(&members[rb]));
        let mut total = 0.0f32;
        for &x in &sa {
            for &y in &sb {
                total += similarity(&weighted[x], &weighted[y]).0;
            }
        }
        if total / (sa.len() * sb.len()) as f32 >= threshold {
            groups.union(a, b);
            let root = groups.find(a);
            let mut merged = std::mem::take(&mut members[ra]);
            merged.append(&mut members[rb]);
            members[root] = merged;
            joins.push((a, b, sim));
        }
    }
    TemplateGroups { joins, groups }
}

/// The most ads of a corpus of `corpus_ads` ads that a contact may be on and still be evidence (see the
/// module documentation); `None` when the corpus is too small to have site-wide contacts.
pub fn common_contact_limit(corpus_ads: usize, opts: &LinkOptions) -> Option<usize> {
    let share = if opts.common_contact_share.is_nan() { 0.5 } else { opts.common_contact_share.clamp(0.0, 1.0) };
    (corpus_ads >= COMMON_CONTACT_MIN_ADS).then_some((share * corpus_ads as f32) as usize)
}

/// The template threshold and the cross-advertiser one, NaN options falling back to the defaults rather
/// than poisoning every comparison.
fn template_thresholds(opts: &LinkOptions) -> (f32, f32) {
    let sane = |v: f32, default: f32| if v.is_nan() { default } else { v.clamp(0.0, 1.0) };
    let defaults = LinkOptions::default();
    let threshold = sane(opts.template_similarity, defaults.template_similarity);
    (threshold, sane(opts.cross_advertiser_similarity, defaults.cross_advertiser_similarity).max(threshold))
}

/// Rows per LSH band. Weighted similarity can exceed the plain one the signatures estimate, so the bands
/// aim a little lower than the threshold.
fn lsh_rows(threshold: f32) -> usize {
    rows_per_band(threshold - 0.1)
}

/// What the store keeps of an ad's text template for incremental linking: its shingles (counted into the
/// corpus's shingle frequencies, [`Corpus::shingle_ads`]) and the LSH band keys under which template
/// linking looks for its candidate pairs (two ads that share no band key are never compared).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateKeys {
    /// The distinct shingle hashes ([`template::shingles`]); empty when the text has no template.
    pub shingles: Vec<u32>,
    /// The band keys of its MinHash signature under `opts`, distinct and sorted.
    pub bands: Vec<u64>,
}

/// The [`TemplateKeys`] of an ad's text under `opts` (the band width follows the template threshold, so
/// keys stored under one threshold are stale under another).
pub fn template_keys(text: &str, opts: &LinkOptions) -> TemplateKeys {
    let shingles = shingles(text);
    let sigs = Signatures::compute(std::slice::from_ref(&shingles));
    let Some(sig) = sigs.get(0) else { return TemplateKeys { shingles, bands: Vec::new() } };
    let rows = lsh_rows(template_thresholds(opts).0);
    let mut bands: Vec<u64> = (0..HASHES / rows).map(|b| band_key(b, &sig[b * rows..(b + 1) * rows])).collect();
    bands.sort_unstable();
    bands.dedup();
    TemplateKeys { shingles, bands }
}

/// Up to [`LINKAGE_SAMPLE`] members spread evenly over a group's list.
fn sample(members: &[usize]) -> Vec<usize> {
    let k = members.len().min(LINKAGE_SAMPLE);
    (0..k).map(|i| members[i * members.len() / k]).collect()
}

/// Union-find with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were already one.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
        true
    }

    /// The size of the set whose root is `root`.
    fn size(&self, root: usize) -> usize {
        self.size[root]
    }
}
