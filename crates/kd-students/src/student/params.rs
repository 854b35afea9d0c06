//! [`StudentParams`]' answers, dispatched to each family's [`Family`] implementation, which
//! stands beside the family's [`FittedStudent`](super::FittedStudent) answers in its own module
//! (`tree/student.rs`, …). Settings that depend on the data (a GAM's pair count and monotone
//! features by name) are resolved at fit time.

use kd_core::Task;
use kd_core::data::FormedTarget;
use ndarray::{Array1, ArrayView2};

use super::{Student, StudentKind, StudentParams};
use crate::error::{Error, Result};
use crate::link::Link;
use crate::progress::FitProgress;

/// What a family of readable students answers through [`StudentParams`]: which kind its
/// parameters fit, their checks and the fit itself.
pub(crate) trait Family {
    /// The kind these parameters fit.
    fn kind(&self) -> StudentKind;
    /// Checks what can be checked before the data are read.
    fn check(&self) -> Result<()>;
    /// Checks the parameters against the task (beyond [`StudentKind::check`]).
    fn check_task(&self, _task: Task) -> Result<()> {
        Ok(())
    }
    /// Fits the student to `input` on `formed`, the target already in the kind's form
    /// ([`StudentKind::target_form`]).
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student>;
}

/// The training rows as every family's fit reads them.
pub(crate) struct FitInput<'a, 'x> {
    /// The rows, shape `(n, features)`, categorical features as level codes.
    pub x: ArrayView2<'x, f64>,
    /// The features' names.
    pub names: &'a [String],
    /// The categorical features' levels (`None` for a numeric one).
    pub levels: &'a [Option<Vec<String>>],
    /// The task.
    pub task: Task,
    /// Called as a long fit advances.
    pub report: &'a (dyn Fn(FitProgress) + Sync),
}

impl FitInput<'_, '_> {
    /// The link of an additive student: the logit for classes, the identity for values.
    pub fn link(&self) -> Link {
        if self.task.is_classification() { Link::Logit } else { Link::Identity }
    }
}

impl StudentParams {
    /// The student these parameters fit.
    pub fn kind(&self) -> StudentKind {
        self.family().kind()
    }

    /// Checks what can be checked before the data are read: the tree's ranges, the penalties,
    /// the scorecards' scaling and bins.
    pub fn check(&self) -> Result<()> {
        self.family().check()
    }

    /// Checks the parameters against the task (a quantile-bin scorecard needs a binary one).
    pub fn check_task(&self, task: Task) -> Result<()> {
        self.family().check_task(task)
    }

    /// Fits the student; called by [`fit_student`](super::fit_student) after its checks.
    pub(super) fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        self.family().fit(input, formed)
    }
}

/// The one column a single-output student fits.
pub(crate) fn column(formed: FormedTarget) -> Result<Array1<f64>> {
    match formed {
        FormedTarget::Column(c) => Ok(c),
        FormedTarget::Matrix(m) if m.ncols() == 1 => Ok(m.column(0).to_owned()),
        other => {
            let width = other.into_matrix().ncols();
            Err(Error::ShapeMismatch { context: "target columns".into(), expected: 1, got: width })
        }
    }
}
