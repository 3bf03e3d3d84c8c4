//! Model files and the batched forward pass.
//!
//! A model directory holds `model.safetensors` (all numeric parameters) and `config.json` (feature
//! settings, indicator order, priors, thresholds and training provenance). A model has one or more
//! heads, each a logistic layer over
//!
//! - hashed text features (see [`crate::features`]), a sparse dot product computed in candle as an
//!   `index_select` of the weights, scaled and summed per ad with `index_add`;
//! - the indicators of the catalogue, one weight each;
//! - a bias;
//!
//! followed by Platt calibration (`slope`, `intercept`) of the text part `z` (bias and text
//! features), fitted on out-of-fold predictions, and a shift from the training mix's class prior to
//! the real one. Indicator weights are log-odds on the scale of their evidence and are added as they
//! are: `p = σ(slope·z + intercept + Σ indicator weights + logit(target_prior) − logit(train_prior))`.
//!
//! A head may be **stacked**: then the text part `z` above is not the text logit itself but the
//! output of a combiner (see [`crate::combiner`]), a logistic layer over the thermometer-encoded text
//! logit and the ad's structured fields: `z = combiner_bias + combiner_weight · φ(text logit, fields)`.
//!
//! Heads: `fields` reads job ads with the EMSCAD columns, `text` reads title and body only (crawled
//! and pasted ads). Tensors are named `<head>.text_weight` `[2^hash_bits]`, `<head>.indicator_weight`
//! `[K]`, `<head>.bias` `[1]` and `<head>.calibration` `[2]`, and for a stacked head
//! `<head>.combiner_weight` `[M]` and `<head>.combiner_bias` `[1]`.

use candle_core::{DType, Device, Tensor};
use redflag_core::{AdKind, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::catalogue::Catalogue;
use crate::combiner::{CombinerConfig, Meta};
use crate::error::{Error, Result};
use crate::features::FeatureConfig;
use crate::memory::AdMemory;
use crate::residual::Residual;

/// The file format version this code reads and writes.
pub const FORMAT: u32 = 1;

/// The file names inside a model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// See [`WEIGHTS_FILE`].
pub const CONFIG_FILE: &str = "config.json";

/// Head names.
pub const HEAD_FIELDS: &str = "fields";
/// See [`HEAD_FIELDS`]. Scores job ads known by title and text alone (the check, pasted text).
pub const HEAD_TEXT: &str = "text";
/// See [`HEAD_FIELDS`]. Scores crawled job ads: title, body and the site adapter's employer, city
/// and pay fields.
pub const HEAD_CRAWL: &str = "crawl";

/// Settings of one head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadConfig {
    /// Whether the head reads hashed text features (else indicators only).
    pub text_features: bool,
    /// Probability at or above which the verdict is "likely fraudulent" (the operating threshold).
    pub threshold: f64,
    /// Probability at or above which the verdict is at least "suspicious".
    pub suspicious_threshold: f64,
    /// The second stage of a stacked head.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combiner: Option<CombinerConfig>,
    /// The size in bits of the head's per-language residual tables (see [`crate::residual`]), when
    /// it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_bits: Option<u32>,
}

impl HeadConfig {
    /// Whether each ad's hashed features are scaled to unit length (plain heads) or each counts 1
    /// (stacked heads, whose first stage has its naive-Bayes scale folded into the weights).
    pub fn unit_rows(&self) -> bool {
        self.combiner.is_none()
    }
}

