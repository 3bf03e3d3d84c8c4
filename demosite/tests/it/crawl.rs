//! The link graph, robots.txt, sitemaps, canonical links and path handling, through `DemoSite::page`.

use crate::support::{html, links, site};
use redflag_demosite::ORIGIN_PLACEHOLDER;
use std::collections::{BTreeSet, VecDeque};

/// Links the front pages keep to removed ads: the only links on the site that 404.
const DEAD_LINKS: &[&str] = &["/escorts/ad/39990-removed-by-poster.html", "/jobs/view/69990/", "/jobs/view/69995/"];

/// Follows every same-site link from `/`, like a crawler that ignores robots.txt, and returns what it
/// fetched (path and query as linked).
fn crawl() -> BTreeSet<String> {
    let site = site();
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut queue = VecDeque::from(["/".to_string()]);
    while let Some(url) = queue.pop_front() {
        let Some(page) = site.page(&url) else {
            assert!(DEAD_LINKS.contains(&url.as_str()), "link to {url} is broken");
            continue;
        };
        if !page.content_type.starts_with("text/html") {
            continue;
        }
        for link in links(&page.body) {
            // Off-site links and in-page anchors are not part of the site.
            if !link.starts_with('/') || link.starts_with("//") {
                continue;
            }
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    seen
}

#[test]
fn every_ad_is_reachable_from_the_home_page() {
    let fetched = crawl();
    let fetched_paths: BTreeSet<&str> = fetched.iter().map(|u| u.split('?').next().unwrap_or(u)).collect();
    for ad in site().truth() {
        assert!(ad.all_paths().any(|p| fetched.contains(p)), "{} is linked from no page", ad.path);
        assert!(
            fetched_paths.contains(ad.path.as_str()) || ad.alt_paths.iter().any(|p| fetched_paths.contains(p.as_str()))
        );
        // Every second path the truth names is really linked somewhere.
        for alt in &ad.alt_paths {
            assert!(fetched.contains(alt), "{alt} is in the truth but linked from nowhere");
        }
    }
    // The crawl reaches the dead links, the tracking links and the listings' later pages.
    assert!(DEAD_LINKS.iter().all(|d| fetched.contains(*d)));
    assert!(fetched.iter().any(|u| u.contains("?utm_source=")));
    assert!(fetched.contains("/escorts/?page=2") && fetched.contains("/jobs/page/2/"));
    // Nothing links the ground truth.
    assert!(!fetched.contains("/ground-truth.json"));
}

#[test]
fn second_paths_serve_the_same_ad_with_the_canonical_link() {
    let mut checked = 0;
    for ad in site().truth() {
        let canonical = html(site(), &ad.path);
        assert!(
            canonical.contains(&format!("<link rel=\"canonical\" href=\"{}\">", ad.path)),
            "{} lacks its canonical link",
            ad.path
        );
        for alt in &ad.alt_paths {
            assert_eq!(html(site(), alt), canonical, "{alt} serves something else than {}", ad.path);
            checked += 1;
        }
        // Any tracking query on an ad path is ignored.
        assert_eq!(html(site(), &format!("{}?utm_source=x&ref=y#top", ad.path)), canonical);
    }
    assert!(checked > 100, "only {checked} second paths");
}

#[test]
fn every_html_page_declares_utf8() {
    for path in site().paths() {
        let page = site().page(path).expect("listed");
        if page.content_type.starts_with("text/html") {
            assert!(
                page.body.contains("<meta charset=\"utf-8\">")
                    || page.body.contains("content=\"text/html; charset=utf-8\""),
                "{path} declares no charset"
            );
            assert!(page.body.starts_with("<!DOCTYPE html>"), "{path}");
        }
    }
}

#[test]
fn robots_txt_disallows_admin_search_and_truth_and_lists_sitemaps() {
    let robots = &site().page("/robots.txt").expect("served").body;
    for line in [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /escorts/search",
        "Disallow: /ground-truth.json",
        &format!("Sitemap: {ORIGIN_PLACEHOLDER}/sitemap.xml"),
        &format!("Sitemap: {ORIGIN_PLACEHOLDER}/sitemaps/escorts.xml"),
        &format!("Sitemap: {ORIGIN_PLACEHOLDER}/sitemaps/jobs.xml"),
    ] {
        assert!(robots.lines().any(|l| l == line), "robots.txt lacks {line:?}:\n{robots}");
    }
    // The disallowed pages exist, so a crawler that ignored robots.txt would find them.
    assert!(site().page("/admin/").is_some());
    assert!(site().page("/escorts/search?q=&sort=new").is_some());
}

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()).map(str::to_string).collect()
}

#[test]
fn sitemaps_list_every_ad_once_with_lastmod_and_every_url_serves() {
    let index = &site().page("/sitemap.xml").expect("index").body;
    let children = locs(index);
    assert_eq!(
        children,
        [format!("{ORIGIN_PLACEHOLDER}/sitemaps/escorts.xml"), format!("{ORIGIN_PLACEHOLDER}/sitemaps/jobs.xml")]
    );
    let mut listed = BTreeSet::new();
    for child in children {
        let path = child.strip_prefix(ORIGIN_PLACEHOLDER).expect("absolute");
        let xml = &site().page(path).expect("child sitemap").body;
        assert_eq!(xml.matches("<url>").count(), xml.matches("<lastmod>").count());
        for loc in locs(xml) {
            let p = loc.strip_prefix(ORIGIN_PLACEHOLDER).expect("absolute").to_string();
            assert!(site().page(&p).is_some(), "sitemap URL {p} does not serve");
            assert!(listed.insert(p.clone()), "{p} listed twice");
        }
    }
    let canonical: BTreeSet<String> = site().truth().iter().map(|a| a.path.clone()).collect();
    assert_eq!(listed, canonical);
}

#[test]
fn pagination_and_unknown_paths() {
    let s = site();
    let last_escort_page = 300usize.div_ceil(20);
    assert!(s.page(&format!("/escorts/?page={last_escort_page}")).is_some());
    assert!(s.page(&format!("/escorts/?page={}", last_escort_page + 1)).is_none());
    assert_eq!(s.page("/escorts/?page=1"), s.page("/escorts/"));
    assert_eq!(s.page("/escorts/?utm_source=x"), s.page("/escorts/"));
    assert!(s.page("/escorts/?page=abc").is_none());
    assert!(s.page("/jobs/page/2/").is_some());
    assert!(s.page("/jobs/page/99/").is_none());
    assert!(s.page("/jobs/?page=2").is_some(), "the job board ignores query strings");
    for unknown in ["/nope", "/escorts/ad/1-x.html", "/jobs/view/1/", "", "relative", "/../etc/passwd"] {
        assert!(s.page(unknown).is_none(), "{unknown:?} should be unknown");
    }
}
