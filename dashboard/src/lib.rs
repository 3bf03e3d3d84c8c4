//! Redflag's web dashboard: the investigators' lead queue, ad pages with the evidence behind each score,
//! search, networks, crawl status, triage, case files, export, deletion on request and the audit log, the
//! deterrence bot's counters for NGO staff (the `ngo` role, which sees nothing else), plus the public
//! ad-check page for job seekers. Other tools use the JSON API ([`api`], documented at
//! `/api/openapi.json`) with personal API tokens; Prometheus scrapes [`metrics`] at `/metrics`.
//!
//! Pages are rendered on the server with maud (which escapes every value: ad text is attacker-written)
//! and work without JavaScript; one small script adds keyboard shortcuts. Every response carries a strict
//! content security policy and no page loads anything from another origin, so the dashboard works on
//! machines without internet access.
//!
//! Build an [`AppState`] from an open store, the search index and the classifier, then either mount
//! [`router`] in your own server or call [`serve`] with a bound listener. [`AppState::login_link`] makes a
//! one-time sign-in URL, for a demo that opens with one click.

pub mod api;
mod assets;
pub mod auth;
pub mod charts;
pub mod check;
mod config;
pub mod diff;
pub mod error;
pub mod highlight;
pub mod i18n;
pub mod metrics;
mod pages;
pub mod ratelimit;
pub mod security;
mod state;
pub mod views;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};

pub use config::DashboardConfig;
pub use error::{ApiError, AppError};
pub use state::AppState;

/// The largest form the public check page accepts; the text in it is cut further to
/// [`DashboardConfig::max_check_bytes`].
const CHECK_BODY_LIMIT: usize = 512 * 1024;

/// The dashboard's routes, with the security layers applied.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::leads::index))
        .route("/leads", get(pages::leads::index))
        .route("/leads/triage", post(pages::leads::bulk_triage))
        .route("/ads/{id}", get(pages::ad::show))
        .route("/ads/{id}/triage", post(pages::ad::set_triage))
        .route("/pages/{id}/raw", get(pages::ad::raw_page))
        .route("/images/{id}", get(pages::images::serve))
        .route("/contacts", get(pages::leads::contact))
        .route("/search", get(pages::search::page))
        .route("/networks", get(pages::networks::list))
        .route("/networks/{id}", get(pages::networks::show))
        .route("/crawl", get(pages::crawl::page))
        .route("/trends", get(pages::trends::page))
        .route("/cases", get(pages::cases::list).post(pages::cases::create))
        .route("/cases/ads", post(pages::cases::ads))
        .route("/cases/{id}", get(pages::cases::show).post(pages::cases::update))
        .route("/cases/{id}/notes", post(pages::cases::add_note))
        .route("/cases/{id}/export.zip", get(pages::cases::export))
        .route("/admin/delete", get(pages::erase::show).post(pages::erase::submit))
        .route("/export.jsonl", get(pages::export::export))
        .route("/audit", get(pages::admin::audit))
        .route("/users", get(pages::admin::users).post(pages::admin::save_user))
        .route("/alerts", get(pages::alerts::inbox))
        .route("/alerts/read", post(pages::alerts::mark_all_read))
        .route("/alerts/{id}/read", post(pages::alerts::mark_read))
        .route("/watches", get(pages::watches::list).post(pages::watches::create))
        .route("/watches/{id}", post(pages::watches::act))
        .route("/ngo", get(pages::ngo::page))
        .route("/ngo.csv", get(pages::ngo::csv))
        .route("/account/tokens", get(pages::tokens::page).post(pages::tokens::create))
        .route("/account/tokens/{id}/revoke", post(pages::tokens::revoke))
        .merge(api::router())
        .route("/metrics", get(metrics::serve))
        .route(
            "/check",
            get(check::show).post(check::submit).layer(axum::extract::DefaultBodyLimit::max(CHECK_BODY_LIMIT)),
        )
        .route("/healthz", get(pages::misc::healthz))
        .route("/static/{file}", get(assets::serve))
        .route("/login", get(auth::login_form).post(auth::login_submit))
        .route("/login/link/{code}", get(auth::login_link))
        .route("/logout", post(auth::logout))
        .fallback(pages::misc::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::same_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::audit_refusals))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

/// Serves the dashboard on `listener` until `shutdown` completes, then finishes open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Expired sessions are useless but would pile up; sweep them while serving.
    let store = state.store().clone();
    let sweeper = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match store.purge_sessions().await {
                Ok(n) if n > 0 => tracing::debug!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot remove expired sessions"),
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    sweeper.abort();
    result
}
