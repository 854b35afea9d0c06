//! BETA's objective (Lakkaraju et al. 2017, §3.2): fidelity, unambiguity and interpretability
//! terms of a set `R` of rules `(q_i, s_i, c_i)`, computed on the `N` fitting rows `X` with the
//! teacher's classes `B(x)`:
//!
//! | term | definition | paper's goal |
//! |---|---|---|
//! | `disagreement(R)` | `Σ_i |{x : x satisfies q_i ∧ s_i, B(x) ≠ c_i}|` | fidelity |
//! | `cover(R)` | `|{x : x satisfies some q_i ∧ s_i}|` | unambiguity |
//! | `ruleoverlap(R)` | `Σ_i Σ_{j ≠ i} |{x : x satisfies q_i ∧ s_i and q_j ∧ s_j}|` | unambiguity |
//! | `numpreds(R)` | `Σ_i width(q_i) + width(s_i)` | interpretability |
//! | `featureoverlap(R)` | `Σ_{q ∈ dset(R)} Σ_i featureoverlap(q, s_i)` | interpretability |
//!
//! where `dset(R)` is the set of distinct outer descriptors and `featureoverlap(q, s)` the number
//! of features used by both. The paper maximises `Σ λ_k f_k` with `f_k = const_k − term_k` (or
//! `cover`), under `size(R) ≤ ε₁`, `maxwidth(R) ≤ ε₂` and `numdsets(R) ≤ ε₃`. The constants
//! only make each `f_k` non-negative, so kd maximises the equivalent
//!
//! ```text
//! F(R) = λ_cover·cover/N − λ_disagreement·disagreement/N − λ_overlap·ruleoverlap/N
//!        − λ_predicates·numpreds − λ_feature_overlap·featureoverlap
//! ```
//!
//! Departure, stated: the row-count terms are divided by `N`, so that the weights do not depend
//! on the size of the data (the paper leaves the scaling to the λ).

use serde::{Deserialize, Serialize};

use super::candidates::{Candidates, shared_features};
use super::rows::{and_count, count};

/// Weights of the objective's terms (the paper's λ).
///
/// | weight | default | per unit of |
/// |---|---|---|
/// | `cover` | 1 | share of rows covered by some rule |
/// | `disagreement` | 2 | share of rows (counted once per rule covering them) whose rule's class is not the teacher's |
/// | `rule_overlap` | 1 | share of rows covered by two rules (counted for each ordered pair) |
/// | `predicates` | 0.001 | condition in a rule (outer and inner) |
/// | `feature_overlap` | 0.001 | feature shared by a descriptor and an inner rule |
///
/// With the defaults a rule pays for the rows it alone covers by `(2·agreement − 1)` of their
/// share: it must agree with the teacher on more than half of them, and an overlapping row
/// costs more than an uncovered one. The defaults are kd's, chosen before any experiment (the
/// paper treats the λ as parameters to tune; see [`beta_tuned`](super::beta_tuned)). Every weight
/// must be finite and non-negative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// λ of `cover / N`.
    pub cover: f64,
    /// λ of `disagreement / N`.
    pub disagreement: f64,
    /// λ of `ruleoverlap / N`.
    pub rule_overlap: f64,
    /// λ of `numpreds`.
    pub predicates: f64,
    /// λ of `featureoverlap`.
    pub feature_overlap: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self { cover: 1.0, disagreement: 2.0, rule_overlap: 1.0, predicates: 0.001, feature_overlap: 0.001 }
    }
}

impl Weights {
    /// The weights by name, for checking.
    pub(super) fn named(&self) -> [(&'static str, f64); 5] {
        [
            ("weights.cover", self.cover),
            ("weights.disagreement", self.disagreement),
            ("weights.rule_overlap", self.rule_overlap),
            ("weights.predicates", self.predicates),
            ("weights.feature_overlap", self.feature_overlap),
        ]
    }
}

/// The objective's terms for a set of rules, as counts on the fitting rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Terms {
    /// Rows covered by at least one rule.
    pub cover: usize,
    /// Σ over rules of the covered rows where the teacher disagrees with the rule.
    pub disagreement: usize,
    /// Σ over ordered pairs of rules of the rows both cover.
    pub rule_overlap: usize,
    /// Σ over rules of their conditions.
    pub predicates: usize,
    /// Σ over distinct descriptors and rules of the features they share.
    pub feature_overlap: usize,
    /// Rules (`size(R)`).
    pub rules: usize,
    /// Distinct outer descriptors (`numdsets(R)`).
    pub subspaces: usize,
}

/// A change of the terms by a move, signed.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Change {
    pub(super) cover: i64,
    pub(super) disagreement: i64,
    pub(super) rule_overlap: i64,
    pub(super) predicates: i64,
    pub(super) feature_overlap: i64,
}

impl Change {
    /// The change of `F`.
    pub(super) fn value(&self, w: &Weights, n_rows: usize) -> f64 {
        let n = n_rows as f64;
        w.cover * self.cover as f64 / n
            - w.disagreement * self.disagreement as f64 / n
            - w.rule_overlap * self.rule_overlap as f64 / n
            - w.predicates * self.predicates as f64
            - w.feature_overlap * self.feature_overlap as f64
    }
}

impl Terms {
    /// `F(R)` for these terms.
    pub fn value(&self, w: &Weights, n_rows: usize) -> f64 {
        let as_change = Change {
            cover: self.cover as i64,
            disagreement: self.disagreement as i64,
            rule_overlap: self.rule_overlap as i64,
            predicates: self.predicates as i64,
            feature_overlap: self.feature_overlap as i64,
        };
        as_change.value(w, n_rows)
    }
}

/// The terms of the rules `selection` (indices of candidate rules), from scratch.
pub(super) fn terms(c: &Candidates, selection: &[usize]) -> Terms {
    let mut union = vec![0u64; c.rows.stride()];
    let mut t = Terms { rules: selection.len(), ..Terms::default() };
    let mut descriptors: Vec<usize> = selection.iter().map(|&i| c.rules[i].outer).collect();
    descriptors.sort_unstable();
    descriptors.dedup();
    t.subspaces = descriptors.len();
    for (k, &i) in selection.iter().enumerate() {
        let rule = &c.rules[i];
        let rows = c.rows.get(i);
        for (u, w) in union.iter_mut().zip(rows) {
            *u |= w;
        }
        t.disagreement += rule.wrong;
        t.predicates += rule.width;
        t.rule_overlap += 2 * selection[..k].iter().map(|&j| and_count(rows, c.rows.get(j))).sum::<usize>();
        t.feature_overlap += descriptors
            .iter()
            .map(|&q| shared_features(&c.itemsets[q], &c.itemsets[rule.inner]))
            .sum::<usize>();
    }
    t.cover = count(&union);
    t
}
