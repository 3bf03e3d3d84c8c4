//! Evaluation on the blind sets of `data/blind/`: ads written by others from published indicator
//! definitions, never seen by the people who wrote the patterns and models.
//!
//! * The parallel job set holds each job ad in five languages. [`evaluate_parallel_jobs`] scores every
//!   version as the check scores pasted text and as a crawl would deliver it, and reports per language
//!   the ROC-AUC, the gap of each ad's risk to its English version and how often the verdict band
//!   matches the English one, plus per-indicator precision and recall against the writers' labels.
//! * The escort set holds ads written natively in each language. [`evaluate_escort`] reports the
//!   ad-level ROC-AUC (indicative against benign, look-alikes included) per language and the
//!   per-indicator precision and recall of the indicator detectors against the writers' labels.
//!
//! A set measures until something is chosen on it; then it is a development set (see
//! `data/blind/README.md`). The three escort sets are development sets: the escort model's weights are
//! fitted on them, and they are scored leave-one-set-out (see `models/escort/MODEL_CARD.md`).

use redflag_core::{AdFields, AdKind, Assessment, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::classifier::{AdInput, Classifier};
use crate::error::{Error, Result};
use crate::metrics;

/// The languages of the blind sets, English first (the reference of the parity figures).
pub const LANGUAGES: [&str; 5] = ["en", "es", "fr", "pt", "id"];

/// The writers' job warning signs and the catalogue indicators that stand for them.
const JOB_SIGNS: [(&str, &str); 13] = [
    ("fee", "job.fee_required"),
    ("documents", "job.documents_requested"),
    ("bank_details", "job.bank_details_requested"),
    ("unrealistic_pay", "job.unrealistic_pay"),
    ("chat_app_contact", "job.chat_app_contact"),
    ("chat_interview", "job.chat_interview"),
    ("free_email", "job.free_email_contact"),
    ("urgency", "job.urgency"),
    ("travel_debt", "job.travel_costs_deducted"),
    ("appearance", "job.appearance_requirements"),
    ("money_mule", "job.money_mule"),
    ("no_contract", "job.no_written_contract"),
    ("no_employer", "job.employer_unidentified"),
];

/// The writers' escort indicators and the catalogue indicators that stand for them (`None`: the
/// catalogue has no detector for it; its recall is reported as 0 so the gap stays visible).
const ESCORT_SIGNS: [(&str, Option<&str>); 12] = [
    ("third_party", Some("escort.third_party_control")),
    ("youth", Some("escort.youth_language")),
    ("ethnicity", Some("escort.ethnicity_listed")),
    ("trust", Some("escort.trust_language")),
    ("restricted_choice", Some("escort.restricted_choice")),
    ("movement", Some("escort.movement_language")),
    ("obscured_contact", Some("escort.obscured_contact")),
    ("multiple_people", Some("escort.multiple_people")),
    ("restricted_movement", Some("escort.restricted_movement")),
    ("foreign_recent", Some("escort.foreign_recent_arrival")),
    ("low_price", Some("escort.low_price")),
    ("shared_contact", Some("escort.shared_contact")),
];

#[derive(Debug, Deserialize)]
pub(crate) struct JobText {
    title: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    salary: String,
    body: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ParallelJob {
    pub id: String,
    pub label: String,
    #[serde(default)]
    signs: Vec<String>,
    pub texts: BTreeMap<String, JobText>,
}

#[derive(Debug, Deserialize)]
struct EscortAd {
    lang: String,
    label: String,
    #[serde(default)]
    lookalike: bool,
    #[serde(default)]
    indicators: Vec<String>,
    title: String,
    body: String,
    #[serde(default)]
    city: String,
}

pub(crate) fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| Error::Data {
            path: path.to_path_buf(),
            line: i as u64 + 1,
            message: format!("not a blind-set record: {e}"),
        })?);
    }
    if out.is_empty() {
        return Err(Error::Dataset { path: path.to_path_buf(), message: "no rows".into() });
    }
    Ok(out)
}

