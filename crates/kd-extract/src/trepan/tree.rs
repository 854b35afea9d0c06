//! The fitted TREPAN tree: binary nodes split by m-of-n tests, leaves labelled with the
//! oracle's majority class among the node's examples.

use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::mofn::MofN;
use crate::error::{Result, invalid_parameter};

/// The split of an internal node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrepanSplit {
    /// The m-of-n test.
    pub test: MofN,
    /// Child for points that satisfy the test.
    pub satisfied: usize,
    /// Child for points that do not.
    pub failed: usize,
    /// Information gain of the test on the node's examples, in bits.
    pub gain: f64,
}

/// A node of a [`TrepanTree`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrepanNode {
    /// The oracle's majority class among the node's examples (the node's prediction).
    pub class: usize,
    /// Share of each class among the node's examples.
    pub proportions: Vec<f64>,
    /// Examples the node was decided on: training rows reaching it plus queries.
    pub n_examples: usize,
    /// Training rows reaching the node.
    pub n_train: usize,
    /// Queries generated for the node.
    pub n_queries: usize,
    /// Estimated share of the input distribution reaching the node.
    pub reach: f64,
    /// Share of the node's examples whose oracle class is the node's class.
    pub fidelity: f64,
    /// Whether the node passed the ε/δ stopping test.
    pub stopped: bool,
    /// Depth (root = 0).
    pub depth: usize,
    /// The split, `None` for a leaf.
    pub split: Option<TrepanSplit>,
}

/// A tree of m-of-n tests extracted by TREPAN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrepanTree {
    /// Nodes; the root is node 0 and children come after their parent.
    pub nodes: Vec<TrepanNode>,
    /// Number of input features.
    pub n_features: usize,
    /// Number of classes.
    pub n_classes: usize,
}

impl TrepanTree {
    /// The leaf a point reaches.
    pub fn leaf_of(&self, x: ArrayView1<'_, f64>) -> usize {
        let mut node = 0;
        while let Some(split) = &self.nodes[node].split {
            node = if split.test.holds(x) { split.satisfied } else { split.failed };
        }
        node
    }

    /// The class of each row of `x` (shape `(n, n_features)`).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
        self.check_width(x)?;
        Ok(x.rows().into_iter().map(|row| self.nodes[self.leaf_of(row)].class).collect())
    }

    /// The class proportions of the leaf each row of `x` reaches, shape `(n, n_classes)`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_width(x)?;
        let mut out = Array2::zeros((x.nrows(), self.n_classes));
        for (i, row) in x.rows().into_iter().enumerate() {
            out.row_mut(i).assign(&ArrayView1::from(&self.nodes[self.leaf_of(row)].proportions));
        }
        Ok(out)
    }

    /// Refuses `x` unless it has the tree's number of features.
    pub(crate) fn check_width(&self, x: ArrayView2<'_, f64>) -> Result<()> {
        if x.ncols() != self.n_features {
            return Err(invalid_parameter(
                "x",
                format!("{} features, the tree was extracted with {}", x.ncols(), self.n_features),
            ));
        }
        Ok(())
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.split.is_none()).count()
    }

    /// Number of internal nodes.
    pub fn n_internal(&self) -> usize {
        self.nodes.len() - self.n_leaves()
    }

    /// Depth of the deepest leaf (a lone root: 0).
    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }

    /// The tree as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| invalid_parameter("tree", e.to_string()))
    }

    /// A tree read from [`to_json`](Self::to_json)'s text, checked with
    /// [`validate`](Self::validate).
    pub fn from_json(text: &str) -> Result<Self> {
        let tree: Self =
            serde_json::from_str(text).map_err(|e| invalid_parameter("tree JSON", e.to_string()))?;
        tree.validate()?;
        Ok(tree)
    }

    /// Checks a tree read from a file: a root, children after their parent, each node the
    /// child of at most one parent, valid tests, classes and proportions within range.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| invalid_parameter("tree", format!("inconsistent: {reason}"));
        if self.nodes.is_empty() {
            return Err(bad("it has no nodes".into()));
        }
        let mut parents = vec![0usize; self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            if node.class >= self.n_classes || node.proportions.len() != self.n_classes {
                return Err(bad(format!("node {i} has class {} of {} classes", node.class, self.n_classes)));
            }
            if let Some(split) = &node.split {
                split.test.check(self.n_features).map_err(|e| bad(format!("node {i}: {e}")))?;
                let (s, f) = (split.satisfied, split.failed);
                if s <= i || f <= i || s >= self.nodes.len() || f >= self.nodes.len() || s == f {
                    return Err(bad(format!("node {i} has children {s} and {f}")));
                }
                parents[s] += 1;
                parents[f] += 1;
            }
        }
        if let Some(i) = parents.iter().position(|&p| p > 1) {
            return Err(bad(format!("node {i} has several parents")));
        }
        Ok(())
    }
}