/// The metadata of a model, stored as `config.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// File format version.
    pub format: u32,
    /// `job-fraud` or `escort`.
    pub name: String,
    /// A version label, shown in assessments as `name@version`.
    pub version: String,
    /// The ad kind the model scores.
    pub kind: AdKind,
    /// How text becomes features.
    pub features: FeatureConfig,
    /// The indicator ids, in the order of `<head>.indicator_weight`.
    pub indicator_ids: Vec<String>,
    /// Share of positives in the training mix (the prior the raw scores assume).
    pub train_prior: f64,
    /// The prior the shown probability assumes (4.84 % for EMSCAD job fraud).
    pub target_prior: f64,
    /// The heads by name.
    pub heads: BTreeMap<String, HeadConfig>,
    /// Where the model came from: data, options and cross-validation figures.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// The numbers of one head, as plain vectors (what training produces and saving writes).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadParams {
    /// Hashed text weights (`2^hash_bits`), if the head reads text.
    pub text_weight: Option<Vec<f32>>,
    /// One weight per entry of [`ModelConfig::indicator_ids`].
    pub indicator_weight: Vec<f32>,
    /// Bias.
    pub bias: f32,
    /// Platt slope.
    pub slope: f32,
    /// Platt intercept.
    pub intercept: f32,
    /// The combiner's weights (`CombinerConfig::dim()`), for a stacked head.
    pub combiner_weight: Option<Vec<f32>>,
    /// The combiner's bias.
    pub combiner_bias: f32,
    /// The known-ad memory of a stacked head that keeps one.
    pub memory: Option<AdMemory>,
}

/// A loaded head, ready to score.
#[derive(Debug)]
pub(crate) struct Head {
    pub cfg: HeadConfig,
    text_weight: Option<Tensor>,
    /// The same weights on the CPU, read by explanations one bucket at a time.
    pub text_weight_values: Option<Vec<f32>>,
    /// Weights aligned with the model's `kind_indicators` (catalogue order).
    pub indicator_weight: Vec<f32>,
    indicator_tensor: Tensor,
    pub bias: f32,
    pub slope: f32,
    pub intercept: f32,
    /// `[M, 1]`, for a stacked head.
    combiner_weight: Option<Tensor>,
    /// The same weights on the CPU, for explanations' what-if scores.
    pub combiner_weight_values: Option<Vec<f32>>,
    pub combiner_bias: f32,
    /// The known-ad memory, for a stacked head that keeps one.
    pub memory: Option<AdMemory>,
    /// Per-language residuals of the text part, by language code (see [`crate::residual`]).
    pub residuals: BTreeMap<String, Residual>,
}

/// A model ready to score ads of one kind.
#[derive(Debug)]
pub struct Model {
    /// The metadata.
    pub config: ModelConfig,
    heads: BTreeMap<String, Head>,
    /// The catalogue indices of the indicators of this kind, in the order heads use.
    pub(crate) kind_indicators: Vec<usize>,
    prior_shift: f32,
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

impl Model {
    /// Builds a model from parameters (after training, or from the catalogue priors).
    pub fn from_params(config: ModelConfig, params: &BTreeMap<String, HeadParams>, cat: &Catalogue) -> Result<Model> {
        let location = format!("{}@{}", config.name, config.version);
        let mut tensors = HashMap::new();
        for (name, p) in params {
            if let Some(w) = &p.text_weight {
                tensors.insert(format!("{name}.text_weight"), Tensor::from_slice(w, w.len(), &Device::Cpu)?);
            }
            tensors.insert(
                format!("{name}.indicator_weight"),
                Tensor::from_slice(&p.indicator_weight, p.indicator_weight.len(), &Device::Cpu)?,
            );
            tensors.insert(format!("{name}.bias"), Tensor::from_slice(&[p.bias], 1, &Device::Cpu)?);
            tensors
                .insert(format!("{name}.calibration"), Tensor::from_slice(&[p.slope, p.intercept], 2, &Device::Cpu)?);
            if let Some(w) = &p.combiner_weight {
                tensors.insert(format!("{name}.combiner_weight"), Tensor::from_slice(w, w.len(), &Device::Cpu)?);
                tensors
                    .insert(format!("{name}.combiner_bias"), Tensor::from_slice(&[p.combiner_bias], 1, &Device::Cpu)?);
            }
            if let Some(m) = &p.memory {
                m.to_tensors(name, &mut tensors)?;
            }
        }
        Self::from_tensors(config, tensors, cat, &location)
    }

