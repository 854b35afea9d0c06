//! Ordinary least squares with an intercept: the fit whose assumptions the battery tests.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, s};
use ndarray_linalg::{Diag, SolveTriangular, UPLO};
use rayon::prelude::*;
use serde::Serialize;

use super::design::{CodedFeature, Design};
use super::least_squares::{BLOCK, centered_tss, first_dependence, triangular_factor};
use super::scaling::{mul_pow2, scaler, unit_exponent};
use crate::error::{Error, Result, ensure_finite, ensure_len};

/// The fit in working units: the target and every feature multiplied by a power of two that
/// brings its largest magnitude into `[0.5, 1)` (exact, see `scaling.rs`). Every test of the
/// battery reads these; the statistics are invariant to the scaling.
#[derive(Debug, Clone)]
pub(crate) struct Working {
    /// The design `[1, X]` with scaled feature columns, shape `(n, p)`.
    pub design: Array2<f64>,
    /// The scaled target.
    pub y: Array1<f64>,
    /// Coefficients of the scaled fit.
    pub params: Array1<f64>,
    /// Residuals of the scaled fit.
    pub resid: Array1<f64>,
    /// Fitted values of the scaled fit.
    pub fitted: Array1<f64>,
    /// `Σ resid²` of the scaled fit.
    pub ssr: f64,
    /// `R` of the design's QR, shape `(p, p)`.
    pub r: Array2<f64>,
    /// `(X'X)⁻¹ = R⁻¹R⁻ᵀ` of the scaled design.
    pub cov_unscaled: Array2<f64>,
    /// Leverages `h_i = ‖R⁻ᵀ x_i‖²` (the hat matrix's diagonal; scale-free).
    pub leverage: Array1<f64>,
}

/// An OLS fit `y = β₀ + Xβ + ε` by QR, residuals in the data's row order.
///
/// Works on a copy scaled by powers of two, so targets and features anywhere in `f64`'s range
/// (1e-300 … 1e300) give the same statistics; coefficients, residuals and fitted values are
/// reported in the data's units, and a coefficient beyond `f64`'s range (a target and a
/// feature whose scales differ by more than about 1e308) is refused.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Ols {
    /// `"const"` and the feature names, in design order.
    pub names: Vec<String>,
    /// Coefficients, in design order.
    pub params: Array1<f64>,
    /// Standard errors `sqrt(s² diag((X'X)⁻¹))`.
    pub bse: Array1<f64>,
    /// Residuals `y − ŷ`, in row order.
    pub resid: Array1<f64>,
    /// Fitted values `ŷ`.
    pub fitted: Array1<f64>,
    /// `1 − SSR / Σ(y − ȳ)²`.
    pub r_squared: f64,
    /// `n − p`.
    pub df_resid: usize,
    /// How the categorical features were coded ([`Ols::fit_design`]); empty for a fit on
    /// numbers. Private, so that it stays true of the columns: White's test relies on it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categorical: Vec<CodedFeature>,
    /// The working copy.
    #[serde(skip)]
    pub(crate) w: Working,
    /// `y = y_work · 2^y_exponent`.
    #[serde(skip)]
    y_exponent: i32,
    /// Column `j` of the design = working column `j` · `2^column_exponents[j]` (0 for the
    /// intercept).
    #[serde(skip)]
    column_exponents: Vec<i32>,
}

