//! The pages around the boards: home, robots.txt, sitemaps, static pages, the staff login and 404.

use super::{Head, Section, close, esc, open};
use crate::ORIGIN_PLACEHOLDER;
use crate::model::Ad;
use std::fmt::Write as _;

/// The home page: both boards, their cities and the latest ads.
pub(crate) fn home(escorts: &[Ad], jobs: &[Ad], escort_cities: &[&str], job_cities: &[&str]) -> String {
    let mut out = String::with_capacity(16 * 1024);
    open(&mut out, Section::Home, &Head::new("Local classifieds", "en"));
    out.push_str(
        "<main class=\"home\">\n<h1>Demo Classifieds</h1>\n<p>Two boards on one site, as on many real \
         classifieds sites.</p>\n<div class=\"boards\">\n",
    );
    let _ = writeln!(
        out,
        "<section class=\"board-card\"><h2><a href=\"/escorts/\">{}</a></h2><p>Companionship, dinner dates and \
         massage. {} ads.</p>",
        super::ESCORT_BOARD,
        escorts.len()
    );
    city_links(&mut out, escort_cities, |slug| format!("/escorts/city/{slug}/"));
    latest(&mut out, escorts);
    out.push_str("</section>\n");
    let _ = writeln!(
        out,
        "<section class=\"board-card\"><h2><a href=\"/jobs/\">{}</a></h2><p>Jobs at home and abroad. {} \
         vacancies.</p>",
        super::JOB_BOARD,
        jobs.len()
    );
    city_links(&mut out, job_cities, |slug| format!("/jobs/in/{slug}/"));
    latest(&mut out, jobs);
    out.push_str("</section>\n</div>\n</main>\n");
    close(&mut out, Section::Home);
    out
}

fn city_links(out: &mut String, slugs: &[&str], href: impl Fn(&str) -> String) {
    out.push_str("<p class=\"city-links\">");
    let links: Vec<String> = crate::geo::CITIES
        .iter()
        .filter(|c| slugs.contains(&c.slug))
        .map(|c| format!("<a href=\"{}\">{}</a>", href(c.slug), esc(c.name)))
        .collect();
    out.push_str(&links.join(" &middot; "));
    out.push_str("</p>\n");
}

fn latest(out: &mut String, ads: &[Ad]) {
    out.push_str("<ul class=\"latest\">\n");
    for ad in ads.iter().rev().take(5) {
        let _ = writeln!(out, "<li><a href=\"{}\">{}</a></li>", esc(&ad.link()), esc(&ad.title));
    }
    out.push_str("</ul>\n");
}

/// A plain content page in the home chrome.
pub(crate) fn text_page(title: &str, paragraphs: &[&str]) -> String {
    let mut out = String::with_capacity(4 * 1024);
    open(&mut out, Section::Home, &Head::new(title, "en"));
    let _ = writeln!(out, "<main class=\"text\">\n<h1>{}</h1>", esc(title));
    for p in paragraphs {
        let _ = writeln!(out, "<p>{}</p>", esc(p));
    }
    out.push_str("</main>\n");
    close(&mut out, Section::Home);
    out
}

/// The pages the footer and navigation link to.
pub(crate) fn static_pages() -> Vec<(&'static str, String)> {
    vec![
        (
            "/about/",
            text_page(
                "About",
                &[
                    "Demo Classifieds is a synthetic site bundled with Redflag. It looks like a real \
                     classifieds board so that the crawler, the extractors and the classifier can be tried \
                     and tested without touching a live site.",
                    "Every ad is generated from a seed. The same seed always gives the same site.",
                ],
            ),
        ),
        (
            "/terms/",
            text_page(
                "Terms & Conditions",
                &[
                    "Ads must be placed by adults about themselves. Ads offering illegal services are \
                     removed.",
                    "Never pay a fee to get a job, and never hand over your passport.",
                ],
            ),
        ),
        ("/privacy/", text_page("Privacy", &["This demonstration site stores no personal data."])),
        ("/post/", text_page("Post an ad", &["Posting is closed on this demonstration site."])),
        ("/admin/", admin()),
        ("/escorts/search", search()),
    ]
}

fn admin() -> String {
    let mut out = String::new();
    open(&mut out, Section::Home, &Head::new("Staff login", "en"));
    out.push_str(
        "<main><h1>Staff login</h1>\n<form method=\"post\" action=\"/admin/login\"><label>User <input \
         name=\"user\"></label> <label>Password <input type=\"password\" name=\"password\"></label> \
         <button>Sign in</button></form>\n</main>\n",
    );
    close(&mut out, Section::Home);
    out
}

fn search() -> String {
    let mut out = String::new();
    open(&mut out, Section::Escorts, &Head::new("Search", "en"));
    out.push_str(
        "<main><h1>Search</h1>\n<p>Search is available to registered members only. Browse by city or \
         category instead.</p>\n</main>\n",
    );
    close(&mut out, Section::Escorts);
    out
}

/// The page served with status 404.
pub(crate) fn not_found() -> String {
    let mut out = String::new();
    open(&mut out, Section::Home, &Head::new("Page not found", "en"));
    out.push_str(
        "<main><h1>Page not found</h1>\n<p>The ad may have been removed by the poster. <a \
         href=\"/\">Back to the home page</a>.</p>\n</main>\n",
    );
    close(&mut out, Section::Home);
    out
}

/// robots.txt: the staff area, the search and the ground truth are off limits; sitemaps are announced.
pub(crate) fn robots() -> String {
    format!(
        "# robots.txt for Demo Classifieds\n\
         User-agent: *\n\
         Disallow: /admin/\n\
         Disallow: /escorts/search\n\
         Disallow: /ground-truth.json\n\
         Allow: /\n\
         \n\
         User-agent: BadBot\n\
         Disallow: /\n\
         \n\
         Sitemap: {o}/sitemap.xml\n\
         Sitemap: {o}/sitemaps/escorts.xml\n\
         Sitemap: {o}/sitemaps/jobs.xml\n",
        o = ORIGIN_PLACEHOLDER
    )
}

/// The sitemap index pointing at the per-board sitemaps.
pub(crate) fn sitemap_index(escorts: &[Ad], jobs: &[Ad]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex \
         xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (name, ads) in [("escorts", escorts), ("jobs", jobs)] {
        let last = ads.iter().map(|a| a.posted).max();
        let _ = write!(out, "  <sitemap><loc>{ORIGIN_PLACEHOLDER}/sitemaps/{name}.xml</loc>");
        if let Some(l) = last {
            let _ = write!(out, "<lastmod>{}</lastmod>", l.iso_datetime());
        }
        out.push_str("</sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// A board's sitemap: every ad's canonical URL with its posting time as `<lastmod>`.
pub(crate) fn sitemap(ads: &[Ad]) -> String {
    let mut out = String::with_capacity(ads.len() * 120 + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for ad in ads.iter().rev() {
        let _ = writeln!(
            out,
            "  <url><loc>{ORIGIN_PLACEHOLDER}{}</loc><lastmod>{}</lastmod><changefreq>weekly</changefreq></url>",
            esc(&ad.path),
            ad.posted.iso_datetime()
        );
    }
    out.push_str("</urlset>\n");
    out
}

/// The stylesheet every page links.
pub(crate) const CSS: &str = "body{font-family:sans-serif;margin:0 auto;max-width:960px}\
.promo{background:#ffd;padding:4px}.age-notice{font-size:small;color:#555}\
.site-footer{border-top:1px solid #ccc;font-size:small}.result,.job-item{margin:8px 0}\n";