/// How a job ad of the parallel set is put to the classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobPath {
    /// As pasted into the check: the title, then company, location, pay and body as one text.
    Check,
    /// As crawled: title and body, with company, location and pay as the site adapter's fields.
    Crawl,
}

/// One language's figures on the parallel job set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageFigures {
    /// ISO 639-1 code.
    pub lang: String,
    /// Ads scored.
    pub n: usize,
    /// ROC-AUC of scam against legitimate.
    pub roc_auc: f64,
    /// Share of scams at or above the "likely fraudulent" threshold.
    pub recall: f64,
    /// Share of legitimate ads at or above it.
    pub fpr: f64,
    /// Mean risk (0–100) of this language's versions minus their English versions.
    pub mean_risk_gap: f64,
    /// Mean absolute risk difference to the English version.
    pub mean_abs_risk_gap: f64,
    /// Share of ads within 10 risk points of their English version.
    pub within_10_points: f64,
    /// Share of ads whose verdict band equals their English version's.
    pub same_band_as_english: f64,
}

/// One indicator's detection figures against the writers' labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorFigures {
    /// The writers' label.
    pub label: String,
    /// The catalogue indicator standing for it, if any.
    pub indicator: Option<String>,
    /// Ads (language versions) labelled with it.
    pub labelled: usize,
    /// Of those, found.
    pub found: usize,
    /// Ads where the indicator fired without the label.
    pub false_alarms: usize,
    /// `found / (found + false_alarms)` (1 when it never fired).
    pub precision: f64,
    /// `found / labelled`.
    pub recall: f64,
    /// Recall per language.
    pub recall_by_lang: BTreeMap<String, f64>,
    /// Precision per language (1 where it never fired).
    #[serde(default)]
    pub precision_by_lang: BTreeMap<String, f64>,
}

/// The parallel job set's figures for one path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParallelJobReport {
    /// How the ads were scored.
    pub path: JobPath,
    /// Ads (each in every language).
    pub ads: usize,
    /// Scams among them.
    pub scams: usize,
    /// Per language, English first.
    pub languages: Vec<LanguageFigures>,
    /// Per warning sign.
    pub indicators: Vec<IndicatorFigures>,
}

/// The escort set's figures for one language (or `all`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscortLanguageFigures {
    /// ISO 639-1 code, or `all`.
    pub lang: String,
    /// Ads.
    pub n: usize,
    /// ROC-AUC of indicative against benign ads.
    pub roc_auc: f64,
    /// ROC-AUC of indicative ads against the look-alike benign ads alone.
    pub roc_auc_lookalikes: f64,
}

/// How often one reassuring (negative-weight) escort indicator fired on benign and on indicative ads.
/// The writers label no reassuring signs, so its precision is read against the ads' labels: a
/// reassuring sign should fire on benign ads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReassuringFigures {
    /// The catalogue indicator.
    pub indicator: String,
    /// Benign ads it fired on.
    pub benign: usize,
    /// Of those, look-alikes.
    pub lookalikes: usize,
    /// Indicative ads it fired on (false reassurance).
    pub indicative: usize,
    /// `benign / (benign + indicative)` (1 when it never fired).
    pub precision: f64,
    /// Share of benign ads it fired on.
    pub recall: f64,
}

/// The escort set's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscortReport {
    /// Per language, then `all`.
    pub languages: Vec<EscortLanguageFigures>,
    /// Per indicator.
    pub indicators: Vec<IndicatorFigures>,
    /// Per reassuring indicator of the catalogue.
    #[serde(default)]
    pub reassuring: Vec<ReassuringFigures>,
}

fn band(v: Verdict) -> u8 {
    match v {
        Verdict::LikelyLegitimate => 0,
        Verdict::Suspicious => 1,
        Verdict::LikelyFraudulent => 2,
    }
}

/// The text a job seeker pastes for an ad: the title, then company, location and pay lines as the
/// ad shows them, then the body.
pub(crate) fn pasted(t: &JobText) -> (String, String) {
    let mut body = String::new();
    for line in [&t.company, &t.location, &t.salary] {
        if !line.trim().is_empty() {
            body.push_str(line.trim());
            body.push('\n');
        }
    }
    if !body.is_empty() {
        body.push('\n');
    }
    body.push_str(&t.body);
    (t.title.clone(), body)
}

