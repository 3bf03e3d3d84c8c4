//! The escort board's pages: three ad-page templates and the listing pages.

use super::{Charset, Head, Section, city_sidebar, close, esc, esc_sloppy, open, pager, related, share, snippet};
use crate::bank;
use crate::model::{Ad, Layout};
use redflag_core::AdKind;
use std::fmt::Write as _;

/// Renders one escort ad page in its template.
pub(crate) fn ad_page(ad: &Ad, board: &[Ad]) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let description = super::snippet(ad);
    let head = Head {
        canonical: Some(&ad.path),
        description: Some(&description),
        charset: if ad.layout == Layout::B { Charset::HttpEquiv } else { Charset::Meta },
        ..Head::new(&ad.title, "en")
    };
    open(&mut out, Section::Escorts, &head);
    let _ = writeln!(
        out,
        "<nav class=\"breadcrumbs\"><a href=\"/\">Home</a> &rsaquo; <a href=\"/escorts/\">Companions</a> \
         &rsaquo; <a href=\"/escorts/city/{}/\">{}</a></nav>",
        ad.city.slug,
        esc(ad.city.name)
    );
    match ad.layout {
        Layout::A => template_a(&mut out, ad),
        Layout::B => template_b(&mut out, ad),
        Layout::C => template_c(&mut out, ad),
    }
    crate::images::gallery(&mut out, ad);
    share(&mut out, &ad.path);
    related(&mut out, ad, board);
    close(&mut out, Section::Escorts);
    out
}

/// `escort-a`: a classic posting block with class names.
fn template_a(out: &mut String, ad: &Ad) {
    let bank = bank::bank(ad.lang);
    let country = ad.city.country;
    out.push_str("<main class=\"content\">\n<div id=\"post\" class=\"posting\">\n");
    let _ = writeln!(out, "<h1 class=\"post-title\">{}</h1>", esc(&ad.title));
    let _ = writeln!(
        out,
        "<div class=\"post-meta\"><span class=\"post-city\">{}</span>, <span class=\"post-region\">{}</span> \
         &middot; <time class=\"post-date\" datetime=\"{}\">{}</time></div>",
        esc(ad.city.name),
        esc(ad.city.region),
        ad.posted.iso_datetime(),
        esc(&ad.posted.long(bank, country))
    );
    out.push_str("<ul class=\"post-attrs\">\n");
    if ad.age_field
        && let Some(age) = ad.age
    {
        let _ = writeln!(out, "<li class=\"attr-age\">Age: <b>{age}</b></li>");
    }
    let _ = writeln!(out, "<li class=\"attr-rate\">Rate: <b>{}</b></li>", esc(&ad.price));
    out.push_str("</ul>\n<div class=\"post-body\">\n");
    for p in &ad.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", esc(p));
    }
    out.push_str("</div>\n");
    if let Some(c) = &ad.contact_field {
        let _ =
            writeln!(out, "<div class=\"post-contact\">Contact: <span class=\"contact-value\">{}</span></div>", esc(c));
    }
    let _ = writeln!(out, "<p class=\"post-id\">Post ID: {}</p>\n</div>\n</main>", ad.id);
}

/// `escort-b`: an old table layout with unclosed cells and paragraphs and a raw `&` or two.
fn template_b(out: &mut String, ad: &Ad) {
    let country = ad.city.country;
    out.push_str("<div id=content>\n<table class=\"adtable\" width=\"100%\" cellpadding=4>\n");
    let _ = writeln!(out, "<tr><td class=lbl>Title<td class=\"val\" id=\"ad-title\"><b>{}</b>", esc_sloppy(&ad.title));
    let _ =
        writeln!(out, "<tr><td class=lbl>Location<td class=\"val\" id=\"ad-location\">{}", esc_sloppy(ad.city.name));
    let _ = writeln!(
        out,
        "<tr><td class=lbl>Posted<td class=\"val\" id=\"ad-posted\">{} {}",
        ad.posted.numeric(country, '/'),
        ad.posted.clock()
    );
    if ad.age_field
        && let Some(age) = ad.age
    {
        let _ = writeln!(out, "<tr><td class=lbl>Age<td class=\"val\" id=\"ad-age\">{age}");
    }
    let _ = writeln!(out, "<tr><td class=lbl>Rates<td class=\"val\" id=\"ad-rates\">{}", esc_sloppy(&ad.price));
    if let Some(c) = &ad.contact_field {
        let _ = writeln!(out, "<tr><td class=lbl>Phone<td class=\"val\" id=\"ad-phone\">{}", esc_sloppy(c));
    }
    out.push_str("</table>\n<div id=\"ad-text\">\n");
    for p in &ad.paragraphs {
        let _ = writeln!(out, "<p>{}", esc_sloppy(p));
    }
    out.push_str("</div>\n<p class=small>Ad #");
    let _ = writeln!(out, "{} &bull; Tips & safety: never send money in advance.\n</div>", ad.id);
}

