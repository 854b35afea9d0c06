//! BETA, Black Box Explanations through Transparent Approximations (Lakkaraju, Kamar, Caruana &
//! Leskovec, "Interpretable & Explorable Approximations of Black Box Models", FAT/ML 2017,
//! arXiv:1707.01154): a two-level decision set that approximates a classifier.
//!
//! Outer rules (neighbourhood descriptors) pick subspaces; inner rules (decision logic) label
//! rows within a subspace: `If age <= 30 and housing == rent: If duration > 24 then bad`. BETA
//! needs no new queries: it is fitted to the teacher's classes on rows the caller already has.
//!
//! 1. Candidates: numeric features are cut at quantiles, categorical ones give one condition per
//!    level; apriori mines the conjunctions of up to `max_conditions` conditions with support at
//!    least `min_support`; every pair (outer, inner) of them on distinct features with joint
//!    support at least `min_support` is a candidate rule, labelled with the teacher's majority
//!    class on the rows it covers.
//! 2. The objective: fidelity (disagreement), unambiguity (cover, rule overlap) and
//!    interpretability (predicates, feature overlap) terms, weighted by [`Weights`].
//! 3. The paper's approximate local search (add, remove and swap moves) under the constraints
//!    `max_rules` rules and `max_subspaces` descriptors, with seeded randomised restarts; inner
//!    rules of one descriptor never cover a common fitting row.
//! 4. The chosen rules become a [`DecisionSet`], with a default rule (the teacher's majority
//!    class on the rows no rule covers).
//! 5. Optionally, [`beta_tuned`] chooses the fidelity weight on held-out rows (the paper leaves
//!    its λ to be tuned).
//!
//! Every rule has an outer and an inner part on distinct features, so BETA needs at least two
//! features to say anything beyond the default rule. Each module's documentation states where
//! kd departs from the paper. [`beta`] is deterministic for a given `seed` (which orders the
//! randomised restarts of the search); ties are broken by the order of features, conditions and
//! candidates.
//!
//! ```
//! use kd_extract::beta::{BetaParams, beta};
//! use kd_extract::input::FeatureKind;
//! // A group x0 in {0, 1} and a number x1; class 1 exactly when x1 is in its top half.
//! let x = ndarray::Array2::from_shape_fn((40, 2), |(i, j)| if j == 0 { (i % 2) as f64 } else { i as f64 });
//! let labels: Vec<usize> = (0..40).map(|i| usize::from(i >= 20)).collect();
//! let params = BetaParams { bins: 2, max_conditions: 1, ..BetaParams::default() };
//! let kinds = [FeatureKind::Categorical { levels: 2 }, FeatureKind::Numeric];
//! let set = beta(&params, x.view(), &kinds, &labels, 2).unwrap();
//! assert_eq!(set.predict(x.view()).unwrap(), labels);
//! assert!(set.overlaps().is_empty());
//! ```

mod assemble;
mod candidates;
mod export;
mod moves;
mod objective;
mod rows;
mod rules;
mod search;
mod tune;

use ndarray::ArrayView2;

use crate::error::{Result, invalid_parameter};
use crate::input::FeatureKind;
pub(crate) use export::conjunction;
pub use objective::{Terms, Weights};
pub use rules::{Condition, DecisionSet, DefaultRule, FitSummary, Overlap, Rule, Test};
use search::Limits;
pub use tune::{TuneParams, Tuned, beta_tuned};

/// Parameters of [`beta`].
///
/// | parameter | default | meaning | valid range |
/// |---|---|---|---|
/// | `bins` | 4 | quantile bins per numeric feature | 2 to 64 |
/// | `max_conditions` | 2 | conditions per outer or inner itemset (the paper's `maxwidth`, ε₂) | 1 to 3 |
/// | `min_support` | 0.05 | least share of rows an itemset, and a rule, must cover | `0 < s ≤ 1` |
/// | `max_rules` | 10 | rules, not counting the default (the paper's `size`, ε₁) | at least 1 |
/// | `max_subspaces` | 3 | distinct outer descriptors (the paper's `numdsets`, ε₃) | at least 1 |
/// | `weights` | see [`Weights`] | the objective's λ | finite, ≥ 0 |
/// | `rounds` | 3 | steepest-ascent local searches on disjoint candidates (Lee et al.: constraints + 1) | 1 to 10 |
/// | `restarts` | 8 | further local searches, first improvement in a random order | 0 to 1000 |
/// | `seed` | 0 | the restarts' orders | any |
/// | `max_moves` | 200 | moves per local search | at least 1 |
/// | `max_candidates` | 200,000 | candidate rules allowed (memory: one bit per row each) | at least 1 |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetaParams {
    /// Quantile bins per numeric feature.
    pub bins: usize,
    /// Conditions per itemset.
    pub max_conditions: usize,
    /// Least support of an itemset and of a rule.
    pub min_support: f64,
    /// Most rules.
    pub max_rules: usize,
    /// Most distinct outer descriptors.
    pub max_subspaces: usize,
    /// The objective's weights.
    pub weights: Weights,
    /// Steepest-ascent local searches.
    pub rounds: usize,
    /// Randomised local searches.
    pub restarts: usize,
    /// Seed of the randomised searches.
    pub seed: u64,
    /// Moves per local search.
    pub max_moves: usize,
    /// Most candidate rules.
    pub max_candidates: usize,
}