/// The fields a crawl of the ad's page gives: title and body, the employer, location and pay lines
/// as the site adapter's company, city and price.
pub(crate) fn crawled(t: &JobText) -> AdFields {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    AdFields {
        title: t.title.clone(),
        body: t.body.clone(),
        company: some(&t.company),
        city: some(&t.location),
        price: some(&t.salary),
        ..AdFields::default()
    }
}

/// Tallies of one indicator.
#[derive(Default)]
struct Tally {
    labelled: usize,
    found: usize,
    false_alarms: usize,
    /// Per language: labelled, found, false alarms.
    by_lang: BTreeMap<String, (usize, usize, usize)>,
}

impl Tally {
    fn add(&mut self, lang: &str, labelled: bool, fired: bool) {
        let e = self.by_lang.entry(lang.to_string()).or_default();
        if labelled {
            self.labelled += 1;
            e.0 += 1;
            if fired {
                self.found += 1;
                e.1 += 1;
            }
        } else if fired {
            self.false_alarms += 1;
            e.2 += 1;
        }
    }

    fn figures(&self, label: &str, indicator: Option<&str>) -> IndicatorFigures {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        IndicatorFigures {
            label: label.to_string(),
            indicator: indicator.map(str::to_string),
            labelled: self.labelled,
            found: self.found,
            false_alarms: self.false_alarms,
            precision: if self.found + self.false_alarms == 0 {
                1.0
            } else {
                ratio(self.found, self.found + self.false_alarms)
            },
            recall: ratio(self.found, self.labelled),
            recall_by_lang: self.by_lang.iter().map(|(l, (n, f, _))| (l.clone(), ratio(*f, *n))).collect(),
            precision_by_lang: self
                .by_lang
                .iter()
                .map(|(l, (_, f, fa))| (l.clone(), if f + fa == 0 { 1.0 } else { ratio(*f, f + fa) }))
                .collect(),
        }
    }
}

fn fired(a: &Assessment, id: &str) -> bool {
    a.indicators.iter().any(|f| f.id == id)
}

/// Reads a parallel job set, every ad in all of [`LANGUAGES`].
pub(crate) fn read_parallel_jobs(path: &Path) -> Result<Vec<ParallelJob>> {
    let ads: Vec<ParallelJob> = read_lines(path)?;
    for ad in &ads {
        if let Some(missing) = LANGUAGES.iter().find(|l| !ad.texts.contains_key(**l)) {
            return Err(Error::Dataset {
                path: path.to_path_buf(),
                message: format!("ad {} has no {missing} text", ad.id),
            });
        }
    }
    Ok(ads)
}

