//! The CSI of one column from summaries (`kd validate --chunk-rows`): the baseline, summarised
//! first, fixes the bins; the current sample is then counted into them chunk by chunk, so it
//! takes one count a bin (or a level) whatever its size. The figure equals
//! [`psi_numeric`](super::psi_numeric) over the rows for a numeric column (the baseline's
//! distinct values give the same cut points, [`psi_cuts`]) and the CSI of a categorical column
//! over the union of both samples' levels, sorted, as the rows' report computes it.

use std::collections::BTreeMap;

use kd_core::quantile::{Binning, group_of};

use super::merged::{counts_in, psi_cuts};
use super::score_counts::ScoreCounts;
use super::{Psi, psi_from_counts};
use crate::error::{Result, ensure_finite, invalid_parameter};

/// One column's bins and both samples' counts in them.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnBins {
    /// A numeric column: bin `k` holds the values in `(cuts[k−1], cuts[k]]`.
    Numeric {
        /// The baseline's cut points, ascending ([`psi_cuts`]).
        cuts: Vec<f64>,
        /// The baseline's rows in each bin.
        baseline: Vec<usize>,
        /// The current sample's rows in each bin, counted so far.
        current: Vec<usize>,
    },
    /// A categorical column: each level's rows in the baseline and in the current sample.
    Levels(BTreeMap<String, (usize, usize)>),
}

impl ColumnBins {
    /// The bins of a numeric column whose baseline values are summarised in `baseline`, by
    /// `binning`, with no current rows yet.
    ///
    /// # Errors
    /// An empty baseline, or fewer than 2 groups.
    pub fn numeric(baseline: &ScoreCounts, binning: Binning) -> Result<Self> {
        let cuts = psi_cuts(baseline, binning)?;
        let counts = counts_in(&cuts, baseline);
        Ok(ColumnBins::Numeric { current: vec![0; counts.len()], cuts, baseline: counts })
    }

    /// The levels of a categorical column with the baseline's rows of each, with no current
    /// rows yet.
    pub fn levels(baseline: BTreeMap<String, usize>) -> Self {
        ColumnBins::Levels(baseline.into_iter().map(|(level, n)| (level, (n, 0))).collect())
    }

    /// Counts current `values` of a numeric column into its bins.
    ///
    /// # Errors
    /// A value that is not finite, or a categorical column.
    pub fn add_numbers(&mut self, values: &[f64]) -> Result<()> {
        ensure_finite("current", values)?;
        match self {
            ColumnBins::Numeric { cuts, current, .. } => {
                values.iter().for_each(|&v| current[group_of(cuts, v)] += 1);
                Ok(())
            }
            ColumnBins::Levels(_) => {
                Err(invalid_parameter("column", "numbers given for a categorical column"))
            }
        }
    }

    /// Adds current rows of a categorical column: `(level, rows)` pairs (a level the baseline
    /// lacks is added).
    ///
    /// # Errors
    /// A numeric column.
    pub fn add_levels<'a>(&mut self, counts: impl IntoIterator<Item = (&'a str, usize)>) -> Result<()> {
        match self {
            ColumnBins::Levels(levels) => {
                for (level, n) in counts {
                    match levels.get_mut(level) {
                        Some((_, now)) => *now += n,
                        None => {
                            levels.insert(level.to_owned(), (0, n));
                        }
                    }
                }
                Ok(())
            }
            ColumnBins::Numeric { .. } => {
                Err(invalid_parameter("column", "levels given for a numeric column"))
            }
        }
    }

    /// The rows counted in the baseline and in the current sample.
    pub fn rows(&self) -> (usize, usize) {
        match self {
            ColumnBins::Numeric { baseline, current, .. } => (baseline.iter().sum(), current.iter().sum()),
            ColumnBins::Levels(levels) => levels.values().fold((0, 0), |(b, c), (x, y)| (b + x, c + y)),
        }
    }

    /// The column's PSI over its bins (or levels, sorted), the current sample as counted.
    ///
    /// # Errors
    /// A sample with no rows ([`rows`](Self::rows) says which).
    pub fn psi(&self) -> Result<Psi> {
        match self {
            ColumnBins::Numeric { cuts, baseline, current } => {
                Ok(Psi { cuts: cuts.clone(), ..psi_from_counts(baseline, current)? })
            }
            ColumnBins::Levels(counts) => {
                let (before, now): (Vec<usize>, Vec<usize>) = counts.values().copied().unzip();
                psi_from_counts(&before, &now)
            }
        }
    }
}
