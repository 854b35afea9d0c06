//! Expectation-maximisation for the axis-aligned mixture on standardised data, started from
//! k-means++ centres (Arthur & Vassilvitskii 2007) and hard assignment to them.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::mixture::{Component, FeatureKind, LEVEL_SMOOTHING, Mixture, MixtureParams};
use crate::error::Result;

/// A fit on the standardised scale.
pub(super) struct Fitted {
    weights: Vec<f64>,
    /// `(k, d)` means and variances (numeric features).
    means: Array2<f64>,
    vars: Array2<f64>,
    /// Per component, per feature, level frequencies (empty for numeric).
    freqs: Vec<Vec<Vec<f64>>>,
    log_likelihood: f64,
}

impl Fitted {
    /// The mixture in original units, with its BIC for `n` rows.
    pub(super) fn into_mixture(
        self,
        kinds: &[FeatureKind],
        centre: &[f64],
        scale: &[f64],
        n: usize,
    ) -> Mixture {
        let k = self.weights.len();
        let per_component: usize = kinds
            .iter()
            .map(|kind| match kind {
                FeatureKind::Numeric => 2,
                FeatureKind::Categorical { levels } => levels.saturating_sub(1),
            })
            .sum();
        let n_params = (k - 1 + k * per_component) as f64;
        let components = (0..k)
            .map(|c| Component {
                weight: self.weights[c],
                mean: (0..kinds.len()).map(|j| centre[j] + scale[j] * self.means[[c, j]]).collect(),
                sd: (0..kinds.len()).map(|j| scale[j] * self.vars[[c, j]].sqrt()).collect(),
                frequencies: self.freqs[c].clone(),
            })
            .collect();
        Mixture {
            kinds: kinds.to_vec(),
            components,
            log_likelihood: self.log_likelihood,
            bic: -2.0 * self.log_likelihood + n_params * (n as f64).ln(),
            range: Vec::new(),
        }
    }
}

/// Fits `k` components to standardised `z`.
pub(super) fn fit(
    z: &Array2<f64>,
    kinds: &[FeatureKind],
    k: usize,
    params: &MixtureParams,
) -> Result<Fitted> {
    let n = z.nrows();
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_add(k as u64));
    let numeric: Vec<usize> = (0..kinds.len()).filter(|&j| kinds[j] == FeatureKind::Numeric).collect();
    let centres = kmeans_pp(z, &numeric, k, &mut rng);
    let mut resp = Array2::zeros((n, k));
    for i in 0..n {
        let nearest = (0..k)
            .min_by(|&a, &b| {
                distance(z, i, &centres[a], &numeric).total_cmp(&distance(z, i, &centres[b], &numeric))
            })
            .unwrap_or(0);
        resp[[i, nearest]] = 1.0;
    }
    let mut fitted = m_step(z, kinds, &resp, params.reg);
    let mut previous = f64::NEG_INFINITY;
    for _ in 0..params.max_iter {
        let ll = e_step(z, kinds, &fitted, &mut resp);
        fitted = m_step(z, kinds, &resp, params.reg);
        fitted.log_likelihood = ll;
        if (ll - previous).abs() / n as f64 <= params.tol {
            break;
        }
        previous = ll;
    }
    fitted.log_likelihood = e_step(z, kinds, &fitted, &mut resp);
    Ok(fitted)
}

fn distance(z: &Array2<f64>, i: usize, centre: &[f64], numeric: &[usize]) -> f64 {
    numeric.iter().zip(centre).map(|(&j, c)| (z[[i, j]] - c).powi(2)).sum()
}

