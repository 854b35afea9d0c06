//! Heteroscedasticity- and autocorrelation-robust standard errors of the coefficients:
//! White's HC0 and MacKinnon & White's HC1–HC3, and Newey & West's (1987) HAC estimator, so a
//! validator who finds heteroscedasticity or autocorrelation can see whether the inference
//! survives it.
//!
//! Every estimator is the sandwich `(X'X)⁻¹ M (X'X)⁻¹` with the meat `M`:
//!
//! | kind | meat |
//! |---|---|
//! | HC0 | `Σ e_i² x_i x_i'` |
//! | HC1 | HC0 · `n / (n − p)` |
//! | HC2 | `Σ e_i² / (1 − h_i) x_i x_i'` |
//! | HC3 | `Σ e_i² / (1 − h_i)² x_i x_i'` |
//! | Newey–West | `Σ_t Σ_s w(|t − s|) e_t e_s x_t x_s'`, Bartlett weights `w(l) = 1 − l/(L + 1)` for `l ≤ L` |
//!
//! as R's `sandwich::vcovHC(type = "HC0" … "HC3")` and `sandwich::NeweyWest(lag = L,
//! prewhite = FALSE, adjust = FALSE)` (statsmodels' `cov_type="HC0"…"HC3"` and `"HAC"` with
//! `maxlags = L`). The Newey–West meat is `U'(WU)` with `U = diag(e) X` and `W` the banded
//! Toeplitz matrix of weights, so it costs `O(n p L)`, not `O(n² p)`; all meats come from one
//! parallel pass over row blocks. t statistics and
//! p-values use Student's t with `n − p` degrees of freedom, as R's `lmtest::coeftest`.

use ndarray::{Array2, Axis, s};
use rayon::prelude::*;
use serde::Serialize;

use super::least_squares::BLOCK;
use super::ols::Ols;
use crate::distributions::t_two_sided;
use crate::error::{Error, Result, invalid_parameter};

/// A covariance estimator of the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CovarianceKind {
    /// `s² (X'X)⁻¹`, valid under homoscedastic, independent errors.
    Ols,
    /// White (1980).
    Hc0,
    /// HC0 with the `n / (n − p)` degrees-of-freedom correction.
    Hc1,
    /// Leverage-corrected (MacKinnon & White 1985).
    Hc2,
    /// Jackknife-like, the safest in small samples (Long & Ervin 2000).
    Hc3,
    /// Newey & West (1987), robust to autocorrelation up to the lag as well.
    NeweyWest,
}

/// Standard errors, t statistics and p-values of every coefficient under one estimator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoefficientInference {
    /// The estimator.
    pub kind: CovarianceKind,
    /// Standard errors in the data's units, in design order.
    pub std_error: Vec<f64>,
    /// `β_j / se_j`.
    pub t: Vec<f64>,
    /// `2 P(t_{n−p} > |t_j|)`.
    pub p_value: Vec<f64>,
}

