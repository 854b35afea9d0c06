//! The report of `kd distill --text`: its JSON shape, the text a person reads, the held-out
//! messages it explains and the predictions file.

use std::fmt::Write as _;
use std::path::Path;

use kd::students::DistillReport;
use kd::students::text::{DeletionCheck, Explanation, TextStudent};
use ndarray::Array2;
use serde::Serialize;

use super::distill_report::show;

#[derive(Serialize)]
pub struct Faithfulness {
    #[serde(flatten)]
    pub check: Option<DeletionCheck>,
    pub holds: Option<bool>,
    pub skipped: Option<String>,
}

#[derive(Serialize)]
pub struct Example {
    pub line: u64,
    pub text: String,
    pub teacher: f64,
    pub student: f64,
    pub explanation: Explanation,
}

/// The report of a text distillation: kd-students' `DistillReport`, as for tabular students,
/// then the text column, the student's terms, the deletion test and three explained messages.
#[derive(Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub report: DistillReport,
    pub text_column: String,
    pub terms: serde_json::Value,
    pub faithfulness: Faithfulness,
    pub examples: Vec<Example>,
    pub seconds: f64,
}

/// Three held-out messages explained: the one the student is surest is class 1, the one it
/// is surest is class 0, and the first one where it and the teacher disagree most.
pub fn examples(
    student: &TextStudent,
    test: &[String],
    lines: &[u64],
    teacher: &Array2<f64>,
    ours: &Array2<f64>,
) -> Vec<Example> {
    let p = ours.column(1);
    let by = |score: &dyn Fn(usize) -> f64| (0..test.len()).max_by(|&a, &b| score(a).total_cmp(&score(b)));
    let picks = [by(&|i| p[i]), by(&|i| -p[i]), by(&|i| (p[i] - teacher[[i, 1]]).abs())];
    let mut seen = Vec::new();
    picks
        .into_iter()
        .flatten()
        .filter(|i| {
            let new = !seen.contains(i);
            seen.push(*i);
            new
        })
        .map(|i| Example {
            line: lines[i],
            text: test[i].clone(),
            teacher: teacher[[i, 1]],
            student: p[i],
            explanation: student.explain_text(&test[i]),
        })
        .collect()
}

pub fn write_predictions(
    path: &Path,
    student: &TextStudent,
    test: &[String],
    lines: &[u64],
    teacher: &Array2<f64>,
    ours: &Array2<f64>,
) -> anyhow::Result<()> {
    let mut out = String::from("line,teacher_1,student_1,student_log_odds,contributions\n");
    for (i, text) in test.iter().enumerate() {
        let e = student.explain_text(text);
        let terms: Vec<String> =
            e.terms.iter().map(|t| format!("{}={:+.4}", t.term.replace('"', "'"), t.contribution)).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},\"{}\"",
            lines[i],
            teacher[[i, 1]],
            ours[[i, 1]],
            e.log_odds,
            terms.join(" ")
        );
    }
    super::write_file(path, &out)
}

pub fn text(r: &Report, student: &TextStudent) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "sparse n-gram student of {} (text column '{}'), fitted to the {} on {} messages, measured on {} held-out messages",
        r.report.distilled.teacher,
        r.text_column,
        r.report.distilled.fitted_to,
        r.report.distilled.n_train,
        r.report.distilled.n_test
    );
    let f = &r.report.fidelity;
    let _ = writeln!(
        o,
        "\nfidelity to the teacher: agreement {}, R² {}, RMSE {} (probability of {})",
        show(f.agreement),
        show(f.r2),
        show(f.rmse),
        student.classes[1]
    );
    let _ = writeln!(o, "{:<10} {:>9} {:>9}", "", "accuracy", "AUROC");
    for (who, p) in [("student", &r.report.performance.student), ("teacher", &r.report.performance.teacher)] {
        let _ = writeln!(o, "{who:<10} {:>9} {:>9}", show(p.accuracy), show(p.auroc));
    }
    match (&r.faithfulness.check, &r.faithfulness.skipped) {
        (Some(c), _) => {
            let _ = writeln!(
                o,
                "\nfaithfulness (deletion test on {} messages with more than {} distinct words): the teacher's probability of {} moves by {:.4} on average when the student's top {} words are deleted, {:.4} when {} random words are ({} draws); {}",
                c.n_messages,
                c.k,
                student.classes[1],
                c.top_change,
                c.k,
                c.random_change,
                c.k,
                c.draws,
                if c.holds() {
                    "the explanations point at what the teacher uses"
                } else {
                    "top words move the teacher no more than random ones: the explanations are not faithful"
                }
            );
        }
        (None, Some(reason)) => {
            let _ = writeln!(o, "\nfaithfulness: not tested ({reason})");
        }
        (None, None) => {}
    }
    let _ = writeln!(o, "\n{}", student.explain(15));
    let _ =
        writeln!(o, "held-out messages explained (contributions to the log-odds of {}):", student.classes[1]);
    for e in &r.examples {
        let shown: String = e.text.chars().take(100).collect();
        let _ = writeln!(
            o,
            "  line {}: \"{shown}\"\n    teacher {:.3}, student {:.3}; {}",
            e.line,
            e.teacher,
            e.student,
            e.explanation.to_text(5)
        );
    }
    o
}
