//! The classifier: turns ads into assessments with a calibrated risk and the evidence for every
//! indicator. [`Classifier::assess_batch`] is the bulk path (features in parallel, one candle forward
//! pass per model head); [`Classifier::assess`] scores one ad.

use redflag_core::ad::scoring_text;
use redflag_core::assess::risk_from_probability;
use redflag_core::extract::{ExtractOptions, Extracted};
use redflag_core::lang::{self, LanguageInfo};
use redflag_core::{AdFields, AdKind, Assessment, FiredIndicator, NetworkContext};
use regex::Regex;
use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use crate::catalogue::Catalogue;
use crate::combiner::{self, Meta};
use crate::data::JobRecord;
use crate::error::{Error, Result};
use crate::explain::{self, Phrases};
use crate::features;
use crate::indicators::{self, Hit};
use crate::memory;
use crate::model::{HEAD_CRAWL, HEAD_FIELDS, HEAD_TEXT, Model};

/// The most bytes of an ad that are scored; the rest is ignored. Real ads are a few kilobytes.
pub const MAX_SCORED_BYTES: usize = 256 * 1024;
/// The most bytes of a title that are scored.
pub const MAX_TITLE_BYTES: usize = 2 * 1024;

/// One ad to score. Evidence offsets in the result point into
/// `redflag_core::ad::scoring_text(title, body)` (after the caps of [`MAX_TITLE_BYTES`] and
/// [`MAX_SCORED_BYTES`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct AdInput<'a> {
    /// The ad kind, or `None` to infer it from the text.
    pub kind: Option<AdKind>,
    /// The headline.
    pub title: &'a str,
    /// The main text.
    pub body: &'a str,
    /// The site adapter's fields, when known (company, age, contact, ...).
    pub fields: Option<&'a AdFields>,
    /// Entities already extracted from the ad (offsets into its scoring text); when `None` they are
    /// extracted here.
    pub extracted: Option<&'a Extracted>,
    /// What linking found about the ad's network.
    pub network: Option<NetworkContext>,
    /// The structured columns of an EMSCAD-style job record; when present the `fields` head scores it.
    pub job: Option<&'a JobRecord>,
}

impl<'a> AdInput<'a> {
    /// An ad known by title and body only.
    pub fn new(title: &'a str, body: &'a str) -> Self {
        Self { title, body, ..Default::default() }
    }

    /// An ad as a site adapter delivered it.
    pub fn from_fields(fields: &'a AdFields) -> Self {
        Self { title: &fields.title, body: &fields.body, fields: Some(fields), ..Default::default() }
    }

    /// Sets the kind.
    pub fn with_kind(mut self, kind: AdKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Sets the network context.
    pub fn with_network(mut self, network: NetworkContext) -> Self {
        self.network = Some(network);
        self
    }

    /// Sets pre-extracted entities.
    pub fn with_extracted(mut self, extracted: &'a Extracted) -> Self {
        self.extracted = Some(extracted);
        self
    }
}

/// Scores escort and job ads.
#[derive(Debug, Clone)]
pub struct Classifier {
    catalogue: Arc<Catalogue>,
    job: Arc<Model>,
    escort: Arc<Model>,
}

macro_rules! bundled_model {
    ($dir:literal) => {
        (
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../models/", $dir, "/model.safetensors")).as_slice(),
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../models/", $dir, "/config.json")).as_slice(),
        )
    };
}

/// The directory names of the two models under `models/`.
pub const JOB_MODEL_DIR: &str = "job-fraud";
/// See [`JOB_MODEL_DIR`].
pub const ESCORT_MODEL_DIR: &str = "escort";

impl Classifier {
    /// The classifier with the models compiled into the binary (from the repository's `models/`).
    pub fn bundled() -> Result<Classifier> {
        let catalogue = Catalogue::bundled()?;
        let (w, c) = bundled_model!("job-fraud");
        let job = Model::from_bytes(w, c, &catalogue, "bundled:job-fraud")?;
        let (w, c) = bundled_model!("escort");
        let escort = Model::from_bytes(w, c, &catalogue, "bundled:escort")?;
        Self::from_models(catalogue, job, escort)
    }

