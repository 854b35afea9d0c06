//! The input model of Bastani, Kim & Bastani (2017): a mixture of axis-aligned Gaussians fitted
//! by EM, sampled exactly within a box.
//!
//! Numeric features: per component a mean and a variance (diagonal covariance, as the paper's
//! "axis-aligned Gaussians"; scikit-learn's `GaussianMixture(covariance_type="diag")` with
//! `reg_covar` on standardised data is the reference for the EM). Categorical features (level
//! codes): per component the frequency of each level, smoothed by 0.01 so no level is
//! impossible. Components are started by k-means++ on the standardised numeric features and
//! their number is given or chosen by BIC.
//!
//! Sampling from the mixture restricted to a [`Region`] is exact: component `k` is chosen with
//! probability `w_k·P_k(region) / Σ_j w_j·P_j(region)` (its mass in the box, a product of
//! normal probabilities and level frequencies), then every numeric feature is drawn from its
//! truncated normal by inversion and every categorical one from its frequencies restricted to
//! the allowed codes. No rejection, so tiny regions cost what large ones do.

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::normal::TruncatedNormal;
use super::region::Region;
use crate::error::{Result, invalid_parameter};

/// What a feature holds (kd-core's, so that [`Dataset::feature_kinds`](kd_core::data::Dataset::feature_kinds) feeds the input model directly).
pub use kd_core::data::FeatureKind;

/// How many components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Components {
    /// Exactly this many.
    Fixed(usize),
    /// The count from 1 to `max` with the lowest BIC.
    Bic {
        /// Largest count tried.
        max: usize,
    },
}

/// Parameters of [`Mixture::fit`].
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `components` | `Bic { max: 10 }` | component count, given or chosen by BIC |
/// | `max_iter` | 200 | EM iterations per fit |
/// | `tol` | 1e-4 | stop when the mean log-likelihood changes less |
/// | `reg` | 1e-6 | added to each variance of the standardised features (scikit-learn's `reg_covar`) |
/// | `seed` | 0 | k-means++ start |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MixtureParams {
    /// Component count.
    pub components: Components,
    /// EM iterations.
    pub max_iter: usize,
    /// Convergence tolerance on the mean log-likelihood.
    pub tol: f64,
    /// Variance floor on the standardised scale.
    pub reg: f64,
    /// Seed of the start.
    pub seed: u64,
}

impl Default for MixtureParams {
    fn default() -> Self {
        Self { components: Components::Bic { max: 10 }, max_iter: 200, tol: 1e-4, reg: 1e-6, seed: 0 }
    }
}

/// One component: per feature a mean and standard deviation (numeric) or level frequencies
/// (categorical; the other fields unused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Mixing weight.
    pub weight: f64,
    /// Mean per feature (original units).
    pub mean: Vec<f64>,
    /// Standard deviation per feature (original units).
    pub sd: Vec<f64>,
    /// Level frequencies per feature (empty for numeric features).
    pub frequencies: Vec<Vec<f64>>,
}

/// A fitted mixture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mixture {
    /// Kind of each feature.
    pub kinds: Vec<FeatureKind>,
    /// The components.
    pub components: Vec<Component>,
    /// Log-likelihood of the training data.
    pub log_likelihood: f64,
    /// Bayesian information criterion, `−2·loglik + p·ln n`.
    pub bic: f64,
    /// Smallest and largest training value per feature (a fallback box for regions the
    /// mixture gives no mass).
    pub range: Vec<(f64, f64)>,
}

/// Added to every level count of a categorical feature, so no level is impossible.
pub(crate) const LEVEL_SMOOTHING: f64 = 0.01;

/// Draws in the open interval `(0, 1)` (53 random bits, centred), so inversion never meets 0.
#[inline]
pub(crate) fn open_unit<R: Rng>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

