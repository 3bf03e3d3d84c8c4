//! End-to-end tests of the `redflag` binary.

mod crawl;
mod demo;
mod netsite;
mod run;
