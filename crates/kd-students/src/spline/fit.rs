//! Penalised IRLS at fixed smoothing parameters, and the fit's statistics (Wood 2006, *Generalized
//! Additive Models*, §4.4 and §4.6–4.8), step for step as pyGAM 0.12.0's `GAM._pirls` and
//! `_estimate_model_statistics` do them.
//!
//! Each iteration takes the working weights `w_i = 1 / (g′(μ_i)²V(μ_i))` and responses
//! `z_i = η_i + (y_i − μ_i)g′(μ_i)` at the current `β` (identity: `w = 1`, `z = y`; logit:
//! `w = μ(1 − μ)`, `z = η + (y − μ)/w`, rows with `w < ε` left out as pyGAM masks them) and
//! solves `min ‖√W(z − Xβ)‖² + βᵀ(P + √εI)β`, `P = blockdiag(λ_j DᵀD, 0)`, in the reduced
//! parametrisation of [`identify`](super::identify). It stops when
//! `‖β_new − β‖ / ‖β_new‖ < tol`. pyGAM's start is `√ε·1` (identity) or the ridge solution of
//! `logit(ỹ)` with 0 and 1 moved to 0.01 and 0.99 (logit); so is kd's. Soft targets in `[0, 1]`
//! are fitted as they are (the binomial deviance of fractional outcomes).
//!
//! Statistics, with `A = XᵀWX + P + √εI` and `XᵀWX` of the last iteration (as pyGAM):
//! `edof = tr(A⁻¹XᵀWX)`; dispersion `φ = Σ(y − μ)² / (n − edof)` (identity) or 1 (logit);
//! the Bayesian covariance `V_β = A⁻¹φ` on `N⊥`; deviance `D`; `GCV = nD / (n − γ·edof)²`;
//! `UBRE = D/n − φ + 2γ·edof·φ/n`.

use ndarray::{Array1, Array2, Axis};
use ndarray_linalg::{InverseC, SolveC};

use super::basis::difference_penalty;
use super::design::Design;
use super::identify::Reduction;
use crate::error::{Result, invalid_parameter};
use crate::link::Link;

/// `√ε`, the ridge pyGAM adds to every coefficient's penalty.
pub(crate) fn ridge() -> f64 {
    f64::EPSILON.sqrt()
}

/// A fit at one set of `λ`.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    /// Coefficients, pyGAM's order (terms, then the intercept).
    pub beta: Array1<f64>,
    /// Iterations used.
    pub iterations: usize,
    /// Effective degrees of freedom.
    pub edof: f64,
    /// Each coefficient's share of `edof` (the diagonal of `A⁻¹XᵀWX`).
    pub edof_per_coef: Vec<f64>,
    /// `φ`.
    pub dispersion: f64,
    /// `D`.
    pub deviance: f64,
    /// GCV (identity link).
    pub gcv: Option<f64>,
    /// UBRE (logit link).
    pub ubre: Option<f64>,
    /// `V_β`, `m × m`.
    pub covariance: Array2<f64>,
}

/// The data and settings shared by the fits at every `λ`.
pub(crate) struct Problem<'a> {
    pub design: &'a Design,
    pub y: &'a [f64],
    pub link: Link,
    pub max_iter: usize,
    pub tol: f64,
    pub gamma: f64,
    reduction: Reduction,
    /// `M = ΠT`.
    basis: Array2<f64>,
    /// `√ε·TᵀΠT`.
    ridge: Array2<f64>,
}

/// Step halvings at most per iteration.
const MAX_HALVINGS: usize = 30;

/// A rise of the penalised deviance this small (relative) is rounding, not divergence.
const ROUNDING: f64 = 1e-10;

