//! Schema migrations, embedded in the binary and written once for both backends.
//!
//! Each migration file is SQL that both SQLite and PostgreSQL accept once three placeholders are
//! replaced: `@ID@` (an auto-incrementing BIGINT primary key), `@BLOB@` (bytes) and `@REAL@` (a double).
//! Where the two cannot share a statement (reading JSON, say), a line `-- @sqlite` or `-- @postgres` starts
//! a section for that backend alone, and `-- @both` returns to shared SQL.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::{Backend, Result, Store};

/// (version, description, SQL template), in order. Never edit a released migration: add a new one.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (2, "bot", include_str!("../migrations/0002_bot.sql")),
    (3, "security", include_str!("../migrations/0003_security.sql")),
    (4, "networks", include_str!("../migrations/0004_networks.sql")),
    (5, "bot safety", include_str!("../migrations/0005_bot_safety.sql")),
    (6, "watches", include_str!("../migrations/0006_watches.sql")),
    (7, "cases", include_str!("../migrations/0007_cases.sql")),
    (8, "api tokens", include_str!("../migrations/0008_api_tokens.sql")),
    (9, "images", include_str!("../migrations/0009_images.sql")),
    (10, "lead queue indexes", include_str!("../migrations/0010_lead_queue.sql")),
    (11, "ad indicators", include_str!("../migrations/0011_ad_indicators.sql")),
    (12, "links by reason", include_str!("../migrations/0012_job_escort_links.sql")),
    (13, "link keys", include_str!("../migrations/0013_link_keys.sql")),
    (14, "recent link keys", include_str!("../migrations/0014_recent_link_keys.sql")),
];

fn render(sql: &str, backend: Backend) -> String {
    let (id, blob, real) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "REAL"),
        Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA", "DOUBLE PRECISION"),
    };
    let mine = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    // Files without sections pass through unchanged: the migrator checksums what it applied.
    let sql = if sql.lines().any(|l| l.trim().starts_with("-- @")) { sections(sql, mine) } else { sql.to_string() };
    sql.replace("@ID@", id).replace("@BLOB@", blob).replace("@REAL@", real)
}

/// The lines of `sql` outside any section, and those of the sections for `backend`.
fn sections(sql: &str, backend: &str) -> String {
    let mut keep = true;
    let mut out = String::with_capacity(sql.len());
    for line in sql.lines() {
        if let Some(section) = line.trim().strip_prefix("-- @") {
            keep = section == "both" || section == backend;
            continue;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The migrator for a backend.
pub(crate) fn migrator(backend: Backend) -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, desc, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*desc),
                MigrationType::Simple,
                Cow::Owned(render(sql, backend)),
                false,
            )
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ignore_missing: false, locking: true, no_tx: false }
}

/// Applies pending migrations. Safe to run from several processes at once (the migrator locks).
pub(crate) async fn run(store: &Store) -> Result<()> {
    migrator(store.backend).run(&store.pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_leave_no_placeholder() {
        for (_, _, sql) in MIGRATIONS {
            for b in [Backend::Sqlite, Backend::Postgres] {
                assert!(!render(sql, b).contains('@'), "unreplaced placeholder for {b:?}");
            }
        }
    }

    #[test]
    fn sections_go_to_their_backend_only() {
        let sql = "CREATE TABLE t (x @REAL@);\n-- @sqlite\nSELECT json_each;\n-- @postgres\nSELECT jsonb;\n-- @both\nSELECT 1;\n";
        let lite = render(sql, Backend::Sqlite);
        let pg = render(sql, Backend::Postgres);
        assert!(
            lite.contains("json_each") && !lite.contains("jsonb") && lite.contains("SELECT 1") && lite.contains("REAL")
        );
        assert!(pg.contains("jsonb") && !pg.contains("json_each") && pg.contains("SELECT 1") && pg.contains("DOUBLE"));
        // Files without sections are left byte for byte (the migrator checksums them).
        assert_eq!(render(MIGRATIONS[0].2, Backend::Sqlite), render_plain(MIGRATIONS[0].2));
    }

    fn render_plain(sql: &str) -> String {
        sql.replace("@ID@", "INTEGER PRIMARY KEY AUTOINCREMENT").replace("@BLOB@", "BLOB").replace("@REAL@", "REAL")
    }
}
