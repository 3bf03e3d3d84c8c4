//! The encoder's weights file: a GGUF file (the llama.cpp container, read and written by candle) holding
//! the model's shape, the SentencePiece vocabulary with its normalisation map, and the tensors.
//!
//! Layout (all keys below; `models/encoder/README.md` documents the same for readers of the file):
//!
//! - `e5.hidden_size`, `e5.layers`, `e5.heads`, `e5.ffn_size`, `e5.max_positions`, `e5.layer_norm_eps`;
//! - `tokenizer.pieces` (strings), `tokenizer.scores` (f32 log-probabilities), `tokenizer.source_ids`
//!   (each piece's id in the unpruned XLM-RoBERTa vocabulary), `tokenizer.bos`/`eos`/`pad`/`unk`,
//!   `tokenizer.unk_score` (the score of an unknown character, taken from the unpruned vocabulary so
//!   that pruning does not change tokenisation), `tokenizer.norm_from`/`norm_offsets`/`norm_to`
//!   (code point `norm_from[i]` becomes `norm_to[norm_offsets[i]..norm_offsets[i + 1]]`);
//! - tensors `emb.word` (Q4_0, one row per piece), `emb.pos` (F32, positions already offset as the
//!   model uses them: row 0 is the first token), `emb.type`, `emb.ln.{w,b}`, and per layer `l{i}.` +
//!   `q`, `k`, `v`, `ao` (attention output), `fi`, `fo` (feed-forward in and out) as `.w` (Q4_0,
//!   `[out, in]`) and `.b` (F32), and the layer norms `aln.{w,b}` and `oln.{w,b}` (F32).

use crate::error::{Error, Result};
use candle_core::Device;
use candle_core::quantized::gguf_file::{self, Value};
use candle_core::quantized::{GgmlDType, QStorage, QTensor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

/// The transformer's dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderConfig {
    /// Width of the hidden states (384 for e5-small).
    pub hidden_size: usize,
    /// Number of transformer layers.
    pub layers: usize,
    /// Attention heads per layer.
    pub heads: usize,
    /// Width of the feed-forward layer.
    pub ffn_size: usize,
    /// Longest input, special tokens included.
    pub max_positions: usize,
    /// Layer-norm epsilon.
    pub layer_norm_eps: f32,
}

/// The SentencePiece unigram vocabulary and its normalisation map, as stored.
#[derive(Debug, Clone, Default)]
pub struct VocabData {
    /// The pieces, `▁` (U+2581) marking a word start.
    pub pieces: Vec<String>,
    /// Each piece's log-probability.
    pub scores: Vec<f32>,
    /// Each piece's id in the vocabulary the model was trained with (before pruning).
    pub source_ids: Vec<u32>,
    /// Begin-of-text id.
    pub bos: u32,
    /// End-of-text id.
    pub eos: u32,
    /// Padding id.
    pub pad: u32,
    /// Unknown-piece id.
    pub unk: u32,
    /// The score of one unknown character in the Viterbi search.
    pub unk_score: f32,
    /// Code points that normalisation replaces, ascending.
    pub norm_from: Vec<u32>,
    /// `norm_from.len() + 1` offsets into `norm_to`.
    pub norm_offsets: Vec<u32>,
    /// The replacement code points, concatenated.
    pub norm_to: Vec<u32>,
}

/// How a stored tensor is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawDType {
    /// Little-endian f32.
    F32,
    /// ggml's Q4_0 blocks: an f16 scale and 16 bytes holding 32 four-bit weights (byte `j` holds
    /// weight `j` in its low nibble and weight `j + 16` in its high nibble), weight = (q − 8) · scale.
    Q4_0,
}

/// A tensor as bytes, for the converter.
#[derive(Debug, Clone)]
pub struct RawTensor {
    /// Name in the file (see the module documentation).
    pub name: String,
    /// Shape, rows first (`[out, in]` for a weight matrix).
    pub shape: Vec<usize>,
    /// Encoding of `bytes`.
    pub dtype: RawDType,
    /// The data.
    pub bytes: Vec<u8>,
}

/// The tensors the model needs, with their expected shape and encoding.
pub(crate) fn expected_tensors(c: &EncoderConfig, vocab: usize) -> Vec<(String, Vec<usize>, RawDType)> {
    let (h, f) = (c.hidden_size, c.ffn_size);
    let mut v = vec![
        ("emb.word".to_string(), vec![vocab, h], RawDType::Q4_0),
        ("emb.pos".to_string(), vec![c.max_positions, h], RawDType::F32),
        ("emb.type".to_string(), vec![2, h], RawDType::F32),
        ("emb.ln.w".to_string(), vec![h], RawDType::F32),
        ("emb.ln.b".to_string(), vec![h], RawDType::F32),
    ];
    for l in 0..c.layers {
        for (name, out, inp) in [("q", h, h), ("k", h, h), ("v", h, h), ("ao", h, h), ("fi", f, h), ("fo", h, f)] {
            v.push((format!("l{l}.{name}.w"), vec![out, inp], RawDType::Q4_0));
            v.push((format!("l{l}.{name}.b"), vec![out], RawDType::F32));
        }
        for ln in ["aln", "oln"] {
            v.push((format!("l{l}.{ln}.w"), vec![h], RawDType::F32));
            v.push((format!("l{l}.{ln}.b"), vec![h], RawDType::F32));
        }
    }
    v
}

