//! New rows for a saved model: the columns of a [`Table`] coded as the model was fitted
//! (categorical levels to the saved codes, by name), under a documented policy for values the
//! model never saw. Used by `kd predict`, the SQL export's tests and the Python bindings, for a
//! saved student ([`SavedStudent::rows`]) and for any model saved with its features
//! ([`code_rows`]: kd-extract's m-of-n trees and decision sets).
//!
//! | policy | unseen level | numeric value outside the training range | missing cell |
//! |---|---|---|---|
//! | [`Unseen::Error`] (default) | error naming file, line and column (a WoE scorecard's level without training rows is part of its model: its neutral class) | error | the missing-value bin, else error |
//! | [`Unseen::Fallback`] | a tree's unseen-level rule (the larger child) where every split on the feature is a level-set split; a WoE scorecard's neutral class (WoE 0, no points); otherwise the row is not scored and says why | the student's own extension: outermost bins, the tree's thresholds, the linear formula | the missing-value bin, else error |
//!
//! A file written before training ranges were saved has no range check.

use ndarray::Array2;

use kd_core::data::{ColumnData, Table};

use super::{FittedStudent, SavedStudent};
use crate::error::{Error, Result};

/// What new rows are coded against: the saved features in input order, their levels (`None`
/// for a numeric one), their training ranges (empty: no range check), and the model, which
/// says where it has a place for a missing value or a rule for an unseen level (`None`: a model
/// with neither).
#[derive(Clone, Copy)]
pub struct Schema<'a> {
    /// Feature names.
    pub features: &'a [String],
    /// Levels of each feature.
    pub levels: &'a [Option<Vec<String>>],
    /// Training range of each numeric feature.
    pub ranges: &'a [Option<(f64, f64)>],
    /// The model the rows are for.
    pub model: Option<&'a dyn FittedStudent>,
}

/// What to do with a level or value the student did not see in training.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unseen {
    /// Stop at the first unseen level or out-of-range value.
    #[default]
    Error,
    /// Use the student's own fallback (see the module's table); never a silent guess: a row
    /// the student cannot score is reported with its reason.
    Fallback,
}

/// Rows of a file coded for a saved student.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The coded features, shape `(n, features)`; a row that is not scored holds its codable
    /// values and 0 elsewhere.
    pub x: Array2<f64>,
    /// The 1-based file line of each row.
    pub lines: Vec<u64>,
    /// Per row, why the student cannot score it (`None`: scored).
    pub unscored: Vec<Option<String>>,
}

impl Rows {
    /// The indices of the rows the student scores.
    pub fn scored(&self) -> Vec<usize> {
        (0..self.lines.len()).filter(|&i| self.unscored[i].is_none()).collect()
    }
}

impl SavedStudent {
    /// The rows of `table` coded for this student ([`code_rows`] with its saved features,
    /// levels and ranges).
    pub fn rows(&self, table: &Table, unseen: Unseen) -> Result<Rows> {
        let schema = Schema {
            features: &self.features,
            levels: &self.levels,
            ranges: &self.ranges,
            model: Some(self.student.model()),
        };
        code_rows(table, schema, unseen)
    }
}

/// The rows of `table` coded for `schema`: each saved feature read from the column of its name,
/// categorical levels matched by name (a numeric column of a categorical feature by the levels'
/// numbers), under `unseen`. Errors ([`Error::NewRow`]): a missing column is kd-core's error
/// listing the columns; a missing cell, text in a numeric feature, and under [`Unseen::Error`]
/// an unseen level or an out-of-range value name the file, line and column.
pub fn code_rows(table: &Table, schema: Schema<'_>, unseen: Unseen) -> Result<Rows> {
    let takes_missing = |j: usize| schema.model.is_some_and(|m| m.takes_missing_in(j));
    let takes_unseen = |j: usize| schema.model.is_some_and(|m| m.takes_unseen_levels_in(j));
    let n = table.n_rows();
    let lines: Vec<u64> = (0..n).map(|r| table.line_of(r)).collect();
    let mut x = Array2::zeros((n, schema.features.len()));
    let mut unscored: Vec<Option<String>> = vec![None; n];
    for (j, name) in schema.features.iter().enumerate() {
        let column = table.column(name)?;
        let fail = |row: usize, reason: String| Error::NewRow {
            file: table.file().to_path_buf(),
            line: lines[row],
            column: name.clone(),
            reason,
        };
        let range = schema.ranges.get(j).copied().flatten();
        let levels = schema.levels.get(j).cloned().flatten();
        for row in 0..n {
            let cell = match (&levels, &column.data) {
                (_, _) if column.is_missing(row) => {
                    if !takes_missing(j) {
                        return Err(fail(
                            row,
                            "missing value, and the student has no missing-value bin for it".into(),
                        ));
                    }
                    Cell::Known(f64::NAN)
                }
                (None, ColumnData::Numeric(values)) => Cell::Known(values[row]),
                (None, ColumnData::Categorical { levels: text, codes }) => {
                    let shown = codes[row].and_then(|c| text.get(c as usize)).map_or("?", String::as_str);
                    return Err(fail(
                        row,
                        format!("'{shown}' is not a number; the student reads numbers here"),
                    ));
                }
                (Some(saved), ColumnData::Categorical { levels: text, codes }) => {
                    let level = codes[row].and_then(|c| text.get(c as usize)).map_or("", String::as_str);
                    code_of(saved, level, |l| l == level)
                }
                (Some(saved), ColumnData::Numeric(values)) => {
                    let v = values[row];
                    code_of(saved, &format!("{v}"), |l| l.parse::<f64>().is_ok_and(|p| p == v))
                }
            };
            match cell {
                Cell::Known(v) => {
                    if let Some((lo, hi)) = range.filter(|&(lo, hi)| v < lo || v > hi)
                        && unseen == Unseen::Error
                    {
                        return Err(fail(
                            row,
                            format!(
                                "{v} is outside the training range [{lo}, {hi}] \
                                     (--unseen fallback scores it by the student's extension)"
                            ),
                        ));
                    }
                    x[[row, j]] = v;
                }
                Cell::Unseen(level) => {
                    let reason = format!("level '{level}' does not occur in training");
                    match unseen {
                        Unseen::Error => return Err(fail(row, format!("{reason} (see --unseen)"))),
                        Unseen::Fallback if takes_unseen(j) => {
                            x[[row, j]] = levels.as_ref().map_or(0, Vec::len) as f64;
                        }
                        Unseen::Fallback => {
                            if unscored[row].is_none() {
                                unscored[row] =
                                    Some(format!("'{name}': {reason}; the student has no fallback for it"));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(Rows { x, lines, unscored })
}

/// A cell read for the student.
enum Cell {
    /// A number or a saved level code.
    Known(f64),
    /// A level the student did not see, as written.
    Unseen(String),
}

/// The saved code of the level `shown` that `matches`.
fn code_of(saved: &[String], shown: &str, matches: impl Fn(&str) -> bool) -> Cell {
    match saved.iter().position(|l| matches(l)) {
        Some(code) => Cell::Known(code as f64),
        None => Cell::Unseen(shown.to_owned()),
    }
}