    fn from_tensors(
        config: ModelConfig,
        mut tensors: HashMap<String, Tensor>,
        cat: &Catalogue,
        location: &str,
    ) -> Result<Model> {
        let bad = |m: String| Error::Model { location: location.to_string(), message: m };
        if config.format != FORMAT {
            return Err(bad(format!("format {} is not supported (expected {FORMAT})", config.format)));
        }
        if config.features.hash_bits == 0 || config.features.hash_bits > 24 {
            return Err(bad(format!("hash_bits {} out of range 1..=24", config.features.hash_bits)));
        }
        if !(0.0..1.0).contains(&config.train_prior) || !(0.0..1.0).contains(&config.target_prior) {
            return Err(bad("priors must be in (0, 1)".into()));
        }
        let kind_indicators: Vec<usize> = cat.of_kind(config.kind).map(|(i, _)| i).collect();
        let dim = config.features.dim();
        let mut heads = BTreeMap::new();
        for (name, hc) in &config.heads {
            let mut take = |suffix: &str| tensors.remove(&format!("{name}.{suffix}"));
            let vec1 = |t: Option<Tensor>, what: &str| -> Result<Vec<f32>> {
                let t = t.ok_or_else(|| bad(format!("tensor {name}.{what} is missing")))?;
                Ok(t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?)
            };
            let text_weight = match (hc.text_features, take("text_weight")) {
                (true, Some(t)) => {
                    let t = t.to_dtype(DType::F32)?.flatten_all()?;
                    if t.dims1()? != dim {
                        return Err(bad(format!("{name}.text_weight has {} entries, expected {dim}", t.dims1()?)));
                    }
                    Some(t)
                }
                (true, None) => return Err(bad(format!("tensor {name}.text_weight is missing"))),
                (false, _) => None,
            };
            let stored = vec1(take("indicator_weight"), "indicator_weight")?;
            if stored.len() != config.indicator_ids.len() {
                return Err(bad(format!(
                    "{name}.indicator_weight has {} entries but config lists {} indicators",
                    stored.len(),
                    config.indicator_ids.len()
                )));
            }
            let bias = vec1(take("bias"), "bias")?;
            let cal = vec1(take("calibration"), "calibration")?;
            if bias.len() != 1 || cal.len() != 2 {
                return Err(bad(format!("{name}: bias must have 1 entry and calibration 2")));
            }
            // Indicators added to the catalogue after training keep their prior weight.
            let indicator_weight: Vec<f32> = kind_indicators
                .iter()
                .map(|&ci| {
                    let id = &cat.indicators[ci].id;
                    config
                        .indicator_ids
                        .iter()
                        .position(|x| x == id)
                        .map(|p| stored[p])
                        .unwrap_or(cat.indicators[ci].weight)
                })
                .collect();
            if indicator_weight.iter().chain(&bias).chain(&cal).any(|x| !x.is_finite()) {
                return Err(bad(format!("{name}: non-finite parameter")));
            }
            let text_weight_values = text_weight.as_ref().map(Tensor::to_vec1::<f32>).transpose()?;
            let (combiner_weight, combiner_weight_values, combiner_bias) = match &hc.combiner {
                Some(cc) => {
                    let w = vec1(take("combiner_weight"), "combiner_weight")?;
                    let b = vec1(take("combiner_bias"), "combiner_bias")?;
                    if w.len() != cc.dim() || b.len() != 1 {
                        return Err(bad(format!(
                            "{name}.combiner_weight has {} entries, expected {} (and one bias)",
                            w.len(),
                            cc.dim()
                        )));
                    }
                    if w.iter().chain(&b).any(|x| !x.is_finite()) {
                        return Err(bad(format!("{name}: non-finite combiner parameter")));
                    }
                    (Some(Tensor::from_slice(&w, (w.len(), 1), &Device::Cpu)?), Some(w), b[0])
                }
                None => (None, None, 0.0),
            };
            let memory = AdMemory::from_tensors(name, &mut tensors, location)?;
            if memory.is_some() && hc.combiner.is_none() {
                return Err(bad(format!("{name}: a known-ad memory needs a combiner")));
            }
            let mut residuals = BTreeMap::new();
            if let Some(bits) = hc.residual_bits {
                for lang in crate::gloss::LANGUAGES {
                    if let Some(t) = tensors.remove(&format!("{name}.residual.{lang}")) {
                        let table = t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
                        let r = Residual::from_table(bits, table)
                            .map_err(|m| bad(format!("{name}.residual.{lang}: {m}")))?;
                        residuals.insert(lang.to_string(), r);
                    }
                }
            }
            let k = indicator_weight.len();
            let indicator_tensor = Tensor::from_slice(&indicator_weight, (k, 1), &Device::Cpu)?;
            heads.insert(
                name.clone(),
                Head {
                    cfg: hc.clone(),
                    text_weight,
                    text_weight_values,
                    indicator_weight,
                    indicator_tensor,
                    bias: bias[0],
                    slope: cal[0],
                    intercept: cal[1],
                    combiner_weight,
                    combiner_weight_values,
                    combiner_bias,
                    memory,
                    residuals,
                },
            );
        }
        if !heads.contains_key(HEAD_TEXT) {
            return Err(bad(format!("a model needs a {HEAD_TEXT:?} head")));
        }
        let prior_shift = (logit(config.target_prior) - logit(config.train_prior)) as f32;
        Ok(Model { config, heads, kind_indicators, prior_shift })
    }

