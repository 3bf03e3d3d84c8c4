//! Global options and the shared set-up every command needs: logging, the store, the search index and
//! the classifier, each opened from the same flags so commands agree on where data lives.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Where the embedded database, the search index and other local data live.
    #[arg(long, global = true, env = "REDFLAG_DATA_DIR", default_value = "redflag-data", value_name = "DIR")]
    pub data_dir: PathBuf,

    /// Use this database instead of the embedded one (postgres://user@host/db or sqlite://file).
    #[arg(long, global = true, env = "REDFLAG_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Log more (-v: debug, -vv: trace). Logs go to standard error.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Log only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Score with the models in this directory (as written by `redflag train`: one model directory,
    /// or one holding `job-fraud/` and/or `escort/`) instead of the bundled ones; a kind without a
    /// model there keeps the bundled one.
    #[arg(long = "model-dir", global = true, env = "REDFLAG_MODEL_DIR", value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}

/// Sets up logging on standard error; `RUST_LOG` overrides the flags.
pub fn init_tracing(g: &Global) {
    let level = match (g.quiet, g.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{level},tantivy=warn,sqlx=warn")));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}

impl Global {
    /// Opens the store these options point at, creating and migrating it if needed.
    pub async fn open_store(&self) -> anyhow::Result<redflag_store::Store> {
        let opts = match &self.database_url {
            Some(url) => redflag_store::StoreOptions::url(url),
            None => redflag_store::StoreOptions::data_dir(&self.data_dir),
        };
        Ok(redflag_store::Store::open(&opts).await?)
    }

    /// The directory of the search index.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// Opens (creating if needed) the search index.
    pub fn open_index(&self) -> anyhow::Result<redflag_index::AdIndex> {
        let dir = self.index_dir();
        redflag_index::AdIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))
    }
}

impl Global {
    /// The classifier: the bundled models, or those of `--model-dir`.
    pub fn classifier(&self) -> anyhow::Result<redflag_classifier::Classifier> {
        match &self.model_dir {
            Some(dir) => redflag_classifier::Classifier::from_dir(dir)
                .with_context(|| format!("loading the models in {}", dir.display())),
            None => redflag_classifier::Classifier::bundled().context("loading the bundled classifier"),
        }
    }
}

/// The dashboard's shared state.
pub fn dashboard_state(
    store: redflag_store::Store,
    index: std::sync::Arc<redflag_index::AdIndex>,
    classifier: std::sync::Arc<redflag_classifier::Classifier>,
    config: redflag_dashboard::DashboardConfig,
) -> redflag_dashboard::AppState {
    redflag_dashboard::AppState::new(store, index, classifier, config)
}

/// Completes on Ctrl-C or SIGTERM, for graceful shutdown of servers.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("stopping");
}

/// Refills the search index from the store when [`redflag_index::AdIndex::open`] had to create it (a
/// new data directory, or an index of an older schema that an upgrade wiped), so searches and facets
/// never silently miss ads that are in the store.
pub async fn refill_new_index(
    store: &redflag_store::Store,
    index: &std::sync::Arc<redflag_index::AdIndex>,
) -> anyhow::Result<()> {
    if index.was_rebuilt() && store.ad_count().await? > 0 {
        eprintln!("redflag: the search index is new or was built by an older version; rebuilding it from the store");
        let n = redflag_analyze::reindex(store, index.clone(), &redflag_analyze::NoProgress).await?;
        eprintln!("redflag: {n} ads indexed");
    }
    Ok(())
}
