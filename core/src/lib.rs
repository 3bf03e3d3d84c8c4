//! Shared domain types and pure text analysis for Redflag.
//!
//! This crate is the bottom of the dependency graph: every other crate speaks in its types. It does no
//! IO and no async, reads no files or environment variables, and could be published on its own.
//!
//! - [`ad`]: ads as the crawler delivers them and as they are versioned.
//! - [`assess`]: a classifier's verdict on one ad, with the evidence for every indicator.
//! - [`extract`]: phones, e-mails, messenger handles, prices, ages and cities found in ad text.
//! - [`link`]: grouping ads into networks by shared contacts and reused text templates.
//! - [`lang`]: language detection.
//! - [`par`]: an order-preserving parallel map, the pipeline's one way of using every core.

pub mod ad;
pub mod assess;
pub mod extract;
pub mod lang;
pub mod link;
pub mod net;
pub mod par;
pub mod text;
pub mod time;

pub use ad::{AdFields, AdKind};
pub use assess::{Assessment, Evidence, FiredIndicator, Verdict};
pub use extract::{Entity, EntityKind, ExtractOptions, Extracted};
pub use link::NetworkContext;
