use redflag_store::pages::{self, NewPage};

use crate::stores_with_site;

fn page(site: i64, body: &[u8]) -> NewPage {
    NewPage::prepare(
        site,
        "http://a/1".into(),
        "http://a/1?x".into(),
        200,
        1_700_000_000_000,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into()), ("ETag".into(), "\"e\"".into())],
        false,
        body,
    )
}

#[tokio::test]
async fn pages_keep_their_exact_bytes_hash_and_metadata() {
    let body: Vec<u8> =
        (0..20_000u32).flat_map(|i| format!("<p>{i} caf\u{e9}</p>").into_bytes()).chain([0xff, 0x00]).collect();
    for (s, site) in stores_with_site().await {
        let p = page(site, &body);
        let id = pages::insert(&mut s.conn().await.unwrap(), &p).await.unwrap();
        let got = s.page(id).await.unwrap();
        assert_eq!(got.body, body, "{}", s.label);
        assert_eq!(got.sha256, pages::sha256_hex(&body));
        assert_eq!(got.sha256.len(), 64);
        assert_eq!((got.status, got.fetched_at, got.final_url.as_str()), (200, 1_700_000_000_000, "http://a/1?x"));
        assert_eq!(got.content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(got.headers[1], ("ETag".to_string(), "\"e\"".to_string()));
        assert_eq!(got.size, body.len() as i64);
    }
}

#[tokio::test]
async fn verification_finds_a_tampered_page() {
    for (s, site) in stores_with_site().await {
        let mut ids = Vec::new();
        for i in 0..5 {
            let p = page(site, format!("<html>page {i}</html>").as_bytes());
            ids.push(pages::insert(&mut s.conn().await.unwrap(), &p).await.unwrap());
        }
        let forged = zstd::bulk::compress(b"<html>forged</html>", 3).unwrap();
        sqlx::query("UPDATE pages SET body = $1 WHERE id = $2")
            .bind(forged)
            .bind(ids[3])
            .execute(s.pool())
            .await
            .unwrap();
        let mut checks = Vec::new();
        let mut from = 0;
        loop {
            let (batch, next) = s.verify_pages(from, 2).await.unwrap();
            checks.extend(batch);
            match next {
                Some(n) => from = n,
                None => break,
            }
        }
        assert_eq!(checks.len(), 5, "{}", s.label);
        let bad: Vec<i64> = checks.iter().filter(|c| !c.ok()).map(|c| c.id).collect();
        assert_eq!(bad, vec![ids[3]]);
    }
}

#[tokio::test]
async fn pages_remember_their_frontier_row_and_duplicates_are_found() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let mut first = page(site, b"<html>one</html>");
        first.frontier_id = Some(7);
        let a = pages::insert(&mut c, &first).await.unwrap();
        let robots = page(site, b"User-agent: *");
        pages::insert(&mut c, &robots).await.unwrap();
        assert!(s.duplicate_pages(site).await.unwrap().is_empty(), "{}: robots files are not duplicates", s.label);
        let again = pages::insert(&mut c, &first).await.unwrap();
        assert_eq!(s.duplicate_pages(site).await.unwrap(), vec![("http://a/1".to_string(), 2)]);
        pages::delete_uncommitted(&mut c, again).await.unwrap();
        let stored = s.pages_for_url("http://a/1").await.unwrap();
        assert_eq!(stored.iter().map(|p| p.frontier_id).collect::<Vec<_>>(), vec![Some(7), None], "{}", s.label);
        assert_eq!(stored[0].id, a);
    }
}

#[tokio::test]
async fn pages_insert_in_bulk_and_keep_their_order() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let mut batch: Vec<NewPage> = (0..120)
            .map(|i| {
                let mut p = page(site, format!("<html>bulk {i}</html>").as_bytes());
                p.frontier_id = Some(1000 + i);
                p
            })
            .collect();
        batch.insert(3, page(site, b"User-agent: *"));
        let refs: Vec<&NewPage> = batch.iter().collect();
        let ids = pages::insert_many(&mut c, &refs).await.unwrap();
        assert_eq!(ids.len(), 121);
        for (p, id) in batch.iter().zip(&ids) {
            let got = s.page(*id).await.unwrap();
            assert_eq!((got.frontier_id, got.sha256.as_str()), (p.frontier_id, p.sha256()), "{}", s.label);
        }
    }
}
