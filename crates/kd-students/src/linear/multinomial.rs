//! Multinomial logistic regression on soft targets: `k` classes, class 0 the reference, the
//! cross-entropy of fractional labels `t_i ∈ Δ^{k−1}` (a teacher's class probabilities, or one-hot
//! outcomes) with an optional L2 penalty, fitted by Newton's method, with a coefficient table.
//!
//! `P(c | x) = exp(η_c) / Σ_j exp(η_j)`, `η_0 = 0`, `η_c = b_c + x·w_c`. The penalty is
//! scikit-learn's, symmetric in the classes: its `LogisticRegression(C = 1/λ)` penalises every
//! class's weights `u_c` of the over-parameterised softmax, `(λ/2) Σ_{c=0}^{k−1} ‖u_c‖²`, whose
//! least value over the shift `u_c + a` that leaves the probabilities unchanged is
//! `(λ/2) Σ_c ‖w_c − w̄‖²`, `w̄ = (1/k) Σ_c w_c` (with `w_0 = 0`). Objective:
//! `−Σ_i Σ_c t_ic ln P_ic + (λ/2) (Σ_{c≥1} ‖w_c‖² − (1/k) ‖Σ_{c≥1} w_c‖²)` (intercepts
//! unpenalised). Gradient of block `c`: `X̃ᵀ(P_c − t_c) + λ (w_c − (1/k) Σ_d w_d)`; Hessian
//! block `(c, d)`: `X̃ᵀ diag(P_c (δ_cd − P_d)) X̃ + λ (δ_cd − 1/k) I` (the penalty's blocks have
//! eigenvalues λ and λ/k, so it stays positive definite). Standard errors from the inverse
//! Hessian — statsmodels' `MNLogit` for λ = 0 and one-hot targets; the estimates scikit-learn
//! 1.9.1's for λ > 0, as class-0 contrasts `u_c − u_0` (tests/golden/multinomial).

use ndarray::{Array1, Array2, ArrayView2, s};
use ndarray_linalg::{Inverse, Solve};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{Coefficient, LogisticParams};
use crate::error::{Error, Result, check_finite, check_l2, check_rows, invalid_parameter};

/// A fitted multinomial logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Multinomial {
    /// The parameters it was fitted with (L2 penalty, iterations, tolerance).
    pub params: LogisticParams,
    /// Number of classes.
    pub n_classes: usize,
    /// For each class but the reference (class 0): intercept then coefficients of its log-odds
    /// against class 0, with standard errors and tests.
    pub coefficients: Vec<Vec<Coefficient>>,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Class probabilities `(n, k)` for the design `d` (with its column of ones) and weights `w`
/// (`(p + 1, k − 1)`), by a stable softmax.
fn probabilities(d: &Array2<f64>, w: &Array2<f64>) -> Array2<f64> {
    let eta = d.dot(w);
    let (n, k) = (d.nrows(), w.ncols() + 1);
    let mut p = Array2::zeros((n, k));
    for i in 0..n {
        let top = eta.row(i).iter().copied().fold(0.0_f64, f64::max);
        let mut total = (-top).exp();
        p[[i, 0]] = total;
        for c in 1..k {
            let e = (eta[[i, c - 1]] - top).exp();
            p[[i, c]] = e;
            total += e;
        }
        p.row_mut(i).mapv_inplace(|v| v / total);
    }
    p
}

