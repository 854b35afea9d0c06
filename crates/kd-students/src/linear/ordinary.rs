//! Linear regression students: ordinary least squares and ridge, with a coefficient table.
//!
//! Objective: `‖y − b − Xw‖² + λ‖w‖²` with the intercept `b` unpenalised (scikit-learn's
//! `Ridge(alpha = λ)`; statsmodels' `OLS` for λ = 0). The OLS coefficients come from
//! linfa-linear's `LinearRegression` (least squares by Householder QR, linfa-linalg), which
//! is more accurate than the normal equations on ill-conditioned designs (Longley); linfa-linear
//! has no ridge and no standard errors, so the ridge solution `w = (X̃ᵀX̃ + λ·diag(0, 1, …, 1))⁻¹
//! X̃ᵀy` and every coefficient table are kd's, on ndarray-linalg. Standard errors: `σ̂²·(X̃ᵀX̃)⁻¹` for OLS with
//! `σ̂² = RSS / (n − k − 1)` (statsmodels' `bse`); for ridge the sandwich
//! `σ̂²·A⁻¹ X̃ᵀX̃ A⁻¹`, `A = X̃ᵀX̃ + λ·diag(0, 1, …, 1)`, with the same `σ̂²` (an
//! approximation: the residual degrees of freedom of a penalised fit are fewer). `X̃` is `X` with
//! a leading column of ones; t statistics are tested against Student's t with `n − k − 1`
//! degrees of freedom.

use linfa::prelude::{DatasetBase, Fit};
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, s};
use ndarray_linalg::Inverse;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::Coefficient;
use crate::error::{Error, Result, check_finite, check_l2, check_rows, invalid_parameter};

/// Parameters of [`Linear::fit`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LinearParams {
    /// Ridge penalty λ on the coefficients (not the intercept); 0 (OLS) by default.
    pub l2: f64,
}

/// A fitted linear regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    /// The parameters it was fitted with.
    pub params: LinearParams,
    /// Intercept then coefficients; `z` holds the t statistic.
    pub coefficients: Vec<Coefficient>,
    /// Residual degrees of freedom, `n − k − 1`.
    pub df_resid: f64,
    /// `σ̂`, the residual standard error.
    pub sigma: f64,
}

impl Linear {
    /// Fits `y` on an intercept and the columns of `x`, named `names`.
    pub fn fit(
        params: &LinearParams,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        names: &[String],
    ) -> Result<Self> {
        check_l2(params.l2)?;
        let (n, k) = x.dim();
        if y.len() != n || names.len() != k {
            return Err(Error::ShapeMismatch {
                context: "features and targets".into(),
                expected: n,
                got: y.len(),
            });
        }
        if n < k + 2 {
            return Err(invalid_parameter(
                "data",
                format!("{n} rows for {k} features and an intercept (need at least {})", k + 2),
            ));
        }
        check_finite(x)?;
        if let Some((row, v)) = y.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::InvalidInput {
                row,
                column: k,
                reason: format!("target {v} is not a finite number"),
            });
        }
        let mut design = Array2::ones((n, k + 1));
        design.slice_mut(s![.., 1..]).assign(&x);
        let gram = design.t().dot(&design);
        let mut a = gram.clone();
        for j in 1..=k {
            a[[j, j]] += params.l2;
        }
        let singular = |detail: String| {
            invalid_parameter(
                "features",
                format!(
                    "the normal equations are singular ({detail}): a feature is constant or a combination of others; drop it or add an L2 penalty"
                ),
            )
        };
        let a_inv = a.inv().map_err(|e| singular(e.to_string()))?;
        let w: Array1<f64> = if params.l2 > 0.0 {
            a_inv.dot(&design.t().dot(&y))
        } else {
            least_squares(x, y).map_err(singular)?
        };
        if w.iter().any(|v| !v.is_finite()) {
            return Err(singular("the solution is not finite".into()));
        }
        let residuals = &y - &design.dot(&w);
        let df_resid = (n - k - 1) as f64;
        let sigma2 = residuals.dot(&residuals) / df_resid;
        let covariance = if params.l2 > 0.0 { a_inv.dot(&gram).dot(&a_inv) * sigma2 } else { a_inv * sigma2 };
        let t_dist =
            StudentsT::new(0.0, 1.0, df_resid).map_err(|e| invalid_parameter("data", e.to_string()))?;
        let coefficients = std::iter::once("const".to_owned())
            .chain(names.iter().cloned())
            .enumerate()
            .map(|(j, name)| {
                let std_error = covariance[[j, j]].sqrt();
                let t = w[j] / std_error;
                Coefficient { name, estimate: w[j], std_error, z: t, p_value: 2.0 * t_dist.sf(t.abs()) }
            })
            .collect();
        Ok(Self { params: *params, coefficients, df_resid, sigma: sigma2.sqrt() })
    }

    /// Predictions `b + x·w`, shape `(n,)`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let k = self.coefficients.len() - 1;
        check_rows(x, k)?;
        let w: Array1<f64> = self.coefficients[1..].iter().map(|c| c.estimate).collect();
        Ok(x.dot(&w) + self.coefficients[0].estimate)
    }
}

/// OLS by linfa-linear: the intercept, then the coefficients.
fn least_squares(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> std::result::Result<Array1<f64>, String> {
    let fitted = LinearRegression::default().fit(&DatasetBase::new(x, y)).map_err(|e| e.to_string())?;
    Ok(std::iter::once(fitted.intercept()).chain(fitted.params().iter().copied()).collect())
}
