//! Ad pictures in the store, on both backends: each distinct picture once, the pictures of each ad
//! version in page order, picture URLs that keep their last good picture through a failure, the
//! fingerprints linking reads (current versions only), and pictures deleted with the last ad that
//! showed them by retention and site deletion.

use redflag_core::AdFields;
use redflag_core::link::image::{Fingerprint, THUMB_BYTES};
use redflag_store::ads::upsert_version;
use redflag_store::images::{self, NewImage, UrlOutcome};
use redflag_store::pages::sha256_hex;
use redflag_store::{Conn, Store};
use sqlx::Row;

use crate::{escort_version, stores_with_site};

/// Stores version `title` of ad `key`, seen at `seen`; returns (ad id, version).
async fn version(c: &mut Conn, site: i64, key: &str, title: &str, seen: i64) -> (i64, i64) {
    let f = AdFields { title: title.into(), body: format!("{title} text"), ..Default::default() };
    let v = escort_version(site, key, &f, None, seen);
    let (id, version, _) = upsert_version(c, &v).await.unwrap();
    (id, version)
}

/// Stores a picture and its URL's outcome; returns (id, url).
async fn picture(c: &mut Conn, site: i64, body: &[u8], phash: u64, at: i64) -> (i64, String) {
    let sha = sha256_hex(body);
    let url = format!("http://board.test/p/{}.png", &sha[..8]);
    let thumb = [body[0]; THUMB_BYTES];
    let img = NewImage {
        sha256: &sha,
        content_type: "image/png",
        width: 4,
        height: 3,
        phash,
        thumb: &thumb,
        url: &url,
        fetched_at: at,
        body,
    };
    let id = images::upsert_image(c, &img).await.unwrap();
    let o = UrlOutcome {
        site_id: site,
        url: &url,
        image_id: Some(id),
        etag: Some("\"v1\""),
        last_modified: None,
        fetched_at: at,
        status: Some(200),
        error: None,
    };
    images::record_url(c, &o).await.unwrap();
    (id, url)
}

async fn count(s: &Store, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(s.pool()).await.unwrap().try_get("n").unwrap()
}

#[tokio::test]
async fn pictures_are_stored_once_listed_per_version_and_read_for_linking() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let (ad, v1) = version(&mut c, site, "a", "first", 1_000).await;
        // A hash with the top bit set survives the signed BIGINT column.
        let (p1, u1) = picture(&mut c, site, b"one", 0x8000_0000_0000_0001, 1_000).await;
        let (again, _) = picture(&mut c, site, b"one", 0x8000_0000_0000_0001, 2_000).await;
        assert_eq!(again, p1, "{}: the same bytes are stored once", s.label);
        images::attach(&mut c, ad, v1, 1, "http://board.test/p/gone.png", None, 1_000, Some("404 Not Found"))
            .await
            .unwrap();
        images::attach(&mut c, ad, v1, 0, &u1, Some(p1), 1_000, None).await.unwrap();
        images::attach(&mut c, ad, v1, 0, "http://board.test/other.png", None, 1_000, Some("x")).await.unwrap();
        // A failure of the URL keeps its last good picture and validators.
        let failed = UrlOutcome {
            site_id: site,
            url: &u1,
            image_id: None,
            etag: None,
            last_modified: None,
            fetched_at: 3_000,
            status: Some(503),
            error: Some("503 Service Unavailable"),
        };
        images::record_url(&mut c, &failed).await.unwrap();
        let st = images::url_state(&mut c, site, &u1).await.unwrap().unwrap();
        assert_eq!((st.image_id, st.etag.as_deref()), (Some(p1), Some("\"v1\"")), "{}", s.label);
        assert!(images::image_exists(&mut c, p1).await.unwrap());
        assert!(!images::image_exists(&mut c, p1 + 1000).await.unwrap());
        drop(c);

        let shown = s.ad_images(ad).await.unwrap();
        assert_eq!(shown.len(), 2, "{}: {shown:?}", s.label);
        assert_eq!((shown[0].image_id, shown[0].url.as_str()), (Some(p1), u1.as_str()), "the first record stands");
        assert_eq!(shown[0].phash, Some(0x8000_0000_0000_0001));
        assert_eq!(shown[1].error.as_deref(), Some("404 Not Found"));
        let fps = s.image_fingerprints().await.unwrap();
        let want = Fingerprint::from_parts(0x8000_0000_0000_0001, &[b'o'; THUMB_BYTES]).unwrap();
        assert_eq!(fps, vec![(ad, want)], "{}", s.label);
        let export = s.export_batch(0, 10).await.unwrap();
        let row = export[0].to_json();
        assert_eq!(row["images"][0]["phash"], "8000000000000001", "{row}");
        assert_eq!(row["images"][0]["sha256"], sha256_hex(b"one"));
        assert_eq!(row["images"][1]["error"], "404 Not Found");

        // A new version without pictures: linking no longer sees the old one's.
        let mut c = s.conn().await.unwrap();
        let (_, v2) = version(&mut c, site, "a", "second", 4_000).await;
        assert_eq!(v2, 2);
        drop(c);
        assert!(s.ad_images(ad).await.unwrap().is_empty(), "{}", s.label);
        assert!(s.image_fingerprints().await.unwrap().is_empty());
        assert_eq!(s.image(p1).await.unwrap().unwrap().body, b"one", "evidence of version 1 is kept");

        // Re-hashing finds a picture whose stored bytes changed.
        let (checks, next) = s.verify_images(0, 10).await.unwrap();
        assert!(next.is_none() && checks.len() == 1 && checks[0].ok(), "{}: {checks:?}", s.label);
        sqlx::query("UPDATE images SET body = $1 WHERE id = $2")
            .bind(b"0ne".as_slice())
            .bind(p1)
            .execute(s.pool())
            .await
            .unwrap();
        let (checks, _) = s.verify_images(0, 10).await.unwrap();
        assert!(!checks[0].ok() && checks[0].url == u1, "{}: {checks:?}", s.label);
    }
}

