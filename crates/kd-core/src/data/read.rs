//! Reading a data file into a [`Table`]: CSV (gzipped when the name ends in `.gz`) or Parquet
//! (a name ending in `.parquet` or `.parq`).
//!
//! Typing rule, the same for every format: a column is numeric when its first non-missing cell
//! is a number, and categorical otherwise (or when [`ReadOptions::categorical`] names it). In a
//! numeric column a later cell that is not a number, or that is NaN or infinite, is an error
//! naming its line (a Parquet file's row) and column: a wrong number is never read silently.
//! Missing cells are the empty string and the tokens in [`MISSING_TOKENS`] (and a Parquet
//! null). Parquet columns of numeric physical types are numbers; text columns follow the rule
//! above; other types (binary, nested, timestamps) are refused by name.
//!
//! The CSV reader streams the file in blocks of whole records (16 MiB), reads the next block
//! while threads parse the current one in pieces (rayon), and keeps only the columns asked for
//! ([`ReadOptions::columns`]). Numeric columns hold `f64` (8 bytes a cell), level codes 8
//! bytes, row lines a few bytes per file: memory is the typed columns plus two blocks.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::assemble::{Assembler, PieceSource};
use super::blocks::{Blocks, Cut, pieces};
use super::piece::{Layout, Mode, Piece, SpareVectors, parse_piece};
use super::table::Table;
use crate::{Error, Result};

/// Cell contents read as missing (after trimming white space).
pub const MISSING_TOKENS: &[&str] = &["", "NA", "N/A", "na", "n/a", "null", "NULL", "?"];

/// Options for [`read_csv`] and [`read_chunks`].
///
/// | field | default | meaning |
/// |---|---|---|
/// | `categorical` | none | columns read as categories even when their cells are numbers |
/// | `delimiter` | `b','` | field delimiter of a CSV file (`b';'`, `b'\t'`, …) |
/// | `decimal_comma` | `false` | numbers written `1,5` (a `.` in a number is then refused) |
/// | `columns` | all | the only columns to read, in file order (others are skipped) |
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Columns to read as categories even when their cells look like numbers.
    pub categorical: Vec<String>,
    /// The same where the file has them, and no error where it has not (a later sample that
    /// may lack a column only some of its uses read).
    pub categorical_if_present: Vec<String>,
    /// Field delimiter; `b','` by default.
    pub delimiter: u8,
    /// Read `,` as the decimal separator (European extracts, with `;` as the delimiter).
    pub decimal_comma: bool,
    /// Read only these columns (each must exist); `None` reads every column.
    pub columns: Option<Vec<String>>,
}

impl ReadOptions {
    /// Whether the column `name` is read as categories whatever its cells look like.
    pub(crate) fn forces_categorical(&self, name: &str) -> bool {
        self.categorical.iter().chain(&self.categorical_if_present).any(|c| c == name)
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            categorical: Vec::new(),
            categorical_if_present: Vec::new(),
            delimiter: b',',
            decimal_comma: false,
            columns: None,
        }
    }
}

/// Reads `path` into a [`Table`].
///
/// Errors: [`Error::Io`] (including a gzip stream cut short), [`Error::EmptyFile`],
/// [`Error::RaggedRow`], [`Error::Malformed`], [`Error::DuplicateColumn`],
/// [`Error::MissingColumn`] (a name in `categorical` or `columns` that is not in the header),
/// [`Error::InvalidValue`] for a bad cell in a numeric column, [`Error::Format`] for a
/// damaged Parquet file or a column type kd cannot read, [`Error::InvalidParameter`] for
/// contradictory options.
pub fn read_csv(path: &Path, options: &ReadOptions) -> Result<Table> {
    let mut chunks = read_chunks(path, options, usize::MAX)?;
    let table = chunks.next().unwrap_or_else(|| {
        Err(Error::EmptyFile { file: path.to_owned(), what: "the file has a header but no data rows" })
    })?;
    Ok(table)
}

/// Reads `path` as a sequence of tables of about `chunk_rows` rows each (whole CSV blocks or
/// Parquet row groups, so a chunk may be larger), with the same column types in every chunk;
/// memory stays bounded by one chunk. Each chunk's categorical levels are its own. Row `r` of
/// a chunk knows its file line ([`Table::line_of`]).
pub fn read_chunks(path: &Path, options: &ReadOptions, chunk_rows: usize) -> Result<Chunks> {
    check_options(options)?;
    if super::parquet::is_parquet(path) {
        return Ok(Chunks {
            inner: Inner::Parquet(super::parquet::ParquetChunks::open(path, options, chunk_rows)?),
        });
    }
    Ok(Chunks { inner: Inner::Csv(CsvChunks::open(path, options, chunk_rows)?) })
}

