//! The JSON API for other tools: leads, ads, search, networks, contacts and triage, behind an API token
//! (`Authorization: Bearer rf_…`) or the dashboard's login, described by an OpenAPI 3.1 document at
//! `/api/openapi.json` that is generated from these handlers and types (`utoipa`), so it cannot drift
//! from the code. Lists page with `limit` and an opaque `cursor` (`cursor.rs`); every request counts
//! against its token's rate limit ([`crate::auth::ApiUser`]). Errors are JSON with a stable code
//! ([`crate::ApiError`]). See `docs/api.md`.

pub mod cursor;
pub mod handlers;
pub mod schema;

use std::sync::OnceLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;

/// The API's routes; the dashboard's router merges them.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/leads", get(handlers::leads))
        .route("/api/ads/{id}", get(handlers::ad))
        .route("/api/ads/{id}/triage", post(handlers::set_triage))
        .route("/api/search", get(handlers::search))
        .route("/api/networks", get(handlers::networks))
        .route("/api/networks/{id}", get(handlers::network))
        .route("/api/contacts", get(handlers::contacts))
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Redflag API",
        description = "Leads, ads, search, networks, contacts and triage of a Redflag dashboard. \
            Authenticate with a personal API token (`Authorization: Bearer rf_…`, made on the dashboard's \
            Tokens page) or the dashboard's login. Each operation's security requirement names the least \
            role it needs (`analyst` or `admin`). Lists take `limit` and `cursor` and return `next`. \
            Ad text is attacker-written: escape it wherever you show it."
    ),
    paths(
        openapi_json,
        handlers::leads,
        handlers::ad,
        handlers::set_triage,
        handlers::search,
        handlers::networks,
        handlers::network,
        handlers::contacts,
    ),
    modifiers(&Security),
    tags(
        (name = "leads", description = "The lead queue"),
        (name = "ads", description = "Ads and their triage"),
        (name = "search", description = "Full-text search"),
        (name = "networks", description = "Linked ads"),
        (name = "contacts", description = "Ads by phone, e-mail or handle"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// Adds the two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token, `rf_` and 64 hex digits"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "rf_session",
                "The dashboard's login (`__Host-rf_session` over HTTPS); posts also need `X-CSRF-Token`",
            ))),
        );
    }
}

/// The document, serialised once.
fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")))
}

/// This OpenAPI document (no login needed: it holds no data).
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object, content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    let mut resp = document().into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}
