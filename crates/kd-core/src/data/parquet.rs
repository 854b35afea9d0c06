//! Parquet files through arrow-rs's `parquet` crate (the Apache Arrow project's own Rust
//! reader: every encoding and the snappy, zstd and lz4 codecs, projection of the columns asked
//! for). Row groups decode on rayon's threads; their arrays feed the same column builders as
//! CSV pieces, so typing rules and messages are shared ("row" in place of "line").
//!
//! | Arrow type of the column | read as |
//! |---|---|
//! | floats, integers, decimals, booleans (0/1) | numbers (NaN and infinities refused, as in CSV) |
//! | `Utf8`, `LargeUtf8`, `Utf8View`, dictionaries of these | text cells, typed by the CSV rule |
//! | `Date32`, `Date64` | text `YYYY-MM-DD` |
//! | anything else (binary, nested, timestamps, …) | refused, naming the column and its type |

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use rayon::prelude::*;

use super::assemble::{Assembler, PieceSource};
use super::lines::LineMap;
use super::piece::{Builder, Mode, Piece, PieceColumn, SpareVectors};
use super::read::{ReadOptions, selected};
use super::table::Table;
use crate::{Error, Result};

/// Whether `path` names a Parquet file (`.parquet` or `.parq`).
pub(crate) fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq"))
}

fn damaged(file: &Path, error: impl std::fmt::Display) -> Error {
    Error::Format {
        file: file.to_owned(),
        reason: format!("not a readable Parquet file (truncated or damaged?): {error}"),
    }
}

/// The open file and what is read of it.
struct ParquetFile {
    file: PathBuf,
    metadata: ArrowReaderMetadata,
    /// Root (top-level) index of every column read.
    roots: Vec<usize>,
}

/// A Parquet file read row group by row group.
pub(crate) struct ParquetChunks {
    source: ParquetFile,
    assembler: Assembler,
    next_group: usize,
    /// First row of the next row group.
    next_row: usize,
    chunk_rows: usize,
}

impl ParquetChunks {
    pub(crate) fn open(path: &Path, options: &ReadOptions, chunk_rows: usize) -> Result<Self> {
        let handle = File::open(path).map_err(|source| Error::Io { file: path.to_owned(), source })?;
        let metadata =
            ArrowReaderMetadata::load(&handle, ArrowReaderOptions::new()).map_err(|e| damaged(path, e))?;
        let schema = metadata.schema().clone();
        let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        if header.is_empty() {
            return Err(Error::EmptyFile { file: path.to_owned(), what: "the file is empty" });
        }
        let columns = selected(path, &header, options)?;
        for (name, position, _) in &columns {
            let data_type = schema.field(position - 1).data_type();
            if kind_of(data_type).is_none() {
                return Err(Error::Format {
                    file: path.to_owned(),
                    reason: format!(
                        "column '{name}' has the Parquet (Arrow) type {data_type}, which kd reads neither as \
                         numbers nor as text; cast it to a number or a string"
                    ),
                });
            }
        }
        let roots = columns.iter().map(|c| c.1 - 1).collect();
        let total = usize::try_from(metadata.metadata().file_metadata().num_rows()).unwrap_or(0);
        Ok(Self {
            source: ParquetFile { file: path.to_owned(), metadata, roots },
            assembler: Assembler::new(path, "row", columns, total.min(chunk_rows)),
            next_group: 0,
            next_row: 0,
            chunk_rows,
        })
    }

    pub(crate) fn next_table(&mut self) -> Option<Result<Table>> {
        if self.assembler.is_done() {
            return None;
        }
        let filled = self.fill();
        self.assembler.next_chunk(filled)
    }

    fn fill(&mut self) -> Result<()> {
        let metadata = self.source.metadata.metadata().clone();
        let groups = metadata.num_row_groups();
        let threads = rayon::current_num_threads().max(1);
        while self.assembler.n_rows() < self.chunk_rows && self.next_group < groups {
            let end = (self.next_group + threads).min(groups);
            let mut starts = Vec::new();
            let mut row = self.next_row;
            for g in self.next_group..end {
                starts.push((g, row));
                row += usize::try_from(metadata.row_group(g).num_rows()).unwrap_or(0);
            }
            let source = RowGroups { file: &self.source, groups: &starts };
            self.assembler.absorb(&source)?;
            self.next_group = end;
            self.next_row = row;
        }
        Ok(())
    }
}

