//! Grouped, label-stratified folds and out-of-fold scores.

use std::collections::BTreeMap;

use super::design::Design;
use super::fit::fit_head;
use super::options::Hyper;
use crate::error::Result;
use crate::features::{self};

/// A small deterministic generator (SplitMix64) for shuffling splits.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        features::mix(self.0)
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Assigns each example to one of `k` folds so that every group stays in one fold and each fold gets
/// about the same number of positives and negatives.
pub fn grouped_folds(groups: &[usize], positive: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut members: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (g, p) in groups.iter().zip(positive) {
        let e = members.entry(*g).or_default();
        if *p {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut list: Vec<(usize, usize, usize)> = members.into_iter().map(|(g, (p, n))| (g, p, n)).collect();
    Rng::new(seed).shuffle(&mut list);
    // Largest groups first, so that the greedy balance has room to even out.
    list.sort_by_key(|(_, p, n)| std::cmp::Reverse(p + n));
    let total_p = positive.iter().filter(|p| **p).count().max(1) as f64;
    let total_n = (positive.len() - positive.iter().filter(|p| **p).count()).max(1) as f64;
    let mut load = vec![(0usize, 0usize); k];
    let mut fold_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (g, p, n) in list {
        let best = (0..k)
            .min_by(|&a, &b| {
                let cost = |f: usize| (load[f].0 + p) as f64 / total_p + (load[f].1 + n) as f64 / total_n;
                cost(a).total_cmp(&cost(b)).then(a.cmp(&b))
            })
            .expect("k >= 1");
        load[best].0 += p;
        load[best].1 += n;
        fold_of.insert(g, best);
    }
    groups.iter().map(|g| fold_of[g]).collect()
}

/// Out-of-fold raw logits for every reported example (`..d.main`), as (text part, indicator part),
/// each from the fold that held it out.
pub(crate) fn out_of_fold(
    d: &Design,
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    folds: usize,
    seed: u64,
) -> Result<Vec<(f32, f32)>> {
    let all: Vec<usize> = (0..d.main).collect();
    out_of_fold_within(d, &all, text_dim, prior, hyper, folds, seed)
}

/// Out-of-fold raw logits of the examples `subset` (in its order), from a grouped k-fold split of
/// `subset` alone: nested cross-validation calibrates each outer fold on these. Every fold's fit also
/// includes the design's training-only examples, which `subset` must not contain.
pub(crate) fn out_of_fold_within(
    d: &Design,
    subset: &[usize],
    text_dim: Option<usize>,
    prior: &[f32],
    hyper: &Hyper,
    folds: usize,
    seed: u64,
) -> Result<Vec<(f32, f32)>> {
    let g: Vec<usize> = subset.iter().map(|&i| d.groups[i]).collect();
    let p: Vec<bool> = subset.iter().map(|&i| d.positive[i]).collect();
    let fold = grouped_folds(&g, &p, folds, seed);
    let mut oof = vec![(0f32, 0f32); subset.len()];
    for f in 0..folds {
        let train: Vec<usize> =
            subset.iter().zip(&fold).filter(|(_, x)| **x != f).map(|(i, _)| *i).chain(d.train_only()).collect();
        let test_pos: Vec<usize> = (0..subset.len()).filter(|&j| fold[j] == f).collect();
        if test_pos.is_empty() || train.is_empty() {
            continue;
        }
        let test: Vec<usize> = test_pos.iter().map(|&j| subset[j]).collect();
        let fitted = fit_head(d, &train, text_dim, prior, hyper, seed.wrapping_add(f as u64 + 1))?;
        for (&j, z) in test_pos.iter().zip(fitted.logits(d, &test)) {
            oof[j] = z;
        }
    }
    Ok(oof)
}
