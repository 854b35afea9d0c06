//! Least squares by Householder QR accumulated over row blocks (TSQR: Demmel, Grigori,
//! Hoemmen & Langou 2012), the engine under every regression of the battery.
//!
//! A regression needs only the triangular factor `R` of `[X y]`: the coefficients solve
//! `R_X b = R[..p, p]` and the residual sum of squares is `R[p, p]²`. [`triangular_factor`]
//! builds `R` from rows that a closure writes block by block, so an auxiliary design (White's
//! `n × 66` products, Breusch–Godfrey's lagged residuals) is never held in memory whole: each
//! block of [`BLOCK`] rows is folded into the `R` so far by Householder reflections
//! (`householder.rs`), with the block in cache. Chunks of [`CHUNK`] rows run in parallel and their
//! factors are merged in chunk order, so the result does not depend on the number of threads.
//! No `n × n` matrix is formed.
//!
//! An auxiliary regression on a large sample ([`ssr_of_rows`], [`ssr_fit`]) takes `R` from the
//! normal equations instead where they are safely conditioned (`normal_equations.rs`).
//!
//! `|R_jj| / ‖x_j‖` is the sine of the angle between column `j` and the span of the earlier
//! columns (Householder QR is invariant to column scaling); a value below
//! [`DEPENDENCE_TOLERANCE`] marks a (numerically) dependent column, which is dropped by
//! re-triangularising the small `R` (the rows of `R` span the same space as those of `X`).

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis, ShapeBuilder, s};
use ndarray_linalg::{Diag, SolveTriangular, UPLO};
use rayon::prelude::*;

use super::householder::absorb;
use super::normal_equations::gram_factor;
use crate::error::{Error, Result};

/// `|R_jj| / ‖x_j‖` below which column `j` counts as dependent on the earlier columns.
pub const DEPENDENCE_TOLERANCE: f64 = 1e-10;

/// Rows factorised per LAPACK call (the block and the `R` above it stay in cache).
pub const BLOCK: usize = 1024;

/// Rows per parallel task (a multiple of [`BLOCK`]).
pub const CHUNK: usize = 32 * BLOCK;

fn linalg(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Linalg { what: what.to_owned(), reason: e.to_string() }
}

/// A column-major `q × q` upper triangle as an array.
fn to_array(r: Vec<f64>, q: usize) -> Result<Array2<f64>> {
    Array2::from_shape_vec((q, q).f(), r).map_err(|e| linalg("QR", e))
}

/// `R` of `[top; bottom]` for two small matrices with the same columns.
pub fn stacked_factor<'a>(top: ArrayView2<'a, f64>, bottom: ArrayView2<'a, f64>) -> Result<Array2<f64>> {
    let q = top.ncols();
    let mut r = vec![0.0; q * q];
    for part in [top, bottom] {
        let m = part.nrows();
        let mut b: Vec<f64> = part.t().iter().copied().collect();
        absorb(&mut r, &mut b, m, q);
    }
    to_array(r, q)
}

/// `R` (column-major) of the rows `range` written by `fill`, block by block.
fn chunk_factor<F>(range: std::ops::Range<usize>, cols: usize, fill: &F) -> Result<Vec<f64>>
where
    F: Fn(usize, ArrayViewMut2<'_, f64>) + Sync,
{
    let mut r = vec![0.0; cols * cols];
    let mut buffer = vec![0.0; BLOCK * cols];
    let mut start = range.start;
    while start < range.end {
        let m = BLOCK.min(range.end - start);
        let data = &mut buffer[..m * cols];
        fill(start, ArrayViewMut2::from_shape((m, cols).f(), &mut *data).map_err(|e| linalg("QR", e))?);
        absorb(&mut r, data, m, cols);
        start += m;
    }
    Ok(r)
}

/// The upper-triangular factor `R` (`cols × cols`) of the Householder QR of the `n × cols`
/// matrix whose rows `fill(start, block)` writes: `block` (column-major) holds rows
/// `start..start + block.nrows()`. Rows beyond the first `min(n, cols)` of `R` are zero.
pub fn triangular_factor<F>(n: usize, cols: usize, fill: F) -> Result<Array2<f64>>
where
    F: Fn(usize, ArrayViewMut2<'_, f64>) + Sync,
{
    let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
    let factors: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&s| chunk_factor(s..(s + CHUNK).min(n), cols, &fill))
        .collect::<Result<_>>()?;
    let mut r = vec![0.0; cols * cols];
    for mut next in factors {
        absorb(&mut r, &mut next, cols, cols);
    }
    to_array(r, cols)
}

/// `R` of the columns of `x` (a view), through [`triangular_factor`].
pub fn factor_of(x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    triangular_factor(x.nrows(), x.ncols(), |start, mut block| {
        let rows = block.nrows();
        block.assign(&x.slice(s![start..start + rows, ..]));
    })
}

/// `‖x_j‖` of every column, read from `R` (`Q` has orthonormal columns).
fn column_norms(r: &Array2<f64>) -> Array1<f64> {
    r.map_axis(Axis(0), |c| c.dot(&c).sqrt())
}

/// Columns among the first `p` of `R`'s matrix that are independent of the earlier ones.
pub fn independent_columns(r: &Array2<f64>, p: usize) -> Vec<usize> {
    let norms = column_norms(r);
    (0..p).filter(|&j| norms[j] > 0.0 && r[[j, j]].abs() >= DEPENDENCE_TOLERANCE * norms[j]).collect()
}

/// `R` of the matrix's columns `keep` (in that order), from the matrix's `R`.
pub fn retriangularise(r: &Array2<f64>, keep: &[usize]) -> Result<Array2<f64>> {
    let sub = r.select(Axis(1), keep);
    stacked_factor(sub.view(), Array2::zeros((0, keep.len())).view())
}

/// A column found dependent on earlier ones, with the earlier columns involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependence {
    /// The dependent column.
    pub column: usize,
    /// Earlier columns with a non-negligible coefficient in the combination.
    pub with: Vec<usize>,
}

