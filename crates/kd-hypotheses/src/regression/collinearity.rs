//! Multicollinearity: variance inflation factors and the condition number.

use ndarray::{Axis, s};
use ndarray_linalg::SVD;

use super::least_squares::{centered_tss, ssr_fit, with_constant};
use super::ols::Ols;
use crate::error::{Error, Result};

/// `VIF_j = 1 / (1 − R²_j)`, `R²_j` from regressing feature `j` on the other features and an
/// intercept (statsmodels' `variance_inflation_factor` on the design with its constant).
/// Features in design order, the intercept excluded.
pub fn vif(ols: &Ols) -> Result<Vec<f64>> {
    let features = ols.design.slice(s![.., 1..]);
    (0..features.ncols())
        .map(|j| {
            let others: Vec<usize> = (0..features.ncols()).filter(|&i| i != j).collect();
            let design = with_constant(features.select(Axis(1), &others).view());
            let target = features.column(j);
            let r2 = 1.0 - ssr_fit(design.view(), target)?.ssr / centered_tss(target);
            Ok(1.0 / (1.0 - r2))
        })
        .collect()
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
