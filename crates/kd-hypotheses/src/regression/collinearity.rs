//! Multicollinearity: variance inflation factors and the condition number.

use ndarray_linalg::SVD;

use super::least_squares::centered_tss;
use super::ols::Ols;
use crate::error::{Error, Result};

/// `VIF_j = 1 / (1 − R²_j)`, `R²_j` from regressing feature `j` on the other features and an
/// intercept (statsmodels' `variance_inflation_factor` on the design with its constant).
/// Features in design order, the intercept excluded.
///
/// Computed without those regressions: by the partitioned inverse, the feature block of
/// `(X'X)⁻¹` (design with intercept) is the inverse of the centred features' Gram matrix, so
/// `VIF_j = [(X'X)⁻¹]_jj · Σ (x_j − x̄_j)²`, with `(X'X)⁻¹` from the fit's QR.
pub fn vif(ols: &Ols) -> Result<Vec<f64>> {
    Ok((1..ols.n_params()).map(|j| ols.cov_unscaled[[j, j]] * centered_tss(ols.design.column(j))).collect())
}

/// 2-norm condition number of the design with its intercept, `σ_max / σ_min` of its singular
/// values (as `numpy.linalg.cond`).
pub fn condition_number(ols: &Ols) -> Result<f64> {
    let (_, sigma, _) = ols
        .design
        .svd(false, false)
        .map_err(|e| Error::Linalg { what: "singular values of the design".into(), reason: e.to_string() })?;
    let max = sigma.iter().fold(0.0f64, |m, v| m.max(*v));
    let min = sigma.iter().fold(f64::INFINITY, |m, v| m.min(*v));
    Ok(max / min)
}
