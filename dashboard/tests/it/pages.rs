//! What the pages show: the lead queue's order and filters, the evidence marks on an ad page, versions,
//! contacts, search, networks and crawl status.

use axum::http::StatusCode;

use crate::fixture::{PASSWORD, fixture};
use crate::{get, login, post};

/// The ad ids in `/api/leads?{query}`, in order.
async fn lead_ids(fx: &crate::fixture::Fixture, s: &crate::Session, query: &str) -> Vec<i64> {
    let r = get(&fx.app, &format!("/api/leads?{query}"), Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["leads"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_lead_queue_is_riskiest_first_and_filters() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let i = fx.ids;
    let cases: &[(&str, &[i64])] = &[
        ("", &[i.hostile, i.cleaners, i.dinner, i.dinner2, i.office]),
        ("kind=escort", &[i.dinner, i.dinner2]),
        ("kind=job&min_risk=50", &[i.hostile, i.cleaners]),
        ("min_risk=61", &[i.hostile, i.cleaners, i.dinner]),
        (&format!("site={}", i.escort_site), &[i.dinner, i.dinner2]),
        (&format!("site={}", i.job_site), &[i.hostile, i.cleaners, i.office]),
        ("sort=newest", &[i.hostile, i.office, i.cleaners, i.dinner2, i.dinner]),
        ("triage=new", &[i.hostile, i.cleaners, i.dinner, i.dinner2, i.office]),
        ("triage=escalated", &[]),
        // Bad values are ignored, not errors.
        ("kind=boats&min_risk=abc&page=-1", &[i.hostile, i.cleaners, i.dinner, i.dinner2, i.office]),
    ];
    for (q, want) in cases {
        assert_eq!(lead_ids(&fx, &s, q).await, *want, "query {q:?}");
    }
    // The HTML page lists the same order, with badges, network sizes and triage states.
    let page = get(&fx.app, "/leads", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    let pos = |id: i64| page.body.find(&format!("href=\"/ads/{id}\"")).unwrap_or_else(|| panic!("ad {id} listed"));
    assert!(pos(i.hostile) < pos(i.cleaners) && pos(i.cleaners) < pos(i.dinner) && pos(i.dinner) < pos(i.office));
    assert!(
        page.body.contains("<span class=\"ind\" title=\"job.fee_required\">You are asked to pay a fee</span>"),
        "indicators by their human names"
    );
    assert!(page.body.contains(&format!("href=\"/networks/{}\" title=\"ads in this network\">2</a>", i.dinner)));
    assert!(page.body.contains("<span class=\"triage t-new\">new</span>"));
    assert!(page.body.contains("Showing 1–5 of 5"));
    // What the order means: job risks are calibrated (0.99 + 0.92 + 0.10 expected fraudulent), the
    // escort order predicts no count.
    assert!(
        page.body.contains("Of the 3 job ads on this page, about 2 are expected to be fraudulent"),
        "{}",
        page.body
    );
    assert!(page.body.contains("indicator score, not a probability"));
    let escorts = get(&fx.app, "/leads?kind=escort", Some(&s)).await;
    assert!(!escorts.body.contains("job ads on this page"));
    let warned = get(&fx.app, "/leads?kind=boats", Some(&s)).await;
    assert_eq!(warned.status, StatusCode::OK);
    assert!(warned.body.contains("Ignored: unknown ad kind"));
}

#[tokio::test]
async fn the_lead_queue_pages() {
    let fx =
        crate::fixture::fixture_with(redflag_dashboard::DashboardConfig { page_size: 2, ..Default::default() }).await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let i = fx.ids;
    // The HTML queue pages by the configured page size; the API by its own limit and cursor.
    let first = get(&fx.app, "/leads", Some(&s)).await.body;
    assert!(first.contains("Showing 1–2 of 5"), "{first}");
    assert_eq!(lead_ids(&fx, &s, "limit=2").await, [i.hostile, i.cleaners]);
    let r = get(&fx.app, "/api/leads?limit=2", Some(&s)).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let next = v["next"].as_str().expect("a next cursor");
    let second = lead_ids(&fx, &s, &format!("limit=2&cursor={next}")).await;
    assert_eq!(second, [i.dinner, i.dinner2]);
    let p = get(&fx.app, "/leads?kind=job&page=2", Some(&s)).await.body;
    assert!(p.contains("Showing 3–3 of 3"), "{p}");
    assert!(p.contains("href=\"/leads?kind=job\"") && !p.contains("Next"), "previous link keeps the filter");
}

#[tokio::test]
async fn the_ad_page_explains_the_score_with_marked_evidence() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let r = get(&fx.app, &format!("/ads/{}", fx.ids.dinner), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    for want in [
        // Each indicator's evidence is marked in the text and listed with weight and description.
        "<mark id=\"ev-0\" title=\"escort.new_in_town\">New in town</mark>",
        "<mark id=\"ev-1\" title=\"escort.dinner_only\">dinner dates only</mark>",
        "<code>escort.new_in_town</code> <span class=\"weight\" title=\"effect on the score in log-odds\">+1.40</span>",
        "-0.30",
        "description of escort.dinner_only",
        // Facts, contacts with their reach, network.
        "$250/hr",
        "Reno",
        "href=\"/contacts?kind=phone&amp;value=%2B17025550148\"><code>+17025550148</code></a> <span class=\"muted\">(2 ads)</span>",
        "shares <code>phone:+17025550148</code>",
        // Version history: the price and wording changed.
        "Versions (2)",
        "<del>$200/hr</del> → <ins>$250/hr</ins>",
        "dates<ins> only</ins>.",
        // Evidence page metadata and download.
        &redflag_store::pages::sha256_hex(fx.ids.dinner_page_body),
        &format!("href=\"/pages/{}/raw\"", fx.ids.dinner_page),
        // URLs link safely.
        "<a class=\"ext\" href=\"https://nightboard.example/ad/d1\" rel=\"noopener noreferrer nofollow\"",
        // Triage form for analysts.
        "name=\"state\"",
    ] {
        assert!(b.contains(want), "ad page lacks {want:?}");
    }
    assert_eq!(get(&fx.app, "/ads/999999", Some(&s)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&fx.app, "/ads/abc", Some(&s)).await.status, StatusCode::NOT_FOUND);
    // A viewer sees the triage state but no form, and no evidence download.
    let v = login(&fx.app, "vic", PASSWORD).await;
    let b = get(&fx.app, &format!("/ads/{}", fx.ids.dinner), Some(&v)).await.body;
    assert!(!b.contains("name=\"state\"") && !b.contains("/raw\""));
}

#[tokio::test]
async fn contact_pages_list_every_ad_with_the_contact() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, "/contacts?kind=phone&value=%2B17025550148", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("2 ads · 2 cities · 1 sites"), "{}", r.body);
    assert!(
        r.body.contains(&format!("href=\"/ads/{}\"", fx.ids.dinner))
            && r.body.contains(&format!("href=\"/ads/{}\"", fx.ids.dinner2))
    );
    assert_eq!(get(&fx.app, "/contacts?kind=password&value=x", Some(&s)).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_finds_ads_and_marks_the_matches() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, "/search?q=registration", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!("href=\"/ads/{}\"", fx.ids.cleaners)));
    assert!(r.body.contains("<mark>registration</mark>"), "{}", r.body);
    assert!(r.body.contains("1 matching ads"));
    // Filters and odd input.
    let r = get(&fx.app, "/search?q=town&kind=job", Some(&s)).await;
    assert!(r.body.contains("0 matching ads"));
    let r = get(&fx.app, "/search?q=town&min_risk=70", Some(&s)).await;
    assert!(r.body.contains("1 matching ads") && r.body.contains(&format!("/ads/{}\"", fx.ids.dinner)));
    for q in ["%22unbalanced", "(((", "title:", "%00", "a%20OR"] {
        assert_eq!(get(&fx.app, &format!("/search?q={q}"), Some(&s)).await.status, StatusCode::OK, "query {q}");
    }
}

