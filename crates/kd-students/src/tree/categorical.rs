//! Level-set splits of categorical features: rows whose level is in a set go left.
//!
//! With `L` levels there are `2^(L−1) − 1` partitions. Fisher (1958) and Breiman et al. (1984,
//! §9.4) show that for squared error on one output and for two classes (Gini or entropy) the
//! best one is among the `L − 1` partitions of the levels sorted by their mean target (the share
//! of class 1): kd sorts and scans those, so the search is exact there (checked against an
//! exhaustive search in tests/categorical.rs and in tests/golden/categorical_tree). For several
//! outputs (soft targets, `k > 2` classes) no such theorem holds; kd sorts the levels by their
//! projection on the first principal direction of the count-weighted level means, the heuristic
//! of Coppersmith, Hong & Hosking (1999, *Partitioning nominal attributes in decision trees*).
//! For soft targets `[1 − p, p]` of a binary teacher that direction is `(−1, 1)`, so the
//! search is again exact. (LightGBM and scikit-learn's `HistGradientBoosting*` sort by the
//! gradient ratio of each tree's one output, with smoothing and a minimum level support that
//! kd does not apply.)

use ndarray::{Array2, ArrayView1, ArrayView2};
use ndarray_linalg::{Eigh, UPLO};
use serde::{Deserialize, Serialize};

use super::params::Criterion;
use super::stats::Stats;

/// A split on the level codes of a categorical feature.
///
/// `left` and `right` hold the levels of the node's training rows on each side. A level in
/// neither (one the node never saw, or a code beyond the feature's levels) goes to the child
/// that had more training rows — `unseen_left` records which — as scikit-learn's
/// `HistGradientBoosting*` routes categories it did not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelSplit {
    /// Level codes that go left, ascending.
    pub left: Vec<usize>,
    /// Level codes that go right, ascending.
    pub right: Vec<usize>,
    /// Whether other levels go left (the left child had at least as many training rows).
    pub unseen_left: bool,
}

impl LevelSplit {
    /// Whether a row with level code `value` goes left.
    pub fn goes_left(&self, value: f64) -> bool {
        let code = (value >= 0.0 && value.fract() == 0.0).then_some(value as usize);
        match code {
            Some(c) if self.left.binary_search(&c).is_ok() => true,
            Some(c) if self.right.binary_search(&c).is_ok() => false,
            _ => self.unseen_left,
        }
    }
}

/// A level-set split found for one node.
pub struct FoundLevelSplit {
    /// [`Stats::proxy`] of the split, comparable with threshold splits of the same node.
    pub proxy: f64,
    pub levels: LevelSplit,
    /// Where the node's rows with a missing level went, `None` when it had none.
    pub missing_left: Option<bool>,
    pub left: Stats,
    pub right: Stats,
}

/// The best level-set split of `rows` on the codes in column `codes` (`n_levels` levels, NaN
/// for a missing one); `None` when fewer than two levels occur or no partition keeps
/// `min_leaf` rows on each side. Missing values are searched as one more level, so they join
/// the side whose rows they resemble.
pub fn best_level_split(
    codes: ArrayView1<'_, f64>,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    criterion: Criterion,
    min_leaf: usize,
    n_levels: usize,
) -> Option<FoundLevelSplit> {
    // Codes were checked to be integers in 0..n_levels (or NaN) before growth; code
    // `n_levels` stands for a missing level.
    let mut histogram = vec![Stats::empty(y.ncols()); n_levels + 1];
    for &r in rows {
        let code = if codes[r].is_nan() { n_levels } else { codes[r] as usize };
        histogram[code].add(y.row(r));
    }
    let present: Vec<usize> = (0..=n_levels).filter(|&l| histogram[l].n > 0.0).collect();
    if present.len() < 2 {
        return None;
    }
    let keys = order_keys(&histogram, &present, node);
    let mut order: Vec<usize> = (0..present.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(present[a].cmp(&present[b])));
    let mut left = Stats::empty(y.ncols());
    let mut best: Option<(f64, usize, Stats)> = None;
    for (k, &i) in order.iter().enumerate().take(order.len() - 1) {
        left.merge(&histogram[present[i]]);
        let right_n = node.n - left.n;
        if left.n < min_leaf as f64 || right_n < min_leaf as f64 {
            continue;
        }
        let proxy = Stats::proxy(&left, &node.minus(&left), criterion);
        if best.as_ref().is_none_or(|(p, _, _)| proxy > *p) {
            best = Some((proxy, k + 1, left.clone()));
        }
    }
    let (proxy, cut, left) = best?;
    let mut left_levels: Vec<usize> = order[..cut].iter().map(|&i| present[i]).collect();
    let mut right_levels: Vec<usize> = order[cut..].iter().map(|&i| present[i]).collect();
    left_levels.sort_unstable();
    right_levels.sort_unstable();
    let missing_left = if left_levels.last() == Some(&n_levels) {
        left_levels.pop();
        Some(true)
    } else if right_levels.last() == Some(&n_levels) {
        right_levels.pop();
        Some(false)
    } else {
        None
    };
    let right = node.minus(&left);
    let levels = LevelSplit { left: left_levels, right: right_levels, unseen_left: left.n >= right.n };
    Some(FoundLevelSplit { proxy, levels, missing_left, left, right })
}

/// Sort keys of the present levels: the mean of the one output, or the projection of each
/// level's mean vector on the first principal direction of the count-weighted level means.
fn order_keys(histogram: &[Stats], present: &[usize], node: &Stats) -> Vec<f64> {
    let outputs = node.sum.len();
    let means: Vec<Vec<f64>> = present.iter().map(|&l| histogram[l].value()).collect();
    if outputs == 1 {
        return means.iter().map(|m| m[0]).collect();
    }
    let centre = node.value();
    let mut scatter = Array2::<f64>::zeros((outputs, outputs));
    for (mean, &l) in means.iter().zip(present) {
        let weight = histogram[l].n;
        for a in 0..outputs {
            for b in 0..outputs {
                scatter[[a, b]] += weight * (mean[a] - centre[a]) * (mean[b] - centre[b]);
            }
        }
    }
    // Eigenvalues ascend: the last column is the first principal direction. When LAPACK fails
    // (it does not on a finite symmetric matrix) the first output's mean orders the levels.
    let direction: Vec<f64> = match scatter.eigh(UPLO::Lower) {
        Ok((_, vectors)) => vectors.column(outputs - 1).to_vec(),
        Err(_) => (0..outputs).map(|a| f64::from(u8::from(a == 0))).collect(),
    };
    // The sign of an eigenvector is arbitrary: make its last clearly non-zero component positive,
    // so that refits order the levels alike and two classes (or soft targets `[1 − p, p]`) are
    // ordered by the share of class 1, ascending.
    let largest = direction.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let sign = direction.iter().rev().find(|v| v.abs() > largest * 1e-9).map_or(1.0, |v| v.signum());
    means.iter().map(|m| sign * m.iter().zip(&direction).map(|(a, b)| a * b).sum::<f64>()).collect()
}
