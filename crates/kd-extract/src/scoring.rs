//! A saved readable model as `kd predict`, `kd export` and the Python package use it: a student
//! saved by distillation (`kd-student`) or an m-of-n tree or decision set saved by extraction
//! (`kd-extracted`), told apart by the file's `format`, scored on a table's rows with its
//! reasons, or written as SQL.

use kd_core::data::Table;
use kd_core::saved_format::format_of;
use kd_students::sql::{Dialect, output_names};
use kd_students::{SavedStudent, Student, Unseen};
use ndarray::{Array2, ArrayView1, Axis, s};

use crate::error::Result;
use crate::saved::{EXTRACTED_FORMAT, SavedExtraction};

/// A saved student or extraction.
#[derive(Debug, Clone)]
pub enum SavedModel {
    /// A distilled student (`kd distill --out`).
    Student(Box<SavedStudent>),
    /// An m-of-n tree or decision set (`kd extract --out`).
    Extracted(Box<SavedExtraction>),
}

/// The rows of a table scored by a [`SavedModel`], in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Each row's line in the file (1 is the header).
    pub lines: Vec<u64>,
    /// Why each row is not scored; `None` for a scored row.
    pub unscored: Vec<Option<String>>,
    /// The names of the values' columns: the outputs (class probabilities or the value), then a
    /// scorecard's score.
    pub names: Vec<String>,
    /// The values of the scored rows, in order, shape `(scored rows, names.len())`.
    pub values: Array2<f64>,
    /// Each scored row's reasons, at most the number asked for: a tree's, m-of-n tree's or
    /// decision set's rule (one), or an additive student's largest contributions.
    pub reasons: Vec<Vec<String>>,
}

/// One row of [`Scores`], in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub enum RowScore<'a> {
    /// A scored row: its values (under [`Scores::names`]) and its reasons.
    Scored {
        /// Outputs, then a scorecard's score.
        values: ArrayView1<'a, f64>,
        /// Its reasons.
        reasons: &'a [String],
    },
    /// A row the model cannot score, and why.
    Unscored(&'a str),
}

impl Scores {
    /// Each row of the table, by its line, scored or not.
    pub fn by_row(&self) -> impl Iterator<Item = (u64, RowScore<'_>)> {
        let mut next = 0;
        self.lines.iter().zip(&self.unscored).map(move |(&line, unscored)| match unscored {
            Some(why) => (line, RowScore::Unscored(why)),
            None => {
                let i = next;
                next += 1;
                (line, RowScore::Scored { values: self.values.row(i), reasons: &self.reasons[i] })
            }
        })
    }
}

impl SavedModel {
    /// The model saved in `text`: an extraction when its `format` is `kd-extracted`, otherwise a
    /// student (whose loader names what is wrong with any other file).
    ///
    /// # Errors
    /// A file that is not a readable saved model.
    pub fn from_json(text: &str) -> Result<Self> {
        Ok(match format_of(text).as_deref() {
            Some(EXTRACTED_FORMAT) => Self::Extracted(Box::new(SavedExtraction::from_json(text)?)),
            _ => Self::Student(Box::new(SavedStudent::from_json(text)?)),
        })
    }

    /// The features the model reads, in order.
    pub fn features(&self) -> &[String] {
        match self {
            Self::Student(s) => &s.features,
            Self::Extracted(e) => &e.features,
        }
    }

    /// The features the model reads as categorical (those saved with their levels), which a
    /// file to score must read as text.
    pub fn categorical(&self) -> Vec<String> {
        let levels = match self {
            Self::Student(s) => &s.levels,
            Self::Extracted(e) => &e.levels,
        };
        self.features().iter().zip(levels).filter(|(_, l)| l.is_some()).map(|(f, _)| f.clone()).collect()
    }

    /// Scores the rows of `table` (which names the model's features; other columns are
    /// ignored) with at most `reasons` reasons a row. `unseen` settles unseen levels and
    /// values outside the training range.
    ///
    /// # Errors
    /// A missing feature column; with `Unseen::Error`, a cell the model cannot read, named by
    /// line and column.
    pub fn score(&self, table: &Table, unseen: Unseen, reasons: usize) -> Result<Scores> {
        let (rows, names) = match self {
            Self::Student(s) => (s.rows(table, unseen)?, output_names(s)),
            Self::Extracted(e) => (e.rows(table, unseen)?, e.output_names()),
        };
        let x = rows.x.select(Axis(0), &rows.scored());
        let x = x.view();
        let (values, reasons) = match self {
            Self::Student(s) => {
                let outputs = s.student.predict(x)?;
                let values = match &s.student {
                    // A scorecard's score follows its probabilities.
                    Student::Scorecard(card) => {
                        let k = outputs.ncols();
                        let mut values = Array2::zeros((x.nrows(), k + 1));
                        values.slice_mut(s![.., ..k]).assign(&outputs);
                        values.column_mut(k).assign(&card.score(x)?);
                        values
                    }
                    _ => outputs,
                };
                let why = s.student.reasons(x, &s.features, &s.levels, s.classes.as_deref(), reasons)?;
                (values, why.into_iter().map(|r| r.into_iter().map(|r| r.text).collect()).collect())
            }
            Self::Extracted(e) => {
                // One reason, the rule that decided the row.
                let why = if reasons == 0 {
                    vec![Vec::new(); x.nrows()]
                } else {
                    e.reasons(x)?.into_iter().map(|r| vec![r]).collect()
                };
                (e.outputs(x)?, why)
            }
        };
        Ok(Scores { lines: rows.lines, unscored: rows.unscored, names, values, reasons })
    }

    /// The model as one SQL `SELECT` over `table` in `dialect` ([`SavedStudent::to_sql`],
    /// [`SavedExtraction::to_sql`]).
    ///
    /// # Errors
    /// A model the dialect cannot express.
    pub fn to_sql(&self, dialect: Dialect, table: &str) -> Result<String> {
        Ok(match self {
            Self::Student(s) => s.to_sql(dialect, table)?,
            Self::Extracted(e) => e.to_sql(dialect, table)?,
        })
    }
}
