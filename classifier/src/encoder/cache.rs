//! Embeddings of labelled job ads kept in a file, so that heads can be trained on them without
//! running the encoder again: a safetensors file with `embeddings` (f32 `[ads, dim]`) and `labels`
//! (u8 `[ads]`, 1 = fraudulent), and in its metadata the ads' ids (`ids`, a JSON array), the data file
//! they came from (`source`), what text was embedded (`text`) and with which prefix (`prefix`).

use super::{Encoder, Prefix};
use crate::data::JobRecord;
use crate::error::{Error, Result};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use std::collections::HashMap;
use std::path::Path;

/// What [`job_ad_text`] embeds, recorded in the cache.
pub const JOB_AD_TEXT: &str = "title, blank line, posting (description, requirements, benefits)";

/// Embeddings of labelled ads, one row per ad.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingCache {
    /// The ads' ids in the data file.
    pub ids: Vec<String>,
    /// Whether each ad is fraudulent.
    pub labels: Vec<bool>,
    /// The embedding dimension.
    pub dim: usize,
    /// `ids.len() × dim` numbers, row by row.
    pub vectors: Vec<f32>,
    /// The data file the ads came from.
    pub source: String,
}

/// The text of a job ad as a job seeker pastes it and the `text` head reads it: the title, a blank
/// line and the posting (description, requirements, benefits; no company profile).
pub fn job_ad_text(r: &JobRecord) -> String {
    redflag_core::ad::scoring_text(&r.title, &r.posting())
}

impl EmbeddingCache {
    /// Embeds labelled job ads in batches of `batch`, calling `progress` with the number done so far.
    pub fn embed_jobs(
        encoder: &Encoder,
        records: &[JobRecord],
        source: &str,
        batch: usize,
        mut progress: impl FnMut(usize),
    ) -> Result<Self> {
        let dim = encoder.dim();
        let mut vectors = Vec::with_capacity(records.len() * dim);
        for (i, chunk) in records.chunks(batch.max(1)).enumerate() {
            let texts: Vec<String> = chunk.iter().map(job_ad_text).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            for v in encoder.embed_batch(&refs, Prefix::Passage)? {
                vectors.extend(v);
            }
            progress((i * batch.max(1) + chunk.len()).min(records.len()));
        }
        Ok(EmbeddingCache {
            ids: records.iter().map(|r| r.job_id.clone()).collect(),
            labels: records.iter().map(|r| r.fraudulent == Some(true)).collect(),
            dim,
            vectors,
            source: source.to_string(),
        })
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.vectors[i * self.dim..(i + 1) * self.dim]
    }

    /// Writes the cache to `path`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Model { location: path.display().to_string(), message };
        let n = self.ids.len();
        if self.labels.len() != n || self.vectors.len() != n * self.dim {
            return Err(bad("ids, labels and vectors differ in length".into()));
        }
        let vec_bytes: Vec<u8> = self.vectors.iter().flat_map(|x| x.to_le_bytes()).collect();
        let label_bytes: Vec<u8> = self.labels.iter().map(|&l| u8::from(l)).collect();
        let tensors = [
            ("embeddings", TensorView::new(Dtype::F32, vec![n, self.dim], &vec_bytes).map_err(|e| bad(e.to_string()))?),
            ("labels", TensorView::new(Dtype::U8, vec![n], &label_bytes).map_err(|e| bad(e.to_string()))?),
        ];
        let meta = HashMap::from([
            ("ids".to_string(), serde_json::to_string(&self.ids).map_err(|e| bad(e.to_string()))?),
            ("source".to_string(), self.source.clone()),
            ("text".to_string(), JOB_AD_TEXT.to_string()),
            ("prefix".to_string(), "passage: ".to_string()),
        ]);
        safetensors::tensor::serialize_to_file(tensors, Some(meta), path).map_err(|e| bad(e.to_string()))
    }

    /// Reads a cache written by [`EmbeddingCache::write`].
    pub fn read(path: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model { location: path.display().to_string(), message };
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let st = SafeTensors::deserialize(&bytes).map_err(|e| bad(format!("not an embedding cache: {e}")))?;
        let (_, header) = SafeTensors::read_metadata(&bytes).map_err(|e| bad(e.to_string()))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let ids: Vec<String> = serde_json::from_str(meta.get("ids").ok_or_else(|| bad("no ids".into()))?)
            .map_err(|e| bad(format!("ids: {e}")))?;
        let emb = st.tensor("embeddings").map_err(|e| bad(e.to_string()))?;
        let labels = st.tensor("labels").map_err(|e| bad(e.to_string()))?;
        let (n, dim) = match emb.shape() {
            [n, d] if emb.dtype() == Dtype::F32 => (*n, *d),
            s => return Err(bad(format!("embeddings have shape {s:?}"))),
        };
        if n != ids.len() || labels.shape() != [n] || labels.dtype() != Dtype::U8 {
            return Err(bad("ids, labels and embeddings differ in length".into()));
        }
        Ok(EmbeddingCache {
            ids,
            labels: labels.data().iter().map(|&b| b != 0).collect(),
            dim,
            vectors: emb.data().chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
            source: meta.get("source").cloned().unwrap_or_default(),
        })
    }
}
