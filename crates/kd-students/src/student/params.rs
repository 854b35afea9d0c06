//! [`StudentParams`]: the typed parameters of every readable student, one variant per family,
//! which [`fit_student`](super::fit_student) takes. Settings that depend on the data (a GAM's
//! pair count and monotone features by name) are resolved at fit time.

use kd_core::Task;
use kd_core::data::FormedTarget;
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{Student, StudentKind};
use crate::error::{Error, Result, check_l2, invalid_parameter};
use crate::gam::{BoostedGam, GamParams, Monotone};
use crate::linear::{Linear, LinearParams, Logistic, LogisticParams, Multinomial};
use crate::link::Link;
use crate::scorecard::{QuantileScorecard, ScorecardScaling, WoeParams, WoeScorecard};
use crate::spline::{SplineGam, SplineGamParams};
use crate::tree::{Criterion, Tree, TreeParams, TreeTarget};

/// The parameters of one readable student.
#[derive(Debug, Clone, PartialEq)]
pub enum StudentParams {
    /// A CART tree. Its criterion follows the target: Gini (or the entropy asked for) on
    /// classes, squared error on probabilities and values.
    Tree(TreeParams),
    /// OLS or ridge.
    Linear(LinearParams),
    /// Logistic (binary) or multinomial (multiclass) regression, with an optional quantile-bin
    /// scorecard (binary only).
    Logistic(LogisticSettings),
    /// The boosted GAM, with or without pairs.
    Gam(GamSettings),
    /// The penalised-spline GAM.
    Spline(SplineGamParams),
    /// The weight-of-evidence scorecard.
    Scorecard(WoeParams),
}

/// Parameters of the logistic student.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `logistic` | L2 0, 100 iterations | the regression (binary or multinomial) |
/// | `points` | none | a quantile-bin scorecard of the fitted model (binary tasks) |
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LogisticSettings {
    /// The regression.
    pub logistic: LogisticParams,
    /// The quantile-bin scorecard to make from it.
    pub points: Option<PointsTableParams>,
}

/// Parameters of a logistic student's quantile-bin scorecard
/// ([`QuantileScorecard`](crate::scorecard::QuantileScorecard)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PointsTableParams {
    /// Quantile bins per feature (at least 1).
    pub bins: usize,
    /// The points scale.
    pub scaling: ScorecardScaling,
}

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

impl StudentParams {
    /// The student these parameters fit.
    pub fn kind(&self) -> StudentKind {
        match self {
            StudentParams::Tree(_) => StudentKind::Tree,
            StudentParams::Linear(_) => StudentKind::Linear,
            StudentParams::Logistic(_) => StudentKind::Logistic,
            StudentParams::Gam(settings) if settings.pairs => StudentKind::Gam2,
            StudentParams::Gam(_) => StudentKind::Gam,
            StudentParams::Spline(_) => StudentKind::Spline,
            StudentParams::Scorecard(_) => StudentKind::Scorecard,
        }
    }

    /// Checks what can be checked before the data are read: the tree's ranges, the penalties,
    /// the scorecards' scaling and bins.
    pub fn check(&self) -> Result<()> {
        match self {
            StudentParams::Tree(params) => params.check(),
            StudentParams::Linear(params) => check_l2(params.l2),
            StudentParams::Logistic(settings) => {
                check_l2(settings.logistic.l2)?;
                match &settings.points {
                    Some(points) if points.bins == 0 => {
                        Err(invalid_parameter("scorecard", "0 bins (at least 1)"))
                    }
                    Some(points) => points.scaling.check(),
                    None => Ok(()),
                }
            }
            StudentParams::Scorecard(params) => params.check(),
            StudentParams::Gam(_) | StudentParams::Spline(_) => Ok(()),
        }
    }

    /// Fits the student to `x` (columns `names`, their `levels`) for `task` on `formed`, the
    /// target already in the kind's form ([`StudentKind::target_form`]); called by
    /// [`fit_student`](super::fit_student) after its checks.
    pub(super) fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        names: &[String],
        levels: &[Option<Vec<String>>],
        task: Task,
        formed: FormedTarget,
        report: &(dyn Fn(crate::FitProgress) + Sync),
    ) -> Result<Student> {
        let link = if task.is_classification() { Link::Logit } else { Link::Identity };
        Ok(match self {
            StudentParams::Tree(params) => {
                let tree = |params, target| Tree::fit_with_levels(params, x, target, levels);
                match formed {
                    FormedTarget::Classes { y, n_classes } => {
                        let criterion = match params.criterion {
                            Criterion::SquaredError => Criterion::Gini,
                            classification => classification,
                        };
                        Student::Tree(tree(
                            &params.criterion(criterion),
                            TreeTarget::Classes { y: &y, n_classes },
                        )?)
                    }
                    other => {
                        let outputs = other.into_matrix();
                        let params = params.criterion(Criterion::SquaredError);
                        Student::Tree(tree(&params, TreeTarget::Values(outputs.view()))?)
                    }
                }
            }
            StudentParams::Linear(params) => {
                Student::Linear(Linear::fit(params, x, column(formed)?.view(), names)?)
            }
            StudentParams::Logistic(settings) if matches!(task, Task::Multiclass(_)) => {
                let t = formed.into_matrix();
                Student::Multinomial(Multinomial::fit(&settings.logistic, x, t.view(), names)?)
            }
            StudentParams::Logistic(settings) => {
                let mut model = Logistic::fit(&settings.logistic, x, column(formed)?.view(), names)?;
                if let Some(points) = settings.points {
                    model.scorecard =
                        Some(QuantileScorecard::new(&model, x, names, points.bins, points.scaling)?);
                }
                Student::Logistic(model)
            }
            StudentParams::Scorecard(params) => {
                let class_one = column(formed)?;
                let bad = if params.bad_class == 1 { class_one } else { class_one.mapv(|p| 1.0 - p) };
                Student::Scorecard(WoeScorecard::fit(params, x, bad.view(), names, levels)?)
            }
            StudentParams::Spline(params) => {
                Student::Spline(SplineGam::fit(params, x, column(formed)?.view(), link)?)
            }
            StudentParams::Gam(settings) => {
                let params = settings.params(names, link)?;
                Student::Gam(BoostedGam::fit_reporting(&params, x, column(formed)?.view(), link, report)?)
            }
        })
    }

    /// Checks the parameters against the task (a quantile-bin scorecard needs a binary one).
    pub fn check_task(&self, task: Task) -> Result<()> {
        if let StudentParams::Logistic(LogisticSettings { points: Some(_), .. }) = self
            && task != Task::Binary
        {
            return Err(invalid_parameter(
                "scorecard",
                format!("scorecards need a binary task, and this one is {}", task.name()),
            ));
        }
        Ok(())
    }
}

/// The one column a single-output student fits.
fn column(formed: FormedTarget) -> Result<Array1<f64>> {
    match formed {
        FormedTarget::Column(c) => Ok(c),
        FormedTarget::Matrix(m) if m.ncols() == 1 => Ok(m.column(0).to_owned()),
        other => {
            let width = other.into_matrix().ncols();
            Err(Error::ShapeMismatch { context: "target columns".into(), expected: 1, got: width })
        }
    }
}
