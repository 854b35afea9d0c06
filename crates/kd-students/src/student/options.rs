//! [`StudentOptions`]: every readable student's settings by the name a user gives them (a flag
//! of `kd distill`, a keyword of `kd.distill`), any of them unset;
//! [`StudentKind::params`](super::StudentKind::params) turns them into one kind's typed
//! [`StudentParams`](super::StudentParams), the library's
//! default where a setting is unset. The program and the Python binding only fill this struct,
//! so that the two cannot map a setting differently.
//!
//! | setting | students | default | meaning |
//! |---|---|---|---|
//! | `max_depth`, `max_leaves` | tree | none | size limits |
//! | `min_samples_leaf` | tree | 1 | rows per leaf |
//! | `ccp_alpha` | tree | 0 | cost-complexity pruning strength |
//! | `categorical_splits` | tree | level sets | level sets or thresholds on level codes |
//! | `max_bins` | tree, gam, gam2 | exact thresholds; the GAM's 256 | histogram bins per feature |
//! | `l2` | linear, logistic, scorecard | 0 | L2 penalty |
//! | `points_bins` | logistic | none | a quantile-bin points table with this many bins per feature |
//! | `fine_bins` | scorecard | 20 | quantile bins per numeric feature before coarse classing |
//! | `bad_class` | scorecard | the second label (class 1) | the label of the bad outcome |
//! | `pdo`, `base_score`, `base_odds` | scorecard, logistic's points table | 20, 600, 50 | points scale |
//! | `interactions`, `outer_bags`, `max_rounds`, `learning_rate` | gam, gam2 | interpret's | boosting schedule |
//! | `monotone` | gam, gam2 | none | `feature:+1` or `feature:-1` |
//! | `n_splines` | spline | 20 | B-splines per feature |
//! | `lam` | spline | chosen by GCV / UBRE | smoothing parameter of every term |
//! | `seed` | gam, gam2 | 0 | bags, validation rows, smoothing cuts |

use crate::error::Result;
use crate::gam::{GamSettings, Monotone};
use crate::linear::{LinearParams, LogisticParams, LogisticSettings, PointsTableParams};
use crate::scorecard::{ScorecardScaling, WoeParams};
use crate::spline::{Smoothing, SplineGamParams};
use crate::tree::{CategoricalSplits, TreeParams};

/// Every readable student's settings, each `None` (or empty) for the library's default; see
/// the module's table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudentOptions {
    /// Tree: maximum depth.
    pub max_depth: Option<usize>,
    /// Tree: maximum number of leaves (best-first growth).
    pub max_leaves: Option<usize>,
    /// Tree: minimum rows per leaf.
    pub min_samples_leaf: Option<usize>,
    /// Tree: cost-complexity pruning strength.
    pub ccp_alpha: Option<f64>,
    /// Tree: how categorical features are split.
    pub categorical_splits: Option<CategoricalSplits>,
    /// Tree: histogram thresholds with this many bins; GAMs: bins per feature.
    pub max_bins: Option<usize>,
    /// Linear, logistic, scorecard: L2 penalty.
    pub l2: Option<f64>,
    /// Logistic: the bins per feature of a quantile-bin points table (none without it).
    pub points_bins: Option<usize>,
    /// Scorecard: quantile bins per numeric feature before coarse classing.
    pub fine_bins: Option<usize>,
    /// Scorecard: the label of the bad outcome.
    pub bad_class: Option<String>,
    /// Points to double the odds.
    pub pdo: Option<f64>,
    /// The score at which the good:bad odds are `base_odds`.
    pub base_score: Option<f64>,
    /// Good:bad odds at `base_score`.
    pub base_odds: Option<f64>,
    /// gam2: pair terms.
    pub interactions: Option<usize>,
    /// GAMs: bags averaged.
    pub outer_bags: Option<usize>,
    /// GAMs: boosting rounds per stage.
    pub max_rounds: Option<usize>,
    /// GAMs: boosting rate.
    pub learning_rate: Option<f64>,
    /// GAMs: monotone shape functions, `feature:+1` or `feature:-1`.
    pub monotone: Vec<String>,
    /// Spline: B-splines per feature.
    pub n_splines: Option<usize>,
    /// Spline: the smoothing parameter of every term.
    pub lam: Option<f64>,
    /// GAMs: the seed.
    pub seed: u64,
}

impl StudentOptions {
    /// The points scale: `pdo`, `base_score` and `base_odds` over the defaults.
    fn scaling(&self) -> ScorecardScaling {
        let defaults = ScorecardScaling::default();
        ScorecardScaling {
            pdo: self.pdo.unwrap_or(defaults.pdo),
            base_score: self.base_score.unwrap_or(defaults.base_score),
            base_odds: self.base_odds.unwrap_or(defaults.base_odds),
        }
    }

    /// The logistic regression behind the logistic student and the scorecard.
    fn logistic(&self) -> LogisticParams {
        LogisticParams { l2: self.l2.unwrap_or(0.0), ..LogisticParams::default() }
    }

    pub(crate) fn tree(&self) -> TreeParams {
        let defaults = TreeParams::default();
        let mut params = TreeParams {
            max_depth: self.max_depth,
            max_leaves: self.max_leaves,
            min_samples_leaf: self.min_samples_leaf.unwrap_or(defaults.min_samples_leaf),
            ccp_alpha: self.ccp_alpha.unwrap_or(defaults.ccp_alpha),
            categorical: self.categorical_splits.unwrap_or(defaults.categorical),
            ..defaults
        };
        if let Some(bins) = self.max_bins {
            params = params.histogram(bins);
        }
        params
    }

    pub(crate) fn linear(&self) -> LinearParams {
        LinearParams { l2: self.l2.unwrap_or(0.0) }
    }

    pub(crate) fn logistic_settings(&self) -> LogisticSettings {
        LogisticSettings {
            logistic: self.logistic(),
            points: self.points_bins.map(|bins| PointsTableParams { bins, scaling: self.scaling() }),
        }
    }

    pub(crate) fn gam(&self, pairs: bool) -> Result<GamSettings> {
        Ok(GamSettings {
            pairs,
            interactions: self.interactions,
            max_bins: self.max_bins,
            outer_bags: self.outer_bags,
            learning_rate: self.learning_rate,
            max_rounds: self.max_rounds,
            monotone: self
                .monotone
                .iter()
                .map(|spec| Monotone::parse_constraint(spec))
                .collect::<Result<_>>()?,
            seed: self.seed,
        })
    }

    pub(crate) fn spline(&self) -> SplineGamParams {
        let defaults = SplineGamParams::default();
        SplineGamParams {
            n_splines: self.n_splines.unwrap_or(defaults.n_splines),
            smoothing: self.lam.map_or_else(Smoothing::default_grid, Smoothing::Shared),
            ..defaults
        }
    }

    /// The scorecard's parameters; its bad class is `bad_class` found among `class_labels`
    /// (class 1 when either is absent).
    pub(crate) fn woe(&self, class_labels: Option<&[String]>) -> Result<WoeParams> {
        let defaults = WoeParams::default();
        Ok(WoeParams {
            bad_class: match (&self.bad_class, class_labels) {
                (Some(label), Some(labels)) => WoeParams::class_of_label(label, labels)?,
                _ => defaults.bad_class,
            },
            fine_bins: self.fine_bins.unwrap_or(defaults.fine_bins),
            logistic: self.logistic(),
            scaling: self.scaling(),
            ..defaults
        })
    }
}
