//! Parameters of the spline GAM, checked before fitting.

use serde::{Deserialize, Serialize};

use super::basis::MAX_ORDER;
use crate::error::{Result, invalid_parameter};

/// How the smoothing parameters `λ_j` are set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Smoothing {
    /// One `λ` for every term.
    Shared(f64),
    /// One `λ` per feature, in feature order.
    PerFeature(Vec<f64>),
    /// Each value tried as a shared `λ`, each fit started from the previous one's coefficients;
    /// the one with the least GCV (identity link) or UBRE (logit link) is kept — pyGAM's
    /// `gridsearch` with its default `objective='auto'`.
    Grid(Vec<f64>),
}

impl Smoothing {
    /// pyGAM's default grid, `np.logspace(-3, 3, 11)`: `10^(−3 + 0.6i)`, `i = 0, …, 10`.
    pub fn default_grid() -> Self {
        Smoothing::Grid((0..=10).map(|i| 10f64.powf(-3.0 + 0.6 * f64::from(i))).collect())
    }
}

/// Parameters of [`SplineGam::fit`](super::SplineGam::fit); defaults are pyGAM 0.12.0's
/// (`LinearGAM()` / `LogisticGAM()` with `s(j)` terms and `gridsearch`).
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `n_splines` | 20 | B-splines per feature `K` (at least `spline_order + 1`) |
/// | `spline_order` | 3 | polynomial degree `p` of the splines (1 to 5; 3 is cubic) |
/// | `smoothing` | `Grid(logspace(−3, 3, 11))` | `λ`: shared, per feature, or chosen on a grid |
/// | `max_iter` | 100 | penalised IRLS iterations at most |
/// | `tol` | 1e-4 | stop when `‖β_new − β‖ / ‖β_new‖ < tol` (pyGAM's rule) |
/// | `gamma` | 1.4 | weight `γ ≥ 1` of the effective degrees of freedom in GCV and UBRE |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplineGamParams {
    /// B-splines per feature.
    pub n_splines: usize,
    /// Degree of the splines.
    pub spline_order: usize,
    /// The smoothing parameters.
    pub smoothing: Smoothing,
    /// Iterations at most.
    pub max_iter: usize,
    /// Relative change of the coefficients that ends the iterations.
    pub tol: f64,
    /// Degrees-of-freedom weight in GCV / UBRE.
    pub gamma: f64,
}

impl Default for SplineGamParams {
    fn default() -> Self {
        Self {
            n_splines: 20,
            spline_order: 3,
            smoothing: Smoothing::default_grid(),
            max_iter: 100,
            tol: 1e-4,
            gamma: 1.4,
        }
    }
}

impl SplineGamParams {
    /// Checks the ranges for `n_features` features; an error names the parameter.
    pub fn check(&self, n_features: usize) -> Result<()> {
        if !(1..=MAX_ORDER).contains(&self.spline_order) {
            return Err(invalid_parameter(
                "spline_order",
                format!("{} (1 to {MAX_ORDER})", self.spline_order),
            ));
        }
        if self.n_splines <= self.spline_order {
            return Err(invalid_parameter(
                "n_splines",
                format!("{} (more than spline_order = {})", self.n_splines, self.spline_order),
            ));
        }
        if self.max_iter == 0 {
            return Err(invalid_parameter("max_iter", "0 (at least 1)"));
        }
        if !(self.tol > 0.0 && self.tol.is_finite()) {
            return Err(invalid_parameter("tol", format!("{} (a finite value > 0)", self.tol)));
        }
        if !(self.gamma >= 1.0 && self.gamma.is_finite()) {
            return Err(invalid_parameter("gamma", format!("{} (a finite value ≥ 1)", self.gamma)));
        }
        let lams: &[f64] = match &self.smoothing {
            Smoothing::Shared(lam) => std::slice::from_ref(lam),
            Smoothing::PerFeature(lams) if lams.len() != n_features => {
                return Err(invalid_parameter(
                    "lam",
                    format!("{} values for {n_features} features", lams.len()),
                ));
            }
            Smoothing::Grid(grid) if grid.is_empty() => {
                return Err(invalid_parameter("lam", "an empty grid"));
            }
            Smoothing::PerFeature(lams) | Smoothing::Grid(lams) => lams,
        };
        if let Some(lam) = lams.iter().find(|l| !(**l > 0.0 && l.is_finite())) {
            return Err(invalid_parameter("lam", format!("{lam} (each λ a finite value > 0)")));
        }
        Ok(())
    }
}
