//! Ad pictures: served from the store by id to signed-in investigators only (not to NGO staff), with the stored content type,
//! `nosniff` and a policy that runs nothing; shown on the ad page with their hashes and sources, all
//! escaped; image links listed on the network page.

use axum::http::StatusCode;
use redflag_store::images::{self, NewImage};
use redflag_store::pages::sha256_hex;

use crate::fixture::{PASSWORD, fixture};
use crate::{get, login};

const PICTURE: &[u8] = b"\x89PNG\r\n\x1a\n picture fixture bytes";
const HOSTILE_PICTURE_URL: &str = "https://nightboard.example/p/\"><script>alert('pic')</script>.png";

#[tokio::test]
async fn pictures_are_served_to_signed_in_users_with_their_type_and_shown_escaped() {
    let fx = fixture().await;
    let i = fx.ids;
    let version = fx.db.ad(i.dinner).await.unwrap().version;
    let sha = sha256_hex(PICTURE);
    let (id, odd) = {
        let mut c = fx.db.conn().await.unwrap();
        let img = NewImage {
            sha256: &sha,
            content_type: "image/png",
            width: 4,
            height: 3,
            phash: 0x0123_4567_89ab_cdef,
            thumb: &[0x80; 192],
            url: HOSTILE_PICTURE_URL,
            fetched_at: 1,
            body: PICTURE,
        };
        let id = images::upsert_image(&mut c, &img).await.unwrap();
        assert_eq!(images::upsert_image(&mut c, &img).await.unwrap(), id, "the same bytes are stored once");
        // A content type no picture is served with (the crawler never stores one; the server must not
        // trust the row either).
        let odd_sha = sha256_hex(b"<svg onload=alert(1)/>");
        let odd_img =
            NewImage { sha256: &odd_sha, content_type: "image/svg+xml", body: b"<svg onload=alert(1)/>", ..img };
        let odd = images::upsert_image(&mut c, &odd_img).await.unwrap();
        images::attach(&mut c, i.dinner, version, 0, HOSTILE_PICTURE_URL, Some(id), 1, None).await.unwrap();
        let reason = "not a JPEG, PNG, GIF or WebP picture (content type <script>alert('why')</script>)";
        images::attach(&mut c, i.dinner, version, 1, "https://nightboard.example/p/2.svg", None, 1, Some(reason))
            .await
            .unwrap();
        // An image link between the two ads of the dinner network.
        sqlx::query("INSERT INTO links (ad_a, ad_b, reason, detail, strength) VALUES ($1, $2, 'image', '3 1', 0.95)")
            .bind(i.dinner.min(i.dinner2))
            .bind(i.dinner.max(i.dinner2))
            .execute(&mut *c)
            .await
            .unwrap();
        (id, odd)
    };

    let anonymous = get(&fx.app, &format!("/images/{id}"), None).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    assert!(!anonymous.body.contains("picture fixture bytes"));

    // NGO staff read the bot's counters and nothing else.
    let ngo = login(&fx.app, "nora", PASSWORD).await;
    let refused = get(&fx.app, &format!("/images/{id}"), Some(&ngo)).await;
    assert_ne!(refused.status, StatusCode::OK);
    assert!(!refused.body.contains("picture fixture bytes"));

    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, &format!("/images/{id}"), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "image/png");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("content-security-policy"), "default-src 'none'; sandbox");
    assert_eq!(r.header("x-evidence-sha256"), sha);
    assert!(r.body.ends_with(" picture fixture bytes"));
    let r = get(&fx.app, &format!("/images/{odd}"), Some(&s)).await;
    assert_eq!(r.header("content-type"), "application/octet-stream", "only picture types are served as such");
    for missing in ["/images/999999", "/images/x"] {
        assert_eq!(get(&fx.app, missing, Some(&s)).await.status, StatusCode::NOT_FOUND, "{missing}");
    }

    let page = get(&fx.app, &format!("/ads/{}", i.dinner), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("src=\"/images/{id}\"")), "the ad page shows its picture");
    assert!(page.body.contains("0123456789abcdef"), "with its hash");
    assert!(page.body.contains(&sha[..12]));
    assert!(page.body.contains("Not kept: not a JPEG, PNG, GIF or WebP picture"));
    assert!(!page.body.contains("<script>alert('pic')") && !page.body.contains("<script>alert('why')"));
    assert!(page.body.contains("&lt;script&gt;alert('why')&lt;/script&gt;"));

    let cluster = fx.db.ad(i.dinner).await.unwrap().cluster_id.unwrap();
    let net = get(&fx.app, &format!("/networks/{cluster}"), Some(&s)).await;
    assert_eq!(net.status, StatusCode::OK);
    assert!(net.body.contains("Image links"));
    assert!(net.body.contains("shows a copy of the same picture (hashes 3 bits apart"), "{}", net.body);
}
