//! BETA's candidate sets: conditions on discretised features, frequent itemsets mined from them
//! with apriori (Agrawal & Srikant 1994), and the candidate rules `(outer, inner, class)` built
//! from pairs of itemsets (Lakkaraju et al. 2017, §3: the candidate neighbourhood descriptors
//! `ND` and decision-logic rules `DL` are both frequent itemsets).
//!
//! - A numeric feature is cut at its type-1 quantiles `t_k = v_(⌈k·n/bins⌉)` (sorted values,
//!   `k = 1 … bins − 1`, repeated cuts and cuts at the maximum dropped), giving one condition per
//!   bin: `x <= t_1`, `t_1 < x <= t_2`, …, `x > t_m`. A categorical feature gives `x == level`
//!   for each level.
//! - An itemset is a conjunction of 1 to `max_conditions` conditions on distinct features whose
//!   support (share of rows satisfying it) is at least `min_support`; apriori grows `k + 1`-sets
//!   by joining `k`-sets that share their first `k − 1` conditions.
//! - A candidate rule pairs an outer itemset `q` with an inner itemset `s` on other features
//!   (two conditions on one feature are either the same condition or disjoint, so such pairs
//!   are redundant or empty) whose joint support is at least `min_support`. Its class is the
//!   teacher's majority class on the rows it covers (ties to the lower class): for a fixed
//!   `(q, s)` this is the class that minimises the paper's disagreement term, so the other
//!   triples `(q, s, c)` can never be part of an optimum and are not enumerated.

use kd_core::quantile::{QuantileDef, quantile_cuts};
use ndarray::ArrayView2;

use super::rows::{RowSets, and_count, and_into, count};
use super::rules::{Condition, Test};
use crate::error::{Result, invalid_parameter};
use crate::input::FeatureKind;

/// A frequent conjunction of conditions.
#[derive(Debug, Clone)]
pub(super) struct Itemset {
    /// Indices into the condition list, increasing.
    pub(super) conditions: Vec<usize>,
    /// The features they test, increasing.
    pub(super) features: Vec<usize>,
}

/// A candidate rule: outer itemset, inner itemset and the class it assigns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) outer: usize,
    pub(super) inner: usize,
    pub(super) class: usize,
    /// Covered rows where the teacher's class differs from `class`.
    pub(super) wrong: usize,
    /// Conditions in `outer` and `inner` together.
    pub(super) width: usize,
}

/// Everything the search chooses from.
#[derive(Debug, Clone)]
pub(super) struct Candidates {
    pub(super) conditions: Vec<Condition>,
    pub(super) itemsets: Vec<Itemset>,
    pub(super) rules: Vec<Candidate>,
    /// Rows covered by each candidate rule (same order as `rules`).
    pub(super) rows: RowSets,
}

/// The bin conditions of each numeric feature and the level conditions of each categorical one,
/// in feature order.
pub(super) fn conditions(x: ArrayView2<'_, f64>, kinds: &[FeatureKind], bins: usize) -> Vec<Condition> {
    let mut out = Vec::new();
    for (feature, kind) in kinds.iter().enumerate() {
        match *kind {
            FeatureKind::Categorical { levels } => {
                out.extend((0..levels).map(|level| Condition { feature, test: Test::Level { level } }));
            }
            FeatureKind::Numeric => {
                let mut v: Vec<f64> = x.column(feature).to_vec();
                v.sort_by(f64::total_cmp);
                let cuts = quantile_cuts(&v, bins, QuantileDef::InvertedCdf);
                if cuts.is_empty() {
                    continue;
                }
                let mut lower = None;
                for &t in &cuts {
                    out.push(Condition { feature, test: Test::Interval { lower, upper: Some(t) } });
                    lower = Some(t);
                }
                out.push(Condition { feature, test: Test::Interval { lower, upper: None } });
            }
        }
    }
    out
}

