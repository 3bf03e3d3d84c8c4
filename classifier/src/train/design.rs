//! Labelled examples and their design matrices: what each head reads of an ad (the EMSCAD record,
//! or the ad as a crawl or a paste delivers it), its indicators and, for stacked heads, the
//! combiner inputs and known-ad memory words. Parallel job sets add training-only examples: every ad
//! in five languages as pasted, for the `text` head, and its English version as crawled, for the
//! `crawl` head (the head crawled English ads go to).

use redflag_core::AdKind;
use std::borrow::Cow;
use std::path::PathBuf;

use super::options::Task;
use crate::blind;
use crate::catalogue::Catalogue;
use crate::classifier::{AdInput, analyse};
use crate::combiner::{self, Meta};
use crate::data::{self, Grouping, JobRecord};
use crate::error::Result;
use crate::features::{self, FeatureConfig};
use crate::memory::{self, Terms};
use crate::model::{HEAD_CRAWL, HEAD_FIELDS, HEAD_TEXT};

/// One labelled ad, whatever the file format.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub id: String,
    pub title: String,
    /// The whole ad text (for job records: company profile included), read by the `fields` head.
    pub body: String,
    /// The text the `text` head reads (for job records: the posting without the company profile).
    pub text_body: String,
    pub job: Option<JobRecord>,
    pub target: f32,
    pub positive: bool,
    pub file: usize,
    /// For an ad of a parallel job set: its id, shared by its versions in every language and form
    /// (they are one group in every split).
    pub parallel_id: Option<String>,
    /// For a training-only example, the one head it trains (see [`Example::train_only`]).
    pub only_head: Option<&'static str>,
}

impl Example {
    /// Whether the example only ever trains one head (an ad of a parallel job set, which has no
    /// EMSCAD record: as pasted, the `text` head; as crawled, the `crawl` head): it is in every fit of
    /// that head, never in a test fold, a calibration or a reported figure. Such examples come after
    /// all the others (see [`load_examples`]). Within one fit they are training examples like the
    /// others: the early-stopping splits of `fit::fit_averaged` may hold some out as validation, and
    /// a stacked head's inner folds give them an out-of-fold first-stage score for its combiner.
    pub(crate) fn train_only(&self) -> bool {
        self.only_head.is_some()
    }

    /// Whether a design of `head` reads this example.
    fn trains(&self, head: &str) -> bool {
        self.only_head.is_none_or(|h| h == head)
    }
}

/// Loads labelled examples for a task from the main file and extra files. For job fraud, a `.jsonl`
/// file is a parallel job set (`data/blind/*/jobs-parallel.jsonl`): each ad in each language becomes
/// a training-only example of the `text` head, read as pasted into the check, and its English version
/// a training-only example of the `crawl` head, read as a crawl of its page gives it (see
/// [`Example::train_only`]); those examples come last, whatever the order of the files.
pub(crate) fn load_examples(task: Task, files: &[PathBuf]) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    let mut parallel = Vec::new();
    for (fi, path) in files.iter().enumerate() {
        match task {
            Task::JobFraud if is_parallel_set(path) => {
                for ad in blind::read_parallel_jobs(path)? {
                    let positive = ad.label == "scam";
                    let example = |id: String, title: String, body: String, job, head| Example {
                        id,
                        title,
                        text_body: body.clone(),
                        body,
                        job,
                        target: if positive { 1.0 } else { 0.0 },
                        positive,
                        file: fi,
                        parallel_id: Some(ad.id.clone()),
                        only_head: Some(head),
                    };
                    for lang in blind::LANGUAGES {
                        let (title, body) = blind::pasted(&ad.texts[lang]);
                        parallel.push(example(format!("{}-{lang}", ad.id), title, body, None, HEAD_TEXT));
                    }
                    // Crawled ads in other languages go to the `text` head (`classifier::head_for`).
                    let f = blind::crawled(&ad.texts["en"]);
                    let job = JobRecord::from_crawled(&f.title, &f.body, &f);
                    parallel.push(example(format!("{}-en-crawled", ad.id), f.title, f.body, Some(job), HEAD_CRAWL));
                }
            }
            Task::JobFraud => {
                for r in data::read_emscad_csv(path, true)? {
                    let positive = r.fraudulent == Some(true);
                    out.push(Example {
                        id: r.job_id.clone(),
                        title: r.title.clone(),
                        body: r.body(),
                        text_body: r.posting(),
                        target: if positive { 1.0 } else { 0.0 },
                        positive,
                        job: Some(r),
                        file: fi,
                        parallel_id: None,
                        only_head: None,
                    });
                }
            }
            Task::Escort => {
                for e in data::read_jsonl(path)? {
                    out.push(Example {
                        id: e.id,
                        title: e.title,
                        text_body: e.body.clone(),
                        body: e.body,
                        job: None,
                        target: e.target,
                        positive: e.positive,
                        file: fi,
                        parallel_id: None,
                        only_head: None,
                    });
                }
            }
        }
    }
    out.extend(parallel);
    Ok(out)
}

