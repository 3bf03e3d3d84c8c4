//! The generated site: configuration, every rendered page by path, lookup and static export.

use crate::ORIGIN_PLACEHOLDER;
use crate::model::{self, Ad, ESCORT_CATEGORIES};
use crate::render::{escort, job, misc};
use crate::truth::{self, TruthAd};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;

/// What to generate. The same config always gives a byte-identical site.
///
/// Any board sizes work. Up to 10,000 ads per board (tested) every ad from the US, the UK and France has
/// a number of its own country and no two unrelated ads share one; larger sites borrow other countries'
/// fiction numbers and, past [`crate::phone_capacity`] numbers, repeat some.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Seed of the built-in pseudo-random generator.
    pub seed: u64,
    /// Number of ads on the escort board.
    pub escort_ads: usize,
    /// Number of ads on the job board.
    pub job_ads: usize,
    /// Ads per listing page (0 is treated as 1).
    pub per_page: usize,
}

impl Default for DemoConfig {
    /// Seed 7, 300 escort ads, 300 job ads, 20 per page.
    fn default() -> Self {
        DemoConfig { seed: 7, escort_ads: 300, job_ads: 300, per_page: 20 }
    }
}

/// One servable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The `Content-Type` header value.
    pub content_type: &'static str,
    /// The page; `robots.txt` and the sitemaps contain [`ORIGIN_PLACEHOLDER`] where the origin goes.
    pub body: String,
}

impl Page {
    fn html(body: String) -> Page {
        Page { content_type: "text/html; charset=utf-8", body }
    }

    /// The body with [`ORIGIN_PLACEHOLDER`] replaced by `origin` (`http://127.0.0.1:8080`, no slash).
    pub fn body_for_origin(&self, origin: &str) -> Cow<'_, str> {
        if self.body.contains(ORIGIN_PLACEHOLDER) {
            Cow::Owned(self.body.replace(ORIGIN_PLACEHOLDER, origin.trim_end_matches('/')))
        } else {
            Cow::Borrowed(&self.body)
        }
    }
}

/// Lines for an nginx `server` block that serve a [`DemoSite::write_static`] export link-identically
/// to [`crate::serve`]; add `listen` and set `root` to the export directory. Escort listings paginate by
/// query string (`/escorts/?page=2`), which the rewrite maps to their `page-2.html` files; any other
/// query string is ignored, as the server ignores it. The `sub_filter` lines (module
/// `ngx_http_sub_module`, built into Debian's nginx packages) put the request's origin into
/// `robots.txt` and the sitemaps; drop them when exporting with [`DemoSite::write_static_with_origin`].
pub const NGINX_SERVER_CONFIG: &str = r#"sub_filter 'http://demosite.invalid' '$scheme://$http_host';
sub_filter_once off;
sub_filter_types text/plain text/xml application/xml;
location / {
    if ($arg_page ~ "^[0-9]+$") {
        rewrite ^(.*/)$ $1page-$arg_page.html? last;
    }
    try_files $uri $uri/index.html =404;
}
error_page 404 /404.html;
"#;

/// The file (relative to the export directory) that holds the page at `path_and_query`, as
/// [`DemoSite::write_static`] names it: `/` → `index.html`, `/jobs/page/2/` → `jobs/page/2/index.html`,
/// `/escorts/?page=2` → `escorts/page-2.html`, `/escorts/search` → `escorts/search/index.html`, paths
/// with an extension unchanged. `None` for paths that could escape the directory.
pub fn static_file_for(path_and_query: &str) -> Option<String> {
    let (path, query) = split_query(path_and_query);
    if !path.starts_with('/') || path.split('/').any(|seg| seg == ".." || seg == ".") || path.contains('\\') {
        return None;
    }
    let rel = &path[1..];
    if path.ends_with('/')
        && let Some(n) = query.and_then(page_param)
    {
        return Some(format!("{rel}page-{n}.html"));
    }
    if rel.is_empty() || path.ends_with('/') {
        return Some(format!("{rel}index.html"));
    }
    let last = rel.rsplit('/').next().unwrap_or(rel);
    if last.contains('.') { Some(rel.to_string()) } else { Some(format!("{rel}/index.html")) }
}

