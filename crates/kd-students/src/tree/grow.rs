//! Growing a tree: best-first by impurity decrease (which, without a leaf budget, yields the
//! same tree as depth-first growth), and prediction.

use std::collections::BinaryHeap;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::binning::{Binned, bin};
use super::categorical::LevelSplit;
use super::check::{as_f32, check_codes, targets};
use super::params::{CategoricalSplits, SplitMode, TreeParams};
use super::split::{FeatureKinds, NodeRows, Split, best_split, best_split_binned};
use super::stats::Stats;
use crate::error::{Error, Result, invalid_parameter};

/// What the tree is fitted to.
#[derive(Debug, Clone, Copy)]
pub enum TreeTarget<'a> {
    /// Class indices `0..n_classes` (Gini or entropy).
    Classes {
        /// One class per row.
        y: &'a [usize],
        /// Number of classes.
        n_classes: usize,
    },
    /// Values, shape `(n, outputs)`: regression or soft targets (squared error).
    Values(ArrayView2<'a, f64>),
}

/// A node of a fitted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Rows of the training data that reach the node.
    pub n_samples: usize,
    /// Impurity of the node.
    pub impurity: f64,
    /// Prediction of the node: class proportions or output means.
    pub value: Vec<f64>,
    /// Depth (root = 0).
    pub depth: usize,
    /// `(feature, threshold, left, right)` for a split node (`x[feature] ≤ threshold` goes
    /// left, unless `levels` is set); `None` for a leaf.
    pub split: Option<(usize, f64, usize, usize)>,
    /// For a split on a categorical feature: the level codes that go left and right (the
    /// threshold is then 0 and unused). Absent from numeric splits and from files written
    /// before format version 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<LevelSplit>,
    /// Where a row missing the split feature goes: `Some(true)` left, `Some(false)` right;
    /// absent when the feature had no missing value in training (such a row then follows the
    /// child with more training rows, as in scikit-learn, or a level split's unseen levels).
    /// A threshold of [`f64::MAX`] with `Some(false)` separates present values from missing ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_left: Option<bool>,
}

/// A fitted CART tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// The parameters it was fitted with.
    pub params: TreeParams,
    /// Nodes; the root is node 0.
    pub nodes: Vec<Node>,
    /// Number of input features.
    pub n_features: usize,
    /// Level names of each feature split by level sets (`None` for the others); empty when
    /// every feature is split by thresholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Option<Vec<String>>>,
}

/// What every node of one fit reads.
struct Grower<'a> {
    x: &'a Array2<f64>,
    y: &'a Array2<f64>,
    binned: Option<&'a Binned>,
    /// Levels of each feature split by level sets, 0 for the others (empty: all numeric).
    n_levels: Vec<usize>,
    /// Whether each feature has missing values.
    missing: Vec<bool>,
    total: f64,
}

impl Grower<'_> {
    fn kinds(&self) -> FeatureKinds<'_> {
        FeatureKinds { n_levels: &self.n_levels, missing: &self.missing }
    }
}

/// A node waiting to be split, ordered by the impurity decrease of its best split.
struct Candidate {
    improvement: f64,
    node: usize,
    rows: Vec<usize>,
    split: Split,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// Larger decrease first; among equals, the earlier node.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.improvement.total_cmp(&other.improvement).then(other.node.cmp(&self.node))
    }
}

impl Tree {
    /// Fits a tree to `x` (shape `(n, features)`, every feature numeric, NaN where a value is
    /// missing) and `target`.
    pub fn fit(params: &TreeParams, x: ArrayView2<'_, f64>, target: TreeTarget<'_>) -> Result<Self> {
        Self::fit_with_levels(params, x, target, &[])
    }

