//! What `kd distill` prints and writes: the report (JSON or a table for people) and the
//! test rows' predictions as CSV. The figures come from kd-core's `metrics::fidelity` and
//! `metrics::performance`; this file only lays them out.

use std::fmt::Write as _;
use std::path::Path;

use kd::core::Task;
use kd::core::data::{Dataset, Target};
use kd::core::metrics::{Fidelity, Performance, performance};
use ndarray::{Array2, ArrayView2};
use serde::Serialize;

/// What was distilled from which teacher, on which rows: the head of `kd distill`'s reports
/// (tabular and text students alike).
#[derive(Serialize)]
pub struct Distilled {
    /// The student's kind.
    pub student: &'static str,
    /// The task's name.
    pub task: &'static str,
    /// The teacher's spec.
    pub teacher: String,
    /// `"teacher"` or `"labels"`.
    pub fitted_to: &'static str,
    /// Training rows.
    pub n_train: usize,
    /// Held-out rows.
    pub n_test: usize,
    /// Rows dropped for missing values.
    pub dropped_rows: usize,
}

/// The report of one distillation.
#[derive(Serialize)]
pub struct Report {
    /// What was distilled.
    #[serde(flatten)]
    pub distilled: Distilled,
    /// Fidelity to the teacher on the held-out rows.
    pub fidelity: Fidelity,
    /// Performance of both on the truth.
    pub performance: PerformancePair,
    /// The student's size.
    pub complexity: serde_json::Value,
    /// Seconds, end to end.
    pub seconds: f64,
}

/// Student and teacher on the truth.
#[derive(Serialize)]
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

/// A figure to four decimals, or a dash when there is none.
pub(super) fn show(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.4}"))
}

/// The report as a table, followed by the student in words.
pub fn text(r: &Report, student: &str) -> String {
    let mut o = String::new();
    let d = &r.distilled;
    let _ = writeln!(
        o,
        "{} student of {} ({}), fitted to the {} on {} rows, measured on {} held-out rows",
        d.student, d.teacher, d.task, d.fitted_to, d.n_train, d.n_test
    );
    let _ = writeln!(
        o,
        "\nfidelity to the teacher: R² {}, RMSE {}, agreement {}",
        show(r.fidelity.r2),
        show(r.fidelity.rmse),
        show(r.fidelity.agreement)
    );
    let _ = writeln!(o, "{:<10} {:>9} {:>9} {:>9}", "", "accuracy", "AUROC", "R²");
    for (who, p) in [("student", &r.performance.student), ("teacher", &r.performance.teacher)] {
        let _ = writeln!(o, "{who:<10} {:>9} {:>9} {:>9}", show(p.accuracy), show(p.auroc), show(p.r2));
    }
    let _ = writeln!(o, "\n{student}");
    o
}

/// Writes the test rows' line numbers with the teacher's and the student's outputs as CSV.
pub fn write_predictions(
    path: &Path,
    data: &Dataset,
    rows: &[usize],
    teacher: &Array2<f64>,
    student: &Array2<f64>,
) -> anyhow::Result<()> {
    let mut out = String::from("line");
    for who in ["teacher", "student"] {
        for j in 0..teacher.ncols() {
            let _ = write!(out, ",{who}_{j}");
        }
    }
    out.push('\n');
    for (i, &r) in rows.iter().enumerate() {
        let _ = write!(out, "{}", data.lines()[r]);
        for v in teacher.row(i).iter().chain(student.row(i).iter()) {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    super::write_file(path, &out)
}