fn split_query(path_and_query: &str) -> (&str, Option<&str>) {
    let without_fragment = path_and_query.split('#').next().unwrap_or("");
    match without_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (without_fragment, None),
    }
}

/// The `page` parameter of a query string, if it is a positive number.
fn page_param(query: &str) -> Option<usize> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "page")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .filter(|n| *n >= 1)
}

/// The generated site: every page rendered, plus the ground truth.
#[derive(Debug, Clone)]
pub struct DemoSite {
    config: DemoConfig,
    pages: BTreeMap<String, Page>,
    paths: Vec<String>,
    /// Listing bases paginated by `?page=N`.
    query_paginated: HashSet<String>,
    truth: Vec<TruthAd>,
    not_found: Page,
    pictures: BTreeMap<String, crate::images::PictureSpec>,
}

/// A picture of the demo site, rendered on request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// `image/png` or `image/jpeg`.
    pub content_type: &'static str,
    /// A validator for conditional requests (`If-None-Match`).
    pub etag: String,
    /// The bytes.
    pub body: Vec<u8>,
}

impl DemoSite {
    /// Generates the whole site from `config`.
    pub fn generate(config: &DemoConfig) -> DemoSite {
        let per_page = config.per_page.max(1);
        let (mut escorts, mut jobs, recruiters) = model::generate(config);
        let pictures = crate::images::assign(config.seed, &mut [&mut escorts, &mut jobs]);
        recruiters.plant(&mut escorts, &mut jobs);
        let mut b = Builder { pages: BTreeMap::new(), query_paginated: HashSet::new() };

        let escort_cities = cities_of(&escorts);
        let job_cities = cities_of(&jobs);
        b.add("/", Page::html(misc::home(&escorts, &jobs, &escort_cities, &job_cities)));
        for (path, body) in misc::static_pages() {
            b.add(path, Page::html(body));
        }
        b.add("/static/site.css", Page { content_type: "text/css; charset=utf-8", body: misc::CSS.into() });
        b.add("/robots.txt", Page { content_type: "text/plain; charset=utf-8", body: misc::robots() });
        let xml = "application/xml; charset=utf-8";
        b.add("/sitemap.xml", Page { content_type: xml, body: misc::sitemap_index(&escorts, &jobs) });
        b.add("/sitemaps/escorts.xml", Page { content_type: xml, body: misc::sitemap(&escorts) });
        b.add("/sitemaps/jobs.xml", Page { content_type: xml, body: misc::sitemap(&jobs) });

        b.escort_board(&escorts, &escort_cities, per_page);
        b.job_board(&jobs, &job_cities, per_page);

        let truth: Vec<TruthAd> = escorts.iter().chain(&jobs).map(truth::of).collect();
        let json = serde_json::to_string_pretty(&truth).unwrap_or_else(|_| "[]".to_string());
        b.add("/ground-truth.json", Page { content_type: "application/json", body: json });

        let paths = b.pages.keys().cloned().collect();
        DemoSite {
            config: config.clone(),
            pages: b.pages,
            paths,
            query_paginated: b.query_paginated,
            truth,
            not_found: Page::html(misc::not_found()),
            pictures,
        }
    }

    /// The picture at `path_and_query` (the query is ignored), rendered (a few milliseconds).
    pub fn picture(&self, path_and_query: &str) -> Option<Picture> {
        let (path, _) = split_query(path_and_query);
        let spec = self.pictures.get(path)?;
        Some(Picture { content_type: spec.content_type(), etag: spec.etag(), body: spec.render() })
    }

    /// The paths of every picture the site serves, sorted.
    pub fn picture_paths(&self) -> impl Iterator<Item = &str> {
        self.pictures.keys().map(String::as_str)
    }

    /// The config the site was generated from.
    pub fn config(&self) -> &DemoConfig {
        &self.config
    }

