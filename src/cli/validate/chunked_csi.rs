//! The CSI of `kd validate --chunk-rows`: the columns the two files share (kinds from each
//! file's first chunk), the baseline read once for their bins (its distinct values of each
//! numeric column, its levels of each categorical one), then the current file's rows counted
//! into those bins chunk by chunk as its other summaries are made, so the current file adds one
//! count a bin or a level. The figures equal those of the rows' report.

use std::collections::BTreeMap;
use std::path::Path;

use kd::core::data::columns::{complete_rows, levels, numbers};
use kd::core::data::{ColumnKind, ReadOptions, Table, read_chunks};
use kd::hypotheses::validation::{ColumnBins, ScoreCounts};

use super::Args;

/// The CSI's columns with their bins, and those without a value in the baseline.
pub struct ChunkedCsi {
    bins: BTreeMap<String, ColumnBins>,
    without_values: Vec<String>,
}

/// What the baseline's rows of one column add up to.
enum Baseline {
    Numeric(ScoreCounts),
    Levels(BTreeMap<String, usize>),
}

/// The reading options of `args`' files for `columns` (all of them with `None`).
fn options(args: &Args, columns: Option<Vec<String>>) -> ReadOptions {
    args.file_format.options(args.request().label_columns(), columns)
}

/// How many rows a chunk holds at most.
pub fn chunk_rows(args: &Args) -> usize {
    args.chunk_rows.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Each column of `path`'s first chunk with its kind.
fn kinds(path: &Path, args: &Args) -> anyhow::Result<BTreeMap<String, ColumnKind>> {
    let mut chunks = read_chunks(path, &options(args, None), chunk_rows(args))?;
    let Some(first) = chunks.next() else { return Ok(BTreeMap::new()) };
    Ok(first?.columns().iter().map(|c| (c.name.clone(), c.kind())).collect())
}

impl ChunkedCsi {
    /// The bins of every column of the current file that `baseline` shares, of the same kind,
    /// except those the report reads ([`csi_skipped`]), from the baseline's rows.
    ///
    /// [`csi_skipped`]: kd::hypotheses::validation::report::Request::csi_skipped
    pub fn from_baseline(args: &Args, baseline: &Path) -> anyhow::Result<Self> {
        let request = args.request();
        let skip = request.csi_skipped();
        let theirs = kinds(baseline, args)?;
        let shared: Vec<(String, ColumnKind)> = kinds(&args.data, args)?
            .into_iter()
            .filter(|(name, kind)| !skip.contains(&name.as_str()) && theirs.get(name) == Some(kind))
            .collect();
        let mut sums: Vec<Baseline> = shared
            .iter()
            .map(|(_, kind)| match kind {
                ColumnKind::Numeric => Baseline::Numeric(ScoreCounts::default()),
                ColumnKind::Categorical => Baseline::Levels(BTreeMap::new()),
            })
            .collect();
        let names: Vec<String> = shared.iter().map(|(name, _)| name.clone()).collect();
        if !names.is_empty() {
            for chunk in read_chunks(baseline, &options(args, Some(names.clone())), chunk_rows(args))? {
                let table = chunk?;
                for (name, sum) in names.iter().zip(&mut sums) {
                    let rows = complete_rows(&table, &[name], true)?;
                    match sum {
                        Baseline::Numeric(s) => {
                            s.merge(&ScoreCounts::from_values(&numbers(&table, name, &rows)?)?)
                        }
                        Baseline::Levels(counts) => {
                            for (level, n) in level_counts(&table, name, &rows)? {
                                *counts.entry(level).or_default() += n;
                            }
                        }
                    }
                }
            }
        }
        let binning = args.binning(10);
        let mut out = ChunkedCsi { bins: BTreeMap::new(), without_values: Vec::new() };
        for (name, sum) in names.into_iter().zip(sums) {
            match sum {
                Baseline::Numeric(s) if s.n() == 0 => out.without_values.push(name),
                Baseline::Numeric(s) => {
                    out.bins.insert(name, ColumnBins::numeric(&s, binning)?);
                }
                Baseline::Levels(counts) if counts.is_empty() => out.without_values.push(name),
                Baseline::Levels(counts) => {
                    out.bins.insert(name, ColumnBins::levels(counts));
                }
            }
        }
        Ok(out)
    }

    /// The columns whose current values are counted.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.bins.keys().map(String::as_str)
    }

    /// Counts the current chunk `table`'s `rows` (ascending) into each column's bins, the
    /// rows with a value in the column.
    pub fn count(&mut self, table: &Table, rows: &[usize]) -> anyhow::Result<()> {
        for (name, bins) in &mut self.bins {
            let present: Vec<usize> = complete_rows(table, &[name], true)?
                .into_iter()
                .filter(|r| rows.binary_search(r).is_ok())
                .collect();
            match bins {
                ColumnBins::Numeric { .. } => bins.add_numbers(&numbers(table, name, &present)?)?,
                ColumnBins::Levels(_) => {
                    let counts = level_counts(table, name, &present)?;
                    bins.add_levels(counts.iter().map(|(level, n)| (level.as_str(), *n)))?;
                }
            }
        }
        Ok(())
    }

    /// The bins counted and the columns without a value in the baseline.
    pub fn finish(self) -> (BTreeMap<String, ColumnBins>, Vec<String>) {
        (self.bins, self.without_values)
    }
}

/// The rows of each level of categorical column `name` among `rows`, for the levels present.
fn level_counts(table: &Table, name: &str, rows: &[usize]) -> anyhow::Result<Vec<(String, usize)>> {
    let (codes, names) = levels(table, name, rows)?;
    let mut counts = vec![0usize; names.len()];
    codes.iter().for_each(|&c| counts[c] += 1);
    Ok(names.into_iter().zip(counts).filter(|(_, n)| *n > 0).collect())
}