/// The first dependent column among the first `p` columns of `R`'s matrix, if any; `n` is
/// the number of rows (more columns than rows are dependent).
pub fn first_dependence(r: &Array2<f64>, p: usize, n: usize) -> Result<Option<Dependence>> {
    let norms = column_norms(r);
    for j in 0..p {
        if j >= n {
            return Ok(Some(Dependence { column: j, with: (0..n).collect() }));
        }
        if norms[j] == 0.0 {
            return Ok(Some(Dependence { column: j, with: Vec::new() }));
        }
        if r[[j, j]].abs() < DEPENDENCE_TOLERANCE * norms[j] {
            // x_j ≈ Σ_{i<j} c_i x_i with R[..j, ..j] c = R[..j, j]; compare |c_i| ‖x_i‖.
            let c = r
                .slice(s![..j, ..j])
                .to_owned()
                .solve_triangular(UPLO::Upper, Diag::NonUnit, &r.slice(s![..j, j]).to_owned())
                .map_err(|e| linalg("collinearity diagnosis", e))?;
            let weight: Vec<f64> = (0..j).map(|i| (c[i] * norms[i]).abs()).collect();
            let largest = weight.iter().fold(0.0f64, |m, v| m.max(*v));
            let with = (0..j).filter(|&i| weight[i] > 1e-6 * largest).collect();
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

/// Regresses the last column of `R`'s matrix on its independent earlier columns (`R` is
/// `(p + 1) × (p + 1)`; `n` rows).
pub fn ssr_from_factor(r: &Array2<f64>, n: usize) -> Result<SsrFit> {
    let p = r.ncols() - 1;
    let kept: Vec<usize> = independent_columns(r, p).into_iter().filter(|&j| j < n).collect();
    let k = kept.len();
    if k >= n {
        return Ok(SsrFit { kept, ssr: 0.0 });
    }
    let last = if k == p {
        r[[p, p]]
    } else {
        let columns: Vec<usize> = kept.iter().copied().chain(std::iter::once(p)).collect();
        retriangularise(r, &columns)?[[k, k]]
    };
    Ok(SsrFit { kept, ssr: last * last })
}

/// Regresses `y` on the columns of `x` that are independent of the earlier ones.
pub fn ssr_fit(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<SsrFit> {
    let (n, p) = x.dim();
    ssr_of_rows(n, p + 1, |start, mut block| {
        let rows = block.nrows();
        block.slice_mut(s![.., ..p]).assign(&x.slice(s![start..start + rows, ..]));
        block.column_mut(p).assign(&y.slice(s![start..start + rows]));
    })
}

/// Regresses the last of `cols` columns on the others, the rows written by `fill` as in
/// [`triangular_factor`]; `R` comes from the normal equations where they are safe on a large
/// sample (`normal_equations.rs`), else from the QR.
pub fn ssr_of_rows<F>(n: usize, cols: usize, fill: F) -> Result<SsrFit>
where
    F: Fn(usize, ArrayViewMut2<'_, f64>) + Sync,
{
    let r = match gram_factor(n, cols, &fill)? {
        Some(r) => r,
        None => triangular_factor(n, cols, fill)?,
    };
    ssr_from_factor(&r, n)
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
