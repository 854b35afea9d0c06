//! Settings of the sparse logistic student ([`SparseLogistic`](super::SparseLogistic)).
//!
//! | field | default | meaning | range |
//! |---|---|---|---|
//! | `l1_ratio` | 1.0 | α, the share of L1 in the penalty (1: lasso; below 1: elastic net) | (0, 1] |
//! | `n_lambdas` | 100 | penalties on the path, log-spaced from λ_max down | ≥ 1 |
//! | `lambda_min_ratio` | 1e-4 | the last penalty as a share of λ_max (glmnet's `lambda.min.ratio` when n > p) | (0, 1) |
//! | `lambda` | none | fit this one penalty (still warm-started along the path above it) | > 0 |
//! | `max_terms` | none | stop the path before the model has more non-zero weights than this, and keep the last model within it | ≥ 1 |
//! | `tolerance` | 1e-7 | coordinate descent stops when `max_j v_j Δβ_j² <` this (glmnet's `thresh`, unscaled) | > 0 |
//! | `max_sweeps` | 100,000 | coordinate sweeps per penalty at most | ≥ 1 |

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

/// Settings of the sparse logistic student; see the module's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SparseLogisticParams {
    /// Share of L1 in the penalty (α).
    pub l1_ratio: f64,
    /// Number of penalties on the path.
    pub n_lambdas: usize,
    /// Smallest penalty as a share of λ_max.
    pub lambda_min_ratio: f64,
    /// A single penalty to fit, instead of choosing along the path.
    pub lambda: Option<f64>,
    /// At most this many non-zero weights.
    pub max_terms: Option<usize>,
    /// Convergence tolerance of coordinate descent.
    pub tolerance: f64,
    /// Sweeps per penalty at most.
    pub max_sweeps: usize,
}

impl Default for SparseLogisticParams {
    fn default() -> Self {
        Self {
            l1_ratio: 1.0,
            n_lambdas: 100,
            lambda_min_ratio: 1e-4,
            lambda: None,
            max_terms: None,
            tolerance: 1e-7,
            max_sweeps: 100_000,
        }
    }
}

impl SparseLogisticParams {
    /// Refuses settings outside the ranges of the module's table.
    pub fn check(&self) -> Result<()> {
        if !(self.l1_ratio > 0.0 && self.l1_ratio <= 1.0) {
            return Err(invalid_parameter("l1-ratio", format!("{}; give a share in (0, 1]", self.l1_ratio)));
        }
        if self.n_lambdas == 0 {
            return Err(invalid_parameter("n_lambdas", "0; give at least 1 penalty"));
        }
        if !(self.lambda_min_ratio > 0.0 && self.lambda_min_ratio < 1.0) {
            return Err(invalid_parameter(
                "lambda_min_ratio",
                format!("{}; give a share in (0, 1)", self.lambda_min_ratio),
            ));
        }
        if let Some(l) = self.lambda
            && !(l.is_finite() && l > 0.0)
        {
            return Err(invalid_parameter("lambda", format!("{l}; give a positive penalty")));
        }
        if self.max_terms == Some(0) {
            return Err(invalid_parameter("max-terms", "0; give at least 1 term"));
        }
        if self.tolerance.is_nan() || self.tolerance <= 0.0 || self.max_sweeps == 0 {
            return Err(invalid_parameter(
                "tolerance",
                format!("{} with {} sweeps; both must be positive", self.tolerance, self.max_sweeps),
            ));
        }
        Ok(())
    }
}
