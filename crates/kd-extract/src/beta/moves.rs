//! The moves of BETA's local search and their exact effect on the objective, computed from a
//! [`Snapshot`] of the current set `S` (its union, the rows only each rule covers, the pairwise
//! overlaps and the descriptors) without re-evaluating `F` from scratch:
//!
//! - remove `r`: `cover` loses the rows only `r` covers, `ruleoverlap` loses `2·Σ_j |r ∩ j|`,
//!   `featureoverlap` loses `r`'s inner rule against every descriptor and, if `r` was its
//!   descriptor's last rule, the descriptor against every inner rule;
//! - add `e`: `cover` gains `|e \ ∪S|`, `ruleoverlap` gains `2·Σ_j |e ∩ j|`, and symmetrically;
//! - swap `r` for `e`: the removal, then the addition to `S \ {r}`, whose union is
//!   `∪S` minus the rows only `r` covers.
//!
//! A debug build checks every applied move against a full evaluation.

use super::candidates::{Candidates, shared_features};
use super::objective::{Change, Weights};
use super::rows::{and_count, and_not_count, count};
use super::search::Limits;

/// The best move found so far: its gain, the rule removed (position in `S`), the rule added.
#[derive(Debug, Clone, Copy)]
pub(super) struct Best {
    pub(super) gain: f64,
    pub(super) removed: Option<usize>,
    pub(super) added: Option<usize>,
}

impl Best {
    /// No move yet; a move must gain more than `floor`.
    pub(super) fn none(floor: f64) -> Self {
        Self { gain: floor, removed: None, added: None }
    }

    fn offer(
        &mut self,
        change: &Change,
        w: &Weights,
        n: usize,
        removed: Option<usize>,
        added: Option<usize>,
    ) {
        let gain = change.value(w, n);
        if gain > self.gain {
            *self = Self { gain, removed, added };
        }
    }

    /// Whether a move was found.
    pub(super) fn found(&self) -> bool {
        self.removed.is_some() || self.added.is_some()
    }
}

/// What the current set `S` implies for every move, computed once per move.
pub(super) struct Snapshot {
    union: Vec<u64>,
    /// Per rule of `S`: the rows only it covers.
    only: Vec<Vec<u64>>,
    lost: Vec<usize>,
    /// Per rule of `S`: Σ over the other rules of the rows both cover.
    overlap: Vec<usize>,
    /// Distinct descriptors with their number of rules.
    descriptors: Vec<(usize, usize)>,
    /// Per rule of `S`: whether removing it removes its descriptor.
    removes_descriptor: Vec<bool>,
    /// Per rule of `S`: the fall of `featureoverlap` when it is removed.
    fo_drop: Vec<i64>,
}

impl Snapshot {
    pub(super) fn new(c: &Candidates, set: &[usize]) -> Self {
        let stride = c.rows.stride();
        let (mut union, mut multi) = (vec![0u64; stride], vec![0u64; stride]);
        for &i in set {
            for ((u, m), r) in union.iter_mut().zip(multi.iter_mut()).zip(c.rows.get(i)) {
                *m |= *u & r;
                *u |= r;
            }
        }
        let only: Vec<Vec<u64>> =
            set.iter().map(|&i| c.rows.get(i).iter().zip(&multi).map(|(r, m)| r & !m).collect()).collect();
        let lost = only.iter().map(|o| count(o)).collect();
        let overlap = set
            .iter()
            .map(|&i| set.iter().filter(|&&j| j != i).map(|&j| and_count(c.rows.get(i), c.rows.get(j))).sum())
            .collect();
        let mut descriptors: Vec<(usize, usize)> = Vec::new();
        for &i in set {
            match descriptors.iter_mut().find(|(q, _)| *q == c.rules[i].outer) {
                Some(d) => d.1 += 1,
                None => descriptors.push((c.rules[i].outer, 1)),
            }
        }
        let fo = |q: usize, s: usize| shared_features(&c.itemsets[q], &c.itemsets[s]) as i64;
        let removes_descriptor: Vec<bool> =
            set.iter().map(|&i| descriptors.iter().any(|&(q, k)| q == c.rules[i].outer && k == 1)).collect();
        let fo_drop = set
            .iter()
            .zip(&removes_descriptor)
            .map(|(&i, &removes)| {
                let (q, s) = (c.rules[i].outer, c.rules[i].inner);
                let from_rule: i64 = descriptors.iter().map(|&(d, _)| fo(d, s)).sum();
                let from_descriptor: i64 = set.iter().map(|&t| fo(q, c.rules[t].inner)).sum();
                from_rule + if removes { from_descriptor - fo(q, s) } else { 0 }
            })
            .collect();
        Self { union, only, lost, overlap, descriptors, removes_descriptor, fo_drop }
    }

