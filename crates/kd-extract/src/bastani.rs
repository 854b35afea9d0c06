//! Model extraction by Bastani, Kim & Bastani (2017), "Interpretability via model extraction"
//! (FAT/ML; arXiv:1706.09773): a decision tree grown greedily on the black box's answers at
//! points drawn from an input model, with fresh points at every node.
//!
//! 1. Fit the input model `P`, a mixture of axis-aligned Gaussians ([`Mixture`]), to the
//!    validator's rows, and label those rows with the teacher.
//! 2. Every node `N` (the region `C_N` of the points that reach it) holds the points of its
//!    parent that fall in `C_N`; when they are fewer than `samples_per_node`, it is topped up
//!    with points drawn from `P` restricted to `C_N` (exact truncated sampling) and labelled by
//!    the teacher. Its best split is CART's (Gini for classes, squared error for values) on
//!    those points.
//! 3. Best-first: the leaf split next is the one whose split gain, weighted by its probability
//!    `P(C_N)`, is largest, until the leaf budget is spent.
//!
//! The result is a kd-students [`Tree`] with all its exports; its node row counts are the
//! validator's rows that reach each node (not the drawn points), so rule coverages are shares of
//! real rows.

use kd_students::tree::{Criterion, Node, Tree, TreeParams, TreeTarget, best_node_split};
use ndarray::{Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Result, invalid_parameter};
use crate::input::{FeatureKind, Mixture, MixtureParams, Region};
use crate::oracle::{Answers, Oracle};

/// Parameters of [`extract`].
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `max_leaves` | 16 | leaf budget (at least 2) |
/// | `samples_per_node` | 1000 | points each node is decided on (real rows first, then drawn) |
/// | `min_samples_leaf` | 1 | points each side of a split must keep |
/// | `max_depth` | none | depth limit |
/// | `mixture` | BIC, up to 10 components | the input model |
/// | `seed` | 0 | sampling seed |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BastaniParams {
    /// Leaf budget.
    pub max_leaves: usize,
    /// Points per node.
    pub samples_per_node: usize,
    /// Minimum points per side of a split.
    pub min_samples_leaf: usize,
    /// Maximum depth.
    pub max_depth: Option<usize>,
    /// Input model.
    pub mixture: MixtureParams,
    /// Seed of the draws.
    pub seed: u64,
}

impl Default for BastaniParams {
    fn default() -> Self {
        Self {
            max_leaves: 16,
            samples_per_node: 1000,
            min_samples_leaf: 1,
            max_depth: None,
            mixture: MixtureParams::default(),
            seed: 0,
        }
    }
}

/// An extracted tree and what it cost.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Extraction {
    /// The tree (class proportions or mean values at its nodes).
    pub tree: Tree,
    /// The fitted input model.
    pub mixture: Mixture,
    /// Points the teacher was asked about, the validator's rows included.
    pub n_queries: usize,
    /// Seconds spent waiting for the teacher (the rest of the time is kd's).
    pub teacher_seconds: f64,
}

/// A node's points and the teacher's answers at them.
struct NodeData {
    region: Region,
    x: Array2<f64>,
    answers: Answers,
}

/// A leaf waiting to be split.
struct Candidate {
    priority: f64,
    node: usize,
    feature: usize,
    threshold: f64,
    data: NodeData,
}

/// Takes the candidate with the largest weighted gain out of `frontier` (among equals, the
/// earlier node).
fn take_best(frontier: &mut Vec<Candidate>) -> Option<Candidate> {
    let best = frontier
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| a.priority.total_cmp(&b.priority).then(b.node.cmp(&a.node)))
        .map(|(k, _)| k)?;
    Some(frontier.swap_remove(best))
}

