//! [`StudentKind`]: what each readable student is — its name, the tasks it fits, the form of
//! target it takes and the features it reads — so that every caller (`kd distill`, an audit,
//! bindings) asks the student instead of keeping its own table.
//!
//! | kind | tasks | target (teacher / labels) | features |
//! |---|---|---|---|
//! | `tree` | all | class probabilities (squared error) / classes (Gini); values | numeric and categorical (level sets) |
//! | `logistic` | binary, multiclass (multinomial) | `P(class 1)` through the logit; class probabilities or one-hot | numeric |
//! | `linear` | regression | values | numeric |
//! | `gam`, `gam2` | binary, regression | `P(class 1)` through the logit; values | numeric and categorical (binned codes) |
//! | `spline` | binary, regression | `P(class 1)` through the logit; values | numeric |
//! | `scorecard` | binary | `P(class 1)`, turned into `P(bad)` | numeric and categorical (levels as classes) |

use std::fmt;
use std::str::FromStr;

use kd_core::Task;
use kd_core::data::{Feature, TargetForm};

use crate::error::{Error, Result};

/// A readable student kd can fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The kind's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            StudentKind::Tree => "tree",
            StudentKind::Logistic => "logistic",
            StudentKind::Linear => "linear",
            StudentKind::Gam => "gam",
            StudentKind::Gam2 => "gam2",
            StudentKind::Spline => "spline",
            StudentKind::Scorecard => "scorecard",
        }
    }

    /// Whether the kind fits `task`.
    pub fn supports(self, task: Task) -> bool {
        match self {
            StudentKind::Tree => true,
            StudentKind::Logistic => task.is_classification(),
            StudentKind::Linear => task == Task::Regression,
            StudentKind::Gam | StudentKind::Gam2 | StudentKind::Spline => {
                !matches!(task, Task::Multiclass(_))
            }
            StudentKind::Scorecard => task == Task::Binary,
        }
    }

    /// Whether the student fits and scores rows with missing features (`--missing bin`).
    pub fn takes_missing(self) -> bool {
        matches!(self, StudentKind::Tree | StudentKind::Gam | StudentKind::Gam2 | StudentKind::Scorecard)
    }

    /// Whether every feature must be numeric (categorical ones are refused).
    pub fn numeric_only(self) -> bool {
        matches!(self, StudentKind::Logistic | StudentKind::Linear | StudentKind::Spline)
    }

    /// The form of target the kind fits for `task`, from the true labels (`labels`) or from a
    /// teacher's outputs.
    pub fn target_form(self, task: Task, labels: bool) -> TargetForm {
        match (self, task) {
            (_, Task::Regression) => TargetForm::Values,
            (StudentKind::Tree, _) if labels => TargetForm::Classes,
            (StudentKind::Tree, _) | (StudentKind::Logistic, Task::Multiclass(_)) => {
                TargetForm::ClassProbabilities
            }
            _ => TargetForm::ClassOneProbability,
        }
    }

    /// Refuses a task the kind does not fit or a categorical feature it cannot read, in the
    /// user's words; call it before asking a teacher anything.
    pub fn check(self, task: Task, features: &[Feature]) -> Result<()> {
        if !self.supports(task) {
            let needs = match self {
                StudentKind::Logistic => "needs classes (use linear, tree or gam)",
                StudentKind::Linear => "fits regression tasks (use logistic, tree or gam)",
                StudentKind::Gam | StudentKind::Gam2 | StudentKind::Spline => {
                    "fits binary and regression tasks"
                }
                StudentKind::Scorecard => "needs a binary task",
                StudentKind::Tree => "fits every task",
            };
            return Err(Error::UnsupportedTask { student: self.name(), needs, task: task.name() });
        }
        if self.numeric_only()
            && let Some(f) = features.iter().find(|f| f.levels.is_some())
        {
            return Err(Error::CategoricalFeature { student: self.name(), feature: f.name.clone() });
        }
        Ok(())
    }
}

impl fmt::Display for StudentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for StudentKind {
    type Err = Error;

    /// A kind by its [`StudentKind::name`] (any case).
    fn from_str(text: &str) -> Result<Self> {
        StudentKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(text)).ok_or_else(|| {
            let names: Vec<&str> = StudentKind::ALL.iter().map(|k| k.name()).collect();
            Error::InvalidParameter {
                name: "student".into(),
                reason: format!("'{text}' is not a student ({})", names.join(", ")),
            }
        })
    }
}
