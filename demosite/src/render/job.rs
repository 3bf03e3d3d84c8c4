//! The job board's pages: three ad-page templates and the listing pages.

use super::{Head, Section, city_sidebar, close, esc, esc_sloppy, open, pager, related, share, snippet};
use crate::bank;
use crate::model::{Ad, Layout};
use redflag_core::AdKind;
use std::fmt::Write as _;

/// Renders one job ad page in its template.
pub(crate) fn ad_page(ad: &Ad, board: &[Ad]) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let description = snippet(ad);
    let head = Head { canonical: Some(&ad.path), description: Some(&description), ..Head::new(&ad.title, "en") };
    open(&mut out, Section::Jobs, &head);
    let _ = writeln!(
        out,
        "<nav class=\"breadcrumbs\"><a href=\"/jobs/\">Jobs</a> / <a href=\"/jobs/category/{}/\">{}</a> / <a \
         href=\"/jobs/in/{}/\">{}</a></nav>",
        ad.category,
        esc(crate::model::category_name(AdKind::Job, ad.category)),
        ad.city.slug,
        esc(ad.city.name)
    );
    match ad.layout {
        Layout::A => template_a(&mut out, ad),
        Layout::B => template_b(&mut out, ad),
        Layout::C => template_c(&mut out, ad),
    }
    out.push_str(
        "<div class=\"safety\"><strong>Stay safe:</strong> real employers never ask you to pay for a job, \
         and never keep your passport.</div>\n",
    );
    crate::images::gallery(&mut out, ad);
    share(&mut out, &ad.path);
    related(&mut out, ad, board);
    close(&mut out, Section::Jobs);
    out
}

/// `job-a`: schema.org-style markup with class names.
fn template_a(out: &mut String, ad: &Ad) {
    let bank = bank::bank(ad.lang);
    out.push_str("<main>\n<div class=\"job-posting\" itemscope itemtype=\"https://schema.org/JobPosting\">\n");
    let _ = writeln!(out, "<h1 class=\"job-title\" itemprop=\"title\">{}</h1>", esc(&ad.title));
    if let Some(c) = &ad.company {
        let _ = writeln!(out, "<div class=\"job-company\" itemprop=\"hiringOrganization\">{}</div>", esc(c));
    }
    let _ = writeln!(
        out,
        "<ul class=\"job-meta\">\n<li class=\"job-location\" itemprop=\"jobLocation\"><span \
         class=\"job-city\">{}</span>, <span class=\"job-region\">{}</span></li>\n<li class=\"job-salary\" \
         itemprop=\"baseSalary\">{}</li>\n<li><time class=\"job-date\" itemprop=\"datePosted\" \
         datetime=\"{}\">{}</time></li>\n</ul>",
        esc(ad.city.name),
        esc(ad.city.region),
        esc(&ad.price),
        ad.posted.iso_date(),
        esc(&ad.posted.long(bank, ad.city.country))
    );
    out.push_str("<div class=\"job-description\" itemprop=\"description\">\n");
    for p in &ad.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", esc(p));
    }
    out.push_str("</div>\n");
    if let Some(c) = &ad.contact_field {
        let _ = writeln!(
            out,
            "<div class=\"job-apply\"><h3>How to apply</h3><p class=\"job-contact\">{}</p></div>",
            esc(c)
        );
    }
    out.push_str("</div>\n</main>\n");
}

/// `job-b`: a vacancy section with BEM class names, icons inside the fields and `<br>` line breaks.
fn template_b(out: &mut String, ad: &Ad) {
    out.push_str("<section id=\"vacancy\">\n");
    let _ = writeln!(out, "<h2 class=\"vacancy__heading\">{}</h2>", esc(&ad.title));
    if let Some(c) = &ad.company {
        let _ = writeln!(out, "<p class=\"vacancy__employer\">Employer: <strong>{}</strong></p>", esc(c));
    }
    let _ = writeln!(
        out,
        "<ul class=\"vacancy__meta\">\n<li class=\"meta-location\"><span class=\"icon\">&#128205;</span> <span \
         class=\"v\">{}</span></li>\n<li class=\"meta-pay\"><span class=\"icon\">&#128176;</span> <span \
         class=\"v\">{}</span></li>\n<li class=\"meta-posted\">Posted on <span class=\"v\">{}</span></li>\n</ul>",
        esc(ad.city.name),
        esc(&ad.price),
        ad.posted.numeric(ad.city.country, '.')
    );
    out.push_str("<div class=\"vacancy__text\">");
    let body: Vec<String> = ad.paragraphs.iter().map(|p| esc(p)).collect();
    out.push_str(&body.join("<br><br>\n"));
    out.push_str("</div>\n");
    if let Some(c) = &ad.contact_field {
        let _ = writeln!(out, "<p class=\"vacancy__contact\">Contact: <span class=\"v\">{}</span></p>", esc(c));
    }
    out.push_str("</section>\n");
}

