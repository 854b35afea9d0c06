//! The CSI of `kd validate --chunk-rows`. The columns come from both files' first chunks (a
//! column in one file only is left out, as the rows' report leaves it out); the baseline is read
//! once more for their bins (its distinct values of each numeric column, 24 bytes each, or its
//! levels), then the current file's rows are counted into those bins chunk by chunk as its other
//! summaries are made, one count a bin or a level. A column's kind is its first chunk with a
//! value's (a column empty in the first chunks reads as numbers there); a column read as numbers
//! in one place and text in another is left out, with why. The figures equal the rows' report's
//! (`tests/cli_data.rs` checks them over many chunks).

use std::collections::BTreeMap;
use std::path::Path;

use kd::core::data::columns::{complete_rows, levels, numbers, rows_with_value};
use kd::core::data::{ColumnKind, Table, read_chunks};
use kd::hypotheses::validation::{ColumnBins, ScoreCounts, left_out, level_counts};

use super::Args;
use super::chunked::{chunk_rows, options};

/// The CSI's columns with their bins, and the columns left out with why.
pub struct ChunkedCsi {
    bins: BTreeMap<String, ColumnBins>,
    left_out: BTreeMap<String, String>,
}

/// What the baseline's rows of one column add up to, chunk by chunk.
enum Baseline {
    /// No value yet.
    Empty,
    /// Numbers: the chunks' distinct values, merged as they come ([`Merged`]).
    Numeric(Merged),
    /// Text: each level's rows.
    Levels(BTreeMap<String, usize>),
    /// Numbers in one chunk and text in another.
    Mixed,
}

/// Distinct values merged chunk by chunk: a stack of summaries in which two of the same rank
/// are merged into one of the next, so each value is merged about `log₂(chunks)` times rather
/// than once a chunk (merging each chunk into one growing summary costs chunks × distinct
/// values). Written here because the summaries of the score stay small (distinct PDs), where a
/// continuous column's need not.
#[derive(Default)]
struct Merged {
    stack: Vec<(u32, ScoreCounts)>,
}

impl Merged {
    fn push(&mut self, mut summary: ScoreCounts) {
        let mut rank = 0;
        while let Some((top, _)) = self.stack.last()
            && *top == rank
            && let Some((_, below)) = self.stack.pop()
        {
            summary.merge(&below);
            rank += 1;
        }
        self.stack.push((rank, summary));
    }

    fn finish(self) -> ScoreCounts {
        let mut all = ScoreCounts::default();
        self.stack.iter().for_each(|(_, s)| all.merge(s));
        all
    }
}

/// The column names of `path`'s first chunk.
fn names(path: &Path, args: &Args) -> anyhow::Result<Vec<String>> {
    let mut chunks = read_chunks(path, &options(args, None), chunk_rows(args))?;
    let Some(first) = chunks.next() else { return Ok(Vec::new()) };
    Ok(first?.columns().iter().map(|c| c.name.clone()).collect())
}

/// The kind of column `name` of `table`.
fn kind(table: &Table, name: &str) -> anyhow::Result<ColumnKind> {
    Ok(table.column(name)?.kind())
}

/// The rows of each level of categorical column `name` among `rows`, for the levels present.
fn level_rows(table: &Table, name: &str, rows: &[usize]) -> anyhow::Result<Vec<(String, usize)>> {
    let (codes, names) = levels(table, name, rows)?;
    let counts = level_counts(&codes, names.len(), name)?;
    Ok(names.into_iter().zip(counts).filter(|(_, n)| *n > 0).collect())
}

