//! The BERT (XLM-RoBERTa) forward pass in candle: embeddings, post-norm transformer layers with
//! GELU feed-forward, mean pooling per input.
//!
//! Several inputs run as one `[tokens, hidden]` matrix, so each weight matrix is streamed once for the
//! whole batch; attention is computed per input over its own tokens. Weight matrices are candle
//! `QMatMul`s: kept as Q4_0 (activations quantised to 8 bits per 32-value block on the fly, as the
//! reference engine does) or expanded to f32 at load, which is the faster of the two unless the crate
//! is compiled for the machine's vector instructions (see `Precision` and `docs/benchmarks.md`).

use super::format::{EncoderConfig, Weights};
use crate::error::{Error, Result};
use candle_core::quantized::{QMatMul, QTensor};
use candle_core::{Device, Module, Tensor};
use half::f16;

/// How the weight matrices are multiplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Expanded to f32 at load (about 85 MB of memory for e5-small); candle's f32 matrix product picks
    /// the CPU's vector instructions at run time.
    #[default]
    F32,
    /// Kept as 4-bit Q4_0 and multiplied with 8-bit activations, like the reference engine. Uses less
    /// memory; fast only when the crate is compiled for the CPU (`-C target-cpu=native`).
    Q4,
}

struct Linear {
    w: QMatMul,
    b: Tensor,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(self.w.forward(x)?.broadcast_add(&self.b)?)
    }
}

struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    attn_out: Linear,
    attn_norm: (Tensor, Tensor),
    ffn_in: Linear,
    ffn_out: Linear,
    out_norm: (Tensor, Tensor),
}

/// The transformer, ready to run.
pub(crate) struct Bert {
    pub config: EncoderConfig,
    /// Word embeddings, Q4_0 blocks, one row of `hidden_size / 32` blocks per piece.
    word: Vec<u8>,
    pos: Vec<f32>,
    token_type: Vec<f32>,
    emb_norm: (Tensor, Tensor),
    layers: Vec<Layer>,
}

/// Bytes of one Q4_0 block (f16 scale + 16 bytes of nibbles) and its number of weights.
const Q4_BLOCK_BYTES: usize = 18;
const Q4_BLOCK: usize = 32;

/// One input of a batch: the token ids, begin and end tokens included.
pub(crate) type Segment = [u32];

impl Bert {
    pub fn new(mut w: Weights, precision: Precision, location: &str) -> Result<Self> {
        let dev = Device::Cpu;
        let mut take = |name: &str| -> Result<QTensor> {
            w.tensors.remove(name).ok_or_else(|| Error::Model {
                location: location.to_string(),
                message: format!("tensor {name} missing"),
            })
        };
        let mut vector = |name: &str| -> Result<Tensor> { Ok(take(name)?.dequantize(&dev)?) };
        let emb_norm = (vector("emb.ln.w")?, vector("emb.ln.b")?);
        let pos = vector("emb.pos")?.flatten_all()?.to_vec1::<f32>()?;
        let token_type = vector("emb.type")?.flatten_all()?.to_vec1::<f32>()?;
        let word = take("emb.word")?.data()?.into_owned();
        let mut layers = Vec::with_capacity(w.config.layers);
        for l in 0..w.config.layers {
            let mut linear = |name: &str| -> Result<Linear> {
                let q = take(&format!("l{l}.{name}.w"))?;
                let w = match precision {
                    Precision::Q4 => QMatMul::from_qtensor(q)?,
                    Precision::F32 => QMatMul::Tensor(q.dequantize(&dev)?),
                };
                Ok(Linear { w, b: take(&format!("l{l}.{name}.b"))?.dequantize(&dev)? })
            };
            let (q, k, v, attn_out, ffn_in, ffn_out) =
                (linear("q")?, linear("k")?, linear("v")?, linear("ao")?, linear("fi")?, linear("fo")?);
            let mut norm = |name: &str| -> Result<(Tensor, Tensor)> {
                Ok((
                    take(&format!("l{l}.{name}.w"))?.dequantize(&dev)?,
                    take(&format!("l{l}.{name}.b"))?.dequantize(&dev)?,
                ))
            };
            let (attn_norm, out_norm) = (norm("aln")?, norm("oln")?);
            layers.push(Layer { q, k, v, attn_out, attn_norm, ffn_in, ffn_out, out_norm });
        }
        Ok(Bert { config: w.config, word, pos, token_type, emb_norm, layers })
    }

