//! TREPAN's query generation: per-feature marginal models of the training rows that reach a
//! node, sampled independently subject to the tests on the path to it (Craven 1996, §4.4).
//!
//! Numeric features: a kernel density estimate with one Gaussian kernel per row,
//! `p(v) = (1/m)·Σ_i φ((v − v_i)/h)/h`. The bandwidth is the paper's `σ = 1/√m` on features
//! scaled to `[0, 1]`, that is `h = range_j/√m` with `range_j` the feature's range over all
//! training rows ([`Bandwidth::Craven`], the default), or Silverman's rule of thumb
//! `h = 0.9·min(sd, IQR/1.34)·m^(−1/5)` over the node's rows ([`Bandwidth::Silverman`]).
//! Categorical features (level codes): the empirical frequencies of the levels. Numeric queries
//! stay within the range of the feature over the training rows (departure: the paper's kernels
//! reach beyond it, which asks the teacher about impossible values such as negative areas and
//! spends literals on them).
//!
//! Constraints: the tests on the path whose outcome is a box ([`MofN::as_box`]: single
//! literals, satisfied `n of n`, failed `1 of n`) are sampled exactly, each kernel chosen with
//! probability proportional to its mass inside the interval and then drawn from its truncated
//! normal; the other m-of-n outcomes are enforced by rejection, with at most
//! `rejection_cap × needed` proposals. When the cap is reached the node keeps the queries it has
//! (departure: the paper samples m-of-n constraints feature by feature; rejection is simpler
//! and exact, at the price of fewer queries in a node that its model rarely reaches).

use kd_core::quantile::{QuantileDef, quantile};
use ndarray::{Array2, ArrayView2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::mofn::MofN;
use super::params::Bandwidth;
use crate::error::{Result, invalid_parameter};
use crate::input::{FeatureKind, Region, TruncatedNormal};

/// The independent marginals of one node's rows.
#[derive(Debug, Clone)]
pub(crate) struct Marginals {
    features: Vec<Marginal>,
}

#[derive(Debug, Clone)]
enum Marginal {
    /// Gaussian kernels at `centres` with bandwidth `h` (`h = 0`: the centres themselves),
    /// truncated to `range` (the training rows' `[min, max]`).
    Kernels { centres: Vec<f64>, h: f64, range: (f64, f64) },
    /// Level frequencies.
    Levels { freq: Vec<f64> },
}

impl Marginals {
    /// Fits the marginals to rows `rows` of `x`; `ranges` are the features' `(min, max)` over
    /// all training rows (the bounds of the queries, and the range of [`Bandwidth::Craven`]).
    /// `rows` must not be empty.
    pub fn fit(
        x: ArrayView2<'_, f64>,
        rows: &[usize],
        kinds: &[FeatureKind],
        ranges: &[(f64, f64)],
        bandwidth: Bandwidth,
    ) -> Self {
        let m = rows.len() as f64;
        let features = kinds
            .iter()
            .enumerate()
            .map(|(j, kind)| {
                let values: Vec<f64> = rows.iter().map(|&r| x[[r, j]]).collect();
                match kind {
                    FeatureKind::Categorical { levels } => {
                        let mut freq = vec![0.0; *levels];
                        for &v in &values {
                            if let Some(f) = freq.get_mut(v as usize) {
                                *f += 1.0;
                            }
                        }
                        Marginal::Levels { freq }
                    }
                    FeatureKind::Numeric => {
                        let h = match bandwidth {
                            Bandwidth::Craven => (ranges[j].1 - ranges[j].0) / m.sqrt(),
                            Bandwidth::Silverman => silverman(&values),
                        };
                        Marginal::Kernels { centres: values, h, range: ranges[j] }
                    }
                }
            })
            .collect();
        Self { features }
    }

    /// `n` points drawn independently per feature within `region` (fewer, none, when a
    /// feature has no admissible value there).
    fn draw_in(&self, region: &Region, n: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
        let d = self.features.len();
        let mut out = Array2::zeros((n, d));
        for (j, marginal) in self.features.iter().enumerate() {
            let Some(sampler) = marginal.within(region.lower[j], region.upper[j]) else {
                return Array2::zeros((0, d));
            };
            for i in 0..n {
                out[[i, j]] = sampler.draw(rng);
            }
        }
        out
    }
}

/// Silverman's rule of thumb, `0.9·min(sd, IQR/1.34)·m^(−1/5)` (the sd alone when the IQR is 0);
/// the quartiles are the order statistics at the rounded type-7 positions.
fn silverman(values: &[f64]) -> f64 {
    let m = values.len() as f64;
    let mean = values.iter().sum::<f64>() / m;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0).max(1.0)).sqrt();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| quantile(&sorted, q, QuantileDef::RoundedLinear).unwrap_or(mean);
    let iqr = (at(0.75) - at(0.25)) / 1.34;
    let spread = if iqr > 0.0 { sd.min(iqr) } else { sd };
    0.9 * spread * m.powf(-0.2)
}

