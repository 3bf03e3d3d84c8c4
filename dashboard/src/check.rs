//! The public ad check (`/check`): a job seeker pastes an ad's text or its web address and gets a
//! verdict, the risk, each red flag with the words of the ad that raised it, and safety tips, in the
//! language they chose (or their browser asks for).
//!
//! No login, no cookies, no script, mobile first. Nothing the visitor sends is kept unless they tick
//! the opt-in box; then the ad (text, URL, verdict and flags; never the visitor's address) is stored in
//! the shared-checks table, apart from the audit log (anonymous visitors must not be able to fill the
//! record of what dashboard users do), and admins read it on the audit page.
//!
//! A pasted URL is fetched by the crawler's single-page fetch, which refuses private and loopback
//! addresses at every redirect (unless the operator allowed them for a demo), ports other than 80 and
//! 443 unless the visitor typed one, bodies over 1 MiB, and obeys robots.txt. Why a fetch failed is
//! logged, never shown: the visitor sees one fixed message in their language, so the page cannot be
//! used to map the server's network. Checks are limited per client (IPv6 clients by /64), in number
//! at once across all clients, and in time.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use redflag_classifier::{Catalogue, CheckReport};
use redflag_core::{AdKind, Verdict};

use crate::AppState;
use crate::auth::ClientIp;
use crate::i18n::{Lang, Ui};

/// Quotes shown per red flag.
const MAX_QUOTES: usize = 3;

/// The result as the page shows it, in the visitor's language.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckView {
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in words.
    pub verdict_label: String,
    /// Risk 0–100.
    pub risk: u8,
    /// Warning signs, strongest first.
    pub flags: Vec<FlagView>,
    /// Reassuring signs.
    pub good_signs: Vec<FlagView>,
    /// General safety tips.
    pub tips: Vec<String>,
    /// Headings from the catalogue: red flags, good signs, tips.
    pub headings: [String; 3],
    /// Whether the language-specific checks covered the ad's language.
    pub language_supported: bool,
    /// Whether only the beginning of the ad was checked.
    pub truncated: bool,
    /// Indicator ids, for the opt-in record.
    pub ids: Vec<String>,
}

/// One sign as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagView {
    /// Its title.
    pub title: String,
    /// The words of the ad that raised it.
    pub quotes: Vec<String>,
    /// A note when it rests on something other than words (an absent company name); English pages only.
    pub note: Option<String>,
    /// What to do about it.
    pub tip: String,
}

/// Puts a report into the visitor's language: the classifier words its report in the ad's language,
/// but a migrant checking an English ad wants the explanation in their own.
pub fn localize(report: &CheckReport, catalogue: &Catalogue, lang: Lang) -> CheckView {
    let l = lang.code();
    let flag = |f: &redflag_classifier::RedFlag| {
        let ind = catalogue.index_of(&f.id).map(|i| &catalogue.indicators[i]);
        let explanation = catalogue.messages.explanation(&f.id, l);
        let (title, tip) = match (ind, explanation) {
            (Some(i), _) => (i.title(l), i.tip(l)),
            (None, Some((title, tip))) => (title, tip),
            (None, None) => ("", ""),
        };
        FlagView {
            title: Some(title).filter(|t| !t.is_empty()).map_or_else(|| f.title.clone(), str::to_string),
            quotes: f
                .evidence
                .iter()
                .take(MAX_QUOTES)
                .map(|q| q.text.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect(),
            // Notes are written in English only; elsewhere the localized title says enough.
            note: if lang == Lang::En { f.note.clone() } else { None },
            tip: Some(tip).filter(|t| !t.is_empty()).map_or_else(|| f.tip.clone(), str::to_string),
        }
    };
    let m = &catalogue.messages;
    let heading = |key: &str, fallback: &str| {
        let h = m.heading(key, l);
        if h.is_empty() { fallback.to_string() } else { h.to_string() }
    };
    let ui = lang.ui();
    CheckView {
        verdict: report.verdict,
        verdict_label: match report.verdict {
            Verdict::LikelyLegitimate => ui.verdict_legit,
            Verdict::Suspicious => ui.verdict_suspicious,
            Verdict::LikelyFraudulent => ui.verdict_fraud,
        }
        .to_string(),
        risk: report.risk,
        flags: report.red_flags.iter().map(flag).collect(),
        good_signs: report.good_signs.iter().map(flag).collect(),
        tips: m.tips(report.kind, l).to_vec(),
        headings: [heading("red_flags", ui.flags_title), heading("good_signs", "+"), heading("tips", ui.tips_title)],
        language_supported: report.language_supported,
        truncated: report.truncated,
        ids: report.red_flags.iter().chain(&report.good_signs).map(|f| f.id.clone()).collect(),
    }
}

/// Query of the check page.
#[derive(Debug, serde::Deserialize)]
pub struct CheckQuery {
    lang: Option<String>,
}

/// The check form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CheckForm {
    text: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    share: Option<String>,
}

fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

