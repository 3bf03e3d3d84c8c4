//! Small routes: the health check and the not-found fallback.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

/// `GET /healthz`: 200 when the store answers `SELECT 1`, 503 when it does not. Reads no data and
/// reveals nothing else, so an anonymous caller can neither learn anything nor make it expensive.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(_) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable" }))).into_response()
        }
    }
}

/// Any path no route matches.
pub async fn not_found() -> AppError {
    AppError::NotFound("page".into())
}