impl Mixture {
    /// Fits the mixture to `x` (shape `(n, d)`, categorical features as level codes).
    pub fn fit(params: &MixtureParams, x: ArrayView2<'_, f64>, kinds: &[FeatureKind]) -> Result<Self> {
        let (n, d) = x.dim();
        check(params, x, kinds)?;
        let (centre, scale) = standardisation(x, kinds);
        let z = Array2::from_shape_fn((n, d), |(i, j)| match kinds[j] {
            FeatureKind::Numeric => (x[[i, j]] - centre[j]) / scale[j],
            FeatureKind::Categorical { .. } => x[[i, j]],
        });
        let counts: Vec<usize> = match params.components {
            Components::Fixed(k) => vec![k],
            Components::Bic { max } => (1..=max.min(n)).collect(),
        };
        let mut best: Option<Mixture> = None;
        for k in counts {
            let fitted = super::em::fit(&z, kinds, k, params)?;
            let candidate = fitted.into_mixture(kinds, &centre, &scale, n);
            if best.as_ref().is_none_or(|b| candidate.bic < b.bic) {
                best = Some(candidate);
            }
        }
        let mut mixture = best.ok_or_else(|| invalid_parameter("components", "no component count to try"))?;
        mixture.range = (0..d)
            .map(|j| {
                let column = x.column(j);
                (
                    column.fold(f64::INFINITY, |a, &b| a.min(b)),
                    column.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
                )
            })
            .collect();
        Ok(mixture)
    }

    /// Number of features.
    pub fn dim(&self) -> usize {
        self.kinds.len()
    }

    /// Probability of `region` under the mixture.
    pub fn mass(&self, region: &Region) -> f64 {
        self.restricted(region).iter().map(|c| c.log_mass.exp()).sum()
    }

    /// `n` points drawn from the mixture restricted to `region`, shape `(n, d)`. A region the
    /// mixture gives no mass at all (far outside the data) is sampled uniformly within it,
    /// its infinite bounds replaced by the training range.
    pub fn sample<R: Rng>(&self, region: &Region, n: usize, rng: &mut R) -> Result<Array2<f64>> {
        if region.dim() != self.dim() {
            return Err(invalid_parameter(
                "region",
                format!("{} features, the mixture has {}", region.dim(), self.dim()),
            ));
        }
        let parts = self.restricted(region);
        let top = parts.iter().map(|c| c.log_mass).fold(f64::NEG_INFINITY, f64::max);
        let d = self.dim();
        let mut out = Array2::zeros((n, d));
        if !top.is_finite() {
            self.sample_uniform(region, &mut out, rng);
            return Ok(out);
        }
        let mut cumulative = Vec::with_capacity(parts.len());
        let mut total = 0.0;
        for c in &parts {
            total += (c.log_mass - top).exp();
            cumulative.push(total);
        }
        let Some(slice) = out.as_slice_mut() else {
            return Err(invalid_parameter("sample", "output not contiguous"));
        };
        for row in slice.chunks_exact_mut(d) {
            let pick = rng.r#gen::<f64>() * total;
            let k = cumulative.iter().position(|&c| pick < c).unwrap_or(parts.len() - 1);
            let part = &parts[k];
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = match &part.features[j] {
                    Restricted::Numeric(t) => t.draw(open_unit(rng)),
                    Restricted::Categorical(cum) => {
                        let last = cum.last().copied().unwrap_or(0.0);
                        let u = rng.r#gen::<f64>() * last;
                        cum.iter().position(|&c| u < c && c > 0.0).unwrap_or(cum.len() - 1) as f64
                    }
                };
            }
        }
        Ok(out)
    }

    fn sample_uniform<R: Rng>(&self, region: &Region, out: &mut Array2<f64>, rng: &mut R) {
        for mut row in out.rows_mut() {
            for (j, cell) in row.iter_mut().enumerate() {
                let (lo, hi) = (
                    if region.lower[j].is_finite() {
                        region.lower[j]
                    } else {
                        self.range[j].0.min(region.upper[j])
                    },
                    if region.upper[j].is_finite() {
                        region.upper[j]
                    } else {
                        self.range[j].1.max(region.lower[j])
                    },
                );
                *cell = match self.kinds[j] {
                    FeatureKind::Numeric => lo + (hi - lo) * open_unit(rng),
                    FeatureKind::Categorical { .. } => {
                        let (first, last) = (lo.floor() + 1.0, hi.floor());
                        first + ((last - first + 1.0) * rng.r#gen::<f64>()).floor().min(last - first)
                    }
                };
            }
        }
    }

    /// Each component restricted to `region`: its log mass there (with its weight) and the
    /// per-feature samplers.
    fn restricted(&self, region: &Region) -> Vec<RestrictedComponent> {
        self.components
            .iter()
            .map(|c| {
                let mut log_mass = c.weight.ln();
                let features = (0..self.dim())
                    .map(|j| match self.kinds[j] {
                        FeatureKind::Numeric => {
                            let t =
                                TruncatedNormal::new(c.mean[j], c.sd[j], region.lower[j], region.upper[j]);
                            log_mass += t.log_mass();
                            Restricted::Numeric(t)
                        }
                        FeatureKind::Categorical { .. } => {
                            let mut total = 0.0;
                            let cum: Vec<f64> = c.frequencies[j]
                                .iter()
                                .enumerate()
                                .map(|(level, &f)| {
                                    let code = level as f64;
                                    if code > region.lower[j] && code <= region.upper[j] {
                                        total += f;
                                    }
                                    total
                                })
                                .collect();
                            log_mass += total.ln();
                            Restricted::Categorical(cum)
                        }
                    })
                    .collect();
                RestrictedComponent { log_mass, features }
            })
            .collect()
    }

    /// A mixture drawn with a seed, for tests and benchmarks: `k` components in `d` numeric
    /// dimensions, means uniform in `[−3, 3]`, standard deviations in `[0.5, 1.5]`.
    pub fn random(k: usize, d: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let components = (0..k)
            .map(|_| Component {
                weight: 1.0 / k as f64,
                mean: (0..d).map(|_| rng.gen_range(-3.0..3.0)).collect(),
                sd: (0..d).map(|_| rng.gen_range(0.5..1.5)).collect(),
                frequencies: vec![Vec::new(); d],
            })
            .collect();
        Self {
            kinds: vec![FeatureKind::Numeric; d],
            components,
            log_likelihood: f64::NAN,
            bic: f64::NAN,
            range: vec![(-6.0, 6.0); d],
        }
    }
}

