//! The scorecard as a points table: one row per feature and coarse class, with its WoE, rows,
//! bad rate and points, and the feature's information value; as text and as rows for JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::model::{WoeBin, WoeClass, WoeFeature, WoeScorecard};
use crate::error::{Error, Result};

/// One row of the points table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointsRow {
    /// Feature name.
    pub feature: String,
    /// The class: `(lower, upper]` or `{level, level}`.
    pub class: String,
    /// Training rows in the class.
    pub rows: usize,
    /// Bad mass over rows.
    pub bad_rate: f64,
    /// Weight of evidence.
    pub woe: f64,
    /// Points.
    pub points: f64,
    /// The feature's information value.
    pub information_value: f64,
}

impl WoeFeature {
    /// Class `class` in words: `(lower, upper]`, `{level, level}`, `missing`, or the neutral
    /// class's levels without training rows and any unseen level.
    pub fn describe_class(&self, class: WoeClass) -> String {
        let b = match class {
            WoeClass::Bin(b) => b,
            WoeClass::Neutral if self.untrained_levels.is_empty() => return "unseen level".into(),
            WoeClass::Neutral => return format!("{} or unseen", self.level_set(&self.untrained_levels)),
        };
        let bin = &self.bins[b];
        if bin.missing {
            return "missing".into();
        }
        match &self.levels {
            Some(_) => self.level_set(&bin.levels),
            None => {
                let bound = |v: Option<f64>, open: &str| v.map_or(open.to_owned(), |v| format!("{v}"));
                format!("({}, {}]", bound(bin.lower, "-inf"), bound(bin.upper, "+inf"))
            }
        }
    }

    /// Level codes as their names: `{level, level}`.
    fn level_set(&self, codes: &[usize]) -> String {
        let names = self.levels.as_deref().unwrap_or_default();
        let shown: Vec<&str> = codes.iter().map(|&c| names.get(c).map_or("?", String::as_str)).collect();
        format!("{{{}}}", shown.join(", "))
    }
}

impl WoeScorecard {
    /// The points table, feature by feature: a row per bin, and a row for the neutral class
    /// of a categorical feature with levels that had no training rows (no rows, the overall
    /// bad rate, WoE 0, no points).
    pub fn points_table(&self) -> Vec<PointsRow> {
        self.features
            .iter()
            .flat_map(|f| {
                let (bad, all) =
                    f.bins.iter().fold((0.0, 0.0), |(b, a), bin| (b + bin.bad, a + bin.good + bin.bad));
                let row = move |class: WoeClass, rows: usize, bad_rate: f64| PointsRow {
                    feature: f.name.clone(),
                    class: f.describe_class(class),
                    rows,
                    bad_rate,
                    woe: f.value_of(class, |b| b.woe),
                    points: f.value_of(class, |b| b.points),
                    information_value: f.information_value,
                };
                let bins =
                    f.bins.iter().enumerate().map(move |(b, bin)| {
                        row(WoeClass::Bin(b), bin.rows, bin.bad / bin.rows.max(1) as f64)
                    });
                let neutral = (!f.untrained_levels.is_empty()).then(|| row(WoeClass::Neutral, 0, bad / all));
                bins.chain(neutral)
            })
            .collect()
    }

    /// The scaling, the coefficient of each feature's WoE and the points table, in words.
    pub fn explain(&self) -> String {
        let s = self.params.scaling;
        let mut out = format!(
            "WoE scorecard (bad outcome: class {}): {} points = good:bad odds {}:1, {} points double the odds; base points {:.2}\n\n",
            self.params.bad_class, s.base_score, s.base_odds, s.pdo, self.base_points
        );
        let _ = writeln!(out, "{:<32} {:>12} {:>10}", "feature", "coefficient", "IV");
        for f in &self.features {
            let _ = writeln!(out, "{:<32} {:>12.6} {:>10.4}", f.name, f.coefficient, f.information_value);
        }
        let _ = writeln!(
            out,
            "\n{:<32} {:<36} {:>6} {:>9} {:>9} {:>9}",
            "feature", "class", "rows", "bad rate", "WoE", "points"
        );
        for row in self.points_table() {
            let _ = writeln!(
                out,
                "{:<32} {:<36} {:>6} {:>9.4} {:>9.4} {:>9.2}",
                row.feature, row.class, row.rows, row.bad_rate, row.woe, row.points
            );
        }
        if self.features.iter().any(|f| f.levels.is_some()) {
            out.push_str(
                "\nA categorical level without training rows (and, with --unseen fallback, one the training file lacks) takes WoE 0 and no points.\n",
            );
        }
        out
    }

    /// Checks a scorecard read from a file: at least one class per feature, finite WoE and
    /// points, a coefficient per feature in the regression, and each level of a categorical
    /// feature in exactly one bin (each bin's levels ascending) or among the levels without
    /// training rows.
    pub fn validate(&self, n_features: usize) -> Result<()> {
        let bad = |reason: String| Error::Load(format!("the scorecard is inconsistent: {reason}"));
        if self.features.len() != n_features {
            return Err(bad(format!("{} features where the file names {n_features}", self.features.len())));
        }
        let in_model = self.features.iter().filter(|f| f.bins.len() > 1).count();
        if self.logistic.coefficients.len() != in_model + 1 || !self.base_points.is_finite() {
            return Err(bad("its regression does not fit its features".into()));
        }
        for f in &self.features {
            let levels = f.levels.as_ref().map_or(0, Vec::len);
            let fits = !f.bins.is_empty()
                && f.bins.iter().all(|b| b.woe.is_finite() && b.points.is_finite())
                && (f.levels.is_none() || levels_partitioned(f, levels));
            if !fits || (f.levels.is_none() && !numeric_bins_tile(&f.bins)) {
                return Err(bad(format!("feature '{}' has a class that does not fit", f.name)));
            }
        }
        Ok(())
    }
}

/// Whether each of a categorical feature's `levels` stands once among its bins' levels and its
/// untrained levels, each bin's levels ascending (as [`WoeFeature::class_of`] searches them).
fn levels_partitioned(f: &WoeFeature, levels: usize) -> bool {
    let mut seen = vec![0u8; levels];
    for &code in f.bins.iter().flat_map(|b| &b.levels).chain(&f.untrained_levels) {
        match seen.get_mut(code) {
            Some(times) => *times = times.saturating_add(1),
            None => return false,
        }
    }
    seen.iter().all(|&times| times == 1) && f.bins.iter().all(|b| b.levels.windows(2).all(|w| w[0] < w[1]))
}

/// Whether the numeric bins (the missing-value bin aside) cover the line once, in order:
/// (−∞, u₁], (u₁, u₂], …, (u_k, +∞), with finite, increasing cut points.
fn numeric_bins_tile(bins: &[WoeBin]) -> bool {
    let bins: Vec<_> = bins.iter().filter(|b| !b.missing).collect();
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else { return true };
    first.lower.is_none()
        && last.upper.is_none()
        && bins.windows(2).all(|w| match (w[0].upper, w[1].lower) {
            (Some(u), Some(l)) => u == l && u.is_finite(),
            _ => false,
        })
        && bins.iter().all(|b| match (b.lower, b.upper) {
            (Some(l), Some(u)) => l < u,
            _ => true,
        })
}
