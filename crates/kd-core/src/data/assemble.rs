//! Pieces into typed columns: each column's type is decided by its first non-missing cell (a
//! number makes it numeric), every later cell of a numeric column must be a finite number, and
//! the levels of a text column are gathered over the pieces and sorted at the end.
//!
//! Pieces are parsed speculatively as numbers while a column's type is unknown; when a block
//! shows the column to be text, that block is parsed again as text for that column (once per
//! text column: later blocks are parsed as text straight away).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::iter::ParallelExtend;

use super::cells::refusal;
use super::lines::LineMap;
use super::piece::{Mode, Piece, PieceColumn, SpareVectors};
use super::table::{Column, ColumnData, Table};
use crate::{Error, Result};

/// What is known of a column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Every cell so far is missing.
    Undecided,
    /// Numbers; the first value is on this line (row of a Parquet file).
    Numeric { first_line: u64 },
    /// Categories.
    Text,
}

/// One column being assembled.
struct Slot {
    name: String,
    /// 1-based position in the file.
    position: usize,
    kind: Kind,
    numbers: Vec<f64>,
    codes: Vec<Option<u32>>,
    levels: Vec<String>,
    index: HashMap<String, u32>,
}

/// Parses the current block's pieces with one [`Mode`] per column (`None`: not needed).
pub(crate) trait PieceSource {
    /// The pieces of the block, in order, their number vectors taken from `spare`.
    fn pieces(&self, modes: &[Option<Mode>], spare: &SpareVectors) -> Result<Vec<Piece>>;
}

/// The columns of a file, filled block by block.
pub(crate) struct Assembler {
    file: PathBuf,
    /// `"line"` for text files, `"row"` for Parquet.
    row_word: &'static str,
    slots: Vec<Slot>,
    lines: LineMap,
    /// The pieces' number vectors, kept between blocks.
    spare: SpareVectors,
    /// Whether a chunk has been handed out.
    yielded: bool,
    /// Whether the source is spent or failed: no chunk follows.
    done: bool,
}

impl Assembler {
    /// Columns `names` at 1-based file positions `positions`; `text[i]` forces column `i` to be
    /// categorical; `rows` is a capacity hint.
    pub(crate) fn new(
        file: &Path,
        row_word: &'static str,
        columns: Vec<(String, usize, bool)>,
        rows: usize,
    ) -> Self {
        let slots = columns
            .into_iter()
            .map(|(name, position, text)| Slot {
                name,
                position,
                kind: if text { Kind::Text } else { Kind::Undecided },
                numbers: if text { Vec::new() } else { Vec::with_capacity(rows) },
                codes: Vec::new(),
                levels: Vec::new(),
                index: HashMap::new(),
            })
            .collect();
        Self {
            file: file.to_owned(),
            row_word,
            slots,
            lines: LineMap::default(),
            spare: SpareVectors::default(),
            yielded: false,
            done: false,
        }
    }

    /// Number of rows so far.
    pub(crate) fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// Parses one block from `source` and appends its rows.
    pub(crate) fn absorb(&mut self, source: &dyn PieceSource) -> Result<()> {
        let modes: Vec<Option<Mode>> = self
            .slots
            .iter()
            .map(|s| Some(if s.kind == Kind::Text { Mode::Text } else { Mode::Numbers }))
            .collect();
        let mut pieces = source.pieces(&modes, &self.spare)?;
        let mut again = vec![None; self.slots.len()];
        for (c, slot) in self.slots.iter_mut().enumerate() {
            if slot.kind == Kind::Text {
                continue;
            }
            if slot.kind == Kind::Undecided {
                slot.kind = decide(&pieces, c);
                if slot.kind == Kind::Text {
                    again[c] = Some(Mode::Text);
                    continue;
                }
                if slot.kind != Kind::Undecided {
                    touch_capacity(&mut slot.numbers);
                }
            }
            if let Kind::Numeric { first_line } = slot.kind {
                check_numbers(&self.file, self.row_word, slot, &pieces, c, first_line)?;
            }
        }
        if again.iter().any(Option::is_some) {
            let reparsed = source.pieces(&again, &self.spare)?;
            for (piece, mut fresh) in pieces.iter_mut().zip(reparsed) {
                for (c, mode) in again.iter().enumerate() {
                    if mode.is_some() {
                        piece.columns[c] = std::mem::replace(
                            &mut fresh.columns[c],
                            PieceColumn::Text { codes: Vec::new(), levels: Vec::new() },
                        );
                    }
                }
            }
        }
        for piece in pieces {
            let rows = piece.lines.len();
            for (slot, column) in self.slots.iter_mut().zip(piece.columns) {
                if let Some(spent) = slot.append(column, rows) {
                    self.spare.give(spent);
                }
            }
            self.lines.extend(&piece.lines);
        }
        Ok(())
    }

    /// Whether the source is spent or failed, so that a reader stops asking it.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// Marks the source as spent: the rows held are the last chunk.
    pub(crate) fn finish(&mut self) {
        self.done = true;
    }

    /// The chunk a reader hands out after `filled`, its attempt to fill this assembler: the
    /// error (and nothing after it), the rows held, or nothing once a chunk was handed out and
    /// no rows came. The first chunk is taken even without rows, so that a file with a header
    /// and no rows is an error (from [`Assembler::take`]).
    pub(crate) fn next_chunk(&mut self, filled: Result<()>) -> Option<Result<Table>> {
        if let Err(e) = filled {
            self.done = true;
            return Some(Err(e));
        }
        if self.n_rows() == 0 && self.yielded {
            return None;
        }
        self.yielded = true;
        Some(self.take())
    }