fn check_options(options: &ReadOptions) -> Result<()> {
    if options.decimal_comma && options.delimiter == b',' {
        return Err(crate::error::invalid_parameter(
            "delimiter",
            "with a decimal comma the field delimiter cannot also be ','; use ';' or a tab",
        ));
    }
    if matches!(options.delimiter, b'"' | b'\n' | b'\r') {
        return Err(crate::error::invalid_parameter(
            "delimiter",
            "a quote or a line break cannot be the delimiter",
        ));
    }
    Ok(())
}

/// The tables of a file, chunk by chunk (see [`read_chunks`]).
pub struct Chunks {
    inner: Inner,
}

enum Inner {
    Csv(CsvChunks),
    Parquet(super::parquet::ParquetChunks),
}

impl Iterator for Chunks {
    type Item = Result<Table>;
    fn next(&mut self) -> Option<Result<Table>> {
        match &mut self.inner {
            Inner::Csv(c) => c.next_table(),
            Inner::Parquet(p) => p.next_table(),
        }
    }
}

/// The columns to read: `(name, 1-based position, forced categorical)`, checked against the
/// header.
pub(crate) fn selected(
    file: &Path,
    header: &[String],
    options: &ReadOptions,
) -> Result<Vec<(String, usize, bool)>> {
    check_unique(file, header)?;
    let missing = |name: &String| Error::MissingColumn {
        file: file.to_owned(),
        name: name.clone(),
        available: header.join(", "),
    };
    for name in options.columns.iter().flatten().chain(&options.categorical) {
        if !header.contains(name) {
            return Err(missing(name));
        }
    }
    Ok(header
        .iter()
        .enumerate()
        .filter(|(_, name)| options.columns.as_ref().is_none_or(|c| c.contains(name)))
        .map(|(i, name)| (name.clone(), i + 1, options.forces_categorical(name)))
        .collect())
}

pub(crate) fn check_unique(path: &Path, names: &[String]) -> Result<()> {
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

/// How the pieces of one CSV file are parsed.
struct CsvLayout {
    file: std::path::PathBuf,
    delimiter: u8,
    decimal_comma: bool,
    width: usize,
    fields: Vec<usize>,
}

/// A CSV file read block by block.
struct CsvChunks {
    layout: CsvLayout,
    blocks: Blocks<Box<dyn Read + Send>>,
    assembler: Assembler,
    /// Line of the next block's first byte.
    next_line: u64,
    /// The first block, already read while reading the header.
    pending: Option<Vec<u8>>,
    chunk_rows: usize,
}

/// The file's bytes as a stream, gunzipped when its name ends in `.gz`; a corrupt or cut gzip
/// stream surfaces as an I/O error that says so.
fn open_stream(path: &Path) -> Result<Box<dyn Read + Send>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io { file: path.to_owned(), source })?;
    let file = std::io::BufReader::with_capacity(1 << 20, file);
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
        Ok(Box::new(GzipStream(flate2::read::MultiGzDecoder::new(file))))
    } else {
        Ok(Box::new(file))
    }
}

/// A gzip decoder whose errors say that the stream is damaged.
struct GzipStream<R>(flate2::read::MultiGzDecoder<R>);

impl<R: std::io::BufRead> Read for GzipStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            std::io::Error::new(e.kind(), format!("the gzip stream is corrupt or cut short ({e})"))
        })
    }
}

