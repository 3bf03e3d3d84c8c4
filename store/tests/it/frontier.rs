use redflag_store::frontier::{self, Completion, NewUrl, Outcome};
use redflag_store::runs::{self, RunStatus};

use crate::stores_with_site;

fn url(u: &str) -> NewUrl<'_> {
    NewUrl { url: u, role: "ad", depth: 1, parent_id: None }
}

fn ok(page: Option<i64>) -> Completion<'static> {
    Completion {
        outcome: Outcome::Ok,
        detail: None,
        http_status: Some(200),
        page_id: page,
        etag: Some("\"v1\""),
        last_modified: None,
        sha256: Some("abc"),
        recrawl_at: None,
    }
}

#[tokio::test]
async fn enqueue_ignores_known_urls() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        assert_eq!(frontier::enqueue(&mut c, site, &[url("http://a/1"), url("http://a/2")]).await.unwrap(), 2);
        assert_eq!(frontier::enqueue(&mut c, site, &[url("http://a/2"), url("http://a/3")]).await.unwrap(), 1);
        let st = frontier::stats(&mut c, site).await.unwrap();
        assert_eq!(st.by_state.get("queued"), Some(&3), "{}", s.label);
    }
}

#[tokio::test]
async fn a_leased_url_goes_to_one_worker_until_its_lease_expires() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let b = s.backend();
        frontier::enqueue(&mut c, site, &[url("http://a/1"), url("http://a/2"), url("http://a/3")]).await.unwrap();
        let w1 = frontier::lease(&mut c, b, site, "w1", 2, 60_000).await.unwrap();
        assert_eq!(w1.iter().map(|i| i.url.as_str()).collect::<Vec<_>>(), ["http://a/1", "http://a/2"]);
        let w2 = frontier::lease(&mut c, b, site, "w2", 5, 60_000).await.unwrap();
        assert_eq!(w2.len(), 1, "{}: only the unleased row", s.label);
        assert!(frontier::lease(&mut c, b, site, "w3", 5, 60_000).await.unwrap().is_empty());

        // w2 dies; its lease (here made to expire at once) lets w3 take the row over.
        frontier::enqueue(&mut c, site, &[url("http://a/4")]).await.unwrap();
        let dying = frontier::lease(&mut c, b, site, "w2", 1, -1).await.unwrap();
        assert_eq!(dying[0].url, "http://a/4");
        let taken = frontier::lease(&mut c, b, site, "w3", 5, 60_000).await.unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].url, "http://a/4");
        assert_eq!(taken[0].attempts, 1, "{}: an expired lease counts as an attempt", s.label);
        // The dead worker's late completion must not count.
        assert!(!frontier::complete(&mut c, taken[0].id, "w2", &ok(None)).await.unwrap());
        assert!(frontier::complete(&mut c, taken[0].id, "w3", &ok(None)).await.unwrap());
        let st = frontier::stats(&mut c, site).await.unwrap();
        assert_eq!(st.by_state.get("done"), Some(&1));
        assert_eq!(st.by_outcome.get("ok"), Some(&1));
        assert_eq!(st.pending(), 3);
        drop(c);
        let counts = s.frontier_fetch_counts(site).await.unwrap();
        assert_eq!(counts, [(0, 3), (1, 1)].into_iter().collect(), "{}", s.label);
    }
}

#[tokio::test]
async fn retries_wait_for_their_time_and_outcomes_settle_states() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let b = s.backend();
        frontier::enqueue(&mut c, site, &[url("http://a/1"), url("http://a/2")]).await.unwrap();
        let items = frontier::lease(&mut c, b, site, "w", 2, 60_000).await.unwrap();
        let later = redflag_store::now_ms() + 3_600_000;
        assert!(frontier::retry(&mut c, items[0].id, "w", later, "503 Service Unavailable").await.unwrap());
        let robots = Completion { outcome: Outcome::Robots, detail: Some("disallowed"), http_status: None, ..ok(None) };
        assert!(frontier::complete(&mut c, items[1].id, "w", &robots).await.unwrap());
        assert!(frontier::lease(&mut c, b, site, "w", 5, 60_000).await.unwrap().is_empty(), "{}", s.label);
        let st = frontier::stats(&mut c, site).await.unwrap();
        assert_eq!(st.by_state.get("skipped"), Some(&1));
        assert_eq!(st.by_outcome.get("robots"), Some(&1));
        drop(c);
        let problems = s.frontier_problems(site, 10).await.unwrap();
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().any(|p| p.attempts == 1 && p.detail.as_deref() == Some("503 Service Unavailable")));
    }
}