/// Row groups `(index, first row)` of a file, one piece each.
struct RowGroups<'a> {
    file: &'a ParquetFile,
    groups: &'a [(usize, usize)],
}

impl PieceSource for RowGroups<'_> {
    fn pieces(&self, modes: &[Option<Mode>], spare: &SpareVectors) -> Result<Vec<Piece>> {
        let parsed: Vec<Result<Piece>> = self
            .groups
            .par_iter()
            .map(|&(group, first_row)| self.file.row_group(group, first_row, modes, spare))
            .collect();
        parsed.into_iter().collect()
    }
}

impl ParquetFile {
    /// Row group `group`, whose first row is `first_row` (0-based), as a piece.
    fn row_group(
        &self,
        group: usize,
        first_row: usize,
        modes: &[Option<Mode>],
        spare: &SpareVectors,
    ) -> Result<Piece> {
        let wanted: Vec<usize> = (0..modes.len()).filter(|&c| modes[c].is_some()).collect();
        // A handle of its own: row groups are read on several threads, and parquet's reader
        // seeks its `File` before reading, so a `try_clone` (which shares the file offset with
        // the other threads' handles) would let one thread's seek move another's read.
        let handle =
            File::open(&self.file).map_err(|source| Error::Io { file: self.file.clone(), source })?;
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(handle, self.metadata.clone());
        let mask = ProjectionMask::roots(builder.parquet_schema(), wanted.iter().map(|&c| self.roots[c]));
        let reader = builder
            .with_projection(mask)
            .with_row_groups(vec![group])
            .with_batch_size(1 << 16)
            .build()
            .map_err(|e| damaged(&self.file, e))?;
        let rows = usize::try_from(self.metadata.metadata().row_group(group).num_rows()).unwrap_or(0);
        let mut builders: Vec<Option<Builder>> =
            modes.iter().map(|m| m.map(|m| Builder::new(m, rows, spare))).collect();
        let mut row = 0usize;
        for batch in reader {
            let batch = batch.map_err(|e| damaged(&self.file, e))?;
            // The batch's columns are the projected ones, in file order, as `wanted` is.
            for (j, &c) in wanted.iter().enumerate() {
                if let Some(builder) = builders[c].as_mut() {
                    push_array(builder, batch.column(j), row);
                }
            }
            row += batch.num_rows();
        }
        let columns = builders
            .into_iter()
            .map(|b| b.map_or(PieceColumn::Text { codes: Vec::new(), levels: Vec::new() }, Builder::finish))
            .collect();
        Ok(Piece { columns, lines: LineMap::consecutive(first_row as u64 + 1, row) })
    }
}

/// How a column of this Arrow type is read: as numbers, or as text cells.
fn kind_of(data_type: &DataType) -> Option<Mode> {
    match data_type {
        DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Decimal128(..)
        | DataType::Boolean => Some(Mode::Numbers),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Date32 | DataType::Date64 => {
            Some(Mode::Text)
        }
        DataType::Dictionary(_, values) => kind_of(values).filter(|m| *m == Mode::Text),
        _ => None,
    }
}