impl Default for BetaParams {
    fn default() -> Self {
        Self {
            bins: 4,
            max_conditions: 2,
            min_support: 0.05,
            max_rules: 10,
            max_subspaces: 3,
            weights: Weights::default(),
            rounds: 3,
            restarts: 8,
            seed: 0,
            max_moves: 200,
            max_candidates: 200_000,
        }
    }
}

impl BetaParams {
    /// Checks the ranges; an error names the parameter and what is allowed.
    pub fn check(&self) -> Result<()> {
        let range = |name: &str, v: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                let top = if hi == usize::MAX { "or more".to_owned() } else { format!("to {hi}") };
                Err(invalid_parameter(name, format!("{v} is not {lo} {top}")))
            }
        };
        range("bins", self.bins, 2, 64)?;
        range("max_conditions", self.max_conditions, 1, 3)?;
        range("max_rules", self.max_rules, 1, usize::MAX)?;
        range("max_subspaces", self.max_subspaces, 1, usize::MAX)?;
        range("rounds", self.rounds, 1, 10)?;
        range("restarts", self.restarts, 0, 1000)?;
        range("max_moves", self.max_moves, 1, usize::MAX)?;
        range("max_candidates", self.max_candidates, 1, usize::MAX)?;
        if !(self.min_support > 0.0 && self.min_support <= 1.0) {
            return Err(invalid_parameter("min_support", format!("{} is not in (0, 1]", self.min_support)));
        }
        for (name, w) in self.weights.named() {
            if !(w.is_finite() && w >= 0.0) {
                return Err(invalid_parameter(name, format!("{w} is not a finite non-negative number")));
            }
        }
        Ok(())
    }
}

/// Fits a two-level decision set to the teacher's classes `labels` on the rows `x` (features
/// of kinds `kinds`; categorical ones as level codes).
///
/// Errors: parameters out of range, no rows or no features, `kinds` or `labels` of the wrong
/// length, fewer than 2 classes or a label out of range, a non-finite value or a categorical
/// value that is not one of its level codes, more candidate rules than `max_candidates`.
pub fn beta(
    params: &BetaParams,
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    labels: &[usize],
    n_classes: usize,
) -> Result<DecisionSet> {
    params.check()?;
    check_input(x, kinds, labels, n_classes)?;
    let n = x.nrows();
    let min_count = ((params.min_support * n as f64).ceil() as usize).max(1);
    let conditions = candidates::conditions(x, kinds, params.bins);
    let (itemsets, item_rows) = candidates::itemsets(x, &conditions, params.max_conditions, min_count);
    let (rules, rows) =
        candidates::rules(&itemsets, &item_rows, labels, n_classes, min_count, params.max_candidates)?;
    let c = candidates::Candidates { conditions, itemsets, rules, rows };
    let limits = Limits {
        max_rules: params.max_rules,
        max_subspaces: params.max_subspaces,
        max_moves: params.max_moves,
        rounds: params.rounds,
        restarts: params.restarts,
        seed: params.seed,
    };
    let chosen = search::search(&c, &params.weights, limits, n);
    let set = assemble::assemble(&c, &chosen, x, labels, n_classes, &params.weights)?;
    Ok(set)
}

fn check_input(
    x: ArrayView2<'_, f64>,
    kinds: &[FeatureKind],
    labels: &[usize],
    n_classes: usize,
) -> Result<()> {
    let (n, d) = x.dim();
    if n == 0 || d == 0 {
        return Err(invalid_parameter(
            "x",
            format!("{n} rows and {d} features; BETA needs at least one of each"),
        ));
    }
    if kinds.len() != d {
        return Err(invalid_parameter("kinds", format!("{} kinds for {d} features", kinds.len())));
    }
    if labels.len() != n {
        return Err(invalid_parameter("labels", format!("{} labels for {n} rows", labels.len())));
    }
    if n_classes < 2 {
        return Err(invalid_parameter("n_classes", format!("{n_classes} is not 2 or more")));
    }
    if let Some((row, &c)) = labels.iter().enumerate().find(|(_, c)| **c >= n_classes) {
        return Err(invalid_parameter("labels", format!("row {row} has class {c}, not below {n_classes}")));
    }
    for ((row, column), &v) in x.indexed_iter() {
        let ok = match kinds[column] {
            FeatureKind::Numeric => v.is_finite(),
            FeatureKind::Categorical { levels } => v >= 0.0 && v.fract() == 0.0 && v < levels as f64,
        };
        if !ok {
            return Err(invalid_parameter(
                "x",
                format!(
                    "row {row}, feature {column}: {v} is not a finite number or a level code of the feature"
                ),
            ));
        }
    }
    Ok(())
}
