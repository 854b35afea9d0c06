//! Multicollinearity: variance inflation factors and the condition number.

use ndarray_linalg::SVD;

use super::ols::Ols;
use super::scaling::mul_pow2;
use crate::error::{Error, Result};

/// `VIF_j = 1 / (1 − R²_j)`, `R²_j` from regressing feature `j` on the other features and an
/// intercept (statsmodels' `variance_inflation_factor` on the design with its constant).
/// Features in design order, the intercept excluded.
///
/// Computed without those regressions: by the partitioned inverse, the feature block of
/// `(X'X)⁻¹` (design with intercept) is the inverse of the centred features' Gram matrix, so
/// `VIF_j = [(X'X)⁻¹]_jj · Σ (x_j − x̄_j)²`, with `(X'X)⁻¹` from the fit's QR. The centred sum
/// of squares is `Σ_{i≥1} R_ij²` (the intercept is the first column, so `R_0j q_0` is the
/// column's mean part), read from `R` without cancellation.
pub fn vif(ols: &Ols) -> Result<Vec<f64>> {
    let r = &ols.w.r;
    Ok((1..ols.n_params())
        .map(|j| {
            ols.w.cov_unscaled[[j, j]] * r.slice(ndarray::s![1..=j, j]).iter().map(|v| v * v).sum::<f64>()
        })
        .collect())
}

/// 2-norm condition number of the design with its intercept in the data's units, `σ_max /
/// σ_min` of its singular values (as `numpy.linalg.cond`). They are those of `R D`, with `R`
/// the fit's triangular factor and `D` the diagonal of the columns' power-of-two scales, so no
/// `n × p` SVD is needed. Unlike every test, it depends on the features' units; beyond `f64`'s
/// range (features near 1e308) it is an error.
pub fn condition_number(ols: &Ols) -> Result<f64> {
    let p = ols.n_params();
    let rd =
        ndarray::Array2::from_shape_fn((p, p), |(i, j)| mul_pow2(ols.w.r[[i, j]], ols.column_exponent(j)));
    let (_, sigma, _) = rd
        .svd(false, false)
        .map_err(|e| Error::Linalg { what: "singular values of the design".into(), reason: e.to_string() })?;
    let max = sigma.iter().fold(0.0f64, |m, v| m.max(*v));
    let min = sigma.iter().fold(f64::INFINITY, |m, v| m.min(*v));
    let kappa = max / min;
    if !kappa.is_finite() {
        return Err(Error::Undefined {
            test: "the condition number".into(),
            reason: "the design's singular values leave f64's range in the data's units".into(),
        });
    }
    Ok(kappa)
}
