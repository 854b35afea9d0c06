//! `kd predict`: a saved student's outputs for the rows of a new file, with each row's top
//! reasons (a tree's path as a rule, a scorecard's points below the best, an additive
//! student's largest contributions; see `kd_students::reasons`). Unseen levels and values
//! outside the training range follow `--unseen` (`kd_students::Unseen`).

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ReadOptions, read_csv};
use kd::students::{SavedStudent, Student, Unseen};
use ndarray::Axis;

use super::write_file;

/// Arguments of `kd predict`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`.
    #[arg(long)]
    model: PathBuf,
    /// The CSV file of rows to score (with a header row naming the student's features; other
    /// columns are ignored).
    #[arg(long)]
    data: PathBuf,
    /// Reasons per row: the tree's rule, or the top k features (0: none).
    #[arg(long, default_value_t = 0)]
    reasons: usize,
    /// Write the scores to this CSV file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Unseen levels and values outside the training range: error (default) or fallback (the
    /// student's own rule; a row it cannot score is written without outputs, with the reason
    /// in the `unscored` column).
    #[arg(long, value_enum, default_value_t)]
    unseen: UnseenArg,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
enum UnseenArg {
    #[default]
    Error,
    Fallback,
}

/// A scorecard's score of every row (`None` for the other students).
fn scorecard_score(student: &Student, x: ndarray::ArrayView2<'_, f64>) -> Option<anyhow::Result<Vec<f64>>> {
    match student {
        Student::Scorecard(card) => Some(card.score(x).map(|s| s.to_vec()).map_err(Into::into)),
        _ => None,
    }
}

/// A CSV field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Scores the file and writes the CSV.
pub fn run(args: &Args) -> anyhow::Result<String> {
    super::check_output("out", args.out.as_deref())?;
    let text = super::read_model_file(&args.model)?;
    let saved = super::in_model_file(&args.model, SavedStudent::from_json(&text))?;
    let categorical = saved
        .features
        .iter()
        .zip(&saved.levels)
        .filter(|(_, l)| l.is_some())
        .map(|(f, _)| f.clone())
        .collect();
    let table = read_csv(&args.data, &ReadOptions { categorical, ..ReadOptions::default() })?;
    let unseen = if args.unseen == UnseenArg::Fallback { Unseen::Fallback } else { Unseen::Error };
    let rows = saved.rows(&table, unseen)?;
    let scored = rows.scored();
    let x = rows.x.select(Axis(0), &scored);
    let outputs = saved.student.predict(x.view())?;
    let scores = scorecard_score(&saved.student, x.view()).transpose()?;
    let classes = saved.classes.as_deref();
    let reasons = saved.student.reasons(x.view(), &saved.features, &saved.levels, classes, args.reasons)?;

    let names = kd::students::sql::output_names(&saved);
    let fallback = unseen == Unseen::Fallback;
    let mut header = vec!["line".to_owned()];
    header.extend(names.iter().cloned());
    header.extend((1..=args.reasons).map(|r| format!("reason_{r}")));
    if fallback {
        header.push("unscored".into());
    }
    let mut csv = header.iter().map(|h| field(h)).collect::<Vec<_>>().join(",");
    csv.push('\n');
    let mut next = 0;
    for (row, line) in rows.lines.iter().enumerate() {
        let _ = write!(csv, "{line}");
        match &rows.unscored[row] {
            None => {
                let i = next;
                next += 1;
                for v in outputs.row(i) {
                    let _ = write!(csv, ",{v}");
                }
                if let Some(s) = &scores {
                    let _ = write!(csv, ",{}", s[i]);
                }
                for r in 0..args.reasons {
                    let text = reasons[i].get(r).map_or("", |reason| reason.text.as_str());
                    let _ = write!(csv, ",{}", field(text));
                }
                if fallback {
                    csv.push(',');
                }
            }
            Some(why) => {
                csv.push_str(&",".repeat(names.len() + args.reasons));
                let _ = write!(csv, ",{}", field(why));
            }
        }
        csv.push('\n');
    }
    match &args.out {
        Some(path) => {
            write_file(path, &csv)?;
            Ok(format!(
                "{} rows scored, {} not scored; written to {}\n",
                scored.len(),
                rows.lines.len() - scored.len(),
                path.display()
            ))
        }
        None => Ok(csv),
    }
}
