//! m-of-n tests: the splits of a TREPAN tree (Craven & Shavlik 1996, after Murphy & Pazzani's
//! ID2-of-3).
//!
//! A [`Literal`] is a binary test on one feature, `x_j ≤ t` or `x_j > t` (categorical
//! features are tested on their level codes, as everywhere in kd). An [`MofN`] test
//! `m of {l_1, …, l_n}` is satisfied when at least `m` of its `n` literals hold: `1 of {…}` is a
//! disjunction, `n of {…}` a conjunction, and `1 of {l}` the ordinary single-feature test.
//!
//! Two literals on the same feature *conflict* (and may not share a test) when one implies the
//! other (same direction: `x ≤ 3` and `x ≤ 5`) or when they can never hold together (`x ≤ 3`
//! and `x > 5`). The one pair allowed is an interval, `x > a` with `x ≤ b` and `a < b`.

use std::fmt::Write as _;

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_parameter};

/// A binary test on one feature: `x_feature > threshold` when `greater`, else
/// `x_feature ≤ threshold`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Literal {
    /// The feature tested.
    pub feature: usize,
    /// The threshold.
    pub threshold: f64,
    /// `true` for `x > threshold`, `false` for `x ≤ threshold`.
    pub greater: bool,
}

impl Literal {
    /// `x_feature ≤ threshold`.
    pub fn at_most(feature: usize, threshold: f64) -> Self {
        Self { feature, threshold, greater: false }
    }

    /// `x_feature > threshold`.
    pub fn above(feature: usize, threshold: f64) -> Self {
        Self { feature, threshold, greater: true }
    }

    /// Whether the value `v` of the literal's feature satisfies it.
    #[inline]
    pub fn holds_for(&self, v: f64) -> bool {
        if self.greater { v > self.threshold } else { v <= self.threshold }
    }

    /// Whether the point `x` satisfies the literal.
    #[inline]
    pub fn holds(&self, x: ArrayView1<'_, f64>) -> bool {
        self.holds_for(x[self.feature])
    }

    /// The opposite test on the same feature and threshold.
    pub fn negated(&self) -> Self {
        Self { greater: !self.greater, ..*self }
    }

    /// Whether the two literals may not share an m-of-n test (see the module docs).
    pub fn conflicts(&self, other: &Literal) -> bool {
        if self.feature != other.feature {
            return false;
        }
        if self.greater == other.greater {
            return true;
        }
        let (above, below) = if self.greater { (self, other) } else { (other, self) };
        above.threshold >= below.threshold
    }

    /// `name <= t` or `name > t`; on a categorical feature (its `levels` given, the threshold
    /// between level codes) the levels the test admits, `name in {a, b}` or `name == a`, unless
    /// it admits none or all of them.
    pub fn describe(&self, names: &[String], levels: &[Option<Vec<String>>]) -> String {
        let name = names.get(self.feature).cloned().unwrap_or_else(|| format!("x{}", self.feature));
        if let Some(all) = levels.get(self.feature).and_then(Option::as_ref) {
            let admitted: Vec<&str> = all
                .iter()
                .enumerate()
                .filter(|&(code, _)| self.holds_for(code as f64))
                .map(|(_, level)| level.as_str())
                .collect();
            match admitted.as_slice() {
                [] => {}
                [one] => return format!("{name} == {one}"),
                some if some.len() < all.len() => return format!("{name} in {{{}}}", some.join(", ")),
                _ => {}
            }
        }
        let op = if self.greater { ">" } else { "<=" };
        format!("{name} {op} {}", format_threshold(self.threshold))
    }
}

/// The test `m of {literals}`: at least `m` of the literals hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MofN {
    /// How many literals must hold (`1 ≤ m ≤ n`).
    pub m: usize,
    /// The literals, none conflicting with another.
    pub literals: Vec<Literal>,
}

impl MofN {
    /// The test `m of {literals}`; refuses `m` outside `1..=n`, an empty list, a non-finite
    /// threshold and conflicting literals.
    pub fn new(m: usize, literals: Vec<Literal>) -> Result<Self> {
        let test = Self { m, literals };
        test.check(usize::MAX)?;
        Ok(test)
    }

    /// The single-literal test `1 of {literal}`.
    pub fn single(literal: Literal) -> Self {
        Self { m: 1, literals: vec![literal] }
    }

    /// Number of literals `n`.
    pub fn n(&self) -> usize {
        self.literals.len()
    }

    /// How many literals the point `x` satisfies.
    pub fn count(&self, x: ArrayView1<'_, f64>) -> usize {
        self.literals.iter().filter(|l| l.holds(x)).count()
    }

    /// Whether at least `m` literals hold at `x`.
    pub fn holds(&self, x: ArrayView1<'_, f64>) -> bool {
        self.count(x) >= self.m
    }

    /// Literals that all hold exactly when the test has outcome `outcome`, when the outcome is
    /// a box (`n of {…}` satisfied: every literal; `1 of {…}` not satisfied: every negated
    /// literal); `None` otherwise.
    pub fn as_box(&self, outcome: bool) -> Option<Vec<Literal>> {
        if outcome && self.m == self.n() {
            Some(self.literals.clone())
        } else if !outcome && self.m == 1 {
            Some(self.literals.iter().map(Literal::negated).collect())
        } else {
            None
        }
    }

    /// `age <= 40.5` for a single literal, `2 of {age <= 40.5, income > 3.2, debt > 0.7}`
    /// otherwise.
    pub fn describe(&self, names: &[String], levels: &[Option<Vec<String>>]) -> String {
        if self.n() == 1 {
            return self.literals[0].describe(names, levels);
        }
        let mut out = format!("{} of {{", self.m);
        for (i, literal) in self.literals.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(out, "{sep}{}", literal.describe(names, levels));
        }
        out.push('}');
        out
    }

    /// The failed outcome in words: the negated literal for a single one, `fewer than m of
    /// {…}` otherwise.
    pub fn describe_failed(&self, names: &[String], levels: &[Option<Vec<String>>]) -> String {
        if self.n() == 1 {
            return self.literals[0].negated().describe(names, levels);
        }
        format!("fewer than {}", self.describe(names, levels))
    }

    /// Checks the test against `n_features` features (structure, thresholds, conflicts).
    pub(crate) fn check(&self, n_features: usize) -> Result<()> {
        let n = self.n();
        if n == 0 || self.m == 0 || self.m > n {
            return Err(invalid_parameter("m-of-n test", format!("{} of {n} literals (1 ≤ m ≤ n)", self.m)));
        }
        for (i, a) in self.literals.iter().enumerate() {
            if a.feature >= n_features || !a.threshold.is_finite() {
                return Err(invalid_parameter(
                    "m-of-n test",
                    format!(
                        "literal on feature {} at {} (features 0..{n_features}, finite)",
                        a.feature, a.threshold
                    ),
                ));
            }
            if let Some(b) = self.literals[i + 1..].iter().find(|b| a.conflicts(b)) {
                return Err(invalid_parameter(
                    "m-of-n test",
                    format!("literals {a:?} and {b:?} on one feature conflict"),
                ));
            }
        }
        Ok(())
    }
}

/// A threshold with up to four decimals, trailing zeros dropped (scientific notation for very
/// small or large magnitudes).
pub(crate) fn format_threshold(t: f64) -> String {
    let a = t.abs();
    if a != 0.0 && !(1e-3..1e7).contains(&a) {
        return format!("{t:.4e}");
    }
    let s = format!("{t:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
