//! Per-language residuals of the job model's `text` head: a small hashed n-gram layer per language,
//! fitted on parallel ads so that a translated ad scores as its English original does.
//!
//! The `text` head's weights were learned from English ads. The gloss ([`crate::gloss`]) lets a
//! Spanish, French, Portuguese or Indonesian ad set the English buckets of the words it knows, but a
//! translation read that way is still pidgin English: the words the lexicon lacks, the word order and
//! the inflections move its score away from its English version's, up or down, by a different amount
//! for every ad. The residual learns that difference from ads written in all five languages: for a
//! parallel ad in language `L`, its target is the English version's shown log-odds minus the
//! translation's (both as the head scores them without a residual), in the text part's units; the
//! features are the translation's own word n-grams as written (no gloss), hashed into `2^bits`
//! buckets of a table of that language; the fit is ridge regression, solved exactly in its dual
//! (one equation per training ad), which is cheap because the parallel sets hold hundreds of ads,
//! not millions.
//!
//! At scoring time the residual of the ad's language is added to the text part of the glossed ad's
//! logit; English ads and languages without a table are scored as before. Tables are stored in the
//! model's safetensors as `<head>.residual.<lang>` with `2^bits + 1` entries (the last is the
//! language's intercept), and `HeadConfig::residual_bits` records `bits`.
//!
//! The parallel sets a residual is fitted on become development sets: its figures must be reported
//! on a set written after the fit (see `data/blind/README.md`).

use crate::error::{Error, Result};
use crate::features::{self, FeatureConfig, RowLayout};

/// The default size of a language's table, in bits.
pub const DEFAULT_BITS: u32 = 16;

/// A language's fitted residual: `2^bits` n-gram weights and an intercept.
#[derive(Debug, Clone, PartialEq)]
pub struct Residual {
    bits: u32,
    /// `2^bits` weights, then the intercept.
    table: Vec<f32>,
}

impl Residual {
    /// A residual from its stored table (`2^bits + 1` finite numbers); the error says what is wrong.
    pub fn from_table(bits: u32, table: Vec<f32>) -> std::result::Result<Residual, String> {
        if !(1..=24).contains(&bits) {
            return Err(format!("residual bits {bits} out of range 1..=24"));
        }
        let want = (1usize << bits) + 1;
        if table.len() != want {
            return Err(format!("a residual table of {bits} bits has {want} entries, not {}", table.len()));
        }
        if table.iter().any(|x| !x.is_finite()) {
            return Err("a residual table holds a non-finite number".into());
        }
        Ok(Residual { bits, table })
    }

    /// The stored table (`2^bits` weights, then the intercept).
    pub fn table(&self) -> &[f32] {
        &self.table
    }

    /// The table's size in bits.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The residual's buckets for an ad: the row of [`features::text_row`] (the ad as written, not
    /// glossed), folded into the table's size, sorted and de-duplicated.
    pub fn row(&self, cfg: FeatureConfig, title: &str, body: &str) -> Vec<u32> {
        row(cfg, self.bits, title, body)
    }

    /// The residual's value for an ad's row: the weights of its buckets, each scaled by one over the
    /// square root of the row's length (as the head scales its own rows), plus the intercept.
    pub fn value(&self, row: &[u32]) -> f32 {
        let scale = 1.0 / (row.len().max(1) as f32).sqrt();
        let sum: f32 = row.iter().map(|&b| self.table[b as usize]).sum();
        sum * scale + self.table[self.table.len() - 1]
    }

    /// Calls `f(start, end, contribution)` for every word n-gram of `text` (field `field` of the
    /// scoring text) with what its buckets add to [`Residual::value`], a bucket credited once, to the
    /// first n-gram that sets it (`seen` tracks that across fields; `scale` is the row's).
    pub(crate) fn for_each_contribution(
        &self,
        cfg: FeatureConfig,
        field: &str,
        text: &str,
        row: &[u32],
        seen: &mut [bool],
        mut f: impl FnMut(usize, usize, f32),
    ) {
        let scale = 1.0 / (row.len().max(1) as f32).sqrt();
        let mask = (1u32 << self.bits) - 1;
        features::for_each_ngram_span(cfg, RowLayout::Fields, field, text, None, |s, e, buckets| {
            let mut c = 0.0;
            for b in buckets {
                if let Ok(i) = row.binary_search(&(b & mask))
                    && !seen[i]
                {
                    seen[i] = true;
                    c += self.table[(b & mask) as usize] * scale;
                }
            }
            if c != 0.0 {
                f(s, e, c);
            }
        });
    }
}