    /// Loads a model from the bytes of its two files.
    pub fn from_bytes(weights: &[u8], config_json: &[u8], cat: &Catalogue, location: &str) -> Result<Model> {
        let config: ModelConfig = serde_json::from_slice(config_json)
            .map_err(|e| Error::Model { location: location.to_string(), message: format!("{CONFIG_FILE}: {e}") })?;
        let tensors = candle_core::safetensors::load_buffer(weights, &Device::Cpu)
            .map_err(|e| Error::Model { location: location.to_string(), message: format!("{WEIGHTS_FILE}: {e}") })?;
        Self::from_tensors(config, tensors, cat, location)
    }

    /// Loads a model directory.
    pub fn load(dir: &Path, cat: &Catalogue) -> Result<Model> {
        let w = std::fs::read(dir.join(WEIGHTS_FILE)).map_err(|e| Error::io(dir.join(WEIGHTS_FILE), e))?;
        let c = std::fs::read(dir.join(CONFIG_FILE)).map_err(|e| Error::io(dir.join(CONFIG_FILE), e))?;
        Self::from_bytes(&w, &c, cat, &dir.display().to_string())
    }

    /// Writes the model's two files into `dir` (created if needed).
    pub fn save(&self, dir: &Path, cat: &Catalogue) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        for (name, h) in &self.heads {
            if let Some(t) = &h.text_weight {
                tensors.insert(format!("{name}.text_weight"), t.clone());
            }
            // Stored in the order of `config.indicator_ids`.
            let w: Vec<f32> = self
                .config
                .indicator_ids
                .iter()
                .map(|id| {
                    self.kind_indicators
                        .iter()
                        .position(|&ci| &cat.indicators[ci].id == id)
                        .map(|p| h.indicator_weight[p])
                        .unwrap_or(0.0)
                })
                .collect();
            tensors.insert(format!("{name}.indicator_weight"), Tensor::from_slice(&w, w.len(), &Device::Cpu)?);
            tensors.insert(format!("{name}.bias"), Tensor::from_slice(&[h.bias], 1, &Device::Cpu)?);
            tensors
                .insert(format!("{name}.calibration"), Tensor::from_slice(&[h.slope, h.intercept], 2, &Device::Cpu)?);
            if let Some(w) = &h.combiner_weight {
                tensors.insert(format!("{name}.combiner_weight"), w.flatten_all()?);
                tensors
                    .insert(format!("{name}.combiner_bias"), Tensor::from_slice(&[h.combiner_bias], 1, &Device::Cpu)?);
            }
            if let Some(m) = &h.memory {
                m.to_tensors(name, &mut tensors)?;
            }
            for (lang, r) in &h.residuals {
                let t = r.table();
                tensors.insert(format!("{name}.residual.{lang}"), Tensor::from_slice(t, t.len(), &Device::Cpu)?);
            }
        }
        let wpath = dir.join(WEIGHTS_FILE);
        candle_core::safetensors::save(&tensors, &wpath).map_err(|e| Error::Model {
            location: dir.display().to_string(),
            message: format!("cannot write {}: {e}", wpath.display()),
        })?;
        let cpath = dir.join(CONFIG_FILE);
        let mut json = serde_json::to_string_pretty(&self.config).expect("config serialises");
        json.push('\n');
        std::fs::write(&cpath, json).map_err(|e| Error::io(cpath, e))?;
        Ok(())
    }

