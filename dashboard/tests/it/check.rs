//! The public check page: no login, the visitor's language, red flags with quotes and tips, nothing
//! stored without the opt-in, throttled, and URLs fetched only where allowed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redflag_dashboard::DashboardConfig;

use crate::fixture::{fixture, fixture_with};
use crate::{Resp, get, post, send};

async fn check(app: &axum::Router, form: &[(&str, &str)], accept_language: Option<&str>) -> Resp {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut req = Request::post("/check").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(al) = accept_language {
        req = req.header(header::ACCEPT_LANGUAGE, al);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

const EN_AD: &str =
    "Cleaners wanted in Dubai\nStart now. Pay a registration fee of $300 before travel. Contact us on WhatsApp.";
const ES_AD: &str =
    "Se buscan limpiadoras en Madrid\nEmpiece ya. Debe pagar una cuota de inscripción de 300 euros antes de viajar.";

#[tokio::test]
async fn the_form_is_public_and_speaks_the_visitors_language() {
    let fx = fixture().await;
    // (query, Accept-Language, html lang, expected title)
    let cases = [
        ("", None, "en", "Is this job offer safe?"),
        ("", Some("es-MX,es;q=0.9,en;q=0.5"), "es", "¿Es segura esta oferta de trabajo?"),
        ("?lang=fr", Some("es"), "fr", "Cette offre d'emploi est-elle sûre ?"),
        ("?lang=pt", None, "pt", "Esta oferta de emprego é segura?"),
        ("?lang=id", None, "id", "Apakah lowongan kerja ini aman?"),
        ("?lang=zz", Some("de"), "en", "Is this job offer safe?"),
    ];
    for (q, al, lang, title) in cases {
        let mut req = Request::get(format!("/check{q}"));
        if let Some(al) = al {
            req = req.header(header::ACCEPT_LANGUAGE, al);
        }
        let r = send(&fx.app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(r.body.contains(&format!("<html lang=\"{lang}\">")), "{q} {al:?}");
        assert!(r.body.contains(title), "{q} {al:?}: lacks {title}");
        assert!(r.body.contains("name=\"share\""), "the opt-in box");
        assert!(r.headers.get(header::SET_COOKIE).is_none(), "no cookies on the public page");
        assert_eq!(r.header("vary"), "accept-language");
        assert!(r.header("content-security-policy").contains("script-src 'self'"));
        assert!(!r.body.contains("<script"), "the check page needs no script");
    }
}

#[tokio::test]
async fn an_english_ad_gets_red_flags_quotes_and_tips_and_is_not_stored() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", EN_AD), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for want in [
        "class=\"verdict ",
        "Risk: <strong>",
        "<strong>You are asked to pay a fee</strong>",
        "<q>registration fee</q>",
        "Real employers do not charge you for a job.",
        "Nothing you pasted was stored.",
        "Check another ad",
    ] {
        assert!(r.body.contains(want), "result lacks {want:?}");
    }
    let log = fx.db.audit_log(100, 0).await.unwrap();
    assert!(!log.iter().any(|e| e.action.starts_with("check")), "nothing recorded without the opt-in: {log:?}");
}

#[tokio::test]
async fn a_spanish_ad_is_explained_in_spanish() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", ES_AD)], Some("es-ES,es;q=0.9")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for want in [
        "<html lang=\"es\">",
        "<strong>Le piden pagar una cuota</strong>",
        "Un empleador real no cobra por un trabajo.",
        "Riesgo",
        "No se guardó nada",
    ] {
        assert!(r.body.contains(want), "result lacks {want:?}");
    }
}

#[tokio::test]
async fn an_english_ad_is_explained_in_the_language_the_visitor_chose() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", EN_AD), ("lang", "id")], Some("en")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<strong>Anda diminta membayar biaya</strong>"), "{}", r.body);
    assert!(r.body.contains("<q>registration fee</q>"), "quotes stay in the ad's words");
}

#[tokio::test]
async fn opting_in_records_the_ad_in_the_audit_log_without_the_visitors_address() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", EN_AD), ("lang", "pt"), ("share", "1")], None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("O anúncio foi partilhado"), "{}", r.body);
    let log = fx.db.audit_log(100, 0).await.unwrap();
    let e = log.iter().find(|e| e.action == "check.shared").expect("shared ad recorded");
    assert_eq!(e.actor, "public");
    let d: serde_json::Value = serde_json::from_str(e.detail.as_deref().unwrap()).unwrap();
    assert_eq!(d["text"], EN_AD);
    assert_eq!(d["ui_language"], "pt");
    assert!(d["indicators"].as_array().unwrap().iter().any(|i| i == "job.fee_required"));
    assert_eq!(d["sha256"], redflag_store::pages::sha256_hex(EN_AD.as_bytes()));
    assert!(!e.detail.as_deref().unwrap().contains("unknown") && d.get("client").is_none(), "no address kept");
}

#[tokio::test]
async fn pasted_markup_comes_back_as_text() {
    let fx = fixture_with(DashboardConfig { checks_per_minute: 1, ..Default::default() }).await;
    let hostile = "Jobs <script>alert(1)</script>\nPay a registration fee <img src=x onerror=alert(1)> now";
    let r = check(&fx.app, &[("text", hostile)], None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<script>alert") && !r.body.contains("<img src=x"), "{}", r.body);
    // The throttled answer puts the text back in the form, escaped.
    let r = check(&fx.app, &[("text", hostile), ("lang", "fr")], None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de vérifications"), "{}", r.body);
    assert!(r.body.contains("Jobs &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!r.body.contains("<script>alert") && !r.body.contains("<img src=x"));
}

#[tokio::test]
async fn empty_input_and_cross_site_posts_are_refused() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", "   "), ("url", ""), ("lang", "es")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Pegue el texto de un anuncio"));
    let req = Request::post("/check")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("text=hello"))
        .unwrap();
    assert_eq!(send(&fx.app, req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(&fx.app, "/check", None, &[("text", EN_AD)]).await.status, StatusCode::OK);
    assert_eq!(get(&fx.app, "/check", None).await.status, StatusCode::OK);
}

/// A one-page job site on 127.0.0.1.
async fn job_site() -> (String, tokio::task::JoinHandle<()>) {
    let page = "<!doctype html><html><head><title>Cleaners wanted</title></head><body><h1>Cleaners wanted in Dubai</h1>\
        <p>Start now. Pay a registration fee of $300 before travel.</p></body></html>";
    let app = axum::Router::new().route("/ad/7", axum::routing::get(move || async move { axum::response::Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, task)
}

#[tokio::test]
async fn urls_are_fetched_only_where_allowed() {
    let (base, site) = job_site().await;
    let url = format!("{base}/ad/7");
    // By default the server refuses to fetch private addresses for strangers.
    let fx = fixture().await;
    let r = check(&fx.app, &[("url", &url), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("We could not open that web address.") && r.body.contains("non-public address"),
        "{}",
        r.body
    );
    // A demo may allow it.
    let fx = fixture_with(DashboardConfig { allow_private_fetch: true, ..Default::default() }).await;
    let r = check(&fx.app, &[("url", &url), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("<strong>You are asked to pay a fee</strong>") && r.body.contains("<q>registration fee</q>")
    );
    let r = check(&fx.app, &[("url", "javascript:alert(1)"), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    site.abort();
}
