//! TREPAN's best-first growth (Craven & Shavlik 1996, Table 1 of the paper).

use std::collections::BinaryHeap;

use ndarray::{Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::mofn::MofN;
use super::params::TrepanParams;
use super::sampling::{Marginals, sample_constrained};
use super::search::{Examples, SearchParams, best_test};
use super::stopping::passes_stopping_test;
use super::tree::{TrepanNode, TrepanSplit, TrepanTree};
use crate::error::{Result, invalid_parameter};
use crate::input::FeatureKind;
use crate::oracle::{Answers, Oracle};

/// Extracts a TREPAN tree from the classifier behind `oracle`; `x_train` (shape `(n, d)`,
/// categorical features as level codes of `kinds`) are the training rows, labelled by the
/// oracle once and used as the first examples of every node they reach. The oracle's query
/// counter includes them.
///
/// Errors: parameters out of range (see [`TrepanParams`]), no training rows, `kinds` of the
/// wrong length, a non-finite value or a level code out of range, a regression teacher.
pub fn trepan(
    params: &TrepanParams,
    x_train: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    oracle: &mut Oracle<'_>,
    seed: u64,
) -> Result<TrepanTree> {
    params.check()?;
    check_rows(x_train, kinds)?;
    if !oracle.task().is_classification() {
        return Err(invalid_parameter(
            "teacher",
            format!("'{}' is a regression model; TREPAN extracts classification trees only", oracle.name()),
        ));
    }
    let (y, n_classes) = classes(oracle.answer(x_train)?, None)?;
    let d = x_train.ncols();
    let ranges: Vec<(f64, f64)> = (0..d)
        .map(|j| {
            let col = x_train.column(j);
            (col.fold(f64::INFINITY, |a, &b| a.min(b)), col.fold(f64::NEG_INFINITY, |a, &b| a.max(b)))
        })
        .collect();
    let all: Vec<usize> = (0..x_train.nrows()).collect();
    let root_model = Marginals::fit(x_train, &all, kinds, &ranges, params.bandwidth);
    let mut grower = Grower {
        params,
        x: x_train,
        y: &y,
        kinds,
        ranges,
        n_classes,
        min_model_rows: params.min_model_rows.unwrap_or(10 * d),
        models: vec![root_model],
        rng: ChaCha8Rng::seed_from_u64(seed),
        nodes: Vec::new(),
        queue: BinaryHeap::new(),
    };
    grower.add_node(
        Origin { rows: all, model: 0, constraints: Vec::new(), depth: 0, reach: 1.0, parent: None },
        oracle,
    )?;
    let mut internal = 0;
    while internal < params.max_internal {
        let Some(next) = grower.queue.pop() else { break };
        if grower.split(next, oracle)? {
            internal += 1;
        }
    }
    Ok(TrepanTree { nodes: grower.nodes, n_features: d, n_classes })
}

/// Where a new node comes from.
struct Origin {
    rows: Vec<usize>,
    model: usize,
    constraints: Vec<(MofN, bool)>,
    depth: usize,
    reach: f64,
    /// The parent's class and proportions, for a node left without examples.
    parent: Option<(usize, Vec<f64>)>,
}

/// A node waiting in the queue, with its examples.
struct Pending {
    priority: f64,
    node: usize,
    x: Array2<f64>,
    y: Vec<usize>,
    origin: Origin,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    /// Larger `reach × (1 − fidelity)` first; among equals, the earlier node.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.priority.total_cmp(&other.priority).then(other.node.cmp(&self.node))
    }
}

struct Grower<'a, 'x> {
    params: &'a TrepanParams,
    x: ArrayView2<'x, f64>,
    y: &'a [usize],
    kinds: &'a [FeatureKind],
    ranges: Vec<(f64, f64)>,
    n_classes: usize,
    min_model_rows: usize,
    models: Vec<Marginals>,
    rng: ChaCha8Rng,
    nodes: Vec<TrepanNode>,
    queue: BinaryHeap<Pending>,
}

