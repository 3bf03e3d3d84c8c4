//! `summary.html`: the archive for a reader without tools. One self-contained page: no script, no
//! stylesheet or image from anywhere else, a content security policy that forbids both, and every value
//! from the store escaped (ad text is attacker-written). It is a fixed shape with escaped values inserted,
//! not templated markup, like the bot's web chat page.

use std::fmt::Write as _;

use redflag_core::time::rfc3339;

use crate::export::{Bundle, evidence_path, picture_path, pictures_of};
use crate::manifest::{FORMAT, FileEntry};

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (other than line breaks and tabs) have no business in a report.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#111}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;\
text-align:left;vertical-align:top}th{background:#eee}code,.mono{font-family:ui-monospace,monospace;font-size:13px;\
word-break:break-all}.text{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;border:1px solid #ddd}\
.muted{color:#555}";

/// Renders the summary. `files` are the archive's other files with their hashes.
pub(crate) fn render(b: &Bundle, files: &[FileEntry]) -> String {
    let c = &b.case;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>Case {id}: {name}</title><style>{STYLE}</style></head><body>\n\
         <h1>Case {id}: {name}</h1>\n<table>\
         <tr><th>State</th><td>{state}</td></tr>\
         <tr><th>Assignee</th><td>{assignee}</td></tr>\
         <tr><th>Legal hold</th><td>{hold}</td></tr>\
         <tr><th>Opened</th><td>{created} by {created_by}</td></tr>\
         <tr><th>Exported</th><td>{exported} by {exported_by}</td></tr>\
         <tr><th>Ads</th><td>{n_ads}</td></tr>\
         <tr><th>Evidence pages</th><td>{n_pages}</td></tr>\
         <tr><th>Pictures</th><td>{n_pictures}</td></tr></table>\n",
        id = c.id,
        name = esc(&c.name),
        state = c.state.label(),
        assignee = esc(c.assignee.as_deref().unwrap_or("nobody")),
        hold = if c.legal_hold { "yes: its ads are kept from deletion" } else { "no" },
        created = rfc3339(c.created_at),
        created_by = esc(&c.created_by),
        exported = rfc3339(b.exported_at),
        exported_by = esc(&b.exported_by),
        n_ads = b.ads.len(),
        n_pages = b.pages.len(),
        n_pictures =
            b.ads.iter().map(|a| pictures_of(a).iter().filter(|id| b.images.contains_key(id)).count()).sum::<usize>(),
    );
    h.push_str(
        "<h2>How to check this archive</h2>\n<p>Every file of the archive is listed in <code>manifest.json</code> \
         with its SHA-256 and size. Each evidence page (<code>evidence/page-N.raw</code>) is the page exactly as \
         the crawler received it; the manifest also gives its address, the time it was fetched and the SHA-256 \
         recorded at that moment, which the file must still match. Run <code>redflag case verify ARCHIVE</code>, \
         or <code>sha256sum</code> on the extracted files. The evidence files are saved with the extension \
         <code>.raw</code> so that no browser runs them; open them in a text editor. Each picture an ad showed \
         (<code>ads/N/images/picture-M.png</code>, <code>.jpg</code>, <code>.gif</code> or <code>.webp</code>) \
         is likewise the picture exactly as received, listed in the manifest with its address, first fetch \
         and SHA-256 at that moment; it is never shown in this page.</p>\n",
    );
    h.push_str("<h2>Ads</h2>\n");
    for a in &b.ads {
        let ad = &a.ad;
        let triage = a.triage.as_ref().map(|t| t.state).unwrap_or_default();
        let _ = write!(
            h,
            "<h3>Ad {id}: {title}</h3>\n<table>\
             <tr><th>Site</th><td>{site}</td></tr>\
             <tr><th>Address</th><td class=\"mono\">{url}</td></tr>\
             <tr><th>Risk</th><td>{risk}</td></tr>\
             <tr><th>Triage</th><td>{triage}</td></tr>\
             <tr><th>Seen</th><td>{first} to {last}</td></tr>\
             <tr><th>Versions</th><td>{versions}</td></tr>\
             <tr><th>Added to the case</th><td>{added} by {added_by}</td></tr></table>\n",
            id = ad.id,
            title = esc(&ad.fields.title),
            site = esc(&ad.site),
            url = esc(&ad.url),
            risk = ad.risk.map(|r| format!("{r} of 100")).unwrap_or_else(|| "not scored".into()),
            triage = triage.as_str(),
            first = rfc3339(ad.first_seen),
            last = rfc3339(ad.last_seen),
            versions = a.versions.len(),
            added = rfc3339(a.added_at),
            added_by = esc(&a.added_by),
        );
        if let Some(s) = &a.score
            && !s.indicators.is_empty()
        {
            h.push_str("<p>Indicators that fired:</p><ul>\n");
            for i in &s.indicators {
                let quotes: Vec<String> = i.evidence.iter().map(|e| format!("“{}”", esc(&e.text))).collect();
                let _ =
                    writeln!(h, "<li><code>{}</code> {}: {}</li>", esc(&i.id), esc(&i.description), quotes.join(", "));
            }
            h.push_str("</ul>\n");
        }
        let _ = writeln!(h, "<p>Current text:</p><div class=\"text\">{}</div>", esc(&ad.fields.scoring_text()));
    }
    h.push_str(
        "<h2>Evidence pages</h2>\n<table><tr><th>File</th><th>Address</th><th>Fetched (UTC)</th>\
         <th>Status</th><th>SHA-256 at fetch</th><th>Ads</th></tr>\n",
    );
    for (id, (p, ads)) in &b.pages {
        let path = evidence_path(*id);
        let listed = files.iter().find(|f| f.path == path).map(|f| f.sha256.as_str()).unwrap_or("");
        let ads: Vec<String> = ads.iter().map(i64::to_string).collect();
        let _ = writeln!(
            h,
            "<tr><td class=\"mono\">{path}</td><td class=\"mono\">{url}</td><td>{at}</td><td>{status}</td>\
             <td class=\"mono\">{hash}{note}</td><td>{ads}</td></tr>",
            url = esc(&p.url),
            at = rfc3339(p.fetched_at),
            status = p.status,
            hash = esc(&p.sha256),
            note = if listed == p.sha256 { "" } else { " (the stored bytes no longer match this hash)" },
            ads = ads.join(", "),
        );
    }
    h.push_str("</table>\n");
    if !b.images.is_empty() {
        h.push_str(
            "<h2>Pictures</h2>\n<table><tr><th>File</th><th>Address (first fetch)</th><th>First fetched (UTC)</th>\
             <th>Type</th><th>SHA-256 at fetch</th></tr>\n",
        );
        for a in &b.ads {
            for id in pictures_of(a) {
                let Some(img) = b.images.get(&id) else { continue };
                let path = picture_path(a.ad.id, id, &img.content_type);
                let listed = files.iter().find(|f| f.path == path).map(|f| f.sha256.as_str()).unwrap_or("");
                let _ = writeln!(
                    h,
                    "<tr><td class=\"mono\">{path}</td><td class=\"mono\">{url}</td><td>{at}</td><td>{ct}</td>\
                     <td class=\"mono\">{hash}{note}</td></tr>",
                    url = esc(&img.first_url),
                    at = rfc3339(img.first_fetched_at),
                    ct = esc(&img.content_type),
                    hash = esc(&img.sha256),
                    note = if listed == img.sha256 { "" } else { " (the stored bytes no longer match this hash)" },
                );
            }
        }
        h.push_str("</table>\n");
    }
    h.push_str("<h2>Notes</h2>\n");
    if b.notes.is_empty() {
        h.push_str("<p class=\"muted\">No notes.</p>\n");
    }
    for n in &b.notes {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{at}, {author}:</p><div class=\"text\">{body}</div>",
            at = rfc3339(n.at),
            author = esc(&n.author),
            body = esc(&n.body),
        );
    }
    let _ = write!(
        h,
        "<h2>Files</h2>\n<p>{n} files besides <code>manifest.json</code> (format <code>{FORMAT}</code>). The \
         triage history is in <code>triage.json</code>, every audit-log entry about the case and its ads in \
         <code>audit.json</code>, every version of each ad in <code>ads/N/versions.json</code>.</p>\n\
         </body></html>\n",
        n = files.len() + 1,
    );
    h
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_ad_text_is_escaped() {
        assert_eq!(esc("<script>x</script>\"'&"), "&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp;");
        assert_eq!(esc("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb\nc");
    }
}
