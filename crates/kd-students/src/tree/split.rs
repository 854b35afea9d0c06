//! The best split of a node, as scikit-learn's `BestSplitter` chooses it: every feature, every
//! threshold halfway between consecutive distinct values (values closer than 1e-7 count as
//! equal), the largest proxy impurity decrease, `min_samples_leaf` rows on each side.
//! Categorical features split natively are searched by level sets ([`best_level_split`]).

use ndarray::ArrayView2;
use rayon::prelude::*;

use super::binning::Binned;
use super::categorical::{LevelSplit, best_level_split};
use super::params::{Criterion, TreeParams};
use super::stats::Stats;

/// scikit-learn's `FEATURE_THRESHOLD`: feature values closer than this are not split apart.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// A chosen split: `x[feature] ≤ threshold` goes left, or, with `levels`, the level set.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub feature: usize,
    pub threshold: f64,
    pub levels: Option<LevelSplit>,
    pub left: Stats,
    pub right: Stats,
}

impl Split {
    /// Whether a row whose value of the split feature is `value` goes left.
    pub fn goes_left(&self, value: f64) -> bool {
        match &self.levels {
            Some(levels) => levels.goes_left(value),
            None => value <= self.threshold,
        }
    }
}

/// Whether feature `f` is split by level sets: `n_levels[f] > 0` (empty: every feature numeric).
fn is_categorical(n_levels: &[usize], f: usize) -> bool {
    n_levels.get(f).is_some_and(|&l| l > 0)
}

/// The best level-set split of `rows` among the categorical features, as `(proxy, split)`.
pub fn best_categorical_split(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    params: &TreeParams,
    n_levels: &[usize],
) -> Option<(f64, Split)> {
    let mut best: Option<(f64, Split)> = None;
    for feature in (0..x.ncols()).filter(|&f| is_categorical(n_levels, f)) {
        let found = best_level_split(
            x.column(feature),
            y,
            rows,
            node,
            params.criterion,
            params.min_samples_leaf,
            n_levels[feature],
        );
        if let Some((proxy, levels, left, right)) = found
            && best.as_ref().is_none_or(|(b, _)| proxy > *b)
        {
            best = Some((proxy, Split { feature, threshold: 0.0, levels: Some(levels), left, right }));
        }
    }
    best
}

/// The best split of `rows`, or `None` when no split keeps `min_samples_leaf` rows per side
/// or every feature is constant on them. `x` holds the features rounded to `f32` (as
/// scikit-learn stores them), `y` the target matrix; features with `n_levels[f] > 0` are
/// split by level sets. Ties go to the lower feature.
pub fn best_split(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    params: &TreeParams,
    n_levels: &[usize],
) -> Option<Split> {
    let criterion: Criterion = params.criterion;
    let min_leaf = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = best_categorical_split(x, y, rows, node, params, n_levels);
    let mut order = rows.to_vec();
    for feature in (0..x.ncols()).filter(|&f| !is_categorical(n_levels, f)) {
        order.sort_unstable_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]));
        let value = |p: usize| x[[order[p], feature]];
        if value(order.len() - 1) <= value(0) + FEATURE_THRESHOLD {
            continue;
        }
        let mut left = Stats::empty(y.ncols());
        for p in 1..order.len() {
            left.add(y.row(order[p - 1]));
            if value(p) <= value(p - 1) + FEATURE_THRESHOLD || p < min_leaf || order.len() - p < min_leaf {
                continue;
            }
            let right = node.minus(&left);
            let proxy = Stats::proxy(&left, &right, criterion);
            // Strictly better, or as good as a level-set split of a later feature.
            if best.as_ref().is_none_or(|(b, s)| proxy > *b || (proxy == *b && s.feature > feature)) {
                let mut threshold = value(p - 1) / 2.0 + value(p) / 2.0;
                if threshold == value(p) || !threshold.is_finite() {
                    threshold = value(p - 1);
                }
                best = Some((proxy, Split { feature, threshold, levels: None, left: left.clone(), right }));
            }
        }
    }
    best.map(|(_, split)| split)
}

/// The best split of `rows` among the bin edges of [`Binned`] features: per feature a
/// histogram of the node's statistics per bin (features in parallel), then a scan over the
/// edges; categorical features (`n_levels[f] > 0`, their edges left empty) by level sets.
/// Ties go to the lower feature, then the lower edge.
pub fn best_split_binned(
    binned: &Binned,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    params: &TreeParams,
    n_levels: &[usize],
) -> Option<Split> {
    let min_leaf = params.min_samples_leaf as f64;
    let mut candidates: Vec<Option<(f64, Split)>> = (0..binned.edges.len())
        .into_par_iter()
        .map(|feature| {
            let edges = &binned.edges[feature];
            if edges.is_empty() {
                return None;
            }
            let column = binned.bins.column(feature);
            let mut histogram = vec![Stats::empty(y.ncols()); edges.len() + 1];
            for &r in rows {
                histogram[usize::from(column[r])].add(y.row(r));
            }
            let mut left = Stats::empty(y.ncols());
            let mut best: Option<(f64, Split)> = None;
            for (b, bin) in histogram.iter().enumerate().take(edges.len()) {
                left.merge(bin);
                let right = node.minus(&left);
                if left.n < min_leaf || right.n < min_leaf || bin.n == 0.0 {
                    continue;
                }
                let proxy = Stats::proxy(&left, &right, params.criterion);
                if best.as_ref().is_none_or(|(p, _)| proxy > *p) {
                    best = Some((
                        proxy,
                        Split { feature, threshold: edges[b], levels: None, left: left.clone(), right },
                    ));
                }
            }
            best
        })
        .collect();
    if let Some(categorical) = best_categorical_split(x, y, rows, node, params, n_levels) {
        let feature = categorical.1.feature;
        candidates[feature] = Some(categorical);
    }
    candidates
        .into_iter()
        .flatten()
        .fold(None, |best: Option<(f64, Split)>, c| match best {
            Some(b) if b.0 >= c.0 => Some(b),
            _ => Some(c),
        })
        .map(|(_, split)| split)
}
