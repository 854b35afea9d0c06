//! [`Student`]: every fitted readable student as one type. Each student answers the
//! [`FittedStudent`] questions in its own module (`tree/student.rs`, `linear/student.rs`, …);
//! the enum only dispatches, so the file format ([`SavedStudent`](super::SavedStudent)) stays
//! one tagged JSON object.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::contributions::{Additive, Contributions};
use crate::error::Result;
use crate::gam::BoostedGam;
use crate::linear::{Linear, Logistic, Multinomial};
use crate::scorecard::WoeScorecard;
use crate::spline::SplineGam;
use crate::tree::Tree;

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
}

/// A fitted student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Student {
    /// A CART tree.
    Tree(Tree),
    /// A logistic regression (binary tasks).
    Logistic(Logistic),
    /// A boosted GAM (binary tasks through the logit, or regression).
    Gam(BoostedGam),
    /// An OLS or ridge regression (regression tasks).
    Linear(Linear),
    /// A multinomial logistic regression (multiclass tasks).
    Multinomial(Multinomial),
    /// A WoE scorecard (binary tasks).
    Scorecard(WoeScorecard),
    /// A penalised-spline GAM (binary tasks through the logit, or regression).
    Spline(SplineGam),
}

impl Student {
    /// The student behind the enum.
    pub fn model(&self) -> &dyn FittedStudent {
        match self {
            Student::Tree(m) => m,
            Student::Logistic(m) => m,
            Student::Gam(m) => m,
            Student::Linear(m) => m,
            Student::Multinomial(m) => m,
            Student::Scorecard(m) => m,
            Student::Spline(m) => m,
        }
    }

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
