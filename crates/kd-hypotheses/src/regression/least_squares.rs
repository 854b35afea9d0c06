//! Least squares by Householder QR (LAPACK through ndarray-linalg), the engine under every
//! regression of the battery. Columns are scaled to unit norm first, so that `|R_jj|` is the
//! sine of the angle between column `j` and the span of the earlier columns: a value below
//! [`DEPENDENCE_TOLERANCE`] marks a (numerically) dependent column. No `n × n` matrix is formed.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, s};
use ndarray_linalg::{Diag, QR, SolveTriangular, UPLO};

use crate::error::{Error, Result};

/// `|R_jj|` of a unit-norm column below which it counts as dependent on the earlier columns.
pub const DEPENDENCE_TOLERANCE: f64 = 1e-10;

/// A least-squares fit `y ≈ X b`.
#[derive(Debug, Clone)]
pub struct LeastSquares {
    /// Indices of the columns of `X` used (the independent ones, in order).
    pub kept: Vec<usize>,
    /// Coefficients of the kept columns.
    pub params: Array1<f64>,
    /// `y − X b`.
    pub resid: Array1<f64>,
    /// `Σ resid²`.
    pub ssr: f64,
    /// Thin `Q` of the kept columns, shape `(n, rank)`.
    pub q: Array2<f64>,
    /// `(X'X)⁻¹` of the kept columns, shape `(rank, rank)`.
    pub cov_unscaled: Array2<f64>,
}

/// A column found dependent on earlier ones, with the earlier columns involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependence {
    /// The dependent column.
    pub column: usize,
    /// Earlier columns with a non-negligible coefficient in the combination.
    pub with: Vec<usize>,
}

fn linalg(what: &str, e: ndarray_linalg::error::LinalgError) -> Error {
    Error::Linalg { what: what.to_owned(), reason: e.to_string() }
}

fn scaled_qr(x: ArrayView2<'_, f64>) -> Result<(Array2<f64>, Array2<f64>, Array1<f64>)> {
    let norms: Array1<f64> = x.map_axis(Axis(0), |c| c.dot(&c).sqrt());
    let scaled = &x / &norms.mapv(|v| if v > 0.0 { v } else { 1.0 });
    let (q, r) = scaled.qr().map_err(|e| linalg("QR decomposition", e))?;
    Ok((q, r, norms))
}

/// The first dependent column of `x`, if any.
pub fn first_dependence(x: ArrayView2<'_, f64>) -> Result<Option<Dependence>> {
    let (_, r, norms) = scaled_qr(x)?;
    for j in 0..x.ncols() {
        if j >= r.nrows() {
            // More columns than rows: column j is a combination of the first n.
            return Ok(Some(Dependence { column: j, with: (0..r.nrows()).collect() }));
        }
        if norms[j] == 0.0 {
            return Ok(Some(Dependence { column: j, with: Vec::new() }));
        }
        if r[[j, j]].abs() < DEPENDENCE_TOLERANCE {
            // x_j ≈ Σ_{i<j} c_i x_i with R[..j, ..j] c = R[..j, j].
            let upper = r.slice(s![..j, ..j]).to_owned();
            let c = upper
                .solve_triangular(UPLO::Upper, Diag::NonUnit, &r.slice(s![..j, j]).to_owned())
                .map_err(|e| linalg("collinearity diagnosis", e))?;
            let largest = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let with = (0..j).filter(|&i| c[i].abs() > 1e-6 * largest).collect();
            return Ok(Some(Dependence { column: j, with }));
        }
    }
    Ok(None)
}

/// Fits `y` on the columns of `x` that are independent of the earlier ones (all of them when
/// `x` has full column rank).
pub fn fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<LeastSquares> {
    let (_, r_all, norms) = scaled_qr(x)?;
    // With fewer rows than columns, R has only `n` rows: later columns cannot add rank.
    let kept: Vec<usize> = (0..x.ncols())
        .filter(|&j| j < r_all.nrows() && norms[j] > 0.0 && r_all[[j, j]].abs() >= DEPENDENCE_TOLERANCE)
        .collect();
    let xk = x.select(Axis(1), &kept);
    let (q, r, norms) = scaled_qr(xk.view())?;
    let qty = q.t().dot(&y);
    let scaled_params =
        r.solve_triangular(UPLO::Upper, Diag::NonUnit, &qty).map_err(|e| linalg("least squares", e))?;
    let params = &scaled_params / &norms;
    let resid = &y - &q.dot(&qty);
    let ssr = resid.dot(&resid);
    let r_inv = r
        .solve_triangular(UPLO::Upper, Diag::NonUnit, &Array2::eye(kept.len()))
        .map_err(|e| linalg("inverting R", e))?;
    let scaled_cov = r_inv.dot(&r_inv.t());
    let outer = norms.view().insert_axis(Axis(1)).dot(&norms.view().insert_axis(Axis(0)));
    Ok(LeastSquares { kept, params, resid, ssr, q, cov_unscaled: scaled_cov / outer })
}

impl LeastSquares {
    /// Number of kept (independent) columns.
    pub fn rank(&self) -> usize {
        self.kept.len()
    }
}

/// `Σ (y − ȳ)²`.
pub fn centered_tss(y: ArrayView1<'_, f64>) -> f64 {
    let mean = y.mean().unwrap_or(0.0);
    y.iter().map(|v| (v - mean).powi(2)).sum()
}

/// The design `[1, x]`: a column of ones before the columns of `x`.
pub fn with_constant(x: ArrayView2<'_, f64>) -> Array2<f64> {
    let mut design = Array2::ones((x.nrows(), x.ncols() + 1));
    design.slice_mut(s![.., 1..]).assign(&x);
    design
}
