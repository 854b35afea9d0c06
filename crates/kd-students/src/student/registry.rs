//! The registry of readable students: every kind ([`StudentKind`]), its parameters
//! ([`StudentParams`]) and its fitted model ([`Student`]), with the arms that find the
//! kind's answers in its own module. A new student is a variant of each enum, its place in
//! [`StudentKind::ALL`] and an arm in each `match` below (`spec`, `params`, `family`,
//! `model`), with its settings in [`StudentOptions`] when it has new ones; what it is, checks
//! and fits lives in its module (its `student.rs`, or `linear/family.rs` beside it: its
//! [`KindSpec`], [`Family`] and [`FittedStudent`] answers).
//!
//! | kind | parameters | fitted |
//! |---|---|---|
//! | `tree` | [`TreeParams`] | [`Tree`] |
//! | `logistic` | [`LogisticSettings`] | [`Logistic`] (binary), [`Multinomial`] (multiclass) |
//! | `linear` | [`LinearParams`] | [`Linear`] |
//! | `gam`, `gam2` | [`GamSettings`] (`pairs` tells them apart) | [`BoostedGam`] |
//! | `spline` | [`SplineGamParams`] | [`SplineGam`] |
//! | `scorecard` | [`WoeParams`] | [`WoeScorecard`] |

use serde::{Deserialize, Serialize};

use super::FittedStudent;
use super::kind::KindSpec;
use super::options::StudentOptions;
use super::params::Family;
use crate::error::Result;
use crate::gam::{self, BoostedGam, GamSettings};
use crate::linear::{self, Linear, LinearParams, Logistic, LogisticSettings, Multinomial};
use crate::scorecard::{self, WoeParams, WoeScorecard};
use crate::spline::{self, SplineGam, SplineGamParams};
use crate::tree::{self, Tree, TreeParams};

/// A readable student kd can fit. Non-exhaustive: a caller offers the kinds it has settings
/// for and refuses the others by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StudentKind {
    /// A CART decision tree (a born-again tree: a regression tree on the teacher's outputs).
    Tree,
    /// A logistic regression on `P(class 1)` (binary), multinomial on all class probabilities
    /// (multiclass), with a coefficient table.
    Logistic,
    /// OLS (ridge with an L2 penalty) on values, with a coefficient table.
    Linear,
    /// A boosted GAM (EBM): one shape function per feature.
    Gam,
    /// The boosted GAM with pair terms (GA²M).
    Gam2,
    /// A penalised-spline GAM (pyGAM's `LinearGAM` / `LogisticGAM`).
    Spline,
    /// The weight-of-evidence scorecard.
    Scorecard,
}

impl StudentKind {
    /// Every kind, in the order `kd distill --help` lists them.
    pub const ALL: [StudentKind; 7] = [
        StudentKind::Tree,
        StudentKind::Logistic,
        StudentKind::Linear,
        StudentKind::Gam,
        StudentKind::Gam2,
        StudentKind::Spline,
        StudentKind::Scorecard,
    ];

    /// What the kind is, as its module states it.
    pub(crate) fn spec(self) -> &'static KindSpec {
        match self {
            StudentKind::Tree => &tree::KIND,
            StudentKind::Logistic => &linear::LOGISTIC_KIND,
            StudentKind::Linear => &linear::LINEAR_KIND,
            StudentKind::Gam => &gam::KIND,
            StudentKind::Gam2 => &gam::PAIRS_KIND,
            StudentKind::Spline => &spline::KIND,
            StudentKind::Scorecard => &scorecard::WOE_KIND,
        }
    }

    /// The kind's parameters from `options` (unset ones at the library's defaults, see
    /// [`StudentOptions`]), for data whose class labels are `class_labels`.
    ///
    /// # Errors
    /// A monotone constraint that does not parse; a bad class that is not one of the labels.
    pub fn params(self, options: &StudentOptions, class_labels: Option<&[String]>) -> Result<StudentParams> {
        Ok(match self {
            StudentKind::Tree => StudentParams::Tree(options.tree()),
            StudentKind::Logistic => StudentParams::Logistic(options.logistic_settings()),
            StudentKind::Linear => StudentParams::Linear(options.linear()),
            StudentKind::Gam => StudentParams::Gam(options.gam(false)?),
            StudentKind::Gam2 => StudentParams::Gam(options.gam(true)?),
            StudentKind::Spline => StudentParams::Spline(options.spline()),
            StudentKind::Scorecard => StudentParams::Scorecard(options.woe(class_labels)?),
        })
    }

    /// The kind's parameters at the library's defaults.
    ///
    /// # Errors
    /// None in practice: the defaults hold no monotone constraint and no bad class.
    pub fn default_params(self) -> Result<StudentParams> {
        self.params(&StudentOptions::default(), None)
    }
}

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

impl StudentParams {
    /// The family's answers for these parameters.
    pub(crate) fn family(&self) -> &dyn Family {
        match self {
            StudentParams::Tree(params) => params,
            StudentParams::Linear(params) => params,
            StudentParams::Logistic(settings) => settings,
            StudentParams::Gam(settings) => settings,
            StudentParams::Spline(params) => params,
            StudentParams::Scorecard(params) => params,
        }
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
}
