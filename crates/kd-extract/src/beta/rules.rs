//! The two-level decision set BETA returns: rules `If outer: If inner then class`, grouped by
//! their outer descriptor (the subspace), and a default rule.
//!
//! A row is labelled by the first rule whose outer and inner conditions it satisfies, otherwise
//! by the default rule. Rules are stored subspace by subspace (subspaces by the share of rows
//! they cover, largest first; rules within a subspace likewise), so the first match only
//! matters for a row in two subspaces: inner rules of one subspace never share a fitting row.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::objective::{Terms, Weights};
use crate::error::{Result, invalid_parameter};

/// What a condition tests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Test {
    /// `lower < x <= upper`; a missing bound is open.
    Interval {
        /// Exclusive lower bound.
        lower: Option<f64>,
        /// Inclusive upper bound.
        upper: Option<f64>,
    },
    /// `x == level` (a level code of a categorical feature).
    Level {
        /// The level code.
        level: usize,
    },
}

/// One condition on one feature.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Feature index.
    pub feature: usize,
    /// The test.
    pub test: Test,
}

impl Condition {
    /// Whether a value satisfies the condition (NaN satisfies none).
    pub fn holds(&self, v: f64) -> bool {
        match self.test {
            Test::Interval { lower, upper } => {
                lower.is_none_or(|l| v > l) && upper.is_none_or(|u| v <= u) && !v.is_nan()
            }
            Test::Level { level } => v == level as f64,
        }
    }
}

/// One rule of the decision set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rule {
    /// The neighbourhood descriptor (subspace).
    pub outer: Vec<Condition>,
    /// The decision logic within the subspace.
    pub inner: Vec<Condition>,
    /// The class assigned.
    pub class: usize,
    /// Share of the fitting rows satisfying `outer` and `inner`.
    pub coverage: f64,
    /// Share of those rows where the teacher's class is `class`.
    pub agreement: f64,
}

impl Rule {
    /// Whether the row satisfies the outer and the inner conditions.
    pub fn matches(&self, row: &[f64]) -> bool {
        self.outer.iter().chain(&self.inner).all(|c| row.get(c.feature).is_some_and(|&v| c.holds(v)))
    }
}

/// The rule for rows no rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DefaultRule {
    /// The teacher's majority class on the fitting rows no rule covers (on all rows if none).
    pub class: usize,
    /// Share of the fitting rows no rule covers.
    pub coverage: f64,
}

/// Two inner rules of one subspace that both cover some rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlap {
    /// Index of the first rule (in [`DecisionSet::rules`]).
    pub first: usize,
    /// Index of the second rule.
    pub second: usize,
    /// Rows both cover.
    pub rows: usize,
}

/// How the decision set was fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FitSummary {
    /// Fitting rows.
    pub n_rows: usize,
    /// Conditions, frequent itemsets and candidate rules searched.
    pub n_conditions: usize,
    /// Frequent itemsets (candidate descriptors and inner rules).
    pub n_itemsets: usize,
    /// Candidate rules.
    pub n_candidates: usize,
    /// The objective's terms for the chosen rules.
    pub terms: Terms,
    /// The weights used.
    pub weights: Weights,
    /// `F` of the chosen rules.
    pub objective: f64,
    /// Agreement with the teacher on the fitting rows (first match, then the default rule).
    pub fidelity: f64,
    /// Pairs of inner rules of one subspace sharing fitting rows (empty by construction).
    pub overlaps: Vec<Overlap>,
}

/// A two-level decision set (Lakkaraju et al. 2017).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DecisionSet {
    /// Features a row must have.
    pub n_features: usize,
    /// Classes.
    pub n_classes: usize,
    /// The rules, subspace by subspace.
    pub rules: Vec<Rule>,
    /// The default rule.
    pub default: DefaultRule,
    /// How it was fitted.
    pub fit: FitSummary,
}

