//! One piece of a CSV block parsed into the columns asked for: numbers straight from the
//! record's bytes, or level codes of a text column.
//!
//! Records are split by the plain splitter ([`super::plain`]) when a piece holds no quote, and by
//! the `csv` crate (csv-core's state machine, RFC 4180 quoting) otherwise; each piece is a run
//! of whole records, so pieces parse on separate threads.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use super::cells::{Cell, classify, is_missing, short_decimal};
use super::lines::LineMap;
use super::plain::Record;
use crate::{Error, Result};

/// How a column of a piece is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// As numbers (numeric columns, and columns whose type is not known yet).
    Numbers,
    /// As text levels.
    Text,
}

/// The first cell of a piece's column that is not a finite number (row within the piece).
#[derive(Debug, Clone)]
pub(crate) struct BadCell {
    pub row: usize,
    pub text: String,
    pub kind: Cell,
}

/// A piece's column.
#[derive(Debug)]
pub(crate) enum PieceColumn {
    /// Numbers, `NaN` for a missing cell; parsing stops at the first bad cell.
    Numbers {
        values: Vec<f64>,
        /// Row of the first non-missing cell, and whether it reads as a number (NaN and
        /// infinities do, for typing).
        first: Option<(usize, bool)>,
        bad: Option<BadCell>,
    },
    /// Text: codes into the piece's own `levels` (in order of appearance).
    Text { codes: Vec<Option<u32>>, levels: Vec<String> },
}

/// A parsed piece: its columns (in the order asked for), row lines and row count.
#[derive(Debug)]
pub(crate) struct Piece {
    pub columns: Vec<PieceColumn>,
    pub lines: LineMap,
}

/// How to parse pieces of one file.
pub(crate) struct Layout<'a> {
    pub file: &'a Path,
    pub delimiter: u8,
    pub decimal_comma: bool,
    /// Number of header fields.
    pub width: usize,
    /// File column (0-based) of every column asked for.
    pub fields: &'a [usize],
}

/// Number vectors of earlier pieces, emptied, for the next block's pieces. Reusing them keeps
/// their pages: fresh vectors for every block made the kernel fault in and zero new pages for
/// each, a third of a large numeric file's page faults (the allocator returns freed pieces to
/// the system between blocks).
#[derive(Debug, Default)]
pub(crate) struct SpareVectors(Mutex<Vec<Vec<f64>>>);

impl SpareVectors {
    /// An empty vector with room for `rows` numbers, a spare one when there is one.
    pub(crate) fn take(&self, rows: usize) -> Vec<f64> {
        let spare = self.0.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut values = spare.unwrap_or_default();
        values.reserve(rows);
        values
    }

    /// Keeps `values`, emptied, for a later piece.
    pub(crate) fn give(&self, mut values: Vec<f64>) {
        values.clear();
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(values);
    }
}

/// One column of a piece being filled, cell by cell.
pub(crate) enum Builder {
    /// Numbers (see [`PieceColumn::Numbers`]).
    Numbers { values: Vec<f64>, first: Option<(usize, bool)>, bad: Option<BadCell> },
    /// Text levels, indexed by their bytes.
    Text { codes: Vec<Option<u32>>, index: HashMap<Box<[u8]>, u32>, levels: Vec<String> },
}

impl Builder {
    /// An empty column parsed in `mode`, with room for `rows` rows (numbers in a vector from
    /// `spare`).
    pub(crate) fn new(mode: Mode, rows: usize, spare: &SpareVectors) -> Self {
        match mode {
            Mode::Numbers => Builder::Numbers { values: spare.take(rows), first: None, bad: None },
            Mode::Text => {
                Builder::Text { codes: Vec::with_capacity(rows), index: HashMap::new(), levels: Vec::new() }
            }
        }
    }

    /// Appends a missing cell.
    pub(crate) fn push_missing(&mut self) {
        match self {
            Builder::Numbers { values, .. } => values.push(f64::NAN),
            Builder::Text { codes, .. } => codes.push(None),
        }
    }

    /// Appends a number of a numeric column (row `row` of the piece); NaN and infinities are
    /// bad cells, as in a CSV file.
    pub(crate) fn push_number(&mut self, x: f64, row: usize) {
        let Builder::Numbers { values, first, bad } = self else { return };
        if bad.is_some() {
            return;
        }
        if first.is_none() {
            *first = Some((row, true));
        }
        if x.is_finite() {
            values.push(x);
        } else {
            let kind = if x.is_nan() { Cell::NotANumber } else { Cell::Infinite };
            *bad = Some(BadCell { row, text: format!("{x}"), kind });
        }
    }

    /// Appends a trimmed text cell; the error is a level that is not UTF-8.
    pub(crate) fn push_cell(
        &mut self,
        cell: &[u8],
        row: usize,
        decimal_comma: bool,
    ) -> std::result::Result<(), std::str::Utf8Error> {
        match self {
            Builder::Numbers { values, first, bad } => {
                if bad.is_some() {
                    return Ok(());
                }
                // No missing token reads as a number, so a number needs no look at the tokens.
                let kind = classify(cell, decimal_comma);
                if kind == Cell::Text && is_missing(cell) {
                    values.push(f64::NAN);
                    return Ok(());
                }
                if first.is_none() {
                    *first = Some((row, kind != Cell::Text));
                }
                match kind {
                    Cell::Number(x) => values.push(x),
                    other => {
                        *bad = Some(BadCell {
                            row,
                            text: String::from_utf8_lossy(cell).into_owned(),
                            kind: other,
                        })
                    }
                }
            }
            Builder::Text { codes, .. } if is_missing(cell) => codes.push(None),
            Builder::Text { codes, index, levels } => {
                let code = match index.get(cell) {
                    Some(&code) => code,
                    None => {
                        let code = levels.len() as u32;
                        levels.push(std::str::from_utf8(cell)?.to_owned());
                        index.insert(cell.into(), code);
                        code
                    }
                };
                codes.push(Some(code));
            }
        }
        Ok(())
    }

