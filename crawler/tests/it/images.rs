//! Pictures of ad pages: kept once per content with their hash, refused with a reason when they are
//! not raster images, do not decode, are too large (in bytes, or in pixels by their header alone) or
//! are disallowed by robots.txt, asked for conditionally on recrawls, and never a reason to lose the ad.

use redflag_imagehash::synth;
use redflag_store::testkit;
use sqlx::Row;

use crate::fixture::{Reply, Site, adapter, crawl, listing};

fn picture(ct: &str, body: Vec<u8>, etag: Option<&str>) -> Reply {
    Reply::Raw { status: 200, headers: vec![("content-type", ct.to_string())], body, etag: etag.map(String::from) }
}

fn page(title: &str, inner: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>\
         <div class=\"body\"><p>{title}: dinner dates downtown.</p>{inner}</div>\
         <img src=\"/p/site-logo.png\" alt=\"outside the ad text\"></body></html>"
    )
}

async fn count(store: &redflag_store::Store, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(store.pool()).await.unwrap().try_get("n").unwrap()
}

#[tokio::test]
async fn ad_pictures_are_kept_once_and_refused_with_reasons() {
    let photo = synth::png(&synth::pattern(1, 120, 90));
    let big = synth::png(&synth::pattern(2, 400, 300));
    assert!(big.len() > 40_000, "the noise texture keeps the PNG large");
    let many_pixels = synth::png(&synth::solid(500, 500, [200, 120, 40]));
    assert!(many_pixels.len() < 40_000);
    for store in testkit::all().await {
        let ad1 = page(
            "First",
            "<img src=\"/p/photo.png\">\
             <img srcset=\"/p/small.jpg 300w, /p/medium.jpg 900w, /p/large.jpg 2000w\" src=\"/p/fallback.jpg\">\
             <img src=\"/p/logo.svg\"><img src=\"/p/fake.png\"><img src=\"/p/big.png\">\
             <img src=\"/p/wide.png\"><img src=\"/p/missing.png\"><img src=\"http://198.51.100.7/x.png\">\
             <img src=\"data:image/png;base64,iVBORw0KGgo=\">",
        );
        let ad2 = page("Second", "<img src=\"/p/photo.png\"><img data-src=\"/p/photo-copy.png\">");
        let ad3 = page(
            "Third",
            "<img src=\"/private/p.png\"><img src=\"/p/broken.png\"><img src=\"/p/page.png\">\
             <img src=\"/p/bomb.png\">",
        );
        let site = Site::start(vec![
            ("/", Reply::Html(listing(&["/ad/1", "/ad/2", "/ad/3"]))),
            (
                "/robots.txt",
                Reply::Raw {
                    status: 200,
                    headers: vec![("content-type", "text/plain".into())],
                    body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
                    etag: None,
                },
            ),
            ("/ad/1", Reply::tagged(&ad1, "\"ad1-v1\"")),
            ("/ad/2", Reply::Html(ad2)),
            ("/ad/3", Reply::Html(ad3)),
            ("/private/p.png", picture("image/png", photo.clone(), None)),
            ("/p/broken.png", picture("image/png", photo[..photo.len() / 2].to_vec(), None)),
            ("/p/page.png", Reply::Html("<!doctype html><p>Not found, but said with a 200</p>".into())),
            ("/p/bomb.png", picture("image/png", synth::png_header_only(100_000, 100_000), None)),
            ("/p/photo.png", picture("image/png", photo.clone(), Some("\"photo-1\""))),
            ("/p/photo-copy.png", picture("image/png", photo.clone(), None)),
            ("/p/medium.jpg", picture("image/jpeg", synth::jpeg(&synth::pattern(3, 120, 90), 80), None)),
            ("/p/logo.svg", picture("image/svg+xml", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(), None)),
            ("/p/fake.png", picture("image/png", b"<svg onload=\"alert(1)\"/>".to_vec(), None)),
            ("/p/big.png", picture("image/png", big.clone(), None)),
            ("/p/wide.png", picture("image/png", many_pixels.clone(), None)),
        ])
        .await;
        let a = adapter(&site, "\n[limits]\nmax_image_bytes = 40000\nmax_image_pixels = 100000");
        let first = crawl(&store, &a).await;
        assert_eq!(first.ads_new, 3, "{}: every ad is stored whatever its pictures did", store.label);
        assert_eq!((first.images, first.image_errors), (4, 9), "{}: {first:?}", store.label);
        assert_eq!(site.hits("/private/p.png"), 0, "robots.txt disallows it");
        assert_eq!(site.hits("/p/site-logo.png"), 0, "pictures outside the ad's text are not the ad's");
        assert_eq!(site.hits("/p/small.jpg") + site.hits("/p/large.jpg") + site.hits("/p/fallback.jpg"), 0);

        let leads = store.leads(&Default::default()).await.unwrap();
        let id = |suffix: &str| leads.iter().find(|l| l.url.ends_with(suffix)).unwrap().id;
        let pics = store.ad_images(id("/ad/1")).await.unwrap();
        let summary: Vec<(String, Option<String>)> = pics
            .iter()
            .map(|p| (p.url.rsplit('/').next().unwrap().to_string(), p.error.clone().or(p.content_type.clone())))
            .collect();
        let reason = |name: &str| summary.iter().find(|(n, _)| n == name).unwrap().1.clone().unwrap();
        assert_eq!(pics.len(), 7, "{}: {summary:?}", store.label);
        assert_eq!(reason("photo.png"), "image/png");
        assert_eq!(reason("medium.jpg"), "image/jpeg", "srcset picks the widest candidate up to 1024 pixels");
        assert!(reason("logo.svg").contains("content type image/svg+xml"), "{}", reason("logo.svg"));
        assert!(reason("fake.png").contains("not a JPEG, PNG, GIF or WebP"), "{}", reason("fake.png"));
        assert!(reason("big.png").contains("larger than 40000 bytes"), "{}", reason("big.png"));
        assert!(reason("wide.png").contains("500 × 500 pixels"), "{}", reason("wide.png"));
        assert!(reason("missing.png").contains("404"), "{}", reason("missing.png"));
        let third: Vec<String> =
            store.ad_images(id("/ad/3")).await.unwrap().into_iter().map(|p| p.error.unwrap_or_default()).collect();
        assert_eq!(third.len(), 4, "{}: {third:?}", store.label);
        assert_eq!(third[0], "disallowed by robots.txt");
        assert!(third[1].starts_with("cannot decode the PNG image"), "{}", third[1]);
        assert!(third[2].contains("content type text/html"), "{}", third[2]);
        assert!(third[3].contains("100000 × 100000 pixels is more than the limit of 100000"), "{}", third[3]);
        let kept = &pics[0];
        assert_eq!(kept.sha256.as_deref(), Some(redflag_store::pages::sha256_hex(&photo).as_str()));
        assert_eq!((kept.width, kept.height), (Some(120), Some(90)));
        assert_eq!(kept.phash, Some(redflag_imagehash::hash(&photo, 1 << 20).unwrap().hash));
        // The same bytes under two URLs and in two ads are stored once.
        let second = store.ad_images(id("/ad/2")).await.unwrap();
        assert_eq!(second.len(), 2);
        assert!(second.iter().all(|p| p.image_id == kept.image_id), "{}: {second:?}", store.label);
        assert_eq!(count(&store, "SELECT COUNT(*) AS n FROM images").await, 2, "{}", store.label);
        let body = store.image(kept.image_id.unwrap()).await.unwrap().unwrap();
        assert_eq!((body.content_type.as_str(), body.body), ("image/png", photo.clone()));

        // A changed ad is a new version; its known picture is asked for conditionally and reused.
        site.set("/ad/1", Reply::tagged(&ad1.replace("dinner dates", "concerts"), "\"ad1-v2\""));
        let again = crawl(&store, &a).await;
        assert_eq!(again.ads_changed, 1, "{}", store.label);
        assert_eq!(site.hits("/p/photo.png"), 3, "{}: once per ad page the first time, then once", store.label);
        let pics = store.ad_images(id("/ad/1")).await.unwrap();
        assert_eq!(pics[0].image_id, kept.image_id, "{}: the 304 reuses the stored picture", store.label);
        assert_eq!(count(&store, "SELECT COUNT(*) AS n FROM images").await, 2, "{}", store.label);
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM image_urls WHERE status = 304").await,
            1,
            "{}: the conditional request was answered 304",
            store.label
        );
    }
}

