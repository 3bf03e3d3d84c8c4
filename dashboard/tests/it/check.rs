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
async fn opting_in_records_the_ad_apart_from_the_audit_log_without_the_visitors_address() {
    let fx = fixture().await;
    let r = check(&fx.app, &[("text", EN_AD), ("lang", "pt"), ("share", "1")], None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("O anúncio foi partilhado"), "{}", r.body);
    let log = fx.db.audit_log(100, 0).await.unwrap();
    assert!(log.iter().all(|e| e.actor != "public" && !e.action.starts_with("check")), "{log:?}");
    let shared = fx.db.shared_checks(10, 0).await.unwrap();
    assert_eq!(shared.len(), 1);
    let c = &shared[0];
    assert_eq!((c.text.as_str(), c.ui_language.as_str(), c.url.as_deref()), (EN_AD, "pt", None));
    assert!(c.indicators.iter().any(|i| i == "job.fee_required"));
    assert_eq!(c.sha256, redflag_store::pages::sha256_hex(EN_AD.as_bytes()));
    // Admins read it on the audit page.
    let admin = crate::login(&fx.app, "ada", crate::fixture::PASSWORD).await;
    let page = get(&fx.app, "/audit", Some(&admin)).await;
    assert!(page.body.contains("Ads shared from the public check page") && page.body.contains("registration fee"));
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
    assert!(r.body.contains("We could not open that web address."), "{}", r.body);
    // Only the fixed message: nothing about the address it resolved to.
    let port = base.rsplit(':').next().unwrap();
    let shown = r.body.replace(&url, "");
    assert!(!shown.contains("non-public") && !shown.contains("127.0.0.1") && !shown.contains(port), "{}", r.body);
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

/// The parts of a check page other than the form's echo of the typed URL.
fn shown(r: &Resp, typed: &str) -> String {
    r.body.replace(typed, "")
}

#[tokio::test]
async fn fetch_failures_show_one_fixed_translated_message() {
    let fx = fixture_with(DashboardConfig { allow_private_fetch: true, ..Default::default() }).await;
    // A port nobody listens on: the connection is refused.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/ad", l.local_addr().unwrap())
    };
    let (base, site) = job_site().await;
    let missing = format!("{base}/no-such-ad");
    let mut messages = Vec::new();
    for (url, lang) in
        [(closed.as_str(), "en"), (missing.as_str(), "en"), (closed.as_str(), "es"), ("http://[::1]:1/", "fr")]
    {
        let r = check(&fx.app, &[("url", url), ("lang", lang)], None).await;
        assert!(r.status.is_client_error() || r.status.is_server_error(), "{url}");
        let body = shown(&r, url);
        for leak in ["refused", "connect", "404", "Not Found", "127.0.0.1", "::1", "tcp"] {
            assert!(!body.contains(leak), "{url}: {leak:?} shown: {body}");
        }
        let start = body.find("role=\"alert\">").unwrap() + 13;
        messages.push((lang, body[start..start + body[start..].find('<').unwrap()].to_string()));
    }
    assert_eq!(messages[0].1, messages[1].1, "one message whatever went wrong");
    assert_eq!(messages[0].1, "We could not open that web address. Paste the text of the ad instead.");
    assert!(messages[2].1.starts_with("No pudimos abrir"), "{messages:?}");
    assert!(messages[3].1.starts_with("Nous n"), "{messages:?}");
    site.abort();
}

