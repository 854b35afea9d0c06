//! The Durbin–Watson test with its p-value, as R's `lmtest::dwtest`: exact for fewer than
//! 100 rows, the normal approximation from there on.
//!
//! Under normal errors `d = e'Ae / e'e` (A the first-difference matrix: diagonal
//! `1, 2, …, 2, 1`, off-diagonals −1) is distributed as `Σ λ_i z_i² / Σ z_i²`, with `λ_i` the
//! non-zero eigenvalues of `MAM` (`M = I − X(X'X)⁻¹X'`) and `z_i` standard normal. The exact
//! `P(d < x) = P(Σ (λ_i − x) z_i² < 0)` is computed by Imhof's method (`imhof.rs`) where R
//! uses Pan's algorithm: the two agree wherever Pan's converges (R's 15 terms), and where it
//! does not, R's value is wrong (tests/golden/hypotheses_r records both). The normal
//! approximation uses the exact mean and variance of `d` (`dwtest`'s formulas; Durbin & Watson
//! 1971).

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView1, s};
use ndarray_linalg::{AllocatedArray, AllocatedArrayMut, Lapack, UPLO};
use serde::Serialize;

use super::imhof;
use super::least_squares::BLOCK;
use super::ols::Ols;
use super::results::Alternative;
use super::scaling::normalised;
use crate::distributions::normal_cdf;
use crate::error::{Error, Result, invalid_parameter};

/// Rows below which `Auto` computes the exact p-value (R's `dwtest` default).
pub const EXACT_BELOW: usize = 100;

/// Rows above which the exact p-value (an `n × n` eigendecomposition) is refused.
pub const EXACT_MAX_ROWS: usize = 2000;

/// The smallest exact p-value reported as a number; below it the integration's absolute
/// accuracy (1e-12) makes the digits meaningless, so `10⁻¹⁰` is reported as a bound.
pub const EXACT_FLOOR: f64 = 1e-10;

/// How the Durbin–Watson p-value is computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DwMethod {
    /// Exact below [`EXACT_BELOW`] rows, the normal approximation from there on (R's
    /// default).
    #[default]
    Auto,
    /// Exact, by Imhof's method (up to [`EXACT_MAX_ROWS`] rows).
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
        let shifted: Vec<f64> = eigenvalues(ols)?.iter().map(|l| l - d).collect();
        // P(d > x) = P(Σ (λ_i − x) z_i² > 0), and the lower tail by complement.
        let above = imhof::upper_tail(&shifted, 0.0).clamp(0.0, 1.0);
        let p_value = match alternative {
            Alternative::Greater => 1.0 - above,
            Alternative::Less => above,
            Alternative::TwoSided => (2.0 * above.min(1.0 - above)).min(1.0),
        };
        return Ok(if p_value < EXACT_FLOOR {
            DurbinWatson {
                statistic: d,
                p_value: EXACT_FLOOR,
                alternative,
                method: "exact (Imhof); below the integration's accuracy, the p-value is an upper bound",
            }
        } else {
            DurbinWatson { statistic: d, p_value, alternative, method: "exact (Imhof)" }
        });
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
    Ok(DurbinWatson { statistic: d, p_value, alternative, method: "normal approximation" })
}

/// The non-zero eigenvalues of `MAM`, in decreasing order (R keeps those above 1e-10).
fn eigenvalues(ols: &Ols) -> Result<Vec<f64>> {
    let x = &ols.w.design;
    let (n, p) = x.dim();
    let hat = x.dot(&ols.w.cov_unscaled).dot(&x.t());
    let m = Array2::from_shape_fn((n, n), |(i, j)| f64::from(u8::from(i == j)) - hat[[i, j]]);
    // A = D'D with D the (n − 1) × n first difference, so MAM = G'G with G = DM: the rows'
    // differences of M, one n × n product where A's dense form took two.
    let g = &m.slice(s![1.., ..]) - &m.slice(s![..n - 1, ..]);
    let mam = g.t().dot(&g);
    let mut symmetric = (&mam + &mam.t()) * 0.5;
    let mut values = symmetric_eigenvalues(&mut symmetric)
        .map_err(|e| Error::Linalg { what: "Durbin-Watson eigenvalues".into(), reason: e.to_string() })?;
    values.sort_by(|a, b| b.total_cmp(a));
    Ok(values.into_iter().take(n - p).filter(|&v| v > 1e-10).collect())
}

