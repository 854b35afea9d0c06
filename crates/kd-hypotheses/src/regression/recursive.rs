//! Recursive residuals (Brown, Durbin & Evans 1975): the standardised one-step-ahead
//! prediction errors `w_t = (y_t − x_t'b_{t−1}) / sqrt(1 + x_t'(X'_{t−1}X_{t−1})⁻¹x_t)` for
//! `t = p+1 … n`, where `b_{t−1}` is OLS on the first `t − 1` rows.
//!
//! The triangular factor of the rows seen so far is updated as each row arrives (O(p²) per
//! row, as stable as a fresh QR), rather than by the Sherman–Morrison update of `(X'X)⁻¹`,
//! which loses digits on ill-conditioned designs such as Longley's. The update is Gentleman's
//! (1973) square-root-free Givens rotation, in Miller's (1992, AS 274) form, the one R's
//! `biglm` uses: `R = D^{1/2} R̄` with `R̄` unit upper triangular, and a row enters with weight
//! `w = 1` that each rotation lowers. What is left of `y` once the row is eliminated is the
//! prediction error `y_t − x_t'b_{t−1}`, and the final weight is `1 / (1 + x_t'(X'X)⁻¹x_t)`, so
//! `w_t = y_left · √w` (Miller 1992, §2), with no triangular solve. Here the reciprocal `v = 1/w`
//! is carried (`v ← v + x_i²/d_i`): its chain through a row has no division, and the divisions
//! of a row only feed the next row, so rows overlap in the processor (plain Givens rotations,
//! a square root and a division on every step's chain, took three times as long).

use ndarray::{Array1, ArrayView1, ArrayView2};

use super::least_squares::DEPENDENCE_TOLERANCE;
use crate::error::{Error, Result};

/// The factor `R = D^{1/2} R̄` of the rows rotated in so far, and `θ` with `R̄b = θ`.
struct Factor {
    p: usize,
    /// `D`'s diagonal.
    d: Vec<f64>,
    /// `1 / d_i` (0 while `d_i` is 0).
    d_inverse: Vec<f64>,
    /// `R̄` above its unit diagonal, row-major `p × p` (the diagonal and below unused).
    r_bar: Vec<f64>,
    theta: Vec<f64>,
}

impl Factor {
    fn new(p: usize) -> Self {
        Self { p, d: vec![0.0; p], d_inverse: vec![0.0; p], r_bar: vec![0.0; p * p], theta: vec![0.0; p] }
    }

    /// Rotates the row `(x, y)` into the factor (`x` is overwritten); returns the recursive
    /// residual of the row once the factor has full rank (0 while the row fills an empty
    /// diagonal entry).
    fn add_row(&mut self, x: &mut [f64], mut y: f64) -> f64 {
        let p = self.p;
        // v = 1/w, the reciprocal of the row's weight.
        let mut v = 1.0;
        for i in 0..p {
            let xi = x[i];
            if xi == 0.0 {
                continue;
            }
            let row = &mut self.r_bar[i * p + i + 1..(i + 1) * p];
            if self.d[i] == 0.0 {
                // The row fills an empty diagonal entry (only among the first rows).
                self.d[i] = xi * xi / v;
                self.d_inverse[i] = self.d[i].recip();
                row.iter_mut().zip(&x[i + 1..]).for_each(|(r, xk)| *r = xk / xi);
                self.theta[i] = y / xi;
                return 0.0;
            }
            let di = self.d[i];
            let w = v.recip();
            let dpi = di + w * xi * xi;
            let dpi_inverse = dpi.recip();
            let (cbar, sbar) = (di * dpi_inverse, w * xi * dpi_inverse);
            v += xi * xi * self.d_inverse[i];
            self.d[i] = dpi;
            self.d_inverse[i] = dpi_inverse;
            for (rk, xk) in row.iter_mut().zip(&mut x[i + 1..]) {
                let (r0, x0) = (*rk, *xk);
                *xk = x0 - xi * r0;
                *rk = cbar * r0 + sbar * x0;
            }
            let t0 = self.theta[i];
            self.theta[i] = cbar * t0 + sbar * y;
            y -= xi * t0;
        }
        y / v.sqrt()
    }

    /// `|R_jj| = √d_j`.
    fn diagonal(&self) -> impl Iterator<Item = f64> + '_ {
        self.d.iter().map(|d| d.sqrt())
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
    let mut factor = Factor::new(p);
    let mut row = vec![0.0; p];
    for t in 0..p {
        row.iter_mut().zip(x.row(t)).for_each(|(a, &b)| *a = b);
        factor.add_row(&mut row, y[t]);
    }
    let scale = factor.diagonal().fold(0.0f64, |m: f64, v| m.max(v.abs()));
    if factor.diagonal().any(|v| v.abs() <= DEPENDENCE_TOLERANCE * scale) {
        return Err(Error::Undefined {
            test: "recursive residuals".into(),
            reason: format!("the first {p} rows do not determine the {p} coefficients"),
        });
    }
    let mut w = Array1::zeros(n - p);
    for t in p..n {
        row.iter_mut().zip(x.row(t)).for_each(|(a, &b)| *a = b);
        w[t - p] = factor.add_row(&mut row, y[t]);
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use ndarray::{Array1, Array2, s};

    use super::recursive_residuals;

    /// `w_t` by its definition: OLS on the first `t` rows (normal equations, well conditioned
    /// here), the one-step-ahead error standardised by `√(1 + x_t'(X'X)⁻¹x_t)`.
    fn by_definition(x: &Array2<f64>, y: &Array1<f64>, t: usize) -> f64 {
        let (xs, ys) = (x.slice(s![..t, ..]), y.slice(s![..t]));
        let gram = xs.t().dot(&xs);
        let inverse = ndarray_linalg::Inverse::inv(&gram).unwrap();
        let b = inverse.dot(&xs.t().dot(&ys));
        let xt = x.row(t);
        (y[t] - xt.dot(&b)) / (1.0 + xt.dot(&inverse.dot(&xt))).sqrt()
    }

    #[test]
    fn the_rotations_leave_the_recursive_residuals_of_their_definition() {
        let (n, p) = (40, 4);
        // A deterministic, well-spread design with an intercept and signs of both kinds.
        let x = Array2::from_shape_fn((n, p), |(i, j)| {
            if j == 0 { 1.0 } else { 3.0 * (1.618 * i as f64 * (j as f64 + 0.37)).sin() + j as f64 }
        });
        let y = Array1::from_shape_fn(n, |i| 2.0 - x[[i, 1]] + 0.5 * x[[i, 2]] + ((i * 5) % 11) as f64 - 5.0);
        let w = recursive_residuals(x.view(), y.view()).unwrap();
        for t in p..n {
            let expected = by_definition(&x, &y, t);
            assert!(
                (w[t - p] - expected).abs() <= 1e-9 * (1.0 + expected.abs()),
                "t = {t}: {} vs {expected}",
                w[t - p]
            );
        }
    }
}