    /// The page a request for `path_and_query` gets, as the server answers it; `None` means 404.
    ///
    /// Query strings are ignored except `page=N` on escort listings (`/escorts/?page=2`), so tracking
    /// parameters on an ad path reach the ad. A page number past the end is `None`.
    pub fn page(&self, path_and_query: &str) -> Option<&Page> {
        let (path, query) = split_query(path_and_query);
        if self.query_paginated.contains(path)
            && let Some(q) = query
            && q.split('&').any(|kv| kv == "page" || kv.starts_with("page="))
        {
            return match page_param(q) {
                Some(1) => self.pages.get(path),
                Some(n) => self.pages.get(&format!("{path}?page={n}")),
                None => None,
            };
        }
        self.pages.get(path)
    }

    /// The 404 page the server sends for unknown paths.
    pub fn not_found_page(&self) -> &Page {
        &self.not_found
    }

    /// Every servable path (with `?page=N` for escort listing pages), sorted. Tracking-parameter
    /// variants of ad paths are not listed; [`TruthAd::alt_paths`] names the ones the site links.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The ground truth for every ad, escort ads first, each board oldest first.
    pub fn truth(&self) -> &[TruthAd] {
        &self.truth
    }

    /// Writes every page of [`DemoSite::paths`] to `dir` (see [`static_file_for`] for the names), plus
    /// `404.html` and a `page-1.html` beside each query-paginated listing; returns the number of files.
    /// `robots.txt` and the sitemaps keep [`ORIGIN_PLACEHOLDER`]; see [`NGINX_SERVER_CONFIG`].
    pub fn write_static(&self, dir: &Path) -> io::Result<usize> {
        self.write_static_with_origin(dir, ORIGIN_PLACEHOLDER)
    }

    /// Like [`DemoSite::write_static`], with `origin` (`http://127.0.0.1:8080`) written into
    /// `robots.txt` and the sitemaps.
    pub fn write_static_with_origin(&self, dir: &Path, origin: &str) -> io::Result<usize> {
        let mut written = 0;
        let mut write = |rel: &str, body: &[u8]| -> io::Result<()> {
            let file = dir.join(rel);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", parent.display())))?;
            }
            std::fs::write(&file, body).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
            written += 1;
            Ok(())
        };
        for (path, page) in &self.pages {
            let rel = static_file_for(path)
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("unmappable path {path}")))?;
            write(&rel, page.body_for_origin(origin).as_bytes())?;
        }
        let mut bases: Vec<&String> = self.query_paginated.iter().collect();
        bases.sort();
        for base in bases {
            if let (Some(page), Some(rel)) = (self.pages.get(base.as_str()), static_file_for(&format!("{base}?page=1")))
            {
                write(&rel, page.body.as_bytes())?;
            }
        }
        write("404.html", self.not_found.body.as_bytes())?;
        for path in self.pictures.keys() {
            if let (Some(rel), Some(pic)) = (static_file_for(path), self.picture(path)) {
                write(&rel, &pic.body)?;
            }
        }
        Ok(written)
    }
}

fn cities_of(ads: &[Ad]) -> Vec<&'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    for ad in ads {
        if !seen.contains(&ad.city.slug) {
            seen.push(ad.city.slug);
        }
    }
    seen
}

struct Builder {
    pages: BTreeMap<String, Page>,
    query_paginated: HashSet<String>,
}

impl Builder {
    fn add(&mut self, path: &str, page: Page) {
        self.pages.insert(path.to_string(), page);
    }

    fn escort_board(&mut self, ads: &[Ad], cities: &[&str], per_page: usize) {
        for ad in ads {
            let page = Page::html(escort::ad_page(ad, ads));
            if let Some(alt) = &ad.alt_path {
                self.add(alt, page.clone());
            }
            self.add(&ad.path, page);
        }
        let newest: Vec<&Ad> = ads.iter().rev().collect();
        self.escort_listing("Companions & massage - all ads", "/escorts/", &newest, false, cities, per_page);
        for (slug, name) in ESCORT_CATEGORIES {
            let these: Vec<&Ad> = newest.iter().copied().filter(|a| a.category == *slug).collect();
            self.escort_listing(name, &format!("/escorts/{slug}/"), &these, false, cities, per_page);
        }
        for city in crate::geo::CITIES.iter().filter(|c| cities.contains(&c.slug)) {
            let these: Vec<&Ad> = newest.iter().copied().filter(|a| a.city.slug == city.slug).collect();
            let heading = format!("Companions in {}", city.name);
            self.escort_listing(&heading, &format!("/escorts/city/{}/", city.slug), &these, true, cities, per_page);
        }
    }

