//! What `kd distill` prints and writes: the report (JSON or a table for people) and the
//! test rows' predictions as CSV. The report is kd-students' `DistillReport` with the time;
//! this file only lays it out.

use std::fmt::Write as _;
use std::path::Path;

use kd::core::data::Dataset;
use kd::students::DistillReport;
use ndarray::Array2;
use serde::Serialize;

/// The report of one distillation, with its time.
#[derive(Serialize)]
pub struct Report {
    /// What was distilled and how the student did (kd-students' report).
    #[serde(flatten)]
    pub report: DistillReport,
    /// Seconds, end to end.
    pub seconds: f64,
}

/// A figure to four decimals, or a dash when there is none.
pub(super) fn show(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.4}"))
}

/// The report as a table, followed by the student in words.
pub fn text(r: &Report, student: &str) -> String {
    let mut o = String::new();
    let d = &r.report.distilled;
    let _ = writeln!(
        o,
        "{} student of {} ({}), fitted to the {} on {} rows, measured on {} held-out rows",
        d.student, d.teacher, d.task, d.fitted_to, d.n_train, d.n_test
    );
    let _ = writeln!(
        o,
        "\nfidelity to the teacher: R² {}, RMSE {}, agreement {}",
        show(r.report.fidelity.r2),
        show(r.report.fidelity.rmse),
        show(r.report.fidelity.agreement)
    );
    let _ = writeln!(o, "{:<10} {:>9} {:>9} {:>9}", "", "accuracy", "AUROC", "R²");
    let performance = &r.report.performance;
    for (who, p) in [("student", &performance.student), ("teacher", &performance.teacher)] {
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
