//! Throw-away stores for tests, on SQLite and on PostgreSQL (built with the `testkit` feature).
//!
//! This is the one place in the library crates that reads environment variables, because it serves
//! test suites, not users: `REDFLAG_TEST_PG` names the PostgreSQL server used for tests (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); set it to `off` to skip the PostgreSQL half of the
//! store tests on a machine without a server. Each test database is created fresh and dropped afterwards.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Store, StoreOptions};

/// The default PostgreSQL server for tests.
pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A store that deletes itself when dropped.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// The backend's name, for assertion messages.
    pub label: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Pg { admin_url: String, db: String },
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{}", std::process::id(), t % 1_000_000_000, n)
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = std::env::temp_dir().join(unique("redflag_test"));
    let store = Store::open(&StoreOptions::data_dir(&dir)).await.expect("open test SQLite store");
    TestStore { store, label: "sqlite", cleanup: Cleanup::Dir(dir) }
}

/// The PostgreSQL server for tests, or `None` when `REDFLAG_TEST_PG=off`.
pub fn pg_server() -> Option<String> {
    match std::env::var("REDFLAG_TEST_PG") {
        Ok(v) if v == "off" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some(DEFAULT_PG.to_string()),
    }
}

/// A fresh PostgreSQL database on the test server, or `None` when PostgreSQL tests are switched off.
/// Panics with a clear message when the server cannot be reached.
pub async fn postgres() -> Option<TestStore> {
    let admin_url = pg_server()?;
    let db = unique("redflag_test");
    let url = database_url(&admin_url, &db);
    create_database(&admin_url, &db).await;
    let store = Store::open(&StoreOptions::url(&url)).await.expect("open test PostgreSQL store");
    Some(TestStore { store, label: "postgres", cleanup: Cleanup::Pg { admin_url, db } })
}

/// Both backends (PostgreSQL only when enabled), for tests that must pass on each.
pub async fn all() -> Vec<TestStore> {
    let mut v = vec![sqlite().await];
    v.extend(postgres().await);
    v
}

/// The URL of database `db` on the server of `admin_url`.
pub fn database_url(admin_url: &str, db: &str) -> String {
    let mut u = url::Url::parse(admin_url).expect("REDFLAG_TEST_PG is not a URL");
    u.set_path(&format!("/{db}"));
    u.to_string()
}

/// Creates an empty database on the test server (for tests that start their own processes).
pub async fn create_database(admin_url: &str, db: &str) {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(admin_url).await.unwrap_or_else(|e| {
        panic!(
            "cannot reach the PostgreSQL test server at {admin_url}: {e}\n\
             start it (see .ci/run) or set REDFLAG_TEST_PG=off to skip PostgreSQL tests"
        )
    });
    admin.execute(format!("CREATE DATABASE {db}").as_str()).await.expect("create test database");
    let _ = admin.close().await;
}

/// Drops a database on the test server, ending its connections.
pub fn drop_database(admin_url: &str, db: &str) {
    let (admin_url, db) = (admin_url.to_string(), db.to_string());
    // Drop runs outside any runtime guarantee, so use a private one on a plain thread.
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
        rt.block_on(async {
            use sqlx::{Connection, Executor};
            let mut admin = sqlx::AnyConnection::connect(&admin_url).await.ok()?;
            admin.execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str()).await.ok()?;
            admin.close().await.ok()
        })
    })
    .join();
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Pg { admin_url, db } => drop_database(admin_url, db),
        }
    }
}
