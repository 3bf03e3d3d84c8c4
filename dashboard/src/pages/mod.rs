//! The dashboard's pages, one module per section.

pub mod ad;
pub mod admin;
pub mod alerts;
pub mod cases;
pub mod crawl;
pub mod crosslink;
pub mod erase;
pub mod export;
pub mod images;
pub mod leads;
pub mod misc;
pub mod networks;
pub mod ngo;
pub mod search;
pub mod tokens;
pub mod trends;
pub mod watches;