    /// Word + position + token-type embeddings of the concatenated segments, `[tokens, hidden]`.
    fn embed_tokens(&self, segments: &[&Segment]) -> Result<Tensor> {
        let h = self.config.hidden_size;
        let row_bytes = h / Q4_BLOCK * Q4_BLOCK_BYTES;
        let total: usize = segments.iter().map(|s| s.len()).sum();
        let mut x = Vec::with_capacity(total * h);
        for seg in segments {
            for (p, &id) in seg.iter().enumerate() {
                let row = &self.word[id as usize * row_bytes..(id as usize + 1) * row_bytes];
                for block in row.chunks_exact(Q4_BLOCK_BYTES) {
                    let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
                    let qs = &block[2..];
                    x.extend(qs.iter().map(|&q| ((q & 0x0f) as f32 - 8.0) * d));
                    x.extend(qs.iter().map(|&q| ((q >> 4) as f32 - 8.0) * d));
                }
                let start = x.len() - h;
                let pos = &self.pos[p * h..(p + 1) * h];
                for ((v, a), b) in x[start..].iter_mut().zip(pos).zip(&self.token_type[..h]) {
                    *v += a + b;
                }
            }
        }
        Ok(Tensor::from_vec(x, (total, h), &Device::Cpu)?)
    }

    fn norm(&self, x: &Tensor, (w, b): &(Tensor, Tensor)) -> Result<Tensor> {
        Ok(candle_nn::ops::layer_norm(x, w, b, self.config.layer_norm_eps)?)
    }

    /// The mean of each segment's final hidden states, `[segments, hidden]` (not normalised). Every
    /// segment must hold between 1 and `max_positions` valid ids.
    pub fn forward_mean(&self, segments: &[&Segment]) -> Result<Tensor> {
        let c = &self.config;
        let (heads, head_dim) = (c.heads, c.hidden_size / c.heads);
        let scale = 1.0 / (head_dim as f64).sqrt();
        let mut x = self.norm(&self.embed_tokens(segments)?, &self.emb_norm)?;
        for layer in &self.layers {
            let (q, k, v) = (layer.q.forward(&x)?, layer.k.forward(&x)?, layer.v.forward(&x)?);
            let mut ctx = Vec::with_capacity(segments.len());
            let mut start = 0;
            for seg in segments {
                let len = seg.len();
                let split = |t: &Tensor| -> Result<Tensor> {
                    Ok(t.narrow(0, start, len)?.reshape((len, heads, head_dim))?.transpose(0, 1)?.contiguous()?)
                };
                let (qs, ks, vs) = (split(&q)?, split(&k)?, split(&v)?);
                let scores = (qs.matmul(&ks.t()?)? * scale)?;
                let probs = candle_nn::ops::softmax_last_dim(&scores)?;
                ctx.push(probs.matmul(&vs)?.transpose(0, 1)?.reshape((len, c.hidden_size))?);
                start += len;
            }
            let ctx = Tensor::cat(&ctx, 0)?;
            x = self.norm(&(x + layer.attn_out.forward(&ctx)?)?, &layer.attn_norm)?;
            let mid = layer.ffn_in.forward(&x)?.gelu_erf()?;
            x = self.norm(&(x + layer.ffn_out.forward(&mid)?)?, &layer.out_norm)?;
        }
        let mut means = Vec::with_capacity(segments.len());
        let mut start = 0;
        for seg in segments {
            means.push(x.narrow(0, start, seg.len())?.mean_keepdim(0)?);
            start += seg.len();
        }
        Ok(Tensor::cat(&means, 0)?)
    }

    /// The number of rows of the word-embedding table.
    pub fn vocab_rows(&self) -> usize {
        self.word.len() / (self.config.hidden_size / Q4_BLOCK * Q4_BLOCK_BYTES)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn q4_block_layout_matches_candle() {
        // One Q4_0 block with scale 1.0: weight j is in the low nibble of byte j, weight j + 16 in the
        // high nibble; candle must dequantize it the same way the embedding lookup does.
        let mut block = vec![0u8; super::Q4_BLOCK_BYTES];
        block[..2].copy_from_slice(&half::f16::from_f32(1.0).to_le_bytes());
        for j in 0..16 {
            block[2 + j] = (j as u8) | (((15 - j) as u8) << 4);
        }
        let storage = candle_core::quantized::QStorage::from_data(
            std::borrow::Cow::Borrowed(&block),
            &candle_core::Device::Cpu,
            candle_core::quantized::GgmlDType::Q4_0,
        )
        .unwrap();
        let t = candle_core::quantized::QTensor::new(storage, (1, 32)).unwrap();
        let v = t.dequantize(&candle_core::Device::Cpu).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let expected: Vec<f32> =
            (0..16).map(|j| j as f32 - 8.0).chain((0..16).map(|j| (15 - j) as f32 - 8.0)).collect();
        assert_eq!(v, expected);
    }
}
