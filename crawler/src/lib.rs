//! Redflag's crawler: polite, config-driven, resumable, and careful enough to defend in court.
//!
//! A site is described by a [`SiteAdapter`] (one TOML file, see `docs/site-adapters.md`); [`crawl`] runs
//! it against a [`redflag_store::Store`] whose frontier may be shared by several workers on several
//! machines; [`fetch_ad_text`] fetches a single page for `redflag check`.
//!
//! ```no_run
//! # async fn run(store: &redflag_store::Store) -> Result<(), redflag_crawler::Error> {
//! use redflag_crawler::{CrawlOptions, SiteAdapter, crawl};
//! let mut adapter = SiteAdapter::load("config/sites/demo-escorts.toml")?;
//! adapter.rebase(&"http://127.0.0.1:8080/".parse().unwrap())?;
//! let opts = CrawlOptions { max_pages: Some(100), ..CrawlOptions::default() };
//! let summary = crawl(store, &adapter, &opts, |p| eprintln!("{} pages", p.pages)).await?;
//! println!("{} new ads", summary.ads_new);
//! # Ok(()) }
//! ```
//!
//! What the crawler guarantees:
//! - **Politeness by default**: robots.txt (with `Crawl-delay`) is obeyed, requests per host are capped
//!   and spaced, the User-Agent names Redflag and a contact URL, and only the adapter's hosts and HTTP(S)
//!   URLs are ever fetched.
//! - **Bounded work on hostile input**: timeouts on connect, first byte and whole response; a body size
//!   cap; a redirect limit with loop detection; caps on links per page, URL length, queued URLs and
//!   repeated path segments; retries bounded with exponential backoff and jitter.
//! - **Only public addresses**: every request (pages, redirects, robots.txt, sitemaps) goes only to
//!   public addresses, checked on the resolved address the connection then uses, unless the adapter
//!   opts in to private ones (`politeness.allow_private_addresses`, for sites on your own network).
//! - **Every contact**: `tel:`, `sms:`, `mailto:` and messenger links of an ad page are read into its
//!   contact field (see `contacts.rs`), so a number behind a "Call" button is found without adapter help.
//! - **Pictures as evidence**: the pictures of ad pages are fetched with them under the same rules,
//!   capped in bytes and pixels, raster formats only (never SVG), stored once per content with a
//!   fingerprint, and linked to the ad version that showed them (`images.rs`).
//! - **Evidence**: every fetched page keeps its raw bytes (compressed), SHA-256, fetch time, final URL,
//!   status and headers; every URL's outcome is recorded in the frontier.
//! - **Resumability**: the frontier lives in the store; results are committed atomically with the lease
//!   check, so `kill -9` at any moment loses and duplicates nothing.

mod adapter;
mod canon;
mod check;
mod contacts;
mod crawl;
mod error;
mod fetch;
mod guard;
mod hosts;
mod html;
mod images;

pub use adapter::{
    AdRule, FieldRules, FieldSelector, HumanDuration, Limits, LinkRule, Politeness, Recrawl, SiteAdapter,
    parse_duration, path_and_query,
};
pub use canon::{Scope, SkipReason, canonicalize};
pub use check::{FetchOptions, FetchedAd, fetch_ad_text};
pub use contacts::{MAX_CONTACT_LINKS, contact_text};
pub use crawl::{CrawlOptions, CrawlProgress, CrawlSummary, crawl, default_worker_id};
pub use error::{Error, Result};
pub use fetch::{ROBOTS_AGENT, user_agent};
pub use guard::{AddressRefused, is_public};
pub use html::{MAX_OFFSCOPE_PER_PAGE, Role, decode as decode_html, generic_text, pick_srcset};