    /// `name@version`.
    pub fn label(&self) -> String {
        format!("{}@{}", self.config.name, self.config.version)
    }

    /// Replaces a head's per-language residuals (fitted by [`crate::residual::fit`] on parallel ads
    /// scored without them); all must have the same size. An empty map removes them.
    pub fn set_residuals(&mut self, head: &str, residuals: BTreeMap<String, Residual>) -> Result<()> {
        let location = self.label();
        let h = self.heads.get_mut(head).ok_or_else(|| Error::Model {
            location: location.clone(),
            message: format!("no head {head:?} to give residuals"),
        })?;
        let bits: Vec<u32> = residuals.values().map(Residual::bits).collect();
        if bits.windows(2).any(|w| w[0] != w[1]) {
            return Err(Error::Model { location, message: "residual tables of different sizes".into() });
        }
        if let Some(lang) = residuals.keys().find(|l| !crate::gloss::LANGUAGES.contains(&l.as_str())) {
            return Err(Error::Model {
                location,
                message: format!("no residual for language {lang:?}: not a glossed language"),
            });
        }
        let bits = bits.first().copied();
        h.cfg.residual_bits = bits;
        if let Some(c) = self.config.heads.get_mut(head) {
            c.residual_bits = bits;
        }
        h.residuals = residuals;
        Ok(())
    }

    /// Puts `other`'s head `name` in place of this model's (or beside its heads): for a head retrained
    /// alone (`TrainOptions::heads`). Both models must read the same features and assume the same
    /// priors, so that the head scores as it did in `other`, except that an indicator this model
    /// does not list (`config.indicator_ids`, e.g. one added to the catalogue since it was trained)
    /// keeps no weight in the moved head either, as in this model's other heads.
    pub fn take_head(&mut self, name: &str, mut other: Model, cat: &Catalogue) -> Result<()> {
        let same = self.config.kind == other.config.kind
            && self.config.features == other.config.features
            && self.kind_indicators == other.kind_indicators
            && self.prior_shift == other.prior_shift;
        let location = self.label();
        if !same {
            return Err(Error::Model {
                location,
                message: format!(
                    "{} reads other features, indicators or priors; its head {name:?} cannot be moved here",
                    other.label()
                ),
            });
        }
        let (Some(mut head), Some(cfg)) = (other.heads.remove(name), other.config.heads.remove(name)) else {
            return Err(Error::Model { location, message: format!("{} has no head {name:?}", other.label()) });
        };
        let mut dropped = false;
        for (p, &ci) in self.kind_indicators.iter().enumerate() {
            if !self.config.indicator_ids.contains(&cat.indicators[ci].id) && head.indicator_weight[p] != 0.0 {
                head.indicator_weight[p] = 0.0;
                dropped = true;
            }
        }
        if dropped {
            let k = head.indicator_weight.len();
            head.indicator_tensor = Tensor::from_slice(&head.indicator_weight, (k, 1), &Device::Cpu)?;
        }
        self.heads.insert(name.to_string(), head);
        self.config.heads.insert(name.to_string(), cfg);
        Ok(())
    }

    /// Whether the model has a head by that name.
    pub fn has_head(&self, name: &str) -> bool {
        self.heads.contains_key(name)
    }

    pub(crate) fn head(&self, name: &str) -> &Head {
        self.heads.get(name).or_else(|| self.heads.get(HEAD_TEXT)).expect("a text head is checked on load")
    }

