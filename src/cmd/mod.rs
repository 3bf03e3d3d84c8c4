//! One module per subcommand: its flags (`Args`) and its `run`.

pub mod analyze;
pub mod bot;
pub mod case;
pub mod check;
pub mod crawl;
pub mod delete;
pub mod demo;
pub mod eval;
pub mod evidence;
pub mod export;
pub mod purge;
pub mod reindex;
pub mod run;
pub mod search;
pub mod serve;
pub mod train;
pub mod user;
