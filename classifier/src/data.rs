//! Labelled data: EMSCAD-style job-ad CSV files, JSON Lines of `{text, label}`, and near-duplicate
//! groups that keep copies of one ad on one side of every split.

use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use crate::error::{Error, Result};
use crate::features::{fnv1a, mix};

/// One job ad with the columns of the EMSCAD dataset.
///
/// For the optional columns `None` means the file has no such column (nothing is known) and
/// `Some("")` means the ad left the field empty, which is itself informative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobRecord {
    /// The dataset's id, used only to name predictions; never a feature.
    pub job_id: String,
    /// The job title.
    pub title: String,
    /// `"US, TX, Houston"`-style location.
    pub location: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Salary range as written.
    pub salary_range: Option<String>,
    /// The employer's description of itself.
    pub company_profile: Option<String>,
    /// The job description.
    pub description: Option<String>,
    /// Requirements.
    pub requirements: Option<String>,
    /// Benefits.
    pub benefits: Option<String>,
    /// Remote work flag.
    pub telecommuting: Option<bool>,
    /// Whether the ad showed a company logo.
    pub has_company_logo: Option<bool>,
    /// Whether the ad had screening questions.
    pub has_questions: Option<bool>,
    /// Full-time, part-time, ...
    pub employment_type: Option<String>,
    /// Seniority.
    pub required_experience: Option<String>,
    /// Education level.
    pub required_education: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Job function.
    pub function: Option<String>,
    /// The label, when the file has one.
    pub fraudulent: Option<bool>,
}

impl JobRecord {
    /// The ad as one text body, the way a crawled job page reads: company profile, description,
    /// requirements and benefits, separated by blank lines.
    pub fn body(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.company_profile, &self.description, &self.requirements, &self.benefits].into_iter().flatten() {
            if !p.trim().is_empty() {
                parts.push(p.trim());
            }
        }
        parts.join("\n\n")
    }

    /// The posting without the employer's self-description: description, requirements and benefits.
    /// This is what the `text` head reads, because crawled job pages carry the employer in a separate
    /// field (if at all) rather than a company profile in the text; training on the profile would teach
    /// the head that a missing profile means fraud, which is not true of crawled ads.
    pub fn posting(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.description, &self.requirements, &self.benefits].into_iter().flatten() {
            if !p.trim().is_empty() {
                parts.push(p.trim());
            }
        }
        parts.join("\n\n")
    }

    /// The ad as a crawl of its page delivers it (see [`JobRecord::from_crawled`]): the title, the
    /// employer field (here the company profile), the location and the pay where a site adapter
    /// finds them, and the posting (description, requirements, benefits) as the body. Everything
    /// else is unknown. The `crawl` head is trained on this view, so that what it learns is what
    /// crawled ads carry.
    pub fn crawl_view(&self) -> JobRecord {
        JobRecord {
            job_id: self.job_id.clone(),
            title: self.title.clone(),
            location: Some(self.location.clone().unwrap_or_default()),
            salary_range: Some(self.salary_range.clone().unwrap_or_default()),
            company_profile: Some(self.company_profile.clone().unwrap_or_default()),
            description: Some(self.posting()),
            fraudulent: self.fraudulent,
            ..JobRecord::default()
        }
    }

    /// The record of a crawled job ad, in the [`crawl_view`](Self::crawl_view) shape the `crawl`
    /// head was trained on: an employer, city or pay the page did not show is an empty field.
    pub fn from_crawled(title: &str, body: &str, fields: &redflag_core::AdFields) -> JobRecord {
        let own = |v: &Option<String>| Some(v.as_deref().map(str::trim).unwrap_or_default().to_string());
        JobRecord {
            title: title.to_string(),
            location: own(&fields.city),
            salary_range: own(&fields.price),
            company_profile: own(&fields.company),
            description: Some(body.to_string()),
            ..JobRecord::default()
        }
    }

    /// The site-adapter fields a crawl of this ad would give (title and posting as body; the
    /// company profile as employer, location as city, salary as price where present).
    pub fn crawled_fields(&self) -> redflag_core::AdFields {
        let some = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        redflag_core::AdFields {
            title: self.title.clone(),
            body: self.posting(),
            city: some(&self.location),
            price: some(&self.salary_range),
            company: some(&self.company_profile),
            ..redflag_core::AdFields::default()
        }
    }

    /// The text used to group near-duplicates: the ad's own words, without the company profile that
    /// every ad of one employer repeats.
    fn dedup_text(&self) -> String {
        let mut s = String::new();
        for p in [&self.description, &self.requirements, &self.benefits].into_iter().flatten() {
            s.push_str(p);
            s.push(' ');
        }
        s
    }
}

