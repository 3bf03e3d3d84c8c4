//! The static export writes the same pages the server serves.

use crate::support::site;
use redflag_demosite::{NGINX_SERVER_CONFIG, ORIGIN_PLACEHOLDER, static_file_for};
use std::collections::BTreeMap;

#[test]
fn export_writes_every_page_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let written = site().write_static(dir.path()).expect("export");
    let query_paginated = site().paths().iter().filter(|p| p.ends_with("?page=2")).count();
    // Every path, page-1 copies of the query-paginated listings (at least those with a page 2), 404.html.
    assert!(written > site().paths().len() + query_paginated, "{written} files");
    for path in site().paths() {
        let file = dir.path().join(static_file_for(path).expect("mappable"));
        let on_disk = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(on_disk, site().page(path).unwrap().body, "{path}");
    }
    let page_one = std::fs::read_to_string(dir.path().join("escorts/page-1.html")).unwrap();
    assert_eq!(page_one, site().page("/escorts/").unwrap().body);
    let not_found = std::fs::read_to_string(dir.path().join("404.html")).unwrap();
    assert_eq!(not_found, site().not_found_page().body);
    let robots = std::fs::read_to_string(dir.path().join("robots.txt")).unwrap();
    assert!(robots.contains(ORIGIN_PLACEHOLDER));
}

#[test]
fn export_with_origin_writes_absolute_urls() {
    let dir = tempfile::tempdir().unwrap();
    site().write_static_with_origin(dir.path(), "http://127.0.0.1:8088/").expect("export");
    let robots = std::fs::read_to_string(dir.path().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: http://127.0.0.1:8088/sitemap.xml"), "{robots}");
    let sitemap = std::fs::read_to_string(dir.path().join("sitemaps/jobs.xml")).unwrap();
    assert!(!sitemap.contains(ORIGIN_PLACEHOLDER));
    assert!(sitemap.contains("<loc>http://127.0.0.1:8088/jobs/view/"));
}

#[test]
fn export_into_an_unwritable_place_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let err = site().write_static(&blocker).expect_err("cannot write under a file");
    assert!(err.to_string().contains(&blocker.display().to_string()), "{err}");
}

#[test]
fn no_two_paths_share_a_file() {
    let mut files: BTreeMap<String, &str> = BTreeMap::new();
    for path in site().paths() {
        let file = static_file_for(path).expect("mappable");
        if let Some(other) = files.insert(file.clone(), path) {
            panic!("{path} and {other} both map to {file}");
        }
    }
}

#[test]
fn nginx_config_names_the_placeholder_and_the_page_files() {
    // The config and the file names must agree: the rewrite targets `page-N.html` beside the listing.
    assert!(NGINX_SERVER_CONFIG.contains(ORIGIN_PLACEHOLDER));
    assert!(NGINX_SERVER_CONFIG.contains("$1page-$arg_page.html"));
    assert_eq!(static_file_for("/escorts/massage/?page=4").as_deref(), Some("escorts/massage/page-4.html"));
    assert!(NGINX_SERVER_CONFIG.contains("$uri/index.html"));
    assert_eq!(static_file_for("/jobs/view/70001/").as_deref(), Some("jobs/view/70001/index.html"));
}
