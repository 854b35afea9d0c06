//! Ordinary least squares with an intercept: the fit whose assumptions the battery tests.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use serde::Serialize;

use super::least_squares::{self, centered_tss, first_dependence, with_constant};
use crate::error::{Error, Result, ensure_finite, ensure_len};

/// An OLS fit `y = β₀ + Xβ + ε` by QR, residuals in the data's row order.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Ols {
    /// `"const"` and the feature names, in design order.
    pub names: Vec<String>,
    /// Coefficients, in design order.
    pub params: Array1<f64>,
    /// Standard errors `sqrt(s² diag((X'X)⁻¹))`.
    pub bse: Array1<f64>,
    /// Residuals `y − ŷ`, in row order.
    pub resid: Array1<f64>,
    /// Fitted values `ŷ`.
    pub fitted: Array1<f64>,
    /// `Σ resid²`.
    pub ssr: f64,
    /// `1 − SSR / Σ(y − ȳ)²`.
    pub r_squared: f64,
    /// `n − p`.
    pub df_resid: usize,
    #[serde(skip)]
    pub(crate) design: Array2<f64>,
    #[serde(skip)]
    pub(crate) y: Array1<f64>,
    #[serde(skip)]
    pub(crate) q: Array2<f64>,
    /// `(X'X)⁻¹` of the design.
    #[serde(skip)]
    pub(crate) cov_unscaled: Array2<f64>,
}

impl Ols {
    /// Fits `y` on an intercept and the columns of `x` (shape `(n, k)`, named by `names`).
    ///
    /// Errors: non-finite values (naming the row), fewer than `k + 2` rows, a constant target,
    /// and perfectly collinear columns (naming the column and those it is a combination of).
    pub fn fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>, names: &[String]) -> Result<Self> {
        ensure_len("features and target", x.nrows(), y.len())?;
        ensure_len("features and their names", x.ncols(), names.len())?;
        ensure_finite("target", &y.to_vec())?;
        for (j, column) in x.columns().into_iter().enumerate() {
            ensure_finite(&names[j], &column.to_vec())?;
        }
        let p = x.ncols() + 1;
        if y.len() < p + 1 {
            return Err(Error::TooFewRows {
                what: format!("an OLS fit with {p} parameters (rows: parameters + 1)"),
                needed: p + 1,
                found: y.len(),
            });
        }
        if y.iter().all(|&v| v == y[0]) {
            return Err(Error::Undefined { test: "OLS".into(), reason: "the target is constant".into() });
        }
        let design = with_constant(x);
        let all_names: Vec<String> =
            std::iter::once("const".to_owned()).chain(names.iter().cloned()).collect();
        if let Some(d) = first_dependence(design.view())? {
            return Err(Error::Collinear {
                column: all_names[d.column].clone(),
                with: d.with.iter().map(|&i| all_names[i].clone()).collect(),
            });
        }
        let fit = least_squares::qr_fit(design.view(), y)?;
        let df_resid = y.len() - p;
        let sigma2 = fit.ssr / df_resid as f64;
        let bse = fit.cov_unscaled.diag().mapv(|v| (sigma2 * v).sqrt());
        let fitted = &y - &fit.resid;
        Ok(Self {
            names: all_names,
            params: fit.params,
            bse,
            fitted,
            ssr: fit.ssr,
            r_squared: 1.0 - fit.ssr / centered_tss(y),
            df_resid,
            resid: fit.resid,
            design,
            y: y.to_owned(),
            q: fit.q,
            cov_unscaled: fit.cov_unscaled,
        })
    }

    /// Number of observations.
    pub fn n_obs(&self) -> usize {
        self.resid.len()
    }

    /// Number of parameters, intercept included.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// The design `[1, X]`, shape `(n, p)`.
    pub fn design(&self) -> &Array2<f64> {
        &self.design
    }

    /// The target.
    pub fn target(&self) -> &Array1<f64> {
        &self.y
    }

    /// `s² = SSR / (n − p)`.
    pub fn sigma2(&self) -> f64 {
        self.ssr / self.df_resid as f64
    }
}