/// One feature's marginal restricted to `(lower, upper]`.
enum Sampler {
    /// Kernels with cumulative masses.
    Kernels { normals: Vec<TruncatedNormal>, cumulative: Vec<f64> },
    /// Values drawn with cumulative weights.
    Values { values: Vec<f64>, cumulative: Vec<f64> },
    /// Uniform on `(lower, upper]`: the interval is beyond every kernel's resolution.
    Uniform { lower: f64, upper: f64 },
}

impl Marginal {
    fn within(&self, lower: f64, upper: f64) -> Option<Sampler> {
        let (lower, upper) = match self {
            Marginal::Kernels { range, .. } => (lower.max(range.0.next_down()), upper.min(range.1)),
            Marginal::Levels { .. } => (lower, upper),
        };
        if lower >= upper {
            return None;
        }
        match self {
            Marginal::Levels { freq } => {
                let allowed: Vec<usize> =
                    (0..freq.len()).filter(|&c| (c as f64) > lower && (c as f64) <= upper).collect();
                let uniform = allowed.iter().all(|&c| freq[c] == 0.0);
                let weights = allowed.iter().map(|&c| if uniform { 1.0 } else { freq[c] });
                values_sampler(allowed.iter().map(|&c| c as f64).collect(), weights)
            }
            Marginal::Kernels { centres, h, .. } if *h <= 0.0 || !h.is_finite() => {
                let inside: Vec<f64> = centres.iter().copied().filter(|&v| v > lower && v <= upper).collect();
                // No centre inside: the upper bound itself (inside the interval when finite).
                let values = if inside.is_empty() && upper.is_finite() { vec![upper] } else { inside };
                let weights = vec![1.0; values.len()];
                values_sampler(values, weights.into_iter())
            }
            Marginal::Kernels { centres, h, .. } => {
                let normals: Vec<TruncatedNormal> =
                    centres.iter().map(|&c| TruncatedNormal::new(c, *h, lower, upper)).collect();
                let logs: Vec<f64> = normals.iter().map(TruncatedNormal::log_mass).collect();
                let top = logs.iter().copied().filter(|v| !v.is_nan()).fold(f64::NEG_INFINITY, f64::max);
                if top.is_finite() {
                    let mut total = 0.0;
                    let cumulative = logs
                        .iter()
                        .map(|&l| {
                            total += if l.is_nan() { 0.0 } else { (l - top).exp() };
                            total
                        })
                        .collect();
                    return Some(Sampler::Kernels { normals, cumulative });
                }
                // Every kernel's mass underflows (possible only far out in a tail): uniform.
                Some(Sampler::Uniform { lower, upper })
            }
        }
    }
}

fn values_sampler(values: Vec<f64>, weights: impl Iterator<Item = f64>) -> Option<Sampler> {
    if values.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let cumulative = weights
        .map(|w| {
            total += w;
            total
        })
        .collect();
    Some(Sampler::Values { values, cumulative })
}

/// The index whose cumulative weight first exceeds `u·total`.
fn pick(cumulative: &[f64], rng: &mut ChaCha8Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = rng.r#gen::<f64>() * total;
    cumulative.partition_point(|&c| c <= target).min(cumulative.len().saturating_sub(1))
}

impl Sampler {
    fn draw(&self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            Sampler::Kernels { normals, cumulative } => {
                let k = pick(cumulative, rng);
                // u in (0, 1): `gen` gives [0, 1); 1 − u excludes 0.
                normals[k].draw(1.0 - rng.r#gen::<f64>())
            }
            Sampler::Values { values, cumulative } => values[pick(cumulative, rng)],
            Sampler::Uniform { lower, upper } => lower + (upper - lower) * (1.0 - rng.r#gen::<f64>()),
        }
    }
}

/// `n` points from `model` satisfying every `(test, outcome)` of `constraints`: box outcomes by
/// truncated sampling, the rest by rejection with at most `cap·n` proposals (fewer points when
/// the cap is reached).
pub(crate) fn sample_constrained(
    model: &Marginals,
    constraints: &[(MofN, bool)],
    n: usize,
    cap: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Array2<f64>> {
    let d = model.features.len();
    let mut region = Region::everywhere(d);
    let mut rest = Vec::new();
    for (test, outcome) in constraints {
        match test.as_box(*outcome) {
            Some(literals) => {
                for l in literals {
                    if l.greater {
                        region.lower[l.feature] = region.lower[l.feature].max(l.threshold);
                    } else {
                        region.upper[l.feature] = region.upper[l.feature].min(l.threshold);
                    }
                }
            }
            None => rest.push((test, *outcome)),
        }
    }
    let mut kept: Vec<f64> = Vec::with_capacity(n * d);
    let mut count = 0;
    let budget = cap.saturating_mul(n);
    let mut proposed = 0;
    while count < n && proposed < budget {
        let wanted = n - count;
        let batch = if rest.is_empty() { wanted } else { (2 * wanted).max(16) }.min(budget - proposed);
        let drawn = model.draw_in(&region, batch, rng);
        if drawn.nrows() == 0 {
            break;
        }
        proposed += batch;
        for row in drawn.rows() {
            if count < n && rest.iter().all(|(t, o)| t.holds(row) == *o) {
                kept.extend(row.iter());
                count += 1;
            }
        }
    }
    Array2::from_shape_vec((count, d), kept).map_err(|e| invalid_parameter("queries", e.to_string()))
}