impl CsvChunks {
    fn open(path: &Path, options: &ReadOptions, chunk_rows: usize) -> Result<Self> {
        let io_error = |source| Error::Io { file: path.to_owned(), source };
        let mut blocks = Blocks::new(open_stream(path)?);
        let first = blocks.next_block().map_err(io_error)?.unwrap_or_default();
        let header_end = header_end(&first);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(options.delimiter)
            .from_reader(&first[..header_end]);
        let mut record = csv::StringRecord::new();
        let found = reader.read_record(&mut record).map_err(|e| super::piece::csv_error(path, 1, &e))?;
        let header: Vec<String> = record.iter().map(|f| f.trim().to_owned()).collect();
        if !found || header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(Error::EmptyFile { file: path.to_owned(), what: "the file is empty" });
        }
        if let [only] = header.as_slice()
            && let Some(&d) = [b';', b'\t', b'|', b',']
                .iter()
                .find(|&&d| d != options.delimiter && only.as_bytes().contains(&d))
        {
            let shown = if d == b'\t' { "tab".to_owned() } else { char::from(d).to_string() };
            return Err(Error::Format {
                file: path.to_owned(),
                reason: format!(
                    "the header reads as one column ('{only}'): the fields look separated by '{shown}'; \
                     give that delimiter (--delimiter '{shown}')"
                ),
            });
        }
        let columns = selected(path, &header, options)?;
        let fields = columns.iter().map(|c| c.1 - 1).collect();
        // Rows expected: the file's size over the first block's bytes per line (a little more,
        // so that the columns are allocated once); a gzipped file's size says nothing.
        let lines_seen = memchr::memchr_iter(b'\n', &first).count().max(1);
        let estimate =
            std::fs::metadata(path).map_or(0, |m| m.len() as usize) / first.len().div_ceil(lines_seen).max(1);
        let estimate = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
            0
        } else {
            estimate + estimate / 50 + 1024
        };
        let next_line = 1 + memchr::memchr_iter(b'\n', &first[..header_end]).count() as u64;
        Ok(Self {
            layout: CsvLayout {
                file: path.to_owned(),
                delimiter: options.delimiter,
                decimal_comma: options.decimal_comma,
                width: header.len(),
                fields,
            },
            blocks,
            assembler: Assembler::new(path, "line", columns, estimate.min(chunk_rows)),
            next_line,
            pending: Some({
                let mut rest = first;
                rest.drain(..header_end);
                rest
            }),
            chunk_rows,
        })
    }

    fn next_table(&mut self) -> Option<Result<Table>> {
        if self.assembler.is_done() {
            return None;
        }
        let filled = self.fill();
        self.assembler.next_chunk(filled)
    }

    /// Parses blocks until the chunk has `chunk_rows` rows or the file ends, reading the next
    /// block while the current one is parsed.
    fn fill(&mut self) -> Result<()> {
        let Self { layout, blocks, assembler, pending, next_line, chunk_rows } = self;
        let io_error = |source| Error::Io { file: layout.file.clone(), source };
        while assembler.n_rows() < *chunk_rows {
            let block = match pending.take() {
                Some(block) => block,
                None => match blocks.next_block().map_err(io_error)? {
                    Some(block) => block,
                    None => {
                        assembler.finish();
                        return Ok(());
                    }
                },
            };
            let cut = pieces(&block, PIECES_PER_THREAD * rayon::current_num_threads());
            let source = CsvBlock { layout, block: &block, cut: &cut, first_line: *next_line };
            let (ahead, absorbed) = rayon::join(|| blocks.next_block(), || assembler.absorb(&source));
            absorbed?;
            *next_line += cut.lines;
            blocks.recycle(block);
            match ahead.map_err(io_error)? {
                Some(next) => *pending = Some(next),
                None => {
                    assembler.finish();
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// Pieces a block is cut into for each thread: several, so that a thread whose pieces parse
/// faster takes over others' rather than waiting at the block's end.
const PIECES_PER_THREAD: usize = 6;

/// One block of a CSV file, parsed piece by piece on rayon's threads.
struct CsvBlock<'a> {
    layout: &'a CsvLayout,
    block: &'a [u8],
    cut: &'a Cut,
    first_line: u64,
}

impl PieceSource for CsvBlock<'_> {
    fn pieces(&self, modes: &[Option<Mode>], spare: &SpareVectors) -> Result<Vec<Piece>> {
        let wanted: Vec<usize> = (0..modes.len()).filter(|&c| modes[c].is_some()).collect();
        let fields: Vec<usize> = wanted.iter().map(|&c| self.layout.fields[c]).collect();
        let piece_modes: Vec<Mode> = wanted.iter().filter_map(|&c| modes[c]).collect();
        let layout = Layout {
            file: &self.layout.file,
            delimiter: self.layout.delimiter,
            decimal_comma: self.layout.decimal_comma,
            width: self.layout.width,
            fields: &fields,
        };
        let parsed: Vec<Result<Piece>> = self
            .cut
            .pieces
            .par_iter()
            .map(|(range, lines_before)| {
                let first_line = self.first_line + lines_before;
                parse_piece(&layout, &piece_modes, &self.block[range.clone()], first_line, spare)
            })
            .collect();
        parsed
            .into_iter()
            .map(|piece| {
                // Back to one entry per column of the assembler (unparsed ones left empty).
                let mut piece = piece?;
                let mut parsed = piece.columns.drain(..);
                let columns = modes
                    .iter()
                    .map(|m| match m {
                        Some(_) => parsed.next().unwrap_or(super::piece::PieceColumn::Text {
                            codes: Vec::new(),
                            levels: Vec::new(),
                        }),
                        None => super::piece::PieceColumn::Text { codes: Vec::new(), levels: Vec::new() },
                    })
                    .collect();
                drop(parsed);
                Ok(Piece { columns, lines: piece.lines })
            })
            .collect()
    }
}

/// One past the header record's line break (quotes respected).
fn header_end(block: &[u8]) -> usize {
    let mut inside = false;
    for (i, &b) in block.iter().enumerate() {
        match b {
            b'"' => inside = !inside,
            b'\n' if !inside => return i + 1,
            _ => {}
        }
    }
    block.len()
}