/// One labelled ad from a JSON Lines file.
#[derive(Debug, Clone, PartialEq)]
pub struct TextExample {
    /// The ad's title (may be empty).
    pub title: String,
    /// The ad's text.
    pub body: String,
    /// The training target in `[0, 1]`: the binary label, or an ordinal 0–6 label divided by 6.
    pub target: f32,
    /// Whether the ad counts as positive for metrics: label 1, or ordinal label 4–6.
    pub positive: bool,
    /// An id for predictions: the `id` field, else the line number.
    pub id: String,
}

/// Strips HTML tags and decodes the common entities, as left in the EMSCAD texts.
pub fn clean_markup(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('<') {
            // A tag is short and has no spaces right after '<'; otherwise it is a literal '<'.
            match rest[1..].find('>') {
                Some(end)
                    if end < 200
                        && rest[1..]
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!') =>
                {
                    out.push(' ');
                    rest = &rest[end + 2..];
                }
                _ => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            let entities = [
                ("&amp;", "&"),
                ("&lt;", "<"),
                ("&gt;", ">"),
                ("&quot;", "\""),
                ("&#39;", "'"),
                ("&apos;", "'"),
                ("&nbsp;", " "),
            ];
            match entities.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, r)) => {
                    out.push_str(r);
                    rest = &rest[e.len()..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

fn parse_flag(path: &Path, line: u64, column: &str, v: &str) -> Result<Option<bool>> {
    match v.trim() {
        "" => Ok(None),
        "0" | "f" | "false" => Ok(Some(false)),
        "1" | "t" | "true" => Ok(Some(true)),
        other => Err(Error::Data {
            path: path.to_path_buf(),
            line,
            message: format!("column {column}: expected 0 or 1, found {other:?}"),
        }),
    }
}

/// Reads an EMSCAD-style CSV: a header row naming the columns (any order, extra columns ignored);
/// `title` and `description` are required, `fraudulent` is required when `need_label`.
pub fn read_emscad_csv(path: &Path, need_label: bool) -> Result<Vec<JobRecord>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(std::io::BufReader::new(file));
    let headers = rdr
        .headers()
        .map_err(|e| Error::Data {
            path: path.to_path_buf(),
            line: 1,
            message: format!("cannot read the header: {e}"),
        })?
        .clone();
    let col: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase(), i))
        .collect();
    let mut required = vec!["title", "description"];
    if need_label {
        required.push("fraudulent");
    }
    let missing: Vec<&str> = required.iter().copied().filter(|c| !col.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(Error::Dataset {
            path: path.to_path_buf(),
            message: format!(
                "missing column(s) {}; found {}",
                missing.join(", "),
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        });
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
            Error::Data { path: path.to_path_buf(), line, message: format!("malformed CSV row: {e}") }
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
        let text = |name: &str| col.get(name).map(|&i| clean_markup(rec.get(i).unwrap_or("")));
        let raw = |name: &str| col.get(name).map(|&i| rec.get(i).unwrap_or("").to_string());
        let flag = |name: &str| -> Result<Option<bool>> {
            match col.get(name) {
                Some(&i) => parse_flag(path, line, name, rec.get(i).unwrap_or("")),
                None => Ok(None),
            }
        };
        let fraudulent = flag("fraudulent")?;
        if need_label && fraudulent.is_none() {
            return Err(Error::Data { path: path.to_path_buf(), line, message: "column fraudulent is empty".into() });
        }
        out.push(JobRecord {
            job_id: raw("job_id").unwrap_or_else(|| (i + 1).to_string()),
            title: text("title").unwrap_or_default(),
            location: text("location"),
            department: text("department"),
            salary_range: text("salary_range"),
            company_profile: text("company_profile"),
            description: text("description"),
            requirements: text("requirements"),
            benefits: text("benefits"),
            telecommuting: flag("telecommuting")?,
            has_company_logo: flag("has_company_logo")?,
            has_questions: flag("has_questions")?,
            employment_type: text("employment_type"),
            required_experience: text("required_experience"),
            required_education: text("required_education"),
            industry: text("industry"),
            function: text("function"),
            fraudulent,
        });
    }
    if out.is_empty() {
        return Err(Error::Dataset { path: path.to_path_buf(), message: "no rows".into() });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct RawExample {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    body: Option<String>,
    label: serde_json::Value,
}

/// Reads JSON Lines of `{"text": ..., "label": ...}` (optionally `title`, `body` instead of `text`,
/// and `id`). Labels are 0/1 (or false/true, or `"indicative"`/`"benign"` as in the blind escort sets
/// of `data/blind/`), or the 0–6 ordinal scale of Trafficking-10k; a file
/// with any label above 1 is read as ordinal.
pub fn read_jsonl(path: &Path) -> Result<Vec<TextExample>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut raw: Vec<(u64, RawExample)> = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let lineno = i as u64 + 1;
        let line = line.map_err(|e| Error::Data { path: path.to_path_buf(), line: lineno, message: e.to_string() })?;
        if line.trim().is_empty() {
            continue;
        }
        let ex: RawExample = serde_json::from_str(&line).map_err(|e| Error::Data {
            path: path.to_path_buf(),
            line: lineno,
            message: format!("not a {{text, label}} object: {e}"),
        })?;
        raw.push((lineno, ex));
    }
    let mut labels = Vec::with_capacity(raw.len());
    for (lineno, ex) in &raw {
        let v = match &ex.label {
            serde_json::Value::Bool(b) => f64::from(u8::from(*b)),
            serde_json::Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
            // The blind escort sets of `data/blind/` label ads by name.
            serde_json::Value::String(s) if s == "indicative" => 1.0,
            serde_json::Value::String(s) if s == "benign" => 0.0,
            serde_json::Value::String(s) => s.trim().parse::<f64>().unwrap_or(f64::NAN),
            _ => f64::NAN,
        };
        if !(0.0..=6.0).contains(&v) || v.fract() != 0.0 {
            return Err(Error::Data {
                path: path.to_path_buf(),
                line: *lineno,
                message: format!("label must be 0 or 1, or 0–6 on the ordinal scale, found {}", ex.label),
            });
        }
        labels.push(v);
    }
    let ordinal = labels.iter().any(|v| *v > 1.0);
    let mut out = Vec::with_capacity(raw.len());
    for ((lineno, ex), v) in raw.into_iter().zip(labels) {
        let body = ex.text.or(ex.body).unwrap_or_default();
        let title = ex.title.unwrap_or_default();
        if body.trim().is_empty() && title.trim().is_empty() {
            return Err(Error::Data { path: path.to_path_buf(), line: lineno, message: "no text".into() });
        }
        let id = match ex.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => lineno.to_string(),
        };
        let (target, positive) = if ordinal { ((v / 6.0) as f32, v >= 4.0) } else { (v as f32, v >= 1.0) };
        out.push(TextExample { title, body, target, positive, id });
    }
    if out.is_empty() {
        return Err(Error::Dataset { path: path.to_path_buf(), message: "no examples".into() });
    }
    Ok(out)
}

