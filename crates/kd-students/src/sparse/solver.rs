//! Penalised logistic regression at one penalty by glmnet's algorithm (Friedman, Hastie &
//! Tibshirani 2010, "Regularization paths for generalized linear models via coordinate
//! descent", section 3): a quadratic (IRLS) approximation of the log-likelihood at the current
//! fit, minimised with its penalty by cyclic coordinate descent with soft thresholding, with
//! glmnet's active-set cycling (a full sweep, then sweeps over the non-zero weights until they
//! settle, then a full sweep to check that no other weight enters). kd adds step halving on
//! the penalised objective, so every outer step decreases it.
//!
//! Objective, for soft targets `y_i ∈ [0, 1]` and `η_i = b₀ + x_iᵀβ`:
//!
//! `F(b₀, β) = (1/n) Σ_i [log(1 + e^{η_i}) − y_i η_i] + λ (α ‖β‖₁ + (1 − α)/2 ‖β‖₂²)`
//!
//! (the intercept is not penalised; features are not standardised). With `λ = 1/(C n)` this is
//! scikit-learn's `LogisticRegression(C, l1_ratio=α)` objective divided by `C n`, for soft
//! targets written as two rows with weights `y_i` and `1 − y_i`.

use sprs::CsMat;

use crate::error::{Error, Result};

/// The smallest IRLS weight `p(1 − p)` used (glmnet clamps `p` to [1e-5, 1 − 1e-5]).
const MIN_WEIGHT: f64 = 1e-5 * (1.0 - 1e-5);

/// Halvings of an outer step before giving up on decreasing the objective.
const MAX_HALVINGS: usize = 30;

/// Outer (IRLS) iterations at most per penalty.
const MAX_OUTER: usize = 100;

/// The data of a fit: `x` in CSC storage `(n, p)` and the targets.
pub(crate) struct Problem<'a> {
    pub x: &'a CsMat<f64>,
    pub y: &'a [f64],
}

/// What one penalty's solve needs: the penalty `λ`, its L1 share `α`, and when to stop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub lambda: f64,
    pub alpha: f64,
    pub tolerance: f64,
    pub max_sweeps: usize,
}

/// A fit: intercept, weights and the linear predictor they give.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    pub intercept: f64,
    pub beta: Vec<f64>,
    pub eta: Vec<f64>,
}

/// `log(1 + e^η)` without overflow.
fn softplus(eta: f64) -> f64 {
    if eta > 0.0 { eta + (-eta).exp().ln_1p() } else { eta.exp().ln_1p() }
}

/// The logistic function.
pub(crate) fn sigmoid(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + (-eta).exp())
    } else {
        let e = eta.exp();
        e / (1.0 + e)
    }
}

fn soft_threshold(z: f64, gamma: f64) -> f64 {
    if z > gamma {
        z - gamma
    } else if z < -gamma {
        z + gamma
    } else {
        0.0
    }
}

