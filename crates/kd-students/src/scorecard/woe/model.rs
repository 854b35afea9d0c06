//! The fitted WoE scorecard: classing, WoE and IV per feature, the logistic regression on the
//! WoE features, points per bin, prediction.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::classing::{coarse, fine_categorical, fine_numeric};
use super::params::WoeParams;
use crate::error::{Error, Result, invalid_parameter};
use crate::linear::Logistic;

/// One coarse class of one feature with its WoE and points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WoeBin {
    /// Exclusive lower bound of a numeric bin (`None`: −∞, and for categorical bins).
    pub lower: Option<f64>,
    /// Inclusive upper bound of a numeric bin (`None`: +∞, and for categorical bins).
    pub upper: Option<f64>,
    /// Level codes of a categorical bin (empty for numeric bins).
    pub levels: Vec<usize>,
    /// Training rows in the bin.
    pub rows: usize,
    /// Good mass `Σ (1 − t)`.
    pub good: f64,
    /// Bad mass `Σ t`.
    pub bad: f64,
    /// `ln(%good / %bad)`, 0.5 added to both masses of a bin with an empty one.
    pub woe: f64,
    /// `−factor · coefficient · woe`.
    pub points: f64,
    /// Whether this is the missing-value bin (rows whose value is missing; optbinning's
    /// "Missing" bin), the last bin of a feature that had missing values in training.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

/// One feature of the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WoeFeature {
    /// Name.
    pub name: String,
    /// Level names of a categorical feature (`None`: numeric).
    pub levels: Option<Vec<String>>,
    /// Coarse classes, low to high values (numeric) or by bad rate (categorical).
    pub bins: Vec<WoeBin>,
    /// Information value `Σ_b (%good_b − %bad_b) · WoE_b`.
    pub information_value: f64,
    /// Coefficient of its WoE in the logistic regression; 0 when it has a single coarse class
    /// (a constant WoE of 0, left out of the regression).
    pub coefficient: f64,
    /// Codes of a categorical feature's levels without training rows (a level of the file
    /// that fell only in held-out rows, say): they take the neutral class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub untrained_levels: Vec<usize>,
}

/// The class a value takes: one of its feature's bins, or the neutral class of a categorical
/// feature's levels that had no training rows, WoE 0 and no points (as optbinning's WoE
/// transform scores an unknown category by default, `cat_unknown`: the WoE of the mean event
/// rate, which is 0 when training had no missing or special values). The neutral
/// class takes the levels in no bin — those listed in `untrained_levels`, as a saved
/// scorecard's check requires — and the code one past the last level, which is how
/// `Unseen::Fallback` codes a level the file's levels lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WoeClass {
    /// The bin at this index of the feature's bins.
    Bin(usize),
    /// No training rows: WoE 0, no points.
    Neutral,
}

impl WoeFeature {
    /// The class of value `v` (a level code for a categorical feature; NaN for a missing
    /// value), if any.
    pub fn class_of(&self, v: f64) -> Option<WoeClass> {
        if v.is_nan() {
            return self.bins.iter().position(|b| b.missing).map(WoeClass::Bin);
        }
        match &self.levels {
            Some(levels) => {
                let code =
                    (v >= 0.0 && v.fract() == 0.0 && v <= levels.len() as f64).then_some(v as usize)?;
                let bin = self.bins.iter().position(|b| b.levels.binary_search(&code).is_ok());
                Some(bin.map_or(WoeClass::Neutral, WoeClass::Bin))
            }
            None => self
                .bins
                .iter()
                .position(|b| b.lower.is_none_or(|l| v > l) && b.upper.is_none_or(|u| v <= u))
                .map(WoeClass::Bin),
        }
    }

    /// `value` of class `class`: the bin's, or 0 for the neutral class (its WoE and its
    /// points are both 0).
    pub fn value_of(&self, class: WoeClass, value: impl Fn(&WoeBin) -> f64) -> f64 {
        match class {
            WoeClass::Bin(b) => value(&self.bins[b]),
            WoeClass::Neutral => 0.0,
        }
    }
}

/// A fitted WoE scorecard: `η = b + Σ_j w_j · WoE_j(x_j)`, `P(bad) = σ(η)`,
/// `score = base_points + Σ_j points_j(x_j) = offset − factor · η`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WoeScorecard {
    /// The parameters it was fitted with.
    pub params: WoeParams,
    /// Features, in input order.
    pub features: Vec<WoeFeature>,
    /// The logistic regression on the WoE of the features with more than one class.
    pub logistic: Logistic,
    /// `offset − factor · intercept`: the points everyone starts with.
    pub base_points: f64,
}

