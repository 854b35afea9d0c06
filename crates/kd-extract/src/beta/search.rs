//! BETA's optimisation: the approximate local search of Lee, Mirrokni, Nagarajan & Sviridenko
//! (2009) for non-monotone submodular maximisation under matroid constraints, as Lakkaraju et al.
//! (2017, §3.3, Algorithm 1) use it.
//!
//! One local search starts from the empty set and applies moves while one raises `F` (see
//! [`objective`](super::objective)) by more than `1e-9`:
//! - add a candidate rule (feasible: at most `max_rules` rules, at most `max_subspaces`
//!   distinct descriptors, and no overlap with an inner rule of the same descriptor);
//! - remove a rule;
//! - swap: remove a rule and add a candidate, with the same feasibility.
//!
//! As in Lee et al., the search is run `rounds` times, each on the candidates not chosen by
//! earlier rounds (the paper: `k + 1` rounds for `k` constraints); each of these takes the best
//! move of a full scan (steepest ascent; ties to the first found), so its first move is the
//! best single rule, the paper's start. Then `restarts` more searches take the first improving
//! move met while scanning the candidates in a random order (ChaCha8 seeded with `seed` and the
//! restart's number; removals are tried first), which reaches other local optima. The solution
//! with the highest `F` is kept.
//!
//! Departures, stated: moves are accepted on an additive gain (`> 1e-9`) rather than the
//! multiplicative `(1 + ε/n⁴)` of the analysis, exchanges remove at most one rule, a search
//! stops after `max_moves` moves, and the randomised restarts are kd's addition (steepest
//! ascent from the best single rule tends to keep one broad rule that blocks finer ones). The
//! paper penalises overlap only through `ruleoverlap`; kd also forbids two inner rules of one
//! descriptor from covering a common fitting row, so that the rules of a subspace never compete
//! (the overlap term still applies across subspaces).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::candidates::Candidates;
use super::moves::{Best, Snapshot};
use super::objective::{Weights, terms};

/// Smallest gain of `F` a move must bring.
const MIN_GAIN: f64 = 1e-9;

/// The search's constraints and effort.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub(super) max_rules: usize,
    pub(super) max_subspaces: usize,
    pub(super) max_moves: usize,
    pub(super) rounds: usize,
    pub(super) restarts: usize,
    pub(super) seed: u64,
}

/// The chosen candidate rules (indices): the best of the local searches.
pub(super) fn search(c: &Candidates, w: &Weights, limits: Limits, n_rows: usize) -> Vec<usize> {
    let mut excluded = vec![false; c.rules.len()];
    let mut best: (f64, Vec<usize>) = (f64::NEG_INFINITY, Vec::new());
    let mut keep = |chosen: Vec<usize>| {
        let value = terms(c, &chosen).value(w, n_rows);
        if value > best.0 {
            best = (value, chosen);
        }
    };
    for _ in 0..limits.rounds {
        let chosen = local_search(c, w, &limits, n_rows, &excluded, None);
        if chosen.is_empty() {
            break;
        }
        for &i in &chosen {
            excluded[i] = true;
        }
        keep(chosen);
    }
    excluded.iter_mut().for_each(|e| *e = false);
    for restart in 0..limits.restarts {
        let mut order: Vec<usize> = (0..c.rules.len()).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(limits.seed.wrapping_add(restart as u64)));
        keep(local_search(c, w, &limits, n_rows, &excluded, Some(&order)));
    }
    if best.0 > 0.0 { best.1 } else { Vec::new() }
}

/// One local search from the empty set over the candidates not `excluded`: steepest ascent,
/// or first improvement in `order`.
fn local_search(
    c: &Candidates,
    w: &Weights,
    limits: &Limits,
    n: usize,
    excluded: &[bool],
    order: Option<&[usize]>,
) -> Vec<usize> {
    let mut set: Vec<usize> = Vec::new();
    let mut in_set = vec![false; c.rules.len()];
    let mut pair = Vec::new();
    let all: Vec<usize>;
    let scan = match order {
        Some(order) => order,
        None => {
            all = (0..c.rules.len()).collect();
            &all
        }
    };
    for _ in 0..limits.max_moves {
        let snap = Snapshot::new(c, &set);
        let mut best = Best::none(MIN_GAIN);
        snap.removals(c, &set, w, n, &mut best);
        for &e in scan {
            if order.is_some() && best.found() {
                break;
            }
            if !excluded[e] && !in_set[e] {
                snap.additions(c, &set, e, limits, w, n, &mut pair, &mut best);
            }
        }
        if !best.found() {
            break;
        }
        let before = if cfg!(debug_assertions) { terms(c, &set).value(w, n) } else { 0.0 };
        if let Some(k) = best.removed {
            in_set[set[k]] = false;
            set.remove(k);
        }
        if let Some(e) = best.added {
            in_set[e] = true;
            set.push(e);
        }
        debug_assert!((terms(c, &set).value(w, n) - before - best.gain).abs() < 1e-9, "move gain");
    }
    set
}