    /// Offers every removal to `best`.
    pub(super) fn removals(&self, c: &Candidates, set: &[usize], w: &Weights, n: usize, best: &mut Best) {
        for (k, &r) in set.iter().enumerate() {
            let rule = &c.rules[r];
            let change = Change {
                cover: -(self.lost[k] as i64),
                disagreement: -(rule.wrong as i64),
                rule_overlap: -2 * self.overlap[k] as i64,
                predicates: -(rule.width as i64),
                feature_overlap: -self.fo_drop[k],
            };
            best.offer(&change, w, n, Some(k), None);
        }
    }

    /// Offers adding candidate `e`, and every swap of a rule of `S` for it, to `best`. `pair` is
    /// scratch space.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn additions(
        &self,
        c: &Candidates,
        set: &[usize],
        e: usize,
        limits: &Limits,
        w: &Weights,
        n: usize,
        pair: &mut Vec<usize>,
        best: &mut Best,
    ) {
        let fo = |q: usize, s: usize| shared_features(&c.itemsets[q], &c.itemsets[s]) as i64;
        let cand = &c.rules[e];
        let rows = c.rows.get(e);
        let fresh = and_not_count(rows, &self.union) as i64;
        pair.clear();
        pair.extend(set.iter().map(|&j| and_count(rows, c.rows.get(j))));
        let pair = &*pair;
        let shared: i64 = pair.iter().sum::<usize>() as i64;
        let clash = |k: usize| c.rules[set[k]].outer == cand.outer && pair[k] > 0;
        let clashes = (0..set.len()).filter(|&k| clash(k)).count();
        let known = self.descriptors.iter().any(|&(q, _)| q == cand.outer);
        let fo_inner: i64 = self.descriptors.iter().map(|&(q, _)| fo(q, cand.inner)).sum();
        let fo_outer: i64 = set.iter().map(|&t| fo(cand.outer, c.rules[t].inner)).sum();
        let own = fo(cand.outer, cand.inner);
        if set.len() < limits.max_rules
            && clashes == 0
            && (known || self.descriptors.len() < limits.max_subspaces)
        {
            let change = Change {
                cover: fresh,
                disagreement: cand.wrong as i64,
                rule_overlap: 2 * shared,
                predicates: cand.width as i64,
                feature_overlap: fo_inner + if known { 0 } else { fo_outer + own },
            };
            best.offer(&change, w, n, None, Some(e));
        }
        for (k, &r) in set.iter().enumerate() {
            if clashes - usize::from(clash(k)) > 0 {
                continue;
            }
            let out = &c.rules[r];
            let removes = self.removes_descriptor[k];
            let known_after = known && !(removes && out.outer == cand.outer);
            if !known_after && self.descriptors.len() - usize::from(removes) >= limits.max_subspaces {
                continue;
            }
            let gained = fresh + and_count(rows, &self.only[k]) as i64;
            let fo_in = fo_inner - if removes { fo(out.outer, cand.inner) } else { 0 };
            let fo_out = if known_after { 0 } else { fo_outer - fo(cand.outer, out.inner) + own };
            let change = Change {
                cover: gained - self.lost[k] as i64,
                disagreement: cand.wrong as i64 - out.wrong as i64,
                rule_overlap: 2 * (shared - pair[k] as i64 - self.overlap[k] as i64),
                predicates: cand.width as i64 - out.width as i64,
                feature_overlap: fo_in + fo_out - self.fo_drop[k],
            };
            best.offer(&change, w, n, Some(k), Some(e));
        }
    }
}
