//! The best split of a node, as scikit-learn's `BestSplitter` chooses it: every feature, every
//! threshold halfway between consecutive distinct values (values closer than 1e-7 count as
//! equal), the largest proxy impurity decrease, `min_samples_leaf` rows on each side.

use ndarray::ArrayView2;
use rayon::prelude::*;

use super::binning::Binned;
use super::params::{Criterion, TreeParams};
use super::stats::Stats;

/// scikit-learn's `FEATURE_THRESHOLD`: feature values closer than this are not split apart.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// A chosen split.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub feature: usize,
    pub threshold: f64,
    pub left: Stats,
    pub right: Stats,
}

/// The best split of `rows`, or `None` when no split keeps `min_samples_leaf` rows per side
/// or every feature is constant on them. `x` holds the features rounded to `f32` (as
/// scikit-learn stores them), `y` the target matrix.
pub fn best_split(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    params: &TreeParams,
) -> Option<Split> {
    let criterion: Criterion = params.criterion;
    let min_leaf = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = None;
    let mut order = rows.to_vec();
    for feature in 0..x.ncols() {
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
            if best.as_ref().is_none_or(|(b, _)| proxy > *b) {
                let mut threshold = value(p - 1) / 2.0 + value(p) / 2.0;
                if threshold == value(p) || !threshold.is_finite() {
                    threshold = value(p - 1);
                }
                best = Some((proxy, Split { feature, threshold, left: left.clone(), right }));
            }
        }
    }
    best.map(|(_, split)| split)
}

/// The best split of `rows` among the bin edges of [`Binned`] features: per feature a
/// histogram of the node's statistics per bin (features in parallel), then a scan over the
/// edges. Ties go to the lower feature, then the lower edge.
pub fn best_split_binned(
    binned: &Binned,
    y: ArrayView2<'_, f64>,
    rows: &[usize],
    node: &Stats,
    params: &TreeParams,
) -> Option<Split> {
    let min_leaf = params.min_samples_leaf as f64;
    let candidates: Vec<Option<(f64, Split)>> = (0..binned.edges.len())
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
                    best = Some((proxy, Split { feature, threshold: edges[b], left: left.clone(), right }));
                }
            }
            best
        })
        .collect();
    candidates
        .into_iter()
        .flatten()
        .fold(None, |best: Option<(f64, Split)>, c| match best {
            Some(b) if b.0 >= c.0 => Some(b),
            _ => Some(c),
        })
        .map(|(_, split)| split)
}