/// The scaled design `[1, X·2^k]` and the exponents that undo the scaling, in two passes over
/// the rows (the features are row-major); errors on the first non-finite value, by column.
fn scaled_design(x: ArrayView2<'_, f64>, names: &[String]) -> Result<(Array2<f64>, Vec<i32>)> {
    let (n, k) = x.dim();
    // Per row block: each column's largest finite magnitude and first non-finite row.
    let blocks: Vec<(Vec<f64>, Vec<Option<usize>>)> = (0..n)
        .into_par_iter()
        .step_by(BLOCK)
        .map(|start| {
            let (mut largest, mut first_bad) = (vec![0.0f64; k], vec![None; k]);
            for (i, row) in x.slice(s![start..(start + BLOCK).min(n), ..]).rows().into_iter().enumerate() {
                for (j, &v) in row.iter().enumerate() {
                    if v.is_finite() {
                        largest[j] = largest[j].max(v.abs());
                    } else if first_bad[j].is_none() {
                        first_bad[j] = Some(start + i);
                    }
                }
            }
            (largest, first_bad)
        })
        .collect();
    let mut largest = vec![0.0f64; k];
    let mut first_bad: Vec<Option<usize>> = vec![None; k];
    for (block_largest, block_bad) in &blocks {
        for j in 0..k {
            largest[j] = largest[j].max(block_largest[j]);
            first_bad[j] = first_bad[j].or(block_bad[j]);
        }
    }
    if let Some((j, row)) = first_bad.iter().enumerate().find_map(|(j, b)| b.map(|row| (j, row))) {
        return Err(Error::InvalidInput {
            column: names[j].clone(),
            row,
            reason: format!("{} is not a finite number", x[[row, j]]),
        });
    }
    let exponents: Vec<i32> = largest.iter().map(|&m| unit_exponent([m])).collect();
    let scalers: Vec<_> = exponents.iter().map(|&e| scaler(e)).collect();
    let mut values = vec![1.0; n * (k + 1)];
    values.par_chunks_mut(BLOCK * (k + 1)).enumerate().for_each(|(b, block)| {
        let rows = x.slice(s![b * BLOCK..(b * BLOCK + BLOCK).min(n), ..]);
        for (out, row) in block.chunks_exact_mut(k + 1).zip(rows.rows()) {
            for (j, &v) in row.iter().enumerate() {
                out[j + 1] = scalers[j](v);
            }
        }
    });
    let design = Array2::from_shape_vec((n, k + 1), values)
        .map_err(|e| Error::Linalg { what: "the design".into(), reason: e.to_string() })?;
    Ok((design, std::iter::once(0).chain(exponents.iter().map(|e| -e)).collect()))
}

/// `‖R⁻ᵀ x_i‖²` for every row, in parallel row blocks.
fn leverages(design: &Array2<f64>, r_inv: &Array2<f64>) -> Array1<f64> {
    let n = design.nrows();
    let starts: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let blocks: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&start| {
            let z = design.slice(s![start..(start + BLOCK).min(n), ..]).dot(r_inv);
            z.rows().into_iter().map(|row| row.dot(&row)).collect()
        })
        .collect();
    blocks.into_iter().flatten().collect()
}

impl Ols {
    /// Fits a data set's numeric target on an intercept and its features, categorical ones
    /// treatment-coded ([`Design::of`]), as `kd hypotheses` (and its Python binding) does.
    /// Errors: a target that is not numeric, a categorical feature with too many levels, and
    /// every error of [`Ols::fit`].
    pub fn fit_dataset(data: &kd_core::data::Dataset) -> Result<Self> {
        let kd_core::data::Target::Values(y) = data.target() else {
            return Err(crate::error::invalid_parameter("target", "it must be numeric"));
        };
        Self::fit_design(&Design::of(data)?, y.view())
    }

    /// Fits `y` on an intercept and `design`'s columns, recording how its categorical features
    /// were coded. Errors: those of [`Ols::fit`].
    pub fn fit_design(design: &Design, y: ArrayView1<'_, f64>) -> Result<Self> {
        let mut ols = Self::fit(design.x(), y, design.names())?;
        ols.categorical = design.categorical().to_vec();
        Ok(ols)
    }

    /// How the categorical features were coded (empty for a fit on numbers).
    pub fn categorical(&self) -> &[CodedFeature] {
        &self.categorical
    }