    /// Raw logits for a batch as (text part, indicator part): `rows[i]` are ad i's feature buckets,
    /// `indicators` is row-major `[n, K]` with K = the number of indicators of the model's kind.
    pub(crate) fn raw_logits(&self, head: &Head, rows: &[Vec<u32>], indicators: &[f32]) -> Result<Vec<(f32, f32)>> {
        let n = rows.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let k = head.indicator_weight.len();
        let dev = Device::Cpu;
        let ind = if k > 0 {
            Tensor::from_slice(indicators, (n, k), &dev)?
                .matmul(&head.indicator_tensor)?
                .reshape(n)?
                .to_vec1::<f32>()?
        } else {
            vec![0.0; n]
        };
        let mut z = Tensor::zeros(n, DType::F32, &dev)?;
        if let Some(w) = &head.text_weight {
            let nnz: usize = rows.iter().map(Vec::len).sum();
            if nnz > 0 {
                let mut idx = Vec::with_capacity(nnz);
                let mut row = Vec::with_capacity(nnz);
                let mut val = Vec::with_capacity(nnz);
                for (r, buckets) in rows.iter().enumerate() {
                    let v = if head.cfg.unit_rows() { 1.0 / (buckets.len().max(1) as f32).sqrt() } else { 1.0 };
                    for b in buckets {
                        idx.push(*b);
                        row.push(r as u32);
                        val.push(v);
                    }
                }
                let idx = Tensor::from_vec(idx, nnz, &dev)?;
                let row = Tensor::from_vec(row, nnz, &dev)?;
                let val = Tensor::from_vec(val, nnz, &dev)?;
                let contrib = w.index_select(&idx, 0)?.mul(&val)?;
                let text = Tensor::zeros(n, DType::F32, &dev)?.index_add(&row, &contrib, 0)?;
                z = z.add(&text)?;
            }
        }
        let z = (z + f64::from(head.bias))?;
        Ok(z.to_vec1::<f32>()?.into_iter().zip(ind).collect())
    }

    /// For a stacked head, replaces each ad's text logit by the combiner's output over it and the ad's
    /// structured fields (`metas[i]`; an ad without them is scored by its text logit alone through
    /// the combiner). A head without a combiner returns the logits unchanged.
    pub(crate) fn combine(&self, head: &Head, logits: &mut [(f32, f32)], metas: &[Option<&Meta>]) -> Result<()> {
        let (Some(cc), Some(w)) = (&head.cfg.combiner, &head.combiner_weight) else { return Ok(()) };
        let n = logits.len();
        if n == 0 {
            return Ok(());
        }
        let enc = cc.encoder();
        let empty = Meta::default();
        let mut phi = Vec::with_capacity(n * cc.dim());
        for (z, m) in logits.iter().zip(metas) {
            enc.encode_into(z.0, m.unwrap_or(&empty), &mut phi);
        }
        let z = Tensor::from_vec(phi, (n, cc.dim()), &Device::Cpu)?.matmul(w)?.reshape(n)?.to_vec1::<f32>()?;
        for (l, z) in logits.iter_mut().zip(z) {
            l.0 = z + head.combiner_bias;
        }
        Ok(())
    }

    /// The combiner's output for one ad (the text logit a stacked head passes on), computed on the CPU;
    /// a head without a combiner passes its raw text logit through. Explanations ask it "what if".
    pub(crate) fn combine_one(&self, head: &Head, raw_text: f32, meta: &Meta) -> f32 {
        let (Some(cc), Some(w)) = (&head.cfg.combiner, &head.combiner_weight_values) else { return raw_text };
        let mut phi = Vec::with_capacity(cc.dim());
        cc.encoder().encode_into(raw_text, meta, &mut phi);
        phi.iter().zip(w).map(|(x, w)| x * w).sum::<f32>() + head.combiner_bias
    }

    /// The shown probability for the text and indicator parts of a raw logit.
    pub(crate) fn probability(&self, head: &Head, text: f32, indicators: f32) -> f32 {
        let t = head.slope * text + head.intercept + indicators + self.prior_shift;
        if t.is_nan() {
            return 0.0;
        }
        1.0 / (1.0 + (-t).exp())
    }

    /// The verdict for a probability under a head's thresholds.
    pub(crate) fn verdict(head: &Head, p: f32) -> Verdict {
        let p = f64::from(p);
        if p >= head.cfg.threshold {
            Verdict::LikelyFraudulent
        } else if p >= head.cfg.suspicious_threshold {
            Verdict::Suspicious
        } else {
            Verdict::LikelyLegitimate
        }
    }
}
