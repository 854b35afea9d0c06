//! The split search of one TREPAN node: the best single literal, then a beam search over m-of-n
//! tests seeded with it (Craven & Shavlik 1996, §3; Craven 1996, ch. 4).
//!
//! Every candidate is scored by information gain (in bits) on the node's examples, labelled by
//! the oracle: `H(S) − |S₊|/|S|·H(S₊) − |S₋|/|S|·H(S₋)` with `S₊` the examples that satisfy the
//! test. The beam (width `beam_width`, 2 in the paper) starts from both directions of the best
//! single test `x_j ≤ t` / `x_j > t` (they make the same partition but grow differently). Each
//! test `m of {L}` is extended by the paper's two operators, `m of {L ∪ l}` (looser) and
//! `m+1 of {L ∪ l}` (tighter), for every literal `l` not conflicting with `L`.
//!
//! Extending is one sweep per feature: with `c_i` the literals of `L` example `i` satisfies
//! and `m'` the new `m`, examples with `c_i ≥ m'` satisfy the new test whatever `l` says, those
//! with `c_i < m' − 1` fail it, and only those with `c_i = m' − 1` follow `l`; so the best
//! threshold of a feature comes from one pass over its presorted values, as in CART. Thresholds
//! are midpoints between consecutive distinct values of the examples `l` decides.
//!
//! A child enters the beam only when its gain exceeds its parent's significantly: the
//! likelihood-ratio statistic of the increase, `G = 2·n·ln 2·Δgain`, must pass the `χ²(K − 1)`
//! critical value at level `alpha` (and `Δgain ≥ min_gain`). The thesis likewise admits only
//! tests that differ significantly from their parent, by a χ² test; this is our reading of it.
//! The search stops when the beam no longer changes (or at `max_literals` literals, a cap not in
//! the paper); the best test found is then pruned of literals whose removal loses no
//! significant gain (`prune.rs`, after the thesis's literal pruning).

use ndarray::ArrayView2;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::mofn::{Literal, MofN};
use super::prune::prune_literals;

/// A test and its information gain on the node's examples.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub test: MofN,
    pub gain: f64,
    /// Literals satisfied per example.
    pub(super) counts: Vec<usize>,
}

/// What the search needs besides the examples.
pub(crate) struct SearchParams {
    pub beam_width: usize,
    pub max_literals: usize,
    pub min_gain: f64,
    pub alpha: f64,
}

/// The node's labelled examples with every feature presorted.
pub(crate) struct Examples<'a> {
    pub(super) x: ArrayView2<'a, f64>,
    y: &'a [usize],
    n_classes: usize,
    order: Vec<Vec<usize>>,
    entropy: f64,
}

impl<'a> Examples<'a> {
    pub fn new(x: ArrayView2<'a, f64>, y: &'a [usize], n_classes: usize) -> Self {
        let order = (0..x.ncols())
            .map(|j| {
                let mut rows: Vec<usize> = (0..x.nrows()).collect();
                rows.sort_by(|&a, &b| x[[a, j]].total_cmp(&x[[b, j]]));
                rows
            })
            .collect();
        let mut counts = vec![0.0; n_classes];
        for &c in y {
            counts[c] += 1.0;
        }
        Self { x, y, n_classes, order, entropy: entropy(&counts) }
    }
}

/// Entropy in bits of class counts.
fn entropy(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    counts.iter().filter(|&&c| c > 0.0).map(|&c| -(c / total) * (c / total).log2()).sum()
}

/// The best m-of-n test, or `None` when no test gains at least `min_gain` bits.
pub(crate) fn best_test(ex: &Examples<'_>, params: &SearchParams) -> Option<Scored> {
    let empty = Scored { test: MofN { m: 0, literals: Vec::new() }, gain: 0.0, counts: vec![0; ex.y.len()] };
    let mut seed: Option<(Literal, f64)> = None;
    for (literal, gain) in extensions(ex, &empty, 1) {
        if seed.is_none_or(|(_, g)| gain > g) {
            seed = Some((literal, gain));
        }
    }
    let seed = seed?;
    if seed.1 < params.min_gain || seed.1 <= 0.0 {
        return None;
    }
    let step = params.min_gain.max(significant_increase(ex, params.alpha));
    let both = [seed.0, seed.0.negated()].map(|l| child(ex, &empty, 1, l, seed.1));
    let mut beam: Vec<Scored> = both.into_iter().take(params.beam_width).collect();
    let mut best = beam[0].clone();
    loop {
        let mut pool = beam.clone();
        for state in &beam {
            if state.test.n() >= params.max_literals {
                continue;
            }
            for m_new in [state.test.m, state.test.m + 1] {
                for (literal, gain) in extensions(ex, state, m_new) {
                    if gain - state.gain >= step && gain > state.gain {
                        let c = child(ex, state, m_new, literal, gain);
                        if !pool.iter().any(|p| same_test(&p.test, &c.test)) {
                            pool.push(c);
                        }
                    }
                }
            }
        }
        // Stable sort: among equal gains the earlier (beam first, then generation order) wins.
        pool.sort_by(|a, b| b.gain.total_cmp(&a.gain));
        pool.truncate(params.beam_width);
        if pool[0].gain > best.gain {
            best = pool[0].clone();
        }
        let unchanged =
            pool.len() == beam.len() && pool.iter().zip(&beam).all(|(a, b)| same_test(&a.test, &b.test));
        if unchanged {
            return Some(prune_literals(ex, best, step, seed.1));
        }
        beam = pool;
    }
}