/// `escort-c`: a card with a definition list and `data-field` attributes; the page's `<h1>` is the
/// board name, not the ad title.
fn template_c(out: &mut String, ad: &Ad) {
    let _ = writeln!(out, "<h1 class=\"board-title\">{}</h1>", super::ESCORT_BOARD);
    let _ = writeln!(
        out,
        "<article class=\"ad-card\" data-ad-id=\"{}\" lang=\"{}\">\n<header class=\"ad-card__head\">",
        ad.id,
        ad.lang.code()
    );
    let _ = writeln!(out, "<h2 class=\"ad-card__title\">{}</h2>", esc(&ad.title));
    let _ = writeln!(
        out,
        "<span class=\"ad-card__date\" data-field=\"posted\">Posted {} {}</span>\n</header>",
        ad.posted.iso_date(),
        ad.posted.clock()
    );
    out.push_str("<dl class=\"ad-card__facts\">\n");
    let _ = writeln!(out, "<dt>City</dt><dd data-field=\"city\">{}</dd>", esc(ad.city.name));
    if ad.age_field
        && let Some(age) = ad.age
    {
        let _ = writeln!(out, "<dt>Age</dt><dd data-field=\"age\">{age} yrs</dd>");
    }
    let _ = writeln!(out, "<dt>Rate</dt><dd data-field=\"price\">{}</dd>", esc(&ad.price));
    if let Some(c) = &ad.contact_field {
        let _ = writeln!(out, "<dt>Contact</dt><dd data-field=\"contact\">{}</dd>", esc(c));
    }
    out.push_str("</dl>\n<section class=\"ad-card__text\" itemprop=\"description\">\n");
    for p in &ad.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", esc(p).replace(". ", ".<br>\n"));
    }
    out.push_str("</section>\n</article>\n");
}

/// One page of an escort listing.
pub(crate) struct Listing<'a> {
    pub(crate) heading: String,
    /// The listing's first-page URL, e.g. `/escorts/city/miami/`.
    pub(crate) base: &'a str,
    pub(crate) page: usize,
    pub(crate) pages: usize,
    pub(crate) ads: &'a [&'a Ad],
    /// City listings link ads that have a second path under the city by that path.
    pub(crate) city_links: bool,
    pub(crate) cities_with_ads: &'a [&'a str],
}

/// The URL of page `n` of an escort listing: pagination by query string.
pub(crate) fn page_url(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}?page={n}") }
}

/// Renders one listing page.
pub(crate) fn listing_page(l: &Listing<'_>) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = if l.page > 1 { format!("{} - page {}", l.heading, l.page) } else { l.heading.clone() };
    let prev = (l.page > 1).then(|| page_url(l.base, l.page - 1));
    let next = (l.page < l.pages).then(|| page_url(l.base, l.page + 1));
    let head = Head { prev: prev.as_deref(), next: next.as_deref(), ..Head::new(&title, "en") };
    open(&mut out, Section::Escorts, &head);
    let _ = writeln!(out, "<main class=\"listing\">\n<h1>{}</h1>", esc(&title));
    if l.ads.is_empty() {
        out.push_str("<p class=\"empty\">No ads yet. Check back soon.</p>\n");
    }
    out.push_str("<div class=\"results\">\n");
    for ad in l.ads {
        let href = match (&ad.alt_path, l.city_links) {
            (Some(alt), true) => alt.clone(),
            _ => ad.link(),
        };
        let _ = write!(
            out,
            "<div class=\"result\"><a class=\"result-title\" href=\"{}\">{}</a> <span class=\"result-city\">{}</span>",
            esc(&href),
            esc(&ad.title),
            esc(ad.city.name)
        );
        if ad.age_field
            && let Some(age) = ad.age
        {
            let _ = write!(out, " <span class=\"result-age\">{age}</span>");
        }
        // Listing rows leave their <p> open, as many boards' templates do.
        let _ = writeln!(
            out,
            "<p class=\"snippet\">{}\n<span class=\"result-date\">{}</span></div>",
            esc(&snippet(ad)),
            ad.posted.iso_date()
        );
    }
    out.push_str("</div>\n");
    if l.page == 1 && l.base == "/escorts/" {
        // A removed ad still linked from the front page: a 404 the crawler must shrug off.
        out.push_str(
            "<p class=\"removed\">Recently removed: <a href=\"/escorts/ad/39990-removed-by-poster.html\">ad \
             #39990</a></p>\n",
        );
    }
    pager(&mut out, l.page, l.pages, "pager", &|n| page_url(l.base, n));
    out.push_str("</main>\n");
    city_sidebar(&mut out, AdKind::Escort, l.cities_with_ads);
    close(&mut out, Section::Escorts);
    out
}