    /// Fits a tree to `x` and `target` where `levels[f]` names the levels of a categorical
    /// feature `f` (its values in `x` are level codes `0..levels.len()`, as kd-core's `Dataset`
    /// codes them) and is `None` for a numeric one; `levels` is empty or one entry per feature.
    /// With `params.categorical == Native` (the default) categorical features are split by
    /// level sets, with `Codes` by thresholds on the codes.
    pub fn fit_with_levels(
        params: &TreeParams,
        x: ArrayView2<'_, f64>,
        target: TreeTarget<'_>,
        levels: &[Option<Vec<String>>],
    ) -> Result<Self> {
        params.check()?;
        if x.nrows() == 0 {
            return Err(invalid_parameter("data", "no rows to fit a tree on"));
        }
        if !levels.is_empty() && levels.len() != x.ncols() {
            return Err(Error::ShapeMismatch {
                context: "features and their levels".into(),
                expected: x.ncols(),
                got: levels.len(),
            });
        }
        let native = params.categorical == CategoricalSplits::Native && levels.iter().any(Option::is_some);
        let levels: Vec<Option<Vec<String>>> = if native { levels.to_vec() } else { Vec::new() };
        let n_levels: Vec<usize> = levels.iter().map(|l| l.as_ref().map_or(0, |l| l.len().max(1))).collect();
        let (x, missing) = as_f32(x)?;
        check_codes(x.view(), &levels, true)?;
        let y = targets(target, x.nrows(), params.criterion)?;
        let mut root = Stats::empty(y.ncols());
        for row in y.rows() {
            root.add(row);
        }
        let total = root.n;
        let binned = match params.mode {
            SplitMode::Exact => None,
            SplitMode::Histogram { max_bins } => {
                let mut binned = bin(x.view(), max_bins);
                // Categorical features are split by level sets, never at bin edges.
                for (edges, _) in binned.edges.iter_mut().zip(&n_levels).filter(|(_, l)| **l > 0) {
                    edges.clear();
                }
                Some(binned)
            }
        };
        let mut tree = Tree { params: *params, nodes: Vec::new(), n_features: x.ncols(), levels };
        let mut frontier = BinaryHeap::new();
        let rows: Vec<usize> = (0..x.nrows()).collect();
        let grower = Grower { x: &x, y: &y, binned: binned.as_ref(), n_levels, missing, total };
        tree.add_node(&grower, rows, root, 0, &mut frontier);
        let mut splits_left = params.max_leaves.map_or(usize::MAX, |l| l - 1);
        while let Some(candidate) = frontier.pop() {
            if splits_left == 0 {
                break;
            }
            splits_left -= 1;
            let Candidate { node, rows, split, .. } = candidate;
            let depth = tree.nodes[node].depth + 1;
            let (left_rows, right_rows): (Vec<usize>, Vec<usize>) =
                rows.iter().partition(|&&r| split.goes_left(x[[r, split.feature]]));
            let left = tree.add_node(&grower, left_rows, split.left, depth, &mut frontier);
            let right = tree.add_node(&grower, right_rows, split.right, depth, &mut frontier);
            tree.nodes[node].split = Some((split.feature, split.threshold, left, right));
            tree.nodes[node].levels = split.levels;
            tree.nodes[node].missing_left = split.missing_left;
        }
        Ok(if params.ccp_alpha > 0.0 { tree.pruned(params.ccp_alpha) } else { tree })
    }

    /// Adds a node and, if it may be split, queues its best split.
    fn add_node(
        &mut self,
        grower: &Grower<'_>,
        rows: Vec<usize>,
        stats: Stats,
        depth: usize,
        frontier: &mut BinaryHeap<Candidate>,
    ) -> usize {
        let p = self.params;
        let impurity = stats.impurity(p.criterion);
        let id = self.nodes.len();
        self.nodes.push(Node {
            n_samples: rows.len(),
            impurity,
            value: stats.value(),
            depth,
            split: None,
            levels: None,
            missing_left: None,
        });
        let n = rows.len();
        let leaf = p.max_depth.is_some_and(|d| depth >= d)
            || n < p.min_samples_split
            || n < 2 * p.min_samples_leaf
            || impurity <= f64::EPSILON;
        let node = NodeRows { x: grower.x.view(), y: grower.y.view(), rows: &rows, stats: &stats };
        let split = match (leaf, grower.binned) {
            (true, _) => None,
            (false, None) => best_split(&node, &p, grower.kinds()),
            (false, Some(binned)) => best_split_binned(binned, &node, &p, grower.kinds()),
        };
        if let Some(split) = split {
            let nf = n as f64;
            let improvement = nf / grower.total
                * (impurity
                    - split.right.n / nf * split.right.impurity(p.criterion)
                    - split.left.n / nf * split.left.impurity(p.criterion));
            frontier.push(Candidate { improvement, node: id, rows, split });
        }
        id
    }

    /// Predictions for the rows of `x`: class proportions or output means, shape
    /// `(n, outputs)`. A categorical feature's value must be a level code (an integer ≥ 0) or
    /// NaN; a code the node did not see in training goes to its larger child ([`LevelSplit`]);
    /// a missing value (NaN) as [`Node::missing_left`] says.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::ShapeMismatch {
                context: "features".into(),
                expected: self.n_features,
                got: x.ncols(),
            });
        }
        let (x, _) = as_f32(x)?;
        check_codes(x.view(), &self.levels, false)?;
        let outputs = self.nodes[0].value.len();
        let mut out = Array2::zeros((x.nrows(), outputs));
        for (i, row) in x.rows().into_iter().enumerate() {
            let leaf = self.leaf_of(|f| row[f]);
            out.row_mut(i).assign(&ndarray::ArrayView1::from(&self.nodes[leaf].value));
        }
        Ok(out)
    }

    /// The leaf a row reaches; `feature(f)` gives its value of feature `f` (NaN: missing).
    pub fn leaf_of(&self, feature: impl Fn(usize) -> f64) -> usize {
        let mut node = 0;
        while let Some((f, threshold, left, right)) = self.nodes[node].split {
            let n = &self.nodes[node];
            let value = feature(f);
            let goes_left = match (&n.levels, n.missing_left) {
                (_, Some(side)) if value.is_nan() => side,
                (Some(levels), _) => levels.goes_left(value),
                (None, _) if value.is_nan() => self.nodes[left].n_samples > self.nodes[right].n_samples,
                (None, _) => value <= threshold,
            };
            node = if goes_left { left } else { right };
        }
        node
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.split.is_none()).count()
    }

    /// Depth of the deepest leaf.
    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }
}