/// k-means++ seeding: the first centre uniformly, each next one with probability proportional
/// to the squared distance to the nearest chosen centre. Centres hold the numeric features.
fn kmeans_pp(z: &Array2<f64>, numeric: &[usize], k: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let n = z.nrows();
    let row = |i: usize| numeric.iter().map(|&j| z[[i, j]]).collect::<Vec<f64>>();
    let mut centres = vec![row(rng.gen_range(0..n))];
    let mut nearest: Vec<f64> = (0..n).map(|i| distance(z, i, &centres[0], numeric)).collect();
    while centres.len() < k {
        let total: f64 = nearest.iter().sum();
        let next = if total > 0.0 {
            let mut pick = rng.r#gen::<f64>() * total;
            nearest.iter().position(|&d| {
                pick -= d;
                pick < 0.0
            })
        } else {
            None
        }
        .unwrap_or_else(|| rng.gen_range(0..n));
        let centre = row(next);
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min(distance(z, i, &centre, numeric));
        }
        centres.push(centre);
    }
    centres
}

/// Responsibilities `r_ik ∝ w_k·p_k(x_i)` (log-sum-exp per row); returns the log-likelihood.
fn e_step(z: &Array2<f64>, kinds: &[FeatureKind], f: &Fitted, resp: &mut Array2<f64>) -> f64 {
    let k = f.weights.len();
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    // Per component: ln w_k − ½ Σ_j ln(2π v_kj) over numeric features.
    let constant: Vec<f64> = (0..k)
        .map(|c| {
            f.weights[c].ln()
                - 0.5
                    * (0..kinds.len())
                        .filter(|&j| kinds[j] == FeatureKind::Numeric)
                        .map(|j| log_2pi + f.vars[[c, j]].ln())
                        .sum::<f64>()
        })
        .collect();
    let mut total = 0.0;
    let mut log_p = vec![0.0; k];
    for i in 0..z.nrows() {
        for c in 0..k {
            let mut lp = constant[c];
            for (j, kind) in kinds.iter().enumerate() {
                lp += match kind {
                    FeatureKind::Numeric => -0.5 * (z[[i, j]] - f.means[[c, j]]).powi(2) / f.vars[[c, j]],
                    FeatureKind::Categorical { .. } => f.freqs[c][j][z[[i, j]] as usize].ln(),
                };
            }
            log_p[c] = lp;
        }
        let top = log_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = log_p.iter().map(|lp| (lp - top).exp()).sum();
        let log_sum = top + sum.ln();
        total += log_sum;
        for c in 0..k {
            resp[[i, c]] = (log_p[c] - log_sum).exp();
        }
    }
    total
}

/// Weights, means, variances (`+ reg`) and smoothed level frequencies from responsibilities.
fn m_step(z: &Array2<f64>, kinds: &[FeatureKind], resp: &Array2<f64>, reg: f64) -> Fitted {
    let (n, d) = z.dim();
    let k = resp.ncols();
    let mass: Vec<f64> = (0..k).map(|c| resp.column(c).sum() + 10.0 * f64::EPSILON).collect();
    let mut means = Array2::zeros((k, d));
    let mut vars = Array2::zeros((k, d));
    let mut freqs = vec![vec![Vec::new(); d]; k];
    for c in 0..k {
        for (j, kind) in kinds.iter().enumerate() {
            match kind {
                FeatureKind::Numeric => {
                    let mean = (0..n).map(|i| resp[[i, c]] * z[[i, j]]).sum::<f64>() / mass[c];
                    let var =
                        (0..n).map(|i| resp[[i, c]] * (z[[i, j]] - mean).powi(2)).sum::<f64>() / mass[c];
                    means[[c, j]] = mean;
                    vars[[c, j]] = var + reg;
                }
                FeatureKind::Categorical { levels } => {
                    let mut counts = vec![LEVEL_SMOOTHING; *levels];
                    for i in 0..n {
                        counts[z[[i, j]] as usize] += resp[[i, c]];
                    }
                    let total: f64 = counts.iter().sum();
                    freqs[c][j] = counts.iter().map(|v| v / total).collect();
                    vars[[c, j]] = 1.0;
                }
            }
        }
    }
    Fitted {
        weights: mass.iter().map(|m| m / n as f64).collect(),
        means,
        vars,
        freqs,
        log_likelihood: f64::NAN,
    }
}
