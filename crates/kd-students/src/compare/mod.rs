//! Distill-and-Compare (Tan, Caruana, Hooker & Lou 2018, "Distill-and-compare: auditing
//! black-box models using transparent model distillation", AIES): audit a black box from its
//! scores alone.
//!
//! A *mimic* GAM is fitted to the teacher's outputs and an *outcome* GAM to the true outcomes,
//! on the same features and the same scale (log-odds of the audited class against the others
//! and the teacher's probability of it, [`Audited`]; values for regression), both on the same bootstrap resamples. Per
//! feature, the difference between the two shape functions, with percentile bootstrap bands,
//! shows where the black box uses a feature differently from how the feature relates to the
//! outcome ([`compare_shapes`]). A second test asks whether the teacher used a feature that is
//! not in the audit data: does adding a candidate column significantly improve the mimic's
//! fidelity on out-of-bag rows ([`candidate_test`])? [`distill_and_compare`] runs both on one
//! dataset.
//!
//! Both GAMs are kd's boosted GAM with one bag each (the bootstrap supplies the variability).

mod candidate;
mod report;
mod run;
mod shapes;

pub use candidate::{CandidateTest, candidate_test};
pub use report::{ComparisonReport, Named};
pub use run::{CompareInputs, Comparison, distill_and_compare};
pub use shapes::{FeatureComparison, GridPoint, SHARE_REDRAWS, compare_shapes};

use kd_core::Task;
use kd_core::data::{Dataset, Target, class_index};
use kd_core::quantile::{QuantileDef, quantile};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};
use crate::gam::GamParams;
use crate::link::Link;

/// What is audited: one class against the others, or the values of a regression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audited {
    /// The class at this index of the target's labels, named `label`: the outcome 1 for its
    /// rows, the teacher's probability of it the score, the shapes on its log-odds.
    Class {
        /// Its index among the labels (and the teacher's outputs).
        index: usize,
        /// Its label.
        label: String,
    },
    /// The target's values, the teacher's predictions, the shapes in the target's units.
    Values,
}

impl Audited {
    /// What `data` is audited for: the class labelled `class` against the others, by default
    /// the second of a binary target's two labels (sorted), its class 1; the values of a
    /// regression.
    ///
    /// # Errors
    /// A class named for a regression, a label the target lacks, or a target of more than two
    /// classes without one (Distill-and-Compare audits one score).
    pub fn of(data: &Dataset, class: Option<&str>) -> Result<Self> {
        let labels = match data.target() {
            Target::Classes { labels, .. } => labels,
            Target::Values(_) => {
                return match class {
                    None => Ok(Audited::Values),
                    Some(_) => Err(invalid_parameter("class", "a regression target has no classes to audit")),
                };
            }
        };
        let index = match (class, data.task()) {
            (Some(label), _) => class_index(labels, label).ok_or_else(|| {
                invalid_parameter(
                    "class",
                    format!("'{label}' is not a class of the target ({})", labels.join(", ")),
                )
            })?,
            (None, Task::Multiclass(k)) => {
                return Err(invalid_parameter(
                    "class",
                    format!(
                        "Distill-and-Compare audits one score: name the class audited against the others (the target has {k}: {})",
                        labels.join(", ")
                    ),
                ));
            }
            (None, _) => 1,
        };
        Ok(Audited::Class { index, label: labels[index].clone() })
    }

    /// The link the shapes are compared through and their scale's name: the logit and the
    /// log-odds of the class, or the identity and "the target's units".
    pub fn link(&self) -> (Link, String) {
        match self {
            Audited::Class { label, .. } => (Link::Logit, format!("log-odds of class {label}")),
            Audited::Values => (Link::Identity, "the target's units".to_owned()),
        }
    }

