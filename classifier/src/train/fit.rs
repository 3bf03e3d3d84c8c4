//! The fitters: plain heads (AdamW, early stopping, bagging), the stacked first stage (naive-Bayes
//! scaled n-grams, L-BFGS), the combiner, and a stacked head with its known-ad memory.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

use super::calibrate::logit;
use super::design::Design;
use super::folds::grouped_folds;
use super::options::Hyper;
use crate::combiner::{CombinerConfig, Meta};
use crate::error::{Error, Result};
use crate::memory::{AdMemory, Terms};

/// The parameters of a fitted head before calibration.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub w: Option<Vec<f32>>,
    pub v: Vec<f32>,
    pub b: f32,
    pub epochs: usize,
}

impl Design {
    /// Whether rows are scaled to unit length (plain heads) or each bucket counts 1 (stacked heads,
    /// whose naive-Bayes scale does the weighting).
    fn unit_rows(&self) -> bool {
        self.metas.is_empty()
    }
}

impl Fitted {
    /// The text part (bias and hashed features) and the indicator part of example i's raw logit.
    pub(crate) fn logit_parts(&self, d: &Design, i: usize) -> (f32, f32) {
        let mut z = self.b;
        if let Some(w) = &self.w {
            let row = &d.rows[i];
            let s: f32 = row.iter().map(|b| w[*b as usize]).sum();
            z += if d.unit_rows() { s / (row.len().max(1) as f32).sqrt() } else { s };
        }
        (z, d.ind[i * d.k..(i + 1) * d.k].iter().zip(&self.v).map(|(x, v)| x * v).sum::<f32>())
    }

    pub(crate) fn logit(&self, d: &Design, i: usize) -> f32 {
        let (t, ind) = self.logit_parts(d, i);
        t + ind
    }
}

fn log_loss(fit: &Fitted, d: &Design, subset: &[usize]) -> f64 {
    let mut s = 0.0;
    for &i in subset {
        let z = f64::from(fit.logit(d, i));
        let y = f64::from(d.y[i]);
        s += z.max(0.0) - y * z + (-z.abs()).exp().ln_1p();
    }
    s / subset.len().max(1) as f64
}

