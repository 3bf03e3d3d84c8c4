//! Crawler tests against local web sites on 127.0.0.1; those that touch the store run on SQLite and on
//! PostgreSQL (see `redflag_store::testkit`).

mod check;
mod demo;
mod docs;
mod faults;
mod fixture;
mod guard;
mod images;
mod props;
mod state;