    /// The finished column.
    pub(crate) fn finish(self) -> PieceColumn {
        match self {
            Builder::Numbers { values, first, bad } => PieceColumn::Numbers { values, first, bad },
            Builder::Text { codes, levels, .. } => PieceColumn::Text { codes, levels },
        }
    }
}

/// Parses `bytes` (whole records) whose first record is on line `first_line`: without a quote
/// and with every `\r` in a line ending `\r\n`, by the plain splitter (records are lines);
/// otherwise by the `csv` crate.
pub(crate) fn parse_piece(
    layout: &Layout<'_>,
    modes: &[Mode],
    bytes: &[u8],
    first_line: u64,
    spare: &SpareVectors,
) -> Result<Piece> {
    let estimate = bytes.len() / (layout.width * 4 + 1);
    let mut builder_of = vec![None; layout.width];
    for (b, &field) in layout.fields.iter().enumerate() {
        if let Some(slot) = builder_of.get_mut(field) {
            *slot = Some(b);
        }
    }
    let mut rows = Rows {
        layout,
        builder_of,
        builders: modes.iter().map(|&m| Builder::new(m, estimate, spare)).collect(),
        lines: LineMap::default(),
    };
    if super::plain::is_plain(bytes) {
        super::plain::split(bytes, layout.delimiter, first_line, &mut rows)?;
    } else {
        split_quoted(layout, bytes, first_line, &mut rows)?;
    }
    let columns = rows.builders.into_iter().map(Builder::finish).collect();
    Ok(Piece { columns, lines: rows.lines })
}

/// The rows of a piece being parsed.
struct Rows<'a, 'b> {
    layout: &'a Layout<'b>,
    /// The builder of each file field, `None` for a field not asked for.
    builder_of: Vec<Option<usize>>,
    builders: Vec<Builder>,
    lines: LineMap,
}

impl Rows<'_, '_> {
    /// Any cell of builder `b` but a plain decimal in a numeric column under way.
    #[inline(never)]
    fn other_cell(&mut self, b: usize, cell: &[u8], line: u64) -> Result<()> {
        let row = self.lines.len();
        let Some(builder) = self.builders.get_mut(b) else { return Ok(()) };
        builder.push_cell(cell, row, self.layout.decimal_comma).map_err(|e| Error::Malformed {
            file: self.layout.file.to_owned(),
            line,
            reason: format!("the row is not valid UTF-8 ({e})"),
        })
    }
}

impl Record for Rows<'_, '_> {
    #[inline(always)]
    fn cell(&mut self, field: usize, cell: &[u8], line: u64) -> Result<()> {
        let Some(&Some(b)) = self.builder_of.get(field) else { return Ok(()) };
        let cell = cell.trim_ascii();
        // The common cell, a plain decimal in a numeric column under way, straight in.
        if let Some(Builder::Numbers { values, first: Some(_), bad: None }) = self.builders.get_mut(b)
            && let Some(x) = short_decimal(cell, if self.layout.decimal_comma { b',' } else { b'.' })
        {
            values.push(x);
            return Ok(());
        }
        self.other_cell(b, cell, line)
    }

    /// A record whose field count differs from the header's is an error.
    fn end(&mut self, fields: usize, line: u64) -> Result<()> {
        if fields != self.layout.width {
            return Err(Error::RaggedRow {
                file: self.layout.file.to_owned(),
                line,
                expected: self.layout.width,
                found: fields,
            });
        }
        self.lines.push(line);
        Ok(())
    }
}

/// Splits records with the `csv` crate (quoted fields, quoted line breaks, lone `\r` endings).
fn split_quoted(layout: &Layout<'_>, bytes: &[u8], first_line: u64, rows: &mut Rows<'_, '_>) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(layout.delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let line = record_line(&record, bytes, first_line);
                if record.len() != layout.width {
                    // The field count first, as before any cell is read.
                    return rows.end(record.len(), line);
                }
                for (field, cell) in record.iter().enumerate() {
                    rows.cell(field, cell, line)?;
                }
                rows.end(record.len(), line)?;
            }
            Ok(false) => return Ok(()),
            Err(e) => return Err(csv_error(layout.file, first_line, &e)),
        }
    }
}

/// The record's 1-based line. With CRLF endings csv-core starts a record at the previous line's
/// `\n` (it ends records at `\r`), so its line is one short: count from the byte instead.
fn record_line(record: &csv::ByteRecord, bytes: &[u8], first_line: u64) -> u64 {
    record.position().map_or(first_line, |p| {
        let at_newline = usize::try_from(p.byte()).ok().and_then(|b| bytes.get(b)) == Some(&b'\n');
        first_line + p.line() - 1 + u64::from(at_newline)
    })
}

/// A CSV reader's error as kd-core's, with the line counted from the piece's first line.
pub(crate) fn csv_error(file: &Path, first_line: u64, error: &csv::Error) -> Error {
    let line = error.position().map_or(first_line, |p| first_line + p.line() - 1);
    match error.kind() {
        csv::ErrorKind::Io(source) => Error::Io {
            file: file.to_owned(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        csv::ErrorKind::Utf8 { err, .. } => Error::Malformed {
            file: file.to_owned(),
            line,
            reason: format!("the row is not valid UTF-8 ({err})"),
        },
        kind => Error::Malformed { file: file.to_owned(), line, reason: format!("{kind:?}") },
    }
}
