//! A later file's rows coded as a reference data set's features, with no target: what a model
//! under review scores where the outcomes are not all known yet (a monitoring sample). The
//! features are the reference's, found by name; categorical levels get the reference's codes (a
//! level the reference lacks is an error naming the line and column, or, by
//! [`FeatureRows::like_setting_aside`], sets its row aside and is reported); a row with a missing
//! feature is refused or dropped as the policy says ([`MissingPolicy::Bin`] keeps it, with the
//! hole as NaN). [`FeatureRows::outcomes_like`] reads the outcomes the file does have, coded as
//! the reference codes its target. A labelled [`Dataset`] holds its rows as one of these
//! ([`Dataset::feature_rows`]).

use std::path::{Path, PathBuf};

use ndarray::Array2;

use super::dataset::{Dataset, MissingPolicy, Provenance, Target, feature_matrix, kept_rows, recode_levels};
use super::table::{ColumnData, Table};
use super::unseen::{SetAside, split_unseen};
use crate::{Error, Result};

/// Rows of a file coded as a reference data set's features; `x` has shape
/// `(n_rows, n_features)` in the reference's feature order.
#[derive(Debug, Clone)]
pub struct FeatureRows {
    file: PathBuf,
    pub(super) x: Array2<f64>,
    source_rows: Vec<usize>,
    lines: Vec<u64>,
    dropped_rows: usize,
}

impl FeatureRows {
    /// The rows of `table` coded as `reference`'s features, under the missing-value policy
    /// `missing`; `parameter` names the file in messages (`current file`).
    ///
    /// Errors: a feature that is not a column of `table`, a feature numeric in one file and
    /// categorical in the other, a level `reference` does not have, a missing value under
    /// [`MissingPolicy::Error`] (each naming the line and column), and no rows left.
    pub fn like(table: &Table, reference: &Dataset, missing: MissingPolicy, parameter: &str) -> Result<Self> {
        let columns = feature_columns(table, reference)?;
        Self::coded(table, reference, &columns, kept_rows(table, None, &columns, missing)?, parameter)
    }

    /// [`FeatureRows::like`], with the rows that hold a level `reference` lacks set aside
    /// rather than refused: the rows coded, and those set aside with their levels.
    /// [`FeatureRows::dropped_rows`] still counts only the rows dropped for missing values.
    ///
    /// Errors: those of [`FeatureRows::like`] but the unseen level, and every row kept (after the
    /// missing-value policy) set aside.
    pub fn like_setting_aside(
        table: &Table,
        reference: &Dataset,
        missing: MissingPolicy,
        parameter: &str,
    ) -> Result<(Self, SetAside)> {
        let columns = feature_columns(table, reference)?;
        let kept = kept_rows(table, None, &columns, missing)?;
        let n_kept = kept.len();
        let (known, set_aside) = split_unseen(table, reference, &columns, kept);
        if let Some(first) = set_aside.levels.iter().min_by_key(|l| l.first_line)
            && known.is_empty()
        {
            return Err(crate::error::invalid_parameter(
                parameter,
                format!(
                    "every row kept of {} holds a level {} lacks (the first: line {}, '{}': level '{}')",
                    table.file.display(),
                    reference.file().display(),
                    first.first_line,
                    first.feature,
                    first.level
                ),
            ));
        }
        let mut rows = Self::coded(table, reference, &columns, known, parameter)?;
        rows.dropped_rows = table.n_rows() - n_kept;
        Ok((rows, set_aside))
    }

    /// The rows `kept` of `table` (`columns` holding `reference`'s features), levels recoded to
    /// `reference`'s codes.
    fn coded(
        table: &Table,
        reference: &Dataset,
        columns: &[usize],
        kept: Vec<usize>,
        parameter: &str,
    ) -> Result<Self> {
        let mut rows = Self::at(table, columns, kept)?;
        let from =
            Provenance { parameter, file: &table.file, lines: &rows.lines, reference: reference.file() };
        for (j, (feature, &c)) in reference.features().iter().zip(columns).enumerate() {
            recode_levels(&mut rows.x, j, table.columns[c].levels(), feature, &from)?;
        }
        Ok(rows)
    }

