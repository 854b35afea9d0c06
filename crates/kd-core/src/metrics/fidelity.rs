//! How faithful a student is to its teacher and how well either predicts the truth, on the same
//! held-out rows: the figures of a distillation report (`kd distill`, an audit, the Python
//! bindings).

use ndarray::{ArrayView1, ArrayView2, s};
use serde::Serialize;

use super::{accuracy, agreement, argmax, auroc, auroc_hand_till, r2, rmse};
use crate::Task;
use crate::data::Target;

/// A student's fidelity to its teacher. A figure that is undefined on these rows (R² of a
/// constant teacher) is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Fidelity {
    /// R² of the student's outputs to the teacher's, averaged over the compared columns.
    pub r2: Option<f64>,
    /// RMSE between them, averaged over the compared columns.
    pub rmse: Option<f64>,
    /// Share of rows where both pick the same class (classification).
    pub agreement: Option<f64>,
}

/// How well outputs predict the true target. Figures that do not apply to the task are
/// `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Performance {
    /// Accuracy of the most probable class (classification).
    pub accuracy: Option<f64>,
    /// AUROC of the probability of class 1 (binary); Hand & Till's M, the mean AUROC over every
    /// pair of classes (more classes; `None` where a class has no row).
    pub auroc: Option<f64>,
    /// R² of the values (regression).
    pub r2: Option<f64>,
}

/// Student and teacher on the truth of the same held-out rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PerformancePair {
    /// The student's.
    pub student: Performance,
    /// The teacher's.
    pub teacher: Performance,
}

impl PerformancePair {
    /// Both outputs (`(n, k)` probabilities or `(n, 1)` values) on `truth`, the same rows'
    /// true target.
    pub fn on(
        task: Task,
        truth: &Target,
        student: ArrayView2<'_, f64>,
        teacher: ArrayView2<'_, f64>,
    ) -> Self {
        Self { student: performance(task, truth, student), teacher: performance(task, truth, teacher) }
    }
}

/// The columns compared between student and teacher: the probability of class 1 (binary),
/// every class probability (multiclass, so R² averages over classes), or the value.
fn compared(task: Task, outputs: ArrayView2<'_, f64>) -> ArrayView2<'_, f64> {
    match task {
        Task::Binary if outputs.ncols() >= 2 => outputs.slice_move(s![.., 1..2]),
        _ => outputs,
    }
}

/// The fidelity of `student`'s outputs to `teacher`'s (both `(n, k)` probabilities or `(n, 1)`
/// values on the same rows).
pub fn fidelity(task: Task, student: ArrayView2<'_, f64>, teacher: ArrayView2<'_, f64>) -> Fidelity {
    let (s, t) = (compared(task, student), compared(task, teacher));
    let per_column = |f: fn(ArrayView1<'_, f64>, ArrayView1<'_, f64>) -> crate::Result<f64>| {
        let values: Option<Vec<f64>> =
            s.columns().into_iter().zip(t.columns()).map(|(a, b)| f(b, a).ok()).collect();
        values.filter(|v| !v.is_empty()).map(|v| v.iter().sum::<f64>() / v.len() as f64)
    };
    Fidelity {
        r2: per_column(r2),
        rmse: per_column(rmse),
        agreement: task.is_classification().then(|| agreement(student, teacher).ok()).flatten(),
    }
}

/// How well `outputs` (`(n, k)` probabilities or `(n, 1)` values) predict `truth`, the true
/// target of the same rows.
pub fn performance(task: Task, truth: &Target, outputs: ArrayView2<'_, f64>) -> Performance {
    match truth {
        Target::Classes { y, .. } => Performance {
            accuracy: accuracy(y, &argmax(outputs)).ok(),
            auroc: match task {
                Task::Binary if outputs.ncols() >= 2 => auroc(y, outputs.column(1)).ok(),
                Task::Multiclass(_) => auroc_hand_till(y, outputs).ok(),
                _ => None,
            },
            r2: None,
        },
        Target::Values(v) => Performance {
            accuracy: None,
            auroc: None,
            r2: (outputs.ncols() >= 1).then(|| r2(v.view(), outputs.column(0)).ok()).flatten(),
        },
    }
}