/// Frequent itemsets of 1 to `max_conditions` conditions with at least `min_count` rows, by
/// apriori, with the rows each covers.
pub(super) fn itemsets(
    x: ArrayView2<'_, f64>,
    conditions: &[Condition],
    max_conditions: usize,
    min_count: usize,
) -> (Vec<Itemset>, RowSets) {
    let n = x.nrows();
    let mut items = Vec::new();
    let mut rows = RowSets::new(n);
    for (c, condition) in conditions.iter().enumerate() {
        let mut one = RowSets::new(n);
        one.push_rows(n, |r| condition.holds(x[[r, condition.feature]]));
        if count(one.get(0)) >= min_count {
            items.push(Itemset { conditions: vec![c], features: vec![condition.feature] });
            rows.push(one.get(0));
        }
    }
    let mut level_start = 0;
    let mut buffer = vec![0; rows.stride()];
    for _ in 1..max_conditions {
        let level_end = items.len();
        for a in level_start..level_end {
            for b in a + 1..level_end {
                let (ia, ib) = (&items[a], &items[b]);
                let k = ia.conditions.len();
                if ia.conditions[..k - 1] != ib.conditions[..k - 1] {
                    // Itemsets of a level are sorted, so those sharing a's prefix are contiguous.
                    break;
                }
                let (ca, cb) = (ia.conditions[k - 1], ib.conditions[k - 1]);
                if conditions[ca].feature == conditions[cb].feature {
                    continue;
                }
                and_into(rows.get(a), rows.get(b), &mut buffer);
                if count(&buffer) >= min_count {
                    let mut conds = ia.conditions.clone();
                    conds.push(cb);
                    let mut features: Vec<usize> = conds.iter().map(|&c| conditions[c].feature).collect();
                    features.sort_unstable();
                    items.push(Itemset { conditions: conds, features });
                    rows.push(&buffer);
                }
            }
        }
        level_start = level_end;
    }
    (items, rows)
}

/// Number of features two itemsets share (the paper's `featureoverlap(q, s)`).
pub(super) fn shared_features(a: &Itemset, b: &Itemset) -> usize {
    a.features.iter().filter(|f| b.features.contains(f)).count()
}

/// Candidate rules from every ordered pair of itemsets on distinct features with at least
/// `min_count` joint rows; refused when there are more than `max_candidates`.
pub(super) fn rules(
    itemsets: &[Itemset],
    item_rows: &RowSets,
    labels: &[usize],
    n_classes: usize,
    min_count: usize,
    max_candidates: usize,
) -> Result<(Vec<Candidate>, RowSets)> {
    let n = labels.len();
    let mut by_class = RowSets::new(n);
    for c in 0..n_classes {
        by_class.push_rows(n, |r| labels[r] == c);
    }
    let mut rules = Vec::new();
    let mut rows = RowSets::new(n);
    let mut buffer = vec![0; rows.stride()];
    for (outer, q) in itemsets.iter().enumerate() {
        for (inner, s) in itemsets.iter().enumerate() {
            if outer == inner || shared_features(q, s) > 0 {
                continue;
            }
            and_into(item_rows.get(outer), item_rows.get(inner), &mut buffer);
            let support = count(&buffer);
            if support < min_count {
                continue;
            }
            if rules.len() == max_candidates {
                return Err(invalid_parameter(
                    "max_candidates",
                    format!(
                        "more than {max_candidates} candidate rules have the minimum support; raise min_support, \
                         lower max_conditions or bins, or raise max_candidates (memory: one bit per row per candidate)"
                    ),
                ));
            }
            let (class, right) = (0..n_classes)
                .map(|c| (c, and_count(&buffer, by_class.get(c))))
                .fold((0, 0), |best, (c, k)| if k > best.1 { (c, k) } else { best });
            let width = q.conditions.len() + s.conditions.len();
            rules.push(Candidate { outer, inner, class, wrong: support - right, width });
            rows.push(&buffer);
        }
    }
    Ok((rules, rows))
}