/// A check page: header with the language switch, then `content`.
fn page(lang: Lang, content: Markup) -> Markup {
    let ui = lang.ui();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (ui.title) " · Redflag" }
                link rel="stylesheet" href=(concat!("/static/app.css?v=", env!("CARGO_PKG_VERSION")));
            }
            body {
                div.check {
                    header {
                        a.brand href={"/check?lang=" (lang.code())} { "Redflag" }
                        nav.langs aria-label=(ui.language) {
                            @for l in Lang::ALL {
                                a href={"/check?lang=" (l.code())} lang=(l.code()) hreflang=(l.code())
                                    aria-current=[(l == lang).then_some("true")] { (l.ui().name) }
                            }
                        }
                    }
                    main { (content) }
                }
            }
        }
    }
}

/// The sentence on where to get help, with the configured hotline.
fn help_line(ui: &Ui, hotline: Option<&str>) -> Markup {
    html! {
        p.help {
            strong { (ui.help) }
            @if let Some(h) = hotline { " " strong.hotline { (h) } }
        }
    }
}

fn form(lang: Lang, text: &str, url: &str, error: Option<&str>, hotline: Option<&str>) -> Markup {
    let ui = lang.ui();
    html! {
        h1 { (ui.title) }
        p { (ui.intro) }
        @if let Some(e) = error {
            div.flash.error role="alert" { (e) }
        }
        form method="post" action="/check" {
            input type="hidden" name="lang" value=(lang.code());
            label for="text" { (ui.text_label) }
            textarea #text name="text" rows="10" placeholder=(ui.text_placeholder) { (text) }
            p.muted { "— " (ui.or) " —" }
            label for="url" { (ui.url_label) }
            input #url type="url" name="url" inputmode="url" placeholder="https://" value=(url);
            label.optin {
                input type="checkbox" name="share" value="1";
                span { (ui.share_label) }
            }
            button.primary type="submit" { (ui.submit) }
        }
        (help_line(ui, hotline))
        p.muted { (ui.disclaimer) }
    }
}

fn flag_list(ui: &Ui, flags: &[FlagView]) -> Markup {
    html! {
        ul.flags {
            @for f in flags {
                li {
                    strong { (f.title) }
                    @for q in &f.quotes { blockquote { span.muted { (ui.in_the_ad) " " } q { (q) } } }
                    @if let Some(n) = &f.note { div.muted { (n) } }
                    @if !f.tip.is_empty() { div { "→ " (f.tip) } }
                }
            }
        }
    }
}

fn result(lang: Lang, v: &CheckView, shared: bool, hotline: Option<&str>) -> Markup {
    let ui = lang.ui();
    html! {
        h1 { (ui.title) }
        section class={"verdict " (verdict_class(v.verdict))} role="status" {
            h2 { (v.verdict_label) }
            p { (ui.risk) ": " strong { (v.risk) } " / 100" }
        }
        @if v.truncated { p.flash.warn { (ui.truncated) } }
        @if !v.language_supported { p.flash.warn { (ui.language_note) } }
        h2 { (v.headings[0]) }
        @if v.flags.is_empty() { p { (ui.no_flags) } } @else { (flag_list(ui, &v.flags)) }
        @if !v.good_signs.is_empty() {
            h2 { (v.headings[1]) }
            (flag_list(ui, &v.good_signs))
        }
        h2 { (v.headings[2]) }
        ul.tips { @for t in &v.tips { li { (t) } } }
        (help_line(ui, hotline))
        p.muted { (ui.disclaimer) " " (if shared { ui.stored } else { ui.not_stored }) }
        p { a href={"/check?lang=" (lang.code())} { (ui.again) } }
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::LikelyLegitimate => "likely_legitimate",
        Verdict::Suspicious => "suspicious",
        Verdict::LikelyFraudulent => "likely_fraudulent",
    }
}

/// `GET /check`.
pub async fn show(State(state): State<AppState>, Query(q): Query<CheckQuery>, headers: HeaderMap) -> Response {
    let lang = Lang::negotiate(q.lang.as_deref(), accept_language(&headers));
    with_vary(page(lang, form(lang, "", "", None, state.config().hotline.as_deref())).into_response())
}

fn with_vary(mut resp: Response) -> Response {
    resp.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-language"));
    resp
}

fn error_page(status: StatusCode, lang: Lang, f: &CheckForm, message: &str, hotline: Option<&str>) -> Response {
    let (text, url) = (f.text.as_deref().unwrap_or(""), f.url.as_deref().unwrap_or(""));
    let body = page(lang, form(lang, text, url, Some(message), hotline));
    with_vary((status, body).into_response())
}

