//! The one error type of the dashboard's handlers, rendered as an HTML page (or JSON for the API) with a
//! stable code. Failures on our side show a generic message and a reference; the detail goes to the log.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use crate::views;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The page needs a login; `next` is where to go back to afterwards.
    #[error("login required")]
    Unauthenticated {
        /// The path and query to return to after logging in.
        next: Option<String>,
    },
    /// The user's role does not allow this.
    #[error("your role does not allow this (needs {needed})")]
    Forbidden {
        /// The least role that would.
        needed: &'static str,
    },
    /// A form post without a valid anti-forgery token, or from another site.
    #[error("the form was stale or came from another site; reload the page and try again")]
    Csrf,
    /// The request itself is wrong.
    #[error("{0}")]
    BadRequest(String),
    /// Too many attempts; try again later.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited {
        /// Seconds until the client may try again.
        retry_after_secs: u64,
    },
    /// We failed. The string is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable code clients and tests can match on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unauthenticated { .. } => "unauthenticated",
            AppError::Forbidden { .. } => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A failure on our side.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        AppError::Internal(detail.to_string())
    }

    /// The message safe to show a user, and for internal errors a reference that is also logged.
    fn public_message(&self) -> (String, Option<String>) {
        match self {
            AppError::Internal(detail) => {
                let reference = redflag_store::users::random_token()[..12].to_string();
                tracing::error!(reference = %reference, detail = %detail, "request failed");
                ("Something went wrong on our side. The details were logged.".into(), Some(reference))
            }
            other => (sentence(&other.to_string()), None),
        }
    }

    /// The error as a JSON response, for the API.
    pub fn into_json_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let retry = self.retry_after();
        let (message, reference) = self.public_message();
        let body = serde_json::json!({ "error": { "code": code, "message": message, "reference": reference } });
        let mut resp = (status, axum::Json(body)).into_response();
        if let Some(r) = retry {
            resp.headers_mut().insert(header::RETRY_AFTER, r);
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"redflag\""));
        }
        resp.headers_mut().insert("x-error-code", HeaderValue::from_static(code));
        resp
    }

    fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            AppError::RateLimited { retry_after_secs } => HeaderValue::from_str(&retry_after_secs.to_string()).ok(),
            _ => None,
        }
    }
}

/// Capitalises the first letter and ends with a period, for a message shown as a sentence.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unauthenticated { next } = &self {
            let target = match next.as_deref().filter(|n| crate::auth::is_local_path(n) && *n != "/") {
                Some(n) => {
                    format!("/login?next={}", url::form_urlencoded::byte_serialize(n.as_bytes()).collect::<String>())
                }
                None => "/login".to_string(),
            };
            return Redirect::to(&target).into_response();
        }
        let status = self.status();
        let code = self.code();
        let retry = self.retry_after();
        let (message, reference) = self.public_message();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::TOO_MANY_REQUESTS => "Slow down",
            StatusCode::BAD_REQUEST => "Bad request",
            _ => "Error",
        };
        let body = views::bare_page(
            title,
            html! {
                main.narrow {
                    h1 { (title) }
                    p { (message) }
                    p.muted {
                        "Error code: " code { (code) }
                        @if let Some(r) = &reference { " · reference " code { (r) } }
                    }
                    p { a href="/" { "Back to the lead queue" } }
                }
            },
        );
        let mut resp = (status, body).into_response();
        if let Some(r) = retry {
            resp.headers_mut().insert(header::RETRY_AFTER, r);
        }
        resp.headers_mut().insert("x-error-code", HeaderValue::from_static(code));
        resp
    }
}

impl From<redflag_store::Error> for AppError {
    fn from(e: redflag_store::Error) -> Self {
        match e {
            redflag_store::Error::NotFound { what, id } => AppError::NotFound(format!("{what} {id}")),
            redflag_store::Error::Invalid { what, reason } => AppError::BadRequest(format!("invalid {what}: {reason}")),
            other => AppError::internal(other),
        }
    }
}

impl From<redflag_index::Error> for AppError {
    fn from(e: redflag_index::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::internal(format!("background task failed: {e}"))
    }
}

/// An [`AppError`] answered as JSON, for the `/api/` routes.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses_are_stable() {
        let cases = [
            (AppError::NotFound("ad 3".into()), "not_found", 404),
            (AppError::Forbidden { needed: "admin" }, "forbidden", 403),
            (AppError::Csrf, "csrf_failed", 403),
            (AppError::BadRequest("x".into()), "bad_request", 400),
            (AppError::RateLimited { retry_after_secs: 3 }, "rate_limited", 429),
            (AppError::Internal("db down".into()), "internal", 500),
        ];
        for (e, code, status) in cases {
            assert_eq!((e.code(), e.status().as_u16()), (code, status), "{e:?}");
        }
    }

    #[tokio::test]
    async fn internal_errors_never_show_their_detail() {
        let resp = AppError::internal("password=hunter2 at db.internal:5432").into_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(resp.headers()["x-error-code"], "internal");
        let body = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Something went wrong on our side") && body.contains("reference"), "{body}");
        assert!(!body.contains("hunter2") && !body.contains("db.internal"), "{body}");
        let json = AppError::internal("hunter2").into_json_response();
        let body = axum::body::to_bytes(json.into_body(), 1 << 20).await.unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
    }

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(sentence("ad 3 not found"), "Ad 3 not found.");
        assert_eq!(sentence(""), ".");
    }
}