    /// Fits `y` on an intercept and the columns of `x` (shape `(n, k)`, named by `names`).
    ///
    /// Errors: non-finite values (naming the row), fewer than `k + 2` rows, a constant target,
    /// perfectly collinear columns (naming the column and those it is a combination of), and
    /// coefficients or residuals beyond `f64`'s range in the data's units.
    pub fn fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>, names: &[String]) -> Result<Self> {
        ensure_len("features and target", x.nrows(), y.len())?;
        ensure_len("features and their names", x.ncols(), names.len())?;
        ensure_finite("target", &y.to_vec())?;
        let (n, p) = (y.len(), x.ncols() + 1);
        if n < p + 1 {
            return Err(Error::TooFewRows {
                what: format!("an OLS fit with {p} parameters (rows: parameters + 1)"),
                needed: p + 1,
                found: n,
            });
        }
        if y.iter().all(|&v| v == y[0]) {
            return Err(Error::Undefined { test: "OLS".into(), reason: "the target is constant".into() });
        }
        let all_names: Vec<String> =
            std::iter::once("const".to_owned()).chain(names.iter().cloned()).collect();
        let (design, column_exponents) = scaled_design(x, names)?;
        let y_exponent = -unit_exponent(y.iter().copied());
        let yw = y.mapv(scaler(-y_exponent));
        let full = triangular_factor(n, p + 1, |start, mut block| {
            let rows = block.nrows();
            block.slice_mut(s![.., ..p]).assign(&design.slice(s![start..start + rows, ..]));
            block.column_mut(p).assign(&yw.slice(s![start..start + rows]));
        })?;
        if let Some(d) = first_dependence(&full, p, n)? {
            return Err(Error::Collinear {
                column: all_names[d.column].clone(),
                with: d.with.iter().map(|&i| all_names[i].clone()).collect(),
            });
        }
        let linalg = |what: &str, e: ndarray_linalg::error::LinalgError| Error::Linalg {
            what: what.to_owned(),
            reason: e.to_string(),
        };
        let r = full.slice(s![..p, ..p]).to_owned();
        let params_w = r
            .solve_triangular(UPLO::Upper, Diag::NonUnit, &full.slice(s![..p, p]).to_owned())
            .map_err(|e| linalg("least squares", e))?;
        let r_inv = r
            .solve_triangular(UPLO::Upper, Diag::NonUnit, &Array2::eye(p))
            .map_err(|e| linalg("inverting R", e))?;
        let fitted_w = design.dot(&params_w);
        let resid_w = &yw - &fitted_w;
        let ssr_w = resid_w.dot(&resid_w);
        let cov_unscaled = r_inv.dot(&r_inv.t());
        let df_resid = n - p;
        let sigma2_w = ssr_w / df_resid as f64;
        // Back to the data's units: β_j = β_w,j · 2^(e_y − e_j); exact unless out of range.
        let to_data = |v: f64, j: usize| mul_pow2(v, y_exponent - column_exponents[j]);
        let params: Array1<f64> = params_w.iter().enumerate().map(|(j, &b)| to_data(b, j)).collect();
        let bse: Array1<f64> = (0..p).map(|j| to_data((sigma2_w * cov_unscaled[[j, j]]).sqrt(), j)).collect();
        if let Some(j) = (0..p).find(|&j| !params[j].is_finite() || !bse[j].is_finite()) {
            return Err(Error::Undefined {
                test: "OLS".into(),
                reason: format!(
                    "the coefficient of '{}' or its standard error is beyond f64's range in the data's units \
                     (the target and this feature differ in scale by more than about 1e308): rescale one of them",
                    all_names[j]
                ),
            });
        }
        let leverage = leverages(&design, &r_inv);
        Ok(Self {
            names: all_names,
            params,
            bse,
            resid: resid_w.mapv(scaler(y_exponent)),
            fitted: fitted_w.mapv(scaler(y_exponent)),
            r_squared: 1.0 - ssr_w / centered_tss(yw.view()),
            df_resid,
            categorical: Vec::new(),
            w: Working {
                design,
                y: yw,
                params: params_w,
                resid: resid_w,
                fitted: fitted_w,
                ssr: ssr_w,
                r,
                cov_unscaled,
                leverage,
            },
            y_exponent,
            column_exponents,
        })
    }

    /// Number of observations.
    pub fn n_obs(&self) -> usize {
        self.resid.len()
    }

    /// Number of parameters, intercept included.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// `Σ resid²` in the data's units (infinite when the residuals exceed about 1e154).
    pub fn ssr(&self) -> f64 {
        mul_pow2(self.w.ssr, 2 * self.y_exponent)
    }

    /// `s² = SSR / (n − p)` in the data's units (infinite when the residuals exceed about
    /// 1e154).
    pub fn sigma2(&self) -> f64 {
        self.ssr() / self.df_resid as f64
    }

    /// Leverages `h_i`, the diagonal of the hat matrix.
    pub fn leverage(&self) -> &Array1<f64> {
        &self.w.leverage
    }

    /// Column `j` of the design in the data's units is working column `j` times
    /// `2^column_exponent(j)`.
    pub(crate) fn column_exponent(&self, j: usize) -> i32 {
        self.column_exponents[j]
    }

    /// Converts a working-unit standard error (or coefficient) of column `j` to the data's
    /// units.
    pub(crate) fn coefficient_to_data(&self, value: f64, j: usize) -> f64 {
        mul_pow2(value, self.y_exponent - self.column_exponents[j])
    }
}
