//! End-to-end tests of the `redflag` binary.

mod case;
mod crawl;
mod demo;
mod netsite;
mod run;