/// The missing-value bin of a feature: the rows whose value is NaN, with their masses.
fn missing_bin(column: &[f64], t: &[f64]) -> WoeBin {
    let (rows, good, bad) = column
        .iter()
        .zip(t)
        .filter(|(v, _)| v.is_nan())
        .fold((0, 0.0, 0.0), |(n, g, b), (_, &p)| (n + 1, g + 1.0 - p, b + p));
    WoeBin { rows, good, bad, missing: true, ..WoeBin::default() }
}

/// WoE and IV of coarse classes, with the 0.5 correction of empty cells.
fn woe_of(classes: &[WoeBin]) -> (Vec<f64>, f64) {
    let (goods, bads): (f64, f64) =
        (classes.iter().map(|c| c.good).sum(), classes.iter().map(|c| c.bad).sum());
    let mut iv = 0.0;
    let woe = classes
        .iter()
        .map(|c| {
            let pad = if c.good <= 0.0 || c.bad <= 0.0 { 0.5 } else { 0.0 };
            let (g, b) = ((c.good + pad) / goods, (c.bad + pad) / bads);
            let woe = (g / b).ln();
            iv += (g - b) * woe;
            woe
        })
        .collect();
    (woe, iv)
}

impl WoeScorecard {
    /// Fits the scorecard to `x` (shape `(n, d)`; categorical features as level codes) and the
    /// probability of the bad outcome `t` (0/1 labels or a teacher's probabilities), with
    /// feature `names` and `levels` (`None` for numeric features; empty: all numeric).
    pub fn fit(
        params: &WoeParams,
        x: ArrayView2<'_, f64>,
        t: ArrayView1<'_, f64>,
        names: &[String],
        levels: &[Option<Vec<String>>],
    ) -> Result<Self> {
        params.check()?;
        let (n, d) = x.dim();
        check_shapes(x, t, names, levels)?;
        let t: Vec<f64> = t.to_vec();
        let (goods, bads) = (t.iter().map(|p| 1.0 - p).sum::<f64>(), t.iter().sum::<f64>());
        if goods <= 0.0 || bads <= 0.0 {
            return Err(invalid_parameter("target", "a scorecard needs both good and bad outcomes"));
        }
        let mut features = Vec::with_capacity(d);
        for (j, name) in names.iter().enumerate() {
            let column = x.column(j).to_vec();
            let (present, t_present): (Vec<f64>, Vec<f64>) =
                column.iter().zip(&t).filter(|(v, _)| !v.is_nan()).map(|(&v, &p)| (v, p)).unzip();
            let level_names = levels.get(j).cloned().flatten();
            let fine = match &level_names {
                Some(l) => fine_categorical(&present, &t_present, l.len()),
                None => fine_numeric(&present, &t_present, params.fine_bins),
            };
            let untrained_levels = untrained(&present, level_names.as_deref());
            let numeric = level_names.is_none();
            let mut classes = coarse(fine, present.len(), params.min_bin_share, params.monotone && numeric);
            if present.len() < n {
                classes.push(missing_bin(&column, &t));
            }
            let (woe, information_value) = woe_of(&classes);
            let bins = classes.into_iter().zip(woe).map(|(c, woe)| WoeBin { woe, ..c }).collect();
            features.push(WoeFeature {
                name: name.clone(),
                levels: level_names,
                bins,
                information_value,
                coefficient: 0.0,
                untrained_levels,
            });
        }
        // A feature left with one class has a constant WoE of 0: it stays out of the regression.
        let used: Vec<usize> = (0..d).filter(|&j| features[j].bins.len() > 1).collect();
        let woe = lookup(&features, x, |b| b.woe)?;
        let used_names: Vec<String> = used.iter().map(|&j| names[j].clone()).collect();
        let t = ndarray::ArrayView1::from(&t);
        let logistic =
            Logistic::fit(&params.logistic, woe.select(ndarray::Axis(1), &used).view(), t, &used_names)?;
        let factor = params.scaling.factor();
        for (k, &j) in used.iter().enumerate() {
            let w = logistic.coefficients[k + 1].estimate;
            features[j].coefficient = w;
            for bin in &mut features[j].bins {
                bin.points = -factor * w * bin.woe;
            }
        }
        let base_points = params.scaling.offset() - factor * logistic.coefficients[0].estimate;
        Ok(WoeScorecard { params: params.clone(), features, logistic, base_points })
    }

    /// The WoE of every row and feature, shape `(n, d)`; a level of the neutral class has WoE
    /// 0. Errors: a value that is not finite, a missing value without a missing-value bin, or a
    /// code beyond the one past the last level.
    pub fn transform(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        lookup(&self.features, x, |b| b.woe)
    }

