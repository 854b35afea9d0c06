//! Reading a CSV file with a header into a [`Table`].
//!
//! Typing rule: a column is numeric when its first non-missing cell parses as a number, and
//! categorical otherwise (or when [`ReadOptions::categorical`] names it). In a numeric column a
//! later cell that does not parse, or that is NaN or infinite, is an error naming its line and
//! column: a wrong number is never read silently. Missing cells are the empty string and the
//! tokens in [`MISSING_TOKENS`]. A file whose name ends in `.gz` is decompressed first (gzip,
//! by flate2).

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{Column, ColumnData, Table};
use crate::{Error, Result};

/// Cell contents read as missing (after trimming white space).
pub const MISSING_TOKENS: &[&str] = &["", "NA", "N/A", "na", "n/a", "null", "NULL", "?"];

/// Options for [`read_csv`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Columns to read as categories even when their cells look like numbers.
    pub categorical: Vec<String>,
    /// Field delimiter; `b','` by default.
    pub delimiter: u8,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self { categorical: Vec::new(), delimiter: b',' }
    }
}

fn is_missing(cell: &str) -> bool {
    MISSING_TOKENS.contains(&cell)
}

/// Reads `path` into a [`Table`].
///
/// Errors: [`Error::Io`], [`Error::EmptyFile`], [`Error::RaggedRow`], [`Error::Malformed`],
/// [`Error::DuplicateColumn`], [`Error::MissingColumn`] (a name in `categorical` that is not in
/// the header) and [`Error::InvalidValue`] for a bad cell in a numeric column.
pub fn read_csv(path: &Path, options: &ReadOptions) -> Result<Table> {
    let io_error = |source| Error::Io { file: path.to_owned(), source };
    let bytes = read_bytes(path).map_err(io_error)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(options.delimiter)
        .from_reader(bytes.as_slice());
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(Error::EmptyFile { file: path.to_owned(), what: "the file is empty" });
    }
    let names: Vec<String> = header.iter().map(str::to_owned).collect();
    check_unique(path, &names)?;

    let mut cells: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        // With CRLF endings the csv reader starts a record at the previous line's '\n'
        // (it ends records at '\r'), so its line is one short: count from the byte instead.
        let line = record.position().map_or(0, |p| {
            let at_newline = usize::try_from(p.byte()).ok().and_then(|b| bytes.get(b)) == Some(&b'\n');
            p.line() + u64::from(at_newline)
        });
        if record.len() != names.len() {
            return Err(Error::RaggedRow {
                file: path.to_owned(),
                line,
                expected: names.len(),
                found: record.len(),
            });
        }
        for (column, field) in cells.iter_mut().zip(record.iter()) {
            column.push(field.to_owned());
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(Error::EmptyFile {
            file: path.to_owned(),
            what: "the file has a header but no data rows",
        });
    }
    table_from_cells(path, names, cells, lines, options)
}

/// A table from text cells, typed by the same rule as [`read_csv`]: `names` the header,
/// `cells[j]` column `j`'s cells (missing ones as the empty string or a [`MISSING_TOKENS`]
/// token), `lines` each row's line for error messages. This is how an in-memory table (a data
/// frame given to the Python bindings as text) is read exactly as its CSV file would be.
///
/// Errors: those of [`read_csv`] after the file is read, and [`Error::RaggedRow`] for a column
/// whose length differs from `lines`.
pub fn table_from_cells(
    path: &Path,
    names: Vec<String>,
    cells: Vec<Vec<String>>,
    lines: Vec<u64>,
    options: &ReadOptions,
) -> Result<Table> {
    check_unique(path, &names)?;
    if let Some(column) = cells.iter().find(|c| c.len() != lines.len()) {
        return Err(Error::RaggedRow {
            file: path.to_owned(),
            line: lines.first().copied().unwrap_or(0),
            expected: lines.len(),
            found: column.len(),
        });
    }
    for name in &options.categorical {
        if !names.contains(name) {
            return Err(Error::MissingColumn {
                file: path.to_owned(),
                name: name.clone(),
                available: names.join(", "),
            });
        }
    }

    let columns = names
        .into_iter()
        .zip(cells)
        .enumerate()
        .map(|(index, (name, raw))| {
            let force_categorical = options.categorical.contains(&name);
            let first = raw.iter().position(|c| !is_missing(c));
            let numeric = !force_categorical && first.is_none_or(|row| raw[row].parse::<f64>().is_ok());
            let data = if numeric {
                ColumnData::Numeric(parse_numeric(path, &lines, index, &name, &raw, first)?)
            } else {
                categorical(&raw)
            };
            Ok(Column { name, data })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Table { file: path.to_owned(), columns, lines })
}

/// The file's bytes, gunzipped when its name ends in `.gz`.
fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(raw.as_slice()), &mut bytes)?;
        Ok(bytes)
    } else {
        Ok(raw)
    }
}

fn check_unique(path: &Path, names: &[String]) -> Result<()> {
    let mut seen = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = seen.insert(name.as_str(), i) {
            return Err(Error::DuplicateColumn {
                file: path.to_owned(),
                name: name.clone(),
                first: first + 1,
                second: i + 1,
            });
        }
    }
    Ok(())
}

fn parse_numeric(
    path: &Path,
    lines: &[u64],
    index: usize,
    name: &str,
    raw: &[String],
    first: Option<usize>,
) -> Result<Vec<Option<f64>>> {
    raw.iter()
        .enumerate()
        .map(|(row, cell)| {
            if is_missing(cell) {
                return Ok(None);
            }
            let bad = |reason: String| Error::InvalidValue {
                file: path.to_owned(),
                line: lines[row],
                column: index + 1,
                name: name.to_owned(),
                reason,
            };
            match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                Ok(x) if x.is_nan() => Err(bad(format!(
                    "'{cell}' (NaN) is not allowed; leave the cell empty or write NA for a missing value"
                ))),
                Ok(_) => Err(bad(format!("'{cell}' (infinity) is not allowed"))),
                Err(_) => {
                    let first_line = first.map_or(0, |r| lines[r]);
                    Err(bad(format!(
                        "'{cell}' is not a number (the column is numeric: its first value, on line \
                         {first_line}, is a number); to read the column as categories, name it as categorical"
                    )))
                }
            }
        })
        .collect()
}

/// Levels sorted numerically when they all parse as numbers, lexicographically otherwise.
fn categorical(raw: &[String]) -> ColumnData {
    let mut levels: Vec<String> = raw.iter().filter(|c| !is_missing(c)).cloned().collect();
    levels.sort();
    levels.dedup();
    let numbers: Option<Vec<f64>> = levels.iter().map(|l| l.parse::<f64>().ok()).collect();
    if let Some(numbers) = numbers {
        let mut order: Vec<usize> = (0..levels.len()).collect();
        order.sort_by(|&a, &b| numbers[a].total_cmp(&numbers[b]));
        levels = order.into_iter().map(|i| levels[i].clone()).collect();
    }
    let index: BTreeMap<&str, u32> = levels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u32)).collect();
    let codes = raw.iter().map(|c| index.get(c.as_str()).copied()).collect();
    ColumnData::Categorical { levels, codes }
}

fn csv_error(path: &Path, error: csv::Error) -> Error {
    let line = error.position().map_or(0, |p| p.line());
    match error.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io { file: path.to_owned(), source },
        csv::ErrorKind::Utf8 { err, .. } => Error::Malformed {
            file: path.to_owned(),
            line,
            reason: format!("the row is not valid UTF-8 ({err})"),
        },
        kind => Error::Malformed { file: path.to_owned(), line, reason: format!("{kind:?}") },
    }
}
