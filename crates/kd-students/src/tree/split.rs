//! The best split of a node, as scikit-learn's `BestSplitter` chooses it: every feature, every
//! threshold halfway between consecutive distinct values (values closer than 1e-7 count as
//! equal), the largest proxy impurity decrease, `min_samples_leaf` rows on each side.
//! Categorical features split natively are searched by level sets ([`best_level_split`]).
//!
//! Missing values (NaN) are handled as scikit-learn (≥ 1.3) handles them: each threshold is
//! tried with the node's rows missing the feature sent left and sent right, and one more split
//! sends every present value left and every missing one right; a node that saw no missing
//! value of a feature missing elsewhere in training sends them to its child with more rows.

use ndarray::ArrayView2;
use rayon::prelude::*;

use super::binning::Binned;
use super::categorical::{LevelSplit, best_level_split};
use super::params::{Criterion, TreeParams};
use super::stats::Stats;

/// scikit-learn's `FEATURE_THRESHOLD`: feature values closer than this are not split apart.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// The threshold of the split that sends every present value left and every missing one
/// right (scikit-learn's is `+∞`, which JSON cannot hold; no finite value exceeds this one).
pub const PRESENT_LEFT: f64 = f64::MAX;

/// A chosen split: `x[feature] ≤ threshold` goes left, or, with `levels`, the level set; a
/// missing value goes left when `missing_left` is `Some(true)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub feature: usize,
    pub threshold: f64,
    pub levels: Option<LevelSplit>,
    /// Where missing values go: `None` when the feature had none in training.
    pub missing_left: Option<bool>,
    pub left: Stats,
    pub right: Stats,
}

impl Split {
    /// The split of `feature`'s present values (left, their statistics `present`) from its
    /// missing ones (right, `absent`).
    fn present_from_missing(feature: usize, present: Stats, absent: Stats) -> Self {
        Split {
            feature,
            threshold: PRESENT_LEFT,
            levels: None,
            missing_left: Some(false),
            left: present,
            right: absent,
        }
    }

    /// Whether a row whose value of the split feature is `value` goes left.
    pub fn goes_left(&self, value: f64) -> bool {
        match (&self.levels, self.missing_left) {
            (_, Some(left)) if value.is_nan() => left,
            (Some(levels), _) => levels.goes_left(value),
            (None, _) => value <= self.threshold,
        }
    }
}

/// What the split search knows of the features: `n_levels[f] > 0` for a feature split by
/// level sets, `missing[f]` for one with missing values in training (both empty: every
/// feature numeric and complete).
#[derive(Debug, Clone, Copy, Default)]
pub struct FeatureKinds<'a> {
    pub n_levels: &'a [usize],
    pub missing: &'a [bool],
}

impl FeatureKinds<'_> {
    fn has_missing(&self, f: usize) -> bool {
        self.missing.get(f).copied().unwrap_or(false)
    }
}

/// The rows of one node: `x` the features (shape `(n, d)`), `y` the target matrix, `rows` the
/// node's row indices into both, `stats` their statistics.
#[derive(Debug, Clone, Copy)]
pub struct NodeRows<'a> {
    pub x: ArrayView2<'a, f64>,
    pub y: ArrayView2<'a, f64>,
    pub rows: &'a [usize],
    pub stats: &'a Stats,
}

/// Where a threshold split sends missing values: the side the search chose when the node had
/// some, the child with more rows when it had none (scikit-learn's rule), nowhere for a
/// feature complete in training.
fn missing_side(
    feature_missing: bool,
    node_missing: bool,
    chosen_left: bool,
    left: &Stats,
    right: &Stats,
) -> Option<bool> {
    match (feature_missing, node_missing) {
        (false, _) => None,
        (true, true) => Some(chosen_left),
        (true, false) => Some(left.n > right.n),
    }
}

/// Whether feature `f` is split by level sets: `n_levels[f] > 0` (empty: every feature numeric).
fn is_categorical(n_levels: &[usize], f: usize) -> bool {
    n_levels.get(f).is_some_and(|&l| l > 0)
}

/// Whether a split of `feature` with `proxy` ranks above `best`, the best so far: a larger
/// proxy, or an equal one on an earlier feature (which a level-set split of a later feature
/// may hold).
fn ranks_above(proxy: f64, feature: usize, best: Option<&(f64, Split)>) -> bool {
    best.is_none_or(|(b, s)| proxy > *b || (proxy == *b && s.feature > feature))
}

/// The best level-set split of `rows` among the categorical features, as `(proxy, split)`.
pub fn best_categorical_split(
    node: &NodeRows<'_>,
    params: &TreeParams,
    kinds: FeatureKinds<'_>,
) -> Option<(f64, Split)> {
    let NodeRows { x, y, rows, stats: node } = *node;
    let mut best: Option<(f64, Split)> = None;
    for feature in (0..x.ncols()).filter(|&f| is_categorical(kinds.n_levels, f)) {
        let found = best_level_split(
            x.column(feature),
            y,
            rows,
            node,
            params.criterion,
            params.min_samples_leaf,
            kinds.n_levels[feature],
        );
        if let Some(found) = found
            && best.as_ref().is_none_or(|(b, _)| found.proxy > *b)
        {
            // Missing values were a level of their own in the search; a node without them
            // sends them where it sends unseen levels.
            let missing_left =
                kinds.has_missing(feature).then(|| found.missing_left.unwrap_or(found.levels.unseen_left));
            let split = Split {
                feature,
                threshold: 0.0,
                levels: Some(found.levels),
                missing_left,
                left: found.left,
                right: found.right,
            };
            best = Some((found.proxy, split));
        }
    }
    best
}