impl ChunkedCsi {
    /// The bins of every column both files hold, except those the report reads
    /// ([`csi_skipped`]), from the baseline's rows.
    ///
    /// [`csi_skipped`]: kd::hypotheses::validation::report::Request::csi_skipped
    pub fn from_baseline(args: &Args, baseline: &Path) -> anyhow::Result<Self> {
        let request = args.request();
        let skip = request.csi_skipped();
        let (ours, theirs) = (names(&args.data, args)?, names(baseline, args)?);
        let mut left = left_out::in_one_file(&ours, &theirs, &skip);
        let shared: Vec<String> =
            ours.into_iter().filter(|n| theirs.contains(n) && !skip.contains(&n.as_str())).collect();
        let mut sums: Vec<Baseline> = shared.iter().map(|_| Baseline::Empty).collect();
        if !shared.is_empty() {
            for chunk in read_chunks(baseline, &options(args, Some(shared.clone())), chunk_rows(args))? {
                let table = chunk?;
                for (name, sum) in shared.iter().zip(&mut sums) {
                    let rows = complete_rows(&table, &[name], true)?;
                    if rows.is_empty() {
                        continue;
                    }
                    add_baseline(sum, &table, name, &rows)?;
                }
            }
        }
        let binning = args.binning(10);
        let mut bins = BTreeMap::new();
        for (name, sum) in shared.into_iter().zip(sums) {
            match sum {
                Baseline::Empty => {
                    left.insert(name, left_out::EMPTY_BEFORE.to_owned());
                }
                Baseline::Mixed => {
                    left.insert(name, left_out::KINDS_DIFFER.to_owned());
                }
                Baseline::Numeric(merged) => {
                    bins.insert(name, ColumnBins::numeric(&merged.finish(), binning)?);
                }
                Baseline::Levels(counts) => {
                    bins.insert(name, ColumnBins::levels(counts));
                }
            }
        }
        Ok(ChunkedCsi { bins, left_out: left })
    }

    /// The columns whose current values are counted.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.bins.keys().map(String::as_str)
    }

    /// Counts the current chunk `table`'s `rows` (ascending) with a value in each column into
    /// its bins; a column read as the other kind than the baseline's is left out.
    pub fn count(&mut self, table: &Table, rows: &[usize]) -> anyhow::Result<()> {
        let mut differ = Vec::new();
        for (name, bins) in &mut self.bins {
            let present = rows_with_value(table, name, rows)?;
            if present.is_empty() {
                continue;
            }
            match (bins, kind(table, name)?) {
                (bins @ ColumnBins::Numeric { .. }, ColumnKind::Numeric) => {
                    bins.add_numbers(&numbers(table, name, &present)?)?;
                }
                (bins @ ColumnBins::Levels(_), ColumnKind::Categorical) => {
                    let counts = level_rows(table, name, &present)?;
                    bins.add_levels(counts.iter().map(|(level, n)| (level.as_str(), *n)))?;
                }
                _ => differ.push(name.clone()),
            }
        }
        for name in differ {
            self.bins.remove(&name);
            self.left_out.insert(name, left_out::KINDS_DIFFER.to_owned());
        }
        Ok(())
    }

    /// The bins counted and the columns left out with why.
    pub fn finish(self) -> (BTreeMap<String, ColumnBins>, BTreeMap<String, String>) {
        (self.bins, self.left_out)
    }
}

/// Adds the baseline chunk `table`'s `rows` of column `name` (each with a value) to `sum`.
fn add_baseline(sum: &mut Baseline, table: &Table, name: &str, rows: &[usize]) -> anyhow::Result<()> {
    let is_numeric = kind(table, name)? == ColumnKind::Numeric;
    if matches!(sum, Baseline::Empty) {
        *sum =
            if is_numeric { Baseline::Numeric(Merged::default()) } else { Baseline::Levels(BTreeMap::new()) };
    }
    match sum {
        Baseline::Numeric(merged) if is_numeric => {
            merged.push(ScoreCounts::from_values(&numbers(table, name, rows)?)?);
        }
        Baseline::Levels(counts) if !is_numeric => {
            for (level, n) in level_rows(table, name, rows)? {
                *counts.entry(level).or_default() += n;
            }
        }
        Baseline::Mixed => {}
        _ => *sum = Baseline::Mixed,
    }
    Ok(())
}
