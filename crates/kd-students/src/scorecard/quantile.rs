//! The quantile-bin scorecard of a logistic student: points per quantile bin of each feature
//! with the usual points-to-double-the-odds scaling (Siddiqi 2006, *Credit Risk Scorecards*,
//! ch. 6). Unlike the WoE scorecard ([`super::WoeScorecard`]) it refits nothing: it reads the
//! logistic student's coefficients at the bins' means, so its points approximate the student.
//!
//! With class 1 the bad outcome (default), `ln(odds good) = −(b + Σ_j w_j x_j)`, and
//! `score = offset + factor · ln(odds good)` with `factor = PDO / ln 2` and
//! `offset = base score − factor · ln(base odds)`: a score of `base score` means good:bad odds
//! of `base odds`, and every `PDO` points double the odds. Each feature's points are
//! `−factor · w_j · x̄` at the mean `x̄` of the training rows in its bin (quantile bins of the
//! training data); the intercept's share is `base_points = offset − factor · b`.

use kd_core::quantile::{QuantileDef, quantile_cuts};
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::ScorecardScaling;
use crate::error::{Error, Result};
use crate::linear::Logistic;

/// One bin of one feature: `lower < x ≤ upper` earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantileBin {
    /// Feature name.
    pub feature: String,
    /// Lower bound (exclusive; `None` for the first bin, which is open below).
    pub lower: Option<f64>,
    /// Upper bound (inclusive; `None` for the last bin, which is open above).
    pub upper: Option<f64>,
    /// Points of the bin.
    pub points: f64,
}

impl QuantileBin {
    /// Whether `x` falls in the bin.
    pub fn contains(&self, x: f64) -> bool {
        self.lower.is_none_or(|l| x > l) && self.upper.is_none_or(|u| x <= u)
    }
}

/// A quantile-bin scorecard: base points and a points table per feature bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantileScorecard {
    /// The scaling used.
    pub scaling: ScorecardScaling,
    /// `offset − factor · intercept`: the points everyone starts with.
    pub base_points: f64,
    /// Bins, feature by feature, from low to high values.
    pub bins: Vec<QuantileBin>,
}

impl QuantileScorecard {
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
                let mut bin = QuantileBin { feature: names[j].clone(), lower, upper, points: 0.0 };
                let members: Vec<f64> = sorted.iter().copied().filter(|&v| bin.contains(v)).collect();
                let mean = members.iter().sum::<f64>() / members.len().max(1) as f64;
                bin.points = -factor * weight * mean;
                bins.push(bin);
                lower = upper;
            }
        }
        Ok(Self { scaling, base_points: scaling.offset() - factor * model.coefficients[0].estimate, bins })
    }

    /// The points of one value of feature `name`: its bin's, 0 when the card has no bin there.
    fn points_of(&self, name: &str, v: f64) -> f64 {
        self.bins.iter().find(|b| b.feature == name && b.contains(v)).map_or(0.0, |b| b.points)
    }

    /// The score of a row by the points table.
    pub fn score(&self, row: &[f64], names: &[String]) -> f64 {
        self.base_points + names.iter().zip(row).map(|(name, &v)| self.points_of(name, v)).sum::<f64>()
    }

    /// The points of every row and feature of `x` (columns named `names`), shape `(n, d)`:
    /// a row's score is `base_points` plus its points.
    pub fn points(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Array2<f64> {
        Array2::from_shape_fn(x.dim(), |(i, j)| {
            names.get(j).map_or(0.0, |name| self.points_of(name, x[[i, j]]))
        })
    }

    /// The card's own probability of the bad outcome (class 1) for every row:
    /// [`ScorecardScaling::pd_of_score`] of its score.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Array1<f64> {
        let points = self.points(x, names);
        points.rows().into_iter().map(|r| self.scaling.pd_of_score(self.base_points + r.sum())).collect()
    }

    /// The exact score `offset + factor · ln(odds good)` for a probability of default `pd`.
    pub fn score_of_pd(&self, pd: f64) -> f64 {
        self.scaling.offset() + self.scaling.factor() * ((1.0 - pd) / pd).ln()
    }
}
