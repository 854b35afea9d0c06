//! MUNGE, the synthetic-data generator of Buciluǎ, Caruana & Niculescu-Mizil (2006), "Model
//! compression" (KDD 2006, Algorithm 1), and the paper's baselines.
//!
//! A large unlabelled sample that looks like the training data lets a teacher label as many
//! points as a small student needs to imitate it. MUNGE makes one by mixing each example with
//! its nearest neighbour, attribute by attribute. For `k` rounds, each on a fresh copy `T'` of
//! the training rows:
//!
//! ```text
//! for each example e of T' (in row order):
//!     e' ← the example of T' \ {e} nearest to e
//!     for each attribute a, with probability p:
//!         numeric:     sd ← |e_a − e'_a| / s
//!                      e_a ← N(e'_a, sd²),  e'_a ← N(e_a, sd²)   (both from the old values)
//!         categorical: swap e_a and e'_a
//! add T' to the output
//! ```
//!
//! Distance: numeric features are standardised by the training rows' mean and (population)
//! standard deviation (1 for a constant feature), so the distance is
//! `Σ_numeric ((e_a − e'_a)/sd_a)² + Σ_categorical [e_a ≠ e'_a]` (squared Euclidean on z-scores
//! plus Hamming, as the paper's "Euclidean for continuous, Hamming for nominal"). Ties go to
//! the lowest row index. Draws are made in the original units (the same as drawing the z-score
//! with the scaled spread). Categorical values are only ever swapped, so they stay valid level
//! codes.
//!
//! Departures from the paper, stated: the paper writes the numeric update as two sequential
//! assignments; here both new values are drawn around the *old* values of the pair (the
//! symmetric, "swap-like" reading, so `s → ∞` is an exact swap). The nearest neighbour is
//! searched in the round's copy as it is being modified, as in the paper's pseudo-code. The
//! defaults `p = 0.5`, `s = 10` are kd's; the paper treats both as parameters.
//!
//! Baselines: [`independent_marginals`] (the paper's RANDOM: every attribute drawn on its own
//! from its empirical marginal) and [`naive_bayes_estimation`] (the paper's NBE, a mixture of
//! independent-feature components fitted by EM; here kd's [`Mixture`](crate::input::Mixture)).

mod baselines;
mod neighbours;

use ndarray::{Array2, ArrayView2, s};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Result, invalid_parameter};
use crate::input::{FeatureKind, normal_quantile};
pub use baselines::{independent_marginals, naive_bayes_estimation};
use neighbours::Metric;

/// Parameters of [`munge`].
///
/// | parameter | default | meaning | valid range |
/// |---|---|---|---|
/// | `p` | 0.5 | probability that an attribute of a pair is mixed | `0 ≤ p ≤ 1` |
/// | `s` | 10 | local-variance divisor: the draw's sd is `|e_a − e'_a| / s` | `s > 0`, finite |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MungeParams {
    /// Probability of mixing an attribute.
    pub p: f64,
    /// Divisor of the neighbours' distance giving the draw's standard deviation.
    pub s: f64,
}

impl Default for MungeParams {
    fn default() -> Self {
        Self { p: 0.5, s: 10.0 }
    }
}

impl MungeParams {
    /// Sets the probability of mixing an attribute.
    pub fn p(mut self, p: f64) -> Self {
        self.p = p;
        self
    }

    /// Sets the local-variance divisor.
    pub fn s(mut self, s: f64) -> Self {
        self.s = s;
        self
    }

    /// Checks the ranges in the parameter table.
    pub fn check(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.p) {
            return Err(invalid_parameter("p", format!("{} (a probability, 0 to 1)", self.p)));
        }
        if !(self.s.is_finite() && self.s > 0.0) {
            return Err(invalid_parameter("s", format!("{} (a finite number above 0)", self.s)));
        }
        Ok(())
    }
}

/// `n_points` MUNGE points drawn from the rows of `x` (shape `(n, d)`, categorical features as
/// level codes `0..levels` of `kinds`), shape `(n_points, d)`.
///
/// Rounds are run until `n_points` are made: row `r·n + i` is example `i` after round `r`, and
/// the last round is cut short, so `n_points = k·n` gives the paper's `k` rounds. Deterministic
/// for a given `seed`. Errors: `p` or `s` out of range, fewer than 2 rows, `kinds` of the wrong
/// length, a non-finite value or an invalid level code.
pub fn munge(
    params: &MungeParams,
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    n_points: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    params.check()?;
    check_data(x, kinds, 2)?;
    let (n, d) = x.dim();
    let metric = Metric::fit(x, kinds);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Array2::zeros((n_points, d));
    // Row-major copy of the training rows: row `i` is `rows[i·d..(i+1)·d]`.
    let rows: Vec<f64> = x.iter().copied().collect();
    let mut start = 0;
    while start < n_points {
        let mut copy = rows.clone();
        one_round(params, &mut copy, kinds, &metric, &mut rng);
        let take = n.min(n_points - start);
        for (i, mut row) in out.slice_mut(s![start..start + take, ..]).rows_mut().into_iter().enumerate() {
            row.iter_mut().zip(&copy[i * d..(i + 1) * d]).for_each(|(o, &v)| *o = v);
        }
        start += take;
    }
    Ok(out)
}

/// One pass of Algorithm 1 over every example of `t` (row-major, `kinds.len()` columns), in
/// place.
fn one_round(
    params: &MungeParams,
    t: &mut [f64],
    kinds: &[FeatureKind],
    metric: &Metric,
    rng: &mut ChaCha8Rng,
) {
    let d = kinds.len();
    for i in 0..t.len() / d {
        let j = metric.nearest(t, i);
        for (a, kind) in kinds.iter().enumerate() {
            if rng.r#gen::<f64>() >= params.p {
                continue;
            }
            let (u, v) = (t[i * d + a], t[j * d + a]);
            match kind {
                FeatureKind::Numeric => {
                    let sd = (u - v).abs() / params.s;
                    t[i * d + a] = v + sd * standard_normal(rng);
                    t[j * d + a] = u + sd * standard_normal(rng);
                }
                FeatureKind::Categorical { .. } => {
                    t[i * d + a] = v;
                    t[j * d + a] = u;
                }
            }
        }
    }
}

/// A standard normal draw by inversion of a uniform on the open interval `(0, 1)`.
fn standard_normal<R: Rng>(rng: &mut R) -> f64 {
    normal_quantile(open_unit(rng))
}

/// A uniform draw on `(0, 1)` (53 random bits, centred), so inversion never meets 0 or 1.
pub(crate) fn open_unit<R: Rng>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Checks that `kinds` matches `x`, that `x` has at least `min_rows` rows, and that every value
/// is finite (numeric) or a valid level code (categorical).
pub(crate) fn check_data(x: ArrayView2<'_, f64>, kinds: &[FeatureKind], min_rows: usize) -> Result<()> {
    let (n, d) = x.dim();
    if kinds.len() != d {
        return Err(invalid_parameter("kinds", format!("{} feature kinds for {d} columns", kinds.len())));
    }
    if n < min_rows {
        return Err(invalid_parameter("data", format!("{n} rows; at least {min_rows} are needed")));
    }
    for ((i, j), &v) in x.indexed_iter() {
        let ok = match kinds[j] {
            FeatureKind::Numeric => v.is_finite(),
            FeatureKind::Categorical { levels } => v >= 0.0 && v.fract() == 0.0 && v < levels as f64,
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
