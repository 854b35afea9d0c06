//! A data file as typed columns, with its missing cells kept as holes. Policy about missing
//! values is applied later, when a [`Dataset`](super::Dataset) picks the columns it uses.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::lines::LineMap;

/// The cells of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Finite numbers; `NaN` marks a missing cell (a NaN is never a value: the loader refuses
    /// it), so a cell costs 8 bytes.
    Numeric(Vec<f64>),
    /// Categories: `codes[i]` indexes `levels`; `None` is a missing cell.
    Categorical {
        /// The distinct values, sorted (numerically when they all parse as numbers).
        levels: Vec<String>,
        /// One code per row.
        codes: Vec<Option<u32>>,
    },
}

/// One named column of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header of the column.
    pub name: String,
    /// The cells.
    pub data: ColumnData,
    /// 1-based position of the column in the file.
    pub(crate) position: usize,
}

/// The kind of a column, as reported by `kd describe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Numbers.
    Numeric,
    /// Categories (strings).
    Categorical,
}

impl Column {
    /// The column's 1-based position in the file (columns not read still count).
    pub fn position(&self) -> usize {
        self.position
    }

    /// Numeric or categorical.
    pub fn kind(&self) -> ColumnKind {
        match self.data {
            ColumnData::Numeric(_) => ColumnKind::Numeric,
            ColumnData::Categorical { .. } => ColumnKind::Categorical,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(v) => v.len(),
            ColumnData::Categorical { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `row` is missing.
    pub fn is_missing(&self, row: usize) -> bool {
        match &self.data {
            ColumnData::Numeric(v) => v[row].is_nan(),
            ColumnData::Categorical { codes, .. } => codes[row].is_none(),
        }
    }

    /// Number of missing cells.
    pub fn n_missing(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            ColumnData::Categorical { codes, .. } => codes.iter().filter(|c| c.is_none()).count(),
        }
    }

    /// The cell as a number: the value of a numeric cell, the level code of a categorical one.
    pub fn value(&self, row: usize) -> Option<f64> {
        match &self.data {
            ColumnData::Numeric(v) => Some(v[row]).filter(|x| !x.is_nan()),
            ColumnData::Categorical { codes, .. } => codes[row].map(f64::from),
        }
    }

    /// The levels of a categorical column, `None` for a numeric one.
    pub fn levels(&self) -> Option<&[String]> {
        match &self.data {
            ColumnData::Numeric(_) => None,
            ColumnData::Categorical { levels, .. } => Some(levels),
        }
    }

    /// Smallest and largest value of a numeric column, ignoring missing cells.
    pub fn range(&self) -> Option<(f64, f64)> {
        use rayon::prelude::*;
        let ColumnData::Numeric(v) = &self.data else { return None };
        // `f64::min` and `max` pass over NaN (a missing cell), so the fold needs no branch;
        // chunks of a long column go to rayon's threads.
        let widen = |(lo, hi): (f64, f64), (a, b): (f64, f64)| (lo.min(a), hi.max(b));
        let empty = (f64::INFINITY, f64::NEG_INFINITY);
        let (lo, hi) = v
            .par_chunks(1 << 16)
            .map(|chunk| chunk.iter().fold(empty, |acc, &x| widen(acc, (x, x))))
            .reduce(|| empty, widen);
        (lo <= hi).then_some((lo, hi))
    }
}

/// A data file (or one chunk of it) read into typed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub(crate) file: PathBuf,
    pub(crate) columns: Vec<Column>,
    /// 1-based file line (Parquet: row) of each row, for error messages.
    pub(crate) lines: LineMap,
}

impl Table {
    /// The file the table was read from.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The columns, in file order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// The 1-based file line of data row `row` (for a Parquet file, its 1-based row number).
    pub fn line_of(&self, row: usize) -> u64 {
        self.lines.line(row)
    }

    /// The position of the column called `name`, or an error listing the columns.
    pub fn column_index(&self, name: &str) -> crate::Result<usize> {
        self.columns.iter().position(|c| c.name == name).ok_or_else(|| crate::Error::MissingColumn {
            file: self.file.clone(),
            name: name.to_owned(),
            available: self.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
        })
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> crate::Result<&Column> {
        Ok(&self.columns[self.column_index(name)?])
    }
}
