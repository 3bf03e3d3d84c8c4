//! Ad text is written by whoever posts the ad. Script, event handlers, `javascript:` URLs and
//! attribute break-outs must reach the page as text on every page that shows ad data.

use axum::http::StatusCode;

use crate::fixture::{HOSTILE_TITLE, PASSWORD, fixture};
use crate::{get, login};

/// Markup the hostile ad would inject if anything were not escaped.
const INJECTED: &[&str] = &[
    "<script>alert",
    "<script>document",
    "<img src=x",
    "<img src=\"x\"",
    "<svg",
    "\"><svg",
    "href=\"javascript:",
    "<a href=javascript:",
    "<b>Porto",
    "<i>1000",
    "<b>odd",
    "<b>connect",
];

fn assert_inert(page: &str, what: &str) {
    for bad in INJECTED {
        assert!(!page.contains(bad), "{what}: hostile markup {bad:?} reached the page");
    }
}

#[tokio::test]
async fn hostile_ad_text_is_shown_as_text_everywhere() {
    let fx = fixture().await;
    let s = login(&fx.app, "ada", PASSWORD).await;
    let h = fx.ids.hostile;
    let escaped_title =
        HOSTILE_TITLE.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let pages = [
        ("lead list", "/leads".to_string(), vec![escaped_title.as_str()]),
        (
            "ad page",
            format!("/ads/{h}"),
            vec![
                escaped_title.as_str(),
                "&lt;img src=x onerror=alert(1)&gt;",
                "&lt;script&gt;alert('contact')&lt;/script&gt;",
                "&lt;b&gt;Porto&lt;/b&gt;",
                // The javascript: URL is shown, not linked.
                "<span class=\"url-text\" title=\"not a web address; not linked\">javascript:alert(1)</span>",
                // Evidence covering markup is marked as text.
                "<mark id=\"ev-0\" title=\"job.fee_required\">pay a fee &lt;script&gt;</mark>",
                "<code>job.&lt;b&gt;odd&lt;/b&gt;</code>",
                "telegram:&lt;svg/onload=alert(1)&gt;",
            ],
        ),
        ("search", "/search?q=earn".to_string(), vec!["&lt;img src=x onerror=alert(1)&gt;"]),
        ("search for markup", "/search?q=%3Cscript%3E".to_string(), vec!["value=\"&lt;script&gt;\""]),
        ("network list", "/networks".to_string(), vec![escaped_title.as_str()]),
        ("network", format!("/networks/{}", fx.ids.office), vec![escaped_title.as_str()]),
        (
            "contact",
            "/contacts?kind=handle&value=telegram%3A%3Csvg%2Fonload%3Dalert(1)%3E".to_string(),
            vec![escaped_title.as_str()],
        ),
        (
            "crawl status",
            "/crawl".to_string(),
            vec!["https://nightboard.example/&lt;script&gt;alert(1)&lt;/script&gt;"],
        ),
        ("audit log", "/audit".to_string(), vec![]),
    ];
    for (what, path, wants) in pages {
        let r = get(&fx.app, &path, Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{what} {path}");
        assert_inert(&r.body, what);
        for w in wants {
            assert!(r.body.contains(w), "{what}: expected escaped text {w:?}");
        }
    }
    // The JSON API carries the text as JSON strings, served as JSON (never HTML).
    let r = get(&fx.app, &format!("/api/ads/{h}"), Some(&s)).await;
    assert!(r.header("content-type").starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["fields"]["title"], HOSTILE_TITLE);
}

#[tokio::test]
async fn a_hostile_triage_note_and_assignee_stay_text() {
    let fx = fixture().await;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let path = format!("/ads/{}/triage", fx.ids.dinner);
    let r = crate::post(
        &fx.app,
        &path,
        Some(&s),
        &[
            ("csrf", &s.csrf),
            ("state", "reviewing"),
            ("assignee", "\"><script>alert(1)</script>"),
            ("note", "</textarea><img src=x onerror=alert(1)>"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = get(&fx.app, &format!("/ads/{}", fx.ids.dinner), Some(&s)).await.body;
    assert_inert(&page, "ad page with hostile triage");
    assert!(page.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>"));
}