impl DecisionSet {
    /// The class of each row: the first matching rule's, or the default rule's.
    ///
    /// Errors: a column count other than `n_features`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
        self.check_columns(x)?;
        Ok(x.rows()
            .into_iter()
            .map(|row| {
                let row = row.to_vec();
                self.rules.iter().find(|r| r.matches(&row)).map_or(self.default.class, |r| r.class)
            })
            .collect())
    }

    /// Rules, not counting the default rule.
    pub fn n_rules(&self) -> usize {
        self.rules.len()
    }

    /// Distinct outer descriptors.
    pub fn n_subspaces(&self) -> usize {
        let mut seen: Vec<&Vec<Condition>> = Vec::new();
        for rule in &self.rules {
            if !seen.contains(&&rule.outer) {
                seen.push(&rule.outer);
            }
        }
        seen.len()
    }

    /// Share of the fitting rows each rule covers.
    pub fn coverage(&self) -> Vec<f64> {
        self.rules.iter().map(|r| r.coverage).collect()
    }

    /// Share of the fitting rows no rule covers.
    pub fn default_coverage(&self) -> f64 {
        self.default.coverage
    }

    /// Pairs of inner rules of one subspace that both cover some fitting row (empty: BETA
    /// forbids them).
    pub fn overlaps(&self) -> &[Overlap] {
        &self.fit.overlaps
    }

    /// Pairs of inner rules of one subspace that both cover some row of `x` (other rows than
    /// the fitting ones may fall in two rules of a subspace).
    pub fn overlaps_on(&self, x: ArrayView2<'_, f64>) -> Result<Vec<Overlap>> {
        self.check_columns(x)?;
        let hits: Vec<Vec<bool>> = self
            .rules
            .iter()
            .map(|rule| x.rows().into_iter().map(|row| rule.matches(&row.to_vec())).collect())
            .collect();
        Ok(overlaps(&self.rules, |a, b| hits[a].iter().zip(&hits[b]).filter(|(u, v)| **u && **v).count()))
    }

    /// The decision set as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| invalid_parameter("decision set", e.to_string()))
    }

    /// A decision set saved by [`to_json`](Self::to_json), checked (features and classes in
    /// range).
    pub fn from_json(text: &str) -> Result<Self> {
        let set: Self = serde_json::from_str(text).map_err(|e| invalid_parameter("json", e.to_string()))?;
        set.validate()?;
        Ok(set)
    }

    /// Checks a decision set read from a file: every rule's features and classes in range.
    pub fn validate(&self) -> Result<()> {
        let bad_feature = self
            .rules
            .iter()
            .flat_map(|r| r.outer.iter().chain(&r.inner))
            .any(|c| c.feature >= self.n_features);
        let bad_class =
            self.rules.iter().map(|r| r.class).chain([self.default.class]).any(|c| c >= self.n_classes);
        if bad_feature || bad_class {
            return Err(invalid_parameter("json", "a rule names a feature or class out of range"));
        }
        Ok(())
    }

    /// Refuses `x` unless it has the set's number of features.
    pub(crate) fn check_columns(&self, x: ArrayView2<'_, f64>) -> Result<()> {
        if x.ncols() != self.n_features {
            return Err(invalid_parameter(
                "x",
                format!("{} columns, but the decision set was fitted on {}", x.ncols(), self.n_features),
            ));
        }
        Ok(())
    }
}

/// Pairs of rules with the same outer descriptor whose `shared(a, b)` row count is positive.
pub(super) fn overlaps(rules: &[Rule], shared: impl Fn(usize, usize) -> usize) -> Vec<Overlap> {
    let mut out = Vec::new();
    for a in 0..rules.len() {
        for b in a + 1..rules.len() {
            if rules[a].outer == rules[b].outer {
                let rows = shared(a, b);
                if rows > 0 {
                    out.push(Overlap { first: a, second: b, rows });
                }
            }
        }
    }
    out
}