impl Problem<'_> {
    fn n(&self) -> usize {
        self.y.len()
    }

    /// The penalised objective `F` of the module documentation.
    pub fn objective(&self, fit: &Fit, lambda: f64, alpha: f64) -> f64 {
        let loss: f64 =
            fit.eta.iter().zip(self.y).map(|(&e, &y)| softplus(e) - y * e).sum::<f64>() / self.n() as f64;
        let l1: f64 = fit.beta.iter().map(|b| b.abs()).sum();
        let l2: f64 = fit.beta.iter().map(|b| b * b).sum();
        loss + lambda * (alpha * l1 + 0.5 * (1.0 - alpha) * l2)
    }

    /// `(1/n) Σ_i x_ij (y_i − p_i)` for every column: the gradient of the log-likelihood.
    pub fn score(&self, fit: &Fit) -> Vec<f64> {
        let residual: Vec<f64> = fit.eta.iter().zip(self.y).map(|(&e, &y)| y - sigmoid(e)).collect();
        let n = self.n() as f64;
        self.x
            .outer_iterator()
            .map(|column| column.iter().map(|(i, v)| v * residual[i]).sum::<f64>() / n)
            .collect()
    }

    /// Minimises `F` at `lambda` starting from `fit` (a warm start), in place. Returns the
    /// number of coordinate sweeps.
    pub fn solve(&self, fit: &mut Fit, settings: Settings) -> Result<usize> {
        let Settings { lambda, alpha, tolerance, max_sweeps } = settings;
        let mut sweeps = 0;
        let mut current = self.objective(fit, lambda, alpha);
        for _ in 0..MAX_OUTER {
            let mut next = fit.clone();
            let (used, change) =
                self.newton_step(&mut next, settings, max_sweeps.saturating_sub(sweeps).max(1))?;
            sweeps += used;
            let mut value = self.objective(&next, lambda, alpha);
            let mut t = 1.0;
            let mut halvings = 0;
            while value > current + 1e-15 * current.abs().max(1.0) && halvings < MAX_HALVINGS {
                t *= 0.5;
                halvings += 1;
                next = interpolate(fit, &next, 0.5);
                value = self.objective(&next, lambda, alpha);
            }
            if halvings == MAX_HALVINGS {
                return Ok(sweeps);
            }
            *fit = next;
            current = value;
            if change * t * t < tolerance {
                return Ok(sweeps);
            }
            if sweeps >= max_sweeps {
                return Err(Error::InvalidParameter {
                    name: "max_sweeps".into(),
                    reason: format!(
                        "coordinate descent did not converge in {max_sweeps} sweeps at λ = {lambda:e}"
                    ),
                });
            }
        }
        Ok(sweeps)
    }

    /// One proximal Newton step: coordinate descent on the penalised quadratic approximation
    /// at `fit`, which it overwrites. Returns the sweeps used and `max_j v_j Δβ_j²` of the step
    /// (the intercept's change counted with `v = Σ w / n`).
    fn newton_step(&self, fit: &mut Fit, settings: Settings, max_sweeps: usize) -> Result<(usize, f64)> {
        let Settings { lambda, alpha, tolerance, .. } = settings;
        let n = self.n() as f64;
        let weights: Vec<f64> = fit
            .eta
            .iter()
            .map(|&e| {
                let p = sigmoid(e);
                (p * (1.0 - p)).max(MIN_WEIGHT)
            })
            .collect();
        // Working residual z − η = (y − p) / w.
        let mut r: Vec<f64> =
            fit.eta.iter().zip(self.y).zip(&weights).map(|((&e, &y), &w)| (y - sigmoid(e)) / w).collect();
        let v: Vec<f64> = self
            .x
            .outer_iterator()
            .map(|column| column.iter().map(|(i, x)| weights[i] * x * x).sum::<f64>() / n)
            .collect();
        let weight_sum: f64 = weights.iter().sum();
        let (l1, l2) = (lambda * alpha, lambda * (1.0 - alpha));
        let start = fit.beta.clone();
        let start_intercept = fit.intercept;
        let mut sweeps = 0;
        let mut active: Vec<usize> = (0..fit.beta.len()).filter(|&j| fit.beta[j] != 0.0).collect();
        let mut full = true;
        loop {
            sweeps += 1;
            let mut largest = 0.0f64;
            // Intercept: unpenalised weighted mean of the residual.
            let d = weights.iter().zip(&r).map(|(w, r)| w * r).sum::<f64>() / weight_sum;
            if d != 0.0 {
                fit.intercept += d;
                r.iter_mut().for_each(|r| *r -= d);
                fit.eta.iter_mut().for_each(|e| *e += d);
                largest = largest.max(weight_sum / n * d * d);
            }
            let columns: Vec<usize> = if full { (0..fit.beta.len()).collect() } else { active.clone() };
            for j in columns {
                if v[j] <= 0.0 {
                    continue;
                }
                let Some(column) = self.x.outer_view(j) else { continue };
                let g =
                    column.iter().map(|(i, x)| weights[i] * x * r[i]).sum::<f64>() / n + v[j] * fit.beta[j];
                let b = soft_threshold(g, l1) / (v[j] + l2);
                let d = b - fit.beta[j];
                if d != 0.0 {
                    fit.beta[j] = b;
                    for (i, x) in column.iter() {
                        r[i] -= d * x;
                        fit.eta[i] += d * x;
                    }
                    largest = largest.max(v[j] * d * d);
                }
            }
            if !largest.is_finite() {
                return Err(Error::InvalidParameter {
                    name: "lambda".into(),
                    reason: format!("coordinate descent diverged at λ = {lambda:e}"),
                });
            }
            if full {
                active = (0..fit.beta.len()).filter(|&j| fit.beta[j] != 0.0).collect();
                if largest < tolerance {
                    break;
                }
                full = false;
            } else if largest < tolerance {
                full = true;
            }
            if sweeps >= max_sweeps {
                break;
            }
        }
        let change = fit
            .beta
            .iter()
            .zip(&start)
            .zip(&v)
            .map(|((b, s), v)| v * (b - s) * (b - s))
            .fold(weight_sum / n * (fit.intercept - start_intercept).powi(2), f64::max);
        Ok((sweeps, change))
    }
}

/// `a + t (b − a)` for intercept, weights and linear predictor alike.
fn interpolate(a: &Fit, b: &Fit, t: f64) -> Fit {
    let mix = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(x, y)| x + t * (y - x)).collect();
    Fit {
        intercept: a.intercept + t * (b.intercept - a.intercept),
        beta: mix(&a.beta, &b.beta),
        eta: mix(&a.eta, &b.eta),
    }
}