/// Lowercase letters only, placeholders removed: what stays the same between copies of one ad.
fn normalise_for_dedup(s: &str) -> Vec<u64> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut skip_placeholder = false;
    for c in s.chars() {
        if c == '#' {
            skip_placeholder = !skip_placeholder;
            cur.clear();
            continue;
        }
        if skip_placeholder {
            continue;
        }
        if c.is_alphabetic() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            words.push(fnv1a(cur.as_bytes()));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        words.push(fnv1a(cur.as_bytes()));
    }
    words
}

const MINHASHES: usize = 32;
const SHINGLE: usize = 4;

fn minhash(words: &[u64]) -> Option<[u64; MINHASHES]> {
    if words.len() < SHINGLE {
        return None;
    }
    let mut sig = [u64::MAX; MINHASHES];
    for w in words.windows(SHINGLE) {
        let mut h = 0u64;
        for x in w {
            h = mix(h ^ x);
        }
        for (k, s) in sig.iter_mut().enumerate() {
            let v = mix(h ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if v < *s {
                *s = v;
            }
        }
    }
    Some(sig)
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Assigns a group id to every text so that texts equal after normalisation share a group. Group ids
/// are the index of the group's first member.
pub fn exact_duplicate_groups(texts: &[String]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    union_exact(texts.iter().map(|t| normalise_for_dedup(t)).collect::<Vec<_>>().as_slice(), &mut parent);
    (0..texts.len()).map(|i| find(&mut parent, i)).collect()
}

fn union_exact(words: &[Vec<u64>], parent: &mut [usize]) {
    let mut exact: HashMap<u64, usize> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        let mut h = 0x1234u64;
        for x in w {
            h = mix(h ^ x);
        }
        if let Some(&j) = exact.get(&h) {
            let (a, b) = (find(parent, i), find(parent, j));
            parent[a.max(b)] = a.min(b);
        } else {
            exact.insert(h, i);
        }
    }
}

/// Assigns a group id to every text so that exact and near-duplicate texts (estimated Jaccard
/// similarity of word 4-shingles of at least `threshold`) share a group. Group ids are the index of
/// the group's first member.
pub fn near_duplicate_groups(texts: &[String], threshold: f64) -> Vec<usize> {
    let n = texts.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let words: Vec<Vec<u64>> = texts.iter().map(|t| normalise_for_dedup(t)).collect();
    union_exact(&words, &mut parent);
    let sigs: Vec<Option<[u64; MINHASHES]>> = words.iter().map(|w| minhash(w)).collect();
    let need = (threshold * MINHASHES as f64).ceil() as usize;
    for i in 0..n {
        let Some(a) = &sigs[i] else { continue };
        for (j, b) in sigs.iter().enumerate().skip(i + 1) {
            let Some(b) = b else { continue };
            let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
            if same >= need {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj {
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
    }
    (0..n).map(|i| find(&mut parent, i)).collect()
}

/// How ads are grouped so that copies of one ad stay on one side of every split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// Ads whose normalised text is the same (the same words in the same order once markup, case,
    /// punctuation and the dataset's contact placeholders are gone) form one group: reposts of one ad
    /// under new ids, in other cities or under other titles. This is the protocol the EMSCAD split
    /// asks for ("group by normalised text") and the default.
    #[default]
    Duplicates,
    /// Stricter: ads whose texts overlap heavily (estimated Jaccard similarity of word 4-shingles of at
    /// least 0.7) form one group too, so a whole campaign of edited copies stays on one side. Figures
    /// under this grouping estimate how the model does on campaigns it has never seen.
    Templates,
    /// Copies as under `Duplicates`, and also every ad of one employer (the same normalised company
    /// profile, when it has one) in one group: figures under this grouping estimate how the model does
    /// on employers it has never seen, rather than recognising an employer's boilerplate.
    Employers,
}

impl Grouping {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Duplicates => "duplicates",
            Grouping::Templates => "templates",
            Grouping::Employers => "employers",
        }
    }
}

impl std::str::FromStr for Grouping {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "duplicates" => Ok(Grouping::Duplicates),
            "templates" => Ok(Grouping::Templates),
            "employers" => Ok(Grouping::Employers),
            other => Err(Error::Options(format!(
                "unknown grouping {other:?} (expected \"duplicates\", \"templates\" or \"employers\")"
            ))),
        }
    }
}

