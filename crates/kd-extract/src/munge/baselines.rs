//! The two generators MUNGE is compared with in Buciluǎ, Caruana & Niculescu-Mizil (2006):
//! RANDOM, attributes drawn independently from their marginals, and NBE, a naive-Bayes
//! (independent-feature) mixture density fitted by EM (Lowd & Domingos, 2005).

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::check_data;
use crate::error::Result;
use crate::input::{FeatureKind, Mixture, MixtureParams, Region};

/// The paper's RANDOM baseline: `n_points` points whose every attribute is drawn on its own from
/// its empirical marginal (the value of a training row chosen uniformly at random, a fresh row
/// for each cell), shape `(n_points, d)`.
///
/// Each feature keeps its distribution exactly; every dependence between features is lost.
/// Categorical values are copied, so they stay valid level codes. Deterministic for a given
/// `seed`. Errors: no rows, `kinds` of the wrong length, a non-finite value or an invalid level
/// code.
pub fn independent_marginals(
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    n_points: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    check_data(x, kinds, 1)?;
    let (n, d) = x.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Array2::zeros((n_points, d));
    for mut row in out.rows_mut() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = x[[rng.gen_range(0..n), j]];
        }
    }
    Ok(out)
}

/// The paper's NBE baseline: `n_points` points drawn from a mixture of components within which
/// the features are independent, fitted to `x` by EM, shape `(n_points, d)`.
///
/// Departure from Lowd & Domingos (2005), who grow the component count while a held-out
/// likelihood improves and use discrete features: this is kd's input model
/// ([`Mixture::fit`] with `params`, by default the count from 1 to 10 with the lowest BIC;
/// numeric features Gaussian per component, categorical ones level frequencies smoothed by 0.01),
/// sampled without restriction. The fit's own seed is `params.seed`; the draws use `seed`.
/// Errors: those of [`Mixture::fit`].
pub fn naive_bayes_estimation(
    params: &MixtureParams,
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    n_points: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    let mixture = Mixture::fit(params, x, kinds)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    mixture.sample(&Region::everywhere(x.ncols()), n_points, &mut rng)
}
