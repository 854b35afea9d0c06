//! The link between an additive student's predictor `η` and its prediction, shared by the
//! boosted GAM, the spline GAM and the contributions interface.

use ndarray::{Array1, Array2, ArrayView1};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The link between the additive predictor `η = b + Σ_t f_t` and the prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// `ŷ = η`, squared-error loss (regression, or a teacher's scores on their own scale).
    Identity,
    /// `p = 1 / (1 + e^{−η})`, cross-entropy loss on targets in `[0, 1]` (0/1 outcomes or a
    /// teacher's probabilities).
    Logit,
}

impl Link {
    /// A student's outputs from its additive predictors `η`: shape `(n, 1)` values `η`
    /// (identity) or `(n, 2)` probabilities `[1 − σ(η), σ(η)]` (logit).
    pub fn outputs(self, eta: Array1<f64>) -> Array2<f64> {
        match self {
            Link::Identity => eta.insert_axis(ndarray::Axis(1)),
            Link::Logit => Array2::from_shape_fn((eta.len(), 2), |(i, k)| {
                let p = 1.0 / (1.0 + (-eta[i]).exp());
                if k == 1 { p } else { 1.0 - p }
            }),
        }
    }

    /// Refuses the first target that is not finite, or (logit) not a probability in `[0, 1]`,
    /// naming its row and `column`.
    pub(crate) fn check_targets(self, y: ArrayView1<'_, f64>, column: usize) -> Result<()> {
        let bad = |v: f64| !v.is_finite() || (self == Link::Logit && !(0.0..=1.0).contains(&v));
        match y.indexed_iter().find(|(_, v)| bad(**v)) {
            Some((row, &v)) => {
                let allowed = if self == Link::Logit { "a probability in [0, 1]" } else { "a finite number" };
                Err(Error::InvalidInput { row, column, reason: format!("target {v} is not {allowed}") })
            }
            None => Ok(()),
        }
    }
}
