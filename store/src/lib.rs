//! Redflag's persistent store: sites, the crawl frontier, evidence pages, versioned ads, entities, scores,
//! networks, triage, case files, users, API tokens, the audit log, and watches with the alerts they raise.
//!
//! One code path serves both backends through `sqlx::Any`: an embedded SQLite file (the default, for a
//! laptop) and PostgreSQL (for several machines sharing one crawl). To stay inside the small type set that
//! `Any` supports, times are BIGINT milliseconds since the Unix epoch, flags are BIGINT 0/1 and ids are
//! BIGINT; SQL is written in the dialect both accept (`$1` placeholders, `ON CONFLICT`, `RETURNING`).
//! Where the two differ (leasing frontier rows with `FOR UPDATE SKIP LOCKED`) the code branches on
//! [`Backend`].
//!
//! Every public function that writes takes `&mut AnyConnection`, so callers can group writes in one
//! transaction (`store.begin()`); the methods on [`Store`] are conveniences that run one call in its own
//! connection.

pub mod ads;
pub mod alerts;
pub mod analysis;
pub mod audit;
pub mod bot;
pub mod cases;
pub mod erase;
mod error;
pub mod frontier;
pub mod images;
pub mod leases;
mod migrate;
pub mod pages;
pub mod relink;
pub mod runs;
pub mod shared;
pub mod sites;
pub mod stats;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tokens;
pub mod trends;
pub mod triage;
pub mod users;
pub mod watches;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use ads::{AdRow, AdVersionRow, ExportRow, LeadFilter, LeadRow, LeadSort, LeadTotal, NewAdVersion, VersionChange};
pub use alerts::{AlertRow, Channel, Delivery, DeliveryState, NewAlert};
pub use analysis::{AdForAnalysis, ClusterRow, EntityRow, LinkRow, ScoreRow};
pub use audit::AuditEntry;
pub use cases::{Case, CaseAd, CaseFilter, CaseNote, CaseState};
pub use erase::{ErasurePlan, KeptAd, Subject};
pub use error::Error;
pub use frontier::{Completion, FrontierItem, FrontierStats, NewUrl, Outcome, UrlState, UrlStatus};
pub use images::{AdImageRow, ImageBody, NewImage, VersionImageRow};
pub use pages::{NewPage, Page, PageCheck};
pub use runs::{CrawlRun, RunStatus};
pub use sites::{NewSite, Site};
pub use stats::StoreStats;
pub use tokens::{ApiToken, NewToken, TokenUser};
pub use triage::{TriageRow, TriageState};
pub use users::{Role, Session, User};
pub use watches::{NewWatch, PendingAd, Watch, WatchKind};

/// A transaction or pooled connection; every write function takes one of these.
pub type Conn = sqlx::AnyConnection;

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Where the store lives.
#[derive(Debug, Clone)]
pub enum StoreLocation {
    /// A database URL: `sqlite://path/to/file.db`, `sqlite::memory:` or `postgres://user@host/db`.
    Url(String),
    /// A data directory; the store is `redflag.db` inside it (created if needed).
    DataDir(std::path::PathBuf),
}

/// Options for [`Store::open`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Where the database is.
    pub location: StoreLocation,
    /// Maximum pooled connections.
    pub max_connections: u32,
}

impl StoreOptions {
    /// Options for a database URL with default pool size.
    pub fn url(url: impl Into<String>) -> Self {
        Self { location: StoreLocation::Url(url.into()), max_connections: 8 }
    }

    /// Options for a SQLite file in a data directory with default pool size.
    pub fn data_dir(dir: impl AsRef<Path>) -> Self {
        Self { location: StoreLocation::DataDir(dir.as_ref().to_path_buf()), max_connections: 8 }
    }
}

/// A handle on the store; cheap to clone (it wraps a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The URL with any password removed, for messages.
    display_url: String,
}

impl Store {
    /// Opens (creating if needed) the store and brings its schema up to date.
    pub async fn open(opts: &StoreOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = match &opts.location {
            StoreLocation::Url(u) => u.clone(),
            StoreLocation::DataDir(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| Error::DataDir { path: dir.clone(), source })?;
                format!("sqlite://{}", dir.join("redflag.db").display())
            }
        };
        let display_url = redact_url(&url);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::UnsupportedUrl(display_url));
        };
        let url = match backend {
            // Create the file if it does not exist yet.
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url,
        };
        let connect = AnyConnectOptions::from_str(&url).map_err(|e| Error::connect(&display_url, e))?;
        // One direct connection first: a pool retries a refused connection until its acquire timeout,
        // which would turn "wrong port" into a 30-second hang instead of a clear error.
        {
            use sqlx::Connection;
            let probe =
                sqlx::AnyConnection::connect_with(&connect).await.map_err(|e| Error::connect(&display_url, e))?;
            let _ = probe.close().await;
        }
        let mut pool_opts = AnyPoolOptions::new()
            .max_connections(if url.contains(":memory:") { 1 } else { opts.max_connections })
            .acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            pool_opts = pool_opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets the dashboard read while a crawl writes; NORMAL sync is durable across
                    // process crashes (only an OS crash may lose the last commits).
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA busy_timeout = 30000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    // 32 MiB of page cache per connection (the default is 2 MiB): analysis updates
                    // per-ad rows of large tables (entities, band keys, shingle counts) at random places,
                    // and a large store otherwise reads most of those pages back from the OS each time.
                    conn.execute("PRAGMA cache_size = -32768").await?;
                    Ok(())
                })
            });
        }
        let pool = pool_opts.connect_with(connect).await.map_err(|e| Error::connect(&display_url, e))?;
        let store = Store { pool, backend, display_url };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL without its password, for messages.
    pub fn display_url(&self) -> &str {
        &self.display_url
    }

    /// The connection pool, for callers that run several functions of this crate on one connection.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction; pass `&mut *tx` to the write functions and `tx.commit()` at the end.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin().await?)
    }

    /// Takes a connection from the pool.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether the database answers (`SELECT 1`: cheap, and reads no data), for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// The current time in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Removes the password from a database URL.
fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://rf:secret@db.example:5432/redflag"),
            "postgres://rf:***@db.example:5432/redflag"
        );
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