    /// The rows so far as a [`Table`] (an error when there are none), leaving the column types
    /// for the next blocks and no rows.
    pub(crate) fn take(&mut self) -> Result<Table> {
        if self.lines.len() == 0 {
            return Err(Error::EmptyFile {
                file: self.file.clone(),
                what: "the file has a header but no data rows",
            });
        }
        let columns = self
            .slots
            .iter_mut()
            .map(|slot| Column { name: slot.name.clone(), position: slot.position, data: slot.take() })
            .collect();
        Ok(Table { file: self.file.clone(), columns, lines: std::mem::take(&mut self.lines) })
    }
}

/// Brings the pages of `values`' spare room into memory, touched by every thread in parallel,
/// once a column is known to hold numbers (a text column's room is never touched). Left to the
/// serial copy of the pieces into the columns, the kernel's first-touch page faults (zeroing
/// each fresh page) were over half of a large numeric file's faults and ran on one thread.
fn touch_capacity(values: &mut Vec<f64>) {
    let len = values.len();
    let room = values.capacity() - len;
    values.par_extend(rayon::iter::repeat_n(0.0, room));
    values.truncate(len);
}

/// The type shown by the first piece holding a non-missing cell of column `c`.
fn decide(pieces: &[Piece], c: usize) -> Kind {
    for piece in pieces {
        if let PieceColumn::Numbers { first: Some((row, is_number)), .. } = &piece.columns[c] {
            return if *is_number {
                Kind::Numeric { first_line: piece.lines.line(*row) }
            } else {
                Kind::Text
            };
        }
    }
    Kind::Undecided
}

fn check_numbers(
    file: &Path,
    row_word: &str,
    slot: &Slot,
    pieces: &[Piece],
    c: usize,
    first_line: u64,
) -> Result<()> {
    for piece in pieces {
        if let PieceColumn::Numbers { bad: Some(bad), .. } = &piece.columns[c] {
            return Err(Error::InvalidValue {
                file: file.to_owned(),
                line: piece.lines.line(bad.row),
                column: slot.position,
                name: slot.name.clone(),
                reason: refusal(&bad.text, bad.kind, first_line, row_word),
            });
        }
    }
    Ok(())
}

impl Slot {
    /// Appends a piece's column; a number vector whose values were copied comes back, for
    /// the next pieces.
    fn append(&mut self, column: PieceColumn, rows: usize) -> Option<Vec<f64>> {
        match column {
            PieceColumn::Numbers { values, .. } if self.kind != Kind::Text => {
                if self.numbers.is_empty() && self.numbers.capacity() < values.len() {
                    // No room reserved (a gzipped file, or a new chunk): take the piece's vector.
                    self.numbers = values;
                    None
                } else {
                    self.numbers.extend_from_slice(&values);
                    Some(values)
                }
            }
            // All missing until now: the column turned out to be text.
            PieceColumn::Numbers { values, .. } => {
                self.codes.resize(self.codes.len() + rows, None);
                Some(values)
            }
            PieceColumn::Text { codes, levels } => {
                if self.codes.is_empty() && !self.numbers.is_empty() {
                    // Earlier blocks held only missing cells.
                    self.codes = vec![None; self.numbers.len()];
                    self.numbers = Vec::new();
                }
                let global: Vec<u32> = levels
                    .into_iter()
                    .map(|level| {
                        let next = self.levels.len() as u32;
                        *self.index.entry(level).or_insert_with_key(|l| {
                            self.levels.push(l.clone());
                            next
                        })
                    })
                    .collect();
                self.codes.extend(codes.into_iter().map(|c| c.map(|c| global[c as usize])));
                None
            }
        }
    }

    /// The column's cells so far, leaving it empty.
    fn take(&mut self) -> ColumnData {
        match self.kind {
            Kind::Text => {
                self.index.clear();
                sorted_levels(std::mem::take(&mut self.levels), std::mem::take(&mut self.codes))
            }
            _ => {
                let mut values = std::mem::take(&mut self.numbers);
                values.shrink_to_fit();
                ColumnData::Numeric(values)
            }
        }
    }
}

/// Levels sorted numerically when they all parse as numbers, lexicographically otherwise, and
/// the codes renumbered to match.
fn sorted_levels(levels: Vec<String>, mut codes: Vec<Option<u32>>) -> ColumnData {
    let numbers: Option<Vec<f64>> = levels.iter().map(|l| l.parse::<f64>().ok()).collect();
    let mut order: Vec<usize> = (0..levels.len()).collect();
    match numbers {
        Some(numbers) => {
            order.sort_by(|&a, &b| numbers[a].total_cmp(&numbers[b]).then(levels[a].cmp(&levels[b])))
        }
        None => order.sort_by(|&a, &b| levels[a].cmp(&levels[b])),
    }
    let mut new_code = vec![0u32; levels.len()];
    for (new, &old) in order.iter().enumerate() {
        new_code[old] = new as u32;
    }
    codes.iter_mut().flatten().for_each(|c| *c = new_code[*c as usize]);
    codes.shrink_to_fit();
    let mut levels: Vec<Option<String>> = levels.into_iter().map(Some).collect();
    let levels = order.iter().map(|&i| levels[i].take().unwrap_or_default()).collect();
    ColumnData::Categorical { levels, codes }
}
