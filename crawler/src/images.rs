//! The pictures of an ad page, fetched with the page as evidence: in scope only, through the same
//! politeness (robots.txt, per-host limits and spacing), the same guard against private addresses and
//! the same redirect checks as pages; capped in bytes (`limits.max_image_bytes`) and pixels
//! (`limits.max_image_pixels`, checked from the header before decoding); kept only when the
//! `Content-Type` names a raster format (JPEG, PNG, GIF, WebP) and the bytes prove one, so SVG (which
//! can carry script) is never kept. A picture URL fetched before is asked for conditionally, and a
//! `304` reuses the stored picture. An ad's pictures are fetched concurrently (the host's slots and
//! spacing still apply), and their bytes count in the crawl's byte total. The fingerprint (perceptual hash and colour thumbnail) is computed
//! here, on the blocking pool.
//!
//! Failures are results: the reason is stored with the ad version, and the ad is written regardless.
//!
//! A page whose text is unchanged but whose pictures changed — another picture, or new bytes at the
//! same address — is a new version of the ad, so each version keeps the pictures it showed ([`store`]).

use std::sync::Arc;

use redflag_imagehash::Format;
use redflag_store::images::{self as store_images, NewImage, UrlOutcome, url_state};
use redflag_store::{Conn, NewAdVersion, VersionChange, ads};
use url::Url;

use crate::canon;
use crate::crawl::{Ctx, add, keep_robots};
use crate::fetch::{self, FetchFailure, Validators};
use crate::hosts::RobotsVerdict;

/// One picture of an ad page and what became of it.
#[derive(Debug, Clone)]
pub(crate) struct FetchedImage {
    /// The URL the page names (after `srcset` choice and canonicalisation).
    pub(crate) url: String,
    /// When the fetch ended, ms since the epoch.
    pub(crate) fetched_at: i64,
    /// The last HTTP status, if a response came.
    pub(crate) status: Option<i64>,
    pub(crate) result: ImageResult,
}

/// The outcome of one picture fetch.
#[derive(Debug, Clone)]
pub(crate) enum ImageResult {
    /// New bytes, checked and hashed.
    Kept(Box<Kept>),
    /// `304 Not Modified`: the stored picture with this id is still what the URL serves.
    Known(i64),
    /// Not kept, and why.
    Failed(String),
}

/// A checked picture to store.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub(crate) sha256: String,
    pub(crate) content_type: &'static str,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) phash: u64,
    pub(crate) thumb: redflag_imagehash::Thumb,
    pub(crate) body: Vec<u8>,
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
}

/// Fetches one picture of an ad page.
pub(crate) async fn fetch(ctx: &Arc<Ctx>, url: &Url) -> FetchedImage {
    let mut status = None;
    let result = fetch_inner(ctx, url, &mut status).await;
    FetchedImage { url: url.to_string(), fetched_at: redflag_store::now_ms(), status, result }
}

async fn fetch_inner(ctx: &Arc<Ctx>, url: &Url, status: &mut Option<i64>) -> ImageResult {
    let p = &ctx.adapter.politeness;
    let limits = &ctx.adapter.limits;
    let fail = |reason: String| ImageResult::Failed(reason);
    // What the last fetch of this URL left, for a conditional request.
    let known = match ctx.store.conn().await {
        Ok(mut c) => url_state(&mut c, ctx.site_id, url.as_str()).await.ok().flatten(),
        Err(_) => None,
    }
    .filter(|k| k.image_id.is_some());
    let mut current = url.clone();
    let mut chain = vec![url.clone()];
    loop {
        if !ctx.scope.allows(&current) {
            return fail(format!("redirected off-scope to {current}"));
        }
        let host = ctx.hosts.get(&current);
        if p.obey_robots {
            let mut fetched = None;
            let verdict =
                host.robots_verdict(&current, &ctx.fetcher, &ctx.scope, p.max_redirects, |f| fetched = Some(f)).await;
            if let Some(f) = fetched {
                keep_robots(ctx, f).await;
            }
            match verdict {
                RobotsVerdict::Allowed => {}
                RobotsVerdict::Disallowed => return fail("disallowed by robots.txt".into()),
                RobotsVerdict::Unreachable(reason) => return fail(format!("robots.txt unreachable: {reason}")),
            }
        }
        let validators = match (&known, chain.len()) {
            (Some(k), 1) => Validators { etag: k.etag.as_deref(), last_modified: k.last_modified.as_deref() },
            _ => Validators::default(),
        };
        let resp = {
            let _permit = host.acquire().await;
            ctx.fetcher.get_capped(&current, &validators, limits.max_image_bytes).await
        };
        let resp = match resp {
            Ok(r) => r,
            Err(FetchFailure { reason, .. }) => return fail(reason),
        };
        add(&ctx.counters.bytes, resp.body.len() as u64);
        *status = Some(i64::from(resp.status));
        if resp.is_redirect() {
            let location = resp.header("location").unwrap_or_default();
            let next = match canon::resolve(&current, location, &ctx.adapter.strip_params) {
                Ok(n) => n,
                Err(reason) => return fail(format!("redirected to {location:?}: {reason}")),
            };
            if chain.contains(&next) || chain.len() > p.max_redirects {
                return fail(format!("too many redirects or a loop (last to {next})"));
            }
            chain.push(next.clone());
            current = next;
            continue;
        }
        if resp.status == 304 {
            return match known.as_ref().and_then(|k| k.image_id) {
                Some(id) => ImageResult::Known(id),
                None => fail("304 Not Modified for a picture never stored".into()),
            };
        }
        if !(200..300).contains(&resp.status) {
            return fail(fetch::status_text(resp.status));
        }
        if resp.truncated {
            return fail(format!("larger than {} bytes", limits.max_image_bytes));
        }
        let declared = resp.header("content-type").map(str::to_string);
        if declared.as_deref().and_then(Format::from_content_type).is_none() {
            return fail(format!(
                "not a JPEG, PNG, GIF or WebP picture (content type {})",
                declared.as_deref().unwrap_or("missing")
            ));
        }
        let etag = resp.header("etag").map(str::to_string);
        let last_modified = resp.header("last-modified").map(str::to_string);
        let max_pixels = limits.max_image_pixels;
        let body = resp.body;
        let _cpu = ctx.cpu.acquire().await;
        let hashed = tokio::task::spawn_blocking(move || {
            let h = redflag_imagehash::hash(&body, max_pixels);
            (h, redflag_store::pages::sha256_hex(&body), body)
        })
        .await;
        return match hashed {
            Ok((Ok(h), sha256, body)) => ImageResult::Kept(Box::new(Kept {
                sha256,
                content_type: h.format.content_type(),
                width: h.width,
                height: h.height,
                phash: h.hash,
                thumb: h.thumb,
                body,
                etag,
                last_modified,
            })),
            Ok((Err(e), _, _)) => fail(e.to_string()),
            Err(e) => fail(format!("picture processing failed: {e}")),
        };
    }
}

