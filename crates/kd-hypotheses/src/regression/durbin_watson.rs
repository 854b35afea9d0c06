//! The Durbin–Watson test with its p-value, as R's `lmtest::dwtest`: exact (Pan's algorithm)
//! for fewer than 100 rows, the normal approximation from there on.
//!
//! Under normal errors `d = e'Ae / e'e` (A the first-difference matrix: diagonal
//! `1, 2, …, 2, 1`, off-diagonals −1) is distributed as `Σ λ_i z_i² / Σ z_i²`, with `λ_i` the
//! non-zero eigenvalues of `MAM` (`M = I − X(X'X)⁻¹X'`) and `z_i` standard normal. `P(d < x)`
//! = `P(Σ (λ_i − x) z_i² < 0)` is computed by Farebrother's (1984) amended version of Pan's
//! algorithm (Applied Statistics AS 153 / AS R52; lmtest's `pan.f` with Cummins' 1996 fix),
//! 15 terms as `dwtest`. The normal approximation uses the exact mean and variance of `d`
//! (`dwtest`'s formulas; Durbin & Watson 1971).

use ndarray::{Array2, ArrayView1, s};
use ndarray_linalg::{EigValsh, UPLO};
use serde::Serialize;

use super::ols::Ols;
use super::results::Alternative;
use super::scaling::normalised;
use crate::distributions::normal_cdf;
use crate::error::{Error, Result, invalid_parameter};

/// Rows below which `Auto` uses Pan's exact algorithm (R's `dwtest` default).
pub const EXACT_BELOW: usize = 100;

/// Rows above which the exact p-value (an `n × n` eigendecomposition) is refused.
pub const EXACT_MAX_ROWS: usize = 2000;

/// How the Durbin–Watson p-value is computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DwMethod {
    /// Pan's exact algorithm below [`EXACT_BELOW`] rows, the normal approximation from there
    /// on (R's default).
    #[default]
    Auto,
    /// Pan's algorithm (up to [`EXACT_MAX_ROWS`] rows).
    Exact,
    /// The normal approximation.
    Normal,
}

/// The Durbin–Watson test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DurbinWatson {
    /// `d = Σ_{t≥2} (e_t − e_{t−1})² / Σ e_t²`.
    pub statistic: f64,
    /// The p-value for `alternative`.
    pub p_value: f64,
    /// `Greater`: positive autocorrelation (small `d`), R's default.
    pub alternative: Alternative,
    /// Which computation gave the p-value.
    pub method: &'static str,
}

/// Durbin & Watson (1950): `d = Σ_{t≥2} (e_t − e_{t−1})² / Σ e_t²`; about 2 without
/// autocorrelation, towards 0 for positive and 4 for negative first-order autocorrelation. As
/// `statsmodels.stats.stattools.durbin_watson`.
pub fn durbin_watson(resid: ArrayView1<'_, f64>) -> f64 {
    let e = resid.to_vec();
    let e = normalised(&e);
    let num: f64 = e.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
    num / e.iter().map(|v| v * v).sum::<f64>()
}

/// The Durbin–Watson test of the fit's residuals, with R `dwtest`'s p-value.
pub fn durbin_watson_test(ols: &Ols, alternative: Alternative, method: DwMethod) -> Result<DurbinWatson> {
    let (n, p) = ols.w.design.dim();
    let d = durbin_watson(ols.w.resid.view());
    let exact = match method {
        DwMethod::Auto => n < EXACT_BELOW,
        DwMethod::Exact if n > EXACT_MAX_ROWS => {
            return Err(invalid_parameter(
                "dw-method",
                format!(
                    "exact needs an {n} × {n} eigendecomposition; use it up to {EXACT_MAX_ROWS} rows (normal above)"
                ),
            ));
        }
        DwMethod::Exact => true,
        DwMethod::Normal => false,
    };
    if exact {
        let below = pan(&eigenvalues(ols)?, d);
        let p_value = match alternative {
            Alternative::Greater => below,
            Alternative::Less => 1.0 - below,
            Alternative::TwoSided => 2.0 * below.min(1.0 - below),
        };
        if (0.0..=1.0).contains(&p_value) {
            return Ok(DurbinWatson {
                statistic: d,
                p_value,
                alternative,
                method: "exact (Pan's algorithm)",
            });
        }
    }
    if n < p.max(5) {
        return Err(Error::TooFewRows {
            what: "the Durbin-Watson p-value".into(),
            needed: p.max(5),
            found: n,
        });
    }
    let (mean, var) = moments(ols);
    let z = (d - mean) / var.sqrt();
    let p_value = match alternative {
        Alternative::Greater => normal_cdf(z)?,
        Alternative::Less => normal_cdf(-z)?,
        Alternative::TwoSided => 2.0 * normal_cdf(-z.abs())?,
    };
    let method =
        if exact { "normal approximation (Pan's value fell outside [0, 1])" } else { "normal approximation" };
    Ok(DurbinWatson { statistic: d, p_value, alternative, method })
}