/// The deviance of `y` at linear predictors `eta`: `Σ(y − η)²` (identity) or
/// `2Σ[y ln(y/μ) + (1 − y) ln((1 − y)/(1 − μ))]`, `μ = σ(η)`, `0·ln 0 = 0` (logit).
fn deviance(link: Link, y: &[f64], eta: &[f64]) -> f64 {
    let part = |y: f64, mu: f64| if y > 0.0 { y * (y / mu).ln() } else { 0.0 };
    eta.iter()
        .zip(y)
        .map(|(&e, &y)| match link {
            Link::Identity => (y - e).powi(2),
            Link::Logit => {
                let mu = sigmoid(e);
                2.0 * (part(y, mu) + part(1.0 - y, 1.0 - mu))
            }
        })
        .sum()
}

/// `βᵀ(P + √εI)β = Σ_j λ_j Σ_k (β_jk − 2β_j,k+1 + β_j,k+2)² + √ε‖β‖²`.
fn penalty_value(beta: &Array1<f64>, lams: &[f64], k: usize) -> f64 {
    let smooth: f64 = lams
        .iter()
        .enumerate()
        .map(|(j, lam)| {
            let b = beta.slice(ndarray::s![j * k..(j + 1) * k]);
            lam * b.windows(3).into_iter().map(|w| (w[0] - 2.0 * w[1] + w[2]).powi(2)).sum::<f64>()
        })
        .sum();
    smooth + ridge() * beta.dot(beta)
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) }
}

fn not_definite(e: impl std::fmt::Display) -> crate::error::Error {
    invalid_parameter("lam", format!("the penalised normal equations cannot be solved ({e}); raise λ"))
}

impl<'a> Problem<'a> {
    /// The problem of fitting `y` on `design` through `link`.
    pub fn new(design: &'a Design, y: &'a [f64], link: Link, max_iter: usize, tol: f64, gamma: f64) -> Self {
        let reduction = Reduction::new(design.d, design.k);
        let basis = reduction.basis();
        let ridge = Array2::from_shape_fn((reduction.keep.len(), reduction.keep.len()), |(r, c)| {
            ridge() * basis[[reduction.keep[r], c]]
        });
        Self { design, y, link, max_iter, tol, gamma, reduction, basis, ridge }
    }

    /// `TᵀPT` for the per-term `lams`.
    fn penalty(&self, lams: &[f64]) -> Array2<f64> {
        let (k, m) = (self.design.k, self.design.m());
        let block = difference_penalty(k);
        let mut p = Array2::zeros((m, m));
        for (j, lam) in lams.iter().enumerate() {
            for a in 0..k {
                for b in 0..k {
                    p[[j * k + a, j * k + b]] = lam * block[a * k + b];
                }
            }
        }
        self.reduction.select(&p)
    }

    /// Weights and working responses at `β` (weight 0: the row is left out).
    fn working(&self, eta: &[f64]) -> (Vec<f64>, Vec<f64>) {
        match self.link {
            Link::Identity => (vec![1.0; eta.len()], self.y.to_vec()),
            Link::Logit => eta
                .iter()
                .zip(self.y)
                .map(|(&e, &y)| {
                    let mu = sigmoid(e);
                    let w = mu * (1.0 - mu);
                    if w >= f64::EPSILON && w.is_finite() { (w, e + (y - mu) / w) } else { (0.0, e) }
                })
                .unzip(),
        }
    }

    /// Solves `(TᵀGT + penalty + √εTᵀΠT)θ = Tᵀr` and returns `β = ΠTθ` and the factorised `A`.
    fn solve(
        &self,
        gram: &Array2<f64>,
        rhs: &Array1<f64>,
        penalty: &Array2<f64>,
    ) -> Result<(Array1<f64>, Array2<f64>)> {
        let a = self.reduction.select(gram) + penalty + &self.ridge;
        let theta = a.solvec(&self.reduction.select_vector(rhs)).map_err(not_definite)?;
        if theta.iter().any(|v| !v.is_finite()) {
            return Err(not_definite("the solution is not finite"));
        }
        Ok((self.reduction.expand(&theta), a))
    }

