//! Logistic regression on soft targets: the cross-entropy of fractional labels `t ∈ [0, 1]`
//! (a teacher's probabilities, or 0/1 outcomes) with an optional L2 penalty, fitted by
//! Newton's method (IRLS), with a coefficient table.
//!
//! Objective: `Σ_i −[t_i ln p_i + (1 − t_i) ln(1 − p_i)] + (λ/2)‖w‖²`, `p_i = σ(b + x_i·w)`, the
//! intercept `b` unpenalised — scikit-learn's `LogisticRegression(C = 1/λ)` for 0/1 labels and
//! statsmodels' `Logit` / `GLM(Binomial)` for λ = 0 (tests/golden/logistic).

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, s};
use ndarray_linalg::{Inverse, Solve};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{Error, Result, check_finite, check_l2, check_rows, invalid_parameter};
use crate::scorecard::QuantileScorecard;

/// Parameters of [`Logistic::fit`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// L2 penalty λ on the coefficients (not the intercept); 0 by default.
    pub l2: f64,
    /// Newton iterations at most (default 100).
    pub max_iter: usize,
    /// Stop when no coefficient moves more than this (default 1e-10).
    pub tolerance: f64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        Self { l2: 0.0, max_iter: 100, tolerance: 1e-10 }
    }
}

/// One row of the coefficient table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficient {
    /// `"const"` or the feature's name.
    pub name: String,
    /// Estimate.
    pub estimate: f64,
    /// Standard error, `sqrt` of the diagonal of the inverse (penalised) Hessian. For soft
    /// targets it treats them as Bernoulli outcomes (as statsmodels' `GLM(Binomial)` does), so
    /// it is indicative only: a teacher's probabilities are not sampled outcomes.
    pub std_error: f64,
    /// `estimate / std_error`.
    pub z: f64,
    /// Two-sided p-value `2Φ(−|z|)`.
    pub p_value: f64,
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    /// The parameters it was fitted with.
    pub params: LogisticParams,
    /// Intercept then coefficients, with standard errors and tests.
    pub coefficients: Vec<Coefficient>,
    /// Newton iterations used.
    pub iterations: usize,
    /// The quantile-bin scorecard it implies, when one was made ([`QuantileScorecard::new`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<QuantileScorecard>,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) }
}

fn linalg(e: impl std::fmt::Display) -> Error {
    invalid_parameter(
        "data",
        format!(
            "the Newton step cannot be solved ({e}): the classes may be separable or the features collinear; add an L2 penalty"
        ),
    )
}

impl Logistic {
    /// Fits `t` (values in [0, 1]) on an intercept and the columns of `x`, named `names`.
    pub fn fit(
        params: &LogisticParams,
        x: ArrayView2<'_, f64>,
        t: ArrayView1<'_, f64>,
        names: &[String],
    ) -> Result<Self> {
        check_l2(params.l2)?;
        if x.nrows() != t.len() || x.ncols() != names.len() {
            return Err(Error::ShapeMismatch {
                context: "features and targets".into(),
                expected: x.nrows(),
                got: t.len(),
            });
        }
        if let Some((row, v)) = t.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
            return Err(Error::InvalidInput {
                row,
                column: 0,
                reason: format!("target {v} is not in [0, 1]"),
            });
        }
        check_finite(x)?;
        let (n, k) = x.dim();
        let mut design = Array2::ones((n, k + 1));
        design.slice_mut(s![.., 1..]).assign(&x);
        let mut penalty = Array2::eye(k + 1) * params.l2;
        penalty[[0, 0]] = 0.0;
        // Gradient and Hessian of the objective at w.
        let parts = |w: &Array1<f64>| {
            let p = design.dot(w).mapv(sigmoid);
            let gradient = design.t().dot(&(&p - &t)) + penalty.dot(w);
            let weights = p.mapv(|v| v * (1.0 - v));
            let hessian = design.t().dot(&(&design * &weights.view().insert_axis(Axis(1)))) + &penalty;
            (gradient, hessian)
        };
        let mut w = Array1::zeros(k + 1);
        for iteration in 1..=params.max_iter {
            let (gradient, hessian) = parts(&w);
            let step = hessian.solve(&gradient).map_err(linalg)?;
            w -= &step;
            if step.iter().any(|v| !v.is_finite()) {
                break;
            }
            if step.iter().zip(&w).all(|(d, v)| d.abs() <= params.tolerance * (1.0 + v.abs())) {
                let (_, hessian) = parts(&w);
                return Self::finish(params, &w, &hessian, names, iteration);
            }
        }
        Err(Error::InvalidParameter {
            name: "data".into(),
            reason: format!(
                "logistic regression did not converge in {} iterations: the classes may be separable; add an L2 penalty",
                params.max_iter
            ),
        })
    }

    fn finish(
        params: &LogisticParams,
        w: &Array1<f64>,
        hessian: &Array2<f64>,
        names: &[String],
        iterations: usize,
    ) -> Result<Self> {
        let covariance = hessian.inv().map_err(linalg)?;
        let normal = Normal::standard();
        let coefficients = std::iter::once("const".to_owned())
            .chain(names.iter().cloned())
            .enumerate()
            .map(|(j, name)| {
                let std_error = covariance[[j, j]].sqrt();
                let z = w[j] / std_error;
                Coefficient { name, estimate: w[j], std_error, z, p_value: 2.0 * normal.sf(z.abs()) }
            })
            .collect();
        Ok(Self { params: *params, coefficients, iterations, scorecard: None })
    }

    /// `P(class 1)` for the rows of `x`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let k = self.coefficients.len() - 1;
        check_rows(x, k)?;
        let w: Array1<f64> = self.coefficients[1..].iter().map(|c| c.estimate).collect();
        let b = self.coefficients[0].estimate;
        Ok(x.dot(&w).mapv(|z| sigmoid(z + b)))
    }
}
