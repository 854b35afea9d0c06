//! Recursive residuals (Brown, Durbin & Evans 1975): the standardised one-step-ahead
//! prediction errors `w_t = (y_t − x_t'b_{t−1}) / sqrt(1 + x_t'(X'_{t−1}X_{t−1})⁻¹x_t)` for
//! `t = p+1 … n`, where `b_{t−1}` is OLS on the first `t − 1` rows.
//!
//! The triangular factor `R` of the rows seen so far is updated with Givens rotations as each
//! row arrives (O(p²) per row, as stable as a fresh QR), rather than by the Sherman–Morrison
//! update of `(X'X)⁻¹`, which loses digits on ill-conditioned designs such as Longley's.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use ndarray_linalg::{Diag, SolveTriangular, UPLO};

use super::least_squares::DEPENDENCE_TOLERANCE;
use crate::error::{Error, Result};

fn linalg(e: ndarray_linalg::error::LinalgError) -> Error {
    Error::Linalg { what: "recursive residuals".into(), reason: e.to_string() }
}

/// Rotates the row `(x, y)` into the upper-triangular `r` and the vector `z = Q'y`.
fn add_row(r: &mut Array2<f64>, z: &mut Array1<f64>, mut x: Array1<f64>, mut y: f64) {
    let p = x.len();
    for j in 0..p {
        if x[j] == 0.0 {
            continue;
        }
        let (a, b) = (r[[j, j]], x[j]);
        let h = a.hypot(b);
        let (c, s) = (a / h, b / h);
        for k in j..p {
            let (rk, xk) = (r[[j, k]], x[k]);
            r[[j, k]] = c * rk + s * xk;
            x[k] = -s * rk + c * xk;
        }
        let zj = z[j];
        z[j] = c * zj + s * y;
        y = -s * zj + c * y;
    }
}

/// The `n − p` recursive residuals of `y` on the design `x` (shape `(n, p)`), in row order.
/// Errors when the first `p` rows do not determine the coefficients.
pub fn recursive_residuals(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Array1<f64>> {
    let (n, p) = x.dim();
    if n <= p {
        return Err(Error::TooFewRows {
            what: "recursive residuals (rows, more than parameters)".into(),
            needed: p + 1,
            found: n,
        });
    }
    // R and z = Q'y of the first p rows, built by the same rotations as every later row.
    let mut r = Array2::zeros((p, p));
    let mut z = Array1::zeros(p);
    for t in 0..p {
        add_row(&mut r, &mut z, x.row(t).to_owned(), y[t]);
    }
    let scale = r.diag().iter().fold(0.0f64, |m: f64, v| m.max(v.abs()));
    if r.diag().iter().any(|v| v.abs() <= DEPENDENCE_TOLERANCE * scale) {
        return Err(Error::Undefined {
            test: "recursive residuals".into(),
            reason: format!("the first {p} rows do not determine the {p} coefficients"),
        });
    }
    let mut w = Array1::zeros(n - p);
    for t in p..n {
        let xt = x.row(t).to_owned();
        let b = r.solve_triangular(UPLO::Upper, Diag::NonUnit, &z).map_err(linalg)?;
        // x'(R'R)⁻¹x = ‖R⁻ᵀx‖².
        let v = r.t().to_owned().solve_triangular(UPLO::Lower, Diag::NonUnit, &xt).map_err(linalg)?;
        w[t - p] = (y[t] - xt.dot(&b)) / (1.0 + v.dot(&v)).sqrt();
        add_row(&mut r, &mut z, xt, y[t]);
    }
    Ok(w)
}