/// `POST /check`.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<CheckForm>,
) -> Response {
    let lang = Lang::negotiate(f.lang.as_deref(), accept_language(&headers));
    let ui = lang.ui();
    if state.checks().check_and_record(&crate::ratelimit::client_key(&ip), Instant::now()).is_err() {
        return error_page(StatusCode::TOO_MANY_REQUESTS, lang, &f, ui.err_rate, state.config().hotline.as_deref());
    }
    // Every check holds one of a fixed number of slots (fetches and the classifier cost memory and
    // time), and the whole of it runs under one deadline.
    let Ok(_slot) = Arc::clone(state.check_slots()).try_acquire_owned() else {
        tracing::warn!("public check: every slot is busy");
        return error_page(StatusCode::SERVICE_UNAVAILABLE, lang, &f, ui.err_busy, state.config().hotline.as_deref());
    };
    let deadline = tokio::time::Instant::now() + state.config().check_deadline;
    let pasted = f.text.as_deref().map(str::trim).unwrap_or("");
    let url = f.url.as_deref().map(str::trim).unwrap_or("");
    let (text, fetched_url) = if !pasted.is_empty() {
        (pasted.to_string(), None)
    } else if !url.is_empty() {
        let cfg = state.config();
        let contact =
            cfg.contact_url.clone().or_else(|| cfg.public_base_url.clone()).unwrap_or_else(|| "about:blank".into());
        let mut opts = redflag_crawler::FetchOptions::new(contact);
        opts.allow_private = cfg.allow_private_fetch;
        opts.private_origins = cfg.private_fetch_origins.clone();
        let fetched = tokio::time::timeout_at(deadline, redflag_crawler::fetch_ad_text(url, &opts)).await;
        match fetched {
            Ok(Ok(ad)) => (format!("{}\n{}", ad.title.trim(), ad.text), Some(ad.final_url)),
            // Why a fetch failed (an address, a refused connection, a status) is logged, never shown:
            // the page must not tell strangers what the server's network looks like.
            Ok(Err(e)) => {
                let status = match &e {
                    redflag_crawler::Error::Refused { .. } => StatusCode::BAD_REQUEST,
                    redflag_crawler::Error::Fetch { .. } => StatusCode::BAD_GATEWAY,
                    _ => {
                        tracing::error!(error = %e, "public check: fetch failed");
                        return error_page(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            lang,
                            &f,
                            ui.err_internal,
                            state.config().hotline.as_deref(),
                        );
                    }
                };
                tracing::info!(error = %e, "public check: cannot fetch the URL");
                return error_page(status, lang, &f, ui.err_fetch, state.config().hotline.as_deref());
            }
            Err(_) => {
                tracing::info!(url, "public check: the fetch ran past the deadline");
                return error_page(
                    StatusCode::GATEWAY_TIMEOUT,
                    lang,
                    &f,
                    ui.err_fetch,
                    state.config().hotline.as_deref(),
                );
            }
        }
    } else {
        return error_page(StatusCode::BAD_REQUEST, lang, &f, ui.err_empty, state.config().hotline.as_deref());
    };
    let max = state.config().max_check_bytes.max(1);
    let cut = redflag_core::text::truncate_bytes(&text, max).to_string();
    let was_cut = cut.len() < text.len();
    let classifier = state.classifier().clone();
    let input = cut.clone();
    let outcome = tokio::time::timeout_at(
        deadline,
        tokio::task::spawn_blocking(move || {
            let report = redflag_classifier::check(&classifier, &input, Some(AdKind::Job))?;
            Ok::<_, redflag_classifier::Error>(localize(&report, classifier.catalogue(), lang))
        }),
    )
    .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(_) => {
            tracing::warn!("public check: the classifier ran past the deadline");
            return error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                &f,
                ui.err_busy,
                state.config().hotline.as_deref(),
            );
        }
    };
    let mut view = match outcome {
        Ok(Ok(v)) => v,
        Ok(Err(redflag_classifier::Error::EmptyInput | redflag_classifier::Error::BinaryInput { .. })) => {
            return error_page(StatusCode::BAD_REQUEST, lang, &f, ui.err_empty, state.config().hotline.as_deref());
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "public check: classifier failed");
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                &f,
                ui.err_internal,
                state.config().hotline.as_deref(),
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "public check: classifier task failed");
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                &f,
                ui.err_internal,
                state.config().hotline.as_deref(),
            );
        }
    };
    view.truncated |= was_cut;
    let share = f.share.as_deref().is_some_and(|s| !s.is_empty());
    let mut shared = false;
    if share {
        let record = redflag_store::shared::SharedCheck {
            id: 0,
            at: 0,
            ui_language: lang.code().to_string(),
            url: fetched_url.or_else(|| (!url.is_empty()).then(|| url.to_string())),
            verdict: verdict_class(view.verdict).to_string(),
            risk: i64::from(view.risk),
            indicators: view.ids.clone(),
            sha256: redflag_store::pages::sha256_hex(cut.as_bytes()),
            text: cut,
        };
        match state.store().share_check(&record).await {
            Ok(_) => shared = true,
            Err(e) => tracing::error!(error = %e, "public check: cannot record a shared ad"),
        }
    }
    with_vary(page(lang, result(lang, &view, shared, state.config().hotline.as_deref())).into_response())
}