#[tokio::test]
async fn pictures_go_with_the_last_ad_showing_them() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let (old, ov) = version(&mut c, site, "old", "old", 1_000).await;
        let (new, nv) = version(&mut c, site, "new", "new", 9_000).await;
        let (own, own_url) = picture(&mut c, site, b"old only", 1, 1_000).await;
        let (shared, shared_url) = picture(&mut c, site, b"shared", 2, 1_000).await;
        images::attach(&mut c, old, ov, 0, &own_url, Some(own), 1_000, None).await.unwrap();
        images::attach(&mut c, old, ov, 1, &shared_url, Some(shared), 1_000, None).await.unwrap();
        images::attach(&mut c, new, nv, 0, &shared_url, Some(shared), 9_000, None).await.unwrap();
        drop(c);
        assert_eq!(s.purge_older_than(5_000, "ana").await.unwrap().0, 1, "{}", s.label);
        assert!(s.image(own).await.unwrap().is_none(), "{}: only the purged ad showed it", s.label);
        assert!(s.image(shared).await.unwrap().is_some(), "{}: a kept ad still shows it", s.label);
        assert_eq!(count(&s, "images").await, 1);
        assert_eq!(s.delete_site(site, "ana").await.unwrap(), 1, "{}", s.label);
        for table in ["images", "image_urls", "ad_images"] {
            assert_eq!(count(&s, table).await, 0, "{}: {table}", s.label);
        }
    }
}

#[tokio::test]
async fn changed_pictures_make_a_version_and_a_late_picture_replaces_its_error() {
    let before = vec![("u1".to_string(), Some(1)), ("u2".to_string(), None)];
    assert!(!images::pictures_changed(&before, &[("u1", Some(1)), ("u2", Some(7))]), "a failure is no change");
    assert!(!images::pictures_changed(&before, &[("u1", None), ("u2", None)]), "nor is a failure now");
    assert!(images::pictures_changed(&before, &[("u1", Some(2)), ("u2", None)]), "new bytes at one address");
    assert!(images::pictures_changed(&before, &[("u1", Some(1))]), "a picture fewer");
    assert!(images::pictures_changed(&before, &[("u3", Some(1)), ("u2", None)]), "another address");
    assert!(!images::pictures_changed(&[], &[("u1", Some(1))]), "a version without pictures gets its first");
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let (ad, v1) = version(&mut c, site, "a", "first", 1_000).await;
        let (p1, u1) = picture(&mut c, site, b"one", 1, 1_000).await;
        images::attach(&mut c, ad, v1, 0, &u1, None, 1_000, Some("503 Service Unavailable")).await.unwrap();
        images::attach(&mut c, ad, v1, 0, &u1, Some(p1), 2_000, None).await.unwrap();
        assert_eq!(images::shown(&mut c, ad).await.unwrap(), vec![(u1.clone(), Some(p1))], "{}", s.label);
        images::attach(&mut c, ad, v1, 0, &u1, Some(p1 + 1), 3_000, None).await.unwrap();
        assert_eq!(images::shown(&mut c, ad).await.unwrap(), vec![(u1.clone(), Some(p1))], "{}: kept stands", s.label);

        let v2 = redflag_store::ads::new_picture_version(&mut c, ad, v1, None, 4_000).await.unwrap();
        assert_eq!(v2, Some(v1 + 1), "{}", s.label);
        assert_eq!(redflag_store::ads::new_picture_version(&mut c, ad, v1, None, 4_000).await.unwrap(), None);
        assert!(images::shown(&mut c, ad).await.unwrap().is_empty(), "{}: the new version shows nothing yet", s.label);
        drop(c);
        let versions = s.ad_versions(ad).await.unwrap();
        assert_eq!(versions.len(), 2, "{}", s.label);
        let titles: Vec<(i64, &str)> = versions.iter().map(|v| (v.version, v.fields.title.as_str())).collect();
        assert_eq!(titles, vec![(v1 + 1, "first"), (v1, "first")], "{}: the text is carried over", s.label);
        assert_eq!((versions[0].fetched_at, versions[1].fetched_at), (4_000, 1_000), "{}", s.label);
        assert_eq!(s.ad(ad).await.unwrap().version, v1 + 1, "{}", s.label);
    }
}
