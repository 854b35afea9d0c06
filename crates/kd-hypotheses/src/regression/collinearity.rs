//! Multicollinearity: variance inflation factors, the generalised VIF of a categorical
//! feature's indicator columns, and the condition number.

use ndarray::Array2;
use ndarray_linalg::{Cholesky, SVD, UPLO};
use serde::Serialize;

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

/// The generalised variance inflation factor of one categorical feature (Fox & Monette 1992,
/// "Generalized collinearity diagnostics", JASA 87), as R's `car::vif` gives it for a factor
/// term: a VIF per indicator column depends on the reference level, this does not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Gvif {
    /// The feature.
    pub feature: String,
    /// `GVIF = det(R_SS) · det(R_TT) / det(R)`.
    pub gvif: f64,
    /// Its indicator columns `|S|` (car's `Df`).
    pub df: usize,
    /// `GVIF^(1 / (2·df))`: comparable across features of different `df`, as the square root
    /// of a VIF is (car's third column).
    pub scaled: f64,
}

/// GVIF of each categorical feature with at least one indicator column, in feature order.
/// `R` is the correlation matrix of the coefficient estimates without the intercept (R's
/// `cov2cor` of that block of `(X'X)⁻¹`, so the columns' scales cancel), `S` the feature's
/// columns and `T` the other columns. For a single column it is the VIF. The determinants are
/// taken as log-determinants from Cholesky factors (`R` is positive definite for a design of
/// full rank).
pub fn gvif(ols: &Ols) -> Result<Vec<Gvif>> {
    if ols.categorical().iter().all(|coded| coded.columns.is_empty()) {
        return Ok(Vec::new());
    }
    let p = ols.n_params() - 1;
    let cov = ols.w.cov_unscaled.slice(ndarray::s![1.., 1..]);
    let sd: Vec<f64> = (0..p).map(|j| cov[[j, j]].sqrt()).collect();
    let correlation = Array2::from_shape_fn((p, p), |(i, j)| cov[[i, j]] / (sd[i] * sd[j]));
    let log_det_all = log_det(&correlation)?;
    let columns = &ols.names[1..];
    ols.categorical()
        .iter()
        .filter(|coded| !coded.columns.is_empty())
        .map(|coded| {
            let (inside, outside): (Vec<usize>, Vec<usize>) =
                (0..p).partition(|&j| coded.columns.contains(&columns[j]));
            let block = |rows: &[usize]| {
                Array2::from_shape_fn((rows.len(), rows.len()), |(a, b)| correlation[[rows[a], rows[b]]])
            };
            let gvif = (log_det(&block(&inside))? + log_det(&block(&outside))? - log_det_all).exp();
            let df = inside.len();
            Ok(Gvif { feature: coded.feature.clone(), gvif, df, scaled: gvif.powf(1.0 / (2.0 * df as f64)) })
        })
        .collect()
}

/// `ln det m` of a symmetric positive definite `m` (0 for an empty one).
fn log_det(m: &Array2<f64>) -> Result<f64> {
    if m.is_empty() {
        return Ok(0.0);
    }
    let l = m.cholesky(UPLO::Lower).map_err(|e| Error::Linalg {
        what: "the correlation of the coefficient estimates (generalised VIF)".into(),
        reason: e.to_string(),
    })?;
    Ok(2.0 * l.diag().iter().map(|v| v.ln()).sum::<f64>())
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