/// Newey & West's (1994) rule of thumb for the lag, `⌊4 (n/100)^{2/9}⌋`.
pub fn newey_west_default_lags(n: usize) -> usize {
    (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

/// The sandwich `B M B` with `B = (X'X)⁻¹`.
fn sandwich(ols: &Ols, meat: &Array2<f64>) -> Array2<f64> {
    let b = &ols.w.cov_unscaled;
    b.dot(meat).dot(b)
}

/// The meats of HC0, HC2, HC3 and Newey–West with `lags` lags, in one pass over row blocks
/// (in parallel; partial sums added in block order). For Newey–West each block reads the
/// `lags` rows on either side of it: `(WU)_t = Σ_{|l| ≤ L} w(|l|) u_{t+l}`.
fn meats(ols: &Ols, lags: usize) -> [Array2<f64>; 4] {
    let (x, e, h) = (&ols.w.design, &ols.w.resid, &ols.w.leverage);
    let (n, p) = x.dim();
    let u = x * &e.view().insert_axis(Axis(1));
    let starts: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let partial: Vec<[Array2<f64>; 4]> = starts
        .par_iter()
        .map(|&a| {
            let b = (a + BLOCK).min(n);
            let ub = u.slice(s![a..b, ..]);
            let mut wu = ub.to_owned();
            for l in 1..=lags.min(n - 1) {
                let w = 1.0 - l as f64 / (lags as f64 + 1.0);
                // Rows t in a..b gain w·u_{t+l} (t + l < n) and w·u_{t−l} (t ≥ l).
                let ahead_end = b.min(n - l);
                if ahead_end > a {
                    wu.slice_mut(s![..ahead_end - a, ..])
                        .scaled_add(w, &u.slice(s![a + l..ahead_end + l, ..]));
                }
                let behind_start = a.max(l);
                if b > behind_start {
                    wu.slice_mut(s![behind_start - a.., ..])
                        .scaled_add(w, &u.slice(s![behind_start - l..b - l, ..]));
                }
            }
            let scale = |f: &dyn Fn(f64) -> f64| {
                let factors = h.slice(s![a..b]).mapv(f);
                &ub * &factors.insert_axis(Axis(1))
            };
            let u2 = scale(&|h| (1.0 - h).sqrt().recip());
            let u3 = scale(&|h| (1.0 - h).recip());
            [ub.t().dot(&ub), u2.t().dot(&u2), u3.t().dot(&u3), ub.t().dot(&wu)]
        })
        .collect();
    let mut total =
        [Array2::zeros((p, p)), Array2::zeros((p, p)), Array2::zeros((p, p)), Array2::zeros((p, p))];
    for part in partial {
        for (t, m) in total.iter_mut().zip(part) {
            *t += &m;
        }
    }
    total
}

/// Inference under every [`CovarianceKind`], in the order OLS, HC0, HC1, HC2, HC3,
/// Newey–West with `hac_lags` lags (default [`newey_west_default_lags`]). Errors when a row
/// has leverage 1 (HC2 and HC3 divide by `1 − h_i`) or the lag is not below `n`.
pub fn robust_inference(ols: &Ols, hac_lags: Option<usize>) -> Result<(usize, Vec<CoefficientInference>)> {
    let (n, p) = (ols.n_obs(), ols.n_params());
    let lags = hac_lags.unwrap_or_else(|| newey_west_default_lags(n));
    if lags >= n {
        return Err(invalid_parameter("hac-lags", format!("{lags}: must be below the number of rows, {n}")));
    }
    if ols.w.leverage.iter().any(|&h| h >= 1.0 - 1e-12) {
        return Err(Error::Undefined {
            test: "HC2 and HC3 standard errors".into(),
            reason: "a row has leverage 1".into(),
        });
    }
    let [m0, m2, m3, mnw] = meats(ols, lags);
    let hc0 = sandwich(ols, &m0);
    let covariances = [
        (CovarianceKind::Ols, &ols.w.cov_unscaled * (ols.w.ssr / (n - p) as f64)),
        (CovarianceKind::Hc1, &hc0 * (n as f64 / (n - p) as f64)),
        (CovarianceKind::Hc0, hc0),
        (CovarianceKind::Hc2, sandwich(ols, &m2)),
        (CovarianceKind::Hc3, sandwich(ols, &m3)),
        (CovarianceKind::NeweyWest, sandwich(ols, &mnw)),
    ];
    let order = [0, 2, 1, 3, 4, 5];
    let df = (n - p) as f64;
    let mut out = Vec::with_capacity(covariances.len());
    for &i in &order {
        let (kind, cov) = &covariances[i];
        let se_w: Vec<f64> = (0..p).map(|j| cov[[j, j]].max(0.0).sqrt()).collect();
        let t: Vec<f64> = (0..p).map(|j| ols.w.params[j] / se_w[j]).collect();
        let p_value = t.iter().map(|&t| t_two_sided(t, df)).collect::<Result<Vec<_>>>()?;
        let std_error = (0..p).map(|j| ols.coefficient_to_data(se_w[j], j)).collect();
        out.push(CoefficientInference { kind: *kind, std_error, t, p_value });
    }
    Ok((lags, out))
}