impl Multinomial {
    /// Fits the class probabilities `t` (`(n, k)`, rows summing to 1) on an intercept and the
    /// columns of `x`, named `names`.
    pub fn fit(
        params: &LogisticParams,
        x: ArrayView2<'_, f64>,
        t: ArrayView2<'_, f64>,
        names: &[String],
    ) -> Result<Self> {
        check_l2(params.l2)?;
        let ((n, p), k) = (x.dim(), t.ncols());
        if t.nrows() != n || names.len() != p {
            return Err(Error::ShapeMismatch {
                context: "features and targets".into(),
                expected: n,
                got: t.nrows(),
            });
        }
        if k < 3 {
            return Err(invalid_parameter(
                "classes",
                format!("{k} (at least 3; use the logistic student for two)"),
            ));
        }
        check_finite(x)?;
        for (i, row) in t.rows().into_iter().enumerate() {
            if row.iter().any(|v| !(0.0..=1.0).contains(v)) || (row.sum() - 1.0).abs() > 1e-6 {
                return Err(Error::InvalidInput {
                    row: i,
                    column: p,
                    reason: "targets are not class probabilities".into(),
                });
            }
        }
        let mut d = Array2::ones((n, p + 1));
        d.slice_mut(s![.., 1..]).assign(&x);
        let (q, m) = (p + 1, k - 1);
        let mut w = Array2::<f64>::zeros((q, m));
        let singular = |e: ndarray_linalg::error::LinalgError| {
            invalid_parameter(
                "data",
                format!(
                    "the Newton step cannot be solved ({e}): the classes may be separable or the features collinear; add an L2 penalty"
                ),
            )
        };
        for iteration in 1..=params.max_iter {
            let prob = probabilities(&d, &w);
            let mut gradient = Array1::zeros(q * m);
            let mut hessian = Array2::zeros((q * m, q * m));
            for c in 0..m {
                let residual = &prob.column(c + 1) - &t.column(c + 1);
                let mut g = d.t().dot(&residual);
                for j in 1..q {
                    g[j] += params.l2 * (w[[j, c]] - w.row(j).sum() / k as f64);
                }
                gradient.slice_mut(s![c * q..(c + 1) * q]).assign(&g);
                for e in 0..m {
                    let weight: Array1<f64> = (0..n)
                        .map(|i| prob[[i, c + 1]] * (f64::from(u8::from(c == e)) - prob[[i, e + 1]]))
                        .collect();
                    let block = d.t().dot(&(&d * &weight.view().insert_axis(ndarray::Axis(1))));
                    hessian.slice_mut(s![c * q..(c + 1) * q, e * q..(e + 1) * q]).assign(&block);
                    let shrink = params.l2 * (f64::from(u8::from(c == e)) - 1.0 / k as f64);
                    for j in 1..q {
                        hessian[[c * q + j, e * q + j]] += shrink;
                    }
                }
            }
            let step = hessian.solve(&gradient).map_err(singular)?;
            if step.iter().any(|v| !v.is_finite()) {
                break;
            }
            for c in 0..m {
                for j in 0..q {
                    w[[j, c]] -= step[c * q + j];
                }
            }
            if step.iter().zip(w.t().iter()).all(|(s, v)| s.abs() <= params.tolerance * (1.0 + v.abs())) {
                let covariance = hessian.inv().map_err(singular)?;
                return Ok(Self::finish(params, k, &w, &covariance, names, iteration));
            }
        }
        Err(invalid_parameter(
            "data",
            format!(
                "multinomial logistic regression did not converge in {} iterations: the classes may be separable; add an L2 penalty",
                params.max_iter
            ),
        ))
    }

    fn finish(
        params: &LogisticParams,
        k: usize,
        w: &Array2<f64>,
        cov: &Array2<f64>,
        names: &[String],
        iterations: usize,
    ) -> Self {
        let normal = Normal::standard();
        let q = w.nrows();
        let coefficients = (0..k - 1)
            .map(|c| {
                std::iter::once("const".to_owned())
                    .chain(names.iter().cloned())
                    .enumerate()
                    .map(|(j, name)| {
                        let std_error = cov[[c * q + j, c * q + j]].sqrt();
                        let z = w[[j, c]] / std_error;
                        Coefficient {
                            name,
                            estimate: w[[j, c]],
                            std_error,
                            z,
                            p_value: 2.0 * normal.sf(z.abs()),
                        }
                    })
                    .collect()
            })
            .collect();
        Self { params: *params, n_classes: k, coefficients, iterations }
    }

    /// Class probabilities for the rows of `x`, shape `(n, k)`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let p = self.coefficients.first().map_or(0, |c| c.len() - 1);
        check_rows(x, p)?;
        let mut d = Array2::ones((x.nrows(), p + 1));
        d.slice_mut(s![.., 1..]).assign(&x);
        let w = Array2::from_shape_fn((p + 1, self.n_classes - 1), |(j, c)| self.coefficients[c][j].estimate);
        Ok(probabilities(&d, &w))
    }
}
