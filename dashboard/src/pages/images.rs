//! Ad pictures: the pictures section of the ad page and `GET /images/{id}`, which serves a stored
//! picture's bytes, to signed-in users only, with the content type its bytes proved when it was fetched
//! (one of JPEG, PNG, GIF, WebP; anything else goes out as an octet stream), `nosniff`, and a content
//! security policy that runs nothing, even if a browser were tricked into rendering it as a document.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use redflag_store::AdImageRow;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::views;

/// The only content types pictures are served with.
const PICTURE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// `GET /images/{id}`.
pub async fn serve(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(format!("image {id}")))?;
    let img = state.store().image(id).await?.ok_or_else(|| AppError::NotFound(format!("image {id}")))?;
    let ct = PICTURE_TYPES.iter().find(|t| **t == img.content_type).copied().unwrap_or("application/octet-stream");
    let ct = HeaderValue::from_static(ct);
    let mut resp = img.body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, ct);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(v) = HeaderValue::from_str(&img.sha256) {
        h.insert("x-evidence-sha256", v);
    }
    Ok(resp)
}

/// The pictures section of the ad page: each picture the current version showed, with its hash and
/// source, or why it could not be kept.
pub fn section(images: &[AdImageRow]) -> Markup {
    html! {
        section #pictures {
            h2 { "Pictures (" (images.len()) ")" }
            @if images.is_empty() { p.muted { "No pictures stored for this version." } }
            div.pictures {
                @for i in images {
                    figure.picture {
                        @match i.image_id {
                            Some(id) => {
                                img src={"/images/" (id)} alt={"Picture " (i.position + 1) " of the ad"} loading="lazy"
                                    width=[i.width] height=[i.height];
                                figcaption {
                                    @if let Some(h) = i.phash { "hash " code { (format!("{h:016x}")) } " · " }
                                    @if let Some(s) = &i.sha256 { "SHA-256 " code title=(s) { (s.get(..12).unwrap_or(s)) } " · " }
                                    (views::ext_link(&i.url))
                                }
                            }
                            None => figcaption.muted {
                                "Not kept: " (i.error.as_deref().unwrap_or("unknown reason")) " · " (views::ext_link(&i.url))
                            },
                        }
                    }
                }
            }
        }
    }
}
