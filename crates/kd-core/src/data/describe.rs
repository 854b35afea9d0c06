//! What the loader makes of a table, column by column: its kind (numeric, categorical, or free
//! text), missing cells, range or levels, and a text column's numbers. The document of `kd
//! describe --format json` and of the Python package's `kd.describe`.

use serde::Serialize;

use super::{ColumnKind, Table};
use crate::text::{TextSummary, looks_like_text, summarize};

/// A table described.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Description {
    /// The file (or frame) read.
    pub file: String,
    /// Rows.
    pub n_rows: usize,
    /// Columns.
    pub n_columns: usize,
    /// Each column, in order.
    pub columns: Vec<ColumnSummary>,
}

/// One column described.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ColumnSummary {
    /// The header's name.
    pub name: String,
    /// `numeric`, `categorical` or `text`.
    pub kind: &'static str,
    /// Missing cells.
    pub missing: usize,
    /// Smallest value (numeric).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest value (numeric).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Levels, sorted (categorical).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
    /// A text column's numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextSummary>,
}

/// Describes `table`, reporting as free text the columns named in `text` and the categorical
/// columns that look like text ([`looks_like_text`]).
pub fn describe(table: &Table, text: &[String]) -> Description {
    let columns = table
        .columns()
        .iter()
        .map(|c| {
            let range = c.range();
            let summary = if text.contains(&c.name) || looks_like_text(c) { summarize(c) } else { None };
            ColumnSummary {
                name: c.name.clone(),
                kind: match c.kind() {
                    _ if summary.is_some() => "text",
                    ColumnKind::Numeric => "numeric",
                    ColumnKind::Categorical => "categorical",
                },
                missing: c.n_missing(),
                min: range.map(|r| r.0),
                max: range.map(|r| r.1),
                levels: if summary.is_some() { None } else { c.levels().map(<[String]>::to_vec) },
                text: summary,
            }
        })
        .collect();
    Description {
        file: table.file().display().to_string(),
        n_rows: table.n_rows(),
        n_columns: table.columns().len(),
        columns,
    }
}
