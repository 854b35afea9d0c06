//! [`GamSettings`]: the boosted GAM's parameters as a caller states them, resolved against the
//! data (the pair count, monotone features by name) when the student is fitted.

use serde::{Deserialize, Serialize};

use super::{GamParams, Monotone};
use crate::error::{Result, invalid_parameter};
use crate::link::Link;

/// Parameters of the boosted GAM as a caller states them: `None` takes interpret 0.7.8's
/// default for the link the target implies ([`GamParams::for_link`]).
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `pairs` | false | add pair terms chosen by FAST (GA²M) |
/// | `interactions` | interpret's ([`GamParams::interpret_pairs`]) | pair terms, with `pairs` (at most the pairs there are) |
/// | `max_bins` | 256 | bins per feature |
/// | `outer_bags` | 14 | bags averaged |
/// | `learning_rate` | 0.04 values, 0.015 probabilities | boosting rate |
/// | `max_rounds` | 50,000 | boosting rounds per stage |
/// | `monotone` | none | shape constraints by feature name |
/// | `seed` | 0 | bags, validation rows, smoothing cuts |
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GamSettings {
    /// Pair terms (GA²M).
    pub pairs: bool,
    /// Number of pair terms.
    pub interactions: Option<usize>,
    /// Bins per feature.
    pub max_bins: Option<usize>,
    /// Bags averaged.
    pub outer_bags: Option<usize>,
    /// Boosting rate.
    pub learning_rate: Option<f64>,
    /// Boosting rounds per stage.
    pub max_rounds: Option<usize>,
    /// Monotone shape functions, by feature name.
    pub monotone: Vec<(String, Monotone)>,
    /// Seed.
    pub seed: u64,
}

impl GamSettings {
    /// The GAM's parameters for features `names` and `link`: interpret's defaults where a
    /// setting is `None`, monotone features found by name.
    pub fn params(&self, names: &[String], link: Link) -> Result<GamParams> {
        let defaults = GamParams::for_link(link);
        let pairs = names.len() * names.len().saturating_sub(1) / 2;
        let monotone = self
            .monotone
            .iter()
            .map(|(name, direction)| {
                let feature = names
                    .iter()
                    .position(|n| n == name)
                    .ok_or_else(|| invalid_parameter("monotone", format!("'{name}' is not a feature")))?;
                Ok((feature, *direction))
            })
            .collect::<Result<_>>()?;
        Ok(GamParams {
            max_bins: self.max_bins.unwrap_or(defaults.max_bins),
            interactions: if self.pairs {
                self.interactions.unwrap_or(GamParams::interpret_pairs(names.len(), link)).min(pairs)
            } else {
                0
            },
            monotone,
            outer_bags: self.outer_bags.unwrap_or(defaults.outer_bags),
            learning_rate: self.learning_rate.unwrap_or(defaults.learning_rate),
            max_rounds: self.max_rounds.unwrap_or(defaults.max_rounds),
            seed: self.seed,
            ..defaults
        })
    }
}