fn ggml(d: RawDType) -> GgmlDType {
    match d {
        RawDType::F32 => GgmlDType::F32,
        RawDType::Q4_0 => GgmlDType::Q4_0,
    }
}

fn u32s(v: &[u32]) -> Value {
    Value::Array(v.iter().map(|&x| Value::U32(x)).collect())
}

/// Writes a weights file. Checks that every tensor the model needs is there with its shape, so a
/// converter cannot write a file the loader would refuse.
pub fn write(path: &Path, config: &EncoderConfig, vocab: &VocabData, tensors: &[RawTensor]) -> Result<()> {
    let bad = |message: String| Error::Model { location: path.display().to_string(), message };
    let n = vocab.pieces.len();
    if vocab.scores.len() != n || vocab.source_ids.len() != n {
        return Err(bad("pieces, scores and source ids differ in length".into()));
    }
    let by_name: HashMap<&str, &RawTensor> = tensors.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut qtensors = Vec::new();
    for (name, shape, dtype) in expected_tensors(config, n) {
        let t = by_name.get(name.as_str()).ok_or_else(|| bad(format!("tensor {name} missing")))?;
        if t.shape != shape || t.dtype != dtype {
            return Err(bad(format!("tensor {name} is {:?} {:?}, expected {dtype:?} {shape:?}", t.dtype, t.shape)));
        }
        let g = ggml(dtype);
        let elems: usize = shape.iter().product();
        if t.bytes.len() != elems / g.block_size() * g.type_size() {
            return Err(bad(format!("tensor {name} has {} bytes for shape {shape:?}", t.bytes.len())));
        }
        let storage = QStorage::from_data(Cow::Borrowed(&t.bytes), &Device::Cpu, g)?;
        qtensors.push((name, QTensor::new(storage, shape)?));
    }
    let pieces = Value::Array(vocab.pieces.iter().map(|p| Value::String(p.clone())).collect());
    let scores = Value::Array(vocab.scores.iter().map(|&s| Value::F32(s)).collect());
    let meta: Vec<(&str, Value)> = vec![
        ("general.architecture", Value::String("e5-small".into())),
        ("general.name", Value::String("multilingual-e5-small, Latin-script vocabulary, 4-bit".into())),
        ("general.license", Value::String("MIT".into())),
        ("e5.hidden_size", Value::U32(config.hidden_size as u32)),
        ("e5.layers", Value::U32(config.layers as u32)),
        ("e5.heads", Value::U32(config.heads as u32)),
        ("e5.ffn_size", Value::U32(config.ffn_size as u32)),
        ("e5.max_positions", Value::U32(config.max_positions as u32)),
        ("e5.layer_norm_eps", Value::F32(config.layer_norm_eps)),
        ("tokenizer.pieces", pieces),
        ("tokenizer.scores", scores),
        ("tokenizer.source_ids", u32s(&vocab.source_ids)),
        ("tokenizer.bos", Value::U32(vocab.bos)),
        ("tokenizer.eos", Value::U32(vocab.eos)),
        ("tokenizer.pad", Value::U32(vocab.pad)),
        ("tokenizer.unk", Value::U32(vocab.unk)),
        ("tokenizer.unk_score", Value::F32(vocab.unk_score)),
        ("tokenizer.norm_from", u32s(&vocab.norm_from)),
        ("tokenizer.norm_offsets", u32s(&vocab.norm_offsets)),
        ("tokenizer.norm_to", u32s(&vocab.norm_to)),
    ];
    let meta_refs: Vec<(&str, &Value)> = meta.iter().map(|(k, v)| (*k, v)).collect();
    let tensor_refs: Vec<(&str, &QTensor)> = qtensors.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut buf = Cursor::new(Vec::new());
    gguf_file::write(&mut buf, &meta_refs, &tensor_refs)?;
    std::fs::write(path, buf.into_inner()).map_err(|e| Error::io(path, e))
}

/// A parsed weights file: shape, vocabulary and the tensors by name.
pub(crate) struct Weights {
    pub config: EncoderConfig,
    pub vocab: VocabData,
    pub tensors: HashMap<String, QTensor>,
}