#[tokio::test]
async fn an_ads_pictures_are_fetched_at_once_in_order_and_counted_in_the_bytes() {
    let pictures: Vec<Vec<u8>> = (10..14).map(|seed| synth::png(&synth::pattern(seed, 80, 60))).collect();
    let imgs: String = (0..pictures.len()).map(|i| format!("<img src=\"/p/{i}.png\">")).collect();
    let ad = page("Gallery", &imgs);
    for store in testkit::all().await {
        let mut routes = vec![("/", Reply::Html(listing(&["/ad/1"]))), ("/ad/1", Reply::Html(ad.clone()))];
        let paths: Vec<String> = (0..pictures.len()).map(|i| format!("/p/{i}.png")).collect();
        for (path, body) in paths.iter().zip(&pictures) {
            let slow =
                Reply::Slow(std::time::Duration::from_millis(300), Box::new(picture("image/png", body.clone(), None)));
            routes.push((path.as_str(), slow));
        }
        let site = Site::start(routes).await;
        let summary = crawl(&store, &adapter(&site, "concurrency = 4")).await;
        assert_eq!((summary.ads_new, summary.images, summary.image_errors), (1, 4, 0), "{}", store.label);
        assert!(site.peak_concurrency() >= 2, "{}: pictures fetched one by one", store.label);
        let picture_bytes: usize = pictures.iter().map(Vec::len).sum();
        assert!(
            summary.bytes >= (ad.len() + picture_bytes) as u64,
            "{}: {} bytes counted, the page and its pictures are {}",
            store.label,
            summary.bytes,
            ad.len() + picture_bytes
        );
        let leads = store.leads(&Default::default()).await.unwrap();
        let shown = store.ad_images(leads[0].id).await.unwrap();
        let hashes: Vec<Option<String>> = shown.iter().map(|p| p.sha256.clone()).collect();
        let expected: Vec<Option<String>> =
            pictures.iter().map(|b| Some(redflag_store::pages::sha256_hex(b))).collect();
        assert_eq!(hashes, expected, "{}: the pictures keep the page's order", store.label);
    }
}

