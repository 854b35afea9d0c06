//! [`StudentKind`]: what each readable student is — its name, the tasks it fits, the form of
//! target it takes and the features it reads — so that every caller (`kd distill`, an audit,
//! bindings) asks the student instead of keeping its own table. Each kind states these answers
//! as a [`KindSpec`] in its own module (`tree/student.rs`, …); [`StudentKind::spec`] finds it.
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

use super::StudentKind;
use crate::error::{Error, Result};

/// What one kind of student is, stated in its module.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KindSpec {
    /// The name on the command line and in reports.
    pub name: &'static str,
    /// Whether the kind fits a task.
    pub supports: fn(Task) -> bool,
    /// In the user's words, what the kind fits, for the refusal of a task it does not.
    pub needs: &'static str,
    /// Whether it fits and scores rows with missing features (`--missing bin`).
    pub takes_missing: bool,
    /// Whether every feature must be numeric (categorical ones are refused).
    pub numeric_only: bool,
    /// The form of a classification task's target, from the true labels (`true`) or from a
    /// teacher's outputs; a regression target is always [`TargetForm::Values`].
    pub classification_target: fn(Task, bool) -> TargetForm,
}

/// The classification target of most kinds: `P(class 1)`, fitted through the logit.
pub(crate) fn class_one_probability(_task: Task, _labels: bool) -> TargetForm {
    TargetForm::ClassOneProbability
}

/// The tasks of the GAMs: binary (through the logit) and regression.
pub(crate) fn binary_or_regression(task: Task) -> bool {
    !matches!(task, Task::Multiclass(_))
}

/// What a kind of [`binary_or_regression`] fits, in the user's words.
pub(crate) const BINARY_OR_REGRESSION: &str = "fits binary and regression tasks";

impl StudentKind {
    /// The kind's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Whether the kind fits `task`.
    pub fn supports(self, task: Task) -> bool {
        (self.spec().supports)(task)
    }

    /// Whether the student fits and scores rows with missing features (`--missing bin`).
    pub fn takes_missing(self) -> bool {
        self.spec().takes_missing
    }

    /// Whether every feature must be numeric (categorical ones are refused).
    pub fn numeric_only(self) -> bool {
        self.spec().numeric_only
    }

    /// The form of target the kind fits for `task`, from the true labels (`labels`) or from a
    /// teacher's outputs.
    pub fn target_form(self, task: Task, labels: bool) -> TargetForm {
        match task {
            Task::Regression => TargetForm::Values,
            _ => (self.spec().classification_target)(task, labels),
        }
    }

    /// Refuses a task the kind does not fit or a categorical feature it cannot read, in the
    /// user's words; call it before asking a teacher anything.
    pub fn check(self, task: Task, features: &[Feature]) -> Result<()> {
        if !self.supports(task) {
            return Err(Error::UnsupportedTask {
                student: self.name(),
                needs: self.spec().needs,
                task: task.name(),
            });
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