/// Whether a job training file is a parallel job set (JSON Lines) rather than EMSCAD CSV.
pub(crate) fn is_parallel_set(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// How many of `ex` (which keep the training-only ones last) are scored, calibrated and reported.
pub(crate) fn reported(ex: &[Example]) -> usize {
    ex.iter().position(Example::train_only).unwrap_or(ex.len())
}

/// Near-duplicate groups of examples.
pub(crate) fn example_groups(task: Task, ex: &[Example], grouping: Grouping) -> Vec<usize> {
    match task {
        Task::JobFraud => {
            let main = reported(ex);
            let recs: Vec<JobRecord> = ex[..main].iter().map(|e| e.job.clone().unwrap_or_default()).collect();
            let mut groups = data::job_groups(&recs, grouping);
            // The versions of one parallel ad are one group, apart from every EMSCAD group.
            let mut next = groups.iter().max().map_or(0, |g| g + 1);
            let mut of_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            for e in &ex[main..] {
                let id = e.parallel_id.as_deref().unwrap_or_default();
                let g = *of_id.entry(id).or_insert_with(|| {
                    next += 1;
                    next - 1
                });
                groups.push(g);
            }
            groups
        }
        Task::Escort => {
            let texts: Vec<String> = ex.iter().map(|e| format!("{} {}", e.title, e.body)).collect();
            data::text_groups(&texts, grouping)
        }
    }
}

/// Features, indicators and labels of a set of examples for one head.
pub(crate) struct Design {
    /// Hashed text features; for a stacked head, those of its first stage.
    pub rows: Vec<Vec<u32>>,
    /// For a stacked head, what its combiner reads of each example (else empty).
    pub metas: Vec<Meta>,
    /// For a stacked head, each example's hashed word counts for the known-ad memory (else empty).
    pub terms: Vec<Terms>,
    /// Row-major `[n, k]`.
    pub ind: Vec<f32>,
    pub k: usize,
    pub y: Vec<f32>,
    pub positive: Vec<bool>,
    /// The examples before this index are scored and reported; those from it on only train (see
    /// [`Example::train_only`]).
    pub main: usize,
    /// Each row's near-duplicate group (the groups of the examples this head reads).
    pub groups: Vec<usize>,
}

impl Design {
    /// The training-only examples, which every fit of this head includes.
    pub(crate) fn train_only(&self) -> std::ops::Range<usize> {
        self.main..self.rows.len()
    }
}

/// The design of `head` over the examples it reads: every reported example, then the training-only
/// examples of this head. `groups` are the examples' groups ([`example_groups`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn design(
    cat: &Catalogue,
    kind: AdKind,
    head: &str,
    feat: FeatureConfig,
    text: bool,
    stacked: bool,
    ex: &[Example],
    groups: &[usize],
) -> Design {
    // The pasted-text head stays a plain hashed n-gram model over title and posting: stacked (with
    // the memory and the combiner's EMSCAD-specific inputs) it scored EMSCAD better but ads written
    // by others worse (see models/job-fraud/MODEL_CARD.md).
    // Training-only examples (parallel job ads) train their one head.
    let main = reported(ex);
    let chosen: Vec<usize> = (0..ex.len()).filter(|&i| ex[i].trains(head)).collect();
    let groups: Vec<usize> = chosen.iter().map(|&i| groups[i]).collect();
    let ex: Vec<&Example> = chosen.iter().map(|&i| &ex[i]).collect();
    let stacked = stacked && text && head != HEAD_TEXT && ex.iter().all(|e| e.job.is_some());
    let kind_ind: Vec<usize> = cat.of_kind(kind).map(|(i, _)| i).collect();
    let k = kind_ind.len();
    // Per example: text-feature row, indicator values, known-ad memory words, combiner inputs.
    type Parts = (Vec<u32>, Vec<f32>, Terms, Option<Meta>);
    let one = |e: &Example| -> Parts {
        // The record each head reads: the whole EMSCAD record, or what a crawl or a paste of the
        // ad would give; indicators see the same title, text and fields as scoring will.
        let view = e.job.as_ref().and_then(|r| match head {
            HEAD_FIELDS => Some(Cow::Borrowed(r)),
            HEAD_CRAWL => Some(Cow::Owned(r.crawl_view())),
            _ => None,
        });
        let crawled = (head == HEAD_CRAWL).then(|| e.job.as_ref().map(JobRecord::crawled_fields)).flatten();
        let body = match (head, &view) {
            (HEAD_FIELDS, _) => e.body.as_str(),
            (_, Some(v)) => v.description.as_deref().unwrap_or_default(),
            (_, None) => e.text_body.as_str(),
        };
        let input = AdInput {
            kind: Some(kind),
            title: &e.title,
            body,
            fields: crawled.as_ref(),
            job: if head == HEAD_FIELDS { e.job.as_ref() } else { None },
            ..Default::default()
        };
        let a = analyse(cat, &input, kind);
        // The `text` head reads a translated ad through the gloss, as scoring does.
        let gloss_lang = a.lang.code.as_deref().filter(|_| kind == AdKind::Job && head == HEAD_TEXT);
        let ind: Vec<f32> =
            kind_ind.iter().map(|ci| if a.hits.iter().any(|h| h.indicator == *ci) { 1.0 } else { 0.0 }).collect();
        let mut terms = Terms::new();
        let mut meta = None;
        let row = if !text {
            Vec::new()
        } else if stacked {
            // One pass gives the text model's row and the known-ad memory's words.
            let rec = view.as_deref().expect("checked above");
            let mut words = Vec::new();
            let row = features::stacked_record_parts(feat, rec, Some(&mut words));
            terms = memory::terms_of(&words);
            meta = Some(combiner::record_meta(rec));
            row
        } else if head == HEAD_FIELDS {
            features::record_row(feat, e.job.as_ref().expect("fields head needs job records"))
        } else {
            features::text_row_in(feat, &e.title, body, gloss_lang)
        };
        (row, ind, terms, meta)
    };
    let parts: Vec<Parts> = redflag_core::par::map(&ex, |e| one(e));
    let mut rows = Vec::with_capacity(ex.len());
    let mut ind = Vec::with_capacity(ex.len() * k);
    let mut terms = Vec::with_capacity(if stacked { ex.len() } else { 0 });
    let mut metas = Vec::with_capacity(if stacked { ex.len() } else { 0 });
    for (r, i, t, m) in parts {
        rows.push(r);
        ind.extend(i);
        if stacked {
            terms.push(t);
            metas.push(m.expect("stacked designs have combiner inputs"));
        }
    }
    Design {
        rows,
        metas,
        terms,
        ind,
        k,
        y: ex.iter().map(|e| e.target).collect(),
        positive: ex.iter().map(|e| e.positive).collect(),
        main,
        groups,
    }
}
