//! A text column of a [`Table`]: its cells as strings, refused when a model cannot learn from
//! them (an empty cell, a single distinct text, numbers).

use crate::data::{ColumnData, Table};
use crate::{Error, Result};

/// The texts of column `name` at table rows `rows`, in that order.
///
/// Errors: no such column ([`Error::MissingColumn`]); a numeric column; an empty or missing
/// cell ([`Error::InvalidValue`] naming its line and column); fewer than two distinct texts
/// among the rows.
pub fn read_texts(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<String>> {
    let index = table.column_index(name)?;
    let column = &table.columns()[index];
    let ColumnData::Categorical { levels, codes } = &column.data else {
        return Err(Error::InvalidParameter {
            name: "text".into(),
            reason: format!("column '{name}' of {} holds numbers, not text", table.file().display()),
        });
    };
    let texts = rows
        .iter()
        .map(|&row| match codes.get(row).copied().flatten().and_then(|c| levels.get(c as usize)) {
            Some(text) => Ok(text.clone()),
            None => Err(Error::InvalidValue {
                file: table.file().to_owned(),
                line: if row < table.n_rows() { table.line_of(row) } else { 0 },
                column: index + 1,
                name: name.to_owned(),
                reason: "the text is empty (or a missing-value token such as NA); every message needs text"
                    .into(),
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(first) = texts.first()
        && texts.iter().all(|t| t == first)
    {
        let shown: String = first.chars().take(60).collect();
        return Err(Error::InvalidParameter {
            name: "text".into(),
            reason: format!(
                "column '{name}' of {} holds one distinct text ('{shown}') on all {} rows; a text model needs different texts",
                table.file().display(),
                texts.len()
            ),
        });
    }
    Ok(texts)
}
