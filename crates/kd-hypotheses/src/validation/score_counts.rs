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
        let mut pairs: Vec<(f64, bool)> =
            score.iter().map(|&s| s + 0.0).zip(outcome.iter().copied()).collect();
        radsort::sort_by_key(&mut pairs, |p| p.0);
        let mut out = Self::default();
        for (s, y) in pairs {
            if out.values.last() != Some(&s) {
                out.values.push(s);
                out.defaults.push(0);
                out.others.push(0);
            }
            let last = out.values.len() - 1;
            if y {
                out.defaults[last] += 1;
            } else {
                out.others[last] += 1;
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
