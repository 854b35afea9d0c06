//! `kd predict`: a saved student's outputs for the rows of a new file, with each row's top
//! reasons (a tree's path as a rule, a scorecard's points below the best, an additive
//! student's largest contributions; see `kd_students::reasons`), or an extracted m-of-n tree's
//! or decision set's class outputs with the rule that decided each row
//! (`kd_extract::SavedExtraction`). Unseen levels and values outside the training range follow
//! `--unseen` (`kd_students::Unseen`).

use std::fmt::Write as _;
use std::path::PathBuf;

use kd::core::data::{ReadOptions, Table, read_csv};
use kd::extract::{EXTRACTED_FORMAT, SavedExtraction};
use kd::students::{Rows, SavedStudent, Student, Unseen};
use ndarray::{Array2, ArrayView2, Axis};

use super::write_file;

/// Arguments of `kd predict`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`, or an m-of-n tree or decision set saved by `kd
    /// extract --out`.
    #[arg(long)]
    model: PathBuf,
    /// The CSV file of rows to score (with a header row naming the student's features; other
    /// columns are ignored).
    #[arg(long)]
    data: PathBuf,
    /// Reasons per row: a tree's, m-of-n tree's or decision set's rule, or the top k features
    /// (0: none).
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

/// A model file `kd predict` reads, by its `format`.
enum Model {
    Student(Box<SavedStudent>),
    Extracted(Box<SavedExtraction>),
}

/// What `kd predict` writes for the scored rows: outputs, a scorecard's score, reasons.
struct Scored {
    outputs: Array2<f64>,
    scores: Option<Vec<f64>>,
    reasons: Vec<Vec<String>>,
}

impl Model {
    fn load(text: &str) -> anyhow::Result<Self> {
        Ok(match super::format_of(text).as_deref() {
            Some(EXTRACTED_FORMAT) => Model::Extracted(Box::new(SavedExtraction::from_json(text)?)),
            _ => Model::Student(Box::new(SavedStudent::from_json(text)?)),
        })
    }

    /// The saved features and their levels.
    fn schema(&self) -> (&[String], &[Option<Vec<String>>]) {
        match self {
            Model::Student(s) => (&s.features, &s.levels),
            Model::Extracted(e) => (&e.features, &e.levels),
        }
    }

    fn rows(&self, table: &Table, unseen: Unseen) -> anyhow::Result<Rows> {
        Ok(match self {
            Model::Student(s) => s.rows(table, unseen)?,
            Model::Extracted(e) => e.rows(table, unseen)?,
        })
    }

    fn output_names(&self) -> Vec<String> {
        match self {
            Model::Student(s) => kd::students::sql::output_names(s),
            Model::Extracted(e) => e.output_names(),
        }
    }

    /// Outputs, a scorecard's score and the top `k` reasons of the coded rows `x`.
    fn score(&self, x: ArrayView2<'_, f64>, k: usize) -> anyhow::Result<Scored> {
        match self {
            Model::Student(s) => {
                let outputs = s.student.predict(x)?;
                let scores = match &s.student {
                    Student::Scorecard(card) => Some(card.score(x)?.to_vec()),
                    _ => None,
                };
                let reasons = s.student.reasons(x, &s.features, &s.levels, s.classes.as_deref(), k)?;
                let reasons = reasons.into_iter().map(|r| r.into_iter().map(|r| r.text).collect()).collect();
                Ok(Scored { outputs, scores, reasons })
            }
            Model::Extracted(e) => {
                // One reason, the rule that decided the row.
                let reasons = if k == 0 {
                    vec![Vec::new(); x.nrows()]
                } else {
                    e.reasons(x)?.into_iter().map(|r| vec![r]).collect()
                };
                Ok(Scored { outputs: e.outputs(x)?, scores: None, reasons })
            }
        }
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
    let model = super::in_model_file(&args.model, Model::load(&text))?;
    let (features, levels) = model.schema();
    let categorical =
        features.iter().zip(levels).filter(|(_, l)| l.is_some()).map(|(f, _)| f.clone()).collect();
    let table = read_csv(&args.data, &ReadOptions { categorical, ..ReadOptions::default() })?;
    let unseen = if args.unseen == UnseenArg::Fallback { Unseen::Fallback } else { Unseen::Error };
    let rows = model.rows(&table, unseen)?;
    let scored = rows.scored();
    let x = rows.x.select(Axis(0), &scored);
    let Scored { outputs, scores, reasons } = model.score(x.view(), args.reasons)?;

    let names = model.output_names();
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
                    let text = reasons[i].get(r).map_or("", String::as_str);
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