/// The best split of `rows`, or `None` when no split keeps `min_samples_leaf` rows per side
/// or every feature is constant on them. `x` holds the features rounded to `f32` (as
/// scikit-learn stores them), NaN where missing, `y` the target matrix. Ties go to the lower
/// feature; within a feature, to missing values sent right, then left, then the split of
/// present from missing values (scikit-learn's order).
pub fn best_split(node: &NodeRows<'_>, params: &TreeParams, kinds: FeatureKinds<'_>) -> Option<Split> {
    let criterion: Criterion = params.criterion;
    let min_leaf = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = best_categorical_split(node, params, kinds);
    let NodeRows { x, y, rows, stats: node } = *node;
    let mut order = Vec::with_capacity(rows.len());
    for feature in (0..x.ncols()).filter(|&f| !is_categorical(kinds.n_levels, f)) {
        order.clear();
        let mut absent = Stats::empty(y.ncols());
        for &r in rows {
            if x[[r, feature]].is_nan() {
                absent.add(y.row(r));
            } else {
                order.push(r);
            }
        }
        let n_missing = rows.len() - order.len();
        if order.is_empty() {
            continue;
        }
        order.sort_unstable_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]));
        let value = |p: usize| x[[order[p], feature]];
        let constant = value(order.len() - 1) <= value(0) + FEATURE_THRESHOLD;
        if constant && n_missing == 0 {
            continue;
        }
        let feature_missing = kinds.has_missing(feature);
        for missing_left in [false, true].into_iter().take(if n_missing > 0 { 2 } else { 1 }) {
            let mut left = if missing_left { absent.clone() } else { Stats::empty(y.ncols()) };
            for p in 1..order.len() {
                left.add(y.row(order[p - 1]));
                let n_left = p + if missing_left { n_missing } else { 0 };
                if value(p) <= value(p - 1) + FEATURE_THRESHOLD
                    || n_left < min_leaf
                    || rows.len() - n_left < min_leaf
                {
                    continue;
                }
                let right = node.minus(&left);
                let proxy = Stats::proxy(&left, &right, criterion);
                if ranks_above(proxy, feature, best.as_ref()) {
                    let mut threshold = value(p - 1) / 2.0 + value(p) / 2.0;
                    if threshold == value(p) || !threshold.is_finite() {
                        threshold = value(p - 1);
                    }
                    let missing_left =
                        missing_side(feature_missing, n_missing > 0, missing_left, &left, &right);
                    best = Some((
                        proxy,
                        Split { feature, threshold, levels: None, missing_left, left: left.clone(), right },
                    ));
                }
            }
        }
        if n_missing >= min_leaf && order.len() >= min_leaf {
            let left = node.minus(&absent);
            let proxy = Stats::proxy(&left, &absent, criterion);
            if ranks_above(proxy, feature, best.as_ref()) {
                best = Some((proxy, Split::present_from_missing(feature, left, absent)));
            }
        }
    }
    best.map(|(_, split)| split)
}

/// The best split of `rows` among the bin edges of [`Binned`] features: per feature a
/// histogram of the node's statistics per bin (features in parallel), then a scan over the
/// edges with the missing bin sent right and then left, then the split of present from
/// missing values, as in [`best_split`]; categorical features (`n_levels[f] > 0`, their edges
/// left empty) by level sets. Ties go to the lower feature, then the lower edge.
pub fn best_split_binned(
    binned: &Binned,
    node: &NodeRows<'_>,
    params: &TreeParams,
    kinds: FeatureKinds<'_>,
) -> Option<Split> {
    let min_leaf = params.min_samples_leaf as f64;
    let categorical = best_categorical_split(node, params, kinds);
    let NodeRows { y, rows, stats: node, .. } = *node;
    let mut candidates: Vec<Option<(f64, Split)>> = (0..binned.edges.len())
        .into_par_iter()
        .map(|feature| {
            let edges = &binned.edges[feature];
            if is_categorical(kinds.n_levels, feature) {
                return None;
            }
            let column = binned.bins.column(feature);
            let mut histogram = vec![Stats::empty(y.ncols()); binned.n_bins(feature)];
            for &r in rows {
                histogram[usize::from(column[r])].add(y.row(r));
            }
            let absent = if binned.missing[feature] {
                histogram[edges.len() + 1].clone()
            } else {
                Stats::empty(y.ncols())
            };
            let node_missing = absent.n > 0.0;
            let mut best: Option<(f64, Split)> = None;
            for missing_left in [false, true].into_iter().take(if node_missing { 2 } else { 1 }) {
                let mut left = if missing_left { absent.clone() } else { Stats::empty(y.ncols()) };
                for (b, bin) in histogram.iter().enumerate().take(edges.len()) {
                    left.merge(bin);
                    let right = node.minus(&left);
                    if left.n < min_leaf || right.n < min_leaf || bin.n == 0.0 {
                        continue;
                    }
                    let proxy = Stats::proxy(&left, &right, params.criterion);
                    if best.as_ref().is_none_or(|(p, _)| proxy > *p) {
                        let missing_left =
                            missing_side(binned.missing[feature], node_missing, missing_left, &left, &right);
                        let split = Split {
                            feature,
                            threshold: edges[b],
                            levels: None,
                            missing_left,
                            left: left.clone(),
                            right,
                        };
                        best = Some((proxy, split));
                    }
                }
            }
            let present = node.minus(&absent);
            if node_missing && absent.n >= min_leaf && present.n >= min_leaf {
                let proxy = Stats::proxy(&present, &absent, params.criterion);
                if best.as_ref().is_none_or(|(p, _)| proxy > *p) {
                    best = Some((proxy, Split::present_from_missing(feature, present, absent)));
                }
            }
            best
        })
        .collect();
    if let Some(categorical) = categorical {
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