#[tokio::test]
async fn due_recrawls_return_to_the_queue_with_their_validators() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let b = s.backend();
        frontier::enqueue(&mut c, site, &[url("http://a/1")]).await.unwrap();
        let item = frontier::lease(&mut c, b, site, "w", 1, 60_000).await.unwrap().remove(0);
        let due = Completion { recrawl_at: Some(redflag_store::now_ms() - 1), ..ok(None) };
        frontier::complete(&mut c, item.id, "w", &due).await.unwrap();
        assert_eq!(frontier::requeue_due(&mut c, site).await.unwrap(), 1);
        let again = frontier::lease(&mut c, b, site, "w", 1, 60_000).await.unwrap().remove(0);
        assert_eq!((again.fetch_count, again.etag.as_deref()), (1, Some("\"v1\"")), "{}", s.label);
        assert_eq!(frontier::release(&mut c, site, "w").await.unwrap(), 1);
    }
}

#[tokio::test]
async fn enqueue_handles_large_batches_and_skipped_urls_keep_their_outcome() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let urls: Vec<String> = (0..450).map(|i| format!("http://a/{i}")).collect();
        let new: Vec<NewUrl<'_>> = urls.iter().map(|u| url(u)).collect();
        assert_eq!(frontier::enqueue(&mut c, site, &new).await.unwrap(), 450, "{}", s.label);
        let off = [url("http://elsewhere/x"), url("http://a/3")];
        let added = frontier::record_skipped(&mut c, site, &off, Outcome::OffScope, "host elsewhere not in scope")
            .await
            .unwrap();
        assert_eq!(added, 1, "{}: a known URL keeps its row", s.label);
        let st = frontier::stats(&mut c, site).await.unwrap();
        assert_eq!((st.by_state.get("queued"), st.by_outcome.get("off_scope")), (Some(&450), Some(&1)));
        let peeked = frontier::peek(&mut c, site, 3).await.unwrap();
        assert_eq!(
            peeked.iter().map(|i| i.url.as_str()).collect::<Vec<_>>(),
            ["http://a/0", "http://a/1", "http://a/2"]
        );
        assert_eq!(frontier::stats(&mut c, site).await.unwrap().by_state.get("leased"), None, "peek leases nothing");
    }
}

#[tokio::test]
async fn leases_can_be_renewed_and_the_next_wake_up_is_known() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let b = s.backend();
        assert_eq!(frontier::next_wake(&mut c, site).await.unwrap(), None);
        frontier::enqueue(&mut c, site, &[url("http://a/1"), url("http://a/2")]).await.unwrap();
        let items = frontier::lease(&mut c, b, site, "w", 1, 1_000).await.unwrap();
        assert_eq!(frontier::renew(&mut c, "w", 600_000).await.unwrap(), 1, "{}", s.label);
        let later = redflag_store::now_ms() + 50_000;
        let other = frontier::lease(&mut c, b, site, "w", 1, 600_000).await.unwrap();
        frontier::retry(&mut c, other[0].id, "w", later, "timeout").await.unwrap();
        let wake = frontier::next_wake(&mut c, site).await.unwrap().unwrap();
        assert!(wake >= later, "{}: the retry is the next thing to wake for", s.label);
        assert!(frontier::complete(&mut c, items[0].id, "w", &ok(None)).await.unwrap());
        assert_eq!(frontier::next_wake(&mut c, site).await.unwrap(), Some(later));
    }
}