impl Grower<'_, '_> {
    /// Draws the node's queries, labels them, records the node and queues it unless it passes
    /// the stopping test.
    fn add_node(&mut self, origin: Origin, oracle: &mut Oracle<'_>) -> Result<usize> {
        let wanted = self.params.min_samples.saturating_sub(origin.rows.len());
        let model = &self.models[origin.model];
        let queries =
            sample_constrained(model, &origin.constraints, wanted, self.params.rejection_cap, &mut self.rng)?;
        let mut y: Vec<usize> = origin.rows.iter().map(|&r| self.y[r]).collect();
        if queries.nrows() > 0 {
            y.extend(classes(oracle.answer(queries.view())?, Some(self.n_classes))?.0);
        }
        let x = ndarray::concatenate(Axis(0), &[self.x.select(Axis(0), &origin.rows).view(), queries.view()])
            .map_err(|e| invalid_parameter("queries", e.to_string()))?;
        let mut counts = vec![0usize; self.n_classes];
        for &c in &y {
            counts[c] += 1;
        }
        let n = y.len();
        let (class, proportions, fidelity, stopped) = match (&origin.parent, n) {
            (Some((class, proportions)), 0) => (*class, proportions.clone(), 1.0, true),
            _ => {
                let class = (0..self.n_classes).fold(0, |b, c| if counts[c] > counts[b] { c } else { b });
                let proportions: Vec<f64> = counts.iter().map(|&c| c as f64 / n.max(1) as f64).collect();
                let stopped = passes_stopping_test(&counts, self.params.epsilon, self.params.delta);
                (class, proportions.clone(), proportions[class], stopped || n == 0)
            }
        };
        let id = self.nodes.len();
        self.nodes.push(TrepanNode {
            class,
            proportions,
            n_examples: n,
            n_train: origin.rows.len(),
            n_queries: queries.nrows(),
            reach: origin.reach,
            fidelity,
            stopped,
            depth: origin.depth,
            split: None,
        });
        if !stopped {
            let priority = origin.reach * (1.0 - fidelity);
            self.queue.push(Pending { priority, node: id, x, y, origin });
        }
        Ok(id)
    }

    /// Finds the node's m-of-n test and makes its two children; `false` (the node stays a
    /// leaf) when no test gains `min_gain`.
    fn split(&mut self, pending: Pending, oracle: &mut Oracle<'_>) -> Result<bool> {
        let search = SearchParams {
            beam_width: self.params.beam_width,
            max_literals: self.params.max_literals,
            min_gain: self.params.min_gain,
            alpha: self.params.literal_alpha,
        };
        let examples = Examples::new(pending.x.view(), &pending.y, self.n_classes);
        let Some(found) = best_test(&examples, &search) else { return Ok(false) };
        let satisfied = pending.x.rows().into_iter().filter(|row| found.test.holds(*row)).count();
        let share = satisfied as f64 / pending.y.len() as f64;
        let node = &self.nodes[pending.node];
        let parent = Some((node.class, node.proportions.clone()));
        let origin = pending.origin;
        let mut children = [0; 2];
        for (k, outcome) in [true, false].into_iter().enumerate() {
            let rows: Vec<usize> =
                origin.rows.iter().copied().filter(|&r| found.test.holds(self.x.row(r)) == outcome).collect();
            let model = if rows.len() >= self.min_model_rows {
                self.models.push(Marginals::fit(
                    self.x,
                    &rows,
                    self.kinds,
                    &self.ranges,
                    self.params.bandwidth,
                ));
                self.models.len() - 1
            } else {
                origin.model
            };
            let mut constraints = origin.constraints.clone();
            constraints.push((found.test.clone(), outcome));
            let reach = origin.reach * if outcome { share } else { 1.0 - share };
            let child =
                Origin { rows, model, constraints, depth: origin.depth + 1, reach, parent: parent.clone() };
            children[k] = self.add_node(child, oracle)?;
        }
        self.nodes[pending.node].split = Some(TrepanSplit {
            test: found.test,
            satisfied: children[0],
            failed: children[1],
            gain: found.gain,
        });
        Ok(true)
    }
}

/// The classes of an oracle's answers, checked against `n_classes` when known.
fn classes(answers: Answers, n_classes: Option<usize>) -> Result<(Vec<usize>, usize)> {
    match answers {
        Answers::Classes { y, n_classes: k } if n_classes.is_none_or(|n| n == k) && k >= 1 => Ok((y, k)),
        Answers::Classes { n_classes: k, .. } => Err(invalid_parameter(
            "teacher",
            format!("answered with {k} classes, earlier with {}", n_classes.unwrap_or(0)),
        )),
        Answers::Values(_) => Err(invalid_parameter(
            "teacher",
            "answers with values; TREPAN extracts classification trees only",
        )),
    }
}

/// At least one row, one kind per feature, finite values, level codes within range.
fn check_rows(x: ArrayView2<'_, f64>, kinds: &[FeatureKind]) -> Result<()> {
    if x.nrows() == 0 {
        return Err(invalid_parameter("x_train", "no rows (at least 1)"));
    }
    if kinds.len() != x.ncols() {
        return Err(invalid_parameter("kinds", format!("{} kinds for {} features", kinds.len(), x.ncols())));
    }
    for ((r, j), &v) in x.indexed_iter() {
        let ok = match kinds[j] {
            FeatureKind::Numeric => v.is_finite(),
            FeatureKind::Categorical { levels } => v >= 0.0 && v.fract() == 0.0 && v < levels as f64,
        };
        if !ok {
            return Err(invalid_parameter(
                "x_train",
                format!("row {r}, feature {j} holds {v} (finite numbers; level codes 0..levels)"),
            ));
        }
    }
    Ok(())
}