/// The smallest significant gain increase in bits: the `χ²(K − 1)` critical value at level
/// `alpha` over `2·n·ln 2`.
fn significant_increase(ex: &Examples<'_>, alpha: f64) -> f64 {
    let df = ex.n_classes.saturating_sub(1).max(1) as f64;
    let critical = ChiSquared::new(df).map(|d| d.inverse_cdf(1.0 - alpha)).unwrap_or(0.0);
    critical / (2.0 * ex.y.len().max(1) as f64 * std::f64::consts::LN_2)
}

/// Information gain of `m of {…}` given the literals each example satisfies.
pub(super) fn gain_of(ex: &Examples<'_>, counts: &[usize], m: usize) -> f64 {
    let k = ex.n_classes;
    let (mut sat, mut unsat) = (vec![0.0; k], vec![0.0; k]);
    for (&c, &y) in counts.iter().zip(ex.y) {
        if c >= m {
            sat[y] += 1.0;
        } else {
            unsat[y] += 1.0;
        }
    }
    let n = ex.y.len() as f64;
    let (a, b): (f64, f64) = (sat.iter().sum(), unsat.iter().sum());
    ex.entropy - a / n * entropy(&sat) - b / n * entropy(&unsat)
}

/// Same `m` and the same set of literals.
fn same_test(a: &MofN, b: &MofN) -> bool {
    a.m == b.m && a.n() == b.n() && a.literals.iter().all(|l| b.literals.contains(l))
}

fn child(ex: &Examples<'_>, parent: &Scored, m: usize, literal: Literal, gain: f64) -> Scored {
    let mut literals = parent.test.literals.clone();
    literals.push(literal);
    let counts = (0..ex.y.len())
        .map(|i| parent.counts[i] + usize::from(literal.holds_for(ex.x[[i, literal.feature]])))
        .collect();
    Scored { test: MofN { m, literals }, gain, counts }
}

/// For every feature and direction, the best literal `l` to make `m_new of {L ∪ l}`, with
/// its gain; literals conflicting with `L` are skipped.
fn extensions(ex: &Examples<'_>, state: &Scored, m_new: usize) -> Vec<(Literal, f64)> {
    let k = ex.n_classes;
    let (mut sure, mut open, mut fail) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for (i, &c) in state.counts.iter().enumerate() {
        let bucket = if c >= m_new {
            &mut sure
        } else if c + 1 == m_new {
            &mut open
        } else {
            &mut fail
        };
        bucket[ex.y[i]] += 1.0;
    }
    if open.iter().sum::<f64>() == 0.0 {
        return Vec::new();
    }
    let n = ex.y.len() as f64;
    let gain = |sat: &[f64], unsat: &[f64]| {
        let (a, b): (f64, f64) = (sat.iter().sum(), unsat.iter().sum());
        ex.entropy - a / n * entropy(sat) - b / n * entropy(unsat)
    };
    let mut out = Vec::new();
    let (mut sat, mut unsat) = (vec![0.0; k], vec![0.0; k]);
    for (j, order) in ex.order.iter().enumerate() {
        let existing: Vec<&Literal> = state.test.literals.iter().filter(|l| l.feature == j).collect();
        let mut best_le: Option<(f64, f64)> = None;
        let mut best_gt: Option<(f64, f64)> = None;
        let mut prefix = vec![0.0; k];
        let mut previous: Option<f64> = None;
        for &i in order.iter().filter(|&&i| state.counts[i] + 1 == m_new) {
            let v = ex.x[[i, j]];
            if let Some(p) = previous.filter(|&p| v > p) {
                let mid = 0.5 * (p + v);
                let t = if mid >= v { p } else { mid };
                for (c, s) in sat.iter_mut().enumerate() {
                    *s = sure[c] + prefix[c];
                    unsat[c] = fail[c] + open[c] - prefix[c];
                }
                let g = gain(&sat, &unsat);
                if allowed(&existing, Literal::at_most(j, t)) && best_le.is_none_or(|(_, b)| g > b) {
                    best_le = Some((t, g));
                }
                for (c, s) in sat.iter_mut().enumerate() {
                    *s = sure[c] + open[c] - prefix[c];
                    unsat[c] = fail[c] + prefix[c];
                }
                let g = gain(&sat, &unsat);
                if allowed(&existing, Literal::above(j, t)) && best_gt.is_none_or(|(_, b)| g > b) {
                    best_gt = Some((t, g));
                }
            }
            prefix[ex.y[i]] += 1.0;
            previous = Some(v);
        }
        out.extend(best_le.map(|(t, g)| (Literal::at_most(j, t), g)));
        out.extend(best_gt.map(|(t, g)| (Literal::above(j, t), g)));
    }
    out
}

fn allowed(existing: &[&Literal], literal: Literal) -> bool {
    existing.iter().all(|e| !e.conflicts(&literal))
}