    /// Loads retrained models. `dir` is either one model directory (`model.safetensors` and
    /// `config.json`, as written by training; the other kind keeps the bundled model) or a directory
    /// with `job-fraud/` and/or `escort/` model directories.
    pub fn from_dir(dir: &Path) -> Result<Classifier> {
        let mut c = Self::bundled()?;
        let mut found = false;
        let candidates = [dir.to_path_buf(), dir.join(JOB_MODEL_DIR), dir.join(ESCORT_MODEL_DIR)];
        for d in candidates {
            if d.join(crate::model::WEIGHTS_FILE).is_file() {
                let m = Model::load(&d, &c.catalogue)?;
                found = true;
                match m.config.kind {
                    AdKind::Job => c.job = Arc::new(m),
                    AdKind::Escort => c.escort = Arc::new(m),
                }
            }
        }
        if !found {
            return Err(Error::Model {
                location: dir.display().to_string(),
                message: format!(
                    "no {} here or in {JOB_MODEL_DIR}/ or {ESCORT_MODEL_DIR}/",
                    crate::model::WEIGHTS_FILE
                ),
            });
        }
        Ok(c)
    }

    /// A classifier from loaded models.
    pub fn from_models(catalogue: Arc<Catalogue>, job: Model, escort: Model) -> Result<Classifier> {
        if job.config.kind != AdKind::Job || escort.config.kind != AdKind::Escort {
            return Err(Error::Model {
                location: format!("{} / {}", job.label(), escort.label()),
                message: "the job model must score job ads and the escort model escort ads".into(),
            });
        }
        Ok(Classifier { catalogue, job: Arc::new(job), escort: Arc::new(escort) })
    }

    /// The indicator catalogue in use.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The model for an ad kind.
    pub fn model(&self, kind: AdKind) -> &Model {
        match kind {
            AdKind::Job => &self.job,
            AdKind::Escort => &self.escort,
        }
    }

    /// Scores one ad.
    pub fn assess(&self, input: &AdInput<'_>) -> Assessment {
        self.assess_batch(std::slice::from_ref(input)).pop().expect("one input gives one assessment")
    }

