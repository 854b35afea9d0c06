//! The triangular factor `R` of a tall matrix by the normal equations: the Gram matrix
//! `G = Z'Z`, accumulated over row blocks by matrix products, then Cholesky's `G = R'R`.
//!
//! This is the fast path of the battery's auxiliary regressions on large samples
//! ([`ssr_of_rows`](super::least_squares::ssr_of_rows); White's `n × 66` at ten features most
//! of all), where the row-block Householder QR
//! ([`triangular_factor`](super::least_squares::triangular_factor)) does level-2 work: the
//! block products here run as level-3 BLAS kernels. Forming `Z'Z` squares the condition
//! number (Golub & Van Loan 2013, §5.3.7), so the factor is returned only where it is safe:
//! when every column's sine to the span of the earlier ones, `|R_jj| / √G_jj`, is at least
//! [`MIN_SINE`]. The residual sum of squares `R_qq²` is the Schur complement of `G`; its
//! first-order error is `δG` applied to the coefficient vector, whose size the sine bound keeps
//! near that of the columns, so in that region it matches the QR's to about `1e-12` relative
//! (checked below, and on White's test in the battery's tests). Otherwise (a dependent column,
//! the square of a 0/1 feature, an ill-conditioned design such as Longley's) the caller uses
//! the QR, whose rank decisions and accuracy the battery's goldens pin.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayViewMut2, ShapeBuilder, s};
use ndarray_linalg::{Cholesky, UPLO};
use rayon::prelude::*;

use super::least_squares::{BLOCK, CHUNK};
use crate::error::{Error, Result};

/// The smallest sine of a column to the span of the earlier ones for which the factor from
/// the normal equations is used; below it the caller falls back to the QR.
pub const MIN_SINE: f64 = 0.05;

/// Rows below which the QR is always used: it then takes well under a millisecond, and the
/// small samples of the goldens keep one code path.
pub const MIN_ROWS: usize = CHUNK;

/// Columns of a band of the Gram matrix's upper triangle computed by one matrix product.
const BAND: usize = 16;

/// The upper triangle of `Σ B'B` over the blocks of rows `range` that `fill` writes.
fn chunk_gram<F>(range: std::ops::Range<usize>, cols: usize, fill: &F) -> Result<Array2<f64>>
where
    F: Fn(usize, ArrayViewMut2<'_, f64>) + Sync,
{
    let mut gram = Array2::zeros((cols, cols));
    let mut buffer = vec![0.0; BLOCK * cols];
    let mut start = range.start;
    while start < range.end {
        let m = BLOCK.min(range.end - start);
        let mut block = ArrayViewMut2::from_shape((m, cols).f(), &mut buffer[..m * cols])
            .map_err(|e| Error::Linalg { what: "normal equations".into(), reason: e.to_string() })?;
        fill(start, block.view_mut());
        // The upper triangle only, by bands of columns: `B_g' B[:, g..]` for each band `g`
        // (about 5/8 of the full product's work at 67 columns).
        for g in (0..cols).step_by(BAND) {
            let band = g..(g + BAND).min(cols);
            general_mat_mul(
                1.0,
                &block.slice(s![.., band.clone()]).t(),
                &block.slice(s![.., g..]),
                1.0,
                &mut gram.slice_mut(s![band, g..]),
            );
        }
        start += m;
    }
    Ok(gram)
}

/// The upper-triangular `R` (`cols × cols`) with `R'R = Z'Z`, `Z`'s rows written by `fill`
/// as in [`triangular_factor`](super::least_squares::triangular_factor), or `None` where the
/// QR should be used instead: fewer than [`MIN_ROWS`] rows, `Z'Z` not positive definite, or a
/// column's sine below [`MIN_SINE`]. Chunks run in parallel and their sums are added in chunk
/// order, so the result does not depend on the number of threads.
pub fn gram_factor<F>(n: usize, cols: usize, fill: F) -> Result<Option<Array2<f64>>>
where
    F: Fn(usize, ArrayViewMut2<'_, f64>) + Sync,
{
    if n < MIN_ROWS {
        return Ok(None);
    }
    let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
    let parts: Vec<Array2<f64>> =
        starts.par_iter().map(|&s| chunk_gram(s..(s + CHUNK).min(n), cols, &fill)).collect::<Result<_>>()?;
    let mut gram = Array2::zeros((cols, cols));
    for part in &parts {
        gram += part;
    }
    let Ok(r) = gram.cholesky(UPLO::Upper) else {
        return Ok(None);
    };
    let safe = (0..cols).all(|j| gram[[j, j]] > 0.0 && r[[j, j]].abs() >= MIN_SINE * gram[[j, j]].sqrt());
    Ok(safe.then_some(r))
}

#[cfg(test)]
mod tests {
    use ndarray::{Array2, s};

    use super::{MIN_ROWS, gram_factor};
    use crate::regression::least_squares::{ssr_from_factor, triangular_factor};

    /// A deterministic, well-spread design of `n` rows: a constant, two smooth columns, a
    /// skewed one, and a target.
    fn design(n: usize, dummy: bool) -> Array2<f64> {
        Array2::from_shape_fn((n, 5), |(i, j)| {
            let t = i as f64;
            match j {
                0 => 1.0,
                1 => (0.37 * t).sin(),
                2 => (1.91 * t).cos() + 0.1 * (0.013 * t).sin(),
                3 if dummy => f64::from(u8::from(i % 3 == 0)),
                3 => ((0.71 * t).sin() + 1.5).powi(3),
                _ => (0.123 * t).sin() * (0.29 * t).cos() + (0.5 * t).sin().powi(2),
            }
        })
    }

    fn fill_from(z: &Array2<f64>) -> impl Fn(usize, ndarray::ArrayViewMut2<'_, f64>) + Sync + '_ {
        move |start, mut block| {
            let rows = block.nrows();
            block.assign(&z.slice(s![start..start + rows, ..]));
        }
    }

    #[test]
    fn agrees_with_the_qr_on_a_well_conditioned_design() {
        let n = 3 * MIN_ROWS + 17;
        let z = design(n, false);
        let gram = gram_factor(n, 5, fill_from(&z)).unwrap().expect("well conditioned");
        let qr = triangular_factor(n, 5, fill_from(&z)).unwrap();
        let (a, b) = (ssr_from_factor(&gram, n).unwrap(), ssr_from_factor(&qr, n).unwrap());
        assert_eq!(a.kept, b.kept);
        assert!((a.ssr - b.ssr).abs() <= 1e-12 * b.ssr, "{} vs {}", a.ssr, b.ssr);
    }

    #[test]
    fn declines_a_dependent_column_and_small_samples() {
        let n = MIN_ROWS + 5;
        // The square of a 0/1 column is the column itself.
        let mut z = design(n, true);
        let dummy = z.column(3).to_owned();
        z.column_mut(4).assign(&dummy);
        assert!(gram_factor(n, 5, fill_from(&z)).unwrap().is_none());
        let small = design(100, false);
        assert!(gram_factor(100, 5, fill_from(&small)).unwrap().is_none());
    }
}