/// Parses a weights file held in memory. `location` names it in errors.
pub(crate) fn read(bytes: &[u8], location: &str) -> Result<Weights> {
    let bad = |message: String| Error::Model { location: location.to_string(), message };
    let mut r = Cursor::new(bytes);
    let content = gguf_file::Content::read(&mut r).map_err(|e| bad(format!("not an encoder weights file: {e}")))?;
    let meta = &content.metadata;
    let get = |k: &str| meta.get(k).ok_or_else(|| bad(format!("metadata {k} missing")));
    let num = |k: &str| -> Result<usize> {
        get(k)?.to_u32().map(|v| v as usize).map_err(|e| bad(format!("metadata {k}: {e}")))
    };
    let u32_array = |k: &str| -> Result<Vec<u32>> {
        get(k)?
            .to_vec()
            .and_then(|v| v.iter().map(Value::to_u32).collect())
            .map_err(|e| bad(format!("metadata {k}: {e}")))
    };
    let f32_of = |k: &str| get(k)?.to_f32().map_err(|e| bad(format!("metadata {k}: {e}")));
    let config = EncoderConfig {
        hidden_size: num("e5.hidden_size")?,
        layers: num("e5.layers")?,
        heads: num("e5.heads")?,
        ffn_size: num("e5.ffn_size")?,
        max_positions: num("e5.max_positions")?,
        layer_norm_eps: f32_of("e5.layer_norm_eps")?,
    };
    if config.heads == 0
        || !config.hidden_size.is_multiple_of(config.heads)
        || !config.hidden_size.is_multiple_of(32)
        || !config.ffn_size.is_multiple_of(32)
        || config.max_positions < 3
    {
        return Err(bad(format!("inconsistent dimensions {config:?}")));
    }
    let pieces: Vec<String> = get("tokenizer.pieces")?
        .to_vec()
        .and_then(|v| v.iter().map(|p| p.to_string().cloned()).collect())
        .map_err(|e| bad(format!("metadata tokenizer.pieces: {e}")))?;
    let scores: Vec<f32> = get("tokenizer.scores")?
        .to_vec()
        .and_then(|v| v.iter().map(Value::to_f32).collect())
        .map_err(|e| bad(format!("metadata tokenizer.scores: {e}")))?;
    let vocab = VocabData {
        source_ids: u32_array("tokenizer.source_ids")?,
        bos: num("tokenizer.bos")? as u32,
        eos: num("tokenizer.eos")? as u32,
        pad: num("tokenizer.pad")? as u32,
        unk: num("tokenizer.unk")? as u32,
        unk_score: f32_of("tokenizer.unk_score")?,
        norm_from: u32_array("tokenizer.norm_from")?,
        norm_offsets: u32_array("tokenizer.norm_offsets")?,
        norm_to: u32_array("tokenizer.norm_to")?,
        pieces,
        scores,
    };
    let n = vocab.pieces.len();
    if vocab.scores.len() != n || vocab.source_ids.len() != n {
        return Err(bad("pieces, scores and source ids differ in length".into()));
    }
    if [vocab.bos, vocab.eos, vocab.pad, vocab.unk].iter().any(|&id| id as usize >= n) {
        return Err(bad("a special token id is outside the vocabulary".into()));
    }
    let norm_ok = vocab.norm_offsets.len() == vocab.norm_from.len() + 1
        && vocab.norm_offsets.first() == Some(&0)
        && vocab.norm_offsets.windows(2).all(|w| w[0] <= w[1])
        && vocab.norm_offsets.last().map(|&o| o as usize) == Some(vocab.norm_to.len())
        && vocab.norm_from.windows(2).all(|w| w[0] < w[1]);
    if !norm_ok {
        return Err(bad("malformed normalisation map".into()));
    }
    // Check every tensor's entry against the file's length before reading, so that a corrupt entry is
    // an error rather than a huge allocation.
    let data_len = (bytes.len() as u64).saturating_sub(content.tensor_data_offset);
    let mut tensors = HashMap::new();
    for (name, shape, dtype) in expected_tensors(&config, n) {
        let info = content.tensor_infos.get(&name).ok_or_else(|| bad(format!("tensor {name} missing")))?;
        if info.shape.dims() != shape.as_slice() || info.ggml_dtype != ggml(dtype) {
            return Err(bad(format!(
                "tensor {name} is {:?} {:?}, expected {dtype:?} {shape:?}",
                info.ggml_dtype,
                info.shape.dims()
            )));
        }
        let g = ggml(dtype);
        let size = (shape.iter().product::<usize>() / g.block_size() * g.type_size()) as u64;
        if info.offset.checked_add(size).is_none_or(|end| end > data_len) {
            return Err(bad(format!("tensor {name} lies past the end of the file (truncated?)")));
        }
        let t = content.tensor(&mut r, &name, &Device::Cpu).map_err(|e| bad(format!("tensor {name}: {e}")))?;
        tensors.insert(name, t);
    }
    Ok(Weights { config, vocab, tensors })
}