#[tokio::test]
async fn search_facets_count_the_matches_and_narrow_the_search() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, "/search", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    let facets =
        r.body.split("aside class=\"facets\"").nth(1).expect("a facets column").split("</aside>").next().unwrap();
    // Kinds and sites with their counts, each a link that sets the filter.
    assert!(facets.contains("href=\"/search?kind=job\">job</a> <span class=\"count\">3</span>"), "{facets}");
    assert!(facets.contains("href=\"/search?kind=escort\">escort</a> <span class=\"count\">2</span>"));
    assert!(facets.contains("href=\"/search?site=jobsboard\">jobsboard</a> <span class=\"count\">3</span>"));
    assert!(facets.contains(">high risk</a> <span class=\"count\">3</span>"), "85, 92, 99: {facets}");
    // Indicators by their human names; attacker-written cities escaped.
    assert!(facets.contains("href=\"/search?indicator=job.fee_required\">You are asked to pay a fee</a>"), "{facets}");
    assert!(facets.contains("&lt;b&gt;porto&lt;/b&gt;") && !facets.contains("<b>porto"), "{facets}");
    assert!(facets.contains("job.&lt;b&gt;odd&lt;/b&gt;") && !facets.contains("<b>odd"), "{facets}");

    // A facet link narrows the hits and the other facets; the active value takes itself off.
    let r = get(&fx.app, "/search?q=&site=nightboard", Some(&s)).await;
    assert!(r.body.contains("2 matching ads"), "{}", r.body);
    assert!(r.body.contains("<strong>nightboard</strong> ×"), "active filter shown");
    assert!(r.body.contains("href=\"/search\" title=\"remove this filter\""), "removing it goes back to all");
    assert!(r.body.contains("name=\"site\" value=\"nightboard\""), "a new search keeps the filter");
    let r = get(&fx.app, "/search?band=high&kind=job", Some(&s)).await;
    assert!(r.body.contains("2 matching ads"), "cleaners 92 and the hostile ad 99");
    let r = get(&fx.app, "/search?indicator=job.fee_required", Some(&s)).await;
    assert!(r.body.contains("2 matching ads") && r.body.contains(&format!("/ads/{}\"", fx.ids.cleaners)));
    assert!(r.body.contains(&format!("/ads/{}\"", fx.ids.hostile)));
    let r = get(&fx.app, "/search?city=LISBON", Some(&s)).await;
    assert!(r.body.contains("1 matching ads"), "cities compared without case");
    let day = &redflag_core::time::rfc3339(fx.db.ad(fx.ids.office).await.unwrap().last_seen)[..10];
    let r = get(&fx.app, &format!("/search?day={day}"), Some(&s)).await;
    assert!(!r.body.contains(" 0 matching ads") && r.body.contains(&format!("/ads/{}\"", fx.ids.office)), "{day}");
    for bad in ["band=extreme", "day=2025-02-30", "day=yesterday"] {
        assert_eq!(get(&fx.app, &format!("/search?{bad}"), Some(&s)).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn networks_show_their_members_and_what_joins_them() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let list = get(&fx.app, "/networks", Some(&s)).await.body;
    assert!(list.contains(&format!("href=\"/networks/{}\"", fx.ids.dinner)));
    assert!(list.contains(&format!("href=\"/networks/{}\"", fx.ids.office)));
    assert!(list.contains("phone:+17025550148") && list.contains("template links: 1"));
    // Riskiest first puts the hostile ad's network (max risk 99) ahead.
    let by_risk = get(&fx.app, "/networks?sort=risk", Some(&s)).await.body;
    let at = |b: &str, id: i64| b.find(&format!("href=\"/networks/{id}\"")).unwrap();
    assert!(at(&by_risk, fx.ids.office) < at(&by_risk, fx.ids.dinner));
    let one = get(&fx.app, &format!("/networks/{}", fx.ids.dinner), Some(&s)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains("2 ads · 2 cities · 1 sites"));
    assert!(one.body.contains("<code>phone:+17025550148</code></a> — 2 ads"));
    assert!(one.body.contains("Why each ad is here") && one.body.contains("strength 1.00"));
    let t = get(&fx.app, &format!("/networks/{}", fx.ids.office), Some(&s)).await.body;
    assert!(t.contains("same text template (similarity 0.82)") && t.contains("strength 0.82"));
    // The template is shown with its varying slots marked.
    assert!(t.contains("The template, as ad") && t.contains("<mark title="), "{t}");
    // Same-advertiser groups are listed apart from networks.
    let apart = get(&fx.app, "/networks?kind=same_advertiser", Some(&s)).await.body;
    assert!(apart.contains("No same-advertiser groups."));
    assert_eq!(get(&fx.app, "/networks/424242", Some(&s)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn crawl_status_shows_outcomes_reasons_and_runs() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, "/crawl", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    for want in [
        "nightboard",
        "ok: <strong>1</strong>",
        "robots: <strong>1</strong>",
        "failed: <strong>1</strong>",
        "skipped: <strong>1</strong>",
        "disallowed by robots.txt",
        "failed after 3 tries: &lt;b&gt;connect timeout&lt;/b&gt;",
        "worker-&lt;1&gt;",
        "pages: 3",
    ] {
        assert!(r.body.contains(want), "crawl page lacks {want:?}");
    }
    let one = get(&fx.app, &format!("/crawl?site={}", fx.ids.escort_site), Some(&s)).await;
    assert!(one.body.contains("nightboard") && !one.body.contains("jobsboard"));
}

#[tokio::test]
async fn the_ad_api_returns_score_entities_and_evidence() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let r = get(&fx.app, &format!("/api/ads/{}", fx.ids.dinner), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["risk"], 85);
    assert_eq!(v["score"]["indicators"][0]["id"], "escort.new_in_town");
    // The escort model is not calibrated: its number is an indicator score, never a probability.
    assert_eq!(v["score"]["calibrated"], false);
    assert!(v["score"]["probability"].is_null());
    assert!((v["score"]["indicator_score"].as_f64().unwrap() - 0.85).abs() < 1e-6);
    assert_eq!(v["entities"][0]["value"], "+17025550148");
    assert_eq!(v["evidence"]["sha256"], redflag_store::pages::sha256_hex(fx.ids.dinner_page_body));
    let missing = get(&fx.app, "/api/ads/999999", Some(&s)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_str(&missing.body).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_queue_filters_by_assignee_and_indicator_and_triages_in_bulk() {
    let fx = fixture().await;
    let i = fx.ids;
    let ana = login(&fx.app, "ana", PASSWORD).await;
    let queue = get(&fx.app, "/leads", Some(&ana)).await.body;
    assert!(
        queue.contains("<option value=\"job.fee_required\">You are asked to pay a fee</option>"),
        "indicators by name"
    );
    let (h, c) = (i.hostile.to_string(), i.cleaners.to_string());
    let r = post(
        &fx.app,
        "/leads/triage",
        Some(&ana),
        &[
            ("csrf", ana.csrf.as_str()),
            ("state", "reviewing"),
            ("assignee", "me-too"),
            ("ad", h.as_str()),
            ("ad", c.as_str()),
            ("back", "/leads?kind=job"),
        ],
    )
    .await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/leads?kind=job&saved=2"));
    assert!(get(&fx.app, "/leads?kind=job&saved=2", Some(&ana)).await.body.contains("2 ads updated."));
    for id in [i.hostile, i.cleaners] {
        let t = fx.db.triage(id).await.unwrap().unwrap();
        assert_eq!(
            (t.state.as_str(), t.assignee.as_deref(), t.updated_by.as_str()),
            ("reviewing", Some("me-too"), "ana")
        );
    }
    let log = fx.db.audit_log(20, 0).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "triage.set" && e.actor == "ana").count(), 2, "each ad audited");

    let listed = |body: &str, id: i64| body.contains(&format!("href=\"/ads/{id}\""));
    let mine = get(&fx.app, "/leads?assignee=me-too", Some(&ana)).await.body;
    assert!(listed(&mine, i.hostile) && listed(&mine, i.cleaners) && !listed(&mine, i.office), "by assignee");
    let nobody = get(&fx.app, "/leads?assignee=-", Some(&ana)).await.body;
    assert!(!listed(&nobody, i.hostile) && listed(&nobody, i.office), "unassigned");
    let fee = get(&fx.app, "/leads?indicator=job.fee_required", Some(&ana)).await.body;
    assert!(listed(&fee, i.cleaners) && listed(&fee, i.hostile) && !listed(&fee, i.office), "by indicator");
    let odd = get(&fx.app, "/leads?indicator=%3Cscript%3E", Some(&ana)).await;
    assert!(
        odd.body.contains("is not an indicator id") && !odd.body.contains("<script>"),
        "bad ids are ignored with a warning"
    );
    // "me" is the user; the API takes the same filters.
    let r = post(
        &fx.app,
        "/leads/triage",
        Some(&ana),
        &[("csrf", ana.csrf.as_str()), ("state", "escalated"), ("assignee", "ana"), ("ad", c.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let me = get(&fx.app, "/leads?assignee=me", Some(&ana)).await.body;
    assert!(listed(&me, i.cleaners) && !listed(&me, i.hostile));
    assert!(me.contains("value=\"me\""), "the filter shows what was typed");
    let api = get(&fx.app, "/api/leads?indicator=job.fee_required&assignee=me-too", Some(&ana)).await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["total"], 1, "{}", api.body);

    // Refusals: viewers, forged forms, unknown ads (nothing changes), empty selections.
    let vic = login(&fx.app, "vic", PASSWORD).await;
    let o = i.office.to_string();
    let r = post(
        &fx.app,
        "/leads/triage",
        Some(&vic),
        &[("csrf", vic.csrf.as_str()), ("state", "dismissed"), ("ad", o.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        post(&fx.app, "/leads/triage", Some(&ana), &[("csrf", "forged"), ("state", "dismissed"), ("ad", o.as_str())])
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &fx.app,
        "/leads/triage",
        Some(&ana),
        &[("csrf", ana.csrf.as_str()), ("state", "dismissed"), ("ad", o.as_str()), ("ad", "999999")],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(fx.db.triage(i.office).await.unwrap().is_none(), "all or nothing");
    let r = post(&fx.app, "/leads/triage", Some(&ana), &[("csrf", ana.csrf.as_str()), ("state", "dismissed")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post(
        &fx.app,
        "/leads/triage",
        Some(&ana),
        &[("csrf", ana.csrf.as_str()), ("state", "gone"), ("ad", o.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn trends_chart_new_ads_by_day_site_city_and_indicator() {
    let fx = fixture().await;
    let s = login(&fx.app, "vic", PASSWORD).await;
    let r = get(&fx.app, "/trends?days=365", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("aria-label=\"New ads per day: all 5, in networks 5, risky 3 in 365 days"), "{b}");
    assert!(
        b.contains(
            "<a href=\"/search?site=jobsboard\">jobsboard</a></td><td class=\"num\">3</td><td class=\"num\">2</td>"
        ),
        "{b}"
    );
    assert!(b.contains("<a href=\"/search?city=lisbon\">lisbon</a>"));
    assert!(b.contains("&lt;b&gt;porto&lt;/b&gt;") && !b.contains("<b>porto"), "attacker-written cities are escaped");
    assert!(b.contains("aria-label=\"You are asked to pay a fee: 2 in 365 days"), "indicators by name: {b}");
    assert!(b.contains("href=\"/leads?indicator=job.fee_required\""));
    assert!(!b.contains("<script>"));
    // The default period is 30 days; these fixture ads are older.
    let recent = get(&fx.app, "/trends", Some(&s)).await.body;
    assert!(recent.contains("New ads per day: all 0,") && recent.contains("No new ads in this period."), "{recent}");
    assert_eq!(get(&fx.app, "/trends?days=7", Some(&s)).await.status, StatusCode::BAD_REQUEST);
    let nora = login(&fx.app, "nora", PASSWORD).await;
    assert_eq!(get(&fx.app, "/trends", Some(&nora)).await.status, StatusCode::FORBIDDEN, "not for NGO staff");
}
