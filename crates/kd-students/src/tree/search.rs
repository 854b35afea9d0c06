//! The best split of one set of rows, as a public function: the split search of [`Tree::fit`]
//! for algorithms that grow trees on data of their own at every node (model extraction draws
//! fresh samples per node, so it cannot hand a whole data set to `Tree::fit`).
//!
//! [`Tree::fit`]: super::Tree::fit

use ndarray::ArrayView2;

use super::TreeTarget;
use super::check::{as_f32, targets};
use super::params::{SplitMode, TreeParams};
use super::split::{FeatureKinds, NodeRows, best_split};
use super::stats::Stats;
use crate::error::{Result, invalid_parameter};

/// The best split of a node's rows and what it gains.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NodeSplit {
    /// Feature split on.
    pub feature: usize,
    /// `x[feature] ≤ threshold` goes left.
    pub threshold: f64,
    /// Impurity decrease of the node, `imp − (n_l/n)·imp_l − (n_r/n)·imp_r` (not weighted by
    /// the node's share of the data).
    pub gain: f64,
    /// The node's impurity before the split.
    pub impurity: f64,
}

/// The impurity and prediction (class proportions or output means) of rows `x`/`target`, and
/// the best split of them under `params` (exact thresholds, `min_samples_leaf` per side), or
/// `None` when no split is possible. Depth and leaf limits are the caller's business.
pub fn best_node_split(
    params: &TreeParams,
    x: ArrayView2<'_, f64>,
    target: TreeTarget<'_>,
) -> Result<(f64, Vec<f64>, Option<NodeSplit>)> {
    params.check()?;
    if params.mode != SplitMode::Exact {
        return Err(invalid_parameter("mode", "the node split search uses exact thresholds"));
    }
    if x.nrows() == 0 {
        return Err(invalid_parameter("data", "no rows to split"));
    }
    let (x, missing) = as_f32(x)?;
    let y = targets(target, x.nrows(), params.criterion)?;
    let mut node = Stats::empty(y.ncols());
    for row in y.rows() {
        node.add(row);
    }
    let impurity = node.impurity(params.criterion);
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let split = if impurity <= f64::EPSILON || x.nrows() < 2 * params.min_samples_leaf {
        None
    } else {
        let node = NodeRows { x: x.view(), y: y.view(), rows: &rows, stats: &node };
        best_split(&node, params, FeatureKinds { n_levels: &[], missing: &missing })
    };
    let found = split.map(|s| {
        let n = node.n;
        let gain = impurity
            - s.left.n / n * s.left.impurity(params.criterion)
            - s.right.n / n * s.right.impurity(params.criterion);
        NodeSplit { feature: s.feature, threshold: s.threshold, gain, impurity }
    });
    Ok((impurity, node.value(), found))
}
