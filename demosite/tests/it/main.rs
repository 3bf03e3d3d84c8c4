//! Integration tests of the demo site: generation, ground truth, extraction, links, HTTP serving, static
//! export.

mod crawl;
mod extraction;
mod generation;
mod http;
mod images;
mod static_export;
mod support;
mod truth;