/// Scores the parallel job set (`data/blind/jobs-parallel.jsonl`) along one path.
pub fn evaluate_parallel_jobs(c: &Classifier, path: &Path, how: JobPath) -> Result<ParallelJobReport> {
    let ads = read_parallel_jobs(path)?;
    let positive: Vec<bool> = ads.iter().map(|a| a.label == "scam").collect();
    let mut by_lang: BTreeMap<&str, Vec<Assessment>> = BTreeMap::new();
    for lang in LANGUAGES {
        let texts: Vec<&JobText> = ads.iter().map(|a| &a.texts[lang]).collect();
        let assessed = match how {
            JobPath::Check => {
                let owned: Vec<(String, String)> = texts.iter().map(|t| pasted(t)).collect();
                let inputs: Vec<AdInput<'_>> =
                    owned.iter().map(|(t, b)| AdInput::new(t, b).with_kind(AdKind::Job)).collect();
                c.assess_batch(&inputs)
            }
            JobPath::Crawl => {
                let fields: Vec<AdFields> = texts.iter().map(|t| crawled(t)).collect();
                let inputs: Vec<AdInput<'_>> =
                    fields.iter().map(|f| AdInput::from_fields(f).with_kind(AdKind::Job)).collect();
                c.assess_batch(&inputs)
            }
        };
        by_lang.insert(lang, assessed);
    }
    let en = &by_lang["en"];
    let mut languages = Vec::new();
    for lang in LANGUAGES {
        let a = &by_lang[lang];
        let scores: Vec<f64> = a.iter().map(|x| f64::from(x.probability)).collect();
        let likely: Vec<bool> = a.iter().map(|x| x.verdict == Verdict::LikelyFraudulent).collect();
        let (mut tp, mut fp) = (0usize, 0usize);
        for (l, p) in likely.iter().zip(&positive) {
            match (l, p) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                _ => {}
            }
        }
        let pos = positive.iter().filter(|p| **p).count();
        let gaps: Vec<f64> = a.iter().zip(en).map(|(x, e)| f64::from(x.risk) - f64::from(e.risk)).collect();
        let n = a.len() as f64;
        languages.push(LanguageFigures {
            lang: lang.to_string(),
            n: a.len(),
            roc_auc: metrics::roc_auc(&scores, &positive),
            recall: tp as f64 / pos.max(1) as f64,
            fpr: fp as f64 / (a.len() - pos).max(1) as f64,
            mean_risk_gap: gaps.iter().sum::<f64>() / n,
            mean_abs_risk_gap: gaps.iter().map(|g| g.abs()).sum::<f64>() / n,
            within_10_points: gaps.iter().filter(|g| g.abs() <= 10.0).count() as f64 / n,
            same_band_as_english: a.iter().zip(en).filter(|(x, e)| band(x.verdict) == band(e.verdict)).count() as f64
                / n,
        });
    }
    let mut indicators = Vec::new();
    for (label, id) in JOB_SIGNS {
        let mut t = Tally::default();
        for lang in LANGUAGES {
            for (ad, a) in ads.iter().zip(&by_lang[lang]) {
                t.add(lang, ad.signs.iter().any(|s| s == label), fired(a, id));
            }
        }
        indicators.push(t.figures(label, Some(id)));
    }
    Ok(ParallelJobReport {
        path: how,
        ads: ads.len(),
        scams: positive.iter().filter(|p| **p).count(),
        languages,
        indicators,
    })
}

/// Scores the escort set (`data/blind/escort.jsonl`) as crawled escort ads.
pub fn evaluate_escort(c: &Classifier, path: &Path) -> Result<EscortReport> {
    let ads: Vec<EscortAd> = read_lines(path)?;
    let fields: Vec<AdFields> = ads
        .iter()
        .map(|a| AdFields {
            title: a.title.clone(),
            body: a.body.clone(),
            city: Some(a.city.clone()).filter(|c| !c.trim().is_empty()),
            ..AdFields::default()
        })
        .collect();
    let inputs: Vec<AdInput<'_>> = fields.iter().map(|f| AdInput::from_fields(f).with_kind(AdKind::Escort)).collect();
    let assessed = c.assess_batch(&inputs);
    let mut languages = Vec::new();
    let langs: Vec<&str> = LANGUAGES.iter().copied().chain(std::iter::once("all")).collect();
    for lang in langs {
        let idx: Vec<usize> = (0..ads.len()).filter(|&i| lang == "all" || ads[i].lang == lang).collect();
        if idx.is_empty() {
            continue;
        }
        let auc = |keep: &dyn Fn(usize) -> bool| {
            let sel: Vec<usize> = idx.iter().copied().filter(|&i| keep(i)).collect();
            let s: Vec<f64> = sel.iter().map(|&i| f64::from(assessed[i].probability)).collect();
            let p: Vec<bool> = sel.iter().map(|&i| ads[i].label == "indicative").collect();
            metrics::roc_auc(&s, &p)
        };
        languages.push(EscortLanguageFigures {
            lang: lang.to_string(),
            n: idx.len(),
            roc_auc: auc(&|_| true),
            roc_auc_lookalikes: auc(&|i| ads[i].label == "indicative" || ads[i].lookalike),
        });
    }
    let mut indicators = Vec::new();
    for (label, id) in ESCORT_SIGNS {
        let mut t = Tally::default();
        for (ad, a) in ads.iter().zip(&assessed) {
            t.add(&ad.lang, ad.indicators.iter().any(|s| s == label), id.is_some_and(|id| fired(a, id)));
        }
        indicators.push(t.figures(label, id));
    }
    let n_benign = ads.iter().filter(|a| a.label != "indicative").count();
    let mut reassuring = Vec::new();
    // Reassuring signs of the catalogue that stand for none of the writers' labels (touring language
    // has a negative prior too, but it is one of the writers' indicators and reported above).
    let unlabelled = |id: &str| !ESCORT_SIGNS.iter().any(|(_, i)| *i == Some(id));
    for (_, ind) in c.catalogue().of_kind(AdKind::Escort).filter(|(_, i)| i.weight < 0.0 && unlabelled(i.id.as_str())) {
        let (mut benign, mut lookalikes, mut indicative) = (0, 0, 0);
        for (ad, a) in ads.iter().zip(&assessed) {
            if !fired(a, &ind.id) {
                continue;
            }
            if ad.label == "indicative" {
                indicative += 1;
            } else {
                benign += 1;
                lookalikes += usize::from(ad.lookalike);
            }
        }
        reassuring.push(ReassuringFigures {
            indicator: ind.id.clone(),
            benign,
            lookalikes,
            indicative,
            precision: if benign + indicative == 0 { 1.0 } else { benign as f64 / (benign + indicative) as f64 },
            recall: benign as f64 / n_benign.max(1) as f64,
        });
    }
    Ok(EscortReport { languages, indicators, reassuring })
}