/// Extracts a tree from the teacher behind `oracle`, with `x` (shape `(n, d)`, categorical
/// features as level codes of `kinds`) as the validator's rows.
pub fn extract(
    params: &BastaniParams,
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    oracle: &mut Oracle<'_>,
) -> Result<Extraction> {
    check(params)?;
    let mixture = Mixture::fit(&params.mixture, x, kinds)?;
    let answers = oracle.answer(x)?;
    let tree_params = TreeParams {
        criterion: match answers {
            Answers::Classes { .. } => Criterion::Gini,
            Answers::Values(_) => Criterion::SquaredError,
        },
        max_depth: params.max_depth,
        min_samples_leaf: params.min_samples_leaf,
        max_leaves: Some(params.max_leaves),
        ..TreeParams::default()
    };
    let mut grower = Grower {
        params,
        tree_params,
        mixture: &mixture,
        rng: ChaCha8Rng::seed_from_u64(params.seed),
        nodes: Vec::new(),
    };
    let root = NodeData { region: Region::everywhere(x.ncols()), x: x.to_owned(), answers };
    let mut frontier = Vec::new();
    grower.add_node(root, 0, oracle, &mut frontier)?;
    let mut leaves = 1;
    while leaves < params.max_leaves {
        let Some(c) = take_best(&mut frontier) else { break };
        let (left_region, right_region) = c.data.region.split(c.feature, c.threshold);
        let goes_left: Vec<bool> = c.data.x.column(c.feature).iter().map(|&v| v <= c.threshold).collect();
        let rows_where =
            |side: bool| (0..goes_left.len()).filter(|&r| goes_left[r] == side).collect::<Vec<_>>();
        let (left_rows, right_rows) = (rows_where(true), rows_where(false));
        let depth = grower.nodes[c.node].depth + 1;
        let mut child = |region: Region, rows: &[usize], frontier: &mut Vec<Candidate>| {
            let data =
                NodeData { region, x: c.data.x.select(Axis(0), rows), answers: c.data.answers.select(rows) };
            grower.add_node(data, depth, oracle, frontier)
        };
        let left = child(left_region, &left_rows, &mut frontier)?;
        let right = child(right_region, &right_rows, &mut frontier)?;
        grower.nodes[c.node].split = Some((c.feature, c.threshold, left, right));
        leaves += 1;
    }
    let mut tree =
        Tree { params: tree_params, nodes: grower.nodes, n_features: x.ncols(), levels: Vec::new() };
    tree.validate()?;
    count_rows(&mut tree, x);
    Ok(Extraction { tree, mixture, n_queries: oracle.queries(), teacher_seconds: oracle.teacher_seconds() })
}

struct Grower<'a> {
    params: &'a BastaniParams,
    tree_params: TreeParams,
    mixture: &'a Mixture,
    rng: ChaCha8Rng,
    nodes: Vec<Node>,
}

impl Grower<'_> {
    /// Tops the node's points up, records the node and queues its best split.
    fn add_node(
        &mut self,
        mut data: NodeData,
        depth: usize,
        oracle: &mut Oracle<'_>,
        frontier: &mut Vec<Candidate>,
    ) -> Result<usize> {
        let missing = self.params.samples_per_node.saturating_sub(data.x.nrows());
        if missing > 0 {
            let drawn = self.mixture.sample(&data.region, missing, &mut self.rng)?;
            let answers = oracle.answer(drawn.view())?;
            data.answers.append(answers);
            data.x = ndarray::concatenate(Axis(0), &[data.x.view(), drawn.view()])
                .map_err(|e| invalid_parameter("samples", e.to_string()))?;
        }
        let (impurity, value, split) = match &data.answers {
            Answers::Classes { y, n_classes } => best_node_split(
                &self.tree_params,
                data.x.view(),
                TreeTarget::Classes { y, n_classes: *n_classes },
            )?,
            Answers::Values(v) => {
                best_node_split(&self.tree_params, data.x.view(), TreeTarget::Values(v.view()))?
            }
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            n_samples: data.x.nrows(),
            impurity,
            value,
            depth,
            split: None,
            levels: None,
            missing_left: None,
        });
        let deep_enough = self.params.max_depth.is_some_and(|d| depth >= d);
        if let (Some(split), false) = (split, deep_enough) {
            let priority = split.gain * self.mixture.mass(&data.region);
            frontier.push(Candidate {
                priority,
                node: id,
                feature: split.feature,
                threshold: split.threshold,
                data,
            });
        }
        Ok(id)
    }
}

/// Sets every node's row count to the validator's rows that reach it (not the drawn points), so
/// that rule coverages are shares of real rows.
fn count_rows(tree: &mut Tree, x: ArrayView2<'_, f64>) {
    for node in &mut tree.nodes {
        node.n_samples = 0;
    }
    for row in x.rows() {
        let mut node = 0;
        loop {
            tree.nodes[node].n_samples += 1;
            match tree.nodes[node].split {
                Some((f, t, left, right)) => node = if f64::from(row[f] as f32) <= t { left } else { right },
                None => break,
            }
        }
    }
}

fn check(params: &BastaniParams) -> Result<()> {
    if params.max_leaves < 2 {
        return Err(invalid_parameter("max_leaves", format!("{} (at least 2)", params.max_leaves)));
    }
    if params.samples_per_node < 2 {
        return Err(invalid_parameter(
            "samples_per_node",
            format!("{} (at least 2)", params.samples_per_node),
        ));
    }
    if params.min_samples_leaf < 1 {
        return Err(invalid_parameter("min_samples_leaf", "0 (at least 1)"));
    }
    Ok(())
}
