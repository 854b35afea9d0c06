//! [`SparseLogistic`]: an L1 / elastic-net logistic regression on sparse rows, fitted to soft
//! targets along a warm-started penalty path, as glmnet fits one.
//!
//! The path starts at `λ_max = max_j |(1/n) Σ_i x_ij (y_i − ȳ)| / α`, the smallest penalty at
//! which every weight is zero, and descends through `n_lambdas` log-spaced penalties to
//! `lambda_min_ratio · λ_max`; each fit starts from the previous one. With `max_terms = N` the
//! path stops as soon as a fit has more than `N` non-zero weights, and the model is the last
//! fit with at most `N` (the least penalised one within the budget).
//!
//! Agreement (tests/golden/sparse_logistic): at the same penalty on 300 SMS messages × 446
//! TF-IDF columns with soft targets, the objective equals the optimum of scikit-learn 1.9.1's
//! `LogisticRegression(solver="saga")` and of scipy's L-BFGS-B within 1e-14 (lasso with 8 and
//! 44 terms, elastic net α = 0.5 with 11), the support is the same, and the weights agree with
//! saga's within 2e-7, 1e-9 and 9e-6 (the objective is flat to 1e-12 along the differences).

use ndarray::{Array1, ArrayView1};
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::params::SparseLogisticParams;
use super::solver::{Fit, Problem, Settings, sigmoid};
use crate::error::{Error, Result, invalid_parameter};

/// One penalty of the path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    /// The penalty λ.
    pub lambda: f64,
    /// Non-zero weights at it.
    pub n_nonzero: usize,
    /// Mean cross-entropy to the targets on the training rows (the unpenalised loss).
    pub loss: f64,
    /// Coordinate sweeps it took.
    pub sweeps: usize,
}

/// A fitted sparse logistic model: `P(class 1 | x) = σ(b₀ + Σ_j β_j x_j)` with few non-zero `β`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SparseLogistic {
    /// The settings it was fitted with.
    pub params: SparseLogisticParams,
    /// Number of input columns.
    pub n_columns: usize,
    /// The intercept `b₀`.
    pub intercept: f64,
    /// The non-zero weights `(column, β_j)`, by column.
    pub weights: Vec<(usize, f64)>,
    /// The penalty of this model.
    pub lambda: f64,
    /// The path's first penalty.
    pub lambda_max: f64,
    /// The penalties fitted, first to last.
    pub path: Vec<PathPoint>,
}