#[tokio::test]
async fn depth_limited_urls_return_to_the_queue() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        frontier::enqueue(&mut c, site, &[url("http://a/deep")]).await.unwrap();
        let item = frontier::lease(&mut c, s.backend(), site, "w", 1, 60_000).await.unwrap().remove(0);
        let limit = Completion { outcome: Outcome::Limit, detail: Some("depth 9 > 3"), http_status: None, ..ok(None) };
        frontier::complete(&mut c, item.id, "w", &limit).await.unwrap();
        assert_eq!(frontier::requeue_limited(&mut c, site).await.unwrap(), 1, "{}", s.label);
        assert_eq!(frontier::stats(&mut c, site).await.unwrap().pending(), 1);
    }
}

#[tokio::test]
async fn crawl_runs_record_their_stats_and_end() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let id = runs::start(&mut c, site, "w1").await.unwrap();
        runs::heartbeat(&mut c, id, &serde_json::json!({"pages": 3})).await.unwrap();
        let run = s.crawl_run(id).await.unwrap();
        assert_eq!((run.status, run.stats["pages"].as_i64()), (RunStatus::Running, Some(3)), "{}", s.label);
        runs::finish(&mut c, id, RunStatus::Finished, &serde_json::json!({"pages": 7}), None).await.unwrap();
        assert!(runs::finish(&mut c, id, RunStatus::Running, &serde_json::json!({}), None).await.is_err());
        let old = runs::start(&mut c, site, "w2").await.unwrap();
        sqlx::query("UPDATE crawl_runs SET started_at = 1, updated_at = 1 WHERE id = $1")
            .bind(old)
            .execute(&mut *c)
            .await
            .unwrap();
        let all = s.crawl_runs(None, 10).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].id, all[0].status, all[0].site.as_str()), (id, RunStatus::Finished, "board"));
        assert_eq!(all[0].stats["pages"].as_i64(), Some(7));
        assert!(all[0].finished_at.is_some());
        assert_eq!(all[1].status, RunStatus::Lost, "{}: a silent running worker is reported lost", s.label);
        assert_eq!(s.crawl_runs(Some(site + 1), 10).await.unwrap().len(), 0);
    }
}

#[tokio::test]
async fn many_rows_settle_in_one_statement_and_only_under_a_held_lease() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        let urls: Vec<String> = (0..120).map(|i| format!("http://a/{i}")).collect();
        let new: Vec<NewUrl<'_>> = urls.iter().map(|u| url(u)).collect();
        frontier::enqueue(&mut c, site, &new).await.unwrap();
        let mine = frontier::lease(&mut c, s.backend(), site, "w", 119, 60_000).await.unwrap();
        let theirs = frontier::lease(&mut c, s.backend(), site, "other", 1, 60_000).await.unwrap();
        let mut rows: Vec<(i64, Completion<'_>)> = mine.iter().map(|i| (i.id, ok(Some(i.id * 10)))).collect();
        rows[5].1 = Completion {
            outcome: Outcome::HttpError,
            detail: Some("HTTP 404 Not Found"),
            http_status: Some(404),
            page_id: None,
            etag: None,
            sha256: None,
            ..ok(None)
        };
        rows.push((theirs[0].id, ok(None)));
        let held = frontier::complete_many(&mut c, "w", &rows).await.unwrap();
        assert_eq!(held.iter().filter(|h| **h).count(), 119, "{}", s.label);
        assert!(!held[119], "another worker's row is left alone");
        let st = frontier::stats(&mut c, site).await.unwrap();
        assert_eq!(
            (st.by_outcome.get("ok"), st.by_outcome.get("http_error"), st.by_state.get("leased")),
            (Some(&118), Some(&1), Some(&1))
        );
        let again = frontier::lease(&mut c, s.backend(), site, "w", 1, 60_000).await.unwrap();
        assert!(again.is_empty());
        drop(c);
        let counts = s.frontier_fetch_counts(site).await.unwrap();
        assert_eq!(counts.get(&1), Some(&119), "{}", s.label);
        let failed = s.frontier_url(site, &mine[5].url).await.unwrap().unwrap();
        assert_eq!((failed.state.as_str(), failed.http_status), ("failed", Some(404)));
    }
}