/// Fits a head on `train`. With `val`, stops early on its log-loss and returns the best epoch's
/// parameters; without, runs `max_epochs`.
pub(crate) fn fit(
    d: &Design,
    train: &[usize],
    val: Option<&[usize]>,
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    max_epochs: usize,
) -> Result<Fitted> {
    let dev = Device::Cpu;
    let n = train.len();
    if n == 0 {
        return Err(Error::Options("no training examples".into()));
    }
    let k = d.k;
    let mean_y = train.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n as f64;
    let b0 = (mean_y.clamp(1e-3, 1.0 - 1e-3) / (1.0 - mean_y.clamp(1e-3, 1.0 - 1e-3))).ln() as f32;
    let y = Tensor::from_vec(train.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let xi = Tensor::from_vec(
        train.iter().flat_map(|&i| d.ind[i * k..(i + 1) * k].iter().copied()).collect::<Vec<f32>>(),
        (n, k),
        &dev,
    )?;
    let prior_t = Tensor::from_slice(prior, (k, 1), &dev)?;
    let v = Var::from_tensor(&prior_t)?;
    let b = Var::from_slice(&[b0], 1, &dev)?;
    let mut vars = vec![v.clone(), b.clone()];
    let text = match text_dim {
        Some(dim) => {
            let mut idx = Vec::new();
            let mut row = Vec::new();
            let mut val = Vec::new();
            for (r, &i) in train.iter().enumerate() {
                let scale = 1.0 / (d.rows[i].len().max(1) as f32).sqrt();
                for bkt in &d.rows[i] {
                    idx.push(*bkt);
                    row.push(r as u32);
                    val.push(scale);
                }
            }
            let nnz = idx.len();
            let w = Var::zeros(dim, DType::F32, &dev)?;
            vars.push(w.clone());
            Some((
                w,
                Tensor::from_vec(idx, nnz, &dev)?,
                Tensor::from_vec(row, nnz, &dev)?,
                Tensor::from_vec(val, nnz, &dev)?,
            ))
        }
        None => None,
    };
    let mut opt = AdamW::new(vars, ParamsAdamW { lr: hyper.learning_rate, weight_decay: 0.0, ..Default::default() })?;
    let ind_penalty = 1.0 / (2.0 * hyper.indicator_sd.max(1e-3).powi(2) * n as f64);
    let snapshot = |epochs: usize| -> Result<Fitted> {
        Ok(Fitted {
            w: match &text {
                Some((w, ..)) => Some(w.as_tensor().to_vec1::<f32>()?),
                None => None,
            },
            v: v.as_tensor().flatten_all()?.to_vec1::<f32>()?,
            b: b.as_tensor().to_vec1::<f32>()?[0],
            epochs,
        })
    };
    let mut best: Option<(f64, Fitted)> = None;
    let mut since_best = 0usize;
    let check_every = 5usize;
    for epoch in 1..=max_epochs {
        let mut z = xi.matmul(v.as_tensor())?.reshape(n)?;
        let mut penalty = ((v.as_tensor() - &prior_t)?.sqr()?.sum_all()? * ind_penalty)?;
        if let Some((w, idx, row, val)) = &text {
            let contrib = w.as_tensor().index_select(idx, 0)?.mul(val)?;
            z = z.add(&Tensor::zeros(n, DType::F32, &dev)?.index_add(row, &contrib, 0)?)?;
            penalty = penalty.add(&(w.as_tensor().sqr()?.sum_all()? * (0.5 * hyper.l2))?)?;
        }
        let z = z.broadcast_add(b.as_tensor())?;
        let softplus = z.relu()?.add(&((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
        let loss = softplus.sub(&y.mul(&z)?)?.mean_all()?.add(&penalty)?;
        opt.backward_step(&loss)?;
        if let Some(val) = val
            && (epoch % check_every == 0 || epoch == max_epochs)
        {
            let cur = snapshot(epoch)?;
            let l = log_loss(&cur, d, val);
            if best.as_ref().is_none_or(|(bl, _)| l < *bl - 1e-6) {
                best = Some((l, cur));
                since_best = 0;
            } else {
                since_best += check_every;
                if since_best >= hyper.patience {
                    break;
                }
            }
        }
    }
    match best {
        Some((_, f)) => Ok(f),
        None => snapshot(max_epochs),
    }
}

/// Fits a head on `subset`: `hyper.bags` models, each early-stopped on a different grouped share of
/// `subset`, averaged. With `validation_share` 0 one model is trained for `max_epochs`.
pub(crate) fn fit_averaged(
    d: &Design,
    subset: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<Fitted> {
    if hyper.validation_share <= 0.0 {
        return fit(d, subset, None, text_dim, prior, hyper, hyper.max_epochs);
    }
    let k = (1.0 / hyper.validation_share.clamp(0.05, 0.5)).round().max(2.0) as usize;
    let g: Vec<usize> = subset.iter().map(|&i| d.groups[i]).collect();
    let p: Vec<bool> = subset.iter().map(|&i| d.positive[i]).collect();
    let inner = grouped_folds(&g, &p, k, seed);
    let bags = hyper.bags.clamp(1, k);
    let mut sum: Option<Fitted> = None;
    let mut epochs = 0;
    for bag in 0..bags {
        let tr: Vec<usize> = subset.iter().zip(&inner).filter(|(_, f)| **f != bag).map(|(i, _)| *i).collect();
        let va: Vec<usize> = subset.iter().zip(&inner).filter(|(_, f)| **f == bag).map(|(i, _)| *i).collect();
        let f = if tr.is_empty() || va.is_empty() {
            fit(d, subset, None, text_dim, prior, hyper, hyper.max_epochs)?
        } else {
            fit(d, &tr, Some(&va), text_dim, prior, hyper, hyper.max_epochs)?
        };
        epochs += f.epochs;
        sum = Some(match sum {
            None => f,
            Some(mut s) => {
                if let (Some(a), Some(b)) = (&mut s.w, &f.w) {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                }
                s.v.iter_mut().zip(&f.v).for_each(|(x, y)| *x += y);
                s.b += f.b;
                s
            }
        });
    }
    let mut s = sum.expect("at least one bag");
    let inv = 1.0 / bags as f32;
    if let Some(w) = &mut s.w {
        w.iter_mut().for_each(|x| *x *= inv);
    }
    s.v.iter_mut().for_each(|x| *x *= inv);
    s.b *= inv;
    s.epochs = epochs / bags;
    Ok(s)
}

/// Naive-Bayes log-count ratios of the hashed buckets over `subset`: `ln(p_j / |p|) − ln(q_j / |q|)`
/// where `p_j` (`q_j`) counts the positive (negative) examples whose row holds bucket j, plus `alpha`.
/// Scaling features by them lets a logistic layer start from what each n-gram says on its own
/// (Wang & Manning's NB-SVM), which is what small text sets reward.
pub(crate) fn nb_ratios(d: &Design, subset: &[usize], dim: usize, alpha: f64) -> Vec<f32> {
    let mut p = vec![0f64; dim];
    let mut q = vec![0f64; dim];
    for &i in subset {
        let counts = if d.positive[i] { &mut p } else { &mut q };
        for b in &d.rows[i] {
            counts[*b as usize] += 1.0;
        }
    }
    let alpha = alpha.max(1e-6);
    // Smoothing spreads over the buckets the training rows use, not the whole hash space: that is
    // the vocabulary a counted model would have, and it keeps the ratios independent of `hash_bits`.
    let seen = p.iter().zip(&q).filter(|(p, q)| **p + **q > 0.0).count();
    let sp: f64 = p.iter().sum::<f64>() + alpha * seen as f64;
    let sq: f64 = q.iter().sum::<f64>() + alpha * seen as f64;
    p.iter().zip(&q).map(|(p, q)| (((p + alpha) / sp).ln() - ((q + alpha) / sq).ln()) as f32).collect()
}

/// A stacked head: the first-stage text model, and the combiner over its score and the structured
/// fields.
#[derive(Debug, Clone)]
pub(crate) struct StackedFit {
    /// The text model (naive-Bayes scale folded into its weights; indicator weights unused).
    pub stage1: Fitted,
    /// What the combiner reads.
    pub combiner: CombinerConfig,
    /// Combiner weights, one per feature of `combiner`.
    pub w: Vec<f32>,
    /// Combiner bias.
    pub b: f32,
    /// Indicator weights.
    pub v: Vec<f32>,
    /// The known-ad memory of the training ads, if the head keeps one.
    pub memory: Option<Box<AdMemory>>,
}

impl StackedFit {
    /// The raw logits of examples `idx`, as (combiner part, indicator part).
    fn logits(&self, d: &Design, idx: &[usize]) -> Vec<(f32, f32)> {
        let enc = self.combiner.encoder();
        let mut phi = Vec::with_capacity(self.w.len());
        idx.iter()
            .map(|&i| {
                phi.clear();
                let z = self.stage1.logit_parts(d, i).0;
                match &self.memory {
                    Some(m) => {
                        let mut meta = d.metas[i].clone();
                        m.annotate(&d.terms[i], &mut meta, |_| false);
                        enc.encode_into(z, &meta, &mut phi);
                    }
                    None => enc.encode_into(z, &d.metas[i], &mut phi),
                }
                let z = self.b + phi.iter().zip(&self.w).map(|(x, w)| x * w).sum::<f32>();
                (z, d.ind[i * d.k..(i + 1) * d.k].iter().zip(&self.v).map(|(x, v)| x * v).sum::<f32>())
            })
            .collect()
    }
}

/// A fitted head of either shape.
#[derive(Debug, Clone)]
pub(crate) enum HeadFit {
    /// One logistic layer over text features and indicators.
    Plain(Fitted),
    /// A text model and a combiner.
    Stacked(StackedFit),
}

impl HeadFit {
    /// The raw logits of examples `idx`, as (text or combiner part, indicator part).
    pub(crate) fn logits(&self, d: &Design, idx: &[usize]) -> Vec<(f32, f32)> {
        match self {
            HeadFit::Plain(f) => idx.iter().map(|&i| f.logit_parts(d, i)).collect(),
            HeadFit::Stacked(s) => s.logits(d, idx),
        }
    }

    pub(crate) fn epochs(&self) -> usize {
        match self {
            HeadFit::Plain(f) => f.epochs,
            HeadFit::Stacked(s) => s.stage1.epochs,
        }
    }
}

/// The gradient of `var` in `grads`, flattened.
fn gradient(grads: &candle_core::backprop::GradStore, var: &Var) -> Result<Vec<f32>> {
    let g = grads.get(var.as_tensor()).ok_or_else(|| Error::Options("no gradient".into()))?;
    Ok(g.flatten_all()?.to_vec1::<f32>()?)
}

/// The mean logistic loss of logits `z` against labels `y`.
fn mean_log_loss(z: &Tensor, y: &Tensor) -> Result<Tensor> {
    let softplus = z.relu()?.add(&((z.abs()?.neg()?.exp()? + 1.0)?.log()?))?;
    Ok(softplus.sub(&y.mul(z)?)?.mean_all()?)
}

/// Fits a stacked first stage on `subset`: naive-Bayes scaling from `subset`, then an L2-regularised
/// logistic layer over the scaled n-grams, minimised with L-BFGS (candle computes loss and gradient).
fn fit_stage1(d: &Design, subset: &[usize], dim: usize, hyper: &Hyper) -> Result<Fitted> {
    let dev = Device::Cpu;
    let n = subset.len();
    if n == 0 {
        return Err(Error::Options("no training examples".into()));
    }
    let r = nb_ratios(d, subset, dim, hyper.nb_alpha);
    let (mut idx, mut row, mut val) = (Vec::new(), Vec::new(), Vec::new());
    for (j, &i) in subset.iter().enumerate() {
        for b in &d.rows[i] {
            idx.push(*b);
            row.push(j as u32);
            val.push(r[*b as usize]);
        }
    }
    let nnz = idx.len();
    let idx = Tensor::from_vec(idx, nnz, &dev)?;
    let row = Tensor::from_vec(row, nnz, &dev)?;
    let val = Tensor::from_vec(val, nnz, &dev)?;
    let y = Tensor::from_vec(subset.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let mean_y = subset.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n as f64;
    let mut x0 = vec![0f32; dim + 1];
    x0[dim] = logit(mean_y.clamp(1e-3, 1.0 - 1e-3)) as f32;
    let l2 = hyper.stage1_l2;
    let (x, iters) = crate::optim::lbfgs(x0, hyper.stage1_epochs.max(1), 1e-7, |x| {
        let w = Var::from_slice(&x[..dim], dim, &dev)?;
        let b = Var::from_slice(&x[dim..], 1, &dev)?;
        let contrib = w.as_tensor().index_select(&idx, 0)?.mul(&val)?;
        let z = Tensor::zeros(n, DType::F32, &dev)?.index_add(&row, &contrib, 0)?.broadcast_add(b.as_tensor())?;
        let loss = mean_log_loss(&z, &y)?.add(&(w.as_tensor().sqr()?.sum_all()? * (0.5 * l2))?)?;
        let grads = loss.backward()?;
        let mut g = gradient(&grads, &w)?;
        g.extend(gradient(&grads, &b)?);
        Ok((f64::from(loss.to_scalar::<f32>()?), g))
    })?;
    let w: Vec<f32> = x[..dim].iter().zip(&r).map(|(w, r)| w * r).collect();
    Ok(Fitted { w: Some(w), v: vec![0.0; d.k], b: x[dim], epochs: iters })
}

/// Fits the combiner: a logistic layer over dense features `phi` (`[n, m]`, row-major) and the
/// indicators of `subset`, with an L2 penalty on the feature weights and the indicator weights
/// pulled towards their prior, minimised with L-BFGS. Returns (weights, bias, indicator weights).
fn fit_dense(
    d: &Design,
    subset: &[usize],
    phi: Vec<f32>,
    m: usize,
    prior: &[f32],
    hyper: &Hyper,
) -> Result<(Vec<f32>, f32, Vec<f32>)> {
    let dev = Device::Cpu;
    let n = subset.len();
    let k = d.k;
    let x = Tensor::from_vec(phi, (n, m), &dev)?;
    let xi = Tensor::from_vec(
        subset.iter().flat_map(|&i| d.ind[i * k..(i + 1) * k].iter().copied()).collect::<Vec<f32>>(),
        (n, k),
        &dev,
    )?;
    let y = Tensor::from_vec(subset.iter().map(|&i| d.y[i]).collect::<Vec<f32>>(), n, &dev)?;
    let mean_y = subset.iter().map(|&i| f64::from(d.y[i])).sum::<f64>() / n.max(1) as f64;
    let prior_t = Tensor::from_slice(prior, (k, 1), &dev)?;
    let ind_penalty = 1.0 / (2.0 * hyper.indicator_sd.max(1e-3).powi(2) * n.max(1) as f64);
    let mut x0 = vec![0f32; m];
    x0.extend_from_slice(prior);
    x0.push(logit(mean_y.clamp(1e-3, 1.0 - 1e-3)) as f32);
    let (p, _) = crate::optim::lbfgs(x0, hyper.combiner_epochs.max(1), 1e-9, |p| {
        let w = Var::from_slice(&p[..m], (m, 1), &dev)?;
        let v = Var::from_slice(&p[m..m + k], (k, 1), &dev)?;
        let b = Var::from_slice(&p[m + k..], 1, &dev)?;
        let z = x.matmul(w.as_tensor())?.add(&xi.matmul(v.as_tensor())?)?.reshape(n)?.broadcast_add(b.as_tensor())?;
        let penalty = (w.as_tensor().sqr()?.sum_all()? * (0.5 * hyper.combiner_l2))?
            .add(&((v.as_tensor() - &prior_t)?.sqr()?.sum_all()? * ind_penalty)?)?;
        let loss = mean_log_loss(&z, &y)?.add(&penalty)?;
        let grads = loss.backward()?;
        let mut g = Vec::with_capacity(p.len());
        for var in [&w, &v, &b] {
            g.extend(gradient(&grads, var)?);
        }
        Ok((f64::from(loss.to_scalar::<f32>()?), g))
    })?;
    Ok((p[..m].to_vec(), p[m + k], p[m..m + k].to_vec()))
}

/// Fits a stacked head on `subset`: an inner grouped cross-validation gives every example of
/// `subset` an out-of-fold text score, on which the combiner learns its edges, tokens and weights;
/// the text model used for scoring is then fitted on all of `subset`.
pub(crate) fn fit_stacked(
    d: &Design,
    subset: &[usize],
    dim: usize,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<StackedFit> {
    let k = hyper.inner_folds.max(2);
    let g: Vec<usize> = subset.iter().map(|&i| d.groups[i]).collect();
    let p: Vec<bool> = subset.iter().map(|&i| d.positive[i]).collect();
    let mut z = vec![0f32; subset.len()];
    let repeats = hyper.inner_repeats.max(1);
    for rep in 0..repeats {
        let inner = grouped_folds(&g, &p, k, (seed ^ 0x5eed).wrapping_add(rep as u64 * 0x9e37_79b9));
        for f in 0..k {
            let tr: Vec<usize> = subset.iter().zip(&inner).filter(|(_, x)| **x != f).map(|(i, _)| *i).collect();
            if tr.is_empty() {
                continue;
            }
            let fitted = fit_stage1(d, &tr, dim, hyper)?;
            for (j, &i) in subset.iter().enumerate() {
                if inner[j] == f {
                    z[j] += fitted.logit_parts(d, i).0 / repeats as f32;
                }
            }
        }
    }
    let stage1 = fit_stage1(d, subset, dim, hyper)?;
    let mut metas: Vec<Meta> = subset.iter().map(|&i| d.metas[i].clone()).collect();
    // Each training ad meets the memory as an unseen ad would: without its own group of copies.
    let memory = hyper.memory.then(|| {
        let docs: Vec<&Terms> = subset.iter().map(|&i| &d.terms[i]).collect();
        let mem = AdMemory::build(&docs, &p);
        for (j, meta) in metas.iter_mut().enumerate() {
            mem.annotate(docs[j], meta, |a| g[a] == g[j]);
        }
        Box::new(mem)
    });
    let refs: Vec<&Meta> = metas.iter().collect();
    let combiner = CombinerConfig::learn(&z, &refs, hyper.combiner_bins.max(2), hyper.combiner_min_count.max(1));
    let m = combiner.dim();
    let enc = combiner.encoder();
    let mut phi = Vec::with_capacity(subset.len() * m);
    for (j, meta) in metas.iter().enumerate() {
        enc.encode_into(z[j], meta, &mut phi);
    }
    let (w, b, v) = fit_dense(d, subset, phi, m, prior, hyper)?;
    Ok(StackedFit { stage1, combiner, w, b, v, memory })
}

/// Fits a head of the shape its design asks for.
pub(crate) fn fit_head(
    d: &Design,
    subset: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    seed: u64,
) -> Result<HeadFit> {
    match text_dim {
        Some(dim) if !d.metas.is_empty() => Ok(HeadFit::Stacked(fit_stacked(d, subset, dim, prior, hyper, seed)?)),
        _ => Ok(HeadFit::Plain(fit_averaged(d, subset, text_dim, prior, hyper, seed)?)),
    }
}