    /// The outcome GAM's target: 1 for the class's rows and 0 for the others, or the values.
    ///
    /// # Errors
    /// `data` of another kind than the one this was made for: a class audited on a regression
    /// target, a class index beyond its labels, or values audited on a target of classes.
    pub fn outcome(&self, data: &Dataset) -> Result<Array1<f64>> {
        match (self, data.target()) {
            (Audited::Class { index, .. }, Target::Classes { y, labels }) if *index < labels.len() => {
                Ok(y.iter().map(|&c| f64::from(u8::from(c == *index))).collect())
            }
            (Audited::Values, Target::Values(v)) => Ok(v.clone()),
            (Audited::Class { label, .. }, _) => Err(invalid_parameter(
                "class",
                format!("class '{label}' is audited, but the data's target has no such class"),
            )),
            (Audited::Values, Target::Classes { .. }) => Err(invalid_parameter(
                "class",
                "a regression's values are audited, but the data's target has classes",
            )),
        }
    }

    /// The teacher's score of every row from its `outputs` (one column per class, or one of
    /// values): the class's column, or the values.
    ///
    /// # Errors
    /// Outputs without the class's column.
    pub fn scores(&self, outputs: ndarray::ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let column = match self {
            Audited::Class { index, .. } => *index,
            Audited::Values if outputs.ncols() == 1 => 0,
            Audited::Values => {
                return Err(invalid_parameter(
                    "teacher",
                    format!(
                        "it gave {} outputs a row; a regression teacher gives one value",
                        outputs.ncols()
                    ),
                ));
            }
        };
        if column >= outputs.ncols() {
            return Err(invalid_parameter(
                "teacher",
                format!(
                    "it gave {} outputs a row; the score audited is its output {}",
                    outputs.ncols(),
                    column + 1
                ),
            ));
        }
        Ok(outputs.column(column).to_owned())
    }
}

/// Parameters of the audit.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `bootstrap` | 100 | resamples of the rows |
/// | `gam` | `GamParams` with one bag | both GAMs' settings |
/// | `flag_share` | 0.1 | flag a feature when the bins whose difference band excludes 0 hold at least this share of rows |
/// | `materiality` | 0 | the smallest mean difference (on the shapes' scale) that a bin needs to count |
/// | `alpha` | 0.05 | level of the candidate test |
/// | `seed` | 0 | resampling |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareParams {
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// GAM settings for mimic and outcome models.
    pub gam: GamParams,
    /// Share of rows in significantly differing bins that flags a feature.
    pub flag_share: f64,
    /// The smallest `|mimic − outcome|` a bin needs to count as differing (0: any).
    #[serde(default)]
    pub materiality: f64,
    /// Level of the candidate-feature test.
    pub alpha: f64,
    /// Seed.
    pub seed: u64,
}

impl Default for CompareParams {
    fn default() -> Self {
        Self {
            bootstrap: 100,
            gam: GamParams { outer_bags: 1, ..GamParams::default() },
            flag_share: 0.1,
            materiality: 0.0,
            alpha: 0.05,
            seed: 0,
        }
    }
}

impl CompareParams {
    fn check(&self) -> Result<()> {
        if self.bootstrap < 10 {
            return Err(invalid_parameter("bootstrap", format!("{} (at least 10)", self.bootstrap)));
        }
        if !(self.flag_share > 0.0 && self.flag_share <= 1.0) {
            return Err(invalid_parameter("flag_share", format!("{} (in (0, 1])", self.flag_share)));
        }
        if !(self.materiality >= 0.0 && self.materiality.is_finite()) {
            return Err(invalid_parameter(
                "materiality",
                format!("{} (a finite value ≥ 0)", self.materiality),
            ));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(invalid_parameter("alpha", format!("{} (in (0, 1))", self.alpha)));
        }
        Ok(())
    }
}

/// Row indices of a bootstrap resample (with replacement) and the rows it left out.
fn resample(n: usize, rng: &mut impl rand::Rng) -> (Vec<usize>, Vec<usize>) {
    let drawn: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
    let mut used = vec![false; n];
    drawn.iter().for_each(|&r| used[r] = true);
    let left_out = (0..n).filter(|&r| !used[r]).collect();
    (drawn, left_out)
}

/// The 2.5% and 97.5% percentiles of `values` (sorted in place): the order statistics at the
/// rounded type-7 positions (NaN for no values).
fn percentile_band(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| quantile(values, q, QuantileDef::RoundedLinear).unwrap_or(f64::NAN);
    (at(0.025), at(0.975))
}