#[tokio::test]
async fn a_picture_replaced_at_its_address_makes_a_new_version_and_a_passing_error_does_not() {
    let first = synth::png(&synth::pattern(21, 90, 60));
    let second = synth::png(&synth::pattern(22, 90, 60));
    let ad = page("Portrait", "<img src=\"/p/a.png\">");
    for store in testkit::all().await {
        let site = Site::start(vec![
            ("/", Reply::Html(listing(&["/ad/1"]))),
            ("/ad/1", Reply::Html(ad.clone())),
            ("/p/a.png", picture("image/png", first.clone(), None)),
        ])
        .await;
        let a = adapter(&site, "");
        assert_eq!(crawl(&store, &a).await.ads_new, 1, "{}", store.label);
        let id = store.leads(&Default::default()).await.unwrap()[0].id;
        let sha = |b: &[u8]| Some(redflag_store::pages::sha256_hex(b));

        // Same text (the page differs outside the ad's fields), other bytes at the same address.
        site.set("/ad/1", Reply::Html(ad.replace("</body>", "<!-- served 2 --></body>")));
        site.set("/p/a.png", picture("image/png", second.clone(), None));
        let again = crawl(&store, &a).await;
        assert_eq!((again.ads_changed, again.ads_unchanged), (1, 0), "{}: {again:?}", store.label);
        let row = store.ad(id).await.unwrap();
        assert_eq!(row.version, 2, "{}", store.label);
        assert_eq!(store.ad_images(id).await.unwrap()[0].sha256, sha(&second), "{}", store.label);
        let by_version: Vec<(i64, Option<String>)> =
            store.ad_version_images(id).await.unwrap().into_iter().map(|r| (r.version, r.image.sha256)).collect();
        assert!(by_version.contains(&(1, sha(&first))), "{}: version 1 keeps its picture: {by_version:?}", store.label);
        let versions = store.ad_versions(id).await.unwrap();
        assert_eq!(versions[0].fields, versions[1].fields, "{}: the text is carried over", store.label);

        // A picture that fails to load is no change.
        site.set("/ad/1", Reply::Html(ad.replace("</body>", "<!-- served 3 --></body>")));
        site.set("/p/a.png", Reply::status(503));
        let third = crawl(&store, &a).await;
        assert_eq!((third.ads_changed, third.image_errors), (0, 1), "{}: {third:?}", store.label);
        assert_eq!(store.ad(id).await.unwrap().version, 2, "{}", store.label);
        assert_eq!(store.ad_images(id).await.unwrap()[0].sha256, sha(&second), "{}", store.label);
    }
}