enum Restricted {
    Numeric(TruncatedNormal),
    Categorical(Vec<f64>),
}

struct RestrictedComponent {
    log_mass: f64,
    features: Vec<Restricted>,
}

fn check(params: &MixtureParams, x: ArrayView2<'_, f64>, kinds: &[FeatureKind]) -> Result<()> {
    let (n, d) = x.dim();
    if kinds.len() != d {
        return Err(invalid_parameter("kinds", format!("{} feature kinds for {d} columns", kinds.len())));
    }
    if n < 2 {
        return Err(invalid_parameter("data", format!("{n} rows; the input model needs at least 2")));
    }
    let k_ok = match params.components {
        Components::Fixed(k) => (1..=n).contains(&k),
        Components::Bic { max } => max >= 1,
    };
    if !k_ok {
        return Err(invalid_parameter(
            "components",
            format!("{:?} (1 to the row count, {n})", params.components),
        ));
    }
    if !(params.reg > 0.0 && params.tol > 0.0) {
        return Err(invalid_parameter("reg/tol", "both must be positive"));
    }
    for ((i, j), &v) in x.indexed_iter() {
        let ok = match kinds[j] {
            FeatureKind::Numeric => v.is_finite(),
            FeatureKind::Categorical { levels } => v >= 0.0 && v.fract() == 0.0 && (v as usize) < levels,
        };
        if !ok {
            return Err(invalid_parameter(
                "data",
                format!("row {i}, column {j}: {v} is not a finite number or a valid level code"),
            ));
        }
    }
    Ok(())
}

/// Mean and standard deviation of each numeric feature (1 for constant ones).
fn standardisation(x: ArrayView2<'_, f64>, kinds: &[FeatureKind]) -> (Vec<f64>, Vec<f64>) {
    let n = x.nrows() as f64;
    (0..x.ncols())
        .map(|j| match kinds[j] {
            FeatureKind::Numeric => {
                let column = x.column(j);
                let mean = column.sum() / n;
                let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
                (mean, if sd > 0.0 { sd } else { 1.0 })
            }
            FeatureKind::Categorical { .. } => (0.0, 1.0),
        })
        .unzip()
}
