//! [`fit_student`]: the one entry point that fits any readable student to a teacher's outputs
//! or to the true labels.

use kd_core::Task;
use kd_core::data::{Feature, FitTarget};
use ndarray::ArrayView2;

use super::{FitInput, Student, StudentKind, StudentParams};
use crate::error::{Error, Result};

/// Fits the student `params` describes to the training rows `x` (shape `(n, features)`,
/// categorical features as level codes), whose columns `features` names and levels, for `task`,
/// on `target`: the teacher's outputs on those rows or their true labels.
///
/// What each student takes from the target is its [`StudentKind::target_form`](crate::StudentKind::target_form); a logistic
/// student on a multiclass task is a [`Multinomial`](crate::linear::Multinomial) one; a scorecard fits the probability of
/// its bad class. A missing feature (NaN in `x`) goes to the scorecard's or the boosted GAM's
/// missing-value bin or down the side each of a tree's splits learns for it; every other
/// student refuses it. Errors: a task or feature the student cannot take
/// ([`StudentKind::check`](crate::StudentKind::check)), parameters out of range, and whatever the student's own fit
/// refuses (naming the row and column).
///
/// ```
/// use kd_core::{Task, data::{Feature, FitTarget}};
/// use kd_students::{StudentParams, fit_student, tree::TreeParams};
/// let x = ndarray::array![[1.0], [2.0], [3.0], [4.0]];
/// let teacher = ndarray::array![[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9]];
/// let student = fit_student(
///     &StudentParams::Tree(TreeParams::default().max_depth(1)),
///     x.view(),
///     &[Feature::numeric("income")],
///     Task::Binary,
///     FitTarget::Teacher(teacher.view()),
/// ).unwrap();
/// let p = student.predict(ndarray::array![[3.5]].view()).unwrap();
/// assert!((p[[0, 1]] - 0.8).abs() < 1e-12, "the right leaf's mean P(class 1)");
/// ```
pub fn fit_student(
    params: &StudentParams,
    x: ArrayView2<'_, f64>,
    features: &[Feature],
    task: Task,
    target: FitTarget<'_>,
) -> Result<Student> {
    fit_student_reporting(params, x, features, task, target, &crate::progress::ignore)
}

/// [`fit_student`], calling `report` as a long fit (a boosted GAM's bags) advances.
pub fn fit_student_reporting(
    params: &StudentParams,
    x: ArrayView2<'_, f64>,
    features: &[Feature],
    task: Task,
    target: FitTarget<'_>,
    report: &(dyn Fn(crate::FitProgress) + Sync),
) -> Result<Student> {
    let kind = params.kind();
    params.check()?;
    kind.check(task, features)?;
    params.check_task(task)?;
    if features.len() != x.ncols() || target.n_rows() != x.nrows() {
        return Err(Error::ShapeMismatch {
            context: "features, their names and the target".into(),
            expected: x.ncols(),
            got: if features.len() == x.ncols() { target.n_rows() } else { features.len() },
        });
    }
    if !kind.takes_missing()
        && let Some(((row, column), _)) = x.indexed_iter().find(|(_, v)| v.is_nan())
    {
        let with: Vec<&str> =
            StudentKind::ALL.into_iter().filter(|k| k.takes_missing()).map(StudentKind::name).collect();
        let (last, others) = with.split_last().map_or(("", &[][..]), |(l, o)| (*l, o));
        return Err(Error::InvalidInput {
            row,
            column,
            reason: format!(
                "missing value; the {kind} student has no missing-value bin ({} and {last} have one)",
                others.join(", ")
            ),
        });
    }
    let names: Vec<String> = features.iter().map(|f| f.name.clone()).collect();
    let levels: Vec<Option<Vec<String>>> = features.iter().map(|f| f.levels.clone()).collect();
    let formed = kind.target_form(task, target.is_labels()).build(&target)?;
    params.fit(&FitInput { x, names: &names, levels: &levels, task, report }, formed)
}
