//! Samples handed over in memory instead of the spec's files (the Python package's data frames):
//! read as a CSV file of the same cells would be, and fingerprinted by those cells written as
//! CSV, so that the report's provenance still pins down what was audited.

use std::io::Write;
use std::path::{Path, PathBuf};

use kd_core::data::{ReadOptions, Table, table_from_cells};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::report::InputFile;
use crate::samples::MakeTeacher;

/// What an audit may take from its caller's process instead of the spec: the model under
/// review and the samples.
#[derive(Default)]
pub struct InProcess<'a> {
    /// The model, built for the development sample's features; `model.teacher` then only
    /// names it.
    pub teacher: Option<MakeTeacher<'a>>,
    /// The development sample, replacing `data.development`.
    pub development: Option<Frame>,
    /// The later sample, replacing `data.current`.
    pub current: Option<Frame>,
}

/// A sample as cells: the column names and each column's cells as text (a missing cell empty
/// or one of kd's missing tokens), row `r` counted as line `r + 1` in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The column names.
    pub names: Vec<String>,
    /// `cells[j]`: column `j`'s cells, one per row.
    pub cells: Vec<Vec<String>>,
}

/// What the report calls a sample handed over in memory, in place of its file's path.
pub fn frame_label(role: &str) -> PathBuf {
    PathBuf::from(format!("<{role} frame>"))
}

/// Bytes written, passed on to a hasher.
struct Counted<'a> {
    hasher: &'a mut Sha256,
    bytes: u64,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Frame {
    /// The rows of the frame.
    pub fn n_rows(&self) -> usize {
        self.cells.first().map_or(0, Vec::len)
    }

    /// The provenance of the frame in `role`: the SHA-256 and size of its cells written as CSV
    /// (the header, then one line per row, fields quoted only where needed, `\n` line ends),
    /// under `label`.
    ///
    /// # Errors
    /// Columns of unequal lengths.
    pub(crate) fn fingerprint(&self, role: &'static str, label: &Path) -> Result<InputFile> {
        self.check(label)?;
        let mut hasher = Sha256::new();
        let mut counted = Counted { hasher: &mut hasher, bytes: 0 };
        {
            let mut writer =
                csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(&mut counted);
            let written = writer.write_record(&self.names).and_then(|()| {
                (0..self.n_rows())
                    .try_for_each(|r| writer.write_record(self.cells.iter().map(|c| c[r].as_str())))
            });
            written.and_then(|()| writer.flush().map_err(csv::Error::from)).map_err(|e| {
                Error::Input(kd_core::Error::InvalidParameter { name: role.into(), reason: e.to_string() })
            })?;
        }
        let bytes = counted.bytes;
        Ok(InputFile {
            role,
            path: label.display().to_string(),
            sha256: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            bytes,
        })
    }

    /// The frame as a table named `label` in messages, its columns read with `options` as a
    /// file's would be.
    ///
    /// # Errors
    /// As for a file: duplicate or missing columns, columns of unequal lengths, no rows, a bad
    /// cell of a numeric column.
    pub(crate) fn into_table(self, label: &Path, options: &ReadOptions) -> Result<Table> {
        let lines = (1..=self.n_rows() as u64).collect();
        table_from_cells(label, self.names, self.cells, lines, options).map_err(Error::Input)
    }

    fn check(&self, label: &Path) -> Result<()> {
        let n = self.n_rows();
        match self.cells.iter().position(|c| c.len() != n) {
            Some(j) => Err(Error::Input(kd_core::Error::RaggedRow {
                file: label.to_owned(),
                line: 1,
                expected: n,
                found: self.cells[j].len(),
            })),
            None if self.cells.len() != self.names.len() => {
                Err(Error::Input(kd_core::Error::ShapeMismatch {
                    context: format!("{}: column names and columns", label.display()),
                    expected: self.names.len().to_string(),
                    got: self.cells.len().to_string(),
                }))
            }
            None => Ok(()),
        }
    }
}
