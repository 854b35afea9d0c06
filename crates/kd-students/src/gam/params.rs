//! Parameters of the boosted GAM, checked before fitting.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};
use crate::link::Link;

/// A shape-function constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monotone {
    /// Non-decreasing in the feature.
    Increasing,
    /// Non-increasing in the feature.
    Decreasing,
}

impl Monotone {
    /// Parses a constraint `feature:+1` (increasing; `feature:1` too) or `feature:-1`
    /// (decreasing) into the feature's name and the direction.
    pub fn parse_constraint(spec: &str) -> Result<(String, Monotone)> {
        let (name, sign) = spec.rsplit_once(':').ok_or_else(|| {
            invalid_parameter("monotone", format!("'{spec}' is not feature:+1 or feature:-1"))
        })?;
        let direction = match sign {
            "+1" | "1" => Monotone::Increasing,
            "-1" => Monotone::Decreasing,
            _ => return Err(invalid_parameter("monotone", format!("'{sign}' in '{spec}' is not +1 or -1"))),
        };
        Ok((name.to_owned(), direction))
    }
}

/// Parameters of [`BoostedGam::fit`](super::BoostedGam::fit). Defaults are interpret 0.7.8's
/// `ExplainableBoostingRegressor` where kd has the same knob ([`GamParams::for_link`] gives the
/// classifier's for [`Link::Logit`]); interpret's value follows in brackets where kd differs.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `max_bins` | 256 \[1024\] | quantile bins per feature for main terms (2 to 256: bins are bytes) |
/// | `interaction_bins` | 64 | bins per feature for pair terms (2 to 256) |
/// | `learning_rate` | 0.04 (classifier 0.015) | shrinkage of every boosting step |
/// | `max_rounds` | 50000 | boosting steps at most, in rounds of one step per term |
/// | `max_leaves` | 2 | leaves of each single-feature step (contiguous bin groups) |
/// | `min_samples_leaf` | 4 | rows each leaf of a greedy step must hold |
/// | `smoothing_rounds` | 500 (classifier 75) | first cyclic rounds of the main terms, cuts drawn at random |
/// | `interaction_smoothing_rounds` | 100 (classifier 75) | the same for the pair terms |
/// | `greedy_ratio` | 10 | after smoothing, rounds of `⌈greedy_ratio · terms⌉` greedy steps (0: cyclic) |
/// | `early_stopping_rounds` | 100 | stop when the last `rounds · terms` steps did not improve the validation loss |
/// | `early_stopping_tolerance` | 1e-5 | relative improvement that counts |
/// | `validation_size` | 0.15 | share of each bag's rows held out for early stopping |
/// | `outer_bags` | 14 | bags whose shape functions are averaged (their spread gives the bands) |
/// | `interactions` | 0 ["5x"; classifier "3x"] | pair terms chosen by FAST and boosted after the main terms; [`GamParams::interpret_pairs`] is interpret's count |
/// | `monotone` | none | per-feature constraints, enforced on the fitted shape functions |
/// | `seed` | 0 | bags, validation splits and smoothing cuts |
///
/// Why these defaults, measured against interpret (benches/gam.rs): on German credit (700
/// training rows, 20 features, a gradient-boosted teacher's probabilities; interpret 0.8127)
/// kd's earlier defaults (10 pairs, 8 bags, 3 leaves, 2 rows per leaf, 32 pair bins, cyclic
/// boosting at rate 0.01, no smoothing) reached test R² 0.784. interpret's count of pairs (5
/// per feature: 100) alone gave 0.786; with its 14 bags, 2 leaves, 4 rows per leaf and 64 pair
/// bins as well 0.812; each of those four left out cost about 0.01. With interpret's schedule
/// (smoothing, greedy steps, its early stopping) and its choice of pairs by mean rank over the
/// bags, 0.818.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GamParams {
    /// Bins per feature for main terms.
    pub max_bins: usize,
    /// Bins per feature for pair terms.
    pub interaction_bins: usize,
    /// Shrinkage.
    pub learning_rate: f64,
    /// Boosting rounds at most (`max_rounds · terms` steps per stage).
    pub max_rounds: usize,
    /// Leaves per step.
    pub max_leaves: usize,
    /// Rows per leaf at least.
    pub min_samples_leaf: usize,
    /// Cyclic rounds with random cuts before the greedy steps, main terms. Files saved before
    /// the schedule existed lack this and the next two fields; they read as 0, the values those
    /// fits used (no smoothing, cyclic boosting).
    #[serde(default)]
    pub smoothing_rounds: usize,
    /// Cyclic rounds with random cuts before the greedy steps, pair terms.
    #[serde(default)]
    pub interaction_smoothing_rounds: usize,
    /// Greedy steps per round, per term; 0 boosts cyclically (every term once per round).
    #[serde(default)]
    pub greedy_ratio: f64,
    /// Patience of early stopping, in rounds.
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
            interaction_bins: 64,
            learning_rate: 0.04,
            max_rounds: 50_000,
            max_leaves: 2,
            min_samples_leaf: 4,
            smoothing_rounds: 500,
            interaction_smoothing_rounds: 100,
            greedy_ratio: 10.0,
            early_stopping_rounds: 100,
            early_stopping_tolerance: 1e-5,
            validation_size: 0.15,
            outer_bags: 14,
            interactions: 0,
            monotone: Vec::new(),
            seed: 0,
        }
    }
}

impl GamParams {
    /// interpret's defaults for a link: its `ExplainableBoostingRegressor`'s for
    /// [`Link::Identity`] (the [`Default`]), its `ExplainableBoostingClassifier`'s for
    /// [`Link::Logit`] (learning rate 0.015, 75 smoothing rounds for mains and pairs).
    pub fn for_link(link: Link) -> Self {
        match link {
            Link::Identity => Self::default(),
            Link::Logit => Self {
                learning_rate: 0.015,
                smoothing_rounds: 75,
                interaction_smoothing_rounds: 75,
                ..Self::default()
            },
        }
    }

    /// interpret's default number of pairs for `n_features` features: `⌈5·d⌉` for the
    /// regressor (`interactions="5x"`), `⌈3·d⌉` for the classifier (`"3x"`), at most the
    /// `d(d − 1)/2` pairs there are.
    pub fn interpret_pairs(n_features: usize, link: Link) -> usize {
        let per_feature = match link {
            Link::Identity => 5,
            Link::Logit => 3,
        };
        (per_feature * n_features).min(n_features * n_features.saturating_sub(1) / 2)
    }

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
        if !(self.greedy_ratio.is_finite() && self.greedy_ratio >= 0.0) {
            return Err(invalid_parameter(
                "greedy_ratio",
                format!("{} (finite, at least 0)", self.greedy_ratio),
            ));
        }
        if !(self.early_stopping_tolerance.is_finite() && self.early_stopping_tolerance >= 0.0) {
            return Err(invalid_parameter(
                "early_stopping_tolerance",
                format!("{} (finite, at least 0)", self.early_stopping_tolerance),
            ));
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