    /// The outcomes of these rows of `table` (the table they were read from) where its column
    /// of `reference`'s target has a value, coded as `reference` codes its target: the indices
    /// of those rows among these, and their target. `None` where `table` has no such column, or
    /// no value in it at these rows; `parameter` names the file in messages.
    ///
    /// Errors: a class `reference` does not have (naming the line and column; numbers are read
    /// as the labels they print as, `0` and `1`), and a categorical column where `reference`'s
    /// target is a value.
    pub fn outcomes_like(
        &self,
        table: &Table,
        reference: &Dataset,
        parameter: &str,
    ) -> Result<Option<(Vec<usize>, Target)>> {
        let Ok(index) = table.column_index(reference.target_name()) else { return Ok(None) };
        let column = &table.columns[index];
        let known: Vec<usize> =
            (0..self.n_rows()).filter(|&i| !column.is_missing(self.source_rows[i])).collect();
        if known.is_empty() {
            return Ok(None);
        }
        let mismatch = || {
            crate::error::invalid_parameter(
                parameter,
                format!("target '{}' is a class in one file and a value in the other", column.name),
            )
        };
        let target = match (reference.target(), &column.data) {
            (Target::Values(_), ColumnData::Numeric(values)) => {
                Target::Values(known.iter().map(|&i| values[self.source_rows[i]]).collect())
            }
            (Target::Classes { labels, .. }, data) => {
                let from = Provenance {
                    parameter,
                    file: &table.file,
                    lines: &self.lines,
                    reference: reference.file(),
                };
                let y = known
                    .iter()
                    .map(|&i| {
                        let label = match data {
                            ColumnData::Categorical { levels, codes } => codes[self.source_rows[i]]
                                .map_or_else(String::new, |c| levels[c as usize].clone()),
                            ColumnData::Numeric(values) => format!("{}", values[self.source_rows[i]]),
                        };
                        labels.iter().position(|l| *l == label).ok_or_else(|| {
                            from.not_in_reference(i, &column.name, &format!("class '{label}'"))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Target::Classes { labels: labels.clone(), y }
            }
            (Target::Values(_), ColumnData::Categorical { .. }) => return Err(mismatch()),
        };
        Ok(Some((known, target)))
    }

    /// The rows `kept` of `table` (the others dropped for missing values), its columns
    /// `columns` as the feature matrix. Errors: no rows kept.
    pub(super) fn at(table: &Table, columns: &[usize], kept: Vec<usize>) -> Result<Self> {
        if kept.is_empty() {
            return Err(Error::TooFewRows {
                what: format!("{} after dropping rows with missing values", table.file.display()),
                needed: 1,
                found: 0,
            });
        }
        Ok(Self {
            file: table.file.clone(),
            x: feature_matrix(table, columns, &kept)?,
            lines: kept.iter().map(|&r| table.line_of(r)).collect(),
            dropped_rows: table.n_rows() - kept.len(),
            source_rows: kept,
        })
    }

    /// The rows `rows`, in that order.
    pub(super) fn select(&self, rows: &[usize]) -> Self {
        Self {
            file: self.file.clone(),
            x: self.x.select(ndarray::Axis(0), rows),
            source_rows: rows.iter().map(|&r| self.source_rows[r]).collect(),
            lines: rows.iter().map(|&r| self.lines[r]).collect(),
            dropped_rows: self.dropped_rows,
        }
    }

    /// The file the rows came from.
    pub fn file(&self) -> &Path {
        &self.file
    }
    /// Feature matrix, shape `(n_rows, n_features)`.
    pub fn x(&self) -> &Array2<f64> {
        &self.x
    }
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }
    /// Rows dropped for missing values.
    pub fn dropped_rows(&self) -> usize {
        self.dropped_rows
    }
    /// For each row, its row index in the [`Table`] it came from.
    pub fn source_rows(&self) -> &[usize] {
        &self.source_rows
    }
    /// For each row, its 1-based line in the file.
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }
}

/// The columns of `table` holding `reference`'s features, found by name.
fn feature_columns(table: &Table, reference: &Dataset) -> Result<Vec<usize>> {
    reference.features().iter().map(|f| table.column_index(&f.name)).collect()
}