    /// Scores many ads: features and indicators on all cores, then one batched forward pass per
    /// model head. The result has one assessment per input, in order.
    pub fn assess_batch(&self, inputs: &[AdInput<'_>]) -> Vec<Assessment> {
        let prepared = self.prepare_all(inputs);
        let mut logits = vec![(0f32, 0f32); prepared.len()];
        // The text logit before a stacked head's combiner, for explanations' what-ifs.
        let mut raw_text = vec![0f32; prepared.len()];
        for (kind, head) in [
            (AdKind::Job, HEAD_FIELDS),
            (AdKind::Job, HEAD_CRAWL),
            (AdKind::Job, HEAD_TEXT),
            (AdKind::Escort, HEAD_TEXT),
        ] {
            let members: Vec<usize> =
                (0..prepared.len()).filter(|&i| prepared[i].kind == kind && prepared[i].head == head).collect();
            if members.is_empty() {
                continue;
            }
            let model = self.model(kind);
            let h = model.head(head);
            // Forward passes in slices keep the temporary tensors small.
            for chunk in members.chunks(4096) {
                let rows: Vec<Vec<u32>> = chunk.iter().map(|&i| prepared[i].row.clone()).collect();
                let ind: Vec<f32> = chunk.iter().flat_map(|&i| prepared[i].ind.iter().copied()).collect();
                let metas: Vec<Option<&Meta>> = chunk.iter().map(|&i| prepared[i].meta.as_ref()).collect();
                let scored = model.raw_logits(h, &rows, &ind).and_then(|mut z| {
                    for (z, &i) in z.iter_mut().zip(chunk) {
                        z.0 += prepared[i].residual;
                    }
                    let raw: Vec<f32> = z.iter().map(|z| z.0).collect();
                    model.combine(h, &mut z, &metas).map(|()| (raw, z))
                });
                match scored {
                    Ok((raw, z)) => {
                        for ((&i, z), r) in chunk.iter().zip(z).zip(raw) {
                            logits[i] = z;
                            raw_text[i] = r;
                        }
                    }
                    Err(e) => {
                        // Only a bug or an allocation failure gets here; score by indicators alone.
                        tracing_fallback(&e);
                        for &i in chunk {
                            logits[i] = (
                                h.bias,
                                prepared[i].ind.iter().zip(&h.indicator_weight).map(|(x, w)| x * w).sum::<f32>(),
                            );
                        }
                    }
                }
            }
        }
        prepared.into_iter().zip(logits).zip(raw_text).map(|((p, z), r)| self.finish(p, z, r)).collect()
    }

    fn prepare_all(&self, inputs: &[AdInput<'_>]) -> Vec<Prepared> {
        redflag_core::par::map(inputs, |i| self.prepare(i))
    }

    fn prepare(&self, input: &AdInput<'_>) -> Prepared {
        let a = analyse(&self.catalogue, input, input.kind.unwrap_or_else(|| infer_kind_of(input)));
        let kind = a.kind;
        let model = self.model(kind);
        let title = &input.title[..a.title_len];
        let body = &input.body[..a.body_len];
        let head = head_for(model, kind, input, &a.lang);
        let h = model.head(head);
        let stacked = h.cfg.combiner.is_some();
        // The record a stacked job head reads: the EMSCAD record itself, or the crawled or pasted ad
        // in the shape its head was trained on.
        let view: Option<Cow<'_, JobRecord>> = match (stacked, head, input.job, input.fields) {
            (true, HEAD_FIELDS, Some(rec), _) => Some(Cow::Borrowed(rec)),
            (true, HEAD_CRAWL, _, Some(fields)) => Some(Cow::Owned(JobRecord::from_crawled(title, body, fields))),
            _ => None,
        };
        // The job model's plain `text` head reads a translated ad through the gloss, so that its
        // English weights see the words the ad would have in English (see `gloss`).
        let gloss_lang = a.lang.code.as_deref().filter(|_| kind == AdKind::Job && head == HEAD_TEXT && !stacked);
        let mut words = Vec::new();
        let keep_words = if h.memory.is_some() { Some(&mut words) } else { None };
        let row = if h.cfg.text_features {
            match (&view, head, input.job) {
                (Some(rec), ..) => features::stacked_record_parts(model.config.features, rec, keep_words),
                (None, HEAD_FIELDS, Some(rec)) => features::record_row(model.config.features, rec),
                _ => features::text_row_in(model.config.features, title, body, gloss_lang),
            }
        } else {
            Vec::new()
        };
        let meta = view.as_deref().map(|rec| {
            let mut m = combiner::record_meta(rec);
            if let Some(mem) = &h.memory {
                // A stacked head without text features has no row pass to share the words of.
                let terms = if h.cfg.text_features { memory::terms_of(&words) } else { memory::record_terms(rec) };
                mem.annotate(&terms, &mut m, |_| false);
            }
            m
        });
        let ind = indicator_vector(model, &a.hits);
        // A translation read through the gloss gets its language's residual.
        let residual =
            gloss_lang.and_then(|l| h.residuals.get(l)).map(|r| (r, r.row(model.config.features, title, body)));
        // The evaluation-only `fields` head reads record columns that are not in the scoring text.
        let phrases = if head == HEAD_FIELDS {
            Phrases::default()
        } else {
            let res = residual.as_ref().map(|(r, rrow)| (*r, rrow.as_slice()));
            explain::phrases(model.config.features, h, title, body, &row, gloss_lang, res)
        };
        let residual = residual.map_or(0.0, |(r, rrow)| r.value(&rrow));
        Prepared { kind, head, lang: a.lang, hits: a.hits, row, ind, meta, phrases, residual }
    }

    fn finish(&self, p: Prepared, z: (f32, f32), raw_text: f32) -> Assessment {
        let model = self.model(p.kind);
        let h = model.head(p.head);
        let probability = model.probability(h, z.0, z.1);
        let explanations = explain::explain(model, h, &p.phrases, raw_text, p.meta.as_ref());
        let mut fired: Vec<FiredIndicator> = p
            .hits
            .into_iter()
            .map(|hit: Hit| {
                let ind = &self.catalogue.indicators[hit.indicator];
                let w = model
                    .kind_indicators
                    .iter()
                    .position(|&ci| ci == hit.indicator)
                    .map(|k| h.indicator_weight[k])
                    .unwrap_or(0.0);
                FiredIndicator {
                    id: ind.id.clone(),
                    description: ind.description.clone(),
                    weight: w,
                    evidence: hit.evidence,
                    note: hit.note,
                }
            })
            .chain(explanations)
            .collect();
        fired.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
        Assessment {
            kind: p.kind,
            probability,
            risk: risk_from_probability(probability),
            verdict: Model::verdict(h, probability),
            language: p.lang.code.clone(),
            language_supported: p.lang.supported,
            indicators: fired,
            model: model.label(),
        }
    }
}

/// The head that scores an ad: an EMSCAD record goes to `fields`; a job ad delivered by a site
/// adapter (with its employer, city and pay fields, found or not) to `crawl` when it is in English (or
/// too short to tell); anything else (pasted text, title and body alone, and crawled ads in other
/// languages) to `text`. The `crawl` head's known-ad memory and combiner were fitted on English ads:
/// an ad in another language resembles none of them, which that head reads as fraud (on the blind
/// five-language sets it called nearly every Spanish and Portuguese ad "likely fraudulent"), while
/// the plain `text` head degrades gracefully. A head the model lacks falls back to `text`.
fn head_for(model: &Model, kind: AdKind, input: &AdInput<'_>, lang: &LanguageInfo) -> &'static str {
    if kind != AdKind::Job {
        return HEAD_TEXT;
    }
    if input.job.is_some() && model.has_head(HEAD_FIELDS) {
        return HEAD_FIELDS;
    }
    let english = lang.code.as_deref().is_none_or(|c| c == "en");
    if english && input.fields.is_some() && model.has_head(HEAD_CRAWL) { HEAD_CRAWL } else { HEAD_TEXT }
}

fn tracing_fallback(e: &Error) {
    tracing::error!(error = %e, "forward pass failed, scoring by indicators only");
}

struct Prepared {
    kind: AdKind,
    head: &'static str,
    lang: LanguageInfo,
    hits: Vec<Hit>,
    row: Vec<u32>,
    ind: Vec<f32>,
    meta: Option<Meta>,
    /// The passages that moved the text model most (see [`explain`]).
    phrases: Phrases,
    /// What the language's residual adds to the text logit (see [`crate::residual`]).
    residual: f32,
}

/// What the text analysis of one ad found.
pub(crate) struct Analysis {
    pub kind: AdKind,
    pub lang: LanguageInfo,
    pub hits: Vec<Hit>,
    /// The scored prefix lengths of title and body (after the caps).
    pub title_len: usize,
    pub body_len: usize,
}

fn capped<'a>(input: &AdInput<'a>) -> (&'a str, &'a str) {
    let title = redflag_core::text::truncate_bytes(input.title, MAX_TITLE_BYTES);
    let body_cap = MAX_SCORED_BYTES.saturating_sub(title.len() + 2);
    (title, redflag_core::text::truncate_bytes(input.body, body_cap))
}

fn infer_kind_of(input: &AdInput<'_>) -> AdKind {
    let (title, body) = capped(input);
    let head = redflag_core::text::truncate_bytes(body, 4096);
    infer_kind(&scoring_text(title, head))
}

/// Detects the language and finds the indicators of `kind` in an ad.
pub(crate) fn analyse(cat: &Catalogue, input: &AdInput<'_>, kind: AdKind) -> Analysis {
    let (title, body) = capped(input);
    let text = scoring_text(title, body);
    let lang = lang::identify(&text);
    // Entity extraction costs more than the rest of scoring together; job indicators do not need it
    // (their phrase patterns name the apps), so only escort ads are extracted here when the caller
    // has not done it already.
    let own_extracted;
    let extracted = match input.extracted {
        Some(e) => e,
        None => {
            own_extracted = if kind == AdKind::Escort {
                redflag_core::extract::extract(&text, &ExtractOptions::default())
            } else {
                Extracted::default()
            };
            &own_extracted
        }
    };
    let ctx = indicators::Context {
        kind,
        text: &text,
        lang: &lang,
        fields: input.fields,
        extracted,
        network: input.network,
        job: input.job,
    };
    let hits = indicators::find(cat, &ctx);
    Analysis { kind, lang, hits, title_len: title.len(), body_len: body.len() }
}

/// The 0/1 indicator vector of an ad, in the model's indicator order.
pub(crate) fn indicator_vector(model: &Model, hits: &[Hit]) -> Vec<f32> {
    model.kind_indicators.iter().map(|ci| if hits.iter().any(|h| h.indicator == *ci) { 1.0 } else { 0.0 }).collect()
}

static ESCORT_CUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?-u:\b)(?:escorts?|companions?(?:hip)?|incall|outcall|in-call|out-call|gfe|massages?|dinner\s+dates?|",
        r"sensual|discreet\s+(?:fun|encounters?|meetings?)|donations?|roses|acompa[ñn]antes?|damas?\s+de\s+compa[ñn][ií]a|",
        r"masajes?|massagem|accompagnatrices?|pijat|open\s+bo|booking\s+order|call\s+girls?|hotel\s+visits?|",
        r"short\s+time|overnight|1\s*hr|one\s+hour)(?-u:\b)",
    ))
    .expect("static regex compiles")
});