fn indicator_lines(s: &mut String, rows: &[IndicatorFigures]) {
    s.push_str("indicator            labelled found false_alarms precision recall | recall/precision by language\n");
    for r in rows {
        let langs: Vec<String> = r
            .recall_by_lang
            .iter()
            .map(|(l, v)| match r.precision_by_lang.get(l) {
                Some(p) => format!("{l} {v:.2}/{p:.2}"),
                None => format!("{l} {v:.2}"),
            })
            .collect();
        s.push_str(&format!(
            "{:20} {:8} {:5} {:12} {:9.3} {:6.3} | {}{}\n",
            r.label,
            r.labelled,
            r.found,
            r.false_alarms,
            r.precision,
            r.recall,
            langs.join(" "),
            if r.indicator.is_none() { " (no detector)" } else { "" }
        ));
    }
}

impl ParallelJobReport {
    /// A table for a terminal.
    pub fn render_text(&self) -> String {
        let mut s = format!(
            "parallel job set, {} ads ({} scams) in {} languages, scored as {}\n",
            self.ads,
            self.scams,
            self.languages.len(),
            match self.path {
                JobPath::Check => "pasted into the check",
                JobPath::Crawl => "crawled ads",
            }
        );
        s.push_str("lang roc_auc recall  fpr   gap_to_en |gap| within_10 same_band\n");
        for l in &self.languages {
            s.push_str(&format!(
                "{:4} {:7.3} {:6.3} {:5.3} {:9.1} {:5.1} {:9.3} {:9.3}\n",
                l.lang,
                l.roc_auc,
                l.recall,
                l.fpr,
                l.mean_risk_gap,
                l.mean_abs_risk_gap,
                l.within_10_points,
                l.same_band_as_english
            ));
        }
        indicator_lines(&mut s, &self.indicators);
        s
    }
}

impl EscortReport {
    /// A table for a terminal.
    pub fn render_text(&self) -> String {
        let mut s =
            String::from("escort set: indicative against benign ads\nlang   n  roc_auc roc_auc_vs_lookalikes\n");
        for l in &self.languages {
            s.push_str(&format!("{:4} {:4} {:8.3} {:8.3}\n", l.lang, l.n, l.roc_auc, l.roc_auc_lookalikes));
        }
        indicator_lines(&mut s, &self.indicators);
        if !self.reassuring.is_empty() {
            s.push_str("reassuring indicator        benign look-alikes indicative precision share_of_benign\n");
            for r in &self.reassuring {
                s.push_str(&format!(
                    "{:27} {:6} {:11} {:10} {:9.3} {:6.3}\n",
                    r.indicator, r.benign, r.lookalikes, r.indicative, r.precision, r.recall
                ));
            }
        }
        s
    }
}