#[tokio::test]
async fn private_fetches_can_be_allowed_for_one_origin_only() {
    let (base, site) = job_site().await;
    let (other, other_site) = job_site().await;
    let fx = fixture_with(DashboardConfig { private_fetch_origins: vec![base.clone()], ..Default::default() }).await;
    let r = check(&fx.app, &[("url", &format!("{base}/ad/7")), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = check(&fx.app, &[("url", &format!("{other}/ad/7")), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    site.abort();
    other_site.abort();
}

#[tokio::test]
async fn checks_beyond_the_global_cap_are_answered_busy() {
    let fx = fixture().await;
    let slots = fx.state.check_slots().clone();
    let n = slots.available_permits() as u32;
    let held = slots.acquire_many_owned(n).await.unwrap();
    let r = check(&fx.app, &[("text", EN_AD), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains("Many people are checking ads right now."), "{}", r.body);
    drop(held);
    assert_eq!(check(&fx.app, &[("text", EN_AD), ("lang", "en")], None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_fetch_that_outlives_the_deadline_is_abandoned() {
    // A server that accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/ad", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let fx = fixture_with(DashboardConfig {
        allow_private_fetch: true,
        check_deadline: std::time::Duration::from_millis(200),
        ..Default::default()
    })
    .await;
    let r = check(&fx.app, &[("url", &url), ("lang", "en")], None).await;
    assert_eq!(r.status, StatusCode::GATEWAY_TIMEOUT);
    assert!(r.body.contains("We could not open that web address."));
    assert_eq!(fx.state.check_slots().available_permits(), DashboardConfig::default().max_concurrent_checks);
    silent.abort();
}

#[tokio::test]
async fn ipv6_clients_share_one_allowance_per_64() {
    let fx =
        fixture_with(DashboardConfig { checks_per_minute: 2, trust_forwarded_for: true, ..Default::default() }).await;
    let from = |ip: &'static str| {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("text", EN_AD), ("lang", "en")])
            .finish();
        Request::post("/check")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(send(&fx.app, from("2001:db8:7:1::1")).await.status, StatusCode::OK);
    assert_eq!(send(&fx.app, from("2001:db8:7:1::2")).await.status, StatusCode::OK);
    assert_eq!(send(&fx.app, from("2001:db8:7:1:ffff::3")).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(send(&fx.app, from("2001:db8:7:2::1")).await.status, StatusCode::OK, "another /64");
}

/// A bounded property test (the stable-toolchain stand-in for fuzzing the form): seeded random form
/// bodies, well-formed or not, never get a server error, never echo markup unescaped and never fetch.
#[tokio::test]
async fn random_check_forms_never_break_the_page() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let fx = fixture_with(DashboardConfig { checks_per_minute: 100_000, ..Default::default() }).await;
    let mut rng = StdRng::seed_from_u64(0x5eed_c4ec);
    let keys = ["text", "url", "lang", "share", "csrf", "text[]", "", "url%00", "lang"];
    let values = [
        "<b>m</b>",
        "javascript:alert(1)",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "file:///etc/passwd",
        "%ZZ",
        "%C3%28",
        "%00",
        "pt",
        "zz",
        "1",
        "Pay a fee of $300 before travel.",
        "+",
        "&",
        "=",
        "\u{202e}",
        "http://0x7f.1/",
        "https://10.0.0.1:22/",
        "http://localhost:6379/",
    ];
    let cases: usize = std::env::var("REDFLAG_PROP_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    for i in 0..cases {
        let mut body = String::new();
        for _ in 0..rng.random_range(0..6) {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(keys[rng.random_range(0..keys.len())]);
            if rng.random_bool(0.9) {
                body.push('=');
            }
            for _ in 0..rng.random_range(0..4) {
                let v = values[rng.random_range(0..values.len())];
                // Raw (possibly malformed) or properly encoded.
                if rng.random_bool(0.5) {
                    body.push_str(v);
                } else {
                    body.extend(url::form_urlencoded::byte_serialize(v.as_bytes()));
                }
            }
        }
        let req = Request::post("/check").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let r = send(&fx.app, req.body(Body::from(body.clone())).unwrap()).await;
        assert!(
            !r.status.is_server_error() || r.status == StatusCode::GATEWAY_TIMEOUT,
            "case {i}: {body:?} → {}",
            r.status
        );
        assert!(!r.body.contains("<b>m</b>"), "case {i}: markup echoed unescaped: {body:?}");
        for leak in ["non-public", "refused", "resolves to"] {
            assert!(!r.body.contains(leak), "case {i}: {leak:?} shown for {body:?}");
        }
    }
}

/// The configured hotline is on the form, on every result and on error pages, escaped like all text;
/// without one the page names no number.
#[tokio::test]
async fn the_configured_hotline_is_shown_on_the_form_and_every_result() {
    let hotline = "Hotline 0800 000 000 <free, 24 h>";
    let fx = fixture_with(DashboardConfig { hotline: Some(hotline.into()), ..Default::default() }).await;
    let escaped = "Hotline 0800 000 000 &lt;free, 24 h&gt;";
    let form = get(&fx.app, "/check?lang=es", None).await;
    assert!(form.body.contains(escaped), "{}", form.body);
    for (text, lang) in [(EN_AD, "en"), (ES_AD, "es")] {
        let r = check(&fx.app, &[("text", text), ("lang", lang)], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(escaped), "{lang}: no hotline on the result");
        assert!(!r.body.contains(hotline), "{lang}: the hotline is escaped");
    }
    let empty = check(&fx.app, &[("text", "   "), ("lang", "en")], None).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains(escaped), "error pages keep the hotline");
    let plain = fixture().await;
    let r = check(&plain.app, &[("text", EN_AD), ("lang", "en")], None).await;
    assert!(!r.body.contains("class=\"hotline\""), "no hotline configured, none shown");
}
