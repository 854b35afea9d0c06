//! Growing a tree: best-first by impurity decrease (which, without a leaf budget, yields the
//! same tree as depth-first growth), and prediction.

use std::collections::BinaryHeap;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::binning::{Binned, bin};
use super::params::{Criterion, SplitMode, TreeParams};
use super::split::{Split, best_split, best_split_binned};
use super::stats::Stats;
use crate::error::{Error, Result, check_finite, invalid_parameter};

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
    /// left); `None` for a leaf.
    pub split: Option<(usize, f64, usize, usize)>,
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
}

/// What every node of one fit reads.
struct Grower<'a> {
    x: &'a Array2<f64>,
    y: &'a Array2<f64>,
    binned: Option<&'a Binned>,
    total: f64,
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

/// Features rounded to `f32` (as scikit-learn stores them), checked finite.
pub(super) fn as_f32(x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    check_finite(x)?;
    Ok(x.mapv(|v| f64::from(v as f32)))
}

pub(super) fn targets(target: TreeTarget<'_>, n: usize, criterion: Criterion) -> Result<Array2<f64>> {
    match (target, criterion) {
        (TreeTarget::Classes { y, n_classes }, Criterion::Gini | Criterion::Entropy) => {
            if y.len() != n {
                return Err(Error::ShapeMismatch {
                    context: "features and classes".into(),
                    expected: n,
                    got: y.len(),
                });
            }
            let mut onehot = Array2::zeros((n, n_classes));
            for (i, &c) in y.iter().enumerate() {
                if c >= n_classes {
                    return Err(Error::InvalidInput {
                        row: i,
                        column: 0,
                        reason: format!("class {c} of {n_classes}"),
                    });
                }
                onehot[[i, c]] = 1.0;
            }
            Ok(onehot)
        }
        (TreeTarget::Values(v), Criterion::SquaredError) => {
            if v.nrows() != n {
                return Err(Error::ShapeMismatch {
                    context: "features and targets".into(),
                    expected: n,
                    got: v.nrows(),
                });
            }
            if let Some(((row, column), value)) = v.indexed_iter().find(|(_, v)| !v.is_finite()) {
                return Err(Error::InvalidInput {
                    row,
                    column,
                    reason: format!("target {value} is not finite"),
                });
            }
            Ok(v.as_standard_layout().to_owned())
        }
        (TreeTarget::Classes { .. }, _) => {
            Err(invalid_parameter("criterion", "classes need gini or entropy"))
        }
        (TreeTarget::Values(_), _) => Err(invalid_parameter("criterion", "values need squared_error")),
    }
}

impl Tree {
    /// Fits a tree to `x` (shape `(n, features)`) and `target`.
    pub fn fit(params: &TreeParams, x: ArrayView2<'_, f64>, target: TreeTarget<'_>) -> Result<Self> {
        params.check()?;
        if x.nrows() == 0 {
            return Err(invalid_parameter("data", "no rows to fit a tree on"));
        }
        let x = as_f32(x)?;
        let y = targets(target, x.nrows(), params.criterion)?;
        let mut root = Stats::empty(y.ncols());
        for row in y.rows() {
            root.add(row);
        }
        let total = root.n;
        let binned = match params.mode {
            SplitMode::Exact => None,
            SplitMode::Histogram { max_bins } => Some(bin(x.view(), max_bins)),
        };
        let mut tree = Tree { params: *params, nodes: Vec::new(), n_features: x.ncols() };
        let mut frontier = BinaryHeap::new();
        let rows: Vec<usize> = (0..x.nrows()).collect();
        let grower = Grower { x: &x, y: &y, binned: binned.as_ref(), total };
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
                rows.iter().partition(|&&r| x[[r, split.feature]] <= split.threshold);
            let left = tree.add_node(&grower, left_rows, split.left, depth, &mut frontier);
            let right = tree.add_node(&grower, right_rows, split.right, depth, &mut frontier);
            tree.nodes[node].split = Some((split.feature, split.threshold, left, right));
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
        self.nodes.push(Node { n_samples: rows.len(), impurity, value: stats.value(), depth, split: None });
        let n = rows.len();
        let leaf = p.max_depth.is_some_and(|d| depth >= d)
            || n < p.min_samples_split
            || n < 2 * p.min_samples_leaf
            || impurity <= f64::EPSILON;
        let split = match (leaf, grower.binned) {
            (true, _) => None,
            (false, None) => best_split(grower.x.view(), grower.y.view(), &rows, &stats, &p),
            (false, Some(binned)) => best_split_binned(binned, grower.y.view(), &rows, &stats, &p),
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
    /// `(n, outputs)`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::ShapeMismatch {
                context: "features".into(),
                expected: self.n_features,
                got: x.ncols(),
            });
        }
        let x = as_f32(x)?;
        let outputs = self.nodes[0].value.len();
        let mut out = Array2::zeros((x.nrows(), outputs));
        for (i, row) in x.rows().into_iter().enumerate() {
            let leaf = self.leaf_of(|f| row[f]);
            out.row_mut(i).assign(&ndarray::ArrayView1::from(&self.nodes[leaf].value));
        }
        Ok(out)
    }

    /// The leaf a row reaches; `feature(f)` gives its value of feature `f`.
    pub fn leaf_of(&self, feature: impl Fn(usize) -> f64) -> usize {
        let mut node = 0;
        while let Some((f, threshold, left, right)) = self.nodes[node].split {
            node = if feature(f) <= threshold { left } else { right };
        }
        node
    }

    /// Checks a tree read from a file: a root, children after their parent and within
    /// range, features within range, values of one length. (Every tree kd grows passes.)
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Error::Load(format!("the tree is inconsistent: {reason}"));
        let Some(root) = self.nodes.first() else { return Err(bad("it has no nodes".into())) };
        for (i, node) in self.nodes.iter().enumerate() {
            if node.value.len() != root.value.len() {
                return Err(bad(format!(
                    "node {i} has {} values, the root {}",
                    node.value.len(),
                    root.value.len()
                )));
            }
            if let Some((f, t, l, r)) = node.split {
                if f >= self.n_features || !t.is_finite() {
                    return Err(bad(format!("node {i} splits on feature {f} at {t}")));
                }
                if l <= i || r <= i || l >= self.nodes.len() || r >= self.nodes.len() || l == r {
                    return Err(bad(format!("node {i} has children {l} and {r}")));
                }
            }
        }
        Ok(())
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