/// The eigenvalues of a symmetric matrix (LAPACK reads one triangle), without eigenvectors.
///
/// LAPACK's `dsyev` with `jobz = 'N'`, called through `lax` because ndarray-linalg 0.17's
/// `eigvalsh` asks `dsyev` for the eigenvectors too (`eigvalsh_inplace` passes `true`) and
/// then drops them: at 200 rows that tripled the test's cost (the QL sweeps that rotate the
/// vectors, `dlasr`, took a third of the regression battery's simulations).
fn symmetric_eigenvalues(a: &mut Array2<f64>) -> ndarray_linalg::error::Result<Vec<f64>> {
    let layout = a.square_layout()?;
    Ok(f64::eigh(false, layout, UPLO::Lower, a.as_allocated_mut()?)?)
}

/// The exact mean and variance of `d` under the null (R `dwtest`'s normal approximation):
/// with `Q = (X'X)⁻¹`, `P = 2(n − 1) − tr(X'AX Q)`, `Q₂ = 2(3n − 4) − 2 tr((AX)'(AX) Q) +
/// tr((X'AX Q)²)`, mean `P / (n − k)` and variance `2 (Q₂ − P · mean) / ((n − k)(n − k + 2))`.
///
/// `A = D'D` with `D` the `(n − 1) × n` first difference, so with `G = DX` (rows
/// `g_t = x_{t+1} − x_t`): `X'AX = G'G` and `(AX)'(AX) = G'(DD')G = 2 G'G − Σ_t (g_t g_{t+1}' +
/// g_{t+1} g_t')`. Both are summed over blocks of rows of `G`, so no `n × k` matrix is formed.
fn moments(ols: &Ols) -> (f64, f64) {
    let x = &ols.w.design;
    let (n, k) = x.dim();
    let (mut gg, mut lagged) = (Array2::<f64>::zeros((k, k)), Array2::<f64>::zeros((k, k)));
    // Rows a..b of G, and the next row for the lagged products (while it exists).
    let mut a = 0;
    while a < n - 1 {
        let b = (a + BLOCK).min(n - 1);
        let rows = (b + 1).min(n - 1) - a;
        let g = &x.slice(s![a + 1..a + 1 + rows, ..]) - &x.slice(s![a..a + rows, ..]);
        let m = b - a;
        general_mat_mul(1.0, &g.slice(s![..m, ..]).t(), &g.slice(s![..m, ..]), 1.0, &mut gg);
        let pairs = m.min(rows - 1);
        general_mat_mul(1.0, &g.slice(s![..pairs, ..]).t(), &g.slice(s![1..pairs + 1, ..]), 1.0, &mut lagged);
        a = b;
    }
    let q1 = &ols.w.cov_unscaled;
    let xaxq = gg.dot(q1);
    let axax = &gg * 2.0 - &lagged - lagged.t();
    let trace = |m: &Array2<f64>| m.diag().sum();
    let nf = n as f64;
    let big_p = 2.0 * (nf - 1.0) - trace(&xaxq);
    let big_q = 2.0 * (3.0 * nf - 4.0) - 2.0 * trace(&axax.dot(q1)) + trace(&xaxq.dot(&xaxq));
    let df = nf - k as f64;
    let mean = big_p / df;
    (mean, 2.0 / (df * (df + 2.0)) * (big_q - big_p * mean))
}
