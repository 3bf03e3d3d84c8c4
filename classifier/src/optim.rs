//! L-BFGS for the convex losses of training: candle computes each loss and its gradient (autograd);
//! this module chooses the steps.
//!
//! A regularised logistic layer has one optimum; reaching it, rather than stopping an adaptive
//! gradient method after a fixed number of epochs, makes a fit independent of learning rates and of
//! how the features happen to be scaled (naive-Bayes-scaled n-grams are far from unit scale), and
//! makes the fits of a stacked model's folds comparable with each other.

use crate::error::Result;

/// Minimises `f` from `x0` with limited-memory BFGS (history of 10) and a backtracking Armijo line
/// search. `f` returns the loss and its gradient at a point. Stops after `max_iter` iterations or
/// when the loss improves by less than `tol` (relative). Returns the point and the iterations used.
pub(crate) fn lbfgs(
    x0: Vec<f32>,
    max_iter: usize,
    tol: f64,
    mut f: impl FnMut(&[f32]) -> Result<(f64, Vec<f32>)>,
) -> Result<(Vec<f32>, usize)> {
    const M: usize = 10;
    let mut x = x0;
    let (mut fx, mut g) = f(&x)?;
    let mut s_hist: Vec<Vec<f32>> = Vec::new();
    let mut y_hist: Vec<Vec<f32>> = Vec::new();
    let mut rho_hist: Vec<f64> = Vec::new();
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum::<f64>();
    for iter in 1..=max_iter {
        // Two-loop recursion: d = −H·g.
        let mut q: Vec<f64> = g.iter().map(|v| f64::from(*v)).collect();
        let mut alpha = vec![0f64; s_hist.len()];
        for k in (0..s_hist.len()).rev() {
            let a = rho_hist[k] * s_hist[k].iter().zip(&q).map(|(s, q)| f64::from(*s) * q).sum::<f64>();
            alpha[k] = a;
            q.iter_mut().zip(&y_hist[k]).for_each(|(q, y)| *q -= a * f64::from(*y));
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(y)) => dot(s, y) / dot(y, y).max(1e-30),
            _ => 1.0 / dot(&g, &g).sqrt().max(1.0),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for k in 0..s_hist.len() {
            let b = rho_hist[k] * y_hist[k].iter().zip(&q).map(|(y, q)| f64::from(*y) * q).sum::<f64>();
            q.iter_mut().zip(&s_hist[k]).for_each(|(q, s)| *q += (alpha[k] - b) * f64::from(*s));
        }
        let mut d: Vec<f32> = q.iter().map(|v| -*v as f32).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            let scale = 1.0 / dot(&g, &g).sqrt().max(1.0);
            d = g.iter().map(|v| (-f64::from(*v) * scale) as f32).collect();
            slope = dot(&g, &d);
        }
        // Backtracking line search with the Armijo condition.
        let mut step = 1.0f64;
        let mut accepted = None;
        for _ in 0..30 {
            let xn: Vec<f32> = x.iter().zip(&d).map(|(x, d)| x + (step as f32) * d).collect();
            let (fn_, gn) = f(&xn)?;
            if fn_.is_finite() && fn_ <= fx + 1e-4 * step * slope {
                accepted = Some((xn, fn_, gn));
                break;
            }
            step *= 0.5;
        }
        let Some((xn, fn_, gn)) = accepted else { return Ok((x, iter)) };
        let s: Vec<f32> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f32> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        if sy > 1e-12 {
            if s_hist.len() == M {
                s_hist.remove(0);
                y_hist.remove(0);
                rho_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(yv);
            rho_hist.push(1.0 / sy);
        }
        let improvement = (fx - fn_) / fx.abs().max(1e-12);
        x = xn;
        fx = fn_;
        g = gn;
        if improvement < tol {
            return Ok((x, iter));
        }
    }
    Ok((x, max_iter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badly_scaled_quadratic_is_minimised() {
        // f(x) = Σ c_i (x_i − 1)², with curvatures spread over four orders of magnitude.
        let c: Vec<f64> = (0..50).map(|i| 10f64.powf(i as f64 / 12.0)).collect();
        let (x, _) = lbfgs(vec![0.0; 50], 500, 1e-14, |x| {
            let f = x.iter().zip(&c).map(|(x, c)| c * (f64::from(*x) - 1.0).powi(2)).sum();
            let g = x.iter().zip(&c).map(|(x, c)| (2.0 * c * (f64::from(*x) - 1.0)) as f32).collect();
            Ok((f, g))
        })
        .unwrap();
        assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-3), "{x:?}");
    }
}
