//! Analysis tests on hand-built stores, each run on SQLite and on PostgreSQL.

mod crosslink;
mod incremental;
mod watch;
