//! [`FittedStudent`]: what every fitted readable student answers, each in its own module
//! (`tree/student.rs`, `linear/student.rs`, …); [`Student`] only dispatches, so the file format
//! ([`SavedStudent`](super::SavedStudent)) stays one tagged JSON object.

use ndarray::{Array2, ArrayView2};

use super::Student;
use crate::contributions::{Additive, Contributions};
use crate::error::Result;

/// What every fitted readable student answers.
pub trait FittedStudent {
    /// Its kind in saved files and reports (`"tree"`, `"logistic"`, …).
    fn kind(&self) -> &'static str;
    /// Its outputs for the rows of `x`: class probabilities `(n, k)` (a binary student gives
    /// `[P(class 0), P(class 1)]`) or values `(n, 1)`.
    fn outputs(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>>;
    /// Its size, for reports: leaves and depth, coefficients, terms.
    fn complexity(&self) -> serde_json::Value;
    /// The student in words, with the features' `names` and the `classes`' labels.
    fn describe(&self, names: &[String], classes: Option<&[String]>) -> String;
    /// Checks a student read from a file whose header names `n_features` features: every
    /// index in range, every length consistent.
    fn check_loaded(&self, n_features: usize) -> Result<()>;
    /// Its terms, for an additive student; `None` for a tree.
    fn additive(&self) -> Option<&dyn Additive> {
        None
    }
    /// Whether it has a place for a missing value of feature `j`, learnt on training rows where
    /// `j` was missing (a missing-value bin, a side a split learnt); none by default.
    fn takes_missing_in(&self, _j: usize) -> bool {
        false
    }
    /// Whether it has a rule for an unseen level of categorical feature `j`; none by default.
    fn takes_unseen_levels_in(&self, _j: usize) -> bool {
        false
    }
}

impl Student {
    /// The student's outputs for the rows of `x` ([`FittedStudent::outputs`]).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.model().outputs(x)
    }

    /// `"tree"`, `"logistic"`, `"gam"`, `"linear"`, `"multinomial"`, `"scorecard"` or
    /// `"spline"`.
    pub fn kind(&self) -> &'static str {
        self.model().kind()
    }

    /// Its size, for reports.
    pub fn complexity(&self) -> serde_json::Value {
        self.model().complexity()
    }

    /// The student in words: the tree's rules, the coefficient tables, the GAMs' terms by
    /// importance and their shape functions, the scorecard's points.
    pub fn explain(&self, names: &[String], classes: Option<&[String]>) -> String {
        self.model().describe(names, classes)
    }

    /// The additive student's per-row contributions ([`Additive`]); `None` for a tree. A
    /// logistic student's quantile-bin scorecard explains itself through its own
    /// [`Additive`] implementation.
    pub fn contributions(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Option<Result<Contributions>> {
        self.model().additive().map(|a| a.contributions(x, names))
    }
}