/// Why a picture answered `304 Not Modified` is not attached: its stored copy was deleted meanwhile.
const GONE_SINCE: &str = "not modified, but the stored copy was deleted since; it is fetched again next time";

/// What [`store`] wrote for one ad page.
pub(crate) struct Shown {
    /// What became of the ad: as [`ads::upsert_version`] said, or `Changed` when only its pictures did.
    pub(crate) change: VersionChange,
    /// Pictures kept (stored now or before).
    pub(crate) kept: u64,
    /// Pictures not kept.
    pub(crate) failed: u64,
}

/// Stores the pictures of an ad page that [`ads::upsert_version`] just wrote as `(ad id, version,
/// change)`: each kept picture once by content, each address's outcome for the next conditional
/// request, and the pictures the version showed. When the text is unchanged but the pictures are not
/// (`store_images::pictures_changed`), the page makes a new version with the same text.
pub(crate) async fn store(
    conn: &mut Conn,
    site_id: i64,
    (ad_id, mut version, mut change): (i64, i64, VersionChange),
    v: &NewAdVersion<'_>,
    pictures: &[FetchedImage],
) -> redflag_store::Result<Shown> {
    let mut resolved: Vec<(Option<i64>, Option<&str>)> = Vec::with_capacity(pictures.len());
    for f in pictures {
        let (image_id, error, etag, last_modified) = match &f.result {
            ImageResult::Kept(k) => {
                let img = NewImage {
                    sha256: &k.sha256,
                    content_type: k.content_type,
                    width: k.width,
                    height: k.height,
                    phash: k.phash,
                    thumb: &k.thumb,
                    url: &f.url,
                    fetched_at: f.fetched_at,
                    body: &k.body,
                };
                let id = store_images::upsert_image(conn, &img).await?;
                (Some(id), None, k.etag.as_deref(), k.last_modified.as_deref())
            }
            ImageResult::Known(id) if store_images::image_exists(conn, *id).await? => (Some(*id), None, None, None),
            ImageResult::Known(_) => (None, Some(GONE_SINCE), None, None),
            ImageResult::Failed(reason) => (None, Some(reason.as_str()), None, None),
        };
        let outcome = UrlOutcome {
            site_id,
            url: &f.url,
            image_id,
            etag,
            last_modified,
            fetched_at: f.fetched_at,
            status: f.status,
            error,
        };
        store_images::record_url(conn, &outcome).await?;
        resolved.push((image_id, error));
    }
    if change == VersionChange::Unchanged && !pictures.is_empty() {
        let before = store_images::shown(conn, ad_id).await?;
        let now: Vec<(&str, Option<i64>)> =
            pictures.iter().zip(&resolved).map(|(f, (id, _))| (f.url.as_str(), *id)).collect();
        if store_images::pictures_changed(&before, &now)
            && let Some(next) = ads::new_picture_version(conn, ad_id, version, v.page_id, v.fetched_at).await?
        {
            (version, change) = (next, VersionChange::Changed);
        }
    }
    for (position, (f, (image_id, error))) in pictures.iter().zip(&resolved).enumerate() {
        store_images::attach(conn, ad_id, version, position as i64, &f.url, *image_id, f.fetched_at, *error).await?;
    }
    let kept = resolved.iter().filter(|(id, _)| id.is_some()).count() as u64;
    Ok(Shown { change, kept, failed: resolved.len() as u64 - kept })
}
