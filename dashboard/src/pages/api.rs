//! The JSON API behind the same login as the pages: `/api/leads` (the lead list with the page's
//! filters) and `/api/ads/{id}` (one ad with its score, entities, links, triage and evidence metadata).
//!
//! The API is a bulk-read path (a script pages through every ad, contact and triage note), so it needs
//! the same role as the export: analyst or admin. Viewers read the pages, one at a time.

use axum::Json;
use axum::extract::{Path, Query, State};
use redflag_core::AdKind;
use redflag_core::time::rfc3339;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::pages::leads::{self, LeadsQuery};
use redflag_store::Role;

/// `GET /api/leads`.
pub async fn leads(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<LeadsQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Role::Analyst)?;
    let size = state.config().page_size.clamp(1, 1000);
    let p = leads::parse(&q, size);
    let (rows, total) = tokio::try_join!(state.store().leads(&p.filter), state.store().lead_count(&p.filter))?;
    let leads: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "site": r.site, "kind": r.kind, "url": r.url, "title": r.title, "city": r.city,
                "risk": r.risk, "cluster": r.cluster_id, "cluster_size": r.cluster_size, "triage": r.triage,
                "last_seen": rfc3339(r.last_seen), "indicators": r.indicators,
            })
        })
        .collect();
    Ok(Json(json!({ "total": total, "page": p.page, "page_size": size, "warnings": p.warnings, "leads": leads })))
}

/// `GET /api/ads/{id}`.
pub async fn ad(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    user.require(Role::Analyst)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("ad {id}")))?;
    let store = state.store();
    let ad = store.ad(id).await?;
    let (urls, entities, score, links, triage) = tokio::try_join!(
        store.ad_urls(id),
        store.entities(id),
        store.latest_score(id),
        store.links_of(id),
        store.triage(id)
    )?;
    let evidence = match ad.page_id {
        Some(p) => match store.page(p).await {
            Ok(p) => json!({ "page_id": p.id, "sha256": p.sha256, "fetched_at": rfc3339(p.fetched_at),
                             "url": p.url, "final_url": p.final_url, "status": p.status, "size": p.size }),
            Err(e) if e.is_not_found() => Value::Null,
            Err(e) => return Err(e.into()),
        },
        None => Value::Null,
    };
    Ok(Json(json!({
        "id": ad.id, "site": ad.site, "kind": ad.kind, "url": ad.url, "urls": urls, "version": ad.version,
        "first_seen": rfc3339(ad.first_seen), "last_seen": rfc3339(ad.last_seen), "fetched_at": rfc3339(ad.fetched_at),
        "risk": ad.risk, "cluster": ad.cluster_id, "fields": ad.fields,
        // Only the job model is calibrated (on labelled ads); the escort model's weights are evidence-based
        // priors, so its number is an indicator score, never presented as a probability.
        "score": score.map(|s| json!({
            "version": s.version, "model": s.model,
            "probability": (ad.kind == AdKind::Job).then_some(s.probability),
            "indicator_score": (ad.kind == AdKind::Escort).then_some(s.probability),
            "calibrated": ad.kind == AdKind::Job,
            "risk": s.risk, "verdict": s.verdict,
            "language": s.language, "language_supported": s.language_supported, "indicators": s.indicators,
            "scored_at": rfc3339(s.scored_at),
        })),
        "entities": entities,
        "links": links.iter().map(|l| json!({ "a": l.ad_a, "b": l.ad_b, "reason": l.reason })).collect::<Vec<_>>(),
        "triage": triage.map(|t| json!({ "state": t.state, "assignee": t.assignee, "note": t.note,
                                          "updated_by": t.updated_by, "updated_at": rfc3339(t.updated_at) })),
        "evidence": evidence,
    })))
}