/// Groups of job ads by their own text (description, requirements, benefits; the title too when
/// those are nearly empty).
pub fn job_groups(records: &[JobRecord], grouping: Grouping) -> Vec<usize> {
    let texts: Vec<String> = records
        .iter()
        .map(|r| {
            let t = r.dedup_text();
            if normalise_for_dedup(&t).len() < 8 { format!("{} {}", r.title, t) } else { t }
        })
        .collect();
    let mut groups = text_groups(&texts, grouping);
    if grouping == Grouping::Employers {
        // Join each ad's copy group with every other ad of the same employer.
        let mut parent: Vec<usize> = (0..records.len()).collect();
        let mut first_of: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut first_in_group: HashMap<usize, usize> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            if let Some(&j) = first_in_group.get(&groups[i]) {
                union(&mut parent, i, j);
            } else {
                first_in_group.insert(groups[i], i);
            }
            let profile = normalise_for_dedup(r.company_profile.as_deref().unwrap_or_default());
            if profile.len() >= 3 {
                match first_of.get(&profile) {
                    Some(&j) => union(&mut parent, i, j),
                    None => {
                        first_of.insert(profile, i);
                    }
                }
            }
        }
        groups = (0..records.len()).map(|i| find(&mut parent, i)).collect();
    }
    groups
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Groups of free texts under a grouping.
pub fn text_groups(texts: &[String], grouping: Grouping) -> Vec<usize> {
    match grouping {
        Grouping::Duplicates => exact_duplicate_groups(texts),
        Grouping::Templates => near_duplicate_groups(texts, 0.7),
        // Free texts have no employer field: copies are the groups.
        Grouping::Employers => exact_duplicate_groups(texts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_stripped_and_entities_decoded() {
        assert_eq!(clean_markup("Oil &amp; Gas<br>team"), "Oil & Gas team");
        assert_eq!(clean_markup("a < b and c &x"), "a < b and c &x");
        assert_eq!(clean_markup("<ul><li>one</li></ul>"), "one");
    }

    #[test]
    fn employer_grouping_joins_ads_of_one_company_and_their_copies() {
        let rec = |profile: &str, text: &str| JobRecord {
            company_profile: Some(profile.to_string()),
            description: Some(text.to_string()),
            ..JobRecord::default()
        };
        let records = vec![
            rec(
                "Acme Logistics moves freight across Europe since 1990.",
                "Forklift driver for the night shift in our warehouse near the port",
            ),
            rec(
                "ACME logistics moves freight across Europe since 1990!",
                "Accounts payable clerk to process vendor invoices every week",
            ),
            rec("", "Accounts payable clerk to process vendor invoices every week"),
            rec("", "Barista wanted for a busy cafe in the old town, weekends included"),
            rec(
                "Other firm entirely, making furniture by hand",
                "Carpenter to build tables and chairs in our workshop",
            ),
        ];
        let g = job_groups(&records, Grouping::Employers);
        assert_eq!(g[0], g[1], "same employer");
        assert_eq!(g[1], g[2], "a copy of an employer's ad joins the employer");
        assert_ne!(g[0], g[3]);
        assert_ne!(g[0], g[4]);
        assert_ne!(g[3], g[4]);
        let d = job_groups(&records, Grouping::Duplicates);
        assert_ne!(d[0], d[1], "without the employer grouping only copies are joined");
    }

    #[test]
    fn crawled_fields_read_back_as_the_crawl_view() {
        let r = JobRecord {
            job_id: "7".into(),
            title: "Data entry clerk".into(),
            location: Some("US, NY, New York".into()),
            salary_range: Some(String::new()),
            company_profile: Some("We run payroll for small firms.".into()),
            description: Some("Type invoices.".into()),
            requirements: Some("Accuracy.".into()),
            benefits: None,
            telecommuting: Some(true),
            fraudulent: Some(false),
            ..JobRecord::default()
        };
        let f = r.crawled_fields();
        assert_eq!(f.price, None, "an empty salary is no price field");
        let back = JobRecord::from_crawled(&f.title, &f.body, &f);
        let want = JobRecord { job_id: String::new(), fraudulent: None, ..r.crawl_view() };
        assert_eq!(back, want, "scoring a crawled ad reads exactly what the crawl head was trained on");
    }

    #[test]
    fn near_duplicates_share_a_group() {
        let base = "We are hiring a customer service associate to answer calls and emails from our clients in a friendly way every day";
        let texts = vec![
            base.to_string(),
            format!("{base}!"),
            base.replace("every day", "every week"),
            "Completely different text about welding pipelines on offshore platforms in the north sea region"
                .to_string(),
            String::new(),
            String::new(),
        ];
        let g = near_duplicate_groups(&texts, 0.7);
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[2]);
        assert_ne!(g[0], g[3]);
        assert_eq!(g[4], g[5], "empty texts are exact duplicates");
    }
}