static JOB_CUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?-u:\b)(?:jobs?|hiring|vacanc(?:y|ies)|positions?|salary|salaries|wages?|apply|applicants?|candidates?|resume|cv|",
        r"employer|employment|recruit\w*|experience|responsibilities|requirements|benefits|",
        r"empleos?|trabajo|vacantes?|sueldo|salario|postula\w*|emplois?|poste|salaire|candidature|recrutement|",
        r"vagas?|emprego|sal[áa]rio|curr[ií]culo|lowongan|loker|kerja|gaji|pekerjaan|pelamar)(?-u:\b)",
    ))
    .expect("static regex compiles")
});

/// Guesses the kind of an ad from its words: escort when escort-ad vocabulary outweighs job vocabulary,
/// job otherwise (the job-seeker check is the common case for unlabelled text).
pub fn infer_kind(text: &str) -> AdKind {
    let sample = redflag_core::text::truncate_bytes(text, 4096);
    let escort = ESCORT_CUES.find_iter(sample).count();
    let job = JOB_CUES.find_iter(sample).count();
    if escort > job { AdKind::Escort } else { AdKind::Job }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_can_be_shared_across_threads() {
        fn shared<T: Send + Sync + Clone + 'static>() {}
        shared::<Classifier>();
    }

    #[test]
    fn kind_is_inferred_from_vocabulary() {
        assert_eq!(infer_kind("Sweet companion, incall and outcall, dinner dates"), AdKind::Escort);
        assert_eq!(infer_kind("Hiring warehouse staff, salary $15/hr, apply now"), AdKind::Job);
        assert_eq!(infer_kind("Lowongan kerja pelayan, gaji UMR"), AdKind::Job);
        assert_eq!(infer_kind(""), AdKind::Job);
    }
}
