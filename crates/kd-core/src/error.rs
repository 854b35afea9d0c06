//! The one error type of kd-core. Every variant says what is wrong in the user's terms: the file,
//! line and column of a bad cell, the parameter that is out of range, the teacher and batch that
//! misbehaved.

use std::path::PathBuf;

/// Errors from loading data, querying teachers and computing metrics.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file has no header or no data rows.
    #[error("{}: {what}", file.display())]
    EmptyFile {
        /// The file.
        file: PathBuf,
        /// "the file is empty" or "the file has a header but no data rows".
        what: &'static str,
    },
    /// A cell that cannot be used: unparsable number, NaN, infinity, missing value.
    #[error("{}, {} {line}, column {column} ('{name}'): {reason}", file.display(), row_word(file))]
    InvalidValue {
        /// The file.
        file: PathBuf,
        /// 1-based line in the file (the header is line 1); for a Parquet file, the 1-based row.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// The column's header.
        name: String,
        /// What is wrong with the cell.
        reason: String,
    },
    /// A row with a different number of fields than the header.
    #[error("{}, line {line}: the row has {found} fields, the header has {expected}", file.display())]
    RaggedRow {
        /// The file.
        file: PathBuf,
        /// 1-based line in the file.
        line: u64,
        /// Number of header fields.
        expected: usize,
        /// Number of fields in the row.
        found: usize,
    },
    /// A malformed CSV record (bad quoting, invalid UTF-8).
    #[error("{}, line {line}: {reason}", file.display())]
    Malformed {
        /// The file.
        file: PathBuf,
        /// 1-based line in the file.
        line: u64,
        /// What the CSV reader said.
        reason: String,
    },
    /// A file that cannot be read as its format says (a truncated or damaged Parquet file), or a
    /// column of a type kd cannot read.
    #[error("{}: {reason}", file.display())]
    Format {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A column named by the user is not in the file.
    #[error("{}: no column named '{name}' (the columns are: {available})", file.display())]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The name asked for.
        name: String,
        /// The header, comma separated.
        available: String,
    },
    /// The header names a column twice.
    #[error("{}: the header names column '{name}' twice (columns {first} and {second})", file.display())]
    DuplicateColumn {
        /// The file.
        file: PathBuf,
        /// The repeated name.
        name: String,
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the second occurrence.
        second: usize,
    },
    /// A classification target with one class only.
    #[error("{}: target '{target}' has a single class ('{class}'); classification needs at least two", file.display())]
    SingleClass {
        /// The file.
        file: PathBuf,
        /// The target column.
        target: String,
        /// The one class present.
        class: String,
    },
    /// Fewer rows than a method needs.
    #[error("{what} needs at least {needed} rows, got {found}")]
    TooFewRows {
        /// The method or step that needs the rows.
        what: String,
        /// Rows needed.
        needed: usize,
        /// Rows available.
        found: usize,
    },
    /// A parameter outside its valid range.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name as the user wrote it.
        name: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Arrays whose shapes do not fit together.
    #[error("shape mismatch in {context}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// Where the mismatch was found.
        context: String,
        /// The expected shape or length.
        expected: String,
        /// The shape or length given.
        got: String,
    },
    /// A teacher that crashed, timed out or returned unusable output.
    #[error("teacher '{teacher}', batch {batch}: {reason}")]
    Teacher {
        /// The teacher's spec.
        teacher: String,
        /// 0-based batch number (0 for teachers that are not batched).
        batch: usize,
        /// What went wrong.
        reason: String,
    },
    /// A chart that could not be drawn (plotters failed; drawing into a string fails only on a
    /// bug).
    #[error("cannot draw the chart: {reason}")]
    Draw {
        /// What plotters said.
        reason: String,
    },
    /// A libtorch operation that failed (a tensor of the wrong device, kind or shape for the
    /// operation, an allocation that libtorch refused).
    #[error("libtorch failed in {op}: {reason}")]
    Torch {
        /// The operation, in kd's words.
        op: String,
        /// What libtorch said.
        reason: String,
    },
    /// A training run whose loss stopped being a number.
    #[error("training diverged: the loss is {loss} at epoch {epoch}; lower the learning rate")]
    Diverged {
        /// 0-based epoch.
        epoch: usize,
        /// The loss met (NaN or infinite).
        loss: f64,
    },
    /// A saved model that cannot be read: another format, an unknown version, or values that
    /// do not fit together.
    #[error("cannot load the {format} model: {reason}")]
    Load {
        /// The format (`kd-mlp`).
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A teacher that only knows its outputs on the rows of a data file.
    #[error("teacher '{teacher}' cannot be queried at new points: {reason}")]
    TeacherNotQueryable {
        /// The teacher's spec.
        teacher: String,
        /// Why, and what to use instead.
        reason: String,
    },
    /// A recording that cannot be decoded or used (not PCM, a broken header, no samples, a
    /// name that does not carry its label).
    #[error("{}: {reason}", file.display())]
    Audio {
        /// The recording (for an archive entry: the archive's path joined with the entry's).
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Recordings of one corpus with different sample rates.
    #[error(
        "{}: sample rate {found} Hz, but {} has {expected} Hz; resample the recordings to one rate",
        file.display(),
        first.display()
    )]
    SampleRateMismatch {
        /// The recording whose rate differs.
        file: PathBuf,
        /// Its rate.
        found: u32,
        /// The first recording read.
        first: PathBuf,
        /// The first recording's rate.
        expected: u32,
    },
    /// An archive that cannot be read to its end (truncated, corrupt, not a tar file).
    #[error("{}: {reason}", file.display())]
    Archive {
        /// The archive.
        file: PathBuf,
        /// What is wrong, naming the last entry read.
        reason: String,
    },
}

/// How a file's rows are counted in messages: "row" for Parquet, "line" for text files.
fn row_word(file: &std::path::Path) -> &'static str {
    let parquet =
        file.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq"));
    if parquet { "row" } else { "line" }
}

/// `Result` with kd-core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Returns an [`Error::InvalidParameter`] built from a name and a reason.
pub(crate) fn invalid_parameter(name: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidParameter { name: name.into(), reason: reason.into() }
}

/// Checks that two lengths agree, naming the context otherwise ([`Error::ShapeMismatch`]).
pub fn ensure_same_len(context: &str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            context: context.to_owned(),
            expected: expected.to_string(),
            got: got.to_string(),
        })
    }
}
