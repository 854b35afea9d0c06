//! The fitted spline GAM: fit, prediction and per-term contributions.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::basis::Basis;
use super::design::Design;
use super::fit::Problem;
use super::params::SplineGamParams;
use super::select::{LamScore, choose};
use crate::error::{Error, Result, check_finite, check_rows, invalid_parameter};
use crate::link::Link;

/// One smooth term `f_j(x_j) = Σ_k β_jk B_jk(x_j)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplineTerm {
    /// The feature it reads.
    pub feature: usize,
    /// Its basis (training range, splines, degree).
    pub basis: Basis,
    /// Its smoothing parameter `λ_j`.
    pub lam: f64,
    /// `β_j`, `K` values (pyGAM's, whose levels are not centred: see the module `identify.rs`).
    pub coefficients: Vec<f64>,
    /// Its share of the effective degrees of freedom.
    pub edof: f64,
    /// Mean of `f_j` over the training rows; the shapes shown are `f_j − mean`.
    pub mean: f64,
    /// Mean basis row over the training rows (for the bands of the centred shape).
    pub mean_basis: Vec<f64>,
    /// Mean `|f_j − mean|` over the training rows (interpret's importance).
    pub importance: f64,
}

/// The fit's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplineStatistics {
    /// Training rows.
    pub n_samples: usize,
    /// Penalised IRLS iterations of the final fit.
    pub iterations: usize,
    /// Effective degrees of freedom `tr(A⁻¹XᵀWX)`, intercept included.
    pub edof: f64,
    /// `φ`: residual variance (identity link) or 1 (logit).
    pub dispersion: f64,
    /// Deviance of the training rows.
    pub deviance: f64,
    /// GCV score (identity link).
    pub gcv: Option<f64>,
    /// UBRE score, Wood's definition (logit link).
    pub ubre: Option<f64>,
    /// The smoothing-parameter search, when there was one.
    pub search: Vec<LamScore>,
}

/// A fitted spline GAM: `η(x) = intercept + Σ_j f_j(x_j)`, the prediction `η` or `σ(η)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplineGam {
    /// The parameters it was fitted with.
    pub params: SplineGamParams,
    /// The link.
    pub link: Link,
    /// Input features.
    pub n_features: usize,
    /// One term per feature, in feature order.
    pub terms: Vec<SplineTerm>,
    /// pyGAM's intercept coefficient.
    pub intercept: f64,
    /// `V_β` of all coefficients (terms, then the intercept), `m × m`.
    pub covariance: Array2<f64>,
    /// Statistics of the fit.
    pub statistics: SplineStatistics,
}

impl SplineGam {
    /// Fits the GAM to `x` (shape `(n, d)`, no constant column, `n > d·n_splines + 1`) and `y`
    /// (any finite values for `Identity`, values in `[0, 1]` for `Logit`).
    pub fn fit(
        params: &SplineGamParams,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        link: Link,
    ) -> Result<Self> {
        let (n, d) = x.dim();
        params.check(d)?;
        check_data(params, x, y, link)?;
        let bases: Vec<Basis> = x
            .columns()
            .into_iter()
            .map(|c| Basis {
                lower: c.fold(f64::INFINITY, |a, &b| a.min(b)),
                upper: c.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
                n_splines: params.n_splines,
                order: params.spline_order,
            })
            .collect();
        let design = Design::new(x, &bases);
        let y = y.to_vec();
        let problem = Problem::new(&design, &y, link, params.max_iter, params.tol, params.gamma);
        let (fit, lams, search) = choose(&problem, &params.smoothing, d)?;
        let k = params.n_splines;
        let column_means = design.column_means();
        let terms = bases
            .into_iter()
            .enumerate()
            .map(|(j, basis)| {
                let coefficients: Vec<f64> = fit.beta.iter().skip(j * k).take(k).copied().collect();
                let values = design.term(j, &coefficients);
                let mean = values.iter().sum::<f64>() / n as f64;
                let mean_basis = column_means[j * k..(j + 1) * k].to_vec();
                let importance = values.iter().map(|v| (v - mean).abs()).sum::<f64>() / n as f64;
                let edof = fit.edof_per_coef[j * k..(j + 1) * k].iter().sum();
                SplineTerm {
                    feature: j,
                    basis,
                    lam: lams[j],
                    coefficients,
                    edof,
                    mean,
                    mean_basis,
                    importance,
                }
            })
            .collect();
        let statistics = SplineStatistics {
            n_samples: n,
            iterations: fit.iterations,
            edof: fit.edof,
            dispersion: fit.dispersion,
            deviance: fit.deviance,
            gcv: fit.gcv,
            ubre: fit.ubre,
            search,
        };
        Ok(Self {
            params: params.clone(),
            link,
            n_features: d,
            terms,
            intercept: fit.beta[d * k],
            covariance: fit.covariance,
            statistics,
        })
    }

    /// All coefficients in pyGAM's order: each term's `K`, then the intercept.
    pub fn coefficients(&self) -> Array1<f64> {
        self.terms.iter().flat_map(|t| t.coefficients.iter().copied()).chain([self.intercept]).collect()
    }

    /// Term `term`, or an error naming it.
    pub fn term(&self, term: usize) -> Result<&SplineTerm> {
        self.terms
            .get(term)
            .ok_or_else(|| invalid_parameter("term", format!("{term} (the model has {})", self.terms.len())))
    }

    /// The sparse basis rows of `x`, checked for width and finite values.
    pub(crate) fn design(&self, x: ArrayView2<'_, f64>) -> Result<Design> {
        check_rows(x, self.n_features)?;
        let bases: Vec<Basis> = self.terms.iter().map(|t| t.basis.clone()).collect();
        Ok(Design::new(x, &bases))
    }

    /// Per-row term values `f_j(x_j)`, shape `(n, d)`: `η = intercept + Σ_j contributions[., j]`
    /// (pyGAM's `partial_dependence` of each term).
    pub fn contributions(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let design = self.design(x)?;
        let mut out = Array2::zeros((x.nrows(), self.n_features));
        for (j, term) in self.terms.iter().enumerate() {
            out.column_mut(j).assign(&Array1::from(design.term(j, &term.coefficients)));
        }
        Ok(out)
    }

    /// The additive predictor `η` of each row.
    pub fn predict_link(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        Ok(self.contributions(x)?.sum_axis(Axis(1)) + self.intercept)
    }

    /// Predictions, shape `(n, 1)` values (identity) or `(n, 2)` probabilities `[1 − p, p]`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        Ok(self.link.outputs(self.predict_link(x)?))
    }
}

fn check_data(
    params: &SplineGamParams,
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    link: Link,
) -> Result<()> {
    let (n, d) = x.dim();
    if y.len() != n {
        return Err(Error::ShapeMismatch {
            context: "features and targets".into(),
            expected: n,
            got: y.len(),
        });
    }
    if d == 0 {
        return Err(invalid_parameter("features", "none (a spline GAM needs at least one)"));
    }
    let m = d * params.n_splines + 1;
    if n <= m {
        return Err(invalid_parameter(
            "n_splines",
            format!(
                "{n} rows for {m} coefficients ({d} features × {} splines + intercept); need more rows than coefficients",
                params.n_splines
            ),
        ));
    }
    check_finite(x)?;
    for (j, c) in x.columns().into_iter().enumerate() {
        if c.iter().all(|&v| v == c[0]) {
            return Err(invalid_parameter(
                "features",
                format!("column {j} is constant ({}); a spline needs at least two distinct values", c[0]),
            ));
        }
    }
    link.check_targets(y, d)
}