/// The non-zero eigenvalues of `MAM`, in decreasing order (R keeps those above 1e-10).
fn eigenvalues(ols: &Ols) -> Result<Vec<f64>> {
    let x = &ols.w.design;
    let (n, p) = x.dim();
    let hat = x.dot(&ols.w.cov_unscaled).dot(&x.t());
    let m = Array2::from_shape_fn((n, n), |(i, j)| f64::from(u8::from(i == j)) - hat[[i, j]]);
    let a = Array2::from_shape_fn((n, n), |(i, j)| match i.abs_diff(j) {
        0 if i == 0 || i == n - 1 => 1.0,
        0 => 2.0,
        1 => -1.0,
        _ => 0.0,
    });
    let mam = m.dot(&a).dot(&m);
    let symmetric = (&mam + &mam.t()) * 0.5;
    let values = symmetric
        .eigvalsh(UPLO::Lower)
        .map_err(|e| Error::Linalg { what: "Durbin-Watson eigenvalues".into(), reason: e.to_string() })?;
    let mut values = values.to_vec();
    values.sort_by(|a, b| b.total_cmp(a));
    Ok(values.into_iter().take(n - p).filter(|&v| v > 1e-10).collect())
}

/// The exact mean and variance of `d` under the null (R `dwtest`'s normal approximation).
fn moments(ols: &Ols) -> (f64, f64) {
    let x = &ols.w.design;
    let (n, k) = x.dim();
    // A X: 2x_t − x_{t−1} − x_{t+1} inside, x_1 − x_2 and x_n − x_{n−1} at the ends.
    let mut ax = x * 2.0;
    ax.slice_mut(s![1.., ..]).scaled_add(-1.0, &x.slice(s![..n - 1, ..]));
    ax.slice_mut(s![..n - 1, ..]).scaled_add(-1.0, &x.slice(s![1.., ..]));
    let first = &x.row(0) - &x.row(1);
    let last = &x.row(n - 1) - &x.row(n - 2);
    ax.row_mut(0).assign(&first);
    ax.row_mut(n - 1).assign(&last);
    let q1 = &ols.w.cov_unscaled;
    let xaxq = x.t().dot(&ax).dot(q1);
    let trace = |m: &Array2<f64>| m.diag().sum();
    let nf = n as f64;
    let big_p = 2.0 * (nf - 1.0) - trace(&xaxq);
    let big_q = 2.0 * (3.0 * nf - 4.0) - 2.0 * trace(&ax.t().dot(&ax).dot(q1)) + trace(&xaxq.dot(&xaxq));
    let df = nf - k as f64;
    let mean = big_p / df;
    (mean, 2.0 / (df * (df + 2.0)) * (big_q - big_p * mean))
}

/// `P(Σ λ_i z_i² < x Σ z_i²)` for the eigenvalues `ev` (sorted) by Pan's algorithm with
/// `c = 0` and 15 terms, as lmtest's `pan.f` (array `a` of that code: `a[0] = x`).
fn pan(ev: &[f64], x: f64) -> f64 {
    let a: Vec<f64> = std::iter::once(x).chain(ev.iter().copied()).collect();
    pan_general(&a, 0.0, 15)
}