    /// Points of every row and feature, shape `(n, d)`: `score = base_points + Σ_j points`.
    pub fn points(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        lookup(&self.features, x, |b| b.points)
    }

    /// The score of every row.
    pub fn score(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        Ok(self.points(x)?.sum_axis(ndarray::Axis(1)) + self.base_points)
    }

    /// `P(bad)` of every row, `σ(b + Σ_j w_j WoE_j)`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let eta = self.transform(x)?;
        let w: Array1<f64> = self.features.iter().map(|f| f.coefficient).collect();
        let b = self.logistic.coefficients[0].estimate;
        Ok(eta.dot(&w).mapv(|z| 1.0 / (1.0 + (-(z + b)).exp())))
    }

    /// The class of every row and feature.
    pub fn classes(&self, x: ArrayView2<'_, f64>) -> Result<Array2<WoeClass>> {
        classes_of(&self.features, x)
    }
}

/// The codes of `levels` (a categorical feature's, `None` for a numeric one) that no value of
/// `present` takes.
fn untrained(present: &[f64], levels: Option<&[String]>) -> Vec<usize> {
    let Some(levels) = levels else { return Vec::new() };
    let mut seen = vec![false; levels.len()];
    for &v in present {
        // Codes were checked to be integers in 0..levels.
        seen[v as usize] = true;
    }
    (0..levels.len()).filter(|&c| !seen[c]).collect()
}

/// The class of every row of `x` in each of `features`.
fn classes_of(features: &[WoeFeature], x: ArrayView2<'_, f64>) -> Result<Array2<WoeClass>> {
    if x.ncols() != features.len() {
        return Err(Error::ShapeMismatch {
            context: "features".into(),
            expected: features.len(),
            got: x.ncols(),
        });
    }
    let mut out = Array2::from_elem(x.dim(), WoeClass::Neutral);
    for ((row, column), &v) in x.indexed_iter() {
        let bin = if v.is_infinite() { None } else { features[column].class_of(v) };
        out[[row, column]] = match bin {
            Some(b) => b,
            None => {
                let name = &features[column].name;
                let reason = if v.is_nan() {
                    format!("missing value, and '{name}' had none in training (no missing-value bin)")
                } else if v.is_infinite() {
                    format!("{v} is not a finite number")
                } else {
                    format!("{v} is not a level of '{name}' seen in training")
                };
                return Err(Error::InvalidInput { row, column, reason });
            }
        };
    }
    Ok(out)
}

/// `value` of the bin of every row of `x` in each of `features`, shape `(n, d)`.
fn lookup(
    features: &[WoeFeature],
    x: ArrayView2<'_, f64>,
    value: impl Fn(&WoeBin) -> f64,
) -> Result<Array2<f64>> {
    let classes = classes_of(features, x)?;
    Ok(Array2::from_shape_fn(classes.dim(), |(i, j)| features[j].value_of(classes[[i, j]], &value)))
}

fn check_shapes(
    x: ArrayView2<'_, f64>,
    t: ArrayView1<'_, f64>,
    names: &[String],
    levels: &[Option<Vec<String>>],
) -> Result<()> {
    let (n, d) = x.dim();
    for (context, expected, got) in [
        ("features and targets", n, t.len()),
        ("features and names", d, names.len()),
        ("features and levels", d, if levels.is_empty() { d } else { levels.len() }),
    ] {
        if expected != got {
            return Err(Error::ShapeMismatch { context: context.into(), expected, got });
        }
    }
    if n == 0 {
        return Err(invalid_parameter("data", "no rows to fit a scorecard on"));
    }
    if let Some(((row, column), v)) = x.indexed_iter().find(|(_, v)| v.is_infinite()) {
        return Err(Error::InvalidInput { row, column, reason: format!("{v} is not a finite number") });
    }
    if let Some((row, v)) = t.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
        return Err(Error::InvalidInput { row, column: d, reason: format!("target {v} is not in [0, 1]") });
    }
    for (column, l) in levels.iter().enumerate() {
        let Some(l) = l else { continue };
        if let Some((row, v)) = x
            .column(column)
            .indexed_iter()
            .find(|(_, v)| !(v.is_nan() || (**v >= 0.0 && v.fract() == 0.0 && **v < l.len() as f64)))
        {
            return Err(Error::InvalidInput {
                row,
                column,
                reason: format!("{v} is not a level code of '{}' ({} levels)", names[column], l.len()),
            });
        }
    }
    Ok(())
}