/// `job-c`: upper-case tags, unquoted attributes, unclosed cells and paragraphs, a stray `</div>`.
fn template_c(out: &mut String, ad: &Ad) {
    out.push_str("<DIV class=listing-detail>\n");
    let _ = writeln!(out, "<H3 class=ld-title>{}</H3>", esc_sloppy(&ad.title));
    out.push_str("<TABLE class=details>\n");
    if let Some(c) = &ad.company {
        let _ = writeln!(out, "<TR><TH>Employer<TD class=d-company>{}", esc_sloppy(c));
    }
    let _ = writeln!(out, "<TR><TH>Location<TD class=d-location>{}", esc_sloppy(ad.city.name));
    let _ = writeln!(out, "<TR><TH>Salary<TD class=d-salary>{}", esc_sloppy(&ad.price));
    let _ = writeln!(out, "<TR><TH>Date<TD class=d-date>{}", ad.posted.iso_date());
    if let Some(c) = &ad.contact_field {
        let _ = writeln!(out, "<TR><TH>Contact<TD class=d-contact>{}", esc_sloppy(c));
    }
    out.push_str("</TABLE>\n<DIV class=ld-body>\n");
    for p in &ad.paragraphs {
        let _ = writeln!(out, "<P>{}", esc_sloppy(p));
    }
    out.push_str("</DIV>\n</DIV></div>\n");
}

/// One page of a job listing.
pub(crate) struct Listing<'a> {
    pub(crate) heading: String,
    /// The listing's first-page URL, e.g. `/jobs/in/madrid/`.
    pub(crate) base: &'a str,
    pub(crate) page: usize,
    pub(crate) pages: usize,
    pub(crate) ads: &'a [&'a Ad],
    /// City listings link ads that have a second path under the city by that path.
    pub(crate) city_links: bool,
    pub(crate) cities_with_ads: &'a [&'a str],
}

/// The URL of page `n` of a job listing: pagination by path.
pub(crate) fn page_url(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
}

/// Renders one listing page.
pub(crate) fn listing_page(l: &Listing<'_>) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = if l.page > 1 { format!("{} (page {})", l.heading, l.page) } else { l.heading.clone() };
    let prev = (l.page > 1).then(|| page_url(l.base, l.page - 1));
    let next = (l.page < l.pages).then(|| page_url(l.base, l.page + 1));
    let head = Head { prev: prev.as_deref(), next: next.as_deref(), ..Head::new(&title, "en") };
    open(&mut out, Section::Jobs, &head);
    let _ = writeln!(out, "<main class=\"jobs\">\n<h1>{}</h1>", esc(&title));
    if l.ads.is_empty() {
        out.push_str("<p class=\"empty\">No vacancies right now.</p>\n");
    }
    out.push_str("<ul class=\"job-list\">\n");
    for ad in l.ads {
        let href = match (&ad.alt_path, l.city_links) {
            (Some(alt), true) => alt.clone(),
            _ => ad.link(),
        };
        let _ = writeln!(
            out,
            "<li class=\"job-item\"><h2 class=\"job-item__title\"><a href=\"{}\">{}</a></h2>\n<div \
             class=\"job-item__meta\"><span class=\"company\">{}</span> &middot; <span class=\"loc\">{}</span> \
             &middot; <span class=\"pay\">{}</span> &middot; <time datetime=\"{}\">{}</time></div>\n<p \
             class=\"job-item__snippet\">{}</p>",
            esc(&href),
            esc(&ad.title),
            esc(ad.company.as_deref().unwrap_or("Confidential")),
            esc(ad.city.name),
            esc(&ad.price),
            ad.posted.iso_date(),
            ad.posted.iso_date(),
            esc(&snippet(ad))
        );
    }
    out.push_str("</ul>\n");
    if l.page == 1 && l.base == "/jobs/" {
        // Filled vacancies the front page still links: 404s the crawler must shrug off.
        out.push_str(
            "<p class=\"filled\">Recently filled: <a href=\"/jobs/view/69990/\">Warehouse Associate</a>, <a \
             href=\"/jobs/view/69995/\">Receptionist</a></p>\n",
        );
    }
    pager(&mut out, l.page, l.pages, "pagination", &|n| page_url(l.base, n));
    out.push_str("</main>\n");
    city_sidebar(&mut out, AdKind::Job, l.cities_with_ads);
    close(&mut out, Section::Jobs);
    out
}