    fn escort_listing(
        &mut self,
        heading: &str,
        base: &str,
        ads: &[&Ad],
        city_links: bool,
        cities: &[&str],
        per_page: usize,
    ) {
        self.query_paginated.insert(base.to_string());
        let pages = ads.len().div_ceil(per_page).max(1);
        for page in 1..=pages {
            let chunk: Vec<&Ad> = ads.iter().skip((page - 1) * per_page).take(per_page).copied().collect();
            let listing = escort::Listing {
                heading: heading.to_string(),
                base,
                page,
                pages,
                ads: &chunk,
                city_links,
                cities_with_ads: cities,
            };
            self.add(&escort::page_url(base, page), Page::html(escort::listing_page(&listing)));
        }
    }

    fn job_board(&mut self, ads: &[Ad], cities: &[&str], per_page: usize) {
        for ad in ads {
            let page = Page::html(job::ad_page(ad, ads));
            if let Some(alt) = &ad.alt_path {
                self.add(alt, page.clone());
            }
            self.add(&ad.path, page);
        }
        let newest: Vec<&Ad> = ads.iter().rev().collect();
        self.job_listing("Latest jobs", "/jobs/", &newest, false, cities, per_page);
        for (slug, name) in crate::bank::JOB_CATEGORIES {
            let these: Vec<&Ad> = newest.iter().copied().filter(|a| a.category == *slug).collect();
            let heading = format!("{name} jobs");
            self.job_listing(&heading, &format!("/jobs/category/{slug}/"), &these, false, cities, per_page);
        }
        for city in crate::geo::CITIES.iter().filter(|c| cities.contains(&c.slug)) {
            let these: Vec<&Ad> = newest.iter().copied().filter(|a| a.city.slug == city.slug).collect();
            let heading = format!("Jobs in {}", city.name);
            self.job_listing(&heading, &format!("/jobs/in/{}/", city.slug), &these, true, cities, per_page);
        }
    }

    fn job_listing(
        &mut self,
        heading: &str,
        base: &str,
        ads: &[&Ad],
        city_links: bool,
        cities: &[&str],
        per_page: usize,
    ) {
        let pages = ads.len().div_ceil(per_page).max(1);
        for page in 1..=pages {
            let chunk: Vec<&Ad> = ads.iter().skip((page - 1) * per_page).take(per_page).copied().collect();
            let listing = job::Listing {
                heading: heading.to_string(),
                base,
                page,
                pages,
                ads: &chunk,
                city_links,
                cities_with_ads: cities,
            };
            self.add(&job::page_url(base, page), Page::html(job::listing_page(&listing)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_file_names() {
        for (path, file) in [
            ("/", Some("index.html")),
            ("/escorts/", Some("escorts/index.html")),
            ("/escorts/?page=3", Some("escorts/page-3.html")),
            ("/escorts/city/miami/?page=2&utm_source=x", Some("escorts/city/miami/page-2.html")),
            ("/jobs/page/2/", Some("jobs/page/2/index.html")),
            ("/escorts/ad/1-x.html?utm_source=a&ref=b", Some("escorts/ad/1-x.html")),
            ("/escorts/search", Some("escorts/search/index.html")),
            ("/robots.txt", Some("robots.txt")),
            ("/../etc/passwd", None),
            ("relative", None),
        ] {
            assert_eq!(static_file_for(path).as_deref(), file, "{path}");
        }
    }

    #[test]
    fn page_param_parsing() {
        assert_eq!(page_param("page=2"), Some(2));
        assert_eq!(page_param("a=1&page=10&b"), Some(10));
        assert_eq!(page_param("page=0"), None);
        assert_eq!(page_param("page=x"), None);
        assert_eq!(page_param("pages=2"), None);
    }
}
