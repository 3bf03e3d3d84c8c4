//! The JSON Lines export (`/export.jsonl`, analysts and admins): every ad with its entities, risk,
//! indicators and evidence hash, in the same format as `redflag export`. Streamed in batches, so a large
//! store never sits in memory; every export is audited.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use redflag_store::{Role, Store};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;

/// Ads read per batch.
const BATCH: i64 = 500;

/// The export as a stream of JSON Lines chunks, one chunk per batch.
pub fn stream(store: Store) -> impl futures::Stream<Item = Result<String, redflag_store::Error>> + Send {
    futures::stream::try_unfold((store, 0i64, false), |(store, after, done)| async move {
        if done {
            return Ok(None);
        }
        let batch = store.export_batch(after, BATCH).await?;
        let Some(last) = batch.last().map(|r| r.id) else { return Ok(None) };
        let mut chunk = String::new();
        for r in &batch {
            chunk.push_str(&r.to_json().to_string());
            chunk.push('\n');
        }
        let done = (batch.len() as i64) < BATCH;
        Ok(Some((chunk, (store, last, done))))
    })
}

/// `GET /export.jsonl`.
pub async fn export(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    user.require(Role::Analyst)?;
    let store = state.store().clone();
    let n = store.ad_count().await?;
    store.audit(&user.user.username, "export.jsonl", None, Some(&format!("dashboard; {n} ads"))).await?;
    let date = redflag_core::time::rfc3339(redflag_store::now_ms());
    let mut resp = Body::from_stream(stream(store)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson; charset=utf-8"));
    let disposition = format!("attachment; filename=\"redflag-export-{}.jsonl\"", &date[..10]);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
