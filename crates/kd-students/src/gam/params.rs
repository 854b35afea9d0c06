//! Parameters of the boosted GAM, checked before fitting.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

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

/// A shape-function constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monotone {
    /// Non-decreasing in the feature.
    Increasing,
    /// Non-increasing in the feature.
    Decreasing,
}

/// Parameters of [`BoostedGam::fit`](super::BoostedGam::fit); defaults follow interpret's
/// `ExplainableBoostingRegressor`/`Classifier` where kd has the same knob.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `max_bins` | 256 | quantile bins per feature for main terms (2 to 256) |
/// | `interaction_bins` | 32 | bins per feature for pair terms (2 to 256) |
/// | `learning_rate` | 0.01 | shrinkage of every boosting step |
/// | `max_rounds` | 5000 | cycles over all terms at most |
/// | `max_leaves` | 3 | leaves of each single-feature step (contiguous bin groups) |
/// | `min_samples_leaf` | 2 | rows each leaf of a step must hold |
/// | `early_stopping_rounds` | 50 | stop after this many cycles without validation improvement |
/// | `early_stopping_tolerance` | 1e-4 | relative improvement that counts |
/// | `validation_size` | 0.15 | share of each bag's rows held out for early stopping |
/// | `outer_bags` | 8 | bags whose shape functions are averaged (their spread gives the bands) |
/// | `interactions` | 0 | pair terms chosen by FAST and boosted after the main terms |
/// | `monotone` | none | per-feature constraints, enforced on the fitted shape functions |
/// | `seed` | 0 | bags and validation splits |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GamParams {
    /// Bins per feature for main terms.
    pub max_bins: usize,
    /// Bins per feature for pair terms.
    pub interaction_bins: usize,
    /// Shrinkage.
    pub learning_rate: f64,
    /// Boosting cycles at most.
    pub max_rounds: usize,
    /// Leaves per step.
    pub max_leaves: usize,
    /// Rows per leaf at least.
    pub min_samples_leaf: usize,
    /// Patience of early stopping, in cycles.
    pub early_stopping_rounds: usize,
    /// Relative improvement that resets the patience.
    pub early_stopping_tolerance: f64,
    /// Validation share of each bag.
    pub validation_size: f64,
    /// Number of bags.
    pub outer_bags: usize,
    /// Number of pair terms.
    pub interactions: usize,
    /// `(feature, constraint)` pairs.
    pub monotone: Vec<(usize, Monotone)>,
    /// Seed.
    pub seed: u64,
}

impl Default for GamParams {
    fn default() -> Self {
        Self {
            max_bins: 256,
            interaction_bins: 32,
            learning_rate: 0.01,
            max_rounds: 5000,
            max_leaves: 3,
            min_samples_leaf: 2,
            early_stopping_rounds: 50,
            early_stopping_tolerance: 1e-4,
            validation_size: 0.15,
            outer_bags: 8,
            interactions: 0,
            monotone: Vec::new(),
            seed: 0,
        }
    }
}

impl GamParams {
    /// Checks the ranges; an error names the parameter.
    pub fn check(&self, n_features: usize) -> Result<()> {
        let bins_ok = |b: usize| (2..=256).contains(&b);
        if !bins_ok(self.max_bins) {
            return Err(invalid_parameter("max_bins", format!("{} (2 to 256)", self.max_bins)));
        }
        if !bins_ok(self.interaction_bins) {
            return Err(invalid_parameter(
                "interaction_bins",
                format!("{} (2 to 256)", self.interaction_bins),
            ));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return Err(invalid_parameter("learning_rate", format!("{} (in (0, 1])", self.learning_rate)));
        }
        if self.max_rounds == 0 || self.outer_bags == 0 || self.early_stopping_rounds == 0 {
            return Err(invalid_parameter("max_rounds/outer_bags/early_stopping_rounds", "each at least 1"));
        }
        if self.max_leaves < 2 {
            return Err(invalid_parameter("max_leaves", format!("{} (at least 2)", self.max_leaves)));
        }
        if self.min_samples_leaf == 0 {
            return Err(invalid_parameter("min_samples_leaf", "0 (at least 1)"));
        }
        if !(self.validation_size > 0.0 && self.validation_size < 0.5) {
            return Err(invalid_parameter(
                "validation_size",
                format!("{} (in (0, 0.5))", self.validation_size),
            ));
        }
        if let Some((f, _)) = self.monotone.iter().find(|(f, _)| *f >= n_features) {
            return Err(invalid_parameter("monotone", format!("feature {f} of {n_features}")));
        }
        let pairs = n_features * n_features.saturating_sub(1) / 2;
        if self.interactions > pairs {
            return Err(invalid_parameter(
                "interactions",
                format!("{} (at most {pairs} pairs)", self.interactions),
            ));
        }
        Ok(())
    }
}
