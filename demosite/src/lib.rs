//! A synthetic classifieds site with machine-readable ground truth, for demos, tests and benchmarks.
//!
//! `redflag demo` serves this site on `127.0.0.1`, crawls it, scores every ad and shows the dashboard;
//! tests and the crawler benchmark use it too. It is built to look like real boards so the crawler, the
//! site adapters, the extractors and the classifier are exercised honestly, and it publishes what it
//! planted in every ad at `/ground-truth.json`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use redflag_demosite::{DemoConfig, DemoSite, serve};
//! use std::sync::Arc;
//!
//! let site = Arc::new(DemoSite::generate(&DemoConfig::default()));
//! let server = serve(site.clone(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("crawl {}/", server.base_url());
//! server.shutdown().await
//! # }
//! ```
//!
//! Everything is generated from [`DemoConfig::seed`] with a built-in pseudo-random generator: the same
//! config gives a byte-identical site on every machine and with every dependency version. Every page is
//! rendered up front; serving is a map lookup.
//!
//! # Site structure
//!
//! | Path | What |
//! |---|---|
//! | `/` | home page linking both boards, their cities and the latest ads |
//! | `/escorts/`, `/escorts/?page=N` | escort board, newest first, paginated **by query string** |
//! | `/escorts/{category}/` (`?page=N`) | categories: `companions`, `massage`, `dinner-dates`, `travel` |
//! | `/escorts/city/{city}/` (`?page=N`) | one city's escort ads |
//! | `/escorts/ad/{id}-{slug}.html` | escort ad page (canonical) |
//! | `/escorts/city/{city}/{id}.html` | the same ad under its city (about 15 % of ads) |
//! | `/jobs/`, `/jobs/page/N/` | job board, paginated **by path** |
//! | `/jobs/category/{category}/` (`page/N/`) | job categories (see the board's navigation) |
//! | `/jobs/in/{city}/` (`page/N/`) | one city's jobs |
//! | `/jobs/view/{id}/` | job ad page (canonical) |
//! | `/jobs/in/{city}/{id}-{slug}/` | the same job under its city (about 15 % of ads) |
//! | `/robots.txt` | disallows `/admin/`, `/escorts/search`, `/ground-truth.json`; lists the sitemaps |
//! | `/sitemap.xml` | sitemap index → `/sitemaps/escorts.xml`, `/sitemaps/jobs.xml` (every ad, `<lastmod>`) |
//! | `/ground-truth.json` | [`TruthAd`] list; linked from nowhere |
//! | `/img/n/{network}-{k}-{edit}.png`/`.jpg`, `/img/a/{id}.png`/`.jpg`, `/static/no-photo.png` | generated pictures (patterns, never people) of the ads' `div.ad-photos` galleries; see [`TruthAd::images`] |
//! | `/about/`, `/terms/`, `/privacy/`, `/post/`, `/admin/`, `/escorts/search`, `/static/site.css` | chrome |
//!
//! City listings link ads that have a city path by that path; the main and category listings link the
//! canonical path. About 12 % of ads are linked with tracking parameters (`?utm_source=…&ref=…`) from
//! every listing and "related ads" box; any query string on an ad path serves the same ad. So an ad can
//! be reached by up to three URLs, and [`TruthAd::alt_paths`] lists the extra ones. Ad pages carry
//! `<link rel="canonical">` with the canonical path. The front pages link a few removed ads (404).
//! Sitemaps and `robots.txt` use absolute URLs: the server fills in the origin from the request's `Host`
//! header (see [`ORIGIN_PLACEHOLDER`]).
//!
//! # Ad page templates and selectors
//!
//! Each board renders ads with three templates (named in [`TruthAd::page_template`]) that mark up the
//! same fields differently, so an adapter needs fallback selectors. Optional fields are omitted, not
//! left empty. The title, city, price and company fields' texts equal the ground truth's `title`,
//! `city`, `price` and `company`; the body holds the ad text, whose contacts may repeat the contact
//! field's in another form.
//!
//! | Field | `escort-a` | `escort-b` (table, sloppy) | `escort-c` (card) |
//! |---|---|---|---|
//! | title | `h1.post-title` | `td#ad-title` | `h2.ad-card__title` (the page `h1` is the board name) |
//! | body | `div.post-body p` | `div#ad-text` (unclosed `<p>`) | `section.ad-card__text` |
//! | city | `span.post-city` | `td#ad-location` | `dd[data-field=city]` |
//! | posted | `time.post-date[datetime]` (written out in the ad's language) | `td#ad-posted` (`dd/mm/yyyy hh:mm`, US `mm/dd/yyyy`) | `span[data-field=posted]` (`Posted yyyy-mm-dd hh:mm`) |
//! | price | `li.attr-rate b` | `td#ad-rates` | `dd[data-field=price]` |
//! | contact (often) | `div.post-contact .contact-value` | `td#ad-phone` | `dd[data-field=contact]` |
//! | age (often) | `li.attr-age b` | `td#ad-age` | `dd[data-field=age]` (`23 yrs`) |
//!
//! | Field | `job-a` (schema.org) | `job-b` | `job-c` (upper-case, unquoted, unclosed) |
//! |---|---|---|---|
//! | title | `h1.job-title` | `h2.vacancy__heading` | `h3.ld-title` |
//! | body | `div.job-description p` | `div.vacancy__text` (`<br><br>` between paragraphs) | `div.ld-body` |
//! | city | `span.job-city` | `li.meta-location .v` | `td.d-location` |
//! | posted | `time.job-date[datetime]` | `li.meta-posted .v` (`dd.mm.yyyy`, US `mm.dd.yyyy`) | `td.d-date` (`yyyy-mm-dd`) |
//! | pay | `li.job-salary` | `li.meta-pay .v` | `td.d-salary` |
//! | contact (often) | `p.job-contact` | `p.vacancy__contact .v` | `td.d-contact` |
//! | company (often missing on fraud ads) | `div.job-company` | `p.vacancy__employer strong` | `td.d-company` |
//!
//! Listing pages: escort results are `div.result a.result-title`, the pager is `div.pager` with
//! `a[rel=next]`; job results are `li.job-item h2 a`, the pager is `div.pagination` with `a[rel=next]`.
//! Listing pages also carry `<link rel="next">` / `<link rel="prev">`.
//!
//! # Ads and ground truth
//!
//! Ads are in English (about half), Spanish, French, Portuguese and Indonesian, posted from cities in
//! the US, UK, Spain, Mexico, France, Brazil, Portugal and Indonesia. Every phone number on the site is
//! from a range reserved for fiction (US `555-01xx`, UK Ofcom drama ranges, French ARCEP fiction blocks),
//! so none can belong to a real person. Ads from the US, the UK and France carry numbers of their own
//! country, written in the local styles; ads from the other countries, which have no usable fiction
//! ranges, carry US, UK or French numbers and always write them with the country code
//! (`+33 1 99 00 12 34`, `+1 seven 0 2 555 zero one 4 8`), as ads with foreign numbers do. Numbers never
//! repeat across ads outside a network up to [`phone_capacity`] numbers (boards of 10,000 ads each use
//! about a fifth of it). Each board is 30–40 % risky. Risky ads carry one to four indicators (ids as in
//! [`TruthAd::indicators`]); benign ads sometimes carry one weak indicator by chance. Networks of 3–15
//! ads share a phone or handle and mostly reuse one text template across cities. The first three risky
//! escort networks also post a job offer abroad (hostess, dancer, model work) with their number, in the
//! place of a risky single job ad (so each board keeps its size and risky share): a
//! recruitment-to-exploitation pair, marked in [`TruthAd::job_escort_contact`] on the job ad and on the
//! network's escort ads; no other contact appears on both boards. Escort text is
//! non-explicit by design: companionship, dinner dates, massage.
//!
//! # Static export
//!
//! [`DemoSite::write_static`] writes every page as a file (mapping in [`static_file_for`]) so a web
//! server can serve the same, link-identical site; [`NGINX_SERVER_CONFIG`] is the nginx configuration it
//! needs. With it, nginx 1.22 answers every URL a crawl of the site finds (about 960 with the default
//! config, 404s included) with the same status and body as [`serve`], origin aside.

mod bank;
mod contact;
mod date;
mod geo;
mod images;
mod model;
mod render;
mod rng;
mod server;
mod site;
mod truth;

pub use images::PLACEHOLDER_PATH;
pub use server::{DemoServer, serve};
pub use site::{DemoConfig, DemoSite, NGINX_SERVER_CONFIG, Page, Picture, static_file_for};
pub use truth::TruthAd;

/// How many distinct phone numbers a site can carry: every number on the site is from a range reserved
/// for fiction (US `555-01xx`, UK Ofcom drama ranges, French ARCEP fiction blocks), and there are 73,200
/// of those. Numbers never repeat across unrelated ads while the site needs fewer; a site that needs more
/// (roughly 50,000 ads per board) reuses some rather than print a number that could be real.
pub fn phone_capacity() -> usize {
    geo::fiction_capacity()
}

/// Stands for the site's origin (`http://host:port`) in `robots.txt` and the sitemaps, which need
/// absolute URLs. The server replaces it with the origin of each request (see [`Page::body_for_origin`]);
/// [`DemoSite::write_static_with_origin`] replaces it when writing files.
pub const ORIGIN_PLACEHOLDER: &str = "http://demosite.invalid";
