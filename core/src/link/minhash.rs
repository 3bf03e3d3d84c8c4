//! MinHash signatures of shingle sets and their LSH band keys: how template linking finds candidate
//! pairs without comparing all pairs, and what the store keeps per ad so that incremental analysis finds
//! the stored ads a new ad may share a template with.

use super::template::mix;

/// Values per signature.
pub(crate) const HASHES: usize = 128;

/// MinHash signatures of every ad's shingle set, `HASHES` values each, in one flat buffer.
pub(crate) struct Signatures {
    values: Vec<u32>,
    /// For each ad, its signature's index in `values`, if it has a template.
    slot: Vec<Option<usize>>,
}

impl Signatures {
    pub(crate) fn compute(sets: &[Vec<u32>]) -> Signatures {
        let coeffs = coefficients();
        let mut values = Vec::new();
        let mut slot = Vec::with_capacity(sets.len());
        let mut mins = [u64::MAX; HASHES];
        for set in sets {
            if set.is_empty() {
                slot.push(None);
                continue;
            }
            mins.fill(u64::MAX);
            for &s in set {
                let h = mix(u64::from(s) ^ 0x9E37_79B9_7F4A_7C15);
                for (m, &(a, b)) in mins.iter_mut().zip(coeffs.iter()) {
                    let v = h.wrapping_mul(a).wrapping_add(b);
                    if v < *m {
                        *m = v;
                    }
                }
            }
            slot.push(Some(values.len() / HASHES));
            values.extend(mins.iter().map(|&m| (m >> 32) as u32));
        }
        Signatures { values, slot }
    }

    pub(crate) fn get(&self, i: usize) -> Option<&[u32]> {
        let s = self.slot.get(i).copied().flatten()?;
        self.values.get(s * HASHES..(s + 1) * HASHES)
    }
}

/// Per-hash multipliers (odd) and offsets, from a fixed seed so signatures are reproducible.
fn coefficients() -> [(u64, u64); HASHES] {
    let mut state = 0x5EED_0F7E_3A1A_7E11_u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(state)
    };
    let mut out = [(0u64, 0u64); HASHES];
    for c in &mut out {
        *c = (next() | 1, next());
    }
    out
}

pub(crate) fn band_key(band: usize, rows: &[u32]) -> u64 {
    rows.iter().fold(mix(band as u64 + 1), |h, &r| mix(h ^ u64::from(r)))
}

/// Rows per LSH band: the S-curve's midpoint `(1/b)^(1/r)` sits a little below the threshold, so
/// pairs at the threshold are found with high probability and much less similar pairs rarely collide.
pub(crate) fn rows_per_band(threshold: f32) -> usize {
    match threshold {
        t if t < 0.35 => 2,
        t if t < 0.7 => 4,
        t if t < 0.85 => 8,
        _ => 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_width_follows_threshold() {
        for t in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let r = rows_per_band(t);
            assert_eq!(HASHES % r, 0);
            let midpoint = (1.0 / (HASHES / r) as f32).powf(1.0 / r as f32);
            assert!(midpoint <= t.max(0.2) + 0.05, "threshold {t}: midpoint {midpoint}");
        }
    }
}
