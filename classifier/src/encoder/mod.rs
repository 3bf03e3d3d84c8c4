//! A multilingual sentence encoder: multilingual-e5-small (XLM-RoBERTa tokenizer, 12-layer BERT,
//! 384-dimensional embeddings) with 4-bit weights, run in candle.
//!
//! - [`format`]: the weights file (GGUF) and its writer, used by the converter
//!   (`cargo run -p redflag-classifier --example encoder_convert`);
//! - `tokenizer`: SentencePiece unigram tokenisation;
//! - `model`: the forward pass and mean pooling;
//! - [`Encoder`]: texts in, L2-normalised embeddings out;
//! - [`cache`]: embeddings of labelled job ads kept in a file for training heads on them.
//!
//! The shipped weights are `models/encoder/e5-small-latin-q4.gguf` (see its model card); they are
//! loaded from a path, not compiled in. Like the model it was trained as, the encoder expects a
//! `query: ` or `passage: ` prefix ([`Prefix`]). A text longer than the model's 512 positions is cut
//! into windows of 510 content tokens without overlap; each window runs as its own input and the text's
//! embedding is the windows' mean-pooled vectors averaged with weights proportional to their lengths,
//! then normalised (so a text that fits in one window is embedded exactly as a single pass).
//!
//! ```no_run
//! use redflag_classifier::encoder::{Encoder, Prefix};
//! let e = Encoder::load(std::path::Path::new("models/encoder/e5-small-latin-q4.gguf"))?;
//! let v = e.embed("Se busca personal de limpieza", Prefix::Passage)?;
//! assert_eq!(v.len(), e.dim());
//! # Ok::<(), redflag_classifier::Error>(())
//! ```

pub mod cache;
pub mod format;
mod model;
mod tokenizer;

use crate::error::{Error, Result};
pub use model::Precision;
use std::path::Path;

/// The file name of the shipped weights, in `models/encoder/`.
pub const WEIGHTS_FILE: &str = "e5-small-latin-q4.gguf";

/// The instruction prefix e5 models were trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// `query: ` — a short question or a text compared symmetrically with others of its kind.
    Query,
    /// `passage: ` — a document (an ad) to be retrieved or classified.
    Passage,
}

impl Prefix {
    fn text(self) -> &'static str {
        match self {
            Prefix::Query => "query: ",
            Prefix::Passage => "passage: ",
        }
    }
}

/// How the encoder runs.
#[derive(Debug, Clone, Default)]
pub struct EncoderOptions {
    /// How weight matrices are multiplied.
    pub precision: Precision,
    /// Keep only the first this many content tokens of a text (the prefix included); `None` embeds the
    /// whole text in windows.
    pub max_tokens: Option<usize>,
}

/// Inputs longer than this many tokens (summed over a batch) run in several forward passes, so memory
/// stays bounded whatever the input.
const TOKENS_PER_PASS: usize = 8192;

/// A loaded sentence encoder. Loading takes a fraction of a second; keep one and share it (`&self`
/// methods, `Send + Sync`).
pub struct Encoder {
    tokenizer: tokenizer::Tokenizer,
    model: model::Bert,
    options: EncoderOptions,
}

impl Encoder {
    /// Loads the weights file at `path` with default options.
    pub fn load(path: &Path) -> Result<Self> {
        Self::load_with(path, EncoderOptions::default())
    }

    /// Loads the weights file at `path`.
    pub fn load_with(path: &Path, options: EncoderOptions) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Model {
                location: path.display().to_string(),
                message: "the encoder weights file does not exist (it ships as models/encoder/e5-small-latin-q4.gguf; \
                          models/encoder/README.md says how to rebuild it)"
                    .into(),
            },
            _ => Error::io(path, e),
        })?;
        Self::from_bytes(&bytes, &path.display().to_string(), options)
    }

    /// Loads weights held in memory; `location` names them in errors.
    pub fn from_bytes(bytes: &[u8], location: &str, options: EncoderOptions) -> Result<Self> {
        let weights = format::read(bytes, location)?;
        let tokenizer = tokenizer::Tokenizer::new(weights.vocab.clone());
        let model = model::Bert::new(weights, options.precision, location)?;
        if model.vocab_rows() != tokenizer.len() {
            return Err(Error::Model {
                location: location.to_string(),
                message: format!("{} embedding rows for {} pieces", model.vocab_rows(), tokenizer.len()),
            });
        }
        Ok(Encoder { tokenizer, model, options })
    }

    /// The embedding's dimension (384).
    pub fn dim(&self) -> usize {
        self.model.config.hidden_size
    }

    /// The content token ids of `text` with its prefix (no begin or end token), in this file's
    /// vocabulary, before any truncation.
    pub fn tokenize(&self, text: &str, prefix: Prefix) -> Vec<u32> {
        self.tokenizer.encode(&format!("{}{text}", prefix.text()))
    }

    /// The ids that `ids` had in the unpruned XLM-RoBERTa vocabulary.
    pub fn source_ids(&self, ids: &[u32]) -> Vec<u32> {
        ids.iter().map(|&i| self.tokenizer.source_id(i).unwrap_or(u32::MAX)).collect()
    }

    /// The L2-normalised embedding of one text.
    pub fn embed(&self, text: &str, prefix: Prefix) -> Result<Vec<f32>> {
        Ok(self.embed_batch(&[text], prefix)?.pop().unwrap_or_default())
    }

    /// The L2-normalised embeddings of several texts, in order. Faster per text than one at a time.
    pub fn embed_batch(&self, texts: &[&str], prefix: Prefix) -> Result<Vec<Vec<f32>>> {
        let window = self.model.config.max_positions - 2;
        // Every window as (text index, its ids with begin and end tokens).
        let mut windows: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let mut ids = self.tokenize(text, prefix);
            if let Some(max) = self.options.max_tokens {
                ids.truncate(max.max(1));
            }
            let chunks: Vec<&[u32]> = if ids.is_empty() { vec![&[][..]] } else { ids.chunks(window).collect() };
            for chunk in chunks {
                let mut seg = Vec::with_capacity(chunk.len() + 2);
                seg.push(self.tokenizer.bos);
                seg.extend_from_slice(chunk);
                seg.push(self.tokenizer.eos);
                windows.push((i, seg));
            }
        }
        let dim = self.dim();
        let mut sums = vec![vec![0f32; dim]; texts.len()];
        let mut start = 0;
        while start < windows.len() {
            let mut end = start;
            let mut tokens = 0;
            while end < windows.len() && (end == start || tokens + windows[end].1.len() <= TOKENS_PER_PASS) {
                tokens += windows[end].1.len();
                end += 1;
            }
            let segs: Vec<&[u32]> = windows[start..end].iter().map(|(_, s)| s.as_slice()).collect();
            let means = self.model.forward_mean(&segs)?.to_vec2::<f32>()?;
            for ((text, seg), mean) in windows[start..end].iter().zip(means) {
                // Weighted by the window's number of content tokens.
                let weight = (seg.len() - 2).max(1) as f32;
                for (s, m) in sums[*text].iter_mut().zip(mean) {
                    *s += weight * m;
                }
            }
            start = end;
        }
        for v in &mut sums {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
            v.iter_mut().for_each(|x| *x /= norm);
        }
        Ok(sums)
    }
}

/// Cosine similarity of two L2-normalised embeddings (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