    /// pyGAM's starting coefficients.
    fn start(&self) -> Result<Array1<f64>> {
        match self.link {
            Link::Identity => Ok(Array1::from_elem(self.design.m(), ridge())),
            Link::Logit => {
                let z: Vec<f64> = self
                    .y
                    .iter()
                    .map(|&y| {
                        let y = if y == 0.0 {
                            0.01
                        } else if y == 1.0 {
                            0.99
                        } else {
                            y
                        };
                        (y / (1.0 - y)).ln()
                    })
                    .collect();
                let (gram, rhs) = self.design.cross_products(&vec![1.0; z.len()], &z);
                let none = Array2::zeros(self.ridge.dim());
                Ok(self.solve(&gram, &rhs, &none)?.0)
            }
        }
    }

    /// Fits at `lams` (one per term), from `start` (a previous fit's coefficients) or pyGAM's
    /// start.
    pub fn fit(&self, lams: &[f64], start: Option<&Array1<f64>>) -> Result<Fit> {
        let penalty = self.penalty(lams);
        let mut beta = match start {
            Some(b) => b.clone(),
            None => self.start()?,
        };
        let k = self.design.k;
        let objective =
            |beta: &Array1<f64>, eta: &[f64]| deviance(self.link, self.y, eta) + penalty_value(beta, lams, k);
        let mut eta = self.design.eta(&beta);
        for iteration in 1..=self.max_iter {
            let (w, z) = self.working(&eta);
            if w.iter().all(|&v| v == 0.0) {
                return Err(invalid_parameter("lam", "penalised IRLS diverged (every weight is 0); raise λ"));
            }
            let (gram, rhs) = self.design.cross_products(&w, &z);
            let (mut next, a) = self.solve(&gram, &rhs, &penalty)?;
            let mut next_eta = self.design.eta(&next);
            if self.link == Link::Logit {
                // Step halving while the penalised deviance rises by more than rounding (Wood
                // 2006 §2.1.10): pyGAM takes every full step, and diverges where this converges.
                let before = objective(&beta, &eta);
                for _ in 0..MAX_HALVINGS {
                    if objective(&next, &next_eta) <= before + ROUNDING * before.abs() {
                        break;
                    }
                    next = (&beta + &next) * 0.5;
                    next_eta = self.design.eta(&next);
                }
            }
            let norm = next.dot(&next).sqrt();
            let change = (&beta - &next).mapv(|v| v * v).sum().sqrt() / norm;
            (beta, eta) = (next, next_eta);
            if change < self.tol || norm == 0.0 {
                return self.statistics(beta, &eta, iteration, &gram, &a);
            }
        }
        Err(invalid_parameter(
            "max_iter",
            format!(
                "penalised IRLS did not converge in {} iterations; raise max_iter, tol or λ",
                self.max_iter
            ),
        ))
    }

    /// The statistics of the fit `beta` with `XᵀWX = gram` and `A = a` from its last iteration.
    fn statistics(
        &self,
        beta: Array1<f64>,
        eta: &[f64],
        iterations: usize,
        gram: &Array2<f64>,
        a: &Array2<f64>,
    ) -> Result<Fit> {
        let a_inv = a.invc().map_err(not_definite)?;
        let kept_rows = gram.select(Axis(0), &self.reduction.keep);
        let h = a_inv.dot(&kept_rows);
        let edof_per_coef: Vec<f64> =
            (0..self.design.m()).map(|i| self.basis.row(i).dot(&h.column(i))).collect();
        let edof: f64 = edof_per_coef.iter().sum();
        let n = self.y.len() as f64;
        let deviance = deviance(self.link, self.y, eta);
        let dispersion = if self.link == Link::Identity { deviance / (n - edof) } else { 1.0 };
        let (gcv, ubre) = match self.link {
            Link::Identity => (Some(n * deviance / (n - self.gamma * edof).powi(2)), None),
            Link::Logit => (None, Some(deviance / n - dispersion + 2.0 * self.gamma * edof * dispersion / n)),
        };
        let covariance = self.basis.dot(&a_inv).dot(&self.basis.t()) * dispersion;
        Ok(Fit { beta, iterations, edof, edof_per_coef, dispersion, deviance, gcv, ubre, covariance })
    }
}