/// Appends `array`'s cells (rows `first_row …` of the piece) to `builder`: numbers straight
/// into a numeric column, their text into a text one (a numeric column named categorical).
fn push_array(builder: &mut Builder, array: &ArrayRef, first_row: usize) {
    let text_column = matches!(builder, Builder::Text { .. });
    let mut put = |i: usize, value: Option<Value<'_>>| match value {
        None => builder.push_missing(),
        Some(Value::Number(x)) if !text_column => builder.push_number(x, first_row + i),
        Some(Value::Number(x)) => {
            // Utf8 levels are valid UTF-8 by construction.
            let _ = builder.push_cell(format!("{x}").as_bytes(), first_row + i, false);
        }
        Some(Value::Text(t)) => {
            let _ = builder.push_cell(t.trim().as_bytes(), first_row + i, false);
        }
        Some(Value::Date(days)) => {
            let _ = builder.push_cell(iso_date(days).as_bytes(), first_row + i, false);
        }
    };
    macro_rules! numbers {
        ($t:ty) => {
            array
                .as_primitive::<$t>()
                .iter()
                .enumerate()
                .for_each(|(i, v)| put(i, v.map(|v| Value::Number(v as f64))))
        };
    }
    match array.data_type() {
        DataType::Float64 => numbers!(Float64Type),
        DataType::Float32 => numbers!(Float32Type),
        DataType::Float16 => array
            .as_primitive::<Float16Type>()
            .iter()
            .enumerate()
            .for_each(|(i, v)| put(i, v.map(|v| Value::Number(v.to_f64())))),
        DataType::Int8 => numbers!(Int8Type),
        DataType::Int16 => numbers!(Int16Type),
        DataType::Int32 => numbers!(Int32Type),
        DataType::Int64 => numbers!(Int64Type),
        DataType::UInt8 => numbers!(UInt8Type),
        DataType::UInt16 => numbers!(UInt16Type),
        DataType::UInt32 => numbers!(UInt32Type),
        DataType::UInt64 => numbers!(UInt64Type),
        DataType::Decimal128(_, scale) => {
            let unit = 10f64.powi(i32::from(*scale));
            array
                .as_primitive::<Decimal128Type>()
                .iter()
                .enumerate()
                .for_each(|(i, v)| put(i, v.map(|v| Value::Number(v as f64 / unit))));
        }
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .enumerate()
            .for_each(|(i, v)| put(i, v.map(|b| Value::Number(f64::from(u8::from(b)))))),
        DataType::Utf8 => {
            array.as_string::<i32>().iter().enumerate().for_each(|(i, v)| put(i, v.map(Value::Text)))
        }
        DataType::LargeUtf8 => {
            array.as_string::<i64>().iter().enumerate().for_each(|(i, v)| put(i, v.map(Value::Text)))
        }
        DataType::Utf8View => {
            array.as_string_view().iter().enumerate().for_each(|(i, v)| put(i, v.map(Value::Text)))
        }
        DataType::Date32 => array
            .as_primitive::<Date32Type>()
            .iter()
            .enumerate()
            .for_each(|(i, v)| put(i, v.map(|d| Value::Date(i64::from(d))))),
        DataType::Date64 => array
            .as_primitive::<Date64Type>()
            .iter()
            .enumerate()
            .for_each(|(i, v)| put(i, v.map(|ms| Value::Date(ms.div_euclid(86_400_000))))),
        DataType::Dictionary(..) => {
            if let Some(dictionary) = array.as_any_dictionary_opt() {
                let values = dictionary.values();
                let keys = dictionary.normalized_keys();
                let text = |k: usize| -> Option<&str> {
                    match values.data_type() {
                        DataType::Utf8 => Some(values.as_string::<i32>().value(k)),
                        DataType::LargeUtf8 => Some(values.as_string::<i64>().value(k)),
                        DataType::Utf8View => Some(values.as_string_view().value(k)),
                        _ => None,
                    }
                };
                for (i, &k) in keys.iter().enumerate() {
                    let cell =
                        if array.is_null(i) || values.is_null(k) { None } else { text(k).map(Value::Text) };
                    put(i, cell);
                }
            }
        }
        // `kind_of` refused every other type when the file was opened.
        _ => (0..array.len()).for_each(|i| put(i, None)),
    }
}

/// A cell of an Arrow array.
enum Value<'a> {
    Number(f64),
    Text(&'a str),
    /// Days since 1970-01-01.
    Date(i64),
}

/// `YYYY-MM-DD` of a day count since 1970-01-01, by Hinnant's `civil_from_days` (proleptic
/// Gregorian calendar); written out here because kd-core has no date crate, and the
/// conversion is eight lines.
fn iso_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_counts_become_calendar_dates() {
        assert_eq!(super::iso_date(0), "1970-01-01");
        assert_eq!(super::iso_date(19_782), "2024-02-29");
        assert_eq!(super::iso_date(-1), "1969-12-31");
    }
}
