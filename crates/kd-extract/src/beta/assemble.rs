//! From the chosen candidate rules to a [`DecisionSet`]: rules grouped by descriptor (subspaces
//! by the fitting rows their rules cover, largest first; rules within a subspace likewise; ties
//! to the earlier candidate), their coverage and agreement, the default rule (the teacher's
//! majority class on the rows no rule covers, ties to the lower class; on all rows when every row
//! is covered), the objective's terms, the overlaps within subspaces and the fidelity on the
//! fitting rows.

use ndarray::ArrayView2;

use super::candidates::Candidates;
use super::objective::{self, Weights};
use super::rows;
use super::rules::{self, Condition, DecisionSet, DefaultRule, FitSummary, Rule};
use crate::error::Result;

/// The decision set of the chosen candidate rules `chosen`.
pub(super) fn assemble(
    c: &Candidates,
    chosen: &[usize],
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    n_classes: usize,
    weights: &Weights,
) -> Result<DecisionSet> {
    let n = labels.len();
    let support = |i: usize| rows::count(c.rows.get(i));
    // Subspaces by the rows their rules cover (largest first), rules within them likewise.
    let mut groups: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    for &i in chosen {
        let outer = c.rules[i].outer;
        match groups.iter_mut().find(|g| g.0 == outer) {
            Some(g) => g.1.push(i),
            None => groups.push((outer, vec![i], 0)),
        }
    }
    for g in &mut groups {
        g.1.sort_by_key(|&i| (std::cmp::Reverse(support(i)), i));
        g.2 = g.1.iter().map(|&i| support(i)).sum();
    }
    groups.sort_by_key(|g| (std::cmp::Reverse(g.2), g.0));
    let order: Vec<usize> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
    let conditions = |itemset: usize| -> Vec<Condition> {
        c.itemsets[itemset].conditions.iter().map(|&k| c.conditions[k]).collect()
    };
    let rules: Vec<Rule> = order
        .iter()
        .map(|&i| {
            let cand = &c.rules[i];
            let s = support(i);
            Rule {
                outer: conditions(cand.outer),
                inner: conditions(cand.inner),
                class: cand.class,
                coverage: s as f64 / n as f64,
                agreement: (s - cand.wrong) as f64 / s as f64,
            }
        })
        .collect();
    let mut union = vec![0u64; c.rows.stride()];
    for &i in &order {
        for (u, w) in union.iter_mut().zip(c.rows.get(i)) {
            *u |= w;
        }
    }
    let uncovered: Vec<usize> = (0..n).filter(|&r| !rows::contains(&union, r)).collect();
    let pool: Vec<usize> = if uncovered.is_empty() { (0..n).collect() } else { uncovered.clone() };
    let mut counts = vec![0usize; n_classes];
    for &r in &pool {
        counts[labels[r]] += 1;
    }
    let class = (0..n_classes).fold(0, |b, k| if counts[k] > counts[b] { k } else { b });
    let overlaps =
        rules::overlaps(&rules, |a, b| rows::and_count(c.rows.get(order[a]), c.rows.get(order[b])));
    let terms = objective::terms(c, &order);
    let mut set = DecisionSet {
        n_features: x.ncols(),
        n_classes,
        rules,
        default: DefaultRule { class, coverage: uncovered.len() as f64 / n as f64 },
        fit: FitSummary {
            n_rows: n,
            n_conditions: c.conditions.len(),
            n_itemsets: c.itemsets.len(),
            n_candidates: c.rules.len(),
            terms,
            weights: *weights,
            objective: terms.value(weights, n),
            fidelity: 0.0,
            overlaps,
        },
    };
    let predicted = set.predict(x)?;
    set.fit.fidelity = predicted.iter().zip(labels).filter(|(p, l)| p == l).count() as f64 / n as f64;
    Ok(set)
}
