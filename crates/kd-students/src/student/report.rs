//! The report of one distillation, as `kd distill --format json` and the Python package's
//! `kd.distill` write it: what was distilled from which teacher on which rows, the student's
//! fidelity to the teacher and both models' performance on the held-out rows (kd-core's
//! `metrics`), and the student's size.

use kd_core::Task;
use kd_core::data::Target;
use kd_core::metrics::{Fidelity, PerformancePair, fidelity};
use ndarray::ArrayView2;
use serde::Serialize;

/// What was distilled from which teacher, on which rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distilled {
    /// The student's kind.
    pub student: &'static str,
    /// The task's name.
    pub task: &'static str,
    /// The teacher, as the user named it.
    pub teacher: String,
    /// `"teacher"` (its outputs) or `"labels"` (the true target).
    pub fitted_to: &'static str,
    /// Training rows.
    pub n_train: usize,
    /// Held-out rows.
    pub n_test: usize,
    /// Rows dropped for missing values.
    pub dropped_rows: usize,
}

impl Distilled {
    /// `fitted_to` of a student fitted to the true labels (`labels`) or to the teacher.
    pub fn fitted_to(labels: bool) -> &'static str {
        if labels { "labels" } else { "teacher" }
    }
}

/// [`Distilled`] with the student measured on the held-out rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistillReport {
    /// What was distilled.
    #[serde(flatten)]
    pub distilled: Distilled,
    /// Fidelity to the teacher on the held-out rows.
    pub fidelity: Fidelity,
    /// Performance of both on the truth of the held-out rows.
    pub performance: PerformancePair,
    /// The student's size.
    pub complexity: serde_json::Value,
}

impl DistillReport {
    /// The report of `distilled`, its student's outputs `student` and the teacher's `teacher`
    /// (`(n, k)` probabilities or `(n, 1)` values) on held-out rows whose true target is
    /// `truth`, for a `task`.
    pub fn measure(
        distilled: Distilled,
        task: Task,
        truth: &Target,
        student: ArrayView2<'_, f64>,
        teacher: ArrayView2<'_, f64>,
        complexity: serde_json::Value,
    ) -> Self {
        Self {
            distilled,
            fidelity: fidelity(task, student, teacher),
            performance: PerformancePair::on(task, truth, student, teacher),
            complexity,
        }
    }
}