/// Farebrother's AS R52 with Cummins' fix: `P(Σ a_i u_i² < a_0 Σ u_i² + c)` for `a[1..=m]`
/// ordered (either way). Hand-translated (no maintained crate implements it); the index
/// arithmetic follows the Fortran (1-based `a`, `a[0]` the threshold) line by line.
fn pan_general(a: &[f64], c: f64, n_terms: i64) -> f64 {
    let m = (a.len() - 1) as i64;
    if m < 1 {
        return f64::NAN;
    }
    let at = |i: i64| a[i as usize];
    let x = a[0];
    let (mut h, mut k, last) = if at(1) > at(m) { (m, -1i64, 1i64) } else { (1, 1i64, m) };
    let mut nu = h;
    let mut found = false;
    while (k == 1 && nu <= last) || (k == -1 && nu >= last) {
        if at(nu) >= x {
            found = true;
            break;
        }
        nu += k;
    }
    if !found && c >= 0.0 {
        return 1.0;
    }
    if nu == h && c <= 0.0 {
        return 0.0;
    }
    if k == 1 {
        nu -= 1;
    }
    h = m - nu;
    let y = if c == 0.0 { (h - nu) as f64 } else { c * (at(1) - at(m)) };
    let (d, mut j1, mut j2, mut j3, mut j4);
    if y >= 0.0 {
        d = 2;
        h = nu;
        k = -k;
        (j1, j2, j3, j4) = (0, 2, 3, 1);
    } else {
        d = -2;
        nu += 1;
        (j1, j2, j3, j4) = (m - 2, m - 1, m + 1, m);
    }
    let pin = std::f64::consts::FRAC_PI_2 / n_terms as f64;
    let mut sum = 0.5 * (k + 1) as f64;
    let mut sgn = k as f64 / n_terms as f64;
    let n2 = 2 * n_terms - 1;
    let mut l1 = h - 2 * (h / 2);
    while l1 >= 0 {
        let count = ((nu - j2 + d) / d).max(0);
        let mut l2 = j2;
        for _ in 0..count {
            let u = 0.5 * (at(j4) + at(l2));
            let v = 0.5 * (at(j4) - at(l2));
            let mut sum1 = 0.0;
            for i in (1..=n2).step_by(2) {
                let y = u - v * (i as f64 * pin).cos();
                let num = y - x;
                let mut prod = (-c / num).exp();
                for kk in (1..=j1).chain(j3..=m) {
                    prod *= num / (y - at(kk));
                }
                sum1 += prod.abs().sqrt();
            }
            sgn = -sgn;
            sum += sgn * sum1;
            j1 += d;
            j3 += d;
            j4 += d;
            l2 += d;
        }
        if d == 2 {
            j3 -= 1;
        } else {
            j1 += 1;
        }
        j2 = 0;
        nu = 0;
        l1 -= 1;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::pan_general;

    /// Farebrother's (1984) published table, reproduced in the header of lmtest's `pan.f`.
    #[test]
    fn pan_reproduces_farebrothers_table() {
        for (weights, c, expected) in [
            (&[1.0, 3.0, 6.0][..], 1.0, 0.0542),
            (&[1.0, 3.0, 6.0], 7.0, 0.4936),
            (&[1.0, 3.0, 6.0], 20.0, 0.8760),
            (&[1.0, 3.0, 5.0, 7.0, 9.0], 5.0, 0.0544),
            (&[1.0, 3.0, 5.0, 7.0, 9.0], 20.0, 0.4853),
            (&[1.0, 3.0, 5.0, 7.0, 9.0], 50.0, 0.9069),
            (&[3.0, 4.0, 5.0, 6.0, 7.0], 5.0, 0.0405),
            (&[3.0, 4.0, 5.0, 6.0, 7.0], 20.0, 0.4603),
            (&[3.0, 4.0, 5.0, 6.0, 7.0], 50.0, 0.9200),
        ] {
            let a: Vec<f64> = std::iter::once(0.0).chain(weights.iter().copied()).collect();
            let p = pan_general(&a, c, 15);
            assert!((p - expected).abs() < 5e-5, "{weights:?}, c = {c}: {p} vs {expected}");
        }
    }
}
