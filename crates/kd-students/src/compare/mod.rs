//! Distill-and-Compare (Tan, Caruana, Hooker & Lou 2018, "Distill-and-compare: auditing
//! black-box models using transparent model distillation", AIES): audit a black box from its
//! scores alone.
//!
//! A *mimic* GAM is fitted to the teacher's outputs and an *outcome* GAM to the true outcomes,
//! on the same features and the same scale (log-odds for a binary outcome and the teacher's
//! probability of class 1; values for regression), both on the same bootstrap resamples. Per
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
use kd_core::data::{Dataset, Target};
use kd_core::quantile::{QuantileDef, quantile};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};
use crate::gam::GamParams;
use crate::link::Link;

/// The link the shapes are compared through and their scale's name, for a `task`: the logit
/// and "log-odds of class 1" (binary), the identity and "the target's units" (regression).
///
/// # Errors
/// A multiclass task: Distill-and-Compare audits one score.
pub fn link_of(task: Task) -> Result<(Link, &'static str)> {
    match task {
        Task::Binary => Ok((Link::Logit, "log-odds of class 1")),
        Task::Regression => Ok((Link::Identity, "the target's units")),
        Task::Multiclass(k) => Err(invalid_parameter(
            "target",
            format!("Distill-and-Compare audits binary or regression targets; this one has {k} classes"),
        )),
    }
}

/// The outcome GAM's target: class codes (0/1) or values.
pub fn outcome_of(data: &Dataset) -> Array1<f64> {
    match data.target() {
        Target::Classes { y, .. } => y.iter().map(|&c| c as f64).collect(),
        Target::Values(v) => v.clone(),
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
