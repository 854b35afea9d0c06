//! Reading named columns of a table one by one (`kd validate --score COL --outcome COL`, the
//! Python package's `validate`), with errors that name the file, line and column: numbers,
//! 0/1 outcomes, probabilities, level codes, numbers or codes (`values`), and the rows without a
//! missing cell.

use super::{ColumnData, Table};
use crate::Error;

fn bad(table: &Table, column: usize, row: usize, reason: String) -> Error {
    Error::InvalidValue {
        file: table.file().to_owned(),
        line: table.line_of(row),
        column: table.columns()[column].position(),
        name: table.columns()[column].name.clone(),
        reason,
    }
}

/// An invalid value of the column named `column` at `row`, naming the file, line and column.
pub fn invalid_value(table: &Table, column: &str, row: usize, reason: String) -> Error {
    match table.column_index(column) {
        Ok(c) => bad(table, c, row, reason),
        Err(e) => e,
    }
}

/// The rows to use: all rows, or (with `drop_missing`) those without a missing cell in
/// `columns`; without it a missing cell is an error naming its line.
pub fn complete_rows(table: &Table, columns: &[&str], drop_missing: bool) -> Result<Vec<usize>, Error> {
    complete_rows_or(table, columns, drop_missing, "missing value (pass --missing drop to drop such rows)")
}

/// [`complete_rows`] whose refusal of a missing cell says `refusal` (a binding names its own
/// way of dropping such rows).
pub fn complete_rows_or(
    table: &Table,
    columns: &[&str],
    drop_missing: bool,
    refusal: &str,
) -> Result<Vec<usize>, Error> {
    let indices = columns.iter().map(|c| table.column_index(c)).collect::<Result<Vec<_>, _>>()?;
    let mut rows = Vec::with_capacity(table.n_rows());
    for row in 0..table.n_rows() {
        match indices.iter().find(|&&c| table.columns()[c].is_missing(row)) {
            None => rows.push(row),
            Some(&c) if !drop_missing => return Err(bad(table, c, row, refusal.to_owned())),
            Some(_) => {}
        }
    }
    Ok(rows)
}

/// The rows among `among` (ascending) where column `name` has a value.
pub fn rows_with_value(table: &Table, name: &str, among: &[usize]) -> Result<Vec<usize>, Error> {
    let c = table.column_index(name)?;
    Ok(among.iter().copied().filter(|&r| !table.columns()[c].is_missing(r)).collect())
}

/// The numeric column `name` at `rows`.
pub fn numbers(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<f64>, Error> {
    let c = table.column_index(name)?;
    match &table.columns()[c].data {
        ColumnData::Numeric(values) => {
            let mut out = Vec::with_capacity(rows.len());
            for &r in rows {
                match values[r] {
                    x if x.is_nan() => return Err(bad(table, c, r, "missing value".into())),
                    x => out.push(x),
                }
            }
            Ok(out)
        }
        ColumnData::Categorical { .. } => Err(Error::InvalidParameter {
            name: name.to_owned(),
            reason: format!("column '{name}' of {} holds text, not numbers", table.file().display()),
        }),
    }
}

/// The column `name` at `rows` as numbers: a numeric column's values, a categorical one's level
/// codes (a candidate feature of Distill-and-Compare, which reads either).
pub fn values(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<f64>, Error> {
    let c = table.column_index(name)?;
    let column = &table.columns()[c];
    rows.iter().map(|&r| column.value(r).ok_or_else(|| bad(table, c, r, "missing value".into()))).collect()
}

/// The 0/1 column `name` at `rows` as booleans (1 = default).
pub fn outcomes(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<bool>, Error> {
    let c = table.column_index(name)?;
    let values = numbers(table, name, rows)?;
    values
        .iter()
        .zip(rows)
        .map(|(&v, &r)| match v {
            0.0 => Ok(false),
            1.0 => Ok(true),
            other => Err(bad(table, c, r, format!("{other} is not an outcome: it must be 0 or 1"))),
        })
        .collect()
}

/// The exposure column `name` at `rows`: numbers ≥ 0, the first negative one an error naming
/// its line.
pub fn exposures(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<f64>, Error> {
    let c = table.column_index(name)?;
    let values = numbers(table, name, rows)?;
    match values.iter().position(|&x| x < 0.0) {
        None => Ok(values),
        Some(i) => Err(bad(table, c, rows[i], format!("{} is a negative exposure", values[i]))),
    }
}

/// Checks that every value of column `name` is a probability, naming the first that is not.
pub fn ensure_probabilities(
    table: &Table,
    name: &str,
    rows: &[usize],
    values: &[f64],
    hint: &str,
) -> Result<(), Error> {
    within_unit(table, name, rows, values, |v| format!("{v} is not a probability in [0, 1]; {hint}"))
}

/// Checks that every value of column `name` lies in [0, 1], naming the first that does not as
/// `what` ("an LGD") with `hint` after it.
pub fn ensure_within_unit(
    table: &Table,
    name: &str,
    rows: &[usize],
    values: &[f64],
    what: &str,
    hint: &str,
) -> Result<(), Error> {
    within_unit(table, name, rows, values, |v| format!("{v} lies outside [0, 1] for {what}; {hint}"))
}

/// The first of `values` outside [0, 1] as an error naming its line, in the words of `reason`.
fn within_unit(
    table: &Table,
    name: &str,
    rows: &[usize],
    values: &[f64],
    reason: impl Fn(f64) -> String,
) -> Result<(), Error> {
    let c = table.column_index(name)?;
    crate::error::ensure_same_len(
        &format!("the values of '{name}' and their rows"),
        rows.len(),
        values.len(),
    )?;
    match values.iter().position(|v| !(0.0..=1.0).contains(v)) {
        None => Ok(()),
        Some(i) => Err(bad(table, c, rows[i], reason(values[i]))),
    }
}

/// Level codes of column `name` at `rows` (read as categorical) and its levels.
pub fn levels(table: &Table, name: &str, rows: &[usize]) -> Result<(Vec<usize>, Vec<String>), Error> {
    let c = table.column_index(name)?;
    match &table.columns()[c].data {
        ColumnData::Categorical { levels, codes } => {
            let codes = rows
                .iter()
                .map(|&r| {
                    codes[r].map(|x| x as usize).ok_or_else(|| bad(table, c, r, "missing value".into()))
                })
                .collect::<Result<_, _>>()?;
            Ok((codes, levels.clone()))
        }
        ColumnData::Numeric(_) => Err(Error::InvalidParameter {
            name: name.to_owned(),
            reason: format!("column '{name}' was read as numbers; read it as categories"),
        }),
    }
}
