//! One explanation interface for every additive student (interpretml's `eval_terms`): per-row
//! contributions of each term that add up, with the intercept, to the student's predictor `η`,
//! and through the student's [`Response`] to its prediction — exactly, not approximately.
//!
//! | student | terms | predictors | response |
//! |---|---|---|---|
//! | [`Linear`] | `w_j x_j` | 1 | identity |
//! | [`Logistic`] | `w_j x_j` | 1 | logit of class 1 |
//! | [`Multinomial`] | `w_cj x_j` per class `c ≥ 1` | `k − 1` | softmax against class 0 |
//! | [`BoostedGam`] | `f_t(x)` per main term and pair | 1 | identity or logit of class 1 |
//! | [`SplineGam`] | `f_j(x_j)` | 1 | identity or logit of class 1 |
//! | [`WoeScorecard`] | `w_j · WoE_j(x_j)` | 1 | logit of the bad class |
//! | [`QuantileScorecard`] | `−points_j / factor` | 1 | logit of class 1 (the card's own `P(bad)`) |
//!
//! `tests/contributions.rs` checks, for every one of them at once, that the contributions
//! reproduce the prediction.

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};

use crate::error::{Result, check_rows};
use crate::gam::BoostedGam;
use crate::linear::{Coefficient, Linear, Logistic, Multinomial};
use crate::link::Link;
use crate::scorecard::{QuantileScorecard, WoeScorecard};
use crate::spline::SplineGam;

/// How the predictors `η` become the prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// The prediction is `η`, shape `(n, 1)`.
    Identity,
    /// `P(class) = σ(η)` and the other class `1 − σ(η)`, shape `(n, 2)`.
    Logit {
        /// The class (0 or 1) whose probability is `σ(η)`.
        class: usize,
    },
    /// `P(0) ∝ 1`, `P(c) ∝ exp(η_c)` for `c ≥ 1`, shape `(n, k)` with `k − 1` predictors.
    Softmax,
}

/// Per-row contributions of an additive student's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Contributions {
    /// The terms' names (a feature, or `a × b` for a pair).
    pub terms: Vec<String>,
    /// The intercept of each predictor.
    pub intercept: Array1<f64>,
    /// Contributions, shape `(n, predictors, terms)`.
    pub values: Array3<f64>,
    /// How the predictors become the prediction.
    pub response: Response,
}

impl Contributions {
    /// `η = intercept + Σ_terms values`, shape `(n, predictors)`.
    pub fn predictor(&self) -> Array2<f64> {
        self.values.sum_axis(Axis(2)) + &self.intercept
    }

    /// The prediction in the layout of [`Student::predict`](crate::Student::predict): values
    /// `(n, 1)` or class probabilities `(n, k)`.
    pub fn prediction(&self) -> Array2<f64> {
        let eta = self.predictor();
        match self.response {
            Response::Identity => eta,
            Response::Logit { class } => {
                let p = Link::Logit.outputs(eta.column(0).to_owned());
                if class == 1 { p } else { p.slice(ndarray::s![.., ..;-1]).to_owned() }
            }
            Response::Softmax => Array2::from_shape_fn((eta.nrows(), eta.ncols() + 1), |(i, c)| {
                let top = eta.row(i).fold(0.0_f64, |a, &b| a.max(b));
                let total = (-top).exp() + eta.row(i).iter().map(|e| (e - top).exp()).sum::<f64>();
                let own = if c == 0 { -top } else { eta[[i, c - 1]] - top };
                own.exp() / total
            }),
        }
    }
}

/// A student whose prediction is a sum of per-feature (or per-pair) terms through a link.
pub trait Additive {
    /// The contributions of every term for the rows of `x` (shape `(n, features)`), with
    /// `names` the features' names. Errors: a wrong width or a value the student cannot read.
    fn contributions(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Result<Contributions>;
}

/// Terms `w_j x_j` of coefficient tables (intercept first), one predictor per table.
fn linear_terms(
    tables: &[&[Coefficient]],
    x: ArrayView2<'_, f64>,
    response: Response,
) -> Result<Contributions> {
    let k = tables.first().map_or(0, |t| t.len().saturating_sub(1));
    check_rows(x, k)?;
    let values = Array3::from_shape_fn((x.nrows(), tables.len(), k), |(i, c, j)| {
        tables[c][j + 1].estimate * x[[i, j]]
    });
    Ok(Contributions {
        terms: tables.first().map_or_else(Vec::new, |t| t[1..].iter().map(|c| c.name.clone()).collect()),
        intercept: tables.iter().map(|t| t[0].estimate).collect(),
        values,
        response,
    })
}

/// One predictor's contributions `(n, terms)` as a `(n, 1, terms)` array.
fn single(terms: Vec<String>, intercept: f64, values: Array2<f64>, response: Response) -> Contributions {
    Contributions {
        terms,
        intercept: Array1::from(vec![intercept]),
        values: values.insert_axis(Axis(1)),
        response,
    }
}

fn link_response(link: Link) -> Response {
    match link {
        Link::Identity => Response::Identity,
        Link::Logit => Response::Logit { class: 1 },
    }
}

impl Additive for Linear {
    fn contributions(&self, x: ArrayView2<'_, f64>, _names: &[String]) -> Result<Contributions> {
        linear_terms(&[&self.coefficients], x, Response::Identity)
    }
}

impl Additive for Logistic {
    fn contributions(&self, x: ArrayView2<'_, f64>, _names: &[String]) -> Result<Contributions> {
        linear_terms(&[&self.coefficients], x, Response::Logit { class: 1 })
    }
}

impl Additive for Multinomial {
    fn contributions(&self, x: ArrayView2<'_, f64>, _names: &[String]) -> Result<Contributions> {
        let tables: Vec<&[Coefficient]> = self.coefficients.iter().map(Vec::as_slice).collect();
        linear_terms(&tables, x, Response::Softmax)
    }
}

impl Additive for BoostedGam {
    fn contributions(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Result<Contributions> {
        let terms = self.terms.iter().map(|t| t.name(names)).collect();
        Ok(single(terms, self.intercept, BoostedGam::contributions(self, x)?, link_response(self.link)))
    }
}

impl Additive for SplineGam {
    fn contributions(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Result<Contributions> {
        let terms = self
            .terms
            .iter()
            .map(|t| names.get(t.feature).cloned().unwrap_or_else(|| format!("feature_{}", t.feature)))
            .collect();
        Ok(single(terms, self.intercept, SplineGam::contributions(self, x)?, link_response(self.link)))
    }
}

impl Additive for WoeScorecard {
    fn contributions(&self, x: ArrayView2<'_, f64>, _names: &[String]) -> Result<Contributions> {
        let woe = self.transform(x)?;
        let w: Array1<f64> = self.features.iter().map(|f| f.coefficient).collect();
        let terms = self.features.iter().map(|f| f.name.clone()).collect();
        let response = Response::Logit { class: self.params.bad_class };
        Ok(single(terms, self.logistic.coefficients[0].estimate, woe * &w, response))
    }
}

impl Additive for QuantileScorecard {
    fn contributions(&self, x: ArrayView2<'_, f64>, names: &[String]) -> Result<Contributions> {
        check_rows(x, names.len())?;
        let factor = self.scaling.factor();
        let points = self.points(x, names);
        let intercept = -(self.base_points - self.scaling.offset()) / factor;
        Ok(single(names.to_vec(), intercept, points.mapv(|p| -p / factor), Response::Logit { class: 1 }))
    }
}
