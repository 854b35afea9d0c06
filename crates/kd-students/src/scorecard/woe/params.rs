//! Parameters of the WoE scorecard, checked before fitting.

use kd_core::data::class_index;
use serde::{Deserialize, Serialize};

use crate::error::{Result, check_l2, invalid_parameter};
use crate::linear::LogisticParams;
use crate::scorecard::ScorecardScaling;

/// Parameters of [`WoeScorecard::fit`](super::WoeScorecard::fit).
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `fine_bins` | 20 | quantile bins per numeric feature before coarse classing (2 to 1000) |
/// | `min_bin_share` | 0.05 | share of the rows each coarse class must hold, in `[0, 0.5]` |
/// | `monotone` | true | merge numeric classes until the WoE is monotone |
/// | `logistic` | L2 0 | the logistic regression on the WoE features |
/// | `scaling` | 20 PDO, 600 at 50:1 | points to double the odds, base score and odds |
/// | `bad_class` | 1 | which class of the binary task (0 or 1, in label order) is the bad outcome: the target `t` given to `fit` is its probability, and [`Student::predict`](crate::Student::predict) puts `P(bad)` in that column |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WoeParams {
    /// Fine classes per numeric feature.
    pub fine_bins: usize,
    /// Minimum share of rows per coarse class.
    pub min_bin_share: f64,
    /// Monotone WoE for numeric features.
    pub monotone: bool,
    /// The logistic regression.
    pub logistic: LogisticParams,
    /// Points scaling.
    pub scaling: ScorecardScaling,
    /// The bad outcome's class (0 or 1); files saved before it existed read as 1.
    #[serde(default = "class_one")]
    pub bad_class: usize,
}

fn class_one() -> usize {
    1
}

impl Default for WoeParams {
    fn default() -> Self {
        Self {
            fine_bins: 20,
            min_bin_share: 0.05,
            monotone: true,
            logistic: LogisticParams::default(),
            scaling: ScorecardScaling::default(),
            bad_class: 1,
        }
    }
}

impl WoeParams {
    /// The class index (0 or 1) of the target label `label`, for [`WoeParams::bad_class`];
    /// an error naming the labels when it is none of them.
    pub fn class_of_label(label: &str, labels: &[String]) -> Result<usize> {
        class_index(labels, label).ok_or_else(|| {
            invalid_parameter(
                "bad_class",
                format!("'{label}' is not a label of the target; its labels are {}", labels.join(", ")),
            )
        })
    }

    /// Checks the ranges; an error names the parameter.
    pub fn check(&self) -> Result<()> {
        if !(2..=1000).contains(&self.fine_bins) {
            return Err(invalid_parameter("bins", format!("{} (2 to 1000)", self.fine_bins)));
        }
        if !(0.0..=0.5).contains(&self.min_bin_share) {
            return Err(invalid_parameter("min_bin_share", format!("{} (in [0, 0.5])", self.min_bin_share)));
        }
        check_l2(self.logistic.l2)?;
        if self.bad_class > 1 {
            return Err(invalid_parameter("bad_class", format!("{} (0 or 1)", self.bad_class)));
        }
        self.scaling.check()
    }
}
