//! Least squares by Householder QR (LAPACK through ndarray-linalg), the engine under every
//! regression of the battery. Columns are scaled to unit norm first, so that `|R_jj|` is the
//! sine of the angle between column `j` and the span of the earlier columns: a value below
//! [`DEPENDENCE_TOLERANCE`] marks a (numerically) dependent column. No `n × n` matrix is formed.
//!
//! Auxiliary regressions need only their residual sum of squares, which the triangular factor
//! of `[X y]` holds: `SSR = R[p, p]²`. [`ssr_fit`] therefore runs LAPACK's `dgeqrf` alone and
//! never forms `Q`, a third of the work of a full fit; only the main OLS fit ([`qr_fit`]) forms
//! the thin `Q` (for leverages).

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, ShapeBuilder, s};
use ndarray_linalg::{Diag, Lapack, MatrixLayout, QR, SolveTriangular, UPLO};

use crate::error::{Error, Result};

/// `|R_jj|` of a unit-norm column below which it counts as dependent on the earlier columns.
pub const DEPENDENCE_TOLERANCE: f64 = 1e-10;

fn linalg(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Linalg { what: what.to_owned(), reason: e.to_string() }
}

fn column_norms(x: ArrayView2<'_, f64>) -> Array1<f64> {
    x.map_axis(Axis(0), |c| c.dot(&c).sqrt())
}

/// `[x / ‖x‖ (per column), extra]` in column-major order, ready for LAPACK.
fn scaled_with(
    x: ArrayView2<'_, f64>,
    norms: &Array1<f64>,
    extra: Option<ArrayView1<'_, f64>>,
) -> Array2<f64> {
    let (n, p) = x.dim();
    let mut a = Array2::zeros((n, p + usize::from(extra.is_some())).f());
    for (j, column) in x.columns().into_iter().enumerate() {
        let norm = if norms[j] > 0.0 { norms[j] } else { 1.0 };
        a.column_mut(j).zip_mut_with(&column, |dst, &v| *dst = v / norm);
    }
    if let Some(y) = extra {
        a.column_mut(p).assign(&y);
    }
    a
}

/// The upper-triangular factor `R` (shape `(min(n, p), p)`) of the Householder QR of the
/// column-major `a`, without forming `Q`.
fn r_factor(mut a: Array2<f64>) -> Result<Array2<f64>> {
    let (n, p) = a.dim();
    let layout = MatrixLayout::F { col: p as i32, lda: n as i32 };
    let data = a.as_slice_memory_order_mut().ok_or_else(|| linalg("QR", "the matrix is not contiguous"))?;
    f64::householder(layout, data).map_err(|e| linalg("QR decomposition", e))?;
    let k = n.min(p);
    Ok(Array2::from_shape_fn((k, p), |(i, j)| if j >= i { a[[i, j]] } else { 0.0 }))
}

/// Columns of `x` independent of the earlier ones, given `R` of the scaled columns.
fn independent(r: &Array2<f64>, norms: &Array1<f64>, p: usize) -> Vec<usize> {
    (0..p).filter(|&j| j < r.nrows() && norms[j] > 0.0 && r[[j, j]].abs() >= DEPENDENCE_TOLERANCE).collect()
}

/// A column found dependent on earlier ones, with the earlier columns involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependence {
    /// The dependent column.
    pub column: usize,
    /// Earlier columns with a non-negligible coefficient in the combination.
    pub with: Vec<usize>,
}

/// The first dependent column of `x`, if any.
pub fn first_dependence(x: ArrayView2<'_, f64>) -> Result<Option<Dependence>> {
    let norms = column_norms(x);
    let r = r_factor(scaled_with(x, &norms, None))?;
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
            let c = r
                .slice(s![..j, ..j])
                .to_owned()
                .solve_triangular(UPLO::Upper, Diag::NonUnit, &r.slice(s![..j, j]).to_owned())
                .map_err(|e| linalg("collinearity diagnosis", e))?;
            let largest = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let with = (0..j).filter(|&i| c[i].abs() > 1e-6 * largest).collect();
            return Ok(Some(Dependence { column: j, with }));
        }
    }
    Ok(None)
}

/// The residual sum of squares of an auxiliary regression and the columns it used.
#[derive(Debug, Clone, PartialEq)]
pub struct SsrFit {
    /// Indices of the independent columns used.
    pub kept: Vec<usize>,
    /// `Σ (y − ŷ)²`.
    pub ssr: f64,
}

impl SsrFit {
    /// Number of independent columns.
    pub fn rank(&self) -> usize {
        self.kept.len()
    }
}

/// Regresses `y` on the columns of `x` that are independent of the earlier ones and returns
/// the residual sum of squares, from `R` of `[X y]` alone.
pub fn ssr_fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<SsrFit> {
    let (n, p) = x.dim();
    let norms = column_norms(x);
    let r = r_factor(scaled_with(x, &norms, Some(y)))?;
    let kept = independent(&r, &norms, p);
    let k = kept.len();
    if k >= n {
        return Ok(SsrFit { kept, ssr: 0.0 });
    }
    let last = if k == p {
        r[[p, p]]
    } else {
        let xk = x.select(Axis(1), &kept);
        let r = r_factor(scaled_with(xk.view(), &column_norms(xk.view()), Some(y)))?;
        r[[k, k]]
    };
    Ok(SsrFit { kept, ssr: last * last })
}

/// A full least-squares fit of `y` on a full-rank `x`.
#[derive(Debug, Clone)]
pub struct QrFit {
    /// Coefficients.
    pub params: Array1<f64>,
    /// `y − X b`.
    pub resid: Array1<f64>,
    /// `Σ resid²`.
    pub ssr: f64,
    /// Thin `Q`, shape `(n, p)`.
    pub q: Array2<f64>,
    /// `(X'X)⁻¹`, shape `(p, p)`.
    pub cov_unscaled: Array2<f64>,
}

/// Fits `y` on `x`, which must have full column rank (check with [`first_dependence`]).
pub fn qr_fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<QrFit> {
    let norms = column_norms(x);
    let scaled = scaled_with(x, &norms, None);
    let (q, r) = scaled.qr().map_err(|e| linalg("QR decomposition", e))?;
    let qty = q.t().dot(&y);
    let scaled_params =
        r.solve_triangular(UPLO::Upper, Diag::NonUnit, &qty).map_err(|e| linalg("least squares", e))?;
    let resid = &y - &q.dot(&qty);
    let r_inv = r
        .solve_triangular(UPLO::Upper, Diag::NonUnit, &Array2::eye(x.ncols()))
        .map_err(|e| linalg("inverting R", e))?;
    let outer = norms.view().insert_axis(Axis(1)).dot(&norms.view().insert_axis(Axis(0)));
    Ok(QrFit {
        params: &scaled_params / &norms,
        ssr: resid.dot(&resid),
        resid,
        q,
        cov_unscaled: r_inv.dot(&r_inv.t()) / outer,
    })
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
