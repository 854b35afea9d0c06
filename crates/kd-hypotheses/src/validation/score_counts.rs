//! A sample of scores with outcomes as a mergeable summary: its distinct scores, ascending,
//! with the defaults and non-defaults at each. Two summaries merge by merging their sorted
//! tables, and the merge of partitions' summaries is the summary of their union, exactly:
//! counts are integers, the scores are the rows' own values. Every rank statistic (AUROC and
//! DeLong's variance, KS, quantile groups) is a function of this table, so the figures of a
//! portfolio processed in chunks or on a cluster's partitions equal those of one pass.
//!
//! Size: 24 bytes per distinct score (PDs from a rating model or rounded to basis points have
//! a few thousand; a continuous score at full precision has up to one per row).

use serde::{Deserialize, Serialize};

use crate::error::{Result, ensure_finite, ensure_len};

/// Distinct scores with their counts of defaults and non-defaults (see the module).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreCounts {
    /// Distinct scores, ascending (`-0.0` stored as `0.0`).
    values: Vec<f64>,
    /// Defaults at each score.
    defaults: Vec<u64>,
    /// Non-defaults at each score.
    others: Vec<u64>,
}

impl ScoreCounts {
    /// The summary of `score` with `outcome` (true = default).
    pub fn from_rows(outcome: &[bool], score: &[f64]) -> Result<Self> {
        ensure_len("outcome and score", outcome.len(), score.len())?;
        ensure_finite("score", score)?;
        // Each class's scores sorted on their own and walked together: two f64 copies (8 bytes
        // a row) rather than (score, outcome) pairs (16 bytes a row, and as much again for the
        // radix sort's buffer). `+ 0.0` makes −0 and 0 one score.
        let m = outcome.iter().filter(|y| **y).count();
        let class = |default: bool, size: usize| -> Vec<f64> {
            let mut v = Vec::with_capacity(size);
            v.extend(score.iter().zip(outcome).filter(|(_, y)| **y == default).map(|(&s, _)| s + 0.0));
            radsort::sort(&mut v);
            v
        };
        let (bad, good) = (class(true, m), class(false, outcome.len() - m));
        let mut out = Self::default();
        let (mut i, mut j) = (0, 0);
        loop {
            let value = match (bad.get(i), good.get(j)) {
                (Some(&a), Some(&b)) => a.min(b),
                (Some(&a), None) => a,
                (None, Some(&b)) => b,
                (None, None) => break,
            };
            let d = bad[i..].iter().take_while(|&&s| s == value).count();
            let o = good[j..].iter().take_while(|&&s| s == value).count();
            out.values.push(value);
            out.defaults.push(d as u64);
            out.others.push(o as u64);
            (i, j) = (i + d, j + o);
        }
        Ok(out)
    }

    /// The summary of groups of obligors (a grade table): group `i` holds `defaults[i]`
    /// defaults and `others[i]` non-defaults, all at `score[i]`. Equal to
    /// [`from_rows`](Self::from_rows) of the groups written out a row per obligor.
    pub fn from_groups(score: &[f64], defaults: &[u64], others: &[u64]) -> Result<Self> {
        ensure_len("scores and defaults", score.len(), defaults.len())?;
        ensure_len("scores and non-defaults", score.len(), others.len())?;
        ensure_finite("score", score)?;
        let mut groups: Vec<(f64, u64, u64)> =
            score.iter().zip(defaults).zip(others).map(|((&s, &d), &o)| (s + 0.0, d, o)).collect();
        groups.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = Self::default();
        for (value, d, o) in groups {
            if out.values.last() == Some(&value) {
                let last = out.values.len() - 1;
                out.defaults[last] += d;
                out.others[last] += o;
            } else if d + o > 0 {
                out.values.push(value);
                out.defaults.push(d);
                out.others.push(o);
            }
        }
        Ok(out)
    }

    /// The summary of values without outcomes (a baseline sample, a column for its CSI): every
    /// value counts as a non-default.
    pub fn from_values(values: &[f64]) -> Result<Self> {
        Self::from_rows(&vec![false; values.len()], values)
    }

    /// Adds `other`'s rows: the summary of both samples together.
    pub fn merge(&mut self, other: &ScoreCounts) {
        let n = self.values.len() + other.values.len();
        let mut merged = Self {
            values: Vec::with_capacity(n),
            defaults: Vec::with_capacity(n),
            others: Vec::with_capacity(n),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.values.len() || j < other.values.len() {
            let take_self =
                j >= other.values.len() || (i < self.values.len() && self.values[i] <= other.values[j]);
            let take_other =
                i >= self.values.len() || (j < other.values.len() && other.values[j] <= self.values[i]);
            let value = if take_self { self.values[i] } else { other.values[j] };
            let (mut d, mut o) = (0, 0);
            if take_self {
                d += self.defaults[i];
                o += self.others[i];
                i += 1;
            }
            if take_other {
                d += other.defaults[j];
                o += other.others[j];
                j += 1;
            }
            merged.values.push(value);
            merged.defaults.push(d);
            merged.others.push(o);
        }
        *self = merged;
    }

    /// Distinct scores, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
    /// Defaults at each distinct score.
    pub fn defaults(&self) -> &[u64] {
        &self.defaults
    }
    /// Non-defaults at each distinct score.
    pub fn others(&self) -> &[u64] {
        &self.others
    }
    /// Rows at each distinct score.
    pub fn counts(&self) -> Vec<u64> {
        self.defaults.iter().zip(&self.others).map(|(d, o)| d + o).collect()
    }
    /// Number of rows.
    pub fn n(&self) -> u64 {
        self.n_defaults() + self.others.iter().sum::<u64>()
    }
    /// Number of defaults.
    pub fn n_defaults(&self) -> u64 {
        self.defaults.iter().sum()
    }
    /// The summary split at inner cut points `cuts` (ascending): one summary per group
    /// `#{c ∈ cuts : c < score}` (see `kd_core::quantile::group_of`).
    pub fn split(&self, cuts: &[f64]) -> Vec<ScoreCounts> {
        let mut out = vec![ScoreCounts::default(); cuts.len() + 1];
        for ((&v, &d), &o) in self.values.iter().zip(&self.defaults).zip(&self.others) {
            let g = &mut out[kd_core::quantile::group_of(cuts, v)];
            g.values.push(v);
            g.defaults.push(d);
            g.others.push(o);
        }
        out
    }

    /// Bytes the summary holds (its three columns).
    pub fn bytes(&self) -> usize {
        self.values.len() * 24
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_equal_their_rows_written_out() -> Result<()> {
        // Groups out of order, one score twice, an empty group, −0 beside 0.
        let (score, defaults, others) =
            ([0.3, 0.1, 0.3, 0.2, -0.0, 0.0], [1, 0, 2, 0, 1, 0], [4, 3, 0, 0, 2, 1]);
        let (mut outcome, mut rows) = (Vec::new(), Vec::new());
        for ((&s, &d), &o) in score.iter().zip(&defaults).zip(&others) {
            outcome
                .extend(std::iter::repeat_n(true, d as usize).chain(std::iter::repeat_n(false, o as usize)));
            rows.extend(std::iter::repeat_n(s, (d + o) as usize));
        }
        assert_eq!(
            ScoreCounts::from_groups(&score, &defaults, &others)?,
            ScoreCounts::from_rows(&outcome, &rows)?
        );
        assert!(ScoreCounts::from_groups(&[f64::NAN], &[0], &[1]).is_err());
        assert!(ScoreCounts::from_groups(&[0.1], &[0, 1], &[1]).is_err());
        Ok(())
    }
}