impl SparseLogistic {
    /// Fits the model to targets `y ∈ [0, 1]` (a teacher's probability of class 1, or 0/1
    /// labels) on rows `x` `(n, p)` (CSR or CSC).
    ///
    /// Errors: invalid parameters, a row count that differs from `y`'s, a target outside
    /// [0, 1], targets all 0 or all 1 (no model separates one class).
    pub fn fit(params: &SparseLogisticParams, x: &CsMat<f64>, y: ArrayView1<'_, f64>) -> Result<Self> {
        params.check()?;
        if x.rows() != y.len() {
            return Err(Error::ShapeMismatch {
                context: "sparse rows and targets".into(),
                expected: x.rows(),
                got: y.len(),
            });
        }
        if let Some((row, v)) = y.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
            return Err(Error::InvalidInput {
                row,
                column: 0,
                reason: format!("target {v} is not a probability in [0, 1]"),
            });
        }
        if let Some((row, column, v)) = x.iter().find(|(v, _)| !v.is_finite()).map(|(v, (r, c))| (r, c, *v)) {
            return Err(Error::InvalidInput { row, column, reason: format!("{v} is not a finite number") });
        }
        let y: Vec<f64> = y.to_vec();
        let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
        if y.is_empty() || mean <= 0.0 || mean >= 1.0 {
            return Err(invalid_parameter(
                "target",
                format!("the targets' mean is {mean}; a logistic model needs rows of both classes"),
            ));
        }
        let csc = x.to_csc();
        let problem = Problem { x: &csc, y: &y };
        let b0 = (mean / (1.0 - mean)).ln();
        let mut fit = Fit { intercept: b0, beta: vec![0.0; x.cols()], eta: vec![b0; y.len()] };
        let alpha = params.l1_ratio;
        let lambda_max = problem.score(&fit).iter().fold(0.0f64, |m, g| m.max(g.abs())) / alpha;
        let lambdas = penalties(params, lambda_max);
        let mut path = Vec::with_capacity(lambdas.len());
        let mut chosen: Option<(f64, Fit)> = None;
        for lambda in lambdas {
            // At λ_max and above the intercept-only start is the solution; solving would only
            // add rounding noise to the weight at the threshold.
            let sweeps = if lambda < lambda_max {
                problem.solve(
                    &mut fit,
                    Settings { lambda, alpha, tolerance: params.tolerance, max_sweeps: params.max_sweeps },
                )?
            } else {
                0
            };
            let n_nonzero = fit.beta.iter().filter(|b| **b != 0.0).count();
            path.push(PathPoint { lambda, n_nonzero, loss: problem.objective(&fit, 0.0, alpha), sweeps });
            if params.max_terms.is_some_and(|m| n_nonzero > m) {
                break;
            }
            chosen = Some((lambda, fit.clone()));
        }
        // The first penalty, λ_max (or above), has no non-zero weight, so one fit is chosen.
        let (lambda, fit) = chosen.unwrap_or((lambda_max, Fit { beta: vec![0.0; x.cols()], ..fit }));
        Ok(Self {
            params: params.clone(),
            n_columns: x.cols(),
            intercept: fit.intercept,
            weights: fit.beta.iter().enumerate().filter(|(_, b)| **b != 0.0).map(|(j, b)| (j, *b)).collect(),
            lambda,
            lambda_max,
            path,
        })
    }

    /// The weight of column `j` (0 when not selected).
    pub fn weight(&self, column: usize) -> f64 {
        self.weights.binary_search_by_key(&column, |w| w.0).map_or(0.0, |i| self.weights[i].1)
    }

    /// The non-zero weights' share of a row: `(column, β_j x_j)` for the row's columns with a
    /// weight. They add up, with the intercept, to the row's log-odds.
    pub fn contributions(&self, row: &[(usize, f64)]) -> Vec<(usize, f64)> {
        row.iter()
            .filter_map(|&(j, x)| {
                let b = self.weight(j);
                (b != 0.0).then_some((j, b * x))
            })
            .collect()
    }

    /// Log-odds of class 1 for the rows of `x` (CSR, `n_columns` columns).
    pub fn log_odds(&self, x: &CsMat<f64>) -> Result<Array1<f64>> {
        if x.cols() != self.n_columns {
            return Err(Error::ShapeMismatch {
                context: "sparse columns".into(),
                expected: self.n_columns,
                got: x.cols(),
            });
        }
        let csr = x.to_csr();
        Ok(csr
            .outer_iterator()
            .map(|row| self.intercept + row.iter().map(|(j, v)| self.weight(j) * v).sum::<f64>())
            .collect())
    }

    /// Probabilities of class 1 for the rows of `x`.
    pub fn predict_proba(&self, x: &CsMat<f64>) -> Result<Array1<f64>> {
        Ok(self.log_odds(x)?.mapv(sigmoid))
    }

    /// The penalised objective of the solver (see `solver.rs`) at this model's penalty, on
    /// rows `x` and targets `y`.
    pub fn objective(&self, x: &CsMat<f64>, y: ArrayView1<'_, f64>) -> Result<f64> {
        let eta = self.log_odds(x)?;
        let mut beta = vec![0.0; self.n_columns];
        for &(j, b) in &self.weights {
            beta[j] = b;
        }
        let y = y.to_vec();
        let csc = x.to_csc();
        let fit = Fit { intercept: self.intercept, beta, eta: eta.to_vec() };
        Ok(Problem { x: &csc, y: &y }.objective(&fit, self.lambda, self.params.l1_ratio))
    }

    /// Checks a loaded model: weights by increasing column within `n_columns`, all finite.
    pub fn validate(&self) -> Result<()> {
        let ordered = self.weights.windows(2).all(|w| w[0].0 < w[1].0);
        let in_range = self.weights.iter().all(|&(j, b)| j < self.n_columns && b.is_finite() && b != 0.0);
        if !(ordered && in_range && self.intercept.is_finite()) {
            return Err(Error::Load(
                "corrupt sparse model (weights out of order, out of range or not finite)".into(),
            ));
        }
        Ok(())
    }
}

/// The path's penalties: log-spaced from `λ_max` to its last penalty (`lambda_min_ratio ·
/// λ_max`, or the requested `lambda`).
fn penalties(params: &SparseLogisticParams, lambda_max: f64) -> Vec<f64> {
    if lambda_max <= 0.0 {
        return vec![params.lambda.unwrap_or(0.0).max(f64::MIN_POSITIVE)];
    }
    let last = params.lambda.unwrap_or(lambda_max * params.lambda_min_ratio);
    if last >= lambda_max || params.n_lambdas == 1 {
        return vec![last];
    }
    let k = params.n_lambdas - 1;
    let ratio = last / lambda_max;
    (0..=k).map(|i| if i == k { last } else { lambda_max * ratio.powf(i as f64 / k as f64) }).collect()
}