/// The buckets of an ad in a table of `bits` bits (see [`Residual::row`]).
pub fn row(cfg: FeatureConfig, bits: u32, title: &str, body: &str) -> Vec<u32> {
    let mask = (1u32 << bits) - 1;
    let mut r: Vec<u32> = features::text_row(cfg, title, body).into_iter().map(|b| b & mask).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// Fits a residual by ridge regression: `rows[i]` are training ad i's buckets (from [`row`] with the
/// same `bits`), `targets[i]` what its residual should be; `lambda` is the L2 penalty on the weights
/// and the intercept. Solved in the dual, `α = (K + λI)⁻¹ y` with `K` the ads' Gram matrix, so the
/// cost grows with the square of the number of ads, not with the table.
pub fn fit(bits: u32, rows: &[Vec<u32>], targets: &[f64], lambda: f64) -> Result<Residual> {
    let n = rows.len();
    if n == 0 || targets.len() != n {
        return Err(Error::Options(format!("a residual needs one target per ad ({n} ads, {} targets)", targets.len())));
    }
    if lambda.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(Error::Options(format!("the residual's penalty must be positive, not {lambda}")));
    }
    let scale: Vec<f64> = rows.iter().map(|r| 1.0 / (r.len().max(1) as f64).sqrt()).collect();
    // The Gram matrix of the scaled rows, plus one for the intercept's constant feature.
    let mut k = vec![0f64; n * n];
    for i in 0..n {
        for j in 0..=i {
            let v = shared(&rows[i], &rows[j]) as f64 * scale[i] * scale[j] + 1.0;
            k[i * n + j] = v;
            k[j * n + i] = v;
        }
        k[i * n + i] += lambda;
    }
    let alpha =
        solve_spd(&mut k, n, targets).ok_or_else(|| Error::Options("the residual's equations are singular".into()))?;
    let mut table = vec![0f32; (1usize << bits) + 1];
    let mut weights = vec![0f64; 1usize << bits];
    let mut intercept = 0f64;
    for i in 0..n {
        for &b in &rows[i] {
            weights[b as usize] += alpha[i] * scale[i];
        }
        intercept += alpha[i];
    }
    for (t, w) in table.iter_mut().zip(&weights) {
        *t = *w as f32;
    }
    table[1usize << bits] = intercept as f32;
    Residual::from_table(bits, table).map_err(Error::Options)
}

/// How many buckets two sorted rows share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c
}

/// Solves `A x = y` for a symmetric positive-definite `A` (row-major `n × n`, overwritten by its
/// Cholesky factor); `None` when `A` is not positive definite.
fn solve_spd(a: &mut [f64], n: usize, y: &[f64]) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    // L z = y, then Lᵀ x = z.
    let mut z = y.to_vec();
    for i in 0..n {
        for k in 0..i {
            z[i] -= a[i * n + k] * z[k];
        }
        z[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            z[i] -= a[k * n + i] * z[k];
        }
        z[i] /= a[i * n + i];
    }
    Some(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let x = solve_spd(&mut a, 3, &[1.0, 2.0, 3.0]).unwrap();
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        for i in 0..3 {
            let y: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((y - [1.0, 2.0, 3.0][i]).abs() < 1e-9);
        }
        let mut not_pd = vec![1.0, 2.0, 2.0, 1.0];
        assert!(solve_spd(&mut not_pd, 2, &[1.0, 1.0]).is_none());
    }

    #[test]
    fn a_fitted_residual_reproduces_its_targets_and_generalises_by_word() {
        let cfg = FeatureConfig::default();
        // Ads that say "cuota" (a fee) should move up, the others down.
        let ads = [
            ("Trabajo", "pague una cuota de inscripción hoy"),
            ("Empleo", "cuota de formación obligatoria"),
            ("Oferta", "contrato indefinido y seguro médico"),
            ("Puesto", "horario fijo y seguro médico"),
        ];
        let rows: Vec<Vec<u32>> = ads.iter().map(|(t, b)| row(cfg, 12, t, b)).collect();
        let targets = [1.0, 1.0, -1.0, -1.0];
        let r = fit(12, &rows, &targets, 0.01).unwrap();
        for (row, t) in rows.iter().zip(targets) {
            assert!((f64::from(r.value(row)) - t).abs() < 0.1, "{} vs {t}", r.value(row));
        }
        let unseen_fee = r.value(&r.row(cfg, "Vacante", "una cuota de registro"));
        let unseen_safe = r.value(&r.row(cfg, "Vacante", "seguro médico incluido"));
        assert!(unseen_fee > 0.0 && unseen_safe < 0.0, "{unseen_fee} {unseen_safe}");
        // Every n-gram's contributions add up to the value without the intercept.
        let (title, body) = ("Vacante", "una cuota de registro");
        let rrow = r.row(cfg, title, body);
        let mut seen = vec![false; rrow.len()];
        let mut total = 0.0;
        r.for_each_contribution(cfg, "title", title, &rrow, &mut seen, |_, _, c| total += c);
        r.for_each_contribution(cfg, "body", body, &rrow, &mut seen, |_, _, c| total += c);
        let intercept = *r.table().last().unwrap();
        assert!((total + intercept - r.value(&rrow)).abs() < 1e-4, "{total} {intercept} {}", r.value(&rrow));
    }

    #[test]
    fn bad_tables_and_inputs_are_errors() {
        assert!(Residual::from_table(4, vec![0.0; 16]).is_err());
        assert!(Residual::from_table(4, vec![f32::NAN; 17]).is_err());
        assert!(Residual::from_table(0, vec![0.0; 2]).is_err());
        assert!(fit(4, &[vec![1]], &[1.0, 2.0], 1.0).is_err());
        assert!(fit(4, &[vec![1]], &[1.0], 0.0).is_err());
    }
}
