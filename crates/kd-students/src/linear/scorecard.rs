//! Credit scorecards from a logistic student: points per feature bin with the usual
//! points-to-double-the-odds scaling (Siddiqi 2006, *Credit Risk Scorecards*, ch. 6).
//!
//! With class 1 the bad outcome (default), `ln(odds good) = −(b + Σ_j w_j x_j)`, and
//! `score = offset + factor · ln(odds good)` with `factor = PDO / ln 2` and
//! `offset = base score − factor · ln(base odds)`: a score of `base score` means good:bad odds
//! of `base odds`, and every `PDO` points double the odds. Each feature's points are
//! `−factor · w_j · x̄` at the mean `x̄` of the training rows in its bin (quantile bins of the
//! training data); the intercept's share is `base_points = offset − factor · b`.

use kd_core::quantile::{QuantileDef, quantile_cuts};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::Logistic;
use crate::error::{Error, Result, invalid_parameter};

/// The scaling of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScorecardScaling {
    /// Points to double the odds (default 20).
    pub pdo: f64,
    /// The score at which the good:bad odds are `base_odds` (default 600).
    pub base_score: f64,
    /// Good:bad odds at `base_score` (default 50).
    pub base_odds: f64,
}

impl Default for ScorecardScaling {
    fn default() -> Self {
        Self { pdo: 20.0, base_score: 600.0, base_odds: 50.0 }
    }
}

impl ScorecardScaling {
    /// `PDO / ln 2`: points per unit of log-odds.
    pub fn factor(&self) -> f64 {
        self.pdo / std::f64::consts::LN_2
    }
    /// `base score − factor · ln(base odds)`: the score at even odds.
    pub fn offset(&self) -> f64 {
        self.base_score - self.factor() * self.base_odds.ln()
    }
    /// The probability of the bad outcome at `score`: `1 / (1 + e^((score − offset)/factor))`.
    pub fn pd_of_score(&self, score: f64) -> f64 {
        1.0 / (1.0 + ((score - self.offset()) / self.factor()).exp())
    }
    /// Checks the ranges: PDO and base odds positive and finite, base score finite.
    pub fn check(&self) -> Result<()> {
        let positive = |v: f64| v > 0.0 && v.is_finite();
        if !(positive(self.pdo) && positive(self.base_odds) && self.base_score.is_finite()) {
            return Err(invalid_parameter(
                "scorecard scaling",
                format!(
                    "PDO {} and base odds {} must be positive, base score {} finite",
                    self.pdo, self.base_odds, self.base_score
                ),
            ));
        }
        Ok(())
    }
}

/// One bin of one feature: `lower < x ≤ upper` earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardBin {
    /// Feature name.
    pub feature: String,
    /// Lower bound (exclusive; `None` for the first bin, which is open below).
    pub lower: Option<f64>,
    /// Upper bound (inclusive; `None` for the last bin, which is open above).
    pub upper: Option<f64>,
    /// Points of the bin.
    pub points: f64,
}

impl ScorecardBin {
    /// Whether `x` falls in the bin.
    pub fn contains(&self, x: f64) -> bool {
        self.lower.is_none_or(|l| x > l) && self.upper.is_none_or(|u| x <= u)
    }
}

/// A scorecard: base points and a points table per feature bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The scaling used.
    pub scaling: ScorecardScaling,
    /// `offset − factor · intercept`: the points everyone starts with.
    pub base_points: f64,
    /// Bins, feature by feature, from low to high values.
    pub bins: Vec<ScorecardBin>,
}

impl Scorecard {
    /// The scorecard of `model` with `n_bins` quantile bins per feature of the training
    /// features `x` (named `names`).
    pub fn new(
        model: &Logistic,
        x: ArrayView2<'_, f64>,
        names: &[String],
        n_bins: usize,
        scaling: ScorecardScaling,
    ) -> Result<Self> {
        scaling.check()?;
        if n_bins < 1 || x.nrows() == 0 || x.ncols() + 1 != model.coefficients.len() {
            return Err(Error::ShapeMismatch {
                context: "scorecard features".into(),
                expected: model.coefficients.len() - 1,
                got: x.ncols(),
            });
        }
        let factor = scaling.factor();
        let mut bins = Vec::new();
        for (j, column) in x.columns().into_iter().enumerate() {
            let weight = model.coefficients[j + 1].estimate;
            let mut sorted = column.to_vec();
            sorted.sort_unstable_by(f64::total_cmp);
            // Bin k ends at the type-1 quantile k/bins, the ⌈k·n/bins⌉-th smallest value (so n
            // bins give one value each).
            let cuts = quantile_cuts(&sorted, n_bins, QuantileDef::InvertedCdf);
            let mut lower = None;
            for upper in cuts.iter().copied().map(Some).chain(std::iter::once(None)) {
                let mut bin = ScorecardBin { feature: names[j].clone(), lower, upper, points: 0.0 };
                let members: Vec<f64> = sorted.iter().copied().filter(|&v| bin.contains(v)).collect();
                let mean = members.iter().sum::<f64>() / members.len().max(1) as f64;
                bin.points = -factor * weight * mean;
                bins.push(bin);
                lower = upper;
            }
        }
        Ok(Self { scaling, base_points: scaling.offset() - factor * model.coefficients[0].estimate, bins })
    }

    /// The score of a row by the points table.
    pub fn score(&self, row: &[f64], names: &[String]) -> f64 {
        self.base_points
            + names
                .iter()
                .zip(row)
                .map(|(name, &v)| {
                    self.bins.iter().find(|b| &b.feature == name && b.contains(v)).map_or(0.0, |b| b.points)
                })
                .sum::<f64>()
    }

    /// The exact score `offset + factor · ln(odds good)` for a probability of default `pd`.
    pub fn score_of_pd(&self, pd: f64) -> f64 {
        self.scaling.offset() + self.scaling.factor() * ((1.0 - pd) / pd).ln()
    }
}
